/*
 * client.c — voluntary tunnelling: each [client NAME] section dials its LNS,
 * holds one session there, and drops the tunnel as soon as that session ends
 * (INTERFACE.md "A client drops its tunnel as soon as its session ends").
 * With redial = yes a dropped or failed call is dialled again after an
 * exponential back-off (1 s doubling to 64 s, reset once a call's IPCP —
 * with ipv4 = no its IPv6CP — is up: a call failing in PPP authentication
 * counts as failed).
 *
 * A section with `pppoe-interface` instead of `lns` is a PPPoE host (RFC
 * 2516): it runs discovery on that Ethernet interface and its call is the
 * PPPoE session; a PADT from the access concentrator, or discovery giving
 * up, ends the call like a CDN does, and the redial rules are the same.
 *
 * Once the call is up, a PPP peer link runs over it (session_link.c) with
 * the section's user/password; when IPCP opens, the TUN `interface` gets the
 * assigned address and the configured `routes` (and `default-route`) point
 * into it.  With `ipv4 = no` the call is IPv6 only: IPCP does not run (the
 * LNS's is protocol-rejected) and the TUN comes up when IPv6CP opens.  The TUN goes away with the call.  Both transports share this
 * part; only the carrier under the PPP link differs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "pppoe/pppoe_client.h"
#include "pppoe/pppoe_sock.h"
#include "roles/client_dhcpv6.h"
#include "roles/client_fp.h"
#include "roles/client_ipv6.h"
#include "roles/client_route.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

#define REDIAL_MIN_MS 1000
#define REDIAL_MAX_MS 64000

/* Our MRU and the TUN's MTU over L2TP: room for IP/UDP/L2TP/PPP headers on
 * a 1500-octet path. */
#define L2TP_CLIENT_MRU 1400
/* RFC 2516 §7: "The Maximum-Receive-Unit (MRU) option MUST NOT be
 * negotiated to a larger size than 1492" (1500 - 6 PPPoE - 2 protocol). */
#define PPPOE_MRU_MAX	1492
#define PPPOE_OVERHEAD	8
/* RFC 1661 §6.1: every implementation takes 1500, but below 576 IPv4
 * itself breaks; an interface that small is refused. */
#define PPPOE_MRU_MIN	576

/* A PPPoE client's transport: the interface's two AF_PACKET sockets and
 * the discovery/session machine.  Heap-allocated so that the socket
 * watchers, the pppoe_client context and the PPP carrier pointer stay valid
 * when a reload moves struct client; only `client` follows it. */
struct client_pppoe {
	struct client *client;
	struct pppoe_sock sock;
	void *watch_disc, *watch_ses;
	struct pppoe_client *pc;
	uint16_t mru;
	uint64_t rx_errors;
};

const char *
client_state_str(enum client_state s)
{
	switch (s) {
	/* clang-format off */
	case CLIENT_IDLE:		return "idle";
	case CLIENT_DIALING:		return "dialing";
	case CLIENT_UP:			return "up";
	case CLIENT_HANGUP:		return "hangup";
	case CLIENT_WAIT_REDIAL:	return "wait-redial";
	case CLIENT_STOPPED:		return "stopped";
		/* clang-format on */
	}
	return "?";
}

static void
client_set_state(struct client *c, enum client_state st)
{
	if (c->state != st)
		log_debug("client %s: %s -> %s", c->cfg.name,
		    client_state_str(c->state), client_state_str(st));
	c->state = st;
}

static void
client_schedule_redial(struct client *c, uint64_t now)
{
	if (!c->cfg.redial || c->roles->shutting_down || c->removed) {
		client_set_state(c, CLIENT_STOPPED);
		return;
	}
	c->backoff_ms = c->backoff_ms == 0    ? REDIAL_MIN_MS :
	    c->backoff_ms * 2 > REDIAL_MAX_MS ? REDIAL_MAX_MS :
						c->backoff_ms * 2;
	c->redial_at = now + c->backoff_ms;
	client_set_state(c, CLIENT_WAIT_REDIAL);
	log_info("client %s: redialling in %u s", c->cfg.name,
	    c->backoff_ms / 1000);
}

static void client_pppoe_dial(struct client *c, uint64_t now);

static void
client_dial(struct client *c, uint64_t now)
{
	struct l2tp_tunnel_params p;
	char buf[INET6_ADDRSTRLEN + 8], err[CFG_MAX_STR + 64];

	if (c->cfg.pppoe_interface[0] != '\0') {
		client_pppoe_dial(c, now);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.role = L2TP_ROLE_CLIENT;
	if (RIO(c->roles, resolve, c->roles->io.family, &c->cfg.lns, &p.peer,
		err, sizeof(err)) < 0) {
		log_warnx("client %s: %s", c->cfg.name, err);
		client_schedule_redial(c, now);
		return;
	}
	p.secret = c->cfg.tunnel_secret.data;
	p.secret_len = c->cfg.tunnel_secret.len;
	p.hide_avps = c->cfg.hide_avps;
	c->dials++;
	c->tunnel = l2tp_tunnel_open(c->roles->host, &p, now);
	if (c->tunnel == NULL) {
		log_warnx("client %s: cannot open a tunnel to %s", c->cfg.name,
		    l2tp_addr_str(&p.peer, buf, sizeof(buf)));
		client_schedule_redial(c, now);
		return;
	}
	l2tp_tunnel_set_user(c->tunnel, &c->owner);
	client_set_state(c, CLIENT_DIALING);
	log_info("client %s: dialling %s (%s)", c->cfg.name, c->cfg.lns.host,
	    l2tp_addr_str(&p.peer, buf, sizeof(buf)));
}

static void
client_tunnel_up(struct roles *r, void *ctx, struct l2tp_tunnel *t,
    uint64_t now)
{
	struct client *c = ctx;
	struct l2tp_call_params cp;

	(void)r;
	memset(&cp, 0, sizeof(cp));
	/* RFC 2661 §4.4.5: a voluntary client is its own LAC; it reports a
	 * digital bearer and synchronous framing (PPP over a packet link). */
	cp.bearer_type = L2TP_BEARER_DIGITAL;
	cp.framing_type = L2TP_FRAMING_SYNC;
	cp.tx_connect_speed = 100000000;
	cp.rx_connect_speed = 100000000;
	/* No Calling Number: §4.4.5 means the caller's number or line, and a
	 * voluntary client has none (its LNS names it by its address in
	 * RADIUS Calling-Station-Id; the user name travels in PPP). */
	c->session = l2tp_session_open(t, &cp, now);
	if (c->session == NULL) {
		log_warnx("client %s: cannot open a session", c->cfg.name);
		client_set_state(c, CLIENT_HANGUP);
		l2tp_tunnel_close(t, L2TP_STOPCCN_GENERAL, 0, "no session",
		    now);
		return;
	}
}

static void
client_tunnel_down(struct roles *r, void *ctx, struct l2tp_tunnel *t,
    uint64_t now)
{
	struct client *c = ctx;

	(void)r;
	if (c->tunnel != t)
		return;
	c->tunnel = NULL;
	c->session = NULL;
	log_info("client %s: tunnel down", c->cfg.name);
	client_schedule_redial(c, now);
}

/* ---- PPP peer and TUN ---- */

/* Room for the PPP and L2TP headers in front of each packet read. */
#define CLIENT_TUN_HEADROOM 16
_Static_assert(CLIENT_TUN_HEADROOM >= SL_HEADROOM, "TUN headroom");

static void
client_tun_readable(void *arg, uint64_t now)
{
	struct client *c = arg;
	/* One buffer per read, static, headroom first: the datagrams are
	 * built in place and may wait for the batched send until this
	 * returns (sl_send_ip). */
	static uint8_t bufs[64][CLIENT_TUN_HEADROOM + 2048];
	struct tun_pkt pkt;
	ssize_t n;

	c->roles->now = now;

	/* Bounded: other sessions and timers get their turn. */
	for (int i = 0; i < 64; i++) {
		pkt.buf = bufs[i] + CLIENT_TUN_HEADROOM;
		pkt.cap = sizeof(bufs[i]) - CLIENT_TUN_HEADROOM;
		if (RIO(c->roles, tun_read_batch, &c->tun, &pkt, 1) <= 0)
			break;
		n = (ssize_t)pkt.len;
		/* Our own L2TP datagram routed into the tunnel it belongs
		 * to (a route outside our control beat the host route to
		 * the LNS): sending it on would wrap it again on every lap,
		 * so it stops here. */
		if (c->lns_addr != 0 &&
		    client_is_own_l2tp(pkt.buf, (size_t)n, c->lns_addr,
			c->lns_port, c->local_port)) {
			c->tun_loop_drops++;
			LOG_RL(LOG_LEVEL_WARN,
			    "client %s: dropped an L2TP "
			    "datagram to the LNS that was routed into %s "
			    "(%llu so far): check the routes to the LNS",
			    c->cfg.name, c->tun.name,
			    (unsigned long long)c->tun_loop_drops);
			continue;
		}
		if (c->link == NULL)
			c->tun_drops++;
		else if (n > 0 && (pkt.buf[0] >> 4) == 6) {
			if (!c->v6_up ||
			    sl_send_ipv6(c->link, pkt.buf, (size_t)n) < 0)
				c->tun_drops++;
		} else if (sl_send_ip(c->link, pkt.buf, (size_t)n,
			       CLIENT_TUN_HEADROOM) < 0)
			c->tun_drops++;
	}
	sl_reap(c->roles);
}

static const char *
ip4_str(uint32_t addr, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = htonl(addr) };

	if (inet_ntop(AF_INET, &in, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static void
client_unpin_lns(struct client *c)
{
	char a[INET_ADDRSTRLEN];

	if (c->pin_ifindex == 0)
		return;
	/* Another call to the same LNS found our route in place and uses
	 * it: it inherits the route (and removes it when it ends). */
	struct client *o;

	TAILQ_FOREACH(o, &c->roles->clients, entry)
	{
		if (o == c || o->lns_addr != c->lns_addr || o->tun.fd < 0 ||
		    o->pin_ifindex != 0)
			continue;
		o->pin_ifindex = c->pin_ifindex;
		o->pin_gw = c->pin_gw;
		log_debug("client %s: host route to the LNS %s handed to "
			  "client %s",
		    c->cfg.name, ip4_str(c->lns_addr, a, sizeof(a)),
		    o->cfg.name);
		c->pin_ifindex = 0;
		c->pin_gw = 0;
		return;
	}
	if (c->rt.nl != NULL &&
	    RIO(c->roles, route_del, &c->rt, c->pin_ifindex, c->lns_addr, 32,
		c->pin_gw) < 0)
		log_warnx("client %s: removing the host route to the LNS %s: "
			  "%s",
		    c->cfg.name, ip4_str(c->lns_addr, a, sizeof(a)),
		    route_error(&c->rt));
	else
		log_debug("client %s: host route to the LNS %s removed",
		    c->cfg.name, ip4_str(c->lns_addr, a, sizeof(a)));
	c->pin_ifindex = 0;
	c->pin_gw = 0;
}

static uint16_t
sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(
		    ((const struct sockaddr_in *)(const void *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(
		    ((const struct sockaddr_in6 *)(const void *)ss)->sin6_port);
	return 0;
}

/* The IPv4 address of an L2TP peer (v4-mapped on an IPv6 socket); 0 for a
 * true IPv6 peer, whose datagrams no IPv4 tunnel route can capture. */
static uint32_t
l2tp_addr_ip4(const struct l2tp_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohl(((const struct sockaddr_in *)(const void *)&a->ss)
				 ->sin_addr.s_addr);
	if (a->ss.ss_family == AF_INET6) {
		const struct in6_addr *in6 = &(
		    (const struct sockaddr_in6 *)(const void *)&a->ss)
						  ->sin6_addr;
		uint32_t v;

		if (!IN6_IS_ADDR_V4MAPPED(in6))
			return 0;
		memcpy(&v, &in6->s6_addr[12], sizeof(v));
		return ntohl(v);
	}
	return 0;
}

static void
client_tun_close(struct client *c)
{
	/* Out of the kernel first: from here the TUN carries nothing. */
	client_fp_leave(c);
	if (c->tun_watch != NULL)
		RIO(c->roles, unwatch, c->tun_watch);
	c->tun_watch = NULL;
	if (c->tun.fd >= 0) {
		/* Its counters outlive it: `show stats` stays monotonic. */
		roles_tun_add(&c->roles->io, &c->roles->tun_gone, &c->tun);
		RIO(c->roles, tun_close,
		    &c->tun); /* the device and its routes go with it */
	}
	c->tun.fd = -1;
	/* The host route to the LNS is on another device: it stays unless
	 * removed, and the next call pins afresh. */
	client_unpin_lns(c);
	c->lns_addr = 0;
	if (c->rt.nl != NULL)
		RIO(c->roles, route_close, &c->rt);
	c->rt.nl = NULL;
	/* IPCP's results live as long as the device they configured. */
	c->up_since = 0;
	c->dns[0] = c->dns[1] = 0;
	c->v6_configured = false;
	c->v6_have_prefix = false;
}

static int
client_no_assign(struct session_link *sl, const char *user,
    const struct auth_result *res, uint32_t *addr)
{
	(void)sl;
	(void)user;
	(void)res;
	(void)addr;
	return -1; /* the client never gives addresses */
}

/* The tunnel's routes as client_route.c sees them. */
static void
client_plan(const struct client *c, uint32_t peer,
    struct client_route_prefix *buf, struct client_route_plan *plan)
{
	for (unsigned i = 0; i < c->cfg.route_count; i++) {
		buf[i].addr = c->cfg.routes[i].addr;
		buf[i].plen = c->cfg.routes[i].plen;
	}
	plan->routes = buf;
	plan->route_count = c->cfg.route_count;
	plan->default_route = c->cfg.default_route;
	plan->peer = peer;
}

/*
 * Keeps the LNS reachable outside the tunnel before any of the tunnel's
 * routes exist: a host route to the LNS through the gateway and device it
 * is reached by now.  A /32 beats every prefix the tunnel installs (0/1 and
 * 128/1 for default-route, any configured range) whatever their order or
 * metric, needs nothing but the main table, and is what an operator looks
 * for in `ip route`.  Marking or binding the L2TP socket instead would need
 * policy rules or a fixed device the socket shares with the LNS role and
 * other clients, and would still loop for a peer address equal to the LNS.
 * The route is ours only if we added it; an existing host route is used
 * and left alone.  -1: the LNS has no path outside the tunnel.
 */
static int
client_pin_lns(struct client *c, uint32_t peer)
{
	struct client_route_prefix buf[CFG_MAX_LIST];
	struct client_route_plan plan;
	struct route_lookup lns_rt;
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	enum client_pin d;
	bool found;

	if (c->lns_addr == 0)
		return 0;
	client_plan(c, peer, buf, &plan);
	if (!client_route_captures(&plan, c->lns_addr))
		return 0;
	found = RIO(c->roles, route_get, &c->rt, c->lns_addr, &lns_rt) == 0;
	d = client_pin_decide(c->lns_addr, found ? &lns_rt : NULL,
	    c->tun.ifindex, &plan);
	ip4_str(c->lns_addr, a, sizeof(a));
	ip4_str(found ? lns_rt.gw : 0, g, sizeof(g));
	switch (d) {
	case CLIENT_PIN_NONE:
	case CLIENT_PIN_LOCAL:
		return 0;
	case CLIENT_PIN_EXISTS:
		log_info("client %s: the LNS %s keeps its existing host route "
			 "(dev %d%s%s)",
		    c->cfg.name, a, lns_rt.ifindex, lns_rt.gw ? " via " : "",
		    lns_rt.gw ? g : "");
		return 0;
	case CLIENT_PIN_FAIL:
		log_warnx("client %s: no route to the LNS %s outside the "
			  "tunnel%s%s",
		    c->cfg.name, a, found ? "" : ": ",
		    found ? "" : route_error(&c->rt));
		return -1;
	case CLIENT_PIN_ADD:
		break;
	}
	if (RIO(c->roles, route_add_host, &c->rt, lns_rt.ifindex, c->lns_addr,
		lns_rt.gw, lns_rt.prefsrc) < 0) {
		if (errno != EEXIST)
			return -1;
		/* Raced in since the lookup, or a host route in a table
		 * the lookup did not reach first: not ours either way. */
		log_info("client %s: a host route to the LNS %s exists "
			 "already: left as it is",
		    c->cfg.name, a);
		return 0;
	}
	c->pin_ifindex = lns_rt.ifindex;
	c->pin_gw = lns_rt.gw;
	log_info("client %s: host route to the LNS %s via %s dev %d, so "
		 "the tunnel's routes do not carry its own datagrams",
	    c->cfg.name, a, lns_rt.gw ? g : "link", lns_rt.ifindex);
	return 0;
}

/*
 * One of the tunnel's routes.  EEXIST is no reason to drop the call: the
 * same route into the TUN (listed twice, or 0.0.0.0/1 next to
 * default-route) is already what was asked for, and a different route to
 * that prefix is the operator's to resolve (told in the log), while
 * redialling would only meet it again.
 */
static int
client_route_one(struct client *c, uint32_t dst, unsigned plen)
{
	struct route_lookup existing;
	char d[INET_ADDRSTRLEN];

	if (RIO(c->roles, route_add, &c->rt, c->tun.ifindex, dst, plen, 0, 0) ==
	    0)
		return 0;
	if (errno != EEXIST)
		return -1;
	ip4_str(dst, d, sizeof(d));
	if (RIO(c->roles, route_get, &c->rt, dst, &existing) == 0 &&
	    existing.plen == plen && existing.dst == dst &&
	    existing.ifindex == c->tun.ifindex)
		return 0;
	log_warnx("client %s: route %s/%u: another route to %s/%u exists "
		  "(not through %s); it stays and this one is left out",
	    c->cfg.name, d, plen, d, plen, c->tun.name);
	return 0;
}

static int
client_routes_add(struct client *c)
{
	char a[INET_ADDRSTRLEN];

	for (unsigned i = 0; i < c->cfg.route_count; i++) {
		struct client_route_prefix p = {
			.addr = c->cfg.routes[i].addr,
			.plen = c->cfg.routes[i].plen,
		};

		/* The LNS's own host route into the tunnel would replace
		 * the path its datagrams take. */
		if (c->lns_addr != 0 &&
		    client_route_is_lns_host(&p, c->lns_addr)) {
			log_warnx(
			    "client %s: route %s/32 is the LNS's own "
			    "address: left out (the L2TP datagrams must not "
			    "enter the tunnel)",
			    c->cfg.name, ip4_str(p.addr, a, sizeof(a)));
			continue;
		}
		if (client_route_one(c, p.addr, p.plen) < 0)
			return -1;
	}
	/* 0/1 + 128/1 win over an existing default without replacing it;
	 * the LNS stays outside through its host route (client_pin_lns). */
	if (c->cfg.default_route &&
	    (client_route_one(c, 0, 1) < 0 ||
		client_route_one(c, 0x80000000u, 1) < 0))
		return -1;
	return 0;
}

/* Where the LNS is, from the call's tunnel; nothing for PPPoE. */
static void
client_learn_lns(struct client *c)
{
	struct l2tp_tunnel_info ti;

	c->lns_addr = 0;
	c->lns_port = 0;
	c->local_port = 0;
	if (c->pppoe != NULL || c->tunnel == NULL)
		return;
	l2tp_tunnel_get_info(c->tunnel, &ti);
	c->lns_addr = l2tp_addr_ip4(&ti.peer);
	c->lns_port = sockaddr_port(&ti.peer.ss);
	c->local_port = sockaddr_port(&c->roles->cfg->global.listen.ss);
}

/*
 * The TUN device for the call: with IPv4 (local != 0) its point-to-point
 * address and the tunnel's routes, else (an IPv6-only call) the device
 * alone, which IPv6CP then configures.  -1: the caller closes it.
 */
static int
client_tun_up(struct client *c, uint32_t local, uint32_t peer)
{
	client_learn_lns(c);
	/* The host route to the LNS goes in before the point-to-point
	 * address and the routes, which could capture it; a peer address
	 * equal to the LNS's is left off the device for the same reason
	 * (its /32 would lead into the tunnel; the routes are device
	 * routes and need no peer). */
	if (RIO(c->roles, route_open, &c->rt) < 0 ||
	    RIO(c->roles, tun_open, &c->tun, c->cfg.interface) < 0 ||
	    RIO(c->roles, link_set, &c->rt, c->tun.ifindex, true,
		c->pppoe != NULL ? c->pppoe->mru : L2TP_CLIENT_MRU) < 0)
		return -1;
	if (local != 0 &&
	    (client_pin_lns(c, peer) < 0 ||
		RIO(c->roles, addr_add, &c->rt, c->tun.ifindex, local,
		    c->lns_addr != 0 && peer == c->lns_addr ? 0 : peer,
		    32) < 0 ||
		client_routes_add(c) < 0))
		return -1;
	/* A queue too short drops downstream bursts; not worth failing
	 * the call for (tun_set_txqueuelen logged why). */
	(void)RIO(c->roles, tun_set_txqueuelen, &c->tun,
	    c->roles->cfg->global.tun_txqueuelen);
	c->tun_watch = RIO(c->roles, watch, c->tun.fd, client_tun_readable, c);
	c->up_since = c->roles->now;
	client6_tun_ready(c);
	/* The call works: the next failure waits REDIAL_MIN_MS again. */
	c->backoff_ms = 0;
	return 0;
}

static void
client_network_up(struct session_link *sl, uint32_t local, uint32_t peer,
    const uint32_t dns[2], unsigned dns_count)
{
	struct client *c = sl->owner;
	struct in_addr a = { .s_addr = htonl(local) },
		       b = { .s_addr = htonl(peer) };
	char la[INET_ADDRSTRLEN], pa[INET_ADDRSTRLEN];
	char d0[INET_ADDRSTRLEN] = "", d1[INET_ADDRSTRLEN] = "";

	/* RFC 1877 servers learnt in IPCP: reported for the operator (the
	 * daemon does not rewrite the host's resolver configuration). */
	if (dns_count > 0) {
		struct in_addr x = { .s_addr = htonl(dns[0]) };

		inet_ntop(AF_INET, &x, d0, sizeof(d0));
	}
	if (dns_count > 1) {
		struct in_addr x = { .s_addr = htonl(dns[1]) };

		inet_ntop(AF_INET, &x, d1, sizeof(d1));
	}
	inet_ntop(AF_INET, &a, la, sizeof(la));
	inet_ntop(AF_INET, &b, pa, sizeof(pa));
	if (client_tun_up(c, local, peer) < 0) {
		log_warnx("client %s: cannot set up %s with %s: %s",
		    c->cfg.name, c->cfg.interface, la,
		    c->rt.nl != NULL ? route_error(&c->rt) : "rtnetlink");
		client_tun_close(c);
		sl_close(sl, "cannot set up the TUN device", c->roles->now);
		return;
	}
	/* IPv4 is up: the call may go to the kernel fast path. */
	client_fp_enter(c);
	for (unsigned i = 0; i < dns_count && i < 2; i++)
		c->dns[i] = dns[i];
	log_info("client %s: %s is up with %s (peer %s)%s%s%s%s", c->cfg.name,
	    c->tun.name, la, pa, *d0 ? ", DNS " : "", d0, *d1 ? " " : "", d1);
}

/* IPv6CP opened.  An IPv6-only call (ipv4 = no) has no IPCP to bring the
 * TUN device up: it comes up here, without an IPv4 address or routes. */
static void
client_network6_up(struct session_link *sl, const uint8_t local_id[8],
    const uint8_t peer_id[8])
{
	struct client *c = sl->owner;

	if (!c->cfg.ipv4 && c->tun.fd < 0) {
		if (client_tun_up(c, 0, 0) < 0) {
			log_warnx("client %s: cannot set up %s: %s",
			    c->cfg.name, c->cfg.interface,
			    c->rt.nl != NULL ? route_error(&c->rt) :
					       "rtnetlink");
			client_tun_close(c);
			sl_close(sl, "cannot set up the TUN device",
			    c->roles->now);
			return;
		}
		log_info("client %s: %s is up, IPv6 only", c->cfg.name,
		    c->tun.name);
	}
	client6_up(sl, local_id, peer_id);
}

/* LCP renegotiated (RFC 1661 §4.3): IPCP runs again and may give another
 * address; the device is set up afresh by client_network_up. */
static void
client_network_down(struct session_link *sl, const char *reason)
{
	struct client *c = sl->owner;

	log_info("client %s: network down: %s", c->cfg.name, reason);
	client_tun_close(c);
}

static void
client_ip_input(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	struct client *c = sl->owner;

	if (c->tun.fd >= 0)
		(void)RIO(c->roles, tun_write, &c->tun, pkt, len);
}

static void
client_ended(struct session_link *sl, const char *reason)
{
	struct client *c = sl->owner;

	log_info("client %s: PPP ended: %s", c->cfg.name, reason);
	/* IPv6CP may not have said goodbye: the LAN address goes now. */
	client6pd_stop(c, c->roles->now);
	client_tun_close(c);
	c->link = NULL;
}

static const struct sl_role_ops client_sl_ops = {
	.assign_address = client_no_assign,
	.network_up = client_network_up,
	.network_down = client_network_down,
	.ip_input = client_ip_input,
	.ended = client_ended,
	.network6_up = client_network6_up,
	.network6_down = client6_down,
	.ipv6_input = client6_input,
};

/*
 * The call is up on either transport: PPP peer link over the carrier with
 * the section's credentials.  The back-off stays until IPCP is up
 * (client_network_up): a call that fails in PPP — refused credentials, an
 * LNS that never completes IPCP — is a failed call, and starting over at
 * 1 s each time would have the client call about once a second for as
 * long as it lasts.  NULL when out of memory (the caller ends the carrier).
 */
static struct session_link *
client_start_ppp(struct client *c, const struct sl_carrier_ops *carrier_ops,
    void *carrier, uint16_t mru, uint64_t now)
{
	struct ppp_link_config lc;
	struct ppp_link_conf *conf;
	struct session_link *sl = NULL;

	client_set_state(c, CLIENT_UP);
	memset(&lc, 0, sizeof(lc));
	lc.server = false;
	strlcpy(lc.client.user, c->cfg.user, sizeof(lc.client.user));
	lc.client.password_len = strlen(c->cfg.password);
	memcpy(lc.client.password, c->cfg.password, lc.client.password_len);
	for (unsigned i = 0; i < c->cfg.auth.count && i < 3; i++)
		lc.client.accept[lc.client.accept_count++] = roles_auth_method(
		    c->cfg.auth.methods[i]);
	strlcpy(lc.our_name, c->cfg.user, sizeof(lc.our_name));
	lc.mru = mru;
	lc.pppoe = carrier_ops != &sl_l2tp_carrier;
	lc.echo_interval_ms = 10000;
	lc.echo_failures = 3;
	lc.ipv6cp = c->cfg.ipv6;
	lc.no_ipcp = !c->cfg.ipv4;
	lc.negotiate_timeout_ms =
	    c->roles->cfg->global.ppp_negotiation_timeout * 1000;
	/* One link per client at a time: its settings are its own. */
	conf = ppp_link_conf_new(&lc);
	explicit_bzero(lc.client.password, sizeof(lc.client.password));
	if (conf != NULL)
		sl = sl_new(c->roles, carrier_ops, carrier, conf, NULL, NULL,
		    &client_sl_ops, c, now);
	ppp_link_conf_drop(conf); /* the link holds it */
	if (sl == NULL)
		log_warnx("client %s: no memory for PPP", c->cfg.name);
	return sl;
}

static void
client_session_up(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *m, uint64_t now)
{
	struct client *c = ctx;
	struct l2tp_session_info si;

	(void)r;
	(void)m;
	l2tp_session_get_info(s, &si);
	log_info("client %s: session %u/%u (tunnel %u) established, "
		 "starting PPP",
	    c->cfg.name, si.local_id, si.peer_id, si.tunnel_local_id);
	c->link = client_start_ppp(c, &sl_l2tp_carrier, s, L2TP_CLIENT_MRU,
	    now);
	if (c->link == NULL) {
		l2tp_session_close(s, L2TP_CDN_NO_RESOURCES, 0, "out of memory",
		    now);
		return;
	}
	l2tp_session_set_user(s, c->link);
	sl_start(c->link, now);
}

static void
client_session_down(struct roles *r, void *ctx, struct l2tp_session *s,
    uint64_t now)
{
	struct client *c = ctx;
	struct session_link *sl = l2tp_session_user(s);

	(void)r;
	/* The PPP link ends with its carrier; then the client learns. */
	if (sl != NULL)
		sl_carrier_gone(sl);
	if (c->session != s)
		return;
	c->session = NULL;
	/* The client's tunnel exists for its one session: drop it now. */
	if (c->tunnel != NULL) {
		client_set_state(c, CLIENT_HANGUP);
		l2tp_tunnel_close(c->tunnel, L2TP_STOPCCN_GENERAL, 0,
		    "session ended", now);
	}
}

/* ---- PPPoE transport (RFC 2516) ---- */

/* The PPP link's carrier: the PPPoE session.  The carrier pointer is the
 * struct client_pppoe, which does not move on reload. */
static int
sl_pppoe_send(void *carrier, const uint8_t *frame, size_t len)
{
	struct client_pppoe *pp = carrier;

	/* RFC 2516 §6: the payload begins with the PPP Protocol-ID; the
	 * FF 03 the link puts in front is removed there. */
	return pppoe_client_send(pp->pc, frame, len);
}

static void
sl_pppoe_close(void *carrier, uint16_t cdn_result, const char *reason,
    uint64_t now)
{
	struct client_pppoe *pp = carrier;
	struct client *c = pp->client;

	(void)cdn_result;
	/* RFC 2516 §7: "When LCP terminates, the Host and Access
	 * concentrator MUST stop using that PPPoE session"; the PADT tells
	 * the AC at once (§5.5), and a new call starts from discovery. */
	log_info("client %s: PPP over PPPoE session %u ended (%s): "
		 "sending PADT",
	    c->cfg.name, pppoe_client_session_id(pp->pc), reason);
	pppoe_client_close(pp->pc, reason);
	client_schedule_redial(c, now);
}

static void
sl_pppoe_detach(void *carrier)
{
	/* The client's link pointer is cleared by client_ended(). */
	(void)carrier;
}

static const struct sl_carrier_ops sl_pppoe_carrier = {
	.send = sl_pppoe_send,
	.close = sl_pppoe_close,
	.detach = sl_pppoe_detach,
};

static int
client_pppoe_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct client_pppoe *pp = ctx;

	if (RIO(pp->client->roles, pppoe_send, &pp->sock, frame, len) < 0) {
		LOG_RL(LOG_LEVEL_WARN, "client %s: %s: send: %s",
		    pp->client->cfg.name, pp->sock.ifname, strerror(errno));
		return -1;
	}
	return 0;
}

static void
client_pppoe_up(void *ctx, uint16_t session_id,
    const uint8_t ac_mac[PPPOE_MAC_LEN], uint64_t now)
{
	struct client_pppoe *pp = ctx;
	struct client *c = pp->client;
	const char *ac = pppoe_client_ac_name(pp->pc);

	log_info("client %s: PPPoE session %u with %s%s"
		 "%02x:%02x:%02x:%02x:%02x:%02x%s on %s, starting PPP (MRU %u)",
	    c->cfg.name, session_id, ac, *ac ? " (" : "", ac_mac[0], ac_mac[1],
	    ac_mac[2], ac_mac[3], ac_mac[4], ac_mac[5], *ac ? ")" : "",
	    pp->sock.ifname, pp->mru);
	c->link = client_start_ppp(c, &sl_pppoe_carrier, pp, pp->mru, now);
	if (c->link == NULL) {
		pppoe_client_close(pp->pc, "out of memory");
		client_schedule_redial(c, now);
		return;
	}
	sl_start(c->link, now);
}

static void
client_pppoe_down(void *ctx, const char *reason, uint64_t now)
{
	struct client_pppoe *pp = ctx;
	struct client *c = pp->client;

	/* Discovery gave up, the PADS refused, or the AC sent PADT.
	 * RFC 2516 §5.5: after a PADT not even LCP Terminate may be sent,
	 * so PPP ends without a goodbye. */
	log_info("client %s: PPPoE: %s", c->cfg.name, reason);
	if (c->link != NULL)
		sl_carrier_gone(c->link);
	client_schedule_redial(c, now);
}

static void
client_pppoe_data(void *ctx, const uint8_t *ppp, size_t len, uint64_t now)
{
	struct client_pppoe *pp = ctx;
	struct client *c = pp->client;

	if (c->link != NULL)
		sl_input(c->link, ppp, len, now);
}

static const struct pppoe_client_ops client_pppoe_ops = {
	.send_frame = client_pppoe_send_frame,
	.up = client_pppoe_up,
	.down = client_pppoe_down,
	.data = client_pppoe_data,
};

static bool
client_pppoe_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct client_pppoe *pp = arg;

	pppoe_client_input(pp->pc, frame, len, pp->client->roles->now);
	return pp->client->pppoe == pp;
}

static void
client_pppoe_drain(struct client_pppoe *pp, int fd)
{
	uint8_t buf[PPPOE_FRAME_MAX];
	unsigned errors;

	/* Bounded like the TUN: other work gets its turn.  A frame may end
	 * the call (PADT): the client stays, and the PPP link is only freed
	 * by sl_reap below. */
	if (pp->client->pppoe == pp) {
		errors = RIO(pp->client->roles, pppoe_drain, &pp->sock, fd, buf,
		    sizeof(buf), 64, client_pppoe_frame, pp);
		if (errors > 0) {
			pp->rx_errors += errors;
			LOG_RL(LOG_LEVEL_WARN, "client %s: %s: receive: %s",
			    pp->client->cfg.name, pp->sock.ifname,
			    strerror(errno));
		}
	}
	sl_reap(pp->client->roles);
}

static void
client_pppoe_disc_readable(void *arg, uint64_t now)
{
	struct client_pppoe *pp = arg;

	pp->client->roles->now = now;
	client_pppoe_drain(pp, pppoe_sock_fd_disc(&pp->sock));
}

static void
client_pppoe_ses_readable(void *arg, uint64_t now)
{
	struct client_pppoe *pp = arg;

	pp->client->roles->now = now;
	client_pppoe_drain(pp, pppoe_sock_fd_ses(&pp->sock));
}

/* Closes the sockets and forgets the PPPoE state; PADT first if a session
 * is still up.  Never from inside a pppoe_client callback. */
static void
client_pppoe_release(struct client *c, const char *reason)
{
	struct client_pppoe *pp = c->pppoe;

	if (pp == NULL)
		return;
	if (c->link != NULL)
		sl_carrier_gone(c->link);
	c->pppoe = NULL;
	if (pp->pc != NULL) {
		pppoe_client_close(pp->pc, reason);
		pppoe_client_free(pp->pc);
	}
	RIO(c->roles, unwatch, pp->watch_disc);
	RIO(c->roles, unwatch, pp->watch_ses);
	RIO(c->roles, pppoe_close, &pp->sock);
	free(pp);
}

static int
client_pppoe_open(struct client *c)
{
	struct roles *r = c->roles;
	struct pppoe_client_config pcfg;
	struct client_pppoe *pp;

	pp = calloc(1, sizeof(*pp));
	if (pp == NULL)
		return -1;
	pp->client = c;
	if (RIO(r, pppoe_open, &pp->sock, c->cfg.pppoe_interface) < 0) {
		free(pp);
		return -1;
	}
	c->pppoe = pp;
	if (pp->sock.mtu < PPPOE_MRU_MIN + PPPOE_OVERHEAD) {
		log_warnx("client %s: %s: MTU %u is too small for PPPoE",
		    c->cfg.name, pp->sock.ifname, pp->sock.mtu);
		client_pppoe_release(c, NULL);
		return -1;
	}
	/* RFC 2516 §7: 1492 at most; less on a smaller Ethernet MTU. */
	pp->mru = pp->sock.mtu - PPPOE_OVERHEAD < PPPOE_MRU_MAX ?
	    (uint16_t)(pp->sock.mtu - PPPOE_OVERHEAD) :
	    PPPOE_MRU_MAX;
	memset(&pcfg, 0, sizeof(pcfg));
	memcpy(pcfg.mac, pp->sock.mac, PPPOE_MAC_LEN);
	pcfg.service_name = ""; /* RFC 2516 §5.1: any service */
	pcfg.ac_name = NULL;	/* the first PADO */
	pp->pc = pppoe_client_new(&pcfg, &client_pppoe_ops, pp);
	if (pp->pc != NULL) {
		pp->watch_disc = RIO(r, watch, pppoe_sock_fd_disc(&pp->sock),
		    client_pppoe_disc_readable, pp);
		pp->watch_ses = RIO(r, watch, pppoe_sock_fd_ses(&pp->sock),
		    client_pppoe_ses_readable, pp);
	}
	if (pp->pc == NULL || pp->watch_disc == NULL || pp->watch_ses == NULL) {
		log_warnx("client %s: out of memory for PPPoE", c->cfg.name);
		client_pppoe_release(c, NULL);
		return -1;
	}
	return 0;
}

static void
client_pppoe_dial(struct client *c, uint64_t now)
{
	/* Fresh sockets for every call: the interface may have been
	 * re-created (new index) while we waited. */
	client_pppoe_release(c, NULL);
	c->dials++;
	if (client_pppoe_open(c) < 0) {
		log_warnx("client %s: cannot use %s for PPPoE", c->cfg.name,
		    c->cfg.pppoe_interface);
		client_schedule_redial(c, now);
		return;
	}
	client_set_state(c, CLIENT_DIALING);
	log_info("client %s: PPPoE discovery on %s", c->cfg.name,
	    c->pppoe->sock.ifname);
	(void)pppoe_client_start(c->pppoe->pc, now);
}

/*
 * Ends a PPPoE call at once (SIGTERM, reload): RFC 2516 §5.5 "A PPP peer
 * SHOULD use the PPP protocol itself to bring down a PPPoE session", so an
 * LCP Terminate-Request goes first; the daemon does not wait for its Ack,
 * so the PADT follows straight away (nothing PPP is sent after it).
 */
static void
client_pppoe_hangup(struct client *c, const char *reason, uint64_t now)
{
	if (c->pppoe == NULL)
		return;
	if (pppoe_client_state(c->pppoe->pc) == PPPOE_CLIENT_SESSION)
		log_info("client %s: %s: ending PPPoE session %u "
			 "(LCP Terminate-Request, PADT)",
		    c->cfg.name, reason, pppoe_client_session_id(c->pppoe->pc));
	if (c->link != NULL)
		sl_close(c->link, reason, now);
	if (c->link != NULL)
		sl_carrier_gone(c->link);
	if (c->pppoe != NULL)
		pppoe_client_close(c->pppoe->pc, reason);
}

static struct client *
client_new(struct roles *r, const struct cfg_client *cfg, uint64_t now)
{
	struct client *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->roles = r;
	c->owner.ops = &client_role_ops;
	c->owner.ctx = c;
	c->cfg = *cfg;
	c->state = CLIENT_IDLE;
	c->tun.fd = -1;
	c->redial_at = now; /* dial from the next timer run */
	return c;
}

/* Unlinked from roles->clients by the caller. */
static void
client_free(struct client *c)
{
	client_pppoe_release(c, "shutdown");
	client6pd_stop(c, c->roles->now);
	client_tun_close(c);
	free(c);
}

int
clients_init(struct roles *r, uint64_t now)
{
	const struct vpdn_config *cfg = r->cfg;

	TAILQ_INIT(&r->clients);
	for (unsigned i = 0; i < cfg->client_count; i++) {
		struct client *c = client_new(r, &cfg->clients[i], now);

		if (c == NULL)
			return -1;
		TAILQ_INSERT_TAIL(&r->clients, c, entry);
	}
	return 0;
}

void
clients_free(struct roles *r)
{
	struct client *c;

	while ((c = TAILQ_FIRST(&r->clients)) != NULL) {
		TAILQ_REMOVE(&r->clients, c, entry);
		client_free(c);
	}
}

/*
 * A reload keeps clients whose section is unchanged (their calls stay up),
 * hangs up clients whose section disappeared or changed, and dials new
 * ones.  Clients are matched by name and moved between lists, never copied:
 * every pointer to one (tunnel user, PPP link owner, TUN watcher, PPPoE
 * socket) stays valid.  A client hanging up an L2TP call stays, marked
 * removed, until its tunnel is gone (clients_run_timers frees it).
 */
void
clients_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    uint64_t now)
{
	struct client_list old;
	struct client *c, *o;

	TAILQ_INIT(&old);
	TAILQ_CONCAT(&old, &r->clients, entry);
	for (unsigned i = 0; i < cfg->client_count; i++) {
		const struct cfg_client *cc = &cfg->clients[i];

		TAILQ_FOREACH(o, &old, entry)
		if (!o->removed && strcmp(o->cfg.name, cc->name) == 0)
			break;
		if (o != NULL && memcmp(&o->cfg, cc, sizeof(*cc)) == 0) {
			TAILQ_REMOVE(&old, o, entry);
			c = o;
		} else if ((c = client_new(r, cc, now)) == NULL) {
			log_warnx("reload: client %s: out of memory; not "
				  "dialled",
			    cc->name);
			continue;
		}
		TAILQ_INSERT_TAIL(&r->clients, c, entry);
	}
	/* Changed or removed sections, and those still hanging up from an
	 * earlier reload. */
	while ((o = TAILQ_FIRST(&old)) != NULL) {
		TAILQ_REMOVE(&old, o, entry);
		if (!o->removed)
			log_info("reload: client %s changed or removed: "
				 "hanging up",
			    o->cfg.name);
		/* A PPPoE call has no tunnel to wait for: it hangs up (PADT)
		 * and goes now. */
		if (o->pppoe != NULL)
			client_pppoe_hangup(o, "configuration changed", now);
		if (o->tunnel == NULL) {
			client_free(o);
			continue;
		}
		TAILQ_INSERT_TAIL(&r->clients, o, entry);
		if (o->removed)
			continue;
		o->removed = true;
		client_set_state(o, CLIENT_HANGUP);
		l2tp_tunnel_close(o->tunnel, L2TP_STOPCCN_GENERAL, 0,
		    "configuration changed", now);
	}
}

void
clients_run_timers(struct roles *r, uint64_t now)
{
	struct client *c, *next;

	for (c = TAILQ_FIRST(&r->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		/* A removed section whose tunnel is gone: nothing points at
		 * it any more (its session and PPP link went first). */
		if (c->removed && c->tunnel == NULL && c->link == NULL) {
			TAILQ_REMOVE(&r->clients, c, entry);
			client_free(c);
			continue;
		}
		if (c->pppoe != NULL &&
		    pppoe_client_next_deadline(c->pppoe->pc) <= now)
			pppoe_client_timeout(c->pppoe->pc, now);
		client6pd_run_timers(c, now);
		if ((c->state == CLIENT_IDLE ||
			c->state == CLIENT_WAIT_REDIAL) &&
		    !c->removed && !r->shutting_down && now >= c->redial_at)
			client_dial(c, now);
	}
}

uint64_t
clients_next_deadline(const struct roles *r)
{
	uint64_t d = TIME_NEVER;
	const struct client *c;

	TAILQ_FOREACH(c, &r->clients, entry)
	{
		if (c->pppoe != NULL)
			d = time_min(d,
			    pppoe_client_next_deadline(c->pppoe->pc));
		d = time_min(d, client6pd_next_deadline(c));
		if ((c->state == CLIENT_IDLE ||
			c->state == CLIENT_WAIT_REDIAL) &&
		    !c->removed && !r->shutting_down)
			d = time_min(d, c->redial_at);
	}
	return d;
}

void
clients_shutdown(struct roles *r, uint64_t now)
{
	struct client *c;

	TAILQ_FOREACH(c, &r->clients, entry)
	{
		/* PPPoE: LCP Terminate-Request and PADT now (the daemon waits
		 * only for L2TP tunnels); the sockets close with the roles. */
		client_pppoe_hangup(c, "shutting down", now);
		if (c->tunnel == NULL)
			client_set_state(c, CLIENT_STOPPED);
	}
}

/* ---- `vpdnctl show clients` ---- */

static void
ip4_text(uint32_t addr, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = htonl(addr) };

	if (addr == 0 || inet_ntop(AF_INET, &in, buf, (socklen_t)len) == NULL)
		buf[0] = '\0';
}

static void
client_describe(const struct client *c, uint64_t now,
    struct roles_client_view *v)
{
	memset(v, 0, sizeof(*v));
	v->name = c->cfg.name;
	v->state = client_state_str(c->state);
	v->ppp_phase = "dead";
	v->interface = "";
	if (c->cfg.pppoe_interface[0] != '\0') {
		v->transport = "pppoe";
		v->server = c->cfg.pppoe_interface;
	} else {
		v->transport = "l2tp";
		snprintf(v->server_buf, sizeof(v->server_buf), "%s:%u",
		    c->cfg.lns.host, c->cfg.lns.port);
		v->server = v->server_buf;
	}
	v->dials = c->dials;
	v->loop_drops = c->tun_loop_drops;
	v->path = c->fp_in ? "kernel" : "user";
	if (c->state == CLIENT_WAIT_REDIAL && c->redial_at > now)
		v->redial_in_s = (c->redial_at - now + 999) / 1000;
	if (c->session != NULL) {
		struct l2tp_session_info si;

		l2tp_session_get_info(c->session, &si);
		v->tunnel_id = si.tunnel_local_id;
		v->session_id = si.local_id;
	} else if (c->pppoe != NULL && c->pppoe->pc != NULL) {
		v->session_id = pppoe_client_session_id(c->pppoe->pc);
	}
	if (c->link != NULL && !c->link->ended) {
		const struct ppp_link_stats *st = ppp_link_stats(c->link->link);

		v->ppp_phase = ppp_phase_str(ppp_link_phase(c->link->link));
		v->rx_frames = st->rx_frames;
		v->tx_frames = st->tx_frames;
		v->rx_bytes = st->rx_bytes;
		v->tx_bytes = st->tx_bytes;
		struct fastpath_counters f;

		/* What the kernel carried counts as the call's own. */
		client_fp_counters(c, &f);
		v->rx_frames += f.rx_packets;
		v->tx_frames += f.tx_packets;
		v->rx_bytes += f.rx_bytes;
		v->tx_bytes += f.tx_bytes;
		if (c->link->network_up) {
			ip4_text(c->link->local_addr, v->address,
			    sizeof(v->address));
			ip4_text(c->link->peer_addr, v->peer_address,
			    sizeof(v->peer_address));
		}
	}
	if (c->up_since != 0) {
		v->interface = c->tun.name;
		v->uptime_s = now > c->up_since ? (now - c->up_since) / 1000 :
						  0;
		ip4_text(c->dns[0], v->dns[0], sizeof(v->dns[0]));
		ip4_text(c->dns[1], v->dns[1], sizeof(v->dns[1]));
	}
}

void
roles_foreach_client(struct roles *r, uint64_t now,
    void (*fn)(const struct roles_client_view *v, void *arg), void *arg)
{
	struct roles_client_view v;

	const struct client *c;

	TAILQ_FOREACH(c, &r->clients, entry)
	{
		if (c->removed)
			continue;
		client_describe(c, now, &v);
		client6_describe(c, &v);
		fn(&v, arg);
	}
}

/* ---- the client as the owner of the tunnel it dialled (role_ops.h) ---- */

static void
client_describe_session(struct roles *r, void *ctx, struct l2tp_session *s,
    struct roles_session_view *v)
{
	struct client *c = ctx;

	(void)r;
	v->user = c->cfg.user;
	v->interface = c->cfg.interface;
	v->role = L2TP_ROLE_CLIENT;
	sl_describe(l2tp_session_user(s), true, v);
	if (c->session == s) {
		struct fastpath_counters f;

		client_fp_counters(c, &f);
		v->path = c->fp_in ? "kernel" : "user";
		v->fp_rx_packets = f.rx_packets;
		v->fp_tx_packets = f.tx_packets;
		v->fp_rx_bytes = f.rx_bytes;
		v->fp_tx_bytes = f.tx_bytes;
	}
}

const struct role_ops client_role_ops = {
	.tunnel_up = client_tunnel_up,
	.tunnel_down = client_tunnel_down,
	.session_request = roles_refuse_call,
	.session_up = client_session_up,
	.session_down = client_session_down,
	.session_data = sl_session_data,
	.describe = client_describe_session,
};
