/*
 * test_roles_lns_dhcpv6.c — DHCPv6 prefix delegation on the LNS through a
 * session (roles/lns_dhcpv6.c) on the seam's recorder: vpdn's own DHCPv6
 * requester engine (ipv6/dhcpv6_client.c) plays the subscriber's CPE, its
 * messages carried as IPv6/UDP from its link-local address to ff02::1:2
 * (RFC 8415 §7.1) inside the session's PPP.  Checked: Solicit, Advertise,
 * Request, Reply bind a prefix of delegated-prefix-length from the pool;
 * the prefix is routed into the TUN toward the session and the session may
 * source packets from it (anti-spoofing); Release and the session's end
 * give it back and take the route away; an exhausted pool is answered
 * NoPrefixAvail; Rapid Commit; Information-Request gets dns6.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "ipv6/dhcpv6_client.h"
#include "ipv6/dhcpv6_codec.h"
#include "ipv6/ra.h"
#include "ipv6/udp6.h"
#include "lns_common.h"
#include "role_harness.h"
#include "roles/lns_dhcpv6.h"
#include "roles/lns_ipv6.h"
#include "roles/roles_priv.h"

/* A /54 holds four /56s. */
#define PD_CONF(extra) \
	"[global]\nhostname = lns.test\n\n" \
	"[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n" \
	"auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n" \
	"ipv6-pool = 2001:db8:100::/62\ndns6 = 2001:db8::53\n" \
	"delegated-prefix-pool = 2001:db8:200::/" extra "\n"

static const char pd_conf[] = PD_CONF("54");
static const char pd_conf_one[] = PD_CONF("56");
static const char pd_conf_rapid[] = PD_CONF("54\ndhcpv6-rapid-commit = yes");

static const uint8_t peer_id[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44,
	0x55 };

/* The CPE: the client engine, what it sent, and the replies it is due. */
struct cpe {
	struct role_harness *h;
	struct rh_peer *p;
	struct rh_call *c;
	struct dhcpv6_client cl;
	uint8_t reply[4][1200];
	size_t reply_len[4];
	unsigned nreply;
	unsigned bound, lost;
	struct dhcpv6_pd_lease lease;
};

static void
p6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void
cpe_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct cpe *e = ctx;
	uint8_t src[16], pkt[1500];
	uint64_t rx = e->c->ipv6_rx;
	struct udp6_view u;
	size_t n;

	ipv6_link_local(src, peer_id);
	n = udp6_build(src, ipv6_all_dhcp_servers, DHCPV6_CLIENT_PORT,
	    DHCPV6_SERVER_PORT, 255, msg, len, pkt, sizeof(pkt));
	assert_true(n > 0);
	rh_ipv6_send(e->h, e->p, e->c, pkt, n);
	if (e->c->ipv6_rx == rx || e->nreply == 4)
		return;
	/* §7.2: from the LNS's link-local address, port 547, to ours at
	 * 546, with a good checksum. */
	assert_true(udp6_parse(e->c->ipv6_last, e->c->ipv6_last_len, &u));
	assert_int_equal(u.sport, DHCPV6_SERVER_PORT);
	assert_int_equal(u.dport, DHCPV6_CLIENT_PORT);
	assert_true(ipv6_is_link_local(u.src));
	assert_memory_equal(u.dst, src, 16);
	memcpy(e->reply[e->nreply], u.payload, u.plen);
	e->reply_len[e->nreply++] = u.plen;
}

static void
cpe_event(void *ctx, enum dhcpv6_client_event ev,
    const struct dhcpv6_pd_lease *l)
{
	struct cpe *e = ctx;

	if (ev == DHCPV6_EV_BOUND) {
		e->bound++;
		e->lease = *l;
	} else if (ev == DHCPV6_EV_LOST) {
		e->lost++;
	}
}

static const struct dhcpv6_client_ops cpe_ops = {
	.send = cpe_send,
	.event = cpe_event,
};

/* Replies go to the engine after its send returned (no reentry). */
static void
cpe_deliver(struct cpe *e)
{
	while (e->nreply > 0) {
		unsigned i;
		uint8_t m[1200];
		size_t n = e->reply_len[0];

		memcpy(m, e->reply[0], n);
		for (i = 1; i < e->nreply; i++) {
			memcpy(e->reply[i - 1], e->reply[i], e->reply_len[i]);
			e->reply_len[i - 1] = e->reply_len[i];
		}
		e->nreply--;
		dhcpv6_client_input(&e->cl, m, n, e->h->now);
	}
}

static void
cpe_init(struct cpe *e, struct role_harness *h, struct rh_peer *p,
    struct rh_call *c, uint8_t duid_tail, bool rapid)
{
	struct dhcpv6_client_config cfg;
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, duid_tail };

	memset(e, 0, sizeof(*e));
	e->h = h;
	e->p = p;
	e->c = c;
	memset(&cfg, 0, sizeof(cfg));
	dhcpv6_duid_ll(&cfg.duid, 1, mac, sizeof(mac));
	cfg.iaid = 1;
	cfg.hint_plen = 56;
	cfg.rapid_commit = rapid;
	cfg.want_dns = true;
	dhcpv6_client_init(&e->cl, &cfg, &cpe_ops, e);
}

/* Runs the engine's timers for up to ms, a step at a time, keeping the
 * session alive; stops once bound when until_bound. */
static void
cpe_run(struct cpe *e, uint64_t ms, bool until_bound)
{
	uint64_t end = e->h->now + ms;

	while (e->h->now < end && !(until_bound && e->bound > 0)) {
		uint64_t d = dhcpv6_client_next_deadline(&e->cl);
		uint64_t step = d > e->h->now ? d - e->h->now : 0;

		if (step > 1000)
			step = 1000;
		rh_advance(e->h, step);
		rh_ppp_echo_reply(e->h, e->p, e->c);
		dhcpv6_client_timer(&e->cl, e->h->now);
		cpe_deliver(e);
		if (step == 0)
			rh_advance(e->h, 1);
	}
}

static struct role_harness *
up(const char *conf, const char *users, struct rh_peer **pp,
    struct rh_call **cp)
{
	struct role_harness *h = rh_new(conf, "users", users, NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_int_equal(rh_ppp_up_pap(h, p, c, "alice", "secret"), POOL_FIRST);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	rh_advance(h, 0);
	*pp = p;
	*cp = c;
	return h;
}

/* An IPv6/UDP packet src -> dst with 8 octets of payload. */
static size_t
data_packet(uint8_t *b, size_t cap, const char *src, const char *dst)
{
	uint8_t s[16], d[16], pl[8] = { 0 };

	p6(src, s);
	p6(dst, d);
	return udp6_build(s, d, 40000, 9, 64, pl, sizeof(pl), b, cap);
}

static const struct fake_route6 *
route6(const struct role_harness *h, const uint8_t pfx[16], unsigned plen)
{
	for (unsigned i = 0; i < h->io.nroutes6; i++)
		if (h->io.routes6[i].plen == plen &&
		    memcmp(h->io.routes6[i].dst, pfx, 16) == 0)
			return &h->io.routes6[i];
	return NULL;
}

static uint32_t
pd_used(const struct role_harness *h)
{
	char pfx[64];
	unsigned plen;
	uint32_t size, used;

	assert_true(lns6_pd_pool(h->r, pfx, sizeof(pfx), &plen, &size, &used));
	assert_string_equal(pfx, "2001:db8:200::/54");
	assert_int_equal(plen, 56);
	return used;
}

static void
test_pd_four_messages(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up(pd_conf, "alice secret\n", &p, &c);
	struct cpe e;
	uint8_t want[16], b[128];
	char str[64];
	size_t n;

	(void)state;
	assert_int_equal(pd_used(h), 0);
	cpe_init(&e, h, p, c, 1, false);
	dhcpv6_client_start(&e.cl, h->now);
	cpe_run(&e, 10000, true);
	assert_int_equal(e.bound, 1);
	/* Solicit, Request in; Advertise, Reply out. */
	assert_int_equal(lns6_pd_stats(h->r)->rx, 2);
	assert_int_equal(lns6_pd_stats(h->r)->tx, 2);
	assert_int_equal(e.lease.plen, 56);
	p6("2001:db8:200::", want);
	assert_true(memcmp(e.lease.prefix, want, 6) == 0);
	assert_int_equal(e.lease.preferred, LNS6PD_PREFERRED_LIFETIME);
	assert_int_equal(e.lease.valid, LNS6PD_VALID_LIFETIME);
	/* RFC 3646: the dns6 server came with it. */
	assert_int_equal(e.cl.ndns, 1);
	assert_int_equal(pd_used(h), 1);
	/* Routed into the TUN, beside the /64. */
	assert_int_equal(h->io.nroutes6, 2);
	assert_non_null(route6(h, e.lease.prefix, 56));
	assert_int_equal(route6(h, e.lease.prefix, 56)->ifindex,
	    FAKE_TUN_IFINDEX);
	/* Upstream from a /64 of the delegated prefix: into the TUN. */
	inet_ntop(AF_INET6, e.lease.prefix, str, sizeof(str));
	{
		uint8_t src[16];
		char s[64];

		memcpy(src, e.lease.prefix, 16);
		src[7] = 0x05;
		src[15] = 1;
		inet_ntop(AF_INET6, src, s, sizeof(s));
		n = data_packet(b, sizeof(b), s, "2001:db8:ffff::1");
		h->io.tun_last_len = 0;
		rh_ipv6_send(h, p, c, b, n);
		assert_int_equal(h->io.tun_last_len, n);
		/* Downstream to it: to the session. */
		n = data_packet(b, sizeof(b), "2001:db8:ffff::1", s);
		{
			uint64_t rx = c->ipv6_rx;

			assert_true(fake_tun_push(&h->io, b, n));
			assert_true(
			    fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
			assert_int_equal(c->ipv6_rx, rx + 1);
			assert_memory_equal(c->ipv6_last, b, n);
		}
	}
	/* From another /56 of the pool: spoofed. */
	h->io.tun_last_len = 0;
	n = data_packet(b, sizeof(b), "2001:db8:200:300::1",
	    "2001:db8:ffff::1");
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(h->io.tun_last_len, 0);
	assert_int_equal(lns6_stats(h->r)->rx_spoofed, 1);

	/* The session's end: the route goes, the /56 goes back. */
	memcpy(want, e.lease.prefix, 16);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_null(route6(h, want, 56));
	assert_int_equal(h->io.nroutes6, 0);
	assert_int_equal(pd_used(h), 0);
	rh_free(h);
}

/* RFC 8415 §18.2.7: Release gives the prefix back at once. */
static void
test_pd_release(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up(pd_conf, "alice secret\n", &p, &c);
	struct cpe e;

	(void)state;
	cpe_init(&e, h, p, c, 1, false);
	dhcpv6_client_start(&e.cl, h->now);
	cpe_run(&e, 10000, true);
	assert_int_equal(e.bound, 1);
	assert_int_equal(pd_used(h), 1);
	dhcpv6_client_release(&e.cl, h->now);
	cpe_deliver(&e);
	assert_int_equal(pd_used(h), 0);
	assert_null(route6(h, e.lease.prefix, 56));
	assert_int_equal(h->io.nroutes6, 1);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

/* §21.14: Solicit with Rapid Commit is answered with a Reply. */
static void
test_pd_rapid_commit(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up(pd_conf_rapid, "alice secret\n", &p, &c);
	struct cpe e;

	(void)state;
	cpe_init(&e, h, p, c, 1, true);
	dhcpv6_client_start(&e.cl, h->now);
	cpe_run(&e, 10000, true);
	assert_int_equal(e.bound, 1);
	assert_int_equal(lns6_pd_stats(h->r)->rx, 1);
	assert_int_equal(lns6_pd_stats(h->r)->tx, 1);
	assert_non_null(route6(h, e.lease.prefix, 56));
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

/* A pool of one /56: the second session gets NoPrefixAvail (RFC 8415
 * §18.3.9) and no route; once the first ends, the second can have it. */
static void
test_pd_exhausted(void **state)
{
	struct role_harness *h = rh_new(pd_conf_one, "users",
	    "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c1, *c2;
	struct cpe e1, e2;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c1 = rh_call_open(h, p);
	c2 = rh_call_open(h, p);
	assert_true(rh_ppp_up_pap(h, p, c1, "alice", "secret") != 0);
	assert_true(rh_ppp_up_pap(h, p, c2, "bob", "secret") != 0);
	assert_true(rh_ppp_ipv6cp(h, p, c1, peer_id));
	assert_true(rh_ppp_ipv6cp(h, p, c2, peer_id));
	rh_advance(h, 0);
	cpe_init(&e1, h, p, c1, 1, false);
	cpe_init(&e2, h, p, c2, 2, false);
	dhcpv6_client_start(&e1.cl, h->now);
	cpe_run(&e1, 10000, true);
	assert_int_equal(e1.bound, 1);
	dhcpv6_client_start(&e2.cl, h->now);
	cpe_run(&e2, 5000, true);
	rh_ppp_echo_reply(h, p, c1);
	assert_int_equal(e2.bound, 0);
	assert_true(lns6_pd_stats(h->r)->no_prefix >= 1);
	/* Two /64 routes and one /56. */
	assert_int_equal(h->io.nroutes6, 3);
	rh_call_close(h, p, c1, 3);
	rh_advance(h, 100);
	cpe_run(&e2, 200000, true);
	assert_int_equal(e2.bound, 1);
	assert_non_null(route6(h, e2.lease.prefix, 56));
	rh_call_close(h, p, c2, 3);
	rh_advance(h, 100);
	assert_int_equal(h->io.nroutes6, 0);
	rh_free(h);
}

/* RFC 8415 §18.2.6 / §18.3.6: Information-Request gets a Reply with the
 * DNS servers and the LNS's Server Identifier, stable for its hostname. */
static void
test_information_request(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up(pd_conf, "alice secret\n", &p, &c);
	struct dhcpv6_msg m, r;
	uint8_t msg[256], src[16], pkt[512], want[16];
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	struct udp6_view u;
	uint64_t rx;
	int len;
	size_t n;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = DHCPV6_INFORMATION_REQUEST;
	m.xid = 0x123456;
	dhcpv6_duid_ll(&m.client_id, 1, mac, sizeof(mac));
	m.present = DHCPV6_HAVE_CLIENTID | DHCPV6_HAVE_ORO;
	m.noro = 1;
	m.oro[0] = DHCPV6_OPT_DNS_SERVERS;
	len = dhcpv6_build(&m, msg, sizeof(msg));
	assert_true(len > 0);
	ipv6_link_local(src, peer_id);
	n = udp6_build(src, ipv6_all_dhcp_servers, DHCPV6_CLIENT_PORT,
	    DHCPV6_SERVER_PORT, 255, msg, (size_t)len, pkt, sizeof(pkt));
	rx = c->ipv6_rx;
	rh_ipv6_send(h, p, c, pkt, n);
	assert_int_equal(c->ipv6_rx, rx + 1);
	assert_true(udp6_parse(c->ipv6_last, c->ipv6_last_len, &u));
	assert_int_equal(dhcpv6_parse(u.payload, u.plen, &r), DHCPV6_OK);
	assert_int_equal(r.type, DHCPV6_REPLY);
	assert_int_equal(r.xid, 0x123456);
	assert_int_equal(r.ndns, 1);
	p6("2001:db8::53", want);
	assert_memory_equal(r.dns[0], want, 16);
	/* RFC 6355 DUID-UUID, 2 + 16 octets. */
	assert_int_equal(r.server_id.len, 18);
	assert_int_equal(get_be16(r.server_id.b), DHCPV6_DUID_UUID);
	/* A bad UDP checksum is not the server's: counted. */
	pkt[n - 1] ^= 1;
	rh_ipv6_send(h, p, c, pkt, n);
	assert_int_equal(c->ipv6_rx, rx + 1);
	assert_int_equal(lns6_pd_stats(h->r)->bad, 1);
	/* Nor is one from a global source (§7.1 link-local). */
	pkt[n - 1] ^= 1;
	p6("2001:db8:100::1", src);
	n = udp6_build(src, ipv6_all_dhcp_servers, DHCPV6_CLIENT_PORT,
	    DHCPV6_SERVER_PORT, 255, msg, (size_t)len, pkt, sizeof(pkt));
	rh_ipv6_send(h, p, c, pkt, n);
	assert_int_equal(lns6_pd_stats(h->r)->bad, 2);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pd_four_messages),
		cmocka_unit_test(test_pd_release),
		cmocka_unit_test(test_pd_rapid_commit),
		cmocka_unit_test(test_pd_exhausted),
		cmocka_unit_test(test_information_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
