/*
 * role_ops.h — what each tunnel's owner (the LNS, the LAC, a client) does
 * with the l2tp_host's events.  Every tunnel's user pointer is the
 * role_owner of whoever opened it, so roles.c hands an event to its owner
 * without asking which role the tunnel plays: one pointer load per event,
 * none of them on the data path costs more than that.  Tunnels the host
 * accepts from peers carry no owner of their own (the host creates them
 * without asking us); they are the LNS's, and roles.c uses its owner.
 */
#ifndef VPDN_ROLES_ROLE_OPS_H
#define VPDN_ROLES_ROLE_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "l2tp/l2tp.h"

struct roles;
struct roles_session_view;

struct role_ops {
	/* now: the roles' clock at the event (the call into the roles that
	 * led the host to it).  ctx is role_owner.ctx: NULL when the owner object is already gone
	 * and the tunnel only waits for the host to let it go. */
	void (*tunnel_up)(struct roles *r, void *ctx, struct l2tp_tunnel *t,
	    uint64_t now);
	void (*tunnel_down)(struct roles *r, void *ctx, struct l2tp_tunnel *t,
	    uint64_t now);
	/* An incoming call on one of the owner's tunnels: 0 accepts, else
	 * the CDN result code (l2tp_host_ops.session_request). */
	int (*session_request)(struct roles *r, void *ctx,
	    struct l2tp_session *s, const struct l2tp_msg *req, uint64_t now);
	void (*session_up)(struct roles *r, void *ctx, struct l2tp_session *s,
	    const struct l2tp_msg *m, uint64_t now);
	void (*session_down)(struct roles *r, void *ctx, struct l2tp_session *s,
	    uint64_t now);
	void (*session_data)(struct roles *r, void *ctx, struct l2tp_session *s,
	    const uint8_t *frame, size_t len, uint64_t now);
	/* `vpdnctl show sessions`; v comes filled with the defaults. */
	void (*describe)(struct roles *r, void *ctx, struct l2tp_session *s,
	    struct roles_session_view *v);
};

/* Lives as long as the owner's object (embedded in it); the owner points
 * its tunnels elsewhere, or at a ctx-less owner, before freeing it. */
struct role_owner {
	const struct role_ops *ops;
	void *ctx;
};

/* lns.c: tunnels accepted from peers (struct roles holds the owner). */
extern const struct role_ops lns_role_ops;
/* lac_tunnel.c, client.c: tunnels they opened. */
extern const struct role_ops lac_role_ops;
extern const struct role_ops client_role_ops;

#endif
