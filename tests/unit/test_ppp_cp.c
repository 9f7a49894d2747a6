/*
 * test_ppp_cp.c — the generic RFC 1661 automaton: the whole §4.1 table
 * (written out again here from the RFC text, independently of cp.c's
 * table), restart counters and timer, Max-Failure, identifier matching,
 * Reject/Nak/Ack building and malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/timeutil.h"
#include "ppp/cp.h"
#include "ppp/ppp_proto.h"

/* RFC 1661 §4.1, cell by cell as printed: "actions/state" or "-". */
/* clang-format off */
static const char *const rfc_table[CP_NEVENTS][CP_NSTATES] = {
	/*            0 Initial  1 Starting    2 Closed     3 Stopped         4 Closing  5 Stopping  6 Req-Sent    7 Ack-Rcvd   8 Ack-Sent     9 Opened */
	/* Up    */ { "2",       "irc,scr/6",  "-",         "-",              "-",       "-",        "-",          "-",         "-",           "-" },
	/* Down  */ { "-",       "-",          "0",         "tls/1",          "0",       "1",        "1",          "1",         "1",           "tld/1" },
	/* Open  */ { "tls/1",   "1",          "irc,scr/6", "3r",             "5r",      "5r",       "6",          "7",         "8",           "9r" },
	/* Close */ { "0",       "tlf/0",      "2",         "2",              "4",       "4",        "irc,str/4",  "irc,str/4", "irc,str/4",   "tld,irc,str/4" },
	/* TO+   */ { "-",       "-",          "-",         "-",              "str/4",   "str/5",    "scr/6",      "scr/6",     "scr/8",       "-" },
	/* TO-   */ { "-",       "-",          "-",         "-",              "tlf/2",   "tlf/3",    "tlf/3p",     "tlf/3p",    "tlf/3p",      "-" },
	/* RCR+  */ { "-",       "-",          "sta/2",     "irc,scr,sca/8",  "4",       "5",        "sca/8",      "sca,tlu/9", "sca/8",       "tld,scr,sca/8" },
	/* RCR-  */ { "-",       "-",          "sta/2",     "irc,scr,scn/6",  "4",       "5",        "scn/6",      "scn/7",     "scn/6",       "tld,scr,scn/6" },
	/* RCA   */ { "-",       "-",          "sta/2",     "sta/3",          "4",       "5",        "irc/7",      "scr/6x",    "irc,tlu/9",   "tld,scr/6x" },
	/* RCN   */ { "-",       "-",          "sta/2",     "sta/3",          "4",       "5",        "irc,scr/6",  "scr/6x",    "irc,scr/8",   "tld,scr/6x" },
	/* RTR   */ { "-",       "-",          "sta/2",     "sta/3",          "sta/4",   "sta/5",    "sta/6",      "sta/6",     "sta/6",       "tld,zrc,sta/5" },
	/* RTA   */ { "-",       "-",          "2",         "3",              "tlf/2",   "tlf/3",    "6",          "6",         "8",           "tld,scr/6" },
	/* RUC   */ { "-",       "-",          "scj/2",     "scj/3",          "scj/4",   "scj/5",    "scj/6",      "scj/7",     "scj/8",       "scj/9" },
	/* RXJ+  */ { "-",       "-",          "2",         "3",              "4",       "5",        "6",          "6",         "8",           "9" },
	/* RXJ-  */ { "-",       "-",          "tlf/2",     "tlf/3",          "tlf/2",   "tlf/3",    "tlf/3",      "tlf/3",     "tlf/3",       "tld,irc,str/5" },
	/* RXR   */ { "-",       "-",          "2",         "3",              "4",       "5",        "6",          "7",         "8",           "ser/9" },
};
/* clang-format on */

struct expect {
	bool illegal;
	unsigned state;
	unsigned actions;
};

static struct expect
parse_cell(const char *cell)
{
	struct expect e = { 0 };
	const char *slash = strchr(cell, '/'), *p = cell;
	static const struct {
		const char *n;
		unsigned f;
	} names[] = {
		{ "tlu", CP_TLU },
		{ "tld", CP_TLD },
		{ "tls", CP_TLS },
		{ "tlf", CP_TLF },
		{ "irc", CP_IRC },
		{ "zrc", CP_ZRC },
		{ "scr", CP_SCR },
		{ "sca", CP_SCA },
		{ "scn", CP_SCN },
		{ "str", CP_STR },
		{ "sta", CP_STA },
		{ "scj", CP_SCJ },
		{ "ser", CP_SER },
	};

	if (strcmp(cell, "-") == 0) {
		e.illegal = true;
		return e;
	}
	if (slash != NULL) {
		while (p < slash) {
			size_t n = strcspn(p, ",/");
			bool found = false;

			for (size_t i = 0; i < sizeof(names) / sizeof(names[0]);
			     i++)
				if (n == 3 && strncmp(p, names[i].n, 3) == 0) {
					e.actions |= names[i].f;
					found = true;
				}
			assert_true(found);
			p += n;
			if (*p == ',')
				p++;
		}
		p = slash + 1;
	}
	e.state = (unsigned)(*p - '0'); /* footnote letters p/r/x ignored */
	return e;
}

/* ---- a test protocol with one 2-octet option (type 1) ---- */

struct tp {
	struct cp cp;
	unsigned got;	    /* observed actions */
	uint16_t ours;	    /* value we request */
	uint16_t want_peer; /* the only value we accept from the peer */
	uint8_t last[CP_MAX_PKT];
	size_t last_len;
	unsigned nsent;
	unsigned codes[32];
};

static void
tp_add(struct cp *cp, struct wbuf *w)
{
	struct tp *t = cp->arg;

	wr_u8(w, 1);
	wr_u8(w, 4);
	wr_be16(w, t->ours);
}

static int
tp_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	(void)cp;
	(void)d;
	(void)len;
	return 0;
}

static void
tp_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	struct tp *t = cp->arg;

	(void)len;
	t->ours = get_be16(d);
}

static enum cp_verdict
tp_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	struct tp *t = cp->arg;

	(void)len;
	if (get_be16(d) == t->want_peer)
		return CP_ACK;
	wr_u8(nak, 1);
	wr_u8(nak, 4);
	wr_be16(nak, t->want_peer);
	return CP_NAK;
}

static const struct cp_option tp_options[] = {
	{ 1, "value", 2, 2, tp_add, tp_ack, tp_nak, NULL, tp_req },
};

static void
tp_send(struct cp *cp, const uint8_t *pkt, size_t len)
{
	struct tp *t = cp->arg;
	static const unsigned code_action[] = {
		[PPP_CONF_REQ] = CP_SCR,
		[PPP_CONF_ACK] = CP_SCA,
		[PPP_CONF_NAK] = CP_SCN,
		[PPP_CONF_REJ] = CP_SCN,
		[PPP_TERM_REQ] = CP_STR,
		[PPP_TERM_ACK] = CP_STA,
		[PPP_CODE_REJ] = CP_SCJ,
		[PPP_ECHO_REP] = CP_SER,
	};

	assert_true(len >= 4 && len <= sizeof(t->last));
	assert_int_equal(get_be16(pkt + 2), len);
	if (pkt[0] < sizeof(code_action) / sizeof(code_action[0]))
		t->got |= code_action[pkt[0]];
	memcpy(t->last, pkt, len);
	t->last_len = len;
	if (t->nsent < 32)
		t->codes[t->nsent] = pkt[0];
	t->nsent++;
}

/* clang-format off */
static void tp_tlu(struct cp *cp) { ((struct tp *)cp->arg)->got |= CP_TLU; }
static void tp_tld(struct cp *cp) { ((struct tp *)cp->arg)->got |= CP_TLD; }
static void tp_tls(struct cp *cp) { ((struct tp *)cp->arg)->got |= CP_TLS; }
static void tp_tlf(struct cp *cp) { ((struct tp *)cp->arg)->got |= CP_TLF; }
/* clang-format on */

static enum cp_ext
tp_ext(struct cp *cp, uint8_t code, uint8_t id, const uint8_t *d, size_t len,
    uint64_t now)
{
	(void)cp;
	(void)id;
	(void)d;
	(void)len;
	(void)now;
	return code == PPP_ECHO_REQ ? CP_EXT_RXR : CP_EXT_UNKNOWN;
}

static void
tp_ser(struct cp *cp, uint8_t id, const uint8_t *d, size_t len)
{
	(void)d;
	(void)len;
	cp_send_packet(cp, PPP_ECHO_REP, id, NULL, 0);
}

static const struct cp_proto tp_proto = {
	.name = "TEST",
	.proto = 0x8001,
	.options = tp_options,
	.noptions = 1,
	.send = tp_send,
	.tlu = tp_tlu,
	.tld = tp_tld,
	.tls = tp_tls,
	.tlf = tp_tlf,
	.ext_code = tp_ext,
	.ser = tp_ser,
};

static void
tp_init(struct tp *t)
{
	struct cp_config cfg = { 3000, 10, 2, 5 };

	memset(t, 0, sizeof(*t));
	t->ours = 0x1234;
	t->want_peer = 0x0500;
	cp_init(&t->cp, &tp_proto, t, &cfg);
}

#define SENTINEL 77

/* Every state × event of §4.1: next state and actions equal the RFC's. */
static void
test_whole_table(void **state)
{
	static const uint8_t echo[] = { PPP_ECHO_REQ, 9, 0, 8, 1, 2, 3, 4 };
	static const uint8_t unk[] = { 0x42, 9, 0, 4 };
	unsigned checked = 0;

	(void)state;
	for (unsigned ev = 0; ev < CP_NEVENTS; ev++) {
		for (unsigned s = 0; s < CP_NSTATES; s++) {
			struct expect e = parse_cell(rfc_table[ev][s]);
			struct tp t;
			unsigned got;
			uint8_t reply[4];

			tp_init(&t);
			t.cp.state = (enum cp_state)s;
			t.cp.reply = reply;
			t.cp.restart_count = SENTINEL;
			/* the prepared reply: Ack for RCR+, Nak for RCR- */
			t.cp.reply[0] = ev == CP_EV_RCR_PLUS ? PPP_CONF_ACK :
							       PPP_CONF_NAK;
			t.cp.reply[1] = 5;
			t.cp.reply[2] = 0;
			t.cp.reply[3] = 4;
			t.cp.reply_len = 4;
			t.cp.rx_id = 9;
			t.cp.rx_pkt = ev == CP_EV_RXR ? echo : unk;
			t.cp.rx_len = 8;
			if (ev == CP_EV_RUC)
				t.cp.rx_len = sizeof(unk);
			cp_event(&t.cp, (enum cp_event)ev, 1000);
			got = t.got;
			if (t.cp.restart_count != SENTINEL &&
			    t.cp.restart_count != SENTINEL - 1) {
				if (t.cp.restart_count == 0 &&
				    (e.actions & CP_ZRC))
					got |= CP_ZRC;
				else
					got |= CP_IRC;
			}
			if (e.illegal) {
				assert_int_equal(t.cp.state, s);
				assert_int_equal(got, 0);
				assert_int_equal(t.nsent, 0);
			} else {
				if (t.cp.state != e.state || got != e.actions)
					fail_msg("%s in %s: got %s/%#x, RFC %s",
					    cp_event_str(ev), cp_state_str(s),
					    cp_state_str(t.cp.state), got,
					    rfc_table[ev][s]);
				/* counters after IRC: Max-Terminate with STR,
				 * Max-Configure otherwise, minus the send */
				if (e.actions & CP_IRC)
					assert_int_equal(t.cp.restart_count,
					    ((e.actions & CP_STR) ? 2 : 10) -
						((e.actions &
						     (CP_SCR | CP_STR)) ?
							1 :
							0));
				/* the Restart timer runs exactly in 4..8 */
				if (s >= 4 && s <= 8 && e.state >= 4 &&
				    e.state <= 8)
					; /* kept or restarted */
				else if (e.state >= 4 && e.state <= 8)
					assert_int_not_equal(t.cp.deadline,
					    TIME_NEVER);
				else
					assert_int_equal(t.cp.deadline,
					    TIME_NEVER);
			}
			checked++;
		}
	}
	assert_int_equal(checked, 160);
}

static void
feed(struct tp *t, const uint8_t *p, size_t len, uint64_t now)
{
	cp_input(&t->cp, p, len, now);
}

/* TO+ retransmits until Max-Configure requests are out, then TO- (§4.6). */
static void
test_max_configure(void **state)
{
	struct tp t;
	uint64_t now = 0;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, now);
	cp_up(&t.cp, now);
	assert_int_equal(t.cp.state, CP_REQSENT);
	assert_int_equal(cp_next_deadline(&t.cp), 3000);
	while (t.cp.state == CP_REQSENT) {
		now = cp_next_deadline(&t.cp);
		cp_timeout(&t.cp, now - 1); /* early: nothing */
		cp_timeout(&t.cp, now);
	}
	assert_int_equal(t.nsent, 10);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(t.codes[i], PPP_CONF_REQ);
	assert_int_equal(now, 30000);
	assert_int_equal(t.cp.state, CP_STOPPED);
	assert_true(t.got & CP_TLF);
	assert_int_equal(cp_next_deadline(&t.cp), TIME_NEVER);
}

static void
open_link(struct tp *t)
{
	uint8_t req[] = { PPP_CONF_REQ, 1, 0, 8, 1, 4, 0x05, 0x00 };
	uint8_t ack[] = { PPP_CONF_ACK, 0, 0, 8, 1, 4, 0x12, 0x34 };

	tp_init(t);
	cp_open(&t->cp, 0);
	cp_up(&t->cp, 0);
	ack[1] = t->cp.req_id;
	feed(t, req, sizeof(req), 10);
	assert_int_equal(t->cp.state, CP_ACKSENT);
	assert_int_equal(t->last[0], PPP_CONF_ACK);
	assert_memory_equal(t->last + 1, req + 1, sizeof(req) - 1);
	feed(t, ack, sizeof(ack), 20);
	assert_int_equal(t->cp.state, CP_OPENED);
	assert_true(t->got & CP_TLU);
}

/* Close sends Max-Terminate Terminate-Requests, then finishes (§4.6). */
static void
test_max_terminate(void **state)
{
	struct tp t;

	(void)state;
	open_link(&t);
	t.nsent = 0;
	cp_close(&t.cp, 100);
	assert_int_equal(t.cp.state, CP_CLOSING);
	assert_int_equal(t.codes[0], PPP_TERM_REQ);
	cp_timeout(&t.cp, 3100);
	assert_int_equal(t.nsent, 2);
	assert_int_equal(t.codes[1], PPP_TERM_REQ);
	cp_timeout(&t.cp, 6100);
	assert_int_equal(t.nsent, 2);
	assert_int_equal(t.cp.state, CP_CLOSED);
	assert_true(t.got & CP_TLF);
}

/* A Terminate-Request in Opened: Ack, one restart period, then Stopped. */
static void
test_peer_terminate(void **state)
{
	static const uint8_t treq[] = { PPP_TERM_REQ, 0x33, 0, 4 };
	struct tp t;

	(void)state;
	open_link(&t);
	feed(&t, treq, sizeof(treq), 100);
	assert_int_equal(t.cp.state, CP_STOPPING);
	assert_int_equal(t.last[0], PPP_TERM_ACK);
	assert_int_equal(t.last[1], 0x33);
	assert_int_equal(cp_next_deadline(&t.cp), 3100);
	cp_timeout(&t.cp, 3100);
	assert_int_equal(t.cp.state, CP_STOPPED);
}

/* RFC 1661 §4.6 Max-Failure: after 5 Naks, the same option is Rejected. */
static void
test_max_failure(void **state)
{
	static const uint8_t req[] = { PPP_CONF_REQ, 0, 0, 8, 1, 4, 0x09,
		0x99 };
	uint8_t p[sizeof(req)];
	struct tp t;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, 0);
	cp_up(&t.cp, 0);
	for (unsigned i = 0; i < 7; i++) {
		memcpy(p, req, sizeof(p));
		p[1] = (uint8_t)i;
		feed(&t, p, sizeof(p), 1);
		if (i < 5) {
			static const uint8_t nak[] = { PPP_CONF_NAK, 0, 0, 8, 1,
				4, 0x05, 0x00 };
			assert_int_equal(t.last_len, sizeof(nak));
			assert_int_equal(t.last[1], i);
			assert_memory_equal(t.last + 2, nak + 2,
			    sizeof(nak) - 2);
			assert_int_equal(t.last[0], PPP_CONF_NAK);
		} else {
			assert_int_equal(t.last[0], PPP_CONF_REJ);
			assert_int_equal(t.last[1], i);
			assert_memory_equal(t.last + 2, p + 2, sizeof(p) - 2);
		}
	}
}

/* §5.2: Acks with a stale id or other options are silently discarded. */
static void
test_stale_ack(void **state)
{
	uint8_t ack[] = { PPP_CONF_ACK, 0, 0, 8, 1, 4, 0x12, 0x34 };
	struct tp t;
	uint8_t first;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, 0);
	cp_up(&t.cp, 0);
	first = t.cp.req_id;
	cp_timeout(&t.cp, 3000); /* retransmission: new id */
	assert_int_not_equal(t.cp.req_id, first);
	ack[1] = first;
	feed(&t, ack, sizeof(ack), 3001);
	assert_int_equal(t.cp.state, CP_REQSENT);
	assert_int_equal(t.cp.stats.rx_discards, 1);
	ack[1] = t.cp.req_id;
	ack[7] = 0x35; /* options differ from ours */
	feed(&t, ack, sizeof(ack), 3002);
	assert_int_equal(t.cp.state, CP_REQSENT);
	ack[7] = 0x34;
	feed(&t, ack, sizeof(ack), 3003);
	assert_int_equal(t.cp.state, CP_ACKRCVD);
	/* a duplicate of that Ack must not tear anything down */
	feed(&t, ack, sizeof(ack), 3004);
	assert_int_equal(t.cp.state, CP_ACKRCVD);
}

/* A Nak changes our next request; a Reject removes the option (§5.3/5.4). */
static void
test_nak_and_reject(void **state)
{
	uint8_t nak[] = { PPP_CONF_NAK, 0, 0, 8, 1, 4, 0x0a, 0x0b };
	uint8_t rej[] = { PPP_CONF_REJ, 0, 0, 8, 1, 4, 0x0a, 0x0b };
	uint8_t badrej[] = { PPP_CONF_REJ, 0, 0, 8, 1, 4, 0x0a, 0x0c };
	struct tp t;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, 0);
	cp_up(&t.cp, 0);
	nak[1] = t.cp.req_id;
	feed(&t, nak, sizeof(nak), 1);
	assert_int_equal(t.last[0], PPP_CONF_REQ);
	assert_int_equal(get_be16(t.last + 6), 0x0a0b);
	/* a Reject that modifies the option is invalid: discarded */
	badrej[1] = t.cp.req_id;
	feed(&t, badrej, sizeof(badrej), 2);
	assert_false(cp_opt_rejected(&t.cp, 0));
	rej[1] = t.cp.req_id;
	feed(&t, rej, sizeof(rej), 2);
	assert_true(cp_opt_rejected(&t.cp, 0));
	assert_int_equal(t.last[0], PPP_CONF_REQ);
	assert_int_equal(t.last_len, 4);
}

/* Unknown options are rejected with exactly their bytes; unknown codes get
 * a Code-Reject carrying the packet. */
static void
test_unknown(void **state)
{
	static const uint8_t req[] = { PPP_CONF_REQ, 7, 0, 15, 1, 4, 0x05, 0x00,
		0x77, 3, 0xaa, 0x78, 4, 0xbb, 0xcc };
	static const uint8_t rej[] = { PPP_CONF_REJ, 7, 0, 11, 0x77, 3, 0xaa,
		0x78, 4, 0xbb, 0xcc };
	static const uint8_t badlen[] = { PPP_CONF_REQ, 8, 0, 9, 1, 5, 0x05,
		0x00, 0x00 };
	static const uint8_t badlen_rej[] = { PPP_CONF_REJ, 8, 0, 9, 1, 5, 0x05,
		0x00, 0x00 };
	static const uint8_t code[] = { 0x42, 5, 0, 6, 0xde, 0xad };
	struct tp t;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, 0);
	cp_up(&t.cp, 0);
	feed(&t, req, sizeof(req), 1);
	assert_int_equal(t.last_len, sizeof(rej));
	assert_memory_equal(t.last, rej, sizeof(rej));
	feed(&t, badlen, sizeof(badlen), 1);
	assert_memory_equal(t.last, badlen_rej, sizeof(badlen_rej));
	feed(&t, code, sizeof(code), 1);
	assert_int_equal(t.last[0], PPP_CODE_REJ);
	assert_int_equal(t.last_len, 4 + sizeof(code));
	assert_memory_equal(t.last + 4, code, sizeof(code));
}

/* Truncated packets and options are dropped without a reply or a crash. */
static void
test_malformed(void **state)
{
	static const uint8_t cases[][8] = {
		{ PPP_CONF_REQ, 1, 0, 9, 1, 4, 5, 0 }, /* length > data */
		{ PPP_CONF_REQ, 1, 0, 3, 0, 0, 0, 0 }, /* length < 4 */
		{ PPP_CONF_REQ, 1, 0, 8, 1, 6, 5, 0 }, /* option overruns */
		{ PPP_CONF_REQ, 1, 0, 8, 1, 1, 5, 0 }, /* option length 1 */
		{ PPP_CONF_REQ, 1, 0, 8, 1, 0, 5, 0 }, /* option length 0 */
		{ PPP_CONF_NAK, 1, 0, 7, 1, 4, 5, 0 },
		{ PPP_CODE_REJ, 1, 0, 4, 0, 0, 0, 0 },
	};
	struct tp t;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, 0);
	cp_up(&t.cp, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned before = t.nsent;

		feed(&t, cases[i], sizeof(cases[i]), 1);
		for (size_t n = 0; n < 8; n++)
			feed(&t, cases[i], n, 1);
		assert_int_equal(t.nsent, before);
		assert_int_equal(t.cp.state, CP_REQSENT);
	}
	assert_true(t.cp.stats.rx_discards > 0);
}

/* Echo-Request answered only in Opened (RXR: ser/9, else ignored). */
static void
test_rxr(void **state)
{
	static const uint8_t echo[] = { PPP_ECHO_REQ, 4, 0, 8, 0, 0, 0, 0 };
	struct tp t;
	unsigned before;

	(void)state;
	tp_init(&t);
	cp_open(&t.cp, 0);
	cp_up(&t.cp, 0);
	before = t.nsent;
	feed(&t, echo, sizeof(echo), 1);
	assert_int_equal(t.nsent, before);
	open_link(&t);
	feed(&t, echo, sizeof(echo), 30);
	assert_int_equal(t.last[0], PPP_ECHO_REP);
	assert_int_equal(t.last[1], 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_table),
		cmocka_unit_test(test_max_configure),
		cmocka_unit_test(test_max_terminate),
		cmocka_unit_test(test_peer_terminate),
		cmocka_unit_test(test_max_failure),
		cmocka_unit_test(test_stale_ack),
		cmocka_unit_test(test_nak_and_reject),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_rxr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
