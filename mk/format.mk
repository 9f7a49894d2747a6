# `make format-check`: the files of mk/format.list are as .clang-format
# (clang-format 14) formats them.  The house style is adopted file by file:
# a file goes on the list once `clang-format -i FILE` has been applied to it
# in a change of its own (nobody else editing it at the time), and from then
# on format-check keeps it so.  `make format` applies the style to the
# listed files only; the rest of the tree is never reformatted wholesale.

CLANG_FORMAT ?= clang-format
FORMAT_FILES := $(shell cat mk/format.list)

.PHONY: format-check format
format-check:
	@$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_FILES)
	@echo "format-check: $(words $(FORMAT_FILES)) files in the house style"

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)
