/* test_addrmap.c — IPv4 address -> object map against a brute-force model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "dataplane/addrmap.h"

static void
test_basic(void **state)
{
	struct addrmap m;
	int a, b;

	(void)state;
	addrmap_init(&m);
	assert_null(addrmap_get(&m, 0x0a000001));
	assert_null(addrmap_remove(&m, 0x0a000001));
	assert_int_equal(addrmap_insert(&m, 0x0a000001, &a), 0);
	assert_int_equal(addrmap_insert(&m, 0x0a000002, &b), 0);
	/* One address, one session: a second owner is refused. */
	assert_int_equal(addrmap_insert(&m, 0x0a000001, &b), -1);
	assert_int_equal(addrmap_insert(&m, 0, &a), -1);
	assert_ptr_equal(addrmap_get(&m, 0x0a000001), &a);
	assert_ptr_equal(addrmap_get(&m, 0x0a000002), &b);
	assert_null(addrmap_get(&m, 0));
	assert_int_equal(addrmap_count(&m), 2);
	assert_ptr_equal(addrmap_remove(&m, 0x0a000001), &a);
	assert_null(addrmap_get(&m, 0x0a000001));
	assert_ptr_equal(addrmap_get(&m, 0x0a000002), &b);
	assert_int_equal(addrmap_count(&m), 1);
	assert_int_equal(addrmap_insert(&m, 0x0a000001, &b), 0);
	assert_ptr_equal(addrmap_get(&m, 0x0a000001), &b);
	addrmap_free(&m);
	assert_int_equal(addrmap_count(&m), 0);
	assert_null(addrmap_get(&m, 0x0a000002));
}

/* Random inserts/removes over a /20 (consecutive keys, the pool case) and
 * a few wild keys; the map must agree with a plain array at every step,
 * across growth and tombstone rebuilds. */
static void
test_random_vs_model(void **state)
{
	enum { N = 4096 };
	static void *model[N + 8];
	static uint32_t keys[N + 8];
	struct addrmap m;
	unsigned seed = 7, live = 0;

	(void)state;
	for (unsigned i = 0; i < N; i++)
		keys[i] = 0x64400000u + i;
	for (unsigned i = 0; i < 8; i++)
		keys[N + i] = 0xffffffffu - i * 0x01010101u;
	addrmap_init(&m);
	for (int n = 0; n < 300000; n++) {
		unsigned k;

		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % (N + 8);
		if (model[k] == NULL) {
			void *obj = &keys[k];

			assert_int_equal(addrmap_insert(&m, keys[k], obj), 0);
			model[k] = obj;
			live++;
		} else {
			assert_int_equal(addrmap_insert(&m, keys[k], &m), -1);
			assert_ptr_equal(addrmap_remove(&m, keys[k]), model[k]);
			model[k] = NULL;
			live--;
		}
		assert_int_equal(addrmap_count(&m), live);
		if (n % 10007 == 0)
			for (unsigned i = 0; i < N + 8; i++)
				assert_ptr_equal(addrmap_get(&m, keys[i]),
				    model[i]);
	}
	/* Load stays under half: probes end. */
	assert_true((m.count + m.tombs) * 2 <= m.nslots);
	addrmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
