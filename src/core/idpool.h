/*
 * idpool.h — random, non-zero, unique 16-bit identifiers mapped to objects.
 *
 * Tunnel IDs and session IDs are chosen by the receiving side (RFC 2661 §3.1)
 * and are guessable-resistant when random.  An idpool is a growable
 * open-addressing hash table keyed by the 16-bit ID: allocation, lookup and
 * release are O(1) expected.  It holds at most `limit` IDs (<= 65535).
 */
#ifndef VPDN_CORE_IDPOOL_H
#define VPDN_CORE_IDPOOL_H

#include <stddef.h>
#include <stdint.h>

struct idpool_slot {
	uint16_t id;  /* 0: empty */
	uint8_t tomb; /* deleted marker for open addressing */
	void *obj;
};

struct idpool {
	struct idpool_slot *slots;
	uint32_t nslots; /* power of two */
	uint32_t count;
	uint32_t tombs;
	uint32_t limit;
};

void idpool_init(struct idpool *p, uint32_t limit);
void idpool_free(struct idpool *p);
/* Picks a random unused ID for obj; returns 0 when full or out of memory. */
uint16_t idpool_alloc(struct idpool *p, void *obj)
    __attribute__((warn_unused_result));
/* Inserts a caller-chosen ID; returns -1 if taken, zero, full or no memory. */
int idpool_insert(struct idpool *p, uint16_t id, void *obj)
    __attribute__((warn_unused_result));
void *idpool_get(const struct idpool *p, uint16_t id);
void idpool_release(struct idpool *p, uint16_t id);
/* Changes the bound on the number of IDs (0 or > 65535: 65535); IDs
 * already held stay even when there are more of them. */
void idpool_set_limit(struct idpool *p, uint32_t limit);

/*
 * Walks the held IDs in slot order, which is stable while the pool does not
 * grow:
 *	uint32_t cur = 0;
 *	while ((obj = idpool_next(p, &cur, &id)) != NULL) ...
 * Returns the next entry's object (its ID in *id unless id is NULL), or NULL
 * after the last; entries whose object is NULL are skipped.  Releasing IDs
 * during a walk is safe (a release only marks its slot); adding them is not,
 * since it may rehash the table.
 */
void *idpool_next(const struct idpool *p, uint32_t *cursor, uint16_t *id);

static inline uint32_t
idpool_count(const struct idpool *p)
{
	return p->count;
}

#endif
