/*
 * ippool.c — IPv4 address pool: two-level bitmap with a round-robin cursor.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/ippool.h"

#define WORD_BITS 64
#define ALL_ONES  (~(uint64_t)0)

static int
range_cmp(const void *a, const void *b)
{
	const struct ippool_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

int
ippool_init(struct ippool *p, const struct cfg_ip4_range *r, unsigned n)
{
	uint64_t total = 0;
	uint32_t nsum;

	memset(p, 0, sizeof(*p));
	if (n > IPPOOL_MAX_RANGES) {
		errno = EINVAL;
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		if (r[i].first == 0 || r[i].first > r[i].last) {
			errno = EINVAL;
			return -1;
		}
		p->ranges[i].first = r[i].first;
		p->ranges[i].last = r[i].last;
	}
	p->nranges = n;
	qsort(p->ranges, n, sizeof(p->ranges[0]), range_cmp);
	for (unsigned i = 0; i < n; i++) {
		if (i > 0 && p->ranges[i].first <= p->ranges[i - 1].last) {
			errno = EINVAL; /* overlap: one address twice */
			return -1;
		}
		p->ranges[i].base = (uint32_t)total;
		total += (uint64_t)p->ranges[i].last - p->ranges[i].first + 1;
		if (total > IPPOOL_MAX_SIZE) {
			errno = EINVAL;
			return -1;
		}
	}
	p->size = (uint32_t)total;
	p->nwords = (p->size + WORD_BITS - 1) / WORD_BITS;
	nsum = (p->nwords + WORD_BITS - 1) / WORD_BITS;
	p->bits = calloc(p->nwords ? p->nwords : 1, sizeof(*p->bits));
	p->full = calloc(nsum ? nsum : 1, sizeof(*p->full));
	if (p->bits == NULL || p->full == NULL) {
		ippool_free(p);
		errno = ENOMEM;
		return -1;
	}
	/* Bits past the end count as taken, words past the end as full:
	 * the search never needs a bounds check inside a word. */
	if (p->size % WORD_BITS)
		p->bits[p->nwords - 1] = ALL_ONES << (p->size % WORD_BITS);
	if (p->nwords % WORD_BITS)
		p->full[nsum - 1] = ALL_ONES << (p->nwords % WORD_BITS);
	if (p->nwords > 0 && p->bits[p->nwords - 1] == ALL_ONES)
		p->full[(p->nwords - 1) / WORD_BITS] |= (uint64_t)1
		    << ((p->nwords - 1) % WORD_BITS);
	return 0;
}

void
ippool_free(struct ippool *p)
{
	free(p->bits);
	free(p->full);
	free(p->orphans);
	memset(p, 0, sizeof(*p));
}

/* Bit index of addr, or -1 if outside every range (at most 8: O(1)). */
static int64_t
addr_index(const struct ippool *p, uint32_t addr)
{
	for (unsigned i = 0; i < p->nranges; i++)
		if (addr >= p->ranges[i].first && addr <= p->ranges[i].last)
			return (int64_t)p->ranges[i].base +
			    (addr - p->ranges[i].first);
	return -1;
}

static uint32_t
index_addr(const struct ippool *p, uint32_t idx)
{
	unsigned i = p->nranges - 1;

	while (p->ranges[i].base > idx)
		i--;
	return p->ranges[i].first + (idx - p->ranges[i].base);
}

static bool
bit_get(const struct ippool *p, uint32_t idx)
{
	return (p->bits[idx / WORD_BITS] >> (idx % WORD_BITS)) & 1;
}

static void
bit_set(struct ippool *p, uint32_t idx)
{
	uint32_t w = idx / WORD_BITS;

	p->bits[w] |= (uint64_t)1 << (idx % WORD_BITS);
	if (p->bits[w] == ALL_ONES)
		p->full[w / WORD_BITS] |= (uint64_t)1 << (w % WORD_BITS);
	p->used++;
}

static void
bit_clear(struct ippool *p, uint32_t idx)
{
	uint32_t w = idx / WORD_BITS;

	p->bits[w] &= ~((uint64_t)1 << (idx % WORD_BITS));
	p->full[w / WORD_BITS] &= ~((uint64_t)1 << (w % WORD_BITS));
	p->used--;
}

/* First free bit index >= start, or -1. */
static int64_t
find_free(const struct ippool *p, uint32_t start)
{
	uint32_t w, sw;
	uint64_t m;

	if (start >= p->size)
		return -1;
	w = start / WORD_BITS;
	m = ~p->bits[w] & (ALL_ONES << (start % WORD_BITS));
	if (m != 0)
		return (int64_t)w * WORD_BITS + __builtin_ctzll(m);
	for (w++; w < p->nwords; w = (sw + 1) * WORD_BITS) {
		sw = w / WORD_BITS;
		m = ~p->full[sw] & (ALL_ONES << (w % WORD_BITS));
		if (m != 0) {
			w = sw * WORD_BITS + (uint32_t)__builtin_ctzll(m);
			if (w >= p->nwords)
				return -1;
			return (int64_t)w * WORD_BITS +
			    __builtin_ctzll(~p->bits[w]);
		}
	}
	return -1;
}

uint32_t
ippool_alloc(struct ippool *p)
{
	int64_t idx;

	if (p->used >= p->size)
		return 0;
	idx = find_free(p, p->cursor);
	if (idx < 0)
		idx = find_free(p, 0);
	if (idx < 0)
		return 0;
	bit_set(p, (uint32_t)idx);
	p->cursor = (uint32_t)idx + 1 < p->size ? (uint32_t)idx + 1 : 0;
	return index_addr(p, (uint32_t)idx);
}

static int64_t
orphan_find(const struct ippool *p, uint32_t addr)
{
	for (uint32_t i = 0; i < p->norphans; i++)
		if (p->orphans[i] == addr)
			return i;
	return -1;
}

int
ippool_reserve(struct ippool *p, uint32_t addr)
{
	int64_t idx = addr_index(p, addr);

	if (idx < 0 || bit_get(p, (uint32_t)idx))
		return -1;
	/* The cursor stays: a fixed address does not reorder the rest. */
	bit_set(p, (uint32_t)idx);
	return 0;
}

int
ippool_release(struct ippool *p, uint32_t addr)
{
	int64_t idx = addr_index(p, addr);

	if (idx >= 0) {
		if (!bit_get(p, (uint32_t)idx))
			return -1;
		bit_clear(p, (uint32_t)idx);
		return 0;
	}
	idx = orphan_find(p, addr);
	if (idx < 0)
		return -1;
	p->orphans[idx] = p->orphans[--p->norphans];
	return 0;
}

bool
ippool_contains(const struct ippool *p, uint32_t addr)
{
	return addr_index(p, addr) >= 0;
}

bool
ippool_in_use(const struct ippool *p, uint32_t addr)
{
	int64_t idx = addr_index(p, addr);

	if (idx >= 0)
		return bit_get(p, (uint32_t)idx);
	return orphan_find(p, addr) >= 0;
}

static int
orphan_add(struct ippool *p, uint32_t addr)
{
	if (p->norphans == p->orphans_cap) {
		uint32_t cap = p->orphans_cap ? p->orphans_cap * 2 : 16;
		uint32_t *o = reallocarray(p->orphans, cap, sizeof(*o));

		if (o == NULL)
			return -1;
		p->orphans = o;
		p->orphans_cap = cap;
	}
	p->orphans[p->norphans++] = addr;
	return 0;
}

struct reconf {
	struct ippool *np;
	int err;
};

static void
reconf_keep(void *ctx, uint32_t addr, bool orphan)
{
	struct reconf *rc = ctx;
	int64_t idx = addr_index(rc->np, addr);

	(void)orphan;
	if (idx >= 0)
		bit_set(rc->np, (uint32_t)idx);
	else if (orphan_add(rc->np, addr) < 0)
		rc->err = -1;
}

int
ippool_reconfigure(struct ippool *p, const struct cfg_ip4_range *r, unsigned n)
{
	struct ippool np;
	struct reconf rc = { &np, 0 };
	int64_t idx;

	if (ippool_init(&np, r, n) < 0)
		return -1;
	ippool_walk(p, reconf_keep, &rc);
	if (rc.err < 0) {
		ippool_free(&np);
		errno = ENOMEM;
		return -1;
	}
	/* Keep rotating from where we were if that address survives. */
	if (p->size > 0) {
		idx = addr_index(&np, index_addr(p, p->cursor));
		if (idx >= 0)
			np.cursor = (uint32_t)idx;
	}
	ippool_free(p);
	*p = np;
	return 0;
}

void
ippool_range_get(const struct ippool *p, unsigned i, uint32_t *first,
    uint32_t *last, uint32_t *used)
{
	const struct ippool_range *rg = &p->ranges[i];
	uint32_t n = 0;

	*first = rg->first;
	*last = rg->last;
	for (uint64_t a = rg->base;
	     a <= (uint64_t)rg->base + (rg->last - rg->first); a++)
		n += bit_get(p, (uint32_t)a);
	*used = n;
}

void
ippool_walk(const struct ippool *p, ippool_walk_fn *fn, void *ctx)
{
	for (uint32_t w = 0; w < p->nwords; w++) {
		uint64_t m = p->bits[w];

		if (w == p->nwords - 1 && p->size % WORD_BITS)
			m &= ~(ALL_ONES << (p->size % WORD_BITS));
		while (m != 0) {
			uint32_t idx = w * WORD_BITS +
			    (uint32_t)__builtin_ctzll(m);

			m &= m - 1;
			fn(ctx, index_addr(p, idx), false);
		}
	}
	for (uint32_t i = 0; i < p->norphans; i++)
		fn(ctx, p->orphans[i], true);
}
