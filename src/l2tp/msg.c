/*
 * msg.c — RFC 2661 control message codec: §3.1 header, §4.1 AVP framing,
 * §4.2 mandatory AVPs, §4.3 hidden AVPs, §6 per-message AVP rules.
 *
 * Decoding is two passes over the AVPs: the first checks only the framing
 * (§4.1 lengths), so a message whose AVP chain does not add up is dropped
 * whatever else is in it; the second decodes each AVP through
 * avp_table.c.  Verdicts (see msg.h) for the cases the RFC leaves open:
 *
 *  - Header: unknown Ver → DROP (§3.1 "MUST be discarded"); a control
 *    message without L or S or with O → DROP (§3.1 "MUST be set"); the
 *    P bit and the reserved x bits of a control header are ignored (§3.1
 *    "ignored on incoming messages").
 *  - The first AVP must be a clear, well-formed Vendor-0 Message Type of
 *    Length 8, else DROP: without it we cannot even tell whom to answer.
 *    Unknown message type: M=1 → REJECT_TUNNEL result 2 / error 3 (§4.4.1
 *    "the tunnel MUST be cleared"), M=0 → DROP (§4.4.1 "may ignore").
 *  - An AVP with a reserved bit set, a non-zero Vendor ID or an unknown
 *    type is unrecognised (§4.1), except the RFC 5515 access-line AVPs
 *    (Vendor ID 3561) in the messages whose spec allows them (ICRQ): M=1 → REJECT result 2 / error 8, M=0 →
 *    ignored.  Scope (tunnel or session) follows the message (§4.1).
 *  - A known AVP that §6 does not list for this message is ignored (the
 *    peer may be newer or sloppier; nothing in §6 asks us to fail).
 *  - A known AVP of the wrong length → REJECT result 2 / error 2 "Length
 *    is wrong"; a zero Assigned Tunnel/Session ID → error 3; a missing
 *    required AVP → result 2 / error 3 ("One of the field values was out of
 *    range", the nearest §4.4.2 code: no code says "missing"), avp_type
 *    naming it.
 *  - Protocol Version other than 1.0 in SCCRQ/SCCRP → REJECT_TUNNEL result
 *    5 with error code 0x0100, "the highest version supported" (§4.4.2).
 *  - A legal but longer-than-vpdn-buffers string/bytes value (beyond
 *    L2TP_MAX_NAME - 1 / L2TP_MAX_BYTES octets): M=1 → REJECT error 2, M=0
 *    → the AVP is ignored; never truncated (a truncated Host Name or user
 *    name would silently match the wrong peer).  Result Code messages and
 *    Q.931 advisories are log text and are truncated.
 *  - Hidden AVP (§4.3) with no secret, with no preceding Random Vector, or
 *    whose embedded length does not fit (wrong secret) → DROP; a hidden
 *    Random Vector or Message Type → DROP.  The H bit on an AVP that §4.4
 *    says "MUST NOT be hidden" is accepted (we can unhide it, no harm).
 *  - The M bit on a recognised AVP is not checked on receipt (Postel); the
 *    table's M column is what we send.
 *  - Duplicate AVPs: the last one wins (several Random Vectors are legal).
 */
#include <string.h>

#include "core/buf.h"
#include "core/random.h"
#include "l2tp/avp_bbf.h"
#include "l2tp/avp_table.h"
#include "l2tp/hidden.h"
#include "l2tp/msg.h"
#include "l2tp/msg_spec.h"

#define AVP_MAX_LEN L2TP_AVP_LEN_MASK /* 1023 (§4.1) */
#define RANDOM_VECTOR_LEN \
	16 /* §4.4.1: "at least 16 octets is
					 * recommended" */
/* §4.4.2 result 5: "Error Code indicates highest version supported",
 * Ver 1 Rev 0 as in the Protocol Version AVP (§4.4.3). */
#define L2TP_PROTO_VER_1_0 0x0100

enum l2tp_hdr_status
l2tp_hdr_decode(const uint8_t *pkt, size_t len, struct l2tp_hdr *h)
{
	struct rbuf r;
	uint16_t flags;
	size_t end, hend;

	memset(h, 0, sizeof(*h));
	rbuf_init(&r, pkt, len);
	flags = rd_be16(&r);
	if (r.err)
		return L2TP_HDR_TRUNCATED;
	/* §3.1: "Packets received with an unknown Ver field MUST be
	 * discarded" (1 is L2F, 3 is L2TPv3). */
	if ((flags & L2TP_HDR_VER_MASK) != L2TP_VERSION)
		return L2TP_HDR_BAD_VERSION;
	h->is_control = (flags & L2TP_HDR_T) != 0;
	h->has_length = (flags & L2TP_HDR_L) != 0;
	h->has_seq = (flags & L2TP_HDR_S) != 0;
	h->has_offset = (flags & L2TP_HDR_O) != 0;
	h->priority = (flags & L2TP_HDR_P) != 0;
	/* §3.1: L and S "MUST be set to 1 for control messages", O "MUST be
	 * set to 0".  P "MUST be 0" too, but only queueing depends on it, so
	 * like the x bits it is ignored on receipt. */
	if (h->is_control && (!h->has_length || !h->has_seq || h->has_offset))
		return L2TP_HDR_BAD_CONTROL;
	if (h->has_length)
		h->length = rd_be16(&r);
	h->tunnel_id = rd_be16(&r);
	h->session_id = rd_be16(&r);
	if (h->has_seq) {
		h->ns = rd_be16(&r);
		h->nr = rd_be16(&r);
	}
	if (h->has_offset)
		h->offset_size = rd_be16(&r);
	if (r.err)
		return L2TP_HDR_TRUNCATED;

	if (h->has_length) {
		/* "The Length field indicates the total length of the
		 * message": bytes past it (link padding) are not ours. */
		if (h->length > len || h->length < r.off)
			return L2TP_HDR_BAD_LENGTH;
		end = h->length;
	} else {
		if (len > L2TP_MAX_PACKET)
			return L2TP_HDR_BAD_LENGTH;
		end = len;
	}
	/* §3.1: "the L2TP header ends after the last octet of the offset
	 * padding". */
	hend = r.off + h->offset_size;
	if (hend > end)
		return h->has_length ? L2TP_HDR_BAD_LENGTH : L2TP_HDR_TRUNCATED;
	h->payload_off = (uint16_t)hend;
	h->payload_len = (uint16_t)(end - hend);
	return L2TP_HDR_OK;
}

bool
l2tp_msg_is_session_msg(enum l2tp_msg_type t)
{
	const struct l2tp_msg_spec *s = l2tp_msg_spec_get((uint16_t)t);

	return s != NULL && s->session;
}

void
l2tp_msg_init(struct l2tp_msg *m, enum l2tp_msg_type type, uint16_t tunnel_id,
    uint16_t session_id)
{
	memset(m, 0, sizeof(*m));
	m->hdr.is_control = true;
	m->hdr.has_length = true;
	m->hdr.has_seq = true;
	m->hdr.tunnel_id = tunnel_id;
	m->hdr.session_id = session_id;
	m->type = type;
	/* As decoded messages have it: every real message carries one. */
	if (type != L2TP_MSG_ZLB)
		l2tp_msg_set(m, L2TP_AVP_MESSAGE_TYPE);
}

static enum l2tp_verdict
msg_err(struct l2tp_err *err, enum l2tp_verdict v, uint16_t result,
    uint16_t error, uint16_t avp_type, const char *reason)
{
	err->verdict = v;
	err->result = result;
	err->error = error;
	err->avp_type = avp_type;
	err->reason = reason;
	return v;
}

/* Records the first reject of a message; decoding goes on so that *m still
 * gets the Assigned IDs the caller needs to address its StopCCN/CDN. */
static void
msg_reject(struct l2tp_err *rej, enum l2tp_verdict scope, uint16_t error,
    uint16_t avp_type, const char *reason)
{
	if (rej->verdict == L2TP_OK)
		(void)msg_err(rej, scope, 2, error, avp_type, reason);
}

static int
lowest_bit(uint64_t v)
{
	int i;

	for (i = 0; i < 64; i++)
		if (v & ((uint64_t)1 << i))
			return i;
	return -1;
}

enum l2tp_verdict
l2tp_msg_decode(const uint8_t *pkt, size_t len,
    const struct l2tp_secret *secret, struct l2tp_msg *m, struct l2tp_err *err)
{
	const struct l2tp_msg_spec *spec;
	const struct l2tp_avp_desc *d;
	const uint8_t *body, *val, *rv = NULL;
	uint8_t plain[AVP_MAX_LEN];
	struct l2tp_err rej;
	enum l2tp_hdr_status hs;
	enum l2tp_verdict scope;
	enum l2tp_avp_status st;
	uint16_t flags, alen, vendor, type, mt;
	size_t off, blen, vlen, rv_len = 0;
	uint64_t missing;
	int n;

	memset(m, 0, sizeof(*m));
	memset(&rej, 0, sizeof(rej));
	(void)msg_err(err, L2TP_OK, 0, 0, 0, "ok");

	hs = l2tp_hdr_decode(pkt, len, &m->hdr);
	if (hs != L2TP_HDR_OK)
		return msg_err(err, L2TP_DROP, 0, 0, 0,
		    l2tp_hdr_status_str(hs));
	if (!m->hdr.is_control)
		return msg_err(err, L2TP_DROP, 0, 0, 0,
		    "not a control message");
	body = pkt + m->hdr.payload_off;
	blen = m->hdr.payload_len;
	if (blen == 0)
		return L2TP_OK; /* ZLB ack (§5.8) */

	/* Pass 1, §4.1 framing: "The minimum Length of an AVP is 6"; the
	 * AVPs must tile the message exactly. */
	for (off = 0; off < blen; off += alen) {
		if (blen - off < L2TP_AVP_HDR_LEN)
			return msg_err(err, L2TP_DROP, 0, 0, 0,
			    "truncated AVP header");
		alen = get_be16(body + off) & L2TP_AVP_LEN_MASK;
		if (alen < L2TP_AVP_HDR_LEN)
			return msg_err(err, L2TP_DROP, 0, 0,
			    get_be16(body + off + 4), "AVP length < 6");
		if (alen > blen - off)
			return msg_err(err, L2TP_DROP, 0, 0,
			    get_be16(body + off + 4), "AVP overruns message");
	}

	/* §4.4.1: "The Message Type AVP MUST be the first AVP", "This AVP
	 * may not be hidden", "The Length of this AVP is 8". */
	flags = get_be16(body);
	if ((flags & L2TP_AVP_RESERVED) != 0 || get_be16(body + 2) != 0 ||
	    get_be16(body + 4) != L2TP_AVP_MESSAGE_TYPE)
		return msg_err(err, L2TP_DROP, 0, 0, get_be16(body + 4),
		    "first AVP is not Message Type");
	if (flags & L2TP_AVP_H)
		return msg_err(err, L2TP_DROP, 0, 0, L2TP_AVP_MESSAGE_TYPE,
		    "hidden Message Type");
	if ((flags & L2TP_AVP_LEN_MASK) != 8)
		return msg_err(err, L2TP_DROP, 0, 0, L2TP_AVP_MESSAGE_TYPE,
		    "Message Type length is wrong");
	mt = get_be16(body + 6);
	spec = l2tp_msg_spec_get(mt);
	if (spec == NULL) {
		/* §4.4.1: M set and type unknown → "the tunnel MUST be
		 * cleared"; M clear → "may ignore an unknown message type". */
		if (flags & L2TP_AVP_M)
			return msg_err(err, L2TP_REJECT_TUNNEL,
			    L2TP_STOPCCN_ERROR, L2TP_ERR_BAD_VALUE,
			    L2TP_AVP_MESSAGE_TYPE, "unknown message type");
		return msg_err(err, L2TP_DROP, 0, 0, L2TP_AVP_MESSAGE_TYPE,
		    "unknown message type without M bit");
	}
	m->type = spec->type;
	l2tp_msg_set(m, L2TP_AVP_MESSAGE_TYPE);
	scope = spec->session ? L2TP_REJECT_SESSION : L2TP_REJECT_TUNNEL;

	/* Pass 2: every other AVP. */
	for (off = 8; off < blen; off += alen) {
		flags = get_be16(body + off);
		alen = flags & L2TP_AVP_LEN_MASK;
		vendor = get_be16(body + off + 2);
		type = get_be16(body + off + 4);
		val = body + off + L2TP_AVP_HDR_LEN;
		vlen = alen - L2TP_AVP_HDR_LEN;

		/* §4.1: "An AVP received with a reserved bit set to 1 MUST
		 * be treated as an unrecognized AVP"; vpdn knows no
		 * vendor-specific AVPs. */
		d = NULL;
		if (vendor == 0 && (flags & L2TP_AVP_RESERVED) == 0)
			d = l2tp_avp_desc_get(type);
		/* RFC 5515 §3: the access-line AVPs, where the message may
		 * carry them; never hidden.  A known one of the wrong length
		 * is ignored like any AVP vpdn cannot use (M is clear). */
		if (vendor == ACCESS_LINE_VENDOR_BBF && spec->access_line &&
		    (flags & (L2TP_AVP_RESERVED | L2TP_AVP_H)) == 0 &&
		    l2tp_avp_bbf_decode(&m->access_line, type, val, vlen) !=
			L2TP_BBF_UNKNOWN)
			continue;
		if (d == NULL) {
			/* §4.1/§4.2: M set → terminate the session or
			 * tunnel; M clear → "MUST be ignored". */
			if (flags & L2TP_AVP_M)
				msg_reject(&rej, scope, L2TP_ERR_UNKNOWN_M_AVP,
				    type, "unknown mandatory AVP");
			continue;
		}
		if (d->kind == L2TP_AVPK_MSG_TYPE)
			continue; /* a second one: not "the first" */
		if (d->kind == L2TP_AVPK_RANDOM) {
			/* §4.4.1: "This AVP MUST NOT be hidden"; a hidden
			 * AVP uses "the Random Vector AVP most closely
			 * preceding it". */
			if (flags & L2TP_AVP_H)
				return msg_err(err, L2TP_DROP, 0, 0, type,
				    "hidden Random Vector");
			rv = val;
			rv_len = vlen;
			l2tp_msg_set(m, L2TP_AVP_RANDOM_VECTOR);
			continue;
		}
		if ((spec->allowed & L2TP_AVP_BIT(type)) == 0)
			continue; /* known, not for this message: ignored */

		if (flags & L2TP_AVP_H) {
			/* §4.3: "The H bit MUST only be set if a shared
			 * secret exists"; a Random Vector "MUST precede the
			 * first AVP having an H bit of 1". */
			if (secret == NULL || secret->len == 0)
				return msg_err(err, L2TP_DROP, 0, 0, type,
				    "hidden AVP but no secret");
			if (rv == NULL)
				return msg_err(err, L2TP_DROP, 0, 0, type,
				    "hidden AVP without Random Vector");
			n = l2tp_hidden_decrypt(type, secret, rv, rv_len, val,
			    vlen, plain);
			if (n < 0)
				return msg_err(err, L2TP_DROP, 0, 0, type,
				    "hidden AVP does not unhide (secret?)");
			val = plain;
			vlen = (size_t)n;
		}

		st = l2tp_avp_value_decode(d, m, val, vlen);
		switch (st) {
		case L2TP_AVPS_OK:
			l2tp_msg_set(m, (enum l2tp_avp_type)type);
			if (flags & L2TP_AVP_H)
				m->hidden |= L2TP_AVP_BIT(type);
			break;
		case L2TP_AVPS_BAD_LENGTH:
			msg_reject(&rej, scope, L2TP_ERR_BAD_LENGTH, type,
			    "AVP length is wrong");
			break;
		case L2TP_AVPS_BAD_VALUE:
			msg_reject(&rej, scope, L2TP_ERR_BAD_VALUE, type,
			    "AVP value out of range");
			break;
		case L2TP_AVPS_TOO_LONG:
			if (flags & L2TP_AVP_M)
				msg_reject(&rej, scope, L2TP_ERR_BAD_LENGTH,
				    type, "mandatory AVP too long for vpdn");
			break;
		}
	}

	/* §4.4.2 result 5 comes first: a peer of another version may well
	 * disagree with us about everything else too. */
	if (l2tp_msg_has(m, L2TP_AVP_PROTOCOL_VERSION) &&
	    (m->proto_ver != 1 || m->proto_rev != 0))
		return msg_err(err, L2TP_REJECT_TUNNEL,
		    L2TP_STOPCCN_BAD_VERSION, L2TP_PROTO_VER_1_0,
		    L2TP_AVP_PROTOCOL_VERSION, "unsupported protocol version");
	if (rej.verdict != L2TP_OK) {
		*err = rej;
		return rej.verdict;
	}
	/* §6: "The following AVPs MUST be present". */
	missing = spec->required & ~m->present;
	if (missing != 0)
		return msg_err(err, scope, 2, L2TP_ERR_BAD_VALUE,
		    (uint16_t)lowest_bit(missing), "required AVP missing");
	return L2TP_OK;
}

/* Writes the 6-byte AVP header with a zero Length, patched by avp_end(). */
static size_t
avp_begin(struct wbuf *w, uint16_t type)
{
	size_t start = w->len;

	wr_be16(w, 0);
	wr_be16(w, 0); /* Vendor ID 0: IETF (§4.1) */
	wr_be16(w, type);
	return start;
}

static void
avp_end(struct wbuf *w, size_t start, uint16_t bits)
{
	size_t alen = w->len - start;

	if (w->err || alen > AVP_MAX_LEN) {
		w->err = true;
		return;
	}
	wr_be16_at(w, start, (uint16_t)(bits | alen));
}

static bool
any_hideable(const struct l2tp_msg *m)
{
	const struct l2tp_avp_desc *d;
	uint16_t t;

	for (t = 1; t <= L2TP_AVP_TYPE_MAX; t++) {
		d = l2tp_avp_desc_get(t);
		if (d != NULL && d->may_hide && l2tp_msg_has(m, t))
			return true;
	}
	return false;
}

size_t
l2tp_msg_encode(const struct l2tp_msg *m, const struct l2tp_secret *secret,
    bool hide, uint8_t *out, size_t cap)
{
	const struct l2tp_avp_desc *d;
	uint8_t rv[RANDOM_VECTOR_LEN], val[AVP_MAX_LEN];
	struct wbuf w, vw;
	size_t start, room, n;
	uint16_t t, bits;
	bool hiding;

	wbuf_init(&w, out, cap);
	/* §3.1: T, L, S set; O, P and the x bits 0; Ver 2. */
	wr_be16(&w, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | L2TP_VERSION);
	wr_be16(&w, 0); /* Length, patched below */
	wr_be16(&w, m->hdr.tunnel_id);
	wr_be16(&w, m->hdr.session_id);
	wr_be16(&w, m->hdr.ns);
	wr_be16(&w, m->hdr.nr);

	if (m->type != L2TP_MSG_ZLB) {
		if (l2tp_msg_spec_get((uint16_t)m->type) == NULL)
			return 0;
		/* §4.4.1: Message Type first, M=1, never hidden. */
		start = avp_begin(&w, L2TP_AVP_MESSAGE_TYPE);
		wr_be16(&w, (uint16_t)m->type);
		avp_end(&w, start, L2TP_AVP_M);

		/* §4.3: one Random Vector "placed in the message by the
		 * sender before any hidden AVPs". */
		hiding = hide && secret != NULL && secret->len > 0 &&
		    any_hideable(m);
		if (hiding) {
			random_bytes(rv, sizeof(rv));
			start = avp_begin(&w, L2TP_AVP_RANDOM_VECTOR);
			wr_bytes(&w, rv, sizeof(rv));
			avp_end(&w, start, L2TP_AVP_M);
		}

		for (t = 1; t <= L2TP_AVP_TYPE_MAX; t++) {
			d = l2tp_avp_desc_get(t);
			if (!l2tp_msg_has(m, t) || d == NULL ||
			    d->kind == L2TP_AVPK_RANDOM)
				continue;
			bits = d->mandatory ? L2TP_AVP_M : 0;
			start = avp_begin(&w, t);
			if (hiding && d->may_hide) {
				wbuf_init(&vw, val, sizeof(val));
				l2tp_avp_value_encode(d, m, &vw);
				if (vw.err || w.err)
					return 0;
				room = w.cap - w.len;
				if (room > AVP_MAX_LEN - L2TP_AVP_HDR_LEN)
					room = AVP_MAX_LEN - L2TP_AVP_HDR_LEN;
				n = l2tp_hidden_encrypt(t, secret, rv,
				    sizeof(rv), val, vw.len, w.p + w.len, room);
				if (n == 0)
					return 0;
				(void)wr_ptr(&w, n);
				bits |= L2TP_AVP_H;
			} else
				l2tp_avp_value_encode(d, m, &w);
			avp_end(&w, start, bits);
		}
		if (m->access_line.present != 0 &&
		    l2tp_msg_spec_get((uint16_t)m->type)->access_line)
			l2tp_avp_bbf_encode(&m->access_line, &w);
	}
	if (w.err || w.len > L2TP_MAX_PACKET)
		return 0;
	wr_be16_at(&w, 2, (uint16_t)w.len);
	return w.err ? 0 : w.len;
}
