/* test_data_hdr.c — data header build/parse (RFC 2661 §3.1) and data channel
 * sequencing (§5.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/data_hdr.h"
#include "l2tp/msg.h"

static void
test_push_compact(void **state)
{
	uint8_t buf[DATA_HDR_MAX + 4];
	uint8_t *payload = buf + DATA_HDR_MAX, *h;
	static const uint8_t want[] = { 0x00, 0x02, 0x12, 0x34, 0xab, 0xcd,
		0xff, 0x03, 0xc0, 0x21 };

	(void)state;
	memcpy(payload, "\xff\x03\xc0\x21", 4);
	/* §3.1: T=0 L=0 S=0 O=0 P=0, Ver 2: flags word 0x0002. */
	h = data_hdr_push(payload, DATA_HDR_MAX, 0x1234, 0xabcd, NULL, false);
	assert_ptr_equal(h, payload - DATA_HDR_MIN);
	assert_memory_equal(h, want, sizeof(want));
}

static void
test_push_seq_and_priority(void **state)
{
	uint8_t buf[64];
	uint8_t *payload = buf + 32, *h;
	struct data_seq sq;
	static const uint8_t want0[] = { 0x09, 0x02, 0x00, 0x07, 0x00, 0x09,
		0x00, 0x00, 0x00, 0x00 };
	static const uint8_t want1[] = { 0x08, 0x02, 0x00, 0x07, 0x00, 0x09,
		0x00, 0x01, 0x00, 0x00 };

	(void)state;
	data_seq_init(&sq, true, true);
	/* §3.1: S=1 with Ns from zero; Nr reserved (0); P when asked. */
	h = data_hdr_push(payload, 32, 7, 9, &sq, true);
	assert_ptr_equal(h, payload - DATA_HDR_SEQ);
	assert_memory_equal(h, want0, sizeof(want0));
	h = data_hdr_push(payload, 32, 7, 9, &sq, false);
	assert_memory_equal(h, want1, sizeof(want1));
	assert_int_equal(sq.ns, 2);

	/* Ns wraps modulo 2^16. */
	sq.ns = 0xffff;
	h = data_hdr_push(payload, 32, 7, 9, &sq, false);
	assert_int_equal(h[6] << 8 | h[7], 0xffff);
	assert_int_equal(sq.ns, 0);
}

static void
test_push_short_headroom(void **state)
{
	uint8_t buf[16];
	struct data_seq sq;

	(void)state;
	data_seq_init(&sq, false, true);
	assert_null(data_hdr_push(buf + 9, 9, 1, 1, &sq, false));
	assert_int_equal(sq.ns, 0); /* nothing consumed */
	assert_non_null(data_hdr_push(buf + 10, 10, 1, 1, &sq, false));
	assert_null(data_hdr_push(buf + 5, 5, 1, 1, NULL, false));
	assert_non_null(data_hdr_push(buf + 6, 6, 1, 1, NULL, false));
}

/* Every header our builder makes parses back to the same fields. */
static void
test_push_parse_roundtrip(void **state)
{
	uint8_t buf[128];
	struct data_seq sq;
	struct data_hdr h;

	(void)state;
	for (int s = 0; s < 2; s++) {
		uint8_t *payload = buf + 20, *p;

		data_seq_init(&sq, false, s == 1);
		memset(payload, 0x5a, 50);
		p = data_hdr_push(payload, 20, 0xbeef, 0x0102, &sq, s == 0);
		assert_int_equal(data_hdr_parse(p, (size_t)(payload + 50 - p),
				     &h),
		    DATA_HDR_OK);
		assert_int_equal(h.tunnel_id, 0xbeef);
		assert_int_equal(h.session_id, 0x0102);
		assert_int_equal(h.has_seq, s == 1);
		assert_int_equal(h.priority, s == 0);
		assert_ptr_equal(p + h.payload_off, payload);
		assert_int_equal(h.payload_len, 50);
	}
}

struct parse_case {
	const char *name;
	uint8_t pkt[24];
	size_t len;
	enum data_hdr_status st;
	uint16_t tid, sid, ns, off, plen;
	bool seq;
};

static const struct parse_case parse_cases[] = {
	{ "compact", { 0x00, 0x02, 0, 1, 0, 2, 0xaa }, 7, DATA_HDR_OK, 1, 2, 0,
	    6, 1, false },
	{ "empty payload", { 0x00, 0x02, 0, 1, 0, 2 }, 6, DATA_HDR_OK, 1, 2, 0,
	    6, 0, false },
	/* Reserved x bits are "ignored on incoming messages" (§3.1). */
	{ "reserved bits", { 0x34, 0xf2, 0, 1, 0, 2, 0xaa }, 7, DATA_HDR_OK, 1,
	    2, 0, 6, 1, false },
	{ "seq", { 0x08, 0x02, 0, 1, 0, 2, 0x12, 0x34, 0xff, 0xff, 0xaa }, 11,
	    DATA_HDR_OK, 1, 2, 0x1234, 10, 1, true },
	/* Length trims link padding: total 8, datagram 10. */
	{ "length", { 0x40, 0x02, 0, 8, 0, 1, 0, 2, 0xaa, 0xbb }, 10,
	    DATA_HDR_OK, 1, 2, 0, 8, 0, false },
	{ "length > datagram", { 0x40, 0x02, 0, 12, 0, 1, 0, 2, 0xaa }, 9,
	    DATA_HDR_BAD_LENGTH, 0, 0, 0, 0, 0, false },
	{ "length < header", { 0x40, 0x02, 0, 6, 0, 1, 0, 2, 0xaa }, 9,
	    DATA_HDR_BAD_LENGTH, 0, 0, 0, 0, 0, false },
	/* §3.1: the header ends after the offset padding. */
	{ "offset", { 0x02, 0x02, 0, 1, 0, 2, 0, 2, 0xee, 0xee, 0xaa }, 11,
	    DATA_HDR_OK, 1, 2, 0, 10, 1, false },
	{ "offset past end", { 0x02, 0x02, 0, 1, 0, 2, 0, 9, 0xee }, 9,
	    DATA_HDR_TRUNCATED, 0, 0, 0, 0, 0, false },
	{ "offset past length",
	    { 0x42, 0x02, 0, 10, 0, 1, 0, 2, 0, 4, 0xe, 0xe, 0xe, 0xe }, 14,
	    DATA_HDR_BAD_LENGTH, 0, 0, 0, 0, 0, false },
	{ "all of L S O P",
	    { 0x4b, 0x02, 0, 17, 0, 1, 0, 2, 0, 5, 0, 0, 0, 1, 0xee, 0xaa, 0xbb,
		0xcc },
	    18, DATA_HDR_OK, 1, 2, 5, 15, 2, true },
	{ "truncated flags", { 0x00 }, 1, DATA_HDR_TRUNCATED, 0, 0, 0, 0, 0,
	    false },
	{ "truncated ids", { 0x00, 0x02, 0, 1, 0 }, 5, DATA_HDR_TRUNCATED, 0, 0,
	    0, 0, 0, false },
	{ "truncated seq", { 0x08, 0x02, 0, 1, 0, 2, 0 }, 7, DATA_HDR_TRUNCATED,
	    0, 0, 0, 0, 0, false },
	/* §3.1: unknown Ver "MUST be discarded" (1 is L2F, 3 L2TPv3). */
	{ "L2F", { 0x00, 0x01, 0, 1, 0, 2 }, 6, DATA_HDR_BAD_VERSION, 0, 0, 0,
	    0, 0, false },
	{ "v3", { 0x00, 0x03, 0, 1, 0, 2 }, 6, DATA_HDR_BAD_VERSION, 0, 0, 0, 0,
	    0, false },
	{ "control", { 0xc8, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0 }, 12,
	    DATA_HDR_CONTROL, 0, 0, 0, 0, 0, false },
};

static void
test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	     i++) {
		const struct parse_case *c = &parse_cases[i];
		struct data_hdr h;
		enum data_hdr_status st = data_hdr_parse(c->pkt, c->len, &h);

		if (st != c->st)
			fail_msg("%s: got %s, want %s", c->name,
			    data_hdr_status_str(st),
			    data_hdr_status_str(c->st));
		if (st != DATA_HDR_OK)
			continue;
		assert_int_equal(h.tunnel_id, c->tid);
		assert_int_equal(h.session_id, c->sid);
		assert_int_equal(h.has_seq, c->seq);
		assert_int_equal(h.ns, c->ns);
		assert_int_equal(h.payload_off, c->off);
		assert_int_equal(h.payload_len, c->plen);
	}
}

/* The fast parser agrees with the control path's l2tp_hdr_decode() on
 * random data headers (every flag combination, random lengths/offsets). */
static void
test_parse_matches_l2tp_hdr_decode(void **state)
{
	uint8_t pkt[40];
	unsigned seed = 12345, ok = 0;

	(void)state;
	for (int n = 0; n < 200000; n++) {
		struct data_hdr d;
		struct l2tp_hdr l;
		enum data_hdr_status ds;
		enum l2tp_hdr_status ls;
		size_t len;

		for (size_t i = 0; i < sizeof(pkt); i++) {
			seed = seed * 1103515245u + 12345u;
			pkt[i] = (uint8_t)(seed >> 16);
		}
		pkt[0] &= 0x7f; /* data */
		if (pkt[1] & 0x80)
			pkt[1] = (uint8_t)((pkt[1] & 0xf0) | 2);
		pkt[2] = 0; /* a Length that may fit */
		pkt[3] &= 0x3f;
		len = pkt[5] % sizeof(pkt);
		if ((pkt[0] & 0x42) == 0x02) { /* O without L: small offset */
			size_t o = 6 + (pkt[0] & 0x08 ? 4 : 0);

			pkt[o] = 0;
			pkt[o + 1] &= 0x1f;
		}
		ds = data_hdr_parse(pkt, len, &d);
		ls = l2tp_hdr_decode(pkt, len, &l);
		switch (ls) {
		case L2TP_HDR_OK:
			ok++;
			assert_int_equal(ds, DATA_HDR_OK);
			assert_int_equal(d.tunnel_id, l.tunnel_id);
			assert_int_equal(d.session_id, l.session_id);
			assert_int_equal(d.has_seq, l.has_seq);
			assert_int_equal(d.priority, l.priority);
			if (l.has_seq)
				assert_int_equal(d.ns, l.ns);
			assert_int_equal(d.payload_off, l.payload_off);
			assert_int_equal(d.payload_len, l.payload_len);
			break;
		case L2TP_HDR_TRUNCATED:
			assert_int_equal(ds, DATA_HDR_TRUNCATED);
			break;
		case L2TP_HDR_BAD_VERSION:
			assert_int_equal(ds, DATA_HDR_BAD_VERSION);
			break;
		case L2TP_HDR_BAD_LENGTH:
			assert_int_equal(ds, DATA_HDR_BAD_LENGTH);
			break;
		case L2TP_HDR_BAD_CONTROL:
			fail_msg("control verdict on a data header");
			break;
		}
	}
	assert_true(ok > 20000); /* the generator reaches valid headers */
}

/* §5.4 table: each step is one received data message and what follows. */
struct seq_step {
	bool has_seq;
	uint16_t ns;
	enum data_seq_verdict v;
	bool send_seq_after;
};

struct seq_case {
	const char *name;
	bool lns_mode, required;
	struct seq_step steps[6];
	unsigned nsteps;
	uint64_t discards, lost;
};

static const struct seq_case seq_cases[] = {
	/* "If the LAC receives a data message with sequence numbers present,
	 * it MUST begin sending sequence numbers ... without ... it MUST stop
	 * sending sequence numbers". */
	{ "LAC follows the LNS", false, false,
	    { { false, 0, DATA_SEQ_ACCEPT, false },
		{ true, 0, DATA_SEQ_ACCEPT, true },
		{ true, 1, DATA_SEQ_ACCEPT, true },
		{ false, 0, DATA_SEQ_ACCEPT, false },
		{ true, 2, DATA_SEQ_ACCEPT, true } },
	    5, 0, 0 },
	/* The LNS controls sequencing: the peer's choice does not move it. */
	{ "LNS keeps its choice", true, false,
	    { { true, 0, DATA_SEQ_ACCEPT, false },
		{ false, 0, DATA_SEQ_ACCEPT, false },
		{ true, 1, DATA_SEQ_ACCEPT, false } },
	    3, 0, 0 },
	/* "If this AVP is present during session setup, sequence numbers
	 * MUST be present at all times." */
	{ "required: missing Ns discarded", false, true,
	    { { true, 0, DATA_SEQ_ACCEPT, true },
		{ false, 0, DATA_SEQ_MISSING, true },
		{ true, 1, DATA_SEQ_ACCEPT, true } },
	    3, 1, 0 },
	{ "required LNS", true, true,
	    { { false, 0, DATA_SEQ_MISSING, true },
		{ true, 0, DATA_SEQ_ACCEPT, true } },
	    2, 1, 0 },
	/* Stale (reordered/duplicated) frames are dropped, gaps counted. */
	{ "stale and duplicate", true, true,
	    { { true, 10, DATA_SEQ_ACCEPT, true },
		{ true, 10, DATA_SEQ_STALE, true },
		{ true, 13, DATA_SEQ_ACCEPT, true },
		{ true, 12, DATA_SEQ_STALE, true },
		{ true, 14, DATA_SEQ_ACCEPT, true } },
	    5, 2, 2 },
	{ "wrap", true, true,
	    { { true, 0xfffe, DATA_SEQ_ACCEPT, true },
		{ true, 0xffff, DATA_SEQ_ACCEPT, true },
		{ true, 0, DATA_SEQ_ACCEPT, true },
		{ true, 0xffff, DATA_SEQ_STALE, true },
		{ true, 1, DATA_SEQ_ACCEPT, true } },
	    5, 1, 0 },
	/* "the sequence number state picks up where it left off". */
	{ "re-enabled keeps state", false, false,
	    { { true, 5, DATA_SEQ_ACCEPT, true },
		{ false, 0, DATA_SEQ_ACCEPT, false },
		{ true, 4, DATA_SEQ_STALE, true },
		{ true, 6, DATA_SEQ_ACCEPT, true } },
	    4, 1, 0 },
};

static void
test_seq_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(seq_cases) / sizeof(seq_cases[0]); i++) {
		const struct seq_case *c = &seq_cases[i];
		struct data_seq sq;

		data_seq_init(&sq, c->lns_mode, c->required);
		for (unsigned k = 0; k < c->nsteps; k++) {
			struct data_hdr h = { .has_seq = c->steps[k].has_seq,
				.ns = c->steps[k].ns };
			enum data_seq_verdict v = data_seq_rx(&sq, &h);

			if (v != c->steps[k].v ||
			    sq.send_seq != c->steps[k].send_seq_after)
				fail_msg("%s step %u: %s send_seq=%d", c->name,
				    k, data_seq_verdict_str(v), sq.send_seq);
		}
		if (sq.rx_seq_discards != c->discards ||
		    sq.rx_seq_lost != c->lost)
			fail_msg("%s: discards %lu lost %lu", c->name,
			    (unsigned long)sq.rx_seq_discards,
			    (unsigned long)sq.rx_seq_lost);
	}
}

/* The Ns we send keeps counting across a LAC's off/on switch (§5.4). */
static void
test_seq_tx_resumes(void **state)
{
	uint8_t buf[32], *p;
	struct data_seq sq;
	struct data_hdr on = { .has_seq = true }, off = { .has_seq = false };

	(void)state;
	data_seq_init(&sq, false, false);
	p = data_hdr_push(buf + 16, 16, 1, 1, &sq, false);
	assert_ptr_equal(p, buf + 10); /* unsequenced */
	assert_int_equal(data_seq_rx(&sq, &on), DATA_SEQ_ACCEPT);
	p = data_hdr_push(buf + 16, 16, 1, 1, &sq, false);
	assert_int_equal(p[6] << 8 | p[7], 0);
	assert_int_equal(data_seq_rx(&sq, &off), DATA_SEQ_ACCEPT);
	p = data_hdr_push(buf + 16, 16, 1, 1, &sq, false);
	assert_ptr_equal(p, buf + 10);
	on.ns = 1;
	assert_int_equal(data_seq_rx(&sq, &on), DATA_SEQ_ACCEPT);
	p = data_hdr_push(buf + 16, 16, 1, 1, &sq, false);
	assert_int_equal(p[6] << 8 | p[7], 1);
}

/*
 * Sequencing fixed at setup (data_seq_init_fixed, the host's sessions): the
 * peer's S bit never switches what we send, an unsequenced frame is
 * delivered even with sequencing on, and a stale Ns is still discarded.
 */
static void
test_seq_fixed(void **state)
{
	uint8_t buf[32], *p;
	struct data_seq sq;
	struct data_hdr on = { .has_seq = true, .ns = 5 };
	struct data_hdr off = { .has_seq = false };

	(void)state;
	data_seq_init_fixed(&sq, true);
	assert_int_equal(data_seq_rx(&sq, &off), DATA_SEQ_ACCEPT);
	p = data_hdr_push(buf + 16, 16, 1, 1, &sq, false);
	assert_ptr_equal(p, buf + 6); /* still sequenced */
	assert_int_equal(data_seq_rx(&sq, &on), DATA_SEQ_ACCEPT);
	on.ns = 4;
	assert_int_equal(data_seq_rx(&sq, &on), DATA_SEQ_STALE);
	assert_int_equal(sq.rx_seq_discards, 1);

	data_seq_init_fixed(&sq, false);
	on.ns = 7;
	assert_int_equal(data_seq_rx(&sq, &on), DATA_SEQ_ACCEPT);
	p = data_hdr_push(buf + 16, 16, 1, 1, &sq, false);
	assert_ptr_equal(p, buf + 10); /* still unsequenced */
	on.ns = 6;
	assert_int_equal(data_seq_rx(&sq, &on), DATA_SEQ_STALE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_compact),
		cmocka_unit_test(test_push_seq_and_priority),
		cmocka_unit_test(test_push_short_headroom),
		cmocka_unit_test(test_push_parse_roundtrip),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_matches_l2tp_hdr_decode),
		cmocka_unit_test(test_seq_table),
		cmocka_unit_test(test_seq_tx_resumes),
		cmocka_unit_test(test_seq_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
