/*
 * client_fp.h — a client's call in the kernel fast path (roles-internal).
 *
 * Once IPCP is up on an L2TP call and its TUN exists, the call's IPv4 data
 * can be carried by the fast path's programs (dataplane/fastpath.h,
 * client_ifindex): what the host routes into the TUN is encapsulated on the
 * TUN's egress and sent to the LNS, and the LNS's data for our session is
 * decapsulated on the interface it arrives on and delivered into the TUN.
 * Everything else — control messages, LCP, IPCP, IPv6, sequenced data,
 * packets the programs leave alone — stays on the user path.  The call
 * leaves the maps before its TUN is closed and before any of its state is
 * freed; what the kernel carried joins the PPP counters in `show clients`
 * and `show sessions`.
 */
#ifndef VPDN_ROLES_CLIENT_FP_H
#define VPDN_ROLES_CLIENT_FP_H

#include "dataplane/fastpath.h"

struct client;

/* IPCP up and the TUN set up: into the kernel if the fast path is on and
 * the call can be carried there (else logged and left on the user path). */
void client_fp_enter(struct client *c);
/* Out of the maps (before the TUN closes); the final counters are kept. */
void client_fp_leave(struct client *c);
/* What the kernel carried for this client, earlier calls' stints included
 * (zero if never in the path). */
void client_fp_counters(const struct client *c, struct fastpath_counters *out);

#endif
