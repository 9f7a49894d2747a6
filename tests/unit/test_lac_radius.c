/*
 * test_lac_radius.c — RFC 2868 tunnel attributes to LAC destinations:
 * endpoint syntax, L2TP/IPv4 filtering, Tunnel-Preference order, secret,
 * assignment and client auth id carried through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "roles/lac_radius.h"

static void
test_endpoint(void **state)
{
	static const struct {
		const char *s;
		int rc;
		const char *host;
		uint16_t port;
	} t[] = {
		{ "192.0.2.1", 0, "192.0.2.1", 1701 }, /* RFC 2661 §8.1 */
		{ "192.0.2.1:1702", 0, "192.0.2.1", 1702 },
		{ "10.0.0.255:65535", 0, "10.0.0.255", 65535 },
		{ "192.0.2.1:0", -1, NULL, 0 },
		{ "192.0.2.1:65536", -1, NULL, 0 },
		{ "192.0.2.1:", -1, NULL, 0 },
		{ "192.0.2.1:-5", -1, NULL, 0 },
		{ "192.0.2.1:17x", -1, NULL, 0 },
		{ "lns.example", -1, NULL, 0 }, /* §3.3: dotted only */
		{ "lns.example:1701", -1, NULL, 0 },
		{ "2001:db8::1", -1, NULL, 0 },
		{ "", -1, NULL, 0 },
		{ ":1701", -1, NULL, 0 },
		{ "192.0.2", -1, NULL, 0 },
		{ "192.0.2.1.5", -1, NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cfg_hostport hp;
		int rc = lac_radius_endpoint(t[i].s, &hp);

		assert_int_equal(rc, t[i].rc);
		if (rc == 0) {
			assert_string_equal(hp.host, t[i].host);
			assert_int_equal(hp.port, t[i].port);
		}
	}
}

static void
add(struct radius_auth_reply *r, uint8_t tag, uint32_t type, uint32_t medium,
    uint32_t pref, const char *ep, const char *pw, const char *assign)
{
	struct radius_tunnel *t = &r->tunnels[r->ntunnels++];

	memset(t, 0, sizeof(*t));
	t->tag = tag;
	t->type = type;
	t->medium = medium;
	t->preference = pref;
	strcpy(t->server_endpoint, ep);
	if (pw != NULL) {
		t->has_password = true;
		t->password_len = strlen(pw);
		memcpy(t->password, pw, t->password_len);
	}
	if (assign != NULL)
		strcpy(t->assignment_id, assign);
}

static void
test_dests_filter_and_order(void **state)
{
	struct radius_auth_reply r;
	struct lac_dest d[RADIUS_AUTH_MAX_TUNNELS];
	unsigned n;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, 1, 3, 1, 20, "192.0.2.20", "s20", "a");	 /* L2TP/IPv4 */
	add(&r, 2, 1, 1, 1, "192.0.2.99", "pptp", NULL); /* PPTP: not ours */
	add(&r, 3, 3, 1, 10, "192.0.2.10:1702", NULL, "a");
	add(&r, 4, 3, 2, 0, "192.0.2.98", "v6", NULL); /* Medium IPv6 */
	n = lac_radius_dests(&r, d, RADIUS_AUTH_MAX_TUNNELS);
	assert_int_equal(n, 2);
	/* RFC 2868 §3.8: lower preference first */
	assert_string_equal(d[0].hp.host, "192.0.2.10");
	assert_int_equal(d[0].hp.port, 1702);
	assert_int_equal(d[0].secret_len, 0);
	assert_int_equal(d[0].tag, 3);
	assert_string_equal(d[1].hp.host, "192.0.2.20");
	assert_int_equal(d[1].hp.port, 1701);
	assert_int_equal(d[1].secret_len, 3);
	assert_memory_equal(d[1].secret, "s20", 3);
	assert_string_equal(d[1].assignment_id, "a");
}

static void
test_dests_ties_and_bad_endpoint(void **state)
{
	struct radius_auth_reply r;
	struct lac_dest d[RADIUS_AUTH_MAX_TUNNELS];
	unsigned n;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, 1, 3, 1, 5, "192.0.2.1", "x", NULL);
	add(&r, 2, 3, 1, 5, "lns.example", "x", NULL); /* not dotted */
	add(&r, 3, 3, 1, 5, "192.0.2.3", "y", NULL);
	add(&r, 4, 3, 1, 1, "192.0.2.4", "z", NULL);
	n = lac_radius_dests(&r, d, RADIUS_AUTH_MAX_TUNNELS);
	assert_int_equal(n, 3);
	assert_string_equal(d[0].hp.host, "192.0.2.4");
	/* equal preferences keep the reply's order */
	assert_string_equal(d[1].hp.host, "192.0.2.1");
	assert_string_equal(d[2].hp.host, "192.0.2.3");
	/* max keeps the most preferred */
	n = lac_radius_dests(&r, d, 1);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].hp.host, "192.0.2.4");
	/* no tunnel attributes at all */
	memset(&r, 0, sizeof(r));
	assert_int_equal(lac_radius_dests(&r, d, RADIUS_AUTH_MAX_TUNNELS), 0);
}

/* RFC 2868 §3.2/§3.3: Medium IPv6 with an IPv6 endpoint is usable (the
 * port after RFC 3986 brackets); an IPv4 endpoint under Medium IPv6, a
 * name, or an unbracketed port are not. */
static void
test_dests_ipv6(void **state)
{
	struct radius_auth_reply r;
	struct lac_dest d[RADIUS_AUTH_MAX_TUNNELS];
	struct cfg_hostport hp;
	unsigned n;

	(void)state;
	assert_int_equal(lac_radius_endpoint6("2001:db8::1", &hp), 0);
	assert_string_equal(hp.host, "2001:db8::1");
	assert_int_equal(hp.port, 1701);
	assert_int_equal(lac_radius_endpoint6("[2001:db8::2]:1702", &hp), 0);
	assert_string_equal(hp.host, "2001:db8::2");
	assert_int_equal(hp.port, 1702);
	assert_int_equal(lac_radius_endpoint6("[2001:db8::3]", &hp), 0);
	assert_int_equal(hp.port, 1701);
	assert_int_equal(lac_radius_endpoint6("192.0.2.1", &hp), -1);
	assert_int_equal(lac_radius_endpoint6("lns.example", &hp), -1);
	assert_int_equal(lac_radius_endpoint6("[2001:db8::1]:0", &hp), -1);
	assert_int_equal(lac_radius_endpoint6("[2001:db8::1]x", &hp), -1);
	assert_int_equal(lac_radius_endpoint6("[2001:db8::1", &hp), -1);
	assert_int_equal(lac_radius_endpoint6("[]", &hp), -1);
	assert_int_equal(lac_radius_endpoint6("", &hp), -1);

	memset(&r, 0, sizeof(r));
	add(&r, 1, 3, 2, 5, "2001:db8::10", "s6", NULL);
	add(&r, 2, 3, 1, 1, "192.0.2.1", "s4", NULL);
	add(&r, 3, 3, 2, 9, "192.0.2.98", "x", NULL); /* v4 under IPv6 */
	n = lac_radius_dests(&r, d, RADIUS_AUTH_MAX_TUNNELS);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].hp.host, "192.0.2.1");
	assert_false(d[0].ipv6);
	assert_string_equal(d[1].hp.host, "2001:db8::10");
	assert_true(d[1].ipv6);
	assert_int_equal(d[1].preference, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_dests_filter_and_order),
		cmocka_unit_test(test_dests_ties_and_bad_endpoint),
		cmocka_unit_test(test_dests_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
