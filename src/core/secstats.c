/*
 * secstats.c — daemon-wide counters of refused security events.
 */
#include "core/secstats.h"

static uint64_t counters[SECSTAT__COUNT];

void
secstat_inc(enum secstat s)
{
	if ((unsigned)s < SECSTAT__COUNT)
		counters[s]++;
}

uint64_t
secstat_get(enum secstat s)
{
	return (unsigned)s < SECSTAT__COUNT ? counters[s] : 0;
}

const char *
secstat_str(enum secstat s)
{
	switch (s) {
	/* clang-format off */
	case SECSTAT_RADIUS_DROP_MSGAUTH:	return "radius-drop-msgauth";
	case SECSTAT_DAE_DROP_TIMESTAMP:	return "dae-drop-timestamp";
	case SECSTAT_DAE_REPLAY:		return "dae-replay";
	case SECSTAT_AUTH_LOCKOUT:		return "auth-lockout";
	case SECSTAT_AUTH_LOCKED_ATTEMPT:	return "auth-locked-attempt";
	case SECSTAT__COUNT:
	default:				return "?";
		/* clang-format on */
	}
}
