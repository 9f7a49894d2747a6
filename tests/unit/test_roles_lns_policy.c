/*
 * test_roles_lns_policy.c — the LNS's operator policy (roles/lns_peer.h,
 * lns_pools.h) on the seam's recorder (tests/support/role_harness.h):
 * [peer] sections matched by Host Name and source address with their own
 * secrets (RFC 2661 §5.1.1) and pools; unknown-peers = refuse answering
 * with StopCCN result code 4 (§4.4.2); a peer's max-tunnels and
 * max-sessions; the pool chosen by RADIUS Framed-Pool (RFC 2869 §5.18),
 * by the peer, by default, and one exhausted without touching another;
 * max-sessions-per-user, RADIUS Port-Limit (RFC 2865 §5.42) and
 * duplicate-login refuse/replace; a reload shrinking and removing pools.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/l2tp_proto.h"
#include "lns_common.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness.h"
#include "roles/aaa.h"
#include "roles/roles_priv.h"

/* Peers 0 and 1 of the harness send from 192.0.2.10 and 192.0.2.11. */
static const char peers_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n"
    "tunnel-secret = default-secret\n%EXTRA%\n"
    "[pool red]\nrange = 10.20.0.0/30\n\n"
    "[pool red2]\nrange = 10.21.0.1-10.21.0.1\n\n"
    "[pool blue]\nrange = 10.30.0.5-10.30.0.6\n\n"
    "[peer carrier-a]\nhostname = lac-a.example\nsource = 192.0.2.10\n"
    "tunnel-secret = secret-a\npool = red, red2\nmax-tunnels = 1\n"
    "max-sessions = 3\n\n"
    "[peer carrier-b]\nsource = 192.0.2.11/32\ntunnel-secret = secret-b\n"
    "pool = blue\nhello-interval = 0\n";

static const char users[] = "alice pw\nbob pw\ncarol pw\ndave pw\neve pw\n";

/* peers_conf with extra [lns] lines in place of %EXTRA%. */
static struct role_harness *
policy_harness(const char *extra)
{
	static char conf[2048];
	const char *at = strstr(peers_conf, "%EXTRA%");
	size_t n = (size_t)(at - peers_conf);

	memcpy(conf, peers_conf, n);
	conf[n] = '\0';
	strcat(conf, extra);
	strcat(conf, at + strlen("%EXTRA%"));
	return rh_new(conf, "users", users, NULL);
}

static void
set_peer(struct rh_peer *p, const char *host, const char *secret)
{
	snprintf(p->host_name, sizeof(p->host_name), "%s", host);
	p->secret = secret;
}

/* The named tunnel's peer entry, as show tunnels gives it. */
struct entry_find {
	uint16_t lns_tid;
	char entry[L2TP_MAX_NAME];
};

static void
entry_of(struct l2tp_tunnel *t, void *arg)
{
	struct entry_find *f = arg;
	struct l2tp_tunnel_info ti;

	l2tp_tunnel_get_info(t, &ti);
	if (ti.local_id == f->lns_tid)
		snprintf(f->entry, sizeof(f->entry), "%s", ti.peer_entry);
}

static const char *
matched_peer(struct role_harness *h, struct rh_peer *p)
{
	static struct entry_find f;

	memset(&f, 0, sizeof(f));
	f.lns_tid = p->lns_tid;
	l2tp_host_foreach_tunnel(h->r->host, entry_of, &f);
	return f.entry;
}

static bool
pool_view(struct role_harness *h, const char *name, struct roles_pool_view *v)
{
	for (unsigned i = 0; roles_pool_get(h->r, i, v); i++)
		if (strcmp(v->name, name) == 0)
			return true;
	return false;
}

/* Two LACs with their own secrets at once, each matched to its [peer]
 * (Host Name and source; source alone) and drawing from its pools; the
 * tunnel names the peer; a peer's users go to its next pool when the
 * first is full. */
static void
test_policy_two_peers_own_secrets_and_pools(void **state)
{
	struct role_harness *h = policy_harness("");
	struct rh_peer *a = rh_peer(h, 0), *b = rh_peer(h, 1);
	struct roles_pool_view v;
	uint32_t x;

	(void)state;
	set_peer(a, "LAC-A.example", "secret-a");
	set_peer(b, "anything", "secret-b");
	assert_true(rh_tunnel_open(h, a));
	assert_true(a->secret_ok);
	assert_true(a->open);
	assert_true(rh_tunnel_open(h, b));
	assert_true(b->secret_ok);
	assert_true(b->open);
	assert_string_equal(matched_peer(h, a), "carrier-a");
	assert_string_equal(matched_peer(h, b), "carrier-b");

	(void)call_up(h, a, "alice", "pw", &x);
	assert_int_equal(x, 0x0a140000); /* red: 10.20.0.0/30 */
	(void)call_up(h, b, "bob", "pw", &x);
	assert_int_equal(x, 0x0a1e0005); /* blue */
	assert_true(pool_view(h, "red", &v));
	assert_int_equal(v.size, 4);
	assert_int_equal(v.used, 1);
	assert_true(pool_view(h, "blue", &v));
	assert_int_equal(v.used, 1);
	assert_true(pool_view(h, "default", &v));
	assert_int_equal(v.used, 0);
	rh_free(h);
}

/* The wrong secret for one peer: its tunnel fails (the SCCRP's response
 * does not check out for the LAC, the SCCCN's not for the LNS), while the
 * other peer's tunnel comes up and carries a session. */
static void
test_policy_wrong_secret_one_peer(void **state)
{
	struct role_harness *h = policy_harness("");
	struct rh_peer *a = rh_peer(h, 0), *b = rh_peer(h, 1);
	uint32_t x;

	(void)state;
	set_peer(a, "lac-a.example", "secret-b"); /* b's, not a's */
	set_peer(b, "lac-b", "secret-b");
	(void)rh_tunnel_open(h, a);
	assert_false(a->secret_ok);
	assert_false(a->open); /* StopCCN for the SCCCN's bad response */
	assert_true(rh_tunnel_open(h, b));
	assert_true(b->secret_ok);
	(void)call_up(h, b, "bob", "pw", &x);
	assert_int_equal(x, 0x0a1e0005);
	rh_free(h);
}

/* unknown-peers = refuse: an SCCRQ matching no [peer] gets StopCCN
 * result code 4 (RFC 2661 §4.4.2), no tunnel, counted; accept (the
 * default) gives it the [lns] secret and pool. */
static void
test_policy_unknown_peer(void **state)
{
	struct role_harness *h = policy_harness("unknown-peers = refuse\n");
	struct rh_peer *u = rh_peer(h, 2); /* 192.0.2.12: no [peer] */
	const struct rh_dgram *d;
	struct l2tp_msg m;
	struct l2tp_err err;
	uint32_t x;

	(void)state;
	set_peer(u, "stranger", "default-secret");
	assert_false(rh_tunnel_open(h, u));
	assert_int_equal(u->last_type, L2TP_MSG_STOPCCN);
	assert_int_equal(u->stop_result, L2TP_STOPCCN_NOT_AUTHORIZED);
	/* The bytes on the wire: Result Code AVP with result 4. */
	d = rh_sent(h, 0);
	assert_non_null(d);
	memset(&err, 0, sizeof(err));
	assert_int_equal(l2tp_msg_decode(d->pkt, d->len, NULL, &m, &err),
	    L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_STOPCCN);
	assert_int_equal(m.result.result, 4);
	assert_int_equal(m.hdr.tunnel_id, u->tid);
	assert_int_equal(h->r->lns.policy.unknown_peer_refused, 1);
	assert_int_equal(h->r->host != NULL, 1);
	rh_free(h);

	h = policy_harness("");
	u = rh_peer(h, 2);
	set_peer(u, "stranger", "default-secret");
	assert_true(rh_tunnel_open(h, u));
	assert_true(u->secret_ok);
	assert_string_equal(matched_peer(h, u), "");
	(void)call_up(h, u, "alice", "pw", &x);
	assert_int_equal(x, POOL_FIRST);
	assert_int_equal(h->r->lns.policy.unknown_peer_refused, 0);
	rh_free(h);
}

/* A Host Name that does not match keeps a peer with hostname and
 * source from matching even from its source. */
static void
test_policy_hostname_and_source_both(void **state)
{
	struct role_harness *h = policy_harness("unknown-peers = refuse\n");
	struct rh_peer *a = rh_peer(h, 0);

	(void)state;
	set_peer(a, "lac-x.example", "secret-a");
	assert_false(rh_tunnel_open(h, a));
	assert_int_equal(a->stop_result, L2TP_STOPCCN_NOT_AUTHORIZED);
	rh_free(h);
}

/* max-tunnels = 1 for carrier-a: a second tunnel from it gets StopCCN
 * result 2, error 4 (insufficient resources); max-sessions = 3: the
 * fourth call gets CDN result 4 (temporary lack of resources). */
static void
test_policy_peer_limits(void **state)
{
	struct role_harness *h = policy_harness("");
	struct rh_peer *a = rh_peer(h, 0);
	struct rh_peer a2;
	uint32_t x;

	(void)state;
	set_peer(a, "lac-a.example", "secret-a");
	assert_true(rh_tunnel_open(h, a));
	/* A second tunnel from the same LAC (another tunnel ID). */
	a2 = *a;
	assert_false(rh_tunnel_open(h, a));
	assert_int_equal(a->stop_result, L2TP_STOPCCN_ERROR);
	assert_int_equal(a->stop_error, L2TP_ERR_NO_RESOURCES);
	assert_int_equal(h->r->lns.policy.peer_tunnels_refused, 1);
	*a = a2; /* back to the first tunnel */
	(void)call_up(h, a, "alice", "pw", &x);
	(void)call_up(h, a, "bob", "pw", &x);
	(void)call_up(h, a, "carol", "pw", &x);
	assert_null(rh_call_open(h, a));
	assert_int_equal(a->cdn_result, L2TP_CDN_NO_RESOURCES);
	assert_int_equal(h->r->lns.policy.peer_sessions_refused, 1);
	rh_free(h);
}

/* carrier-b's one pool of two: the third user is refused and counted in
 * that pool; carrier-a's users and the default pool are untouched. */
static void
test_policy_pool_exhausted(void **state)
{
	struct role_harness *h = policy_harness("");
	struct rh_peer *a = rh_peer(h, 0), *b = rh_peer(h, 1);
	struct roles_pool_view v;
	uint32_t x;

	(void)state;
	set_peer(a, "lac-a.example", "secret-a");
	set_peer(b, "lac-b", "secret-b");
	assert_true(rh_tunnel_open(h, a));
	assert_true(rh_tunnel_open(h, b));
	(void)call_up(h, b, "alice", "pw", &x);
	(void)call_up(h, b, "bob", "pw", &x);
	(void)call_up(h, b, "carol", "pw", &x);
	assert_int_equal(x, 0);
	assert_true(pool_view(h, "blue", &v));
	assert_int_equal(v.used, 2);
	assert_int_equal(v.free, 0);
	assert_int_equal(v.exhausted, 1);
	assert_int_equal(roles_pool_refused(h->r), 1);
	(void)call_up(h, a, "dave", "pw", &x);
	assert_int_equal(x, 0x0a140000);
	rh_free(h);
}

/* max-sessions-per-user = 1: alice's second session (another peer) is
 * refused; duplicate-login = refuse likewise; replace ends the first
 * (CDN result 3) and lets the second have an address. */
static void
test_policy_per_user(void **state)
{
	static const char *const modes[] = {
		"max-sessions-per-user = 1\n",
		"duplicate-login = refuse\n",
		"duplicate-login = replace\n",
	};

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		struct role_harness *h = policy_harness(modes[i]);
		struct rh_peer *a = rh_peer(h, 0), *b = rh_peer(h, 1);
		struct rh_call *c1, *c2;
		uint32_t x1, x2;

		set_peer(a, "lac-a.example", "secret-a");
		set_peer(b, "lac-b", "secret-b");
		assert_true(rh_tunnel_open(h, a));
		assert_true(rh_tunnel_open(h, b));
		c1 = call_up(h, a, "alice", "pw", &x1);
		assert_int_not_equal(x1, 0);
		(void)call_up(h, b, "bob", "pw", &x2); /* others unaffected */
		assert_int_not_equal(x2, 0);
		c2 = call_up(h, b, "alice", "pw", &x2);
		if (i < 2) {
			assert_int_equal(x2, 0);
			assert_true(c1->open);
			assert_int_equal(i == 0 ?
				h->r->lns.policy.user_limit_refused :
				h->r->lns.policy.duplicate_refused,
			    1);
		} else {
			assert_int_equal(x2, 0x0a1e0006);
			assert_false(c1->open);
			assert_int_equal(a->cdn_result, L2TP_CDN_ADMIN);
			assert_true(c2->open);
			assert_int_equal(h->r->lns.policy.duplicate_replaced,
			    1);
		}
		rh_free(h);
	}
}

/* A reload shrinks red to one address while alice holds another (she
 * keeps it until she ends), removes blue (bob keeps his; the pool is
 * listed as removed until then) and adds green. */
static void
test_policy_reload_pools(void **state)
{
	static const char next[] =
	    "[global]\nhostname = lns.test\n\n"
	    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
	    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n"
	    "tunnel-secret = default-secret\n\n"
	    "[pool red]\nrange = 10.20.0.3\n\n"
	    "[pool red2]\nrange = 10.21.0.1-10.21.0.1\n\n"
	    "[pool green]\nrange = 10.40.0.0/31\n\n"
	    "[peer carrier-a]\nhostname = lac-a.example\n"
	    "tunnel-secret = secret-a\npool = red, red2\n\n"
	    "[peer carrier-b]\nsource = 192.0.2.11/32\n"
	    "tunnel-secret = secret-b\npool = green\n";
	struct role_harness *h = policy_harness("");
	struct rh_peer *a = rh_peer(h, 0), *b = rh_peer(h, 1);
	struct roles_pool_view v;
	struct rh_call *ca, *cb;
	char err[256];
	uint32_t x;

	(void)state;
	set_peer(a, "lac-a.example", "secret-a");
	set_peer(b, "lac-b", "secret-b");
	assert_true(rh_tunnel_open(h, a));
	assert_true(rh_tunnel_open(h, b));
	ca = call_up(h, a, "alice", "pw", &x);
	assert_int_equal(x, 0x0a140000);
	cb = call_up(h, b, "bob", "pw", &x);
	assert_int_equal(x, 0x0a1e0005);
	assert_int_equal(rh_reload(h, err, sizeof(err), next, "users", users,
			     NULL),
	    0);
	assert_true(pool_view(h, "red", &v));
	assert_int_equal(v.size, 1);
	assert_int_equal(v.used, 1); /* alice's, outside the range now */
	assert_true(pool_view(h, "blue", &v));
	assert_true(v.retired);
	assert_int_equal(v.used, 1);
	assert_true(pool_view(h, "green", &v));
	assert_int_equal(v.size, 2);
	/* carol from carrier-a gets red's one address; dave the next. */
	(void)call_up(h, a, "carol", "pw", &x);
	assert_int_equal(x, 0x0a140003);
	(void)call_up(h, b, "dave", "pw", &x);
	assert_int_equal(x, 0x0a280000);
	rh_advance(h, 1000);
	rh_call_close(h, a, ca, 3);
	rh_call_close(h, b, cb, 3);
	assert_true(pool_view(h, "red", &v));
	assert_int_equal(v.used, 1);
	assert_false(pool_view(h, "blue", &v)); /* gone with bob */
	rh_free(h);
}

/* A reload with overlapping pools, or a peer naming a missing pool, is
 * refused with FILE:LINE and changes nothing. */
static void
test_policy_reload_refused(void **state)
{
	static const char overlap[] =
	    "[global]\nhostname = lns.test\n\n"
	    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
	    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n\n"
	    "[pool red]\nrange = 10.20.0.0/30\n\n"
	    "[pool blue]\nrange = 10.20.0.2-10.20.0.9\n";
	static const char missing[] =
	    "[global]\nhostname = lns.test\n\n"
	    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
	    "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n\n"
	    "[peer carrier-a]\nhostname = lac-a.example\npool = gone\n";
	struct role_harness *h = policy_harness("");
	struct roles_pool_view v;
	char err[256];

	(void)state;
	assert_int_equal(rh_reload(h, err, sizeof(err), overlap, "users", users,
			     NULL),
	    -1);
	assert_non_null(strstr(err, ":15: [pool blue] overlaps [pool red]"));
	assert_int_equal(rh_reload(h, err, sizeof(err), missing, "users", users,
			     NULL),
	    -1);
	assert_non_null(strstr(err, ":13: [peer carrier-a]: no [pool gone]"));
	assert_true(pool_view(h, "blue", &v));
	assert_int_equal(v.size, 2);
	assert_true(pool_view(h, "red2", &v));
	assert_non_null(lns_peer_find(h->r->cfg, "carrier-b"));
	rh_free(h);
}

static const char radius_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nradius = yes\ninterface = vpdn0\n"
    "max-sessions-per-user = 3\n\n"
    "[pool gold]\nrange = 10.50.0.1-10.50.0.1\n\n"
    "[radius]\nserver = 127.0.0.1\nsecret = s3cret\n"
    "nas-identifier = lns.test\n";

static struct rh_call *
radius_up(struct role_harness *h, struct rh_peer *p, const char *user,
    const struct radius_packet *rep, uint32_t *a)
{
	struct rh_call *c = rh_call_open(h, p);
	struct fake_radius_req *q;

	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, user, "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	rh_radius_reply(h, q, rep);
	*a = rh_ppp_ipcp(h, p, c);
	return c;
}

/* Framed-Pool names the pool (before the default); the pool of one then
 * refuses the next user it names, while one without it still gets the
 * default pool.  Port-Limit = 1 refuses alice's second session even
 * though max-sessions-per-user allows 3. */
static void
test_policy_radius_framed_pool_port_limit(void **state)
{
	struct role_harness *h = rh_new(radius_conf, NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet gold, plain, limited;
	uint32_t x;

	(void)state;
	assert_int_equal(rh_acct_answer_all(h), 1); /* Accounting-On */
	radius_packet_init(&gold, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	assert_int_equal(radius_put_string(&gold, RADIUS_ATTR_FRAMED_POOL,
			     "gold"),
	    RADIUS_OK);
	radius_packet_init(&plain, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	radius_packet_init(&limited, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	assert_int_equal(radius_put_u32(&limited, RADIUS_ATTR_PORT_LIMIT, 1),
	    RADIUS_OK);
	assert_true(rh_tunnel_open(h, p));
	(void)radius_up(h, p, "alice", &gold, &x);
	assert_int_equal(x, 0x0a320001);
	(void)radius_up(h, p, "bob", &gold, &x);
	assert_int_equal(x, 0);
	(void)radius_up(h, p, "carol", &plain, &x);
	assert_int_equal(x, POOL_FIRST);
	(void)radius_up(h, p, "carol", &limited, &x);
	assert_int_equal(x, 0);
	assert_int_equal(h->r->lns.policy.user_limit_refused, 1);
	rh_acct_answer_all(h);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_two_peers_own_secrets_and_pools),
		cmocka_unit_test(test_policy_wrong_secret_one_peer),
		cmocka_unit_test(test_policy_unknown_peer),
		cmocka_unit_test(test_policy_hostname_and_source_both),
		cmocka_unit_test(test_policy_peer_limits),
		cmocka_unit_test(test_policy_pool_exhausted),
		cmocka_unit_test(test_policy_per_user),
		cmocka_unit_test(test_policy_reload_pools),
		cmocka_unit_test(test_policy_reload_refused),
		cmocka_unit_test(test_policy_radius_framed_pool_port_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
