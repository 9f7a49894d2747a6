/*
 * avp_table.c — the RFC 2661 §4.4 attribute table and the value codecs it
 * drives.  Lengths are the AVP Length field (6-byte header included) before
 * hiding; "arbitrary" lengths are capped by the 10-bit Length field (1023,
 * §4.1).  Values larger than vpdn's buffers (L2TP_MAX_NAME - 1 characters,
 * L2TP_MAX_BYTES octets) are reported as L2TP_AVPS_TOO_LONG and msg.c
 * decides what to do (see there); text that is only ever logged (Result
 * Code error message, Q.931 advisory) is truncated instead.
 */
#include <stddef.h>
#include <string.h>

#include "l2tp/avp_table.h"

#define AVP_MAX_LEN L2TP_AVP_LEN_MASK /* 1023, §4.1 */

#define FIELD(f) \
	.off = offsetof(struct l2tp_msg, f), \
	.size = sizeof(((struct l2tp_msg *)0)->f)

/* Copies up to cap - 1 octets of text and terminates it (truncating). */
static void
copy_text(char *dst, size_t cap, const uint8_t *v, size_t len)
{
	if (len > cap - 1)
		len = cap - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* RFC 2661 §4.4.2: Result Code(2) [Error Code(2) [Error Message...]].
 * Length 8, 10 or 10 + message; a lone byte of error code is malformed. */
static enum l2tp_avp_status
dec_result(struct l2tp_msg *m, const uint8_t *v, size_t len)
{
	if (len == 3)
		return L2TP_AVPS_BAD_LENGTH;
	memset(&m->result, 0, sizeof(m->result));
	m->result.result = get_be16(v);
	if (len >= 4) {
		m->result.has_error = true;
		m->result.error = get_be16(v + 2);
		copy_text(m->result.message, sizeof(m->result.message), v + 4,
		    len - 4);
	}
	return L2TP_AVPS_OK;
}

static void
enc_result(const struct l2tp_msg *m, struct wbuf *w)
{
	size_t n = strnlen(m->result.message, sizeof(m->result.message) - 1);

	wr_be16(w, m->result.result);
	/* A message can only follow an error code (§4.4.2). */
	if (m->result.has_error || n > 0) {
		wr_be16(w, m->result.error);
		wr_bytes(w, m->result.message, n);
	}
}

/* RFC 2661 §4.4.3: Ver(1) Rev(1).  The value check (1.0) is msg.c's,
 * because its answer is a StopCCN result 5, not a general error. */
static enum l2tp_avp_status
dec_proto_ver(struct l2tp_msg *m, const uint8_t *v, size_t len)
{
	(void)len;
	m->proto_ver = v[0];
	m->proto_rev = v[1];
	return L2TP_AVPS_OK;
}

static void
enc_proto_ver(const struct l2tp_msg *m, struct wbuf *w)
{
	wr_u8(w, m->proto_ver);
	wr_u8(w, m->proto_rev);
}

/* RFC 2661 §4.4.4: Cause Code(2) Cause Msg(1) [Advisory Msg...]. */
static enum l2tp_avp_status
dec_q931(struct l2tp_msg *m, const uint8_t *v, size_t len)
{
	m->q931.cause = get_be16(v);
	m->q931.msg = v[2];
	copy_text(m->q931.advisory, sizeof(m->q931.advisory), v + 3, len - 3);
	return L2TP_AVPS_OK;
}

static void
enc_q931(const struct l2tp_msg *m, struct wbuf *w)
{
	wr_be16(w, m->q931.cause);
	wr_u8(w, m->q931.msg);
	wr_bytes(w, m->q931.advisory,
	    strnlen(m->q931.advisory, sizeof(m->q931.advisory) - 1));
}

/* RFC 2661 §4.4.6: Reserved(2) then six 32-bit counters. */
static enum l2tp_avp_status
dec_call_errors(struct l2tp_msg *m, const uint8_t *v, size_t len)
{
	struct rbuf r;

	rbuf_init(&r, v, len);
	rd_skip(&r, 2); /* reserved: MUST be 0 when sent, not checked */
	m->call_errors.crc_errors = rd_be32(&r);
	m->call_errors.framing_errors = rd_be32(&r);
	m->call_errors.hw_overruns = rd_be32(&r);
	m->call_errors.buffer_overruns = rd_be32(&r);
	m->call_errors.timeout_errors = rd_be32(&r);
	m->call_errors.alignment_errors = rd_be32(&r);
	return r.err ? L2TP_AVPS_BAD_LENGTH : L2TP_AVPS_OK;
}

static void
enc_call_errors(const struct l2tp_msg *m, struct wbuf *w)
{
	wr_be16(w, 0);
	wr_be32(w, m->call_errors.crc_errors);
	wr_be32(w, m->call_errors.framing_errors);
	wr_be32(w, m->call_errors.hw_overruns);
	wr_be32(w, m->call_errors.buffer_overruns);
	wr_be32(w, m->call_errors.timeout_errors);
	wr_be32(w, m->call_errors.alignment_errors);
}

/* RFC 2661 §4.4.6: Reserved(2) Send ACCM(4) Receive ACCM(4). */
static enum l2tp_avp_status
dec_accm(struct l2tp_msg *m, const uint8_t *v, size_t len)
{
	struct rbuf r;

	rbuf_init(&r, v, len);
	rd_skip(&r, 2);
	m->accm.send = rd_be32(&r);
	m->accm.recv = rd_be32(&r);
	return r.err ? L2TP_AVPS_BAD_LENGTH : L2TP_AVPS_OK;
}

static void
enc_accm(const struct l2tp_msg *m, struct wbuf *w)
{
	wr_be16(w, 0);
	wr_be32(w, m->accm.send);
	wr_be32(w, m->accm.recv);
}

/*
 * The table.  M and H columns quote each attribute's §4.4 paragraph ("The
 * M-bit for this AVP MUST be set to ...", "This AVP may be hidden").
 */
static const struct l2tp_avp_desc avp_table[L2TP_AVP_TYPE_MAX + 1] = {
	/* §4.4.1 */
	[L2TP_AVP_MESSAGE_TYPE] = { L2TP_AVP_MESSAGE_TYPE, "Message Type",
	    L2TP_AVPK_MSG_TYPE, .min = 8, .max = 8, .mandatory = true },
	[L2TP_AVP_RANDOM_VECTOR] = { L2TP_AVP_RANDOM_VECTOR, "Random Vector",
	    L2TP_AVPK_RANDOM, .min = 6, .max = AVP_MAX_LEN, .mandatory = true },
	/* §4.4.2 */
	[L2TP_AVP_RESULT_CODE] = { L2TP_AVP_RESULT_CODE, "Result Code",
	    L2TP_AVPK_CUSTOM, .min = 8, .max = AVP_MAX_LEN, .mandatory = true,
	    .dec = dec_result, .enc = enc_result },
	/* §4.4.3 */
	[L2TP_AVP_PROTOCOL_VERSION] = { L2TP_AVP_PROTOCOL_VERSION,
	    "Protocol Version", L2TP_AVPK_CUSTOM, .min = 8, .max = 8,
	    .mandatory = true, .dec = dec_proto_ver, .enc = enc_proto_ver },
	[L2TP_AVP_FRAMING_CAP] = { L2TP_AVP_FRAMING_CAP, "Framing Capabilities",
	    L2TP_AVPK_U32, .min = 10, .max = 10, .mandatory = true,
	    .may_hide = true, FIELD(framing_cap) },
	[L2TP_AVP_BEARER_CAP] = { L2TP_AVP_BEARER_CAP, "Bearer Capabilities",
	    L2TP_AVPK_U32, .min = 10, .max = 10, .mandatory = true,
	    .may_hide = true, FIELD(bearer_cap) },
	[L2TP_AVP_TIE_BREAKER] = { L2TP_AVP_TIE_BREAKER, "Tie Breaker",
	    L2TP_AVPK_OCTETS, .min = 14, .max = 14, .mandatory = false,
	    FIELD(tie_breaker) },
	[L2TP_AVP_FIRMWARE_REVISION] = { L2TP_AVP_FIRMWARE_REVISION,
	    "Firmware Revision", L2TP_AVPK_U16, .min = 8, .max = 8,
	    .mandatory = false, .may_hide = true, FIELD(firmware_rev) },
	/* "The Host Name is of arbitrary length, but MUST be at least 1 octet." */
	[L2TP_AVP_HOST_NAME] = { L2TP_AVP_HOST_NAME, "Host Name",
	    L2TP_AVPK_STRING, .min = 7, .max = AVP_MAX_LEN, .mandatory = true,
	    FIELD(host_name) },
	[L2TP_AVP_VENDOR_NAME] = { L2TP_AVP_VENDOR_NAME, "Vendor Name",
	    L2TP_AVPK_STRING, .min = 6, .max = AVP_MAX_LEN, .mandatory = false,
	    .may_hide = true, FIELD(vendor_name) },
	/* "a 2 octet non-zero unsigned integer" */
	[L2TP_AVP_ASSIGNED_TUNNEL_ID] = { L2TP_AVP_ASSIGNED_TUNNEL_ID,
	    "Assigned Tunnel ID", L2TP_AVPK_U16, .min = 8, .max = 8,
	    .mandatory = true, .may_hide = true, .nonzero = true,
	    FIELD(assigned_tunnel_id) },
	[L2TP_AVP_RECEIVE_WINDOW_SIZE] = { L2TP_AVP_RECEIVE_WINDOW_SIZE,
	    "Receive Window Size", L2TP_AVPK_U16, .min = 8, .max = 8,
	    .mandatory = true, FIELD(receive_window) },
	/* "The Challenge is one or more octets of random data." */
	[L2TP_AVP_CHALLENGE] = { L2TP_AVP_CHALLENGE, "Challenge",
	    L2TP_AVPK_BYTES, .min = 7, .max = AVP_MAX_LEN, .mandatory = true,
	    .may_hide = true, FIELD(challenge) },
	[L2TP_AVP_CHALLENGE_RESPONSE] = { L2TP_AVP_CHALLENGE_RESPONSE,
	    "Challenge Response", L2TP_AVPK_OCTETS, .min = 22, .max = 22,
	    .mandatory = true, .may_hide = true, FIELD(challenge_response) },
	/* §4.4.4 */
	[L2TP_AVP_Q931_CAUSE] = { L2TP_AVP_Q931_CAUSE, "Q.931 Cause Code",
	    L2TP_AVPK_CUSTOM, .min = 9, .max = AVP_MAX_LEN, .mandatory = true,
	    .dec = dec_q931, .enc = enc_q931 },
	[L2TP_AVP_ASSIGNED_SESSION_ID] = { L2TP_AVP_ASSIGNED_SESSION_ID,
	    "Assigned Session ID", L2TP_AVPK_U16, .min = 8, .max = 8,
	    .mandatory = true, .may_hide = true, .nonzero = true,
	    FIELD(assigned_session_id) },
	[L2TP_AVP_CALL_SERIAL_NUMBER] = { L2TP_AVP_CALL_SERIAL_NUMBER,
	    "Call Serial Number", L2TP_AVPK_U32, .min = 10, .max = 10,
	    .mandatory = true, .may_hide = true, FIELD(call_serial) },
	[L2TP_AVP_MIN_BPS] = { L2TP_AVP_MIN_BPS, "Minimum BPS", L2TP_AVPK_U32,
	    .min = 10, .max = 10, .mandatory = true, .may_hide = true,
	    FIELD(min_bps) },
	[L2TP_AVP_MAX_BPS] = { L2TP_AVP_MAX_BPS, "Maximum BPS", L2TP_AVPK_U32,
	    .min = 10, .max = 10, .mandatory = true, .may_hide = true,
	    FIELD(max_bps) },
	[L2TP_AVP_BEARER_TYPE] = { L2TP_AVP_BEARER_TYPE, "Bearer Type",
	    L2TP_AVPK_U32, .min = 10, .max = 10, .mandatory = true,
	    .may_hide = true, FIELD(bearer_type) },
	[L2TP_AVP_FRAMING_TYPE] = { L2TP_AVP_FRAMING_TYPE, "Framing Type",
	    L2TP_AVPK_U32, .min = 10, .max = 10, .mandatory = true,
	    .may_hide = true, FIELD(framing_type) },
	/* 20 is unused: no row, an AVP of type 20 is unknown. */
	[L2TP_AVP_CALLED_NUMBER] = { L2TP_AVP_CALLED_NUMBER, "Called Number",
	    L2TP_AVPK_STRING, .min = 6, .max = AVP_MAX_LEN, .mandatory = true,
	    .may_hide = true, FIELD(called_number) },
	[L2TP_AVP_CALLING_NUMBER] = { L2TP_AVP_CALLING_NUMBER, "Calling Number",
	    L2TP_AVPK_STRING, .min = 6, .max = AVP_MAX_LEN, .mandatory = true,
	    .may_hide = true, FIELD(calling_number) },
	[L2TP_AVP_SUB_ADDRESS] = { L2TP_AVP_SUB_ADDRESS, "Sub-Address",
	    L2TP_AVPK_STRING, .min = 6, .max = AVP_MAX_LEN, .mandatory = true,
	    .may_hide = true, FIELD(sub_address) },
	[L2TP_AVP_TX_CONNECT_SPEED] = { L2TP_AVP_TX_CONNECT_SPEED,
	    "(Tx) Connect Speed", L2TP_AVPK_U32, .min = 10, .max = 10,
	    .mandatory = true, .may_hide = true, FIELD(tx_connect_speed) },
	[L2TP_AVP_RX_CONNECT_SPEED] = { L2TP_AVP_RX_CONNECT_SPEED,
	    "Rx Connect Speed", L2TP_AVPK_U32, .min = 10, .max = 10,
	    .mandatory = false, .may_hide = true, FIELD(rx_connect_speed) },
	[L2TP_AVP_PHYSICAL_CHANNEL_ID] = { L2TP_AVP_PHYSICAL_CHANNEL_ID,
	    "Physical Channel ID", L2TP_AVPK_U32, .min = 10, .max = 10,
	    .mandatory = false, .may_hide = true, FIELD(physical_channel) },
	[L2TP_AVP_PRIVATE_GROUP_ID] = { L2TP_AVP_PRIVATE_GROUP_ID,
	    "Private Group ID", L2TP_AVPK_BYTES, .min = 6, .max = AVP_MAX_LEN,
	    .mandatory = false, .may_hide = true, FIELD(private_group_id) },
	[L2TP_AVP_SEQUENCING_REQUIRED] = { L2TP_AVP_SEQUENCING_REQUIRED,
	    "Sequencing Required", L2TP_AVPK_NONE, .min = 6, .max = 6,
	    .mandatory = true },
	/* §4.4.5 */
	[L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ] = { L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ,
	    "Initial Received LCP CONFREQ", L2TP_AVPK_BYTES, .min = 6,
	    .max = AVP_MAX_LEN, .mandatory = false, .may_hide = true,
	    FIELD(initial_rcvd_confreq) },
	[L2TP_AVP_LAST_SENT_LCP_CONFREQ] = { L2TP_AVP_LAST_SENT_LCP_CONFREQ,
	    "Last Sent LCP CONFREQ", L2TP_AVPK_BYTES, .min = 6,
	    .max = AVP_MAX_LEN, .mandatory = false, .may_hide = true,
	    FIELD(last_sent_confreq) },
	[L2TP_AVP_LAST_RCVD_LCP_CONFREQ] = { L2TP_AVP_LAST_RCVD_LCP_CONFREQ,
	    "Last Received LCP CONFREQ", L2TP_AVPK_BYTES, .min = 6,
	    .max = AVP_MAX_LEN, .mandatory = false, .may_hide = true,
	    FIELD(last_rcvd_confreq) },
	[L2TP_AVP_PROXY_AUTHEN_TYPE] = { L2TP_AVP_PROXY_AUTHEN_TYPE,
	    "Proxy Authen Type", L2TP_AVPK_U16, .min = 8, .max = 8,
	    .mandatory = false, .may_hide = true, FIELD(proxy_authen_type) },
	[L2TP_AVP_PROXY_AUTHEN_NAME] = { L2TP_AVP_PROXY_AUTHEN_NAME,
	    "Proxy Authen Name", L2TP_AVPK_STRING, .min = 6, .max = AVP_MAX_LEN,
	    .mandatory = false, .may_hide = true, FIELD(proxy_authen_name) },
	/* "The Challenge is a string of one or more octets." */
	[L2TP_AVP_PROXY_AUTHEN_CHALLENGE] = { L2TP_AVP_PROXY_AUTHEN_CHALLENGE,
	    "Proxy Authen Challenge", L2TP_AVPK_BYTES, .min = 7,
	    .max = AVP_MAX_LEN, .mandatory = false, .may_hide = true,
	    FIELD(proxy_authen_challenge) },
	/* Reserved(1) ID(1) read as one u16: "the most significant octet
	 * MUST be 0" binds the sender; the receiver keeps the value. */
	[L2TP_AVP_PROXY_AUTHEN_ID] = { L2TP_AVP_PROXY_AUTHEN_ID,
	    "Proxy Authen ID", L2TP_AVPK_U16, .min = 8, .max = 8,
	    .mandatory = false, .may_hide = true, FIELD(proxy_authen_id) },
	[L2TP_AVP_PROXY_AUTHEN_RESPONSE] = { L2TP_AVP_PROXY_AUTHEN_RESPONSE,
	    "Proxy Authen Response", L2TP_AVPK_BYTES, .min = 6,
	    .max = AVP_MAX_LEN, .mandatory = false, .may_hide = true,
	    FIELD(proxy_authen_response) },
	/* §4.4.6 */
	[L2TP_AVP_CALL_ERRORS] = { L2TP_AVP_CALL_ERRORS, "Call Errors",
	    L2TP_AVPK_CUSTOM, .min = 32, .max = 32, .mandatory = true,
	    .may_hide = true, .dec = dec_call_errors, .enc = enc_call_errors },
	[L2TP_AVP_ACCM] = { L2TP_AVP_ACCM, "ACCM", L2TP_AVPK_CUSTOM, .min = 16,
	    .max = 16, .mandatory = true, .may_hide = true, .dec = dec_accm,
	    .enc = enc_accm },
};

const struct l2tp_avp_desc *
l2tp_avp_desc_get(uint16_t type)
{
	const struct l2tp_avp_desc *d;

	if (type > L2TP_AVP_TYPE_MAX)
		return NULL;
	d = &avp_table[type];
	return d->kind == L2TP_AVPK_UNUSED ? NULL : d;
}

enum l2tp_avp_status
l2tp_avp_value_decode(const struct l2tp_avp_desc *d, struct l2tp_msg *m,
    const uint8_t *v, size_t len)
{
	uint8_t *field = (uint8_t *)m + d->off;
	struct l2tp_bytes *b;
	uint32_t u;

	/* RFC 2661 §4.4: every attribute's length, before hiding. */
	if (len + L2TP_AVP_HDR_LEN < d->min || len + L2TP_AVP_HDR_LEN > d->max)
		return L2TP_AVPS_BAD_LENGTH;

	switch (d->kind) {
	case L2TP_AVPK_NONE:
		return L2TP_AVPS_OK;
	case L2TP_AVPK_U16:
		u = get_be16(v);
		if (d->nonzero && u == 0)
			return L2TP_AVPS_BAD_VALUE;
		memcpy(field, &(uint16_t){ (uint16_t)u }, sizeof(uint16_t));
		return L2TP_AVPS_OK;
	case L2TP_AVPK_U32:
		u = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
		    (uint32_t)v[2] << 8 | v[3];
		if (d->nonzero && u == 0)
			return L2TP_AVPS_BAD_VALUE;
		memcpy(field, &u, sizeof(u));
		return L2TP_AVPS_OK;
	case L2TP_AVPK_OCTETS:
		if (len != d->size)
			return L2TP_AVPS_BAD_LENGTH;
		memcpy(field, v, len);
		return L2TP_AVPS_OK;
	case L2TP_AVPK_STRING:
		/* Names live on as C strings (logs, matching, vpdnctl): an
		 * embedded NUL would cut them silently, hiding what follows,
		 * and a name of only NULs would become "" where §4.4 wants
		 * one or more octets (found by tests/fuzz/fuzz_l2tp_msg).
		 * Trailing NULs, a terminator some peers send, are dropped;
		 * any other NUL makes the value invalid. */
		while (len > 0 && v[len - 1] == '\0')
			len--;
		if (memchr(v, '\0', len) != NULL)
			return L2TP_AVPS_BAD_VALUE;
		if (len + L2TP_AVP_HDR_LEN < d->min)
			return L2TP_AVPS_BAD_LENGTH;
		if (len > d->size - 1)
			return L2TP_AVPS_TOO_LONG;
		memcpy(field, v, len);
		field[len] = '\0';
		return L2TP_AVPS_OK;
	case L2TP_AVPK_BYTES:
		if (len > L2TP_MAX_BYTES)
			return L2TP_AVPS_TOO_LONG;
		b = (struct l2tp_bytes *)field;
		b->len = (uint16_t)len;
		memcpy(b->data, v, len);
		return L2TP_AVPS_OK;
	case L2TP_AVPK_CUSTOM:
		return d->dec(m, v, len);
	case L2TP_AVPK_UNUSED:
	case L2TP_AVPK_MSG_TYPE:
	case L2TP_AVPK_RANDOM:
		break;
	}
	/* Message Type and Random Vector are msg.c's own business. */
	return L2TP_AVPS_BAD_VALUE;
}

void
l2tp_avp_value_encode(const struct l2tp_avp_desc *d, const struct l2tp_msg *m,
    struct wbuf *w)
{
	const uint8_t *field = (const uint8_t *)m + d->off;
	const struct l2tp_bytes *b;
	uint16_t u16;
	uint32_t u32;

	switch (d->kind) {
	case L2TP_AVPK_NONE:
		return;
	case L2TP_AVPK_U16:
		memcpy(&u16, field, sizeof(u16));
		wr_be16(w, u16);
		return;
	case L2TP_AVPK_U32:
		memcpy(&u32, field, sizeof(u32));
		wr_be32(w, u32);
		return;
	case L2TP_AVPK_OCTETS:
		wr_bytes(w, field, d->size);
		return;
	case L2TP_AVPK_STRING:
		wr_bytes(w, field, strnlen((const char *)field, d->size - 1));
		return;
	case L2TP_AVPK_BYTES:
		b = (const struct l2tp_bytes *)field;
		wr_bytes(w, b->data,
		    b->len > L2TP_MAX_BYTES ? L2TP_MAX_BYTES : b->len);
		return;
	case L2TP_AVPK_CUSTOM:
		d->enc(m, w);
		return;
	case L2TP_AVPK_UNUSED:
	case L2TP_AVPK_MSG_TYPE:
	case L2TP_AVPK_RANDOM:
		break;
	}
	w->err = true; /* not encodable from struct l2tp_msg */
}

const char *
l2tp_avp_status_str(enum l2tp_avp_status st)
{
	switch (st) {
	/* clang-format off */
	case L2TP_AVPS_OK:		return "ok";
	case L2TP_AVPS_BAD_LENGTH:	return "length is wrong";
	case L2TP_AVPS_BAD_VALUE:	return "value out of range";
	case L2TP_AVPS_TOO_LONG:	return "value too long for vpdn";
		/* clang-format on */
	}
	return "?";
}
