/*
 * test_roles_lac_select.c — which LNS a LAC call goes to (roles/lac_lns.c)
 * on the seam's recorder (tests/support/role_harness_lac.h), on a fake
 * clock: `lns-selection = ordered | balanced` over a realm's LNSes and
 * over RADIUS Tunnel-Preference groups (RFC 2868 §3.8), the hold-down of
 * an LNS that did not answer its SCCRQ or refused a call for its own
 * trouble (RFC 2661 §4.4.2), what a call does when every LNS is held
 * down, `max-sessions-per-tunnel`, the view `vpdnctl show lns` renders,
 * and Tunnel-Medium-Type IPv6 endpoints (RFC 2868 §3.2) on an IPv4-only
 * daemon.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "l2tp/msg.h"
#include "lac_common.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness_lac.h"
#include "roles/lac_priv.h"

#define HOLD_S 600 /* longer than a failover: the tests see it held */

#define SEL_CONF(sel, extra) \
	"[global]\nhostname = lac.test\n\n" \
	"[lac]\npppoe-interface = eth0\nauth = pap\n" \
	"discovery-rate = 100000\nmax-sessions-per-mac = 0\n" \
	"lns-holddown = 600\n" extra "\n" \
	"[realm s.example]\nlns = 203.0.113.10, 203.0.113.11\n" \
	"lns-selection = " sel "\n\n"

static unsigned
ntunnels(struct rh_lac *x)
{
	const struct lac_tunnel *lt;
	unsigned n = 0;

	LIST_FOREACH(lt, &x->h->r->lac->tunnels, entry)
	n++;
	return n;
}

static struct rh_host *
dial_n(struct rh_lac *x, unsigned i)
{
	char user[64];

	snprintf(user, sizeof(user), "u%u@s.example", i);
	return dial_pap(x, i, user, "pw");
}

/* What `show lns` would say about one address. */
struct lns_seen {
	const char *address;
	bool found, held;
	unsigned sessions, tunnels;
	uint64_t failures;
};

static void
seen_one(const struct roles_lns_view *v, void *arg)
{
	struct lns_seen *s = arg;

	if (strcmp(v->address, s->address) != 0)
		return;
	s->found = true;
	s->held = v->held;
	s->sessions = v->sessions;
	s->tunnels = v->tunnels;
	s->failures = v->failures;
}

static struct lns_seen
lns_view(struct rh_lac *x, const char *address)
{
	struct lns_seen s = { .address = address };

	assert_true(roles_foreach_lns(x->h->r, x->h->now, seen_one, &s));
	return s;
}

/* ---- ordered and balanced ---- */

/* Two LNSes of equal preference: balanced gives each 40 to 60 of 100
 * calls (the fewest sessions first, ties at random), ordered puts all
 * 100 on the first. */
static void
test_balanced_splits_100_calls(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("balanced", ""));
	struct rh_lns *a = rh_lns(x, 0), *b = rh_lns(x, 1);

	(void)state;
	for (unsigned i = 0; i < 100; i++)
		dial_n(x, i);
	assert_int_equal(a->iccn + b->iccn, 100);
	assert_in_range(a->iccn, 40, 60);
	assert_in_range(b->iccn, 40, 60);
	assert_int_equal(lns_view(x, "203.0.113.10:1701").sessions, a->iccn);
	assert_int_equal(lns_view(x, "203.0.113.11:1701").sessions, b->iccn);
	rh_lac_free(x);
}

static void
test_ordered_keeps_100_calls_on_first(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("ordered", ""));

	(void)state;
	for (unsigned i = 0; i < 100; i++)
		dial_n(x, i);
	assert_int_equal(rh_lns(x, 0)->iccn, 100);
	assert_int_equal(rh_lns(x, 1)->rx, 0);
	rh_lac_free(x);
}

/* A realm without the key takes [lac]'s. */
static void
test_realm_inherits_lac_selection(void **state)
{
	struct rh_lac *x = lac_new(
	    LAC_GLOBAL "lns-selection = balanced\n\n"
		       "[realm s.example]\n"
		       "lns = 203.0.113.10, 203.0.113.11\n");

	(void)state;
	for (unsigned i = 0; i < 10; i++)
		dial_n(x, i);
	assert_int_equal(rh_lns(x, 0)->iccn, 5);
	assert_int_equal(rh_lns(x, 1)->iccn, 5);
	rh_lac_free(x);
}

/* ---- hold-down ---- */

/* A dead LNS is held down once its SCCRQ went unanswered: the next 20
 * calls send it nothing (balanced would prefer it: it has no session),
 * and after lns-holddown it takes calls again. */
static void
test_dead_lns_held_down_then_taken_back(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("balanced", ""));
	struct rh_lns *dead = rh_lns(x, 0), *good = rh_lns(x, 1);
	struct rh_host *u;
	unsigned i = 0, seen;

	(void)state;
	dead->silent = true;
	/* ties are random: dial until one call has tried the dead LNS */
	while (dead->silent_rx == 0) {
		assert_true(i < 8);
		dial_n(x, i++);
	}
	rh_lac_advance(x, 120000); /* its SCCRQ times out: failover */
	assert_true(lns_view(x, "203.0.113.10:1701").held);
	assert_int_equal(lns_view(x, "203.0.113.10:1701").failures, 1);
	assert_int_equal(good->iccn, i); /* every call placed */

	seen = dead->silent_rx;
	for (unsigned j = 0; j < 20; j++, i++) {
		u = dial_n(x, i);
		rh_lac_advance(x, 1000);
		assert_false(u->padt);
	}
	assert_int_equal(dead->silent_rx, seen); /* no SCCRQ for 20 calls */
	assert_int_equal(good->iccn, i);

	/* the hold-down ends; the LNS is back and is the emptier one */
	dead->silent = false;
	rh_lac_advance(x, HOLD_S * 1000);
	assert_false(lns_view(x, "203.0.113.10:1701").held);
	u = dial_n(x, i);
	assert_int_equal(dead->sccrq, 1);
	assert_int_equal(dead->iccn, 1);
	assert_false(u->padt);
	rh_lac_free(x);
}

/* ordered: the dead first LNS is skipped by the following calls too. */
static void
test_ordered_skips_held_down(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("ordered", ""));
	struct rh_lns *dead = rh_lns(x, 0), *good = rh_lns(x, 1);
	unsigned seen;

	(void)state;
	dead->silent = true;
	dial_n(x, 0);
	rh_lac_advance(x, 120000);
	assert_int_equal(good->iccn, 1);
	seen = dead->silent_rx;
	for (unsigned i = 1; i <= 20; i++)
		dial_n(x, i);
	assert_int_equal(dead->silent_rx, seen);
	assert_int_equal(good->iccn, 21);
	rh_lac_free(x);
}

/* Every LNS held down: a call still tries the one that failed least
 * recently (not fail without asking); the other is left alone. */
static void
test_all_held_down_tries_least_recent(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("ordered", ""));
	struct rh_lns *a = rh_lns(x, 0), *b = rh_lns(x, 1);
	struct rh_host *u;
	unsigned seen_b;

	(void)state;
	a->silent = b->silent = true;
	u = dial_n(x, 0);
	rh_lac_advance(x, 300000); /* a fails, then b */
	assert_true(u->padt);
	assert_true(lns_view(x, "203.0.113.10:1701").held);
	assert_true(lns_view(x, "203.0.113.11:1701").held);

	a->silent = false; /* a is back, still held down */
	seen_b = b->silent_rx;
	u = dial_n(x, 1);
	assert_int_equal(a->sccrq, 1);
	assert_int_equal(a->iccn, 1);
	assert_false(u->padt);
	assert_int_equal(b->silent_rx, seen_b);
	rh_lac_free(x);
}

/* RFC 2661 §4.4.2: a CDN with Result Code 4 (temporary lack of
 * facilities) is the LNS's trouble: the call ends as before, the LNS is
 * held down and the next call goes to the other one; Result Code 3
 * (administrative) is not: the next call goes to the same LNS. */
static void
test_cdn_lns_trouble_holds_down(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("ordered", ""));
	struct rh_lns *a = rh_lns(x, 0), *b = rh_lns(x, 1);
	struct rh_host *u;

	(void)state;
	a->refuse = L2TP_CDN_NO_RESOURCES;
	u = dial_n(x, 0);
	assert_true(u->padt);
	assert_int_equal(b->rx, 0);
	assert_true(lns_view(x, "203.0.113.10:1701").held);
	dial_n(x, 1);
	assert_int_equal(a->icrq, 1);
	assert_int_equal(b->iccn, 1);
	rh_lac_free(x);

	x = lac_new(SEL_CONF("ordered", ""));
	a = rh_lns(x, 0);
	a->refuse = L2TP_CDN_ADMIN;
	u = dial_n(x, 0);
	assert_true(u->padt);
	assert_false(lns_view(x, "203.0.113.10:1701").held);
	dial_n(x, 1);
	assert_int_equal(a->icrq, 2);
	assert_int_equal(rh_lns(x, 1)->rx, 0);
	rh_lac_free(x);
}

static void
test_cdn_trouble_codes(void **state)
{
	(void)state;
	assert_true(lac_cdn_is_lns_trouble(L2TP_CDN_NO_RESOURCES, 0));
	assert_true(lac_cdn_is_lns_trouble(L2TP_CDN_NO_RESOURCES_PERM, 0));
	assert_true(
	    lac_cdn_is_lns_trouble(L2TP_CDN_ERROR, L2TP_ERR_NO_RESOURCES));
	assert_true(
	    lac_cdn_is_lns_trouble(L2TP_CDN_ERROR, L2TP_ERR_TRY_ANOTHER));
	assert_false(lac_cdn_is_lns_trouble(L2TP_CDN_ERROR, L2TP_ERR_NONE));
	assert_false(lac_cdn_is_lns_trouble(L2TP_CDN_LOST_CARRIER, 0));
	assert_false(lac_cdn_is_lns_trouble(L2TP_CDN_ADMIN, 0));
	assert_false(lac_cdn_is_lns_trouble(0, 0));
}

/* lns-holddown = 0: no hold-down; the failure is still counted. */
static void
test_holddown_zero(void **state)
{
	struct rh_lac *x = lac_new(
	    "[global]\nhostname = lac.test\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = pap\nlns-holddown = 0\n\n"
	    "[realm s.example]\nlns = 203.0.113.10\n");
	struct rh_lns *a = rh_lns(x, 0);
	struct lns_seen v;

	(void)state;
	a->refuse = L2TP_CDN_NO_RESOURCES;
	dial_n(x, 0);
	v = lns_view(x, "203.0.113.10:1701");
	assert_false(v.held);
	assert_int_equal(v.failures, 1);
	rh_lac_free(x);
}

/* An established tunnel the LNS clears (StopCCN) holds the LNS down; a
 * tunnel the LAC closes itself (idle) does not. */
static void
test_tunnel_lost_holds_down_idle_close_does_not(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("ordered", ""));
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u;
	struct lns_seen v;

	(void)state;
	u = dial_n(x, 0);
	rh_host_padt(x, u); /* idle: tunnel-idle-timeout 0 closes it */
	rh_lac_advance(x, 1000);
	assert_int_equal(a->stopccn, 1);
	v = lns_view(x, "203.0.113.10:1701");
	assert_false(v.held);
	assert_int_equal(v.failures, 0);

	dial_n(x, 1);
	assert_int_equal(a->sccrq, 2);
	rh_lns_stopccn(x, a, L2TP_STOPCCN_SHUTDOWN);
	rh_lac_advance(x, 1000);
	v = lns_view(x, "203.0.113.10:1701");
	assert_true(v.held);
	assert_int_equal(v.failures, 1);
	dial_n(x, 2);
	assert_int_equal(rh_lns(x, 1)->iccn, 1);
	rh_lac_free(x);
}

/* A reload changes the selection of new calls; held-down LNSes stay
 * held down. */
static void
test_reload_changes_selection(void **state)
{
	struct rh_lac *x = lac_new(SEL_CONF("ordered", ""));
	char err[256];

	(void)state;
	for (unsigned i = 0; i < 4; i++)
		dial_n(x, i);
	assert_int_equal(rh_lns(x, 0)->iccn, 4);
	assert_int_equal(rh_lac_reload(x, SEL_CONF("balanced", ""), err,
			     sizeof(err)),
	    0);
	for (unsigned i = 4; i < 8; i++)
		dial_n(x, i);
	assert_int_equal(rh_lns(x, 1)->iccn, 4);
	rh_lac_free(x);
}

/* The LNSes kept are bounded: idle entries (no tunnel, not held down)
 * make room for new ones; the LNS being added is never the one dropped. */
static void
test_lns_table_bounded(void **state)
{
	struct rh_lac *x = lac_new(
	    "[global]\nhostname = lac.test\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = pap\nlns-holddown = 0\n\n"
	    "[realm s.example]\nlns = 203.0.113.10\n");
	struct lac *lac = x->h->r->lac;
	struct l2tp_addr a;
	struct sockaddr_in *sin = (struct sockaddr_in *)&a.ss;

	(void)state;
	memset(&a, 0, sizeof(a));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(1701);
	a.len = sizeof(*sin);
	for (uint32_t i = 0; i < 1500; i++) {
		sin->sin_addr.s_addr = htonl(0xc6120000 + i); /* 198.18/15 */
		lac_lns_failed(lac, &a, "test", x->h->now);
		assert_true(lac->nlns <= 1024);
		/* the newest is there, with its failure */
		assert_true(
		    l2tp_addr_equal(&LIST_FIRST(&lac->lnses)->addr, &a));
		assert_int_equal(LIST_FIRST(&lac->lnses)->failures, 1);
	}
	rh_lac_free(x);
}

/* ---- max-sessions-per-tunnel ---- */

/* 10 calls a tunnel, 25 calls: 3 tunnels to the one LNS (RFC 2661 lets
 * two peers have several). */
static void
test_max_sessions_per_tunnel(void **state)
{
	struct rh_lac *x = lac_new(LAC_GLOBAL "max-sessions-per-tunnel = 10\n\n"
					      "[realm s.example]\n"
					      "lns = 203.0.113.10\n");
	struct rh_lns *a = rh_lns(x, 0);
	struct lns_seen v;

	(void)state;
	for (unsigned i = 0; i < 25; i++)
		assert_false(dial_n(x, i)->padt);
	assert_int_equal(a->iccn, 25);
	assert_int_equal(a->ntun, 3);
	assert_int_equal(ntunnels(x), 3);
	v = lns_view(x, "203.0.113.10:1701");
	assert_int_equal(v.tunnels, 3);
	assert_int_equal(v.sessions, 25);
	rh_lac_free(x);
}

/* A realm's own limit wins over [lac]'s. */
static void
test_max_sessions_per_tunnel_realm(void **state)
{
	struct rh_lac *x = lac_new(
	    LAC_GLOBAL "max-sessions-per-tunnel = 100\n\n"
		       "[realm s.example]\n"
		       "lns = 203.0.113.10\n"
		       "max-sessions-per-tunnel = 2\n");

	(void)state;
	for (unsigned i = 0; i < 5; i++)
		dial_n(x, i);
	assert_int_equal(rh_lns(x, 0)->ntun, 3);
	rh_lac_free(x);
}

/* ---- RADIUS ---- */

static const char radius_bal_conf[] =
    "[global]\nhostname = lac.test\n\n"
    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n"
    "lns-selection = balanced\nmax-sessions-per-mac = 0\n\n"
    "[radius]\nserver = 127.0.0.1\nsecret = radsecret\n\n";

struct tun_attr {
	uint32_t medium, pref;
	const char *endpoint;
};

/* An Access-Accept naming the tunnels t[0..n) (tags 1..n). */
static void
radius_accept(struct rh_lac *x, const struct tun_attr *t, unsigned n)
{
	struct fake_radius_req *q = fake_radius_find(&x->h->io,
	    RADIUS_CODE_ACCESS_REQUEST);
	struct radius_packet rep;

	assert_non_null(q);
	radius_packet_init(&rep, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	for (unsigned i = 0; i < n; i++) {
		uint8_t tag = (uint8_t)(i + 1);

		radius_put_tagged_u32(&rep, RADIUS_ATTR_TUNNEL_TYPE, tag,
		    RADIUS_TUNNEL_TYPE_L2TP);
		radius_put_tagged_u32(&rep, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, tag,
		    t[i].medium);
		radius_put_tagged_string(&rep,
		    RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, tag, t[i].endpoint);
		radius_put_tagged_u32(&rep, RADIUS_ATTR_TUNNEL_PREFERENCE, tag,
		    t[i].pref);
	}
	fake_radius_answer(&x->h->io, q, &rep, "radsecret", x->h->now);
	rh_lac_settle(x);
}

static struct rh_host *
radius_dial(struct rh_lac *x, unsigned i, const struct tun_attr *t, unsigned n)
{
	struct rh_host *u = rh_host(x, i);
	char user[64];

	snprintf(user, sizeof(user), "r%u@isp.example", i);
	assert_true(rh_host_discover(x, u));
	assert_false(rh_host_up_pap(x, u, user, "pw"));
	radius_accept(x, t, n);
	return u;
}

/* RFC 2868 §3.8: the best preference group (10: .10 and .11) shares the
 * calls; the worse one (20: .12) gets none while the group is up. */
static void
test_radius_preference_groups(void **state)
{
	static const struct tun_attr t[] = {
		{ RADIUS_TUNNEL_MEDIUM_IPV4, 20, "203.0.113.12" },
		{ RADIUS_TUNNEL_MEDIUM_IPV4, 10, "203.0.113.10" },
		{ RADIUS_TUNNEL_MEDIUM_IPV4, 10, "203.0.113.11" },
	};
	struct rh_lac *x = lac_new(radius_bal_conf);

	(void)state;
	for (unsigned i = 0; i < 20; i++)
		assert_true(radius_dial(x, i, t, 3)->pap_ack);
	assert_int_equal(rh_lns(x, 0)->iccn, 10);
	assert_int_equal(rh_lns(x, 1)->iccn, 10);
	assert_int_equal(rh_lns(x, 2)->rx, 0);
	rh_lac_free(x);
}

/* RFC 2868 §3.2 Medium IPv6: honoured, but this daemon's socket is
 * IPv4 (the harness's), so the IPv6 endpoint is skipped (logged) and the
 * IPv4 one behind it is used. */
static void
test_radius_ipv6_endpoint_needs_ipv6_socket(void **state)
{
	static const struct tun_attr t[] = {
		{ RADIUS_TUNNEL_MEDIUM_IPV6, 1, "2001:db8::10" },
		{ RADIUS_TUNNEL_MEDIUM_IPV4, 2, "203.0.113.11" },
	};
	struct rh_lac *x = lac_new(radius_bal_conf);
	struct rh_host *u;

	(void)state;
	u = radius_dial(x, 0, t, 2);
	assert_true(u->pap_ack);
	assert_int_equal(rh_lns(x, 1)->iccn, 1);
	assert_false(u->padt);
	rh_lac_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balanced_splits_100_calls),
		cmocka_unit_test(test_ordered_keeps_100_calls_on_first),
		cmocka_unit_test(test_realm_inherits_lac_selection),
		cmocka_unit_test(test_dead_lns_held_down_then_taken_back),
		cmocka_unit_test(test_ordered_skips_held_down),
		cmocka_unit_test(test_all_held_down_tries_least_recent),
		cmocka_unit_test(test_cdn_lns_trouble_holds_down),
		cmocka_unit_test(test_cdn_trouble_codes),
		cmocka_unit_test(test_holddown_zero),
		cmocka_unit_test(
		    test_tunnel_lost_holds_down_idle_close_does_not),
		cmocka_unit_test(test_reload_changes_selection),
		cmocka_unit_test(test_lns_table_bounded),
		cmocka_unit_test(test_max_sessions_per_tunnel),
		cmocka_unit_test(test_max_sessions_per_tunnel_realm),
		cmocka_unit_test(test_radius_preference_groups),
		cmocka_unit_test(test_radius_ipv6_endpoint_needs_ipv6_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
