# Fuzzing: libFuzzer targets in tests/fuzz/fuzz_*.c.
#   make fuzz          clang build in build/fuzz/, each target FUZZ_SECONDS (60)
#                      over a scratch corpus seeded from tests/fuzz/corpus/<t>/
#   make fuzz-replay   gcc + the variant's sanitizers: every committed corpus
#                      file and crash reproducer once (part of `make test`)
#   make fuzz-smoke    `make fuzz` for 10 s a target, skipped without clang
#                      (part of `make test`)
# `make check` (static analysis) lives in mk/check.mk.

FUZZ_O       ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES   := $(FUZZ_SRCS:tests/fuzz/%.c=%)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_O)/%)
# The -Werror gates are the gcc build and `make check`'s clang build
# (check-clang in mk/check.mk); a fuzzing run does not stop on a warning.
FUZZ_CFLAGS  := -std=c11 $(filter-out -Werror,$(WARN)) -Wno-format-nonliteral \
	-Wno-cast-qual -g -O1 \
	-fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_O)/obj/%.o)
FUZZ_LIB     := $(FUZZ_O)/libvpdn-fuzz.a

REPLAY_O     := $(O)/fuzz-replay
REPLAY_BINS  := $(FUZZ_NAMES:%=$(REPLAY_O)/%)

.PHONY: fuzz fuzz-build fuzz-replay fuzz-smoke

$(FUZZ_O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_O)/fuzz_%: $(FUZZ_O)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(LDLIBS) -o $@

# fuzz_daemon drives the roles through their seam with the recorder in
# tests/support/fake_io.c; the random source, which they still reach
# globally, is replaced at link time: the library without random.o and
# with tests/fuzz/fake_random.c in its place.
DAEMON_FAKED        := src/core/random.c
DAEMON_SUPPORT      := tests/support/fake_io.o tests/support/script_peer.o \
    tests/fuzz/fake_random.o
FUZZ_DAEMON_LIB     := $(FUZZ_O)/libvpdn-fuzz-daemon.a
REPLAY_DAEMON_LIB   := $(O)/libvpdn-fuzz-daemon.a

$(FUZZ_O)/obj/tests/%.o: CPPFLAGS += -Itests/support

$(FUZZ_DAEMON_LIB): $(filter-out $(DAEMON_FAKED:%.c=$(FUZZ_O)/obj/%.o),$(FUZZ_LIB_OBJS))
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_O)/fuzz_daemon: $(FUZZ_O)/obj/tests/fuzz/fuzz_daemon.o \
    $(DAEMON_SUPPORT:%=$(FUZZ_O)/obj/%) $(FUZZ_DAEMON_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(LDLIBS) -o $@

$(REPLAY_DAEMON_LIB): $(filter-out $(DAEMON_FAKED:%.c=$(O)/%.o),$(LIB_OBJS))
	@rm -f $@
	$(AR) rcs $@ $^

$(REPLAY_O)/fuzz_daemon: $(O)/tests/fuzz/fuzz_daemon.o \
    $(DAEMON_SUPPORT:%=$(O)/%) $(O)/tests/fuzz/replay_main.o \
    $(REPLAY_DAEMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@tests/fuzz/run-fuzz.sh $(FUZZ_O) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Never fails `make test` for want of clang (scripts/install-deps.sh installs
# it, so in practice it runs); a crash found does fail it.
fuzz-smoke:
	@if command -v $(FUZZ_CC) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory fuzz-build >/dev/null && \
		FUZZ_RECORD=fuzz-smoke tests/fuzz/run-fuzz.sh $(FUZZ_O) 10 $(FUZZ_NAMES); \
	else echo "fuzz-smoke: $(FUZZ_CC) not found, skipped"; fi

$(REPLAY_O)/fuzz_%: $(O)/tests/fuzz/fuzz_%.o $(O)/tests/fuzz/replay_main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

fuzz-replay: $(REPLAY_BINS)
	@tests/fuzz/run-replay.sh $(REPLAY_O) $(FUZZ_NAMES)

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_NAMES:%=$(FUZZ_O)/obj/tests/fuzz/%.d) \
	$(FUZZ_NAMES:%=$(O)/tests/fuzz/%.d) $(O)/tests/fuzz/replay_main.d \
	$(DAEMON_SUPPORT:%.o=$(FUZZ_O)/obj/%.d) $(DAEMON_SUPPORT:%.o=$(O)/%.d)

include mk/check.mk

# Regenerates the seeds (seed-* files) from the project's own encoders and
# the config goldens; the fuzzers' finds and crash reproducers stay.
$(O)/fuzz-replay/gen_corpus: $(O)/tests/fuzz/gen_corpus.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

.PHONY: fuzz-corpus
fuzz-corpus: $(O)/fuzz-replay/gen_corpus
	@$< tests/fuzz/corpus
	@mkdir -p tests/fuzz/corpus/fuzz_ini
	@for f in tests/config/*.conf; do \
		{ printf '\000'; cat "$$f"; } > \
		    tests/fuzz/corpus/fuzz_ini/seed-conf-$$(basename $$f .conf); \
	done
