/*
 * test_roles_lns_ipv6.c — IPv6 for the LNS's subscribers on the seam's
 * recorder (tests/support/role_harness.h): IPv6CP (RFC 5072) beside IPCP,
 * the session's /64 from ipv6-pool routed into the TUN, the Router
 * Advertisement that carries it (RFC 4861 §6.2.4: the first at once, more
 * soon after; §6.2.6: an RS brings one within MIN_DELAY_BETWEEN_RAS of the
 * last), both directions of the data path with anti-spoofing, and the NCPs'
 * independence (RFC 1661 §3.5): a peer that rejects IPCP keeps IPv6, a
 * peer that rejects IPv6CP keeps IPv4, and without IPv6 configured the
 * LNS rejects IPv6CP as before.  An IPv6-only session holds no IPv4
 * address, and its IPCP opening late ends it.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "dataplane/prefix6pool.h"
#include "ipv6/ra.h"
#include "lns_common.h"
#include "ppp/ppp_proto.h"
#include "role_harness.h"
#include "roles/lns_ipv6.h"
#include "roles/roles_priv.h"

static const char v6_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n"
    "ipv6-pool = 2001:db8:100::/62\ndns6 = 2001:db8::53\n";

static const char v4_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n";

static const uint8_t peer_id[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44,
	0x55 };

static void
p6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

/* A UDP packet src -> dst with 8 bytes of payload (checksum not needed
 * by the LNS). */
static size_t
ip6_packet(uint8_t *b, const char *src, const char *dst)
{
	memset(b, 0, 56);
	b[0] = 0x60;
	put_be16(b + 4, 16);
	b[6] = 17;
	b[7] = 64;
	p6(src, b + 8);
	p6(dst, b + 24);
	put_be16(b + 44, 16);
	return 56;
}

/* A valid RS from the peer's link-local address (RFC 4861 §4.1). */
static size_t
rs_packet(uint8_t *b)
{
	uint16_t ck;

	memset(b, 0, 48);
	b[0] = 0x60;
	put_be16(b + 4, 8);
	b[6] = 58;
	b[7] = 255;
	ipv6_link_local(b + 8, peer_id);
	memcpy(b + 24, ipv6_all_routers, 16);
	b[40] = ICMP6_RS;
	ck = icmp6_checksum(b + 8, b + 24, b + 40, 8);
	put_be16(b + 42, ck);
	return 48;
}

/* The roles' interface identifier, from their IPv6CP request. */
static void
lns_id(const struct rh_call *c, uint8_t id[8])
{
	assert_true(c->v6cp_req_len >= 14);
	assert_int_equal(c->v6cp_req[4], IPV6CP_OPT_INTERFACE_ID);
	memcpy(id, c->v6cp_req + 6, 8);
}

static struct role_harness *
up_dual(const char *conf, struct rh_peer **pp, struct rh_call **cp)
{
	struct role_harness *h = rh_new(conf, "users", "alice secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_int_equal(rh_ppp_up_pap(h, p, c, "alice", "secret"), POOL_FIRST);
	*pp = p;
	*cp = c;
	return h;
}

static void
test_dual_stack(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up_dual(v6_conf, &p, &c);
	struct ra_info ri;
	uint8_t id[8], want[16], b[128];
	uint64_t ras;
	size_t n;

	(void)state;
	/* IPv6CP started beside IPCP; ours is Ack'd. */
	lns_id(c, id);
	assert_memory_not_equal(id, peer_id, 8);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	rh_advance(h, 0);

	/* §6.2.4: the first RA at once, from fe80::<its identifier>, with
	 * the session's /64 (A and L), the RDNSS server and the MTU. */
	assert_int_equal(c->ipv6_rx, 1);
	assert_int_equal(ra_parse(c->ipv6_last, c->ipv6_last_len, &ri), 0);
	ipv6_link_local(want, id);
	assert_memory_equal(ri.src, want, 16);
	assert_true(ri.has_prefix && ri.autonomous && ri.on_link);
	assert_int_equal(ri.prefix_len, 64);
	p6("2001:db8:100::", want);
	assert_memory_equal(ri.prefix, want, 16);
	assert_int_equal(ri.dns_count, 1);
	assert_int_equal(ri.mtu, 1400);
	assert_true(ri.router_lifetime > 0);
	/* The /64 is routed into the TUN; the pool counts it. */
	assert_int_equal(h->io.nroutes6, 1);
	assert_memory_equal(h->io.routes6[0].dst, want, 16);
	assert_int_equal(h->io.routes6[0].plen, 64);
	assert_int_equal(h->io.routes6[0].ifindex, FAKE_TUN_IFINDEX);
	{
		struct lns6_pool_view v;

		lns6_pool_view(h->r, &v);
		assert_true(v.configured);
		assert_int_equal(v.size, 4);
		assert_int_equal(v.used, 1);
		assert_string_equal(v.prefix, "2001:db8:100::/62");
	}

	/* Upstream from the /64: into the TUN. */
	n = ip6_packet(b, "2001:db8:100::1234", "2001:db8:ffff::1");
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(h->io.tun_last_len, n);
	assert_memory_equal(h->io.tun_last, b, n);
	assert_int_equal(lns6_stats(h->r)->rx_packets, 1);
	/* From outside it: dropped and counted. */
	h->io.tun_last_len = 0;
	n = ip6_packet(b, "2001:db8:100:1::1", "2001:db8:ffff::1");
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(h->io.tun_last_len, 0);
	assert_int_equal(lns6_stats(h->r)->rx_spoofed, 1);
	/* Link-local source to a global destination: not forwarded. */
	n = ip6_packet(b, "fe80::211:22ff:fe33:4455", "2001:db8:ffff::1");
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(h->io.tun_last_len, 0);
	assert_int_equal(lns6_stats(h->r)->rx_spoofed, 2);

	/* Downstream: the TUN to the session owning the /64. */
	n = ip6_packet(b, "2001:db8:ffff::1", "2001:db8:100::1234");
	assert_true(fake_tun_push(&h->io, b, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(c->ipv6_rx, 2);
	assert_memory_equal(c->ipv6_last, b, n);
	/* For no session: counted, not sent. */
	n = ip6_packet(b, "2001:db8:ffff::1", "2001:db8:100:3::1");
	assert_true(fake_tun_push(&h->io, b, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(c->ipv6_rx, 2);
	assert_int_equal(lns6_stats(h->r)->tun_no_session, 1);

	/* §6.2.4: the next unsolicited ones at most 16 s apart. */
	ras = lns6_stats(h->r)->ra_sent;
	rh_ppp_echo_reply(h, p, c);
	rh_advance(h, RA_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS);
	assert_int_equal(lns6_stats(h->r)->ra_sent, ras + 1);
	/* §6.2.6: an RS is answered within MAX_RA_DELAY_TIME once
	 * MIN_DELAY_BETWEEN_RAS since the last has passed. */
	rh_advance(h, RA_MIN_DELAY_BETWEEN_RAS_MS);
	n = rs_packet(b);
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(lns6_stats(h->r)->rs_received, 1);
	rh_advance(h, RA_MAX_RA_DELAY_TIME_MS);
	assert_int_equal(lns6_stats(h->r)->ra_sent, ras + 2);
	/* A broken RS (hop limit not 255, §6.1.1) is not. */
	b[7] = 64;
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(lns6_stats(h->r)->rs_invalid, 1);

	/* The call's end gives the /64 back and takes its route away. */
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_int_equal(h->io.nroutes6, 0);
	{
		struct lns6_pool_view v;

		lns6_pool_view(h->r, &v);
		assert_int_equal(v.used, 0);
	}
	rh_free(h);
}

/* Two sessions: different /64s (one each) and different LNS
 * identifiers on each link. */
static void
test_two_sessions(void **state)
{
	struct role_harness *h = rh_new(v6_conf, "users",
	    "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c1, *c2;
	struct ra_info r1, r2;
	uint8_t id1[8], id2[8];

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c1 = rh_call_open(h, p);
	c2 = rh_call_open(h, p);
	assert_true(rh_ppp_up_pap(h, p, c1, "alice", "secret") != 0);
	assert_true(rh_ppp_up_pap(h, p, c2, "bob", "secret") != 0);
	assert_true(rh_ppp_ipv6cp(h, p, c1, peer_id));
	assert_true(rh_ppp_ipv6cp(h, p, c2, peer_id));
	rh_advance(h, 0);
	assert_int_equal(ra_parse(c1->ipv6_last, c1->ipv6_last_len, &r1), 0);
	assert_int_equal(ra_parse(c2->ipv6_last, c2->ipv6_last_len, &r2), 0);
	assert_memory_not_equal(r1.prefix, r2.prefix, 16);
	lns_id(c1, id1);
	lns_id(c2, id2);
	assert_memory_not_equal(id1, id2, 8);
	assert_int_equal(h->io.nroutes6, 2);
	rh_call_close(h, p, c1, 3);
	rh_call_close(h, p, c2, 3);
	rh_advance(h, 100);
	assert_int_equal(h->io.nroutes6, 0);
	rh_free(h);
}

/* RFC 1661 §5.7: the peer rejects IPCP; IPv6CP carries the session. */
static void
test_ipv6_only(void **state)
{
	struct role_harness *h = rh_new(v6_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	uint8_t b[64];
	size_t n;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_true(rh_ppp_lcp_pap(h, p, c, "alice", "secret"));
	assert_true(c->pap_ack);
	assert_int_equal(pool_used(h), 1);
	rh_ppp_proto_rej(h, p, c, PPP_PROTO_IPCP);
	/* The address set aside for IPCP is the pool's again. */
	assert_int_equal(pool_used(h), 0);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	rh_advance(h, 0);
	assert_int_equal(c->lcp_term_req, 0);
	assert_int_equal(c->ipv6_rx, 1);
	assert_int_equal(h->io.nroutes6, 1);
	/* Past the negotiation timeout: IPv6 alone is a network phase. */
	for (unsigned i = 0; i < 8; i++) {
		rh_advance(h, 5000);
		rh_ppp_echo_reply(h, p, c);
	}
	assert_int_equal(c->lcp_term_req, 0);
	n = ip6_packet(b, "2001:db8:100::1", "2001:db8:ffff::1");
	rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(h->io.tun_last_len, n);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

/* IPCP opening after the peer rejected it would use an address the pool
 * may have given to another session since: the session ends instead. */
static void
test_ipcp_after_reject(void **state)
{
	struct role_harness *h = rh_new(v6_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_true(rh_ppp_lcp_pap(h, p, c, "alice", "secret"));
	rh_ppp_proto_rej(h, p, c, PPP_PROTO_IPCP);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	assert_int_equal(pool_used(h), 0);
	(void)rh_ppp_ipcp(h, p, c);
	rh_advance(h, 0);
	assert_int_equal(c->lcp_term_req, 1);
	assert_int_equal(pool_used(h), 0);
	assert_int_equal(h->io.nroutes, 0);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

/* The peer rejects IPv6CP: IPv4 goes on, no /64 is taken. */
static void
test_ipv6cp_rejected(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up_dual(v6_conf, &p, &c);

	(void)state;
	rh_ppp_proto_rej(h, p, c, PPP_PROTO_IPV6CP);
	rh_advance(h, 0);
	assert_int_equal(c->lcp_term_req, 0);
	assert_int_equal(h->io.nroutes6, 0);
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, POOL_FIRST, 32));
	for (unsigned i = 0; i < 8; i++) {
		rh_advance(h, 5000);
		rh_ppp_echo_reply(h, p, c);
	}
	assert_int_equal(c->lcp_term_req, 0);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

/* Without ipv6 / ipv6-pool the LNS rejects IPv6CP (RFC 1661 §5.7). */
static void
test_ipv6_off(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = up_dual(v4_conf, &p, &c);

	(void)state;
	assert_int_equal(c->v6cp_req_len, 0);
	assert_false(rh_ppp_ipv6cp(h, p, c, peer_id));
	assert_int_equal(c->proto_rej, 1);
	assert_int_equal(c->proto_rej_last, PPP_PROTO_IPV6CP);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dual_stack),
		cmocka_unit_test(test_two_sessions),
		cmocka_unit_test(test_ipv6_only),
		cmocka_unit_test(test_ipcp_after_reject),
		cmocka_unit_test(test_ipv6cp_rejected),
		cmocka_unit_test(test_ipv6_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
