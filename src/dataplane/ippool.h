/*
 * ippool.h — the LNS's IPv4 address pool (`pool` in [lns], INTERFACE.md).
 *
 * One bit per address over the configured ranges plus a summary bit per
 * 64-address word ("this word is full"), so alloc finds a free address by
 * skipping 4096 taken addresses per summary-word read, and release/reserve
 * are O(1).  Allocation round-robins from a cursor: an address just released
 * is handed out again only after every other free address has been, so a
 * stale ARP/conntrack entry or a late packet for the previous user does not
 * meet the next one straight away.
 *
 * Addresses are IPv4 in host byte order; 0 never is a pool address and means
 * "none".  Fixed addresses (users file, RADIUS Framed-IP-Address) go through
 * ippool_reserve() when ippool_contains() them; outside the pool the caller
 * decides.  After ippool_reconfigure() addresses still held by sessions stay
 * held ("orphans" when the new ranges no longer contain them) until released.
 */
#ifndef VPDN_DATAPLANE_IPPOOL_H
#define VPDN_DATAPLANE_IPPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

#define IPPOOL_MAX_RANGES CFG_MAX_LIST
#define IPPOOL_MAX_SIZE	  (1u << 24) /* a /8 is plenty for PPP users */

struct ippool_range {
	uint32_t first, last; /* inclusive */
	uint32_t base;	      /* bit index of `first` */
};

struct ippool {
	struct ippool_range ranges[IPPOOL_MAX_RANGES]; /* sorted */
	unsigned nranges;
	uint32_t size;	 /* addresses in the ranges */
	uint32_t used;	 /* of those, handed out */
	uint32_t cursor; /* next bit index to try */
	uint32_t nwords;
	uint64_t *bits;	   /* 1 = in use */
	uint64_t *full;	   /* 1 = bits[w] is all ones */
	uint32_t *orphans; /* held, outside the ranges */
	uint32_t norphans, orphans_cap;
};

/* Ranges may come in any order; returns -1 with errno EINVAL (reversed,
 * overlapping, containing 0, too many, over IPPOOL_MAX_SIZE) or ENOMEM. */
int ippool_init(struct ippool *p, const struct cfg_ip4_range *r, unsigned n)
    __attribute__((warn_unused_result));
void ippool_free(struct ippool *p);
/* Returns a free address, or 0 when the pool is exhausted. */
uint32_t ippool_alloc(struct ippool *p) __attribute__((warn_unused_result));
/* Takes a specific address; -1 if it is in use or not in the ranges. */
int ippool_reserve(struct ippool *p, uint32_t addr)
    __attribute__((warn_unused_result));
/* Gives an address back; -1 if it was not held (a caller bug: log it). */
int ippool_release(struct ippool *p, uint32_t addr);
bool ippool_contains(const struct ippool *p, uint32_t addr);
bool ippool_in_use(const struct ippool *p, uint32_t addr);
/* Replaces the ranges; held addresses stay held.  On -1 (errno as for
 * ippool_init) the pool is unchanged. */
int ippool_reconfigure(struct ippool *p, const struct cfg_ip4_range *r,
    unsigned n) __attribute__((warn_unused_result));

static inline uint32_t
ippool_size(const struct ippool *p)
{
	return p->size;
}

/* Addresses held: from the ranges plus orphans. */
static inline uint32_t
ippool_used(const struct ippool *p)
{
	return p->used + p->norphans;
}

/* Addresses ippool_alloc() can still hand out. */
static inline uint32_t
ippool_available(const struct ippool *p)
{
	return p->size - p->used;
}

/* For `vpdnctl show pool`: ranges with their usage, held addresses. */
static inline unsigned
ippool_range_count(const struct ippool *p)
{
	return p->nranges;
}
void ippool_range_get(const struct ippool *p, unsigned i, uint32_t *first,
    uint32_t *last, uint32_t *used);
typedef void ippool_walk_fn(void *ctx, uint32_t addr, bool orphan);
/* Calls fn for every held address: ranges in ascending order, then orphans. */
void ippool_walk(const struct ippool *p, ippool_walk_fn *fn, void *ctx);

#endif
