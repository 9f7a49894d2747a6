/*
 * test_xport.c — RFC 2661 §5.8 / Appendix A reliable delivery, on a fake
 * clock with recording callbacks, plus two engines wired back to back
 * through a lossy, reordering link.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/timeutil.h"
#include "l2tp/xport.h"

#define MAXREC 256
#define MSGLEN 16 /* 12-byte header + 4-byte tag */

struct sent {
	uint16_t flags, length, tunnel, session, ns, nr;
	uint32_t tag;
	size_t len;
	bool zlb;
};

struct rec {
	struct xport *x;
	struct sent sent[MAXREC];
	unsigned nsent;
	uint32_t delivered[MAXREC];
	unsigned ndelivered;
	unsigned nfailed, nidle;
	bool reply_on_deliver;
	uint64_t now;
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A control message carrying a 4-byte tag; Ns/Nr as given. */
static void
mk_msg(uint8_t *b, uint16_t ns, uint16_t nr, uint32_t tag)
{
	put16(b, 0xc802);
	put16(b + 2, MSGLEN);
	put16(b + 4, 1);
	put16(b + 6, 0);
	put16(b + 8, ns);
	put16(b + 10, nr);
	put16(b + 12, (uint16_t)(tag >> 16));
	put16(b + 14, (uint16_t)tag);
}

/* What msg.c's l2tp_hdr_decode produces for a well-formed control header. */
static void
mk_hdr(const uint8_t *p, size_t len, struct l2tp_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->is_control = (get16(p) & 0x8000) != 0;
	h->has_length = (get16(p) & 0x4000) != 0;
	h->has_seq = (get16(p) & 0x0800) != 0;
	h->length = get16(p + 2);
	h->tunnel_id = get16(p + 4);
	h->session_id = get16(p + 6);
	h->ns = get16(p + 8);
	h->nr = get16(p + 10);
	h->payload_off = 12;
	h->payload_len = (uint16_t)(len - 12);
}

static void
rec_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct rec *r = ctx;
	struct sent *s;

	assert_true(len >= 12);
	assert_true(r->nsent < MAXREC);
	s = &r->sent[r->nsent++];
	s->flags = get16(pkt);
	s->length = get16(pkt + 2);
	s->tunnel = get16(pkt + 4);
	s->session = get16(pkt + 6);
	s->ns = get16(pkt + 8);
	s->nr = get16(pkt + 10);
	s->len = len;
	s->zlb = len == 12;
	s->tag = len >= 16 ? get32(pkt + 12) : 0;
}

static void
rec_deliver(void *ctx, const uint8_t *pkt, size_t len)
{
	struct rec *r = ctx;
	uint8_t m[MSGLEN];

	assert_int_equal(len, MSGLEN);
	assert_true(r->ndelivered < MAXREC);
	r->delivered[r->ndelivered++] = get32(pkt + 12);
	if (r->reply_on_deliver) {
		mk_msg(m, 0, 0, 0xbeef);
		assert_int_equal(xport_send(r->x, m, sizeof(m), r->now), 0);
	}
}

static void
rec_failed(void *ctx)
{
	((struct rec *)ctx)->nfailed++;
}

static void
rec_idle(void *ctx)
{
	((struct rec *)ctx)->nidle++;
}

static const struct xport_ops rec_ops = {
	.send = rec_send,
	.deliver = rec_deliver,
	.failed = rec_failed,
	.idle = rec_idle,
};

static void
setup(struct xport *x, struct rec *r, const struct xport_config *cfg)
{
	struct xport_config def;

	if (cfg == NULL) {
		xport_config_defaults(&def);
		cfg = &def;
	}
	memset(r, 0, sizeof(*r));
	r->x = x;
	assert_int_equal(xport_init(x, cfg, &rec_ops, r, 0), 0);
	xport_set_peer(x, 77, cfg->peer_rwin);
}

/* The peer sends us a message (Ns, Nr, tag) at `now`. */
static enum xport_rx
peer_msg(struct xport *x, uint16_t ns, uint16_t nr, uint32_t tag, uint64_t now)
{
	uint8_t m[MSGLEN];
	struct l2tp_hdr h;

	((struct rec *)x->ctx)->now = now;
	mk_msg(m, ns, nr, tag);
	mk_hdr(m, sizeof(m), &h);
	return xport_input(x, &h, m, sizeof(m), now);
}

static enum xport_rx
peer_zlb(struct xport *x, uint16_t ns, uint16_t nr, uint64_t now)
{
	uint8_t m[MSGLEN];
	struct l2tp_hdr h;

	mk_msg(m, ns, nr, 0);
	put16(m + 2, 12);
	mk_hdr(m, 12, &h);
	return xport_input(x, &h, m, 12, now);
}

static int
our_send(struct xport *x, uint32_t tag, uint64_t now)
{
	uint8_t m[MSGLEN];

	/* Garbage Ns/Nr: the transport must overwrite them. */
	mk_msg(m, 0xdead, 0xbeef, tag);
	return xport_send(x, m, sizeof(m), now);
}

/* ---- sequence arithmetic (§5.8 modulo 65536) ---- */

static void
test_seq_table(void **state)
{
	static const struct {
		uint16_t a, b;
		bool lt, gt;
	} t[] = {
		{ 0, 0, false, false },
		{ 0, 1, true, false },
		{ 1, 0, false, true },
		{ 65535, 0, true, false }, /* wrap: 65535 precedes 0 */
		{ 0, 65535, false, true },
		{ 65530, 5, true, false },
		{ 5, 65530, false, true },
		/* §5.8 example: with 15 last received, 32784..65535 and
		 * 0..15 are "less than or equal", 16..32782 ahead. */
		{ 32784, 15, true, false },
		{ 65535, 15, true, false },
		{ 32782, 15, false, true },
		{ 16, 15, false, true },
		/* Exactly half-way is ambiguous; the signed difference calls
		 * it "less" (RFC 2661 would say ahead).  Never reached: both
		 * windows are far below 32768, and either way such a message
		 * is not delivered. */
		{ 32783, 15, true, false },
		{ 0, 32767, true, false },
		{ 32767, 0, false, true },
		{ 100, 99, false, true },
		{ 99, 100, true, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(seq_lt(t[i].a, t[i].b), t[i].lt);
		assert_int_equal(seq_gt(t[i].a, t[i].b), t[i].gt);
	}
}

static void
test_config_defaults(void **state)
{
	struct xport_config c;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	xport_config_defaults(&c);
	assert_int_equal(c.our_rwin, 16);
	assert_int_equal(c.peer_rwin, 4);
	assert_int_equal(c.retransmit_max, 5);
	assert_int_equal(c.rto_initial_ms, 1000);
	assert_int_equal(c.rto_max_ms, 8000);
	assert_int_equal(c.ack_delay_ms, 100);
	assert_int_equal(c.hello_ms, 60000);
	assert_int_equal(c.max_queue, 64);
	assert_string_equal(xport_rx_str(XPORT_RX_DUPLICATE), "duplicate");
	assert_string_equal(xport_rx_str(XPORT_RX_OUT_OF_WINDOW),
	    "out of window");
}

/* ---- receiving ---- */

static void
test_in_order_delayed_zlb(void **state)
{
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(peer_msg(&x, 0, 0, 100, 10), XPORT_RX_DELIVERED);
	assert_int_equal(peer_msg(&x, 1, 0, 101, 20), XPORT_RX_DELIVERED);
	assert_int_equal(r.ndelivered, 2);
	assert_int_equal(r.delivered[0], 100);
	assert_int_equal(r.delivered[1], 101);
	/* Delayed: nothing yet, ack due 100 ms after the first delivery. */
	assert_int_equal(r.nsent, 0);
	assert_int_equal(xport_next_deadline(&x), 110);
	xport_timeout(&x, 109);
	assert_int_equal(r.nsent, 0);
	xport_timeout(&x, 110);
	assert_int_equal(r.nsent, 1);
	/* ZLB: T,L,S + ver 2, length 12, peer tunnel, session 0, Ns 0
	 * (not consumed), Nr 2. */
	assert_true(r.sent[0].zlb);
	assert_int_equal(r.sent[0].flags, 0xc802);
	assert_int_equal(r.sent[0].length, 12);
	assert_int_equal(r.sent[0].tunnel, 77);
	assert_int_equal(r.sent[0].session, 0);
	assert_int_equal(r.sent[0].ns, 0);
	assert_int_equal(r.sent[0].nr, 2);
	assert_int_equal(x.stats.tx_zlb, 1);
	/* Only the Hello timer is left (last rx at 20). */
	assert_int_equal(xport_next_deadline(&x), 20 + 60000);
	/* A ZLB's Ns is not consumed: our next message is still Ns 0. */
	assert_int_equal(our_send(&x, 1, 200), 0);
	assert_int_equal(r.sent[1].ns, 0);
	assert_int_equal(r.sent[1].nr, 2);
	xport_destroy(&x);
}

/* A burst of a quarter of our window is acked at once, not after the delay
 * (xport.h: the peer must not be paced by our ack timer); fewer wait. */
static void
test_ack_batch(void **state)
{
	struct xport_config c;
	struct xport x;
	struct rec r;

	(void)state;
	xport_config_defaults(&c);
	c.our_rwin = 16; /* batch of 4 */
	setup(&x, &r, &c);
	for (uint16_t i = 0; i < 3; i++)
		assert_int_equal(peer_msg(&x, i, 0, 100 + i, 10),
		    XPORT_RX_DELIVERED);
	assert_int_equal(r.nsent, 0);
	assert_int_equal(peer_msg(&x, 3, 0, 103, 11), XPORT_RX_DELIVERED);
	assert_int_equal(r.nsent, 1);
	assert_true(r.sent[0].zlb);
	assert_int_equal(r.sent[0].nr, 4);
	/* the count starts again: 3 more wait for the timer */
	for (uint16_t i = 4; i < 7; i++)
		assert_int_equal(peer_msg(&x, i, 0, 100 + i, 12),
		    XPORT_RX_DELIVERED);
	assert_int_equal(r.nsent, 1);
	assert_int_equal(xport_next_deadline(&x), 112);
	xport_timeout(&x, 112);
	assert_int_equal(r.nsent, 2);
	assert_int_equal(r.sent[1].nr, 7);
	xport_destroy(&x);

	/* A reply piggy-backs the ack and resets the count too. */
	setup(&x, &r, &c);
	for (uint16_t i = 0; i < 3; i++)
		assert_int_equal(peer_msg(&x, i, 0, 100 + i, 10),
		    XPORT_RX_DELIVERED);
	assert_int_equal(our_send(&x, 1, 10), 0);
	assert_int_equal(peer_msg(&x, 3, 0, 103, 11), XPORT_RX_DELIVERED);
	assert_int_equal(r.nsent, 1); /* our message, no ZLB */
	assert_false(r.sent[0].zlb);
	xport_destroy(&x);

	/* A window of 1: every message is acked at once. */
	c.our_rwin = 1;
	setup(&x, &r, &c);
	assert_int_equal(peer_msg(&x, 0, 0, 100, 10), XPORT_RX_DELIVERED);
	assert_int_equal(r.nsent, 1);
	assert_true(r.sent[0].zlb);
	xport_destroy(&x);
}

static void
test_flush_ack(void **state)
{
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	xport_flush_ack(&x);
	assert_int_equal(r.nsent, 0); /* nothing owed */
	assert_int_equal(peer_msg(&x, 0, 0, 1, 0), XPORT_RX_DELIVERED);
	xport_flush_ack(&x);
	assert_int_equal(r.nsent, 1);
	assert_true(r.sent[0].zlb);
	assert_int_equal(r.sent[0].nr, 1);
	xport_timeout(&x, 1000); /* and it is not sent twice */
	assert_int_equal(r.nsent, 1);
	xport_destroy(&x);
}

static void
test_piggyback(void **state)
{
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(peer_msg(&x, 0, 0, 1, 0), XPORT_RX_DELIVERED);
	assert_int_equal(our_send(&x, 2, 50), 0);
	assert_int_equal(r.nsent, 1);
	assert_false(r.sent[0].zlb);
	assert_int_equal(r.sent[0].ns, 0);
	assert_int_equal(r.sent[0].nr, 1); /* the ack rides along */
	assert_int_equal(r.sent[0].tag, 2);
	xport_timeout(&x, 100);
	xport_timeout(&x, 500);
	assert_int_equal(r.nsent, 1); /* no ZLB */

	/* A reply sent from inside deliver() carries the ack as well. */
	r.reply_on_deliver = true;
	assert_int_equal(peer_msg(&x, 1, 1, 3, 600), XPORT_RX_DELIVERED);
	assert_int_equal(r.nsent, 2);
	assert_int_equal(r.sent[1].ns, 1);
	assert_int_equal(r.sent[1].nr, 2);
	assert_int_equal(r.sent[1].tag, 0xbeef);
	xport_timeout(&x, 800);
	assert_int_equal(r.nsent, 2);
	xport_destroy(&x);
}

static void
test_duplicate(void **state)
{
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(our_send(&x, 9, 0), 0);
	assert_int_equal(xport_unacked(&x), 1);
	assert_int_equal(peer_msg(&x, 0, 0, 1, 10), XPORT_RX_DELIVERED);
	xport_timeout(&x, 110); /* ZLB Nr 1 (say it is lost) */
	assert_int_equal(r.nsent, 2);
	/* The peer retransmits Ns 0, now acking our Ns 0. */
	assert_int_equal(peer_msg(&x, 0, 1, 1, 1000), XPORT_RX_DUPLICATE);
	assert_int_equal(r.ndelivered, 1); /* not delivered twice */
	assert_int_equal(r.nsent, 3);	   /* §5.8: acked at once */
	assert_true(r.sent[2].zlb);
	assert_int_equal(r.sent[2].nr, 1);
	assert_int_equal(r.sent[2].ns, 1);
	assert_int_equal(xport_unacked(&x), 0); /* Nr of a duplicate counts */
	assert_int_equal(x.stats.rx_duplicates, 1);
	/* Much older ones (within 32767 behind) are duplicates too. */
	assert_int_equal(peer_msg(&x, (uint16_t)(1 - 30000), 1, 1, 1100),
	    XPORT_RX_DUPLICATE);
	assert_int_equal(r.ndelivered, 1);
	xport_destroy(&x);
}

static void
test_reorder(void **state)
{
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(our_send(&x, 9, 0), 0);
	/* Arrival order 2, 1, 2 (retransmitted), 0. */
	assert_int_equal(peer_msg(&x, 2, 0, 12, 10), XPORT_RX_HELD);
	assert_int_equal(peer_msg(&x, 1, 1, 11, 20), XPORT_RX_HELD);
	assert_int_equal(xport_unacked(&x), 0); /* Nr of held ones counts */
	assert_int_equal(peer_msg(&x, 2, 1, 12, 30), XPORT_RX_HELD);
	assert_int_equal(r.ndelivered, 0);
	assert_int_equal(x.held_count, 2);
	assert_int_equal(peer_msg(&x, 0, 1, 10, 40), XPORT_RX_DELIVERED);
	assert_int_equal(r.ndelivered, 3);
	assert_int_equal(r.delivered[0], 10);
	assert_int_equal(r.delivered[1], 11);
	assert_int_equal(r.delivered[2], 12);
	assert_int_equal(x.nr, 3);
	assert_int_equal(x.held_count, 0);
	assert_int_equal(peer_msg(&x, 1, 1, 11, 50), XPORT_RX_DUPLICATE);
	assert_int_equal(r.ndelivered, 3);
	xport_timeout(&x, 140);
	assert_true(r.sent[r.nsent - 1].zlb);
	assert_int_equal(r.sent[r.nsent - 1].nr, 3);
	xport_destroy(&x);
}

static void
test_out_of_window(void **state)
{
	struct xport_config c;
	struct xport x;
	struct rec r;

	(void)state;
	xport_config_defaults(&c);
	c.our_rwin = 4;
	setup(&x, &r, &c);
	assert_int_equal(our_send(&x, 9, 0), 0);
	/* Ns 4 with Nr expected 0 and a window of 4: beyond, dropped whole
	 * (its Nr is not believed either). */
	assert_int_equal(peer_msg(&x, 4, 1, 4, 10), XPORT_RX_OUT_OF_WINDOW);
	assert_int_equal(x.stats.rx_out_of_window, 1);
	assert_int_equal(xport_unacked(&x), 1);
	assert_int_equal(x.held_count, 0);
	assert_int_equal(peer_msg(&x, 3, 0, 3, 20), XPORT_RX_HELD);
	/* A ZLB's Ns is no sequence gap, whatever it says. */
	assert_int_equal(peer_zlb(&x, 40000, 0, 30), XPORT_RX_ZLB);
	assert_int_equal(peer_zlb(&x, 3, 0, 40), XPORT_RX_ZLB);
	assert_int_equal(x.nr, 0);
	assert_int_equal(r.ndelivered, 0);
	xport_destroy(&x);
}

/* ---- sending ---- */

static void
test_retransmit_backoff_and_fail(void **state)
{
	static const uint64_t at[] = { 1000, 3000, 7000, 15000, 23000 };
	struct xport x;
	struct rec r;
	size_t i;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(our_send(&x, 5, 0), 0);
	assert_int_equal(r.nsent, 1);
	assert_int_equal(r.sent[0].ns, 0);
	assert_int_equal(r.sent[0].nr, 0);
	assert_int_equal(r.sent[0].tag, 5);
	/* §5.8: 1 s, then 2, 4, 8 and 8 (cap) — 31 s in all. */
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		assert_int_equal(xport_next_deadline(&x), at[i]);
		xport_timeout(&x, at[i] - 1);
		assert_int_equal(r.nsent, 1 + i);
		if (i == 2) {
			/* Something arrives meanwhile (not acking ours):
			 * retransmissions must carry the new Nr. */
			assert_int_equal(peer_msg(&x, 0, 0, 1, at[i] - 1),
			    XPORT_RX_DELIVERED);
			xport_flush_ack(&x);
			r.nsent--; /* forget that ZLB */
		}
		xport_timeout(&x, at[i]);
		assert_int_equal(r.nsent, 2 + i);
		assert_false(r.sent[1 + i].zlb);
		assert_int_equal(r.sent[1 + i].ns, 0);
		assert_int_equal(r.sent[1 + i].tag, 5);
		assert_int_equal(r.sent[1 + i].nr, i >= 2 ? 1 : 0);
	}
	assert_int_equal(x.stats.retransmits, 5);
	assert_int_equal(x.stats.tx_msgs, 1);
	assert_int_equal(r.nfailed, 0);
	assert_int_equal(xport_next_deadline(&x), 31000);
	xport_timeout(&x, 31000);
	assert_int_equal(r.nfailed, 1);
	assert_int_equal(r.nsent, 6); /* no 6th retransmission */
	xport_timeout(&x, 100000);
	assert_int_equal(r.nfailed, 1); /* once */
	assert_int_equal(r.nidle, 0);
	assert_int_equal(xport_next_deadline(&x), TIME_NEVER);
	assert_int_equal(our_send(&x, 6, 100000), -1);
	xport_destroy(&x);
}

static void
test_ack_stops_retransmit(void **state)
{
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(our_send(&x, 5, 0), 0);
	xport_timeout(&x, 1000);
	assert_int_equal(r.nsent, 2);
	assert_int_equal(peer_zlb(&x, 0, 1, 1500), XPORT_RX_ZLB);
	assert_int_equal(xport_unacked(&x), 0);
	assert_int_equal(x.stats.rx_zlb, 1);
	assert_int_equal(xport_next_deadline(&x), 1500 + 60000);
	xport_timeout(&x, 3000);
	assert_int_equal(r.nsent, 2);
	xport_destroy(&x);
}

static void
test_window_and_queue(void **state)
{
	struct xport x;
	struct rec r;
	unsigned i;

	(void)state;
	setup(&x, &r, NULL); /* peer_rwin 4 */
	for (i = 0; i < 10; i++)
		assert_int_equal(our_send(&x, i, 0), 0);
	assert_int_equal(xport_unacked(&x), 10);
	/* Slow start: cwnd 1, one message out. */
	assert_int_equal(x.cwnd, 1);
	assert_int_equal(x.ssthresh, 4);
	assert_int_equal(r.nsent, 1);
	assert_int_equal(x.pending_count, 9);
	assert_int_equal(peer_zlb(&x, 0, 1, 10), XPORT_RX_ZLB);
	assert_int_equal(x.cwnd, 2);
	assert_int_equal(r.nsent, 3);
	assert_int_equal(peer_zlb(&x, 0, 3, 20), XPORT_RX_ZLB);
	assert_int_equal(x.cwnd, 4);
	assert_int_equal(r.nsent, 7); /* 4 outstanding: Ns 3..6 */
	assert_int_equal(x.pending_count, 3);
	/* Partial ack of 1: exactly one more goes out. */
	assert_int_equal(peer_zlb(&x, 0, 4, 30), XPORT_RX_ZLB);
	assert_int_equal(x.cwnd, 4); /* never above peer_rwin */
	assert_int_equal(r.nsent, 8);
	assert_int_equal(peer_zlb(&x, 0, 8, 35), XPORT_RX_ZLB);
	assert_int_equal(r.nsent, 10);
	for (i = 0; i < r.nsent; i++) {
		assert_int_equal(r.sent[i].ns, i);
		assert_int_equal(r.sent[i].tag, i);
	}
	assert_int_equal(peer_zlb(&x, 0, 10, 40), XPORT_RX_ZLB);
	assert_int_equal(r.nsent, 10);
	assert_int_equal(xport_unacked(&x), 0);
	/* An Nr acking more than we sent is ignored. */
	assert_int_equal(our_send(&x, 10, 50), 0);
	assert_int_equal(peer_zlb(&x, 0, 12, 60), XPORT_RX_ZLB);
	assert_int_equal(xport_unacked(&x), 1);
	xport_destroy(&x);
}

static void
test_queue_full(void **state)
{
	struct xport_config c;
	struct xport x;
	struct rec r;

	(void)state;
	xport_config_defaults(&c);
	c.max_queue = 2;
	setup(&x, &r, &c);
	assert_int_equal(our_send(&x, 0, 0), 0); /* in flight */
	assert_int_equal(our_send(&x, 1, 0), 0); /* queued */
	assert_int_equal(our_send(&x, 2, 0), 0); /* queued */
	assert_int_equal(our_send(&x, 3, 0), -1);
	assert_int_equal(x.stats.tx_queue_full, 1);
	assert_int_equal(xport_unacked(&x), 3);
	assert_int_equal(peer_zlb(&x, 0, 1, 10), XPORT_RX_ZLB);
	assert_int_equal(r.nsent, 3);
	assert_int_equal(our_send(&x, 3, 20), 0);
	assert_int_equal(r.sent[2].ns, 2);
	/* Too short to be a control message. */
	assert_int_equal(xport_send(&x, (const uint8_t *)"abc", 3, 30), -1);
	xport_destroy(&x);
}

static void
test_slow_start_and_halving(void **state)
{
	struct xport_config c;
	struct xport x;
	struct rec r;
	unsigned i, acked = 0;
	uint64_t t = 0;
	/* clang-format off */
	static const unsigned after_timeout[] = {
		2, 3, 4,		/* slow start up to ssthresh 4 */
		4, 4, 4, 5,		/* avoidance: +1 per 4 acks */
		5, 5, 5, 5, 6,		/* then per 5 */
	};
	/* clang-format on */

	(void)state;
	xport_config_defaults(&c);
	c.peer_rwin = 8;
	setup(&x, &r, &c);
	assert_int_equal(x.ssthresh, 8);
	for (i = 0; i < 40; i++)
		assert_int_equal(our_send(&x, i, 0), 0);
	/* Appendix A slow start: +1 per acked message, up to ssthresh. */
	for (i = 1; i <= 7; i++) {
		acked++;
		assert_int_equal(peer_zlb(&x, 0, (uint16_t)acked, ++t),
		    XPORT_RX_ZLB);
		assert_int_equal(x.cwnd, 1 + i);
	}
	assert_int_equal(x.cwnd, 8);
	assert_int_equal(xport_unacked(&x) - x.pending_count, 8);
	/* Timeout: ssthresh = cwnd / 2, cwnd = 1. */
	t = xport_next_deadline(&x);
	assert_int_equal(t, 7 + 1000);
	xport_timeout(&x, t);
	assert_int_equal(x.stats.retransmits, 1);
	assert_int_equal(x.ssthresh, 4);
	assert_int_equal(x.cwnd, 1);
	for (i = 0; i < sizeof(after_timeout) / sizeof(after_timeout[0]); i++) {
		acked++;
		assert_int_equal(peer_zlb(&x, 0, (uint16_t)acked, ++t),
		    XPORT_RX_ZLB);
		assert_int_equal(x.cwnd, after_timeout[i]);
		assert_int_equal(x.ssthresh, 4);
	}
	/* A second timeout at cwnd 6 halves to 3; at cwnd 1, to 1. */
	t = xport_next_deadline(&x);
	xport_timeout(&x, t);
	assert_int_equal(x.ssthresh, 3);
	assert_int_equal(x.cwnd, 1);
	t = xport_next_deadline(&x);
	xport_timeout(&x, t);
	assert_int_equal(x.ssthresh, 1);
	assert_int_equal(x.cwnd, 1);
	xport_destroy(&x);
}

static void
test_wrap(void **state)
{
	struct xport x;
	struct rec r;
	unsigned i;

	(void)state;
	setup(&x, &r, NULL);
	x.ns = x.una = x.sent_upto = 65534;
	x.nr = 65533;
	x.cwnd = 4;
	for (i = 0; i < 4; i++)
		assert_int_equal(our_send(&x, i, 0), 0);
	assert_int_equal(r.nsent, 4);
	assert_int_equal(r.sent[0].ns, 65534);
	assert_int_equal(r.sent[1].ns, 65535);
	assert_int_equal(r.sent[2].ns, 0);
	assert_int_equal(r.sent[3].ns, 1);
	assert_int_equal(r.sent[0].nr, 65533);
	/* Nr past what we sent, across the wrap: ignored. */
	assert_int_equal(peer_zlb(&x, 0, 5, 10), XPORT_RX_ZLB);
	assert_int_equal(xport_unacked(&x), 4);
	assert_int_equal(peer_zlb(&x, 0, 0, 10), XPORT_RX_ZLB);
	assert_int_equal(xport_unacked(&x), 2);
	assert_int_equal(peer_zlb(&x, 0, 2, 10), XPORT_RX_ZLB);
	assert_int_equal(xport_unacked(&x), 0);
	/* Receive 65535 and 0 early, then 65533, 65534. */
	assert_int_equal(peer_msg(&x, 0, 2, 3, 20), XPORT_RX_HELD);
	assert_int_equal(peer_msg(&x, 65535, 2, 2, 20), XPORT_RX_HELD);
	assert_int_equal(peer_msg(&x, 65533, 2, 0, 20), XPORT_RX_DELIVERED);
	assert_int_equal(peer_msg(&x, 65534, 2, 1, 20), XPORT_RX_DELIVERED);
	assert_int_equal(r.ndelivered, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(r.delivered[i], i);
	assert_int_equal(x.nr, 1);
	assert_int_equal(peer_msg(&x, 65535, 2, 2, 30), XPORT_RX_DUPLICATE);
	assert_int_equal(r.sent[r.nsent - 1].nr, 1);
	assert_int_equal(r.sent[r.nsent - 1].ns, 2);
	xport_destroy(&x);
}

static void
test_set_peer_ring(void **state)
{
	struct xport x;
	struct rec r;
	unsigned i;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(x.ring_size, 4);
	x.cwnd = 4;
	for (i = 0; i < 6; i++)
		assert_int_equal(our_send(&x, i, 0), 0);
	assert_int_equal(r.nsent, 4);
	/* A huge advertised window: the ring is capped, in-flight messages
	 * survive the resize and are still retransmitted and acked. */
	xport_set_peer(&x, 99, 65535);
	assert_int_equal(x.ring_size, XPORT_RING_MAX);
	assert_int_equal(x.ssthresh, XPORT_RING_MAX);
	xport_timeout(&x, 1000);
	assert_int_equal(r.sent[r.nsent - 1].ns, 0);
	assert_int_equal(r.sent[r.nsent - 1].tag, 0);
	assert_int_equal(peer_zlb(&x, 0, 3, 1100), XPORT_RX_ZLB);
	/* Shrinking below what is in flight (Ns 3..5) keeps them all. */
	xport_set_peer(&x, 99, 1);
	assert_int_equal(x.ring_size, 3);
	assert_int_equal(x.cwnd, 1);
	assert_int_equal(peer_zlb(&x, 0, 6, 1200), XPORT_RX_ZLB);
	assert_int_equal(xport_unacked(&x), 0);
	assert_int_equal(r.nsent, 7);
	for (i = 0; i < 6; i++)
		assert_int_equal(our_send(&x, 6 + i, 1300), 0);
	assert_int_equal(xport_unacked(&x), 6);
	assert_int_equal(r.nsent, 8); /* window 1 */
	xport_destroy(&x);	      /* frees ring + queue */
}

/* ---- Hello on silence ---- */

static void
test_idle(void **state)
{
	struct xport_config c;
	struct xport x;
	struct rec r;

	(void)state;
	setup(&x, &r, NULL);
	assert_int_equal(xport_next_deadline(&x), 60000);
	xport_timeout(&x, 59999);
	assert_int_equal(r.nidle, 0);
	xport_timeout(&x, 60000);
	assert_int_equal(r.nidle, 1);
	xport_timeout(&x, 60001);
	assert_int_equal(r.nidle, 1); /* once per silence period */
	assert_int_equal(xport_next_deadline(&x), 120000);
	xport_timeout(&x, 120000);
	assert_int_equal(r.nidle, 2); /* re-armed */
	/* Traffic (even a ZLB) postpones it. */
	assert_int_equal(peer_zlb(&x, 0, 0, 150000), XPORT_RX_ZLB);
	xport_timeout(&x, 180000);
	assert_int_equal(r.nidle, 2);
	assert_int_equal(xport_next_deadline(&x), 210000);
	xport_timeout(&x, 210000);
	assert_int_equal(r.nidle, 3);
	xport_destroy(&x);

	xport_config_defaults(&c);
	c.hello_ms = 0;
	setup(&x, &r, &c);
	assert_int_equal(xport_next_deadline(&x), TIME_NEVER);
	xport_timeout(&x, 10000000);
	assert_int_equal(r.nidle, 0);
	xport_destroy(&x);
}

/* ---- two engines through a lossy, reordering link ---- */

#define LINK_MSGS 500
#define LINK_MAXQ 4096

struct lpkt {
	uint64_t at;
	int to;
	size_t len;
	uint8_t data[MSGLEN];
};

struct end;

struct link {
	struct lpkt q[LINK_MAXQ];
	unsigned n;
	uint32_t rng;
	uint64_t now;
	unsigned lost, duplicated;
	unsigned loss_pct, dup_pct, jitter_ms;
	struct end *ends[2];
};

struct end {
	struct link *link;
	int side;
	struct xport x;
	uint32_t next_tx, next_rx;
	unsigned nfailed;
};

static uint32_t
rnd(struct link *l)
{
	/* xorshift32: deterministic, good enough for loss decisions */
	l->rng ^= l->rng << 13;
	l->rng ^= l->rng >> 17;
	l->rng ^= l->rng << 5;
	return l->rng;
}

static void
link_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct end *e = ctx;
	struct link *l = e->link;
	struct lpkt *p;

	assert_true(len <= MSGLEN);
	if (rnd(l) % 100 < l->loss_pct) {
		l->lost++;
		return;
	}
	/* a network may also duplicate: the copy takes its own path */
	for (int copies = rnd(l) % 100 < l->dup_pct ? 2 : 1; copies > 0;
	     copies--) {
		assert_true(l->n < LINK_MAXQ);
		p = &l->q[l->n++];
		p->at = l->now + 1 + rnd(l) % l->jitter_ms; /* reorders */
		p->to = !e->side;
		p->len = len;
		memcpy(p->data, pkt, len);
		if (copies == 2)
			l->duplicated++;
	}
}

static void
link_deliver(void *ctx, const uint8_t *pkt, size_t len)
{
	struct end *e = ctx;

	assert_int_equal(len, MSGLEN);
	/* from the other side, in order */
	assert_int_equal(get32(pkt + 12),
	    (uint32_t)!e->side << 16 | e->next_rx);
	e->next_rx++;
}

static void
link_failed(void *ctx)
{
	((struct end *)ctx)->nfailed++;
}

static void
link_idle(void *ctx)
{
	(void)ctx;
}

static const struct xport_ops link_ops = {
	.send = link_send,
	.deliver = link_deliver,
	.failed = link_failed,
	.idle = link_idle,
};

static void
link_fill(struct end *e)
{
	uint8_t m[MSGLEN];

	while (e->next_tx < LINK_MSGS) {
		mk_msg(m, 0, 0, (uint32_t)e->side << 16 | e->next_tx);
		if (xport_send(&e->x, m, sizeof(m), e->link->now) != 0)
			break;
		e->next_tx++;
	}
}

/* One run of LINK_MSGS messages each way through the link; every message
 * must be delivered exactly once and in order (link_deliver checks the
 * order, rx_msgs the count), starting at sequence number `start`. */
struct link_case {
	unsigned loss_pct, dup_pct, jitter_ms;
	uint32_t seed;
	uint16_t start;
};

static void
run_link(const struct link_case *lc)
{
	static struct link l;
	struct end ends[2];
	struct xport_config c;
	struct l2tp_hdr h;
	struct lpkt p;
	uint64_t next;
	unsigned i, best, steps = 0;
	int s;

	memset(&l, 0, sizeof(l));
	memset(ends, 0, sizeof(ends));
	l.rng = lc->seed;
	l.loss_pct = lc->loss_pct;
	l.dup_pct = lc->dup_pct;
	l.jitter_ms = lc->jitter_ms;
	xport_config_defaults(&c);
	c.hello_ms = 0;
	c.retransmit_max = 30; /* 20% loss must not kill the tunnel */
	c.max_queue = 16;
	for (s = 0; s < 2; s++) {
		ends[s].link = &l;
		ends[s].side = s;
		l.ends[s] = &ends[s];
		assert_int_equal(xport_init(&ends[s].x, &c, &link_ops, &ends[s],
				     0),
		    0);
		xport_set_peer(&ends[s].x, (uint16_t)(100 + s), 8);
		ends[s].x.ns = ends[s].x.una = ends[s].x.sent_upto = lc->start;
		ends[s].x.nr = lc->start;
	}
	while (ends[0].next_rx < LINK_MSGS || ends[1].next_rx < LINK_MSGS ||
	    xport_unacked(&ends[0].x) || xport_unacked(&ends[1].x)) {
		assert_true(++steps < 1000000);
		for (s = 0; s < 2; s++)
			link_fill(&ends[s]);
		next = time_min(xport_next_deadline(&ends[0].x),
		    xport_next_deadline(&ends[1].x));
		best = l.n;
		for (i = 0; i < l.n; i++)
			if (l.q[i].at <= next &&
			    (best == l.n || l.q[i].at < l.q[best].at))
				best = i;
		assert_true(best < l.n || next != TIME_NEVER);
		if (best < l.n) {
			p = l.q[best];
			l.q[best] = l.q[--l.n];
			l.now = p.at;
			mk_hdr(p.data, p.len, &h);
			(void)xport_input(&ends[p.to].x, &h, p.data, p.len,
			    l.now);
		} else {
			l.now = next;
			for (s = 0; s < 2; s++)
				xport_timeout(&ends[s].x, l.now);
		}
		assert_int_equal(ends[0].nfailed + ends[1].nfailed, 0);
	}
	for (s = 0; s < 2; s++) {
		assert_int_equal(ends[s].next_rx, LINK_MSGS);
		assert_int_equal(ends[s].x.stats.rx_msgs, LINK_MSGS);
		assert_int_equal(ends[s].x.stats.tx_msgs, LINK_MSGS);
		if (lc->loss_pct > 0)
			assert_true(ends[s].x.stats.retransmits > 0);
		if (lc->dup_pct > 0)
			assert_true(ends[s].x.stats.rx_duplicates > 0);
		xport_destroy(&ends[s].x);
	}
	if (lc->loss_pct >= 20)
		assert_true(l.lost > 100);
	if (lc->dup_pct > 0)
		assert_true(l.duplicated > 50);
}

/* RFC 2661 §5.8 over a bad network: loss, reordering (jitter far above the
 * spacing of a burst), duplication, and across the sequence wrap. */
static void
test_lossy_link(void **state)
{
	static const struct link_case cases[] = {
		{ 20, 0, 40, 0x12345678, 0 }, { 20, 10, 40, 0x9e3779b9, 0 },
		{ 30, 0, 200, 0xdeadbeef, 0 },
		{ 20, 10, 80, 0x0badf00d, 65500 }, /* wraps */
		{ 0, 30, 80, 0x31415926, 0 },	   /* duplicates only */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_link(&cases[i]);
}

/* A message waiting for the window has not been sent; it counts as sent
 * once an ack lets it out (the ICCN of a call, RFC 2661 §7.4.1). */
static void
test_was_sent(void **state)
{
	struct xport_config cfg;
	struct xport x;
	struct rec r;
	uint16_t first, second;

	(void)state;
	xport_config_defaults(&cfg);
	cfg.peer_rwin = 1;
	setup(&x, &r, &cfg);
	first = xport_next_ns(&x);
	assert_int_equal(our_send(&x, 1, 0), 0);
	second = xport_next_ns(&x);
	assert_int_equal(second, (uint16_t)(first + 1));
	assert_int_equal(our_send(&x, 2, 0), 0);
	assert_true(xport_was_sent(&x, first));
	assert_false(xport_was_sent(&x, second)); /* window of 1 */
	assert_int_equal(r.nsent, 1);
	peer_zlb(&x, 0, second, 10); /* acks the first */
	assert_true(xport_was_sent(&x, second));
	assert_int_equal(r.nsent, 2);
	assert_int_equal(r.sent[1].tag, 2);
	xport_destroy(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_table),
		cmocka_unit_test(test_was_sent),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_in_order_delayed_zlb),
		cmocka_unit_test(test_ack_batch),
		cmocka_unit_test(test_flush_ack),
		cmocka_unit_test(test_piggyback),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_out_of_window),
		cmocka_unit_test(test_retransmit_backoff_and_fail),
		cmocka_unit_test(test_ack_stops_retransmit),
		cmocka_unit_test(test_window_and_queue),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test(test_slow_start_and_halving),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_set_peer_ring),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_lossy_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
