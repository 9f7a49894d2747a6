/* test_ippool.c — address pool: ranges, exhaustion, no double allocation,
 * round-robin reuse, fixed addresses, reconfiguration. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dataplane/ippool.h"

#define A(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	    (uint32_t)(d))

static void
test_init_rejects(void **state)
{
	static const struct {
		const char *name;
		struct cfg_ip4_range r[3];
		unsigned n;
		int rc;
	} cases[] = {
		{ "empty", { { 0, 0 } }, 0, 0 },
		{ "one", { { A(10, 0, 0, 1), A(10, 0, 0, 1) } }, 1, 0 },
		{ "reversed", { { A(10, 0, 0, 9), A(10, 0, 0, 1) } }, 1, -1 },
		{ "zero", { { 0, A(0, 0, 0, 9) } }, 1, -1 },
		{ "overlap",
		    { { A(10, 0, 0, 1), A(10, 0, 0, 9) },
			{ A(10, 0, 0, 9), A(10, 0, 0, 20) } },
		    2, -1 },
		{ "overlap unsorted",
		    { { A(10, 0, 0, 5), A(10, 0, 0, 30) },
			{ A(10, 0, 0, 1), A(10, 0, 0, 5) } },
		    2, -1 },
		{ "adjacent",
		    { { A(10, 0, 0, 10), A(10, 0, 0, 20) },
			{ A(10, 0, 0, 1), A(10, 0, 0, 9) } },
		    2, 0 },
		{ "/8", { { A(10, 0, 0, 1), A(10, 255, 255, 255) } }, 1, 0 },
		{ "too big", { { A(10, 0, 0, 1), A(11, 0, 0, 1) } }, 1, -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ippool p;
		int rc = ippool_init(&p, cases[i].r, cases[i].n);

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d", cases[i].name, rc);
		if (rc < 0)
			assert_int_equal(errno, EINVAL);
		else
			ippool_free(&p);
	}
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Every address of every range exactly once, then 0 (exhausted). */
static void
test_ranges_and_exhaustion(void **state)
{
	static const struct cfg_ip4_range r[] = {
		{ A(192, 168, 1, 250),
		    A(192, 168, 2, 5) }, /* crosses .255/.0 */
		{ A(10, 0, 0, 1), A(10, 0, 0, 3) },
		{ A(172, 16, 0, 0), A(172, 16, 0, 199) }, /* 200: spans words */
	};
	struct ippool p;
	uint32_t all[216], a, n = 0;

	(void)state;
	assert_int_equal(ippool_init(&p, r, 3), 0);
	assert_int_equal(ippool_size(&p), 12 + 3 + 200);
	while ((a = ippool_alloc(&p)) != 0) {
		assert_true(ippool_contains(&p, a));
		assert_true(ippool_in_use(&p, a));
		assert_true(n < 215);
		all[n++] = a;
	}
	assert_int_equal(n, 215);
	qsort(all, n, sizeof(all[0]), u32_cmp);
	for (unsigned i = 1; i < n; i++)
		assert_true(all[i - 1] < all[i]); /* each one once */
	assert_int_equal(ippool_used(&p), 215);
	assert_int_equal(ippool_available(&p), 0);
	assert_int_equal(ippool_alloc(&p), 0); /* stays exhausted */
	assert_false(ippool_contains(&p, A(192, 168, 1, 249)));
	assert_false(ippool_contains(&p, A(192, 168, 2, 6)));
	assert_false(ippool_contains(&p, A(10, 0, 0, 0)));
	/* A freed address is available again, and only that one. */
	assert_int_equal(ippool_release(&p, A(172, 16, 0, 77)), 0);
	assert_int_equal(ippool_alloc(&p), A(172, 16, 0, 77));
	assert_int_equal(ippool_alloc(&p), 0);
	ippool_free(&p);
}

static void
test_empty_pool(void **state)
{
	struct ippool p;

	(void)state;
	assert_int_equal(ippool_init(&p, NULL, 0), 0);
	assert_int_equal(ippool_alloc(&p), 0);
	assert_int_equal(ippool_reserve(&p, A(10, 0, 0, 1)), -1);
	assert_int_equal(ippool_release(&p, A(10, 0, 0, 1)), -1);
	ippool_free(&p);
}

/* Round robin: a released address is not the next one handed out. */
static void
test_round_robin(void **state)
{
	static const struct cfg_ip4_range r[] = { { A(10, 1, 0, 1),
	    A(10, 1, 0, 10) } };
	struct ippool p;

	(void)state;
	assert_int_equal(ippool_init(&p, r, 1), 0);
	assert_int_equal(ippool_alloc(&p), A(10, 1, 0, 1));
	assert_int_equal(ippool_alloc(&p), A(10, 1, 0, 2));
	assert_int_equal(ippool_alloc(&p), A(10, 1, 0, 3));
	assert_int_equal(ippool_release(&p, A(10, 1, 0, 1)), 0);
	assert_int_equal(ippool_release(&p, A(10, 1, 0, 3)), 0);
	for (unsigned i = 4; i <= 10; i++)
		assert_int_equal(ippool_alloc(&p), A(10, 1, 0, i));
	/* Only after the whole pool went round do .1 and .3 come back. */
	assert_int_equal(ippool_alloc(&p), A(10, 1, 0, 1));
	assert_int_equal(ippool_alloc(&p), A(10, 1, 0, 3));
	assert_int_equal(ippool_alloc(&p), 0);
	/* Double release is reported, not counted. */
	assert_int_equal(ippool_release(&p, A(10, 1, 0, 5)), 0);
	assert_int_equal(ippool_release(&p, A(10, 1, 0, 5)), -1);
	assert_int_equal(ippool_used(&p), 9);
	ippool_free(&p);
}

static void
test_reserve(void **state)
{
	static const struct cfg_ip4_range r[] = { { A(10, 2, 0, 1),
	    A(10, 2, 0, 4) } };
	struct ippool p;

	(void)state;
	assert_int_equal(ippool_init(&p, r, 1), 0);
	assert_int_equal(ippool_reserve(&p, A(10, 2, 0, 2)), 0);
	assert_int_equal(ippool_reserve(&p, A(10, 2, 0, 2)), -1); /* taken */
	assert_int_equal(ippool_reserve(&p, A(10, 2, 0, 9)), -1); /* outside */
	assert_false(ippool_contains(&p, A(10, 2, 0, 9)));
	/* alloc skips the reserved address */
	assert_int_equal(ippool_alloc(&p), A(10, 2, 0, 1));
	assert_int_equal(ippool_alloc(&p), A(10, 2, 0, 3));
	/* an allocated address cannot be reserved by someone else */
	assert_int_equal(ippool_reserve(&p, A(10, 2, 0, 3)), -1);
	assert_int_equal(ippool_reserve(&p, A(10, 2, 0, 4)), 0);
	assert_int_equal(ippool_alloc(&p), 0);
	assert_int_equal(ippool_release(&p, A(10, 2, 0, 2)), 0);
	assert_int_equal(ippool_alloc(&p), A(10, 2, 0, 2));
	ippool_free(&p);
}

/* 100k random alloc/release/reserve steps against a model: never an address
 * twice, exhaustion exactly when the model is full, counts agree. */
static void
test_no_double_allocation(void **state)
{
	static const struct cfg_ip4_range r[] = {
		{ A(100, 64, 0, 1), A(100, 64, 1, 200) }, /* 456 */
		{ A(100, 65, 0, 0), A(100, 65, 0, 63) },  /* 64, word aligned */
		{ A(100, 66, 0, 7), A(100, 66, 0, 7) },	  /* 1 */
	};
	enum { N = 521 };
	static uint32_t held[N];
	struct ippool p;
	unsigned seed = 99, nheld = 0;

	(void)state;
	assert_int_equal(ippool_init(&p, r, 3), 0);
	assert_int_equal(ippool_size(&p), N);
	for (int step = 0; step < 100000; step++) {
		unsigned op;

		seed = seed * 1103515245u + 12345u;
		op = (seed >> 16) % 8;
		if (op < 4) {
			uint32_t a = ippool_alloc(&p);

			if (nheld == N) {
				assert_int_equal(a, 0);
				continue;
			}
			assert_int_not_equal(a, 0);
			assert_true(ippool_contains(&p, a));
			for (unsigned i = 0; i < nheld; i++)
				assert_int_not_equal(held[i], a);
			held[nheld++] = a;
		} else if (op < 7 && nheld > 0) {
			unsigned k = (seed >> 4) % nheld;

			assert_int_equal(ippool_release(&p, held[k]), 0);
			assert_false(ippool_in_use(&p, held[k]));
			held[k] = held[--nheld];
		} else if (op == 7) {
			/* reserve a random pool address: succeeds iff free */
			uint32_t a = (seed >> 3) % 3 == 0 ?
			    A(100, 66, 0, 7) :
			    A(100, 64, 0, 1) + (seed >> 5) % 456;
			bool free_ = true;

			for (unsigned i = 0; i < nheld; i++)
				if (held[i] == a)
					free_ = false;
			assert_int_equal(ippool_reserve(&p, a), free_ ? 0 : -1);
			if (free_)
				held[nheld++] = a;
		}
		assert_int_equal(ippool_used(&p), nheld);
	}
	ippool_free(&p);
}

struct collect {
	uint32_t addrs[16];
	bool orphan[16];
	unsigned n;
};

static void
collect(void *ctx, uint32_t addr, bool orphan)
{
	struct collect *c = ctx;

	c->orphan[c->n] = orphan;
	c->addrs[c->n++] = addr;
}

static void
test_walk_and_ranges(void **state)
{
	static const struct cfg_ip4_range r[] = {
		{ A(10, 9, 0, 10), A(10, 9, 0, 19) },
		{ A(10, 8, 0, 1), A(10, 8, 0, 2) },
	};
	struct ippool p;
	struct collect c = { .n = 0 };
	uint32_t first, last, used;

	(void)state;
	assert_int_equal(ippool_init(&p, r, 2), 0);
	assert_int_equal(ippool_range_count(&p), 2);
	assert_int_equal(ippool_reserve(&p, A(10, 9, 0, 15)), 0);
	assert_int_equal(ippool_alloc(&p), A(10, 8, 0, 1)); /* sorted */
	ippool_walk(&p, collect, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.addrs[0], A(10, 8, 0, 1));
	assert_int_equal(c.addrs[1], A(10, 9, 0, 15));
	ippool_range_get(&p, 0, &first, &last, &used);
	assert_int_equal(first, A(10, 8, 0, 1));
	assert_int_equal(last, A(10, 8, 0, 2));
	assert_int_equal(used, 1);
	ippool_range_get(&p, 1, &first, &last, &used);
	assert_int_equal(first, A(10, 9, 0, 10));
	assert_int_equal(used, 1);
	ippool_free(&p);
}

/* Reconfiguration: held addresses stay held, inside or outside the new
 * ranges, and are never handed out while held. */
static void
test_reconfigure(void **state)
{
	static const struct cfg_ip4_range r1[] = { { A(10, 3, 0, 1),
	    A(10, 3, 0, 4) } };
	static const struct cfg_ip4_range r2[] = { { A(10, 3, 0, 3),
	    A(10, 3, 0, 6) } };
	static const struct cfg_ip4_range bad[] = { { A(10, 3, 0, 9),
	    A(10, 3, 0, 1) } };
	struct ippool p;
	struct collect c = { .n = 0 };
	uint32_t a;

	(void)state;
	assert_int_equal(ippool_init(&p, r1, 1), 0);
	assert_int_equal(ippool_alloc(&p), A(10, 3, 0, 1));
	assert_int_equal(ippool_alloc(&p), A(10, 3, 0, 2));
	assert_int_equal(ippool_alloc(&p), A(10, 3, 0, 3));
	assert_int_equal(ippool_reconfigure(&p, bad, 1), -1);
	assert_int_equal(ippool_used(&p), 3); /* unchanged */
	assert_int_equal(ippool_reconfigure(&p, r2, 1), 0);
	assert_int_equal(ippool_size(&p), 4);
	assert_int_equal(ippool_used(&p), 3); /* 1, 2 orphans; 3 */
	assert_int_equal(ippool_available(&p), 3);
	assert_true(ippool_in_use(&p, A(10, 3, 0, 1)));
	assert_true(ippool_in_use(&p, A(10, 3, 0, 3)));
	assert_false(ippool_contains(&p, A(10, 3, 0, 1)));
	ippool_walk(&p, collect, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.addrs[0], A(10, 3, 0, 3));
	assert_false(c.orphan[0]);
	assert_true(c.orphan[1] && c.orphan[2]);
	/* .3 is held: only .4 .5 .6 come out */
	for (int i = 0; i < 3; i++) {
		a = ippool_alloc(&p);
		assert_true(a >= A(10, 3, 0, 4) && a <= A(10, 3, 0, 6));
	}
	assert_int_equal(ippool_alloc(&p), 0);
	/* orphans are released like any other address, once */
	assert_int_equal(ippool_release(&p, A(10, 3, 0, 1)), 0);
	assert_int_equal(ippool_release(&p, A(10, 3, 0, 1)), -1);
	assert_false(ippool_in_use(&p, A(10, 3, 0, 1)));
	assert_int_equal(ippool_used(&p), 5);
	/* back to the old ranges: orphan .2 rejoins as held */
	assert_int_equal(ippool_reconfigure(&p, r1, 1), 0);
	assert_true(ippool_in_use(&p, A(10, 3, 0, 2)));
	assert_int_equal(ippool_reserve(&p, A(10, 3, 0, 2)), -1);
	assert_int_equal(ippool_used(&p), 5);
	assert_int_equal(ippool_alloc(&p), A(10, 3, 0, 1));
	assert_int_equal(ippool_alloc(&p), 0);
	ippool_free(&p);
}

/* A big pool stays fast when nearly full (summary bitmap). */
static void
test_large_pool(void **state)
{
	static const struct cfg_ip4_range r[] = { { A(10, 0, 0, 1),
	    A(10, 3, 255, 254) } };
	struct ippool p;
	uint32_t n = 0, a;

	(void)state;
	assert_int_equal(ippool_init(&p, r, 1), 0);
	while (ippool_alloc(&p) != 0)
		n++;
	assert_int_equal(n, ippool_size(&p));
	assert_int_equal(ippool_release(&p, A(10, 2, 17, 33)), 0);
	for (int i = 0; i < 1000; i++) {
		a = ippool_alloc(&p);
		assert_int_equal(a, A(10, 2, 17, 33));
		assert_int_equal(ippool_release(&p, a), 0);
	}
	ippool_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects),
		cmocka_unit_test(test_ranges_and_exhaustion),
		cmocka_unit_test(test_empty_pool),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_no_double_allocation),
		cmocka_unit_test(test_walk_and_ranges),
		cmocka_unit_test(test_reconfigure),
		cmocka_unit_test(test_large_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
