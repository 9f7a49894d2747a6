/*
 * random_int.c — random_u16/u32 over random_bytes (random.h), in a file of
 * their own so that a test that substitutes the random source at link
 * time (tests/fuzz/fake_random.c) replaces random.c alone and keeps these.
 */
#include "core/random.h"

uint16_t
random_u16(void)
{
	uint16_t v;

	random_bytes(&v, sizeof(v));
	return v;
}

uint32_t
random_u32(void)
{
	uint32_t v;

	random_bytes(&v, sizeof(v));
	return v;
}
