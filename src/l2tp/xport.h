/*
 * xport.h — reliable delivery of one tunnel's control channel.
 *
 * RFC 2661 §5.8 and Appendix A as a sans-I/O engine: it never touches a
 * socket or reads the clock; every entry point takes `now` (ms, monotonic)
 * and output leaves through struct xport_ops.  Data messages never come here.
 *
 * Sending: xport_send() takes an encoded control message (12-byte header with
 * T/L/S set, any Ns/Nr), stamps Ns (next send sequence) and Nr (next expected)
 * into bytes 8..11 and transmits it at once if the send window allows, else
 * queues it (bounded).  The window is min(cwnd, peer Receive Window Size);
 * cwnd follows Appendix A: slow start from 1 up to ssthresh, then congestion
 * avoidance (+1 per cwnd acks); a retransmission timeout halves ssthresh and
 * resets cwnd to 1.  Unacked messages wait in a ring of window-size slots;
 * each retransmission doubles the timeout (capped at rto_max_ms); after
 * retransmit_max tries without an ack, ops->failed() is called once.
 *
 * Receiving: xport_input() is given every control datagram of the tunnel
 * (header already decoded).  Nr acknowledges our messages.  A message with
 * Ns == next expected is delivered (ops->deliver) and any queued successors
 * after it; one ahead of that but within our receive window is held (a
 * bounded reorder queue) until the gap fills; one behind (already seen) is a
 * duplicate: not delivered, but acked at once with a ZLB (§5.8) since our
 * earlier ack may have been lost.  ZLBs carry only Nr.  Acks for delivered
 * messages are delayed by ack_delay_ms and piggy-backed on any message sent
 * meanwhile; otherwise a ZLB goes out when the delay expires — or at once
 * when a quarter of our receive window (at least 2, at most all of it) waits
 * for an ack, so that a sender whose window has reached that batch (full,
 * or grown by acks, Appendix A) is not paced by our timer.
 *
 * Sequence numbers wrap at 65535; comparisons use the signed 16-bit
 * difference (seq_lt/seq_gt).
 *
 * Callbacks: deliver() and idle() may call xport_send() (a reply sent from
 * deliver() piggy-backs the ack) but must not destroy the xport; failed()
 * may, as xport_timeout() touches nothing after it.  Once failed, nothing
 * more is transmitted or retransmitted and xport_send() returns -1.
 * Tests may set ns = una = sent_upto and nr right after xport_init() to
 * start elsewhere in the sequence space (e.g. near the wrap).
 */
#ifndef VPDN_L2TP_XPORT_H
#define VPDN_L2TP_XPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tp/msg.h"

static inline bool
seq_lt(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) < 0;
}

static inline bool
seq_gt(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) > 0;
}

/* §5.8: the smallest back-off cap the RFC allows. */
#define XPORT_RTO_CAP_MIN_MS 8000

struct xport_config {
	uint16_t our_rwin;  /* our Receive Window Size AVP (reorder bound) */
	uint16_t peer_rwin; /* peer's RWS AVP; 4 if it sent none (§4.4.3) */
	unsigned retransmit_max; /* tries before failed(); default 5 */
	unsigned rto_initial_ms; /* first retransmission timeout; 1000 */
	unsigned rto_max_ms;	 /* back-off cap; 8000, raised to at
					 * least XPORT_RTO_CAP_MIN_MS (§5.8) */
	unsigned ack_delay_ms;	 /* delay before a lone ZLB ack; 100 */
	unsigned hello_ms;	 /* silence before ops->idle(); 0 disables */
	unsigned max_queue;	 /* messages waiting for window; 64 */
};

void xport_config_defaults(struct xport_config *c);

struct xport_ops {
	/* Transmit one datagram (control message or ZLB) to the peer. */
	void (*send)(void *ctx, const uint8_t *pkt, size_t len);
	/* An in-order, non-ZLB control message for the FSM; the buffer is
	 * valid only during the call. */
	void (*deliver)(void *ctx, const uint8_t *pkt, size_t len);
	/* retransmit_max reached for some message: the peer is gone. */
	void (*failed)(void *ctx);
	/* Nothing received for hello_ms: the owner should send a HELLO. */
	void (*idle)(void *ctx);
};

struct xport_stats {
	uint64_t tx_msgs; /* first transmissions (no ZLB, no retransmit) */
	uint64_t rx_msgs; /* messages delivered */
	uint64_t tx_zlb, rx_zlb;
	uint64_t retransmits;
	uint64_t rx_duplicates;
	uint64_t rx_out_of_order;  /* held in the reorder queue */
	uint64_t rx_out_of_window; /* dropped */
	uint64_t tx_queue_full;	   /* xport_send refused */
};

/* Ring size cap: a peer may advertise a window of 65535 before it is
 * authenticated; we never keep more than this many messages in flight
 * (see xport_set_peer in xport.c). */
#define XPORT_RING_MAX 256

struct xport_slot;    /* retransmit ring entry, private */
struct xport_held;    /* reorder queue entry, private */
struct xport_pending; /* wait-for-window queue entry, private */

enum xport_rx {
	XPORT_RX_DELIVERED,	/* delivered (with any queued successors) */
	XPORT_RX_ZLB,		/* a ZLB: acks processed, nothing to deliver */
	XPORT_RX_DUPLICATE,	/* already seen: acked again, not delivered */
	XPORT_RX_HELD,		/* ahead of sequence: held for reordering */
	XPORT_RX_OUT_OF_WINDOW, /* too far ahead: dropped */
};

struct xport {
	struct xport_config cfg;
	const struct xport_ops *ops;
	void *ctx;
	uint16_t peer_tunnel_id; /* written into ZLBs */

	uint16_t ns;	    /* next Ns to assign */
	uint16_t nr;	    /* next Ns expected from peer */
	uint16_t una;	    /* oldest unacked Ns we sent */
	uint16_t sent_upto; /* Ns of the first not-yet-sent message */
	uint16_t peer_next; /* the peer's next Ns, as it announced */

	unsigned cwnd, ssthresh, acked_in_ca;

	struct xport_slot *ring; /* peer_rwin slots, by Ns % size */
	uint16_t ring_size;
	struct xport_pending *pending_head, *pending_tail;
	unsigned pending_count;
	struct xport_held *held; /* reorder queue, sorted by Ns */
	unsigned held_count;

	uint64_t ack_due;    /* TIME_NEVER when no ack owed */
	uint16_t rx_unacked; /* delivered since our Nr last left */
	uint64_t last_rx;    /* for Hello on silence */
	uint64_t hello_due;
	bool failed;

	struct xport_stats stats;
};

/* Returns -1 on allocation failure. */
int xport_init(struct xport *x, const struct xport_config *cfg,
    const struct xport_ops *ops, void *ctx, uint64_t now)
    __attribute__((warn_unused_result));
void xport_destroy(struct xport *x);
/* A Hello interval other than the configuration's (0 disables), from now. */
void xport_set_hello(struct xport *x, unsigned hello_ms, uint64_t now);
/* How long a message may be retransmitted before failed(): the sum of the
 * first timeout and the capped back-offs (RFC 2661 §5.8). */
uint64_t xport_give_up_ms(const struct xport_config *cfg);
/* Learned from SCCRQ/SCCRP (Assigned Tunnel ID, Receive Window Size).
 * Resizes the retransmit ring to min(peer_rwin, XPORT_RING_MAX) slots and
 * resets ssthresh to the window (Appendix A); peer_rwin 0 counts as 1. */
void xport_set_peer(struct xport *x, uint16_t peer_tunnel_id,
    uint16_t peer_rwin);
/* Returns -1 when the queue is full, after failed(), on a message shorter
 * than the control header, or on allocation failure (message not taken). */
int xport_send(struct xport *x, const uint8_t *msg, size_t len, uint64_t now)
    __attribute__((warn_unused_result));
enum xport_rx xport_input(struct xport *x, const struct l2tp_hdr *h,
    const uint8_t *pkt, size_t len, uint64_t now);
/* Runs whatever is due at `now`: retransmissions, delayed ack, idle. */
void xport_timeout(struct xport *x, uint64_t now);
uint64_t xport_next_deadline(const struct xport *x);
/* Sends a pending delayed ack now (e.g. before tearing the tunnel down). */
void xport_flush_ack(struct xport *x);
/* The Ns the next xport_send() will give its message. */
uint16_t xport_next_ns(const struct xport *x);
/* Whether the message given Ns has been transmitted at least once (not
 * merely queued waiting for the send window). */
bool xport_was_sent(const struct xport *x, uint16_t ns);
/* Messages sent or queued but not yet acknowledged by the peer. */
unsigned xport_unacked(const struct xport *x);
/* Nothing left to exchange: all we sent is acked, we owe no ack, and the
 * peer announced (by the Ns of its last message or ZLB) nothing we have
 * not received.  What a StopCCN sender waits for before it may go. */
bool xport_settled(const struct xport *x);
const char *xport_rx_str(enum xport_rx r);

#endif
