/*
 * fake_random.c — random_bytes (core/random.h) as fake_random.h says;
 * random_u16/u32 come from the library (src/core/random_int.c).
 */
#include <stdint.h>

#include "core/random.h"
#include "fake_random.h"

static uint64_t rng_state;

void
random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		/* xorshift64* */
		rng_state ^= rng_state >> 12;
		rng_state ^= rng_state << 25;
		rng_state ^= rng_state >> 27;
		p[i] = (uint8_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

void
fake_random_reset(void)
{
	rng_state = 0x9e3779b97f4a7c15ULL;
}
