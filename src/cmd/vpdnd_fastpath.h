/*
 * vpdnd_fastpath.h — the daemon's kernel fast path (dataplane/fastpath.h)
 * as `[global] dataplane` asks for it: loaded at start, attached where the
 * LNS's sessions need it, unloaded at exit.
 *
 * Where the programs run:
 *   - vpdn_fp_decap on the ingress of every interface an LNS tunnel's
 *     datagrams arrive on (the IP_PKTINFO ifindex of its local address),
 *     attached when the first session of such a tunnel enters the path;
 *   - vpdn_fp_enc_l3 on the egress of the LNS's TUN device (what the
 *     users' /32 routes point into), attached with the first session;
 *   - vpdn_fp_encap on the ingress of the interfaces [global]
 *     fastpath-ingress names (where downstream traffic enters), at start:
 *     it encapsulates before the stack routes, the cheaper place; what
 *     it leaves (and what enters elsewhere, or is sent by this host)
 *     still meets vpdn_fp_enc_l3 on the TUN;
 *   - vpdn_lac_fp (dataplane/lac_fastpath.h) on the ingress of the LAC's
 *     PPPoE interface and of every interface a LAC tunnel's datagrams
 *     arrive on, attached when the first call through it is established;
 *     before the LNS's filter on a shared hook.
 * Where the packets may leave (fp_egress): every Ethernet interface
 * present at start.  Decapsulated packets leave towards the intranet by
 * whatever route the kernel's fib picks, encapsulated ones towards the
 * peer the same way; both are Ethernet devices the daemon cannot name in
 * advance (routes decide), and anything the fib sends elsewhere (a TUN, a
 * tunnel device, an interface made after start) goes to the stack and so
 * to the user path, as before.
 */
#ifndef VPDN_CMD_VPDND_FASTPATH_H
#define VPDN_CMD_VPDND_FASTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "dataplane/fastpath.h"
#include "dataplane/lac_fastpath.h"

struct vpdnd_fastpath;

/* Removes the filters dead instances left on every interface, then loads
 * the programs if g->dataplane asks for them (with g->fastpath_veth_gso)
 * and attaches vpdn_fp_encap to the ingress of the interfaces
 * g->fastpath_ingress names (names, "all", or ""; -1, logged, if one is
 * missing or not Ethernet).  *out is NULL for user, and for auto when they
 * cannot load (logged once with why); -1 (logged) when kernel was asked
 * for and they cannot load. */
int vpdnd_fastpath_open(const struct cfg_global *g,
    struct vpdnd_fastpath **out);
/* Detaches every filter and unloads; NULL is ignored. */
void vpdnd_fastpath_close(struct vpdnd_fastpath *vf);

/* The seam's operations (roles/roles_io.h). */
int vpdnd_fastpath_add(struct vpdnd_fastpath *vf,
    const struct fastpath_session *s, int l2tp_ifindex, int tun_ifindex,
    char *why, size_t whylen);
int vpdnd_fastpath_update(struct vpdnd_fastpath *vf,
    const struct fastpath_session *s, char *why, size_t whylen);
int vpdnd_fastpath_remove(struct vpdnd_fastpath *vf,
    const struct fastpath_session *s, struct fastpath_counters *final,
    char *why, size_t whylen);
int vpdnd_fastpath_stats(struct vpdnd_fastpath *vf, uint16_t tunnel_id,
    uint16_t session_id, struct fastpath_counters *c);

/* The LAC's operations; has_lac is false when there is no fast path. */
bool vpdnd_fastpath_has_lac(const struct vpdnd_fastpath *vf);
int vpdnd_fastpath_lac_add(struct vpdnd_fastpath *vf,
    const struct lac_fastpath_call *c, int l2tp_ifindex, char *why,
    size_t whylen);
int vpdnd_fastpath_lac_remove(struct vpdnd_fastpath *vf,
    const struct lac_fastpath_call *c, struct fastpath_counters *final,
    char *why, size_t whylen);
int vpdnd_fastpath_lac_stats(struct vpdnd_fastpath *vf, uint16_t tunnel_id,
    uint16_t session_id, struct fastpath_counters *c);

#endif
