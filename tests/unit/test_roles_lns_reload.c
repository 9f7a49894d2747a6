/*
 * test_roles_lns_reload.c — roles_reconfigure on a running LNS
 * (tests/support/role_harness.h): live sessions keep their address and
 * route across a reload, whether the pool stays, shrinks or moves (an
 * address outside the new ranges still goes back when its session ends),
 * new sessions take addresses from the new ranges, a broken users file
 * refuses the whole reload with FILE:LINE and changes nothing, and PAP
 * (RFC 1334) is checked against the file in force at the time it comes,
 * while a session whose user left the file runs until it ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lns_common.h"
#include "role_harness.h"
#include "roles/roles_priv.h"

#define NET0 0x0a090000u /* 10.9.0.0 */
#define NET1 0x0a090100u /* 10.9.1.0 */

/* The LNS configuration with that pool (and extra [lns] lines). */
static const char *
conf(char *buf, size_t len, const char *pool, const char *extra)
{
	(void)snprintf(buf, len,
	    "[global]\nhostname = lns.test\n\n"
	    "[lns]\nlocal-address = 10.9.0.1\npool = %s\nauth = pap\n"
	    "users = %%DIR%%/users\ninterface = vpdn0\n%s",
	    pool, extra);
	return buf;
}

/* A reload to that pool (and extra [lns] lines), the users file as it
 * is: it succeeds. */
static void
reload_ok(struct role_harness *h, const char *pool, const char *extra)
{
	char t[512], err[256];

	assert_int_equal(rh_reload(h, err, sizeof(err),
			     conf(t, sizeof(t), pool, extra), NULL),
	    0);
}

/* The session at a still carries data both ways. */
static void
assert_carries(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    uint32_t a)
{
	uint64_t w = h->io.tun_written, rx = c->ip_rx;
	uint8_t ip[64];
	size_t n;

	assert_non_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	(void)rh_ip_send(h, p, c, a, OUTSIDE, 4);
	assert_int_equal(h->io.tun_written, w + 1);
	n = rh_ip_packet(ip, sizeof(ip), OUTSIDE, a, 4);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(c->ip_rx, rx + 1);
}

/* A reload that keeps the pool keeps the sessions and their addresses;
 * the next session gets the next free address, not a held one. */
static void
test_reload_same_pool(void **state)
{
	char t[512];
	struct role_harness *h = rh_new(conf(t, sizeof(t),
					    "10.9.0.10-10.9.0.13", ""),
	    "users", "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	uint32_t a, b, first;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, NET0 + 10);
	reload_ok(h, "10.9.0.10-10.9.0.13", "dns = 10.9.0.53\n");
	assert_int_equal(pool_used_from(h, &first), 1);
	assert_int_equal(first, NET0 + 10);
	assert_carries(h, p, c, a);
	(void)call_up(h, p, "bob", "secret", &b);
	assert_int_equal(b, NET0 + 11);
	assert_int_equal(pool_used_from(h, &first), 2);
	rh_free(h);
}

/* The pool moves: the live session keeps its address and route, new
 * sessions take the new ranges, and the old address goes back when its
 * session ends although the ranges no longer hold it (a reload back
 * hands it out again). */
static void
test_reload_pool_moved(void **state)
{
	char t[512];
	struct role_harness *h = rh_new(conf(t, sizeof(t),
					    "10.9.0.10-10.9.0.13", ""),
	    "users", "alice secret\nbob secret\ncarol secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	uint32_t a, b, first;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, NET0 + 10);
	reload_ok(h, "10.9.1.10-10.9.1.11", "");
	assert_int_equal(pool_used_from(h, &first), 0);
	assert_int_equal(first, NET1 + 10);
	assert_carries(h, p, c, a);

	(void)call_up(h, p, "bob", "secret", &b);
	assert_int_equal(b, NET1 + 10);
	assert_int_equal(pool_used_from(h, &first), 1);

	rh_call_close(h, p, c, 3);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	assert_int_equal(pool_used_from(h, &first), 1);

	/* Back to a pool of that one address: it is free again. */
	reload_ok(h, "10.9.0.10-10.9.0.10", "");
	assert_int_equal(pool_used_from(h, &first), 0);
	(void)call_up(h, p, "carol", "secret", &a);
	assert_int_equal(a, NET0 + 10);
	assert_int_equal(pool_used_from(h, &first), 1);
	rh_free(h);
}

/* A pool shrunk under a live session: its address, now outside, is
 * neither handed out again nor leaked. */
static void
test_reload_pool_shrunk(void **state)
{
	char t[512];
	struct role_harness *h = rh_new(conf(t, sizeof(t),
					    "10.9.0.10-10.9.0.11", ""),
	    "users", "alice secret\nbob secret\ncarol secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	uint32_t a, b, first;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	(void)call_up(h, p, "alice", "secret", &a);
	c = call_up(h, p, "bob", "secret", &b);
	assert_int_equal(b, NET0 + 11);
	reload_ok(h, "10.9.0.10-10.9.0.10", "");
	assert_int_equal(pool_used_from(h, &first), 1);
	assert_carries(h, p, c, b);
	/* The one address in range is alice's: carol is refused. */
	(void)call_up(h, p, "carol", "secret", &a);
	assert_int_equal(a, 0);
	assert_int_equal(roles_pool_refused(h->r), 1);
	rh_advance(h, 10000);
	rh_ack(h, p);
	rh_call_close(h, p, c, 3);
	/* Grown again: bob's old address is free. */
	reload_ok(h, "10.9.0.10-10.9.0.11", "");
	assert_int_equal(pool_used_from(h, &first), 1);
	(void)call_up(h, p, "carol", "secret", &a);
	assert_int_equal(a, NET0 + 11);
	rh_free(h);
}

/* A broken users file refuses the reload with FILE:LINE and nothing
 * changes: the pool, the snapshot, the users in force. */
static void
test_reload_broken_users(void **state)
{
	char t[512], err[256], want[160];
	struct role_harness *h = rh_new(conf(t, sizeof(t),
					    "10.9.0.10-10.9.0.13", ""),
	    "users", "alice secret\ncarol pw\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	const struct vpdn_config *before = h->cfg;
	struct rh_call *c;
	uint32_t a, first;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	err[0] = '\0';
	assert_int_equal(rh_reload(h, err, sizeof(err),
			     conf(t, sizeof(t), "10.9.2.10-10.9.2.13", ""),
			     "users", "alice new\nbob\n", NULL),
	    -1);
	(void)snprintf(want, sizeof(want), "%s/users:2: ", h->dir);
	assert_non_null(strstr(err, want));
	assert_ptr_equal(h->cfg, before);
	assert_int_equal(pool_used_from(h, &first), 1);
	assert_int_equal(first, NET0 + 10);
	assert_carries(h, p, c, a);
	/* The old file is still the one PAP is checked against. */
	(void)call_up(h, p, "carol", "pw", &a);
	assert_int_equal(a, NET0 + 11);
	rh_free(h);
}

/* PAP after a reload is checked against the new file; a user removed
 * from it keeps the session they have until it ends. */
static void
test_reload_users_changed(void **state)
{
	char t[512], err[256];
	struct role_harness *h = rh_new(conf(t, sizeof(t),
					    "10.9.0.10-10.9.0.13", ""),
	    "users", "alice secret\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c, *d;
	uint32_t a, b, first;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	assert_int_equal(rh_reload(h, err, sizeof(err),
			     conf(t, sizeof(t), "10.9.0.10-10.9.0.13", ""),
			     "users", "bob newpw\n", NULL),
	    0);
	assert_carries(h, p, c, a);
	/* alice is gone from the file, bob's old password no longer works. */
	d = call_up(h, p, "alice", "secret", &b);
	assert_int_equal(b, 0);
	assert_false(d->pap_ack);
	d = call_up(h, p, "bob", "secret", &b);
	assert_int_equal(b, 0);
	assert_false(d->pap_ack);
	rh_advance(h, 10000);
	rh_ack(h, p);
	assert_true(c->open);
	(void)rh_ppp_echo_reply(h, p, c);
	d = call_up(h, p, "bob", "newpw", &b);
	assert_int_equal(b, NET0 + 11);
	assert_carries(h, p, c, a);
	/* alice's session ends as any other: address and route back. */
	rh_call_close(h, p, c, 3);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	assert_int_equal(pool_used_from(h, &first), 1);
	assert_true(d->open);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_same_pool),
		cmocka_unit_test(test_reload_pool_moved),
		cmocka_unit_test(test_reload_pool_shrunk),
		cmocka_unit_test(test_reload_broken_users),
		cmocka_unit_test(test_reload_users_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
