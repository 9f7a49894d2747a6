/*
 * heap.h — an intrusive binary min-heap keyed by a 64-bit deadline.
 *
 * Owners embed a struct heap_node and keep their objects ordered by
 * ->key (a monotonic millisecond deadline): heap_min() is O(1), insert,
 * remove and re-key are O(log n).  The node remembers its slot, so an
 * object can leave the heap from anywhere without a search.
 */
#ifndef VPDN_CORE_HEAP_H
#define VPDN_CORE_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_NONE ((size_t)-1)

struct heap_node {
	uint64_t key;
	size_t idx; /* slot in the heap, HEAP_NONE when out */
};

struct heap {
	struct heap_node **v;
	size_t n, cap;
};

void heap_init(struct heap *h);
void heap_free(struct heap *h);
static inline void
heap_node_init(struct heap_node *n)
{
	n->key = UINT64_MAX;
	n->idx = HEAP_NONE;
}
static inline bool
heap_node_queued(const struct heap_node *n)
{
	return n->idx != HEAP_NONE;
}
/* Inserts, or re-keys a node already in the heap; -1 on allocation failure. */
int heap_set(struct heap *h, struct heap_node *n, uint64_t key)
    __attribute__((warn_unused_result));
void heap_remove(struct heap *h, struct heap_node *n);
static inline struct heap_node *
heap_min(const struct heap *h)
{
	return h->n > 0 ? h->v[0] : NULL;
}
static inline size_t
heap_count(const struct heap *h)
{
	return h->n;
}

#endif
