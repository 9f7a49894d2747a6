/*
 * test_l2tp_codec.c — RFC 2661 §3.1 header decode, §4.4 AVP formats and M
 * bits, §6 round trips of every message type with every allowed AVP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "l2tp/avp_table.h"
#include "l2tp/msg.h"
#include "l2tp/msg_spec.h"

/* ---- §3.1 header ---- */

struct hdr_case {
	const char *name;
	uint8_t pkt[32];
	size_t len;
	enum l2tp_hdr_status st;
	bool control;
	uint16_t tunnel, session, ns, nr;
	uint16_t payload_off, payload_len;
};

/* clang-format off */
#define HC(n, st, ctl, tid, sid, ns, nr, po, pl, ...) \
	{ n, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), st, ctl, \
	  tid, sid, ns, nr, po, pl }

static const struct hdr_case hdr_cases[] = {
	HC("control ZLB", L2TP_HDR_OK, true, 1, 2, 3, 4, 12, 0,
	    0xc8, 0x02, 0x00, 0x0c, 0, 1, 0, 2, 0, 3, 0, 4),
	HC("control, bytes after Length ignored", L2TP_HDR_OK, true, 1, 2, 3,
	    4, 12, 2, 0xc8, 0x02, 0x00, 0x0e, 0, 1, 0, 2, 0, 3, 0, 4, 9, 9,
	    0xee, 0xee),
	HC("control, P and x bits ignored", L2TP_HDR_OK, true, 1, 2, 0, 0,
	    12, 0, 0xfd, 0xf2, 0x00, 0x0c, 0, 1, 0, 2, 0, 0, 0, 0),
	HC("1 byte", L2TP_HDR_TRUNCATED, false, 0, 0, 0, 0, 0, 0, 0xc8),
	HC("control 11 bytes", L2TP_HDR_TRUNCATED, false, 0, 0, 0, 0, 0, 0,
	    0xc8, 0x02, 0x00, 0x0b, 0, 1, 0, 2, 0, 3, 0),
	HC("ver 1 (L2F)", L2TP_HDR_BAD_VERSION, false, 0, 0, 0, 0, 0, 0,
	    0xc8, 0x01, 0x00, 0x0c, 0, 1, 0, 2, 0, 3, 0, 4),
	HC("ver 3 (L2TPv3)", L2TP_HDR_BAD_VERSION, false, 0, 0, 0, 0, 0, 0,
	    0xc8, 0x03, 0x00, 0x0c, 0, 1, 0, 2, 0, 3, 0, 4),
	HC("data ver 0", L2TP_HDR_BAD_VERSION, false, 0, 0, 0, 0, 0, 0,
	    0x00, 0x00, 0, 1, 0, 2),
	HC("control without L", L2TP_HDR_BAD_CONTROL, false, 0, 0, 0, 0, 0, 0,
	    0x88, 0x02, 0, 1, 0, 2, 0, 3, 0, 4),
	HC("control without S", L2TP_HDR_BAD_CONTROL, false, 0, 0, 0, 0, 0, 0,
	    0xc0, 0x02, 0x00, 0x08, 0, 1, 0, 2),
	HC("control with O", L2TP_HDR_BAD_CONTROL, false, 0, 0, 0, 0, 0, 0,
	    0xca, 0x02, 0x00, 0x0e, 0, 1, 0, 2, 0, 3, 0, 4, 0, 0),
	HC("Length beyond datagram", L2TP_HDR_BAD_LENGTH, false, 0, 0, 0, 0,
	    0, 0, 0xc8, 0x02, 0x00, 0x20, 0, 1, 0, 2, 0, 3, 0, 4),
	HC("Length < header", L2TP_HDR_BAD_LENGTH, false, 0, 0, 0, 0, 0, 0,
	    0xc8, 0x02, 0x00, 0x08, 0, 1, 0, 2, 0, 3, 0, 4),
	/* Data messages (T=0): L, S, O, P optional. */
	HC("data minimal", L2TP_HDR_OK, false, 5, 6, 0, 0, 6, 3,
	    0x00, 0x02, 0, 5, 0, 6, 0xff, 0x03, 0xc0),
	HC("data with L", L2TP_HDR_OK, false, 5, 6, 0, 0, 8, 2,
	    0x40, 0x02, 0x00, 0x0a, 0, 5, 0, 6, 0xff, 0x03, 0xee),
	HC("data with S", L2TP_HDR_OK, false, 5, 6, 7, 8, 10, 1,
	    0x08, 0x02, 0, 5, 0, 6, 0, 7, 0, 8, 0xff),
	HC("data with O and pad", L2TP_HDR_OK, false, 5, 6, 0, 0, 11, 1,
	    0x02, 0x02, 0, 5, 0, 6, 0, 3, 0xaa, 0xaa, 0xaa, 0xff),
	HC("data with L S O P", L2TP_HDR_OK, false, 5, 6, 7, 8, 15, 1,
	    0x4b, 0x02, 0x00, 0x10, 0, 5, 0, 6, 0, 7, 0, 8, 0, 1, 0xaa, 0xff),
	HC("data offset pad beyond datagram", L2TP_HDR_TRUNCATED, false, 0,
	    0, 0, 0, 0, 0, 0x02, 0x02, 0, 5, 0, 6, 0, 9, 0xaa),
	HC("data offset pad beyond Length", L2TP_HDR_BAD_LENGTH, false, 0, 0,
	    0, 0, 0, 0, 0x42, 0x02, 0x00, 0x0b, 0, 5, 0, 6, 0, 4, 1, 2, 3, 4,
	    5, 6),
	HC("data truncated S", L2TP_HDR_TRUNCATED, false, 0, 0, 0, 0, 0, 0,
	    0x08, 0x02, 0, 5, 0, 6, 0),
};
/* clang-format on */

static void
test_hdr_decode(void **state)
{
	struct l2tp_hdr h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hdr_cases) / sizeof(hdr_cases[0]); i++) {
		const struct hdr_case *c = &hdr_cases[i];
		enum l2tp_hdr_status st = l2tp_hdr_decode(c->pkt, c->len, &h);

		if (st != c->st)
			fail_msg("%s: got %s, want %s", c->name,
			    l2tp_hdr_status_str(st),
			    l2tp_hdr_status_str(c->st));
		if (st != L2TP_HDR_OK)
			continue;
		if (h.is_control != c->control || h.tunnel_id != c->tunnel ||
		    h.session_id != c->session || h.ns != c->ns ||
		    h.nr != c->nr || h.payload_off != c->payload_off ||
		    h.payload_len != c->payload_len)
			fail_msg("%s: ctl %d tid %u sid %u ns %u nr %u off %u "
				 "len %u",
			    c->name, h.is_control, h.tunnel_id, h.session_id,
			    h.ns, h.nr, h.payload_off, h.payload_len);
	}
}

/* ---- §4.4 M bits and lengths, independent of avp_table.c ---- */

/* Every AVP whose §4.4 text says "The M-bit for this AVP MUST be set to 0". */
/* clang-format off */
static const uint16_t m_zero[] = {
	L2TP_AVP_TIE_BREAKER, L2TP_AVP_FIRMWARE_REVISION,
	L2TP_AVP_VENDOR_NAME, L2TP_AVP_PHYSICAL_CHANNEL_ID,
	L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, L2TP_AVP_LAST_SENT_LCP_CONFREQ,
	L2TP_AVP_LAST_RCVD_LCP_CONFREQ, L2TP_AVP_PROXY_AUTHEN_TYPE,
	L2TP_AVP_PROXY_AUTHEN_NAME, L2TP_AVP_PROXY_AUTHEN_CHALLENGE,
	L2TP_AVP_PROXY_AUTHEN_ID, L2TP_AVP_PROXY_AUTHEN_RESPONSE,
	L2TP_AVP_PRIVATE_GROUP_ID, L2TP_AVP_RX_CONNECT_SPEED,
};
/* clang-format on */
/* Every AVP whose §4.4 text says "This AVP MUST NOT be hidden". */
/* clang-format off */
static const uint16_t never_hidden[] = {
	L2TP_AVP_MESSAGE_TYPE, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_RESULT_CODE,
	L2TP_AVP_PROTOCOL_VERSION, L2TP_AVP_TIE_BREAKER, L2TP_AVP_HOST_NAME,
	L2TP_AVP_RECEIVE_WINDOW_SIZE, L2TP_AVP_Q931_CAUSE,
	L2TP_AVP_SEQUENCING_REQUIRED,
};
/* clang-format on */

static bool
in_list(const uint16_t *l, size_t n, uint16_t t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i] == t)
			return true;
	return false;
}

/* ---- round trips ---- */

static const struct l2tp_secret secret = { (const uint8_t *)"s3cr3t", 6 };

/* Gives every allowed AVP of the message a distinctive value. */
static void
fill(struct l2tp_msg *m, const struct l2tp_msg_spec *s)
{
	const struct l2tp_avp_desc *d;
	uint8_t *f;
	uint16_t t, u16;
	uint32_t u32;
	size_t i;

	for (t = 1; t <= L2TP_AVP_TYPE_MAX; t++) {
		if (!(s->allowed & L2TP_AVP_BIT(t)) ||
		    t == L2TP_AVP_RANDOM_VECTOR)
			continue;
		d = l2tp_avp_desc_get(t);
		assert_non_null(d);
		f = (uint8_t *)m + d->off;
		l2tp_msg_set(m, t);
		switch (d->kind) {
		case L2TP_AVPK_U16:
			u16 = (uint16_t)(0x1100 + t);
			memcpy(f, &u16, 2);
			break;
		case L2TP_AVPK_U32:
			u32 = 0x81000000u + t;
			memcpy(f, &u32, 4);
			break;
		case L2TP_AVPK_OCTETS:
			for (i = 0; i < d->size; i++)
				f[i] = (uint8_t)(t + i);
			break;
		case L2TP_AVPK_STRING:
			snprintf((char *)f, d->size, "%s #%u", d->name, t);
			break;
		case L2TP_AVPK_BYTES:
			((struct l2tp_bytes *)f)->len = (uint16_t)(t + 1);
			for (i = 0; i <= t; i++)
				((struct l2tp_bytes *)f)->data[i] =
				    (uint8_t)(i ^ t);
			break;
		case L2TP_AVPK_NONE:
			break;
		case L2TP_AVPK_CUSTOM:
		case L2TP_AVPK_UNUSED:
		case L2TP_AVPK_MSG_TYPE:
		case L2TP_AVPK_RANDOM:
			break;
		}
	}
	m->proto_ver = 1;
	m->proto_rev = 0;
	m->result.result = 2;
	m->result.has_error = true;
	m->result.error = L2TP_ERR_VENDOR;
	strcpy(m->result.message, "out of cheese");
	m->q931.cause = 0x10;
	m->q931.msg = 0x45;
	strcpy(m->q931.advisory, "normal clearing");
	m->call_errors = (struct l2tp_call_errors){ 1, 2, 3, 4, 5, 0xfffffffe };
	m->accm = (struct l2tp_accm){ 0xa0000000, 0x000a0000 };
	/* Fields not sent must stay zero to compare decoded == original. */
	if (!l2tp_msg_has(m, L2TP_AVP_PROTOCOL_VERSION))
		m->proto_ver = 0;
	if (!l2tp_msg_has(m, L2TP_AVP_RESULT_CODE))
		memset(&m->result, 0, sizeof(m->result));
	if (!l2tp_msg_has(m, L2TP_AVP_Q931_CAUSE))
		memset(&m->q931, 0, sizeof(m->q931));
	if (!l2tp_msg_has(m, L2TP_AVP_CALL_ERRORS))
		memset(&m->call_errors, 0, sizeof(m->call_errors));
	if (!l2tp_msg_has(m, L2TP_AVP_ACCM))
		memset(&m->accm, 0, sizeof(m->accm));
}

/* Walks the encoded AVPs and checks order and header bits against §4.4. */
static void
check_wire(const uint8_t *pkt, size_t n, const struct l2tp_msg *m, bool hide)
{
	size_t off = 12, alen;
	uint16_t flags, type, prev = 0;
	bool first = true, seen_rv = false;

	assert_int_equal(get_be16(pkt), 0xc802); /* T L S, Ver 2 */
	assert_int_equal(get_be16(pkt + 2), n);
	while (off < n) {
		flags = get_be16(pkt + off);
		alen = flags & L2TP_AVP_LEN_MASK;
		type = get_be16(pkt + off + 4);
		assert_int_equal(get_be16(pkt + off + 2), 0); /* Vendor 0 */
		assert_int_equal(flags & L2TP_AVP_RESERVED, 0);
		if (first) {
			assert_int_equal(type, L2TP_AVP_MESSAGE_TYPE);
			assert_int_equal(alen, 8);
			assert_int_equal(get_be16(pkt + off + 6), m->type);
			first = false;
		} else if (type == L2TP_AVP_RANDOM_VECTOR) {
			assert_true(hide);
			assert_false(seen_rv);
			seen_rv = true;
		} else {
			assert_true(type > prev); /* type order */
			prev = type;
		}
		if ((flags & L2TP_AVP_M) == 0 &&
		    !in_list(m_zero, sizeof(m_zero) / 2, type))
			fail_msg("%s sent without M", l2tp_avp_type_str(type));
		if ((flags & L2TP_AVP_M) != 0 &&
		    in_list(m_zero, sizeof(m_zero) / 2, type))
			fail_msg("%s sent with M", l2tp_avp_type_str(type));
		if (flags & L2TP_AVP_H) {
			assert_true(seen_rv);
			if (in_list(never_hidden, sizeof(never_hidden) / 2,
				type))
				fail_msg("%s hidden", l2tp_avp_type_str(type));
		} else if (hide &&
		    !in_list(never_hidden, sizeof(never_hidden) / 2, type))
			fail_msg("%s not hidden", l2tp_avp_type_str(type));
		off += alen;
	}
	assert_int_equal(off, n);
}

static void
round_trip(enum l2tp_msg_type t, bool hide)
{
	const struct l2tp_msg_spec *s = l2tp_msg_spec_get(t);
	struct l2tp_msg m, d;
	struct l2tp_err err;
	uint8_t pkt[4096];
	size_t n;

	assert_non_null(s);
	l2tp_msg_init(&m, t, 0x0102, s->session ? 0x0304 : 0);
	m.hdr.ns = 7;
	m.hdr.nr = 9;
	fill(&m, s);
	n = l2tp_msg_encode(&m, &secret, hide, pkt, sizeof(pkt));
	assert_true(n > 12);
	check_wire(pkt, n, &m, hide);
	/* Too small a buffer fails cleanly (hidden AVPs shed padding to
	 * fit, so for them "too small" is below the unpadded size). */
	if (!hide)
		assert_int_equal(l2tp_msg_encode(&m, &secret, hide, pkt, n - 1),
		    0);
	assert_int_equal(l2tp_msg_encode(&m, &secret, hide, pkt, 11), 0);
	n = l2tp_msg_encode(&m, &secret, hide, pkt, sizeof(pkt));

	if (l2tp_msg_decode(pkt, n, &secret, &d, &err) != L2TP_OK)
		fail_msg("%s: %s (%s)", s->name, err.reason,
		    l2tp_avp_type_str(err.avp_type));
	assert_int_equal(d.type, t);
	assert_int_equal(d.hdr.tunnel_id, 0x0102);
	assert_int_equal(d.hdr.session_id, m.hdr.session_id);
	assert_int_equal(d.hdr.ns, 7);
	assert_int_equal(d.hdr.nr, 9);
	if (hide) {
		/* A Random Vector exactly when something is hidden;
		 * only HELLO has nothing to hide. */
		assert_true(l2tp_msg_has(&d, L2TP_AVP_RANDOM_VECTOR) ==
		    (d.hidden != 0));
		assert_true(d.hidden != 0 || t == L2TP_MSG_HELLO);
		d.present &= ~L2TP_AVP_BIT(L2TP_AVP_RANDOM_VECTOR);
		d.hidden = 0;
	}
	/* decode(encode(m)) == m, field for field. */
	d.hdr = m.hdr;
	assert_true(d.present == m.present);
	assert_memory_equal(&d, &m, sizeof(m));
}

static void
test_round_trip_all(void **state)
{
	uint16_t t;

	(void)state;
	for (t = 1; t <= L2TP_MSG_TYPE_MAX; t++) {
		if (l2tp_msg_spec_get(t) == NULL)
			continue;
		round_trip(t, false);
		round_trip(t, true);
	}
}

static void
test_zlb(void **state)
{
	struct l2tp_msg m, d;
	struct l2tp_err err;
	uint8_t pkt[64];
	size_t n;

	(void)state;
	l2tp_msg_init(&m, L2TP_MSG_ZLB, 0x55, 0);
	m.hdr.ns = 3;
	m.hdr.nr = 4;
	n = l2tp_msg_encode(&m, &secret, true, pkt, sizeof(pkt));
	assert_int_equal(n, 12);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &d, &err), L2TP_OK);
	assert_int_equal(d.type, L2TP_MSG_ZLB);
	assert_true(d.present == 0);
	assert_int_equal(d.hdr.ns, 3);
	assert_int_equal(d.hdr.nr, 4);
}

/* An SCCRQ built byte by byte from §4.4 and decoded: the independent
 * check that the table's formats are the RFC's. */
/* clang-format off */
static const uint8_t sccrq_wire[] = {
	0xc8, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x08, 0, 0, 0, 0, 0x00, 0x01,		/* Message Type 1 */
	0x80, 0x08, 0, 0, 0, 2, 0x01, 0x00,		/* Protocol Version 1.0 */
	0x80, 0x0a, 0, 0, 0, 3, 0, 0, 0, 3,		/* Framing Cap sync|async */
	0x80, 0x0a, 0, 0, 0, 4, 0, 0, 0, 2,		/* Bearer Cap analog */
	0x00, 0x0e, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8,	/* Tie Breaker */
	0x00, 0x08, 0, 0, 0, 6, 0x06, 0x90,		/* Firmware 0x0690 */
	0x80, 0x09, 0, 0, 0, 7, 'l', 'a', 'c',		/* Host Name */
	0x00, 0x0a, 0, 0, 0, 8, 'x', 'l', '2', 't',	/* Vendor Name */
	0x80, 0x08, 0, 0, 0, 9, 0xbe, 0xef,		/* Assigned Tunnel ID */
	0x80, 0x08, 0, 0, 0, 10, 0x00, 0x10,		/* Receive Window 16 */
	0x80, 0x0a, 0, 0, 0, 11, 9, 8, 7, 6,		/* Challenge */
};
/* clang-format on */

static void
test_sccrq_wire(void **state)
{
	struct l2tp_msg m;
	struct l2tp_err err;
	uint8_t pkt[sizeof(sccrq_wire)], out[256];
	const uint8_t tb[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	size_t n;

	(void)state;
	memcpy(pkt, sccrq_wire, sizeof(pkt));
	put_be16(pkt + 2, sizeof(pkt));
	assert_int_equal(l2tp_msg_decode(pkt, sizeof(pkt), NULL, &m, &err),
	    L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_SCCRQ);
	assert_int_equal(m.proto_ver, 1);
	assert_int_equal(m.proto_rev, 0);
	assert_int_equal(m.framing_cap, 3);
	assert_int_equal(m.bearer_cap, 2);
	assert_memory_equal(m.tie_breaker, tb, 8);
	assert_int_equal(m.firmware_rev, 0x0690);
	assert_string_equal(m.host_name, "lac");
	assert_string_equal(m.vendor_name, "xl2t");
	assert_int_equal(m.assigned_tunnel_id, 0xbeef);
	assert_int_equal(m.receive_window, 16);
	assert_int_equal(m.challenge.len, 4);
	assert_int_equal(m.challenge.data[3], 6);
	/* Our encoder produces the very same bytes (type order, M bits). */
	n = l2tp_msg_encode(&m, NULL, false, out, sizeof(out));
	assert_int_equal(n, sizeof(pkt));
	assert_memory_equal(out, pkt, n);
}

/* §4.4.2 Result Code: 8, 10 or 10 + message; §4.4.4 Q.931: 9 + advisory. */
static void
test_result_and_q931_layouts(void **state)
{
	/* clang-format off */
	static const uint8_t cdn[] = {
		0xc8, 0x02, 0x00, 0x00, 0, 1, 0, 2, 0, 0, 0, 0,
		0x80, 0x08, 0, 0, 0, 0, 0, 14,
		0x80, 0x08, 0, 0, 0, 1, 0, 3,		/* result only */
		0x80, 0x0c, 0, 0, 0, 12, 0, 16, 0x45, 'b', 'y', 'e',
		0x80, 0x08, 0, 0, 0, 14, 0, 5,
	};
	/* clang-format on */
	/* clang-format off */
	static const uint8_t cdn2[] = {
		0xc8, 0x02, 0x00, 0x00, 0, 1, 0, 2, 0, 0, 0, 0,
		0x80, 0x08, 0, 0, 0, 0, 0, 14,
		0x80, 0x0d, 0, 0, 0, 1, 0, 2, 0, 6, 'o', 'o', 'p',
		0x80, 0x09, 0, 0, 0, 12, 0, 16, 0x45,	/* no advisory */
		0x80, 0x08, 0, 0, 0, 14, 0, 5,
	};
	/* clang-format on */
	struct l2tp_msg m, e;
	struct l2tp_err err;
	uint8_t pkt[64], out[128];
	size_t n;

	(void)state;
	memcpy(pkt, cdn, sizeof(cdn));
	put_be16(pkt + 2, sizeof(cdn));
	assert_int_equal(l2tp_msg_decode(pkt, sizeof(cdn), NULL, &m, &err),
	    L2TP_OK);
	assert_int_equal(m.result.result, L2TP_CDN_ADMIN);
	assert_false(m.result.has_error);
	assert_string_equal(m.result.message, "");
	assert_int_equal(m.q931.cause, 16);
	assert_int_equal(m.q931.msg, 0x45);
	assert_string_equal(m.q931.advisory, "bye");
	n = l2tp_msg_encode(&m, NULL, false, out, sizeof(out));
	assert_int_equal(n, sizeof(cdn));
	assert_memory_equal(out, pkt, n);

	memcpy(pkt, cdn2, sizeof(cdn2));
	put_be16(pkt + 2, sizeof(cdn2));
	assert_int_equal(l2tp_msg_decode(pkt, sizeof(cdn2), NULL, &m, &err),
	    L2TP_OK);
	assert_int_equal(m.result.result, 2);
	assert_true(m.result.has_error);
	assert_int_equal(m.result.error, 6);
	assert_string_equal(m.result.message, "oop");
	assert_string_equal(m.q931.advisory, "");
	n = l2tp_msg_encode(&m, NULL, false, out, sizeof(out));
	assert_int_equal(n, sizeof(cdn2));
	assert_memory_equal(out, pkt, n);

	/* Error code without message: Length 10. */
	l2tp_msg_init(&e, L2TP_MSG_STOPCCN, 1, 0);
	e.assigned_tunnel_id = 4;
	e.result.result = 2;
	e.result.has_error = true;
	e.result.error = 8;
	l2tp_msg_set(&e, L2TP_AVP_RESULT_CODE);
	l2tp_msg_set(&e, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	n = l2tp_msg_encode(&e, NULL, false, out, sizeof(out));
	assert_int_equal(n, 12 + 8 + 10 + 8);
	assert_int_equal(get_be16(out + 20) & L2TP_AVP_LEN_MASK, 10);
	assert_int_equal(get_be16(out + 26), 2);
	assert_int_equal(get_be16(out + 28), 8);
}

/* §4.4.6 Call Errors (32) and ACCM (16): reserved 2 octets then counters. */
static void
test_call_errors_accm_layouts(void **state)
{
	struct l2tp_msg m;
	uint8_t out[128];
	size_t n;

	(void)state;
	l2tp_msg_init(&m, L2TP_MSG_WEN, 1, 2);
	m.call_errors = (struct l2tp_call_errors){ 0x01020304, 5, 6, 7, 8,
		0x0a0b0c0d };
	l2tp_msg_set(&m, L2TP_AVP_CALL_ERRORS);
	n = l2tp_msg_encode(&m, NULL, false, out, sizeof(out));
	assert_int_equal(n, 12 + 8 + 32);
	assert_int_equal(get_be16(out + 20), 0x8000 | 32);
	assert_int_equal(get_be16(out + 26), 0);      /* reserved */
	assert_int_equal(get_be16(out + 28), 0x0102); /* CRC (H) */
	assert_int_equal(get_be16(out + 30), 0x0304); /* CRC (L) */
	assert_int_equal(out[51], 0x0d);	      /* Alignment (L) */

	l2tp_msg_init(&m, L2TP_MSG_SLI, 1, 2);
	m.accm = (struct l2tp_accm){ 0x11223344, 0x55667788 };
	l2tp_msg_set(&m, L2TP_AVP_ACCM);
	n = l2tp_msg_encode(&m, NULL, false, out, sizeof(out));
	assert_int_equal(n, 12 + 8 + 16);
	assert_int_equal(get_be16(out + 26), 0);
	assert_int_equal(get_be16(out + 28), 0x1122);
	assert_int_equal(get_be16(out + 34), 0x7788);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(l2tp_msg_type_str(L2TP_MSG_SCCRQ), "SCCRQ");
	assert_string_equal(l2tp_msg_type_str(L2TP_MSG_STOPCCN), "StopCCN");
	assert_string_equal(l2tp_msg_type_str(L2TP_MSG_ZLB), "ZLB");
	assert_string_equal(l2tp_msg_type_str((enum l2tp_msg_type)5),
	    "unknown message type");
	assert_string_equal(l2tp_avp_type_str(L2TP_AVP_ASSIGNED_TUNNEL_ID),
	    "Assigned Tunnel ID");
	assert_string_equal(l2tp_avp_type_str(20), "unknown AVP");
	assert_string_equal(l2tp_avp_type_str(1000), "unknown AVP");
	assert_string_equal(l2tp_verdict_str(L2TP_REJECT_SESSION),
	    "reject session");
	assert_string_equal(l2tp_stopccn_result_str(1),
	    "general request to clear control connection");
	assert_string_equal(l2tp_stopccn_result_str(99), "unknown result code");
	assert_string_equal(l2tp_cdn_result_str(L2TP_CDN_BUSY), "busy signal");
	/* One table gives both the log text and the show-stats token; every
	 * code a counter exists for has both. */
	assert_string_equal(l2tp_stopccn_result_token(L2TP_STOPCCN_GENERAL),
	    "general-request");
	assert_string_equal(l2tp_stopccn_result_token(L2TP_STOPCCN_FSM_ERROR),
	    "fsm-error");
	assert_string_equal(l2tp_cdn_result_token(L2TP_CDN_TIMEOUT), "timeout");
	assert_string_equal(l2tp_cdn_result_token(L2TP_CDN_BAD_FRAMING),
	    "no-framing");
	assert_string_equal(l2tp_cdn_result_str(L2TP_CDN_BAD_FRAMING),
	    "no appropriate framing detected");
	assert_string_equal(l2tp_stopccn_result_token(L2TP_STOPCCN_NCODES),
	    "unknown");
	assert_string_equal(l2tp_cdn_result_token(L2TP_CDN_NCODES), "unknown");
	for (uint16_t c = 0; c < L2TP_STOPCCN_NCODES; c++) {
		assert_non_null(l2tp_stopccn_result_str(c));
		assert_non_null(l2tp_stopccn_result_token(c));
	}
	for (uint16_t c = 0; c < L2TP_CDN_NCODES; c++) {
		assert_non_null(l2tp_cdn_result_str(c));
		assert_non_null(l2tp_cdn_result_token(c));
	}
	assert_string_equal(l2tp_error_code_str(L2TP_ERR_BAD_LENGTH),
	    "length is wrong");
	assert_string_equal(l2tp_error_code_str(9), "unknown error code");
	assert_true(l2tp_msg_is_session_msg(L2TP_MSG_ICRQ));
	assert_true(l2tp_msg_is_session_msg(L2TP_MSG_SLI));
	assert_false(l2tp_msg_is_session_msg(L2TP_MSG_HELLO));
	assert_false(l2tp_msg_is_session_msg(L2TP_MSG_STOPCCN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_decode),
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_zlb),
		cmocka_unit_test(test_sccrq_wire),
		cmocka_unit_test(test_result_and_q931_layouts),
		cmocka_unit_test(test_call_errors_accm_layouts),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
