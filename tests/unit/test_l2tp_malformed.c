/*
 * test_l2tp_malformed.c — table of malformed control messages and the
 * verdict RFC 2661 asks for (choices documented at the top of msg.c).
 * Rows marked FIX get their header Length patched to the row's size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "l2tp/hidden.h"
#include "l2tp/msg.h"

/* Control header to tunnel 1, session 0 / session 2, Length patched. */
#define H	     0xc8, 0x02, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
#define HS	     0xc8, 0x02, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0
#define MT(t)	     0x80, 0x08, 0, 0, 0, 0, 0, (t)
#define U16(f, t, v) (f), 0x08, 0, 0, 0, (t), (uint8_t)((v) >> 8), (uint8_t)(v)
#define SID(v)	     U16(0x80, 14, v)
#define RESULT	     0x80, 0x08, 0, 0, 0, 1, 0, 1
#define M	     0x80
#define NOFIX	     0
#define FIX	     1

struct bad_case {
	const char *name;
	uint8_t pkt[96];
	size_t len;
	int fix;
	enum l2tp_verdict verdict;
	uint16_t result, error, avp;
	enum l2tp_msg_type type; /* when OK */
};

/* clang-format off */
#define ROW(n, fix, v, res, e, avp, ty, ...) \
	{ n, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), fix, v, \
	  res, e, avp, ty }
#define DROP(n, fix, ...)	ROW(n, fix, L2TP_DROP, 0, 0, 0, 0, __VA_ARGS__)
#define OK(n, ty, ...)		ROW(n, FIX, L2TP_OK, 0, 0, 0, ty, __VA_ARGS__)
#define RT(n, e, avp, ...)	ROW(n, FIX, L2TP_REJECT_TUNNEL, 2, e, avp, 0, \
				    __VA_ARGS__)
#define RS(n, e, avp, ...)	ROW(n, FIX, L2TP_REJECT_SESSION, 2, e, avp, \
				    0, __VA_ARGS__)

static const struct bad_case cases[] = {
	/* §3.1 header */
	DROP("truncated header", NOFIX, 0xc8, 0x02, 0, 12, 0, 1),
	DROP("Length beyond datagram", NOFIX,
	    0xc8, 0x02, 0, 40, 0, 1, 0, 0, 0, 0, 0, 0, MT(6)),
	DROP("Length < header", NOFIX,
	    0xc8, 0x02, 0, 10, 0, 1, 0, 0, 0, 0, 0, 0),
	DROP("control with O bit", FIX,
	    0xca, 0x02, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, MT(6)),
	DROP("control without L", NOFIX,
	    0x88, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, MT(6)),
	DROP("control without S", FIX, 0xc0, 0x02, 0, 0, 0, 1, 0, 0, MT(6)),
	/* §3.1: "Packets received with an unknown Ver field MUST be
	 * discarded" — no StopCCN result 5 for a header version. */
	DROP("header version 1 (L2F)", FIX,
	    0xc8, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, MT(6)),
	DROP("header version 3", FIX,
	    0xc8, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, MT(6)),
	DROP("data message", NOFIX, 0x00, 0x02, 0, 1, 0, 2, 0xff, 0x03),
	OK("ZLB is header only", L2TP_MSG_ZLB, H),
	OK("P and reserved header bits ignored", L2TP_MSG_HELLO,
	    0xf9, 0xf2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, MT(6)),
	/* §4.1 AVP framing */
	DROP("AVP length < 6", FIX, H, MT(6), 0x00, 0x04, 0, 0, 0, 99),
	DROP("AVP length 0", FIX, H, MT(6), 0x00, 0x00, 0, 0, 0, 99),
	DROP("AVP overruns message", FIX, H, MT(6), 0x00, 0x14, 0, 0, 0, 99,
	    1, 2),
	DROP("truncated AVP header", FIX, H, MT(6), 0x00, 0x08, 0),
	/* §4.4.1 Message Type */
	DROP("first AVP not Message Type", FIX, H, SID(5), MT(11)),
	DROP("hidden Message Type", FIX, H, 0xc0, 0x08, 0, 0, 0, 0, 0, 6),
	DROP("Message Type length 10", FIX, H,
	    0x80, 0x0a, 0, 0, 0, 0, 0, 6, 0, 0),
	DROP("Message Type with vendor ID", FIX, H,
	    0x80, 0x08, 0, 9, 0, 0, 0, 6),
	DROP("Message Type with reserved bit", FIX, H,
	    0x84, 0x08, 0, 0, 0, 0, 0, 6),
	RT("unknown message type, M set", L2TP_ERR_BAD_VALUE, 0, H, MT(99)),
	RT("reserved message type 5, M set", L2TP_ERR_BAD_VALUE, 0, H, MT(5)),
	DROP("unknown message type, M clear", FIX, H,
	    0x00, 0x08, 0, 0, 0, 0, 0, 99),
	/* §4.1/§4.2 unrecognised AVPs */
	RT("unknown mandatory AVP, tunnel msg", L2TP_ERR_UNKNOWN_M_AVP, 99,
	    H, MT(6), M, 0x08, 0, 0, 0, 99, 1, 2),
	RS("unknown mandatory AVP, session msg", L2TP_ERR_UNKNOWN_M_AVP, 99,
	    HS, MT(11), SID(5), M, 0x08, 0, 0, 0, 99, 1, 2),
	RT("unused type 20 with M", L2TP_ERR_UNKNOWN_M_AVP, 20,
	    H, MT(6), M, 0x06, 0, 0, 0, 20),
	OK("unknown AVP without M ignored", L2TP_MSG_HELLO,
	    H, MT(6), 0x00, 0x08, 0, 0, 0, 99, 1, 2),
	OK("vendor AVP without M ignored", L2TP_MSG_ICRP,
	    HS, MT(11), 0x00, 0x0a, 0x01, 0x37, 0, 1, 1, 2, 3, 4, SID(5)),
	RS("vendor AVP with M", L2TP_ERR_UNKNOWN_M_AVP, 1,
	    HS, MT(11), M, 0x0a, 0x01, 0x37, 0, 1, 1, 2, 3, 4, SID(5)),
	/* §4.1: "reserved bit set ... MUST be treated as an unrecognized
	 * AVP": even a known type becomes unknown. */
	RS("reserved bit on known AVP with M", L2TP_ERR_UNKNOWN_M_AVP, 14,
	    HS, MT(11), SID(5), 0x84, 0x08, 0, 0, 0, 14, 0, 6),
	OK("reserved bit on AVP without M ignored", L2TP_MSG_ICRP,
	    HS, MT(11), SID(5), 0x20, 0x08, 0, 0, 0, 14, 0, 6),
	OK("known AVP not allowed in message ignored", L2TP_MSG_HELLO,
	    H, MT(6), 0x80, 0x09, 0, 0, 0, 7, 'a', 'b', 'c'),
	/* §6 required AVPs: result 2, error 3 */
	RS("ICRP missing Assigned Session ID", L2TP_ERR_BAD_VALUE, 14,
	    HS, MT(11)),
	RT("StopCCN missing Result Code", L2TP_ERR_BAD_VALUE, 1,
	    H, MT(4), U16(M, 9, 7)),
	RS("CDN missing Result Code", L2TP_ERR_BAD_VALUE, 1,
	    HS, MT(14), SID(5)),
	RS("WEN missing Call Errors", L2TP_ERR_BAD_VALUE, 34, HS, MT(15)),
	/* §4.4.x fixed lengths: result 2, error 2 */
	RS("Assigned Session ID length 10", L2TP_ERR_BAD_LENGTH, 14,
	    HS, MT(11), M, 0x0a, 0, 0, 0, 14, 0, 5, 0, 0),
	RS("Assigned Session ID length 7", L2TP_ERR_BAD_LENGTH, 14,
	    HS, MT(11), M, 0x07, 0, 0, 0, 14, 5),
	RT("Assigned Tunnel ID length 6", L2TP_ERR_BAD_LENGTH, 9,
	    H, MT(4), RESULT, M, 0x06, 0, 0, 0, 9),
	RS("Result Code length 9", L2TP_ERR_BAD_LENGTH, 1,
	    HS, MT(14), M, 0x09, 0, 0, 0, 1, 0, 2, 0, SID(5)),
	RS("Result Code length 7", L2TP_ERR_BAD_LENGTH, 1,
	    HS, MT(14), M, 0x07, 0, 0, 0, 1, 0, SID(5)),
	RS("Q.931 length 8", L2TP_ERR_BAD_LENGTH, 12,
	    HS, MT(14), RESULT, M, 0x08, 0, 0, 0, 12, 0, 1, SID(5)),
	RS("Call Errors length 30", L2TP_ERR_BAD_LENGTH, 34,
	    HS, MT(15), M, 30, 0, 0, 0, 34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	RS("ACCM length 14", L2TP_ERR_BAD_LENGTH, 35,
	    HS, MT(16), M, 14, 0, 0, 0, 35, 0, 0, 1, 2, 3, 4, 5, 6),
	RS("Sequencing Required with a value", L2TP_ERR_BAD_LENGTH, 39,
	    HS, MT(12), M, 10, 0, 0, 0, 19, 0, 0, 0, 1,
	    M, 10, 0, 0, 0, 24, 0, 0, 0, 1, M, 0x07, 0, 0, 0, 39, 1),
	OK("ICCN with Sequencing Required", L2TP_MSG_ICCN,
	    HS, MT(12), M, 10, 0, 0, 0, 19, 0, 0, 0, 1,
	    M, 10, 0, 0, 0, 24, 0, 0, 0, 1, M, 0x06, 0, 0, 0, 39),
	RS("ICCN missing (Tx) Connect Speed", L2TP_ERR_BAD_VALUE, 24,
	    HS, MT(12), M, 10, 0, 0, 0, 19, 0, 0, 0, 1),
	RT("Challenge of 0 octets", L2TP_ERR_BAD_LENGTH, 11,
	    H, MT(2), U16(M, 2, 0x0100), M, 10, 0, 0, 0, 3, 0, 0, 0, 1,
	    M, 7, 0, 0, 0, 7, 'x', U16(M, 9, 3), M, 6, 0, 0, 0, 11),
	RT("Host Name of 0 octets", L2TP_ERR_BAD_LENGTH, 7,
	    H, MT(2), U16(M, 2, 0x0100), M, 10, 0, 0, 0, 3, 0, 0, 0, 1,
	    M, 6, 0, 0, 0, 7, U16(M, 9, 3)),
	RT("Challenge Response of 15 octets", L2TP_ERR_BAD_LENGTH, 13,
	    H, MT(3), M, 21, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 12, 13, 14, 15),
	/* §4.4.3/§4.4.4 "non-zero" IDs: error 3 */
	RS("Assigned Session ID 0", L2TP_ERR_BAD_VALUE, 14,
	    HS, MT(11), SID(0)),
	/* §4.4.3 Protocol Version must be 1.0: StopCCN result 5, error =
	 * highest version supported (1.0). */
	ROW("Protocol Version 1.1", FIX, L2TP_REJECT_TUNNEL, 5, 0x0100, 2, 0,
	    H, MT(1), U16(M, 2, 0x0101), M, 10, 0, 0, 0, 3, 0, 0, 0, 1,
	    M, 7, 0, 0, 0, 7, 'x', U16(M, 9, 3)),
	ROW("Protocol Version 2.0", FIX, L2TP_REJECT_TUNNEL, 5, 0x0100, 2, 0,
	    H, MT(1), U16(M, 2, 0x0200), M, 10, 0, 0, 0, 3, 0, 0, 0, 1,
	    M, 7, 0, 0, 0, 7, 'x', U16(M, 9, 3)),
	OK("SCCRQ minimal", L2TP_MSG_SCCRQ,
	    H, MT(1), U16(M, 2, 0x0100), M, 10, 0, 0, 0, 3, 0, 0, 0, 1,
	    M, 7, 0, 0, 0, 7, 'x', U16(M, 9, 3)),
	/* Postel: the M bit of a known AVP is not checked on receipt. */
	OK("known AVP sent without its M bit", L2TP_MSG_ICRP,
	    HS, MT(11), U16(0, 14, 5)),
	/* §4.3 hidden AVPs without a secret / before a Random Vector */
	DROP("hidden AVP, no secret", FIX, HS, MT(11),
	    M, 22, 0, 0, 0, 36, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	    14, 15, 0xc0, 10, 0, 0, 0, 14, 1, 2, 3, 4),
	DROP("hidden Random Vector", FIX, HS, MT(11),
	    0xc0, 22, 0, 0, 0, 36, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    13, 14, 15, SID(5)),
	/* A bad AVP anywhere still lets framing errors win. */
	DROP("unknown M AVP then overrun", FIX, H, MT(6),
	    M, 0x08, 0, 0, 0, 99, 1, 2, 0x00, 0x20, 0, 0, 0, 99),
};
/* clang-format on */

static void
test_table(void **state)
{
	struct l2tp_msg m;
	struct l2tp_err err;
	uint8_t pkt[96];
	enum l2tp_verdict v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];

		memcpy(pkt, c->pkt, c->len);
		if (c->fix)
			put_be16(pkt + 2, (uint16_t)c->len);
		v = l2tp_msg_decode(pkt, c->len, NULL, &m, &err);
		if (v != c->verdict || err.verdict != v)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    l2tp_verdict_str(v), err.reason,
			    l2tp_verdict_str(c->verdict));
		assert_non_null(err.reason);
		if (v == L2TP_OK && m.type != c->type)
			fail_msg("%s: type %s", c->name,
			    l2tp_msg_type_str(m.type));
		if ((v == L2TP_REJECT_TUNNEL || v == L2TP_REJECT_SESSION) &&
		    (err.result != c->result || err.error != c->error ||
			err.avp_type != c->avp))
			fail_msg("%s: result %u error %u avp %u (%s)", c->name,
			    err.result, err.error, err.avp_type, err.reason);
	}
}

/* Specific follow-ups to rows above. */
static void
test_ignored_avps_leave_no_trace(void **state)
{
	static const uint8_t hello_host[] = { H, MT(6), 0x80, 0x09, 0, 0, 0, 7,
		'a', 'b', 'c' };
	struct l2tp_msg m;
	struct l2tp_err err;
	uint8_t pkt[64];

	(void)state;
	memcpy(pkt, hello_host, sizeof(hello_host));
	put_be16(pkt + 2, sizeof(hello_host));
	assert_int_equal(l2tp_msg_decode(pkt, sizeof(hello_host), NULL, &m,
			     &err),
	    L2TP_OK);
	assert_false(l2tp_msg_has(&m, L2TP_AVP_HOST_NAME));
	assert_string_equal(m.host_name, "");
}

/* On reject, *m still carries the Assigned Session ID for the CDN. */
static void
test_reject_keeps_ids(void **state)
{
	static const uint8_t icrq[] = { HS, MT(10), M, 0x08, 0, 0, 0, 99, 1, 2,
		SID(0x77) };
	struct l2tp_msg m;
	struct l2tp_err err;
	uint8_t pkt[64];

	(void)state;
	memcpy(pkt, icrq, sizeof(icrq));
	put_be16(pkt + 2, sizeof(icrq));
	assert_int_equal(l2tp_msg_decode(pkt, sizeof(icrq), NULL, &m, &err),
	    L2TP_REJECT_SESSION);
	assert_int_equal(err.error, L2TP_ERR_UNKNOWN_M_AVP);
	assert_int_equal(m.type, L2TP_MSG_ICRQ);
	assert_int_equal(m.assigned_session_id, 0x77);
	assert_int_equal(m.hdr.tunnel_id, 1);
}

/* Builds an SCCRQ whose Host Name (M=1) or Vendor Name (M=0) is n octets. */
static size_t
long_name_sccrq(uint8_t *pkt, size_t cap, uint16_t type, bool mbit, size_t n)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w, pkt, cap);
	wr_be16(&w, 0xc802);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 0x8008);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 1);
	wr_be16(&w, 0x8008);
	wr_be16(&w, 0);
	wr_be16(&w, 2);
	wr_be16(&w, 0x100);
	wr_be16(&w, 0x800a);
	wr_be16(&w, 0);
	wr_be16(&w, 3);
	wr_be32(&w, 1);
	if (type != L2TP_AVP_HOST_NAME) {
		wr_be16(&w, 0x8007);
		wr_be16(&w, 0);
		wr_be16(&w, 7);
		wr_u8(&w, 'h');
	}
	wr_be16(&w, (uint16_t)((mbit ? 0x8000 : 0) | (6 + n)));
	wr_be16(&w, 0);
	wr_be16(&w, type);
	for (i = 0; i < n; i++)
		wr_u8(&w, (uint8_t)('a' + i % 26));
	wr_be16(&w, 0x8008);
	wr_be16(&w, 0);
	wr_be16(&w, 9);
	wr_be16(&w, 3);
	wr_be16_at(&w, 2, (uint16_t)w.len);
	assert_false(w.err);
	return w.len;
}

static void
test_oversize_values(void **state)
{
	struct l2tp_msg m;
	struct l2tp_err err;
	uint8_t pkt[1200];
	size_t n;

	(void)state;
	/* 255 octets fit L2TP_MAX_NAME with its NUL. */
	n = long_name_sccrq(pkt, sizeof(pkt), L2TP_AVP_HOST_NAME, true, 255);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &m, &err), L2TP_OK);
	assert_int_equal(strlen(m.host_name), 255);
	/* 256 and the 1017-octet maximum of §4.1: mandatory → reject with
	 * "length is wrong", never truncated. */
	n = long_name_sccrq(pkt, sizeof(pkt), L2TP_AVP_HOST_NAME, true, 256);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &m, &err),
	    L2TP_REJECT_TUNNEL);
	assert_int_equal(err.error, L2TP_ERR_BAD_LENGTH);
	assert_int_equal(err.avp_type, L2TP_AVP_HOST_NAME);
	n = long_name_sccrq(pkt, sizeof(pkt), L2TP_AVP_HOST_NAME, true, 1017);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &m, &err),
	    L2TP_REJECT_TUNNEL);
	/* Non-mandatory Vendor Name too long: ignored, message OK. */
	n = long_name_sccrq(pkt, sizeof(pkt), L2TP_AVP_VENDOR_NAME, false,
	    1000);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &m, &err), L2TP_OK);
	assert_false(l2tp_msg_has(&m, L2TP_AVP_VENDOR_NAME));
	/* Challenge has no fixed length but vpdn caps it at
	 * L2TP_MAX_BYTES. */
	n = long_name_sccrq(pkt, sizeof(pkt), L2TP_AVP_CHALLENGE, true,
	    L2TP_MAX_BYTES);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &m, &err), L2TP_OK);
	assert_int_equal(m.challenge.len, L2TP_MAX_BYTES);
	n = long_name_sccrq(pkt, sizeof(pkt), L2TP_AVP_CHALLENGE, true,
	    L2TP_MAX_BYTES + 1);
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &m, &err),
	    L2TP_REJECT_TUNNEL);
	assert_int_equal(err.avp_type, L2TP_AVP_CHALLENGE);
}

/* Result Code message and Q.931 advisory are log text: truncated safely. */
static void
test_long_texts_truncated(void **state)
{
	struct l2tp_msg m;
	struct l2tp_err err;
	uint8_t pkt[2048];
	struct wbuf w;
	size_t i;

	(void)state;
	wbuf_init(&w, pkt, sizeof(pkt));
	wr_be16(&w, 0xc802);
	wr_be16(&w, 0);
	wr_be16(&w, 1);
	wr_be16(&w, 2);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 0x8008);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 14);
	wr_be16(&w, 0x8000 | 1000);
	wr_be16(&w, 0);
	wr_be16(&w, 1);
	wr_be16(&w, 2);
	wr_be16(&w, 6);
	for (i = 0; i < 1000 - 10; i++)
		wr_u8(&w, 'r');
	wr_be16(&w, 0x8000 | 600);
	wr_be16(&w, 0);
	wr_be16(&w, 12);
	wr_be16(&w, 16);
	wr_u8(&w, 0x45);
	for (i = 0; i < 600 - 9; i++)
		wr_u8(&w, 'q');
	wr_be16(&w, 0x8008);
	wr_be16(&w, 0);
	wr_be16(&w, 14);
	wr_be16(&w, 5);
	wr_be16_at(&w, 2, (uint16_t)w.len);
	assert_false(w.err);
	assert_int_equal(l2tp_msg_decode(pkt, w.len, NULL, &m, &err), L2TP_OK);
	assert_int_equal(strlen(m.result.message), L2TP_MAX_NAME - 1);
	assert_int_equal(strlen(m.q931.advisory), L2TP_MAX_NAME - 1);
	assert_int_equal(m.result.error, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_ignored_avps_leave_no_trace),
		cmocka_unit_test(test_reject_keeps_ids),
		cmocka_unit_test(test_oversize_values),
		cmocka_unit_test(test_long_texts_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
