/*
 * test_bench_redial.c — vpdn-bench pppoe's users that come back
 * (src/cmd/bench_redial.c): the per-host names, the redial back-off, the
 * outage record and the distribution reported for a failover.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cmd/bench_redial.h"

static void
test_expand(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(bench_expand("user%u@corp.example", 17, out,
			     sizeof(out)),
	    0);
	assert_string_equal(out, "user17@corp.example");
	assert_int_equal(bench_expand("pw-%u-%u", 3, out, sizeof(out)), 0);
	assert_string_equal(out, "pw-3-3");
	/* no %u: every host the same name, as before */
	assert_int_equal(bench_expand("bench", 9, out, sizeof(out)), 0);
	assert_string_equal(out, "bench");
	assert_int_equal(bench_expand("100%%", 1, out, sizeof(out)), 0);
	assert_string_equal(out, "100%");
	/* anything else after % is refused, not passed through */
	assert_int_equal(bench_expand("a%s", 1, out, sizeof(out)), -1);
	assert_int_equal(bench_expand("a%", 1, out, sizeof(out)), -1);
	/* too long: refused, never cut */
	assert_int_equal(bench_expand("user%u", 4000000000u, out, 10), -1);
	assert_int_equal(bench_expand("user%u", 400000, out, 10), -1);
	assert_int_equal(bench_expand("user%u", 400000, out, 11), 0);
	assert_string_equal(out, "user400000");
}

static void
test_backoff(void **state)
{
	unsigned b = 0, seen[10];

	(void)state;
	for (int i = 0; i < 10; i++)
		seen[i] = b = bench_redial_backoff(b);
	assert_int_equal(seen[0], 1000);
	assert_int_equal(seen[1], 2000);
	assert_int_equal(seen[5], 32000);
	assert_int_equal(seen[6], 64000);
	assert_int_equal(seen[9], 64000);
}

static void
test_dist(void **state)
{
	double v[100];
	struct bench_dist d;

	(void)state;
	for (int i = 0; i < 100; i++)
		v[i] = (double)(100 - i); /* 100 .. 1, unsorted */
	bench_dist_of(v, 100, &d);
	assert_int_equal(d.n, 100);
	assert_true(d.min == 1.0);
	assert_true(d.median == 50.0); /* 50th of 100 */
	assert_true(d.p90 == 90.0);
	assert_true(d.p99 == 99.0);
	assert_true(d.max == 100.0);
	v[0] = 7.0;
	bench_dist_of(v, 1, &d);
	assert_true(
	    d.min == 7.0 && d.median == 7.0 && d.p99 == 7.0 && d.max == 7.0);
	v[0] = 3.0;
	v[1] = 1.0;
	v[2] = 2.0;
	bench_dist_of(v, 3, &d);
	assert_true(d.median == 2.0); /* 2nd of 3 */
	assert_true(d.p90 == 3.0);
	bench_dist_of(v, 0, &d);
	assert_int_equal(d.n, 0);
}

static void
test_outages(void **state)
{
	struct bench_outages r;
	struct bench_window w;

	(void)state;
	assert_int_equal(bench_outages_init(&r, 4), 0);
	/* before the mark: host 0 drops and is back; not in the window */
	assert_int_equal(bench_outage_down(&r, 0, 100), 0);
	bench_outage_up(&r, 0, 900);
	bench_outages_mark(&r, 10000);
	assert_int_equal(bench_outages_window(&r, r.n, &w), 0);
	assert_int_equal(w.down, 0);
	assert_true(w.all_back_s < 0);

	/* the failover: hosts 1 and 2 lose their session; 1 fails a redial
	 * (down again while its outage is open: the same outage) */
	assert_int_equal(bench_outage_down(&r, 1, 18000), 0);
	assert_int_equal(bench_outage_down(&r, 2, 18500), 0);
	assert_int_equal(bench_outage_down(&r, 1, 21000), 0);
	assert_int_equal(bench_outages_pending(&r), 2);
	bench_outage_up(&r, 2, 22000);
	assert_int_equal(bench_outages_window(&r, r.n, &w), 0);
	assert_int_equal(w.down, 2);
	assert_int_equal(w.back, 1);
	assert_int_equal(w.pending, 1);
	assert_true(w.all_back_s < 0); /* not all back yet */
	bench_outage_up(&r, 1, 25000);
	/* an up with no outage open changes nothing */
	bench_outage_up(&r, 3, 26000);
	/* host 2 drops again later: its first outage in the window counts */
	assert_int_equal(bench_outage_down(&r, 2, 40000), 0);
	bench_outage_up(&r, 2, 41000);
	assert_int_equal(bench_outages_window(&r, r.n, &w), 0);
	assert_int_equal(w.down, 2);
	assert_int_equal(w.back, 2);
	assert_int_equal(w.pending, 0);
	assert_true(w.since.min == 12.0); /* host 2: 22 s - 10 s */
	assert_true(w.since.max == 15.0); /* host 1: 25 s - 10 s */
	assert_true(w.all_back_s == 15.0);
	assert_true(w.outage.min == 3.5);   /* host 2: 18.5 s -> 22 s */
	assert_true(w.outage.max == 7.0);   /* host 1: 18 s -> 25 s */
	assert_true(w.first_down_s == 8.0); /* host 1 at 18 s */
	assert_true(w.last_down_s == 8.5);  /* host 2 at 18.5 s */
	assert_int_equal(bench_outages_pending(&r), 0);
	/* out of range hosts are ignored */
	assert_int_equal(bench_outage_down(&r, 4, 50000), 0);
	assert_int_equal(r.n, 4);
	bench_outages_free(&r);
}

/* A signal marks a window at the time it arrived; outages that began at
 * or after it but were recorded before the loop got to the mark belong to
 * the new window, not the closing one. */
static void
test_mark_late(void **state)
{
	struct bench_outages r;
	struct bench_window w;
	size_t end;

	(void)state;
	assert_int_equal(bench_outages_init(&r, 4), 0);
	bench_outages_mark(&r, 0);
	assert_int_equal(bench_outage_down(&r, 0, 1000), 0);
	bench_outage_up(&r, 0, 2000);
	/* the signal came at 5000; hosts 1 and 2 dropped at 5000 and 5040,
	 * handled before the mark */
	assert_int_equal(bench_outage_down(&r, 1, 5000), 0);
	assert_int_equal(bench_outage_down(&r, 2, 5040), 0);
	end = bench_outages_start_of(&r, 5000);
	assert_int_equal(end, 1);
	assert_int_equal(bench_outages_window(&r, end, &w), 0);
	assert_int_equal(w.down, 1);
	assert_true(w.all_back_s == 2.0);
	bench_outages_mark(&r, 5000);
	bench_outage_up(&r, 1, 9000);
	bench_outage_up(&r, 2, 9500);
	assert_int_equal(bench_outages_window(&r, r.n, &w), 0);
	assert_int_equal(w.down, 2);
	assert_true(w.all_back_s == 4.5);
	assert_true(w.outage.min == 4.0);
	/* a mark never reaches back into an earlier window */
	assert_int_equal(bench_outages_start_of(&r, 0), 1);
	/* an end beyond the record is the record's end */
	assert_int_equal(bench_outages_window(&r, 99, &w), 0);
	assert_int_equal(w.down, 2);
	bench_outages_free(&r);
}

static void
test_outages_grow(void **state)
{
	struct bench_outages r;
	struct bench_window w;

	(void)state;
	assert_int_equal(bench_outages_init(&r, 3000), 0);
	bench_outages_mark(&r, 0);
	for (unsigned i = 0; i < 3000; i++)
		assert_int_equal(bench_outage_down(&r, i, 1000), 0);
	for (unsigned i = 0; i < 3000; i++)
		bench_outage_up(&r, i, 1000 + 10 * (uint64_t)(i + 1));
	assert_int_equal(bench_outages_window(&r, r.n, &w), 0);
	assert_int_equal(w.back, 3000);
	assert_true(w.outage.min == 0.01);
	assert_true(w.outage.max == 30.0);
	assert_true(w.all_back_s == 31.0);
	bench_outages_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_dist),
		cmocka_unit_test(test_outages),
		cmocka_unit_test(test_mark_late),
		cmocka_unit_test(test_outages_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
