/*
 * data_hdr.h — the L2TP data message header (RFC 2661 §3.1) and data
 * channel sequencing (§5.4), for the per-packet path: the one codec the
 * host (host.c, session.c) decodes and builds every data message with.
 *
 * Building writes the header into the headroom in front of a payload that is
 * already in place (a PPP frame read from a TUN device at buf + headroom), so
 * nothing is copied: data_hdr_push() returns the start of the datagram.  What
 * we send is the compact form: T=0, L=0, O=0, and S only when sequencing is
 * on, i.e. 6 or 10 bytes.  Parsing accepts every legal data header (L, O and
 * P included) and hands back where the PPP frame is.
 *
 * Sequencing state uses the Linux kernel's names (net/l2tp/l2tp_core.c):
 * `send_seq` (we put Ns in what we send), `recv_seq` (Ns is required in what
 * we receive: Sequencing Required AVP, §4.4.6), `lns_mode` (we are the LNS, so
 * the peer's choice does not switch our sending), `ns`/`nr`.
 */
#ifndef VPDN_L2TP_DATA_HDR_H
#define VPDN_L2TP_DATA_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATA_HDR_MIN 6	/* flags, tunnel id, session id */
#define DATA_HDR_SEQ 10 /* ... + Ns, Nr */
/* Headroom a caller must leave in front of a payload for data_hdr_push(). */
#define DATA_HDR_MAX DATA_HDR_SEQ

/* Part of every session (struct l2tp_session), hence 32-bit counters and
 * no padding: 16 bytes. */
struct data_seq {
	uint32_t rx_seq_discards; /* stale/duplicate or missing Ns */
	uint32_t rx_seq_lost;	  /* gaps seen in the peer's Ns */
	bool send_seq;		  /* S=1 with Ns on transmit */
	bool recv_seq;		  /* received data must carry Ns */
	bool lns_mode;		  /* we control sequencing (§5.4) */
	bool nr_valid;		  /* an Ns has been received */
	uint16_t ns;		  /* next Ns to send */
	uint16_t nr;		  /* next Ns expected */
};

/*
 * Sets up sequencing for a new session.  `required` is true when either side
 * sent Sequencing Required (§4.4.6: "sequence numbers MUST be present at all
 * times"); then both send_seq and recv_seq are on for the whole session.
 */
void data_seq_init(struct data_seq *sq, bool lns_mode, bool required);

/*
 * Sets up sequencing decided once at call setup, as the daemon's sessions
 * use it: S and Ns on everything we send iff `send_seq` (Sequencing Required
 * sent or received, §4.4.6), whatever the peer sends later; a received Ns is
 * checked when present (stale ones are discarded, §5.4), and a data message
 * without one is delivered and changes nothing.
 */
void data_seq_init_fixed(struct data_seq *sq, bool send_seq);

/*
 * Writes a data header for (tunnel_id, session_id) — the peer's IDs, §3.1:
 * "Tunnel ID in each message is that of the intended recipient" — in the
 * bytes just before `payload`, of which `headroom` are available.  With
 * sq != NULL and sq->send_seq, S is set and sq->ns advances; Nr is written as
 * 0 (§3.1: "In data messages, Nr is reserved").  `priority` sets P (§3.1,
 * for LCP Echo keepalives).  Returns the start of the header (the datagram is
 * payload_len + (payload - returned) bytes), or NULL if headroom is short.
 */
uint8_t *data_hdr_push(uint8_t *payload, size_t headroom, uint16_t tunnel_id,
    uint16_t session_id, struct data_seq *sq, bool priority);

struct data_hdr {
	uint16_t tunnel_id;
	uint16_t session_id;
	bool has_seq;
	bool priority;
	uint16_t ns;	      /* when has_seq; Nr is ignored (§3.1) */
	uint16_t payload_off; /* first byte of the PPP frame */
	uint16_t payload_len;
};

enum data_hdr_status {
	DATA_HDR_OK = 0,
	DATA_HDR_CONTROL,     /* T=1: not ours, give it to the control path */
	DATA_HDR_TRUNCATED,   /* shorter than the header it announces */
	DATA_HDR_BAD_VERSION, /* Ver != 2: discard (§3.1) */
	DATA_HDR_BAD_LENGTH,  /* Length field > datagram or < header */
};

/* Parses the header of a received datagram; same verdicts as
 * l2tp_hdr_decode() for data messages, without copying anything. */
enum data_hdr_status data_hdr_parse(const uint8_t *pkt, size_t len,
    struct data_hdr *h);
const char *data_hdr_status_str(enum data_hdr_status st);

enum data_seq_verdict {
	DATA_SEQ_ACCEPT = 0,
	DATA_SEQ_STALE,	  /* Ns older than one already delivered */
	DATA_SEQ_MISSING, /* no Ns although sequencing is required */
};

/*
 * Applies §5.4 to one received data message: returns whether to deliver it
 * and updates sq (including send_seq: a LAC/client follows the LNS — "if the
 * LAC receives a data message without sequence numbers present, it MUST stop
 * sending sequence numbers ...  with sequence numbers present, it MUST begin
 * sending").  Discards are counted in sq->rx_seq_discards.
 */
enum data_seq_verdict data_seq_rx(struct data_seq *sq,
    const struct data_hdr *h);
const char *data_seq_verdict_str(enum data_seq_verdict v);

#endif
