/*
 * test_roles_lac_fastpath.c — the LAC's calls and the kernel fast path, on
 * the seam's recorder (tests/support/role_harness_lac.h, fake_io.h's
 * fp_lac_* table): a call enters the maps once its L2TP session is up
 * (after the ICCN, RFC 2661 §7.4.1) with exactly its PPPoE and L2TP
 * identities, leaves them before its state goes (PADT, CDN, tunnel lost,
 * shutdown) with the kernel's counters joining its accounting Stop
 * (RFC 2866), stays in across a reload, and `show sessions` says which
 * path carries it.  With `dataplane = user`, or when the maps refuse it,
 * the call is relayed by the user path as before.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "lac_common.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness_lac.h"
#include "roles/aaa.h"
#include "roles/lac_priv.h"
#include "roles/roles.h"

#define KERNEL_CONF \
	"[global]\nhostname = lac.test\ndataplane = kernel\n\n" \
	"[lac]\npppoe-interface = eth0\nauth = pap\n\n" REALM_A

static const char acct_conf[] =
    "[global]\nhostname = lac.test\ndataplane = kernel\n\n"
    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n\n"
    "[radius]\nserver = 127.0.0.1\naccounting-server = 127.0.0.1\n"
    "secret = radsecret\n\n"
    "[realm a.example]\nlns = 203.0.113.10\nusers = %DIR%/users\n";

static struct lac_call *
first_call(struct rh_lac *x)
{
	return LIST_FIRST(&x->h->r->lac->calls);
}

/* The established call's entry carries its PPPoE session (interface, ID,
 * the user's MAC and ours) and its L2TP session (both ends' IDs, the
 * LNS's address and port, our end). */
static void
test_enter_after_iccn(void **state)
{
	struct rh_lac *x = lac_new(KERNEL_CONF);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u;
	struct rh_lns_call *lc;
	struct fake_lac_fp_entry *e = NULL;
	struct roles_session_view v;
	struct lac_call *c;

	(void)state;
	/* while the tunnel is being set up, nothing enters */
	a->silent = true;
	u = dial_pap(x, 0, "u1@a.example", "pw");
	assert_int_equal(fake_lac_fp_count(&x->h->io), 0);
	a->silent = false;
	rh_lac_advance(x, 3000);
	assert_non_null(lc = rh_lns_call_n(a, 0));
	assert_true(lc->connected);
	assert_int_equal(fake_lac_fp_count(&x->h->io), 1);
	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		if (x->h->io.lac_fp[i].used)
			e = &x->h->io.lac_fp[i];
	assert_non_null(e);
	assert_int_equal(e->c.access_ifindex, FAKE_PPPOE_IFINDEX);
	assert_int_equal(e->l2tp_ifindex, RH_L2TP_IFINDEX);
	assert_int_equal(e->c.pppoe_sid, u->sid);
	assert_memory_equal(e->c.user_mac, u->mac, 6);
	assert_memory_equal(e->c.our_mac, x->h->r->lac->sock.mac, 6);
	assert_int_equal(e->c.peer_session_id, lc->sid);
	assert_int_equal(e->c.our_session_id, lc->lac_sid);
	assert_int_equal(e->c.peer_addr.s_addr, htonl(0xcb00710a));
	assert_int_equal(e->c.peer_port, 1701);
	assert_int_equal(e->c.max_ppp, 1492);
	/* show sessions: the kernel's counters as the L2TP session counts
	 * (received: from the LNS) */
	c = first_call(x);
	e->ctr.rx_packets = 5;
	e->ctr.rx_bytes = 500;
	e->ctr.tx_packets = 7;
	e->ctr.tx_bytes = 700;
	roles_describe_session(x->h->r, c->ls, &v);
	assert_string_equal(v.path, "kernel");
	assert_int_equal(v.fp_rx_packets, 7);
	assert_int_equal(v.fp_rx_bytes, 700);
	assert_int_equal(v.fp_tx_packets, 5);
	assert_int_equal(v.fp_tx_bytes, 500);
	/* PPP control frames still reach the LAC, which relays them */
	{
		static const uint8_t echo[] = { 0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0,
			0 };
		uint64_t before = lc->data_rx;

		rh_host_ppp(x, u, echo, sizeof(echo));
		assert_int_equal(lc->data_rx, before + 1);
	}
	/* PADT: out of the maps */
	rh_host_padt(x, u);
	assert_int_equal(fake_lac_fp_count(&x->h->io), 0);
	assert_int_equal(x->h->io.lac_fp_removes, 1);
	rh_lac_free(x);
}

/* CDN from the LNS, and the tunnel lost: the entries go. */
static void
test_leave_cdn_and_stopccn(void **state)
{
	struct rh_lac *x = lac_new(KERNEL_CONF);
	struct rh_lns *a = rh_lns(x, 0);

	(void)state;
	dial_pap(x, 0, "u1@a.example", "pw");
	dial_pap(x, 1, "u2@a.example", "pw");
	dial_pap(x, 2, "u3@a.example", "pw");
	assert_int_equal(fake_lac_fp_count(&x->h->io), 3);
	rh_lns_cdn(x, a, rh_lns_call_n(a, 0), 3);
	assert_int_equal(fake_lac_fp_count(&x->h->io), 2);
	rh_lns_stopccn(x, a, 1);
	assert_int_equal(fake_lac_fp_count(&x->h->io), 0);
	assert_int_equal(x->h->io.lac_fp_removes, 3);
	rh_lac_free(x);
}

/* Shutdown takes every call out; a reload keeps them in. */
static void
test_reload_keeps_shutdown_removes(void **state)
{
	struct rh_lac *x = lac_new(KERNEL_CONF);
	char err[256];

	(void)state;
	dial_pap(x, 0, "u1@a.example", "pw");
	assert_int_equal(fake_lac_fp_count(&x->h->io), 1);
	assert_int_equal(rh_lac_reload(x, KERNEL_CONF, err, sizeof(err)), 0);
	assert_int_equal(fake_lac_fp_count(&x->h->io), 1);
	assert_int_equal(x->h->io.lac_fp_adds, 1);
	assert_int_equal(x->h->io.lac_fp_removes, 0);
	roles_shutdown(x->h->r, x->h->now);
	assert_int_equal(fake_lac_fp_count(&x->h->io), 0);
	rh_lac_free(x);
}

/* dataplane = user: nothing enters; a refused entry leaves the call on
 * the user path, which relays its data as before. */
static void
test_user_path(void **state)
{
	struct rh_lac *x = lac_new(TWO_REALMS);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u;
	struct roles_session_view v;
	static const uint8_t ip[] = { 0x00, 0x21, 0x45, 0, 0, 20 };

	(void)state;
	u = dial_pap(x, 0, "u1@a.example", "pw");
	assert_false(x->h->io.fastpath);
	assert_int_equal(x->h->io.lac_fp_adds, 0);
	roles_describe_session(x->h->r, first_call(x)->ls, &v);
	assert_string_equal(v.path, "user");
	rh_lac_free(x);

	x = lac_new(KERNEL_CONF);
	a = rh_lns(x, 0);
	x->h->io.fp_refuse = true;
	u = dial_pap(x, 0, "u1@a.example", "pw");
	assert_int_equal(fake_lac_fp_count(&x->h->io), 0);
	roles_describe_session(x->h->r, first_call(x)->ls, &v);
	assert_string_equal(v.path, "user");
	rh_host_ppp(x, u, ip, sizeof(ip));
	assert_int_equal(rh_lns_call_n(a, 0)->data_rx, 1);
	rh_lac_free(x);
}

/* The kernel's counters join the Interim-Update and the Stop, which
 * comes after the call left the maps (RFC 2866 §5.3, §5.4). */
static void
test_acct_counts_kernel(void **state)
{
	static const char users[] = "u1@a.example pw\n";
	struct rh_lac *x = rh_lac_attach(
	    rh_new(acct_conf, "users", users, NULL));
	struct rh_host *u;
	struct fake_lac_fp_entry *e = NULL;
	struct fake_radius_req *stop = NULL;
	uint32_t in = 0, out = 0;
	uint64_t last = 0;

	(void)state;
	u = dial_pap(x, 0, "u1@a.example", "pw");
	assert_int_equal(x->h->io.acct_starts, 1);
	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		if (x->h->io.lac_fp[i].used)
			e = &x->h->io.lac_fp[i];
	assert_non_null(e);
	e->ctr.rx_packets = 10;
	e->ctr.rx_bytes = 1000;
	e->ctr.tx_packets = 20;
	e->ctr.tx_bytes = 3000;
	rh_host_padt(x, u);
	assert_int_equal(x->h->io.acct_stops, 1);
	assert_int_equal(x->h->io.lac_fp_stops_at_remove, 0);
	for (unsigned i = 0; i < FAKE_RADIUS; i++) {
		struct fake_radius_req *q = &x->h->io.radius[i];
		uint32_t st = 0;

		if (q->handle > last &&
		    q->code == RADIUS_CODE_ACCOUNTING_REQUEST &&
		    radius_get_u32(q->pkt, RADIUS_ATTR_ACCT_STATUS_TYPE, &st) ==
			0 &&
		    st == RADIUS_ACCT_STATUS_STOP) {
			stop = q;
			last = q->handle;
		}
	}
	assert_non_null(stop);
	assert_int_equal(radius_get_u32(stop->pkt,
			     RADIUS_ATTR_ACCT_INPUT_OCTETS, &in),
	    0);
	assert_int_equal(radius_get_u32(stop->pkt,
			     RADIUS_ATTR_ACCT_OUTPUT_OCTETS, &out),
	    0);
	/* the user path relayed nothing after the Start here but may have
	 * counted the user's first frames: at least the kernel's */
	assert_true(in >= 1000 && in < 1000 + 200);
	assert_true(out >= 3000 && out < 3000 + 200);
	rh_lac_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enter_after_iccn),
		cmocka_unit_test(test_leave_cdn_and_stopccn),
		cmocka_unit_test(test_reload_keeps_shutdown_removes),
		cmocka_unit_test(test_user_path),
		cmocka_unit_test(test_acct_counts_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
