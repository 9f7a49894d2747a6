/* test_policer.c — the token bucket: the rate it passes over time, the
 * burst, no limit, reconfiguration of a live bucket, time passed in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dataplane/policer.h"

#define MS 1000000ULL /* ns */

/* Offers `len`-byte packets every `gap_ns` for `dur_ns` from t0; returns
 * the bytes that passed. */
static uint64_t
offer(struct policer *p, uint64_t t0, uint64_t dur_ns, uint64_t gap_ns,
    uint32_t len)
{
	uint64_t passed = 0;

	for (uint64_t t = t0; t < t0 + dur_ns; t += gap_ns)
		if (policer_admit(p, t, len))
			passed += len;
	return passed;
}

/* Offered far above the rate, it passes the rate (plus the one burst it
 * starts with) over 10 s, within 1%. */
static void
test_rate(void **state)
{
	static const uint64_t rates[] = { 2000000, 10000000, 100000000,
		1000000000 };

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct policer p;
		uint64_t burst = 15000, got, want;

		memset(&p, 0, sizeof(p));
		policer_set(&p, rates[i], burst, 1 * MS);
		/* Four times the rate, in 1500-byte packets. */
		got = offer(&p, 1 * MS, 10000 * MS,
		    1500ULL * 8 * 1000000000ULL / (rates[i] * 4), 1500);
		want = rates[i] / 8 * 10 + burst;
		assert_true(got <= want + 1500);
		assert_true(got >= want - want / 100);
		assert_true(p.drop_packets > 0);
		assert_int_equal(p.drop_bytes + p.pass_bytes,
		    (p.drop_packets + p.pass_packets) * 1500);
	}
}

/* Small packets at a high rate: the fractions of a byte that each refill
 * would round away are kept, so the rate still holds. */
static void
test_rate_small_packets(void **state)
{
	struct policer p;
	uint64_t got;

	(void)state;
	memset(&p, 0, sizeof(p));
	policer_set(&p, 8000000000ULL, 1500, 0); /* 1 GB/s */
	/* A 64-byte packet every 10 ns (6.4 GB/s offered) for 1 ms. */
	got = offer(&p, 0, 1 * MS, 10, 64);
	assert_true(got >= 1000000 - 1000 && got <= 1000000 + 1500 + 64);
}

/* A full bucket passes burst bytes back to back, then nothing until it
 * refills; an idle bucket never holds more than burst. */
static void
test_burst(void **state)
{
	struct policer p;

	(void)state;
	memset(&p, 0, sizeof(p));
	policer_set(&p, 8000, 3000, 5 * MS); /* 1000 B/s */
	assert_true(policer_admit(&p, 5 * MS, 1500));
	assert_true(policer_admit(&p, 5 * MS, 1500));
	assert_false(policer_admit(&p, 5 * MS, 1));
	/* 1 s later 1000 bytes are back. */
	assert_false(policer_admit(&p, 1005 * MS, 1500));
	assert_true(policer_admit(&p, 1005 * MS, 1000));
	/* An hour idle: full, and no more than full. */
	assert_true(policer_admit(&p, 3600000 * MS, 3000));
	assert_false(policer_admit(&p, 3600000 * MS, 1));
	assert_int_equal(p.drop_packets, 3);
	assert_int_equal(p.pass_packets, 4);
}

/* Rate 0 is no limit; a clock that goes back adds nothing. */
static void
test_unlimited_and_clock(void **state)
{
	struct policer p;

	(void)state;
	memset(&p, 0, sizeof(p));
	policer_set(&p, 0, 1500, 0);
	for (int i = 0; i < 1000; i++)
		assert_true(policer_admit(&p, 0, 65535));
	memset(&p, 0, sizeof(p));
	policer_set(&p, 8000, 1500, 10 * MS);
	assert_true(policer_admit(&p, 10 * MS, 1500));
	assert_false(policer_admit(&p, 1 * MS, 1));
	assert_false(policer_admit(&p, 10 * MS, 1));
}

/* A plan change on a live bucket: the new rate from now, what it holds
 * kept up to the new burst, the counters go on. */
static void
test_reconfigure(void **state)
{
	struct policer p;
	uint64_t got;

	(void)state;
	memset(&p, 0, sizeof(p));
	policer_set(&p, 10000000, 12500, 0);
	(void)offer(&p, 0, 1000 * MS, 100000, 1250); /* 100 Mbit/s offered */
	assert_true(p.drop_packets > 0);
	policer_set(&p, 2000000, 2500, 1000 * MS);
	assert_true(p.tokens <= 2500);
	got = offer(&p, 1000 * MS, 5000 * MS, 100000, 1250);
	assert_true(got >= 1250000 - 12500 && got <= 1250000 + 2500 + 1250);
	assert_true(p.pass_packets > 1000);
}

/* Each direction of a session is its own bucket: filling one does not
 * touch the other. */
static void
test_directions_independent(void **state)
{
	struct policer up, down;

	(void)state;
	memset(&up, 0, sizeof(up));
	memset(&down, 0, sizeof(down));
	policer_set(&up, 8000, 1500, 0);
	policer_set(&down, 80000, 15000, 0);
	assert_true(policer_admit(&up, 0, 1500));
	assert_false(policer_admit(&up, 0, 1500));
	for (int i = 0; i < 10; i++)
		assert_true(policer_admit(&down, 0, 1500));
	assert_false(policer_admit(&down, 0, 1500));
	assert_int_equal(up.drop_packets, 1);
	assert_int_equal(down.drop_packets, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_rate_small_packets),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_unlimited_and_clock),
		cmocka_unit_test(test_reconfigure),
		cmocka_unit_test(test_directions_independent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
