/*
 * policy.h — the checks of the LNS operator policy sections, [pool NAME]
 * and [peer NAME] (docs/INTERFACE.md, vpdn.conf(5)), run by config_load()
 * once the whole file is parsed, because a peer names pools and takes the
 * [lns] values of the keys it does not give.
 */
#ifndef VPDN_CONFIG_POLICY_H
#define VPDN_CONFIG_POLICY_H

#include <stdbool.h>

#include "config/config.h"

/* Which inheritable keys a [peer] section gave (the rest come from [lns]),
 * and the lines errors name. */
struct policy_peer_given {
	bool tunnel_secret, hide_avps, auth, accept_proxy_auth, lcp_reneg,
	    hello_interval, max_sessions_per_user;
	int pool_line, hide_line; /* 0: not given */
};

/* Completes p from [lns]/[global], resolves its pool names and checks it;
 * 0, or -1 with "FILE:LINE: message" in err. */
int policy_peer_complete(struct vpdn_config *cfg, struct cfg_peer *p,
    const struct policy_peer_given *given, const char *file, char *err,
    size_t errlen);

/* No two pools (the [lns] pool included) share an address, the [lns]
 * local-address lies in none, no [pool] is empty or called "default".
 * lns_pool_line: the line of [lns] pool (0: not given). */
int policy_pools_check(const struct vpdn_config *cfg, const char *file,
    const int *pool_lines, int lns_pool_line, char *err, size_t errlen);

/* The index of [pool name] in cfg->pools, or -1. */
int config_pool_find(const struct vpdn_config *cfg, const char *name);

#endif
