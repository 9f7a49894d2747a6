/*
 * lns_dhcpv6.c — DHCPv6 prefix delegation on the LNS (see lns_dhcpv6.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha1.h>

#include "config/config.h"
#include "core/log.h"
#include "dataplane/prefix6pool.h"
#include "ipv6/dhcpv6_server.h"
#include "ipv6/ra.h"
#include "ipv6/udp6.h"
#include "roles/lns_dhcpv6.h"
#include "roles/lns_ipv6.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

struct lns6pd {
	bool pool_on;
	struct prefix6pool pool;
	struct cfg_ip6_prefix pool_cfg;
	unsigned plen;
	bool rapid_commit;
	struct dhcpv6_duid duid;
	struct lns6pd_stats st;
};

struct lns6pd_sess {
	struct lns6pd *pd;
	struct roles *r;
	struct session_link *sl;
	struct lns6_sess *v6;
	struct dhcpv6_server srv;
	uint8_t radius_pfx[16];
	unsigned radius_len; /* 0: none */
	bool pool_holds;     /* the offered/bound prefix is the pool's */
	bool routed;
	uint8_t prefix[16]; /* bound, when routed */
	unsigned prefix_len;
};

static const char *
ip6_str(const uint8_t a[16], char *buf, size_t len)
{
	if (inet_ntop(AF_INET6, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* RFC 6355 DUID-UUID of the RFC 4122 §4.3 version 5 UUID of name in the
 * DNS namespace (§C: 6ba7b810-9dad-11d1-80b4-00c04fd430c8). */
static void
duid_from_name(struct dhcpv6_duid *d, const char *name)
{
	static const uint8_t ns_dns[16] = { 0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad,
		0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
	struct sha1_ctx c;
	uint8_t h[SHA1_DIGEST_SIZE];

	sha1_init(&c);
	sha1_update(&c, sizeof(ns_dns), ns_dns);
	sha1_update(&c, strlen(name), (const uint8_t *)name);
	sha1_digest(&c, sizeof(h), h);
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x50); /* version 5 */
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	memset(d, 0, sizeof(*d));
	d->b[0] = 0;
	d->b[1] = DHCPV6_DUID_UUID;
	memcpy(d->b + 2, h, 16);
	d->len = 18;
}

static int
pool_make(struct lns6pd *pd, const struct cfg_lns *c)
{
	pd->pool_on = false;
	memset(&pd->pool_cfg, 0, sizeof(pd->pool_cfg));
	pd->plen = c->delegated_len;
	if (!c->delegated_pool.set)
		return 0;
	if (prefix6pool_init(&pd->pool, c->delegated_pool.addr,
		c->delegated_pool.len, c->delegated_len) < 0) {
		log_warnx("lns: delegated-prefix-pool: cannot hold its /%u "
			  "prefixes",
		    c->delegated_len);
		return -1;
	}
	pd->pool_on = true;
	pd->pool_cfg = c->delegated_pool;
	return 0;
}

struct lns6pd *
lns6pd_new(const struct vpdn_config *cfg)
{
	struct lns6pd *pd = calloc(1, sizeof(*pd));

	if (pd == NULL)
		return NULL;
	if (pool_make(pd, &cfg->lns) < 0) {
		free(pd);
		errno = EINVAL;
		return NULL;
	}
	pd->rapid_commit = cfg->lns.dhcpv6_rapid_commit;
	duid_from_name(&pd->duid, cfg->global.hostname);
	return pd;
}

void
lns6pd_free(struct lns6pd *pd)
{
	if (pd == NULL)
		return;
	if (pd->pool_on)
		prefix6pool_free(&pd->pool);
	free(pd);
}

void
lns6pd_reconfigure(struct lns6pd *pd, const struct vpdn_config *cfg)
{
	const struct cfg_lns *c = &cfg->lns;

	if (pd == NULL)
		return;
	pd->rapid_commit = c->dhcpv6_rapid_commit;
	duid_from_name(&pd->duid, cfg->global.hostname);
	if (c->delegated_pool.set == pd->pool_cfg.set &&
	    c->delegated_len == pd->plen &&
	    (!c->delegated_pool.set ||
		(c->delegated_pool.len == pd->pool_cfg.len &&
		    memcmp(c->delegated_pool.addr, pd->pool_cfg.addr, 16) ==
			0)))
		return;
	if (pd->pool_on && prefix6pool_used(&pd->pool) > 0) {
		log_warnx("lns: delegated-prefix-pool changed while %u "
			  "sessions hold a prefix of it: the old pool stays "
			  "until restart",
		    prefix6pool_used(&pd->pool));
		return;
	}
	if (pd->pool_on)
		prefix6pool_free(&pd->pool);
	(void)pool_make(pd, c);
}

const struct lns6pd_stats *
lns6pd_stats(const struct lns6pd *pd)
{
	static const struct lns6pd_stats none;

	return pd != NULL ? &pd->st : &none;
}

bool
lns6pd_pool(const struct lns6pd *pd, char *prefix, size_t len, unsigned *plen,
    uint32_t *size, uint32_t *used)
{
	char a[INET6_ADDRSTRLEN];

	if (pd == NULL || !pd->pool_on)
		return false;
	snprintf(prefix, len, "%s/%u", ip6_str(pd->pool_cfg.addr, a, sizeof(a)),
	    pd->pool_cfg.len);
	*plen = pd->pool.plen;
	*size = prefix6pool_size(&pd->pool);
	*used = prefix6pool_used(&pd->pool);
	return true;
}

/* The lease provider of the session's server (dhcpv6_server.h). */
static int
lease_alloc(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct lns6pd_sess *s = ctx;
	struct lns6pd *pd = s->pd;
	char a[INET6_ADDRSTRLEN];

	(void)now;
	memset(l, 0, sizeof(*l));
	if (s->radius_len != 0) {
		/* RFC 4818 §1: RADIUS names the prefix to delegate; held
		 * in the pool when it is one of its prefixes. */
		memcpy(l->prefix, s->radius_pfx, 16);
		l->plen = (uint8_t)s->radius_len;
		if (pd->pool_on && s->radius_len == pd->pool.plen &&
		    prefix6pool_contains(&pd->pool, l->prefix)) {
			if (prefix6pool_reserve(&pd->pool, l->prefix) < 0) {
				log_warnx("lns: user %s: Delegated-IPv6-Prefix "
					  "%s/%u is in use",
				    ppp_link_user(s->sl->link),
				    ip6_str(l->prefix, a, sizeof(a)),
				    s->radius_len);
				pd->st.no_prefix++;
				return -1;
			}
			s->pool_holds = true;
		}
	} else {
		if (!pd->pool_on ||
		    prefix6pool_alloc(&pd->pool, l->prefix) < 0) {
			if (pd->pool_on)
				LOG_RL(LOG_LEVEL_WARN,
				    "lns: delegated-prefix-pool exhausted "
				    "(%u in use)",
				    prefix6pool_used(&pd->pool));
			pd->st.no_prefix++;
			return -1;
		}
		l->plen = (uint8_t)pd->pool.plen;
		s->pool_holds = true;
	}
	l->preferred = LNS6PD_PREFERRED_LIFETIME;
	l->valid = LNS6PD_VALID_LIFETIME;
	return 0;
}

static int
lease_renew(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	(void)ctx;
	(void)now;
	/* The lease lasts as long as the session: fresh lifetimes. */
	l->preferred = LNS6PD_PREFERRED_LIFETIME;
	l->valid = LNS6PD_VALID_LIFETIME;
	return 0;
}

static void
lease_release(void *ctx, const struct dhcpv6_pd_lease *l)
{
	struct lns6pd_sess *s = ctx;

	if (s->pool_holds) {
		(void)prefix6pool_release(&s->pd->pool, l->prefix);
		s->pool_holds = false;
	}
}

static void
lease_bound(void *ctx, const struct dhcpv6_pd_lease *l, bool bound)
{
	struct lns6pd_sess *s = ctx;
	struct roles *r = s->r;
	struct lns *ln = &r->lns;
	char a[INET6_ADDRSTRLEN];

	if (bound && !s->routed) {
		memcpy(s->prefix, l->prefix, 16);
		s->prefix_len = l->plen;
		s->routed = true;
		if (RIO(r, route6_add, &ln->rt, ln->tun.ifindex, s->prefix,
			s->prefix_len) < 0)
			log_warnx("lns: route %s/%u dev %s: %s",
			    ip6_str(s->prefix, a, sizeof(a)), s->prefix_len,
			    ln->tun.name, route_error(&ln->rt));
		lns6_set_delegated(s->v6, s->prefix, s->prefix_len);
		log_info("lns: user %s: delegated %s/%u (DHCPv6)",
		    ppp_link_user(s->sl->link),
		    ip6_str(s->prefix, a, sizeof(a)), s->prefix_len);
	} else if (!bound && s->routed) {
		lns6_set_delegated(s->v6, NULL, 0);
		if (RIO(r, route6_del, &ln->rt, ln->tun.ifindex, s->prefix,
			s->prefix_len) < 0)
			log_debug("lns: route6 del: %s", route_error(&ln->rt));
		s->routed = false;
		log_info("lns: user %s: delegation of %s/%u ended",
		    ppp_link_user(s->sl->link),
		    ip6_str(s->prefix, a, sizeof(a)), s->prefix_len);
	}
}

static const struct dhcpv6_lease_ops lease_ops = {
	.alloc = lease_alloc,
	.renew = lease_renew,
	.release = lease_release,
	.bound = lease_bound,
};

bool
lns6pd_is_dhcpv6(const uint8_t *pkt, size_t len)
{
	return len >= UDP6_HDR_LEN && pkt[6] == IPPROTO_UDP_N &&
	    (pkt[42] << 8 | pkt[43]) == DHCPV6_SERVER_PORT;
}

static struct lns6pd_sess *
sess_make(struct roles *r, struct lns6pd *pd, struct session_link *sl,
    struct lns6_sess *v6, const uint8_t (*dns)[16], unsigned ndns)
{
	struct lns6pd_sess *s = calloc(1, sizeof(*s));
	struct dhcpv6_server_config c;

	if (s == NULL)
		return NULL;
	s->pd = pd;
	s->r = r;
	s->sl = sl;
	s->v6 = v6;
	memset(&c, 0, sizeof(c));
	c.duid = pd->duid;
	c.rapid_commit = pd->rapid_commit;
	if (ndns > DHCPV6_MAX_DNS)
		ndns = DHCPV6_MAX_DNS;
	c.ndns = ndns;
	if (ndns > 0)
		memcpy(c.dns, dns, (size_t)ndns * 16);
	dhcpv6_server_init(&s->srv, &c, &lease_ops, s);
	return s;
}

void
lns6pd_input(struct roles *r, struct lns6pd *pd, struct lns6pd_sess **ps,
    struct session_link *sl, struct lns6_sess *v6, const uint8_t our_ll[16],
    const uint8_t (*dns)[16], unsigned ndns, const uint8_t radius_pfx[16],
    unsigned radius_len, const uint8_t *pkt, size_t len)
{
	struct udp6_view u;
	uint8_t msg[1024], out[UDP6_HDR_LEN + sizeof(msg)];
	size_t n;

	if (pd == NULL)
		return;
	/* RFC 8415 §7.1/§13.1: a client sends from its link-local address
	 * to ff02::1:2 (or, unicast, to ours) on port 547. */
	if (!udp6_parse(pkt, len, &u) || u.dport != DHCPV6_SERVER_PORT ||
	    !ipv6_is_link_local(u.src) ||
	    (memcmp(u.dst, ipv6_all_dhcp_servers, 16) != 0 &&
		memcmp(u.dst, our_ll, 16) != 0)) {
		pd->st.bad++;
		return;
	}
	if (*ps == NULL && (*ps = sess_make(r, pd, sl, v6, dns, ndns)) == NULL)
		return;
	if (radius_len != 0) {
		memcpy((*ps)->radius_pfx, radius_pfx, 16);
		(*ps)->radius_len = radius_len;
	}
	pd->st.rx++;
	n = dhcpv6_server_input(&(*ps)->srv, u.payload, u.plen, r->now, msg,
	    sizeof(msg));
	if (n == 0) {
		pd->st.dropped++;
		return;
	}
	/* §7.2: to the client's port; from our link-local address. */
	n = udp6_build(our_ll, u.src, DHCPV6_SERVER_PORT, u.sport, 255, msg, n,
	    out, sizeof(out));
	if (n > 0 && sl_send_ipv6(sl, out, n) == 0)
		pd->st.tx++;
}

void
lns6pd_end(struct lns6pd_sess **ps)
{
	if (*ps == NULL)
		return;
	/* Unbinds (route, anti-spoofing) and gives the prefix back. */
	dhcpv6_server_destroy(&(*ps)->srv);
	free(*ps);
	*ps = NULL;
}

bool
lns6pd_bound(const struct lns6pd_sess *ps, uint8_t prefix[16], unsigned *plen)
{
	if (ps == NULL || !ps->routed)
		return false;
	memcpy(prefix, ps->prefix, 16);
	*plen = ps->prefix_len;
	return true;
}
