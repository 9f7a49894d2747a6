/*
 * test_pppoe_codec.c — RFC 2516 frame codec: every packet type round trip,
 * the Appendix B example PADI, and a table of malformed frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/pppoe_codec.h"

static const uint8_t host[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t ac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void
tag_eq(const struct pppoe_tag_val *a, const char *s, size_t n)
{
	assert_int_equal(a->len, n);
	if (n > 0)
		assert_memory_equal(a->p, s, n);
}

static void
test_roundtrip_all_codes(void **state)
{
	static const struct {
		uint8_t code;
		uint16_t sid;
		uint32_t present;
		unsigned nservice;
	} rows[] = {
		{ PPPOE_CODE_PADI, 0,
		    PPPOE_HAVE_HOST_UNIQ | PPPOE_HAVE_RELAY_ID, 1 },
		{ PPPOE_CODE_PADO, 0,
		    PPPOE_HAVE_AC_NAME | PPPOE_HAVE_HOST_UNIQ |
			PPPOE_HAVE_AC_COOKIE | PPPOE_HAVE_RELAY_ID |
			PPPOE_HAVE_VENDOR,
		    3 },
		{ PPPOE_CODE_PADR, 0,
		    PPPOE_HAVE_HOST_UNIQ | PPPOE_HAVE_AC_COOKIE |
			PPPOE_HAVE_RELAY_ID,
		    1 },
		{ PPPOE_CODE_PADS, 0x1234, PPPOE_HAVE_HOST_UNIQ, 1 },
		{ PPPOE_CODE_PADS, 0, PPPOE_HAVE_SVC_ERR, 1 },
		{ PPPOE_CODE_PADS, 0, PPPOE_HAVE_SYS_ERR, 0 },
		{ PPPOE_CODE_PADT, 0x1234, PPPOE_HAVE_GEN_ERR, 0 },
		{ PPPOE_CODE_PADT, 0x4321, 0, 0 },
	};
	uint8_t buf[PPPOE_FRAME_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pppoe_pkt p, q;
		int n;

		memset(&p, 0, sizeof(p));
		memcpy(p.dst, rows[i].code == PPPOE_CODE_PADI ? bcast : ac, 6);
		memcpy(p.src, host, 6);
		p.code = rows[i].code;
		p.session_id = rows[i].sid;
		p.present = rows[i].present;
		p.nservice = rows[i].nservice;
		p.service[0] = pppoe_tag_str_val("isp");
		p.service[1] = pppoe_tag_str_val("");
		p.service[2] = pppoe_tag_str_val("gold");
		p.ac_name = pppoe_tag_str_val("lac-1");
		p.host_uniq.p = (const uint8_t *)"\x00\x01\x02";
		p.host_uniq.len = 3;
		p.ac_cookie = pppoe_tag_str_val("0123456789abcdef");
		p.vendor = pppoe_tag_str_val("\x00\x00\x0d\x0exyz");
		p.relay_id = pppoe_tag_str_val("relay-12byte");
		p.svc_err = pppoe_tag_str_val("");
		p.sys_err = pppoe_tag_str_val("no resources");
		p.gen_err = pppoe_tag_str_val("bye");
		n = pppoe_build_disc(buf, sizeof(buf), &p);
		assert_true(n >= 20);
		assert_int_equal(buf[12] << 8 | buf[13], PPPOE_ETHERTYPE_DISC);
		assert_int_equal(pppoe_parse(buf, (size_t)n, &q), PPPOE_OK);
		assert_memory_equal(q.dst, p.dst, 6);
		assert_memory_equal(q.src, host, 6);
		assert_int_equal(q.code, p.code);
		assert_int_equal(q.session_id, p.session_id);
		assert_int_equal(q.present, p.present);
		assert_int_equal(q.nservice, p.nservice);
		for (unsigned k = 0; k < q.nservice; k++)
			assert_int_equal(q.service[k].len, p.service[k].len);
		if (q.nservice > 0)
			tag_eq(&q.service[0], "isp", 3);
		if (q.present & PPPOE_HAVE_AC_NAME)
			tag_eq(&q.ac_name, "lac-1", 5);
		if (q.present & PPPOE_HAVE_HOST_UNIQ)
			tag_eq(&q.host_uniq, "\x00\x01\x02", 3);
		if (q.present & PPPOE_HAVE_AC_COOKIE)
			tag_eq(&q.ac_cookie, "0123456789abcdef", 16);
		if (q.present & PPPOE_HAVE_RELAY_ID)
			tag_eq(&q.relay_id, "relay-12byte", 12);
		if (q.present & PPPOE_HAVE_SYS_ERR)
			tag_eq(&q.sys_err, "no resources", 12);
		if (q.present & PPPOE_HAVE_GEN_ERR)
			tag_eq(&q.gen_err, "bye", 3);
		/* Ethernet padding after LENGTH is ignored. */
		memset(buf + n, 0, 20);
		assert_int_equal(pppoe_parse(buf, (size_t)n + 20, &q),
		    PPPOE_OK);
		assert_int_equal(q.nservice, p.nservice);
	}
}

static void
test_session_roundtrip(void **state)
{
	static const uint8_t lcp[] = { 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };
	uint8_t buf[PPPOE_FRAME_MAX + 8], big[PPPOE_FRAME_MAX];
	struct pppoe_pkt q;
	int n;

	(void)state;
	n = pppoe_build_session(buf, sizeof(buf), ac, host, 0x1234, lcp,
	    sizeof(lcp));
	assert_int_equal(n, 14 + 6 + 6);
	/* RFC 2516 Appendix B: 0x8864, v=1 t=1, CODE 0, SESSION_ID. */
	assert_memory_equal(buf + 12, "\x88\x64\x11\x00\x12\x34\x00\x06", 8);
	assert_int_equal(pppoe_parse(buf, (size_t)n, &q), PPPOE_OK);
	assert_int_equal(q.session_id, 0x1234);
	assert_int_equal(q.payload_len, sizeof(lcp));
	assert_memory_equal(q.payload, lcp, sizeof(lcp));
	/* RFC 2516 §7: 1492 octets of PPP payload + protocol fit, one more
	 * does not. */
	memset(big, 0x21, sizeof(big));
	assert_int_equal(pppoe_build_session(buf, sizeof(buf), ac, host, 1, big,
			     1494),
	    PPPOE_FRAME_MAX);
	assert_int_equal(pppoe_build_session(buf, sizeof(buf), ac, host, 1, big,
			     1495),
	    -1);
	/* cap too small: refused, nothing past cap */
	assert_int_equal(pppoe_build_session(buf, 20, ac, host, 1, lcp,
			     sizeof(lcp)),
	    -1);
}

/* RFC 2516 Appendix B's PADI, byte for byte. */
static void
test_appendix_b_padi(void **state)
{
	/* clang-format off */
	static const uint8_t padi[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x88, 0x63, 0x11, 0x09, 0x00, 0x00, 0x00, 0x04,
		0x01, 0x01, 0x00, 0x00,
	};
	/* clang-format on */
	uint8_t buf[64];
	struct pppoe_pkt p, q;

	(void)state;
	assert_int_equal(pppoe_parse(padi, sizeof(padi), &q), PPPOE_OK);
	assert_int_equal(q.code, PPPOE_CODE_PADI);
	assert_int_equal(q.nservice, 1);
	assert_int_equal(q.service[0].len, 0);
	memset(&p, 0, sizeof(p));
	memcpy(p.dst, bcast, 6);
	memcpy(p.src, host, 6);
	p.code = PPPOE_CODE_PADI;
	p.nservice = 1;
	assert_int_equal(pppoe_build_disc(buf, sizeof(buf), &p), sizeof(padi));
	assert_memory_equal(buf, padi, sizeof(padi));
}

/* Header: dst bcast, src host, 0x8863, then the given PPPoE bytes. */
struct bad_row {
	const char *name;
	size_t len;
	uint8_t b[48];
	enum pppoe_err want;
};

#define ETH_D \
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0x63
#define ETH_S 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0x64

static const struct bad_row bad_rows[] = {
	{ "empty", 0, { 0 }, PPPOE_ERR_SHORT },
	{ "eth only", 14, { ETH_D }, PPPOE_ERR_SHORT },
	{ "pppoe hdr truncated", 19, { ETH_D, 0x11, 0x09, 0, 0, 0 },
	    PPPOE_ERR_SHORT },
	{ "wrong ethertype", 20,
	    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08,
		0x00, 0x11, 0x09, 0, 0, 0, 0 },
	    PPPOE_ERR_ETHERTYPE },
	{ "broadcast source", 24,
	    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x88, 0x63, 0x11, 0x09, 0, 0, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_SRC_MAC },
	{ "ver 2", 24, { ETH_D, 0x21, 0x09, 0, 0, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_VER_TYPE },
	{ "type 2", 24, { ETH_D, 0x12, 0x09, 0, 0, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_VER_TYPE },
	{ "unknown code", 24,
	    { ETH_D, 0x11, 0x42, 0, 0, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_CODE },
	{ "discovery with code 0", 24,
	    { ETH_D, 0x11, 0x00, 0, 1, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_CODE },
	{ "length beyond frame", 24,
	    { ETH_D, 0x11, 0x09, 0, 0, 0, 5, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_LENGTH },
	{ "length 0xffff", 24,
	    { ETH_D, 0x11, 0x09, 0, 0, 0xff, 0xff, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_LENGTH },
	{ "tag header truncated", 26,
	    { ETH_D, 0x11, 0x09, 0, 0, 0, 6, 0x01, 0x01, 0, 0, 0x01, 0x03 },
	    PPPOE_ERR_TAG_TRUNC },
	{ "tag length beyond payload", 28,
	    { ETH_D, 0x11, 0x09, 0, 0, 0, 8, 0x01, 0x01, 0, 0, 0x01, 0x03, 0,
		1 },
	    PPPOE_ERR_TAG_TRUNC },
	{ "tag length beyond payload, padding present", 32,
	    { ETH_D, 0x11, 0x09, 0, 0, 0, 8, 0x01, 0x01, 0, 0, 0x01, 0x03, 0, 4,
		1, 2, 3, 4 },
	    PPPOE_ERR_TAG_TRUNC },
	{ "End-Of-List with data", 29,
	    { ETH_D, 0x11, 0x09, 0, 0, 0, 9, 0x01, 0x01, 0, 0, 0, 0, 0, 1, 7 },
	    PPPOE_ERR_TAG_EOL },
	{ "PADI with session id", 24,
	    { ETH_D, 0x11, 0x09, 0, 1, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_SESSION_ID },
	{ "PADI without Service-Name", 20, { ETH_D, 0x11, 0x09, 0, 0, 0, 0 },
	    PPPOE_ERR_SERVICE },
	{ "PADI with two Service-Names", 28,
	    { ETH_D, 0x11, 0x09, 0, 0, 0, 8, 0x01, 0x01, 0, 0, 0x01, 0x01, 0,
		0 },
	    PPPOE_ERR_SERVICE },
	{ "PADO without AC-Name", 24,
	    { ETH_D, 0x11, 0x07, 0, 0, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_MISSING },
	{ "PADO without Service-Name", 25,
	    { ETH_D, 0x11, 0x07, 0, 0, 0, 5, 0x01, 0x02, 0, 1, 'a' },
	    PPPOE_ERR_MISSING },
	{ "PADO with session id", 29,
	    { ETH_D, 0x11, 0x07, 0, 9, 0, 9, 0x01, 0x01, 0, 0, 0x01, 0x02, 0, 1,
		'a' },
	    PPPOE_ERR_SESSION_ID },
	{ "PADR with session id", 24,
	    { ETH_D, 0x11, 0x19, 0, 1, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_SESSION_ID },
	{ "PADR without Service-Name", 20, { ETH_D, 0x11, 0x19, 0, 0, 0, 0 },
	    PPPOE_ERR_SERVICE },
	{ "PADS without Service-Name", 20, { ETH_D, 0x11, 0x65, 0, 7, 0, 0 },
	    PPPOE_ERR_MISSING },
	{ "PADS refusal without error tag", 24,
	    { ETH_D, 0x11, 0x65, 0, 0, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_MISSING },
	{ "PADS with 0xffff", 24,
	    { ETH_D, 0x11, 0x65, 0xff, 0xff, 0, 4, 0x01, 0x01, 0, 0 },
	    PPPOE_ERR_SESSION_ID },
	{ "PADT for session 0", 20, { ETH_D, 0x11, 0xa7, 0, 0, 0, 0 },
	    PPPOE_ERR_SESSION_ID },
	{ "session frame code 9", 22,
	    { ETH_S, 0x11, 0x09, 0, 1, 0, 2, 0xc0, 0x21 }, PPPOE_ERR_CODE },
	{ "session frame id 0", 22,
	    { ETH_S, 0x11, 0x00, 0, 0, 0, 2, 0xc0, 0x21 },
	    PPPOE_ERR_SESSION_ID },
	{ "session frame id 0xffff", 22,
	    { ETH_S, 0x11, 0x00, 0xff, 0xff, 0, 2, 0xc0, 0x21 },
	    PPPOE_ERR_SESSION_ID },
	{ "session frame without protocol", 21,
	    { ETH_S, 0x11, 0x00, 0, 1, 0, 1, 0xc0 }, PPPOE_ERR_SHORT },
	{ "session frame length beyond", 22,
	    { ETH_S, 0x11, 0x00, 0, 1, 0, 3, 0xc0, 0x21 }, PPPOE_ERR_LENGTH },
};

static void
test_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *r = &bad_rows[i];
		uint8_t *copy = test_malloc(r->len + 1);
		struct pppoe_pkt q;
		enum pppoe_err e;

		/* An exact-size heap copy: ASan catches any read past it. */
		memcpy(copy, r->b, r->len);
		e = pppoe_parse(copy, r->len, &q);
		if (e != r->want)
			fail_msg("%s: got %s, want %s", r->name,
			    pppoe_err_str(e), pppoe_err_str(r->want));
		test_free(copy);
	}
}

static void
test_oversize(void **state)
{
	uint8_t buf[PPPOE_FRAME_MAX + 64], val[1500];
	struct pppoe_pkt p, q;
	int n;

	(void)state;
	memset(val, 'x', sizeof(val));
	memset(&p, 0, sizeof(p));
	memcpy(p.dst, bcast, 6);
	memcpy(p.src, host, 6);
	p.code = PPPOE_CODE_PADI;
	p.nservice = 1;
	p.present = PPPOE_HAVE_HOST_UNIQ;
	p.host_uniq.p = val;
	/* §5.1: 6 (header) + 4 (Service-Name) + 4 + value <= 1484 */
	p.host_uniq.len = 1484 - 14;
	n = pppoe_build_disc(buf, sizeof(buf), &p);
	assert_int_equal(n, 14 + 1484);
	assert_int_equal(pppoe_parse(buf, (size_t)n, &q), PPPOE_OK);
	/* A received PADI over 1484 is dropped. */
	buf[14 + 5]++;	       /* LENGTH + 1 */
	buf[14 + 6 + 4 + 3]++; /* Host-Uniq length + 1 */
	assert_int_equal(pppoe_parse(buf, (size_t)n + 1, &q),
	    PPPOE_ERR_OVERSIZE);
	p.host_uniq.len++;
	assert_int_equal(pppoe_build_disc(buf, sizeof(buf), &p), -1);
	/* Any frame beyond 1514 octets. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(pppoe_parse(buf, PPPOE_FRAME_MAX + 1, &q),
	    PPPOE_ERR_OVERSIZE);
	/* A PADO may be bigger than a PADI but not beyond 1500. */
	p.code = PPPOE_CODE_PADO;
	p.present |= PPPOE_HAVE_AC_NAME;
	p.ac_name = pppoe_tag_str_val("a");
	p.host_uniq.len = 1500 - 6 - 4 - 5 - 4;
	assert_int_equal(pppoe_build_disc(buf, sizeof(buf), &p), 1514);
	p.host_uniq.len++;
	assert_int_equal(pppoe_build_disc(buf, sizeof(buf), &p), -1);
}

static void
test_unknown_tag_ignored(void **state)
{
	/* §5: unknown TAG_TYPEs MUST be ignored; End-Of-List ends the list. */
	static const uint8_t f[] = { ETH_D, 0x11, 0x09, 0, 0, 0, 20, 0x0f, 0x0f,
		0, 2, 'z', 'z', 0x01, 0x01, 0, 2, 'i', 's', 0, 0, 0, 0, 0x01,
		0x01, 0, 0 };
	struct pppoe_pkt q;

	(void)state;
	assert_int_equal(pppoe_parse(f, sizeof(f), &q), PPPOE_OK);
	assert_int_equal(q.nservice, 1); /* the one after EOL is not read */
	tag_eq(&q.service[0], "is", 2);
	assert_string_equal(pppoe_code_str(PPPOE_CODE_PADS), "PADS");
	assert_string_equal(pppoe_tag_str(PPPOE_TAG_AC_COOKIE), "AC-Cookie");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_all_codes),
		cmocka_unit_test(test_session_roundtrip),
		cmocka_unit_test(test_appendix_b_padi),
		cmocka_unit_test(test_malformed_table),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_unknown_tag_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
