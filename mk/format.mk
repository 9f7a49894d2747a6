# `make format-check`: every C file of src/ and tests/ is as .clang-format
# (clang-format 14) formats it; `scripts/format-tree.sh --list` names them
# (all but eBPF programs and generated files).  `make format` applies the
# style to all of them through scripts/format-tree.sh, which also proves the
# change whitespace-only: a file whose content, not just its layout, the
# formatter would change is put back and reported.  A hand-laid table that
# the style cannot express is fenced with /* clang-format off */ ...
# /* clang-format on */.

CLANG_FORMAT ?= clang-format

.PHONY: format-check format
format-check:
	@CLANG_FORMAT=$(CLANG_FORMAT) scripts/format-tree.sh --check

format:
	@CLANG_FORMAT=$(CLANG_FORMAT) scripts/format-tree.sh
