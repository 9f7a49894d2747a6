/*
 * switch.h — tunnel switching ("multihop"): a call that arrives over L2TP
 * from another LAC, whose user's realm has a [realm] section, is placed
 * again towards that realm's LNS instead of being terminated here, and the
 * data messages of the two sessions are relayed between them.
 *
 * The two halves: the incoming session sits in a tunnel the LNS accepted
 * (struct roles.accepted carries switch_role_ops while [switch] is on,
 * which hands every call that is not switched to lns_role_ops); the
 * outgoing half is a LAC call (struct lac_call with ->sw set) so that LNS
 * selection, hold-down, retries and tunnel sharing are the LAC's own
 * (lac_tunnel.c, lac_lns.c).  PPP is never run here: the switch reads the
 * user's name from the ICCN's Proxy Authen Name (RFC 2661 §4.4.5) and
 * passes every proxy AVP on.
 *
 * Clearing: a CDN on either half gives a CDN on the other with the same
 * Result and Error Code (§4.4.2); a StopCCN or a lost tunnel takes every
 * half in it down, and the other halves get a CDN.
 */
#ifndef VPDN_ROLES_SWITCH_H
#define VPDN_ROLES_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tp/l2tp.h"
#include "roles/aaa.h"

struct roles;
struct lac_call;
struct roles_session_view;
struct sw_call;

/* What `vpdnctl show stats` and the metrics count. */
struct roles_switch_stats {
	uint64_t switched;   /* calls placed towards an LNS */
	uint64_t connected;  /* ... whose outgoing half came up */
	uint64_t refused;    /* realm not switched, local-sessions = no */
	uint64_t no_lns;     /* no LNS of the realm took the call */
	uint64_t early_drop; /* frames before the other half was up */
	unsigned active;     /* switched calls now */
};

/* NULL without [switch]. */
const struct roles_switch_stats *roles_switch_stats(const struct roles *r);

/* roles.c: with [switch], before any tunnel is accepted (needs the LAC). */
int switch_init(struct roles *r);
/* After the host is gone (its teardown still reports sessions down). */
void switch_free(struct roles *r);

/* lac.c: events of a switched call's outgoing half (c->sw set). */
void switch_out_params(const struct sw_call *c, struct l2tp_call_params *cp);
void switch_out_up(struct sw_call *c, struct lac_call *lc, uint64_t now);
void switch_out_data(struct sw_call *c, const uint8_t *frame, size_t len);
/* The LNS's CDN (or none) as the out session goes: kept for the other
 * half's CDN. */
void switch_out_cdn(struct sw_call *c, struct l2tp_session *s);
/* The outgoing half ended for why (lac_call_end): the incoming half gets
 * its CDN. */
void switch_out_ended(struct sw_call *c, struct lac_call *lc,
    enum aaa_lac_end why, uint64_t now);
void switch_out_describe(const struct sw_call *c, struct roles_session_view *v);

#endif
