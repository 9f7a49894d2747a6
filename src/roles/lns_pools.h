/*
 * lns_pools.h — the LNS's address pools: [lns] pool (named "default") and
 * every [pool NAME] (docs/INTERFACE.md "Named pools").
 *
 * Each pool is its own allocation, so a session keeps a pointer to the one
 * holding its address for as long as it lives.  A reload reconfigures pools
 * by name: added pools are created, changed ones get their new ranges (held
 * addresses stay held, as ippool orphans when outside them), removed ones
 * are retired — hidden from choice and from `show pool`'s list of
 * configured pools — and freed when their last address comes back.
 */
#ifndef VPDN_ROLES_LNS_POOLS_H
#define VPDN_ROLES_LNS_POOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "dataplane/ippool.h"

struct lns_pool {
	char name[CFG_MAX_STR];
	struct ippool ip;
	bool retired;	    /* no longer configured: freed when empty */
	uint64_t exhausted; /* allocations it could not serve */
};

/* One element of lns_pools.v: a struct, so the array's element is not a
 * bare pointer. */
struct lns_pool_ref {
	struct lns_pool *p;
};

struct lns_pools {
	struct lns_pool_ref *v; /* [0] is the default pool */
	unsigned n;
};

/* -1 with errno (ippool_init) when a pool cannot be set up. */
int lns_pools_init(struct lns_pools *ps, const struct vpdn_config *cfg);
/* The pools of cfg: -1 (nothing changed) when one cannot be set up. */
int lns_pools_reconfigure(struct lns_pools *ps, const struct vpdn_config *cfg);
void lns_pools_free(struct lns_pools *ps);

/* A configured (not retired) pool by name, or NULL. */
struct lns_pool *lns_pools_find(const struct lns_pools *ps, const char *name);
/* The configured pool whose ranges contain addr, or NULL. */
struct lns_pool *lns_pools_containing(const struct lns_pools *ps,
    uint32_t addr);
/* Gives addr back to p; a retired pool left empty is freed.  -1 when p
 * did not hold it. */
int lns_pools_release(struct lns_pools *ps, struct lns_pool *p, uint32_t addr);

#endif
