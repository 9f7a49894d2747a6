/*
 * test_aaa.c — accounting records (RFC 2866, RFC 2869 §5.1-5.2) and the
 * RFC 5176 Disconnect/CoA handler, without sockets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "radius/radius_dae.h"
#include "roles/aaa.h"

#define SECRET "s3cret"

static struct aaa_class test_class[AAA_MAX_CLASS];
static char test_user[] = "alice";

static struct aaa_session
session(void)
{
	struct aaa_session s;

	memset(&s, 0, sizeof(s));
	s.class_ = test_class;
	strcpy(s.id, "0000000100000002");
	s.user = test_user;
	s.framed_ip = 0x0a000005;
	s.nas_port = 7u << 16 | 9;
	memcpy(s.class_[0].v, "gold", 4);
	s.class_[0].len = 4;
	s.nclass = 1;
	return s;
}

static uint32_t
u32(const struct radius_packet *p, uint8_t type)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(radius_get_u32(p, type, &v), RADIUS_OK);
	return v;
}

/* RFC 2869 §5.1/5.2: octets modulo 2^32, wraps in Gigawords; RFC 2866
 * §5.10: Terminate-Cause only in Stop; §5.5 the session id; RFC 2865 §5.25
 * Class echoed unmodified. */
static void
test_stop_counters(void **state)
{
	struct aaa_nas nas = { .identifier = "lns-1" };
	struct aaa_session s = session();
	struct aaa_counters c = {
		.in_octets = (5ull << 32) + 1234,
		.out_octets = 99,
		.in_packets = 10,
		.out_packets = 11,
	};
	struct radius_packet p;
	const uint8_t *v;
	size_t l;
	char id[64];

	(void)state;
	assert_true(aaa_build(&p, &nas, RADIUS_ACCT_STATUS_STOP, &s, &c, 61,
	    AAA_CAUSE_SESSION_TIMEOUT, 1000));
	assert_int_equal(radius_code(&p), RADIUS_CODE_ACCOUNTING_REQUEST);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS), 1234);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS), 5);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), 99);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS), 0);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_PACKETS), 10);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_OUTPUT_PACKETS), 11);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_SESSION_TIME), 61);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 5);
	assert_int_equal(radius_get_string(&p, RADIUS_ATTR_ACCT_SESSION_ID, id,
			     sizeof(id)),
	    RADIUS_OK);
	assert_string_equal(id, s.id);
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_CLASS, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 4);
	assert_memory_equal(v, "gold", 4);
}

static void
test_start_and_on(void **state)
{
	struct aaa_nas nas = { .identifier = "lns-1" };
	struct aaa_session s = session();
	struct aaa_counters c = { .in_octets = 1 };
	struct radius_packet p;

	(void)state;
	assert_true(aaa_build(&p, &nas, RADIUS_ACCT_STATUS_START, &s, &c, 0,
	    AAA_CAUSE_NONE, 0));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE));
	assert_true(radius_has_attr(&p, RADIUS_ATTR_ACCT_SESSION_ID));
	/* Interim: counters, no cause (RFC 2866 §5.10: Stop only). */
	assert_true(aaa_build(&p, &nas, RADIUS_ACCT_STATUS_INTERIM, &s, &c, 5,
	    AAA_CAUSE_USER_REQUEST, 0));
	assert_true(radius_has_attr(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE));
	/* Accounting-On: the NAS only, no session. */
	assert_true(aaa_build(&p, &nas, RADIUS_ACCT_STATUS_ON, NULL, NULL, 0,
	    AAA_CAUSE_NONE, 0));
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 7);
	assert_true(radius_has_attr(&p, RADIUS_ATTR_NAS_IDENTIFIER));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_SESSION_ID));
}

static int64_t fake_wall;

static int64_t
wall(void *ctx)
{
	(void)ctx;
	return fake_wall;
}

/* The first Acct-Session-Id an aaa for this NAS, started at wall-clock
 * second t with monotonic instance bits inst, hands out. */
static void
first_id(const char *ident, uint32_t ip, int64_t t, uint16_t inst,
    char out[AAA_SESSION_ID_LEN + 1])
{
	struct aaa_nas nas = { .ip = ip, .instance = inst };
	struct aaa_session s;
	struct aaa *a;

	strcpy(nas.identifier, ident);
	fake_wall = t;
	a = aaa_new(NULL, &nas, wall, NULL);
	assert_non_null(a);
	aaa_session_init(a, &s, "u", 0, 1, NULL);
	assert_int_equal(strlen(s.id), AAA_SESSION_ID_LEN);
	strcpy(out, s.id);
	aaa_session_release(&s);
	aaa_free(a);
}

/* RFC 2866 §5.5: Acct-Session-Id unique.  Several daemons share one
 * RADIUS database, so ids of two daemons started in the same second
 * differ (by NAS-Identifier or NAS-IP-Address alone), and so do those of
 * one daemon restarted within the same second or later. */
static void
test_session_id_unique_across_daemons(void **state)
{
	char a[AAA_SESSION_ID_LEN + 1], b[AAA_SESSION_ID_LEN + 1];

	(void)state;
	first_id("lns-1", 0xc0000201, 1700000000, 5, a);
	first_id("lns-2", 0xc0000201, 1700000000, 5, b);
	assert_string_not_equal(a, b);
	first_id("lns-1", 0xc0000202, 1700000000, 5, b);
	assert_string_not_equal(a, b);
	/* restarted within the same second: other monotonic bits */
	first_id("lns-1", 0xc0000201, 1700000000, 6, b);
	assert_string_not_equal(a, b);
	/* restarted later */
	first_id("lns-1", 0xc0000201, 1700000001, 5, b);
	assert_string_not_equal(a, b);
	/* the same start is the same id: nothing random, so the layout is
	 * what aaa.h says (digest, start second, instance, counter) */
	first_id("lns-1", 0xc0000201, 1700000000, 5, b);
	assert_string_equal(a, b);
	/* 6553F100 = 1700000000, 005, counter 00000001 */
	assert_memory_equal(a + 8, "6553F10000500000001", 19);
	assert_int_equal(strspn(a, "0123456789ABCDEF"), AAA_SESSION_ID_LEN);
}

/* RFC 2865 §5.4 / RFC 2866 §5.1: Accounting-On and Off name the NAS by
 * NAS-IP-Address too when it is configured, and carry no session. */
static void
test_on_off_nas_ip(void **state)
{
	struct aaa_nas nas = { .identifier = "lns-3", .ip = 0xc0000203 };
	struct radius_packet p;
	uint32_t ip = 0;

	(void)state;
	for (unsigned st = RADIUS_ACCT_STATUS_ON; st <= RADIUS_ACCT_STATUS_OFF;
	     st++) {
		assert_true(aaa_build(&p, &nas, st, NULL, NULL, 0,
		    AAA_CAUSE_NONE, 1700000000));
		assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), st);
		assert_int_equal(radius_get_ipv4(&p, RADIUS_ATTR_NAS_IP_ADDRESS,
				     &ip),
		    RADIUS_OK);
		assert_int_equal(ip, 0xc0000203);
		assert_true(radius_has_attr(&p, RADIUS_ATTR_NAS_IDENTIFIER));
		assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_SESSION_ID));
	}
}

static void
test_cause_from_reason(void **state)
{
	static const struct {
		const char *reason;
		enum aaa_cause cause;
	} t[] = {
		{ "peer terminated", AAA_CAUSE_USER_REQUEST },
		{ "echo timeout", AAA_CAUSE_LOST_CARRIER },
		{ "carrier closed", AAA_CAUSE_LOST_CARRIER },
		{ "shutdown", AAA_CAUSE_NAS_REQUEST },
		{ "IPCP negotiation failed", AAA_CAUSE_NAS_ERROR },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(aaa_cause_from_reason(t[i].reason),
		    t[i].cause);
}

/* ---- RFC 5176 ---- */

static unsigned n_disc, n_coa;
static struct radius_dae_match last;
static uint32_t last_timeout;

static unsigned
fake_disconnect(void *arg, const struct radius_dae_match *m)
{
	(void)arg;
	last = *m;
	return strcmp(m->session_id, "known") == 0 ? ++n_disc : 0;
}

static unsigned
fake_coa(void *arg, const struct radius_dae_match *m,
    const struct radius_dae_coa *c, enum radius_dae_error *err)
{
	(void)arg;
	*err = RADIUS_DAE_OK;
	last = *m;
	last_timeout = c->session_timeout;
	return strcmp(m->user, "alice") == 0 ? ++n_coa : 0;
}

static const struct radius_dae_ops fake_ops = {
	.disconnect = fake_disconnect,
	.coa = fake_coa,
};

static struct sockaddr_in
sin4(const char *a)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	inet_pton(AF_INET, a, &s.sin_addr);
	s.sin_port = htons(40000);
	return s;
}

static struct radius_dae *
dae(void)
{
	struct sockaddr_storage allow;
	struct sockaddr_in a = sin4("127.0.0.1");

	memset(&allow, 0, sizeof(allow));
	memcpy(&allow, &a, sizeof(a));
	return radius_dae_new(NULL, 0, SECRET, &allow, 1, &fake_ops, NULL);
}

/* Sends p (signed with secret) from addr; returns the reply code or 0. */
static unsigned
ask(struct radius_dae *d, struct radius_packet *p, const char *secret,
    const char *addr, uint32_t *cause)
{
	struct radius_packet out, req = *p;
	struct sockaddr_in from = sin4(addr);
	size_t n;

	/* RFC 5176 §6.3: required by default. */
	if (!radius_has_attr(&req, RADIUS_ATTR_EVENT_TIMESTAMP))
		radius_put_u32(&req, RADIUS_ATTR_EVENT_TIMESTAMP,
		    (uint32_t)time(NULL));
	radius_sign_accounting_request(&req, secret);
	n = radius_dae_handle(d, req.data, radius_len(&req),
	    (struct sockaddr *)&from, &out);
	if (n == 0)
		return 0;
	/* RFC 5176 §3.5: Response Authenticator over the request's. */
	assert_true(radius_check_response_auth(&out, radius_authenticator(&req),
	    SECRET));
	*cause = 0;
	(void)radius_get_u32(&out, RADIUS_ATTR_ERROR_CAUSE, cause);
	return radius_code(&out);
}

static void
test_dae(void **state)
{
	struct radius_dae *d = dae();
	struct radius_packet p;
	uint32_t cause;

	(void)state;
	assert_non_null(d);
	radius_packet_init(&p, RADIUS_CODE_DISCONNECT_REQUEST, 1, NULL);
	radius_put_string(&p, RADIUS_ATTR_ACCT_SESSION_ID, "known");
	assert_int_equal(ask(d, &p, SECRET, "127.0.0.1", &cause),
	    RADIUS_CODE_DISCONNECT_ACK);
	assert_int_equal(n_disc, 1);
	/* Wrong secret, unknown client: silently discarded (§5.2/§3.5). */
	assert_int_equal(ask(d, &p, "other", "127.0.0.1", &cause), 0);
	assert_int_equal(ask(d, &p, SECRET, "10.0.0.1", &cause), 0);
	assert_int_equal(n_disc, 1);
	/* Not found: NAK 503. */
	radius_packet_init(&p, RADIUS_CODE_DISCONNECT_REQUEST, 2, NULL);
	radius_put_string(&p, RADIUS_ATTR_ACCT_SESSION_ID, "nosuch");
	assert_int_equal(ask(d, &p, SECRET, "127.0.0.1", &cause),
	    RADIUS_CODE_DISCONNECT_NAK);
	assert_int_equal(cause, RADIUS_DAE_SESSION_NOT_FOUND);
	/* No identification attribute: NAK 402. */
	radius_packet_init(&p, RADIUS_CODE_DISCONNECT_REQUEST, 3, NULL);
	assert_int_equal(ask(d, &p, SECRET, "127.0.0.1", &cause),
	    RADIUS_CODE_DISCONNECT_NAK);
	assert_int_equal(cause, RADIUS_DAE_MISSING_ATTRIBUTE);
	/* CoA with Session-Timeout for a user: ACK with the value. */
	radius_packet_init(&p, RADIUS_CODE_COA_REQUEST, 4, NULL);
	radius_put_string(&p, RADIUS_ATTR_USER_NAME, "alice");
	radius_put_u32(&p, RADIUS_ATTR_SESSION_TIMEOUT, 600);
	assert_int_equal(ask(d, &p, SECRET, "127.0.0.1", &cause),
	    RADIUS_CODE_COA_ACK);
	assert_int_equal(last_timeout, 600);
	/* CoA asking for something we cannot change: NAK 401. */
	radius_packet_init(&p, RADIUS_CODE_COA_REQUEST, 5, NULL);
	radius_put_string(&p, RADIUS_ATTR_USER_NAME, "alice");
	radius_put_u32(&p, RADIUS_ATTR_SESSION_TIMEOUT, 600);
	radius_put_u32(&p, RADIUS_ATTR_FRAMED_MTU, 1400);
	assert_int_equal(ask(d, &p, SECRET, "127.0.0.1", &cause),
	    RADIUS_CODE_COA_NAK);
	assert_int_equal(cause, RADIUS_DAE_UNSUPPORTED_ATTRIBUTE);
	assert_int_equal(radius_dae_stats(d)->drop_auth, 1);
	assert_int_equal(radius_dae_stats(d)->drop_client, 1);
	radius_dae_free(d);
}

static int64_t fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

/* Hands the exact datagram to the handler from addr:port; returns the
 * reply length (0: silently discarded). */
static size_t
raw(struct radius_dae *d, const struct radius_packet *req, const char *addr,
    uint16_t port, struct radius_packet *out)
{
	struct sockaddr_in from = sin4(addr);

	from.sin_port = htons(port);
	return radius_dae_handle(d, req->data, radius_len(req),
	    (struct sockaddr *)&from, out);
}

static void
disc_req(struct radius_packet *p, uint8_t id, const char *sid, int64_t ts)
{
	radius_packet_init(p, RADIUS_CODE_DISCONNECT_REQUEST, id, NULL);
	radius_put_string(p, RADIUS_ATTR_ACCT_SESSION_ID, sid);
	if (ts >= 0)
		radius_put_u32(p, RADIUS_ATTR_EVENT_TIMESTAMP, (uint32_t)ts);
	radius_sign_accounting_request(p, SECRET);
}

/* RFC 5176 §6.3: the same signed Disconnect-Request again, even from
 * another port, is not acted on twice; within the window it gets the
 * first answer again (a retransmission's due, RFC 5080 §2.2.2), after it
 * the stale Event-Timestamp has it silently discarded. */
static void
test_dae_replay_not_acted_on(void **state)
{
	struct radius_dae *d = dae();
	struct radius_packet req, out1, out2;
	size_t n1, n2;

	(void)state;
	fake_now = 1700000000;
	radius_dae_set_clock(d, fake_clock);
	n_disc = 0;
	disc_req(&req, 9, "known", fake_now);
	n1 = raw(d, &req, "127.0.0.1", 40000, &out1);
	assert_int_equal(radius_code(&out1), RADIUS_CODE_DISCONNECT_ACK);
	assert_int_equal(n_disc, 1);
	fake_now += 10;
	n2 = raw(d, &req, "127.0.0.1", 40001, &out2);
	assert_int_equal(n2, n1);
	assert_memory_equal(out1.data, out2.data, n1);
	assert_int_equal(n_disc, 1);
	assert_int_equal(radius_dae_stats(d)->replays, 1);
	/* After the window: the timestamp gives it away. */
	fake_now += 300;
	assert_int_equal(raw(d, &req, "127.0.0.1", 40000, &out2), 0);
	assert_int_equal(n_disc, 1);
	assert_int_equal(radius_dae_stats(d)->drop_timestamp, 1);
	/* A new request (new Identifier and timestamp) is acted on. */
	disc_req(&req, 10, "known", fake_now);
	assert_int_equal(raw(d, &req, "127.0.0.1", 40000, &out2), n1);
	assert_int_equal(n_disc, 2);
	radius_dae_free(d);
}

/* RFC 5176 §6.3: Event-Timestamp outside the window either way, missing
 * (when required, the default) or malformed: silently discarded. */
static void
test_dae_event_timestamp_window(void **state)
{
	static const struct {
		int64_t delta; /* -1000000: absent */
		bool require;
		bool answered;
	} t[] = {
		{ 0, true, true },
		{ -300, true, true },
		{ 300, true, true },
		{ -301, true, false },
		{ 301, true, false },
		{ -1000000, true, false },
		{ -1000000, false, true },
		{ -301, false, false },
	};
	struct radius_packet req, out;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct radius_dae *d = dae();

		fake_now = 1700000000;
		radius_dae_set_clock(d, fake_clock);
		radius_dae_set_replay(d, 300, t[i].require);
		disc_req(&req, (uint8_t)i, "nosuch",
		    t[i].delta == -1000000 ? -1 : fake_now + t[i].delta);
		if (t[i].answered) {
			assert_int_not_equal(raw(d, &req, "127.0.0.1", 1, &out),
			    0);
			assert_int_equal(radius_code(&out),
			    RADIUS_CODE_DISCONNECT_NAK);
		} else {
			assert_int_equal(raw(d, &req, "127.0.0.1", 1, &out), 0);
			assert_int_equal(radius_dae_stats(d)->drop_timestamp,
			    1);
		}
		radius_dae_free(d);
	}
	/* A 3-octet Event-Timestamp cannot be checked: discarded. */
	{
		struct radius_dae *d = dae();
		static const uint8_t three[3] = { 1, 2, 3 };

		radius_dae_set_clock(d, fake_clock);
		radius_packet_init(&req, RADIUS_CODE_DISCONNECT_REQUEST, 1,
		    NULL);
		radius_put_string(&req, RADIUS_ATTR_ACCT_SESSION_ID, "known");
		radius_put_raw(&req, RADIUS_ATTR_EVENT_TIMESTAMP, three, 3);
		radius_sign_accounting_request(&req, SECRET);
		assert_int_equal(raw(d, &req, "127.0.0.1", 1, &out), 0);
		radius_dae_free(d);
	}
}

/* The replay memory is bounded: when every entry is still in its window
 * a new request is refused (NAK 506, RFC 5176 §3.5) rather than evicting
 * one that could then be replayed; expired entries are reused. */
static void
test_dae_replay_memory_bounded(void **state)
{
	struct radius_dae *d = dae();
	struct radius_packet req, out;
	uint32_t cause = 0;
	char sid[32];

	(void)state;
	fake_now = 1700000000;
	radius_dae_set_clock(d, fake_clock);
	for (unsigned i = 0; i < RADIUS_DAE_REPLAY_MAX; i++) {
		snprintf(sid, sizeof(sid), "s%u", i);
		disc_req(&req, (uint8_t)i, sid, fake_now);
		assert_int_not_equal(raw(d, &req, "127.0.0.1", 1, &out), 0);
		assert_int_equal(radius_get_u32(&out, RADIUS_ATTR_ERROR_CAUSE,
				     &cause),
		    RADIUS_OK);
		assert_int_equal(cause, RADIUS_DAE_SESSION_NOT_FOUND);
	}
	disc_req(&req, 1, "one-more", fake_now);
	assert_int_not_equal(raw(d, &req, "127.0.0.1", 1, &out), 0);
	assert_int_equal(radius_code(&out), RADIUS_CODE_DISCONNECT_NAK);
	assert_int_equal(radius_get_u32(&out, RADIUS_ATTR_ERROR_CAUSE, &cause),
	    RADIUS_OK);
	assert_int_equal(cause, RADIUS_DAE_RESOURCES_UNAVAILABLE);
	assert_int_equal(radius_dae_stats(d)->replay_full, 1);
	fake_now += 301;
	disc_req(&req, 2, "later", fake_now);
	assert_int_not_equal(raw(d, &req, "127.0.0.1", 1, &out), 0);
	assert_int_equal(radius_get_u32(&out, RADIUS_ATTR_ERROR_CAUSE, &cause),
	    RADIUS_OK);
	assert_int_equal(cause, RADIUS_DAE_SESSION_NOT_FOUND);
	radius_dae_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_counters),
		cmocka_unit_test(test_start_and_on),
		cmocka_unit_test(test_session_id_unique_across_daemons),
		cmocka_unit_test(test_on_off_nas_ip),
		cmocka_unit_test(test_cause_from_reason),
		cmocka_unit_test(test_dae),
		cmocka_unit_test(test_dae_replay_not_acted_on),
		cmocka_unit_test(test_dae_event_timestamp_window),
		cmocka_unit_test(test_dae_replay_memory_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
