/* timeutil.c — the system clock behind time_now_ms() (see timeutil.h). */
#include "core/timeutil.h"

uint64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
