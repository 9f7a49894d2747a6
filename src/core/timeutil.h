/* timeutil.h — the monotonic millisecond clock every FSM is driven with. */
#ifndef VPDN_CORE_TIMEUTIL_H
#define VPDN_CORE_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* "No deadline": returned by *_next_deadline() when nothing is scheduled. */
#define TIME_NEVER	UINT64_MAX

static inline uint64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static inline uint64_t
time_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#endif
