/*
 * pppoe_server.c — access concentrator discovery FSM and session table.
 *
 * The only per-peer state before a PADR is a slot in a fixed token-bucket
 * table; the AC-Cookie carries everything else (RFC 2516 §3: "The
 * Discovery stage remains stateless until a PPP session is established").
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "core/buf.h"
#include "core/idpool.h"
#include "core/log.h"
#include "core/random.h"
#include "pppoe/pppoe_server.h"
#include "pppoe/pppoe_tr101.h"

#define RL_SLOTS 1024 /* per-MAC buckets, power of two */

struct rl_bucket {
	uint8_t mac[PPPOE_MAC_LEN];
	uint8_t used;
	uint32_t milli; /* tokens x 1000 */
	uint64_t last_ms;
};

struct pppoe_server {
	struct pppoe_server_config cfg;
	char ac_name[PPPOE_NAME_MAX + 1];
	char svc[PPPOE_SERVER_MAX_SERVICES][PPPOE_NAME_MAX + 1];
	const struct pppoe_server_ops *ops;
	void *ctx;
	struct idpool ids;
	int reserved; /* idpool object for 0xffff */
	/* AC-Cookie keys: index epoch & 1, with the epoch they belong to. */
	struct hmac_sha256_ctx key[2];
	uint64_t key_epoch[2];
	unsigned cookie_max_age; /* in slots */
	/* Sessions chained by peer MAC, for max_sessions_per_mac. */
	struct pppoe_session **mac_hash;
	uint32_t mac_mask;
	uint64_t rl_salt;
	struct rl_bucket *rl;
	struct rl_bucket global;
	struct pppoe_server_stats stats;
};

const char *
pppoe_srv_drop_str(enum pppoe_srv_drop d)
{
	switch (d) {
	/* clang-format off */
	case PPPOE_SRV_DROP_MALFORMED:		return "malformed";
	case PPPOE_SRV_DROP_NOT_FOR_US:		return "not for us";
	case PPPOE_SRV_DROP_RATE_LIMITED:	return "rate limited";
	case PPPOE_SRV_DROP_NO_SERVICE:		return "service not offered";
	case PPPOE_SRV_DROP_NO_COOKIE:		return "PADR without AC-Cookie";
	case PPPOE_SRV_DROP_BAD_COOKIE:		return "bad AC-Cookie";
	case PPPOE_SRV_DROP_UNKNOWN_SESSION:	return "unknown session";
	case PPPOE_SRV_DROP_UNEXPECTED:		return "unexpected code";
	case PPPOE_SRV_DROP_MAX:		break;
		/* clang-format on */
	}
	return "unknown";
}

const char *
pppoe_srv_drop_name(enum pppoe_srv_drop d)
{
	switch (d) {
	/* clang-format off */
	case PPPOE_SRV_DROP_MALFORMED:		return "malformed";
	case PPPOE_SRV_DROP_NOT_FOR_US:		return "not-for-us";
	case PPPOE_SRV_DROP_RATE_LIMITED:	return "rate-limited";
	case PPPOE_SRV_DROP_NO_SERVICE:		return "no-service";
	case PPPOE_SRV_DROP_NO_COOKIE:		return "no-cookie";
	case PPPOE_SRV_DROP_BAD_COOKIE:		return "bad-cookie";
	case PPPOE_SRV_DROP_UNKNOWN_SESSION:	return "unknown-session";
	case PPPOE_SRV_DROP_UNEXPECTED:		return "unexpected";
	case PPPOE_SRV_DROP_MAX:		break;
		/* clang-format on */
	}
	return "unknown";
}

/* clang-format off */
static const uint8_t bcast[PPPOE_MAC_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};
/* clang-format on */

#define DEF(field, v) \
	do { \
		if (srv->cfg.field == 0) \
			srv->cfg.field = (v); \
	} while (0)

struct pppoe_server *
pppoe_server_new(const struct pppoe_server_config *cfg,
    const struct pppoe_server_ops *ops, void *ctx, uint64_t now)
{
	struct pppoe_server *srv;

	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return NULL;
	srv->cfg = *cfg;
	DEF(max_sessions, 4096);
	if (srv->cfg.max_sessions > 65534)
		srv->cfg.max_sessions = 65534;
	DEF(padi_per_mac_rate, 2);
	DEF(padi_per_mac_burst, 5);
	DEF(padi_global_rate, 200);
	DEF(padi_global_burst, 400);
	DEF(cookie_slot_ms, 10000);
	DEF(cookie_lifetime_ms, 60000);
	DEF(key_slots, 360);
	/* Whole slots covering the lifetime: a cookie minted at t is good
	 * until t + lifetime at least, t + lifetime + one slot at most. */
	srv->cookie_max_age = (srv->cfg.cookie_lifetime_ms +
				  srv->cfg.cookie_slot_ms - 1) /
	    srv->cfg.cookie_slot_ms;
	/* Two keys are kept (this epoch's and the previous one's): a
	 * cookie's lifetime must not span more than one change of key. */
	if (srv->cfg.key_slots <= srv->cookie_max_age)
		srv->cfg.key_slots = srv->cookie_max_age + 1;
	srv->mac_mask = 63;
	while (srv->mac_mask + 1 < srv->cfg.max_sessions / 4)
		srv->mac_mask = srv->mac_mask << 1 | 1;
	strlcpy(srv->ac_name, cfg->ac_name ? cfg->ac_name : "vpdn",
	    sizeof(srv->ac_name));
	if (srv->cfg.nservices > PPPOE_SERVER_MAX_SERVICES)
		srv->cfg.nservices = PPPOE_SERVER_MAX_SERVICES;
	for (unsigned i = 0; i < srv->cfg.nservices; i++)
		strlcpy(srv->svc[i], cfg->services[i], sizeof(srv->svc[i]));
	/* The strings were the caller's (a configuration snapshot that a
	 * reload frees): only the copies above are used from here on. */
	srv->cfg.ac_name = NULL;
	memset(srv->cfg.services, 0, sizeof(srv->cfg.services));
	srv->ops = ops;
	srv->ctx = ctx;
	srv->key_epoch[0] = srv->key_epoch[1] = UINT64_MAX;
	random_bytes(&srv->rl_salt, sizeof(srv->rl_salt));
	srv->rl = calloc(RL_SLOTS, sizeof(*srv->rl));
	srv->mac_hash = calloc(srv->mac_mask + 1,
	    sizeof(struct pppoe_session *));
	/* RFC 2516 §4: SESSION_ID 0xffff MUST NOT be used; holding it in
	 * the pool keeps idpool_alloc() from ever handing it out. */
	idpool_init(&srv->ids, srv->cfg.max_sessions + 1);
	if (srv->rl == NULL || srv->mac_hash == NULL ||
	    idpool_insert(&srv->ids, PPPOE_SID_RESERVED, &srv->reserved) < 0) {
		free(srv->rl);
		free(srv->mac_hash);
		idpool_free(&srv->ids);
		free(srv);
		return NULL;
	}
	srv->global.milli = srv->cfg.padi_global_burst * 1000u;
	srv->global.last_ms = now;
	return srv;
}

void
pppoe_server_set_rate(struct pppoe_server *srv, unsigned rate, unsigned burst)
{
	if (rate == 0 || burst == 0)
		return;
	srv->cfg.padi_global_rate = rate;
	srv->cfg.padi_global_burst = burst;
	if (srv->global.milli > burst * 1000u)
		srv->global.milli = burst * 1000u;
}

void
pppoe_server_set_mac_limit(struct pppoe_server *srv,
    unsigned max_sessions_per_mac)
{
	srv->cfg.max_sessions_per_mac = max_sessions_per_mac;
}

/* Keyed like the rate-limit table, so a host cannot aim at one chain. */
static struct pppoe_session **
mac_bucket(const struct pppoe_server *srv, const uint8_t mac[PPPOE_MAC_LEN])
{
	uint64_t h = ~srv->rl_salt;

	for (int i = 0; i < PPPOE_MAC_LEN; i++)
		h = (h ^ mac[i]) * 0x100000001b3ull;
	return &srv->mac_hash[(h >> 32) & srv->mac_mask];
}

static void
mac_add(struct pppoe_server *srv, struct pppoe_session *s)
{
	struct pppoe_session **b = mac_bucket(srv, s->peer);

	s->mac_next = *b;
	*b = s;
}

static void
mac_del(struct pppoe_server *srv, struct pppoe_session *s)
{
	struct pppoe_session **pp;

	for (pp = mac_bucket(srv, s->peer); *pp != NULL; pp = &(*pp)->mac_next)
		if (*pp == s) {
			*pp = s->mac_next;
			break;
		}
	s->mac_next = NULL;
}

void
pppoe_server_set_keep_access_line_tags(struct pppoe_server *srv, bool keep)
{
	srv->cfg.keep_access_line_tags = keep;
}

unsigned
pppoe_server_mac_sessions(const struct pppoe_server *srv,
    const uint8_t mac[PPPOE_MAC_LEN])
{
	const struct pppoe_session *s;
	unsigned n = 0;

	for (s = *mac_bucket(srv, mac); s != NULL; s = s->mac_next)
		if (memcmp(s->peer, mac, PPPOE_MAC_LEN) == 0)
			n++;
	return n;
}

static bool
mac_at_limit(const struct pppoe_server *srv, const uint8_t mac[PPPOE_MAC_LEN])
{
	return srv->cfg.max_sessions_per_mac > 0 &&
	    pppoe_server_mac_sessions(srv, mac) >=
	    srv->cfg.max_sessions_per_mac;
}

static int
xmit(struct pppoe_server *srv, const uint8_t *f, int n)
{
	if (n < 0)
		return -1;
	return srv->ops->send_frame(srv->ctx, f, (size_t)n);
}

static void
send_padt(struct pppoe_server *srv, struct pppoe_session *s, const char *reason)
{
	uint8_t f[PPPOE_FRAME_MAX];
	struct pppoe_pkt p;

	memset(&p, 0, sizeof(p));
	memcpy(p.dst, s->peer, PPPOE_MAC_LEN);
	memcpy(p.src, srv->cfg.mac, PPPOE_MAC_LEN);
	p.code = PPPOE_CODE_PADT;
	p.session_id = s->id;
	if (reason != NULL && reason[0] != '\0') {
		/* App. A: Generic-Error text, not NUL-terminated. */
		p.present |= PPPOE_HAVE_GEN_ERR;
		p.gen_err = pppoe_tag_str_val(reason);
		if (p.gen_err.len > 255)
			p.gen_err.len = 255;
	}
	(void)xmit(srv, f, pppoe_build_disc(f, sizeof(f), &p));
	srv->stats.padt_tx++;
}

void
pppoe_server_free(struct pppoe_server *srv)
{
	struct pppoe_session *s;
	uint32_t cur = 0;
	uint16_t id;

	if (srv == NULL)
		return;
	while ((s = idpool_next(&srv->ids, &cur, &id)) != NULL) {
		if (id == PPPOE_SID_RESERVED)
			continue;
		send_padt(srv, s, "access concentrator shutting down");
		free(s);
	}
	idpool_free(&srv->ids);
	free(srv->rl);
	free(srv->mac_hash);
	free(srv);
}

/* Token bucket; true if a token was taken. */
static bool
rl_take(struct rl_bucket *b, unsigned rate, unsigned burst, uint64_t now)
{
	uint64_t cap = (uint64_t)burst * 1000u, m = b->milli;

	if (now > b->last_ms) {
		/* rate tokens/s = rate millitokens/ms */
		m += (now - b->last_ms) * rate;
		b->last_ms = now;
	}
	if (m > cap)
		m = cap;
	if (m < 1000) {
		b->milli = (uint32_t)m;
		return false;
	}
	b->milli = (uint32_t)(m - 1000);
	return true;
}

/* Per source MAC, then for the whole interface: a flood from one MAC
 * cannot starve others, and a flood from random MACs costs a bounded
 * number of HMACs per second. */
static bool
rate_ok(struct pppoe_server *srv, const uint8_t mac[PPPOE_MAC_LEN],
    uint64_t now)
{
	uint64_t h = srv->rl_salt;
	struct rl_bucket *b;

	for (int i = 0; i < PPPOE_MAC_LEN; i++)
		h = (h ^ mac[i]) * 0x100000001b3ull;
	b = &srv->rl[(h >> 32) & (RL_SLOTS - 1)];
	if (!b->used || memcmp(b->mac, mac, PPPOE_MAC_LEN) != 0) {
		/* A colliding MAC takes the slot over with a full bucket;
		 * the global bucket still bounds the total. */
		memcpy(b->mac, mac, PPPOE_MAC_LEN);
		b->used = 1;
		b->milli = srv->cfg.padi_per_mac_burst * 1000u;
		b->last_ms = now;
	}
	if (!rl_take(b, srv->cfg.padi_per_mac_rate, srv->cfg.padi_per_mac_burst,
		now))
		return false;
	return rl_take(&srv->global, srv->cfg.padi_global_rate,
	    srv->cfg.padi_global_burst, now);
}

/* RFC 2516 §9: "HMAC over the Host MAC address using a key known only to
 * the Access Concentrator", here with the time slot so cookies expire. */
static void
cookie_compute(struct pppoe_server *srv, unsigned k,
    const uint8_t mac[PPPOE_MAC_LEN], uint64_t slot,
    uint8_t out[PPPOE_COOKIE_LEN])
{
	struct hmac_sha256_ctx c = srv->key[k];
	uint8_t msg[PPPOE_MAC_LEN + 8];

	memcpy(msg, mac, PPPOE_MAC_LEN);
	for (int i = 0; i < 8; i++)
		msg[PPPOE_MAC_LEN + i] = (uint8_t)(slot >> (56 - 8 * i));
	hmac_sha256_update(&c, sizeof(msg), msg);
	hmac_sha256_digest(&c, PPPOE_COOKIE_LEN, out);
}

static void
cookie_mint(struct pppoe_server *srv, const uint8_t mac[PPPOE_MAC_LEN],
    uint64_t now, uint8_t out[PPPOE_COOKIE_LEN])
{
	uint64_t slot = now / srv->cfg.cookie_slot_ms;
	uint64_t epoch = slot / srv->cfg.key_slots;
	unsigned k = (unsigned)(epoch & 1);

	if (srv->key_epoch[k] != epoch) {
		uint8_t key[32];

		random_bytes(key, sizeof(key));
		hmac_sha256_set_key(&srv->key[k], sizeof(key), key);
		srv->key_epoch[k] = epoch;
	}
	cookie_compute(srv, k, mac, slot, out);
}

static bool
cookie_ok(struct pppoe_server *srv, const uint8_t mac[PPPOE_MAC_LEN],
    const struct pppoe_tag_val *v, uint64_t now)
{
	uint64_t slot = now / srv->cfg.cookie_slot_ms;
	uint8_t want[PPPOE_COOKIE_LEN];

	if (v->len != PPPOE_COOKIE_LEN)
		return false;
	/* Minted in this slot or one of the cookie_max_age before it. */
	for (uint64_t age = 0; age <= srv->cookie_max_age && age <= slot;
	     age++) {
		uint64_t s = slot - age, epoch = s / srv->cfg.key_slots;
		unsigned k = (unsigned)(epoch & 1);

		if (srv->key_epoch[k] != epoch)
			continue;
		cookie_compute(srv, k, mac, s, want);
		if (memeql_sec(want, v->p, PPPOE_COOKIE_LEN))
			return true;
	}
	return false;
}

static bool
svc_eq(const struct pppoe_tag_val *v, const char *s)
{
	size_t n = strlen(s);

	return v->len == n && (n == 0 || memcmp(v->p, s, n) == 0);
}

/* The name under which we serve a requested Service-Name, or NULL. */
static bool
svc_match(struct pppoe_server *srv, const struct pppoe_tag_val *req,
    struct pppoe_tag_val *accepted)
{
	/* No list: §9's RECOMMENDED policy, never refuse on Service-Name
	 * and return the value that was sent. */
	if (srv->cfg.nservices == 0) {
		*accepted = *req;
		return true;
	}
	/* App. A: a zero TAG_LENGTH means any service is acceptable. */
	if (req->len == 0) {
		*accepted = pppoe_tag_str_val(srv->svc[0]);
		return true;
	}
	for (unsigned i = 0; i < srv->cfg.nservices; i++)
		if (svc_eq(req, srv->svc[i])) {
			*accepted = pppoe_tag_str_val(srv->svc[i]);
			return true;
		}
	return false;
}

/* A reply's frame skeleton: unicast to the requester, Host-Uniq and
 * Relay-Session-Id echoed unmodified (App. A: MUST). */
static void
reply_init(struct pppoe_server *srv, const struct pppoe_pkt *req,
    struct pppoe_pkt *p, uint8_t code)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->dst, req->src, PPPOE_MAC_LEN);
	memcpy(p->src, srv->cfg.mac, PPPOE_MAC_LEN);
	p->code = code;
	p->present = req->present &
	    (PPPOE_HAVE_HOST_UNIQ | PPPOE_HAVE_RELAY_ID);
	p->host_uniq = req->host_uniq;
	p->relay_id = req->relay_id;
	if (srv->cfg.keep_access_line_tags &&
	    (req->present & PPPOE_HAVE_VENDOR) && req->vendor.len >= 4 &&
	    get_be32(req->vendor.p) == ACCESS_LINE_VENDOR_BBF) {
		p->present |= PPPOE_HAVE_VENDOR;
		p->vendor = req->vendor;
	}
	p->present |= PPPOE_HAVE_AC_NAME;
	p->ac_name = pppoe_tag_str_val(srv->ac_name);
}

static void
drop(struct pppoe_server *srv, enum pppoe_srv_drop d, const struct pppoe_pkt *p)
{
	srv->stats.drops[d]++;
	LOG_RL(LOG_LEVEL_DEBUG,
	    "pppoe: %s from "
	    "%02x:%02x:%02x:%02x:%02x:%02x dropped: %s",
	    pppoe_code_str((enum pppoe_code)p->code), p->src[0], p->src[1],
	    p->src[2], p->src[3], p->src[4], p->src[5], pppoe_srv_drop_str(d));
}

static void
mac_limit_refused(struct pppoe_server *srv, const struct pppoe_pkt *req)
{
	srv->stats.refused_mac_limit++;
	LOG_RL(LOG_LEVEL_INFO,
	    "pppoe: %s from "
	    "%02x:%02x:%02x:%02x:%02x:%02x refused: it holds %u sessions "
	    "(max-sessions-per-mac)",
	    pppoe_code_str((enum pppoe_code)req->code), req->src[0],
	    req->src[1], req->src[2], req->src[3], req->src[4], req->src[5],
	    srv->cfg.max_sessions_per_mac);
}

static void
on_padi(struct pppoe_server *srv, const struct pppoe_pkt *req, uint64_t now)
{
	uint8_t f[PPPOE_FRAME_MAX], cookie[PPPOE_COOKIE_LEN];
	struct pppoe_tag_val acc;
	struct pppoe_pkt p;

	srv->stats.padi_rx++;
	if (memcmp(req->dst, bcast, PPPOE_MAC_LEN) != 0 &&
	    memcmp(req->dst, srv->cfg.mac, PPPOE_MAC_LEN) != 0) {
		drop(srv, PPPOE_SRV_DROP_NOT_FOR_US, req);
		return;
	}
	if (!rate_ok(srv, req->src, now)) {
		drop(srv, PPPOE_SRV_DROP_RATE_LIMITED, req);
		return;
	}
	/* §5.2: "If the Access Concentrator can not serve the PADI it MUST
	 * NOT respond with a PADO." */
	if (!svc_match(srv, &req->service[0], &acc)) {
		drop(srv, PPPOE_SRV_DROP_NO_SERVICE, req);
		return;
	}
	/* §5.2 again: a MAC at its session limit cannot be served here, and
	 * without our PADO a host that sees another AC chooses that one. */
	if (mac_at_limit(srv, req->src)) {
		mac_limit_refused(srv, req);
		return;
	}
	reply_init(srv, req, &p, PPPOE_CODE_PADO);
	/* §5.2: a Service-Name identical to the PADI's, then the other
	 * services we offer. */
	p.service[p.nservice++] = req->service[0];
	for (unsigned i = 0;
	     i < srv->cfg.nservices && p.nservice < PPPOE_MAX_SERVICES; i++)
		if (!svc_eq(&req->service[0], srv->svc[i]))
			p.service[p.nservice++] = pppoe_tag_str_val(
			    srv->svc[i]);
	cookie_mint(srv, req->src, now, cookie);
	p.present |= PPPOE_HAVE_AC_COOKIE;
	p.ac_cookie.p = cookie;
	p.ac_cookie.len = PPPOE_COOKIE_LEN;
	if (xmit(srv, f, pppoe_build_disc(f, sizeof(f), &p)) == 0)
		srv->stats.pado_tx++;
}

static void
pads_refuse(struct pppoe_server *srv, const struct pppoe_pkt *req,
    uint32_t errbit, const char *text)
{
	uint8_t f[PPPOE_FRAME_MAX];
	struct pppoe_pkt p;

	/* §5.4: the refusal's SESSION_ID MUST be 0x0000. */
	reply_init(srv, req, &p, PPPOE_CODE_PADS);
	p.service[p.nservice++] = req->service[0];
	p.present |= errbit;
	if (errbit == PPPOE_HAVE_SVC_ERR)
		p.svc_err = pppoe_tag_str_val(text);
	else
		p.sys_err = pppoe_tag_str_val(text);
	(void)xmit(srv, f, pppoe_build_disc(f, sizeof(f), &p));
	srv->stats.pads_refused++;
}

static void
on_padr(struct pppoe_server *srv, const struct pppoe_pkt *req, uint64_t now)
{
	uint8_t f[PPPOE_FRAME_MAX];
	struct pppoe_session *s;
	struct pppoe_tag_val acc;
	struct pppoe_pkt p;
	size_t n;
	int rc;

	srv->stats.padr_rx++;
	if (memcmp(req->dst, srv->cfg.mac, PPPOE_MAC_LEN) != 0) {
		drop(srv, PPPOE_SRV_DROP_NOT_FOR_US, req);
		return;
	}
	if (!rate_ok(srv, req->src, now)) {
		drop(srv, PPPOE_SRV_DROP_RATE_LIMITED, req);
		return;
	}
	if (!(req->present & PPPOE_HAVE_AC_COOKIE)) {
		drop(srv, PPPOE_SRV_DROP_NO_COOKIE, req);
		return;
	}
	/* §9: the cookie is regenerated from the PADR's SOURCE_ADDR, so a
	 * cookie minted for another MAC, or too long ago, fails here. */
	if (!cookie_ok(srv, req->src, &req->ac_cookie, now)) {
		drop(srv, PPPOE_SRV_DROP_BAD_COOKIE, req);
		/* Not only at debug level: hosts that come back later than
		 * the cookie lifetime (a storm outlasting their back-off)
		 * show up here, as do forgers. */
		LOG_RL(LOG_LEVEL_INFO,
		    "pppoe: PADR from "
		    "%02x:%02x:%02x:%02x:%02x:%02x with an expired or foreign "
		    "AC-Cookie dropped (%" PRIu64 " so far)",
		    req->src[0], req->src[1], req->src[2], req->src[3],
		    req->src[4], req->src[5],
		    srv->stats.drops[PPPOE_SRV_DROP_BAD_COOKIE]);
		return;
	}
	/* §5.4: "If the Access Concentrator does not like the Service-Name
	 * in the PADR, then it MUST reply with a PADS containing a TAG of
	 * TAG_TYPE Service-Name-Error". */
	if (!svc_match(srv, &req->service[0], &acc)) {
		pads_refuse(srv, req, PPPOE_HAVE_SVC_ERR,
		    "service not offered");
		return;
	}
	/* §5.4: AC-System-Error is the refusal for lack of resources; the
	 * resource here is this host's share of the sessions. */
	if (mac_at_limit(srv, req->src)) {
		mac_limit_refused(srv, req);
		pads_refuse(srv, req, PPPOE_HAVE_SYS_ERR,
		    "too many sessions for this host");
		return;
	}
	if (pppoe_server_session_count(srv) >= srv->cfg.max_sessions) {
		pads_refuse(srv, req, PPPOE_HAVE_SYS_ERR, "too many sessions");
		return;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		pads_refuse(srv, req, PPPOE_HAVE_SYS_ERR, "out of memory");
		return;
	}
	/* §5.4: a unique SESSION_ID; random, so it is not guessable. */
	s->id = idpool_alloc(&srv->ids, s);
	if (s->id == 0) {
		free(s);
		{
			pads_refuse(srv, req, PPPOE_HAVE_SYS_ERR,
			    "no session id");
			return;
		}
	}
	s->srv = srv;
	memcpy(s->peer, req->src, PPPOE_MAC_LEN);
	n = acc.len < PPPOE_NAME_MAX ? acc.len : PPPOE_NAME_MAX;
	if (n > 0)
		memcpy(s->service, acc.p, n);
	s->service[n] = '\0';
	s->created_ms = now;
	mac_add(srv, s);

	reply_init(srv, req, &p, PPPOE_CODE_PADS);
	p.session_id = s->id;
	p.service[p.nservice++] = acc;
	(void)xmit(srv, f, pppoe_build_disc(f, sizeof(f), &p));
	srv->stats.pads_tx++;
	srv->stats.sessions_created++;
	s->padr_tags = req->payload;
	s->padr_tags_len = req->payload_len;
	rc = srv->ops->session_up(srv->ctx, s, now);
	s->padr_tags = NULL;
	s->padr_tags_len = 0;
	if (rc != 0)
		(void)pppoe_server_close_session(srv, s->id,
		    "session refused by access concentrator");
}

static struct pppoe_session *
lookup(struct pppoe_server *srv, const struct pppoe_pkt *p)
{
	struct pppoe_session *s;

	if (p->session_id == PPPOE_SID_RESERVED)
		return NULL;
	s = idpool_get(&srv->ids, p->session_id);
	/* §4: the session is (SESSION_ID, both MACs), not the ID alone. */
	if (s == NULL || memcmp(s->peer, p->src, PPPOE_MAC_LEN) != 0)
		return NULL;
	return s;
}

static void
on_padt(struct pppoe_server *srv, const struct pppoe_pkt *req, uint64_t now)
{
	struct pppoe_session *s;
	char reason[96];
	size_t n, i;

	srv->stats.padt_rx++;
	if (memcmp(req->dst, srv->cfg.mac, PPPOE_MAC_LEN) != 0) {
		drop(srv, PPPOE_SRV_DROP_NOT_FOR_US, req);
		return;
	}
	if ((s = lookup(srv, req)) == NULL) {
		drop(srv, PPPOE_SRV_DROP_UNKNOWN_SESSION, req);
		return;
	}
	n = strlcpy(reason, "peer sent PADT", sizeof(reason));
	if ((req->present & PPPOE_HAVE_GEN_ERR) && req->gen_err.len > 0) {
		n += strlcpy(reason + n, ": ", sizeof(reason) - n);
		for (i = 0; i < req->gen_err.len && n + 1 < sizeof(reason);
		     i++) {
			uint8_t c = req->gen_err.p[i];

			reason[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		reason[n] = '\0';
	}
	/* §5.5: no further traffic on it.  Out of the table first, so a
	 * close from inside the callback finds nothing to close. */
	idpool_release(&srv->ids, s->id);
	mac_del(srv, s);
	srv->ops->session_down(srv->ctx, s, reason, now);
	free(s);
}

static void
on_data(struct pppoe_server *srv, const struct pppoe_pkt *req, uint64_t now)
{
	struct pppoe_session *s;

	if (memcmp(req->dst, srv->cfg.mac, PPPOE_MAC_LEN) != 0) {
		drop(srv, PPPOE_SRV_DROP_NOT_FOR_US, req);
		return;
	}
	if ((s = lookup(srv, req)) == NULL) {
		drop(srv, PPPOE_SRV_DROP_UNKNOWN_SESSION, req);
		return;
	}
	s->stats.rx_frames++;
	s->stats.rx_bytes += req->payload_len;
	srv->ops->session_data(srv->ctx, s, req->payload, req->payload_len,
	    now);
}

/* TR-101 §3.9.3: the access node adds its line data to PADI and PADR.  A
 * TAG that overruns itself is counted and logged; the request is served
 * as if it had none (the owner reads the same verdict from padr_tags). */
static void
check_access_line(struct pppoe_server *srv, const struct pppoe_pkt *pkt)
{
	struct access_line al;

	if ((pkt->present & PPPOE_HAVE_VENDOR) == 0)
		return;
	if (pppoe_tr101_parse(pkt->payload, pkt->payload_len, &al, NULL) ==
	    PPPOE_TR101_MALFORMED) {
		srv->stats.access_line_malformed++;
		LOG_RL(LOG_LEVEL_DEBUG,
		    "pppoe: %s with a malformed access-line TAG",
		    pppoe_code_str((enum pppoe_code)pkt->code));
	}
}

void
pppoe_server_input(struct pppoe_server *srv, const uint8_t *frame, size_t len,
    uint64_t now)
{
	struct pppoe_pkt pkt;
	enum pppoe_err e;

	if ((e = pppoe_parse(frame, len, &pkt)) != PPPOE_OK) {
		srv->stats.malformed[e]++;
		srv->stats.drops[PPPOE_SRV_DROP_MALFORMED]++;
		LOG_RL(LOG_LEVEL_DEBUG,
		    "pppoe: malformed frame (%zu octets)"
		    " dropped: %s",
		    len, pppoe_err_str(e));
		return;
	}
	if (pkt.ethertype == PPPOE_ETHERTYPE_SES) {
		on_data(srv, &pkt, now);
		return;
	}
	switch ((enum pppoe_code)pkt.code) {
	case PPPOE_CODE_PADI:
		check_access_line(srv, &pkt);
		on_padi(srv, &pkt, now);
		break;
	case PPPOE_CODE_PADR:
		check_access_line(srv, &pkt);
		on_padr(srv, &pkt, now);
		break;
	case PPPOE_CODE_PADT:
		on_padt(srv, &pkt, now);
		break;
	case PPPOE_CODE_PADO:
	case PPPOE_CODE_PADS:
	case PPPOE_CODE_SESSION:
		drop(srv, PPPOE_SRV_DROP_UNEXPECTED, &pkt);
		break;
	}
}

int
pppoe_server_send(struct pppoe_session *s, const uint8_t *ppp, size_t len)
{
	struct pppoe_server *srv = s->srv;
	uint8_t f[PPPOE_FRAME_MAX];
	int n;

	if (len >= 2 && ppp[0] == 0xff && ppp[1] == 0x03) {
		ppp += 2;
		len -= 2;
	}
	n = pppoe_build_session(f, sizeof(f), s->peer, srv->cfg.mac, s->id, ppp,
	    len);
	if (xmit(srv, f, n) != 0)
		return -1;
	s->stats.tx_frames++;
	s->stats.tx_bytes += len;
	return 0;
}

int
pppoe_server_close_session(struct pppoe_server *srv, uint16_t id,
    const char *reason)
{
	struct pppoe_session *s;

	if (id == PPPOE_SID_RESERVED || (s = idpool_get(&srv->ids, id)) == NULL)
		return -1;
	/* §5.5: PADT, after which not even LCP Terminate may be sent. */
	send_padt(srv, s, reason);
	idpool_release(&srv->ids, id);
	mac_del(srv, s);
	free(s);
	return 0;
}

struct pppoe_session *
pppoe_server_session(struct pppoe_server *srv, uint16_t id)
{
	if (id == PPPOE_SID_RESERVED)
		return NULL;
	return idpool_get(&srv->ids, id);
}

uint32_t
pppoe_server_session_count(const struct pppoe_server *srv)
{
	return idpool_count(&srv->ids) - 1; /* minus the reserved 0xffff */
}

void
pppoe_server_foreach(struct pppoe_server *srv,
    void (*cb)(struct pppoe_session *, void *), void *arg)
{
	struct pppoe_session *s;
	uint32_t cur = 0;
	uint16_t id;

	/* Releasing only marks its slot, so cb may close its session. */
	while ((s = idpool_next(&srv->ids, &cur, &id)) != NULL)
		if (id != PPPOE_SID_RESERVED)
			cb(s, arg);
}

const struct pppoe_server_stats *
pppoe_server_stats(const struct pppoe_server *srv)
{
	return &srv->stats;
}
