/*
 * test_l2tp_session.c — the call state machines (RFC 2661 §7.4.1 LAC
 * incoming, §7.4.2 LNS incoming, §7.5.1 LAC outgoing) and data messages,
 * with hosts wired back to back on a fake clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "l2tp_pair.h"

static void out_params(struct l2tp_outgoing_params *op);
static struct l2tp_session *open_out(struct world *w,
    const struct l2tp_outgoing_params *op);

static struct l2tp_session *
open_call(struct world *w, struct l2tp_tunnel *t)
{
	struct l2tp_call_params cp;

	memset(&cp, 0, sizeof(cp));
	cp.tx_connect_speed = 100000000;
	cp.framing_type = L2TP_FRAMING_SYNC;
	return l2tp_session_open(t, &cp, w->now);
}

/* §7.4.1/§7.4.2: ICRQ → ICRP → ICCN; IDs chosen by the receiver. */
static void
test_session_up_ids(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *sa, *sb;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	a = w_establish(w);
	sa = open_call(w, a);
	assert_non_null(sa);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_WAIT_REPLY);
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_req, 1);
	assert_int_equal(w->n[0].session_up, 1);
	assert_int_equal(w->n[1].session_up, 1);
	sb = w->n[1].last_session_up;
	assert_ptr_equal(w->n[0].last_session_up, sa);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(w_sinfo(sa).peer_id, w_sinfo(sb).local_id);
	assert_int_equal(w_sinfo(sb).peer_id, w_sinfo(sa).local_id);
	assert_int_equal(w_sinfo(sa).call_serial, w_sinfo(sb).call_serial);
	/* §6.6: the ICRQ goes to session 0 and assigns the LAC's ID. */
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_ICRQ, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.session_id, 0);
	assert_int_equal(m.assigned_session_id, w_sinfo(sa).local_id);
	/* §6.7: the ICRP goes to the LAC's session and assigns the LNS's. */
	assert_int_equal(w_last_msg(w, 1, L2TP_MSG_ICRP, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.session_id, w_sinfo(sa).local_id);
	assert_int_equal(m.assigned_session_id, w_sinfo(sb).local_id);
	/* §6.8: ICCN with speed and framing, to the LNS's session. */
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_ICCN, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.session_id, w_sinfo(sb).local_id);
	assert_int_equal(m.tx_connect_speed, 100000000);
	assert_ptr_equal(l2tp_session_tunnel(sa), a);
	assert_ptr_equal(l2tp_tunnel_find_session(a, w_sinfo(sa).local_id), sa);
	w_free(w);
}

/* Before the tunnel is up the call waits (§7.4.1 wait-tunnel). */
static void
test_session_wait_tunnel(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *sa;

	(void)state;
	w_start(w);
	a = w_open(w, 0, 1, NULL, false);
	sa = open_call(w, a);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_WAIT_TUNNEL);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_ICRQ], 0);
	w_advance(w, 500);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(w->n[1].session_up, 1);
	w_free(w);
}

static int
cmp_u16(const void *a, const void *b)
{
	return *(const uint16_t *)a - *(const uint16_t *)b;
}

static void
test_many_sessions(void **state)
{
	enum { N = 200 };
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	static struct l2tp_session *s[N];
	uint16_t ids[N];

	(void)state;
	w_start(w);
	a = w_establish(w);
	for (int i = 0; i < N; i++)
		assert_non_null(s[i] = open_call(w, a));
	w_advance(w, 5000);
	assert_int_equal(w->n[0].session_up, N);
	assert_int_equal(w->n[1].session_up, N);
	for (int i = 0; i < N; i++)
		ids[i] = w_sinfo(s[i]).local_id;
	qsort(ids, N, sizeof(ids[0]), cmp_u16);
	for (int i = 1; i < N; i++)
		assert_int_not_equal(ids[i], ids[i - 1]);
	assert_int_equal(w_tinfo(a).sessions, N);
	assert_int_equal(w_tinfo(w->n[1].last_tunnel_up).sessions, N);
	w_free(w);
}

/* CDN from either side clears the call on both. */
static void
test_cdn_either_side(void **state)
{
	(void)state;
	for (int closer = 0; closer < 2; closer++) {
		struct world *w = w_new();
		struct l2tp_tunnel *a;
		struct l2tp_session *sa, *s;

		w_start(w);
		a = w_establish(w);
		sa = open_call(w, a);
		w_advance(w, 500);
		s = closer == 0 ? sa : w->n[1].last_session_up;
		l2tp_session_close(s, L2TP_CDN_ADMIN, 0, "admin", w->now);
		w_advance(w, 500);
		assert_int_equal(w->n[0].session_down, 1);
		assert_int_equal(w->n[1].session_down, 1);
		assert_int_equal(w_stats(w, closer)->cdn_sent[3], 1);
		assert_int_equal(w_stats(w, 1 - closer)->cdn_rcvd[3], 1);
		assert_int_equal(w_tinfo(a).sessions, 0);
		assert_true(l2tp_tunnel_is_up(a));
		w_free(w);
	}
}

/* max_sessions on either side. */
static void
test_max_sessions(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	w->n[1].cfg.max_sessions = 2;
	w->n[0].cfg.max_sessions = 3;
	w_start(w);
	a = w_establish(w);
	assert_non_null(open_call(w, a));
	assert_non_null(open_call(w, a));
	assert_non_null(open_call(w, a));
	assert_null(open_call(w, a)); /* LAC limit */
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_up, 2);
	assert_int_equal(w->n[0].session_down, 1); /* LNS refused one */
	assert_int_equal(w_stats(w, 1)->cdn_sent[L2TP_CDN_NO_RESOURCES], 1);
	assert_int_equal(w_stats(w, 0)->cdn_rcvd[L2TP_CDN_NO_RESOURCES], 1);
	/* the freed slot can be used again */
	assert_non_null(open_call(w, a));
	w_free(w);
}

/* session_request refusing → CDN with that result. */
static void
test_request_refused(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	w->n[1].request_result = L2TP_CDN_BUSY;
	w_start(w);
	a = w_establish(w);
	open_call(w, a);
	w_advance(w, 500);
	assert_int_equal(w->n[0].session_down, 1);
	assert_int_equal(w->n[0].session_up, 0);
	assert_int_equal(w->n[1].session_down, 1);
	assert_int_equal(w_stats(w, 0)->cdn_rcvd[L2TP_CDN_BUSY], 1);
	w_free(w);
}

/* §5.7: StopCCN clears every session without CDNs. */
static void
test_stopccn_clears_sessions(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	w_start(w);
	a = w_establish(w);
	for (int i = 0; i < 5; i++)
		open_call(w, a);
	w_advance(w, 500);
	l2tp_tunnel_close(w->n[1].last_tunnel_up, L2TP_STOPCCN_GENERAL, 0, NULL,
	    w->now);
	w_advance(w, 500);
	assert_int_equal(w->n[0].session_down, 5);
	assert_int_equal(w->n[1].session_down, 5);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_CDN] +
		w->n[1].sent_type[L2TP_MSG_CDN],
	    0);
	w_free(w);
}

/* §5.8: "If no peer response is detected after several retransmissions
 * ... the tunnel and all sessions within MUST be cleared." */
static void
test_peer_dead_clears_sessions(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_outgoing_params op;

	(void)state;
	w->n[0].cfg.hello_interval_ms = 5000;
	w_start(w);
	a = w_establish(w);
	for (int i = 0; i < 3; i++)
		open_call(w, a);
	out_params(&op);
	assert_non_null(open_out(w, &op)); /* the other way too */
	w_advance(w, 500);
	assert_int_equal(w->n[0].session_up, 3);
	assert_int_equal(w->n[0].session_req, 1);
	w->n[1].drop_all = true;
	w_advance(w, 60000);
	assert_int_equal(w->n[0].tunnel_down, 1);
	assert_int_equal(w->n[0].session_down, 4);
	assert_int_equal(w_stats(w, 0)->sessions_closed, 4);
	assert_int_equal(l2tp_host_tunnel_count(w->n[0].h), 0);
	w_free(w);
}

/* Setup timer: a call that does not progress → CDN result 10. */
static void
test_setup_timeout(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	w->n[1].cfg.session_setup_ms = 3000;
	w_start(w);
	a = w_establish(w);
	w->n[0].drop_type_mask = 1u << L2TP_MSG_ICCN;
	open_call(w, a);
	w_advance(w, 2500);
	assert_int_equal(w->n[1].session_down, 0);
	w_advance(w, 1000);
	assert_int_equal(w->n[1].session_down, 1);
	assert_int_equal(w_stats(w, 1)->cdn_sent[L2TP_CDN_TIMEOUT], 1);
	assert_int_equal(w->n[0].session_down, 1);
	w_free(w);
}

/*
 * The setup timer outlasts the transport: with retransmit-max 10 an ICRP
 * may still be retransmitted (and arrive) 39 s after it was first sent
 * (1+2+4+8+8+8+8 s of back-off, capped at 8 s, RFC 2661 §5.8).  The call
 * must come up, not be abandoned with CDN result 10 while its reply is on
 * the way.
 */
static void
test_setup_outlasts_retransmission(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;

	(void)state;
	for (int i = 0; i < 2; i++)
		w->n[i].cfg.retransmit_max = 10;
	w_start(w);
	a = w_establish(w);
	w->n[1].drop_type_mask = 1u << L2TP_MSG_ICRP;
	open_call(w, a);
	w_advance(w, 35000); /* seven copies of the ICRP lost */
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_ICRP], 7);
	w->n[1].drop_type_mask = 0;
	w_advance(w, 10000); /* the eighth, at +39 s, arrives */
	assert_int_equal(w_stats(w, 0)->cdn_sent[L2TP_CDN_TIMEOUT], 0);
	assert_int_equal(w_stats(w, 1)->cdn_sent[L2TP_CDN_TIMEOUT], 0);
	assert_int_equal(w->n[0].session_down, 0);
	assert_int_equal(w->n[1].session_down, 0);
	assert_int_equal(w->n[1].session_up, 1);
	w_free(w);
}

/* The setup time, derived from the transport's give-up time. */
static void
test_setup_ms_derived(void **state)
{
	struct l2tp_host_config c;

	(void)state;
	l2tp_host_config_defaults(&c);
	/* RFC 2661 §5.7/§5.8: 1+2+4+8+8+8 = 31 s for the defaults */
	assert_int_equal(l2tp_xport_give_up_ms(&c), 31000);
	/* a request and its reply, each a full cycle, plus 5 s */
	assert_int_equal(l2tp_call_setup_ms(&c), 2 * 31000 + 5000);
	c.retransmit_max = 10;
	assert_int_equal(l2tp_xport_give_up_ms(&c), 71000);
	assert_int_equal(l2tp_call_setup_ms(&c), 2 * 71000 + 5000);
	/* the cap is never below 8 s (§5.8), however configured */
	c.retransmit_max = 3;
	c.rto_max_ms = 2000;
	assert_int_equal(l2tp_xport_give_up_ms(&c), 1000 + 2000 + 4000 + 8000);
	c.rto_max_ms = 20000;
	c.rto_initial_ms = 3000;
	assert_int_equal(l2tp_xport_give_up_ms(&c),
	    3000 + 6000 + 12000 + 20000);
	/* an explicit value wins; 0 is "never" */
	c.session_setup_ms = 12345;
	assert_int_equal(l2tp_call_setup_ms(&c), 12345);
	c.session_setup_ms = 0;
	assert_int_equal(l2tp_call_setup_ms(&c), 0);
}

/* Data both ways, to the right session only. */
static void
test_data(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *s1, *s2, *b2;
	const uint8_t frame[] = { 0xc0, 0x21, 0x09, 0x01, 0x00, 0x04 };

	(void)state;
	w_start(w);
	a = w_establish(w);
	s1 = open_call(w, a);
	w_advance(w, 500);
	s2 = open_call(w, a);
	w_advance(w, 500);
	b2 = w->n[1].last_session_up;
	assert_int_equal(l2tp_session_send_data(s2, frame, sizeof(frame)), 0);
	w_pump(w);
	assert_int_equal(w->n[1].data_rx, 1);
	assert_ptr_equal(w->n[1].last_data_session, b2);
	assert_memory_equal(w->n[1].last_data, frame, sizeof(frame));
	assert_int_equal(l2tp_session_send_data(b2, frame, 2), 0);
	w_pump(w);
	assert_int_equal(w->n[0].data_rx, 1);
	assert_ptr_equal(w->n[0].last_data_session, s2);
	assert_int_equal(w->n[0].last_data_len, 2);
	assert_int_equal(w_sinfo(s2).rx_packets, 1);
	assert_int_equal(w_sinfo(s2).tx_packets, 1);
	assert_int_equal(w_sinfo(s2).tx_bytes, sizeof(frame));
	assert_int_equal(w_sinfo(s1).rx_packets, 0);
	/* §3.1: compact header, T=0, no L/S/O */
	w->n[0].drop_all = true;
	assert_int_equal(l2tp_session_send_data(s1, frame, 1), 0);
	w_free(w);
}

/* Not yet up: no data either way. */
static void
test_data_not_up(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *sa;
	const uint8_t f[1] = { 0 };

	(void)state;
	w_start(w);
	a = w_establish(w);
	sa = open_call(w, a);
	assert_int_equal(l2tp_session_send_data(sa, f, 1), -1);
	w_free(w);
}

/*
 * RFC 2661 §7.4.1: the LAC's call is up once it sends ICCN and its PPP
 * frames go as data messages, unordered against the control channel.  When
 * the ICCN is late (lost and retransmitted), the LNS holds the first
 * SESSION_MAX_HELD (4) frames of a session in wait-connect and delivers
 * them, in order, right after session_up; more are dropped as data-not-up.
 */
static void
test_data_before_iccn(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *sa;
	uint8_t f[3] = { 0xc0, 0x21, 0 };

	(void)state;
	w_start(w);
	a = w_establish(w);
	w->n[0].drop_type_mask = 1u << L2TP_MSG_ICCN;
	sa = open_call(w, a);
	w_pump(w);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(w->n[1].session_up, 0);
	for (uint8_t i = 1; i <= 6; i++) {
		f[2] = i;
		assert_int_equal(l2tp_session_send_data(sa, f, sizeof(f)), 0);
	}
	w_pump(w);
	assert_int_equal(w->n[1].data_rx, 0); /* held, not lost */
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_DATA_NOT_UP], 2);
	w->n[0].drop_type_mask = 0;
	w_advance(w, 2000); /* ICCN retransmitted */
	assert_int_equal(w->n[1].session_up, 1);
	assert_int_equal(w->n[1].data_rx, 4);
	assert_ptr_equal(w->n[1].last_data_session, w->n[1].last_session_up);
	assert_int_equal(w->n[1].last_data[2], 4); /* in order, 1..4 */
	assert_int_equal(w_sinfo(w->n[1].last_session_up).rx_packets, 4);
	/* after session_up, data flows as usual */
	f[2] = 7;
	assert_int_equal(l2tp_session_send_data(sa, f, sizeof(f)), 0);
	w_pump(w);
	assert_int_equal(w->n[1].data_rx, 5);
	assert_int_equal(w->n[1].last_data[2], 7);
	w_free(w);
}

/*
 * RFC 2661 §7.4.1: the LAC's call is established when it *sends* the ICCN,
 * and §5.4 lets an LNS discard data for a call that has no ICCN yet.  With
 * the control window full the ICCN waits in the transport's queue; the call
 * must stay in wait-reply (no session_up, no data accepted) until it has
 * left, so that no data message precedes the ICCN on the wire.
 */
static void
test_data_waits_for_queued_iccn(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *s1, *s2;
	int iccn, data;

	(void)state;
	w->n[1].cfg.receive_window = 1; /* the LAC may send one */
	w_start(w);
	a = w_establish(w);
	w->n[0].data_on_up = true;
	w->n[0].nwire = 0;
	s1 = open_call(w, a); /* ICRQ 1 in flight */
	s2 = open_call(w, a); /* ICRQ 2 queued */
	assert_non_null(s1);
	assert_non_null(s2);
	/* ICRP 1 acks ICRQ 1: ICRQ 2 takes the window, ICCN 1 waits */
	w_pump(w);
	w_advance(w, 3000);
	assert_int_equal(w->n[0].session_up, 2);
	assert_int_equal(w->n[1].session_up, 2);
	iccn = w_wire_pos(w, 0, L2TP_MSG_ICCN);
	data = w_wire_pos(w, 0, W_WIRE_DATA);
	assert_true(iccn >= 0);
	assert_true(data >= 0);
	assert_true(iccn < data);
	/* the LNS got both first frames as part of established calls */
	assert_int_equal(w->n[1].data_rx, 2);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_DATA_NOT_UP], 0);
	w_free(w);
}

/* Delivers the first packet in flight only. */
static void
pump_one(struct world *w)
{
	struct w_pkt *p = w->head;

	assert_non_null(p);
	w->head = p->next;
	if (w->head == NULL)
		w->tail = NULL;
	for (int i = 0; i < W_NODES; i++)
		if (l2tp_addr_equal(&w->n[i].addr, &p->dst)) {
			l2tp_host_input(w->n[i].h, p->data, p->len,
			    &w->n[i].addr, &p->from->addr, w->now);
			break;
		}
	free(p);
}

/* A call whose ICCN waits for the window is not up: it takes no data, and
 * closing it then (or the LNS's CDN) leaves nothing behind; the other
 * calls of the tunnel come up once the window opens. */
static void
test_queued_iccn_call_closed(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *s1, *s2;
	const uint8_t f[3] = { 0xc0, 0x21, 1 };

	(void)state;
	w->n[1].cfg.receive_window = 1;
	w_start(w);
	a = w_establish(w);
	s1 = open_call(w, a); /* ICRQ 1 in flight */
	s2 = open_call(w, a); /* ICRQ 2 queued */
	pump_one(w);	      /* LNS: ICRP 1 */
	pump_one(w);	      /* LAC: ICRQ 2 out, ICCN 1 queued */
	/* nothing acks ICRQ 2, so ICCN 1 stays queued behind it */
	w->n[1].drop_all = true;
	w_advance(w, 1500);
	assert_int_equal(w->n[0].session_up, 0);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_ICCN], 0);
	assert_int_equal(w_sinfo(s1).state, L2TP_SESSION_WAIT_REPLY);
	assert_int_equal(l2tp_session_send_data(s1, f, sizeof(f)), -1);
	l2tp_session_close(s1, L2TP_CDN_ADMIN, 0, NULL, w->now);
	assert_int_equal(w->n[0].session_down, 1);
	w->n[1].drop_all = false;
	w_advance(w, 20000);
	assert_int_equal(w->n[0].session_up, 1);
	assert_ptr_equal(w->n[0].last_session_up, s2);
	assert_int_equal(w->n[1].session_down, 1);
	w_free(w);
}

/* Held frames go with the call when it never comes up (setup timeout) or
 * is cleared by CDN: nothing delivered, nothing leaked (ASan). */
static void
test_data_before_iccn_freed(void **state)
{
	const uint8_t f[3] = { 0xc0, 0x21, 9 };

	(void)state;
	for (int cdn = 0; cdn < 2; cdn++) {
		struct world *w = w_new();
		struct l2tp_tunnel *a;
		struct l2tp_session *sa;

		w->n[1].cfg.session_setup_ms = 3000;
		w_start(w);
		a = w_establish(w);
		w->n[0].drop_type_mask = 1u << L2TP_MSG_ICCN;
		sa = open_call(w, a);
		w_pump(w);
		assert_int_equal(l2tp_session_send_data(sa, f, sizeof(f)), 0);
		assert_int_equal(l2tp_session_send_data(sa, f, sizeof(f)), 0);
		w_pump(w);
		if (cdn)
			l2tp_session_close(sa, L2TP_CDN_ADMIN, 0, NULL, w->now);
		w_advance(w, 4000);
		assert_int_equal(w->n[1].session_up, 0);
		assert_int_equal(w->n[1].data_rx, 0);
		assert_int_equal(w->n[0].session_down, 1);
		w_free(w);
	}
}

/* §4.4.6 Sequencing Required: S bit on data; stale Ns dropped. */
static void
test_data_sequencing(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_call_params cp;
	struct l2tp_session *sa, *sb;
	const uint8_t f[4] = { 0xff, 0x03, 0xc0, 0x21 };
	struct w_pkt *first;
	uint8_t saved[64];
	size_t slen;

	(void)state;
	w_start(w);
	a = w_establish(w);
	memset(&cp, 0, sizeof(cp));
	cp.sequencing_required = true;
	sa = l2tp_session_open(a, &cp, w->now);
	w_advance(w, 500);
	sb = w->n[1].last_session_up;
	assert_true(w->n[1].last_connect_seq);
	assert_int_equal(l2tp_session_send_data(sa, f, 4), 0);
	first = w->head;
	assert_non_null(first);
	assert_int_equal(get_be16(first->data) & L2TP_HDR_S, L2TP_HDR_S);
	slen = first->len;
	memcpy(saved, first->data, slen);
	assert_int_equal(l2tp_session_send_data(sa, f, 4), 0);
	w_pump(w);
	assert_int_equal(w->n[1].data_rx, 2);
	/* replay of Ns 0 after Ns 1: stale */
	l2tp_host_input(w->n[1].h, saved, slen, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	assert_int_equal(w->n[1].data_rx, 2);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_OUT_OF_WINDOW], 1);
	/* the LNS answers with S too */
	assert_int_equal(l2tp_session_send_data(sb, f, 4), 0);
	assert_int_equal(get_be16(w->head->data) & L2TP_HDR_S, L2TP_HDR_S);
	w_pump(w);
	assert_int_equal(w->n[0].data_rx, 1);
	w_free(w);
}

/*
 * The host's data path (data_hdr.c): every legal data header is accepted
 * on receipt — L with link padding after Length, S, O with offset padding
 * (§3.1) — and delivers exactly the PPP frame; an unsequenced frame on a
 * call with Sequencing Required is delivered too (sequencing is decided at
 * setup, §4.4.6), and what we send keeps S.
 */
static void
test_data_header_variants(void **state)
{
	struct world *w = w_new();
	struct l2tp_call_params cp;
	struct l2tp_session *sb;
	struct l2tp_session_info si;
	uint8_t pkt[64];
	const uint8_t ppp[4] = { 0xff, 0x03, 0xc0, 0x21 };
	const struct {
		uint16_t flags;
		bool trailer; /* 3 bytes of link padding */
	} cases[] = {
		{ 0, false },
		{ L2TP_HDR_L, true },
		{ L2TP_HDR_S, false },
		{ L2TP_HDR_O, false },
		{ L2TP_HDR_L | L2TP_HDR_S | L2TP_HDR_O, true },
	};

	(void)state;
	w_start(w);
	memset(&cp, 0, sizeof(cp));
	cp.sequencing_required = true;
	assert_non_null(l2tp_session_open(w_establish(w), &cp, w->now));
	w_advance(w, 500);
	sb = w->n[1].last_session_up;
	assert_non_null(sb);
	l2tp_session_get_info(sb, &si);
	for (size_t i = 0; i < L2TP_NITEMS(cases); i++) {
		size_t n = 0, lenpos = 0;

		put_be16(pkt, (uint16_t)(cases[i].flags | L2TP_VERSION));
		n = 2;
		if (cases[i].flags & L2TP_HDR_L) {
			lenpos = n;
			n += 2;
		}
		put_be16(pkt + n, si.tunnel_local_id);
		put_be16(pkt + n + 2, si.local_id);
		n += 4;
		if (cases[i].flags & L2TP_HDR_S) {
			put_be16(pkt + n, (uint16_t)(10 + i)); /* Ns */
			put_be16(pkt + n + 2, 0x5555);	       /* Nr: ignored */
			n += 4;
		}
		if (cases[i].flags & L2TP_HDR_O) {
			put_be16(pkt + n, 5);
			memset(pkt + n + 2, 0xee, 5);
			n += 7;
		}
		memcpy(pkt + n, ppp, sizeof(ppp));
		n += sizeof(ppp);
		if (lenpos != 0)
			put_be16(pkt + lenpos, (uint16_t)n);
		if (cases[i].trailer) {
			memset(pkt + n, 0xaa, 3);
			n += 3;
		}
		w->n[1].data_rx = 0;
		w->n[1].last_data_len = 0;
		l2tp_host_input(w->n[1].h, pkt, n, &w->n[1].addr, &w->n[0].addr,
		    w->now);
		assert_int_equal(w->n[1].data_rx, 1);
		assert_int_equal(w->n[1].last_data_len, sizeof(ppp));
		assert_memory_equal(w->n[1].last_data, ppp, sizeof(ppp));
	}
	/* the peer's unsequenced frames did not switch our S off */
	assert_int_equal(l2tp_session_send_data(sb, ppp, sizeof(ppp)), 0);
	assert_int_equal(get_be16(w->head->data) & L2TP_HDR_S, L2TP_HDR_S);
	w_free(w);
}

/*
 * Sending in place: the data header goes into the headroom in front of the
 * frame, the datagram is the one l2tp_session_send_data() builds by copying
 * (same Ns sequence), and too little headroom falls back to the copy.
 */
static void
test_data_send_inplace(void **state)
{
	struct world *w = w_new();
	struct l2tp_call_params cp;
	struct l2tp_session *sa;
	uint8_t buf[L2TP_DATA_HEADROOM + 8], copied[32];
	const uint8_t ppp[4] = { 0xff, 0x03, 0x00, 0x21 };
	size_t clen;

	(void)state;
	w_start(w);
	memset(&cp, 0, sizeof(cp));
	cp.sequencing_required = true;
	sa = l2tp_session_open(w_establish(w), &cp, w->now);
	w_advance(w, 500);
	w_pump(w);
	assert_int_equal(l2tp_session_send_data(sa, ppp, sizeof(ppp)), 0);
	clen = w->head->len;
	assert_int_equal(clen, 10 + sizeof(ppp));
	memcpy(copied, w->head->data, clen);
	w_pump(w);
	memcpy(buf + L2TP_DATA_HEADROOM, ppp, sizeof(ppp));
	assert_int_equal(l2tp_session_send_data_inplace(sa,
			     buf + L2TP_DATA_HEADROOM, sizeof(ppp),
			     L2TP_DATA_HEADROOM),
	    0);
	assert_int_equal(w->head->len, clen);
	/* the same datagram but for Ns, one more */
	assert_memory_equal(w->head->data, copied, 6);
	assert_int_equal(get_be16(w->head->data + 6), get_be16(copied + 6) + 1);
	assert_memory_equal(w->head->data + 10, ppp, sizeof(ppp));
	assert_memory_equal(buf, w->head->data, clen); /* built in place */
	w_pump(w);
	/* short headroom: copied, still sent */
	assert_int_equal(l2tp_session_send_data_inplace(sa,
			     buf + L2TP_DATA_HEADROOM, sizeof(ppp), 9),
	    0);
	assert_int_equal(get_be16(w->head->data + 6), get_be16(copied + 6) + 2);
	w_pump(w);
	/* in place, sent at once (through ops->send) */
	assert_int_equal(l2tp_session_send_data_now(sa,
			     buf + L2TP_DATA_HEADROOM, sizeof(ppp),
			     L2TP_DATA_HEADROOM),
	    0);
	assert_int_equal(get_be16(w->head->data + 6), get_be16(copied + 6) + 3);
	assert_memory_equal(buf, w->head->data, clen);
	w_pump(w);
	assert_int_equal(w->n[1].data_rx, 4);
	/* a frame over L2TP_DATA_MAX_FRAME is refused either way */
	assert_int_equal(l2tp_session_send_data(sa, ppp,
			     L2TP_DATA_MAX_FRAME + 1),
	    -1);
	w_free(w);
}

/* Proxy LCP/auth AVPs reach the LNS's session_up (§4.4.5). */
static void
test_proxy_avps(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_call_params cp;
	static struct l2tp_msg proxy;

	(void)state;
	w_start(w);
	a = w_establish(w);
	memset(&cp, 0, sizeof(cp));
	memset(&proxy, 0, sizeof(proxy));
	proxy.proxy_authen_type = L2TP_PROXY_AUTH_PAP;
	l2tp_msg_set(&proxy, L2TP_AVP_PROXY_AUTHEN_TYPE);
	strcpy(proxy.proxy_authen_name, "alice");
	l2tp_msg_set(&proxy, L2TP_AVP_PROXY_AUTHEN_NAME);
	cp.proxy = &proxy;
	l2tp_session_open(a, &cp, w->now);
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_up, 1);
	assert_string_equal(w->n[1].last_connect_proxy_name, "alice");
	w_free(w);
}

/* §4.4.5 Calling Number: the LNS keeps the ICRQ's (RADIUS
 * Calling-Station-Id), the LAC reports what it sent; a call without one
 * reads "" on both sides. */
static void
test_calling_number(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_call_params cp;
	struct l2tp_session *sa, *sb;

	(void)state;
	w_start(w);
	a = w_establish(w);
	memset(&cp, 0, sizeof(cp));
	strcpy(cp.calling_number, "02:00:5e:10:ab:cd");
	sa = l2tp_session_open(a, &cp, w->now);
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_up, 1);
	sb = w->n[1].last_session_up;
	assert_string_equal(l2tp_session_calling_number(sb),
	    "02:00:5e:10:ab:cd");
	assert_string_equal(l2tp_session_calling_number(sa),
	    "02:00:5e:10:ab:cd");
	sa = open_call(w, a);
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_up, 2);
	assert_string_equal(l2tp_session_calling_number(
				w->n[1].last_session_up),
	    "");
	assert_string_equal(l2tp_session_calling_number(sa), "");
	w_free(w);
}

/* WEN and SLI are accepted in established; not FSM errors. */
static void
test_wen_sli(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *sa;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	a = w_establish(w);
	sa = open_call(w, a);
	w_advance(w, 500);
	l2tp_msg_init(&m, L2TP_MSG_WEN, 0, w_sinfo(sa).peer_id);
	l2tp_msg_set(&m, L2TP_AVP_CALL_ERRORS);
	m.call_errors.crc_errors = 3;
	assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
	l2tp_msg_init(&m, L2TP_MSG_SLI, 0, w_sinfo(sa).peer_id);
	l2tp_msg_set(&m, L2TP_AVP_ACCM);
	assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_down, 0);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 0);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 0);
	w_free(w);
}

/*
 * Session messages out of place, per the §7.4 tables: for a known call
 * "Send CDN, Clean up"; for no call (session 0 or an unknown ID) nothing
 * can be addressed, so the message is ignored (§7.4.2 idle "Receive ICCN:
 * Clean up").  A session message before the tunnel is up is a tunnel FSM
 * error (StopCCN 7), tested in test_l2tp_tunnel.c's table.
 */
static void
test_session_fsm_errors(void **state)
{
	static const struct {
		enum l2tp_msg_type type;
		bool to_known; /* addressed to the LNS's session */
		bool cdn;      /* LNS answers with CDN */
	} cases[] = {
		{ L2TP_MSG_ICRP, true, true }, /* established: ICRP */
		{ L2TP_MSG_ICCN, true, true }, /* established: ICCN */
		{ L2TP_MSG_OCRP, true, true },
		{ L2TP_MSG_ICCN, false, false }, /* ICCN before ICRP */
		{ L2TP_MSG_CDN, false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		struct l2tp_tunnel *a;
		struct l2tp_session *sa;
		struct l2tp_msg m;

		w_start(w);
		a = w_establish(w);
		sa = open_call(w, a);
		w_advance(w, 500);
		l2tp_msg_init(&m, cases[i].type, 0,
		    cases[i].to_known ? w_sinfo(sa).peer_id : 0);
		m.assigned_session_id = 999;
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
		m.tx_connect_speed = 1;
		l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
		m.framing_type = 1;
		l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
		m.result.result = 1;
		l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
		assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
		w_advance(w, 500);
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN],
		    cases[i].cdn ? 1 : 0);
		assert_int_equal(w->n[1].session_down, cases[i].cdn ? 1 : 0);
		assert_int_equal(w->n[0].session_down, cases[i].cdn ? 1 : 0);
		if (!cases[i].cdn)
			assert_int_equal(
			    w_stats(w, 1)->drops[L2TP_DROP_UNKNOWN_SESSION], 1);
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 0);
		assert_true(l2tp_tunnel_is_up(a));
		w_free(w);
	}
}

/* A session message on a tunnel not yet established: tunnel FSM error. */
static void
test_icrq_before_scccn(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_msg m;
	struct l2tp_secret none = { NULL, 0 };
	uint8_t buf[256];
	size_t len;

	(void)state;
	w_start(w);
	a = w_open(w, 0, 1, NULL, false);
	/* deliver SCCRQ and SCCRP only: A is established, B waits SCCCN */
	w->n[0].drop_type_mask = 1u << L2TP_MSG_SCCCN;
	w_pump(w);
	w_pump(w);
	assert_true(l2tp_tunnel_is_up(a));
	/* in place of the lost SCCCN (Ns 1), an ICRQ with that Ns */
	l2tp_msg_init(&m, L2TP_MSG_ICRQ, w_tinfo(a).peer_id, 0);
	m.assigned_session_id = 5;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.call_serial = 1;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	len = l2tp_msg_encode(&m, &none, false, buf, sizeof(buf));
	assert_true(len > 0);
	put_be16(buf + L2TP_CTRL_NS_OFF, 1);
	put_be16(buf + L2TP_CTRL_NR_OFF, 1);
	w->n[0].drop_all = true; /* keep A's retransmissions away */
	l2tp_host_input(w->n[1].h, buf, len, &w->n[1].addr, &w->n[0].addr,
	    w->now);
	w_advance(w, 500);
	assert_int_equal(w_stats(w, 1)->stopccn_sent[L2TP_STOPCCN_FSM_ERROR],
	    1);
	assert_int_equal(w->n[1].session_req, 0);
	w_free(w);
}

/* §7.5.1: the LAC side of an outgoing call. */
static void
test_outgoing_call_lac(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a, *b;
	struct l2tp_session *sa;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	a = w_establish(w);
	b = w->n[1].last_tunnel_up;
	assert_true(l2tp_tunnel_is_up(a));
	/* the LNS (node 1) asks node 0 (the LAC) to place a call */
	l2tp_msg_init(&m, L2TP_MSG_OCRQ, 0, 0);
	m.assigned_session_id = 4242;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.call_serial = 7;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	m.min_bps = 1;
	l2tp_msg_set(&m, L2TP_AVP_MIN_BPS);
	m.max_bps = 100;
	l2tp_msg_set(&m, L2TP_AVP_MAX_BPS);
	m.bearer_type = 1;
	l2tp_msg_set(&m, L2TP_AVP_BEARER_TYPE);
	m.framing_type = 1;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
	strcpy(m.called_number, "555");
	l2tp_msg_set(&m, L2TP_AVP_CALLED_NUMBER);
	assert_int_equal(tunnel_send_msg(b, &m, w->now), 0);
	w_advance(w, 500);
	assert_int_equal(w->n[0].session_req, 1);
	sa = w->n[0].last_session_req;
	assert_non_null(sa);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_WAIT_CS_ANSWER);
	assert_true(w_sinfo(sa).outgoing);
	assert_int_equal(w_sinfo(sa).peer_id, 4242);
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_OCRP, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.session_id, 4242);
	assert_int_equal(m.assigned_session_id, w_sinfo(sa).local_id);
	l2tp_session_outgoing_connected(sa, w->now);
	assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(w->n[0].session_up, 1);
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_OCCN, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.session_id, 4242);
	w_free(w);
}

/* ---- §7.5.2: the LNS side of outgoing calls (node 1 asks node 0) ---- */

static void
out_params(struct l2tp_outgoing_params *op)
{
	memset(op, 0, sizeof(*op));
	op->min_bps = 9600;
	op->max_bps = 64000;
	op->bearer_type = L2TP_BEARER_DIGITAL;
	op->framing_type = L2TP_FRAMING_SYNC;
	strcpy(op->called_number, "5551234");
	strcpy(op->sub_address, "77");
}

static struct l2tp_session *
open_out(struct world *w, const struct l2tp_outgoing_params *op)
{
	return l2tp_session_open_outgoing(w->n[1].last_tunnel_up, op, w->now);
}

/*
 * OCRQ (§6.9 AVPs) → session_request on the LAC → OCRP → wait-connect →
 * the LAC's call connects → OCCN → established on both; the framing the
 * OCRQ allowed is the one the OCCN reports.  Then the LAC hangs up
 * (§7.5.1: "a Call-Disconnect-Notify message MUST be sent to the LNS")
 * and the LNS cleans up without answering (§6.12).
 */
static void
test_outgoing_call_lns(void **state)
{
	static const struct {
		uint32_t asked, ocrq, occn;
	} cases[] = {
		{ L2TP_FRAMING_SYNC, L2TP_FRAMING_SYNC, L2TP_FRAMING_SYNC },
		{ L2TP_FRAMING_ASYNC, L2TP_FRAMING_ASYNC, L2TP_FRAMING_ASYNC },
		{ 0, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC,
		    L2TP_FRAMING_SYNC },
	};
	/* clang-format off */
	static const enum l2tp_avp_type ocrq_required[] = {
		L2TP_AVP_ASSIGNED_SESSION_ID, L2TP_AVP_CALL_SERIAL_NUMBER,
		L2TP_AVP_MIN_BPS, L2TP_AVP_MAX_BPS, L2TP_AVP_BEARER_TYPE,
		L2TP_AVP_FRAMING_TYPE, L2TP_AVP_CALLED_NUMBER,
	};
	/* clang-format on */

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		struct l2tp_outgoing_params op;
		struct l2tp_session *sa, *sb;
		struct l2tp_msg m;
		const uint8_t f[3] = { 0xc0, 0x21, 0x01 };

		w_start(w);
		w_establish(w);
		out_params(&op);
		op.framing_type = cases[i].asked;
		sb = open_out(w, &op);
		assert_non_null(sb);
		assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_WAIT_REPLY);
		assert_true(w_sinfo(sb).outgoing);
		assert_int_not_equal(w_sinfo(sb).call_serial, 0);
		/* §6.9: OCRQ to session 0 with every required AVP. */
		assert_int_equal(w_last_msg(w, 1, L2TP_MSG_OCRQ, NULL, &m),
		    L2TP_OK);
		for (size_t k = 0; k < L2TP_NITEMS(ocrq_required); k++)
			assert_true(l2tp_msg_has(&m, ocrq_required[k]));
		assert_int_equal(m.hdr.session_id, 0);
		assert_int_equal(m.assigned_session_id, w_sinfo(sb).local_id);
		assert_int_equal(m.call_serial, w_sinfo(sb).call_serial);
		assert_int_equal(m.min_bps, 9600);
		assert_int_equal(m.max_bps, 64000);
		assert_int_equal(m.bearer_type, L2TP_BEARER_DIGITAL);
		assert_int_equal(m.framing_type, cases[i].ocrq);
		assert_string_equal(m.called_number, "5551234");
		assert_true(l2tp_msg_has(&m, L2TP_AVP_SUB_ADDRESS));
		assert_string_equal(m.sub_address, "77");

		w_pump(w);
		assert_int_equal(w->n[0].session_req, 1);
		sa = w->n[0].last_session_req;
		assert_int_equal(w_sinfo(sa).state,
		    L2TP_SESSION_WAIT_CS_ANSWER);
		assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_WAIT_CONNECT);
		assert_int_equal(w_sinfo(sb).peer_id, w_sinfo(sa).local_id);
		assert_int_equal(w_sinfo(sa).peer_id, w_sinfo(sb).local_id);
		assert_int_equal(w_sinfo(sa).call_serial,
		    w_sinfo(sb).call_serial);
		assert_int_equal(w->n[1].session_up, 0);
		assert_int_equal(l2tp_session_send_data(sb, f, 3), -1);

		l2tp_session_outgoing_connected(sa, w->now);
		w_pump(w);
		assert_int_equal(w_last_msg(w, 0, L2TP_MSG_OCCN, NULL, &m),
		    L2TP_OK);
		assert_int_equal(m.hdr.session_id, w_sinfo(sb).local_id);
		assert_int_equal(m.framing_type, cases[i].occn);
		assert_int_equal(w->n[1].session_up, 1);
		assert_ptr_equal(w->n[1].last_session_up, sb);
		assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_ESTABLISHED);
		assert_int_equal(w_sinfo(sa).state, L2TP_SESSION_ESTABLISHED);
		assert_int_equal(w_sinfo(sb).framing_type, cases[i].occn);
		assert_int_equal(w_stats(w, 1)->sessions_established, 1);

		assert_int_equal(l2tp_session_send_data(sb, f, 3), 0);
		w_pump(w);
		assert_int_equal(w->n[0].data_rx, 1);
		assert_ptr_equal(w->n[0].last_data_session, sa);

		l2tp_session_close(sa, L2TP_CDN_LOST_CARRIER, 0, NULL, w->now);
		w_advance(w, 500);
		assert_int_equal(w->n[1].session_down, 1);
		assert_int_equal(w_stats(w, 1)->cdn_rcvd[L2TP_CDN_LOST_CARRIER],
		    1);
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 0);
		assert_true(l2tp_tunnel_is_up(w->n[1].last_tunnel_up));
		w_free(w);
	}
}

/* §6.11/§4.4.5: what the OCCN says is kept: speeds (Rx defaults to Tx,
 * "symmetric"), framing, Sequencing Required (§4.4.6). */
static void
test_outgoing_occn_values(void **state)
{
	static const struct {
		uint32_t tx, rx, framing;
		bool has_rx, seq;
	} cases[] = {
		{ 33600, 28800, L2TP_FRAMING_ASYNC, true, true },
		{ 64000, 64000, L2TP_FRAMING_SYNC, false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		struct l2tp_outgoing_params op;
		struct l2tp_tunnel *a;
		struct l2tp_session *sb;
		struct l2tp_msg m;
		const uint8_t f[2] = { 0xc0, 0x21 };

		w_start(w);
		a = w_establish(w);
		out_params(&op);
		sb = open_out(w, &op);
		w_pump(w);
		assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_WAIT_CONNECT);
		/* the LAC's own OCCN, built by hand */
		l2tp_msg_init(&m, L2TP_MSG_OCCN, 0, w_sinfo(sb).local_id);
		m.tx_connect_speed = cases[i].tx;
		l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
		m.framing_type = cases[i].framing;
		l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
		if (cases[i].has_rx) {
			m.rx_connect_speed = cases[i].rx;
			l2tp_msg_set(&m, L2TP_AVP_RX_CONNECT_SPEED);
		}
		if (cases[i].seq)
			l2tp_msg_set(&m, L2TP_AVP_SEQUENCING_REQUIRED);
		assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
		w_pump(w);
		assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_ESTABLISHED);
		assert_int_equal(w_sinfo(sb).tx_connect_speed, cases[i].tx);
		assert_int_equal(w_sinfo(sb).rx_connect_speed, cases[i].rx);
		assert_int_equal(w_sinfo(sb).framing_type, cases[i].framing);
		assert_int_equal(w->n[1].last_connect_seq, cases[i].seq);
		assert_int_equal(l2tp_session_send_data(sb, f, 2), 0);
		assert_int_equal(get_be16(w->tail->data) & L2TP_HDR_S,
		    cases[i].seq ? L2TP_HDR_S : 0);
		w_free(w);
	}
}

/* §7.5.1 idle "Receive OCRQ, not acceptable: Send CDN": the LNS hears the
 * LAC's result code, cleans up and does not answer the CDN (§6.12). */
static void
test_outgoing_refused(void **state)
{
	/* clang-format off */
	static const uint16_t codes[] = {
		L2TP_CDN_BUSY, L2TP_CDN_NO_CARRIER, L2TP_CDN_INVALID_DEST,
	};
	/* clang-format on */

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct world *w = w_new();
		struct l2tp_outgoing_params op;
		struct l2tp_msg m;
		uint16_t sid;

		w->n[0].request_result = codes[i];
		w_start(w);
		w_establish(w);
		out_params(&op);
		sid = w_sinfo(open_out(w, &op)).local_id;
		w_advance(w, 500);
		assert_int_equal(w->n[0].session_req, 1);
		assert_int_equal(w->n[0].sent_type[L2TP_MSG_OCRP], 0);
		assert_int_equal(w_last_msg(w, 0, L2TP_MSG_CDN, NULL, &m),
		    L2TP_OK);
		assert_int_equal(m.hdr.session_id, sid);
		assert_int_equal(m.result.result, codes[i]);
		assert_int_equal(w->n[1].session_down, 1);
		assert_int_equal(w->n[1].session_up, 0);
		assert_int_equal(w_stats(w, 1)->cdn_rcvd[codes[i]], 1);
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 0);
		assert_int_equal(w_tinfo(w->n[1].last_tunnel_up).sessions, 0);
		w_free(w);
	}
}

/*
 * No OCRP (lost for good) or no OCCN (the LAC never connects): the LNS
 * gives up after session_setup_ms with CDN result 10.  Without an OCRP the
 * CDN goes to Session ID 0 and the LAC finds its call by the Assigned
 * Session ID (§4.4.4).
 */
static void
test_outgoing_setup_timeout(void **state)
{
	(void)state;
	for (int lose_ocrp = 0; lose_ocrp < 2; lose_ocrp++) {
		struct world *w = w_new();
		struct l2tp_outgoing_params op;
		struct l2tp_msg m;
		uint16_t sid;

		w->n[1].cfg.session_setup_ms = 3000;
		w->n[0].cfg.session_setup_ms = 0; /* only the LNS gives up */
		w_start(w);
		w_establish(w);
		if (lose_ocrp)
			w->n[0].drop_type_mask = 1u << L2TP_MSG_OCRP;
		out_params(&op);
		sid = w_sinfo(open_out(w, &op)).local_id;
		w_advance(w, 2500);
		assert_int_equal(w->n[0].session_req, 1);
		assert_int_equal(w->n[1].session_down, 0);
		w_advance(w, 1000);
		assert_int_equal(w->n[1].session_down, 1);
		assert_int_equal(w_stats(w, 1)->cdn_sent[L2TP_CDN_TIMEOUT], 1);
		assert_int_equal(w_last_msg(w, 1, L2TP_MSG_CDN, NULL, &m),
		    L2TP_OK);
		assert_int_equal(m.result.result, L2TP_CDN_TIMEOUT);
		assert_int_equal(m.assigned_session_id, sid);
		if (lose_ocrp)
			assert_int_equal(m.hdr.session_id, 0);
		else
			assert_int_not_equal(m.hdr.session_id, 0);
		assert_int_equal(w->n[0].session_down, 1);
		assert_int_equal(w_stats(w, 0)->cdn_rcvd[L2TP_CDN_TIMEOUT], 1);
		w_free(w);
	}
}

/*
 * §7.5.2 out-of-place messages on the LNS side: "wait-reply: Receive OCCN,
 * OCRQ → Send CDN, Clean up" (OCCN before OCRP), "wait-connect: Receive
 * OCRQ, OCRP → Send CDN", "established: Receive OCRQ, OCRP, OCCN → Send
 * CDN"; an incoming-call message on an outgoing call likewise.  The CDN
 * carries result 2 (general error) with no error code: §4.4.2 has no FSM
 * code for calls.  "idle: Receive OCCN, OCRP, CDN → Clean up": a message
 * for no call is ignored.
 */
static void
test_outgoing_fsm_errors(void **state)
{
	enum stage { S_WAIT_REPLY, S_WAIT_CONNECT, S_ESTABLISHED };
	static const struct {
		enum stage stage;
		enum l2tp_msg_type type;
		bool to_call; /* addressed to the LNS's session */
	} cases[] = {
		{ S_WAIT_REPLY, L2TP_MSG_OCCN, true },
		{ S_WAIT_REPLY, L2TP_MSG_OCRQ, true },
		{ S_WAIT_REPLY, L2TP_MSG_ICRP, true },
		{ S_WAIT_CONNECT, L2TP_MSG_OCRP, true },
		{ S_WAIT_CONNECT, L2TP_MSG_OCRQ, true },
		{ S_WAIT_CONNECT, L2TP_MSG_ICCN, true },
		{ S_ESTABLISHED, L2TP_MSG_OCRP, true },
		{ S_ESTABLISHED, L2TP_MSG_OCCN, true },
		{ S_ESTABLISHED, L2TP_MSG_OCRQ, true },
		{ S_WAIT_CONNECT, L2TP_MSG_OCCN, false },
		{ S_WAIT_CONNECT, L2TP_MSG_OCRP, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		struct l2tp_outgoing_params op;
		struct l2tp_tunnel *a;
		struct l2tp_session *sb;
		struct l2tp_msg m;
		uint16_t sid;
		unsigned lac_down;

		w_start(w);
		a = w_establish(w);
		/* wait-reply: the OCRQ never reaches the LAC */
		if (cases[i].stage == S_WAIT_REPLY)
			w->n[1].drop_type_mask = 1u << L2TP_MSG_OCRQ;
		out_params(&op);
		sb = open_out(w, &op);
		sid = w_sinfo(sb).local_id;
		w_pump(w);
		if (cases[i].stage == S_ESTABLISHED) {
			l2tp_session_outgoing_connected(
			    w->n[0].last_session_req, w->now);
			w_pump(w);
		}
		assert_int_equal(w_sinfo(sb).state,
		    cases[i].stage == S_WAIT_REPLY ? L2TP_SESSION_WAIT_REPLY :
			cases[i].stage == S_WAIT_CONNECT ?
						     L2TP_SESSION_WAIT_CONNECT :
						     L2TP_SESSION_ESTABLISHED);
		lac_down = (unsigned)w->n[0].session_down;
		/* every AVP any of these types requires (others ignored) */
		l2tp_msg_init(&m, cases[i].type, 0, cases[i].to_call ? sid : 0);
		m.assigned_session_id = 999;
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
		m.call_serial = 5;
		l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
		m.min_bps = 1;
		l2tp_msg_set(&m, L2TP_AVP_MIN_BPS);
		m.max_bps = 2;
		l2tp_msg_set(&m, L2TP_AVP_MAX_BPS);
		m.bearer_type = L2TP_BEARER_ANALOG;
		l2tp_msg_set(&m, L2TP_AVP_BEARER_TYPE);
		strcpy(m.called_number, "1");
		l2tp_msg_set(&m, L2TP_AVP_CALLED_NUMBER);
		m.tx_connect_speed = 1;
		l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
		m.framing_type = L2TP_FRAMING_SYNC;
		l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
		assert_int_equal(tunnel_send_msg(a, &m, w->now), 0);
		w_pump(w);
		if (!cases[i].to_call) {
			assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 0);
			assert_int_equal(w->n[1].session_down, 0);
			assert_int_equal(
			    w_stats(w, 1)->drops[L2TP_DROP_UNKNOWN_SESSION], 1);
			w_free(w);
			continue;
		}
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 1);
		assert_int_equal(w_last_msg(w, 1, L2TP_MSG_CDN, NULL, &m),
		    L2TP_OK);
		assert_int_equal(m.result.result, L2TP_CDN_ERROR);
		assert_int_equal(m.result.error, L2TP_ERR_NONE);
		assert_int_equal(m.assigned_session_id, sid);
		assert_int_equal(w->n[1].session_down, 1);
		assert_int_equal(w->n[1].session_up,
		    cases[i].stage == S_ESTABLISHED ? 1 : 0);
		/* the LAC's call (when it has one) is cleared by the CDN */
		if (cases[i].stage != S_WAIT_REPLY)
			assert_int_equal(w->n[0].session_down, lac_down + 1);
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 0);
		assert_true(l2tp_tunnel_is_up(w->n[1].last_tunnel_up));
		w_free(w);
	}
}

/* A peer at an address no node answers for: what node 1 sends is lost. */
static void
fake_peer_send(struct world *w, const struct l2tp_addr *from,
    struct l2tp_msg *m, uint16_t ns, uint16_t nr)
{
	struct l2tp_secret none = { NULL, 0 };
	uint8_t buf[1024];
	size_t len;

	len = l2tp_msg_encode(m, &none, false, buf, sizeof(buf));
	assert_true(len > 0);
	put_be16(buf + L2TP_CTRL_NS_OFF, ns);
	put_be16(buf + L2TP_CTRL_NR_OFF, nr);
	l2tp_host_input(w->n[1].h, buf, len, &w->n[1].addr, from, w->now);
}

/*
 * §6.9: "An LNS MUST have received a Bearer Capabilities AVP during tunnel
 * establishment from an LAC in order to request an outgoing call to that
 * LAC."  A hand-made LAC with or without Bearer Capabilities; the call is
 * asked for once the tunnel is up, or before (checked at tunnel-up).
 */
static void
test_outgoing_bearer_caps(void **state)
{
	static const struct {
		bool has_cap;
		uint32_t cap, asked;
		bool early; /* open before the tunnel is up */
		bool ok;
		uint32_t wire; /* Bearer Type in the OCRQ */
	} cases[] = {
		{ false, 0, 0, false, false, 0 },
		{ false, 0, L2TP_BEARER_DIGITAL, false, false, 0 },
		{ true, 0, 0, false, false, 0 },
		{ true, L2TP_BEARER_ANALOG, L2TP_BEARER_DIGITAL, false, false,
		    0 },
		{ true, L2TP_BEARER_ANALOG, 0, false, true,
		    L2TP_BEARER_ANALOG },
		{ true, L2TP_BEARER_ANALOG | L2TP_BEARER_DIGITAL,
		    L2TP_BEARER_DIGITAL, false, true, L2TP_BEARER_DIGITAL },
		{ false, 0, 0, true, false, 0 },
		{ true, L2TP_BEARER_DIGITAL, 0, true, true,
		    L2TP_BEARER_DIGITAL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world *w = w_new();
		struct l2tp_outgoing_params op;
		struct l2tp_addr lac;
		struct l2tp_session *sb = NULL;
		struct l2tp_tunnel *b;
		struct l2tp_msg m;

		w_start(w);
		w_addr(&lac, "10.0.0.9", 1701);
		l2tp_msg_init(&m, L2TP_MSG_SCCRQ, 0, 0);
		m.proto_ver = 1;
		l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
		strcpy(m.host_name, "lac");
		l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
		m.framing_cap = L2TP_FRAMING_SYNC;
		l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
		m.assigned_tunnel_id = 77;
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
		if (cases[i].has_cap) {
			m.bearer_cap = cases[i].cap;
			l2tp_msg_set(&m, L2TP_AVP_BEARER_CAP);
		}
		fake_peer_send(w, &lac, &m, 0, 0);
		b = w_any_tunnel(w, 1);
		assert_non_null(b);
		out_params(&op);
		op.bearer_type = cases[i].asked;
		if (cases[i].early) {
			sb = l2tp_session_open_outgoing(b, &op, w->now);
			assert_non_null(sb);
			assert_int_equal(w_sinfo(sb).state,
			    L2TP_SESSION_WAIT_TUNNEL);
		}
		l2tp_msg_init(&m, L2TP_MSG_SCCCN, w_tinfo(b).local_id, 0);
		fake_peer_send(w, &lac, &m, 1, 1);
		assert_int_equal(w->n[1].tunnel_up, 1);
		if (!cases[i].early)
			sb = l2tp_session_open_outgoing(b, &op, w->now);
		if (!cases[i].ok) {
			if (cases[i].early)
				assert_int_equal(w->n[1].session_down, 1);
			else
				assert_null(sb);
			assert_int_equal(w->n[1].sent_type[L2TP_MSG_OCRQ], 0);
			assert_int_equal(w_tinfo(b).sessions, 0);
			w_free(w);
			continue;
		}
		assert_non_null(sb);
		assert_int_equal(w_sinfo(sb).state, L2TP_SESSION_WAIT_REPLY);
		assert_int_equal(w->n[1].sent_type[L2TP_MSG_OCRQ], 1);
		assert_int_equal(w_last_msg(w, 1, L2TP_MSG_OCRQ, NULL, &m),
		    L2TP_OK);
		assert_int_equal(m.hdr.tunnel_id, 77);
		assert_int_equal(m.bearer_type, cases[i].wire);
		w_free(w);
	}
}

/* Parameters §6.9 makes impossible, and a closing tunnel: no call. */
static void
test_outgoing_bad_params(void **state)
{
	struct world *w = w_new();
	struct l2tp_outgoing_params op;
	struct l2tp_tunnel *b;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	w_establish(w);
	b = w->n[1].last_tunnel_up;
	out_params(&op);
	op.called_number[0] = '\0';
	assert_null(l2tp_session_open_outgoing(b, &op, w->now));
	out_params(&op);
	op.min_bps = op.max_bps + 1;
	assert_null(l2tp_session_open_outgoing(b, &op, w->now));
	/* max 0: no upper limit */
	out_params(&op);
	op.max_bps = 0;
	op.call_serial = 4711;
	op.sub_address[0] = '\0';
	assert_non_null(l2tp_session_open_outgoing(b, &op, w->now));
	assert_int_equal(w_last_msg(w, 1, L2TP_MSG_OCRQ, NULL, &m), L2TP_OK);
	assert_int_equal(m.max_bps, UINT32_MAX);
	assert_int_equal(m.call_serial, 4711);
	assert_false(l2tp_msg_has(&m, L2TP_AVP_SUB_ADDRESS)); /* optional */
	l2tp_tunnel_close(b, L2TP_STOPCCN_GENERAL, 0, NULL, w->now);
	out_params(&op);
	assert_null(l2tp_session_open_outgoing(b, &op, w->now));
	w_free(w);
}

/*
 * §4.4.4: "In the CDN control message, the same Assigned Session ID AVP
 * first sent to the receiving peer is used, permitting the peer to
 * identify the appropriate [session] even if CDN is sent before an
 * Assigned Session ID is received."  The LAC hangs up before the ICRP
 * arrives: its CDN goes to Session ID 0 and the LNS must still clear the
 * call (not wait for its setup timer).
 */
static void
test_cdn_before_reply(void **state)
{
	struct world *w = w_new();
	struct l2tp_tunnel *a;
	struct l2tp_session *sa;
	struct l2tp_msg m;

	(void)state;
	w_start(w);
	a = w_establish(w);
	sa = open_call(w, a);
	l2tp_session_close(sa, L2TP_CDN_LOST_CARRIER, 0, NULL, w->now);
	assert_int_equal(w_last_msg(w, 0, L2TP_MSG_CDN, NULL, &m), L2TP_OK);
	assert_int_equal(m.hdr.session_id, 0);
	w_advance(w, 500);
	assert_int_equal(w->n[1].session_req, 1);
	assert_int_equal(w->n[1].session_down, 1);
	assert_int_equal(w_stats(w, 1)->cdn_rcvd[L2TP_CDN_LOST_CARRIER], 1);
	assert_int_equal(w_tinfo(w->n[1].last_tunnel_up).sessions, 0);
	/* §6.12: no answer to a CDN; the late ICRP finds no call. */
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_CDN], 0);
	assert_int_equal(w->n[0].sent_type[L2TP_MSG_ICCN], 0);
	w_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_up_ids),
		cmocka_unit_test(test_setup_outlasts_retransmission),
		cmocka_unit_test(test_setup_ms_derived),
		cmocka_unit_test(test_session_wait_tunnel),
		cmocka_unit_test(test_many_sessions),
		cmocka_unit_test(test_cdn_either_side),
		cmocka_unit_test(test_max_sessions),
		cmocka_unit_test(test_request_refused),
		cmocka_unit_test(test_stopccn_clears_sessions),
		cmocka_unit_test(test_peer_dead_clears_sessions),
		cmocka_unit_test(test_setup_timeout),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_data_not_up),
		cmocka_unit_test(test_data_before_iccn),
		cmocka_unit_test(test_data_before_iccn_freed),
		cmocka_unit_test(test_data_waits_for_queued_iccn),
		cmocka_unit_test(test_queued_iccn_call_closed),
		cmocka_unit_test(test_data_sequencing),
		cmocka_unit_test(test_data_header_variants),
		cmocka_unit_test(test_data_send_inplace),
		cmocka_unit_test(test_proxy_avps),
		cmocka_unit_test(test_wen_sli),
		cmocka_unit_test(test_session_fsm_errors),
		cmocka_unit_test(test_icrq_before_scccn),
		cmocka_unit_test(test_outgoing_call_lac),
		cmocka_unit_test(test_outgoing_call_lns),
		cmocka_unit_test(test_outgoing_occn_values),
		cmocka_unit_test(test_outgoing_refused),
		cmocka_unit_test(test_outgoing_setup_timeout),
		cmocka_unit_test(test_outgoing_fsm_errors),
		cmocka_unit_test(test_outgoing_bearer_caps),
		cmocka_unit_test(test_outgoing_bad_params),
		cmocka_unit_test(test_cdn_before_reply),
		cmocka_unit_test(test_calling_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
