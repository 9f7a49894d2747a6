/*
 * fake_io.c — the recorder fake_io.h describes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "fake_io.h"
#include "radius/radius_attr_table.h"

/* ---- the loop ---- */

static void
fio_send(void *ctx, const struct l2tp_addr *local, const struct l2tp_addr *peer,
    const uint8_t *pkt, size_t len)
{
	struct fake_io *f = ctx;

	if (f->send != NULL)
		f->send(f->send_arg, local, peer, pkt, len);
}

static void *
fio_watch(void *ctx, int fd, roles_readable_fn *readable, void *arg)
{
	struct fake_io *f = ctx;
	int i = fd - FAKE_FD_TUN;

	/* Only the fake's own descriptors exist. */
	if (i < 0 || i >= FAKE_FD_COUNT)
		return NULL;
	f->watch[i].readable = readable;
	f->watch[i].arg = arg;
	return &f->watch[i];
}

static void
fio_unwatch(void *ctx, void *handle)
{
	struct fake_watch *w = handle;

	(void)ctx;
	if (w != NULL)
		w->readable = NULL;
}

bool
fake_io_readable(struct fake_io *f, int fd, uint64_t now)
{
	int i = fd - FAKE_FD_TUN;

	if (i < 0 || i >= FAKE_FD_COUNT || f->watch[i].readable == NULL)
		return false;
	f->watch[i].readable(f->watch[i].arg, now);
	return true;
}

/* ---- clocks and names ---- */

static int64_t
fio_wall_time(void *ctx)
{
	const struct fake_io *f = ctx;

	return f->wall;
}

static int
fio_resolve(void *ctx, int family, const struct cfg_hostport *hp,
    struct l2tp_addr *out, char *err, size_t errlen)
{
	struct in_addr a4;

	(void)ctx;
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, hp->host, &a4) == 1 && family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&out->ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = a4;
		sin->sin_port = htons((uint16_t)hp->port);
		out->len = sizeof(*sin);
		return 0;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->ss;

		/* As getaddrinfo with AI_V4MAPPED: an IPv4 literal too. */
		if (inet_pton(AF_INET6, hp->host, &sin6->sin6_addr) == 1 ||
		    (inet_pton(AF_INET, hp->host, &a4) == 1 &&
			(memset(&sin6->sin6_addr, 0, 10),
			    memset(sin6->sin6_addr.s6_addr + 10, 0xff, 2),
			    memcpy(sin6->sin6_addr.s6_addr + 12, &a4, 4),
			    true))) {
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)hp->port);
			out->len = sizeof(*sin6);
			return 0;
		}
	}
	snprintf(err, errlen,
	    "cannot resolve LNS %s: not a literal "
	    "(fake_io)",
	    hp->host);
	return -1;
}

/* ---- TUN ---- */

bool
fake_tun_push(struct fake_io *f, const uint8_t *pkt, size_t len)
{
	unsigned i;

	if (f->tunq.count == FAKE_TUN_QUEUE || len > FAKE_TUN_PKT)
		return false;
	i = (f->tunq.head + f->tunq.count++) % FAKE_TUN_QUEUE;
	memcpy(f->tunq.pkt[i], pkt, len);
	f->tunq.len[i] = len;
	return true;
}

static int
fio_tun_open(void *ctx, struct tun *t, const char *name)
{
	struct fake_io *f = ctx;

	memset(t, 0, sizeof(*t));
	t->fd = FAKE_FD_TUN;
	t->ifindex = FAKE_TUN_IFINDEX;
	strlcpy(t->name, name != NULL && *name ? name : "tun0",
	    sizeof(t->name));
	f->tun_opens++;
	strlcpy(f->tun_name, t->name, sizeof(f->tun_name));
	return 0;
}

static void
fio_tun_close(void *ctx, struct tun *t)
{
	struct fake_io *f = ctx;

	/* The device goes, and the kernel takes its routes with it. */
	for (unsigned i = 0; i < f->nroutes;)
		if (f->routes[i].ifindex == t->ifindex)
			f->routes[i] = f->routes[--f->nroutes];
		else
			i++;
	f->tun_closes++;
	t->fd = -1;
}

static int
fio_tun_set_mtu(void *ctx, struct tun *t, unsigned mtu)
{
	(void)ctx;
	(void)t;
	(void)mtu;
	return 0;
}

static int
fio_tun_set_up(void *ctx, struct tun *t)
{
	(void)ctx;
	(void)t;
	return 0;
}

static int
fio_tun_set_txqueuelen(void *ctx, struct tun *t, unsigned qlen)
{
	(void)ctx;
	(void)t;
	(void)qlen;
	return 0;
}

/* A device the kernel never dropped a packet of. */
static int
fio_tun_kstats(void *ctx, const struct tun *t, struct tun_kstats *ks)
{
	(void)ctx;
	memset(ks, 0, sizeof(*ks));
	return t->fd >= 0 ? 0 : -1;
}

static int
fio_tun_read_batch(void *ctx, struct tun *t, struct tun_pkt *pkts, unsigned n)
{
	struct fake_io *f = ctx;
	unsigned i;

	for (i = 0; i < n && f->tunq.count > 0; i++) {
		size_t len = f->tunq.len[f->tunq.head];

		if (len > pkts[i].cap)
			len = pkts[i].cap;
		memcpy(pkts[i].buf, f->tunq.pkt[f->tunq.head], len);
		pkts[i].len = len;
		f->tunq.head = (f->tunq.head + 1) % FAKE_TUN_QUEUE;
		f->tunq.count--;
		t->rx_packets++;
		t->rx_bytes += len;
	}
	return (int)i;
}

static int
fio_tun_write(void *ctx, struct tun *t, const uint8_t *pkt, size_t len)
{
	struct fake_io *f = ctx;

	t->tx_packets++;
	t->tx_bytes += len;
	f->tun_written++;
	f->tun_last_len = len < sizeof(f->tun_last) ? len : sizeof(f->tun_last);
	memcpy(f->tun_last, pkt, f->tun_last_len);
	return 0;
}

/* ---- rtnetlink ---- */

static int
fio_route_open(void *ctx, struct route_ctx *rt)
{
	memset(rt, 0, sizeof(*rt));
	/* Only compared with NULL by its owner. */
	rt->nl = ctx;
	return 0;
}

static void
fio_route_close(void *ctx, struct route_ctx *rt)
{
	(void)ctx;
	rt->nl = NULL;
}

static int
route_fail(struct route_ctx *rt, const char *what, int e)
{
	(void)snprintf(rt->err, sizeof(rt->err), "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

static int
fio_addr_add(void *ctx, struct route_ctx *rt, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen)
{
	struct fake_io *f = ctx;

	(void)rt;
	(void)plen;
	f->addr_adds++;
	f->addr_ifindex = ifindex;
	f->addr_local = local;
	f->addr_peer = peer;
	return 0;
}

static int
fio_addr_del(void *ctx, struct route_ctx *rt, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen)
{
	(void)ctx;
	(void)rt;
	(void)ifindex;
	(void)local;
	(void)peer;
	(void)plen;
	return 0;
}

static int
route_index(const struct fake_io *f, int ifindex, uint32_t dst, unsigned plen)
{
	for (unsigned i = 0; i < f->nroutes; i++)
		if (f->routes[i].ifindex == ifindex &&
		    f->routes[i].dst == dst && f->routes[i].plen == plen)
			return (int)i;
	return -1;
}

const struct fake_route *
fake_route_find(const struct fake_io *f, int ifindex, uint32_t dst,
    unsigned plen)
{
	int i = route_index(f, ifindex, dst, plen);

	return i >= 0 ? &f->routes[i] : NULL;
}

static int
fio_route_add(void *ctx, struct route_ctx *rt, int ifindex, uint32_t dst,
    unsigned plen, uint32_t gw, unsigned mtu)
{
	struct fake_io *f = ctx;

	(void)mtu;
	if (route_index(f, ifindex, dst, plen) >= 0)
		return route_fail(rt, "RTM_NEWROUTE", EEXIST);
	if (f->nroutes == FAKE_ROUTES)
		return route_fail(rt, "RTM_NEWROUTE", ENOBUFS);
	f->routes[f->nroutes].ifindex = ifindex;
	f->routes[f->nroutes].dst = dst;
	f->routes[f->nroutes].plen = plen;
	f->routes[f->nroutes].gw = gw;
	f->nroutes++;
	return 0;
}

bool
fake_route_preset(struct fake_io *f, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw)
{
	struct route_ctx rt;

	memset(&rt, 0, sizeof(rt));
	return fio_route_add(f, &rt, ifindex, dst, plen, gw, 0) == 0;
}

static int
fio_route_add_host(void *ctx, struct route_ctx *rt, int ifindex, uint32_t dst,
    uint32_t gw, uint32_t prefsrc)
{
	(void)prefsrc;
	return fio_route_add(ctx, rt, ifindex, dst, 32, gw, 0);
}

static int
fio_route_del(void *ctx, struct route_ctx *rt, int ifindex, uint32_t dst,
    unsigned plen, uint32_t gw)
{
	struct fake_io *f = ctx;
	int i = route_index(f, ifindex, dst, plen);

	(void)gw;
	if (i < 0)
		return route_fail(rt, "RTM_DELROUTE", ESRCH);
	f->routes[i] = f->routes[--f->nroutes];
	return 0;
}

/* The main table's answer (RTM_GETROUTE): the longest prefix covering
 * addr, as a unicast route; nothing in an empty table. */
static int
fio_route_get(void *ctx, struct route_ctx *rt, uint32_t addr,
    struct route_lookup *out)
{
	const struct fake_io *f = ctx;
	const struct fake_route *best = NULL;

	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < f->nroutes; i++) {
		const struct fake_route *r = &f->routes[i];
		uint32_t mask = r->plen == 0 ? 0 :
					       ~(uint32_t)0 << (32 - r->plen);

		if ((addr & mask) == (r->dst & mask) &&
		    (best == NULL || r->plen > best->plen))
			best = r;
	}
	if (best == NULL)
		return route_fail(rt, "RTM_GETROUTE", ENETUNREACH);
	out->dst = best->dst;
	out->plen = best->plen;
	out->gw = best->gw;
	out->ifindex = best->ifindex;
	out->type = RTN_UNICAST;
	out->table = RT_TABLE_MAIN;
	return 0;
}

static int
fio_link_set(void *ctx, struct route_ctx *rt, int ifindex, bool up,
    unsigned mtu)
{
	(void)ctx;
	(void)rt;
	(void)ifindex;
	(void)up;
	(void)mtu;
	return 0;
}

/* IPv6 routes in their own table: what the roles routed, by prefix. */
static int
route6_index(const struct fake_io *f, int ifindex, const uint8_t dst[16],
    unsigned plen)
{
	for (unsigned i = 0; i < f->nroutes6; i++)
		if (f->routes6[i].ifindex == ifindex &&
		    f->routes6[i].plen == plen &&
		    memcmp(f->routes6[i].dst, dst, 16) == 0)
			return (int)i;
	return -1;
}

static int
fio_route6_add(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t dst[16], unsigned plen)
{
	struct fake_io *f = ctx;

	if (route6_index(f, ifindex, dst, plen) >= 0)
		return route_fail(rt, "RTM_NEWROUTE", EEXIST);
	if (f->nroutes6 == FAKE_ROUTES)
		return route_fail(rt, "RTM_NEWROUTE", ENOBUFS);
	f->routes6[f->nroutes6].ifindex = ifindex;
	memcpy(f->routes6[f->nroutes6].dst, dst, 16);
	f->routes6[f->nroutes6].plen = plen;
	f->nroutes6++;
	return 0;
}

static int
fio_route6_del(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t dst[16], unsigned plen)
{
	struct fake_io *f = ctx;
	int i = route6_index(f, ifindex, dst, plen);

	if (i < 0)
		return route_fail(rt, "RTM_DELROUTE", ESRCH);
	f->routes6[i] = f->routes6[--f->nroutes6];
	return 0;
}

static int
fio_addr6_add(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t addr[16], unsigned plen)
{
	struct fake_io *f = ctx;

	(void)rt;
	(void)plen;
	f->addr6_adds++;
	f->addr6_ifindex = ifindex;
	memcpy(f->addr6, addr, 16);
	return 0;
}

static int
fio_addr6_del(void *ctx, struct route_ctx *rt, int ifindex,
    const uint8_t addr[16], unsigned plen)
{
	struct fake_io *f = ctx;

	(void)rt;
	(void)plen;
	f->addr6_dels++;
	f->addr6_del_ifindex = ifindex;
	memcpy(f->addr6_del, addr, 16);
	return 0;
}

static int
fio_if_index(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, FAKE_LAN_NAME) == 0 ? FAKE_LAN_IFINDEX : 0;
}

/* ---- PPPoE (AF_PACKET) ---- */

bool
fake_pppoe_push(struct fake_io *f, const uint8_t *frame, size_t len)
{
	unsigned q, i;

	if (len < 14 || len > FAKE_PPPOE_FRAME)
		return false;
	q = frame[12] == 0x88 && frame[13] == 0x64 ? 1 : 0;
	if (f->pppoeq[q].count == FAKE_PPPOE_QUEUE)
		return false;
	i = (f->pppoeq[q].head + f->pppoeq[q].count++) % FAKE_PPPOE_QUEUE;
	memcpy(f->pppoeq[q].frame[i], frame, len);
	f->pppoeq[q].len[i] = len;
	return true;
}

static int
fio_pppoe_open(void *ctx, struct pppoe_sock *s, const char *ifname)
{
	static const uint8_t mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };

	(void)ctx;
	memset(s, 0, sizeof(*s));
	s->fd_disc = FAKE_FD_PPPOE_DISC;
	s->fd_ses = FAKE_FD_PPPOE_SES;
	s->ifindex = FAKE_PPPOE_IFINDEX;
	s->mtu = 1500;
	memcpy(s->mac, mac, sizeof(mac));
	strlcpy(s->ifname, ifname, sizeof(s->ifname));
	return 0;
}

static void
fio_pppoe_close(void *ctx, struct pppoe_sock *s)
{
	(void)ctx;
	s->fd_disc = s->fd_ses = -1;
}

/* pppoe_sock_drain's contract: a frame too big for buf is an error
 * (EMSGSIZE, counted) and reading goes on. */
static unsigned
fio_pppoe_drain(void *ctx, struct pppoe_sock *s, int fd, uint8_t *buf,
    size_t cap, unsigned max, pppoe_sock_frame_fn *fn, void *arg)
{
	struct fake_io *f = ctx;
	unsigned q = fd == s->fd_ses ? 1 : 0;
	unsigned errors = 0;

	for (unsigned i = 0; i < max && f->pppoeq[q].count > 0; i++) {
		size_t n = f->pppoeq[q].len[f->pppoeq[q].head];
		bool big = n > cap;

		if (!big)
			memcpy(buf, f->pppoeq[q].frame[f->pppoeq[q].head], n);
		f->pppoeq[q].head = (f->pppoeq[q].head + 1) % FAKE_PPPOE_QUEUE;
		f->pppoeq[q].count--;
		if (big) {
			errno = EMSGSIZE;
			errors++;
			continue;
		}
		if (!fn(arg, buf, n))
			break;
	}
	return errors;
}

static int
fio_pppoe_send(void *ctx, struct pppoe_sock *s, const uint8_t *frame,
    size_t len)
{
	struct fake_io *f = ctx;

	(void)s;
	if (f->pppoe_sent != NULL)
		f->pppoe_sent(f->pppoe_sent_arg, frame, len);
	return 0;
}

/* ---- RADIUS ---- */

static int
acct_index(const struct fake_io *f, const char *id)
{
	for (unsigned i = 0; i < f->nacct; i++)
		if (strcmp(f->acct[i].id, id) == 0)
			return (int)i;
	return -1;
}

static void
acct_record(struct fake_io *f, const struct radius_packet *p)
{
	struct fake_acct a;
	uint32_t status;
	int i;

	memset(&a, 0, sizeof(a));
	if (radius_get_u32(p, RADIUS_ATTR_ACCT_STATUS_TYPE, &status) !=
	    RADIUS_OK)
		return;
	if (radius_get_string(p, RADIUS_ATTR_ACCT_SESSION_ID, a.id,
		sizeof(a.id)) != RADIUS_OK)
		return; /* Accounting-On/Off */
	(void)radius_get_ipv4(p, RADIUS_ATTR_FRAMED_IP_ADDRESS, &a.framed_ip);
	i = acct_index(f, a.id);
	switch (status) {
	case RADIUS_ACCT_STATUS_START:
		f->acct_starts++;
		if (i >= 0)
			f->acct_error = "second accounting Start for one "
					"session";
		else if (f->nacct < FAKE_ACCT)
			f->acct[f->nacct++] = a;
		break;
	case RADIUS_ACCT_STATUS_STOP:
		f->acct_stops++;
		if (i < 0)
			f->acct_error = "accounting Stop without a Start";
		else
			f->acct[i] = f->acct[--f->nacct];
		break;
	case RADIUS_ACCT_STATUS_INTERIM:
		if (i < 0)
			f->acct_error = "accounting Interim-Update without "
					"a Start";
		break;
	default:
		break;
	}
}

static struct fake_radius_req *
req_of(struct fake_io *f, uint64_t handle)
{
	for (unsigned i = 0; i < FAKE_RADIUS; i++)
		if (handle != 0 && f->radius[i].handle == handle)
			return &f->radius[i];
	return NULL;
}

static void
req_close(struct fake_radius_req *q)
{
	free(q->pkt);
	explicit_bzero(q, sizeof(*q));
}

static uint64_t
fio_radius_send(void *ctx, const struct radius_packet *tmpl,
    const uint8_t *password, size_t pwlen, radius_reply_fn *cb, void *arg)
{
	struct fake_io *f = ctx;
	struct fake_radius_req *q = req_of(f, 0);

	if (radius_code(tmpl) == RADIUS_CODE_ACCOUNTING_REQUEST)
		acct_record(f, tmpl);
	for (unsigned i = 0; i < FAKE_RADIUS && q == NULL; i++)
		if (f->radius[i].handle == 0)
			q = &f->radius[i];
	if (q == NULL || pwlen > sizeof(q->password) ||
	    (q->pkt = malloc(sizeof(*q->pkt))) == NULL)
		return 0; /* as a client out of Identifiers */
	*q->pkt = *tmpl;
	q->handle = ++f->radius_next;
	q->code = radius_code(tmpl);
	if (pwlen > 0)
		memcpy(q->password, password, pwlen);
	q->pwlen = pwlen;
	q->cb = cb;
	q->arg = arg;
	f->radius_sent++;
	return q->handle;
}

static void *
fio_radius_cancel(void *ctx, uint64_t handle)
{
	struct fake_radius_req *q = req_of(ctx, handle);
	void *arg;

	if (q == NULL)
		return NULL;
	arg = q->arg;
	req_close(q);
	return arg;
}

static unsigned
fio_radius_pending(void *ctx)
{
	return fake_radius_open(ctx);
}

unsigned
fake_radius_open(const struct fake_io *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < FAKE_RADIUS; i++)
		n += f->radius[i].handle != 0;
	return n;
}

struct fake_radius_req *
fake_radius_find(struct fake_io *f, uint8_t code)
{
	struct fake_radius_req *best = NULL;

	for (unsigned i = 0; i < FAKE_RADIUS; i++)
		if (f->radius[i].handle != 0 && f->radius[i].code == code &&
		    (best == NULL || f->radius[i].handle < best->handle))
			best = &f->radius[i];
	return best;
}

static void
radius_finish(struct fake_radius_req *q, enum radius_status st,
    const struct radius_packet *reply, const char *secret, uint64_t now)
{
	static const uint8_t zero_auth[RADIUS_AUTH_LEN];
	struct radius_reply rep;
	radius_reply_fn *cb = q->cb;
	void *arg = q->arg;

	req_close(q);
	memset(&rep, 0, sizeof(rep));
	rep.status = st;
	rep.pkt = reply;
	/* The template's authenticator is all zeros (radius_packet_init). */
	rep.req_auth = zero_auth;
	rep.secret = secret;
	rep.now = now;
	cb(arg, &rep);
}

void
fake_radius_answer(struct fake_io *f, struct fake_radius_req *req,
    const struct radius_packet *reply, const char *secret, uint64_t now)
{
	(void)f;
	radius_finish(req, RADIUS_STATUS_REPLY, reply, secret, now);
}

void
fake_radius_timeout(struct fake_io *f, struct fake_radius_req *req,
    uint64_t now)
{
	(void)f;
	radius_finish(req, RADIUS_STATUS_TIMEOUT, NULL, "", now);
}

/* ---- the kernel fast path ---- */

struct fake_fp_entry *
fake_fp_find(struct fake_io *f, uint16_t tunnel_id, uint16_t session_id)
{
	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		if (f->fp[i].used && f->fp[i].s.our_tunnel_id == tunnel_id &&
		    f->fp[i].s.our_session_id == session_id)
			return &f->fp[i];
	return NULL;
}

unsigned
fake_fp_count(const struct fake_io *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		n += f->fp[i].used;
	return n;
}

/* As the loader: the same IDs or inner address twice is refused. */
static int
fio_fp_session_add(void *ctx, const struct fastpath_session *s,
    int l2tp_ifindex, int tun_ifindex, char *why, size_t whylen)
{
	struct fake_io *f = ctx;
	struct fake_fp_entry *free_slot = NULL;

	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++) {
		struct fake_fp_entry *e = &f->fp[i];

		if (!e->used) {
			if (free_slot == NULL)
				free_slot = e;
			continue;
		}
		if ((e->s.our_tunnel_id == s->our_tunnel_id &&
			e->s.our_session_id == s->our_session_id) ||
		    e->s.inner_addr.s_addr == s->inner_addr.s_addr) {
			snprintf(why, whylen, "fake fast path: already there");
			return -1;
		}
	}
	if (f->fp_refuse || free_slot == NULL) {
		snprintf(why, whylen, "fake fast path: refused");
		return -1;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->s = *s;
	free_slot->l2tp_ifindex = l2tp_ifindex;
	free_slot->tun_ifindex = tun_ifindex;
	f->fp_adds++;
	return 0;
}

static int
fio_fp_session_update(void *ctx, const struct fastpath_session *s, char *why,
    size_t whylen)
{
	struct fake_io *f = ctx;
	struct fake_fp_entry *e = fake_fp_find(f, s->our_tunnel_id,
	    s->our_session_id);

	if (e == NULL) {
		snprintf(why, whylen, "fake fast path: no such session");
		return -1;
	}
	e->s = *s;
	f->fp_updates++;
	return 0;
}

static int
fio_fp_session_remove(void *ctx, const struct fastpath_session *s,
    struct fastpath_counters *final, char *why, size_t whylen)
{
	struct fake_io *f = ctx;
	struct fake_fp_entry *e = fake_fp_find(f, s->our_tunnel_id,
	    s->our_session_id);

	if (e == NULL) {
		snprintf(why, whylen, "fake fast path: no such session");
		return -1;
	}
	*final = e->c;
	e->used = false;
	f->fp_removes++;
	if (f->fp_removed != NULL)
		f->fp_removed(f->fp_removed_arg, s, final);
	return 0;
}

static int
fio_fp_session_stats(void *ctx, uint16_t tunnel_id, uint16_t session_id,
    struct fastpath_counters *c)
{
	struct fake_fp_entry *e = fake_fp_find(ctx, tunnel_id, session_id);

	if (e == NULL)
		return -1;
	*c = e->c;
	return 0;
}

/* ---- the LAC's kernel fast path ---- */

struct fake_lac_fp_entry *
fake_lac_fp_find(struct fake_io *f, uint16_t tunnel_id, uint16_t session_id)
{
	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		if (f->lac_fp[i].used &&
		    f->lac_fp[i].c.our_tunnel_id == tunnel_id &&
		    f->lac_fp[i].c.our_session_id == session_id)
			return &f->lac_fp[i];
	return NULL;
}

unsigned
fake_lac_fp_count(const struct fake_io *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		n += f->lac_fp[i].used;
	return n;
}

/* As the loader: the same IDs, or PPPoE session and MAC, twice is
 * refused. */
static int
fio_fp_lac_add(void *ctx, const struct lac_fastpath_call *c, int l2tp_ifindex,
    char *why, size_t whylen)
{
	struct fake_io *f = ctx;
	struct fake_lac_fp_entry *free_slot = NULL;

	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++) {
		struct fake_lac_fp_entry *e = &f->lac_fp[i];

		if (!e->used) {
			if (free_slot == NULL)
				free_slot = e;
			continue;
		}
		if ((e->c.our_tunnel_id == c->our_tunnel_id &&
			e->c.our_session_id == c->our_session_id) ||
		    (e->c.pppoe_sid == c->pppoe_sid &&
			memcmp(e->c.user_mac, c->user_mac, 6) == 0)) {
			snprintf(why, whylen, "fake fast path: already there");
			return -1;
		}
	}
	if (f->fp_refuse || free_slot == NULL) {
		snprintf(why, whylen, "fake fast path: refused");
		return -1;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->c = *c;
	free_slot->l2tp_ifindex = l2tp_ifindex;
	f->lac_fp_adds++;
	return 0;
}

static int
fio_fp_lac_remove(void *ctx, const struct lac_fastpath_call *c,
    struct fastpath_counters *final, char *why, size_t whylen)
{
	struct fake_io *f = ctx;
	struct fake_lac_fp_entry *e = fake_lac_fp_find(f, c->our_tunnel_id,
	    c->our_session_id);

	if (e == NULL) {
		snprintf(why, whylen, "fake fast path: no such call");
		return -1;
	}
	*final = e->ctr;
	e->used = false;
	f->lac_fp_removes++;
	f->lac_fp_stops_at_remove = f->acct_stops;
	return 0;
}

static int
fio_fp_lac_stats(void *ctx, uint16_t tunnel_id, uint16_t session_id,
    struct fastpath_counters *c)
{
	struct fake_lac_fp_entry *e = fake_lac_fp_find(ctx, tunnel_id,
	    session_id);

	if (e == NULL)
		return -1;
	*c = e->ctr;
	return 0;
}

/* ---- the table ---- */

#define FAKE_IO_OPS(radius_send_, radius_cancel_, radius_pending_) \
	{ \
		.send = fio_send, .watch = fio_watch, .unwatch = fio_unwatch, \
		.wall_time = fio_wall_time, .resolve = fio_resolve, \
		.tun_open = fio_tun_open, .tun_close = fio_tun_close, \
		.tun_set_mtu = fio_tun_set_mtu, .tun_set_up = fio_tun_set_up, \
		.tun_set_txqueuelen = fio_tun_set_txqueuelen, \
		.tun_kstats = fio_tun_kstats, \
		.tun_read_batch = fio_tun_read_batch, \
		.tun_write = fio_tun_write, .route_open = fio_route_open, \
		.route_close = fio_route_close, .addr_add = fio_addr_add, \
		.addr_del = fio_addr_del, .route_add = fio_route_add, \
		.route_del = fio_route_del, \
		.route_add_host = fio_route_add_host, \
		.route_get = fio_route_get, .link_set = fio_link_set, \
		.route6_add = fio_route6_add, .route6_del = fio_route6_del, \
		.addr6_add = fio_addr6_add, .addr6_del = fio_addr6_del, \
		.if_index = fio_if_index, .pppoe_open = fio_pppoe_open, \
		.pppoe_close = fio_pppoe_close, \
		.pppoe_drain = fio_pppoe_drain, .pppoe_send = fio_pppoe_send, \
		.radius_send = (radius_send_), \
		.radius_cancel = (radius_cancel_), \
		.radius_pending = (radius_pending_), \
		.fp_session_add = fio_fp_session_add, \
		.fp_session_update = fio_fp_session_update, \
		.fp_session_remove = fio_fp_session_remove, \
		.fp_session_stats = fio_fp_session_stats, \
		.fp_lac_add = fio_fp_lac_add, \
		.fp_lac_remove = fio_fp_lac_remove, \
		.fp_lac_stats = fio_fp_lac_stats, \
	}

static const struct roles_io_ops fake_io_ops_radius =
    FAKE_IO_OPS(fio_radius_send, fio_radius_cancel, fio_radius_pending);
static const struct roles_io_ops fake_io_ops_plain = FAKE_IO_OPS(NULL, NULL,
    NULL);

void
fake_io_init(struct fake_io *f)
{
	memset(f, 0, sizeof(*f));
	f->wall = 1700000000;
}

void
fake_io_release(struct fake_io *f)
{
	for (unsigned i = 0; i < FAKE_RADIUS; i++)
		if (f->radius[i].handle != 0)
			req_close(&f->radius[i]);
}

void
fake_io_roles_io(struct fake_io *f, int family, bool radius,
    struct roles_io *out)
{
	f->ops = radius ? fake_io_ops_radius : fake_io_ops_plain;
	if (!f->fastpath) {
		f->ops.fp_session_add = NULL;
		f->ops.fp_session_update = NULL;
		f->ops.fp_session_remove = NULL;
		f->ops.fp_session_stats = NULL;
		f->ops.fp_lac_add = NULL;
		f->ops.fp_lac_remove = NULL;
		f->ops.fp_lac_stats = NULL;
	}
	out->ops = &f->ops;
	out->ctx = f;
	out->family = family;
}
