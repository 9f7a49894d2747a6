/*
 * vpdnd_io.h — the daemon's side of the roles' seam (roles/roles_io.h):
 * the real TUN devices (dataplane/tun.c), rtnetlink (dataplane/route.c),
 * PPPoE sockets (pppoe/pppoe_sock.c), the RADIUS client built from
 * [radius] (vpdnd_radius.c), the kernel fast path (vpdnd_fastpath.c), getaddrinfo, time(NULL) and libev watchers.
 * This and vpdnd.c are the only places where the roles' descriptors are
 * touched.
 */
#ifndef VPDN_CMD_VPDND_IO_H
#define VPDN_CMD_VPDND_IO_H

#include <stddef.h>
#include <stdint.h>

#include "l2tp/l2tp.h"
#include "roles/roles_io.h"

struct ev_loop;
struct radius_client;
struct vpdnd_fastpath;

struct vpdnd_io {
	struct ev_loop *loop;
	/* NULL without [radius]: the ops table then has no radius_send. */
	struct radius_client *radius;
	/* NULL without the kernel fast path: no fp_* operations. */
	struct vpdnd_fastpath *fp;
	/* The table the roles call (filled by vpdnd_io_roles_io). */
	struct roles_io_ops ops;
	/* The L2TP socket is vpdnd.c's (it traces every datagram). */
	void (*send)(void *arg, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	/* Data messages built in place (roles_io_ops.send_data): the
	 * daemon queues them while a watched descriptor's callback runs
	 * and sends the batch when it returns. */
	void (*send_data)(void *arg, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	/* Called before and after every watched descriptor's readable
	 * callback (the daemon batches data sends in between, then
	 * flushes them and re-arms its deadline timer). */
	void (*before)(void *arg);
	void (*after)(void *arg);
	void *arg;
};

/* The seam over vio (which must outlive the roles); family is the L2TP
 * socket's. */
void vpdnd_io_roles_io(struct vpdnd_io *vio, int family, struct roles_io *out);

#endif
