/*
 * policy.c — [pool NAME] and [peer NAME] checks (policy.h).
 *
 * Pools: every address belongs to at most one pool, so a session's address
 * tells which pool to give it back to and show pool's counts add up.
 * Peers: a peer is stored complete (its own keys, then [lns]'s), so the
 * roles never ask where a value came from.
 */
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include "config/ini.h"
#include "config/policy.h"

int
config_pool_find(const struct vpdn_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->pool_count; i++)
		if (strcmp(cfg->pools[i].name, name) == 0)
			return (int)i;
	return -1;
}

static bool
ranges_overlap(const struct cfg_ip4_range *a, const struct cfg_ip4_range *b)
{
	return a->first <= b->last && b->first <= a->last;
}

static bool
ranges_contain(const struct cfg_ip4_range *r, unsigned n, uint32_t a)
{
	for (unsigned i = 0; i < n; i++)
		if (a >= r[i].first && a <= r[i].last)
			return true;
	return false;
}

int
policy_pools_check(const struct vpdn_config *cfg, const char *file,
    const int *pool_lines, int lns_pool_line, char *err, size_t errlen)
{
	const struct cfg_lns *l = &cfg->lns;

	for (unsigned i = 0; i < cfg->pool_count; i++) {
		const struct cfg_pool *p = &cfg->pools[i];
		int line = pool_lines[i] != 0 ? pool_lines[i] : p->line;

		if (strcmp(p->name, CFG_DEFAULT_POOL_NAME) == 0)
			return ini_error(err, errlen, file, p->line,
			    "[pool %s]: the name is taken by [lns] pool",
			    p->name);
		if (p->range_count == 0)
			return ini_error(err, errlen, file, p->line,
			    "[pool %s] needs range", p->name);
		if (l->local_address != 0 &&
		    ranges_contain(p->range, p->range_count, l->local_address))
			return ini_error(err, errlen, file, line,
			    "[pool %s] contains the [lns] local-address",
			    p->name);
		for (unsigned r = 0; r < p->range_count; r++) {
			if (p->range[r].first == 0)
				return ini_error(err, errlen, file, line,
				    "[pool %s]: 0.0.0.0 is no address to give",
				    p->name);
			for (unsigned k = 0; k < l->pool_count; k++)
				if (ranges_overlap(&p->range[r], &l->pool[k]))
					return ini_error(err, errlen, file,
					    line > lns_pool_line ?
						line :
						lns_pool_line,
					    "[pool %s] overlaps [lns] pool",
					    p->name);
			for (unsigned j = 0; j < i; j++) {
				const struct cfg_pool *q = &cfg->pools[j];

				for (unsigned k = 0; k < q->range_count; k++)
					if (ranges_overlap(&p->range[r],
						&q->range[k]))
						return ini_error(err, errlen,
						    file, line,
						    "[pool %s] overlaps "
						    "[pool %s]",
						    p->name, q->name);
			}
		}
	}
	return 0;
}

/* "a, b": each name a [pool]; at most CFG_MAX_LIST. */
static int
peer_pools(const struct vpdn_config *cfg, struct cfg_peer *p, int line,
    const char *file, char *err, size_t errlen)
{
	char buf[CFG_MAX_STR], *save = NULL;

	strlcpy(buf, p->pool_names, sizeof(buf));
	p->pool_count = 0;
	for (char *w = strtok_r(buf, ", \t", &save); w != NULL;
	     w = strtok_r(NULL, ", \t", &save)) {
		int i = config_pool_find(cfg, w);

		if (i < 0)
			return ini_error(err, errlen, file, line,
			    "[peer %s]: no [pool %s]", p->name, w);
		if (p->pool_count == CFG_MAX_LIST)
			return ini_error(err, errlen, file, line,
			    "[peer %s]: more than %d pools", p->name,
			    CFG_MAX_LIST);
		p->pools[p->pool_count++] = (unsigned)i;
	}
	return 0;
}

int
policy_peer_complete(struct vpdn_config *cfg, struct cfg_peer *p,
    const struct policy_peer_given *given, const char *file, char *err,
    size_t errlen)
{
	const struct cfg_lns *l = &cfg->lns;

	if (!l->enabled)
		return ini_error(err, errlen, file, p->line,
		    "[peer %s] needs an [lns] section", p->name);
	if (p->hostname[0] == '\0' && p->source_count == 0)
		return ini_error(err, errlen, file, p->line,
		    "[peer %s] needs hostname or source", p->name);
	if (!given->tunnel_secret)
		p->tunnel_secret = l->tunnel_secret;
	if (!given->hide_avps)
		p->hide_avps = l->hide_avps;
	if (!given->auth)
		p->auth = l->auth;
	if (!given->accept_proxy_auth)
		p->accept_proxy_auth = l->accept_proxy_auth;
	if (!given->lcp_reneg)
		p->lcp_renegotiation = l->lcp_renegotiation;
	if (!given->hello_interval)
		p->hello_interval = cfg->global.hello_interval;
	if (!given->max_sessions_per_user)
		p->max_sessions_per_user = l->max_sessions_per_user;
	/* RFC 2661 §4.3: hiding needs the shared secret. */
	if (p->hide_avps && p->tunnel_secret.len == 0)
		return ini_error(err, errlen, file,
		    given->hide_line != 0 ? given->hide_line : p->line,
		    "[peer %s]: hide-avps = yes needs tunnel-secret", p->name);
	return peer_pools(cfg, p, given->pool_line, file, err, errlen);
}
