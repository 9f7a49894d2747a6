#include <stdlib.h>

#include "core/idpool.h"
#include "core/random.h"

#define IDPOOL_MIN_SLOTS 16

void
idpool_init(struct idpool *p, uint32_t limit)
{
	p->slots = NULL;
	p->nslots = 0;
	p->count = 0;
	p->tombs = 0;
	idpool_set_limit(p, limit);
}

void
idpool_set_limit(struct idpool *p, uint32_t limit)
{
	p->limit = limit == 0 || limit > 65535 ? 65535 : limit;
}

void
idpool_free(struct idpool *p)
{
	free(p->slots);
	idpool_init(p, p->limit);
}

static uint32_t
idpool_hash(uint16_t id, uint32_t mask)
{
	/* Fibonacci hashing spreads sequential (caller-chosen) IDs too. */
	return ((uint32_t)id * 2654435769u >> 16) & mask;
}

static struct idpool_slot *
idpool_find(const struct idpool *p, uint16_t id)
{
	uint32_t mask, i;

	if (p->nslots == 0 || id == 0)
		return NULL;
	mask = p->nslots - 1;
	for (i = idpool_hash(id, mask);; i = (i + 1) & mask) {
		struct idpool_slot *s = &p->slots[i];

		if (s->id == id && !s->tomb)
			return s;
		if (s->id == 0 && !s->tomb)
			return NULL;
	}
}

static void
idpool_put(struct idpool_slot *slots, uint32_t nslots, uint16_t id, void *obj)
{
	uint32_t mask = nslots - 1, i;

	for (i = idpool_hash(id, mask);; i = (i + 1) & mask) {
		if (slots[i].id == 0 || slots[i].tomb) {
			slots[i].id = id;
			slots[i].tomb = 0;
			slots[i].obj = obj;
			return;
		}
	}
}

/* Keeps the load (live + tombstones) under 1/2 so probes stay short. */
static int
idpool_reserve(struct idpool *p)
{
	uint32_t want = p->nslots ? p->nslots : IDPOOL_MIN_SLOTS;
	struct idpool_slot *ns;

	while ((p->count + 1) * 2 > want)
		want *= 2;
	if (want == p->nslots && (p->count + p->tombs + 1) * 2 <= p->nslots)
		return 0;
	ns = calloc(want, sizeof(*ns));
	if (ns == NULL)
		return -1;
	for (uint32_t i = 0; i < p->nslots; i++)
		if (p->slots[i].id != 0 && !p->slots[i].tomb)
			idpool_put(ns, want, p->slots[i].id, p->slots[i].obj);
	free(p->slots);
	p->slots = ns;
	p->nslots = want;
	p->tombs = 0;
	return 0;
}

int
idpool_insert(struct idpool *p, uint16_t id, void *obj)
{
	if (id == 0 || p->count >= p->limit || idpool_find(p, id) != NULL)
		return -1;
	if (idpool_reserve(p) < 0)
		return -1;
	idpool_put(p->slots, p->nslots, id, obj);
	p->count++;
	return 0;
}

uint16_t
idpool_alloc(struct idpool *p, void *obj)
{
	uint16_t id;

	if (p->count >= p->limit)
		return 0;
	/* Random probing: expected tries stay small while the pool is
	 * sparse; a dense pool falls back to a linear sweep from a random
	 * start, which is bounded by 65535 and only reached near `limit`. */
	for (int tries = 0; tries < 64; tries++) {
		id = random_u16();
		if (id != 0 && idpool_find(p, id) == NULL)
			return idpool_insert(p, id, obj) == 0 ? id : 0;
	}
	id = random_u16();
	for (uint32_t n = 0; n < 65536; n++, id++) {
		if (id != 0 && idpool_find(p, id) == NULL)
			return idpool_insert(p, id, obj) == 0 ? id : 0;
	}
	return 0;
}

void *
idpool_get(const struct idpool *p, uint16_t id)
{
	struct idpool_slot *s = idpool_find(p, id);

	return s ? s->obj : NULL;
}

void
idpool_release(struct idpool *p, uint16_t id)
{
	struct idpool_slot *s = idpool_find(p, id);

	if (s == NULL)
		return;
	s->tomb = 1;
	s->obj = NULL;
	p->count--;
	p->tombs++;
}

void *
idpool_next(const struct idpool *p, uint32_t *cursor, uint16_t *id)
{
	while (*cursor < p->nslots) {
		const struct idpool_slot *s = &p->slots[(*cursor)++];

		if (s->id != 0 && !s->tomb && s->obj != NULL) {
			if (id != NULL)
				*id = s->id;
			return s->obj;
		}
	}
	return NULL;
}
