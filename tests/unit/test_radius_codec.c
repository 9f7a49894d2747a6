/*
 * test_radius_codec.c — RADIUS packets, authenticators and hidden values.
 *
 * The RFC 2865 §7.1 and §7.2 packets are reproduced byte for byte (secret
 * "xyzzy5461"; the §7.1 User-Password hides "arctangent", and §7.2's
 * CHAP-Password is MD5(22 || "arctangent" || Request Authenticator)).  The
 * other known answers were computed independently with Python:
 *
 *   import hashlib, hmac
 *   s = b"xyzzy5461"; ra = bytes.fromhex("0f403f9473978057bd83d5cb98f4227a")
 *   def hide(pw, ra, s, salt=b""):            # RFC 2865 §5.2 / 2868 §3.5
 *       pw = pw + b"\0" * ((-len(pw)) % 16); out = b""; prev = ra + salt
 *       for i in range(0, len(pw), 16):
 *           b = hashlib.md5(s + prev).digest()
 *           c = bytes(x ^ y for x, y in zip(pw[i:i+16], b)); out += c; prev = c
 *       return out
 *   hide(b"a-much-longer-password-1234", ra, s)                 # kat_pw2
 *   attrs = bytes([1,6]) + b"nemo" + bytes([80,18]) + b"\0"*16
 *   hmac.new(s, bytes([1,0,0,20+len(attrs)]) + ra + attrs,
 *            hashlib.md5).digest()                              # kat_ma_req
 *   attrs = bytes([6,6,0,0,0,2]) + bytes([80,18]) + b"\0"*16
 *   hdr = bytes([2,0,0,20+len(attrs)])
 *   ma = hmac.new(s, hdr + ra + attrs, hashlib.md5).digest()    # kat_ma_acc
 *   hashlib.md5(hdr + ra + attrs[:8] + ma + s).digest()         # kat_resp_acc
 *   salt = bytes([0x81,0x23]); pw = b"tunnelpw"
 *   bytes([1]) + salt + hide(bytes([len(pw)]) + pw, ra, s, salt) # kat_tunnel_pw
 *   attrs = bytes([40,6,0,0,0,1]) + bytes([44,5]) + b"abc"
 *   hashlib.md5(bytes([4,5,0,20+len(attrs)]) + b"\0"*16 + attrs
 *               + s).digest()                                   # kat_acct
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <nettle/md5.h>

#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"

#define SECRET "xyzzy5461"

/* clang-format off */
static const uint8_t rfc71_req[] = {
	0x01, 0x00, 0x00, 0x38, 0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
	0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a, 0x01, 0x06, 0x6e, 0x65,
	0x6d, 0x6f, 0x02, 0x12, 0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce,
	0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a, 0x0a, 0xee, 0x04, 0x06, 0xc0, 0xa8,
	0x01, 0x10, 0x05, 0x06, 0x00, 0x00, 0x00, 0x03,
};
/* clang-format on */
/* clang-format off */
static const uint8_t rfc71_acc[] = {
	0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e, 0x76, 0x24, 0xba, 0x2a,
	0x10, 0x05, 0xf6, 0xbf, 0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00,
	0x00, 0x01, 0x0f, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x06, 0xc0, 0xa8,
	0x01, 0x03,
};
/* clang-format on */
/* clang-format off */
static const uint8_t rfc72_req[] = {
	0x01, 0x01, 0x00, 0x47, 0x2a, 0xee, 0x86, 0xf0, 0x8d, 0x0d, 0x55, 0x96,
	0x9c, 0xa5, 0x97, 0x8e, 0x0d, 0x33, 0x67, 0xa2, 0x01, 0x08, 0x66, 0x6c,
	0x6f, 0x70, 0x73, 0x79, 0x03, 0x13, 0x16, 0xe9, 0x75, 0x57, 0xc3, 0x16,
	0x18, 0x58, 0x95, 0xf2, 0x93, 0xff, 0x63, 0x44, 0x07, 0x72, 0x75, 0x04,
	0x06, 0xc0, 0xa8, 0x01, 0x10, 0x05, 0x06, 0x00, 0x00, 0x00, 0x14, 0x06,
	0x06, 0x00, 0x00, 0x00, 0x02, 0x07, 0x06, 0x00, 0x00, 0x00, 0x01,
};
/* clang-format on */
/* clang-format off */
static const uint8_t rfc72_acc[] = {
	0x02, 0x01, 0x00, 0x38, 0x15, 0xef, 0xbc, 0x7d, 0xab, 0x26, 0xcf, 0xa3,
	0xdc, 0x34, 0xd9, 0xc0, 0x3c, 0x86, 0x01, 0xa4, 0x06, 0x06, 0x00, 0x00,
	0x00, 0x02, 0x07, 0x06, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0xff, 0xff,
	0xff, 0xfe, 0x0a, 0x06, 0x00, 0x00, 0x00, 0x02, 0x0d, 0x06, 0x00, 0x00,
	0x00, 0x01, 0x0c, 0x06, 0x00, 0x00, 0x05, 0xdc,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_pw2[32] = {
	0x0d, 0xe1, 0x7e, 0x8c, 0x91, 0xd2, 0x59, 0xc7, 0x30, 0x8c, 0x83, 0x5a,
	0x0a, 0x07, 0x7a, 0x8f, 0x70, 0xe5, 0xb3, 0xc1, 0x24, 0x29, 0x42, 0x75,
	0x9d, 0x47, 0x0c, 0xe1, 0x51, 0x09, 0x07, 0xea,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_ma_req[16] = {
	0x1e, 0xb6, 0xb8, 0xe1, 0x27, 0x56, 0xf9, 0xc7, 0xb8, 0xff, 0x19, 0xfb,
	0xda, 0xea, 0x15, 0xd5,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_ma_acc[16] = {
	0x55, 0x3c, 0xf3, 0xa0, 0xfc, 0xf6, 0x9a, 0x17, 0xe8, 0xdf, 0xa6, 0x92,
	0xf7, 0x08, 0x5f, 0x77,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_resp_acc[16] = {
	0x0e, 0x10, 0x64, 0xe6, 0x66, 0xde, 0xc1, 0xdb, 0xe4, 0x5e, 0x0c, 0xc7,
	0xa9, 0x22, 0x6f, 0x7f,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_tunnel_pw[19] = {
	0x01, 0x81, 0x23, 0xbf, 0xcd, 0xc1, 0x66, 0x24, 0x7f, 0x5a, 0x7d, 0x02,
	0xd0, 0x32, 0x4d, 0xf8, 0x3b, 0x62, 0xb1,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat_acct[16] = {
	0x4a, 0xb3, 0x73, 0x26, 0x60, 0x7f, 0x74, 0x35, 0xa1, 0x5f, 0xdc, 0x89,
	0x5b, 0xec, 0x22, 0xd9,
};
/* clang-format on */

#define RA71 (rfc71_req + 4)

/* RFC 2865 §7.1: the PAP Access-Request, byte for byte. */
static void
test_rfc7_1_build(void **state)
{
	struct radius_packet p;
	uint8_t pw[32];
	size_t pwlen;

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCESS_REQUEST, 0, RA71);
	assert_int_equal(radius_put_string(&p, RADIUS_ATTR_USER_NAME, "nemo"),
	    RADIUS_OK);
	assert_int_equal(radius_put_user_password(&p,
			     (const uint8_t *)"arctangent", 10, SECRET),
	    RADIUS_OK);
	assert_int_equal(radius_put_ipv4(&p, RADIUS_ATTR_NAS_IP_ADDRESS,
			     0xc0a80110),
	    RADIUS_OK);
	assert_int_equal(radius_put_u32(&p, RADIUS_ATTR_NAS_PORT, 3),
	    RADIUS_OK);
	assert_int_equal(radius_len(&p), sizeof(rfc71_req));
	assert_memory_equal(p.data, rfc71_req, sizeof(rfc71_req));
	/* And the server side recovers the password. */
	assert_int_equal(radius_get_user_password(&p, pw, sizeof(pw), &pwlen,
			     SECRET),
	    RADIUS_OK);
	assert_int_equal(pwlen, 10);
	assert_memory_equal(pw, "arctangent", 10);
}

/* RFC 2865 §3: the Response Authenticators of the §7.1/§7.2 replies. */
static void
test_rfc7_response_auth(void **state)
{
	struct radius_packet p;
	uint32_t v;

	(void)state;
	assert_int_equal(radius_packet_parse(&p, rfc71_acc, sizeof(rfc71_acc)),
	    RADIUS_OK);
	assert_true(radius_check_response_auth(&p, RA71, SECRET));
	assert_false(radius_check_response_auth(&p, RA71, "xyzzy5462"));
	assert_false(radius_check_response_auth(&p, rfc72_req + 4, SECRET));

	assert_int_equal(radius_packet_parse(&p, rfc72_acc, sizeof(rfc72_acc)),
	    RADIUS_OK);
	assert_true(radius_check_response_auth(&p, rfc72_req + 4, SECRET));
	assert_int_equal(radius_get_ipv4(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, &v),
	    RADIUS_OK);
	assert_int_equal(v, 0xfffffffe);
	assert_int_equal(radius_get_u32(&p, RADIUS_ATTR_FRAMED_MTU, &v),
	    RADIUS_OK);
	assert_int_equal(v, 1500);
	/* One flipped attribute bit breaks it. */
	p.data[25] ^= 1;
	assert_false(radius_check_response_auth(&p, rfc72_req + 4, SECRET));

	/* Our own signing reproduces the RFC's reply. */
	assert_int_equal(radius_packet_parse(&p, rfc71_acc, sizeof(rfc71_acc)),
	    RADIUS_OK);
	radius_set_authenticator(&p, NULL);
	radius_sign_response(&p, RA71, SECRET);
	assert_memory_equal(p.data, rfc71_acc, sizeof(rfc71_acc));
}

/* RFC 2865 §7.2: CHAP-Password = CHAP Ident + MD5(Ident||pw||challenge),
 * the Request Authenticator serving as challenge. */
static void
test_rfc7_2_chap(void **state)
{
	struct radius_packet p;
	struct md5_ctx ctx;
	uint8_t chap[17], id = 22;
	const uint8_t *ra = rfc72_req + 4;

	(void)state;
	chap[0] = id;
	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, 10, (const uint8_t *)"arctangent");
	md5_update(&ctx, 16, ra);
	md5_digest(&ctx, 16, chap + 1);

	radius_packet_init(&p, RADIUS_CODE_ACCESS_REQUEST, 1, ra);
	radius_put_string(&p, RADIUS_ATTR_USER_NAME, "flopsy");
	radius_put_raw(&p, RADIUS_ATTR_CHAP_PASSWORD, chap, sizeof(chap));
	radius_put_ipv4(&p, RADIUS_ATTR_NAS_IP_ADDRESS, 0xc0a80110);
	radius_put_u32(&p, RADIUS_ATTR_NAS_PORT, 20);
	radius_put_u32(&p, RADIUS_ATTR_SERVICE_TYPE, RADIUS_SERVICE_FRAMED);
	assert_int_equal(radius_put_u32(&p, RADIUS_ATTR_FRAMED_PROTOCOL,
			     RADIUS_FRAMED_PROTOCOL_PPP),
	    RADIUS_OK);
	assert_int_equal(radius_len(&p), sizeof(rfc72_req));
	assert_memory_equal(p.data, rfc72_req, sizeof(rfc72_req));
}

/* RFC 2865 §5.2: multi-block hiding chains c(i-1) into the next block. */
static void
test_user_password_blocks(void **state)
{
	static const char pw[] = "a-much-longer-password-1234";
	struct radius_packet p, q;
	const uint8_t *v;
	uint8_t out[RADIUS_MAX_PASSWORD], big[129];
	size_t l;

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCESS_REQUEST, 0, RA71);
	assert_int_equal(radius_put_user_password(&p, (const uint8_t *)pw,
			     strlen(pw), SECRET),
	    RADIUS_OK);
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_USER_PASSWORD, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 32);
	assert_memory_equal(v, kat_pw2, 32);
	assert_int_equal(radius_get_user_password(&p, out, sizeof(out), &l,
			     SECRET),
	    RADIUS_OK);
	assert_int_equal(l, strlen(pw));
	assert_memory_equal(out, pw, l);
	/* 128 is the limit; 0 and 129 are refused. */
	memset(big, 'x', sizeof(big));
	radius_packet_init(&q, RADIUS_CODE_ACCESS_REQUEST, 0, RA71);
	assert_int_equal(radius_put_user_password(&q, big, 128, SECRET),
	    RADIUS_OK);
	assert_int_equal(radius_put_user_password(&q, big, 129, SECRET),
	    RADIUS_ERR_VALUE);
	assert_int_equal(radius_put_user_password(&q, big, 0, SECRET),
	    RADIUS_ERR_VALUE);
	assert_int_equal(radius_get_user_password(&q, out, sizeof(out), &l,
			     SECRET),
	    RADIUS_OK);
	assert_int_equal(l, 128);
	assert_memory_equal(out, big, 128);
}

/* RFC 2869 §5.14 on an Access-Request and on an Access-Accept. */
static void
test_message_authenticator(void **state)
{
	struct radius_packet p;
	const uint8_t *v;
	size_t l;

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCESS_REQUEST, 0, RA71);
	radius_put_string(&p, RADIUS_ATTR_USER_NAME, "nemo");
	assert_int_equal(radius_check_message_authenticator(&p, NULL, SECRET),
	    RADIUS_ERR_NOTFOUND);
	radius_put_message_authenticator(&p);
	radius_sign_access_request(&p, SECRET);
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_MESSAGE_AUTHENTICATOR,
			     &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 16);
	assert_memory_equal(v, kat_ma_req, 16);
	assert_memory_equal(radius_authenticator(&p), RA71, 16);
	assert_int_equal(radius_check_message_authenticator(&p, NULL, SECRET),
	    RADIUS_OK);
	assert_int_equal(radius_check_message_authenticator(&p, NULL, "x"),
	    RADIUS_ERR_MSGAUTH);

	/* The reply: HMAC over the Request Authenticator, then the Response
	 * Authenticator over the filled Message-Authenticator. */
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	radius_put_u32(&p, RADIUS_ATTR_SERVICE_TYPE, RADIUS_SERVICE_FRAMED);
	radius_put_message_authenticator(&p);
	radius_sign_response(&p, RA71, SECRET);
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_MESSAGE_AUTHENTICATOR,
			     &v, &l),
	    RADIUS_OK);
	assert_memory_equal(v, kat_ma_acc, 16);
	assert_memory_equal(radius_authenticator(&p), kat_resp_acc, 16);
	assert_true(radius_check_response_auth(&p, RA71, SECRET));
	assert_int_equal(radius_check_message_authenticator(&p, RA71, SECRET),
	    RADIUS_OK);
	/* Any change to the attributes breaks it. */
	p.data[25] = 1;
	assert_int_equal(radius_check_message_authenticator(&p, RA71, SECRET),
	    RADIUS_ERR_MSGAUTH);
}

/* RFC 2866 §3: Accounting-Request authenticator. */
static void
test_accounting_authenticator(void **state)
{
	struct radius_packet p;

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCOUNTING_REQUEST, 5, RA71);
	radius_put_u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE,
	    RADIUS_ACCT_STATUS_START);
	radius_put_string(&p, RADIUS_ATTR_ACCT_SESSION_ID, "abc");
	radius_sign_accounting_request(&p, SECRET);
	assert_memory_equal(radius_authenticator(&p), kat_acct, 16);
	assert_true(radius_check_accounting_request_auth(&p, SECRET));
	assert_false(radius_check_accounting_request_auth(&p, "other"));
}

/* RFC 2868 §3.5 known answer and round trips of every length class. */
static void
test_tunnel_password(void **state)
{
	uint8_t buf[RADIUS_MAX_ATTR_VALUE], pw[RADIUS_MAX_ATTR_VALUE];
	uint8_t in[RADIUS_MAX_TUNNEL_PASSWORD + 1], tag;
	size_t len, pwlen, n;
	static const size_t lens[] = { 0, 1, 14, 15, 16, 31, 100,
		RADIUS_MAX_TUNNEL_PASSWORD };

	(void)state;
	assert_int_equal(radius_tunnel_password_encrypt(1, 0x0123,
			     (const uint8_t *)"tunnelpw", 8, RA71, SECRET, buf,
			     sizeof(buf), &len),
	    RADIUS_OK);
	/* The salt's most significant bit is forced on. */
	assert_int_equal(len, sizeof(kat_tunnel_pw));
	assert_memory_equal(buf, kat_tunnel_pw, len);
	assert_int_equal(radius_tunnel_password_decrypt(kat_tunnel_pw,
			     sizeof(kat_tunnel_pw), RA71, SECRET, &tag, pw,
			     sizeof(pw), &pwlen),
	    RADIUS_OK);
	assert_int_equal(tag, 1);
	assert_int_equal(pwlen, 8);
	assert_memory_equal(pw, "tunnelpw", 8);

	for (n = 0; n < sizeof(in); n++)
		in[n] = (uint8_t)(n * 7 + 1);
	for (n = 0; n < sizeof(lens) / sizeof(lens[0]); n++) {
		assert_int_equal(radius_tunnel_password_encrypt(3, 0x4242, in,
				     lens[n], RA71, SECRET, buf, sizeof(buf),
				     &len),
		    RADIUS_OK);
		assert_int_equal((len - 3) % 16, 0);
		assert_true(len <= RADIUS_MAX_ATTR_VALUE);
		assert_int_equal(radius_tunnel_password_decrypt(buf, len, RA71,
				     SECRET, &tag, pw, sizeof(pw), &pwlen),
		    RADIUS_OK);
		assert_int_equal(tag, 3);
		assert_int_equal(pwlen, lens[n]);
		if (pwlen > 0)
			assert_memory_equal(pw, in, pwlen);
	}
	assert_int_equal(radius_tunnel_password_encrypt(0, 0, in,
			     RADIUS_MAX_TUNNEL_PASSWORD + 1, RA71, SECRET, buf,
			     sizeof(buf), &len),
	    RADIUS_ERR_VALUE);
	/* Short and unaligned values are refused. */
	assert_int_equal(radius_tunnel_password_decrypt(kat_tunnel_pw, 18, RA71,
			     SECRET, &tag, pw, sizeof(pw), &pwlen),
	    RADIUS_ERR_VALUE);
	assert_int_equal(radius_tunnel_password_decrypt(kat_tunnel_pw, 3, RA71,
			     SECRET, &tag, pw, sizeof(pw), &pwlen),
	    RADIUS_ERR_VALUE);
	/* A Data-Length larger than the ciphertext is refused. */
	buf[0] = 0;
	assert_int_equal(radius_tunnel_password_encrypt(0, 1, in, 15, RA71,
			     SECRET, buf, sizeof(buf), &len),
	    RADIUS_OK);
	assert_int_equal(radius_tunnel_password_decrypt(buf, len, RA71, SECRET,
			     &tag, pw, 14, &pwlen),
	    RADIUS_ERR_VALUE);
}

/* Typed get/put, Vendor-Specific (RFC 2865 §5.26), tags (RFC 2868 §3). */
static void
test_typed_attrs(void **state)
{
	struct radius_packet p;
	struct radius_iter it = { 0 };
	const uint8_t *v;
	size_t l;
	uint32_t u;
	uint8_t t, tag;
	char s[64];
	static const uint8_t succ[43] = { 7, 'S', '=' };

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 9, NULL);
	assert_int_equal(radius_put_string(&p, RADIUS_ATTR_USER_NAME, ""),
	    RADIUS_ERR_VALUE);
	radius_put_vs_raw(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS,
	    succ, sizeof(succ));
	radius_put_ipv4(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0x0a000005);
	radius_put_vs_raw(&p, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_PRIMARY_DNS_SERVER, "\x0a\x00\x00\x01", 4);
	radius_put_tagged_u32(&p, RADIUS_ATTR_TUNNEL_TYPE, 1,
	    RADIUS_TUNNEL_TYPE_L2TP);
	radius_put_tagged_string(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1,
	    "192.0.2.1");
	radius_put_tagged_string(&p, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, 0,
	    "\x05weird");
	assert_int_equal(radius_put_tagged_u32(&p, RADIUS_ATTR_TUNNEL_TYPE,
			     0x20, 3),
	    RADIUS_ERR_VALUE);
	assert_int_equal(radius_put_tagged_u32(&p, RADIUS_ATTR_TUNNEL_TYPE, 1,
			     0x1000000),
	    RADIUS_ERR_VALUE);

	assert_int_equal(radius_get_vs_raw(&p, RADIUS_VENDOR_MICROSOFT,
			     RADIUS_MS_CHAP2_SUCCESS, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 43);
	assert_int_equal(v[0], 7);
	assert_int_equal(radius_get_vs_raw(&p, 9, RADIUS_MS_CHAP2_SUCCESS, &v,
			     &l),
	    RADIUS_ERR_NOTFOUND);
	assert_int_equal(radius_get_vs_ipv4(&p, RADIUS_VENDOR_MICROSOFT,
			     RADIUS_MS_PRIMARY_DNS_SERVER, &u),
	    RADIUS_OK);
	assert_int_equal(u, 0x0a000001);
	assert_int_equal(radius_get_vs_ipv4(&p, RADIUS_VENDOR_MICROSOFT,
			     RADIUS_MS_CHAP2_SUCCESS, &u),
	    RADIUS_ERR_VALUE);
	assert_int_equal(radius_get_ipv4(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, &u),
	    RADIUS_OK);
	assert_int_equal(u, 0x0a000005);
	assert_int_equal(radius_get_u32(&p, RADIUS_ATTR_SESSION_TIMEOUT, &u),
	    RADIUS_ERR_NOTFOUND);

	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_TUNNEL_TYPE, &v, &l),
	    RADIUS_OK);
	assert_int_equal(radius_tagged_u32(v, l, &tag, &u), RADIUS_OK);
	assert_int_equal(tag, 1);
	assert_int_equal(u, RADIUS_TUNNEL_TYPE_L2TP);
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT,
			     &v, &l),
	    RADIUS_OK);
	assert_int_equal(radius_tagged_string(v, l, &tag, s, sizeof(s)),
	    RADIUS_OK);
	assert_int_equal(tag, 1);
	assert_string_equal(s, "192.0.2.1");
	/* A string starting with a tag-like octet got an explicit tag 0. */
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID,
			     &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 7);
	assert_int_equal(radius_tagged_string(v, l, &tag, s, sizeof(s)),
	    RADIUS_OK);
	assert_int_equal(tag, 0);
	assert_string_equal(s, "\x05weird");
	/* Untagged: the first octet belongs to the string. */
	assert_int_equal(radius_tagged_string((const uint8_t *)"lns1", 4, &tag,
			     s, sizeof(s)),
	    RADIUS_OK);
	assert_int_equal(tag, 0);
	assert_string_equal(s, "lns1");
	assert_int_equal(radius_tagged_string((const uint8_t *)"lns1", 4, &tag,
			     s, 4),
	    RADIUS_ERR_VALUE);

	/* Iteration sees every attribute; deletion keeps the others. */
	u = 0;
	while (radius_next_attr(&p, &it, &t, &v, &l))
		u++;
	assert_int_equal(u, 6);
	radius_del_attr(&p, RADIUS_ATTR_VENDOR_SPECIFIC);
	assert_false(radius_has_attr(&p, RADIUS_ATTR_VENDOR_SPECIFIC));
	assert_true(radius_has_attr(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS));
	assert_true(radius_has_attr(&p, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID));

	/* The string getter refuses embedded NULs and overflows. */
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 9, NULL);
	radius_put_raw(&p, RADIUS_ATTR_REPLY_MESSAGE, "a\0b", 3);
	assert_int_equal(radius_get_string(&p, RADIUS_ATTR_REPLY_MESSAGE, s,
			     sizeof(s)),
	    RADIUS_ERR_VALUE);
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 9, NULL);
	radius_put_string(&p, RADIUS_ATTR_REPLY_MESSAGE, "hello");
	assert_int_equal(radius_get_string(&p, RADIUS_ATTR_REPLY_MESSAGE, s, 5),
	    RADIUS_ERR_VALUE);
	assert_int_equal(radius_get_string(&p, RADIUS_ATTR_REPLY_MESSAGE, s, 6),
	    RADIUS_OK);
	assert_string_equal(s, "hello");
}

/* A packet never grows past 4096, an attribute value past 253. */
static void
test_put_limits(void **state)
{
	struct radius_packet p;
	uint8_t v[254];
	int n = 0;

	(void)state;
	memset(v, 'v', sizeof(v));
	radius_packet_init(&p, RADIUS_CODE_ACCESS_REQUEST, 0, NULL);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_CLASS, v, 254),
	    RADIUS_ERR_NOSPACE);
	assert_int_equal(radius_put_vs_raw(&p, 311, 1, v, 248),
	    RADIUS_ERR_NOSPACE);
	while (radius_put_raw(&p, RADIUS_ATTR_CLASS, v, 253) == RADIUS_OK)
		n++;
	assert_int_equal(n, (RADIUS_MAX_LEN - RADIUS_HDR_LEN) / 255);
	assert_true(radius_len(&p) <= RADIUS_MAX_LEN);
	while (radius_put_raw(&p, RADIUS_ATTR_CLASS, v, 1) == RADIUS_OK)
		;
	assert_true(radius_len(&p) <= RADIUS_MAX_LEN);
	assert_true(radius_len(&p) > RADIUS_MAX_LEN - 3);
}

/* RFC 2865 §3 and §5: malformed datagrams are refused, never read past. */
static void
test_malformed(void **state)
{
	static const struct {
		const char *name;
		uint8_t buf[32];
		size_t len;
		enum radius_err want;
	} cases[] = {
		{ "empty", { 0 }, 0, RADIUS_ERR_SHORT },
		{ "19 octets", { 2, 0, 0, 19 }, 19, RADIUS_ERR_SHORT },
		{ "Length 19", { 2, 0, 0, 19 }, 20, RADIUS_ERR_LENGTH },
		{ "Length 4097", { 2, 0, 0x10, 0x01 }, 20, RADIUS_ERR_LENGTH },
		{ "Length 0", { 2, 0, 0, 0 }, 20, RADIUS_ERR_LENGTH },
		{ "Length > datagram", { 2, 0, 0, 24 }, 22, RADIUS_ERR_SHORT },
		{ "attr len 0", { 2, 0, 0, 22, [20] = 1, 0 }, 22,
		    RADIUS_ERR_ATTR },
		{ "attr len 1", { 2, 0, 0, 22, [20] = 1, 1 }, 22,
		    RADIUS_ERR_ATTR },
		{ "attr past end", { 2, 0, 0, 22, [20] = 1, 3 }, 22,
		    RADIUS_ERR_ATTR },
		{ "lone type octet", { 2, 0, 0, 21, [20] = 1 }, 21,
		    RADIUS_ERR_ATTR },
		{ "attr past Length, inside datagram",
		    { 2, 0, 0, 22, [20] = 1, 4, 'a', 'b' }, 24,
		    RADIUS_ERR_ATTR },
		{ "no attributes", { 2, 0, 0, 20 }, 20, RADIUS_OK },
		{ "padding after Length ignored",
		    { 2, 0, 0, 23, [20] = 1, 3, 'a', 0xff, 0xff }, 25,
		    RADIUS_OK },
		{ "empty-valued attr", { 2, 0, 0, 22, [20] = 18, 2 }, 22,
		    RADIUS_OK },
	};
	struct radius_packet p;
	size_t i;
	uint32_t u;
	const uint8_t *v;
	size_t l;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum radius_err e = radius_packet_parse(&p, cases[i].buf,
		    cases[i].len);
		if (e != cases[i].want)
			fail_msg("%s: got %s, want %s", cases[i].name,
			    radius_err_str(e), radius_err_str(cases[i].want));
	}
	/* Values of the wrong size are errors for typed getters:
	 * Framed-IP-Address of 1 octet, a VSA whose inner length runs past
	 * its attribute. */
	{
		static const uint8_t attrs[] = { 8, 3, 1, 26, 10, 0, 0, 1, 55,
			28, 9, 1, 2 };
		uint8_t pk[20 + sizeof(attrs)] = { 2, 0, 0,
			20 + sizeof(attrs) };
		memcpy(pk + 20, attrs, sizeof(attrs));
		assert_int_equal(radius_packet_parse(&p, pk, sizeof(pk)),
		    RADIUS_OK);
		assert_int_equal(radius_get_ipv4(&p,
				     RADIUS_ATTR_FRAMED_IP_ADDRESS, &u),
		    RADIUS_ERR_VALUE);
		assert_int_equal(radius_get_vs_raw(&p, 311, 28, &v, &l),
		    RADIUS_ERR_VALUE);
	}
}

static void
test_attr_table(void **state)
{
	char buf[32];
	size_t i, j;

	(void)state;
	assert_string_equal(radius_attr_name(0, RADIUS_ATTR_TUNNEL_PASSWORD,
				buf, sizeof(buf)),
	    "Tunnel-Password");
	assert_string_equal(radius_attr_name(RADIUS_VENDOR_MICROSOFT,
				RADIUS_MS_CHAP2_RESPONSE, buf, sizeof(buf)),
	    "MS-CHAP2-Response");
	assert_string_equal(radius_attr_name(0, 200, buf, sizeof(buf)),
	    "Attribute-200");
	assert_int_equal(radius_attr_lookup(0, RADIUS_ATTR_TUNNEL_TYPE)->kind,
	    RADIUS_KIND_TAGGED_INTEGER);
	/* RFC 2548 §2.3.2: MS-CHAP2-Response value is 50 octets. */
	assert_int_equal(radius_attr_lookup(RADIUS_VENDOR_MICROSOFT,
			     RADIUS_MS_CHAP2_RESPONSE)
			     ->min_len,
	    50);
	/* No duplicate rows, sane lengths. */
	for (i = 0; i < radius_attr_defs_count; i++) {
		assert_true(
		    radius_attr_defs[i].min_len <= radius_attr_defs[i].max_len);
		assert_true(radius_attr_defs[i].max_len <= 253);
		for (j = i + 1; j < radius_attr_defs_count; j++)
			assert_false(radius_attr_defs[i].vendor ==
				radius_attr_defs[j].vendor &&
			    radius_attr_defs[i].type ==
				radius_attr_defs[j].type);
	}
	assert_string_equal(radius_code_str(RADIUS_CODE_COA_NAK), "CoA-NAK");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7_1_build),
		cmocka_unit_test(test_rfc7_response_auth),
		cmocka_unit_test(test_rfc7_2_chap),
		cmocka_unit_test(test_user_password_blocks),
		cmocka_unit_test(test_message_authenticator),
		cmocka_unit_test(test_accounting_authenticator),
		cmocka_unit_test(test_tunnel_password),
		cmocka_unit_test(test_typed_attrs),
		cmocka_unit_test(test_put_limits),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_attr_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
