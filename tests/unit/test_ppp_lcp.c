/*
 * test_ppp_lcp.c — LCP options one by one (accept / Nak / Reject), magic
 * number loop detection (RFC 1661 §6.4), echo keepalive and dead-peer
 * timing, Protocol-Reject both ways, unknown options rejected with the
 * exact bytes, malformed options discarded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "ppp/lcp.h"
#include "ppp/ppp_proto.h"

static struct {
	uint8_t last[1600];
	size_t last_len;
	unsigned sent;
	unsigned tlu, tld, tlf;
	const char *fail;
	uint16_t rejected;
} out;

static void
o_send(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	(void)ctx;
	assert_int_equal(proto, PPP_PROTO_LCP);
	memcpy(out.last, p, len);
	out.last_len = len;
	out.sent++;
}

static void
o_layer(void *ctx, uint16_t proto, enum cp_action what)
{
	(void)ctx;
	(void)proto;
	if (what == CP_TLU)
		out.tlu++;
	if (what == CP_TLD)
		out.tld++;
	if (what == CP_TLF)
		out.tlf++;
}

static void
o_rej(void *ctx, uint16_t proto)
{
	(void)ctx;
	out.rejected = proto;
}

static void
o_fail(void *ctx, const char *r)
{
	(void)ctx;
	if (out.fail == NULL)
		out.fail = r;
}

static const struct cp_owner_ops oops = { o_send, o_layer, o_rej, o_fail };

static bool init_pppoe;
static struct lcp l_magic; /* the next init() runs LCP over PPPoE */

static void
init(struct lcp *l, bool server)
{
	struct lcp_config c;

	memset(&out, 0, sizeof(out));
	memset(&c, 0, sizeof(c));
	c.server = server;
	c.auth[0] = PPP_AUTH_MSCHAPV2;
	c.auth[1] = PPP_AUTH_CHAP_MD5;
	c.auth[2] = PPP_AUTH_PAP;
	c.auth_count = 3;
	c.accept[0] = PPP_AUTH_CHAP_MD5;
	c.accept[1] = PPP_AUTH_PAP;
	c.accept_count = server ? 0 : 2;
	c.mru = 1400;
	c.echo_interval_ms = 10000;
	c.echo_failures = 3;
	c.pppoe = init_pppoe;
	lcp_init(l, &c, &oops, NULL);
	cp_up(&l->cp, 0);
	cp_open(&l->cp, 0);
}

/* Feeds a Configure-Request with opts and returns the reply code. */
static uint8_t
request(struct lcp *l, const uint8_t *opts, size_t n)
{
	uint8_t p[300];

	p[0] = PPP_CONF_REQ;
	p[1] = 0x42;
	put_be16(p + 2, (uint16_t)(n + 4));
	memcpy(p + 4, opts, n);
	lcp_input(l, p, n + 4, 1);
	assert_int_equal(out.last[1], 0x42);
	return out.last[0];
}

struct opt_case {
	const char *what;
	bool server;
	bool pppoe;
	uint8_t opt[8];
	size_t len;
	uint8_t code;	  /* Ack, Nak or Rej */
	uint8_t reply[8]; /* the Nak'd option, when code is Nak */
	size_t reply_len;
};

static const struct opt_case opt_cases[] = {
	{ "MRU 1500 accepted", true, false, { 1, 4, 0x05, 0xdc }, 4,
	    PPP_CONF_ACK, { 0 }, 0 },
	{ "MRU 64 Nak'd up to 128", true, false, { 1, 4, 0x00, 0x40 }, 4,
	    PPP_CONF_NAK, { 1, 4, 0x00, 0x80 }, 4 },
	{ "MRU bad length rejected", true, false, { 1, 3, 0x05 }, 3,
	    PPP_CONF_REJ, { 0 }, 0 },
	{ "ACCM acked harmlessly", true, false, { 2, 6, 0, 0, 0, 0 }, 6,
	    PPP_CONF_ACK, { 0 }, 0 },
	{ "PFC acked", true, false, { 7, 2 }, 2, PPP_CONF_ACK, { 0 }, 0 },
	{ "ACFC acked", true, false, { 8, 2 }, 2, PPP_CONF_ACK, { 0 }, 0 },
	{ "quality protocol rejected", true, false,
	    { 4, 8, 0xc0, 0x25, 0, 0, 0, 1 }, 8, PPP_CONF_REJ, { 0 }, 0 },
	{ "server never authenticates itself", true, false,
	    { 3, 4, 0xc0, 0x23 }, 4, PPP_CONF_REJ, { 0 }, 0 },
	{ "client acks CHAP-MD5", false, false, { 3, 5, 0xc2, 0x23, 5 }, 5,
	    PPP_CONF_ACK, { 0 }, 0 },
	{ "client acks PAP", false, false, { 3, 4, 0xc0, 0x23 }, 4,
	    PPP_CONF_ACK, { 0 }, 0 },
	{ "client Naks MS-CHAPv2 with CHAP-MD5", false, false,
	    { 3, 5, 0xc2, 0x23, 0x81 }, 5, PPP_CONF_NAK,
	    { 3, 5, 0xc2, 0x23, 5 }, 5 },
	{ "client Naks EAP with CHAP-MD5", false, false, { 3, 4, 0xc2, 0x27 },
	    4, PPP_CONF_NAK, { 3, 5, 0xc2, 0x23, 5 }, 5 },
	{ "magic accepted", true, false, { 5, 6, 1, 2, 3, 4 }, 6, PPP_CONF_ACK,
	    { 0 }, 0 },
	{ "magic zero Nak'd", true, false, { 5, 6, 0, 0, 0, 0 }, 6,
	    PPP_CONF_NAK, { 0 }, 6 },
	/* RFC 2516 §7 over PPPoE: ACCM, ACFC and FCS-Alternatives rejected,
	 * MRU capped at 1492; the same options stay fine elsewhere (above). */
	{ "PPPoE: ACCM rejected", true, true, { 2, 6, 0, 0, 0, 0 }, 6,
	    PPP_CONF_REJ, { 0 }, 0 },
	{ "PPPoE: ACFC rejected", true, true, { 8, 2 }, 2, PPP_CONF_REJ, { 0 },
	    0 },
	{ "PPPoE: FCS-Alternatives rejected", true, true, { 9, 3, 1 }, 3,
	    PPP_CONF_REJ, { 0 }, 0 },
	{ "PPPoE: MRU 1500 Nak'd to 1492", true, true, { 1, 4, 0x05, 0xdc }, 4,
	    PPP_CONF_NAK, { 1, 4, 0x05, 0xd4 }, 4 },
	{ "PPPoE: MRU 1492 accepted", false, true, { 1, 4, 0x05, 0xd4 }, 4,
	    PPP_CONF_ACK, { 0 }, 0 },
	{ "PPPoE: PFC still acked", true, true, { 7, 2 }, 2, PPP_CONF_ACK,
	    { 0 }, 0 },
};

static void
test_options(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) {
		const struct opt_case *c = &opt_cases[i];
		struct lcp l;
		uint8_t code;

		init_pppoe = c->pppoe;
		init(&l, c->server);
		init_pppoe = false;
		code = request(&l, c->opt, c->len);
		if (code != c->code)
			fail_msg("%s: reply code %u, want %u", c->what, code,
			    c->code);
		if (c->code == PPP_CONF_NAK) {
			assert_int_equal(out.last_len, 4 + c->reply_len);
			if (c->opt[0] == LCP_OPT_MAGIC) {
				assert_int_equal(out.last[4], LCP_OPT_MAGIC);
				assert_memory_not_equal(out.last + 6,
				    "\0\0\0\0", 4);
			} else {
				assert_memory_equal(out.last + 4, c->reply,
				    c->reply_len);
			}
		} else {
			/* Ack and Reject carry the option unchanged */
			assert_int_equal(out.last_len, 4 + c->len);
			assert_memory_equal(out.last + 4, c->opt, c->len);
		}
	}
}

/* Unknown options are rejected with exactly their bytes (RFC 1661 §5.4),
 * known acceptable ones left out of the Reject. */
static void
test_unknown_option_bytes(void **state)
{
	static const uint8_t opts[] = { 1, 4, 0x05, 0xdc, 0x0d, 3, 0x06, 0x11,
		4, 0xde, 0xad, 7, 2 };
	static const uint8_t rej[] = { PPP_CONF_REJ, 0x42, 0, 11, 0x0d, 3, 0x06,
		0x11, 4, 0xde, 0xad };
	struct lcp l;

	(void)state;
	init(&l, true);
	request(&l, opts, sizeof(opts));
	assert_int_equal(out.last_len, sizeof(rej));
	assert_memory_equal(out.last, rej, sizeof(rej));
}

/* Truncated / bad-length option lists: no reply, no crash. */
static void
test_truncated(void **state)
{
	static const uint8_t bad[][6] = {
		{ 1, 4, 0x05 },	      /* runs past the packet */
		{ 5, 1, 0, 0, 0, 0 }, /* length 1 */
		{ 5, 0, 0, 0, 0, 0 }, /* length 0 */
		{ 5, 7, 0, 0, 0, 0 }, /* past end */
	};
	static const size_t lens[] = { 3, 6, 6, 6 };
	struct lcp l;

	(void)state;
	init(&l, true);
	for (size_t i = 0; i < 4; i++) {
		unsigned before = out.sent;
		uint8_t p[16];

		p[0] = PPP_CONF_REQ;
		p[1] = 1;
		put_be16(p + 2, (uint16_t)(lens[i] + 4));
		memcpy(p + 4, bad[i], lens[i]);
		for (size_t n = 0; n <= lens[i] + 4; n++)
			lcp_input(&l, p, n, 1);
		assert_int_equal(out.sent, before);
	}
	assert_int_equal(l.cp.state, CP_REQSENT);
}

/* RFC 1661 §6.4: our own magic in the peer's request → Nak with another
 * number, a new one of ours; repeated → looped back. */
static void
test_magic_loop(void **state)
{
	struct lcp l;
	uint8_t opt[6] = { 5, 6 };

	(void)state;
	init(&l, true);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t mine = l.our_magic;

		put_be16(opt + 2, (uint16_t)(mine >> 16));
		put_be16(opt + 4, (uint16_t)mine);
		assert_int_equal(request(&l, opt, 6), PPP_CONF_NAK);
		assert_memory_not_equal(out.last + 6, opt + 2, 4);
		assert_int_not_equal(l.our_magic, mine);
		assert_null(out.fail);
	}
	put_be16(opt + 2, (uint16_t)(l.our_magic >> 16));
	put_be16(opt + 4, (uint16_t)l.our_magic);
	request(&l, opt, 6);
	assert_non_null(out.fail);
	assert_string_equal(out.fail, "link looped back (magic number)");
}

/* Our Configure-Request as sent by the server: MRU 1400, MS-CHAPv2 first,
 * magic; Nak of the auth option moves to the suggestion or the next. */
static void
test_server_request_and_auth_walk(void **state)
{
	struct lcp l;
	uint8_t nak[16] = { PPP_CONF_NAK, 0, 0, 9, 3, 5, 0xc2, 0x23, 5 };
	uint8_t rej[16] = { PPP_CONF_REJ, 0, 0, 8 };

	(void)state;
	init(&l, true);
	assert_int_equal(out.last[0], PPP_CONF_REQ);
	assert_int_equal(out.last_len, 4 + 4 + 5 + 6);
	assert_memory_equal(out.last + 4,
	    "\x01\x04\x05\x78\x03\x05\xc2\x23\x81\x05\x06", 11);
	nak[1] = l.cp.req_id;
	lcp_input(&l, nak, 9, 1); /* client suggests CHAP-MD5 */
	assert_memory_equal(out.last + 8, "\x03\x05\xc2\x23\x05", 5);
	/* now a Nak suggesting something we do not offer: next (PAP) */
	nak[1] = l.cp.req_id;
	nak[8] = 0x80;
	lcp_input(&l, nak, 9, 1);
	assert_memory_equal(out.last + 8, "\x03\x04\xc0\x23", 4);
	/* PAP rejected: no method left, the link gives up */
	rej[1] = l.cp.req_id;
	memcpy(rej + 4, "\x03\x04\xc0\x23", 4);
	lcp_input(&l, rej, 8, 1);
	assert_non_null(out.fail);
}

static void
open_lcp(struct lcp *l)
{
	uint8_t ack[64];
	static const uint8_t opts[] = { 5, 6, 9, 9, 9, 9 };

	init(l, false);
	ack[0] = PPP_CONF_ACK;
	ack[1] = l->cp.req_id;
	put_be16(ack + 2, (uint16_t)(4 + l->cp.last_req_len));
	memcpy(ack + 4, l->cp.last_req, l->cp.last_req_len);
	lcp_input(l, ack, 4 + l->cp.last_req_len, 0);
	assert_int_equal(request(l, opts, sizeof(opts)), PPP_CONF_ACK);
	assert_int_equal(l->cp.state, CP_OPENED);
	assert_int_equal(out.tlu, 1);
}

/* Echo-Request every interval; dead after echo_failures unanswered. */
static void
test_echo_keepalive(void **state)
{
	struct lcp l; /* Opened at t=1 */
	uint8_t rep[8] = { PPP_ECHO_REP, 0, 0, 8, 9, 9, 9, 9 };
	unsigned before;

	(void)state;
	open_lcp(&l);
	assert_int_equal(lcp_next_deadline(&l), 10001);
	before = out.sent;
	lcp_timeout(&l, 10001);
	assert_int_equal(out.sent, before + 1);
	assert_int_equal(out.last[0], PPP_ECHO_REQ);
	/* the request carries our magic */
	assert_int_equal((uint32_t)get_be16(out.last + 4) << 16 |
		get_be16(out.last + 6),
	    l.our_magic);
	rep[1] = out.last[1];
	lcp_input(&l, rep, sizeof(rep), 10051); /* answered */
	lcp_timeout(&l, 20001);
	lcp_timeout(&l, 30001);
	lcp_timeout(&l, 40001);
	assert_null(out.fail);
	lcp_timeout(&l, 50000);
	assert_null(out.fail);
	lcp_timeout(&l, 50001);
	assert_non_null(out.fail);
	assert_string_equal(out.fail, "echo timeout");
}

/* RFC 1661 §6.4: when the peer Configure-Rejects Magic-Number, our magic
 * number is zero in Echo-Request/Reply and loop-back detection is off: a
 * reply that copies the request (magic 0) still answers it. */
static void
test_magic_rejected(void **state)
{
	static const uint8_t opts[] = { 1, 4, 0x05, 0xdc }; /* no magic */
	static const uint8_t ereq[] = { PPP_ECHO_REQ, 7, 0, 8, 0, 0, 0, 0 };
	uint8_t rej[16], ack[64], rep[8];
	size_t off = 0;

	(void)state;
	init(&l_magic, false);
	/* find our Magic-Number option and reject exactly it */
	while (off < l_magic.cp.last_req_len && l_magic.cp.last_req[off] != 5)
		off += l_magic.cp.last_req[off + 1];
	assert_true(off < l_magic.cp.last_req_len);
	rej[0] = PPP_CONF_REJ;
	rej[1] = l_magic.cp.req_id;
	put_be16(rej + 2, 10);
	memcpy(rej + 4, l_magic.cp.last_req + off, 6);
	lcp_input(&l_magic, rej, 10, 0);
	ack[0] = PPP_CONF_ACK;
	ack[1] = l_magic.cp.req_id;
	put_be16(ack + 2, (uint16_t)(4 + l_magic.cp.last_req_len));
	memcpy(ack + 4, l_magic.cp.last_req, l_magic.cp.last_req_len);
	for (size_t i = 0; i + 1 < l_magic.cp.last_req_len;
	     i += l_magic.cp.last_req[i + 1])
		assert_int_not_equal(l_magic.cp.last_req[i], 5);
	lcp_input(&l_magic, ack, 4 + l_magic.cp.last_req_len, 0);
	assert_int_equal(request(&l_magic, opts, sizeof(opts)), PPP_CONF_ACK);
	assert_int_equal(l_magic.cp.state, CP_OPENED);
	/* our Echo-Reply carries zero */
	lcp_input(&l_magic, ereq, sizeof(ereq), 5);
	assert_int_equal(out.last[0], PPP_ECHO_REP);
	assert_int_equal(get_be16(out.last + 4) | get_be16(out.last + 6), 0);
	/* our Echo-Requests carry zero, and a reply with zero counts */
	for (uint64_t t = 10001; t < 100000; t += 10000) {
		lcp_timeout(&l_magic, t);
		assert_int_equal(out.last[0], PPP_ECHO_REQ);
		assert_int_equal(get_be16(out.last + 4) |
			get_be16(out.last + 6),
		    0);
		memcpy(rep, out.last, 8);
		rep[0] = PPP_ECHO_REP;
		lcp_input(&l_magic, rep, sizeof(rep), t + 50);
	}
	assert_null(out.fail);
}

/* Echo-Reply carries our magic; Discard-Request is ignored (§5.8, §5.9). */
static void
test_echo_reply_discard(void **state)
{
	static const uint8_t req[] = { PPP_ECHO_REQ, 7, 0, 10, 9, 9, 9, 9, 0xab,
		0xcd };
	static const uint8_t disc[] = { PPP_DISC_REQ, 8, 0, 8, 9, 9, 9, 9 };
	struct lcp l;
	unsigned before;

	(void)state;
	open_lcp(&l);
	lcp_input(&l, req, sizeof(req), 5);
	assert_int_equal(out.last[0], PPP_ECHO_REP);
	assert_int_equal(out.last[1], 7);
	assert_int_equal(out.last_len, sizeof(req));
	assert_int_equal((uint32_t)get_be16(out.last + 4) << 16 |
		get_be16(out.last + 6),
	    l.our_magic);
	assert_memory_equal(out.last + 8, req + 8, 2);
	before = out.sent;
	lcp_input(&l, disc, sizeof(disc), 5);
	assert_int_equal(out.sent, before);
}

/* Protocol-Reject: sent only when Opened; received, reported to the
 * link; rejecting LCP itself is RXJ- (§5.7). */
static void
test_protocol_reject(void **state)
{
	static const uint8_t pr[] = { PPP_PROTO_REJ, 3, 0, 8, 0x80, 0x57, 1,
		1 };
	static const uint8_t prl[] = { PPP_PROTO_REJ, 4, 0, 6, 0xc0, 0x21 };
	struct lcp l;
	unsigned before;

	(void)state;
	init(&l, true);
	before = out.sent;
	lcp_send_proto_rej(&l, 0x1234, (const uint8_t *)"ab", 2);
	assert_int_equal(out.sent, before); /* not Opened */
	open_lcp(&l);
	lcp_send_proto_rej(&l, 0x1234, (const uint8_t *)"ab", 2);
	assert_int_equal(out.last[0], PPP_PROTO_REJ);
	assert_int_equal(out.last_len, 8);
	assert_memory_equal(out.last + 4,
	    "\x12\x34"
	    "ab",
	    4);
	lcp_input(&l, pr, sizeof(pr), 5);
	assert_int_equal(out.rejected, PPP_PROTO_IPV6CP);
	assert_int_equal(l.cp.state, CP_OPENED);
	lcp_input(&l, prl, sizeof(prl), 5);
	assert_int_equal(l.cp.state, CP_STOPPING);
	assert_int_equal(out.tld, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_unknown_option_bytes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_magic_loop),
		cmocka_unit_test(test_server_request_and_auth_walk),
		cmocka_unit_test(test_echo_keepalive),
		cmocka_unit_test(test_echo_reply_discard),
		cmocka_unit_test(test_magic_rejected),
		cmocka_unit_test(test_protocol_reject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
