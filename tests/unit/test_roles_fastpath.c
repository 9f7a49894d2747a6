/*
 * test_roles_fastpath.c — the LNS's sessions and the kernel fast path, on
 * the seam's recorder (tests/support/role_harness.h, fake_io.h): with
 * `dataplane = kernel` a session enters the maps when IPCP is up (RFC 1332)
 * with its tunnel's and call's IDs, peer, local address and the PPP header
 * form the peer negotiated (RFC 1661 §6.5/§6.6); a sequenced session (RFC
 * 2661 §5.4) stays on the user path; every way a session ends takes it out
 * of the maps before its route, address or accounting record goes; the
 * kernel's counters join the user path's in `show sessions` and in the
 * accounting Stop (RFC 2866 §5.3/§5.4/§5.8, RFC 2869 §5.1/§5.2).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "l2tp/msg.h"
#include "ppp/ppp_proto.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness.h"
#include "roles/lns_ipv6.h"

#define POOL_FIRST 0x0a09000au /* 10.9.0.10 */

#define LNS_CONF(dataplane, extra) \
	"[global]\nhostname = lns.test\n" dataplane "\n" \
	"[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n" \
	"auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n" extra

static const char kernel_conf[] = LNS_CONF("dataplane = kernel", "");
static const char v6_conf[] = LNS_CONF("dataplane = kernel",
    "ipv6-pool = 2001:db8:100::/62\n");
static const char user_conf[] = LNS_CONF("", "");
static const char radius_conf[] = LNS_CONF("dataplane = kernel",
    "[radius]\nserver = 127.0.0.1\nsecret = testing123\n");

/* What the roles still held when the fake took a session out. */
static struct {
	struct role_harness *h;
	uint32_t addr;
	unsigned removes;
	bool route_there;    /* its /32 in the TUN */
	unsigned stops_sent; /* Stops sent by then */
} seen;

static unsigned
acct_stops(struct role_harness *h)
{
	unsigned n = 0;

	for (unsigned i = 0; i < FAKE_RADIUS; i++) {
		uint32_t st;

		if (h->io.radius[i].handle != 0 &&
		    h->io.radius[i].code == RADIUS_CODE_ACCOUNTING_REQUEST &&
		    radius_get_u32(h->io.radius[i].pkt,
			RADIUS_ATTR_ACCT_STATUS_TYPE, &st) == RADIUS_OK &&
		    st == RADIUS_ACCT_STATUS_STOP)
			n++;
	}
	return n;
}

static void
on_removed(void *arg, const struct fastpath_session *s,
    const struct fastpath_counters *final)
{
	(void)arg;
	(void) final;
	assert_int_equal(ntohl(s->inner_addr.s_addr), seen.addr);
	seen.removes++;
	seen.route_there = fake_route_find(&seen.h->io, FAKE_TUN_IFINDEX,
			       seen.addr, 32) != NULL;
	seen.stops_sent = acct_stops(seen.h);
}

/* A harness, a tunnel and one call with IPCP up as alice. */
static struct role_harness *
session_up(const char *conf, bool seq, struct rh_peer **pp, struct rh_call **cp)
{
	struct role_harness *h = rh_new(conf, "users", "alice secret\n", NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	p->seq_required = seq;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	rh_advance(h, 100);
	assert_int_equal(rh_ppp_up_pap(h, p, c, "alice", "secret"), POOL_FIRST);
	memset(&seen, 0, sizeof(seen));
	seen.h = h;
	seen.addr = POOL_FIRST;
	h->io.fp_removed = on_removed;
	*pp = p;
	*cp = c;
	return h;
}

struct describe_walk {
	struct roles *r;
	struct roles_session_view v;
	unsigned n;
};

static void
describe_one(struct l2tp_session *s, void *arg)
{
	struct describe_walk *w = arg;

	roles_describe_session(w->r, s, &w->v);
	w->n++;
}

static void
describe_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, describe_one, arg);
}

/* `show sessions` of the one session there is. */
static struct roles_session_view
describe(struct role_harness *h)
{
	struct describe_walk w = { .r = h->r };

	l2tp_host_foreach_tunnel(roles_host(h->r), describe_tunnel, &w);
	assert_int_equal(w.n, 1);
	return w.v;
}

static void
test_fp_entered_at_ipcp_up(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, false, &p, &c);
	struct fake_fp_entry *e;
	struct roles_session_view v;

	(void)state;
	assert_int_equal(h->io.fp_adds, 1);
	e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	assert_non_null(e);
	/* Received data carries our IDs, sent data the peer's (§3.1). */
	assert_int_equal(e->s.peer_tunnel_id, p->tid);
	assert_int_equal(e->s.peer_session_id, c->sid);
	assert_int_equal(ntohl(e->s.peer_addr.s_addr), 0xc000020au);
	assert_int_equal(e->s.peer_port, 1701);
	assert_int_equal(ntohl(e->s.local_addr.s_addr), 0xc6336401u);
	assert_int_equal(e->s.local_port, 1701);
	assert_int_equal(ntohl(e->s.inner_addr.s_addr), POOL_FIRST);
	assert_int_equal(e->s.mtu, h->cfg->lns.mtu);
	/* Both forms accepted as the user path does; the harness's peer
	 * asked for neither PFC nor ACFC, so full headers are sent. */
	assert_true(e->s.rx_acfc);
	assert_true(e->s.rx_pfc);
	assert_false(e->s.tx_acfc);
	assert_false(e->s.tx_pfc);
	assert_int_equal(e->l2tp_ifindex, RH_L2TP_IFINDEX);
	assert_int_equal(e->tun_ifindex, FAKE_TUN_IFINDEX);

	v = describe(h);
	assert_string_equal(v.path, "kernel");
	e->c.rx_packets = 7;
	e->c.rx_bytes = 700;
	e->c.tx_packets = 9;
	e->c.tx_bytes = 900;
	v = describe(h);
	assert_int_equal(v.fp_rx_packets, 7);
	assert_int_equal(v.fp_rx_bytes, 700);
	assert_int_equal(v.fp_tx_packets, 9);
	assert_int_equal(v.fp_tx_bytes, 900);

	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_int_equal(seen.removes, 1);
	assert_true(seen.route_there);
	assert_int_equal(fake_fp_count(&h->io), 0);
	rh_free(h);
}

/* dataplane = user (the default): no fast path operation at all. */
static void
test_fp_user_default(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(user_conf, false, &p, &c);

	(void)state;
	assert_false(h->io.fastpath);
	assert_int_equal(h->io.fp_adds, 0);
	assert_string_equal(describe(h).path, "user");
	rh_free(h);
}

/* RFC 2661 §5.4: sequenced data stays where the Ns/Nr state is. */
static void
test_fp_not_for_sequenced(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, true, &p, &c);

	(void)state;
	assert_int_equal(h->io.fp_adds, 0);
	assert_int_equal(fake_fp_count(&h->io), 0);
	assert_string_equal(describe(h).path, "user");
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_int_equal(h->io.fp_removes, 0);
	rh_free(h);
}

/* The loader refuses (a map full, an interface taken): the user path. */
static void
test_fp_refused_stays_user(void **state)
{
	struct role_harness *h = rh_new(kernel_conf, "users", "alice secret\n",
	    NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	(void)state;
	h->io.fp_refuse = true;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_int_equal(rh_ppp_up_pap(h, p, c, "alice", "secret"), POOL_FIRST);
	assert_string_equal(describe(h).path, "user");
	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_int_equal(h->io.fp_removes, 0);
	rh_free(h);
}

static void
end_and_check(struct role_harness *h)
{
	/* RFC 1661 §4.6: after a Terminate-Ack the link waits one restart
	 * timer before it is down. */
	rh_advance(h, 10000);
	assert_int_equal(seen.removes, 1);
	assert_true(seen.route_there);
	assert_int_equal(fake_fp_count(&h->io), 0);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, POOL_FIRST, 32));
}

static void
test_fp_leaves_on_stopccn(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, false, &p, &c);
	struct l2tp_msg m;

	(void)state;
	/* RFC 2661 §6.4: the tunnel goes, and its sessions with it. */
	l2tp_msg_init(&m, L2TP_MSG_STOPCCN, p->lns_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.assigned_tunnel_id = p->tid;
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = 1;
	rh_send_ctl(h, p, &m);
	end_and_check(h);
	rh_free(h);
}

static void
test_fp_leaves_on_lcp_terminate(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, false, &p, &c);
	/* RFC 1661 §5.5: Terminate-Request from the user. */
	const uint8_t term[] = { 0xc0, 0x21, 5, 0x55, 0, 4 };

	(void)state;
	rh_ppp_send(h, p, c, term, sizeof(term));
	end_and_check(h);
	rh_free(h);
}

/* LCP renegotiated (RFC 1661 §3.5): IPCP is down, the session leaves. */
static void
test_fp_leaves_on_lcp_renegotiation(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, false, &p, &c);
	const uint8_t req[] = { 0xc0, 0x21, 1, 0x56, 0, 4 };
	struct fake_fp_entry *e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	struct roles_session_view v;

	(void)state;
	assert_non_null(e);
	e->c.rx_packets = 7;
	e->c.tx_bytes = 900;
	rh_ppp_send(h, p, c, req, sizeof(req));
	end_and_check(h);
	/* The call goes on: what the kernel carried still counts in `show
	 * sessions` (counters never go back). */
	v = describe(h);
	assert_string_equal(v.path, "user");
	assert_int_equal(v.fp_rx_packets, 7);
	assert_int_equal(v.fp_tx_bytes, 900);
	rh_free(h);
}

static void
test_fp_leaves_on_admin_disconnect(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, false, &p, &c);

	(void)state;
	assert_int_equal(roles_disconnect_user(h->r, "alice", h->now), 1);
	end_and_check(h);
	rh_free(h);
}

static void
test_fp_leaves_on_shutdown(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(kernel_conf, false, &p, &c);

	(void)state;
	rh_free(h);
	assert_int_equal(seen.removes, 1);
	assert_true(seen.route_there);
}

static uint32_t
attr_u32(const struct radius_packet *pkt, uint8_t type)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(radius_get_u32(pkt, type, &v), RADIUS_OK);
	return v;
}

/* The Stop's counters: the user path's and the kernel's final ones,
 * taken before the Stop is built. */
static void
test_fp_counters_in_acct_stop(void **state)
{
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(radius_conf, false, &p, &c);
	struct fake_fp_entry *e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	const struct radius_packet *stop = NULL;
	uint8_t f[2 + 32];

	(void)state;
	assert_non_null(e);
	/* One packet the user path carried (32 octets of IP). */
	memset(f, 0, sizeof(f));
	put_be16(f, 0x0021);
	f[2] = 0x45;
	put_be16(f + 4, 32);
	f[10] = 64;
	f[11] = 17;
	put_be16(f + 14, (uint16_t)(POOL_FIRST >> 16));
	put_be16(f + 16, (uint16_t)POOL_FIRST);
	put_be16(f + 18, 0xc000);
	put_be16(f + 20, 0x0263);
	rh_ppp_send(h, p, c, f, sizeof(f));
	assert_int_equal(h->io.tun_written, 1);
	/* The kernel's: over 4 GiB upstream (RFC 2869 §5.1 Gigawords). */
	e->c.rx_packets = 10;
	e->c.rx_bytes = (5ull << 32) + 1000;
	e->c.tx_packets = 20;
	e->c.tx_bytes = 2000;

	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_int_equal(seen.removes, 1);
	assert_int_equal(seen.stops_sent, 0);
	for (unsigned i = 0; i < FAKE_RADIUS; i++) {
		uint32_t st;

		if (h->io.radius[i].handle != 0 &&
		    h->io.radius[i].code == RADIUS_CODE_ACCOUNTING_REQUEST &&
		    radius_get_u32(h->io.radius[i].pkt,
			RADIUS_ATTR_ACCT_STATUS_TYPE, &st) == RADIUS_OK &&
		    st == RADIUS_ACCT_STATUS_STOP)
			stop = h->io.radius[i].pkt;
	}
	assert_non_null(stop);
	assert_int_equal(attr_u32(stop, RADIUS_ATTR_ACCT_INPUT_OCTETS),
	    1000 + 32);
	assert_int_equal(attr_u32(stop, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS), 5);
	assert_int_equal(attr_u32(stop, RADIUS_ATTR_ACCT_INPUT_PACKETS), 11);
	assert_int_equal(attr_u32(stop, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), 2000);
	assert_int_equal(attr_u32(stop, RADIUS_ATTR_ACCT_OUTPUT_PACKETS), 20);
	rh_free(h);
}

struct sl_walk {
	struct session_link *sl;
};

static void
sl_one(struct l2tp_session *s, void *arg)
{
	((struct sl_walk *)arg)->sl = l2tp_session_user(s);
}

static void
sl_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, sl_one, arg);
}

/* IPv6 (RFC 5072) joins the session's fast-path entry once IPv6CP is up
 * with a routed /64, follows a delegated prefix (RFC 8415 IA_PD) coming
 * and going, and leaves with IPv6CP; the session stays in the path for
 * IPv4 throughout. */
static void
test_fp_ipv6_follows_ipv6cp(void **state)
{
	static const uint8_t peer_id[8] = { 2, 0x11, 0x22, 0xff, 0xfe, 0x33,
		0x44, 0x55 };
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00 };
	static const uint8_t deleg[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x0a, 0x0b,
		0x0c };
	struct rh_peer *p;
	struct rh_call *c;
	struct role_harness *h = session_up(v6_conf, false, &p, &c);
	struct fake_fp_entry *e;
	struct sl_walk w = { 0 };
	unsigned updates;

	(void)state;
	e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	assert_non_null(e);
	assert_false(e->s.ipv6);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	rh_advance(h, 0);
	e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	assert_non_null(e);
	assert_true(e->s.ipv6);
	assert_memory_equal(e->s.prefix6, pfx, 8);
	assert_int_equal(e->s.deleg6_len, 0);
	assert_int_equal(e->s.mtu6, h->cfg->lns.mtu);
	assert_int_equal(ntohl(e->s.inner_addr.s_addr), POOL_FIRST);

	l2tp_host_foreach_tunnel(roles_host(h->r), sl_tunnel, &w);
	assert_non_null(w.sl);
	lns6_set_delegated(lns_session_v6(w.sl), deleg, 56);
	assert_int_equal(e->s.deleg6_len, 56);
	assert_memory_equal(e->s.deleg6, deleg, 16);
	/* The same again changes nothing in the maps. */
	updates = h->io.fp_updates;
	lns6_set_delegated(lns_session_v6(w.sl), deleg, 56);
	assert_int_equal(e->s.deleg6_len, 56);
	lns6_set_delegated(lns_session_v6(w.sl), NULL, 0);
	assert_int_equal(e->s.deleg6_len, 0);
	assert_true(e->s.ipv6);
	assert_true(h->io.fp_updates > updates);

	/* IPv6CP closed by the peer: IPv6 leaves, IPv4 stays. */
	rh_ppp_proto_rej(h, p, c, PPP_PROTO_IPV6CP);
	rh_advance(h, 100);
	e = fake_fp_find(&h->io, p->lns_tid, c->lns_sid);
	assert_non_null(e);
	assert_false(e->s.ipv6);

	rh_call_close(h, p, c, 3);
	rh_advance(h, 100);
	assert_int_equal(fake_fp_count(&h->io), 0);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fp_entered_at_ipcp_up),
		cmocka_unit_test(test_fp_user_default),
		cmocka_unit_test(test_fp_not_for_sequenced),
		cmocka_unit_test(test_fp_refused_stays_user),
		cmocka_unit_test(test_fp_leaves_on_stopccn),
		cmocka_unit_test(test_fp_leaves_on_lcp_terminate),
		cmocka_unit_test(test_fp_leaves_on_lcp_renegotiation),
		cmocka_unit_test(test_fp_leaves_on_admin_disconnect),
		cmocka_unit_test(test_fp_leaves_on_shutdown),
		cmocka_unit_test(test_fp_counters_in_acct_stop),
		cmocka_unit_test(test_fp_ipv6_follows_ipv6cp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
