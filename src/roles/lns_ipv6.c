/*
 * lns_ipv6.c — IPv6 for the LNS's subscribers (see lns_ipv6.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "dataplane/prefix6pool.h"
#include "ipv6/ra.h"
#include "radius/radius_auth.h"
#include "roles/aaa.h"
#include "roles/lns_dhcpv6.h"
#include "roles/lns_ipv6.h"
#include "roles/lns_rate.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

#define LNS6_BUCKETS		4096 /* power of two */
/* RFC 4861 §6.2.1 AdvValidLifetime / AdvPreferredLifetime defaults. */
#define LNS6_VALID_LIFETIME	86400
#define LNS6_PREFERRED_LIFETIME 14400
/* §6.2.1 AdvDefaultLifetime: 3 * MaxRtrAdvInterval. */
#define LNS6_ROUTER_LIFETIME	(3 * RA_MAX_RTR_ADV_INTERVAL_MS / 1000)
/* RFC 8106 §5.1: at least 3 * MaxRtrAdvInterval by default. */
#define LNS6_DNS_LIFETIME	(3 * RA_MAX_RTR_ADV_INTERVAL_MS / 1000)
#define LNS6_CUR_HOP_LIMIT	64 /* RFC 8200 §3 / IANA default */

struct lns6_sess {
	struct session_link *sl;
	struct lns6_sess *next; /* hash chain */
	struct lns6_sess *next_deleg;
	struct heap_node timer;
	struct ra_sched sched;
	struct aaa_counters *ctr;
	uint64_t *last_activity;
	/* The session's rate plan (lns_rate.h): IPv6 shares its buckets
	 * with IPv4; the session's pointer, NULL until it has a plan. */
	struct lns_rate **rate;
	uint8_t our_id[8];
	uint8_t prefix[16];
	bool up;	  /* IPv6CP opened, network set up */
	bool have_prefix; /* prefix is the session's /64 */
	bool pool_holds;  /* prefix came from (or is held in) the pool */
	bool routed;	  /* route6 added, in the hash */
	bool deleg_listed;
	bool deleg_hashed; /* in deleg_buckets, not the list */
	uint8_t deleg[16];
	unsigned deleg_len; /* 0: none */
	/* From RADIUS (lns6_apply_reply). */
	bool radius_prefix;
	uint8_t radius_pfx[16];
	uint8_t dns6[2][16];
	unsigned dns6_count;
	/* DHCPv6 prefix delegation (lns_dhcpv6.c): the server once the
	 * first message came; RADIUS's Delegated-IPv6-Prefix. */
	struct lns6pd_sess *pd;
	uint8_t radius_deleg[16];
	unsigned radius_deleg_len; /* 0: none */
};

struct lns6 {
	bool pool_on;
	struct prefix6pool pool;
	struct cfg_ip6_prefix pool_cfg; /* what pool was made from */
	struct lns6_sess *buckets[LNS6_BUCKETS];
	/* Sessions with a delegated prefix: hashed by its first deleg_len
	 * bits when it is that long (the pool's delegated-prefix-length, as
	 * at start), else (RADIUS prefixes of other lengths) in a list. */
	struct lns6_sess *delegated;
	struct lns6_sess *deleg_buckets[LNS6_BUCKETS];
	unsigned deleg_len;
	struct heap timers;
	struct lns6_stats st;
	struct lns6pd *pd; /* DHCPv6 prefix delegation */
};

static const char *
ip6_str(const uint8_t a[16], char *buf, size_t len)
{
	if (inet_ntop(AF_INET6, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static unsigned
bucket_of(const uint8_t a[16])
{
	uint64_t h = 0;

	for (unsigned i = 0; i < 8; i++)
		h = h << 8 | a[i];
	/* Fibonacci hashing of the upper 64 bits. */
	h *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(h >> 52) & (LNS6_BUCKETS - 1);
}

static int
pool_make(struct lns6 *x, const struct cfg_ip6_prefix *p)
{
	x->pool_on = false;
	memset(&x->pool_cfg, 0, sizeof(x->pool_cfg));
	if (!p->set)
		return 0;
	if (prefix6pool_init(&x->pool, p->addr, p->len, 64) < 0) {
		log_warnx("lns: ipv6-pool: cannot hold its /64s");
		return -1;
	}
	x->pool_on = true;
	x->pool_cfg = *p;
	return 0;
}

int
lns6_init(struct roles *r)
{
	struct lns6 *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return -1;
	heap_init(&x->timers);
	x->deleg_len = r->cfg->lns.delegated_len;
	if (pool_make(x, &r->cfg->lns.ipv6_pool) < 0 ||
	    (x->pd = lns6pd_new(r->cfg)) == NULL) {
		if (x->pool_on)
			prefix6pool_free(&x->pool);
		heap_free(&x->timers);
		free(x);
		return -1;
	}
	r->lns.v6 = x;
	return 0;
}

void
lns6_free(struct roles *r)
{
	struct lns6 *x = r->lns.v6;

	if (x == NULL)
		return;
	if (x->pool_on)
		prefix6pool_free(&x->pool);
	lns6pd_free(x->pd);
	heap_free(&x->timers);
	free(x);
	r->lns.v6 = NULL;
}

void
lns6_reconfigure(struct roles *r, const struct vpdn_config *cfg)
{
	struct lns6 *x = r->lns.v6;
	const struct cfg_ip6_prefix *p = &cfg->lns.ipv6_pool;

	if (x != NULL)
		lns6pd_reconfigure(x->pd, cfg);
	if (x == NULL ||
	    (p->set == x->pool_cfg.set &&
		(!p->set ||
		    (p->len == x->pool_cfg.len &&
			memcmp(p->addr, x->pool_cfg.addr, 16) == 0))))
		return;
	if (x->pool_on && prefix6pool_used(&x->pool) > 0) {
		log_warnx("lns: ipv6-pool changed while %u sessions hold a "
			  "/64 of it: the old pool stays until restart",
		    prefix6pool_used(&x->pool));
		return;
	}
	if (x->pool_on)
		prefix6pool_free(&x->pool);
	(void)pool_make(x, p);
}

const struct lns6_stats *
lns6_stats(const struct roles *r)
{
	static const struct lns6_stats none;

	return r->lns.v6 != NULL ? &r->lns.v6->st : &none;
}

void
lns6_pool_view(const struct roles *r, struct lns6_pool_view *v)
{
	const struct lns6 *x = r->lns.v6;
	char a[INET6_ADDRSTRLEN];

	memset(v, 0, sizeof(*v));
	if (x == NULL || !x->pool_on)
		return;
	v->configured = true;
	snprintf(v->prefix, sizeof(v->prefix), "%s/%u",
	    ip6_str(x->pool_cfg.addr, a, sizeof(a)), x->pool_cfg.len);
	v->size = prefix6pool_size(&x->pool);
	v->used = prefix6pool_used(&x->pool);
}

void
roles_ipv6_stats(const struct roles *r, struct roles_tun_stats *st)
{
	const struct lns6 *x = r->lns.v6;

	if (x == NULL || !cfg_lns_ipv6(&r->cfg->lns))
		return;
	st->ipv6 = true;
	st->ipv6_rx_packets = x->st.rx_packets;
	st->ipv6_tx_packets = x->st.tx_packets;
	st->ipv6_spoofed = x->st.rx_spoofed;
	st->ipv6_bad = x->st.rx_bad;
	st->ipv6_to_lns = x->st.rx_to_lns;
	st->ipv6_no_session = x->st.tun_no_session;
	st->ipv6_rs = x->st.rs_received;
	st->ipv6_rs_invalid = x->st.rs_invalid;
	st->ipv6_ra = x->st.ra_sent;
	st->ipv6_no_prefix = x->st.prefix_refused;
	if (x->pool_on) {
		st->ipv6_pool_size = prefix6pool_size(&x->pool);
		st->ipv6_pool_used = prefix6pool_used(&x->pool);
	}
	{
		const struct lns6pd_stats *p = lns6pd_stats(x->pd);
		char pfx[64];
		unsigned plen;
		uint32_t size, used;

		st->dhcpv6_rx = p->rx;
		st->dhcpv6_tx = p->tx;
		st->dhcpv6_dropped = p->dropped;
		st->dhcpv6_bad = p->bad;
		st->pd_no_prefix = p->no_prefix;
		if (lns6pd_pool(x->pd, pfx, sizeof(pfx), &plen, &size, &used)) {
			st->pd_pool_size = size;
			st->pd_pool_used = used;
		}
	}
}

bool
roles_pd_pool(const struct roles *r, char *prefix, size_t len, unsigned *plen,
    uint32_t *size, uint32_t *used)
{
	return lns6_pd_pool(r, prefix, len, plen, size, used);
}

bool
roles_ipv6_pool(const struct roles *r, char *prefix, size_t len, uint32_t *size,
    uint32_t *used)
{
	struct lns6_pool_view v;

	lns6_pool_view(r, &v);
	if (!v.configured)
		return false;
	snprintf(prefix, len, "%s", v.prefix);
	*size = v.size;
	*used = v.used;
	return true;
}

static struct lns6_sess *
sess_get(struct session_link *sl, struct lns6_sess **v6)
{
	if (*v6 == NULL) {
		*v6 = calloc(1, sizeof(**v6));
		if (*v6 == NULL)
			return NULL;
		(*v6)->sl = sl;
		heap_node_init(&(*v6)->timer);
	}
	return *v6;
}

void
lns6_apply_reply(struct session_link *sl, struct lns6_sess **v6,
    const struct radius_auth_reply *rep)
{
	struct lns6_sess *s;
	char a[INET6_ADDRSTRLEN];
	const char *user = ppp_link_user(sl->link);

	if (rep->ipv6_pool[0] != '\0')
		log_info("lns: user %s: Framed-IPv6-Pool \"%s\": using the "
			 "one ipv6-pool",
		    user, rep->ipv6_pool);
	/* RFC 3162 §2.2: the identifier the user's end takes; else the
	 * one of its Framed-IPv6-Address (RFC 6911 §3.1), so that SLAAC
	 * (RFC 4862 §5.5.3 with that identifier) forms exactly it. */
	if (rep->has_interface_id)
		ppp_link_set_ipv6_peer_id(sl->link, rep->interface_id);
	else if (rep->has_ipv6_address)
		ppp_link_set_ipv6_peer_id(sl->link, rep->ipv6_address + 8);
	if (rep->deleg_pool[0] != '\0')
		log_info("lns: user %s: Delegated-IPv6-Prefix-Pool \"%s\": "
			 "using the one delegated-prefix-pool",
		    user, rep->deleg_pool);
	if (!rep->has_ipv6_prefix && !rep->has_ipv6_address &&
	    rep->dns6_count == 0 && !rep->has_deleg_prefix)
		return;
	if ((s = sess_get(sl, v6)) == NULL)
		return;
	/* RFC 4818: the prefix DHCPv6 delegates to this user (at most a
	 * /64: the client numbers /64 links out of it). */
	if (rep->has_deleg_prefix && rep->deleg_prefix_len > 0 &&
	    rep->deleg_prefix_len <= 64) {
		memcpy(s->radius_deleg, rep->deleg_prefix, 16);
		s->radius_deleg_len = rep->deleg_prefix_len;
	} else if (rep->has_deleg_prefix) {
		log_warnx("lns: user %s: Delegated-IPv6-Prefix %s/%u ignored: "
			  "not /1../64",
		    user, ip6_str(rep->deleg_prefix, a, sizeof(a)),
		    rep->deleg_prefix_len);
	}
	if (rep->has_ipv6_prefix) {
		/* RFC 3162 §2.3 "to be advertised in RAs": SLAAC needs a
		 * /64 (RFC 4862 §5.5.3 with RFC 4291 identifiers). */
		if (rep->ipv6_prefix_len == 64) {
			memcpy(s->radius_pfx, rep->ipv6_prefix, 16);
			s->radius_prefix = true;
		} else {
			log_warnx("lns: user %s: Framed-IPv6-Prefix %s/%u "
				  "ignored: not a /64",
			    user, ip6_str(rep->ipv6_prefix, a, sizeof(a)),
			    rep->ipv6_prefix_len);
		}
	} else if (rep->has_ipv6_address) {
		/* RFC 6911 §3.1: the /64 around the address is what the
		 * user's SLAAC address comes from. */
		memcpy(s->radius_pfx, rep->ipv6_address, 8);
		memset(s->radius_pfx + 8, 0, 8);
		s->radius_prefix = true;
	}
	/* RFC 6911 §3.2: per-user DNS servers replace dns6. */
	s->dns6_count = rep->dns6_count;
	memcpy(s->dns6, rep->dns6, sizeof(s->dns6));
}

static void
hash_insert(struct lns6 *x, struct lns6_sess *s)
{
	unsigned b = bucket_of(s->prefix);

	s->next = x->buckets[b];
	x->buckets[b] = s;
}

static void
hash_remove(struct lns6 *x, struct lns6_sess *s)
{
	struct lns6_sess **pp = &x->buckets[bucket_of(s->prefix)];

	for (; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			s->next = NULL;
			return;
		}
}

/* The bucket of the first len (<= 64) bits of a. */
static unsigned
deleg_bucket(const uint8_t a[16], unsigned len)
{
	uint8_t m[16] = { 0 };

	memcpy(m, a, 8);
	for (unsigned b = len; b < 64; b++)
		m[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
	return bucket_of(m);
}

static struct lns6_sess *
hash_find(const struct lns6 *x, const uint8_t dst[16])
{
	struct lns6_sess *s = x->buckets[bucket_of(dst)];

	for (; s != NULL; s = s->next)
		if (memcmp(s->prefix, dst, 8) == 0)
			return s;
	if (x->deleg_len > 0)
		for (s = x->deleg_buckets[deleg_bucket(dst, x->deleg_len)];
		     s != NULL; s = s->next_deleg)
			if (prefix6_match(dst, s->deleg, s->deleg_len))
				return s;
	for (s = x->delegated; s != NULL; s = s->next_deleg)
		if (prefix6_match(dst, s->deleg, s->deleg_len))
			return s;
	return NULL;
}

/* The session's /64: RADIUS's (held in the pool when inside it), else one
 * from the pool; false when there is none to give. */
static bool
take_prefix(struct roles *r, struct lns6_sess *s)
{
	struct lns6 *x = r->lns.v6;
	char a[INET6_ADDRSTRLEN];

	if (s->radius_prefix) {
		memcpy(s->prefix, s->radius_pfx, 16);
		if (hash_find(x, s->prefix) != NULL) {
			log_warnx("lns: user %s: Framed-IPv6-Prefix %s/64 is "
				  "in use by another session",
			    ppp_link_user(s->sl->link),
			    ip6_str(s->prefix, a, sizeof(a)));
			return false;
		}
		if (x->pool_on && prefix6pool_contains(&x->pool, s->prefix)) {
			if (prefix6pool_reserve(&x->pool, s->prefix) < 0)
				return false;
			s->pool_holds = true;
		}
		return true;
	}
	if (!x->pool_on)
		return false;
	if (prefix6pool_alloc(&x->pool, s->prefix) < 0) {
		log_warnx("lns: user %s: ipv6-pool exhausted (%u in use)",
		    ppp_link_user(s->sl->link), prefix6pool_used(&x->pool));
		return false;
	}
	s->pool_holds = true;
	return true;
}

static void
sess_schedule(struct lns6 *x, struct lns6_sess *s)
{
	if (heap_set(&x->timers, &s->timer, s->sched.next) < 0)
		log_warnx("lns: no memory for a Router Advertisement timer");
}

static void
send_ra(struct roles *r, struct lns6_sess *s, uint64_t now)
{
	struct lns6 *x = r->lns.v6;
	const struct cfg_lns *c = &r->cfg->lns;
	struct ra_params p;
	uint8_t pkt[RA_MAX_LEN];
	size_t n;

	memset(&p, 0, sizeof(p));
	/* §6.1.2: from our link-local address; to all nodes. */
	ipv6_link_local(p.src, s->our_id);
	memcpy(p.dst, ipv6_all_nodes, 16);
	p.cur_hop_limit = LNS6_CUR_HOP_LIMIT;
	p.router_lifetime = LNS6_ROUTER_LIFETIME;
	if (s->have_prefix) {
		p.has_prefix = true;
		memcpy(p.prefix, s->prefix, 16);
		p.prefix_len = 64;
		p.valid_lifetime = LNS6_VALID_LIFETIME;
		p.preferred_lifetime = LNS6_PREFERRED_LIFETIME;
	}
	/* §4.6.4: the link's MTU, which is the TUN's. */
	p.mtu = c->mtu;
	if (s->dns6_count > 0) {
		memcpy(p.dns, s->dns6, sizeof(s->dns6));
		p.dns_count = s->dns6_count;
	} else {
		memcpy(p.dns, c->dns6, sizeof(c->dns6));
		p.dns_count = c->dns6_count;
	}
	p.dns_lifetime = LNS6_DNS_LIFETIME;
	n = ra_build(&p, pkt, sizeof(pkt));
	if (n > 0 && sl_send_ipv6(s->sl, pkt, n) == 0) {
		x->st.ra_sent++;
		x->st.tx_packets++;
		x->st.tx_octets += n;
	}
	ra_sched_sent(&s->sched, now, random_u32());
}

void
lns6_up(struct session_link *sl, struct lns6_sess **v6,
    struct aaa_counters *ctr, uint64_t *last_activity, struct lns_rate **rate,
    const uint8_t local_id[8], const uint8_t peer_id[8])
{
	struct roles *r = sl->roles;
	struct lns *l = &r->lns;
	struct lns6 *x = l->v6;
	struct lns6_sess *s;
	char a[INET6_ADDRSTRLEN];

	(void)peer_id;
	if (x == NULL || (s = sess_get(sl, v6)) == NULL)
		return;
	if (s->up)
		lns6_down(sl, v6, false);
	s->ctr = ctr;
	s->last_activity = last_activity;
	s->rate = rate;
	memcpy(s->our_id, local_id, 8);
	s->up = true;
	s->have_prefix = take_prefix(r, s);
	if (s->have_prefix) {
		hash_insert(x, s);
		s->routed = true;
		if (RIO(r, route6_add, &l->rt, l->tun.ifindex, s->prefix, 64) <
		    0)
			log_warnx("lns: route %s/64 dev %s: %s",
			    ip6_str(s->prefix, a, sizeof(a)), l->tun.name,
			    route_error(&l->rt));
		log_info("lns: user %s: IPv6 up with prefix %s/64",
		    ppp_link_user(sl->link), ip6_str(s->prefix, a, sizeof(a)));
	} else {
		x->st.prefix_refused++;
		log_info("lns: user %s: IPv6 up, link-local only (no /64)",
		    ppp_link_user(sl->link));
	}
	/* §6.2.4: the first RA at once, the next few soon after. */
	ra_sched_start(&s->sched, RA_MIN_RTR_ADV_INTERVAL_MS,
	    RA_MAX_RTR_ADV_INTERVAL_MS, r->now);
	sess_schedule(x, s);
}

void
lns6_down(struct session_link *sl, struct lns6_sess **v6, bool forget)
{
	struct roles *r = sl->roles;
	struct lns *l = &r->lns;
	struct lns6 *x = l->v6;
	struct lns6_sess *s = *v6;

	if (s == NULL || x == NULL)
		return;
	if (heap_node_queued(&s->timer))
		heap_remove(&x->timers, &s->timer);
	if (s->routed) {
		hash_remove(x, s);
		if (RIO(r, route6_del, &l->rt, l->tun.ifindex, s->prefix, 64) <
		    0)
			log_debug("lns: route6 del: %s", route_error(&l->rt));
		s->routed = false;
	}
	if (s->pool_holds) {
		(void)prefix6pool_release(&x->pool, s->prefix);
		s->pool_holds = false;
	}
	lns6pd_end(&s->pd);
	lns6_set_delegated(s, NULL, 0);
	s->have_prefix = false;
	s->up = false;
	if (forget) {
		free(s);
		*v6 = NULL;
	}
}

void
lns6_set_delegated(struct lns6_sess *v6, const uint8_t prefix[16],
    unsigned plen)
{
	struct lns6 *x;

	if (v6 == NULL)
		return;
	x = v6->sl->roles->lns.v6;
	if (v6->deleg_listed) {
		struct lns6_sess **pp = v6->deleg_hashed ?
		    &x->deleg_buckets[deleg_bucket(v6->deleg, v6->deleg_len)] :
		    &x->delegated;

		for (; *pp != NULL; pp = &(*pp)->next_deleg)
			if (*pp == v6) {
				*pp = v6->next_deleg;
				break;
			}
		v6->deleg_listed = false;
	}
	v6->deleg_len = 0;
	if (plen == 0 || plen > 128 || prefix == NULL) {
		lns_fp_ipv6_changed(v6->sl);
		return;
	}
	memcpy(v6->deleg, prefix, 16);
	v6->deleg_len = plen;
	/* One bucket per prefix of the pool's length: TUN -> session stays
	 * O(1) with a delegation per session. */
	v6->deleg_hashed = plen == x->deleg_len && plen <= 64;
	if (v6->deleg_hashed) {
		struct lns6_sess **b =
		    &x->deleg_buckets[deleg_bucket(prefix, plen)];

		v6->next_deleg = *b;
		*b = v6;
	} else {
		v6->next_deleg = x->delegated;
		x->delegated = v6;
	}
	v6->deleg_listed = true;
	/* The kernel fast path carries the delegated prefix too. */
	lns_fp_ipv6_changed(v6->sl);
	lns_acct_delegated_bound(v6->sl, prefix, plen);
}

static bool
is_link_scope(const uint8_t a[16])
{
	/* fe80::/10, or multicast with link or interface-local scope
	 * (RFC 4291 §2.7: scop 1 or 2). */
	return ipv6_is_link_local(a) ||
	    (a[0] == 0xff && ((a[1] & 0x0f) == 1 || (a[1] & 0x0f) == 2));
}

/* A packet for the LNS itself: a Router Solicitation is answered (§6.2.6),
 * DHCPv6 goes to the session's server, the rest (MLD reports) counted. */
static void
to_lns(struct roles *r, struct lns6_sess *s, const uint8_t *pkt, size_t len)
{
	struct lns6 *x = r->lns.v6;

	if (lns6pd_is_dhcpv6(pkt, len)) {
		const struct cfg_lns *c = &r->cfg->lns;
		uint8_t ll[16];

		ipv6_link_local(ll, s->our_id);
		lns6pd_input(r, x->pd, &s->pd, s->sl, s, ll,
		    s->dns6_count > 0 ? s->dns6 : c->dns6,
		    s->dns6_count > 0 ? s->dns6_count : c->dns6_count,
		    s->radius_deleg, s->radius_deleg_len, pkt, len);
		return;
	}

	if (ra_is_icmp6(pkt, len, ICMP6_RS)) {
		if (ra_rs_validate(pkt, len) < 0) {
			x->st.rs_invalid++;
			return;
		}
		x->st.rs_received++;
		ra_sched_solicited(&s->sched, r->now, random_u32());
		sess_schedule(x, s);
		return;
	}
	x->st.rx_to_lns++;
}

void
lns6_input(struct session_link *sl, struct lns6_sess *s, const uint8_t *pkt,
    size_t len)
{
	struct roles *r = sl->roles;
	struct lns *l = &r->lns;
	struct lns6 *x = l->v6;
	const uint8_t *src = pkt + 8, *dst = pkt + 24;
	char a[INET6_ADDRSTRLEN];

	if (x == NULL || s == NULL || !s->up)
		return;
	/* RFC 8200 §3: version 6 and the payload it says it has. */
	if (len < IPV6_HDR_LEN || (pkt[0] >> 4) != 6 ||
	    (size_t)(pkt[4] << 8 | pkt[5]) + IPV6_HDR_LEN > len) {
		x->st.rx_bad++;
		return;
	}
	if (is_link_scope(dst)) {
		/* RFC 4291 §2.5.6: never forwarded; the LNS's own. */
		to_lns(r, s, pkt, len);
		return;
	}
	if (!(s->have_prefix && prefix6_match(src, s->prefix, 64)) &&
	    !(s->deleg_len != 0 &&
		prefix6_match(src, s->deleg, s->deleg_len))) {
		x->st.rx_spoofed++;
		sl->spoofed++;
		LOG_RL(LOG_LEVEL_WARN,
		    "lns: user %s sent an IPv6 packet from %s, outside its "
		    "prefix: dropped",
		    ppp_link_user(sl->link), ip6_str(src, a, sizeof(a)));
		return;
	}
	if (*s->rate != NULL && !lns_rate_admit_up(*s->rate, r->now, len))
		return;
	x->st.rx_packets++;
	x->st.rx_octets += len;
	if (s->ctr != NULL) {
		s->ctr->in_octets += len;
		s->ctr->in_packets++;
	}
	if (s->last_activity != NULL)
		*s->last_activity = r->now;
	(void)RIO(r, tun_write, &l->tun, pkt, len);
}

bool
lns6_tun_packet(struct roles *r, const uint8_t *pkt, size_t len)
{
	struct lns6 *x = r->lns.v6;
	struct lns6_sess *s;

	/* Without IPv6 configured, IPv6 from the TUN is no session's: the
	 * caller counts it as before (tun_not_ipv4). */
	if (len < IPV6_HDR_LEN || (pkt[0] >> 4) != 6 || x == NULL ||
	    !cfg_lns_ipv6(&r->cfg->lns))
		return false;
	s = hash_find(x, pkt + 24);
	if (s == NULL || !s->up) {
		/* The kernel's own RS and MLD on the TUN land here too. */
		x->st.tun_no_session++;
		return true;
	}
	/* The rate plan, before the packet is sent to the user. */
	if (*s->rate != NULL && !lns_rate_admit_down(*s->rate, r->now, len))
		return true;
	if (sl_send_ipv6(s->sl, pkt, len) == 0) {
		x->st.tx_packets++;
		x->st.tx_octets += len;
		if (s->ctr != NULL) {
			s->ctr->out_octets += len;
			s->ctr->out_packets++;
		}
	}
	return true;
}

void
lns6_run_timers(struct roles *r, uint64_t now)
{
	struct lns6 *x = r->lns.v6;
	struct heap_node *n;

	if (x == NULL)
		return;
	r->now = now;
	while ((n = heap_min(&x->timers)) != NULL && n->key <= now) {
		struct lns6_sess *s = (struct lns6_sess *)((char *)n -
		    offsetof(struct lns6_sess, timer));

		heap_remove(&x->timers, n);
		if (!s->up || s->sl->ended)
			continue;
		send_ra(r, s, now);
		sess_schedule(x, s);
	}
}

uint64_t
lns6_next_deadline(const struct roles *r)
{
	const struct heap_node *n;

	if (r->lns.v6 == NULL)
		return TIME_NEVER;
	n = heap_min(&r->lns.v6->timers);
	return n != NULL ? n->key : TIME_NEVER;
}

void
lns6_prefix_str(const struct lns6_sess *v6, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (v6 == NULL || !v6->have_prefix) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	snprintf(out, len, "%s/64", ip6_str(v6->prefix, a, sizeof(a)));
}

bool
lns6_fp_prefixes(const struct lns6_sess *v6, uint8_t prefix[16],
    uint8_t deleg[16], unsigned *deleg_len)
{
	if (v6 == NULL || !v6->up || !v6->have_prefix || !v6->routed)
		return false;
	memcpy(prefix, v6->prefix, 16);
	memcpy(deleg, v6->deleg, 16);
	*deleg_len = v6->deleg_len;
	return true;
}

bool
lns6_prefix(const struct lns6_sess *v6, uint8_t prefix[16], unsigned *plen)
{
	if (v6 == NULL || !v6->have_prefix)
		return false;
	memcpy(prefix, v6->prefix, 16);
	*plen = 64;
	return true;
}

bool
lns6_delegated(const struct lns6_sess *v6, uint8_t prefix[16], unsigned *plen)
{
	return v6 != NULL && lns6pd_bound(v6->pd, prefix, plen);
}

void
lns6_delegated_str(const struct lns6_sess *v6, char *out, size_t len)
{
	uint8_t p[16];
	unsigned plen;
	char a[INET6_ADDRSTRLEN];

	if (!lns6_delegated(v6, p, &plen)) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	snprintf(out, len, "%s/%u", ip6_str(p, a, sizeof(a)), plen);
}

const struct lns6pd_stats *
lns6_pd_stats(const struct roles *r)
{
	return lns6pd_stats(r->lns.v6 != NULL ? r->lns.v6->pd : NULL);
}

bool
lns6_pd_pool(const struct roles *r, char *prefix, size_t len, unsigned *plen,
    uint32_t *size, uint32_t *used)
{
	return r->lns.v6 != NULL &&
	    lns6pd_pool(r->lns.v6->pd, prefix, len, plen, size, used);
}
