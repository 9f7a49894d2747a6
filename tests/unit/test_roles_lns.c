/*
 * test_roles_lns.c — the LNS role on the seam's recorder
 * (tests/support/role_harness.h): a scripted LAC opens a tunnel and a
 * call (RFC 2661 §5.1/§7.4.2: SCCRQ/SCCRP/SCCCN, ICRQ/ICRP/ICCN), PPP
 * comes up with PAP against a users file (RFC 1334) and IPCP gives the
 * first pool address (RFC 1332); the host route the LNS added, a packet
 * from the TUN device carried to the peer as an L2TP data message, and
 * the peer's CDN taking the route away and giving the address back.
 * Then the rules around that path: the pool running out and fixed
 * addresses held twice, the data path's drops (spoofed sources,
 * isolate-sessions, TUN packets for no session), PPP's negotiation and
 * echo deadlines on the fake clock, and shutdown (StopCCN to every peer,
 * idle once acknowledged).  Reload is in test_roles_lns_reload.c,
 * RADIUS accounting in test_roles_lns_acct.c.
 * No descriptor is opened and the clock is the test's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "l2tp/msg.h"
#include "lns_common.h"
#include "role_harness.h"
#include "roles/roles_priv.h"

static const char lns_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n";

/* A UDP datagram from 192.0.2.99 to dst, as the kernel hands it to the
 * TUN device. */
static size_t
ip_packet(uint8_t *ip, uint32_t dst)
{
	memset(ip, 0, 32);
	ip[0] = 0x45;
	put_be16(ip + 2, 32);
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 192;
	ip[13] = 0;
	ip[14] = 2;
	ip[15] = 99;
	ip[16] = (uint8_t)(dst >> 24);
	ip[17] = (uint8_t)(dst >> 16);
	ip[18] = (uint8_t)(dst >> 8);
	ip[19] = (uint8_t)dst;
	memcpy(ip + 28, "ping", 4);
	return 32;
}

static void
test_lns_call_up_data_and_cdn(void **state)
{
	struct role_harness *h = rh_new(lns_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	const struct rh_dgram *d;
	struct rh_call *c;
	struct l2tp_hdr hd;
	uint8_t ip[32];
	size_t n;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	assert_int_equal(p->last_type, L2TP_MSG_SCCRP);
	c = rh_call_open(h, p);
	assert_non_null(c);
	rh_advance(h, 100);
	a = rh_ppp_up_pap(h, p, c, "alice", "secret");
	assert_int_equal(a, POOL_FIRST);
	assert_int_equal(pool_used(h), 1);
	/* The host route to the user's address, on the LNS's TUN device. */
	assert_non_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	assert_int_equal(h->io.nroutes, 1);

	/* Downstream: the TUN device to the call's data channel. */
	n = ip_packet(ip, a);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(c->ip_rx, 1);
	assert_int_equal(c->ip_last_len, n);
	assert_memory_equal(c->ip_last, ip, n);
	d = rh_sent(h, 0);
	assert_non_null(d);
	assert_true(l2tp_addr_equal(&d->peer, &p->addr));
	assert_int_equal(l2tp_hdr_decode(d->pkt, d->len, &hd), L2TP_HDR_OK);
	assert_false(hd.is_control);
	/* RFC 2661 §3.1: the receiver's IDs, ours as the LAC. */
	assert_int_equal(hd.tunnel_id, p->tid);
	assert_int_equal(hd.session_id, c->sid);

	/* Upstream: an IP packet from the user reaches the TUN device. */
	{
		uint8_t f[2 + 32];

		put_be16(f, 0x0021);
		n = ip_packet(f + 2, 0xc0000263);
		f[12 + 2] = (uint8_t)(a >> 24);
		f[13 + 2] = (uint8_t)(a >> 16);
		f[14 + 2] = (uint8_t)(a >> 8);
		f[15 + 2] = (uint8_t)a;
		rh_ppp_send(h, p, c, f, 2 + n);
		assert_int_equal(h->io.tun_written, 1);
		assert_int_equal(h->io.tun_last_len, n);
	}

	/* The LAC ends the call: route removed, address back in the pool. */
	rh_advance(h, 1000);
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	assert_int_equal(h->io.nroutes, 0);
	assert_int_equal(pool_used(h), 0);
	rh_free(h);
}

/* A wrong password: no address, no route, the pool untouched. */
static void
test_lns_pap_refused(void **state)
{
	struct role_harness *h = rh_new(lns_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_int_equal(rh_ppp_up_pap(h, p, c, "alice", "wrong"), 0);
	assert_false(c->pap_ack);
	assert_int_equal(h->io.nroutes, 0);
	assert_int_equal(pool_used(h), 0);
	rh_free(h);
}

static const char pool2_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.11\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n";

/* A pool of two: the third session is refused and counted; once one
 * ends, the next session gets the address it freed. */
static void
test_lns_pool_exhausted(void **state)
{
	struct role_harness *h = rh_new(pool2_conf, "users",
	    "alice secret\nbob secret\ncarol secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c1, *c3;
	uint32_t a1, a2, a3;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c1 = call_up(h, p, "alice", "secret", &a1);
	(void)call_up(h, p, "bob", "secret", &a2);
	assert_int_equal(a1, POOL_FIRST);
	assert_int_equal(a2, POOL_FIRST + 1);
	assert_int_equal(roles_pool_refused(h->r), 0);

	c3 = call_up(h, p, "carol", "secret", &a3);
	assert_int_equal(a3, 0);
	assert_int_equal(c3->offered, 0);
	assert_int_equal(roles_pool_refused(h->r), 1);
	assert_int_equal(pool_used(h), 2);
	assert_int_equal(h->io.nroutes, 2);
	/* The refused call is ended (RFC 1661 §3.7 Terminate, then CDN). */
	rh_advance(h, 10000);
	assert_false(c3->open);
	assert_int_equal(pool_used(h), 2);

	rh_call_close(h, p, c1, 3);
	assert_int_equal(pool_used(h), 1);
	(void)call_up(h, p, "carol", "secret", &a3);
	assert_int_equal(a3, a1);
	assert_int_equal(roles_pool_refused(h->r), 1);
	assert_int_equal(pool_used(h), 2);
	rh_free(h);
}

/* A fixed address (users file) is one session's at a time, inside the
 * pool or not; held by another session, the newcomer is refused. */
static void
test_lns_fixed_address_held(void **state)
{
	struct role_harness *h = rh_new(lns_conf, "users",
	    "alice secret 10.9.0.50\nbob secret 10.9.0.10\ncarol secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0), *q = rh_peer(h, 1);
	struct rh_call *c;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	assert_true(rh_tunnel_open(h, q));
	(void)call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, 0x0a090032);
	assert_int_equal(pool_used(h), 0); /* outside the pool */
	(void)call_up(h, q, "alice", "secret", &a);
	assert_int_equal(a, 0);
	assert_int_equal(roles_pool_refused(h->r), 1);

	/* carol takes the pool's first address, which is bob's own. */
	c = call_up(h, p, "carol", "secret", &a);
	assert_int_equal(a, POOL_FIRST);
	(void)call_up(h, q, "bob", "secret", &a);
	assert_int_equal(a, 0);
	assert_int_equal(roles_pool_refused(h->r), 2);

	/* Once carol is gone, bob gets it. */
	rh_advance(h, 10000);
	rh_call_close(h, p, c, 3);
	(void)call_up(h, q, "bob", "secret", &a);
	assert_int_equal(a, POOL_FIRST);
	assert_int_equal(pool_used(h), 1);
	rh_free(h);
}

static const char isolate_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n"
    "isolate-sessions = yes\n";

/* Upstream: only the session's own source address gets in, the drops
 * counted; with isolate-sessions, nothing reaches another session;
 * downstream, a packet for no session is counted and dropped. */
static void
test_lns_data_path_rules(void **state)
{
	struct role_harness *h = rh_new(isolate_conf, "users",
	    "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *ca, *cb;
	struct roles_tun_stats st;
	uint8_t ip[64];
	uint32_t a, b;
	size_t n;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	ca = call_up(h, p, "alice", "secret", &a);
	cb = call_up(h, p, "bob", "secret", &b);
	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);

	(void)rh_ip_send(h, p, ca, a, OUTSIDE, 8);
	assert_int_equal(h->io.tun_written, 1);
	/* bob's address as alice's source: spoofed. */
	(void)rh_ip_send(h, p, ca, b, OUTSIDE, 8);
	assert_int_equal(h->io.tun_written, 1);
	assert_int_equal(h->r->lns.rx_spoofed, 1);
	/* Not IPv4 at all. */
	{
		uint8_t f[2 + 24] = { 0x00, 0x21, 0x60 };

		rh_ppp_send(h, p, ca, f, sizeof(f));
		assert_int_equal(h->r->lns.rx_bad_ip, 1);
	}
	/* alice to bob: isolated. */
	(void)rh_ip_send(h, p, ca, a, b, 8);
	assert_int_equal(h->io.tun_written, 1);
	roles_tun_stats(h->r, &st);
	assert_int_equal(st.isolated, 1);
	assert_int_equal(cb->ip_rx, 0);
	/* bob's own traffic still flows. */
	(void)rh_ip_send(h, p, cb, b, OUTSIDE, 8);
	assert_int_equal(h->io.tun_written, 2);

	/* TUN: a packet to an address no session holds, one not IPv4. */
	n = rh_ip_packet(ip, sizeof(ip), OUTSIDE, POOL_FIRST + 3, 8);
	assert_true(fake_tun_push(&h->io, ip, n));
	ip[0] = 0x60;
	assert_true(fake_tun_push(&h->io, ip, n));
	n = rh_ip_packet(ip, sizeof(ip), OUTSIDE, b, 8);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(h->r->lns.tun_no_session, 1);
	assert_int_equal(h->r->lns.tun_not_ipv4, 1);
	assert_int_equal(cb->ip_rx, 1);
	assert_int_equal(ca->ip_rx, 0);
	rh_free(h);

	/* Without isolate-sessions the kernel routes user to user. */
	h = rh_new(lns_conf, "users", "alice secret\nbob secret\n", NULL);
	p = rh_peer(h, 0);
	assert_true(rh_tunnel_open(h, p));
	ca = call_up(h, p, "alice", "secret", &a);
	(void)call_up(h, p, "bob", "secret", &b);
	(void)rh_ip_send(h, p, ca, a, b, 8);
	assert_int_equal(h->io.tun_written, 1);
	roles_tun_stats(h->r, &st);
	assert_int_equal(st.isolated, 0);
	rh_free(h);
}

static const char negotiate_conf[] =
    "[global]\nhostname = lns.test\nppp-negotiation-timeout = 5\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n";

/* ppp-negotiation-timeout: a call whose PPP never comes up is ended at
 * that time, not before (LCP's own retries would last 30 s). */
static void
test_lns_negotiation_timeout(void **state)
{
	struct role_harness *h = rh_new(negotiate_conf, "users",
	    "alice secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_int_not_equal(c->lcp_req_len, 0);
	rh_advance(h, 4999);
	assert_true(c->open);
	assert_int_equal(c->lcp_term_req, 0);
	rh_advance(h, 1);
	/* RFC 1661 §3.7: Terminate-Request, then the CDN once done. */
	assert_int_equal(c->lcp_term_req, 1);
	rh_advance(h, 10000);
	assert_false(c->open);
	assert_int_equal(pool_used(h), 0);
	rh_free(h);
}

/* RFC 1661 §5.8: an Echo-Request every 10 s once up; three unanswered,
 * the fourth interval ends the call (40 s), not before; answered, the
 * call lives on. */
static void
test_lns_echo_timeout(void **state)
{
	struct role_harness *h = rh_new(lns_conf, "users",
	    "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *ca, *cb;
	uint32_t a, b;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	ca = call_up(h, p, "alice", "secret", &a);
	cb = call_up(h, p, "bob", "secret", &b);
	assert_int_not_equal(a, 0);
	for (unsigned i = 0; i < 4; i++) {
		rh_advance(h, i < 3 ? 10000 : 9999);
		(void)rh_ppp_echo_reply(h, p, cb);
	}
	assert_int_equal(ca->echo_rx, 3);
	assert_true(ca->open);
	assert_non_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	rh_advance(h, 1);
	assert_false(ca->open);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	/* bob answered every request; the LAC acknowledges the CDN and
	 * the Hellos (RFC 2661 §5.8, §6.5), or the tunnel would go. */
	for (unsigned i = 0; i < 4; i++) {
		rh_ack(h, p);
		rh_advance(h, 10000);
		(void)rh_ppp_echo_reply(h, p, cb);
	}
	assert_true(cb->open);
	assert_true(cb->echo_rx >= 7);
	assert_int_equal(pool_used(h), 1);
	rh_free(h);
}

/* Shutdown: StopCCN to every peer (RFC 2661 §5.7), every session's
 * address back; idle only once each StopCCN was acknowledged. */
static void
test_lns_shutdown(void **state)
{
	struct role_harness *h = rh_new(lns_conf, "users",
	    "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0), *q = rh_peer(h, 1);
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	assert_true(rh_tunnel_open(h, q));
	(void)call_up(h, p, "alice", "secret", &a);
	(void)call_up(h, q, "bob", "secret", &a);
	assert_int_equal(pool_used(h), 2);
	assert_false(roles_idle(h->r));

	roles_shutdown(h->r, h->now);
	assert_int_equal(p->last_type, L2TP_MSG_STOPCCN);
	assert_int_equal(q->last_type, L2TP_MSG_STOPCCN);
	assert_false(p->open);
	assert_false(q->open);
	assert_int_equal(pool_used(h), 0);
	assert_int_equal(h->io.nroutes, 0);
	assert_false(roles_idle(h->r));
	rh_ack(h, p);
	assert_false(roles_idle(h->r));
	rh_ack(h, q);
	assert_true(roles_idle(h->r));
	rh_free(h);
}

static const char lockout_conf[] =
    "[global]\nhostname = lns.test\nauth-failure-limit = 2\n"
    "auth-lockout = 60\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n";

/* auth-failure-limit: after two failures the right password gets the
 * wrong password's answer until auth-lockout has passed. */
static void
test_lns_auth_lockout(void **state)
{
	struct role_harness *h = rh_new(lockout_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	for (unsigned i = 0; i < 2; i++) {
		(void)call_up(h, p, "alice", "wrong", &a);
		assert_int_equal(a, 0);
		rh_advance(h, 10000);
		rh_ack(h, p);
	}
	/* Locked since the second failure (10 s in) for 60 s. */
	(void)call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, 0);
	rh_advance(h, 10000);
	rh_ack(h, p);
	rh_advance(h, 39999);
	rh_ack(h, p);
	(void)call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, 0);
	rh_advance(h, 1);
	(void)call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, POOL_FIRST);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lns_call_up_data_and_cdn),
		cmocka_unit_test(test_lns_pap_refused),
		cmocka_unit_test(test_lns_pool_exhausted),
		cmocka_unit_test(test_lns_fixed_address_held),
		cmocka_unit_test(test_lns_data_path_rules),
		cmocka_unit_test(test_lns_negotiation_timeout),
		cmocka_unit_test(test_lns_echo_timeout),
		cmocka_unit_test(test_lns_shutdown),
		cmocka_unit_test(test_lns_auth_lockout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
