/*
 * test_roles_client_fp.c — a client's call and the kernel fast path
 * (roles/client_fp.c), on the seam's recorder against the scripted LNS of
 * rh_server.h: with `dataplane = kernel` (or auto with the programs
 * loaded) the call enters the maps once IPCP is up (RFC 1332) and its TUN
 * exists, as a client session (client_ifindex: its TUN) with the tunnel's
 * and call's IDs, the LNS's address and port, our IPCP address and the PPP
 * header form the LNS agreed to receive (RFC 1661 §6.5/§6.6); every way
 * the call ends takes it out of the maps before its TUN is closed; what
 * the kernel carried shows in `show clients` and `show sessions`;
 * `dataplane = user`, a refused entry or a PPPoE call stay on the user
 * path.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client_common.h"
#include "config/config.h"
#include "roles/roles_priv.h"

#define CONF(dataplane) \
	"[global]\nhostname = client.test\n" dataplane "\n\n" \
	"[client corp]\nlns = 203.0.113.1\nuser = alice\n" \
	"password = secret\nauth = pap\ninterface = vpdn-corp\n" \
	"routes = 10.9.0.0/24\nredial = no\n"

/* What the fake saw when the call left the maps. */
static struct {
	struct role_harness *h;
	unsigned removes;
	unsigned tun_closes; /* by then */
} gone;

static void
on_removed(void *arg, const struct fastpath_session *s,
    const struct fastpath_counters *final)
{
	(void)arg;
	(void)s;
	(void) final;
	gone.removes++;
	gone.tun_closes = gone.h->io.tun_closes;
}

static struct fake_fp_entry *
only_entry(struct role_harness *h)
{
	assert_int_equal(fake_fp_count(&h->io), 1);
	for (unsigned i = 0; i < FAKE_FP_SESSIONS; i++)
		if (h->io.fp[i].used)
			return &h->io.fp[i];
	return NULL;
}

struct path_seen {
	char path[8];
	uint64_t rx_frames, tx_frames, rx_bytes, tx_bytes;
};

static void
see_path(const struct roles_client_view *v, void *arg)
{
	struct path_seen *p = arg;

	snprintf(p->path, sizeof(p->path), "%s", v->path);
	p->rx_frames = v->rx_frames;
	p->tx_frames = v->tx_frames;
	p->rx_bytes = v->rx_bytes;
	p->tx_bytes = v->tx_bytes;
}

static struct path_seen
show_path(struct role_harness *h)
{
	struct path_seen p;

	memset(&p, 0, sizeof(p));
	roles_foreach_client(h->r, h->now, see_path, &p);
	return p;
}

struct sess_walk {
	struct roles *r;
	struct roles_session_view v;
	unsigned n;
};

static void
sess_one(struct l2tp_session *s, void *arg)
{
	struct sess_walk *w = arg;

	memset(&w->v, 0, sizeof(w->v));
	roles_describe_session(w->r, s, &w->v);
	w->n++;
}

static void
tun_sessions(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, sess_one, arg);
}

/* The call in the maps with everything the programs need. */
static void
test_client_enters_fast_path(void **state)
{
	struct role_harness *h = client_harness(CONF("dataplane = kernel"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct fake_fp_entry *e;
	struct path_seen p;
	struct seen s;

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	e = only_entry(h);
	/* The encapsulating program goes on the client's TUN, the
	 * decapsulating one where the LNS's datagrams arrive. */
	assert_int_equal(e->s.client_ifindex, FAKE_TUN_IFINDEX);
	assert_int_equal(e->tun_ifindex, FAKE_TUN_IFINDEX);
	assert_int_equal(e->l2tp_ifindex, RH_L2TP_IFINDEX);
	assert_int_equal(ntohl(e->s.inner_addr.s_addr), GIVEN);
	assert_int_equal(ntohl(e->s.peer_addr.s_addr), LNS_ADDR);
	assert_int_equal(e->s.peer_port, 1701);
	assert_true(e->s.local_port != 0);
	assert_true(e->s.local_addr.s_addr != 0);
	s = show(h);
	assert_int_equal(e->s.our_session_id, s.session_id);
	assert_true(e->s.peer_tunnel_id != 0 && e->s.peer_session_id != 0);
	/* RFC 1662 §3.2, RFC 1661 §6.5: both forms on receive. */
	assert_true(e->s.rx_acfc && e->s.rx_pfc);
	/* IPv4 only, no limit of its own, no policer. */
	assert_false(e->s.ipv6);
	assert_int_equal(e->s.mtu, 0);
	assert_int_equal(e->s.police_down_bps + e->s.police_up_bps, 0);
	p = show_path(h);
	assert_string_equal(p.path, "kernel");
	rh_lns_free(l);
	rh_free(h);
}

/* What the kernel carried joins the PPP counters in `show clients` and
 * the session's in `show sessions`, with path kernel. */
static void
test_client_fast_path_counters(void **state)
{
	struct role_harness *h = client_harness(CONF("dataplane = kernel"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct fake_fp_entry *e;
	struct path_seen before, after;
	struct sess_walk w = { 0 };

	(void)state;
	rh_lns_run(l, 100);
	e = only_entry(h);
	before = show_path(h);
	e->c.rx_packets = 100;
	e->c.rx_bytes = 100000;
	e->c.tx_packets = 50;
	e->c.tx_bytes = 4000;
	after = show_path(h);
	assert_int_equal(after.rx_frames, before.rx_frames + 100);
	assert_int_equal(after.rx_bytes, before.rx_bytes + 100000);
	assert_int_equal(after.tx_frames, before.tx_frames + 50);
	assert_int_equal(after.tx_bytes, before.tx_bytes + 4000);
	w.r = h->r;
	l2tp_host_foreach_tunnel(h->r->host, tun_sessions, &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v.path, "kernel");
	assert_int_equal(w.v.fp_rx_packets, 100);
	assert_int_equal(w.v.fp_tx_packets, 50);
	assert_int_equal(w.v.fp_rx_bytes, 100000);
	assert_int_equal(w.v.fp_tx_bytes, 4000);
	rh_lns_free(l);
	rh_free(h);
}

/* A CDN from the LNS, a StopCCN, and shutdown: out of the maps each
 * time, before the TUN is closed. */
static void
test_client_leaves_before_tun(void **state)
{
	for (int how = 0; how < 3; how++) {
		struct role_harness *h = client_harness(
		    CONF("dataplane = kernel"));
		struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

		(void)state;
		rh_lns_run(l, 100);
		assert_int_equal(fake_fp_count(&h->io), 1);
		memset(&gone, 0, sizeof(gone));
		gone.h = h;
		h->io.fp_removed = on_removed;
		if (how == 0)
			rh_lns_hangup(l, 3);
		else if (how == 1)
			rh_lns_stop(l, 6);
		else
			roles_shutdown(h->r, h->now);
		rh_lns_run(l, 2000);
		assert_int_equal(fake_fp_count(&h->io), 0);
		assert_int_equal(gone.removes, 1);
		assert_int_equal(gone.tun_closes, 0);
		assert_int_equal(h->io.tun_closes, 1);
		rh_lns_free(l);
		rh_free(h);
	}
}

/* dataplane = user, or the maps refusing: the user path, path user. */
static void
test_client_user_path(void **state)
{
	struct role_harness *h = client_harness(CONF("dataplane = user"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_int_equal(fake_fp_count(&h->io), 0);
	assert_string_equal(show_path(h).path, "user");
	rh_lns_free(l);
	rh_free(h);

	h = client_harness(CONF("dataplane = kernel"));
	h->io.fp_refuse = true;
	l = rh_lns_new(h, "203.0.113.1", 1701);
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_int_equal(fake_fp_count(&h->io), 0);
	assert_string_equal(show_path(h).path, "user");
	rh_lns_free(l);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_enters_fast_path),
		cmocka_unit_test(test_client_fast_path_counters),
		cmocka_unit_test(test_client_leaves_before_tun),
		cmocka_unit_test(test_client_user_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
