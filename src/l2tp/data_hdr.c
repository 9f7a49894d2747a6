/*
 * data_hdr.c — RFC 2661 §3.1 data header codec and §5.4 data sequencing.
 */
#include <string.h>

#include "core/buf.h"
#include "l2tp/data_hdr.h"
#include "l2tp/l2tp_proto.h"

void
data_seq_init(struct data_seq *sq, bool lns_mode, bool required)
{
	memset(sq, 0, sizeof(*sq));
	sq->lns_mode = lns_mode;
	/* §5.4: "If this AVP is present during session setup, sequence
	 * numbers MUST be present at all times."  Without it we start
	 * unsequenced: the LNS may turn it on, the LAC follows. */
	sq->send_seq = required;
	sq->recv_seq = required;
}

void
data_seq_init_fixed(struct data_seq *sq, bool send_seq)
{
	memset(sq, 0, sizeof(*sq));
	/* lns_mode: our sending is ours to decide, the peer's S bit does
	 * not switch it; recv_seq off: an unsequenced frame is delivered. */
	sq->lns_mode = true;
	sq->send_seq = send_seq;
}

uint8_t *
data_hdr_push(uint8_t *payload, size_t headroom, uint16_t tunnel_id,
    uint16_t session_id, struct data_seq *sq, bool priority)
{
	bool seq = sq != NULL && sq->send_seq;
	size_t hlen = seq ? DATA_HDR_SEQ : DATA_HDR_MIN;
	uint16_t flags = L2TP_VERSION;
	uint8_t *h;

	if (headroom < hlen)
		return NULL;
	h = payload - hlen;
	/* §3.1: T=0 (data), L=0 and O=0 (the UDP length suffices and we
	 * pad nothing); reserved x bits "MUST be set to 0". */
	if (seq)
		flags |= L2TP_HDR_S;
	if (priority)
		flags |= L2TP_HDR_P;
	put_be16(h, flags);
	put_be16(h + 2, tunnel_id);
	put_be16(h + 4, session_id);
	if (seq) {
		/* §3.1: Ns begins at zero and increments modulo 2^16;
		 * "In data messages, Nr is reserved". */
		put_be16(h + 6, sq->ns++);
		put_be16(h + 8, 0);
	}
	return h;
}

enum data_hdr_status
data_hdr_parse(const uint8_t *pkt, size_t len, struct data_hdr *h)
{
	uint16_t flags, length = 0, off = 2;
	size_t end, hend;

	if (len < 2)
		return DATA_HDR_TRUNCATED;
	flags = get_be16(pkt);
	/* §3.1: "Packets received with an unknown Ver field MUST be
	 * discarded" — checked first, as L2F (Ver 1) has a T bit too. */
	if ((flags & L2TP_HDR_VER_MASK) != L2TP_VERSION)
		return DATA_HDR_BAD_VERSION;
	if (flags & L2TP_HDR_T)
		return DATA_HDR_CONTROL;
	h->has_seq = (flags & L2TP_HDR_S) != 0;
	h->priority = (flags & L2TP_HDR_P) != 0;
	hend = 2 + ((flags & L2TP_HDR_L) ? 2 : 0) + 4 + (h->has_seq ? 4 : 0) +
	    ((flags & L2TP_HDR_O) ? 2 : 0);
	if (len < hend)
		return DATA_HDR_TRUNCATED;
	if (flags & L2TP_HDR_L) {
		length = get_be16(pkt + off);
		off += 2;
	}
	h->tunnel_id = get_be16(pkt + off);
	h->session_id = get_be16(pkt + off + 2);
	off += 4;
	h->ns = 0;
	if (h->has_seq) {
		/* Nr: "MUST be ignored upon receipt" in data (§3.1). */
		h->ns = get_be16(pkt + off);
		off += 4;
	}
	if (flags & L2TP_HDR_L) {
		/* "The Length field indicates the total length of the
		 * message": trailing link padding is not payload. */
		if (length > len || length < hend)
			return DATA_HDR_BAD_LENGTH;
		end = length;
	} else {
		if (len > L2TP_MAX_PACKET)
			return DATA_HDR_BAD_LENGTH;
		end = len;
	}
	/* §3.1: "the L2TP header ends after the last octet of the offset
	 * padding". */
	if (flags & L2TP_HDR_O)
		hend += get_be16(pkt + off);
	if (hend > end)
		return (flags & L2TP_HDR_L) ? DATA_HDR_BAD_LENGTH :
					      DATA_HDR_TRUNCATED;
	h->payload_off = (uint16_t)hend;
	h->payload_len = (uint16_t)(end - hend);
	return DATA_HDR_OK;
}

const char *
data_hdr_status_str(enum data_hdr_status st)
{
	switch (st) {
	/* clang-format off */
	case DATA_HDR_OK:		return "ok";
	case DATA_HDR_CONTROL:		return "control message";
	case DATA_HDR_TRUNCATED:	return "truncated header";
	case DATA_HDR_BAD_VERSION:	return "bad version";
	case DATA_HDR_BAD_LENGTH:	return "bad length";
		/* clang-format on */
	}
	return "unknown";
}

enum data_seq_verdict
data_seq_rx(struct data_seq *sq, const struct data_hdr *h)
{
	uint16_t gap;

	if (!h->has_seq) {
		if (sq->recv_seq) {
			/* §5.4: with Sequencing Required "sequence numbers
			 * MUST be present at all times". */
			sq->rx_seq_discards++;
			return DATA_SEQ_MISSING;
		}
		/* §5.4: "if the LAC receives a data message without
		 * sequence numbers present, it MUST stop sending sequence
		 * numbers".  The LNS keeps its own choice; unlike the
		 * kernel it still delivers an unsequenced frame from a LAC
		 * that has not yet seen our first sequenced one. */
		if (!sq->lns_mode)
			sq->send_seq = false;
		return DATA_SEQ_ACCEPT;
	}
	/* §5.4: "If the LAC receives a data message with sequence numbers
	 * present, it MUST begin sending sequence numbers"; our Ns picks up
	 * where it left off. */
	if (!sq->lns_mode)
		sq->send_seq = true;
	if (sq->nr_valid) {
		gap = (uint16_t)(h->ns - sq->nr);
		/* Serial arithmetic: more than half the space ahead is
		 * behind.  Sequencing exists to "detect lost packets and/or
		 * restore the original sequence" (§5.4); without a reorder
		 * queue a late frame can only be dropped, a gap only
		 * counted. */
		if (gap >= 0x8000) {
			sq->rx_seq_discards++;
			return DATA_SEQ_STALE;
		}
		sq->rx_seq_lost += gap;
	}
	sq->nr = (uint16_t)(h->ns + 1);
	sq->nr_valid = true;
	return DATA_SEQ_ACCEPT;
}

const char *
data_seq_verdict_str(enum data_seq_verdict v)
{
	switch (v) {
	/* clang-format off */
	case DATA_SEQ_ACCEPT:	return "accept";
	case DATA_SEQ_STALE:	return "stale sequence number";
	case DATA_SEQ_MISSING:	return "sequence number missing";
		/* clang-format on */
	}
	return "unknown";
}
