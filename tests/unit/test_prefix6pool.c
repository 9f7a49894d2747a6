/* test_prefix6pool.c — IPv6 prefix pool: lengths, /64s from a /48, /56s
 * from a /40, exhaustion, round-robin reuse, reserve/release. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dataplane/prefix6pool.h"

static void
p6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void
assert_p6(const uint8_t got[16], const char *want)
{
	uint8_t w[16];
	char buf[INET6_ADDRSTRLEN];

	p6(want, w);
	if (memcmp(got, w, 16) != 0)
		fail_msg("got %s, want %s",
		    inet_ntop(AF_INET6, got, buf, sizeof(buf)), want);
}

static void
test_lengths(void **state)
{
	static const struct {
		unsigned m, n;
		int rc;
	} cases[] = {
		{ 48, 64, 0 }, { 40, 56, 0 }, { 40, 64, 0 }, { 64, 64, 0 },
		{ 39, 64, -1 }, /* 2^25: too big */
		{ 56, 48, -1 }, /* covering longer than handed out */
		{ 64, 65, -1 }, /* longer than /64 */
	};
	uint8_t base[16];

	(void)state;
	p6("2001:db8::", base);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct prefix6pool p;
		int rc = prefix6pool_init(&p, base, cases[i].m, cases[i].n);

		if (rc != cases[i].rc)
			fail_msg("/%u from /%u: rc %d", cases[i].n, cases[i].m,
			    rc);
		if (rc == 0) {
			assert_int_equal(prefix6pool_size(&p),
			    1u << (cases[i].n - cases[i].m));
			prefix6pool_free(&p);
		} else {
			assert_int_equal(errno, EINVAL);
		}
	}
}

static void
test_slash64_from_48(void **state)
{
	struct prefix6pool p;
	uint8_t base[16], a[16], b[16];

	(void)state;
	/* Host bits in the configured base are ignored. */
	p6("2001:db8:100::1", base);
	assert_int_equal(prefix6pool_init(&p, base, 48, 64), 0);
	assert_int_equal(prefix6pool_alloc(&p, a), 0);
	assert_p6(a, "2001:db8:100::");
	assert_int_equal(prefix6pool_alloc(&p, b), 0);
	assert_p6(b, "2001:db8:100:1::");
	assert_int_equal(prefix6pool_used(&p), 2);
	assert_true(prefix6pool_contains(&p, a));
	p6("2001:db8:101::", b);
	assert_false(prefix6pool_contains(&p, b));
	/* Released ones go out again only after every other one. */
	p6("2001:db8:100::", a);
	assert_int_equal(prefix6pool_release(&p, a), 0);
	assert_int_equal(prefix6pool_release(&p, a), -1);
	assert_int_equal(prefix6pool_alloc(&p, b), 0);
	assert_p6(b, "2001:db8:100:2::");
	prefix6pool_free(&p);
}

static void
test_slash56_from_40(void **state)
{
	struct prefix6pool p;
	uint8_t base[16], a[16];

	(void)state;
	p6("2001:db8:200::", base);
	assert_int_equal(prefix6pool_init(&p, base, 40, 56), 0);
	assert_int_equal(prefix6pool_size(&p), 65536);
	assert_int_equal(prefix6pool_alloc(&p, a), 0);
	assert_p6(a, "2001:db8:200::");
	assert_int_equal(prefix6pool_alloc(&p, a), 0);
	assert_p6(a, "2001:db8:200:100::");
	/* A /56 with bits past /56 set is not one of the pool's. */
	p6("2001:db8:2ff:ff01::", a);
	assert_int_equal(prefix6pool_reserve(&p, a), -1);
	p6("2001:db8:2ff:ff00::", a);
	assert_int_equal(prefix6pool_reserve(&p, a), 0);
	assert_int_equal(prefix6pool_reserve(&p, a), -1);
	assert_int_equal(prefix6pool_used(&p), 3);
	prefix6pool_free(&p);
}

static void
test_exhaustion(void **state)
{
	struct prefix6pool p;
	uint8_t base[16], a[16], seen[256] = { 0 };

	(void)state;
	p6("2001:db8:0:100::", base);
	assert_int_equal(prefix6pool_init(&p, base, 56, 64), 0);
	p6("2001:db8:0:105::", a);
	assert_int_equal(prefix6pool_reserve(&p, a), 0);
	for (unsigned i = 0; i < 255; i++) {
		assert_int_equal(prefix6pool_alloc(&p, a), 0);
		assert_int_equal(a[6], 0x01);
		assert_int_equal(seen[a[7]], 0);
		seen[a[7]] = 1;
	}
	assert_int_equal(seen[5], 0);
	assert_int_equal(prefix6pool_alloc(&p, a), -1);
	assert_int_equal(prefix6pool_used(&p), 256);
	p6("2001:db8:0:1a0::", a);
	assert_int_equal(prefix6pool_release(&p, a), 0);
	assert_int_equal(prefix6pool_alloc(&p, a), 0);
	assert_p6(a, "2001:db8:0:1a0::");
	prefix6pool_free(&p);
}

static void
test_match(void **state)
{
	uint8_t a[16], b[16];

	(void)state;
	p6("2001:db8:100:7::1", a);
	p6("2001:db8:100:7::", b);
	assert_true(prefix6_match(a, b, 64));
	assert_false(prefix6_match(a, b, 128));
	assert_true(prefix6_match(a, b, 127));
	p6("2001:db8:100:6::", b);
	assert_true(prefix6_match(a, b, 61));
	assert_true(prefix6_match(a, b, 63));
	assert_false(prefix6_match(a, b, 64));
	assert_true(prefix6_match(a, b, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_slash64_from_48),
		cmocka_unit_test(test_slash56_from_40),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
