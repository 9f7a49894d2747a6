/*
 * lac_lns.c — which LNS a LAC call goes to, and the LNSes that failed.
 *
 * Candidates: a call's targets are its RADIUS reply's tunnels (RFC 2868,
 * lowest Tunnel-Preference first) or its realm's `lns` list.  A realm's
 * list has no preferences of its own: with `lns-selection = ordered` the
 * list order is the preference (the first LNS first), with `balanced`
 * every entry has the same preference (one group).  RADIUS tunnels keep
 * their Tunnel-Preference either way: RFC 2868 §3.8 lets equal values
 * share the load, so `balanced` spreads over the best (lowest) group.
 *
 *   ordered   the first candidate in order that is not held down.  A
 *             realm's list is walked from the LNS that last worked
 *             (lac_realm.next_lns, kept across reloads), so after a
 *             failover the backup keeps the calls and the first LNS,
 *             once its hold-down ended, gets calls again only when the
 *             backup fails (no flapping back and forth); RADIUS tunnels
 *             are walked from the most preferred every time.
 *   balanced  among the not-held-down candidates of the best preference
 *             group, the LNS with the fewest sessions (calls in the LAC's
 *             tunnels to it), ties at random.
 *
 * Hold-down: an LNS that did not set up a tunnel (no answer to SCCRQ
 * within the retransmission schedule, StopCCN), whose established tunnel
 * was lost (timeout, StopCCN), or that refused a call for its own trouble
 * (lac_cdn_is_lns_trouble) is skipped by every call for `lns-holddown`
 * seconds, then tried again.  When every untried candidate of a call is
 * held down, the call still tries one — the one whose hold-down ends
 * first (it failed least recently) — rather than failing without asking:
 * a realm with one LNS keeps working after a blip, and an LNS back from
 * the dead is found by the next user.  Each call tries each candidate at
 * most once.
 *
 * The LNSes are kept by address (lac->lnses) from their first dial, for
 * `vpdnctl show lns` and the metrics; an idle entry (no tunnel, not held
 * down) is dropped when there are more than LAC_LNS_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/random.h"
#include "roles/lac_priv.h"

#define LAC_LNS_MAX 1024 /* entries kept when idle */

static struct lac_lns *
lns_find(struct lac *lac, const struct l2tp_addr *a)
{
	struct lac_lns *n;

	LIST_FOREACH(n, &lac->lnses, entry)
	if (l2tp_addr_equal(&n->addr, a))
		return n;
	return NULL;
}

/* Calls and tunnels the LAC has to the LNS at a (tunnels still in use:
 * not closing). */
static void
lns_count(const struct lac *lac, const struct l2tp_addr *a, unsigned *calls,
    unsigned *tunnels)
{
	const struct lac_tunnel *lt;

	*calls = *tunnels = 0;
	LIST_FOREACH(lt, &lac->tunnels, entry)
	if (!lt->closing && lt->t != NULL && l2tp_addr_equal(&lt->peer, a)) {
		*calls += lt->ncalls;
		(*tunnels)++;
	}
}

static bool
lns_held(const struct lac_lns *n, uint64_t now)
{
	return n != NULL && n->held_until > now;
}

/* Makes room for one more entry: drops idle ones (no tunnel, not held
 * down) while there are LAC_LNS_MAX or more. */
static void
lns_prune(struct lac *lac, uint64_t now)
{
	struct lac_lns *n, *nn;
	unsigned calls, tunnels;

	LIST_FOREACH_SAFE(n, &lac->lnses, entry, nn)
	{
		if (lac->nlns < LAC_LNS_MAX)
			return;
		lns_count(lac, &n->addr, &calls, &tunnels);
		if (tunnels > 0 || lns_held(n, now))
			continue;
		LIST_REMOVE(n, entry);
		lac->nlns--;
		free(n);
	}
}

static struct lac_lns *
lns_get(struct lac *lac, const struct l2tp_addr *a, uint64_t now)
{
	struct lac_lns *n = lns_find(lac, a);

	if (n != NULL)
		return n;
	/* before the new entry is in the list: it is not a candidate */
	lns_prune(lac, now);
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->addr = *a;
	LIST_INSERT_HEAD(&lac->lnses, n, entry);
	lac->nlns++;
	return n;
}

void
lac_lns_used(struct lac *lac, const struct l2tp_addr *a, const char *label,
    uint64_t now)
{
	struct lac_lns *n = lns_get(lac, a, now);
	size_t ll = strlen(label);
	const char *p;

	if (n == NULL)
		return;
	/* the label list is a set: add label unless it is there already */
	for (p = n->realms; (p = strstr(p, label)) != NULL; p += ll)
		if ((p == n->realms || p[-1] == ',') &&
		    (p[ll] == '\0' || p[ll] == ','))
			return;
	if (n->realms[0] != '\0')
		strlcat(n->realms, ",", sizeof(n->realms));
	strlcat(n->realms, label, sizeof(n->realms));
}

void
lac_lns_failed(struct lac *lac, const struct l2tp_addr *a, const char *why,
    uint64_t now)
{
	struct lac_lns *n = lns_get(lac, a, now);
	unsigned hold = lac->cfg.lns_holddown;
	char buf[64];

	if (n == NULL)
		return;
	n->failures++;
	n->failed_at = now;
	strlcpy(n->why, why, sizeof(n->why));
	if (hold == 0)
		return;
	n->held_until = now + hold * 1000ull;
	log_warnx("lac: LNS %s %s; held down for %u s",
	    l2tp_addr_str(a, buf, sizeof(buf)), why, hold);
}

bool
lac_cdn_is_lns_trouble(uint16_t result, uint16_t error)
{
	/* RFC 2661 §4.4.2 CDN Result Codes: 4 and 5, "lack of appropriate
	 * facilities" (temporary or permanent), are the LNS's own state;
	 * 2 "general error" is when its Error Code says so: 1 no control
	 * connection, 4 insufficient resources, 6 vendor-specific error,
	 * 7 try another LNS.  Anything else (1 loss of carrier, 3
	 * administrative, 6 invalid destination, the dial-out codes 7-11)
	 * is an answer about this call or this user, not the LNS. */
	switch (result) {
	case L2TP_CDN_NO_RESOURCES:
	case L2TP_CDN_NO_RESOURCES_PERM:
		return true;
	case L2TP_CDN_ERROR:
		return error == L2TP_ERR_NO_CONTROL_CONNECTION ||
		    error == L2TP_ERR_NO_RESOURCES ||
		    error == L2TP_ERR_VENDOR || error == L2TP_ERR_TRY_ANOTHER;
	default:
		return false;
	}
}

static enum cfg_lns_selection
call_selection(const struct lac_call *c)
{
	if (c->realm != NULL &&
	    c->realm->cfg.lns_selection != CFG_LNS_SEL_INHERIT)
		return c->realm->cfg.lns_selection;
	return c->lac->cfg.lns_selection;
}

unsigned
lac_call_tunnel_limit(const struct lac_call *c)
{
	if (c->realm != NULL && c->realm->cfg.max_sessions_per_tunnel > 0)
		return c->realm->cfg.max_sessions_per_tunnel;
	return c->lac->cfg.max_sessions_per_tunnel;
}

/* One candidate as the choice sees it. */
struct cand {
	bool ok; /* resolved, untried */
	struct l2tp_addr addr;
	uint32_t pref;
	uint64_t held_until; /* 0: not held down */
	unsigned sessions;
};

/* Resolves target i of c into k (k->ok false when it cannot be used:
 * marked tried so that it is not looked at again). */
static void
cand_fill(struct lac_call *c, unsigned i, bool balanced, uint64_t now,
    struct cand *k)
{
	struct lac *lac = c->lac;
	int family = lac->roles->io.family;
	struct lac_target tg;
	struct lac_lns *n;
	unsigned tunnels;
	char err[CFG_MAX_STR + 64];

	memset(k, 0, sizeof(*k));
	if (c->tried & (1u << i))
		return;
	lac_call_target(c, i, &tg);
	/* RFC 2868 §3.2 medium IPv6: reachable only from an IPv6 socket
	 * ([global] listen = [::]:1701, which is dual-stack). */
	if (tg.ipv6 && family != AF_INET6) {
		log_warnx("lac: LNS %s is IPv6 but [global] listen is IPv4; "
			  "skipped",
		    tg.hp->host);
		c->tried |= 1u << i;
		c->lns_tries++;
		return;
	}
	if (RIO(lac->roles, resolve, family, tg.hp, &k->addr, err,
		sizeof(err)) != 0) {
		log_warnx("lac: %s", err);
		c->tried |= 1u << i;
		c->lns_tries++;
		return;
	}
	k->ok = true;
	/* a realm's list: its order under ordered, one group balanced */
	k->pref = c->ndests > 0 ? tg.preference : balanced ? 0 : i;
	n = lns_find(lac, &k->addr);
	if (lns_held(n, now))
		k->held_until = n->held_until;
	lns_count(lac, &k->addr, &k->sessions, &tunnels);
}

int
lac_call_select(struct lac_call *c, uint64_t now, struct l2tp_addr *peer)
{
	unsigned n = lac_call_ntargets(c);
	bool balanced = call_selection(c) == CFG_LNS_SEL_BALANCED;
	struct cand k[32];
	unsigned start = 0, ties = 0;
	int best = -1;

	if (n > 32)
		n = 32;
	memset(k, 0, sizeof(k));
	for (unsigned i = 0; i < n; i++)
		cand_fill(c, i, balanced, now, &k[i]);
	/* ordered: a realm starts with the LNS that last worked */
	if (!balanced && c->ndests == 0 && c->realm->next_lns < n)
		start = c->realm->next_lns;
	for (unsigned j = 0; j < n && !balanced; j++) {
		unsigned i = (start + j) % n;

		if (k[i].ok && k[i].held_until == 0) {
			best = (int)i;
			break;
		}
	}
	for (unsigned i = 0; i < n && balanced; i++) {
		if (!k[i].ok || k[i].held_until != 0)
			continue;
		if (best < 0 || k[i].pref < k[best].pref ||
		    (k[i].pref == k[best].pref &&
			k[i].sessions < k[best].sessions)) {
			best = (int)i;
			ties = 1;
		} else if (k[i].pref == k[best].pref &&
		    k[i].sessions == k[best].sessions &&
		    random_u32() % ++ties == 0) {
			best = (int)i; /* uniform among the ties */
		}
	}
	if (best < 0) {
		/* every candidate left is held down: the one whose
		 * hold-down ends first (the least recently failed) */
		for (unsigned i = 0; i < n; i++)
			if (k[i].ok &&
			    (best < 0 ||
				k[i].held_until < k[(unsigned)best].held_until))
				best = (int)i;
		if (best < 0)
			return -1;
		log_info("lac: \"%s\": every LNS left is held down; trying "
			 "the one that failed least recently",
		    c->user);
	}
	c->tried |= 1u << (unsigned)best;
	c->lns_tries++;
	*peer = k[best].addr;
	return best;
}

void
lac_lns_free_all(struct lac *lac)
{
	struct lac_lns *n;

	while ((n = LIST_FIRST(&lac->lnses)) != NULL) {
		LIST_REMOVE(n, entry);
		free(n);
	}
	lac->nlns = 0;
}

bool
roles_foreach_lns(struct roles *r, uint64_t now,
    void (*fn)(const struct roles_lns_view *v, void *arg), void *arg)
{
	struct lac *lac = r->lac;
	const struct lac_lns *n;

	if (lac == NULL)
		return false;
	LIST_FOREACH(n, &lac->lnses, entry)
	{
		struct roles_lns_view v;
		int64_t wall = r->io.ops->wall_time(r->io.ctx);

		memset(&v, 0, sizeof(v));
		l2tp_addr_str(&n->addr, v.address, sizeof(v.address));
		v.realms = n->realms;
		v.held = lns_held(n, now);
		if (v.held) {
			v.held_for_s = (n->held_until - now + 999) / 1000;
			v.held_until = wall + (int64_t)v.held_for_s;
		}
		lns_count(lac, &n->addr, &v.sessions, &v.tunnels);
		v.failures = n->failures;
		v.last_failure = n->why;
		fn(&v, arg);
	}
	return true;
}
