/*
 * test_roles_client_pppoe.c — a [client] section with pppoe-interface
 * (roles/client.c, RFC 2516) against a scripted access concentrator
 * (rh_server.h): discovery (PADI/PADO/PADR/PADS), PPP and IPCP over the
 * session, the TUN device and its routes, a PADT from the concentrator
 * ending the call and the redial that follows, a concentrator that never
 * answers, and the client's own PADT on shutdown.  The L2TP client is in
 * test_roles_client.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "client_common.h"
#include "config/config.h"
#include "rh_server.h"
#include "roles/roles_priv.h"

static const char pppoe_conf[] =
    "[global]\nhostname = client.test\n\n"
    "[client dsl]\npppoe-interface = eth-test\nuser = alice\n"
    "password = secret\nauth = pap\ninterface = ppp-dsl\n"
    "default-route = yes\n";

static struct role_harness *
pppoe_harness(void)
{
	struct role_harness *h = rh_new(pppoe_conf, NULL);

	assert_true(fake_route_preset(&h->io, ETH0, 0, 0, GW));
	return h;
}

static void
test_pppoe_client_up(void **state)
{
	struct role_harness *h = pppoe_harness();
	struct rh_ac *a = rh_ac_new(h);
	struct seen s;

	(void)state;
	rh_ac_run(a, 100);
	assert_int_equal(a->padi_rx, 1);
	assert_int_equal(a->padr_rx, 1);
	assert_true(a->session_up);
	assert_true(a->ppp.auth_ok);
	assert_true(a->ppp.up);
	assert_int_equal(h->io.tun_opens, 1);
	assert_string_equal(h->io.tun_name, "ppp-dsl");
	assert_int_equal(h->io.addr_local, GIVEN);
	assert_int_equal(h->io.addr_peer, SERVER);
	/* default-route over PPPoE: no LNS to pin, the default stays. */
	assert_non_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0, 1));
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x80000000u, 1));
	assert_int_equal(h->io.nroutes, 1 + 2);
	s = show(h);
	assert_string_equal(s.state, "up");
	assert_string_equal(s.transport, "pppoe");
	assert_string_equal(s.server, "eth-test");
	assert_string_equal(s.interface, "ppp-dsl");
	assert_string_equal(s.address, "10.99.0.2");
	assert_string_equal(s.peer, "10.99.0.1");
	assert_string_equal(s.dns[0], "10.99.0.53");
	assert_int_equal(s.session_id, a->session_id);
	assert_int_equal(s.dials, 1);
	/* Echoes are answered; the session stays. */
	rh_ac_run(a, 60000);
	assert_true(a->ppp.echo_replies > 0);
	assert_true(a->session_up);
	assert_int_equal(a->padi_rx, 1);
	rh_ac_free(a);
	rh_free(h);
}

/* RFC 2516 §5.5: a PADT ends the session at once (nothing is sent back,
 * not even LCP Terminate); the device and its routes go, and after the
 * first back-off step discovery starts again and the call comes back. */
static void
test_pppoe_client_padt_redials(void **state)
{
	struct role_harness *h = pppoe_harness();
	struct rh_ac *a = rh_ac_new(h);
	uint16_t first;
	uint64_t t;

	(void)state;
	rh_ac_run(a, 100);
	assert_true(a->ppp.up);
	first = a->session_id;
	t = h->now;
	rh_ac_padt(a);
	assert_int_equal(h->io.tun_closes, 1);
	assert_int_equal(h->io.nroutes, 1);
	assert_int_equal(a->padt_rx, 0);
	assert_false(a->ppp.terminated);
	assert_string_equal(show(h).state, "wait-redial");
	rh_ac_run(a, 1500);
	assert_int_equal(a->padi_rx, 2);
	assert_int_equal(a->padi_at[1] - t, 1000);
	assert_true(a->session_up);
	assert_true(a->ppp.up);
	assert_int_not_equal(a->session_id, first);
	assert_int_equal(h->io.tun_opens, 2);
	assert_string_equal(show(h).state, "up");
	assert_int_equal(show(h).dials, 2);
	rh_ac_free(a);
	rh_free(h);
}

/* No concentrator: PADI at 0, 1, 3 and 7 s (RFC 2516 §8: the wait
 * doubles), discovery gives up 8 s after the fourth, and the first
 * back-off step (1 s) later a new call starts. */
static void
test_pppoe_client_silent_ac(void **state)
{
	static const uint64_t at[] = { 0, 1000, 3000, 7000, 16000, 17000 };
	struct role_harness *h = pppoe_harness();
	struct rh_ac *a = rh_ac_new(h);

	(void)state;
	a->silent = true;
	rh_ac_run(a, 17500);
	assert_int_equal(a->padi_rx, 6);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(a->padi_at[i] - RH_START_MS, at[i]);
	assert_int_equal(show(h).dials, 2);
	assert_int_equal(h->io.tun_opens, 0);
	rh_ac_free(a);
	rh_free(h);
}

/* SIGTERM: LCP Terminate-Request, then PADT (RFC 2516 §5.5); no more
 * discovery afterwards. */
static void
test_pppoe_client_shutdown(void **state)
{
	struct role_harness *h = pppoe_harness();
	struct rh_ac *a = rh_ac_new(h);

	(void)state;
	rh_ac_run(a, 100);
	assert_true(a->ppp.up);
	roles_shutdown(h->r, h->now);
	rh_ac_pump(a);
	assert_true(a->ppp.terminated);
	assert_int_equal(a->padt_rx, 1);
	assert_false(a->session_up);
	assert_int_equal(h->io.tun_closes, 1);
	rh_ac_run(a, 120000);
	assert_int_equal(a->padi_rx, 1);
	assert_string_equal(show(h).state, "stopped");
	rh_ac_free(a);
	rh_free(h);
}

/* A removed PPPoE section has no tunnel to wait for: LCP
 * Terminate-Request and PADT at the reload, and the client is freed at
 * once; its sockets are no longer watched, so a late frame from the
 * concentrator reaches nothing. */
static void
test_pppoe_client_reload_removed(void **state)
{
	static const char other[] =
	    "[global]\nhostname = client.test\n\n"
	    "[client other]\nlns = 203.0.113.9\nuser = bob\n"
	    "password = x\ninterface = vpdn-other\n";
	struct role_harness *h = pppoe_harness();
	struct rh_ac *a = rh_ac_new(h);
	struct vpdn_config *cfg, *old = h->cfg;
	FILE *f;
	char err[256];

	(void)state;
	rh_ac_run(a, 100);
	assert_true(a->ppp.up);
	assert_non_null(f = fopen(h->cfg_path, "w"));
	assert_true(fputs(other, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(cfg = config_load(h->cfg_path, err, sizeof(err)));
	assert_int_equal(roles_reconfigure(h->r, cfg, h->now, err, sizeof(err)),
	    0);
	h->cfg = cfg;
	config_free(old);
	rh_ac_pump(a);
	assert_true(a->ppp.terminated);
	assert_int_equal(a->padt_rx, 1);
	assert_int_equal(h->io.tun_closes, 1);
	assert_int_equal(h->io.nroutes, 1);
	assert_string_equal(TAILQ_FIRST(&h->r->clients)->cfg.name, "other");
	assert_null(TAILQ_NEXT(TAILQ_FIRST(&h->r->clients), entry));
	assert_false(fake_io_readable(&h->io, FAKE_FD_PPPOE_DISC, h->now));
	assert_false(fake_io_readable(&h->io, FAKE_FD_PPPOE_SES, h->now));
	rh_ac_run(a, 60000);
	assert_int_equal(a->padi_rx, 1);
	rh_ac_free(a);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pppoe_client_up),
		cmocka_unit_test(test_pppoe_client_padt_redials),
		cmocka_unit_test(test_pppoe_client_silent_ac),
		cmocka_unit_test(test_pppoe_client_shutdown),
		cmocka_unit_test(test_pppoe_client_reload_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
