/*
 * test_access_line.c — the access line in its three encodings, each
 * checked byte for byte against a layout written from its specification:
 * the TR-101 §3.9.3 PPPoE Vendor-Specific TAG, the RFC 4679 §3.3 DSL
 * Forum RADIUS attributes and the RFC 5515 L2TP AVPs in an ICRQ; and the
 * LAC's own circuit id (insert-circuit-id).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/access_line.h"
#include "l2tp/avp_bbf.h"
#include "l2tp/msg.h"
#include "pppoe/pppoe_tr101.h"
#include "radius/radius_codec.h"
#include "radius/radius_dslf.h"
#include "roles/lac_priv.h"

/* A PADR's TAG list as an access node sends it: Service-Name, then the
 * Broadband Forum Vendor-Specific TAG. */
/* clang-format off */
static const uint8_t padr_tags[] = {
	0x01, 0x01, 0x00, 0x00,		/* Service-Name, length 0 (RFC 2516 App. A) */
	0x01, 0x05, 0x00, 0x2a,		/* Vendor-Specific (0x0105), length 42 */
	0x00, 0x00, 0x0d, 0xe9,		/* vendor-id 3561 (Broadband Forum) */
	0x01, 0x0b,			/* 0x01 Agent-Circuit-Id, 11 octets */
	'd', 's', 'l', 'a', 'm', '1', ' ', '1', '/', '2', '3',
	0x02, 0x06,			/* 0x02 Agent-Remote-Id, 6 octets */
	'c', 'u', 's', 't', '4', '2',
	0x81, 0x04, 0x00, 0x00, 0x03, 0xe8,	/* 0x81 Actual-Data-Rate-Upstream: 1000 kbps */
	0x82, 0x04, 0x00, 0x00, 0x3e, 0x80,	/* 0x82 Actual-Data-Rate-Downstream: 16000 kbps */
	0x90, 0x03, 0x02, 0x01, 0x00,	/* 0x90 Access-Loop-Encapsulation: Ethernet, untagged, NA */
};
/* clang-format on */

static void
test_tr101_parse(void **state)
{
	struct access_line al;
	unsigned skipped = 0;

	(void)state;
	assert_int_equal(pppoe_tr101_parse(padr_tags, sizeof(padr_tags), &al,
			     &skipped),
	    PPPOE_TR101_OK);
	assert_int_equal(skipped, 0);
	assert_string_equal(access_line_text(&al, ACCESS_LINE_CIRCUIT_ID),
	    "dslam1 1/23");
	assert_string_equal(access_line_text(&al, ACCESS_LINE_REMOTE_ID),
	    "cust42");
	/* TR-101 codes rates in kbps; kept in bps */
	assert_true(access_line_has(&al, ACCESS_LINE_ACT_RATE_UP));
	assert_int_equal(al.num[ACCESS_LINE_ACT_RATE_UP], 1000000);
	assert_int_equal(al.num[ACCESS_LINE_ACT_RATE_DOWN], 16000000);
	assert_true(access_line_has(&al, ACCESS_LINE_ENCAPS_FIELD));
	assert_memory_equal(al.encaps, "\x02\x01\x00", 3);
	assert_false(access_line_has(&al, ACCESS_LINE_MIN_RATE_UP));
}

static void
test_tr101_build_is_the_layout(void **state)
{
	struct access_line al;
	uint8_t v[256];
	int n;

	(void)state;
	assert_int_equal(pppoe_tr101_parse(padr_tags, sizeof(padr_tags), &al,
			     NULL),
	    PPPOE_TR101_OK);
	n = pppoe_tr101_build(&al, v, sizeof(v));
	/* the value of the TAG above: bytes 8.. of padr_tags */
	assert_int_equal(n, 42);
	assert_memory_equal(v, padr_tags + 8, 42);
	assert_int_equal(pppoe_tr101_build(&al, v, 10), -1);
}

static void
test_tr101_other_vendors_and_bad_suboptions(void **state)
{
	/* clang-format off */
	static const uint8_t tags[] = {
		0x01, 0x05, 0x00, 0x06,	/* Vendor-Specific of vendor 9 */
		0x00, 0x00, 0x00, 0x09, 0x01, 0x00,
		0x01, 0x05, 0x00, 0x13,	/* the Broadband Forum's, 19 octets */
		0x00, 0x00, 0x0d, 0xe9,
		0x81, 0x02, 0x00, 0x01,	/* a rate of 2 octets: skipped */
		0x7f, 0x01, 0x00,	/* unknown sub-option: skipped */
		0x01, 0x00,		/* empty circuit id: skipped */
		0x83, 0x04, 0x00, 0x00, 0x00, 0x40, /* Minimum up: 64 kbps */
		0x00, 0x00, 0x00, 0x00,	/* End-Of-List */
	};
	static const uint8_t overrun[] = {
		0x01, 0x05, 0x00, 0x08,
		0x00, 0x00, 0x0d, 0xe9,
		0x01, 0x05, 'a', 'b',	/* 5 octets announced, 2 left */
	};
	static const uint8_t none[] = { 0x01, 0x01, 0x00, 0x00 };
	/* clang-format on */
	struct access_line al;
	unsigned skipped = 0;

	(void)state;
	assert_int_equal(pppoe_tr101_parse(tags, sizeof(tags), &al, &skipped),
	    PPPOE_TR101_OK);
	assert_int_equal(skipped, 3);
	assert_int_equal(al.present, 1u << ACCESS_LINE_MIN_RATE_UP);
	assert_int_equal(al.num[ACCESS_LINE_MIN_RATE_UP], 64000);
	assert_int_equal(pppoe_tr101_parse(overrun, sizeof(overrun), &al, NULL),
	    PPPOE_TR101_MALFORMED);
	assert_int_equal(al.present, 0);
	assert_int_equal(pppoe_tr101_parse(none, sizeof(none), &al, NULL),
	    PPPOE_TR101_NONE);
}

static void
test_tr101_id_limit(void **state)
{
	uint8_t tags[4 + 4 + 2 + 64];
	struct access_line al;
	unsigned skipped = 0;

	(void)state;
	/* TR-101 / RFC 4679 §3.3.1: a circuit id is at most 63 octets */
	tags[0] = 0x01, tags[1] = 0x05, tags[2] = 0, tags[3] = 4 + 2 + 64;
	tags[4] = 0, tags[5] = 0, tags[6] = 0x0d, tags[7] = 0xe9;
	tags[8] = 0x01, tags[9] = 64;
	memset(tags + 10, 'x', 64);
	assert_int_equal(pppoe_tr101_parse(tags, sizeof(tags), &al, &skipped),
	    PPPOE_TR101_OK);
	assert_int_equal(skipped, 1);
	assert_false(access_line_has(&al, ACCESS_LINE_CIRCUIT_ID));
	tags[3] = 4 + 2 + 63, tags[9] = 63;
	assert_int_equal(pppoe_tr101_parse(tags, sizeof(tags) - 1, &al, NULL),
	    PPPOE_TR101_OK);
	assert_int_equal(strlen(access_line_text(&al, ACCESS_LINE_CIRCUIT_ID)),
	    63);
}

static void
test_radius_attributes(void **state)
{
	/* clang-format off */
	static const uint8_t want[] = {
		26, 19, 0x00, 0x00, 0x0d, 0xe9,	/* Vendor-Specific, Vendor-Id 3561 */
		1, 13, 'd', 's', 'l', 'a', 'm', '1', ' ', '1', '/', '2', '3',
						/* Agent-Circuit-Id (RFC 4679 §3.3.1) */
		26, 14, 0x00, 0x00, 0x0d, 0xe9,
		2, 8, 'c', 'u', 's', 't', '4', '2', /* Agent-Remote-Id (§3.3.2) */
		26, 12, 0x00, 0x00, 0x0d, 0xe9,
		129, 6, 0x00, 0x0f, 0x42, 0x40,	/* Actual-Data-Rate-Upstream: 1000000 bps (§3.3.3) */
		26, 12, 0x00, 0x00, 0x0d, 0xe9,
		130, 6, 0x00, 0xf4, 0x24, 0x00,	/* Actual-Data-Rate-Downstream: 16000000 bps (§3.3.4) */
		26, 11, 0x00, 0x00, 0x0d, 0xe9,
		144, 5, 0x02, 0x01, 0x00,	/* Access-Loop-Encapsulation (§3.3.17) */
	};
	/* clang-format on */
	struct radius_packet p;
	struct access_line al;

	(void)state;
	assert_int_equal(pppoe_tr101_parse(padr_tags, sizeof(padr_tags), &al,
			     NULL),
	    PPPOE_TR101_OK);
	radius_packet_init(&p, 1, 7, NULL);
	assert_int_equal(radius_put_access_line(&p, &al), RADIUS_OK);
	assert_int_equal(get_be16(p.data + 2), 20 + sizeof(want));
	assert_memory_equal(p.data + 20, want, sizeof(want));
	/* nothing for no line */
	radius_packet_init(&p, 1, 7, NULL);
	assert_int_equal(radius_put_access_line(&p, NULL), RADIUS_OK);
	assert_int_equal(get_be16(p.data + 2), 20);
}

/* An ICRQ carrying the line: its AVPs after the RFC 2661 ones. */
static size_t
icrq(const struct access_line *al, uint8_t *out, size_t cap)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_ICRQ, 5, 0);
	m.assigned_session_id = 9;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.call_serial = 1;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	m.access_line = *al;
	return l2tp_msg_encode(&m, NULL, false, out, cap);
}

static void
test_l2tp_avps(void **state)
{
	/* clang-format off */
	static const uint8_t want[] = {
		/* RFC 5515 §3: M=0 H=0, Length, Vendor ID 3561, type */
		0x00, 0x11, 0x0d, 0xe9, 0x00, 0x01,
		'd', 's', 'l', 'a', 'm', '1', ' ', '1', '/', '2', '3',
		0x00, 0x0c, 0x0d, 0xe9, 0x00, 0x02, 'c', 'u', 's', 't', '4', '2',
		/* Actual-Data-Rate-Upstream: 64-bit bps */
		0x00, 0x0e, 0x0d, 0xe9, 0x00, 0x81,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x42, 0x40,
		0x00, 0x0e, 0x0d, 0xe9, 0x00, 0x82,
		0x00, 0x00, 0x00, 0x00, 0x00, 0xf4, 0x24, 0x00,
		/* Access-Loop-Encapsulation: 3 octets */
		0x00, 0x09, 0x0d, 0xe9, 0x00, 0x90, 0x02, 0x01, 0x00,
	};
	/* clang-format on */
	struct access_line al;
	uint8_t buf[512];
	struct l2tp_msg m;
	struct l2tp_err err;
	size_t n;

	(void)state;
	assert_int_equal(pppoe_tr101_parse(padr_tags, sizeof(padr_tags), &al,
			     NULL),
	    PPPOE_TR101_OK);
	n = icrq(&al, buf, sizeof(buf));
	assert_true(n > sizeof(want));
	assert_memory_equal(buf + n - sizeof(want), want, sizeof(want));
	assert_int_equal(l2tp_msg_decode(buf, n, NULL, &m, &err), L2TP_OK);
	assert_int_equal(m.access_line.present, al.present);
	assert_memory_equal(&m.access_line, &al, sizeof(al));
}

static void
test_l2tp_avps_unknown_and_elsewhere(void **state)
{
	struct access_line al;
	uint8_t buf[512];
	struct l2tp_msg m;
	struct l2tp_err err;
	size_t n;

	(void)state;
	memset(&al, 0, sizeof(al));
	assert_int_equal(access_line_set_text(&al, ACCESS_LINE_CIRCUIT_ID, "c",
			     1),
	    0);
	n = icrq(&al, buf, sizeof(buf));
	/* the last AVP is Agent-Circuit-Id (7 octets): make its type one
	 * vpdn does not know, with M set → §4.2 clears the session */
	buf[n - 7] |= 0x80;
	put_be16(buf + n - 3, 0x00fe);
	assert_int_equal(l2tp_msg_decode(buf, n, NULL, &m, &err),
	    L2TP_REJECT_SESSION);
	/* the same without M is ignored */
	buf[n - 7] &= 0x7f;
	assert_int_equal(l2tp_msg_decode(buf, n, NULL, &m, &err), L2TP_OK);
	assert_int_equal(m.access_line.present, 0);
	/* a known one of the wrong length is ignored too */
	put_be16(buf + n - 3, 0x0081);
	assert_int_equal(l2tp_msg_decode(buf, n, NULL, &m, &err), L2TP_OK);
	assert_int_equal(m.access_line.present, 0);
	assert_string_equal(l2tp_avp_bbf_type_str(0x90),
	    "Access-Loop-Encapsulation");
	assert_null(l2tp_avp_bbf_type_str(0x1ff));
}

static void
test_circuit_id_format(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x2a };
	char out[64];

	(void)state;
	assert_int_equal(lac_circuit_id_format("%i:%v", "eth1.100", mac, out,
			     sizeof(out)),
	    0);
	assert_string_equal(out, "eth1.100:100");
	assert_int_equal(lac_circuit_id_format("%i:%v", "eth1", mac, out,
			     sizeof(out)),
	    0);
	assert_string_equal(out, "eth1:0");
	assert_int_equal(lac_circuit_id_format("%m 100%%", "eth1", mac, out,
			     sizeof(out)),
	    0);
	assert_string_equal(out, "02:00:00:00:00:2a 100%");
	/* over 63 octets: none */
	assert_int_equal(lac_circuit_id_format("%m%m%m%m", "eth1", mac, out,
			     sizeof(out)),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tr101_parse),
		cmocka_unit_test(test_tr101_build_is_the_layout),
		cmocka_unit_test(test_tr101_other_vendors_and_bad_suboptions),
		cmocka_unit_test(test_tr101_id_limit),
		cmocka_unit_test(test_radius_attributes),
		cmocka_unit_test(test_l2tp_avps),
		cmocka_unit_test(test_l2tp_avps_unknown_and_elsewhere),
		cmocka_unit_test(test_circuit_id_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
