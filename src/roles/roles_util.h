/*
 * roles_util.h — small helpers every role uses.  They know the config, the
 * L2TP and PPP types and the TUN device, and nothing of roles/, so the
 * roles call down into them instead of back up into roles.c.
 */
#ifndef VPDN_ROLES_ROLES_UTIL_H
#define VPDN_ROLES_ROLES_UTIL_H

#include <stddef.h>

#include "config/config.h"
#include "dataplane/fastpath.h"
#include "dataplane/tun.h"
#include "l2tp/l2tp.h"
#include "ppp/auth.h"
#include "ppp/link.h"
#include "roles/roles.h"

struct roles;

/* Adds a TUN device's drop counters (kernel and ours) to st. */
void roles_tun_add(const struct roles_io *io, struct roles_tun_stats *st,
    const struct tun *t);
enum ppp_auth_method roles_auth_method(enum cfg_auth a);
/* role_ops.session_request of the roles that place calls rather than
 * answer them (client, LAC): RFC 2661 §5.4/§7.5, an LNS gets no outgoing
 * calls from us, so OCRQ is refused ("temporary lack of facilities"). */
int roles_refuse_call(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req, uint64_t now);

/* What a kernel fast-path entry takes from an L2TP session and its PPP
 * link, the same for every role: the session's and tunnel's IDs, the
 * tunnel's addresses and the PPP header forms.  fp is zeroed first; the
 * caller adds what is its own (inner address, MTU, ...).  False, with why,
 * for a session the programs cannot carry. */
bool roles_fp_from_session(struct l2tp_session *s, const struct ppp_link *link,
    struct fastpath_session *fp, char *why, size_t whylen);

#endif
