# Compiler flags shared by every variant (DESIGN.md §6).
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
CFLAGS  += -O2 -g
CPPFLAGS += -D_FORTIFY_SOURCE=2
else ifeq ($(VARIANT),valgrind)
CFLAGS  += -O1 -g
else
$(error unknown VARIANT $(VARIANT): debug, release or valgrind)
endif
