/*
 * test_roles_client_routes.c — the client's routes in the corners
 * (roles/client.c, client_route.c): a configured route equal to the LNS's
 * own /32 is left out, a host route to the LNS that was there before is
 * used and left alone, a peer address equal to the LNS's still pins it
 * and is kept off the device, a route listed twice does not drop the
 * call, and an LNS with no path outside the tunnel ends the call with
 * nothing left behind.  Against the scripted LNS of rh_server.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "client_common.h"

#define GW2 0xc00002feu /* 192.0.2.254 */

static void
test_client_route_to_lns_left_out(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("routes = 203.0.113.1/32, 10.9.0.0/24\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, LNS_ADDR, 32));
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a090000u, 24));
	/* The /32 would have captured it: pinned all the same. */
	assert_non_null(fake_route_find(&h->io, ETH0, LNS_ADDR, 32));
	assert_int_equal(h->io.nroutes, 2 + 1 + 1);
	rh_lns_free(l);
	rh_free(h);
}

/* Someone's host route to the LNS beats the tunnel's routes already: not
 * ours to add or to remove. */
static void
test_client_existing_host_route_kept(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("default-route = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct table before, after;
	const struct fake_route *r;

	(void)state;
	assert_true(fake_route_preset(&h->io, ETH0, LNS_ADDR, 32, GW2));
	before = table_of(&h->io);
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_int_equal(h->io.nroutes, before.n + 2);
	r = fake_route_find(&h->io, ETH0, LNS_ADDR, 32);
	assert_non_null(r);
	assert_int_equal(r->gw, GW2);
	rh_lns_hangup(l, 3);
	after = table_of(&h->io);
	assert_table_equal(&before, &after);
	rh_lns_free(l);
	rh_free(h);
}

/* IPCP names the LNS itself as the peer: its /32 on the device would lead
 * into the tunnel, so the device gets no peer address and the LNS is
 * pinned though no route was configured. */
static void
test_client_peer_is_lns(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	l->ppp.local = LNS_ADDR;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_int_equal(h->io.addr_local, GIVEN);
	assert_int_equal(h->io.addr_peer, 0);
	assert_non_null(fake_route_find(&h->io, ETH0, LNS_ADDR, 32));
	assert_string_equal(show(h).peer, "203.0.113.1");
	rh_lns_hangup(l, 3);
	assert_null(fake_route_find(&h->io, ETH0, LNS_ADDR, 32));
	rh_lns_free(l);
	rh_free(h);
}

/* A route listed twice meets EEXIST, which is what was asked for: the
 * call stays. */
static void
test_client_route_twice(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("routes = 10.9.0.0/24, 10.9.0.0/24\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a090000u, 24));
	assert_int_equal(h->io.nroutes, 2 + 1);
	rh_lns_run(l, 30000);
	assert_true(l->call_up);
	assert_string_equal(show(h).state, "up");
	rh_lns_free(l);
	rh_free(h);
}

/* No route to the LNS at all: default-route would carry its datagrams
 * into the tunnel, so the device is not set up and the call ends; no
 * route is left behind and the client waits to redial. */
static void
test_client_no_path_to_lns(void **state)
{
	struct role_harness *h = rh_new(CLIENT_CONF("default-route = yes\n"),
	    NULL);
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_int_equal(h->io.tun_opens, 1);
	assert_int_equal(h->io.tun_closes, 1);
	assert_int_equal(h->io.nroutes, 0);
	assert_string_equal(show(h).address, "");
	rh_lns_run(l, 5000);
	assert_false(l->call_up);
	assert_int_equal(h->io.nroutes, 0);
	assert_true(l->dials >= 2);
	rh_lns_free(l);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_route_to_lns_left_out),
		cmocka_unit_test(test_client_existing_host_route_kept),
		cmocka_unit_test(test_client_peer_is_lns),
		cmocka_unit_test(test_client_route_twice),
		cmocka_unit_test(test_client_no_path_to_lns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
