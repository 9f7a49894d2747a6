/*
 * xport.c — RFC 2661 §5.8 reliable delivery of one tunnel's control channel,
 * with Appendix A slow start and congestion avoidance.  Sans-I/O: see xport.h.
 *
 * Sequence space of our side, in order:
 *
 *	una ........ sent_upto ........ ns
 *	 [ in flight ][ waiting (pending) )
 *
 * Ns is assigned (and stamped) when xport_send() takes a message, so the
 * pending queue already holds [sent_upto, ns).  Nr is stamped at every
 * (re)transmission so each copy carries the freshest acknowledgement.
 * Messages in flight live in x->ring, indexed by Ns % ring_size; at most
 * ring_size are in flight so indices never collide.
 */
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "l2tp/xport.h"

/* A copy of one outgoing control message, from xport_send() until acked. */
struct xport_pending {
	struct xport_pending *next;
	uint16_t ns;
	size_t len;
	uint8_t data[];
};

/* One in-flight message: the retransmit ring entry. */
struct xport_slot {
	struct xport_pending *msg; /* NULL when free */
	uint64_t deadline;	   /* next retransmission */
	unsigned rto;		   /* current timeout, doubles */
	unsigned tries;		   /* retransmissions so far */
};

/* A received message ahead of sequence, kept until the gap fills. */
struct xport_held {
	struct xport_held *next;
	uint16_t ns;
	size_t len;
	uint8_t data[];
};

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
xport_config_defaults(struct xport_config *c)
{
	memset(c, 0, sizeof(*c));
	c->our_rwin = 16;
	/* RFC 2661 §4.4.3: a peer that sends no Receive Window Size AVP
	 * gets a window of 4. */
	c->peer_rwin = 4;
	/* RFC 2661 §5.8: "a recommended default is 5", 1 s first timeout. */
	c->retransmit_max = 5;
	c->rto_initial_ms = 1000;
	/* RFC 2661 §5.8: a cap on the interval "MUST be no less than 8 s". */
	c->rto_max_ms = 8000;
	c->ack_delay_ms = 100;
	c->hello_ms = 60000;
	c->max_queue = 64;
}

static uint16_t
ring_size_for(uint16_t peer_rwin)
{
	if (peer_rwin == 0) /* §5.8: 0 is invalid; be safe anyway */
		return 1;
	return peer_rwin < XPORT_RING_MAX ? peer_rwin : XPORT_RING_MAX;
}

static unsigned
in_flight(const struct xport *x)
{
	return (uint16_t)(x->sent_upto - x->una);
}

/* The most we may ever have in flight: the peer's window (§5.8), limited by
 * our ring.  cwnd never exceeds it (Appendix A). */
static unsigned
max_window(const struct xport *x)
{
	unsigned w = x->cfg.peer_rwin ? x->cfg.peer_rwin : 1;

	return w < x->ring_size ? w : x->ring_size;
}

static unsigned
send_window(const struct xport *x)
{
	unsigned w = max_window(x);

	return x->cwnd < w ? x->cwnd : w;
}

/* The settings as the engine applies them. */
static void
xport_config_fix(struct xport_config *c)
{
	if (c->peer_rwin == 0)
		c->peer_rwin = 4;
	if (c->our_rwin == 0)
		c->our_rwin = 1;
	if (c->rto_initial_ms == 0)
		c->rto_initial_ms = 1;
	/* RFC 2661 §5.8: "An implementation MAY place a cap upon the maximum
	 * interval between retransmissions.  This cap MUST be no less than
	 * 8 seconds per retransmission." */
	if (c->rto_max_ms < XPORT_RTO_CAP_MIN_MS)
		c->rto_max_ms = XPORT_RTO_CAP_MIN_MS;
	if (c->rto_max_ms < c->rto_initial_ms)
		c->rto_max_ms = c->rto_initial_ms;
}

/*
 * From a message's first transmission to failed(): the first timeout,
 * then one per retransmission, each doubled and capped as
 * xport_timeout() does (§5.8).  1+2+4+8+8+8 = 31 s for the defaults, the
 * "full retransmission cycle" of §5.7.
 */
uint64_t
xport_give_up_ms(const struct xport_config *cfg)
{
	struct xport_config c = *cfg;
	uint64_t sum = 0, rto;

	xport_config_fix(&c);
	rto = c.rto_initial_ms;
	for (unsigned i = 0; i <= c.retransmit_max; i++) {
		sum += rto;
		rto = rto * 2 < c.rto_max_ms ? rto * 2 : c.rto_max_ms;
	}
	return sum;
}

void
xport_set_hello(struct xport *x, unsigned hello_ms, uint64_t now)
{
	x->cfg.hello_ms = hello_ms;
	x->hello_due = hello_ms ? now + hello_ms : TIME_NEVER;
}

int
xport_init(struct xport *x, const struct xport_config *cfg,
    const struct xport_ops *ops, void *ctx, uint64_t now)
{
	memset(x, 0, sizeof(*x));
	x->cfg = *cfg;
	xport_config_fix(&x->cfg);
	x->ops = ops;
	x->ctx = ctx;
	x->ring_size = ring_size_for(x->cfg.peer_rwin);
	x->ring = calloc(x->ring_size, sizeof(*x->ring));
	if (x->ring == NULL)
		return -1;
	/* Appendix A: "CWND is initialized to one packet, and SSTHRESH is
	 * initialized to the advertised window". */
	x->cwnd = 1;
	x->ssthresh = max_window(x);
	x->ack_due = TIME_NEVER;
	x->last_rx = now;
	x->hello_due = x->cfg.hello_ms ? now + x->cfg.hello_ms : TIME_NEVER;
	return 0;
}

void
xport_destroy(struct xport *x)
{
	struct xport_pending *p;
	struct xport_held *h;
	unsigned i;

	if (x->ring != NULL) {
		for (i = 0; i < x->ring_size; i++)
			free(x->ring[i].msg);
		free(x->ring);
		x->ring = NULL;
	}
	while ((p = x->pending_head) != NULL) {
		x->pending_head = p->next;
		free(p);
	}
	x->pending_tail = NULL;
	x->pending_count = 0;
	while ((h = x->held) != NULL) {
		x->held = h->next;
		free(h);
	}
	x->held_count = 0;
}

/*
 * The ring holds at most XPORT_RING_MAX slots although a peer may advertise
 * a window of up to 65535: the peer is not authenticated yet when it sends
 * SCCRQ, and a per-tunnel allocation sized by its word would be a cheap
 * memory attack.  Control traffic never needs hundreds of messages in
 * flight; §5.8 only requires us to use a window of 4.  The send window is
 * min(cwnd, peer_rwin, ring_size), so a capped ring merely sends less.
 */
void
xport_set_peer(struct xport *x, uint16_t peer_tunnel_id, uint16_t peer_rwin)
{
	struct xport_slot *nring;
	uint16_t size, s;
	unsigned n, i;

	x->peer_tunnel_id = peer_tunnel_id;
	x->cfg.peer_rwin = peer_rwin ? peer_rwin : 1;
	size = ring_size_for(x->cfg.peer_rwin);
	n = in_flight(x);
	if (size < n) /* window shrank below what is in flight */
		size = (uint16_t)n;
	if (size != x->ring_size) {
		nring = calloc(size, sizeof(*nring));
		if (nring != NULL) {
			for (i = 0; i < n; i++) {
				s = (uint16_t)(x->una + i);
				nring[s % size] = x->ring[s % x->ring_size];
			}
			free(x->ring);
			x->ring = nring;
			x->ring_size = size;
		}
		/* On allocation failure the old ring stays: max_window()
		 * keeps us within it. */
	}
	/* Appendix A: SSTHRESH starts at the advertised window. */
	x->ssthresh = max_window(x);
	if (x->cwnd > max_window(x))
		x->cwnd = max_window(x);
}

static void
send_zlb(struct xport *x)
{
	uint8_t zlb[L2TP_CTRL_HDR_LEN];

	/* RFC 2661 §5.8: the ZLB takes no slot in the sequence space, so its
	 * Ns is the next one the peer will see from us; Nr is the ack. */
	put16(zlb, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | L2TP_VERSION);
	put16(zlb + 2, L2TP_CTRL_HDR_LEN);
	put16(zlb + 4, x->peer_tunnel_id);
	put16(zlb + 6, 0);
	put16(zlb + L2TP_CTRL_NS_OFF, x->sent_upto);
	put16(zlb + L2TP_CTRL_NR_OFF, x->nr);
	x->ack_due = TIME_NEVER;
	x->rx_unacked = 0;
	x->stats.tx_zlb++;
	x->ops->send(x->ctx, zlb, sizeof(zlb));
}

/* (Re)transmits a message with the current Nr: RFC 2661 §5.8 "the Nr value
 * MUST be updated with the sequence number of the next expected message".
 * That piggy-backs any ack we owe, so the delayed ZLB is cancelled. */
static void
transmit(struct xport *x, struct xport_pending *m)
{
	put16(m->data + L2TP_CTRL_NR_OFF, x->nr);
	x->ack_due = TIME_NEVER;
	x->rx_unacked = 0;
	x->ops->send(x->ctx, m->data, m->len);
}

/* Moves waiting messages into flight while the window allows. */
static void
pump(struct xport *x, uint64_t now)
{
	struct xport_pending *m;
	struct xport_slot *s;

	while (!x->failed && x->pending_head != NULL &&
	    in_flight(x) < send_window(x)) {
		m = x->pending_head;
		x->pending_head = m->next;
		if (x->pending_head == NULL)
			x->pending_tail = NULL;
		x->pending_count--;
		m->next = NULL;
		s = &x->ring[m->ns % x->ring_size];
		s->msg = m;
		s->tries = 0;
		s->rto = x->cfg.rto_initial_ms;
		s->deadline = now + s->rto;
		x->sent_upto = (uint16_t)(m->ns + 1);
		x->stats.tx_msgs++;
		transmit(x, m);
	}
}

int
xport_send(struct xport *x, const uint8_t *msg, size_t len, uint64_t now)
{
	struct xport_pending *m;

	if (x->failed || len < L2TP_CTRL_HDR_LEN || len > L2TP_MAX_PACKET)
		return -1;
	/* max_queue bounds what waits for the window, not what is in flight. */
	if (x->pending_count >= x->cfg.max_queue &&
	    (x->pending_head != NULL || in_flight(x) >= send_window(x))) {
		x->stats.tx_queue_full++;
		return -1;
	}
	m = malloc(sizeof(*m) + len);
	if (m == NULL)
		return -1;
	m->next = NULL;
	m->len = len;
	memcpy(m->data, msg, len);
	/* RFC 2661 §5.8: "Each subsequent message is sent with the next
	 * increment of the sequence number", modulo 65536. */
	m->ns = x->ns;
	x->ns = (uint16_t)(x->ns + 1);
	put16(m->data + L2TP_CTRL_NS_OFF, m->ns);
	if (x->pending_tail != NULL)
		x->pending_tail->next = m;
	else
		x->pending_head = m;
	x->pending_tail = m;
	x->pending_count++;
	pump(x, now);
	return 0;
}

/* Appendix A: one more acknowledged message grows the congestion window. */
static void
cwnd_on_ack(struct xport *x)
{
	if (x->cwnd < x->ssthresh) {
		/* slow start: +1 per ACK, doubling per round trip */
		x->cwnd++;
	} else if (++x->acked_in_ca >= x->cwnd) {
		/* congestion avoidance: +1 after CWND new ACKs */
		x->cwnd++;
		x->acked_in_ca = 0;
	}
	if (x->cwnd > max_window(x))
		x->cwnd = max_window(x);
}

/* RFC 2661 §5.8: Nr is "the sequence number of the message the peer expects
 * to receive next"; every message of ours before it is acknowledged. */
static void
process_nr(struct xport *x, uint16_t nr, uint64_t now)
{
	struct xport_slot *s;

	/* Stale, or acking what we never sent: nothing to learn. */
	if (!seq_gt(nr, x->una) || seq_gt(nr, x->sent_upto))
		return;
	while (x->una != nr) {
		s = &x->ring[x->una % x->ring_size];
		free(s->msg);
		s->msg = NULL;
		x->una = (uint16_t)(x->una + 1);
		cwnd_on_ack(x);
	}
	/* The window advanced: restart the timer of the new oldest message
	 * (as TCP does on new acks) so it gets a full timeout of its own. */
	if (in_flight(x) > 0) {
		s = &x->ring[x->una % x->ring_size];
		s->deadline = now + s->rto;
	}
}

/*
 * How many delivered messages may wait for the delayed ack.  §5.8 leaves
 * the timing of a ZLB open; a peer sends at most our window unacked and
 * grows its congestion window one message per ack (Appendix A), so an ack
 * held for ack_delay_ms while a burst arrives would pace the peer's whole
 * control channel at one window per 100 ms.  A quarter of our window (TCP
 * acks every second segment, RFC 1122 §4.2.3.2, for the same reason) keeps
 * the ZLBs few and the sender moving.
 */
static unsigned
ack_batch(const struct xport *x)
{
	unsigned n = x->cfg.our_rwin / 4;

	if (n < 2)
		n = 2;
	if (n > x->cfg.our_rwin)
		n = x->cfg.our_rwin;
	return n > 0 ? n : 1;
}

static void
deliver_in_order(struct xport *x, const uint8_t *pkt, size_t len, uint64_t now)
{
	x->nr = (uint16_t)(x->nr + 1);
	/* Set before delivering: a reply sent from deliver() piggy-backs
	 * the ack and cancels it.  An ack already owed keeps its time. */
	if (x->ack_due == TIME_NEVER)
		x->ack_due = now + x->cfg.ack_delay_ms;
	x->rx_unacked++;
	x->stats.rx_msgs++;
	x->ops->deliver(x->ctx, pkt, len);
}

static void
hold(struct xport *x, uint16_t ns, const uint8_t *pkt, size_t len)
{
	struct xport_held **pp, *h;

	for (pp = &x->held; *pp != NULL && seq_lt((*pp)->ns, ns);
	     pp = &(*pp)->next)
		;
	if (*pp != NULL && (*pp)->ns == ns)
		return; /* a retransmission of one we hold */
	h = malloc(sizeof(*h) + len);
	if (h == NULL)
		return; /* the peer will retransmit it */
	h->ns = ns;
	h->len = len;
	memcpy(h->data, pkt, len);
	h->next = *pp;
	*pp = h;
	x->held_count++;
}

enum xport_rx
xport_input(struct xport *x, const struct l2tp_hdr *h, const uint8_t *pkt,
    size_t len, uint64_t now)
{
	struct xport_held *held;
	uint64_t sent;
	uint16_t ahead, next;

	if (!h->is_control || !h->has_seq) {
		/* msg.c rejects these (§3.1); never let one move state. */
		x->stats.rx_out_of_window++;
		return XPORT_RX_OUT_OF_WINDOW;
	}
	ahead = (uint16_t)(h->ns - x->nr);
	if (h->payload_len != 0 && !seq_lt(h->ns, x->nr) &&
	    ahead >= x->cfg.our_rwin) {
		/* Beyond our advertised Receive Window Size: the peer broke
		 * §5.8 or this is garbage.  Drop it whole, Nr included. */
		x->stats.rx_out_of_window++;
		return XPORT_RX_OUT_OF_WINDOW;
	}

	/* §5.8: a ZLB's Ns is the next one its sender will use, a message's
	 * Ns + 1 follows it: either way, what the peer has sent so far. */
	next = h->payload_len == 0 ? h->ns : (uint16_t)(h->ns + 1);
	if (seq_gt(next, x->peer_next))
		x->peer_next = next;

	/* Any message from the peer, ZLB or not, proves it is alive. */
	x->last_rx = now;
	if (x->cfg.hello_ms)
		x->hello_due = now + x->cfg.hello_ms;

	/* §5.8: the Nr of every message, ZLB, duplicate or held, flushes
	 * our retransmit queue. */
	process_nr(x, h->nr, now);

	if (h->payload_len == 0) {
		/* §5.8: a ZLB takes no sequence slot; its Ns says nothing. */
		x->stats.rx_zlb++;
		pump(x, now);
		return XPORT_RX_ZLB;
	}
	if (seq_lt(h->ns, x->nr)) {
		/* §5.8: "receipt of duplicate messages MUST be acknowledged"
		 * — our earlier ack may have been lost — "piggybacked on a
		 * message in queue, or explicitly via a ZLB ACK". */
		x->stats.rx_duplicates++;
		sent = x->stats.tx_msgs;
		pump(x, now);
		if (x->stats.tx_msgs == sent)
			send_zlb(x);
		return XPORT_RX_DUPLICATE;
	}
	if (ahead != 0) {
		/* §5.8: out-of-order messages "may be queued for in-order
		 * delivery when the missing messages are received". */
		x->stats.rx_out_of_order++;
		hold(x, h->ns, pkt, len);
		pump(x, now);
		return XPORT_RX_HELD;
	}

	deliver_in_order(x, pkt, len, now);
	while ((held = x->held) != NULL && held->ns == x->nr) {
		x->held = held->next;
		x->held_count--;
		deliver_in_order(x, held->data, held->len, now);
		free(held);
	}
	/* Messages freed by the ack leave now, carrying the new Nr. */
	pump(x, now);
	if (x->ack_due != TIME_NEVER && x->rx_unacked >= ack_batch(x))
		send_zlb(x);
	return XPORT_RX_DELIVERED;
}

void
xport_timeout(struct xport *x, uint64_t now)
{
	struct xport_slot *s;

	if (!x->failed && in_flight(x) > 0) {
		s = &x->ring[x->una % x->ring_size];
		if (s->deadline <= now) {
			if (s->tries >= x->cfg.retransmit_max) {
				/* §5.8: "If no peer response is detected
				 * after several retransmissions ... the
				 * tunnel and all sessions within MUST be
				 * cleared."  The owner may destroy x in
				 * failed(): touch nothing afterwards. */
				x->failed = true;
				x->ops->failed(x->ctx);
				return;
			}
			/* Appendix A: on a retransmission "one half of the
			 * CWND is saved in SSTHRESH, and CWND is set to
			 * one". */
			x->ssthresh = x->cwnd / 2 > 1 ? x->cwnd / 2 : 1;
			x->cwnd = 1;
			x->acked_in_ca = 0;
			/* §5.8: exponential backoff, capped (>= 8 s). */
			s->tries++;
			s->rto = s->rto * 2 < x->cfg.rto_max_ms ?
			    s->rto * 2 :
			    x->cfg.rto_max_ms;
			s->deadline = now + s->rto;
			x->stats.retransmits++;
			transmit(x, s->msg);
		}
	}
	if (x->ack_due <= now)
		send_zlb(x);
	if (!x->failed && x->cfg.hello_ms && x->hello_due <= now) {
		/* Re-armed first: one idle() per hello_ms of silence, and a
		 * HELLO sent from idle() must not see a stale deadline. */
		x->hello_due = now + x->cfg.hello_ms;
		x->ops->idle(x->ctx);
	}
}

uint64_t
xport_next_deadline(const struct xport *x)
{
	uint64_t t = x->ack_due;

	if (!x->failed && in_flight(x) > 0)
		t = time_min(t, x->ring[x->una % x->ring_size].deadline);
	if (!x->failed && x->cfg.hello_ms)
		t = time_min(t, x->hello_due);
	return t;
}

void
xport_flush_ack(struct xport *x)
{
	if (x->ack_due != TIME_NEVER)
		send_zlb(x);
}

uint16_t
xport_next_ns(const struct xport *x)
{
	return x->ns;
}

bool
xport_was_sent(const struct xport *x, uint16_t ns)
{
	/* [una, sent_upto) is in flight, before una acked: both have left;
	 * [sent_upto, ns) waits in the pending queue. */
	return seq_lt(ns, x->sent_upto);
}

unsigned
xport_unacked(const struct xport *x)
{
	return (uint16_t)(x->ns - x->una);
}

bool
xport_settled(const struct xport *x)
{
	return xport_unacked(x) == 0 && x->ack_due == TIME_NEVER &&
	    !seq_gt(x->peer_next, x->nr);
}

const char *
xport_rx_str(enum xport_rx r)
{
	switch (r) {
	case XPORT_RX_DELIVERED:
		return "delivered";
	case XPORT_RX_ZLB:
		return "ZLB";
	case XPORT_RX_DUPLICATE:
		return "duplicate";
	case XPORT_RX_HELD:
		return "held";
	case XPORT_RX_OUT_OF_WINDOW:
		return "out of window";
	}
	return "?";
}
