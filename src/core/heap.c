/* heap.c — intrusive binary min-heap (see heap.h). */
#include <stdlib.h>

#include "core/heap.h"

void
heap_init(struct heap *h)
{
	h->v = NULL;
	h->n = 0;
	h->cap = 0;
}

void
heap_free(struct heap *h)
{
	for (size_t i = 0; i < h->n; i++)
		h->v[i]->idx = HEAP_NONE;
	free(h->v);
	heap_init(h);
}

static void
heap_place(struct heap *h, size_t i, struct heap_node *n)
{
	h->v[i] = n;
	n->idx = i;
}

static void
heap_up(struct heap *h, size_t i)
{
	struct heap_node *n = h->v[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (h->v[parent]->key <= n->key)
			break;
		heap_place(h, i, h->v[parent]);
		i = parent;
	}
	heap_place(h, i, n);
}

static void
heap_down(struct heap *h, size_t i)
{
	struct heap_node *n = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1]->key < h->v[c]->key)
			c++;
		if (n->key <= h->v[c]->key)
			break;
		heap_place(h, i, h->v[c]);
		i = c;
	}
	heap_place(h, i, n);
}

int
heap_set(struct heap *h, struct heap_node *n, uint64_t key)
{
	if (n->idx != HEAP_NONE) {
		uint64_t old = n->key;

		n->key = key;
		if (key < old)
			heap_up(h, n->idx);
		else if (key > old)
			heap_down(h, n->idx);
		return 0;
	}
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 16;
		struct heap_node **nv = realloc(h->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		h->v = nv;
		h->cap = ncap;
	}
	n->key = key;
	heap_place(h, h->n++, n);
	heap_up(h, n->idx);
	return 0;
}

void
heap_remove(struct heap *h, struct heap_node *n)
{
	size_t i = n->idx;
	struct heap_node *last;

	if (i == HEAP_NONE)
		return;
	n->idx = HEAP_NONE;
	last = h->v[--h->n];
	if (i == h->n)
		return;
	heap_place(h, i, last);
	if (i > 0 && h->v[(i - 1) / 2]->key > last->key)
		heap_up(h, i);
	else
		heap_down(h, i);
}
