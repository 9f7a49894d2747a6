# The kernel fast path's TC programs (src/dataplane/bpf/*.bpf.c): clang
# -target bpf, then `bpftool gen skeleton`, whose header embeds the object
# in libvpdn (dataplane/fastpath.c), so vpdnd stays one file.  The BPF build
# has its own -Werror gate: the gcc build never sees this code.
#
# The BPF target has no libc and no <asm/...> of its own: the host's
# multiarch include directory supplies <asm/types.h> for <linux/types.h>.

BPF_CLANG   ?= clang
BPFTOOL     ?= bpftool
BPF_O       := $(O)/bpf
BPF_SRCS    := $(sort $(wildcard src/dataplane/bpf/*.bpf.c))
BPF_OBJS    := $(BPF_SRCS:src/dataplane/bpf/%.bpf.c=$(BPF_O)/%.bpf.o)
BPF_SKELS   := $(BPF_SRCS:src/dataplane/bpf/%.bpf.c=$(BPF_O)/%.skel.h)
BPF_MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null)
BPF_CFLAGS  := -target bpf -mcpu=v3 -O2 -g -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wimplicit-fallthrough \
	-Isrc/dataplane/bpf -idirafter /usr/include/$(BPF_MULTIARCH)

# The skeleton is generated code: included as a system header so that the
# project's warnings (-Wcast-qual & co.) judge our code, not bpftool's.
CPPFLAGS += -isystem $(BPF_O)
LDLIBS   += -lbpf

$(BPF_O)/%.bpf.o: src/dataplane/bpf/%.bpf.c mk/bpf.mk
	@mkdir -p $(dir $@)
	$(BPF_CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

# Kept: make would delete the object as an intermediate file, and the next
# make, which reads its .d, would rebuild it, the skeleton and vpdnd.
.SECONDARY: $(BPF_OBJS)

$(BPF_O)/%.skel.h: $(BPF_O)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst .,_,$*)_bpf > $@.tmp
	@mv $@.tmp $@

# Everything that compiles fastpath.c or fastpath_skel.c needs the skeleton
# first.
FASTPATH_SRCS := src/dataplane/fastpath.c src/dataplane/fastpath_skel.c \
	src/dataplane/lac_fastpath.c src/dataplane/lac_fastpath_skel.c
$(FASTPATH_SRCS:%.c=$(O)/%.o): $(BPF_SKELS)
$(FASTPATH_SRCS:%.c=$(FUZZ_O)/obj/%.o): $(BPF_SKELS)
$(FASTPATH_SRCS:%.c=$(CHECK_O)/%.tidy): $(BPF_SKELS)

.PHONY: bpf
bpf: $(BPF_SKELS)

-include $(BPF_OBJS:.o=.d)
