/*
 * test_l2tp_hidden.c — RFC 2661 §4.3 hidden AVPs.
 *
 * Known answer computed independently with Python's hashlib: type 30 (Proxy
 * Authen Name), secret "secret", RV = bytes(range(16)), value = the 36
 * octets "0123456789abcdefghijklmnopqrstuvwxyz", no padding (so the
 * subformat is 38 octets: two full blocks and a short third one):
 *
 *   import hashlib
 *   S, RV, T = b'secret', bytes(range(16)), 30
 *   v = b'0123456789abcdefghijklmnopqrstuvwxyz'
 *   sub = len(v).to_bytes(2, 'big') + v
 *   out, prev = b'', None
 *   for i in range(0, len(sub), 16):
 *       b = (hashlib.md5(T.to_bytes(2, 'big') + S + RV).digest() if i == 0
 *            else hashlib.md5(S + prev).digest())
 *       c = bytes(x ^ y for x, y in zip(sub[i:i+16], b))
 *       out += c; prev = c
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

/* clang-format off */
static const uint8_t kat_cipher[38] = {
	0xb0, 0x03, 0x97, 0x2b, 0x37, 0x82, 0xdb, 0xd5, 0x2f, 0x61, 0xff,
	0xc8, 0x14, 0x24, 0xce, 0x9d, 0x8f, 0xe1, 0x56, 0x3f, 0xe2, 0xa1,
	0x58, 0x24, 0x75, 0xa9, 0x0e, 0x27, 0x26, 0xa6, 0x40, 0x5c, 0x0a,
	0x19, 0x72, 0x11, 0x00, 0x73,
};
/* clang-format on */
static const char kat_value[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const struct l2tp_secret secret = { (const uint8_t *)"secret", 6 };

static void
rv16(uint8_t rv[16])
{
	int i;

	for (i = 0; i < 16; i++)
		rv[i] = (uint8_t)i;
}

static void
test_known_answer_decrypt(void **state)
{
	uint8_t rv[16], out[64];
	int n;

	(void)state;
	rv16(rv);
	n = l2tp_hidden_decrypt(30, &secret, rv, 16, kat_cipher,
	    sizeof(kat_cipher), out);
	assert_int_equal(n, 36);
	assert_memory_equal(out, kat_value, 36);
}

static void
test_known_answer_encrypt(void **state)
{
	uint8_t rv[16], out[38];
	size_t n;

	(void)state;
	rv16(rv);
	/* cap == 2 + len leaves no room for (random) padding, so the output
	 * is deterministic and must equal the independent computation. */
	n = l2tp_hidden_encrypt(30, &secret, rv, 16, (const uint8_t *)kat_value,
	    36, out, sizeof(out));
	assert_int_equal(n, 38);
	assert_memory_equal(out, kat_cipher, 38);
}

static void
test_round_trip_lengths(void **state)
{
	uint8_t rv[16], val[300], out[400], back[400];
	size_t len, n;
	int r;

	(void)state;
	rv16(rv);
	for (len = 0; len < sizeof(val); len++)
		val[len] = (uint8_t)(len * 7 + 1);
	for (len = 0; len <= 260; len++) {
		n = l2tp_hidden_encrypt((uint16_t)len, &secret, rv, 16, val,
		    len, out, sizeof(out));
		/* Padded to a 16-octet boundary to mask the length. */
		assert_int_equal(n % 16, 0);
		assert_true(n >= len + 2);
		r = l2tp_hidden_decrypt((uint16_t)len, &secret, rv, 16, out, n,
		    back);
		assert_int_equal(r, (int)len);
		assert_memory_equal(back, val, len);
		/* In-place decryption works too. */
		r = l2tp_hidden_decrypt((uint16_t)len, &secret, rv, 16, out, n,
		    out);
		assert_int_equal(r, (int)len);
		assert_memory_equal(out, val, len);
	}
}

static void
test_no_secret_no_room(void **state)
{
	struct l2tp_secret none = { NULL, 0 };
	uint8_t rv[16], out[64];

	(void)state;
	rv16(rv);
	assert_int_equal(l2tp_hidden_encrypt(1, &none, rv, 16,
			     (const uint8_t *)"ab", 2, out, sizeof(out)),
	    0);
	assert_int_equal(l2tp_hidden_encrypt(1, &secret, rv, 16,
			     (const uint8_t *)"ab", 2, out, 3),
	    0);
	assert_int_equal(l2tp_hidden_decrypt(30, &none, rv, 16, kat_cipher,
			     sizeof(kat_cipher), out),
	    -1);
	assert_int_equal(l2tp_hidden_decrypt(30, &secret, rv, 16, kat_cipher, 1,
			     out),
	    -1);
	/* Truncated ciphertext: the embedded length no longer fits. */
	assert_int_equal(l2tp_hidden_decrypt(30, &secret, rv, 16, kat_cipher,
			     20, out),
	    -1);
}

/* ---- through the message codec ---- */

static struct l2tp_msg *
icrp(void)
{
	static struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_ICRP, 7, 9);
	m.assigned_session_id = 0x4242;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	return &m;
}

static void
test_msg_hide_round_trip(void **state)
{
	struct l2tp_msg m, d;
	struct l2tp_err err;
	uint8_t pkt[512];
	size_t n;

	(void)state;
	l2tp_msg_init(&m, L2TP_MSG_SCCRQ, 0, 0);
	m.proto_ver = 1;
	strcpy(m.host_name, "lac.example");
	strcpy(m.vendor_name, "vpdn");
	m.framing_cap = 3;
	m.assigned_tunnel_id = 0x1234;
	m.challenge.len = 16;
	memset(m.challenge.data, 0xaa, 16);
	l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
	l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
	l2tp_msg_set(&m, L2TP_AVP_VENDOR_NAME);
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	l2tp_msg_set(&m, L2TP_AVP_CHALLENGE);

	n = l2tp_msg_encode(&m, &secret, true, pkt, sizeof(pkt));
	assert_true(n > 0);
	/* §4.3: the Random Vector right after Message Type, before any
	 * hidden AVP. */
	assert_int_equal(get_be16(pkt + 12 + 8 + 4), L2TP_AVP_RANDOM_VECTOR);
	assert_int_equal(l2tp_msg_decode(pkt, n, &secret, &d, &err), L2TP_OK);
	/* Hidden exactly the AVPs §4.4 allows to hide. */
	assert_true(d.hidden ==
	    (L2TP_AVP_BIT(L2TP_AVP_VENDOR_NAME) |
		L2TP_AVP_BIT(L2TP_AVP_FRAMING_CAP) |
		L2TP_AVP_BIT(L2TP_AVP_ASSIGNED_TUNNEL_ID) |
		L2TP_AVP_BIT(L2TP_AVP_CHALLENGE)));
	assert_string_equal(d.host_name, "lac.example");
	assert_string_equal(d.vendor_name, "vpdn");
	assert_int_equal(d.framing_cap, 3);
	assert_int_equal(d.assigned_tunnel_id, 0x1234);
	assert_int_equal(d.challenge.len, 16);
	assert_memory_equal(d.challenge.data, m.challenge.data, 16);

	/* Without a secret on the receiving side: §4.3 "The H bit MUST only
	 * be set if a shared secret exists" → dropped. */
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &d, &err), L2TP_DROP);
	assert_string_equal(err.reason, "hidden AVP but no secret");

	/* Without hide, or without a secret, nothing is hidden and there is
	 * no Random Vector. */
	n = l2tp_msg_encode(&m, &secret, false, pkt, sizeof(pkt));
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &d, &err), L2TP_OK);
	assert_true(d.hidden == 0);
	assert_false(l2tp_msg_has(&d, L2TP_AVP_RANDOM_VECTOR));
	n = l2tp_msg_encode(&m, NULL, true, pkt, sizeof(pkt));
	assert_int_equal(l2tp_msg_decode(pkt, n, NULL, &d, &err), L2TP_OK);
	assert_true(d.hidden == 0);
}

/* Splices the Random Vector AVP out of an encoded message. */
static size_t
drop_rv(uint8_t *pkt, size_t n)
{
	size_t off = 12, alen;

	while (off < n) {
		alen = get_be16(pkt + off) & L2TP_AVP_LEN_MASK;
		if (get_be16(pkt + off + 4) == L2TP_AVP_RANDOM_VECTOR) {
			memmove(pkt + off, pkt + off + alen, n - off - alen);
			n -= alen;
			put_be16(pkt + 2, (uint16_t)n);
			return n;
		}
		off += alen;
	}
	fail_msg("no Random Vector");
	return 0;
}

static void
test_msg_hidden_without_rv(void **state)
{
	struct l2tp_msg d;
	struct l2tp_err err;
	uint8_t pkt[256];
	size_t n;

	(void)state;
	n = l2tp_msg_encode(icrp(), &secret, true, pkt, sizeof(pkt));
	assert_true(n > 0);
	assert_int_equal(l2tp_msg_decode(pkt, n, &secret, &d, &err), L2TP_OK);
	assert_true(d.hidden == L2TP_AVP_BIT(L2TP_AVP_ASSIGNED_SESSION_ID));
	assert_int_equal(d.assigned_session_id, 0x4242);
	/* §4.3: the Random Vector "MUST precede the first AVP having an H
	 * bit of 1". */
	n = drop_rv(pkt, n);
	assert_int_equal(l2tp_msg_decode(pkt, n, &secret, &d, &err), L2TP_DROP);
	assert_string_equal(err.reason, "hidden AVP without Random Vector");
	assert_int_equal(err.avp_type, L2TP_AVP_ASSIGNED_SESSION_ID);
}

/* A hand-built hidden message: deterministic, so the wrong-secret case is
 * too.  ICRP, Random Vector 0..15, Assigned Session ID 0x4242 hidden with no
 * padding (2 + 2 octets). */
static size_t
build_hidden_icrp(uint8_t *pkt, const uint8_t *rv_after_avp)
{
	struct wbuf w;
	uint8_t rv[16], ct[4];
	const uint8_t sid[2] = { 0x42, 0x42 };
	size_t n;

	rv16(rv);
	n = l2tp_hidden_encrypt(L2TP_AVP_ASSIGNED_SESSION_ID, &secret, rv, 16,
	    sid, 2, ct, sizeof(ct));
	assert_int_equal(n, 4);
	wbuf_init(&w, pkt, 128);
	wr_be16(&w, 0xc802);
	wr_be16(&w, 0);
	wr_be16(&w, 1);
	wr_be16(&w, 2);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	/* Message Type ICRP */
	wr_be16(&w, 0x8008);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_be16(&w, 11);
	if (rv_after_avp == NULL) {
		wr_be16(&w, 0x8000 | 22);
		wr_be16(&w, 0);
		wr_be16(&w, L2TP_AVP_RANDOM_VECTOR);
		wr_bytes(&w, rv, 16);
	}
	wr_be16(&w, 0xc000 | 10);
	wr_be16(&w, 0);
	wr_be16(&w, L2TP_AVP_ASSIGNED_SESSION_ID);
	wr_bytes(&w, ct, 4);
	if (rv_after_avp != NULL) {
		wr_be16(&w, 0x8000 | 22);
		wr_be16(&w, 0);
		wr_be16(&w, L2TP_AVP_RANDOM_VECTOR);
		wr_bytes(&w, rv, 16);
	}
	wr_be16_at(&w, 2, (uint16_t)w.len);
	assert_false(w.err);
	return w.len;
}

static void
test_msg_hidden_wire(void **state)
{
	struct l2tp_secret wrong = { (const uint8_t *)"secreT", 6 };
	struct l2tp_msg d;
	struct l2tp_err err;
	uint8_t pkt[128];
	size_t n;

	(void)state;
	n = build_hidden_icrp(pkt, NULL);
	assert_int_equal(l2tp_msg_decode(pkt, n, &secret, &d, &err), L2TP_OK);
	assert_int_equal(d.assigned_session_id, 0x4242);
	/* A wrong secret yields a nonsense embedded length → drop. */
	assert_int_equal(l2tp_msg_decode(pkt, n, &wrong, &d, &err), L2TP_DROP);
	/* Random Vector after the hidden AVP does not count (§4.3: "taken
	 * from the last Random Vector AVP encountered ... prior to"). */
	n = build_hidden_icrp(pkt, pkt);
	assert_int_equal(l2tp_msg_decode(pkt, n, &secret, &d, &err), L2TP_DROP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer_decrypt),
		cmocka_unit_test(test_known_answer_encrypt),
		cmocka_unit_test(test_round_trip_lengths),
		cmocka_unit_test(test_no_secret_no_room),
		cmocka_unit_test(test_msg_hide_round_trip),
		cmocka_unit_test(test_msg_hidden_without_rv),
		cmocka_unit_test(test_msg_hidden_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
