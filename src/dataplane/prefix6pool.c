/*
 * prefix6pool.c — IPv6 prefix pool (see prefix6pool.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/prefix6pool.h"

bool
prefix6_match(const uint8_t a[16], const uint8_t b[16], unsigned len)
{
	unsigned full = len / 8, rest = len % 8;

	if (len > 128)
		return false;
	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff00u >> rest)) == 0;
}

/* Bits [base_len, plen) of pfx: the prefix's number in the pool. */
static uint32_t
pfx_index(const struct prefix6pool *p, const uint8_t pfx[16])
{
	uint32_t v = 0;

	for (unsigned b = p->base_len; b < p->plen; b++)
		v = v << 1 | ((pfx[b / 8] >> (7 - b % 8)) & 1u);
	return v;
}

static void
pfx_make(const struct prefix6pool *p, uint32_t idx, uint8_t out[16])
{
	memcpy(out, p->base, 16);
	for (unsigned b = p->plen; b-- > p->base_len; idx >>= 1)
		if (idx & 1u)
			out[b / 8] |= (uint8_t)(0x80u >> (b % 8));
}

/* Zeroes every bit from len on. */
static void
mask_from(uint8_t a[16], unsigned len)
{
	for (unsigned b = len; b < 128; b++)
		a[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
}

int
prefix6pool_init(struct prefix6pool *p, const uint8_t base[16],
    unsigned base_len, unsigned plen)
{
	size_t words;

	memset(p, 0, sizeof(*p));
	if (base_len > plen || plen > 64 ||
	    plen - base_len > PREFIX6POOL_MAX_BITS) {
		errno = EINVAL;
		return -1;
	}
	memcpy(p->base, base, 16);
	mask_from(p->base, base_len);
	p->base_len = base_len;
	p->plen = plen;
	p->size = (uint32_t)1 << (plen - base_len);
	words = (p->size + 63) / 64;
	p->bits = calloc(words, sizeof(*p->bits));
	if (p->bits == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
prefix6pool_free(struct prefix6pool *p)
{
	free(p->bits);
	memset(p, 0, sizeof(*p));
}

static bool
bit_get(const struct prefix6pool *p, uint32_t i)
{
	return (p->bits[i / 64] >> (i % 64)) & 1u;
}

static void
bit_put(struct prefix6pool *p, uint32_t i, bool on)
{
	if (on)
		p->bits[i / 64] |= (uint64_t)1 << (i % 64);
	else
		p->bits[i / 64] &= ~((uint64_t)1 << (i % 64));
}

int
prefix6pool_alloc(struct prefix6pool *p, uint8_t out[16])
{
	uint32_t i = p->cursor;

	if (p->bits == NULL || p->used >= p->size)
		return -1;
	/* Whole words at a time where they are full; the pool is at most
	 * 2^24 bits, so the walk is bounded by 2^18 word reads. */
	for (;;) {
		if (p->bits[i / 64] == UINT64_MAX) {
			i = (i / 64 + 1) * 64;
			if (i >= p->size)
				i = 0;
			continue;
		}
		if (!bit_get(p, i))
			break;
		if (++i >= p->size)
			i = 0;
	}
	bit_put(p, i, true);
	p->used++;
	p->cursor = i + 1 >= p->size ? 0 : i + 1;
	pfx_make(p, i, out);
	return 0;
}

bool
prefix6pool_contains(const struct prefix6pool *p, const uint8_t pfx[16])
{
	return p->bits != NULL && prefix6_match(pfx, p->base, p->base_len);
}

/* The prefix's index if it is a /N of the pool with host bits zero. */
static int
pfx_lookup(const struct prefix6pool *p, const uint8_t pfx[16], uint32_t *idx)
{
	uint8_t m[16];

	if (!prefix6pool_contains(p, pfx))
		return -1;
	memcpy(m, pfx, 16);
	mask_from(m, p->plen);
	if (memcmp(m, pfx, 16) != 0)
		return -1;
	*idx = pfx_index(p, pfx);
	return 0;
}

int
prefix6pool_reserve(struct prefix6pool *p, const uint8_t pfx[16])
{
	uint32_t i;

	if (pfx_lookup(p, pfx, &i) < 0 || bit_get(p, i))
		return -1;
	bit_put(p, i, true);
	p->used++;
	return 0;
}

int
prefix6pool_release(struct prefix6pool *p, const uint8_t pfx[16])
{
	uint32_t i;

	if (pfx_lookup(p, pfx, &i) < 0 || !bit_get(p, i))
		return -1;
	bit_put(p, i, false);
	p->used--;
	return 0;
}

uint32_t
prefix6pool_used(const struct prefix6pool *p)
{
	return p->used;
}

uint32_t
prefix6pool_size(const struct prefix6pool *p)
{
	return p->size;
}
