/*
 * test_roles_lns.c — the LNS role on the seam's recorder
 * (tests/support/role_harness.h): a scripted LAC opens a tunnel and a
 * call (RFC 2661 §5.1/§7.4.2: SCCRQ/SCCRP/SCCCN, ICRQ/ICRP/ICCN), PPP
 * comes up with PAP against a users file (RFC 1334) and IPCP gives the
 * first pool address (RFC 1332); the host route the LNS added, a packet
 * from the TUN device carried to the peer as an L2TP data message, and
 * the peer's CDN taking the route away and giving the address back.
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
#include "role_harness.h"

#define POOL_FIRST	0x0a09000au	/* 10.9.0.10 */

static const char lns_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n";

static uint32_t
pool_used(struct role_harness *h)
{
	uint32_t first, last, used;

	assert_true(roles_pool_range(h->r, 0, &first, &last, &used));
	return used;
}

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lns_call_up_data_and_cdn),
		cmocka_unit_test(test_lns_pap_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
