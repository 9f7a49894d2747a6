# Compiler flags shared by every variant (DESIGN.md §6).

# The flags the caller gave (a developer's, or dpkg-buildflags' through
# debian/rules), before a variant adds its own.  make exports a variable
# that came from the environment with this make's additions, so a recursive
# make of another variant (make install builds the release one) starts from
# these instead: it must not link the debug variant's sanitizers.
CALLER_FLAGS := CFLAGS='$(CFLAGS)' CPPFLAGS='$(CPPFLAGS)' LDFLAGS='$(LDFLAGS)'

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wswitch-enum -Wimplicit-fallthrough -Wcast-qual
CPPFLAGS += -D_GNU_SOURCE -Isrc
CFLAGS   += -std=c11 $(WARN)
LDLIBS   += -lev -lnettle -lbsd -lmnl -lcap

ifeq ($(VARIANT),debug)
CFLAGS  += -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else ifeq ($(VARIANT),release)
# Hardened: stack canaries, FORTIFY's checked libc calls, a PIE (ASLR for
# the executable too) and full RELRO with immediate binding (the GOT is
# read-only after start-up).  scripts/check-hardening.sh verifies them.
CFLAGS  += -O2 -g -fstack-protector-strong -fPIE
CPPFLAGS += -D_FORTIFY_SOURCE=2
LDFLAGS += -pie -Wl,-z,relro -Wl,-z,now
else ifeq ($(VARIANT),valgrind)
CFLAGS  += -O1 -g
else ifeq ($(VARIANT),coverage)
# gcov counters for `make coverage`: no sanitizers (their instrumentation
# is not what is measured) and -O0 so that each line keeps its own code.
CFLAGS  += -O0 -g --coverage
LDFLAGS += --coverage
else
$(error unknown VARIANT $(VARIANT): debug, release, valgrind or coverage)
endif
