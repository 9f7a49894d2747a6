/*
 * lns_rate.c — choosing an LNS session's rate plan and policing its user
 * path (lns_rate.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include "config/schema.h"
#include "roles/lns_rate.h"

#define NS_PER_MS 1000000ULL

const char *
lns_rate_source_str(enum lns_rate_source s)
{
	switch (s) {
	/* clang-format off */
	case LNS_RATE_NONE:	 return "none";
	case LNS_RATE_DEFAULT:	 return "default";
	case LNS_RATE_PEER:	 return "peer";
	case LNS_RATE_USERS:	 return "users";
	case LNS_RATE_FILTER_ID: return "filter-id";
	case LNS_RATE_RADIUS:	 return "radius";
	case LNS_RATE_COA:	 return "coa";
	case LNS_RATE_CTL:	 return "vpdnctl";
		/* clang-format on */
	}
	return "?";
}

/* One rate of the string: digits and an optional k/M/G in either case (the
 * servers' dictionaries write "2m" as often as "2M"). */
static int
parse_one(const char *s, size_t n, uint64_t *out)
{
	char buf[32];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (buf[n - 1] == 'm' || buf[n - 1] == 'g')
		buf[n - 1] = (char)toupper((unsigned char)buf[n - 1]);
	return schema_parse_rate(buf, out);
}

int
lns_rate_parse_mikrotik(const char *s, uint64_t *down, uint64_t *up)
{
	size_t n = strcspn(s, " \t"), slash = strcspn(s, "/");
	uint64_t rx, tx;

	if (slash < n) {
		if (parse_one(s, slash, &rx) < 0 ||
		    parse_one(s + slash + 1, n - slash - 1, &tx) < 0)
			return -1;
	} else {
		if (parse_one(s, n, &rx) < 0)
			return -1;
		tx = rx;
	}
	/* From the NAS's view: it receives (rx) what the user uploads. */
	*up = rx;
	*down = tx;
	return 0;
}

void
lns_rate_choose(const struct vpdn_config *cfg, const char *rate_limit,
    const char *filter_id, const char *user_plan, const char *peer_plan,
    struct lns_rate_choice *out, char *warn, size_t warnlen)
{
	const struct cfg_rate_plan *p;

	memset(out, 0, sizeof(*out));
	if (warnlen > 0)
		warn[0] = '\0';
	if (rate_limit != NULL && rate_limit[0] != '\0') {
		if (lns_rate_parse_mikrotik(rate_limit, &out->down_bps,
			&out->up_bps) == 0) {
			out->direct = true;
			out->source = LNS_RATE_RADIUS;
			return;
		}
		snprintf(warn, warnlen,
		    "Mikrotik-Rate-Limit \"%s\" is not RATE[/RATE]",
		    rate_limit);
	}
	if (filter_id != NULL && filter_id[0] != '\0') {
		if ((p = cfg_rate_plan_find(cfg, filter_id)) != NULL) {
			out->plan = p;
			out->source = LNS_RATE_FILTER_ID;
			return;
		}
		snprintf(warn, warnlen, "Filter-Id \"%s\": no such rate-plan",
		    filter_id);
	}
	if (user_plan != NULL && user_plan[0] != '\0' &&
	    (p = cfg_rate_plan_find(cfg, user_plan)) != NULL) {
		out->plan = p;
		out->source = LNS_RATE_USERS;
		return;
	}
	if (peer_plan != NULL && peer_plan[0] != '\0' &&
	    (p = cfg_rate_plan_find(cfg, peer_plan)) != NULL) {
		out->plan = p;
		out->source = LNS_RATE_PEER;
		return;
	}
	if (cfg->lns.rate_plan[0] != '\0' &&
	    (p = cfg_rate_plan_find(cfg, cfg->lns.rate_plan)) != NULL) {
		out->plan = p;
		out->source = LNS_RATE_DEFAULT;
	}
}

const char *
lns_rate_str(uint64_t bps, char *buf, size_t len)
{
	if (bps != 0 && bps % 1000000000 == 0)
		snprintf(buf, len, "%lluG",
		    (unsigned long long)(bps / 1000000000));
	else if (bps != 0 && bps % 1000000 == 0)
		snprintf(buf, len, "%lluM",
		    (unsigned long long)(bps / 1000000));
	else if (bps != 0 && bps % 1000 == 0)
		snprintf(buf, len, "%lluk", (unsigned long long)(bps / 1000));
	else
		snprintf(buf, len, "%llu", (unsigned long long)bps);
	return buf;
}

void
lns_rate_apply(struct lns_rate *r, const struct lns_rate_choice *c,
    uint64_t now_ms)
{
	uint64_t now = now_ms * NS_PER_MS;

	r->source = c->source;
	r->direct = c->direct;
	if (c->plan != NULL) {
		strlcpy(r->plan, c->plan->name, sizeof(r->plan));
		r->down_bps = c->plan->down;
		r->up_bps = c->plan->up;
		r->down_burst = cfg_rate_plan_burst(c->plan, r->down_bps);
		r->up_burst = cfg_rate_plan_burst(c->plan, r->up_bps);
	} else if (c->direct) {
		char d[24], u[24];
		struct cfg_rate_plan dflt = {
			.burst = { .ms = LNS_RATE_DIRECT_BURST_MS },
		};

		snprintf(r->plan, sizeof(r->plan), "%s/%s",
		    lns_rate_str(c->down_bps, d, sizeof(d)),
		    lns_rate_str(c->up_bps, u, sizeof(u)));
		r->down_bps = c->down_bps;
		r->up_bps = c->up_bps;
		r->down_burst = cfg_rate_plan_burst(&dflt, r->down_bps);
		r->up_burst = cfg_rate_plan_burst(&dflt, r->up_bps);
	} else {
		r->plan[0] = '\0';
		r->down_bps = r->up_bps = 0;
		r->down_burst = r->up_burst = CFG_BURST_MIN;
	}
	policer_set(&r->down, r->down_bps, r->down_burst, now);
	policer_set(&r->up, r->up_bps, r->up_burst, now);
}

bool
lns_rate_limited(const struct lns_rate *r)
{
	return r->down_bps != 0 || r->up_bps != 0;
}

bool
lns_rate_admit_down(struct lns_rate *r, uint64_t now_ms, size_t len)
{
	return r->down_bps == 0 ||
	    policer_admit(&r->down, now_ms * NS_PER_MS,
		len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
}

bool
lns_rate_admit_up(struct lns_rate *r, uint64_t now_ms, size_t len)
{
	return r->up_bps == 0 ||
	    policer_admit(&r->up, now_ms * NS_PER_MS,
		len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
}
