/*
 * lns_access_line.h — the access line a LAC reported for an LNS call
 * (RFC 5515 AVPs of its ICRQ), from the ICRQ until the ICCN: the LNS has
 * no per-call object of its own before the call is connected, so the
 * ICRQ's line data waits here, keyed by the L2TP session, and the LNS's
 * session takes it over at ICCN (or it is dropped with a call that never
 * connects).  Only calls between ICRQ and ICCN that carried access-line
 * AVPs are listed, so the list stays short.
 */
#ifndef VPDN_ROLES_LNS_ACCESS_LINE_H
#define VPDN_ROLES_LNS_ACCESS_LINE_H

#include "core/access_line.h"
#include "l2tp/l2tp.h"

struct lns_al {
	struct lns_al *next;
	const struct l2tp_session *s;
	struct access_line al;
};

/* Keeps a copy of *al for s (nothing when al is empty or memory is
 * short: the call goes on without it). */
void lns_al_hold(struct lns_al **head, const struct l2tp_session *s,
    const struct access_line *al);
/* Unlinks and returns s's entry (the caller frees it), or NULL. */
struct lns_al *lns_al_take(struct lns_al **head, const struct l2tp_session *s);
/* Frees s's entry if any (the call ended before ICCN). */
void lns_al_drop(struct lns_al **head, const struct l2tp_session *s);

#endif
