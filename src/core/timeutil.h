/* timeutil.h — the monotonic millisecond clock every FSM is driven with. */
#ifndef VPDN_CORE_TIMEUTIL_H
#define VPDN_CORE_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* "No deadline": returned by *_next_deadline() when nothing is scheduled. */
#define TIME_NEVER UINT64_MAX

/* CLOCK_MONOTONIC in milliseconds.  Out of line (timeutil.c) so that a test
 * build can link its own clock in its place and drive the daemon's logic
 * with time it controls. */
uint64_t time_now_ms(void);

static inline uint64_t
time_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#endif
