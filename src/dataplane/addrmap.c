#include <stdlib.h>

#include "dataplane/addrmap.h"

#define ADDRMAP_MIN_SLOTS 16

void
addrmap_init(struct addrmap *m)
{
	m->slots = NULL;
	m->nslots = 0;
	m->count = 0;
	m->tombs = 0;
}

void
addrmap_free(struct addrmap *m)
{
	free(m->slots);
	addrmap_init(m);
}

static uint32_t
addrmap_hash(uint32_t addr, uint32_t mask)
{
	/* Pool addresses are consecutive: a multiplicative hash spreads
	 * them; the high half of the product is the well-mixed part. */
	return (uint32_t)((uint64_t)addr * 0x9e3779b97f4a7c15ull >> 32) & mask;
}

static struct addrmap_slot *
addrmap_find(const struct addrmap *m, uint32_t addr)
{
	uint32_t mask, i;

	if (m->nslots == 0 || addr == 0)
		return NULL;
	mask = m->nslots - 1;
	for (i = addrmap_hash(addr, mask);; i = (i + 1) & mask) {
		struct addrmap_slot *s = &m->slots[i];

		if (s->addr == addr && !s->tomb)
			return s;
		if (s->addr == 0 && !s->tomb)
			return NULL;
	}
}

static void
addrmap_put(struct addrmap_slot *slots, uint32_t nslots, uint32_t addr,
    void *obj)
{
	uint32_t mask = nslots - 1, i;

	for (i = addrmap_hash(addr, mask);; i = (i + 1) & mask) {
		if (slots[i].addr == 0 || slots[i].tomb) {
			slots[i].addr = addr;
			slots[i].tomb = 0;
			slots[i].obj = obj;
			return;
		}
	}
}

/* Keeps live + tombstones under half the slots so probe chains stay short
 * and every probe loop meets an empty slot; a rebuild drops tombstones. */
static int
addrmap_reserve(struct addrmap *m)
{
	uint32_t want = m->nslots ? m->nslots : ADDRMAP_MIN_SLOTS;
	struct addrmap_slot *ns;

	while ((m->count + 1) * 2 > want)
		want *= 2;
	if (want == m->nslots && (m->count + m->tombs + 1) * 2 <= m->nslots)
		return 0;
	ns = calloc(want, sizeof(*ns));
	if (ns == NULL)
		return -1;
	for (uint32_t i = 0; i < m->nslots; i++)
		if (m->slots[i].addr != 0 && !m->slots[i].tomb)
			addrmap_put(ns, want, m->slots[i].addr,
			    m->slots[i].obj);
	free(m->slots);
	m->slots = ns;
	m->nslots = want;
	m->tombs = 0;
	return 0;
}

int
addrmap_insert(struct addrmap *m, uint32_t addr, void *obj)
{
	if (addr == 0 || addrmap_find(m, addr) != NULL)
		return -1;
	if (addrmap_reserve(m) < 0)
		return -1;
	addrmap_put(m->slots, m->nslots, addr, obj);
	m->count++;
	return 0;
}

void *
addrmap_get(const struct addrmap *m, uint32_t addr)
{
	struct addrmap_slot *s = addrmap_find(m, addr);

	return s ? s->obj : NULL;
}

void *
addrmap_remove(struct addrmap *m, uint32_t addr)
{
	struct addrmap_slot *s = addrmap_find(m, addr);
	void *obj;

	if (s == NULL)
		return NULL;
	obj = s->obj;
	s->tomb = 1;
	s->obj = NULL;
	m->count--;
	m->tombs++;
	return obj;
}
