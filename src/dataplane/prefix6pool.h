/*
 * prefix6pool.h — a pool of IPv6 prefixes of one length carved from one
 * covering prefix: the LNS's `ipv6-pool` (a /64 per session out of, say, a
 * /48) and, later, DHCPv6 prefix delegation (a /56 per session out of a
 * /40).  Generic over lengths: covering /M, handed out /N with
 * 0 <= M <= N <= 64 and at most PREFIX6POOL_MAX_BITS bits between them
 * (2^24 prefixes, 2 MiB of bitmap), so N 48..64 out of any M within that.
 *
 * One bit per prefix; allocation round-robins from a cursor, like ippool.c,
 * so a prefix just released goes out again only after every other free one
 * has: a late packet or a stale neighbour entry for the last holder does not
 * meet the next one straight away.  Prefix number 0 (the covering prefix's
 * first /N, often the operator's own link numbering) is handed out too: the
 * pool is exactly what the configuration says.
 */
#ifndef VPDN_DATAPLANE_PREFIX6POOL_H
#define VPDN_DATAPLANE_PREFIX6POOL_H

#include <stdbool.h>
#include <stdint.h>

#define PREFIX6POOL_MAX_BITS 24

struct prefix6pool {
	uint8_t base[16];  /* covering prefix, host bits zero */
	unsigned base_len; /* M */
	unsigned plen;	   /* N */
	uint32_t size;	   /* 2^(N-M) */
	uint32_t used;
	uint32_t cursor;
	uint64_t *bits;
};

/* Checks the lengths (see above) and zeroes the host bits of base; -1 with
 * errno EINVAL (lengths) or ENOMEM. */
int prefix6pool_init(struct prefix6pool *p, const uint8_t base[16],
    unsigned base_len, unsigned plen);
void prefix6pool_free(struct prefix6pool *p);
/* A free /N into out (16 bytes, host bits zero); -1 when exhausted. */
int prefix6pool_alloc(struct prefix6pool *p, uint8_t out[16]);
/* Takes a given /N (RADIUS Framed-IPv6-Prefix inside the pool): 0, or -1
 * when it is not a /N of the pool or is held already. */
int prefix6pool_reserve(struct prefix6pool *p, const uint8_t pfx[16]);
/* Gives a /N back: 0, or -1 when it was not held. */
int prefix6pool_release(struct prefix6pool *p, const uint8_t pfx[16]);
/* Whether the /N at pfx lies inside the covering prefix. */
bool prefix6pool_contains(const struct prefix6pool *p, const uint8_t pfx[16]);
uint32_t prefix6pool_used(const struct prefix6pool *p);
uint32_t prefix6pool_size(const struct prefix6pool *p);

/* Whether the first len bits of a and b agree (0 <= len <= 128). */
bool prefix6_match(const uint8_t a[16], const uint8_t b[16], unsigned len);

#endif
