/*
 * lns_peer.h — the LNS's operator policy (docs/INTERFACE.md "Peers, pools
 * and per-user limits"): which [peer] an SCCRQ comes from and what its
 * tunnel runs with, its tunnel and session caps, the address pool a
 * session draws from, and the per-user session limits.
 *
 * A tunnel carries the name of the [peer] that accepted it (l2tp_accept
 * label); everything later (a call's limits, its pool, its link settings)
 * looks the name up in the configuration in force, so a reload that
 * changes a peer applies to its next calls, and one that removes it makes
 * its live tunnels' next calls take the [lns] defaults.
 */
#ifndef VPDN_ROLES_LNS_PEER_H
#define VPDN_ROLES_LNS_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "l2tp/l2tp.h"

struct roles;
struct session_link;
struct radius_auth_reply;
struct lns_pool;

/* The first [peer] (file order) that host_name and addr match: each of
 * hostname (case-insensitive, RFC 4343) and source that the peer gives
 * must match.  NULL: none. */
const struct cfg_peer *lns_peer_match(const struct vpdn_config *cfg,
    const char *host_name, const struct l2tp_addr *addr);
/* A [peer] by name in cfg, or NULL. */
const struct cfg_peer *lns_peer_find(const struct vpdn_config *cfg,
    const char *name);

/* l2tp_host_ops.tunnel_accept for the LNS. */
void lns_tunnel_accept(struct roles *r, struct l2tp_accept *a, uint64_t now);
/* The [peer] the call's tunnel was accepted for (NULL: [lns] defaults). */
const struct cfg_peer *lns_peer_of(struct roles *r, struct l2tp_session *s);
/* ICRQ: 0, or the CDN result refusing a call over its peer's
 * max-sessions (RFC 2661 §4.4.2: 4, temporary lack of resources). */
int lns_peer_admit_call(struct roles *r, struct l2tp_session *s);

/*
 * After authentication, before an address: the per-user limits
 * (max-sessions-per-user of the peer or [lns], RADIUS Port-Limit, RFC 2865
 * §5.42) and duplicate-login.  replace ends the user's older sessions
 * (CDN result 3, Acct-Terminate-Cause Admin-Reset); 0 to go on, -1 to
 * refuse this session (logged and counted).
 */
int lns_user_admit(struct session_link *sl, const char *user,
    const struct radius_auth_reply *rep, uint64_t now);

/* The pool sl's address comes from: RADIUS Framed-Pool, else the peer's
 * pools in order (the first with a free address), else the default.
 * *addr = 0 and NULL when the chosen pool is exhausted or unknown (logged
 * and counted in that pool). */
struct lns_pool *lns_pool_choose(struct session_link *sl, const char *user,
    const struct radius_auth_reply *rep, uint32_t *addr);

/* Counters `show stats` and metrics report. */
struct lns_policy_stats {
	uint64_t unknown_peer_refused;	/* SCCRQ, StopCCN result 4 */
	uint64_t peer_tunnels_refused;	/* over a peer's max-tunnels */
	uint64_t peer_sessions_refused; /* over a peer's max-sessions */
	uint64_t user_limit_refused;	/* max-sessions-per-user, Port-Limit */
	uint64_t duplicate_refused;	/* duplicate-login = refuse */
	uint64_t duplicate_replaced;	/* older sessions ended by replace */
};

/* Per peer, for show tunnels/metrics: live tunnels and sessions now. */
void lns_peer_usage(struct roles *r, const char *name, unsigned *tunnels,
    unsigned *sessions);

#endif
