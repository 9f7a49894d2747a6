/*
 * fake_random.h — the daemon fuzzer's random source: a fixed sequence, so
 * that an input replays identically.  fuzz_daemon links the library
 * without src/core/random.o and with fake_random.o in its place (random
 * is the one thing the roles still reach globally, not through roles_io).
 */
#ifndef VPDN_TESTS_FAKE_RANDOM_H
#define VPDN_TESTS_FAKE_RANDOM_H

/* Back to the start of the sequence. */
void fake_random_reset(void);

#endif
