/*
 * lns_pools.c — the LNS's named address pools (lns_pools.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "roles/lns_pools.h"

static struct lns_pool *
pool_new(const char *name, const struct cfg_ip4_range *r, unsigned n)
{
	struct lns_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	strlcpy(p->name, name, sizeof(p->name));
	if (ippool_init(&p->ip, r, n) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
pool_free(struct lns_pool *p)
{
	ippool_free(&p->ip);
	free(p);
}

static int
pools_append(struct lns_pools *ps, struct lns_pool *p)
{
	struct lns_pool_ref *v = reallocarray(ps->v, ps->n + 1, sizeof(*v));

	if (v == NULL)
		return -1;
	ps->v = v;
	v[ps->n++].p = p;
	return 0;
}

int
lns_pools_init(struct lns_pools *ps, const struct vpdn_config *cfg)
{
	struct lns_pool *p;

	memset(ps, 0, sizeof(*ps));
	if ((p = pool_new(CFG_DEFAULT_POOL_NAME, cfg->lns.pool,
		 cfg->lns.pool_count)) == NULL ||
	    pools_append(ps, p) < 0) {
		if (p != NULL)
			pool_free(p);
		return -1;
	}
	for (unsigned i = 0; i < cfg->pool_count; i++) {
		const struct cfg_pool *c = &cfg->pools[i];

		if ((p = pool_new(c->name, c->range, c->range_count)) == NULL ||
		    pools_append(ps, p) < 0) {
			if (p != NULL)
				pool_free(p);
			lns_pools_free(ps);
			return -1;
		}
	}
	return 0;
}

void
lns_pools_free(struct lns_pools *ps)
{
	for (unsigned i = 0; i < ps->n; i++)
		pool_free(ps->v[i].p);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

struct lns_pool *
lns_pools_find(const struct lns_pools *ps, const char *name)
{
	for (unsigned i = 0; i < ps->n; i++)
		if (!ps->v[i].p->retired && strcmp(ps->v[i].p->name, name) == 0)
			return ps->v[i].p;
	return NULL;
}

struct lns_pool *
lns_pools_containing(const struct lns_pools *ps, uint32_t addr)
{
	for (unsigned i = 0; i < ps->n; i++)
		if (!ps->v[i].p->retired &&
		    ippool_contains(&ps->v[i].p->ip, addr))
			return ps->v[i].p;
	return NULL;
}

static void
pools_remove_at(struct lns_pools *ps, unsigned i)
{
	pool_free(ps->v[i].p);
	memmove(&ps->v[i], &ps->v[i + 1], (ps->n - i - 1) * sizeof(ps->v[0]));
	ps->n--;
}

int
lns_pools_release(struct lns_pools *ps, struct lns_pool *p, uint32_t addr)
{
	int rc = ippool_release(&p->ip, addr);

	if (p->retired && ippool_used(&p->ip) == 0)
		for (unsigned i = 0; i < ps->n; i++)
			if (ps->v[i].p == p) {
				log_info("lns: pool %s: its last address came "
					 "back; gone",
				    p->name);
				pools_remove_at(ps, i);
				break;
			}
	return rc;
}

/* The ranges pool `name` has in cfg; false when cfg has no such pool. */
static bool
cfg_ranges(const struct vpdn_config *cfg, const char *name,
    const struct cfg_ip4_range **r, unsigned *n)
{
	if (strcmp(name, CFG_DEFAULT_POOL_NAME) == 0) {
		*r = cfg->lns.pool;
		*n = cfg->lns.pool_count;
		return true;
	}
	for (unsigned i = 0; i < cfg->pool_count; i++)
		if (strcmp(cfg->pools[i].name, name) == 0) {
			*r = cfg->pools[i].range;
			*n = cfg->pools[i].range_count;
			return true;
		}
	return false;
}

static void
log_orphans(const struct lns_pool *p)
{
	if (p->ip.norphans > 0)
		log_info("lns: reload: pool %s: %u session(s) keep addresses "
			 "outside its ranges until they end",
		    p->name, p->ip.norphans);
}

int
lns_pools_reconfigure(struct lns_pools *ps, const struct vpdn_config *cfg)
{
	struct lns_pools added = { NULL, 0 };
	int rc = -1;

	/* Check first that every pool's new ranges can be set up (the
	 * config was validated, so only memory can fail), and build the new
	 * pools: a failure leaves every pool as it was. */
	for (unsigned i = 0; i < ps->n; i++) {
		const struct cfg_ip4_range *r = NULL;
		unsigned n = 0;
		struct ippool probe;

		if (ps->v[i].p->retired ||
		    !cfg_ranges(cfg, ps->v[i].p->name, &r, &n))
			n = 0;
		if (ippool_init(&probe, r, n) < 0)
			goto out;
		ippool_free(&probe);
	}
	for (unsigned i = 0; i < cfg->pool_count; i++) {
		struct lns_pool *p;

		if (lns_pools_find(ps, cfg->pools[i].name) != NULL)
			continue;
		if ((p = pool_new(cfg->pools[i].name, cfg->pools[i].range,
			 cfg->pools[i].range_count)) == NULL ||
		    pools_append(&added, p) < 0) {
			if (p != NULL)
				pool_free(p);
			goto out;
		}
	}
	for (unsigned i = 0; i < ps->n; i++) {
		struct lns_pool *p = ps->v[i].p;
		const struct cfg_ip4_range *r = NULL;
		unsigned n = 0;
		bool kept = !p->retired && cfg_ranges(cfg, p->name, &r, &n);

		if (ippool_reconfigure(&p->ip, r, kept ? n : 0) < 0)
			log_warnx("lns: reload: pool %s: no memory; keeping "
				  "its ranges",
			    p->name);
		if (!kept && !p->retired) {
			p->retired = true;
			log_info("lns: reload: pool %s removed%s", p->name,
			    ippool_used(&p->ip) > 0 ?
				": its sessions keep their addresses until "
				"they end" :
				"");
		} else if (kept) {
			log_orphans(p);
		}
	}
	for (unsigned i = 0; i < added.n; i++) {
		if (pools_append(ps, added.v[i].p) < 0) {
			pool_free(added.v[i].p);
			continue;
		}
		log_info("lns: reload: pool %s added, %u addresses",
		    added.v[i].p->name, ippool_size(&added.v[i].p->ip));
	}
	free(added.v);
	added.v = NULL;
	added.n = 0;
	/* Retired pools nobody holds an address of go now. */
	for (unsigned i = ps->n; i-- > 1;)
		if (ps->v[i].p->retired && ippool_used(&ps->v[i].p->ip) == 0)
			pools_remove_at(ps, i);
	rc = 0;
out:
	lns_pools_free(&added);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}
