/*
 * secstats.h — daemon-wide counters of refused security events (forged
 * RADIUS replies, replayed Dynamic Authorization requests, PPP
 * authentication lockouts), for `show stats` and /metrics.
 *
 * They are process-global because the modules that count them (the RADIUS
 * client and DAE listener, the PPP authentication policy) have no common
 * owner that the control socket could reach; a counter only ever grows.
 */
#ifndef VPDN_CORE_SECSTATS_H
#define VPDN_CORE_SECSTATS_H

#include <stdint.h>

enum secstat {
	/* Access-Accept/Reject/Challenge without a valid
	 * Message-Authenticator (RFC 2869 §5.14), dropped. */
	SECSTAT_RADIUS_DROP_MSGAUTH,
	/* Disconnect/CoA-Request with an Event-Timestamp outside the
	 * window, or none when one is required (RFC 5176 §6.3). */
	SECSTAT_DAE_DROP_TIMESTAMP,
	/* Disconnect/CoA-Request seen before: not acted on again. */
	SECSTAT_DAE_REPLAY,
	/* A user or peer reached the PPP authentication failure limit. */
	SECSTAT_AUTH_LOCKOUT,
	/* PPP authentication attempts refused because of a lockout. */
	SECSTAT_AUTH_LOCKED_ATTEMPT,
	SECSTAT__COUNT
};

void secstat_inc(enum secstat s);
uint64_t secstat_get(enum secstat s);
/* The name in `show stats` and the metrics label: "radius-drop-msgauth". */
const char *secstat_str(enum secstat s);

#endif
