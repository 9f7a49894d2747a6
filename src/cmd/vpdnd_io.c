/*
 * vpdnd_io.c — struct roles_io_ops over the real system (vpdnd_io.h).
 * Each operation is the dataplane/pppoe/radius function of the same name;
 * a watched descriptor is one ev_io whose callback reads the monotonic
 * clock once and hands it to the roles.
 */
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ev.h>

#include "cmd/vpdnd_fastpath.h"
#include "cmd/vpdnd_io.h"
#include "core/timeutil.h"
#include "dataplane/route.h"
#include "dataplane/tun.h"
#include "pppoe/pppoe_sock.h"
#include "radius/radius_client.h"

static void
io_send(void *ctx, const struct l2tp_addr *local, const struct l2tp_addr *peer,
    const uint8_t *pkt, size_t len)
{
	struct vpdnd_io *vio = ctx;

	vio->send(vio->arg, local, peer, pkt, len);
}

static void
io_send_data(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct vpdnd_io *vio = ctx;

	(vio->send_data != NULL ? vio->send_data : vio->send)(vio->arg, local,
	    peer, pkt, len);
}

/* A descriptor the roles watch (TUN devices, PPPoE sockets). */
struct io_watch {
	ev_io io;
	struct vpdnd_io *vio;
	roles_readable_fn *readable;
	void *arg;
};

static void
io_on_watch(struct ev_loop *loop, ev_io *w, int revents)
{
	struct io_watch *iw = (struct io_watch *)w;
	struct vpdnd_io *vio = iw->vio;

	(void)loop;
	(void)revents;
	if (vio->before != NULL)
		vio->before(vio->arg);
	iw->readable(iw->arg, time_now_ms());
	if (vio->after != NULL)
		vio->after(vio->arg);
}

static void *
io_watch(void *ctx, int fd, roles_readable_fn *readable, void *arg)
{
	struct vpdnd_io *vio = ctx;
	struct io_watch *iw = calloc(1, sizeof(*iw));

	if (iw == NULL)
		return NULL;
	iw->vio = vio;
	iw->readable = readable;
	iw->arg = arg;
	ev_io_init(&iw->io, io_on_watch, fd, EV_READ);
	ev_io_start(vio->loop, &iw->io);
	return iw;
}

static void
io_unwatch(void *ctx, void *handle)
{
	struct vpdnd_io *vio = ctx;
	struct io_watch *iw = handle;

	if (iw == NULL)
		return;
	ev_io_stop(vio->loop, &iw->io);
	free(iw);
}

static int64_t
io_wall_time(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

/* A name (not a literal) blocks in getaddrinfo() once per client dial and
 * once per LAC call; an operator who cannot afford that writes an
 * address. */
static int
io_resolve(void *ctx, int family, const struct cfg_hostport *hp,
    struct l2tp_addr *out, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char port[8];
	int rc;

	(void)ctx;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = family;
	if (hints.ai_family == AF_INET6)
		hints.ai_flags = AI_V4MAPPED | AI_ALL;
	snprintf(port, sizeof(port), "%u", hp->port);
	rc = getaddrinfo(hp->host, port, &hints, &res);
	if (rc != 0 || res == NULL) {
		snprintf(err, errlen, "cannot resolve LNS %s: %s", hp->host,
		    rc != 0 ? gai_strerror(rc) : "no address");
		if (res != NULL)
			freeaddrinfo(res);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int
io_tun_open(void *ctx, struct tun *t, const char *name)
{
	(void)ctx;
	return tun_open(t, name);
}

static void
io_tun_close(void *ctx, struct tun *t)
{
	(void)ctx;
	tun_close(t);
}

static int
io_tun_set_mtu(void *ctx, struct tun *t, unsigned mtu)
{
	(void)ctx;
	return tun_set_mtu(t, mtu);
}

static int
io_tun_set_up(void *ctx, struct tun *t)
{
	(void)ctx;
	return tun_set_up(t);
}

static int
io_tun_set_txqueuelen(void *ctx, struct tun *t, unsigned qlen)
{
	(void)ctx;
	return tun_set_txqueuelen(t, qlen);
}

static int
io_tun_kstats(void *ctx, const struct tun *t, struct tun_kstats *ks)
{
	(void)ctx;
	return tun_kstats(t, ks);
}

static int
io_tun_read_batch(void *ctx, struct tun *t, struct tun_pkt *pkts, unsigned n)
{
	(void)ctx;
	return tun_read_batch(t, pkts, n);
}

static int
io_tun_write(void *ctx, struct tun *t, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	return tun_write(t, pkt, len);
}

static int
io_route_open(void *ctx, struct route_ctx *rt)
{
	(void)ctx;
	return route_open(rt);
}

static void
io_route_close(void *ctx, struct route_ctx *rt)
{
	(void)ctx;
	route_close(rt);
}

static int
io_addr_add(void *ctx, struct route_ctx *rt, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen)
{
	(void)ctx;
	return route_addr_add(rt, ifindex, local, peer, plen);
}

static int
io_addr_del(void *ctx, struct route_ctx *rt, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen)
{
	(void)ctx;
	return route_addr_del(rt, ifindex, local, peer, plen);
}

static int
io_route_add(void *ctx, struct route_ctx *rt, int ifindex, uint32_t dst,
    unsigned plen, uint32_t gw, unsigned mtu)
{
	(void)ctx;
	return route_add_mtu(rt, ifindex, dst, plen, gw, mtu);
}

static int
io_route_del(void *ctx, struct route_ctx *rt, int ifindex, uint32_t dst,
    unsigned plen, uint32_t gw)
{
	(void)ctx;
	return route_del(rt, ifindex, dst, plen, gw);
}

static int
io_route_add_host(void *ctx, struct route_ctx *rt, int ifindex, uint32_t dst,
    uint32_t gw, uint32_t prefsrc)
{
	(void)ctx;
	return route_add_host(rt, ifindex, dst, gw, prefsrc);
}

static int
io_route_get(void *ctx, struct route_ctx *rt, uint32_t addr,
    struct route_lookup *out)
{
	(void)ctx;
	return route_get(rt, addr, out);
}

static int
io_link_set(void *ctx, struct route_ctx *rt, int ifindex, bool up, unsigned mtu)
{
	(void)ctx;
	return route_link_set(rt, ifindex, up, mtu);
}

static int
io_route6_add(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t dst[16], unsigned plen)
{
	(void)ctx;
	return route6_add(rt, ifindex, dst, plen);
}

static int
io_route6_del(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t dst[16], unsigned plen)
{
	(void)ctx;
	return route6_del(rt, ifindex, dst, plen);
}

static int
io_addr6_add(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t addr[16], unsigned plen)
{
	(void)ctx;
	return route6_addr_add(rt, ifindex, addr, plen);
}

static int
io_addr6_del(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t addr[16], unsigned plen)
{
	(void)ctx;
	return route6_addr_del(rt, ifindex, addr, plen);
}

static int
io_if_index(void *ctx, const char *name)
{
	(void)ctx;
	return (int)if_nametoindex(name);
}

static int
io_pppoe_open(void *ctx, struct pppoe_sock *s, const char *ifname)
{
	(void)ctx;
	return pppoe_sock_open(s, ifname);
}

static void
io_pppoe_close(void *ctx, struct pppoe_sock *s)
{
	(void)ctx;
	pppoe_sock_close(s);
}

static unsigned
io_pppoe_drain(void *ctx, struct pppoe_sock *s, int fd, uint8_t *buf,
    size_t cap, unsigned max, pppoe_sock_frame_fn *fn, void *arg)
{
	(void)ctx;
	return pppoe_sock_drain(s, fd, buf, cap, max, fn, arg);
}

static int
io_pppoe_send(void *ctx, struct pppoe_sock *s, const uint8_t *frame, size_t len)
{
	(void)ctx;
	return pppoe_sock_send(s, frame, len);
}

static uint64_t
io_radius_send(void *ctx, const struct radius_packet *tmpl,
    const uint8_t *password, size_t pwlen, radius_reply_fn *cb, void *arg)
{
	struct vpdnd_io *vio = ctx;

	return radius_client_send(vio->radius, tmpl, password, pwlen, cb, arg);
}

static void *
io_radius_cancel(void *ctx, uint64_t handle)
{
	struct vpdnd_io *vio = ctx;

	return radius_client_cancel(vio->radius, handle);
}

static unsigned
io_radius_pending(void *ctx)
{
	struct vpdnd_io *vio = ctx;

	return radius_client_pending(vio->radius);
}

static int
io_fp_session_add(void *ctx, const struct fastpath_session *s, int l2tp_ifindex,
    int tun_ifindex, char *why, size_t whylen)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_add(vio->fp, s, l2tp_ifindex, tun_ifindex, why,
	    whylen);
}

static int
io_fp_session_update(void *ctx, const struct fastpath_session *s, char *why,
    size_t whylen)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_update(vio->fp, s, why, whylen);
}

static int
io_fp_session_remove(void *ctx, const struct fastpath_session *s,
    struct fastpath_counters *final, char *why, size_t whylen)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_remove(vio->fp, s, final, why, whylen);
}

static int
io_fp_session_stats(void *ctx, uint16_t tunnel_id, uint16_t session_id,
    struct fastpath_counters *c)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_stats(vio->fp, tunnel_id, session_id, c);
}

static int
io_fp_lac_add(void *ctx, const struct lac_fastpath_call *c, int l2tp_ifindex,
    char *why, size_t whylen)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_lac_add(vio->fp, c, l2tp_ifindex, why, whylen);
}

static int
io_fp_lac_remove(void *ctx, const struct lac_fastpath_call *c,
    struct fastpath_counters *final, char *why, size_t whylen)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_lac_remove(vio->fp, c, final, why, whylen);
}

static int
io_fp_lac_stats(void *ctx, uint16_t tunnel_id, uint16_t session_id,
    struct fastpath_counters *c)
{
	struct vpdnd_io *vio = ctx;

	return vpdnd_fastpath_lac_stats(vio->fp, tunnel_id, session_id, c);
}

static const struct roles_io_ops vpdnd_io_ops = {
	.send = io_send,
	.send_data = io_send_data,
	.watch = io_watch,
	.unwatch = io_unwatch,
	.wall_time = io_wall_time,
	.resolve = io_resolve,
	.tun_open = io_tun_open,
	.tun_close = io_tun_close,
	.tun_set_mtu = io_tun_set_mtu,
	.tun_set_up = io_tun_set_up,
	.tun_set_txqueuelen = io_tun_set_txqueuelen,
	.tun_kstats = io_tun_kstats,
	.tun_read_batch = io_tun_read_batch,
	.tun_write = io_tun_write,
	.route_open = io_route_open,
	.route_close = io_route_close,
	.addr_add = io_addr_add,
	.addr_del = io_addr_del,
	.route_add = io_route_add,
	.route_del = io_route_del,
	.route_add_host = io_route_add_host,
	.route_get = io_route_get,
	.link_set = io_link_set,
	.route6_add = io_route6_add,
	.route6_del = io_route6_del,
	.addr6_add = io_addr6_add,
	.addr6_del = io_addr6_del,
	.if_index = io_if_index,
	.pppoe_open = io_pppoe_open,
	.pppoe_close = io_pppoe_close,
	.pppoe_drain = io_pppoe_drain,
	.pppoe_send = io_pppoe_send,
	.radius_send = io_radius_send,
	.radius_cancel = io_radius_cancel,
	.radius_pending = io_radius_pending,
	.fp_session_add = io_fp_session_add,
	.fp_session_update = io_fp_session_update,
	.fp_session_remove = io_fp_session_remove,
	.fp_session_stats = io_fp_session_stats,
	.fp_lac_add = io_fp_lac_add,
	.fp_lac_remove = io_fp_lac_remove,
	.fp_lac_stats = io_fp_lac_stats,
};

/* A NULL radius_send tells the roles there is no RADIUS client, a NULL
 * fp_session_add that there is no fast path (roles_io.h). */
void
vpdnd_io_roles_io(struct vpdnd_io *vio, int family, struct roles_io *out)
{
	vio->ops = vpdnd_io_ops;
	if (vio->radius == NULL) {
		vio->ops.radius_send = NULL;
		vio->ops.radius_cancel = NULL;
		vio->ops.radius_pending = NULL;
	}
	if (vio->fp == NULL) {
		vio->ops.fp_session_add = NULL;
		vio->ops.fp_session_update = NULL;
		vio->ops.fp_session_remove = NULL;
		vio->ops.fp_session_stats = NULL;
	}
	if (!vpdnd_fastpath_has_lac(vio->fp)) {
		vio->ops.fp_lac_add = NULL;
		vio->ops.fp_lac_remove = NULL;
		vio->ops.fp_lac_stats = NULL;
	}
	out->ops = &vio->ops;
	out->ctx = vio;
	out->family = family;
}
