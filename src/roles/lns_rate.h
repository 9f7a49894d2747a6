/*
 * lns_rate.h — an LNS session's rate plan: where it comes from and the two
 * token buckets (dataplane/policer.h) that enforce it on the user path.
 *
 * Where a session's plan comes from, first that applies (INTERFACE.md):
 *   1. RADIUS Mikrotik-Rate-Limit (vendor 14988, type 8), rates given
 *      directly: "RX[/TX] ..." from the NAS's view, so RX is the user's
 *      upload and TX the download; one value is both; k/M/G suffixes; the
 *      burst fields after the first blank are not used (the bucket is
 *      LNS_RATE_DIRECT_BURST_MS of the rate);
 *   2. RADIUS Filter-Id naming a [rate-plan];
 *   3. the user's line in the users file (rate-plan=NAME);
 *   4. the peer's plan (given by whoever matched the LAC to a peer);
 *   5. [lns] rate-plan.
 * A RADIUS name or string that is not usable is logged and the next
 * source applies.  A CoA-Request or `vpdnctl set session` replaces the
 * plan of a live session.
 *
 * Sans-I/O: time comes in from the caller (the roles' now, ms).
 */
#ifndef VPDN_ROLES_LNS_RATE_H
#define VPDN_ROLES_LNS_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "dataplane/policer.h"

/* The bucket of rates given directly by RADIUS, as the schema default of
 * a plan's burst (vpdn.conf(5)). */
#define LNS_RATE_DIRECT_BURST_MS 250

enum lns_rate_source {
	LNS_RATE_NONE = 0,
	LNS_RATE_DEFAULT,   /* [lns] rate-plan */
	LNS_RATE_PEER,	    /* the LAC's peer section */
	LNS_RATE_USERS,	    /* the users file */
	LNS_RATE_FILTER_ID, /* RADIUS Filter-Id */
	LNS_RATE_RADIUS,    /* RADIUS Mikrotik-Rate-Limit */
	LNS_RATE_COA,	    /* RFC 5176 CoA-Request */
	LNS_RATE_CTL,	    /* vpdnctl set session */
};
const char *lns_rate_source_str(enum lns_rate_source s);

struct lns_rate {
	/* The plan's name, or for rates given directly the rates as
	 * "DOWN/UP" (e.g. "10M/2M"); "" none. */
	char plan[64];
	bool direct; /* rates given directly, not a [rate-plan] */
	enum lns_rate_source source;
	uint64_t down_bps, up_bps;     /* 0: no limit */
	uint64_t down_burst, up_burst; /* bytes */
	struct policer down, up;
};

/* What a session should get; plan NULL with direct false: none. */
struct lns_rate_choice {
	const struct cfg_rate_plan *plan;
	bool direct;
	uint64_t down_bps, up_bps;
	enum lns_rate_source source;
};

/*
 * Parses a Mikrotik-Rate-Limit string into the user's download and upload
 * rates (bit/s).  0 or -1 when the first field is not "RATE[/RATE]".
 */
int lns_rate_parse_mikrotik(const char *s, uint64_t *down, uint64_t *up);

/*
 * Chooses in the order above; any string may be NULL or "".  A RADIUS
 * value that cannot be used writes why into warn (else warn is "").
 */
void lns_rate_choose(const struct vpdn_config *cfg, const char *rate_limit,
    const char *filter_id, const char *user_plan, const char *peer_plan,
    struct lns_rate_choice *out, char *warn, size_t warnlen);

/* Puts the choice into force from now (ms); the counters go on. */
void lns_rate_apply(struct lns_rate *r, const struct lns_rate_choice *c,
    uint64_t now_ms);

/* Whether either direction is limited. */
bool lns_rate_limited(const struct lns_rate *r);

/* Whether a packet of len bytes to the user (down) or from the user (up)
 * conforms at now (ms); a drop is counted in the bucket. */
bool lns_rate_admit_down(struct lns_rate *r, uint64_t now_ms, size_t len);
bool lns_rate_admit_up(struct lns_rate *r, uint64_t now_ms, size_t len);

/* "10M", "512k", "1500" (bit/s) into buf: how rates are shown. */
const char *lns_rate_str(uint64_t bps, char *buf, size_t len);

#endif
