/*
 * test_roles_lns_rate.c — the LNS's rate plans on the seam's recorder
 * (tests/support/role_harness.h): where a session's plan comes from
 * (RADIUS Mikrotik-Rate-Limit, then Filter-Id, then the users file, then
 * [lns] rate-plan), the user path's policing in both directions on the
 * fake clock, a plan changed by RFC 5176 CoA-Request (an unknown plan is
 * Invalid-Attribute-Value and changes nothing), by `vpdnctl set session`
 * and by a reload, the same buckets for a dual-stack session's IPv6, and
 * the plan handed to the kernel fast path.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "lns_common.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "radius/radius_dae.h"
#include "role_harness.h"
#include "roles/lns_ipv6.h"
#include "roles/roles_priv.h"

/* slow: 8000 bit/s = 1000 B/s each way, the smallest bucket (3000 B). */
#define PLANS \
	"[rate-plan slow]\ndown = 8k\nup = 8k\nburst = 1\n\n" \
	"[rate-plan gold]\ndown = 20M\nup = 5M\n\n" \
	"[rate-plan silver]\ndown = 10M\nup = 2M\nburst = 64k\n"

#define CONF(dataplane, lnsx, extra) \
	"[global]\nhostname = lns.test\n" dataplane "\n" \
	"[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n" \
	"auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n" lnsx \
	"\n" PLANS extra

static const char users_conf[] = CONF("", "rate-plan = silver", "");
/* The harness's peer 0 sends from 192.0.2.10: [peer carrier-a]. */
static const char peer_conf[] = CONF("", "rate-plan = silver",
    "\n[peer carrier-a]\nsource = 192.0.2.10\nrate-plan = gold\n");
static const char kernel_conf[] = CONF("dataplane = kernel",
    "rate-plan = silver", "");
static const char v6_conf[] = CONF("",
    "rate-plan = silver\nipv6-pool = 2001:db8:100::/62", "");
static const char radius_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nradius = yes\ninterface = vpdn0\nrate-plan = silver\n\n" PLANS
    "\n[radius]\nserver = 127.0.0.1\nsecret = s3cret\n";

struct describe_walk {
	struct roles *r;
	uint16_t sid;
	struct roles_session_view v;
	unsigned n;
};

static void
describe_one(struct l2tp_session *s, void *arg)
{
	struct describe_walk *w = arg;
	struct l2tp_session_info si;

	l2tp_session_get_info(s, &si);
	if (si.local_id != w->sid)
		return;
	/* As the daemon's caller leaves it: whatever the stack held. */
	memset(&w->v, 0xa5, sizeof(w->v));
	roles_describe_session(w->r, s, &w->v);
	w->n++;
}

static void
describe_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, describe_one, arg);
}

/* `show sessions` of call c. */
static struct roles_session_view
describe(struct role_harness *h, const struct rh_call *c)
{
	struct describe_walk w = { .r = h->r, .sid = c->lns_sid };

	l2tp_host_foreach_tunnel(roles_host(h->r), describe_tunnel, &w);
	assert_int_equal(w.n, 1);
	return w.v;
}

static const char *
plan_of(struct role_harness *h, const struct rh_call *c)
{
	static char buf[64];
	struct roles_session_view v = describe(h, c);

	strcpy(buf, v.rate_plan != NULL ? v.rate_plan : "-");
	return buf;
}

/* ---- where the plan comes from ---- */

/* A session without a plan is described as such, whatever the view held
 * before (the daemon's view lives on its stack). */
static void
test_no_plan_described(void **state)
{
	static const char conf[] = CONF("", "", "");
	struct role_harness *h = rh_new(conf, "users", "alice secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	struct roles_session_view v;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	/* Before PPP is up, then once it is. */
	v = describe(h, c);
	assert_null(v.rate_plan);
	assert_int_equal(v.rate_down_bps, 0);
	assert_int_equal(v.police_down_drop_bytes, 0);
	a = rh_ppp_up_pap(h, p, c, "alice", "secret");
	assert_int_not_equal(a, 0);
	v = describe(h, c);
	assert_null(v.rate_plan);
	assert_int_equal(v.rate_up_bps, 0);
	assert_int_equal(v.police_up_drop_packets, 0);
	rh_free(h);
}

/* The users file's rate-plan= beats [lns] rate-plan, which is what a user
 * without one gets; the rates are the plan's. */
static void
test_users_file_then_default(void **state)
{
	struct role_harness *h = rh_new(users_conf, "users",
	    "alice secret * rate-plan=gold\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *ca, *cb;
	struct roles_session_view v;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	ca = call_up(h, p, "alice", "secret", &a);
	assert_int_equal(a, POOL_FIRST);
	cb = call_up(h, p, "bob", "secret", &a);
	assert_int_equal(a, POOL_FIRST + 1);
	v = describe(h, ca);
	assert_string_equal(v.rate_plan, "gold");
	assert_int_equal(v.rate_down_bps, 20000000);
	assert_int_equal(v.rate_up_bps, 5000000);
	v = describe(h, cb);
	assert_string_equal(v.rate_plan, "silver");
	assert_int_equal(v.rate_down_bps, 10000000);
	rh_free(h);
}

/* A [peer]'s rate-plan is what its users get when RADIUS and the users
 * file name none; the users file still beats it, and a tunnel from a LAC
 * no [peer] matches gets [lns] rate-plan. */
static void
test_peer_plan(void **state)
{
	struct role_harness *h = rh_new(peer_conf, "users",
	    "alice secret\nbob secret * rate-plan=slow\ncarol secret\n", NULL);
	struct rh_peer *a = rh_peer(h, 0), *other = rh_peer(h, 1);
	struct rh_call *ca, *cb, *cc;
	uint32_t addr;

	(void)state;
	assert_true(rh_tunnel_open(h, a));
	assert_true(rh_tunnel_open(h, other));
	ca = call_up(h, a, "alice", "secret", &addr);
	assert_int_not_equal(addr, 0);
	cb = call_up(h, a, "bob", "secret", &addr);
	assert_int_not_equal(addr, 0);
	cc = call_up(h, other, "carol", "secret", &addr);
	assert_int_not_equal(addr, 0);
	assert_string_equal(plan_of(h, ca), "gold");
	assert_string_equal(plan_of(h, cb), "slow");
	assert_string_equal(plan_of(h, cc), "silver");
	rh_free(h);
}

/* A users file naming a plan that does not exist is refused at start
 * with FILE:LINE, and on reload, where the old file stays. */
static void
test_users_file_unknown_plan(void **state)
{
	struct role_harness *h = rh_new(users_conf, "users",
	    "alice secret * rate-plan=gold\n", NULL);
	char err[512];

	(void)state;
	assert_int_equal(
	    rh_reload(h, err, sizeof(err), users_conf, "users",
		"alice secret\nbob secret 10.9.0.12 rate-plan=bronze\n", NULL),
	    -1);
	assert_non_null(strstr(err,
	    "users:2: rate-plan \"bronze\": no "
	    "[rate-plan bronze] section"));
	rh_free(h);
}

/* An Access-Accept with the given strings: Filter-Id (NULL none) and
 * Mikrotik-Rate-Limit (NULL none). */
static void
accept_rates(struct radius_packet *rep, const char *filter, const char *mt)
{
	radius_packet_init(rep, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	if (filter != NULL)
		assert_int_equal(radius_put_string(rep, RADIUS_ATTR_FILTER_ID,
				     filter),
		    RADIUS_OK);
	if (mt != NULL)
		assert_int_equal(radius_put_vs_raw(rep, RADIUS_VENDOR_MIKROTIK,
				     RADIUS_MIKROTIK_RATE_LIMIT, mt,
				     strlen(mt)),
		    RADIUS_OK);
}

static struct rh_call *
radius_up(struct role_harness *h, struct rh_peer *p, const char *user,
    const struct radius_packet *rep)
{
	struct rh_call *c = rh_call_open(h, p);
	struct fake_radius_req *q;

	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, user, "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	rh_radius_reply(h, q, rep);
	assert_true(c->pap_ack);
	assert_int_not_equal(rh_ppp_ipcp(h, p, c), 0);
	return c;
}

/* RADIUS: Mikrotik-Rate-Limit (rates directly, "RX/TX" from the NAS's
 * view) beats Filter-Id, which beats the default; a Filter-Id naming no
 * plan falls back to the default, counted. */
static void
test_radius_order(void **state)
{
	struct role_harness *h = rh_new(radius_conf, NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct roles_session_view v;
	struct rh_call *c1, *c2, *c3, *c4;

	(void)state;
	(void)rh_acct_answer_all(h);
	assert_true(rh_tunnel_open(h, p));
	accept_rates(&rep, "gold", "2M/10M 4M/12M");
	c1 = radius_up(h, p, "u1", &rep);
	accept_rates(&rep, "gold", NULL);
	c2 = radius_up(h, p, "u2", &rep);
	accept_rates(&rep, NULL, NULL);
	c3 = radius_up(h, p, "u3", &rep);
	accept_rates(&rep, "platinum", NULL);
	c4 = radius_up(h, p, "u4", &rep);

	v = describe(h, c1);
	assert_string_equal(v.rate_plan, "10M/2M");
	assert_int_equal(v.rate_down_bps, 10000000); /* TX: to the user */
	assert_int_equal(v.rate_up_bps, 2000000);    /* RX: from the user */
	assert_string_equal(plan_of(h, c2), "gold");
	assert_string_equal(plan_of(h, c3), "silver");
	assert_string_equal(plan_of(h, c4), "silver");
	assert_int_equal(h->r->lns.rate_plan_refused, 1);
	rh_free(h);
}

/* ---- the user path's buckets ---- */

/* Downstream: 1000 B/s with a 3000-byte bucket; 32-byte packets from the
 * TUN device pass until the bucket is empty, then are dropped and
 * counted; a second later 1000 bytes more pass. */
static void
test_police_down_and_up(void **state)
{
	struct role_harness *h = rh_new(users_conf, "users",
	    "alice secret * rate-plan=slow\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	struct roles_session_view v;
	uint8_t ip[64];
	size_t n;
	uint32_t a;
	unsigned sent = 0, before;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	n = rh_ip_packet(ip, sizeof(ip), OUTSIDE, a, 4);
	assert_int_equal(n, 32);
	for (unsigned i = 0; i < 100; i++) {
		assert_true(fake_tun_push(&h->io, ip, n));
		assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	}
	/* 3000 / 32 = 93 packets fit the full bucket. */
	assert_int_equal(c->ip_rx, 93);
	v = describe(h, c);
	assert_int_equal(v.police_down_drop_packets, 7);
	assert_int_equal(v.police_down_drop_bytes, 7 * 32);
	rh_advance(h, 1000);
	before = c->ip_rx;
	for (unsigned i = 0; i < 40; i++) {
		assert_true(fake_tun_push(&h->io, ip, n));
		assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	}
	/* 3000 - 93 * 32 = 24 left, + 1000: 32 packets. */
	assert_int_equal(c->ip_rx - before, 32);

	/* Upstream: the same from the user towards the TUN device. */
	before = (unsigned)h->io.tun_written;
	for (unsigned i = 0; i < 100; i++)
		sent += rh_ip_send(h, p, c, a, OUTSIDE, 4) != 0;
	assert_int_equal(sent, 100);
	assert_int_equal(h->io.tun_written - before, 93);
	v = describe(h, c);
	assert_int_equal(v.police_up_drop_packets, 7);
	assert_int_equal(v.police_up_drop_bytes, 7 * 32);
	rh_free(h);
}

/* A UDP packet src -> dst with 8 bytes of payload, 56 bytes in all. */
static size_t
ip6_packet(uint8_t *b, const char *src, const char *dst)
{
	memset(b, 0, 56);
	b[0] = 0x60;
	put_be16(b + 4, 16);
	b[6] = 17;
	b[7] = 64;
	assert_int_equal(inet_pton(AF_INET6, src, b + 8), 1);
	assert_int_equal(inet_pton(AF_INET6, dst, b + 24), 1);
	put_be16(b + 44, 16);
	return 56;
}

/* A dual-stack session's IPv6 goes through the same buckets as its IPv4
 * (lns_ipv6.c): 56-byte packets from the user pass into the TUN until the
 * 3000-byte bucket is empty, then are dropped; the same from the TUN to
 * the session's /64; the drops count in show sessions. */
static void
test_police_ipv6(void **state)
{
	static const uint8_t peer_id[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33,
		0x44, 0x55 };
	struct role_harness *h = rh_new(v6_conf, "users",
	    "alice secret * rate-plan=slow\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	struct roles_session_view v;
	uint8_t b[64];
	size_t n;
	uint32_t a;
	uint64_t before, tx;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	rh_advance(h, 0);
	assert_int_equal(h->io.nroutes6, 1);

	/* Upstream: 3000 / 56 = 53 packets fit the full bucket. */
	n = ip6_packet(b, "2001:db8:100::1234", "2001:db8:ffff::1");
	before = h->io.tun_written;
	for (unsigned i = 0; i < 60; i++)
		rh_ipv6_send(h, p, c, b, n);
	assert_int_equal(h->io.tun_written - before, 53);
	assert_int_equal(lns6_stats(h->r)->rx_packets, 53);
	v = describe(h, c);
	assert_int_equal(v.police_up_drop_packets, 7);
	assert_int_equal(v.police_up_drop_bytes, 7 * 56);

	/* Downstream: the TUN to the session's /64, the same. */
	n = ip6_packet(b, "2001:db8:ffff::1", "2001:db8:100::1234");
	before = c->ipv6_rx;
	tx = lns6_stats(h->r)->tx_packets;
	for (unsigned i = 0; i < 60; i++) {
		assert_true(fake_tun_push(&h->io, b, n));
		assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	}
	assert_int_equal(c->ipv6_rx - before, 53);
	assert_int_equal(lns6_stats(h->r)->tx_packets - tx, 53);
	v = describe(h, c);
	assert_int_equal(v.police_down_drop_packets, 7);
	assert_int_equal(v.police_down_drop_bytes, 7 * 56);
	assert_int_equal(v.police_up_drop_packets, 7);
	rh_free(h);
}

/* ---- changes on a live session ---- */

/* CoA-Request: Filter-Id naming a plan changes it (the match counts); one
 * naming no plan is Invalid-Attribute-Value (RFC 5176 §3.5) and changes
 * nothing; Mikrotik-Rate-Limit sets rates directly; a session that does
 * not match is not found. */
static void
test_coa_changes_plan(void **state)
{
	struct role_harness *h = rh_new(radius_conf, NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct radius_dae_match m;
	struct radius_dae_coa coa;
	enum radius_dae_error err;
	struct roles_session_view v;
	struct rh_call *c;

	(void)state;
	(void)rh_acct_answer_all(h);
	assert_true(rh_tunnel_open(h, p));
	accept_rates(&rep, NULL, NULL);
	c = radius_up(h, p, "carol", &rep);
	assert_string_equal(plan_of(h, c), "silver");

	memset(&m, 0, sizeof(m));
	strcpy(m.user, "carol");
	memset(&coa, 0, sizeof(coa));
	strcpy(coa.filter_id, "gold");
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 1);
	assert_int_equal(err, RADIUS_DAE_OK);
	assert_string_equal(plan_of(h, c), "gold");

	strcpy(coa.filter_id, "platinum");
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 0);
	assert_int_equal(err, RADIUS_DAE_INVALID_ATTRIBUTE_VALUE);
	assert_string_equal(plan_of(h, c), "gold");

	memset(&coa, 0, sizeof(coa));
	strcpy(coa.rate_limit, "512k/2M");
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 1);
	v = describe(h, c);
	assert_string_equal(v.rate_plan, "2M/512k");
	assert_int_equal(v.rate_down_bps, 2000000);
	assert_int_equal(v.rate_up_bps, 512000);

	strcpy(coa.rate_limit, "fast");
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 0);
	assert_int_equal(err, RADIUS_DAE_INVALID_ATTRIBUTE_VALUE);

	strcpy(m.user, "nobody");
	strcpy(coa.rate_limit, "1M");
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 0);
	assert_int_equal(err, RADIUS_DAE_OK); /* → Session-Context-Not-Found */
	rh_free(h);
}

/* vpdnctl set session ID rate-plan NAME: the plan at once; "none" lifts
 * it; an unknown plan or session is refused with why. */
static void
test_ctl_set_plan(void **state)
{
	struct role_harness *h = rh_new(users_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	char why[256];
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	assert_int_equal(roles_set_session_rate_plan(h->r, c->lns_sid, "gold",
			     h->now, why, sizeof(why)),
	    0);
	assert_string_equal(plan_of(h, c), "gold");
	assert_int_equal(roles_set_session_rate_plan(h->r, c->lns_sid,
			     "platinum", h->now, why, sizeof(why)),
	    -1);
	assert_string_equal(why, "no rate plan \"platinum\"");
	assert_int_equal(roles_set_session_rate_plan(h->r,
			     (uint16_t)(c->lns_sid + 100), "gold", h->now, why,
			     sizeof(why)),
	    -1);
	assert_int_equal(roles_set_session_rate_plan(h->r, c->lns_sid, "none",
			     h->now, why, sizeof(why)),
	    0);
	assert_string_equal(plan_of(h, c), "-");
	rh_free(h);
}

/* A reload applies a changed plan's rates to the live sessions that have
 * it; a session whose plan is removed keeps its rates. */
static void
test_reload_applies_plans(void **state)
{
	static const char changed[] = CONF("", "rate-plan = silver",
	    "\n[rate-plan bronze]\ndown = 1M\n");
	static const char gold_faster[] =
	    "[global]\nhostname = lns.test\n\n"
	    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
	    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n"
	    "rate-plan = bronze\n\n"
	    "[rate-plan gold]\ndown = 50M\nup = 5M\n\n"
	    "[rate-plan bronze]\ndown = 1M\n";
	struct role_harness *h = rh_new(users_conf, "users",
	    "alice secret * rate-plan=gold\nbob secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *ca, *cb;
	struct roles_session_view v;
	char err[512];
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	ca = call_up(h, p, "alice", "secret", &a);
	cb = call_up(h, p, "bob", "secret", &a);
	assert_int_equal(rh_reload(h, err, sizeof(err), changed, NULL), 0);
	assert_string_equal(plan_of(h, ca), "gold");
	/* gold 50M, silver gone (bob had it as the default: now bronze). */
	assert_int_equal(rh_reload(h, err, sizeof(err), gold_faster, NULL), 0);
	v = describe(h, ca);
	assert_string_equal(v.rate_plan, "gold");
	assert_int_equal(v.rate_down_bps, 50000000);
	v = describe(h, cb);
	assert_string_equal(v.rate_plan, "bronze");
	assert_int_equal(v.rate_down_bps, 1000000);
	assert_int_equal(v.rate_up_bps, 0);
	rh_free(h);
}

/* ---- the kernel fast path ---- */

/* The plan goes into the kernel's entry with the session, and a change
 * updates it there. */
static void
test_fast_path_gets_plan(void **state)
{
	struct role_harness *h = rh_new(kernel_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	struct fake_fp_entry *e;
	char why[256];
	uint32_t a;
	unsigned updates;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = call_up(h, p, "alice", "secret", &a);
	e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	assert_non_null(e);
	assert_int_equal(e->s.police_down_bps, 10000000);
	assert_int_equal(e->s.police_up_bps, 2000000);
	assert_int_equal(e->s.police_down_burst, 64000);
	assert_int_equal(e->s.police_up_burst, 64000);
	updates = h->io.fp_updates;
	assert_int_equal(roles_set_session_rate_plan(h->r, c->lns_sid, "gold",
			     h->now, why, sizeof(why)),
	    0);
	assert_int_equal(h->io.fp_updates, updates + 1);
	assert_int_equal(e->s.police_down_bps, 20000000);
	/* 250 ms of each rate. */
	assert_int_equal(e->s.police_down_burst, 625000);
	assert_int_equal(e->s.police_up_burst, 156250);
	/* The kernel's drops count in show sessions. */
	e->c.police_down_drop_packets = 3;
	e->c.police_down_drop_bytes = 4500;
	assert_int_equal(describe(h, c).police_down_drop_bytes, 4500);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_plan_described),
		cmocka_unit_test(test_users_file_then_default),
		cmocka_unit_test(test_peer_plan),
		cmocka_unit_test(test_users_file_unknown_plan),
		cmocka_unit_test(test_radius_order),
		cmocka_unit_test(test_police_down_and_up),
		cmocka_unit_test(test_police_ipv6),
		cmocka_unit_test(test_coa_changes_plan),
		cmocka_unit_test(test_ctl_set_plan),
		cmocka_unit_test(test_reload_applies_plans),
		cmocka_unit_test(test_fast_path_gets_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
