# vpdn — one non-recursive GNU Makefile.  Variants live in build/<variant>/:
#   make                 debug build (ASan+UBSan), the test default
#   make VARIANT=release optimised build
#   make test            unit tests + config goldens + netns integration tests
#   make demo            the end-to-end demonstration in network namespaces
#   make coverage        line coverage of the unit tests and fuzz corpus
#   make deb             the Debian package (debian/), checked by lintian
# O=DIR overrides the build directory (helpers building in parallel use their own).

VARIANT ?= debug
O       ?= build/$(VARIANT)

include mk/flags.mk

SRC_DIRS := core config l2tp ppp pppoe radius dataplane ipv6 roles ctl
LIB_SRCS := $(sort $(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB      := $(O)/libvpdn.a

PROGS    := $(O)/vpdnd $(O)/vpdnctl

UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)

.PHONY: all test unit-test config-test netns-test demo clean deps print-cflags check
all: $(PROGS)

# mk/flags.mk is a prerequisite so that a changed flag (the release
# hardening that `make check` verifies) rebuilds the objects.
$(O)/%.o: %.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The roles' seam over the real system (src/cmd/vpdnd_io.c, vpdnd_radius.c).
VPDND_IO_OBJS := $(O)/src/cmd/vpdnd_io.o $(O)/src/cmd/vpdnd_radius.o \
	$(O)/src/cmd/vpdnd_fastpath.o $(O)/src/cmd/vpdnd_policy.o

$(O)/vpdnd: $(O)/src/cmd/vpdnd.o $(VPDND_IO_OBJS) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(O)/vpdnctl: $(O)/src/cmd/vpdnctl.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(O)/vpdn-bench: $(O)/src/cmd/vpdn-bench.o $(O)/src/cmd/bench_pppoe.o \
    $(O)/src/cmd/bench_ipv6.o $(O)/src/cmd/bench_redial.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Objects first, the library after them (a test's own prerequisites, such
# as tests/support objects, may be listed after $(LIB)).
$(O)/tests/%: $(O)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $(filter-out $(LIB),$^) $(LIB) $(LDLIBS) -lcmocka -o $@

# Test doubles shared by the unit tests and the daemon fuzzer: the
# recorder behind the roles' seam and the harness that drives the roles
# with it (tests/support/*.h).
SUPPORT_SRCS := $(sort $(wildcard tests/support/*.c))
SUPPORT_OBJS := $(SUPPORT_SRCS:%.c=$(O)/%.o)
$(O)/tests/%.o: CPPFLAGS += -Itests/support
$(O)/tests/test_roles_lns $(O)/tests/test_roles_fastpath \
    $(O)/tests/test_roles_lns_policy: \
    $(O)/tests/support/fake_io.o $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o
$(O)/tests/test_roles_lac $(O)/tests/test_roles_lac_ops \
    $(O)/tests/test_roles_lac_fastpath \
    $(O)/tests/test_roles_lac_select \
    $(O)/tests/test_roles_access_line \
    $(O)/tests/test_roles_switch: \
    $(O)/tests/support/fake_io.o $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o \
    $(O)/tests/support/role_harness_lac.o
# vpdn-bench's IPv6 per session, outside the library.
$(O)/tests/test_bench_ipv6: $(O)/src/cmd/bench_ipv6.o
$(O)/tests/test_roles_client $(O)/tests/test_roles_client_pppoe $(O)/tests/test_roles_client_fp \
    $(O)/tests/test_roles_client_routes $(O)/tests/test_roles_client_dhcpv6: \
    $(O)/tests/support/fake_io.o $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o \
    $(O)/tests/support/rh_server.o
$(O)/tests/test_roles_lns_reload: $(O)/tests/support/fake_io.o \
    $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o
$(O)/tests/test_roles_lns_ipv6: $(O)/tests/support/fake_io.o \
    $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o
$(O)/tests/test_roles_lns_dhcpv6: $(O)/tests/support/fake_io.o \
    $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o
$(O)/tests/test_roles_lns_acct $(O)/tests/test_roles_lns_rate: \
    $(O)/tests/support/fake_io.o \
    $(O)/tests/support/role_harness.o \
    $(O)/tests/support/script_peer.o

# vpdn-bench's redial logic (src/cmd/bench_redial.c), not in the library.
$(O)/tests/test_bench_redial: $(O)/src/cmd/bench_redial.o

include mk/tests.mk
include mk/fuzz.mk
include mk/install.mk
include mk/bench.mk
include mk/coverage.mk
include mk/format.mk
include mk/bpf.mk
include mk/deb.mk

print-cflags:
	@echo $(CPPFLAGS) $(CFLAGS)

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(O)/src/cmd/vpdnd.d $(VPDND_IO_OBJS:.o=.d) $(O)/src/cmd/vpdnctl.d $(O)/src/cmd/vpdn-bench.d $(O)/src/cmd/bench_pppoe.d $(O)/src/cmd/bench_ipv6.d $(O)/src/cmd/bench_redial.d $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/unit/%.d) $(SUPPORT_OBJS:.o=.d)
