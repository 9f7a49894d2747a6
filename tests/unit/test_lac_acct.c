/*
 * test_lac_acct.c — a LAC's accounting records (aaa_build_access): every
 * attribute decoded back (RFC 2865 §5.31/§5.41, RFC 2866, RFC 2867 §4.1,
 * RFC 2868 §3.1-3.4, RFC 2869 §5.1-5.2), the Acct-Terminate-Cause table
 * (RFC 2866 §5.10), and that the LNS's records did not change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "radius/radius_attr_table.h"
#include "roles/aaa.h"

static struct aaa_class test_class[AAA_MAX_CLASS];
static char test_user[] = "bob@corp.example";

static struct aaa_session
session(void)
{
	struct aaa_session s;

	memset(&s, 0, sizeof(s));
	memset(test_class, 0, sizeof(test_class));
	s.class_ = test_class;
	strcpy(s.id, "65F0000100000007");
	s.user = test_user;
	s.nas_port = 4242; /* the PPPoE session id */
	memcpy(s.class_[0].v, "plan=gold", 9);
	s.class_[0].len = 9;
	memcpy(s.class_[1].v, "\x00\x01\xff", 3);
	s.class_[1].len = 3;
	s.nclass = 2;
	return s;
}

static struct aaa_access
access4(void)
{
	struct aaa_access x;

	memset(&x, 0, sizeof(x));
	memcpy(x.mac, "\x02\x00\x5e\x10\xab\xcd", 6);
	x.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", x.client);
	inet_pton(AF_INET, "198.51.100.7", x.server);
	x.tunnel_id = 7;
	x.session_id = 9;
	x.peer_tunnel_id = 31000;
	x.peer_session_id = 65535;
	x.nas_port_type = RADIUS_NAS_PORT_TYPE_ETHERNET;
	return x;
}

static uint32_t
u32(const struct radius_packet *p, uint8_t type)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(radius_get_u32(p, type, &v), RADIUS_OK);
	return v;
}

static void
str(const struct radius_packet *p, uint8_t type, const char *want)
{
	char got[256];

	assert_int_equal(radius_get_string(p, type, got, sizeof(got)),
	    RADIUS_OK);
	assert_string_equal(got, want);
}

/* RFC 2868 §3.1/§3.2: a tag octet, then the value in 3 octets. */
static uint32_t
tagged_u32(const struct radius_packet *p, uint8_t type)
{
	const uint8_t *v;
	size_t l;
	uint8_t tag = 0xff;
	uint32_t val = 0;

	assert_int_equal(radius_get_raw(p, type, &v, &l), RADIUS_OK);
	assert_int_equal(l, 4);
	assert_int_equal(radius_tagged_u32(v, l, &tag, &val), RADIUS_OK);
	assert_int_equal(tag, 0);
	return val;
}

/* RFC 2868 §3.3/§3.4: with tag 0 no tag octet is sent, so the text starts
 * at once (its first octet, a digit or hex, is > 0x1F). */
static void
endpoint(const struct radius_packet *p, uint8_t type, const char *want)
{
	const uint8_t *v;
	size_t l;

	assert_int_equal(radius_get_raw(p, type, &v, &l), RADIUS_OK);
	assert_true(v[0] > 0x1f);
	assert_int_equal(l, strlen(want));
	assert_memory_equal(v, want, l);
}

static unsigned
count(const struct radius_packet *p, uint8_t type)
{
	struct radius_iter it = { 0 };
	const uint8_t *v;
	size_t l;
	uint8_t t;
	unsigned n = 0;

	while (radius_next_attr(p, &it, &t, &v, &l))
		if (t == type)
			n++;
	return n;
}

/* Start: who, where, which tunnel; no counters, no cause. */
static void
test_start(void **state)
{
	struct aaa_nas nas = { .identifier = "lac-1", .ip = 0xc0000201 };
	struct aaa_session s = session();
	struct aaa_access x = access4();
	struct aaa_counters c = { .in_octets = 5 };
	struct radius_packet p;
	const uint8_t *v;
	size_t l;

	(void)state;
	assert_true(aaa_build_access(&p, &nas, RADIUS_ACCT_STATUS_START, &s, &c,
	    0, AAA_CAUSE_NONE, 1700000000, &x));
	assert_int_equal(radius_code(&p), RADIUS_CODE_ACCOUNTING_REQUEST);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE),
	    RADIUS_ACCT_STATUS_START);
	str(&p, RADIUS_ATTR_NAS_IDENTIFIER, "lac-1");
	assert_int_equal(u32(&p, RADIUS_ATTR_NAS_IP_ADDRESS), 0xc0000201);
	assert_int_equal(u32(&p, RADIUS_ATTR_EVENT_TIMESTAMP), 1700000000);
	/* RFC 2866 §5.5 */
	str(&p, RADIUS_ATTR_ACCT_SESSION_ID, "65F0000100000007");
	str(&p, RADIUS_ATTR_USER_NAME, "bob@corp.example");
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_AUTHENTIC), 1);
	assert_int_equal(u32(&p, RADIUS_ATTR_SERVICE_TYPE),
	    RADIUS_SERVICE_FRAMED);
	assert_int_equal(u32(&p, RADIUS_ATTR_FRAMED_PROTOCOL),
	    RADIUS_FRAMED_PROTOCOL_PPP);
	assert_int_equal(u32(&p, RADIUS_ATTR_NAS_PORT), 4242);
	/* RFC 2865 §5.41: Ethernet (15), not the LNS's Virtual (5) */
	assert_int_equal(u32(&p, RADIUS_ATTR_NAS_PORT_TYPE), 15);
	/* RFC 2865 §5.31: the user's MAC */
	str(&p, RADIUS_ATTR_CALLING_STATION_ID, "02:00:5e:10:ab:cd");
	/* the LAC does not know the user's address */
	assert_false(radius_has_attr(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS));
	/* RFC 2865 §5.25: every Class, unmodified, in order */
	assert_int_equal(count(&p, RADIUS_ATTR_CLASS), 2);
	assert_int_equal(radius_get_raw(&p, RADIUS_ATTR_CLASS, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 9);
	assert_memory_equal(v, "plan=gold", 9);
	/* RFC 2867 §4.1, RFC 2868 §3.1-3.4 */
	assert_int_equal(tagged_u32(&p, RADIUS_ATTR_TUNNEL_TYPE),
	    RADIUS_TUNNEL_TYPE_L2TP);
	assert_int_equal(tagged_u32(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE),
	    RADIUS_TUNNEL_MEDIUM_IPV4);
	endpoint(&p, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, "192.0.2.1");
	endpoint(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, "198.51.100.7");
	str(&p, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION, "7/9 31000/65535");
	/* RFC 2866 §4.1: Start carries no counters; §5.10 no cause */
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_SESSION_TIME));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE));
}

/* Interim-Update and Stop: counters (with Gigawords, RFC 2869 §5.1-5.2),
 * session time, the tunnel again; the cause in Stop only. */
static void
test_interim_and_stop(void **state)
{
	struct aaa_nas nas = { .identifier = "lac-1" };
	struct aaa_session s = session();
	struct aaa_access x = access4();
	struct aaa_counters c = {
		.in_octets = (2ull << 32) + 1030,
		.out_octets = 2060,
		.in_packets = 3,
		.out_packets = 4,
	};
	struct radius_packet p;

	(void)state;
	assert_true(aaa_build_access(&p, &nas, RADIUS_ACCT_STATUS_INTERIM, &s,
	    &c, 30, AAA_CAUSE_USER_REQUEST, 0, &x));
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 3);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS), 1030);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_SESSION_TIME), 30);
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE));
	str(&p, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION, "7/9 31000/65535");
	str(&p, RADIUS_ATTR_CALLING_STATION_ID, "02:00:5e:10:ab:cd");

	assert_true(aaa_build_access(&p, &nas, RADIUS_ACCT_STATUS_STOP, &s, &c,
	    91, aaa_lac_cause(AAA_LAC_END_PADT), 0, &x));
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS), 1030);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS), 2);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), 2060);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS), 0);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_INPUT_PACKETS), 3);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_OUTPUT_PACKETS), 4);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_SESSION_TIME), 91);
	assert_int_equal(u32(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE),
	    AAA_CAUSE_USER_REQUEST);
	assert_int_equal(u32(&p, RADIUS_ATTR_NAS_PORT_TYPE), 15);
	assert_int_equal(tagged_u32(&p, RADIUS_ATTR_TUNNEL_TYPE), 3);
	endpoint(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, "198.51.100.7");
	assert_int_equal(count(&p, RADIUS_ATTR_CLASS), 2);
}

/* RFC 2868 §3.2 IPv6 (2) and §3.3 RFC 2373 text for an IPv6 tunnel. */
static void
test_ipv6_tunnel(void **state)
{
	struct aaa_nas nas = { .identifier = "lac-1" };
	struct aaa_session s = session();
	struct aaa_access x = access4();
	struct radius_packet p;

	(void)state;
	x.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", x.client);
	inet_pton(AF_INET6, "2001:db8:1::2", x.server);
	assert_true(aaa_build_access(&p, &nas, RADIUS_ACCT_STATUS_START, &s,
	    NULL, 0, AAA_CAUSE_NONE, 0, &x));
	assert_int_equal(tagged_u32(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE),
	    RADIUS_TUNNEL_MEDIUM_IPV6);
	endpoint(&p, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, "2001:db8::1");
	endpoint(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, "2001:db8:1::2");
}

/* Ends unknown (family 0): the access attributes still go, the tunnel
 * ones do not rather than carry a wrong address. */
static void
test_no_tunnel(void **state)
{
	struct aaa_nas nas = { .identifier = "lac-1" };
	struct aaa_session s = session();
	struct aaa_access x = access4();
	struct radius_packet p;

	(void)state;
	x.family = 0;
	assert_true(aaa_build_access(&p, &nas, RADIUS_ACCT_STATUS_START, &s,
	    NULL, 0, AAA_CAUSE_NONE, 0, &x));
	assert_true(radius_has_attr(&p, RADIUS_ATTR_CALLING_STATION_ID));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_TUNNEL_TYPE));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT));
	assert_false(radius_has_attr(&p, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION));
}

/* The LNS's records are what they were: aaa_build is aaa_build_access
 * without x, byte for byte, with none of the LAC's attributes. */
static void
test_lns_records_unchanged(void **state)
{
	/* clang-format off */
	static const unsigned st[] = {
		RADIUS_ACCT_STATUS_START, RADIUS_ACCT_STATUS_INTERIM,
		RADIUS_ACCT_STATUS_STOP,
	};
	/* clang-format on */
	struct aaa_nas nas = { .identifier = "lns-1" };
	struct aaa_session s = session();
	struct aaa_counters c = { .in_octets = 1, .out_octets = 2 };
	struct radius_packet a, b;

	(void)state;
	s.framed_ip = 0x0a000005;
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		assert_true(aaa_build(&a, &nas, st[i], &s, &c, 3,
		    AAA_CAUSE_LOST_CARRIER, 99));
		assert_true(aaa_build_access(&b, &nas, st[i], &s, &c, 3,
		    AAA_CAUSE_LOST_CARRIER, 99, NULL));
		assert_int_equal(radius_len(&a), radius_len(&b));
		assert_memory_equal(a.data, b.data, radius_len(&a));
		assert_int_equal(u32(&a, RADIUS_ATTR_NAS_PORT_TYPE),
		    RADIUS_NAS_PORT_TYPE_VIRTUAL);
		assert_false(
		    radius_has_attr(&a, RADIUS_ATTR_CALLING_STATION_ID));
		assert_false(radius_has_attr(&a, RADIUS_ATTR_TUNNEL_TYPE));
		assert_false(
		    radius_has_attr(&a, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION));
		assert_int_equal(u32(&a, RADIUS_ATTR_FRAMED_IP_ADDRESS),
		    0x0a000005);
	}
}

/* RFC 2866 §5.10: the documented table (aaa.c, vpdn.conf(5)). */
static void
test_cause_table(void **state)
{
	static const struct {
		enum aaa_lac_end e;
		enum aaa_cause cause;
		unsigned wire;
		const char *name;
	} t[] = {
		{ AAA_LAC_END_PADT, AAA_CAUSE_USER_REQUEST, 1, "User-Request" },
		{ AAA_LAC_END_USER_TERMINATE, AAA_CAUSE_USER_REQUEST, 1,
		    "User-Request" },
		{ AAA_LAC_END_LINK_LOST, AAA_CAUSE_LOST_CARRIER, 2,
		    "Lost-Carrier" },
		{ AAA_LAC_END_LNS_CDN, AAA_CAUSE_NAS_REQUEST, 10,
		    "NAS-Request" },
		{ AAA_LAC_END_TUNNEL_LOST, AAA_CAUSE_LOST_SERVICE, 3,
		    "Lost-Service" },
		{ AAA_LAC_END_SHUTDOWN, AAA_CAUSE_NAS_REQUEST, 10,
		    "NAS-Request" },
		{ AAA_LAC_END_ADMIN, AAA_CAUSE_ADMIN_RESET, 6, "Admin-Reset" },
		{ AAA_LAC_END_ERROR, AAA_CAUSE_NAS_ERROR, 9, "NAS-Error" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(aaa_lac_cause(t[i].e), t[i].cause);
		assert_int_equal((unsigned)aaa_lac_cause(t[i].e), t[i].wire);
		assert_string_equal(aaa_cause_str(t[i].cause), t[i].name);
		assert_string_not_equal(aaa_lac_end_str(t[i].e), "?");
	}
}

/* RFC 2866 §5.5: ids differ between sessions of one daemon (the LAC and
 * the LNS draw from the same struct aaa). */
static void
test_session_ids_unique(void **state)
{
	struct aaa *a = aaa_new(NULL, NULL, NULL, NULL);
	struct aaa_session s1, s2;

	(void)state;
	assert_non_null(a);
	aaa_session_init(a, &s1, "u1", 0, 1, NULL);
	aaa_session_init(a, &s2, "u2", 0, 1, NULL);
	assert_string_not_equal(s1.id, s2.id);
	assert_int_equal(strlen(s1.id), AAA_SESSION_ID_LEN);
	/* disabled accounting still marks Start/Stop so the books balance */
	aaa_access_start(a, &s1, NULL, 1000);
	assert_true(s1.started);
	aaa_access_stop(a, &s1, NULL, AAA_CAUSE_USER_REQUEST, NULL, 2000);
	assert_false(s1.started);
	assert_int_equal(aaa_pending(a), 0);
	aaa_session_release(&s1);
	aaa_session_release(&s2);
	aaa_free(a);
}

/* RFC 2867 §4.1: Acct-Tunnel-Connection is in the attribute table. */
static void
test_attr_table(void **state)
{
	const struct radius_attr_def *d;
	char buf[32];

	(void)state;
	d = radius_attr_lookup(0, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION);
	assert_non_null(d);
	assert_int_equal(d->type, 68);
	assert_int_equal(d->kind, RADIUS_KIND_STRING);
	assert_string_equal(radius_attr_name(0, 68, buf, sizeof(buf)),
	    "Acct-Tunnel-Connection");
	assert_int_equal(RADIUS_NAS_PORT_TYPE_ETHERNET, 15);
	assert_int_equal(RADIUS_TUNNEL_MEDIUM_IPV6, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_interim_and_stop),
		cmocka_unit_test(test_ipv6_tunnel),
		cmocka_unit_test(test_no_tunnel),
		cmocka_unit_test(test_lns_records_unchanged),
		cmocka_unit_test(test_cause_table),
		cmocka_unit_test(test_session_ids_unique),
		cmocka_unit_test(test_attr_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
