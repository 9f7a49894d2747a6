/*
 * addrmap.h — IPv4 address -> object, for the packet path.
 *
 * The LNS reads every packet for every user from one TUN device; the
 * destination address says which session it belongs to.  An addrmap is a
 * growable open-addressing hash table (the shape of core/idpool.c) keyed by
 * a non-zero IPv4 address in host byte order: insert, lookup and removal are
 * O(1) expected, lookups touch one or two cache lines.
 */
#ifndef VPDN_DATAPLANE_ADDRMAP_H
#define VPDN_DATAPLANE_ADDRMAP_H

#include <stdint.h>

struct addrmap_slot {
	uint32_t addr; /* 0: empty */
	uint8_t tomb;  /* deleted marker for open addressing */
	void *obj;
};

struct addrmap {
	struct addrmap_slot *slots;
	uint32_t nslots; /* power of two, or 0 */
	uint32_t count;
	uint32_t tombs;
};

void addrmap_init(struct addrmap *m);
void addrmap_free(struct addrmap *m);
/* Returns -1 if addr is 0 or already present, or out of memory. */
int addrmap_insert(struct addrmap *m, uint32_t addr, void *obj)
    __attribute__((warn_unused_result));
void *addrmap_get(const struct addrmap *m, uint32_t addr);
/* Removes addr and returns its object (NULL if absent). */
void *addrmap_remove(struct addrmap *m, uint32_t addr);
static inline uint32_t
addrmap_count(const struct addrmap *m)
{
	return m->count;
}

#endif
