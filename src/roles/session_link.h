/*
 * session_link.h — one PPP link bound to the carrier it runs over.
 *
 * The LNS (PPP server per incoming call) and the client (PPP peer on its one
 * call) run a ppp_link over an L2TP session; the LAC's front half and a
 * client dialling over PPPoE run one over a PPPoE session.  This module owns
 * that binding: frames from the carrier go to the link, frames from the link
 * go out through struct sl_carrier_ops, the link's deadline sits in the
 * roles' timer heap, and when either side goes away the other is told.
 *
 * Lifetime (close now, free later): the link may report "down" from inside
 * ppp_link_input() or ppp_link_timeout(); the binding then closes its
 * carrier (sl_carrier_ops.close: CDN for an L2TP session, PADT for PPPoE)
 * and is only freed from sl_reap(), which the roles call when
 * no link function is on the stack.  The role-specific parts (address
 * assignment, network up, IP packets) go through struct sl_role_ops.
 */
#ifndef VPDN_ROLES_SESSION_LINK_H
#define VPDN_ROLES_SESSION_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include <bsd/sys/queue.h>

#include "core/heap.h"
#include "l2tp/l2tp.h"
#include "ppp/link.h"
#include "roles/roles.h"

struct roles;
struct session_link;

/* What a PPP link needs from its carrier. */
struct sl_carrier_ops {
	int (*send)(void *carrier, const uint8_t *frame, size_t len);
	/* Optional (NULL: send): the frame with `headroom` writable bytes
	 * before it, kept unchanged until the event loop's next turn. */
	int (*send_inplace)(void *carrier, uint8_t *frame, size_t len,
	    size_t headroom);
	/* PPP ended: end the carrier too (CDN with cdn_result, PADT...). */
	void (*close)(void *carrier, uint16_t cdn_result, const char *reason,
	    uint64_t now);
	/* Forget the binding (the carrier's back pointer to it). */
	void (*detach)(void *carrier);
};

/* An l2tp_session carrier: data messages, CDN on close. */
extern const struct sl_carrier_ops sl_l2tp_carrier;

struct sl_role_ops {
	int (*assign_address)(struct session_link *sl, const char *user,
	    const struct auth_result *res, uint32_t *addr);
	void (*network_up)(struct session_link *sl, uint32_t local,
	    uint32_t peer, const uint32_t dns[2], unsigned dns_count);
	void (
	    *ip_input)(struct session_link *sl, const uint8_t *pkt, size_t len);
	/* Optional: the network phase ended but the link lives on (LCP
	 * renegotiation): release what assign_address and network_up set up,
	 * as at the session's end; both may run again. */
	void (*network_down)(struct session_link *sl, const char *reason);
	/* The binding is ending (link down or session gone): release the
	 * address, routes, TUN; called once. */
	void (*ended)(struct session_link *sl, const char *reason);
	/* Optional: where the user is, for the authentication backend
	 * (auth_request calling_station, nas_port; RADIUS RFC 2865 §5.31,
	 * §5.5), from what the role has anyway. */
	void (*describe)(struct session_link *sl, struct auth_request *req);
	/* Optional: who is authenticating, for the failure back-off
	 * (ppp/authlimit.h): the LNS gives the tunnel's peer address, the
	 * LAC the user's MAC; "" = none. */
	void (*auth_peer)(struct session_link *sl, char *out, size_t outsz);
	/* Optional (NULL: IPv6 not in this role): IPv6CP opened with
	 * these interface identifiers (RFC 5072 §4.1), closed again, and
	 * an IPv6 packet from the peer (only between the two). */
	void (*network6_up)(struct session_link *sl, const uint8_t local_id[8],
	    const uint8_t peer_id[8]);
	void (*network6_down)(struct session_link *sl, const char *reason);
	void (*ipv6_input)(struct session_link *sl, const uint8_t *pkt,
	    size_t len);
	/* Optional: an NCP (PPP_PROTO_IPCP, PPP_PROTO_IPV6CP) failed while
	 * the other keeps the link (ppp_link_ops.ncp_failed). */
	void (*ncp_failed)(struct session_link *sl, uint16_t proto);
};

struct sl_auth_guard;

struct session_link {
	struct roles *roles;
	const struct sl_role_ops *ops;
	void *owner; /* role's object */
	const struct sl_carrier_ops *carrier_ops;
	void *carrier; /* NULL once gone */
	struct ppp_link *link;
	struct heap_node timer;
	uint32_t local_addr, peer_addr; /* host order */
	bool network_up;
	bool network6_up; /* IPv6CP opened, ops->network6_up called */
	bool routed;	  /* LNS: in addrmap + route */
	bool ended;
	struct session_link *next_dead;
	LIST_ENTRY(session_link) entry; /* roles->links */
	uint64_t spoofed;		/* IP packets dropped */
	struct sl_auth_guard *guard;	/* NULL: no backend */
};

/* conf: the role's link configuration, which the link holds a reference
 * to; lac: NULL, or the hooks of a LAC's front half (ppp_link_create). */
struct session_link *sl_new(struct roles *r,
    const struct sl_carrier_ops *carrier_ops, void *carrier,
    struct ppp_link_conf *conf, const struct ppp_link_lac_hooks *lac,
    const struct auth_backend *be, const struct sl_role_ops *ops, void *owner,
    uint64_t now);
/* The L2TP session under sl, or NULL (gone, or another carrier). */
struct l2tp_session *sl_l2tp_session(const struct session_link *sl);
/* Proxy LCP/authentication from an ICCN (before sl_start). */
void sl_set_proxy(struct session_link *sl, const struct l2tp_msg *iccn);
void sl_start(struct session_link *sl, uint64_t now);
/* A PPP frame arrived on the session. */
void sl_input(struct session_link *sl, const uint8_t *frame, size_t len,
    uint64_t now);
/* Headroom in front of an IPv4 packet that lets sl_send_ip() send it
 * without a copy over L2TP: the PPP header and the L2TP data header. */
#define SL_HEADROOM (PPP_LINK_HEADROOM + L2TP_DATA_HEADROOM)
/* An IPv4 packet for the peer (from a TUN), with `headroom` writable bytes
 * before it (SL_HEADROOM: no copy) in a buffer the caller keeps unchanged
 * until it returns to its event loop (the datagram may wait for a batched
 * send). */
int sl_send_ip(struct session_link *sl, uint8_t *pkt, size_t len,
    size_t headroom);
/* An IPv6 packet for the peer (copied into the frame). */
int sl_send_ipv6(struct session_link *sl, const uint8_t *pkt, size_t len);
/* Administrative close: LCP Terminate, then the carrier closes (CDN or
 * PADT) once the link is down. */
void sl_close(struct session_link *sl, const char *reason, uint64_t now);
/* The carrier is gone (CDN, tunnel down, PADT): end without PPP goodbye. */
void sl_carrier_gone(struct session_link *sl);

/* role_ops.session_data of the roles whose sessions carry a session_link
 * in their user pointer (LNS, client): the frame goes to PPP. */
void sl_session_data(struct roles *r, void *ctx, struct l2tp_session *s,
    const uint8_t *frame, size_t len, uint64_t now);
/* The PPP phase and address of sl (NULL: none) for `show sessions`: ours
 * (a client's) or the peer's (an LNS session's). */
void sl_describe(const struct session_link *sl, bool ours,
    struct roles_session_view *v);

/* Timer heap and deferred frees, owned by struct roles. */
void sl_run_timers(struct roles *r, uint64_t now);
uint64_t sl_next_deadline(const struct roles *r);
void sl_reap(struct roles *r);
void sl_free_all(struct roles *r);

#endif
