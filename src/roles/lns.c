/*
 * lns.c — the LNS role: PPP server per incoming call, one TUN for all.
 *
 * The l2tp_host answers SCCRQs itself (accept_tunnels).  For each call that
 * connects (ICCN), a PPP server link (LCP, authentication against the users
 * file, IPCP with an address from the pool or the user's fixed address) runs
 * over the session (session_link.c).  Once IPCP is up, the user's /32 route
 * points into the one TUN device `interface`, and:
 *   TUN -> session: by destination address (addrmap, O(1));
 *   session -> TUN: only if the source is the address that session was given
 *                   (anti-spoofing; drops counted and rate-limit logged).
 * The address goes back to the pool on every way a session ends
 * (sl_role_ops.ended runs exactly once per binding).
 *
 * With `radius = yes` the users are checked by RADIUS (radius_auth.h) and
 * the Access-Accept's attributes apply to the session: Framed-IP-Address,
 * Framed-Route (routed into the TUN and through this session, and accepted
 * as source addresses from it), Session-Timeout, Idle-Timeout, Acct-Interim-
 * Interval and Class; each session is accounted (aaa.h) from IPCP up to its
 * end, with the cause of that end.  Per-session state is a struct lns_sess,
 * the session_link's owner.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "config/users.h"
#include "core/log.h"
#include "ppp/ppp_proto.h"
#include "radius/radius_auth.h"
#include "radius/radius_dae.h"
#include "roles/lns_access_line.h"
#include "roles/aaa.h"
#include "roles/lns_ipv6.h"
#include "roles/lns_peer.h"
#include "roles/lns_acct_start.h"
#include "roles/lns_pools.h"
#include "roles/lns_rate.h"
#include "core/timeutil.h"
#include "roles/roles_priv.h"
#include "roles/roles_util.h"
#include "roles/session_link.h"

#define LNS_TUN_BATCH	 64
#define LNS_TUN_BUF	 2048
/* In front of each packet read from the TUN: room for the PPP and L2TP
 * headers, so the datagram is built in place (sl_send_ip). */
#define LNS_TUN_HEADROOM 16
_Static_assert(LNS_TUN_HEADROOM >= SL_HEADROOM, "TUN headroom");

static const char *
ip4_str(uint32_t a, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = htonl(a) };

	return inet_ntop(AF_INET, &in, buf, (socklen_t)len);
}

/* ---- per-session state ---- */

static const struct sl_role_ops lns_sl_ops;

/* A session's share of the kernel fast path (see below). */
struct lns_fp {
	/* What was put into the maps, to update and take it out. */
	struct fastpath_session s;
	/* What earlier stints in the path carried (before an LCP
	 * renegotiation): the L2TP session's counters go on across it, and
	 * so does what show sessions and /metrics add to them. */
	struct fastpath_counters done;
	/* The counters the last poll saw (Idle-Timeout) and when the next
	 * poll is due. */
	uint64_t seen_packets;
	uint64_t next_poll;
};

struct lns_sess {
	struct session_link *sl;
	struct aaa_session acct;
	struct aaa_counters ctr;
	struct heap_node timer; /* in lns->timers */
	enum aaa_cause cause;	/* set when we end it */
	uint64_t session_end;	/* Session-Timeout; 0 none */
	uint64_t idle_ms;	/* Idle-Timeout; 0 none */
	uint64_t last_activity;
	uint64_t interim_ms, next_interim;
	struct {
		uint32_t addr;
		unsigned plen;
	} routes[RADIUS_AUTH_MAX_ROUTES];
	unsigned nroutes;
	bool routes_added;
	/* The pool holding sl->peer_addr (allocated, or a fixed address the
	 * pool contains), NULL none: released to it when the session ends,
	 * whatever reloads did to its ranges meanwhile (ippool orphans,
	 * lns_pools.h). */
	struct lns_pool *pool;
	unsigned mtu; /* Framed-MTU for its route; 0 none */
	/* In the kernel fast path now; fp is allocated when the session
	 * first enters it (most sessions of a user-path LNS never do) and
	 * kept until the session ends. */
	bool fp_in;
	struct lns_fp *fp;
	/* When accounting Start goes out (lns_acct_start.h). */
	struct lns_acct_gate gate;
	/* IPCP failed and its address went back to the pool. */
	bool v4_released;
	/* IPv6CP and what it brings (lns_ipv6.c); NULL without IPv6. */
	struct lns6_sess *v6;
	/* Its rate plan and the user path's buckets (lns_rate.h); NULL
	 * until a plan is first applied, so that the many sessions without
	 * one do not each carry the buckets (lns_sess_rate() reads). */
	struct lns_rate *rate;
	/* The access line the LAC reported in the ICRQ (RFC 5515); NULL:
	 * none.  For RADIUS (RFC 4679 attributes) and show sessions. */
	struct lns_al *al;
};

size_t
lns_session_footprint(void)
{
	return sizeof(struct lns_sess);
}

/* A session's rate plan for reading: "none" when it never had one. */
static const struct lns_rate *
lns_sess_rate(const struct lns_sess *ls)
{
	static const struct lns_rate none;

	return ls->rate != NULL ? ls->rate : &none;
}

static uint32_t
plen_mask(unsigned plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

/* ---- the kernel fast path (roles_io.h fp_*) ---- */

/* Polls of a fast-path session's counters while Idle-Timeout runs: the
 * kernel carries its packets without telling us, so activity is what the
 * counters say between two polls (at most this late, or a quarter of the
 * Idle-Timeout if that is shorter). */
#define LNS_FP_POLL_MS 10000

static bool
lns_fp_on(const struct roles *r)
{
	return r->io.ops->fp_session_add != NULL;
}

/*
 * What the maps need to carry sl's data: false with the reason when it
 * cannot be carried (its packets then stay on the user path, which does
 * everything below the same way).
 */
static bool
lns_fp_session(struct session_link *sl, struct lns_sess *ls,
    struct fastpath_session *fp, char *why, size_t whylen)
{
	struct roles *r = sl->roles;
	struct l2tp_session *s = sl_l2tp_session(sl);

	if (s == NULL) {
		snprintf(why, whylen, "no L2TP session");
		return false;
	}
	if (!roles_fp_from_session(s, sl->link, fp, why, whylen))
		return false;
	fp->inner_addr.s_addr = htonl(sl->peer_addr);
	/* The user path's limit: the user's route into the TUN. */
	fp->mtu = (uint16_t)(ls->mtu != 0 ? ls->mtu : r->cfg->lns.mtu);
	/* The same plan in the kernel's buckets (dataplane/bpf/policer.h). */
	{
		const struct lns_rate *rt = lns_sess_rate(ls);

		fp->police_down_bps = rt->down_bps;
		fp->police_up_bps = rt->up_bps;
		fp->police_down_burst = rt->down_burst;
		fp->police_up_burst = rt->up_burst;
	}
	/* IPv6 once its /64 is routed (lns_ipv6.c); the limit is the TUN's
	 * MTU, as the /64's route has none of its own. */
	{
		unsigned dl = 0;

		fp->ipv6 = lns6_fp_prefixes(ls->v6, fp->prefix6, fp->deleg6,
		    &dl);
		fp->deleg6_len = (uint8_t)(fp->ipv6 ? dl : 0);
		fp->mtu6 = (uint16_t)r->cfg->lns.mtu;
	}
	return true;
}

struct lns6_sess *
lns_session_v6(struct session_link *sl)
{
	struct lns_sess *ls = sl->owner;

	return ls != NULL ? ls->v6 : NULL;
}

/* The session's IPv6 entries follow IPv6CP and its prefixes. */
void
lns_fp_ipv6_changed(struct session_link *sl)
{
	struct lns_sess *ls = sl->owner;
	struct fastpath_session cur;
	char why[256];

	if (ls == NULL || !ls->fp_in ||
	    !lns_fp_session(sl, ls, &cur, why, sizeof(why)))
		return;
	if (cur.ipv6 == ls->fp->s.ipv6 &&
	    cur.deleg6_len == ls->fp->s.deleg6_len &&
	    memcmp(cur.prefix6, ls->fp->s.prefix6, sizeof(cur.prefix6)) == 0 &&
	    memcmp(cur.deleg6, ls->fp->s.deleg6, sizeof(cur.deleg6)) == 0)
		return;
	if (RIO(sl->roles, fp_session_update, &cur, why, sizeof(why)) < 0) {
		log_warnx("lns: user %s: %s", ppp_link_user(sl->link), why);
		return;
	}
	ls->fp->s = cur;
	log_info("lns: user %s: IPv6 %s the kernel fast path",
	    ppp_link_user(sl->link), cur.ipv6 ? "in" : "out of");
}

/* At IPCP up: the session's data moves into the kernel if it can. */
static void
lns_fp_enter(struct session_link *sl, struct lns_sess *ls, uint64_t now)
{
	struct roles *r = sl->roles;
	struct l2tp_session *s = sl_l2tp_session(sl);
	struct l2tp_tunnel_info ti;
	char why[256];

	if (!lns_fp_on(r) || ls->fp_in || s == NULL)
		return;
	why[0] = '\0';
	if (ls->fp == NULL && (ls->fp = calloc(1, sizeof(*ls->fp))) == NULL) {
		log_warnx("lns: user %s: out of memory: data on the user path",
		    ppp_link_user(sl->link));
		return;
	}
	if (!lns_fp_session(sl, ls, &ls->fp->s, why, sizeof(why))) {
		log_info("lns: user %s: data on the user path (%s)",
		    ppp_link_user(sl->link), why);
		return;
	}
	l2tp_tunnel_get_info(l2tp_session_tunnel(s), &ti);
	if (RIO(r, fp_session_add, &ls->fp->s, ti.local.ifindex,
		r->lns.tun.ifindex, why, sizeof(why)) < 0) {
		log_warnx("lns: user %s: data on the user path: %s",
		    ppp_link_user(sl->link), why);
		return;
	}
	ls->fp_in = true;
	ls->fp->seen_packets = 0;
	ls->fp->next_poll = now;
	log_info("lns: user %s: data in the kernel fast path",
	    ppp_link_user(sl->link));
}

/* Its counters so far; zero when it is not in the path (or they cannot
 * be read: the session's own counters still count). */
static void
lns_fp_counters(struct session_link *sl, struct lns_sess *ls,
    struct fastpath_counters *c)
{
	memset(c, 0, sizeof(*c));
	if (ls == NULL || !ls->fp_in || ls->fp == NULL ||
	    RIO(sl->roles, fp_session_stats, ls->fp->s.our_tunnel_id,
		ls->fp->s.our_session_id, c) < 0)
		memset(c, 0, sizeof(*c));
}

/* What accounting reports: the user path's counters and the kernel's. */
static void
lns_acct_counters(struct session_link *sl, struct lns_sess *ls,
    struct aaa_counters *out)
{
	struct fastpath_counters c;

	lns_fp_counters(sl, ls, &c);
	*out = ls->ctr;
	out->in_octets += c.rx_bytes;
	out->in_packets += c.rx_packets;
	out->out_octets += c.tx_bytes;
	out->out_packets += c.tx_packets;
}

/* RFC 4818: the DHCPv6-delegated prefix, once bound, goes into the
 * Interim and Stop records (it is bound after the Start). */
static void
lns_acct_delegated(struct lns_sess *ls)
{
	uint8_t p[16];
	unsigned plen;

	if (!lns6_delegated(ls->v6, p, &plen))
		return;
	memcpy(ls->acct.deleg_prefix, p, 16);
	ls->acct.deleg_prefix_len = (uint8_t)plen;
	ls->acct.has_deleg_prefix = true;
}

static void lns_sess_schedule(struct lns *l, struct lns_sess *ls);

/* Accounting Start once lns_acct_start.h says it is due (else its
 * deadline goes into the session's timer), or with force once some NCP
 * opened (the network phase ends before the wait did: a service that was
 * delivered gets its Start before its Stop).  Acct-Interim-Interval and
 * Idle-Timeout count from it. */
static void
lns_acct_start_if(struct session_link *sl, struct lns_sess *ls, uint64_t now,
    bool force)
{
	struct lns *l = &sl->roles->lns;

	if (!ls->acct.started && aaa_session_user(&ls->acct)[0] != '\0' &&
	    (lns_acct_gate_due(&ls->gate, now) ||
		(force && lns_acct_gate_deadline(&ls->gate) != TIME_NEVER))) {
		ls->last_activity = now;
		if (ls->interim_ms == 0 && sl->roles->cfg->radius.enabled)
			ls->interim_ms =
			    (uint64_t)sl->roles->cfg->radius.interim_interval *
			    1000;
		ls->next_interim = now + ls->interim_ms;
		lns_acct_delegated(ls);
		/* RFC 2866 §4.1: Start once the service is delivered. */
		aaa_session_start(sl->roles->aaa, &ls->acct, now);
		l->acct_live++;
	}
	lns_sess_schedule(l, ls);
}

static void
lns_acct_try_start(struct session_link *sl, struct lns_sess *ls, uint64_t now)
{
	lns_acct_start_if(sl, ls, now, false);
}

/* A prefix DHCPv6 delegated after the Start (RFC 4818 §3 puts it in
 * Accounting-Requests): an Interim-Update reports it now rather than at
 * the next interval, which may be never. */
void
lns_acct_delegated_bound(struct session_link *sl, const uint8_t prefix[16],
    unsigned plen)
{
	struct lns_sess *ls = lns_owns(sl) ? sl->owner : NULL;
	struct aaa_counters ctr;

	if (ls == NULL || !ls->acct.started ||
	    (ls->acct.has_deleg_prefix && ls->acct.deleg_prefix_len == plen &&
		memcmp(ls->acct.deleg_prefix, prefix, 16) == 0))
		return;
	memcpy(ls->acct.deleg_prefix, prefix, 16);
	ls->acct.deleg_prefix_len = (uint8_t)plen;
	ls->acct.has_deleg_prefix = true;
	lns_acct_counters(sl, ls, &ctr);
	aaa_session_interim(sl->roles->aaa, &ls->acct, &ctr, sl->roles->now);
}

/*
 * Out of the maps, before anything of the session is released or freed:
 * from here no packet of it is handled in the kernel (a late one goes to
 * the user path, which drops what it no longer knows).  Its final counters
 * join the user path's for the accounting Stop.
 */
static void
lns_fp_leave(struct session_link *sl, struct lns_sess *ls)
{
	struct fastpath_counters c;
	char why[256];

	if (ls == NULL || !ls->fp_in)
		return;
	ls->fp_in = false;
	memset(&c, 0, sizeof(c));
	if (RIO(sl->roles, fp_session_remove, &ls->fp->s, &c, why,
		sizeof(why)) < 0) {
		log_warnx("lns: user %s: %s", ppp_link_user(sl->link), why);
		return;
	}
	ls->ctr.in_octets += c.rx_bytes;
	ls->ctr.in_packets += c.rx_packets;
	ls->ctr.out_octets += c.tx_bytes;
	ls->ctr.out_packets += c.tx_packets;
	ls->fp->done.rx_packets += c.rx_packets;
	ls->fp->done.rx_bytes += c.rx_bytes;
	ls->fp->done.tx_packets += c.tx_packets;
	ls->fp->done.tx_bytes += c.tx_bytes;
	ls->fp->done.police_up_drop_packets += c.police_up_drop_packets;
	ls->fp->done.police_up_drop_bytes += c.police_up_drop_bytes;
	ls->fp->done.police_down_drop_packets += c.police_down_drop_packets;
	ls->fp->done.police_down_drop_bytes += c.police_down_drop_bytes;
}

/*
 * Puts choice into force on a live session (ls) from now: the user path's
 * buckets and, when the kernel carries it, the kernel's.  Logged with
 * its source.
 */
static void
lns_rate_set(struct session_link *sl, struct lns_sess *ls,
    const struct lns_rate_choice *choice, uint64_t now)
{
	struct fastpath_session cur;
	char why[256], d[24], u[24];

	if (ls->rate == NULL) {
		if (choice->plan == NULL && !choice->direct)
			return; /* none, as before */
		if ((ls->rate = calloc(1, sizeof(*ls->rate))) == NULL) {
			log_warnx("lns: user %s: out of memory: rate plan not "
				  "applied",
			    ppp_link_user(sl->link));
			return;
		}
	}
	lns_rate_apply(ls->rate, choice, now);
	if (lns_rate_limited(ls->rate))
		log_info("lns: user %s: rate plan %s (%s): down %s up %s bit/s",
		    ppp_link_user(sl->link), ls->rate->plan,
		    lns_rate_source_str(ls->rate->source),
		    lns_rate_str(ls->rate->down_bps, d, sizeof(d)),
		    lns_rate_str(ls->rate->up_bps, u, sizeof(u)));
	if (!ls->fp_in)
		return;
	cur = ls->fp->s;
	cur.police_down_bps = ls->rate->down_bps;
	cur.police_up_bps = ls->rate->up_bps;
	cur.police_down_burst = ls->rate->down_burst;
	cur.police_up_burst = ls->rate->up_burst;
	if (RIO(sl->roles, fp_session_update, &cur, why, sizeof(why)) < 0) {
		/* The kernel would go on with the old plan: the user path
		 * polices with the new one instead. */
		log_warnx("lns: user %s: %s: data on the user path",
		    ppp_link_user(sl->link), why);
		lns_fp_leave(sl, ls);
		return;
	}
	ls->fp->s = cur;
}

/*
 * A timer of a fast-path session: the kernel's packets count as activity
 * (RFC 2865 §5.28 Idle-Timeout), and a tunnel whose peer moved (its
 * address or port) moves its sessions' entries with it.
 */
static void
lns_fp_poll(struct session_link *sl, struct lns_sess *ls, uint64_t now)
{
	struct fastpath_counters c;
	struct fastpath_session cur;
	uint64_t poll = LNS_FP_POLL_MS;
	char why[256];

	if (!ls->fp_in)
		return;
	lns_fp_counters(sl, ls, &c);
	if (c.rx_packets + c.tx_packets != ls->fp->seen_packets) {
		ls->fp->seen_packets = c.rx_packets + c.tx_packets;
		ls->last_activity = now;
	}
	if (lns_fp_session(sl, ls, &cur, why, sizeof(why)) &&
	    (cur.peer_addr.s_addr != ls->fp->s.peer_addr.s_addr ||
		cur.peer_port != ls->fp->s.peer_port ||
		cur.local_addr.s_addr != ls->fp->s.local_addr.s_addr ||
		cur.local_port != ls->fp->s.local_port)) {
		if (RIO(sl->roles, fp_session_update, &cur, why, sizeof(why)) <
		    0)
			log_warnx("lns: user %s: %s", ppp_link_user(sl->link),
			    why);
		else
			ls->fp->s = cur;
	}
	if (ls->idle_ms != 0 && ls->idle_ms / 4 < poll)
		poll = ls->idle_ms / 4 > 1000 ? ls->idle_ms / 4 : 1000;
	ls->fp->next_poll = now + poll;
}

static void
lns_sess_schedule(struct lns *l, struct lns_sess *ls)
{
	uint64_t d = TIME_NEVER;

	if (ls->session_end != 0)
		d = time_min(d, ls->session_end);
	if (ls->idle_ms != 0 && ls->acct.started)
		d = time_min(d, ls->last_activity + ls->idle_ms);
	if (ls->interim_ms != 0 && ls->acct.started)
		d = time_min(d, ls->next_interim);
	if (!ls->acct.started && aaa_session_user(&ls->acct)[0] != '\0')
		d = time_min(d, lns_acct_gate_deadline(&ls->gate));
	/* Only Idle-Timeout needs to see the kernel's packets as they
	 * come; the rest reads the counters when it needs them. */
	if (ls->fp_in && ls->idle_ms != 0 && ls->acct.started)
		d = time_min(d, ls->fp->next_poll);
	if (d == TIME_NEVER) {
		if (heap_node_queued(&ls->timer))
			heap_remove(&l->timers, &ls->timer);
		return;
	}
	if (heap_set(&l->timers, &ls->timer, d) < 0)
		log_warnx("lns: no memory for a session timer");
}

static void
lns_end_with(struct session_link *sl, enum aaa_cause cause, const char *why,
    uint64_t now)
{
	struct lns_sess *ls = sl->owner;

	if (ls != NULL && ls->cause == AAA_CAUSE_NONE)
		ls->cause = cause;
	sl_close(sl, why, now);
}

void
lns_set_cause(struct session_link *sl, enum aaa_cause cause)
{
	struct lns_sess *ls = lns_owns(sl) ? sl->owner : NULL;

	if (ls != NULL && ls->cause == AAA_CAUSE_NONE)
		ls->cause = cause;
}

void
lns_run_timers(struct roles *r, uint64_t now)
{
	struct lns *l = &r->lns;
	struct heap_node *n;

	lns6_run_timers(r, now);
	while ((n = heap_min(&l->timers)) != NULL && n->key <= now) {
		struct lns_sess *ls = (struct lns_sess *)((char *)n -
		    offsetof(struct lns_sess, timer));

		heap_remove(&l->timers, n);
		lns_fp_poll(ls->sl, ls, now);
		if (ls->session_end != 0 && ls->session_end <= now) {
			/* RFC 2865 §5.27: the most the session may last. */
			ls->session_end = 0;
			log_info("lns: user %s: Session-Timeout reached",
			    aaa_session_user(&ls->acct));
			lns_end_with(ls->sl, AAA_CAUSE_SESSION_TIMEOUT,
			    "session timeout", now);
			continue;
		}
		if (ls->idle_ms != 0 && ls->acct.started &&
		    ls->last_activity + ls->idle_ms <= now) {
			/* RFC 2865 §5.28: consecutive idle seconds. */
			ls->idle_ms = 0;
			log_info("lns: user %s: Idle-Timeout reached",
			    aaa_session_user(&ls->acct));
			lns_end_with(ls->sl, AAA_CAUSE_IDLE_TIMEOUT,
			    "idle timeout", now);
			continue;
		}
		lns_acct_try_start(ls->sl, ls, now);
		if (ls->interim_ms != 0 && ls->acct.started &&
		    ls->next_interim <= now) {
			struct aaa_counters ctr;

			lns_acct_counters(ls->sl, ls, &ctr);
			lns_acct_delegated(ls);
			aaa_session_interim(r->aaa, &ls->acct, &ctr, now);
			ls->next_interim = now + ls->interim_ms;
		}
		lns_sess_schedule(l, ls);
	}
}

uint64_t
lns_next_deadline(const struct roles *r)
{
	const struct heap_node *n = heap_min(&r->lns.timers);

	return time_min(n != NULL ? n->key : TIME_NEVER, lns6_next_deadline(r));
}

/* RFC 2865 §5.22: "<dest>[/<bits>] <gateway> <metrics>" — the gateway is
 * the session itself here, whatever is written. */
static bool
parse_framed_route(const char *s, uint32_t *addr, unsigned *plen)
{
	char buf[64], *slash, *sp;
	struct in_addr in;
	unsigned long n = 32;

	strlcpy(buf, s, sizeof(buf));
	if ((sp = strchr(buf, ' ')) != NULL)
		*sp = '\0';
	if ((slash = strchr(buf, '/')) != NULL) {
		char *end;

		*slash = '\0';
		n = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1 || n > 32)
			return false;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	*plen = (unsigned)n;
	*addr = ntohl(in.s_addr) & plen_mask(*plen);
	return true;
}

/* The session a framed route sends dst to (TUN -> session). */
static struct session_link *
lns_route_lookup(struct roles *r, uint32_t dst)
{
	struct lns *l = &r->lns;
	struct session_link *best = NULL;
	unsigned best_plen = 0;

	if (l->nframed == 0)
		return NULL;
	struct session_link *sl;
	LIST_FOREACH(sl, &r->links, entry)
	{
		struct lns_sess *ls;

		if (sl->ended || !lns_owns(sl) || (ls = sl->owner) == NULL ||
		    !ls->routes_added)
			continue;
		for (unsigned i = 0; i < ls->nroutes; i++)
			if ((dst & plen_mask(ls->routes[i].plen)) ==
				ls->routes[i].addr &&
			    (best == NULL || ls->routes[i].plen > best_plen)) {
				best = sl;
				best_plen = ls->routes[i].plen;
			}
	}
	return best;
}

static bool
lns_sess_owns_src(const struct lns_sess *ls, uint32_t src)
{
	for (unsigned i = 0; ls != NULL && i < ls->nroutes; i++)
		if ((src & plen_mask(ls->routes[i].plen)) == ls->routes[i].addr)
			return true;
	return false;
}

/* Called inside the backend's done (RADIUS reply still current): copy
 * what the session keeps of the Access-Accept. */
static void
lns_apply_reply(struct session_link *sl, struct lns_sess *ls,
    const struct radius_auth_reply *rep, uint64_t now)
{
	struct roles *r = sl->roles;

	for (unsigned i = 0; i < rep->nroutes; i++) {
		if (ls->nroutes < RADIUS_AUTH_MAX_ROUTES &&
		    parse_framed_route(rep->framed_routes[i],
			&ls->routes[ls->nroutes].addr,
			&ls->routes[ls->nroutes].plen))
			ls->nroutes++;
		else
			log_warnx("lns: user %s: Framed-Route \"%s\" "
				  "ignored",
			    aaa_session_user(&ls->acct), rep->framed_routes[i]);
	}
	if (rep->session_timeout != 0)
		ls->session_end = now + (uint64_t)rep->session_timeout * 1000;
	ls->idle_ms = (uint64_t)rep->idle_timeout * 1000;
	if (rep->interim_interval != 0)
		/* RFC 2869 §5.16: at least 60 s is what servers should send;
		 * a smaller value is honoured but floored at 10 s. */
		ls->interim_ms = (uint64_t)(rep->interim_interval < 10 ?
					 10 :
					 rep->interim_interval) *
		    1000;
	/* RFC 2865 §5.12: Framed-MTU bounds what is sent to this user; it
	 * becomes the path MTU of the user's route into the TUN (the LCP MRU
	 * was already agreed before authentication). */
	if (rep->framed_mtu >= 68 && rep->framed_mtu < r->cfg->lns.mtu)
		ls->mtu = rep->framed_mtu;
	/* RFC 2548 §2.6.7/§2.6.8: per-user DNS servers replace [lns] dns in
	 * this user's IPCP (RFC 1877). */
	if (rep->dns[0] != 0) {
		uint32_t dns[2] = { rep->dns[0], rep->dns[1] };

		ppp_link_set_dns(sl->link, dns, rep->dns[1] != 0 ? 2 : 1);
		log_info("lns: user %s: DNS servers from RADIUS",
		    aaa_session_user(&ls->acct));
	}
	lns6_apply_reply(sl, &ls->v6, rep);
}

/* The session's plan from RADIUS, its users-file line or the default
 * (lns_rate.h has the order). */
static void
lns_rate_start(struct session_link *sl, struct lns_sess *ls, const char *user,
    const struct radius_auth_reply *rep)
{
	struct lns *l = &sl->roles->lns;
	const struct user_entry *ue = rep == NULL && l->users != NULL ?
	    users_lookup(l->users, user) :
	    NULL;
	const struct cfg_peer *peer = lns_peer_of(sl->roles,
	    sl_l2tp_session(sl));
	struct lns_rate_choice c;
	char warn[300];

	lns_rate_choose(sl->roles->cfg, rep != NULL ? rep->rate_limit : NULL,
	    rep != NULL ? rep->filter_id : NULL,
	    ue != NULL ? ue->rate_plan : NULL,
	    peer != NULL && peer->rate_plan[0] != '\0' ? peer->rate_plan : NULL,
	    &c, warn, sizeof(warn));
	if (warn[0] != '\0') {
		l->rate_plan_refused++;
		log_warnx("lns: user %s: %s: using the next source", user,
		    warn);
	}
	lns_rate_set(sl, ls, &c, sl->roles->now);
}

/* ---- binding callbacks ---- */

static int
lns_assign_address(struct session_link *sl, const char *user,
    const struct auth_result *res, uint32_t *addr)
{
	struct lns *l = &sl->roles->lns;
	struct lns_sess *ls;
	char buf[INET_ADDRSTRLEN];
	uint32_t a;
	struct lns_pool *pool;
	/* Only the RADIUS backend's context holds a reply. */
	const struct radius_auth_reply *reply = l->radius ?
	    radius_auth_current_reply(&l->backend) :
	    NULL;

	if (lns_user_admit(sl, user, reply, sl->roles->now) < 0)
		return -1;
	if (res != NULL && res->framed_address != 0) {
		a = res->framed_address;
		/* A fixed address may lie outside the pools (or be an
		 * orphan a reload left it); whoever holds it, IPCP up or not
		 * yet, keeps it: the second session is refused as when the
		 * pool is exhausted. */
		pool = lns_pools_containing(&l->pools, a);
		if (addrmap_get(&l->assigned, a) != NULL ||
		    (pool != NULL && ippool_reserve(&pool->ip, a) < 0)) {
			l->addr_refused++;
			log_warnx("lns: user %s: fixed address %s is in use by "
				  "another session: refusing this one",
			    user, ip4_str(a, buf, sizeof(buf)));
			return -1;
		}
	} else if ((pool = lns_pool_choose(sl, user, reply, &a)) == NULL) {
		return -1; /* logged and counted */
	}
	if (addrmap_insert(&l->assigned, a, sl) < 0) {
		/* Out of memory, or a pool address a session holds without
		 * the pool knowing: either way not this session's to use. */
		if (pool != NULL)
			(void)lns_pools_release(&l->pools, pool, a);
		l->addr_refused++;
		log_warnx("lns: user %s: cannot hold address %s: refusing "
			  "the session",
		    user, ip4_str(a, buf, sizeof(buf)));
		return -1;
	}
	sl->peer_addr = a;
	*addr = a;
	if ((ls = sl->owner) != NULL) {
		const struct radius_auth_reply *rep = reply;
		struct l2tp_session *s = sl_l2tp_session(sl);
		struct l2tp_session_info si;
		uint32_t port = 0;

		ls->pool = pool;

		if (s != NULL) {
			l2tp_session_get_info(s, &si);
			port = (uint32_t)si.tunnel_local_id << 16 | si.local_id;
		}
		aaa_session_release(&ls->acct); /* if IPCP ran before */
		aaa_session_init(sl->roles->aaa, &ls->acct, user, a, port,
		    l->radius ? rep : NULL);
		ls->acct.access_line = ls->al != NULL ? &ls->al->al : NULL;
		lns_acct_gate_init(&ls->gate, ppp_link_has_ipv6cp(sl->link));
		ls->v4_released = false;
		if (l->radius && rep != NULL)
			lns_apply_reply(sl, ls, rep, sl->roles->now);
		lns_rate_start(sl, ls, user, l->radius ? rep : NULL);
	}
	return 0;
}

static void
lns_network_up(struct session_link *sl, uint32_t local, uint32_t peer,
    const uint32_t dns[2], unsigned dns_count)
{
	struct lns *l = &sl->roles->lns;
	struct lns_sess *ls;
	char pbuf[INET_ADDRSTRLEN];

	(void)local;
	(void)dns;
	(void)dns_count;
	if ((ls = sl->owner) != NULL && ls->v4_released) {
		/* IPCP opened after it had failed and its address went
		 * back to the pool (lns_ncp_failed): another session may
		 * hold it by now. */
		log_warnx("lns: user %s: IPCP opened after it failed, with "
			  "the released address %s: ending the session",
		    ppp_link_user(sl->link), ip4_str(peer, pbuf, sizeof(pbuf)));
		sl->peer_addr = 0;
		sl_close(sl, "IPCP opened after it failed", sl->roles->now);
		return;
	}
	if (addrmap_insert(&l->by_addr, peer, sl) < 0) {
		log_warnx("lns: %s already routed to another session",
		    ip4_str(peer, pbuf, sizeof(pbuf)));
		sl_close(sl, "address conflict", sl->roles->now);
		return;
	}
	sl->routed = true;
	ls = sl->owner;
	if (RIO(sl->roles, route_add, &l->rt, l->tun.ifindex, peer, 32, 0,
		ls != NULL ? ls->mtu : 0) < 0)
		log_warnx("lns: route %s/32 dev %s: %s",
		    ip4_str(peer, pbuf, sizeof(pbuf)), l->tun.name,
		    route_error(&l->rt));
	log_info("lns: user %s is up with address %s", ppp_link_user(sl->link),
	    ip4_str(peer, pbuf, sizeof(pbuf)));
	if ((ls = sl->owner) != NULL) {
		uint64_t now = sl->roles->now;

		for (unsigned i = 0; i < ls->nroutes; i++)
			if (RIO(sl->roles, route_add, &l->rt, l->tun.ifindex,
				ls->routes[i].addr, ls->routes[i].plen, 0,
				0) < 0)
				log_warnx("lns: Framed-Route %s/%u dev %s: %s",
				    ip4_str(ls->routes[i].addr, pbuf,
					sizeof(pbuf)),
				    ls->routes[i].plen, l->tun.name,
				    route_error(&l->rt));
		ls->routes_added = true;
		l->nframed += ls->nroutes;
		ls->acct.framed_ip = peer;
		ls->last_activity = now;
		lns_acct_gate_ncp(&ls->gate, false, true, now);
		lns_fp_enter(sl, ls, now);
		lns_acct_try_start(sl, ls, now);
	}
}

/* The IPv4 address at p (network order on the wire), host order. */
static uint32_t
ip4_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * isolate-sessions: is this packet of sl addressed to another session of
 * ours (its IPCP address or a framed route)?  Checked where the user's
 * packet enters, before the TUN write: once in the kernel it would be
 * routed back out of the TUN device like any packet from outside, and
 * that direction cannot tell where a packet came from.
 */
static bool
lns_to_other_session(struct session_link *sl, const uint8_t *pkt)
{
	struct roles *r = sl->roles;
	uint32_t dst = ip4_at(pkt + 16);
	struct session_link *to = addrmap_get(&r->lns.by_addr, dst);

	if (to == NULL)
		to = lns_route_lookup(r, dst);
	return to != NULL && to != sl;
}

static void
lns_ip_input(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	struct lns *l = &sl->roles->lns;
	struct lns_sess *ls;
	uint32_t src;

	if (len < 20 || (pkt[0] >> 4) != 4) {
		l->rx_bad_ip++;
		return;
	}
	src = (uint32_t)pkt[12] << 24 | (uint32_t)pkt[13] << 16 |
	    (uint32_t)pkt[14] << 8 | pkt[15];
	if ((src != sl->peer_addr && !lns_sess_owns_src(sl->owner, src)) ||
	    !sl->routed) {
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		sl->spoofed++;
		l->rx_spoofed++;
		LOG_RL(LOG_LEVEL_WARN,
		    "lns: user %s sent a packet from %s, "
		    "not its address %s: dropped",
		    ppp_link_user(sl->link), ip4_str(src, a, sizeof(a)),
		    ip4_str(sl->peer_addr, b, sizeof(b)));
		return;
	}
	if (sl->roles->cfg->lns.isolate_sessions &&
	    lns_to_other_session(sl, pkt)) {
		char a[INET_ADDRSTRLEN];

		l->isolated++;
		LOG_RL(LOG_LEVEL_DEBUG,
		    "lns: user %s sent a packet to %s, "
		    "another session: dropped (isolate-sessions)",
		    ppp_link_user(sl->link),
		    ip4_str(ip4_at(pkt + 16), a, sizeof(a)));
		return;
	}
	if ((ls = sl->owner) != NULL) {
		/* The rate plan, before the packet enters the network. */
		if (ls->rate != NULL &&
		    !lns_rate_admit_up(ls->rate, sl->roles->now, len))
			return;
		ls->ctr.in_octets += len;
		ls->ctr.in_packets++;
		ls->last_activity = sl->roles->now;
	}
	(void)RIO(sl->roles, tun_write, &l->tun, pkt, len);
}

/* Gives back what the network phase held: the Framed-Routes, accounting
 * (Stop with cause), the address (addrmap entry, /32 route, pool lease).
 * The same path for a session's end and for an LCP renegotiation. */
static void
lns_release_network(struct session_link *sl, struct lns_sess *ls,
    enum aaa_cause cause)
{
	struct lns *l = &sl->roles->lns;
	struct roles *r = sl->roles;
	char buf[INET_ADDRSTRLEN];
	struct lns_pool *pool = NULL;

	/* First: nothing of it may be carried once it starts going. */
	lns_fp_leave(sl, ls);
	if (ls != NULL) {
		lns_acct_delegated(ls);
		lns_acct_start_if(sl, ls, r->now, true);
		lns6_down(sl, &ls->v6, true);
	}
	if (ls != NULL) {
		if (heap_node_queued(&ls->timer))
			heap_remove(&l->timers, &ls->timer);
		if (ls->routes_added) {
			for (unsigned i = 0; i < ls->nroutes; i++)
				(void)RIO(r, route_del, &l->rt, l->tun.ifindex,
				    ls->routes[i].addr, ls->routes[i].plen, 0);
			l->nframed -= ls->nroutes;
			ls->routes_added = false;
		}
		if (ls->acct.started) {
			aaa_session_stop(r->aaa, &ls->acct, &ls->ctr, cause,
			    r->now);
			l->acct_live--;
			if (r->shutting_down && l->acct_live == 0)
				roles_accounting_off(r);
		}
		pool = ls->pool;
		ls->pool = NULL;
		aaa_session_release(&ls->acct);
		memset(&ls->acct, 0, sizeof(ls->acct));
		memset(&ls->ctr, 0, sizeof(ls->ctr));
		/* The next authentication's reply sets these afresh. */
		ls->nroutes = 0;
		ls->session_end = 0;
		ls->idle_ms = 0;
		ls->interim_ms = 0;
		ls->mtu = 0;
	}
	if (sl->peer_addr != 0) {
		if (sl->routed) {
			addrmap_remove(&l->by_addr, sl->peer_addr);
			if (RIO(r, route_del, &l->rt, l->tun.ifindex,
				sl->peer_addr, 32, 0) < 0)
				log_debug("lns: route del: %s",
				    route_error(&l->rt));
			sl->routed = false;
		}
		if (addrmap_get(&l->assigned, sl->peer_addr) == sl)
			(void)addrmap_remove(&l->assigned, sl->peer_addr);
		if (pool != NULL &&
		    lns_pools_release(&l->pools, pool, sl->peer_addr) < 0)
			log_warnx("lns: %s was not held in the pool",
			    ip4_str(sl->peer_addr, buf, sizeof(buf)));
	}
}

/* RFC 1661 §4.3/§3.5: LCP renegotiated, so IPCP is down: the address and
 * the accounting record end here; a re-authentication as the same user
 * gets both afresh (lns_assign_address, lns_network_up: new
 * Acct-Session-Id), as another user ends the session (ppp/link.c). */
static void
lns_network_down(struct session_link *sl, const char *reason)
{
	struct lns_sess *ls = sl->owner;
	char buf[INET_ADDRSTRLEN];

	log_info("lns: user %s: network down (%s)%s%s",
	    *ppp_link_user(sl->link) ? ppp_link_user(sl->link) : "(none)",
	    reason, sl->peer_addr ? ", released " : "",
	    sl->peer_addr ? ip4_str(sl->peer_addr, buf, sizeof(buf)) : "");
	/* RFC 2866 §5.10: the user's own end asked for it. */
	lns_release_network(sl, ls, AAA_CAUSE_USER_REQUEST);
	sl->peer_addr = 0;
}

static void
lns_ended(struct session_link *sl, const char *reason)
{
	struct roles *r = sl->roles;
	struct lns_sess *ls = sl->owner;
	enum aaa_cause cause = AAA_CAUSE_NONE;
	char buf[INET_ADDRSTRLEN];

	if (ls != NULL) {
		cause = ls->cause;
		if (cause == AAA_CAUSE_NONE)
			cause = r->shutting_down ?
			    AAA_CAUSE_NAS_REQUEST :
			    aaa_cause_from_reason(reason);
	}
	lns_release_network(sl, ls, cause);
	if (ls != NULL) {
		sl->owner = NULL;
		free(ls->al);
		free(ls->rate);
		free(ls->fp);
		free(ls);
	}
	log_info("lns: user %s: session ended (%s)%s%s",
	    *ppp_link_user(sl->link) ? ppp_link_user(sl->link) : "(none)",
	    reason, sl->peer_addr ? ", released " : "",
	    sl->peer_addr ? ip4_str(sl->peer_addr, buf, sizeof(buf)) : "");
	sl->peer_addr = 0;
}

/* RFC 2865 §5.31/§5.5 for the Access-Request, proxy authentication
 * included: see aaa_describe_l2tp. */
static void
lns_describe(struct session_link *sl, struct auth_request *req)
{
	struct l2tp_session *s = sl_l2tp_session(sl);
	struct l2tp_session_info si;
	struct l2tp_tunnel_info ti;

	if (s == NULL)
		return;
	l2tp_session_get_info(s, &si);
	l2tp_tunnel_get_info(l2tp_session_tunnel(s), &ti);
	aaa_describe_l2tp(req, l2tp_session_calling_number(s), &ti.peer,
	    si.tunnel_local_id, si.local_id);
	/* RFC 4679 §4 in the LNS's Access-Request: the line the LAC
	 * reported (RFC 5515). */
	if (lns_owns(sl) && sl->owner != NULL) {
		const struct lns_sess *ls = sl->owner;

		req->access_line = ls->al != NULL ? &ls->al->al : NULL;
	}
}

/* The back-off's peer is the tunnel's address (what the LAC or client
 * dialled from), not the Calling Number the peer chooses. */
static void
lns_auth_peer(struct session_link *sl, char *out, size_t outsz)
{
	struct l2tp_session *s = sl_l2tp_session(sl);
	struct l2tp_tunnel_info ti;
	struct auth_request req;

	if (s == NULL)
		return;
	l2tp_tunnel_get_info(l2tp_session_tunnel(s), &ti);
	memset(&req, 0, sizeof(req));
	aaa_describe_l2tp(&req, NULL, &ti.peer, 0, 0);
	strlcpy(out, req.calling_station, outsz);
}

/* IPv6CP opened (RFC 5072): the /64 and RAs (lns_ipv6.c).  A session
 * whose IPCP failed (IPv6 only) starts its accounting here. */
static void
lns_network6_up(struct session_link *sl, const uint8_t local_id[8],
    const uint8_t peer_id[8])
{
	struct lns_sess *ls = sl->owner;
	uint64_t now = sl->roles->now;

	if (ls == NULL)
		return;
	lns6_up(sl, &ls->v6, &ls->ctr, &ls->last_activity, &ls->rate, local_id,
	    peer_id);
	lns_fp_ipv6_changed(sl);
	{
		uint8_t pfx[16];
		unsigned plen;

		if (lns6_prefix(ls->v6, pfx, &plen)) {
			memcpy(ls->acct.ipv6_prefix, pfx, 8);
			ls->acct.has_ipv6_prefix = true;
		}
	}
	lns_acct_gate_ncp(&ls->gate, true, true, now);
	lns_acct_try_start(sl, ls, now);
}

/* An NCP failed while the other keeps the session (RFC 1661 §3.5): an
 * IPv6-only session gives its IPv4 address back to the pool and its
 * accounting reports none; either way Start need not wait for it. */
static void
lns_ncp_failed(struct session_link *sl, uint16_t proto)
{
	struct lns *l = &sl->roles->lns;
	struct lns_sess *ls = sl->owner;
	char buf[INET_ADDRSTRLEN];

	if (ls == NULL)
		return;
	if (proto == PPP_PROTO_IPCP && sl->peer_addr != 0 && !sl->routed) {
		log_info("lns: user %s: IPCP refused, IPv6 only: %s goes "
			 "back to the pool",
		    ppp_link_user(sl->link),
		    ip4_str(sl->peer_addr, buf, sizeof(buf)));
		if (addrmap_get(&l->assigned, sl->peer_addr) == sl)
			(void)addrmap_remove(&l->assigned, sl->peer_addr);
		if (ls->pool != NULL &&
		    lns_pools_release(&l->pools, ls->pool, sl->peer_addr) < 0)
			log_warnx("lns: %s was not held in the pool",
			    ip4_str(sl->peer_addr, buf, sizeof(buf)));
		ls->pool = NULL;
		ls->acct.framed_ip = 0;
		ls->v4_released = true;
		sl->peer_addr = 0;
	}
	lns_acct_gate_ncp(&ls->gate, proto == PPP_PROTO_IPV6CP, false,
	    sl->roles->now);
	lns_acct_try_start(sl, ls, sl->roles->now);
}

static void
lns_network6_down(struct session_link *sl, const char *reason)
{
	struct lns_sess *ls = sl->owner;

	log_info("lns: user %s: IPv6 down (%s)", ppp_link_user(sl->link),
	    reason);
	if (ls != NULL) {
		lns_acct_delegated(ls);
		lns6_down(sl, &ls->v6, false);
		lns_fp_ipv6_changed(sl);
	}
}

static void
lns_ipv6_input(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	struct lns_sess *ls = sl->owner;

	if (ls != NULL)
		lns6_input(sl, ls->v6, pkt, len);
}

static const struct sl_role_ops lns_sl_ops = {
	.assign_address = lns_assign_address,
	.network_up = lns_network_up,
	.network_down = lns_network_down,
	.ip_input = lns_ip_input,
	.ended = lns_ended,
	.describe = lns_describe,
	.auth_peer = lns_auth_peer,
	.network6_up = lns_network6_up,
	.network6_down = lns_network6_down,
	.ipv6_input = lns_ipv6_input,
	.ncp_failed = lns_ncp_failed,
};

bool
lns_owns(const struct session_link *sl)
{
	return sl->ops == &lns_sl_ops;
}

/* ---- TUN -> sessions ---- */

static void
lns_tun_readable(void *arg, uint64_t now)
{
	struct roles *r = arg;
	struct lns *l = &r->lns;
	/* Static: the datagrams built in them may wait for the batched send
	 * until this returns (sl_send_ip). */
	static uint8_t bufs[LNS_TUN_BATCH][LNS_TUN_HEADROOM + LNS_TUN_BUF];
	struct tun_pkt pkts[LNS_TUN_BATCH];
	int n;

	for (int i = 0; i < LNS_TUN_BATCH; i++) {
		pkts[i].buf = bufs[i] + LNS_TUN_HEADROOM;
		pkts[i].cap = LNS_TUN_BUF;
	}
	r->now = now;
	n = RIO(r, tun_read_batch, &l->tun, pkts, LNS_TUN_BATCH);
	for (int i = 0; i < n; i++) {
		uint8_t *p = pkts[i].buf;
		struct session_link *sl;
		struct lns_sess *ls;
		uint32_t dst;

		if (lns6_tun_packet(r, p, pkts[i].len))
			continue;
		if (pkts[i].len < 20 || (p[0] >> 4) != 4) {
			l->tun_not_ipv4++;
			continue;
		}
		dst = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
		    (uint32_t)p[18] << 8 | p[19];
		sl = addrmap_get(&l->by_addr, dst);
		if (sl == NULL)
			sl = lns_route_lookup(r, dst);
		if (sl == NULL) {
			l->tun_no_session++;
			continue;
		}
		/* The rate plan, before the packet is sent to the user. */
		if ((ls = sl->owner) != NULL && lns_owns(sl) &&
		    ls->rate != NULL &&
		    !lns_rate_admit_down(ls->rate, now, pkts[i].len))
			continue;
		if (sl_send_ip(sl, p, pkts[i].len, LNS_TUN_HEADROOM) == 0 &&
		    (ls = sl->owner) != NULL) {
			ls->ctr.out_octets += pkts[i].len;
			ls->ctr.out_packets++;
			ls->last_activity = now;
		}
	}
	sl_reap(r);
}

/* ---- L2TP session events ---- */

static int
lns_session_request(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req, uint64_t now)
{
	struct l2tp_session_info si;

	(void)ctx;
	(void)now;
	l2tp_session_get_info(s, &si);
	/* RFC 2661 §7.4.2: the LNS answers ICRQ with ICRP when it can take
	 * the call; this LNS places no outgoing calls, so OCRQ is refused. */
	if (req->type == L2TP_MSG_ICRQ) {
		int refused = lns_peer_admit_call(r, s);

		if (refused != 0)
			return refused;
		/* RFC 5515 §3: the LAC's access-line AVPs, kept until the
		 * call is connected. */
		lns_al_hold(&r->lns.al_pending, s, &req->access_line);
		return 0;
	}
	log_info("session %u (tunnel %u): refusing %s: this LNS places no "
		 "outgoing calls",
	    si.local_id, si.tunnel_local_id, l2tp_msg_type_str(req->type));
	return L2TP_CDN_NO_RESOURCES;
}

void
lns_link_config(const struct vpdn_config *cfg, struct ppp_link_config *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->server = true;
	for (unsigned i = 0; i < cfg->lns.auth.count && i < 3; i++)
		lc->auth[lc->auth_count++] = roles_auth_method(
		    cfg->lns.auth.methods[i]);
	strlcpy(lc->our_name, cfg->global.hostname, sizeof(lc->our_name));
	lc->local_addr = cfg->lns.local_address;
	for (unsigned i = 0; i < cfg->lns.dns_count && i < 2; i++)
		lc->dns[lc->dns_count++] = cfg->lns.dns[i];
	lc->mru = (uint16_t)cfg->lns.mtu;
	lc->echo_interval_ms = 10000;
	lc->echo_failures = 3;
	lc->negotiate_timeout_ms = cfg->global.ppp_negotiation_timeout * 1000;
	lc->ipv6cp = cfg_lns_ipv6(&cfg->lns);
	lc->proxy_lcp_only = cfg->lns.lcp_renegotiation == CFG_LCP_RENEG_NEVER;
}

/* The link settings of a call from peer p (NULL: [lns]), made once per
 * snapshot and peer. */
static struct ppp_link_conf *
lns_conf_for(struct roles *r, const struct cfg_peer *p)
{
	struct lns *l = &r->lns;
	struct ppp_link_config lc;
	size_t i;

	if (p == NULL) {
		if (l->link_conf == NULL) {
			lns_link_config(r->cfg, &lc);
			l->link_conf = ppp_link_conf_new(&lc);
		}
		return l->link_conf;
	}
	i = (size_t)(p - r->cfg->peers);
	if (l->peer_conf == NULL) {
		l->peer_conf = calloc(r->cfg->peer_count,
		    sizeof(l->peer_conf[0]));
		if (l->peer_conf == NULL)
			return NULL;
		l->npeer_conf = r->cfg->peer_count;
	}
	if (l->peer_conf[i].conf == NULL) {
		lns_link_config(r->cfg, &lc);
		lc.auth_count = 0;
		for (unsigned k = 0; k < p->auth.count && k < 3; k++)
			lc.auth[lc.auth_count++] = roles_auth_method(
			    p->auth.methods[k]);
		lc.proxy_lcp_only = p->lcp_renegotiation == CFG_LCP_RENEG_NEVER;
		l->peer_conf[i].conf = ppp_link_conf_new(&lc);
	}
	return l->peer_conf[i].conf;
}

static void
lns_conf_drop(struct lns *l)
{
	ppp_link_conf_drop(l->link_conf);
	l->link_conf = NULL;
	for (unsigned i = 0; i < l->npeer_conf; i++)
		ppp_link_conf_drop(l->peer_conf[i].conf);
	free(l->peer_conf);
	l->peer_conf = NULL;
	l->npeer_conf = 0;
}

static void
lns_session_up(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *iccn, uint64_t now)
{
	struct lns *l = &r->lns;
	struct l2tp_session_info si;
	struct session_link *sl = NULL;
	struct lns_sess *ls;
	const struct cfg_peer *peer = lns_peer_of(r, s);
	struct ppp_link_conf *conf = lns_conf_for(r, peer);
	bool proxy = peer != NULL ? peer->accept_proxy_auth :
				    r->cfg->lns.accept_proxy_auth;
	enum cfg_lcp_renegotiation reneg = peer != NULL ?
	    peer->lcp_renegotiation :
	    r->cfg->lns.lcp_renegotiation;

	(void)ctx;
	l2tp_session_get_info(s, &si);
	if (conf != NULL && (ls = calloc(1, sizeof(*ls))) != NULL) {
		heap_node_init(&ls->timer);
		ls->al = lns_al_take(&l->al_pending, s);
		sl = sl_new(r, &sl_l2tp_carrier, s, conf, NULL, &l->backend,
		    &lns_sl_ops, ls, now);
		if (sl == NULL) {
			free(ls->al);
			free(ls);
		} else
			ls->sl = sl;
	}
	if (sl == NULL) {
		log_warnx("session %u (tunnel %u): no memory for PPP",
		    si.local_id, si.tunnel_local_id);
		l2tp_session_close(s, L2TP_CDN_NO_RESOURCES, 0, "out of memory",
		    now);
		return;
	}
	l2tp_session_set_user(s, sl);
	/* RFC 2661 §4.4.5: trust the LAC's proxy LCP and authentication
	 * only when configured to; otherwise (or with lcp-renegotiation =
	 * always) renegotiate everything. */
	if (proxy && reneg != CFG_LCP_RENEG_ALWAYS && iccn != NULL)
		sl_set_proxy(sl, iccn);
	log_info("session %u/%u (tunnel %u): call connected, starting PPP",
	    si.local_id, si.peer_id, si.tunnel_local_id);
	sl_start(sl, now);
}

/* ---- lifetime ---- */

/* The users file cfg names (none: an empty one), or NULL with
 * "FILE:LINE: message" in err. */
static struct users_db *
lns_users_load(const struct vpdn_config *cfg, char *err, size_t errlen)
{
	struct users_db *db;

	if (cfg->lns.users[0] == '\0')
		return users_parse("(no users file)", "", 0, err, errlen);
	if ((db = users_load(cfg->lns.users, err, errlen)) == NULL)
		return NULL;
	/* A plan a user names must exist in the same snapshot. */
	for (size_t i = 0; i < users_count(db); i++) {
		const struct user_entry *e = users_at(db, i);

		if (e->rate_plan != NULL &&
		    cfg_rate_plan_find(cfg, e->rate_plan) == NULL) {
			snprintf(err, errlen,
			    "%s:%d: rate-plan \"%s\": no [rate-plan %s] "
			    "section",
			    cfg->lns.users, e->line, e->rate_plan,
			    e->rate_plan);
			users_free(db);
			return NULL;
		}
	}
	return db;
}

int
lns_init(struct roles *r)
{
	struct lns *l = &r->lns;
	const struct vpdn_config *cfg = r->cfg;
	char buf[INET_ADDRSTRLEN], err[512];

	addrmap_init(&l->by_addr);
	addrmap_init(&l->assigned);
	heap_init(&l->timers);
	l->tun.fd = -1;
	if (!cfg->lns.enabled)
		return 0;
	if (cfg->lns.radius) {
		struct radius_nas_info nas;

		if (!roles_radius_enabled(r)) {
			log_error("lns: radius = yes but no RADIUS client");
			return -1;
		}
		memset(&nas, 0, sizeof(nas));
		strlcpy(nas.nas_identifier, cfg->radius.nas_identifier,
		    sizeof(nas.nas_identifier));
		nas.nas_ip = cfg->radius.nas_ip_address;
		/* RFC 2865 §5.41: Virtual — the call came over a tunnel. */
		nas.nas_port_type = RADIUS_NAS_PORT_TYPE_VIRTUAL;
		radius_auth_backend(&l->backend, &r->rsender, &nas);
		l->radius = true;
	}
	if ((l->users = lns_users_load(cfg, err, sizeof(err))) == NULL) {
		log_error("lns: %s", err);
		return -1;
	}
	/* Links keep this backend for their whole life: it names the slot,
	 * so a reload may replace the file under links still authenticating
	 * (each proof is checked against the file in force). */
	if (!l->radius)
		auth_users_backend_current(&l->backend, &l->users);
	if (lns_pools_init(&l->pools, cfg) < 0) {
		log_error("lns: cannot set up the address pools");
		return -1;
	}
	if (lns6_init(r) < 0) {
		log_error("lns: cannot set up IPv6");
		return -1;
	}
	if (RIO(r, route_open, &l->rt) < 0) {
		log_error("lns: rtnetlink: %s", route_error(&l->rt));
		return -1;
	}
	if (RIO(r, tun_open, &l->tun, cfg->lns.interface) < 0) {
		log_error("lns: cannot create TUN device %s",
		    cfg->lns.interface);
		return -1;
	}
	if (RIO(r, link_set, &l->rt, l->tun.ifindex, true, cfg->lns.mtu) < 0 ||
	    RIO(r, addr_add, &l->rt, l->tun.ifindex, cfg->lns.local_address, 0,
		32) < 0) {
		log_error("lns: setting up %s: %s", l->tun.name,
		    route_error(&l->rt));
		return -1;
	}
	/* A queue too short drops downstream bursts; not worth refusing
	 * to start for (tun_set_txqueuelen logged why). */
	(void)RIO(r, tun_set_txqueuelen, &l->tun, cfg->global.tun_txqueuelen);
	l->tun_watch = RIO(r, watch, l->tun.fd, lns_tun_readable, r);
	log_info("lns: %s up with %s, pool of %u addresses", l->tun.name,
	    ip4_str(cfg->lns.local_address, buf, sizeof(buf)),
	    ippool_size(&l->pools.v[0].p->ip));
	for (unsigned i = 1; i < l->pools.n; i++)
		log_info("lns: pool %s: %u addresses", l->pools.v[i].p->name,
		    ippool_size(&l->pools.v[i].p->ip));
	if (cfg->peer_count > 0)
		log_info("lns: %u peer(s); unknown peers %s", cfg->peer_count,
		    cfg->lns.unknown_peers == CFG_UNKNOWN_PEERS_REFUSE ?
			"refused" :
			"take the [lns] settings");
	return 0;
}

/* After the ranges changed: a live session's address that is now inside
 * a pool other than the one holding it (a fixed address that was outside
 * every pool, or one a pool lost to another) must be held by that pool,
 * or it would hand it to a second user. */
static void
lns_pool_hold_fixed(struct roles *r)
{
	struct lns *l = &r->lns;
	struct session_link *sl;
	struct lns_sess *ls;
	struct lns_pool *now_in;
	char buf[INET_ADDRSTRLEN];

	LIST_FOREACH(sl, &r->links, entry)
	{
		if (sl->ended || !lns_owns(sl) || (ls = sl->owner) == NULL ||
		    sl->peer_addr == 0 ||
		    (now_in = lns_pools_containing(&l->pools, sl->peer_addr)) ==
			NULL ||
		    now_in == ls->pool)
			continue;
		if (ippool_reserve(&now_in->ip, sl->peer_addr) < 0) {
			log_warnx("lns: reload: %s is held twice",
			    ip4_str(sl->peer_addr, buf, sizeof(buf)));
			continue;
		}
		if (ls->pool != NULL)
			(void)lns_pools_release(&l->pools, ls->pool,
			    sl->peer_addr);
		ls->pool = now_in;
	}
}

int
lns_reload_prepare(struct roles *r, const struct vpdn_config *cfg,
    struct users_db **users, char *err, size_t errlen)
{
	*users = NULL;
	if (!cfg->lns.enabled || r->lns.tun.fd < 0)
		return 0;
	*users = lns_users_load(cfg, err, errlen);
	return *users != NULL ? 0 : -1;
}

/*
 * After a reload: a live session keeps the plan it has by name, with the
 * new snapshot's rates; one that had the default (or none) gets the new
 * default; one whose plan is gone keeps its rates.  Rates RADIUS gave
 * directly are not the configuration's.
 */
static void
lns_rate_reload(struct roles *r, const struct vpdn_config *cfg)
{
	struct session_link *sl;
	struct lns_sess *ls;

	LIST_FOREACH(sl, &r->links, entry)
	{
		struct lns_rate_choice c;
		const struct lns_rate *rt;
		const struct cfg_rate_plan *p;

		if (sl->ended || !lns_owns(sl) || (ls = sl->owner) == NULL)
			continue;
		rt = lns_sess_rate(ls);
		if (rt->direct)
			continue;
		memset(&c, 0, sizeof(c));
		if (rt->source == LNS_RATE_NONE ||
		    rt->source == LNS_RATE_DEFAULT) {
			if (cfg->lns.rate_plan[0] != '\0' &&
			    (c.plan = cfg_rate_plan_find(cfg,
				 cfg->lns.rate_plan)) != NULL)
				c.source = LNS_RATE_DEFAULT;
		} else if ((p = cfg_rate_plan_find(cfg, rt->plan)) != NULL) {
			c.plan = p;
			c.source = rt->source;
		} else {
			log_warnx("lns: reload: user %s: rate plan %s is gone; "
				  "keeping its rates",
			    ppp_link_user(sl->link), rt->plan);
			continue;
		}
		if (c.plan != NULL && strcmp(c.plan->name, rt->plan) == 0 &&
		    c.plan->down == rt->down_bps && c.plan->up == rt->up_bps &&
		    cfg_rate_plan_burst(c.plan, c.plan->down) ==
			rt->down_burst &&
		    cfg_rate_plan_burst(c.plan, c.plan->up) == rt->up_burst)
			continue;
		if (c.plan == NULL && rt->plan[0] == '\0')
			continue;
		lns_rate_set(sl, ls, &c, r->now);
	}
}

void
lns_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    struct users_db *users)
{
	struct lns *l = &r->lns;

	/* The next session's link settings come from this snapshot. */
	lns_conf_drop(l);
	if (users == NULL)
		return;
	/* Nothing keeps a pointer into the old file: the links' backend
	 * reads the slot (lns_init), and a user's fixed address was copied
	 * into its session when it authenticated. */
	users_free(l->users);
	l->users = users;
	lns_rate_reload(r, cfg);
	if (lns_pools_reconfigure(&l->pools, cfg) < 0)
		log_warnx("lns: reload: keeping the previous pools");
	else
		lns_pool_hold_fixed(r);
	if (strcmp(cfg->lns.interface, l->tun.name) != 0)
		log_warnx("lns: reload: interface changes take effect at "
			  "the next restart");
	if (cfg->lns.radius != l->radius)
		log_warnx("lns: reload: radius changes take effect at the "
			  "next restart");
	lns6_reconfigure(r, cfg);
}

void
lns_free(struct roles *r)
{
	struct lns *l = &r->lns;

	if (l->tun_watch != NULL)
		RIO(r, unwatch, l->tun_watch);
	l->tun_watch = NULL;
	if (l->tun.fd >= 0)
		RIO(r, tun_close, &l->tun);
	if (l->rt.nl != NULL)
		RIO(r, route_close, &l->rt);
	if (r->cfg->lns.enabled)
		lns_pools_free(&l->pools);
	addrmap_free(&l->by_addr);
	addrmap_free(&l->assigned);
	heap_free(&l->timers);
	lns6_free(r);
	if (l->radius)
		radius_auth_backend_free(&l->backend);
	l->radius = false;
	users_free(l->users);
	l->users = NULL;
	lns_conf_drop(l);
}

/* ---- RFC 5176 dynamic authorization ---- */

static bool
lns_dae_matches(const struct session_link *sl, const struct radius_dae_match *m)
{
	const struct lns_sess *ls = sl->owner;

	/* RFC 5176 §3: every identification attribute given must match. */
	if (sl->ended || !lns_owns(sl) || ls == NULL || !ls->acct.started)
		return false;
	if (m->session_id[0] != '\0' && strcmp(m->session_id, ls->acct.id) != 0)
		return false;
	if (m->user[0] != '\0' &&
	    strcmp(m->user, aaa_session_user(&ls->acct)) != 0)
		return false;
	if (m->framed_ip != 0 && m->framed_ip != sl->peer_addr)
		return false;
	return true;
}

unsigned
lns_dae_disconnect(struct roles *r, const struct radius_dae_match *m,
    uint64_t now)
{
	struct session_link *sl, *found[64];
	unsigned n = 0;

	/* Collect first: closing may end links while we walk. */
	LIST_FOREACH(sl, &r->links, entry)
	if (n < 64 && lns_dae_matches(sl, m))
		found[n++] = sl;
	for (unsigned i = 0; i < n; i++)
		lns_end_with(found[i], AAA_CAUSE_ADMIN_RESET,
		    "radius disconnect", now);
	return n;
}

/*
 * The plan a CoA-Request asks for: Mikrotik-Rate-Limit first, then
 * Filter-Id, as at authentication.  -1 when what it names cannot be
 * used: RFC 5176 §3.5 Invalid-Attribute-Value, nothing changes.
 */
static int
lns_coa_rate(const struct roles *r, const struct radius_dae_coa *c,
    struct lns_rate_choice *out)
{
	memset(out, 0, sizeof(*out));
	if (c->rate_limit[0] != '\0') {
		if (lns_rate_parse_mikrotik(c->rate_limit, &out->down_bps,
			&out->up_bps) < 0) {
			log_warnx("lns: CoA: Mikrotik-Rate-Limit \"%s\" is not "
				  "RATE[/RATE]",
			    c->rate_limit);
			return -1;
		}
		out->direct = true;
		out->source = LNS_RATE_COA;
		return 0;
	}
	if (c->filter_id[0] != '\0') {
		if ((out->plan = cfg_rate_plan_find(r->cfg, c->filter_id)) ==
		    NULL) {
			log_warnx("lns: CoA: Filter-Id \"%s\": no such "
				  "rate-plan",
			    c->filter_id);
			return -1;
		}
		out->source = LNS_RATE_COA;
	}
	return 0;
}

unsigned
lns_dae_coa(struct roles *r, const struct radius_dae_match *m,
    const struct radius_dae_coa *c, uint64_t now, enum radius_dae_error *err)
{
	struct session_link *sl;
	struct lns_rate_choice rc;
	bool rate = c->rate_limit[0] != '\0' || c->filter_id[0] != '\0';
	unsigned n = 0;

	*err = RADIUS_DAE_OK;
	if (rate && lns_coa_rate(r, c, &rc) < 0) {
		*err = RADIUS_DAE_INVALID_ATTRIBUTE_VALUE;
		return 0;
	}
	LIST_FOREACH(sl, &r->links, entry)
	{
		struct lns_sess *ls = sl->owner;

		if (!lns_dae_matches(sl, m))
			continue;
		if (c->has_timeout) {
			/* The new Session-Timeout counts from now; 0 lifts
			 * it. */
			ls->session_end = c->session_timeout != 0 ?
			    now + (uint64_t)c->session_timeout * 1000 :
			    0;
			lns_sess_schedule(&r->lns, ls);
			log_info("lns: user %s: Session-Timeout now %u s (CoA)",
			    aaa_session_user(&ls->acct), c->session_timeout);
		}
		if (rate)
			lns_rate_set(sl, ls, &rc, now);
		n++;
	}
	return n;
}

int
lns_set_rate_plan(struct roles *r, uint16_t session_id, const char *plan,
    uint64_t now, char *why, size_t whylen)
{
	struct session_link *sl;
	struct lns_rate_choice c;

	memset(&c, 0, sizeof(c));
	c.source = LNS_RATE_CTL;
	if (strcmp(plan, "none") != 0 &&
	    (c.plan = cfg_rate_plan_find(r->cfg, plan)) == NULL) {
		snprintf(why, whylen, "no rate plan \"%s\"", plan);
		return -1;
	}
	LIST_FOREACH(sl, &r->links, entry)
	{
		struct l2tp_session *s;
		struct l2tp_session_info si;

		if (sl->ended || !lns_owns(sl) || sl->owner == NULL ||
		    (s = sl_l2tp_session(sl)) == NULL)
			continue;
		l2tp_session_get_info(s, &si);
		if (si.local_id != session_id)
			continue;
		lns_rate_set(sl, sl->owner, &c, now);
		return 0;
	}
	snprintf(why, whylen, "no LNS session %u with a PPP link", session_id);
	return -1;
}

/* ---- the LNS as the owner of the tunnels it accepted (role_ops.h) ---- */

/* Tunnels hold no LNS state: sessions come and go on their own. */
static void
lns_tunnel_event(struct roles *r, void *ctx, struct l2tp_tunnel *t,
    uint64_t now)
{
	(void)r;
	(void)ctx;
	(void)t;
	(void)now;
}

/* The PPP link ends with its carrier (it frees itself later). */
static void
lns_session_down(struct roles *r, void *ctx, struct l2tp_session *s,
    uint64_t now)
{
	struct session_link *sl = l2tp_session_user(s);

	(void)ctx;
	(void)now; /* the link reads the roles' now when it ends */
	lns_al_drop(&r->lns.al_pending, s); /* never connected */
	if (sl != NULL)
		sl_carrier_gone(sl);
}

static void
lns_describe_session(struct roles *r, void *ctx, struct l2tp_session *s,
    struct roles_session_view *v)
{
	struct session_link *sl = l2tp_session_user(s);

	(void)ctx;
	if (r->lns.tun.fd >= 0)
		v->interface = r->lns.tun.name;
	if (sl != NULL && !sl->ended && *ppp_link_user(sl->link))
		v->user = ppp_link_user(sl->link);
	sl_describe(sl, false, v);
	if (sl != NULL && !sl->ended && lns_owns(sl) && sl->owner != NULL) {
		static const struct lns_fp never;
		struct lns_sess *ls = sl->owner;
		const struct lns_rate *rt = lns_sess_rate(ls);
		const struct lns_fp *fp = ls->fp != NULL ? ls->fp : &never;
		struct fastpath_counters c;

		lns_fp_counters(sl, ls, &c);
		v->path = ls->fp_in ? "kernel" : "user";
		v->fp_rx_packets = fp->done.rx_packets + c.rx_packets;
		v->fp_tx_packets = fp->done.tx_packets + c.tx_packets;
		v->fp_rx_bytes = fp->done.rx_bytes + c.rx_bytes;
		v->fp_tx_bytes = fp->done.tx_bytes + c.tx_bytes;
		lns6_prefix_str(ls->v6, v->ipv6_prefix, sizeof(v->ipv6_prefix));
		if (rt->plan[0] != '\0')
			v->rate_plan = rt->plan;
		v->rate_down_bps = rt->down_bps;
		v->rate_up_bps = rt->up_bps;
		v->police_up_drop_packets = rt->up.drop_packets +
		    fp->done.police_up_drop_packets + c.police_up_drop_packets;
		v->police_up_drop_bytes = rt->up.drop_bytes +
		    fp->done.police_up_drop_bytes + c.police_up_drop_bytes;
		v->police_down_drop_packets = rt->down.drop_packets +
		    fp->done.police_down_drop_packets +
		    c.police_down_drop_packets;
		v->police_down_drop_bytes = rt->down.drop_bytes +
		    fp->done.police_down_drop_bytes + c.police_down_drop_bytes;
		v->access_line = ls->al != NULL ? &ls->al->al : NULL;
		lns6_delegated_str(ls->v6, v->delegated_prefix,
		    sizeof(v->delegated_prefix));
	}
}

const struct role_ops lns_role_ops = {
	.tunnel_up = lns_tunnel_event,
	.tunnel_down = lns_tunnel_event,
	.session_request = lns_session_request,
	.session_up = lns_session_up,
	.session_down = lns_session_down,
	.session_data = sl_session_data,
	.describe = lns_describe_session,
};
