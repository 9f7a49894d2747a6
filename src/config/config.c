/*
 * config.c — config_load(): file → ini events → schema rows → an immutable
 * struct vpdn_config, then the checks that span keys or sections.
 *
 * The loader remembers, for every section instance, the line of its header
 * and of each key it set (keyline[], indexed like schema_keys[]), so that a
 * cross-key problem such as "hide-avps = yes without tunnel-secret" is
 * reported at the line of the key that is wrong, and a second `mtu =` in the
 * same section can say where the first one was.
 *
 * Users files are NOT opened here: their paths are only recorded; the roles
 * load them (users.c) when they start, so `vpdnd -C` works on a config
 * written for another machine.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <bsd/string.h>

#include "config/config.h"
#include "core/file.h"
#include "config/ini.h"
#include "config/policy.h"
#include "config/schema.h"

#define CONFIG_MAX_FILE ((size_t)1024 * 1024)

struct load_sec {
	enum schema_section sec;
	unsigned idx;		      /* into realms[] / clients[] */
	int line;		      /* of the header */
	int keyline[SCHEMA_MAX_KEYS]; /* 0: not set */
};

struct loader {
	const char *file;
	struct vpdn_config *cfg;
	struct load_sec *secs;
	unsigned nsecs;
	int cur; /* index into secs, -1 before any */
};

/*
 * The defaults of the sections that exist once, from the schema rows; then
 * the one that is not a constant.  [realm] and [client] entries get theirs
 * in add_named(), nas-identifier and a client's interface are derived from
 * other keys in check_section().
 */
static int
config_defaults(struct vpdn_config *cfg, char *msg, size_t msglen)
{
	/* clang-format off */
	static const enum schema_section once[] = {
		SCHEMA_SEC_GLOBAL, SCHEMA_SEC_LNS, SCHEMA_SEC_LAC,
		SCHEMA_SEC_RADIUS, SCHEMA_SEC_SWITCH,
	};
	/* clang-format on */
	void *base[] = { &cfg->global, &cfg->lns, &cfg->lac, &cfg->radius,
		&cfg->sw };

	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (schema_apply_defaults(once[i], base[i], msg, msglen) < 0)
			return -1;
	if (gethostname(cfg->global.hostname,
		sizeof(cfg->global.hostname) - 1) < 0 ||
	    cfg->global.hostname[0] == '\0')
		strlcpy(cfg->global.hostname, "vpdn",
		    sizeof(cfg->global.hostname));
	return 0;
}

static void *
section_base(struct vpdn_config *cfg, const struct load_sec *ls)
{
	switch (ls->sec) {
	/* clang-format off */
	case SCHEMA_SEC_GLOBAL:	return &cfg->global;
	case SCHEMA_SEC_LNS:	return &cfg->lns;
	case SCHEMA_SEC_LAC:	return &cfg->lac;
	case SCHEMA_SEC_REALM:	return &cfg->realms[ls->idx];
	case SCHEMA_SEC_CLIENT:	return &cfg->clients[ls->idx];
	case SCHEMA_SEC_RADIUS:	return &cfg->radius;
	case SCHEMA_SEC_POOL:	return &cfg->pools[ls->idx];
	case SCHEMA_SEC_PEER:	return &cfg->peers[ls->idx];
	case SCHEMA_SEC_RATE_PLAN: return &cfg->rate_plans[ls->idx];
	case SCHEMA_SEC_SWITCH:	return &cfg->sw;
	case SCHEMA_SEC_COUNT:	break;
		/* clang-format on */
	}
	return NULL;
}

static const char *
section_name(const struct vpdn_config *cfg, const struct load_sec *ls)
{
	if (ls->sec == SCHEMA_SEC_REALM)
		return cfg->realms[ls->idx].name;
	if (ls->sec == SCHEMA_SEC_CLIENT)
		return cfg->clients[ls->idx].name;
	if (ls->sec == SCHEMA_SEC_POOL)
		return cfg->pools[ls->idx].name;
	if (ls->sec == SCHEMA_SEC_PEER)
		return cfg->peers[ls->idx].name;
	if (ls->sec == SCHEMA_SEC_RATE_PLAN)
		return cfg->rate_plans[ls->idx].name;
	return NULL;
}

static int
keyline(const struct load_sec *ls, const char *key)
{
	const struct schema_key *k = schema_key_find(ls->sec, key);

	return k == NULL ? 0 : ls->keyline[k - schema_keys];
}

/* Grows a named section's array by one zeroed entry; NULL: no memory. */
static void *
grow(void **arr, unsigned *count, size_t size)
{
	char *a = reallocarray(*arr, *count + 1, size);

	if (a == NULL)
		return NULL;
	*arr = a;
	memset(a + (size_t)*count * size, 0, size);
	return a + (size_t)(*count)++ * size;
}

/* A new [rate-plan NAME], with its defaults. */
static int
add_rate_plan(struct vpdn_config *cfg, const char *name, int line,
    unsigned *idx, char *msg, size_t msglen)
{
	struct cfg_rate_plan *p = reallocarray(cfg->rate_plans,
	    cfg->rate_plan_count + 1, sizeof(*p));

	if (p == NULL) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	cfg->rate_plans = p;
	p += cfg->rate_plan_count;
	memset(p, 0, sizeof(*p));
	strlcpy(p->name, name, sizeof(p->name));
	p->line = line;
	*idx = cfg->rate_plan_count++;
	return schema_apply_defaults(SCHEMA_SEC_RATE_PLAN, p, msg, msglen);
}

/* A new [realm]/[client]/[pool]/[peer]/[rate-plan] entry, with its
 * defaults. */
static int
add_named(struct loader *ld, enum schema_section sec, const char *name,
    int line, unsigned *idx, char *msg, size_t msglen)
{
	struct vpdn_config *cfg = ld->cfg;

	if (sec == SCHEMA_SEC_POOL || sec == SCHEMA_SEC_PEER) {
		bool pool = sec == SCHEMA_SEC_POOL;
		void *e = pool ? grow((void **)&cfg->pools, &cfg->pool_count,
				     sizeof(*cfg->pools)) :
				 grow((void **)&cfg->peers, &cfg->peer_count,
				     sizeof(*cfg->peers));

		if (e == NULL) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		if (pool) {
			strlcpy(cfg->pools[cfg->pool_count - 1].name, name,
			    CFG_MAX_STR);
			cfg->pools[cfg->pool_count - 1].line = line;
			*idx = cfg->pool_count - 1;
		} else {
			strlcpy(cfg->peers[cfg->peer_count - 1].name, name,
			    CFG_MAX_STR);
			cfg->peers[cfg->peer_count - 1].line = line;
			*idx = cfg->peer_count - 1;
		}
		return schema_apply_defaults(sec, e, msg, msglen);
	}
	if (sec == SCHEMA_SEC_RATE_PLAN)
		return add_rate_plan(cfg, name, line, idx, msg, msglen);
	if (sec == SCHEMA_SEC_REALM) {
		struct cfg_realm *r = reallocarray(cfg->realms,
		    cfg->realm_count + 1, sizeof(*r));

		if (r == NULL) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		cfg->realms = r;
		r += cfg->realm_count;
		memset(r, 0, sizeof(*r));
		strlcpy(r->name, name, sizeof(r->name));
		r->line = line;
		*idx = cfg->realm_count++;
		return schema_apply_defaults(SCHEMA_SEC_REALM, r, msg, msglen);
	} else {
		struct cfg_client *c = reallocarray(cfg->clients,
		    cfg->client_count + 1, sizeof(*c));

		if (c == NULL) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		cfg->clients = c;
		c += cfg->client_count;
		memset(c, 0, sizeof(*c));
		strlcpy(c->name, name, sizeof(c->name));
		c->line = line;
		*idx = cfg->client_count++;
		return schema_apply_defaults(SCHEMA_SEC_CLIENT, c, msg, msglen);
	}
}

static int
on_header(struct loader *ld, const struct ini_event *ev, char *msg,
    size_t msglen)
{
	enum schema_section sec;
	struct load_sec *ls;
	unsigned idx = 0;

	if (!schema_section_find(ev->section, &sec)) {
		snprintf(msg, msglen, "unknown section [%s]", ev->section);
		return -1;
	}
	if (schema_section_named(sec) && ev->name == NULL) {
		snprintf(msg, msglen, "[%s] needs a name: [%s NAME]",
		    ev->section, ev->section);
		return -1;
	}
	if (!schema_section_named(sec) && ev->name != NULL) {
		snprintf(msg, msglen, "[%s] takes no name", ev->section);
		return -1;
	}
	if (ev->name != NULL && strlen(ev->name) >= CFG_MAX_STR) {
		snprintf(msg, msglen,
		    "[%s] name too long (max %d "
		    "characters)",
		    ev->section, CFG_MAX_STR - 1);
		return -1;
	}
	for (unsigned i = 0; i < ld->nsecs; i++) {
		const struct load_sec *o = &ld->secs[i];
		const char *oname = section_name(ld->cfg, o);

		if (o->sec != sec)
			continue;
		if (ev->name == NULL) {
			snprintf(msg, msglen,
			    "duplicate section [%s] (first "
			    "at line %d)",
			    ev->section, o->line);
			return -1;
		}
		/* Realms are domain names, hence case-insensitive. */
		if (sec == SCHEMA_SEC_REALM ? strcasecmp(oname, ev->name) == 0 :
					      strcmp(oname, ev->name) == 0) {
			snprintf(msg, msglen,
			    "duplicate section [%s %s] "
			    "(first at line %d)",
			    ev->section, ev->name, o->line);
			return -1;
		}
	}
	if (ev->name != NULL &&
	    add_named(ld, sec, ev->name, ev->line, &idx, msg, msglen) < 0)
		return -1;
	ls = reallocarray(ld->secs, ld->nsecs + 1, sizeof(*ls));
	if (ls == NULL) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	ld->secs = ls;
	ls += ld->nsecs;
	memset(ls, 0, sizeof(*ls));
	ls->sec = sec;
	ls->idx = idx;
	ls->line = ev->line;
	ld->cur = (int)ld->nsecs++;

	switch (sec) {
	/* clang-format off */
	case SCHEMA_SEC_LNS:	ld->cfg->lns.enabled = true; break;
	case SCHEMA_SEC_LAC:	ld->cfg->lac.enabled = true; break;
	case SCHEMA_SEC_RADIUS:	ld->cfg->radius.enabled = true; break;
	case SCHEMA_SEC_SWITCH:	ld->cfg->sw.enabled = true; break;
	/* clang-format on */
	case SCHEMA_SEC_GLOBAL:
	case SCHEMA_SEC_REALM:
	case SCHEMA_SEC_CLIENT:
	case SCHEMA_SEC_POOL:
	case SCHEMA_SEC_PEER:
	case SCHEMA_SEC_RATE_PLAN:
	case SCHEMA_SEC_COUNT:
		break;
	}
	return 0;
}

static int
on_event(void *arg, const struct ini_event *ev, char *msg, size_t msglen)
{
	struct loader *ld = arg;
	struct load_sec *ls;
	const struct schema_key *k;
	size_t ki;

	if (ev->section != NULL)
		return on_header(ld, ev, msg, msglen);
	if (ld->cur < 0) {
		snprintf(msg, msglen, "key \"%s\" outside any section",
		    ev->key);
		return -1;
	}
	ls = &ld->secs[ld->cur];
	k = schema_key_find(ls->sec, ev->key);
	if (k == NULL) {
		snprintf(msg, msglen, "unknown key \"%s\" in [%s]", ev->key,
		    schema_section_str(ls->sec));
		return -1;
	}
	ki = (size_t)(k - schema_keys);
	if (ls->keyline[ki] != 0) {
		snprintf(msg, msglen,
		    "duplicate key \"%s\" (first at line "
		    "%d)",
		    ev->key, ls->keyline[ki]);
		return -1;
	}
	if (schema_key_apply(k, ev->value, section_base(ld->cfg, ls), msg,
		msglen) < 0)
		return -1;
	ls->keyline[ki] = ev->line;
	return 0;
}

static bool
in_pool(const struct cfg_lns *l, uint32_t a)
{
	for (unsigned i = 0; i < l->pool_count; i++)
		if (a >= l->pool[i].first && a <= l->pool[i].last)
			return true;
	return false;
}

/*
 * A TUN device name may serve one purpose only; returns the line of the
 * earlier user or 0.
 */
static int
check_interfaces(struct loader *ld, char *errbuf, size_t errlen)
{
	struct vpdn_config *cfg = ld->cfg;

	for (unsigned i = 0; i < ld->nsecs; i++) {
		const struct load_sec *ls = &ld->secs[i];
		struct cfg_client *c;
		int line;

		if (ls->sec != SCHEMA_SEC_CLIENT)
			continue;
		c = &cfg->clients[ls->idx];
		line = keyline(ls, "interface");
		if (line == 0)
			line = ls->line;
		if (cfg->lns.enabled &&
		    strcmp(c->interface, cfg->lns.interface) == 0)
			return ini_error(errbuf, errlen, ld->file, line,
			    "interface \"%s\" is already used by [lns]",
			    c->interface);
		for (unsigned j = 0; j < ls->idx; j++)
			if (strcmp(cfg->clients[j].interface, c->interface) ==
			    0)
				return ini_error(errbuf, errlen, ld->file, line,
				    "interface \"%s\" is already used "
				    "by [client %s]",
				    c->interface, cfg->clients[j].name);
	}
	return 0;
}

static int
check_section(struct loader *ld, const struct load_sec *ls, char *errbuf,
    size_t errlen)
{
	struct vpdn_config *cfg = ld->cfg;
	const char *f = ld->file;
	int l1, l2;

	switch (ls->sec) {
	case SCHEMA_SEC_GLOBAL:
		break;
	case SCHEMA_SEC_LNS:
		/* RFC 2661 §4.3: hiding needs the shared secret. */
		if (cfg->lns.hide_avps && cfg->lns.tunnel_secret.len == 0)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "hide-avps"),
			    "hide-avps = yes needs tunnel-secret");
		if (cfg->lns.radius && !cfg->radius.enabled)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "radius"),
			    "radius = yes needs a [radius] section");
		if (cfg->lns.local_address != 0 &&
		    in_pool(&cfg->lns, cfg->lns.local_address))
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "local-address"),
			    "local-address lies inside the pool");
		if (cfg->lns.rate_plan[0] != '\0' &&
		    cfg_rate_plan_find(cfg, cfg->lns.rate_plan) == NULL)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "rate-plan"),
			    "rate-plan \"%s\": no [rate-plan %s] section",
			    cfg->lns.rate_plan, cfg->lns.rate_plan);
		if (cfg->lns.delegated_pool.set &&
		    (cfg->lns.delegated_pool.len > cfg->lns.delegated_len ||
			cfg->lns.delegated_len - cfg->lns.delegated_pool.len >
			    24))
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "delegated-prefix-pool"),
			    "delegated-prefix-pool must be at most 24 bits "
			    "shorter than delegated-prefix-length and not "
			    "longer");
		break;
	case SCHEMA_SEC_LAC:
		/* A switch's LAC may have no access side of its own: its
		 * calls come over L2TP. */
		if (cfg->lac.pppoe_interface[0] == '\0' && !cfg->sw.enabled)
			return ini_error(errbuf, errlen, f, ls->line,
			    "[lac] needs pppoe-interface");
		if (cfg->lac.radius && !cfg->radius.enabled)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "radius"),
			    "radius = yes needs a [radius] section");
		break;
	case SCHEMA_SEC_REALM: {
		const struct cfg_realm *r = &cfg->realms[ls->idx];

		if (r->lns_count == 0)
			return ini_error(errbuf, errlen, f, ls->line,
			    "[realm %s] needs lns", r->name);
		break;
	}
	case SCHEMA_SEC_CLIENT: {
		struct cfg_client *c = &cfg->clients[ls->idx];

		l1 = keyline(ls, "lns");
		l2 = keyline(ls, "pppoe-interface");
		if (l1 == 0 && l2 == 0)
			return ini_error(errbuf, errlen, f, ls->line,
			    "[client %s] needs lns or pppoe-interface",
			    c->name);
		if (l1 != 0 && l2 != 0)
			return ini_error(errbuf, errlen, f, l1 > l2 ? l1 : l2,
			    "lns and pppoe-interface exclude each other");
		if (c->user[0] == '\0')
			return ini_error(errbuf, errlen, f, ls->line,
			    "[client %s] needs user", c->name);
		if (!c->ipv4 && !c->ipv6)
			return ini_error(errbuf, errlen, f, keyline(ls, "ipv4"),
			    "ipv4 = no needs ipv6 = yes");
		if (c->request_prefix && !c->ipv6)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "request-prefix"),
			    "request-prefix = yes needs ipv6 = yes");
		if (c->lan_interface[0] != '\0' && !c->request_prefix)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "lan-interface"),
			    "lan-interface needs request-prefix = yes");
		if (c->password[0] == '\0')
			return ini_error(errbuf, errlen, f, ls->line,
			    "[client %s] needs password", c->name);
		if (c->hide_avps && c->tunnel_secret.len == 0)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "hide-avps"),
			    "hide-avps = yes needs tunnel-secret");
		if (c->interface[0] == '\0') {
			/* Default TUN name "vpdn-NAME" when it fits. */
			if (snprintf(c->interface, sizeof(c->interface),
				"vpdn-%s", c->name) >= 16 ||
			    strpbrk(c->name, "/:") != NULL)
				return ini_error(errbuf, errlen, f, ls->line,
				    "[client %s] needs interface (\"vpdn-%s\" "
				    "is not a valid interface name)",
				    c->name, c->name);
		}
		break;
	}
	case SCHEMA_SEC_RADIUS:
		if (cfg->radius.server_count == 0)
			return ini_error(errbuf, errlen, f, ls->line,
			    "[radius] needs server");
		if (cfg->radius.secret.len == 0)
			return ini_error(errbuf, errlen, f, ls->line,
			    "[radius] needs secret");
		if (cfg->radius.nas_identifier[0] == '\0')
			strlcpy(cfg->radius.nas_identifier,
			    cfg->global.hostname,
			    sizeof(cfg->radius.nas_identifier));
		break;
	case SCHEMA_SEC_POOL:
		break; /* policy_pools_check, with every pool known */
	case SCHEMA_SEC_PEER: {
		struct policy_peer_given g = {
			.tunnel_secret = keyline(ls, "tunnel-secret") != 0,
			.hide_avps = keyline(ls, "hide-avps") != 0,
			.auth = keyline(ls, "auth") != 0,
			.accept_proxy_auth = keyline(ls, "accept-proxy-auth") !=
			    0,
			.lcp_reneg = keyline(ls, "lcp-renegotiation") != 0,
			.hello_interval = keyline(ls, "hello-interval") != 0,
			.max_sessions_per_user = keyline(ls,
						     "max-sessions-per-user") !=
			    0,
			.pool_line = keyline(ls, "pool"),
			.hide_line = keyline(ls, "hide-avps"),
		};

		const struct cfg_peer *p = &cfg->peers[ls->idx];

		if (p->rate_plan[0] != '\0' &&
		    cfg_rate_plan_find(cfg, p->rate_plan) == NULL)
			return ini_error(errbuf, errlen, f,
			    keyline(ls, "rate-plan"),
			    "rate-plan \"%s\": no [rate-plan %s] section",
			    p->rate_plan, p->rate_plan);
		return policy_peer_complete(cfg, &cfg->peers[ls->idx], &g, f,
		    errbuf, errlen);
	}
	case SCHEMA_SEC_SWITCH:
		/* The switch takes calls in tunnels the LNS accepts ([lns]
		 * tunnel-secret, [peer]s) and places them again as the LAC
		 * does ([realm]s, lns-selection, hold-down). */
		if (!cfg->lns.enabled || !cfg->lac.enabled)
			return ini_error(errbuf, errlen, f, ls->line,
			    "[switch] needs [lns] and [lac] sections");
		break;
	case SCHEMA_SEC_RATE_PLAN:
	case SCHEMA_SEC_COUNT:
		break;
	}
	return 0;
}

/* [pool] sections against each other and [lns] pool. */
static int
check_pools(struct loader *ld, char *errbuf, size_t errlen)
{
	const struct vpdn_config *cfg = ld->cfg;
	int lns_pool_line = 0, r;
	int *lines = calloc(cfg->pool_count + 1, sizeof(*lines));

	if (lines == NULL)
		return ini_error(errbuf, errlen, ld->file, 1, "out of memory");
	for (unsigned i = 0; i < ld->nsecs; i++) {
		const struct load_sec *ls = &ld->secs[i];

		if (ls->sec == SCHEMA_SEC_POOL)
			lines[ls->idx] = keyline(ls, "range");
		else if (ls->sec == SCHEMA_SEC_LNS)
			lns_pool_line = keyline(ls, "pool");
	}
	r = policy_pools_check(cfg, ld->file, lines, lns_pool_line, errbuf,
	    errlen);
	free(lines);
	return r;
}

const struct cfg_rate_plan *
cfg_rate_plan_find(const struct vpdn_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->rate_plan_count; i++)
		if (strcmp(cfg->rate_plans[i].name, name) == 0)
			return &cfg->rate_plans[i];
	return NULL;
}

uint64_t
cfg_rate_plan_burst(const struct cfg_rate_plan *p, uint64_t rate)
{
	uint64_t b = p->burst.bytes;

	if (b == 0)
		b = rate / 8 * p->burst.ms / 1000;
	return b < CFG_BURST_MIN ? CFG_BURST_MIN : b;
}

struct vpdn_config *
config_load(const char *path, char *errbuf, size_t errlen)
{
	struct loader ld = { .file = path, .cur = -1 };
	struct vpdn_config *cfg;
	char *buf = NULL;
	size_t len = 0;
	int r, lastline;

	if (errlen > 0)
		errbuf[0] = '\0';
	if (file_read_all(path, CONFIG_MAX_FILE, &buf, &len, errbuf, errlen) <
	    0)
		return NULL;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		free(buf);
		return NULL;
	}
	if (strlcpy(cfg->path, path, sizeof(cfg->path)) >= sizeof(cfg->path)) {
		snprintf(errbuf, errlen, "%s: path too long", path);
		r = -1;
		goto out;
	}
	ld.cfg = cfg;
	if (config_defaults(cfg, errbuf, errlen) < 0) {
		r = -1;
		goto out;
	}
	r = ini_parse(path, buf, len, on_event, &ld, errbuf, errlen, &lastline);
	if (r == 0)
		r = check_pools(&ld, errbuf, errlen);
	for (unsigned i = 0; r == 0 && i < ld.nsecs; i++)
		r = check_section(&ld, &ld.secs[i], errbuf, errlen);
	if (r == 0)
		r = check_interfaces(&ld, errbuf, errlen);
	if (r == 0 && !cfg->lns.enabled && !cfg->lac.enabled &&
	    cfg->client_count == 0)
		r = ini_error(errbuf, errlen, path, lastline > 0 ? lastline : 1,
		    "nothing to do: no [lns], [lac] or [client] section");
out:
	explicit_bzero(buf, len);
	free(buf);
	free(ld.secs);
	if (r < 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

void
config_free(struct vpdn_config *cfg)
{
	if (cfg == NULL)
		return;
	/* Secrets and passwords live in these structs: wipe, then free. */
	if (cfg->realms != NULL)
		explicit_bzero(cfg->realms,
		    cfg->realm_count * sizeof(*cfg->realms));
	if (cfg->clients != NULL)
		explicit_bzero(cfg->clients,
		    cfg->client_count * sizeof(*cfg->clients));
	if (cfg->peers != NULL)
		explicit_bzero(cfg->peers,
		    cfg->peer_count * sizeof(*cfg->peers));
	free(cfg->realms);
	free(cfg->clients);
	free(cfg->pools);
	free(cfg->peers);
	free(cfg->rate_plans);
	explicit_bzero(cfg, sizeof(*cfg));
	free(cfg);
}
