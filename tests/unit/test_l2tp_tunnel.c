/*
 * test_l2tp_tunnel.c — the tunnel FSM and the host (RFC 2661 §7.2, §5.1.1,
 * §5.7, §4.4.3, §6.1-§6.6), with hosts wired back to back on a fake clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "l2tp_pair.h"

static void
test_establish_plain(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a, *b;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	a = w_establish(w);
	assert_non_null(a);
	assert_int_equal(w->n[0].tunnel_up, 1);
	assert_int_equal(w->n[1].tunnel_up, 1);
	b = w->n[1].last_tunnel_up;
	assert_non_null(b);
	assert_true(l2tp_tunnel_is_up(a));
	assert_true(l2tp_tunnel_is_up(b));
	/* §3.1: each side's ID is the one the other assigned. */
	assert_int_equal(w_tinfo(a).peer_id, w_tinfo(b).local_id);
	assert_int_equal(w_tinfo(b).peer_id, w_tinfo(a).local_id);
	assert_int_equal(w_tinfo(a).role, L2TP_ROLE_LAC);
	assert_int_equal(w_tinfo(b).role, L2TP_ROLE_LNS);
	assert_int_equal(l2tp_tunnel_role(a), L2TP_ROLE_LAC);
	assert_int_equal(l2tp_tunnel_role(b), L2TP_ROLE_LNS);
	assert_string_equal(w_tinfo(b).peer_hostname, "vpdn");
	/* §6.1: SCCRQ to tunnel 0 with the mandatory AVPs, no challenge
	 * without a secret, no tie breaker unless asked. */
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_SCCRQ, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.tunnel_id, 0);
	assert_int_equal(m.proto_ver, 1);
	assert_int_equal(m.assigned_tunnel_id, w_tinfo(a).local_id);
	assert_true(l2tp_msg_has(&m, L2TP_AVP_HOST_NAME));
	assert_true(l2tp_msg_has(&m, L2TP_AVP_FRAMING_CAP));
	assert_true(l2tp_msg_has(&m, L2TP_AVP_RECEIVE_WINDOW_SIZE));
	assert_false(l2tp_msg_has(&m, L2TP_AVP_CHALLENGE));
	assert_false(l2tp_msg_has(&m, L2TP_AVP_TIE_BREAKER));
	assert_int_equal(w_stats(w, 0)->tunnels_established, 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
	w_free(w);
}

static void
test_establish_secret_hidden(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_msg m;
	struct l2tp_call_params cp;

	(void)state;
	w_set_lns_secret(&w->n[1], "s3cret", true);
	w_start(w);
	a = w_open(w, 0, 1, "s3cret", true);
	w_advance(w, 500);
	assert_true(l2tp_tunnel_is_up(a));
	assert_int_equal(w->n[1].tunnel_up, 1);
	/* §5.1.1: challenge both ways, responses in SCCRP and SCCCN. */
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_SCCRQ, "s3cret", &m),
	    L2TP_OK);
	assert_true(l2tp_msg_has(&m, L2TP_AVP_CHALLENGE));
	/* nothing hidden before the secret is proven (see tunnel.c) */
	assert_int_equal(m.hidden, 0);
	assert_int_equal(w_last_msg(w, 1, L2TP_MSG_SCCRP, "s3cret", &m),
	    L2TP_OK);
	assert_true(l2tp_msg_has(&m, L2TP_AVP_CHALLENGE));
	assert_true(l2tp_msg_has(&m, L2TP_AVP_CHALLENGE_RESPONSE));
	assert_int_equal(m.hidden, 0);
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_SCCCN, "s3cret", &m),
	    L2TP_OK);
	assert_true(l2tp_msg_has(&m, L2TP_AVP_CHALLENGE_RESPONSE));
	/* §4.3: from SCCCN on, hidden, and both ends unhide */
	assert_true(m.hidden & L2TP_AVP_BIT(L2TP_AVP_CHALLENGE_RESPONSE));
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_SCCCN, "other", &m),
	    L2TP_DROP);
	/* sessions hide both ways (LNS: once SCCCN proved the secret) */
	memset(&cp, 0, sizeof(cp));
	assert_non_null(l2tp_session_open(a, &cp, w->now));
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_up, 1);
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_ICRQ, "s3cret", &m),
	    L2TP_OK);
	assert_true(m.hidden & L2TP_AVP_BIT(L2TP_AVP_ASSIGNED_SESSION_ID));
	assert_int_equal(w_last_msg(w, 1, L2TP_MSG_ICRP, "s3cret", &m),
	    L2TP_OK);
	assert_true(m.hidden & L2TP_AVP_BIT(L2TP_AVP_ASSIGNED_SESSION_ID));
	w_free(w);
}

/* §5.1.1 failures, table-driven: who ends up sending StopCCN result 4. */
static void
test_auth_failures(void **state)
{
	static const struct {
		const char *lac, *lns;
		bool hide;
		int stopper; /* node sending StopCCN 4 */
	} cases[] = {
		{ "alpha", "bravo", false, 0 }, /* wrong response in SCCRP */
		{ "alpha", "bravo", true, 0 },	/* the same, hiding AVPs */
		{ "alpha", NULL, false, 1 },	/* LNS challenged, no secret */
		{ "alpha", NULL, true, 1 },
		{ NULL, "bravo", false, 0 }, /* LAC challenged, no secret */
		{ NULL, "bravo", true, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		int other = 1 - cases[i].stopper;

		if (cases[i].lns)
			w_set_lns_secret(&w->n[1], cases[i].lns, cases[i].hide);
		w_start(w);
		assert_non_null(w_open(w, 0, 1, cases[i].lac, cases[i].hide));
		w_advance(w, 2000);
		assert_int_equal(w->n[0].tunnel_up, 0);
		assert_int_equal(w->n[1].tunnel_up, 0);
		assert_int_equal(w_stats(w, cases[i].stopper)->stopccn_sent[4],
		    1);
		assert_int_equal(w_stats(w, other)->stopccn_rcvd[4], 1);
		assert_int_equal(w->n[0].tunnel_down, 1);
		w_advance(w, 60000);
		assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
		assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 0);
		w_free(w);
	}
}

/*
 * §5.7: StopCCN from either side.  The receiver acks and holds the tunnel
 * for the CLOSING wait (to re-ack a retransmitted StopCCN), not less; the
 * sender frees it once its StopCCN is acked.
 */
static void
test_stopccn_either_side(void **state)
{
	(void)state;
	for (int closer = 0; closer < 2; closer++) {
		struct world *w = w_new();
		struct l2tp_tunnel *t[2];
		struct l2tp_call_params cp;
		int rcvr = 1 - closer;

		for (int i = 0; i < 2; i++)
			w->n[i].cfg.closing_ms = 10000;
		w_start(w);
		t[0] = w_establish(w);
		t[1] = w->n[1].last_tunnel_up;
		memset(&cp, 0, sizeof(cp));
		for (int i = 0; i < 3; i++)
			assert_non_null(l2tp_session_open(t[0], &cp, w->now));
		w_advance(w, 500);
		assert_int_equal(w->n[1].session_up, 3);
		l2tp_tunnel_close(t[closer], L2TP_STOPCCN_GENERAL, 0, "bye",
		    w->now);
		/* sessions and tunnel down at once on the closing side */
		assert_int_equal(w->n[closer].session_down, 3);
		assert_int_equal(w->n[closer].tunnel_down, 1);
		w_advance(w, 500);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(w->n[i].session_down, 3);
			assert_int_equal(w->n[i].tunnel_down, 1);
			assert_null(w_any_tunnel(w, i));
		}
		assert_int_equal(w_stats(w, closer)->stopccn_sent[1], 1);
		assert_int_equal(w_stats(w, rcvr)->stopccn_rcvd[1], 1);
		/* the sender's StopCCN was acked: freed */
		assert_int_equal(l2tp_host_tunnel_count(w->n[closer].h), 0);
		/* the receiver holds on for the whole wait */
		assert_int_equal(l2tp_host_tunnel_count(w->n[rcvr].h), 1);
		w_advance(w, 9000);
		assert_int_equal(l2tp_host_tunnel_count(w->n[rcvr].h), 1);
		w_advance(w, 1000);
		assert_int_equal(l2tp_host_tunnel_count(w->n[rcvr].h), 0);
		w_free(w);
	}
}

/* §5.7: a lost ZLB ack: the StopCCN retransmission is acked again by the
 * receiver still in CLOSING, so the sender can finish. */
static void
test_stopccn_ack_lost(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	w->n[1].cfg.closing_ms = 20000;
	w_start(w);
	a = w_establish(w);
	w->n[1].drop_type_mask = 1u << L2TP_MSG_ZLB;
	l2tp_tunnel_close(a, L2TP_STOPCCN_GENERAL, 0, NULL, w->now);
	w_advance(w, 500);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 1);
	w->n[1].drop_type_mask = 0;
	w_advance(w, 2000); /* retransmitted at +1 s, acked */
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_STOPCCN], 2);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
	w_free(w);
}

/*
 * §5.7/§5.8: StopCCNs crossing.  Node 1's StopCCN is lost, so the first
 * word node 0 hears is a ZLB acking its own StopCCN; that ZLB's Ns still
 * announces node 1's StopCCN in flight.  Node 0 must keep the tunnel, ack
 * the StopCCN retransmission with a ZLB, and, now a receiver of a
 * StopCCN, hold state for the full §5.7 interval from its receipt.
 */
static void
test_stopccn_crossing(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a, *b;

	(void)state;
	for (int i = 0; i < 2; i++)
		w->n[i].cfg.closing_ms = 10000;
	w_start(w);
	a = w_establish(w);
	b = w->n[1].last_tunnel_up;
	assert_non_null(b);
	w->n[1].drop_type_mask = 1u << L2TP_MSG_STOPCCN;
	l2tp_tunnel_close(b, L2TP_STOPCCN_GENERAL, 0, "crossing", w->now);
	l2tp_tunnel_close(a, L2TP_STOPCCN_GENERAL, 0, "crossing", w->now);
	w->n[1].drop_type_mask = 0;
	w_advance(w, 500); /* node 1 acks node 0's StopCCN */
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 1);
	unsigned zlb0 = w->n[0].sent_type[L2TP_MSG_ZLB];
	w_advance(w, 1000); /* node 1 retransmits its StopCCN at +1 s */
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 2);
	assert_true(w->n[0].sent_type[L2TP_MSG_ZLB] > zlb0);
	assert_int_equal(w_stats(w, 0)->stopccn_rcvd[L2TP_STOPCCN_GENERAL], 1);
	/* acked: node 1 never retransmits again; node 0 holds on past the
	 * 10 s from its own StopCCN, for 10 s from the one it received */
	w_advance(w, 9000);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 2);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 1);
	w_advance(w, 1000);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
	w_free(w);
}

/*
 * §5.8: state "MUST be maintained and operated for the full retransmission
 * interval after the final message exchange".  A CDN crosses our StopCCN;
 * its retransmission is the message that acks our StopCCN.  Acked or not,
 * the CDN is owed its ack before the tunnel may go, else the peer
 * retransmits into the void.
 */
static void
test_stopccn_crossing_cdn(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_call_params cp;
	struct l2tp_session *s;

	(void)state;
	for (int i = 0; i < 2; i++)
		w->n[i].cfg.closing_ms = 10000;
	w_start(w);
	a = w_establish(w);
	memset(&cp, 0, sizeof(cp));
	assert_non_null(l2tp_session_open(a, &cp, w->now));
	w_advance(w, 500);
	s = w->n[1].last_session_up;
	assert_non_null(s);
	/* node 1's first CDN and its ZLB for our StopCCN are lost */
	w->n[1].drop_type_mask = 1u << L2TP_MSG_CDN;
	l2tp_session_close(s, L2TP_CDN_ADMIN, 0, NULL, w->now);
	w->n[1].drop_type_mask = 1u << L2TP_MSG_ZLB;
	l2tp_tunnel_close(a, L2TP_STOPCCN_GENERAL, 0, NULL, w->now);
	w_advance(w, 500);
	w->n[1].drop_type_mask = 0;
	unsigned zlb0 = w->n[0].sent_type[L2TP_MSG_ZLB];
	w_advance(w, 1000); /* CDN retransmitted, acking our StopCCN */
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 2);
	assert_true(w->n[0].sent_type[L2TP_MSG_ZLB] > zlb0);
	w_advance(w, 30000);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 2);
	assert_int_equal(w_any_tunnel(w, 1) == NULL ? 0 : 1, 0);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
	w_free(w);
}

/* §6.5: Hello after hello_interval of silence, answered by an ack. */
static void
test_hello(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	w->n[0].cfg.hello_interval_ms = 5000;
	w_start(w);
	a = w_establish(w);
	w_advance(w, 3000);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_HELLO], 0);
	w_advance(w, 3000);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_HELLO], 1);
	w_advance(w, 60000);
	assert_true(w->n[0].sent_type[L2TP_MSG_HELLO] >= 10);
	assert_true(l2tp_tunnel_is_up(a));
	assert_int_equal(w_tinfo(a).retransmits, 0);
	w_free(w);
}

/* §5.8: a dead peer: torn down after the whole back-off schedule. */
static void
test_peer_dead(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	uint64_t t0, expect = 0, rto = 1000;

	(void)state;
	w->n[0].cfg.hello_interval_ms = 10000;
	w_start(w);
	a = w_establish(w);
	assert_true(l2tp_tunnel_is_up(a));
	w->n[1].drop_all = true;
	t0 = w->now;
	/* The Hello goes out at t0 + 10 s (last rx was ~t0), then 5
	 * retransmissions at 1, 2, 4, 8, 8 s and failure 8 s later. */
	for (unsigned i = 0; i <= w->n[0].cfg.retransmit_max; i++) {
		expect += rto;
		rto = rto * 2 > 8000 ? 8000 : rto * 2;
	}
	w_advance(w, 120000);
	assert_int_equal(w->n[0].tunnel_down, 1);
	assert_true(w->n[0].tunnel_down_at >= t0 + 10000 + expect - 600);
	assert_true(w->n[0].tunnel_down_at <= t0 + 10000 + expect + 100);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_STOPCCN], 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
	w_free(w);
}

/* An SCCRQ that never gets an answer: failure after the same schedule. */
static void
test_sccrq_unanswered(void **state)
{
	struct world *w = w_new();
	uint64_t t0;

	(void)state;
	w_start(w);
	w->n[1].drop_all = true;
	t0 = w->now;
	assert_non_null(w_open(w, 0, 1, NULL, false));
	w_advance(w, 100000);
	assert_int_equal(w->n[0].tunnel_down, 1);
	assert_int_equal(w->n[0].tunnel_down_at, t0 + 31000);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_SCCRQ], 6);
	w_free(w);
}

/* §5.8: "An implementation MAY place a cap upon the maximum interval
 * between retransmissions.  This cap MUST be no less than 8 seconds": a
 * configured cap below 8 s is raised, so the schedule stays 1, 2, 4, 8, 8,
 * 8 s (not 1, 2, 2, 2, 2, 2 s). */
static void
test_rto_cap_floor(void **state)
{
	static const unsigned caps[] = { 1, 2000, 7999, 8000 };

	(void)state;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		struct world *w = w_new();
		uint64_t t0;

		w->n[0].cfg.rto_max_ms = caps[i];
		w_start(w);
		w->n[1].drop_all = true;
		t0 = w->now;
		assert_non_null(w_open(w, 0, 1, NULL, false));
		w_advance(w, 15000);
		/* sent at 0, 1, 3, 7 s; the next at 15 s */
		assert_int_equal(w->n[0].sent_type[L2TP_MSG_SCCRQ], 5);
		w_advance(w, 100000);
		assert_int_equal(w->n[0].tunnel_down_at, t0 + 31000);
		assert_int_equal(w->n[0].sent_type[L2TP_MSG_SCCRQ], 6);
		w_free(w);
	}
}

/* A retransmitted SCCRQ reaches the same tunnel, never a second one. */
static void
test_sccrq_duplicate(void **state)
{
	struct world *w = w_new();
	uint8_t pkt[W_MAXPKT];
	size_t len;

	(void)state;
	w_start(w);
	w->n[0].drop_all = false;
	w->n[1].drop_all = true; /* SCCRP lost: LAC retransmits */
	assert_non_null(w_open(w, 0, 1, NULL, false));
	w_advance(w, 3500);
	assert_true(w->n[0].sent_type[L2TP_MSG_SCCRQ] >= 3);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
	/* and an injected copy of the same datagram */
	len = w->n[0].last_sent_len[L2TP_MSG_SCCRQ];
	memcpy(pkt, w->n[0].last_sent[L2TP_MSG_SCCRQ], len);
	l2tp_host_input(w->n[1].h, pkt, len, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
	w->n[1].drop_all = false;
	w_advance(w, 10000);
	assert_int_equal(w->n[0].tunnel_up, 1);
	assert_int_equal(w->n[1].tunnel_up, 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
	assert_int_equal(w_stats(w, 1)->tunnels_created, 1);
	w_free(w);
}

static void
test_two_tunnels_same_peer(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a1, *a2;

	(void)state;
	w_start(w);
	a1 = w_open(w, 0, 1, NULL, false);
	a2 = w_open(w, 0, 1, NULL, false);
	w_advance(w, 1000);
	assert_true(l2tp_tunnel_is_up(a1));
	assert_true(l2tp_tunnel_is_up(a2));
	assert_int_not_equal(w_tinfo(a1).local_id, w_tinfo(a2).local_id);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 2);
	assert_int_equal(w->n[1].tunnel_up, 2);
	w_free(w);
}

/* §7.2: a message the state does not expect → StopCCN result 7. */
static void
test_fsm_error_scccn_established(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	a = w_establish(w);
	l2tp_msg_init(&m, L2TP_MSG_SCCCN, 0, 0);
	w->n[0].h->now = w->now;
	assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
	w_advance(w, 500);
	assert_int_equal(w_stats(w, 1)->stopccn_sent[7], 1);
	assert_int_equal(w_stats(w, 0)->stopccn_rcvd[7], 1);
	assert_int_equal(w->n[0].tunnel_down, 1);
	assert_int_equal(w->n[1].tunnel_down, 1);
	w_free(w);
}

/* A LAC that receives an SCCRQ-type reply to its SCCRQ: FSM error too. */
static void
test_fsm_error_table(void **state)
{
	/* clang-format off */
	static const enum l2tp_msg_type bad_in_established[] = {
		L2TP_MSG_SCCRQ, L2TP_MSG_SCCRP, L2TP_MSG_SCCCN,
	};
	/* clang-format on */

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct world *w = w_new();
		struct l2tp_tunnel *a;
		struct l2tp_msg m;

		w_start(w);
		a = w_establish(w);
		l2tp_msg_init(&m, bad_in_established[i], 0, 0);
		if (bad_in_established[i] != L2TP_MSG_SCCCN) {
			/* make them decode: their required AVPs */
			m.proto_ver = 1;
			l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
			strcpy(m.host_name, "x");
			l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
			m.framing_cap = 3;
			l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
			m.assigned_tunnel_id = 77;
			l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
		}
		assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
		w_advance(w, 500);
		assert_int_equal(w_stats(w, 1)->stopccn_sent[7], 1);
		assert_int_equal(w->n[1].tunnel_down, 1);
		w_free(w);
	}
}

/* max_tunnels on the accepting side: StopCCN 2/4, nothing kept. */
static void
test_max_tunnels(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a1, *a2;

	(void)state;
	w->n[1].cfg.max_tunnels = 1;
	w->n[2].cfg.max_tunnels = 1;
	w_start(w);
	a1 = w_open(w, 0, 1, NULL, false);
	w_advance(w, 500);
	a2 = w_open(w, 0, 1, NULL, false);
	w_advance(w, 500);
	assert_true(l2tp_tunnel_is_up(a1));
	assert_non_null(a2);
	assert_int_equal(w->n[0].tunnel_down, 1); /* a2 refused */
	assert_int_equal(w_stats(w, 1)->stopccn_sent[2], 1);
	assert_int_equal(w_stats(w, 0)->stopccn_rcvd[2], 1);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_TUNNEL_LIMIT], 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
	/* and on the opening side, open fails at once */
	assert_non_null(w_open(w, 2, 1, NULL, false));
	assert_null(w_open(w, 2, 1, NULL, false));
	w_free(w);
}

/* §4.2: an unknown AVP with M set → StopCCN error 8; others unaffected. */
static void
test_reject_unknown_mandatory_avp(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a1, *a2;
	struct l2tp_msg m;
	struct l2tp_secret none = { NULL, 0 };
	uint8_t buf[256];
	size_t len;

	(void)state;
	w_start(w);
	a1 = w_open(w, 0, 1, NULL, false);
	a2 = w_open(w, 0, 1, NULL, false);
	w_advance(w, 1000);
	l2tp_msg_init(&m, L2TP_MSG_HELLO, w_tinfo(a1).peer_id, 0);
	len = l2tp_msg_encode(&m, &none, false, buf, sizeof(buf));
	assert_true(len > 0);
	/* append AVP: M=1, len 8, vendor 0, type 200, value 0 */
	put_be16(buf + len, L2TP_AVP_M | 8);
	put_be16(buf + len + 2, 0);
	put_be16(buf + len + 4, 200);
	put_be16(buf + len + 6, 0);
	len += 8;
	put_be16(buf + 2, (uint16_t)len);
	assert_int_equal(xport_send(&a1->xp, buf, len, w->now), 0);
	w_advance(w, 500);
	assert_int_equal(w_stats(w, 1)->stopccn_sent[2], 1);
	assert_int_equal(w->n[0].tunnel_down, 1);
	assert_false(l2tp_tunnel_is_up(a1));
	assert_true(l2tp_tunnel_is_up(a2));
	assert_int_equal(w_last_msg(w, 1, L2TP_MSG_STOPCCN, NULL, &m), L2TP_OK);
	assert_int_equal(m.result.result, 2);
	assert_int_equal(m.result.error, L2TP_ERR_UNKNOWN_M_AVP);
	w_free(w);
}

/* Control and data from an address that is not the tunnel's peer. */
static void
test_wrong_peer_and_bad_header(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a, *b;
	uint8_t pkt[32];
	uint8_t junk[3] = { 1, 2, 3 };

	(void)state;
	w_start(w);
	a = w_establish(w);
	b = w->n[1].last_tunnel_up;
	/* data: T=0, ver 2, tunnel, session 1 */
	put_be16(pkt, 0x0002);
	put_be16(pkt + 2, w_tinfo(b).local_id);
	put_be16(pkt + 4, 1);
	pkt[6] = 0xff;
	pkt[7] = 0x03;
	l2tp_host_input(w->n[1].h, pkt, 8, &w->n[1].addr, &w->n[2].addr,
	    w->now);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_WRONG_PEER], 1);
	/* from the right peer but an unknown session */
	l2tp_host_input(w->n[1].h, pkt, 8, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_UNKNOWN_SESSION], 1);
	/* unknown tunnel */
	put_be16(pkt + 2, (uint16_t)(w_tinfo(b).local_id + 1));
	l2tp_host_input(w->n[1].h, pkt, 8, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_UNKNOWN_TUNNEL], 1);
	l2tp_host_input(w->n[1].h, junk, sizeof(junk), &w->n[1].addr,
	    &w->n[0].addr, w->now);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_HDR], 1);
	/* a HELLO from the wrong address changes nothing */
	memcpy(pkt, w->n[0].last_sent[L2TP_MSG_SCCCN], 12);
	l2tp_host_input(w->n[1].h, w->n[0].last_sent[L2TP_MSG_SCCCN],
	    w->n[0].last_sent_len[L2TP_MSG_SCCCN], &w->n[1].addr, &w->n[2].addr,
	    w->now);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_WRONG_PEER], 2);
	assert_true(l2tp_tunnel_is_up(a));
	assert_true(l2tp_tunnel_is_up(b));
	w_free(w);
}

/* Tunnel ID 0 must carry a valid SCCRQ. */
static void
test_not_sccrq(void **state)
{
	struct world *w = w_new();
	struct l2tp_msg m;
	struct l2tp_secret none = { NULL, 0 };
	uint8_t buf[256];
	size_t len;

	(void)state;
	w_start(w);
	l2tp_msg_init(&m, L2TP_MSG_HELLO, 0, 0);
	len = l2tp_msg_encode(&m, &none, false, buf, sizeof(buf));
	l2tp_host_input(w->n[1].h, buf, len, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_NOT_SCCRQ], 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 0);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 0);
	/* §4.2: an SCCRQ with an unknown M-bit AVP: stateless StopCCN
	 * result 2 error 8 back to the sender's tunnel, no tunnel kept */
	l2tp_msg_init(&m, L2TP_MSG_SCCRQ, 0, 0);
	m.proto_ver = 1;
	l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
	strcpy(m.host_name, "evil");
	l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
	m.framing_cap = 3;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
	m.assigned_tunnel_id = 4321;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	len = l2tp_msg_encode(&m, &none, false, buf, sizeof(buf));
	put_be16(buf + len, L2TP_AVP_M | 8);
	put_be16(buf + len + 2, 0);
	put_be16(buf + len + 4, 200);
	put_be16(buf + len + 6, 0);
	len += 8;
	put_be16(buf + 2, (uint16_t)len);
	l2tp_host_input(w->n[1].h, buf, len, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 0);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 1);
	assert_int_equal(w_last_msg(w, 1, L2TP_MSG_STOPCCN, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.tunnel_id, 4321);
	assert_int_equal(m.result.result, L2TP_STOPCCN_ERROR);
	assert_int_equal(m.result.error, L2TP_ERR_UNKNOWN_M_AVP);
	w_pump(w); /* to node 0, which has no such tunnel: dropped */
	/* a host that does not accept tunnels ignores a real SCCRQ */
	assert_non_null(w_open(w, 1, 0, NULL, false));
	w_advance(w, 500);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
	w_free(w);
}

/*
 * §4.4.3: simultaneous SCCRQs.  With tie breakers on both sides the lower
 * value wins and the loser silently discards its own tunnel; when only
 * one side sent one, that side wins; with none, both tunnels live.
 */
static void
test_tie_breaker(void **state)
{
	static const struct {
		bool tb0, tb1;
	} cases[] = {
		{ true, true },
		{ true, false },
		{ false, true },
		{ false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		struct l2tp_tunnel_params p;
		struct l2tp_tunnel *t0, *t1;
		uint8_t tb0[8], tb1[8];
		int winner;

		w->n[0].cfg.accept_tunnels = true;
		w_start(w);
		memset(&p, 0, sizeof(p));
		p.role = L2TP_ROLE_LAC;
		p.tie_breaker = cases[i].tb0;
		p.peer = w->n[1].addr;
		t0 = l2tp_tunnel_open(w->n[0].h, &p, w->now);
		p.tie_breaker = cases[i].tb1;
		p.peer = w->n[0].addr;
		t1 = l2tp_tunnel_open(w->n[1].h, &p, w->now);
		assert_non_null(t0);
		assert_non_null(t1);
		memcpy(tb0, t0->tie_breaker, 8);
		memcpy(tb1, t1->tie_breaker, 8);
		w_advance(w, 40000);
		if (!cases[i].tb0 && !cases[i].tb1) {
			/* "If neither side issues a tie breaker, then two
			 * separate tunnels are opened." */
			assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 2);
			assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 2);
			assert_int_equal(w->n[0].tunnel_up, 2);
			w_free(w);
			continue;
		}
		if (cases[i].tb0 && cases[i].tb1)
			winner = memcmp(tb0, tb1, 8) < 0 ? 0 : 1;
		else
			winner = cases[i].tb0 ? 0 : 1;
		/* one tunnel, up on both sides, opened by the winner; no
		 * StopCCN: the loser's discard is silent. */
		assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 1);
		assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 1);
		assert_int_equal(w->n[0].tunnel_up, 1);
		assert_int_equal(w->n[1].tunnel_up, 1);
		assert_int_equal(w_tinfo(w_any_tunnel(w, winner)).role,
		    L2TP_ROLE_LAC);
		assert_int_equal(w_tinfo(w_any_tunnel(w, 1 - winner)).role,
		    L2TP_ROLE_LNS);
		assert_int_equal(w->n[1 - winner].tunnel_down, 1);
		assert_int_equal(w->n[0].sent_type[L2TP_MSG_STOPCCN] +
			w->n[1].sent_type[L2TP_MSG_STOPCCN],
		    0);
		w_free(w);
	}
}

/* Graceful shutdown: StopCCN result 6 to every tunnel. */
static void
test_shutdown(void **state)
{
	struct world *w = w_new();

	(void)state;
	w_start(w);
	w_open(w, 0, 1, NULL, false);
	w_open(w, 0, 1, NULL, false);
	w_advance(w, 500);
	l2tp_host_shutdown(w->n[1].h, w->now);
	w_advance(w, 500);
	assert_int_equal(w_stats(w, 1)->stopccn_sent[6], 2);
	assert_int_equal(w->n[0].tunnel_down, 2);
	w_advance(w, 60000);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 0);
	assert_int_equal(l2tp_host_next_deadline(w->n[1].h), TIME_NEVER);
	w_free(w);
}

static void
test_names_and_addr(void **state)
{
	struct l2tp_addr a, b;
	char buf[64];

	(void)state;
	w_addr(&a, "192.0.2.1", 1701);
	w_addr(&b, "192.0.2.1", 1702);
	assert_string_equal(l2tp_addr_str(&a, buf, sizeof(buf)),
	    "192.0.2.1:1701");
	assert_false(l2tp_addr_equal(&a, &b));
	assert_true(l2tp_addr_same_host(&a, &b));
	assert_string_equal(l2tp_tunnel_state_str(L2TP_TUNNEL_WAIT_CTL_REPLY),
	    "wait-ctl-reply");
	assert_string_equal(l2tp_drop_str(L2TP_DROP_WRONG_PEER), "wrong-peer");
	assert_string_equal(l2tp_role_str(L2TP_ROLE_LNS), "lns");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_establish_plain),
		cmocka_unit_test(test_establish_secret_hidden),
		cmocka_unit_test(test_auth_failures),
		cmocka_unit_test(test_stopccn_either_side),
		cmocka_unit_test(test_stopccn_ack_lost),
		cmocka_unit_test(test_stopccn_crossing),
		cmocka_unit_test(test_stopccn_crossing_cdn),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_peer_dead),
		cmocka_unit_test(test_sccrq_unanswered),
		cmocka_unit_test(test_rto_cap_floor),
		cmocka_unit_test(test_sccrq_duplicate),
		cmocka_unit_test(test_two_tunnels_same_peer),
		cmocka_unit_test(test_fsm_error_scccn_established),
		cmocka_unit_test(test_fsm_error_table),
		cmocka_unit_test(test_max_tunnels),
		cmocka_unit_test(test_reject_unknown_mandatory_avp),
		cmocka_unit_test(test_wrong_peer_and_bad_header),
		cmocka_unit_test(test_not_sccrq),
		cmocka_unit_test(test_tie_breaker),
		cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_names_and_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
