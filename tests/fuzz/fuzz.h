/*
 * fuzz.h — what every libFuzzer target in tests/fuzz/ shares.
 *
 * Each target defines LLVMFuzzerTestOneInput(); it is linked either with
 * libFuzzer (clang -fsanitize=fuzzer, `make fuzz`) or with replay_main.c
 * (gcc + ASan/UBSan, `make fuzz-replay`, which runs every corpus file once).
 * A broken invariant calls FUZZ_CHECK(), which aborts so that both drivers
 * report the input as a crash.
 */
#ifndef VPDN_TESTS_FUZZ_H
#define VPDN_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
			    __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* Hostile input is expected to be logged about; keep the fuzzer's output
 * to its own statistics. */
static inline void
fuzz_quiet(void)
{
	static int done;

	if (!done) {
		log_init("fuzz", LOG_LEVEL_ERROR, false);
		done = 1;
	}
}

#endif
