/*
 * roles_util.h — small helpers every role uses.  They know the config, the
 * L2TP and PPP types and the TUN device, and nothing of roles/, so the
 * roles call down into them instead of back up into roles.c.
 */
#ifndef VPDN_ROLES_ROLES_UTIL_H
#define VPDN_ROLES_ROLES_UTIL_H

#include <stddef.h>

#include "config/config.h"
#include "dataplane/tun.h"
#include "l2tp/l2tp.h"
#include "ppp/auth.h"
#include "roles/roles.h"

struct roles;

/* An LNS's host name or address (port as configured) to an address of the
 * L2TP socket's family (AF_INET / AF_INET6), for the client and the LAC.
 * A name (not a literal) blocks in getaddrinfo() once per client dial and
 * once per LAC call (before a tunnel is looked for); an operator who
 * cannot afford that writes an address.  -1 with the reason in err. */
int	roles_resolve_lns(int family, const struct cfg_hostport *hp,
	    struct l2tp_addr *out, char *err, size_t errlen);
/* Adds a TUN device's drop counters (kernel and ours) to st. */
void	roles_tun_add(struct roles_tun_stats *st, const struct tun *t);
enum ppp_auth_method roles_auth_method(enum cfg_auth a);
/* role_ops.session_request of the roles that place calls rather than
 * answer them (client, LAC): RFC 2661 §5.4/§7.5, an LNS gets no outgoing
 * calls from us, so OCRQ is refused ("temporary lack of facilities"). */
int	roles_refuse_call(struct roles *r, void *ctx, struct l2tp_session *s,
	    const struct l2tp_msg *req);

#endif
