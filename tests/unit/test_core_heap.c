/*
 * test_core_heap.c — the intrusive min-heap behind the L2TP host's timers:
 * order after random inserts, re-keys and removals from the middle,
 * checked against a brute-force minimum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/heap.h"

#define N 500

static uint64_t
brute_min(struct heap_node *nodes, const bool *in, size_t n)
{
	uint64_t m = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		if (in[i] && nodes[i].key < m)
			m = nodes[i].key;
	return m;
}

static void
check_invariant(const struct heap *h)
{
	for (size_t i = 0; i < h->n; i++) {
		assert_int_equal(h->v[i]->idx, i);
		if (i > 0)
			assert_true(h->v[(i - 1) / 2]->key <= h->v[i]->key);
	}
}

static void
test_heap_random(void **state)
{
	static struct heap_node nodes[N];
	static bool in[N];
	struct heap h;

	(void)state;
	srand(1);
	heap_init(&h);
	for (size_t i = 0; i < N; i++)
		heap_node_init(&nodes[i]);
	for (int step = 0; step < 20000; step++) {
		size_t i = (size_t)rand() % N;

		switch (rand() % 3) {
		case 0:
		case 1: /* insert or re-key, up or down */
			assert_int_equal(heap_set(&h, &nodes[i],
					     (uint64_t)(rand() % 1000)),
			    0);
			in[i] = true;
			break;
		default: /* remove, possibly from the middle */
			heap_remove(&h, &nodes[i]);
			assert_false(heap_node_queued(&nodes[i]));
			in[i] = false;
			break;
		}
		if (step % 97 == 0)
			check_invariant(&h);
		if (heap_min(&h) != NULL)
			assert_int_equal(heap_min(&h)->key,
			    brute_min(nodes, in, N));
		else
			assert_int_equal(brute_min(nodes, in, N), UINT64_MAX);
	}
	/* drain in order */
	for (uint64_t last = 0; heap_min(&h) != NULL;) {
		struct heap_node *m = heap_min(&h);

		assert_true(m->key >= last);
		last = m->key;
		heap_remove(&h, m);
	}
	assert_int_equal(heap_count(&h), 0);
	heap_free(&h);
}

static void
test_heap_remove_absent(void **state)
{
	struct heap h;
	struct heap_node a, b;

	(void)state;
	heap_init(&h);
	heap_node_init(&a);
	heap_node_init(&b);
	heap_remove(&h, &a); /* not queued: no-op */
	assert_int_equal(heap_set(&h, &a, 5), 0);
	assert_int_equal(heap_set(&h, &b, 3), 0);
	assert_ptr_equal(heap_min(&h), &b);
	assert_int_equal(heap_set(&h, &b, 9), 0); /* re-key down */
	assert_ptr_equal(heap_min(&h), &a);
	heap_free(&h);
	assert_false(heap_node_queued(&a));
	assert_false(heap_node_queued(&b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_random),
		cmocka_unit_test(test_heap_remove_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
