/*
 * lns_peer.c — the LNS's operator policy (lns_peer.h): peers at SCCRQ and
 * ICRQ time, pool choice and per-user limits at address time.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bsd/string.h>

#include "core/log.h"
#include "l2tp/l2tp_proto.h"
#include "radius/radius_auth.h"
#include "roles/lns_peer.h"
#include "roles/lns_pools.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

static bool
prefix_has(const struct cfg_ip4_prefix *p, uint32_t a)
{
	uint32_t mask = p->plen == 0 ? 0 : 0xffffffffu << (32 - p->plen);

	return (a & mask) == p->addr;
}

static bool
peer_source_matches(const struct cfg_peer *p, const struct l2tp_addr *addr)
{
	uint32_t a;

	if (p->source_count == 0)
		return true;
	if (addr == NULL || addr->ss.ss_family != AF_INET)
		return false;
	a = ntohl(((const struct sockaddr_in *)&addr->ss)->sin_addr.s_addr);
	for (unsigned i = 0; i < p->source_count; i++)
		if (prefix_has(&p->source[i], a))
			return true;
	return false;
}

const struct cfg_peer *
lns_peer_match(const struct vpdn_config *cfg, const char *host_name,
    const struct l2tp_addr *addr)
{
	for (unsigned i = 0; i < cfg->peer_count; i++) {
		const struct cfg_peer *p = &cfg->peers[i];

		/* Host names are case-insensitive (RFC 4343). */
		if (p->hostname[0] != '\0' &&
		    (host_name == NULL ||
			strcasecmp(p->hostname, host_name) != 0))
			continue;
		if (!peer_source_matches(p, addr))
			continue;
		return p;
	}
	return NULL;
}

const struct cfg_peer *
lns_peer_find(const struct vpdn_config *cfg, const char *name)
{
	if (name == NULL || name[0] == '\0')
		return NULL;
	for (unsigned i = 0; i < cfg->peer_count; i++)
		if (strcmp(cfg->peers[i].name, name) == 0)
			return &cfg->peers[i];
	return NULL;
}

struct usage_walk {
	const char *name;
	unsigned tunnels, sessions;
};

static void
usage_tunnel(struct l2tp_tunnel *t, void *arg)
{
	struct usage_walk *w = arg;
	struct l2tp_tunnel_info ti;

	l2tp_tunnel_get_info(t, &ti);
	if (ti.role != L2TP_ROLE_LNS || strcmp(ti.peer_entry, w->name) != 0)
		return;
	/* A tunnel on its way out no longer counts against its peer. */
	if (ti.state == L2TP_TUNNEL_CLOSING)
		return;
	w->tunnels++;
	w->sessions += ti.sessions;
}

void
lns_peer_usage(struct roles *r, const char *name, unsigned *tunnels,
    unsigned *sessions)
{
	struct usage_walk w = { name, 0, 0 };

	if (r->host != NULL)
		l2tp_host_foreach_tunnel(r->host, usage_tunnel, &w);
	*tunnels = w.tunnels;
	*sessions = w.sessions;
}

void
lns_tunnel_accept(struct roles *r, struct l2tp_accept *a, uint64_t now)
{
	const struct vpdn_config *cfg = r->cfg;
	const struct cfg_peer *p;
	char addr[80];
	unsigned tunnels, sessions;

	(void)now;
	if (!cfg->lns.enabled)
		return;
	p = lns_peer_match(cfg, a->host_name, a->peer);
	if (p == NULL) {
		if (cfg->lns.unknown_peers != CFG_UNKNOWN_PEERS_REFUSE)
			return; /* the [lns] keys, as the host preset them */
		/* RFC 2661 §4.4.2 StopCCN result 4: "requester is not
		 * authorized to establish a control channel". */
		r->lns.policy.unknown_peer_refused++;
		a->refuse_result = L2TP_STOPCCN_NOT_AUTHORIZED;
		a->refuse_error = L2TP_ERR_NONE;
		strlcpy(a->reason, "unknown peer", sizeof(a->reason));
		LOG_RL(LOG_LEVEL_WARN,
		    "lns: SCCRQ from %s (host name \"%s\") refused: it "
		    "matches no [peer] and unknown-peers = refuse",
		    l2tp_addr_str(a->peer, addr, sizeof(addr)),
		    a->host_name[0] ? a->host_name : "(none)");
		return;
	}
	lns_peer_usage(r, p->name, &tunnels, &sessions);
	if (p->max_tunnels != 0 && tunnels >= p->max_tunnels) {
		/* §4.4.2: result 2 (general error), error 4 (insufficient
		 * resources), as for the host-wide max-tunnels. */
		r->lns.policy.peer_tunnels_refused++;
		a->refuse_result = L2TP_STOPCCN_ERROR;
		a->refuse_error = L2TP_ERR_NO_RESOURCES;
		strlcpy(a->reason, "peer tunnel limit reached",
		    sizeof(a->reason));
		LOG_RL(LOG_LEVEL_WARN,
		    "lns: SCCRQ from %s refused: peer %s has %u tunnels, "
		    "max-tunnels %u",
		    l2tp_addr_str(a->peer, addr, sizeof(addr)), p->name,
		    tunnels, p->max_tunnels);
		return;
	}
	a->secret = p->tunnel_secret.data;
	a->secret_len = p->tunnel_secret.len;
	a->hide_avps = p->hide_avps && p->tunnel_secret.len > 0;
	a->hello_interval_ms = p->hello_interval * 1000;
	strlcpy(a->label, p->name, sizeof(a->label));
	log_info("lns: SCCRQ from %s (host name \"%s\"): peer %s",
	    l2tp_addr_str(a->peer, addr, sizeof(addr)),
	    a->host_name[0] ? a->host_name : "(none)", p->name);
}

const struct cfg_peer *
lns_peer_of(struct roles *r, struct l2tp_session *s)
{
	struct l2tp_tunnel_info ti;

	if (s == NULL)
		return NULL;
	l2tp_tunnel_get_info(l2tp_session_tunnel(s), &ti);
	return lns_peer_find(r->cfg, ti.peer_entry);
}

int
lns_peer_admit_call(struct roles *r, struct l2tp_session *s)
{
	const struct cfg_peer *p = lns_peer_of(r, s);
	unsigned tunnels, sessions;

	if (p == NULL || p->max_sessions == 0)
		return 0;
	lns_peer_usage(r, p->name, &tunnels, &sessions);
	/* The call asking is counted already (its tunnel holds it). */
	if (sessions <= p->max_sessions)
		return 0;
	r->lns.policy.peer_sessions_refused++;
	LOG_RL(LOG_LEVEL_WARN,
	    "lns: call refused: peer %s has %u sessions, max-sessions %u",
	    p->name, sessions - 1, p->max_sessions);
	/* RFC 2661 §4.4.2 CDN result 4: temporary lack of resources. */
	return L2TP_CDN_NO_RESOURCES;
}

/* ---- per-user limits ---- */

/* The user's other sessions that hold an address: how many, the first
 * cap of them in found. */
static unsigned
user_sessions(struct roles *r, const char *user, struct session_link *self,
    struct session_link **found, unsigned cap)
{
	struct session_link *sl;
	unsigned n = 0;

	LIST_FOREACH(sl, &r->links, entry)
	{
		if (sl == self || sl->ended || !lns_owns(sl) ||
		    sl->peer_addr == 0 ||
		    strcmp(ppp_link_user(sl->link), user) != 0)
			continue;
		if (n < cap)
			found[n] = sl;
		n++;
	}
	return n;
}

#define USER_MAX_LISTED 64

int
lns_user_admit(struct session_link *sl, const char *user,
    const struct radius_auth_reply *rep, uint64_t now)
{
	struct roles *r = sl->roles;
	const struct vpdn_config *cfg = r->cfg;
	const struct cfg_peer *p = lns_peer_of(r, sl_l2tp_session(sl));
	struct session_link *others[USER_MAX_LISTED];
	unsigned n, limit, i;
	const char *from = "max-sessions-per-user";

	limit = p != NULL ? p->max_sessions_per_user :
			    cfg->lns.max_sessions_per_user;
	/* RFC 2865 §5.42: the most ports the NAS may give this user; the
	 * smaller of it and ours holds. */
	if (rep != NULL && rep->port_limit != 0 &&
	    (limit == 0 || rep->port_limit < limit)) {
		limit = rep->port_limit;
		from = "Port-Limit";
	}
	/* Nothing to enforce: no walk over every session (a mass redial
	 * after an outage would make it quadratic). */
	if (limit == 0 && cfg->lns.duplicate_login == CFG_DUPLICATE_LOGIN_ALLOW)
		return 0;
	n = user_sessions(r, user, sl, others, USER_MAX_LISTED);
	if (n == 0)
		return 0;
	if (cfg->lns.duplicate_login == CFG_DUPLICATE_LOGIN_REFUSE) {
		r->lns.policy.duplicate_refused++;
		log_warnx("lns: user %s: already online (%u session%s): "
			  "refused (duplicate-login = refuse)",
		    user, n, n == 1 ? "" : "s");
		return -1;
	}
	if (cfg->lns.duplicate_login == CFG_DUPLICATE_LOGIN_REPLACE) {
		/* The newest login wins: a user whose router rebooted is
		 * back at once, not when the old session's echo times out.
		 * CDN result 3 (administrative, RFC 2661 §4.4.2) and
		 * Acct-Terminate-Cause Admin-Reset (RFC 2866 §5.10). */
		for (i = 0; i < n && i < USER_MAX_LISTED; i++) {
			struct l2tp_session *s = sl_l2tp_session(others[i]);

			r->lns.policy.duplicate_replaced++;
			log_info("lns: user %s: logged in again; ending the "
				 "older session (duplicate-login = replace)",
			    user);
			lns_set_cause(others[i], AAA_CAUSE_ADMIN_RESET);
			if (s != NULL)
				l2tp_session_close(s, L2TP_CDN_ADMIN, 0,
				    "duplicate login replaced", now);
			else
				sl_close(others[i], "duplicate login replaced",
				    now);
		}
		return 0;
	}
	if (limit == 0 || n < limit)
		return 0;
	r->lns.policy.user_limit_refused++;
	log_warnx("lns: user %s: %u session%s online, %s %u: refused", user, n,
	    n == 1 ? "" : "s", from, limit);
	return -1;
}

/* ---- pools ---- */

/* An address from p into *addr; false (counted) when p is exhausted. */
static bool
pool_try(struct lns_pool *p, uint32_t *addr)
{
	*addr = ippool_alloc(&p->ip);
	if (*addr != 0)
		return true;
	p->exhausted++;
	return false;
}

struct lns_pool *
lns_pool_choose(struct session_link *sl, const char *user,
    const struct radius_auth_reply *rep, uint32_t *addr)
{
	struct roles *r = sl->roles;
	struct lns_pools *ps = &r->lns.pools;
	const struct cfg_peer *p = lns_peer_of(r, sl_l2tp_session(sl));
	struct lns_pool *pool;

	*addr = 0;
	/* RFC 2869 §5.18 Framed-Pool: the server's choice comes first; its
	 * pool being full fails this user, not another pool's users. */
	if (rep != NULL && rep->framed_pool[0] != '\0') {
		pool = lns_pools_find(ps, rep->framed_pool);
		if (pool != NULL) {
			if (pool_try(pool, addr))
				return pool;
			r->lns.addr_refused++;
			log_warnx("lns: user %s: pool %s (Framed-Pool) "
				  "exhausted (%u in use): refusing the session",
			    user, pool->name, ippool_used(&pool->ip));
			return NULL;
		}
		/* A server that serves several NASes may name a pool only
		 * another NAS has: this one's choice then applies. */
		log_warnx("lns: user %s: Framed-Pool \"%s\" is no [pool] "
			  "here: choosing as without it",
		    user, rep->framed_pool);
	}
	if (p != NULL && p->pool_count > 0) {
		const char *last = "";

		for (unsigned i = 0; i < p->pool_count; i++) {
			const char *name = r->cfg->pools[p->pools[i]].name;

			if ((pool = lns_pools_find(ps, name)) == NULL)
				continue;
			if (pool_try(pool, addr))
				return pool;
			last = name;
		}
		r->lns.addr_refused++;
		log_warnx("lns: user %s: peer %s's pools exhausted (last "
			  "tried %s): refusing the session",
		    user, p->name, last);
		return NULL;
	}
	/* No pools at all: an [lns] a reload added to a daemon that started
	 * without one (it takes effect at the next restart). */
	if (ps->n == 0) {
		r->lns.addr_refused++;
		return NULL;
	}
	pool = ps->v[0].p;
	if (!pool_try(pool, addr)) {
		r->lns.addr_refused++;
		log_warnx("lns: user %s: address pool exhausted (%u in use): "
			  "refusing the session",
		    user, ippool_used(&pool->ip));
		return NULL;
	}
	return pool;
}
