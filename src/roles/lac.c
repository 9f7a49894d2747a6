/*
 * lac.c — the L2TP Access Concentrator: users dial in with PPPoE on
 * `[lac] pppoe-interface`, the LAC runs LCP and authentication with them to
 * learn "user@realm" (ppp_link in LAC mode, bound through session_link with
 * a PPPoE carrier), finds the realm's LNS, and hands the call over in an
 * L2TP session with proxy LCP/authentication AVPs (RFC 2661 §4.4.5).  From
 * then on it relays PPP frames between the PPPoE session and the L2TP
 * session without looking at them.
 *
 * With `radius = yes` users are checked by RADIUS (radius_auth.h), and the
 * Access-Accept's RFC 2868 tunnel attributes, when they name an L2TP/IPv4
 * tunnel, choose the LNS instead of the realm (RFC 2809 §3: the home
 * network's server decides the tunnel); see lac_radius.h.
 *
 * Tunnels: one per (LNS address, secret, Tunnel-Assignment-Id), shared by
 * every call to that key (lac->tunnels, a handful of entries: one per LNS
 * in use).  A
 * tunnel that never came up (no answer within the retransmission schedule,
 * StopCCN) moves its waiting calls to the realm's next LNS; one that dies
 * later takes its calls down (PADT) and the next user dials a fresh one.
 * A tunnel without calls is closed (StopCCN) after tunnel-idle-timeout.
 *
 * Accounting (RFC 2866, with `radius = yes` and accounting servers): each
 * call gets a small record (struct lac_acct, on the heap only then): Start
 * when its L2TP session to the LNS is up and the user's PPP is handed
 * over, Interim-Update every interval, Stop from call_end with the cause
 * of aaa_lac_cause(); the octets and packets are the user's PPP frames the
 * LAC relayed (protocol field onward, PPPoE and L2TP headers not counted).
 *
 * Lifetimes: a call ends once (call_end: PADT and/or CDN, detach from the
 * tunnel) and is freed from lac_reap(), when no callback of the PPPoE
 * server, the host or the link is on the stack.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bsd/string.h>
#include <bsd/sys/queue.h>

#include "config/users.h"
#include "core/heap.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "ppp/ppp_proto.h"
#include "pppoe/pppoe_server.h"
#include "pppoe/pppoe_sock.h"
#include "radius/radius_auth.h"
#include "roles/lac_radius.h"
#include "roles/realm.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

#define LAC_CONNECT_BPS		100000000u	/* Ethernet access, §4.4.5 */
#define LAC_MRU			1400		/* what the LNS's path carries */
#define LAC_QUEUE_MAX		4		/* frames held while dialling */
#define LAC_READ_BURST		64
#define LAC_NAS_PORT_TYPE_ETHERNET RADIUS_NAS_PORT_TYPE_ETHERNET

enum lac_call_state {
	LAC_CALL_AUTH,		/* LCP + authentication with the user */
	LAC_CALL_DIALING,	/* tunnel/session to the LNS being set up */
	LAC_CALL_RELAY,		/* L2TP session up: frames relayed */
	LAC_CALL_DONE,		/* ended; waiting for lac_reap() */
};

/* A realm as the calls of one configuration snapshot see it. */
struct lac_realm {
	struct cfg_realm	 cfg;
	struct users_db		*users;		/* NULL: the LNS decides */
	struct auth_backend	 backend;
	unsigned		 next_lns;	/* first LNS to try */
	unsigned		 refs;		/* calls using it */
	bool			 retired;	/* gone from the config */
	LIST_ENTRY(lac_realm)	 entry;
};

struct lac_tunnel;

/* One call's accounting (aaa.h), allocated when the LAC accounts. */
struct lac_acct {
	struct aaa_session	 s;
	struct aaa_counters	 ctr;
	struct aaa_access	 x;
	struct heap_node	 timer;		/* Interim-Update */
	uint32_t		 interim_s;	/* 0: none */
	bool			 user_term;	/* user sent LCP Terminate */
};

struct lac_frame {
	size_t	len;
	uint8_t	b[PPPOE_ETH_PAYLOAD_MAX];
};

struct lac_call {
	struct lac		*lac;
	enum lac_call_state	 state;
	struct pppoe_session	*ps;	/* NULL once PADT went either way */
	uint16_t		 ps_id;
	uint8_t			 mac[PPPOE_MAC_LEN];
	struct session_link	*sl;	/* the front half; NULL once ended */
	struct l2tp_session	*ls;	/* NULL when none */
	struct lac_tunnel	*lt;
	struct lac_realm	*realm;	/* NULL: routed by RADIUS only */
	struct lac_dest		*dests;	/* RADIUS's LNSes; NULL: the realm's */
	unsigned		 ndests;
	unsigned		 lns_idx, lns_tries;
	/* the front half's backend, ctx = this call (realm users, RADIUS) */
	struct auth_backend	 backend;
	auth_done_fn		*auth_done;
	void			*auth_arg;
	uint64_t		 rhandle;	/* RADIUS request pending */
	bool			 retry;	/* on lac->retry: open on lns_idx */
	char			 user[AUTH_MAX_NAME];
	struct l2tp_msg		*proxy;	/* the ICCN's proxy AVPs */
	struct lac_frame	*queue;	/* frames from the user while dialling */
	unsigned		 queued;
	struct lac_acct		*acct;	/* NULL: not accounted */
	LIST_ENTRY(lac_call)	 entry;		/* lac->calls or lac->dead */
	LIST_ENTRY(lac_call)	 tentry;	/* lt->calls or lac->retry */
};

struct lac_tunnel {
	struct lac		*lac;
	struct l2tp_tunnel	*t;
	struct l2tp_addr	 peer;
	uint8_t			 secret[CFG_MAX_STR];
	size_t			 secret_len;
	char			 assignment_id[254];	/* RFC 2868 §3.7 */
	char			 realm[CFG_MAX_STR];	/* who opened it (logs) */
	unsigned		 lns_idx;
	bool			 was_up, closing;
	unsigned		 ncalls;
	uint64_t		 idle_at;	/* TIME_NEVER unless idle */
	LIST_HEAD(, lac_call)	 calls;
	LIST_ENTRY(lac_tunnel)	 entry;
};

struct lac {
	struct roles		*roles;
	struct cfg_lac		 cfg;
	struct pppoe_sock	 sock;
	bool			 sock_open;
	void			*watch_disc, *watch_ses;
	struct pppoe_server	*srv;
	struct auth_backend	 radius;	/* radius = yes */
	bool			 have_radius;
	bool			 acct;		/* calls are accounted */
	struct heap		 acct_timers;	/* lac_acct.timer */
	LIST_HEAD(, lac_realm)	 realms;
	LIST_HEAD(, lac_realm)	 retired;
	LIST_HEAD(, lac_tunnel)	 tunnels;
	LIST_HEAD(, lac_call)	 calls, dead, retry;
	uint8_t			 rxbuf[PPPOE_FRAME_MAX + 64];
	uint64_t		 refused_realm, refused_user, radius_routed;
};

static void call_end(struct lac_call *c, const char *reason,
	    enum aaa_lac_end why, bool padt, bool cdn, uint16_t cdn_result);

/* ---- accounting ---- */

/* The call's record, once it is authenticated: rep (the Access-Accept, or
 * NULL) gives Class (RFC 2865 §5.25) and Acct-Interim-Interval. */
static void
acct_new(struct lac_call *c, const struct radius_auth_reply *rep)
{
	struct lac *lac = c->lac;
	struct roles *r = lac->roles;
	struct lac_acct *a;

	if (!lac->acct || c->acct != NULL)
		return;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_warnx("lac: \"%s\": no memory for accounting; the call "
		    "goes unaccounted", c->user);
		return;
	}
	heap_node_init(&a->timer);
	/* NAS-Port: the PPPoE session id is the user's port here. */
	aaa_session_init(r->aaa, &a->s, c->user, 0, c->ps_id, rep);
	/* RFC 2869 §5.16: the server's interval wins, floored at 10 s as
	 * the LNS does; else [radius] interim-interval. */
	if (rep != NULL && rep->interim_interval != 0)
		a->interim_s = rep->interim_interval < 10 ? 10 :
		    rep->interim_interval;
	else
		a->interim_s = r->cfg->radius.interim_interval;
	a->x.nas_port_type = LAC_NAS_PORT_TYPE_ETHERNET;
	memcpy(a->x.mac, c->mac, sizeof(a->x.mac));
	c->acct = a;
}

/* An endpoint as aaa_access keeps it; an IPv4-mapped IPv6 address (an
 * IPv6 socket) is its IPv4 address. */
static int
acct_addr(const struct l2tp_addr *la, uint8_t out[16])
{
	if (la->ss.ss_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)&la->ss)->sin_addr, 4);
		return AF_INET;
	}
	if (la->ss.ss_family == AF_INET6) {
		const struct in6_addr *a6 =
		    &((const struct sockaddr_in6 *)&la->ss)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			memcpy(out, a6->s6_addr + 12, 4);
			return AF_INET;
		}
		memcpy(out, a6->s6_addr, 16);
		return AF_INET6;
	}
	return 0;
}

static void
acct_schedule(struct lac *lac, struct lac_acct *a, uint64_t now)
{
	if (a->interim_s == 0 || !a->s.started)
		return;
	if (heap_set(&lac->acct_timers, &a->timer,
	    now + (uint64_t)a->interim_s * 1000) < 0)
		log_warnx("lac: no memory for an Interim-Update timer");
}

/* RFC 2866 §4.1: Start once the service is delivered, here when the LNS
 * accepted the call and the user's frames flow to it. */
static void
acct_start(struct lac_call *c, uint64_t now)
{
	struct lac *lac = c->lac;
	struct lac_acct *a = c->acct;
	struct l2tp_tunnel_info ti;
	struct l2tp_session_info si;
	int fc, fs;

	if (a == NULL || a->s.started || c->ls == NULL || c->lt == NULL ||
	    c->lt->t == NULL)
		return;
	l2tp_tunnel_get_info(c->lt->t, &ti);
	l2tp_session_get_info(c->ls, &si);
	fc = acct_addr(&ti.local, a->x.client);
	fs = acct_addr(&ti.peer, a->x.server);
	/* Tunnel attributes only when both ends are known and alike. */
	a->x.family = fc == fs ? (uint8_t)fs : 0;
	a->x.tunnel_id = ti.local_id;
	a->x.peer_tunnel_id = ti.peer_id;
	a->x.session_id = si.local_id;
	a->x.peer_session_id = si.peer_id;
	aaa_access_start(lac->roles->aaa, &a->s, &a->x, now);
	lac->roles->lac_acct_live++;
	acct_schedule(lac, a, now);
}

static void
acct_stop(struct lac_call *c, enum aaa_lac_end why, uint64_t now)
{
	struct lac *lac = c->lac;
	struct roles *r = lac->roles;
	struct lac_acct *a = c->acct;

	if (a == NULL || !a->s.started)
		return;
	if (heap_node_queued(&a->timer))
		heap_remove(&lac->acct_timers, &a->timer);
	/* What the user did is the most specific; otherwise a stopping
	 * daemon is the reason, as for the LNS. */
	if (a->user_term)
		why = AAA_LAC_END_USER_TERMINATE;
	else if (why != AAA_LAC_END_PADT && r->shutting_down)
		why = AAA_LAC_END_SHUTDOWN;
	aaa_access_stop(r->aaa, &a->s, &a->ctr, aaa_lac_cause(why), &a->x,
	    now);
	r->lac_acct_live--;
	if (r->shutting_down)
		roles_accounting_off(r);
}

static void
acct_free(struct lac *lac, struct lac_acct *a)
{
	if (a == NULL)
		return;
	if (heap_node_queued(&a->timer))
		heap_remove(&lac->acct_timers, &a->timer);
	aaa_session_release(&a->s);
	free(a);
}

/* ---- realms ---- */

static void
realm_release(struct lac_realm *lr)
{
	if (lr == NULL || --lr->refs > 0 || !lr->retired)
		return;
	LIST_REMOVE(lr, entry);
	users_free(lr->users);
	free(lr);
}

static struct lac_realm *
realm_lookup(struct lac *lac, const char *name)
{
	struct lac_realm *lr;

	if (name == NULL)
		return NULL;
	LIST_FOREACH(lr, &lac->realms, entry)
		if (strcasecmp(lr->cfg.name, name) == 0)
			return lr;
	return NULL;
}

static int
realms_load(struct lac *lac, const struct vpdn_config *cfg)
{
	struct lac_realm *lr, *old;
	char err[256];

	/* retire the current set; calls keep theirs until they end */
	while ((lr = LIST_FIRST(&lac->realms)) != NULL) {
		LIST_REMOVE(lr, entry);
		lr->retired = true;
		LIST_INSERT_HEAD(&lac->retired, lr, entry);
		lr->refs++;
		realm_release(lr);
	}
	for (unsigned i = 0; i < cfg->realm_count; i++) {
		if ((lr = calloc(1, sizeof(*lr))) == NULL)
			return -1;
		lr->cfg = cfg->realms[i];
		if (lr->cfg.users[0] != '\0') {
			lr->users = users_load(lr->cfg.users, err, sizeof(err));
			if (lr->users == NULL) {
				log_warnx("lac: realm %s: %s", lr->cfg.name, err);
				free(lr);
				return -1;
			}
			auth_users_backend(&lr->backend, lr->users);
		}
		/* keep the LNS that last worked across reloads */
		LIST_FOREACH(old, &lac->retired, entry)
			if (strcasecmp(old->cfg.name, lr->cfg.name) == 0 &&
			    old->next_lns < lr->cfg.lns_count)
				lr->next_lns = old->next_lns;
		LIST_INSERT_HEAD(&lac->realms, lr, entry);
	}
	return 0;
}

/* RADIUS answered: keep its tunnels for call_authenticated; a user that
 * neither the reply's tunnels nor a realm can place is refused. */
static void
lac_radius_done(void *arg, const struct auth_result *res)
{
	struct lac_call *c = arg;
	struct lac *lac = c->lac;
	const struct radius_auth_reply *rep =
	    radius_auth_current_reply(&lac->radius);
	struct lac_dest d[RADIUS_AUTH_MAX_TUNNELS];
	struct auth_result r = *res;
	unsigned n = 0;

	c->rhandle = 0;
	if (r.ok && rep != NULL)
		n = lac_radius_dests(rep, d, RADIUS_AUTH_MAX_TUNNELS);
	if (r.ok && n > 0) {
		free(c->dests);
		if ((c->dests = calloc(n, sizeof(*c->dests))) == NULL) {
			r.ok = false;
			snprintf(r.message, sizeof(r.message), "out of memory");
		} else {
			memcpy(c->dests, d, n * sizeof(*d));
			c->ndests = n;
		}
		explicit_bzero(d, sizeof(d));
	} else if (r.ok && realm_lookup(lac, realm_of(c->user)) ==
	    NULL) {
		const char *rname = realm_of(c->user);

		lac->refused_realm++;
		log_info("lac: refusing \"%s\": RADIUS named no L2TP tunnel "
		    "and realm \"%s\" is unknown", c->user,
		    rname != NULL ? rname : "");
		r.ok = false;
		snprintf(r.message, sizeof(r.message), "unknown realm");
	}
	/* the reply is current only now: keep its Class and interval */
	if (r.ok)
		acct_new(c, rep);
	c->auth_done(c->auth_arg, &r);
}

/*
 * The LAC's authentication backend, one per call (ctx): a realm with
 * `users` checks the proof locally; otherwise RADIUS does when configured
 * (its tunnel attributes may route the user, RFC 2868); otherwise the realm
 * decides who may dial at all (unknown realm: Failure), the LAC accepts and
 * the LNS checks the proxy authentication (RFC 2661 §4.4.5).
 */
static uint64_t
lac_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct lac_call *c = ctx;
	struct lac *lac = c->lac;
	const char *rname = realm_of(req->user);
	struct lac_realm *lr = realm_lookup(lac, rname);
	struct auth_result res;
	uint64_t h;

	memset(&res, 0, sizeof(res));
	if ((lr == NULL || lr->users == NULL) && lac->have_radius) {
		c->auth_done = done;
		c->auth_arg = arg;
		strlcpy(c->user, req->user, sizeof(c->user));
		h = lac->radius.verify(lac->radius.ctx, req, lac_radius_done,
		    c);
		/* 0: answered already (lac_radius_done ran) */
		c->rhandle = h;
		return h;
	}
	if (lr == NULL) {
		lac->refused_realm++;
		log_info("lac: refusing \"%s\": unknown realm \"%s\"",
		    req->user, rname != NULL ? rname : "");
		snprintf(res.message, sizeof(res.message), "unknown realm");
		done(arg, &res);
		return 0;
	}
	if (lr->users != NULL)
		return lr->backend.verify(lr->backend.ctx, req, done, arg);
	res.ok = true;
	done(arg, &res);
	return 0;
}

static void
lac_cancel(void *ctx, uint64_t handle)
{
	struct lac_call *c = ctx;
	struct lac *lac = c->lac;

	if (handle != 0 && handle == c->rhandle && lac->have_radius &&
	    lac->radius.cancel != NULL)
		lac->radius.cancel(lac->radius.ctx, handle);
	c->rhandle = 0;
}

/* ---- tunnels ---- */

static int
lac_resolve(struct lac *lac, const struct cfg_hostport *hp,
    struct l2tp_addr *out)
{
	struct addrinfo hints, *res = NULL;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = lac->roles->io.family;
	if (hints.ai_family == AF_INET6)
		hints.ai_flags = AI_V4MAPPED | AI_ALL;
	snprintf(port, sizeof(port), "%u", hp->port);
	/* A name (not a literal) blocks once per new tunnel; an operator
	 * who cannot afford that writes an address. */
	rc = getaddrinfo(hp->host, port, &hints, &res);
	if (rc != 0 || res == NULL) {
		log_warnx("lac: cannot resolve LNS %s: %s", hp->host,
		    rc != 0 ? gai_strerror(rc) : "no address");
		if (res != NULL)
			freeaddrinfo(res);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/*
 * Where candidate i of a call goes: the RADIUS reply's tunnels when it
 * named any, else the realm's LNS list with the realm's secret.
 */
struct lac_target {
	const struct cfg_hostport	*hp;
	const uint8_t			*secret;
	size_t				 secret_len;
	const char			*assignment_id;	/* "" for realms */
	const char			*label;		/* logs */
};

static unsigned
call_ntargets(const struct lac_call *c)
{
	return c->ndests > 0 ? c->ndests : c->realm->cfg.lns_count;
}

static void
call_target(const struct lac_call *c, unsigned i, struct lac_target *t)
{
	if (c->ndests > 0) {
		t->hp = &c->dests[i].hp;
		t->secret = c->dests[i].secret;
		t->secret_len = c->dests[i].secret_len;
		t->assignment_id = c->dests[i].assignment_id;
		t->label = "RADIUS";
	} else {
		t->hp = &c->realm->cfg.lns[i];
		t->secret = c->realm->cfg.tunnel_secret.data;
		t->secret_len = c->realm->cfg.tunnel_secret.len;
		t->assignment_id = "";
		t->label = c->realm->cfg.name;
	}
}

/* RFC 2868 §3.7: sessions given the same Tunnel-Assignment-Id for the same
 * endpoint share a tunnel, different ids get different tunnels; the secret
 * is part of the key too (a tunnel authenticated with one secret is no
 * tunnel for users told another). */
static struct lac_tunnel *
tunnel_find(struct lac *lac, const struct l2tp_addr *peer,
    const struct lac_target *tg)
{
	struct lac_tunnel *lt;

	LIST_FOREACH(lt, &lac->tunnels, entry)
		if (!lt->closing && lt->t != NULL &&
		    l2tp_addr_equal(&lt->peer, peer) &&
		    lt->secret_len == tg->secret_len &&
		    memcmp(lt->secret, tg->secret, tg->secret_len) == 0 &&
		    strcmp(lt->assignment_id, tg->assignment_id) == 0)
			return lt;
	return NULL;
}

static struct lac_tunnel *
tunnel_open(struct lac *lac, const struct lac_target *tg, unsigned idx,
    const struct l2tp_addr *peer, uint64_t now)
{
	struct l2tp_tunnel_params p;
	struct lac_tunnel *lt;
	char buf[64];

	if ((lt = calloc(1, sizeof(*lt))) == NULL)
		return NULL;
	lt->lac = lac;
	lt->peer = *peer;
	if (tg->secret_len > sizeof(lt->secret)) {
		free(lt);
		return NULL;
	}
	memcpy(lt->secret, tg->secret, tg->secret_len);
	lt->secret_len = tg->secret_len;
	strlcpy(lt->assignment_id, tg->assignment_id,
	    sizeof(lt->assignment_id));
	strlcpy(lt->realm, tg->label, sizeof(lt->realm));
	lt->lns_idx = idx;
	lt->idle_at = TIME_NEVER;
	LIST_INIT(&lt->calls);
	memset(&p, 0, sizeof(p));
	p.role = L2TP_ROLE_LAC;
	p.peer = *peer;
	p.secret = lt->secret_len > 0 ? lt->secret : NULL;
	p.secret_len = lt->secret_len;
	lt->t = l2tp_tunnel_open(lac->roles->host, &p, now);
	if (lt->t == NULL) {
		log_warnx("lac: cannot open a tunnel to %s (limit or memory)",
		    l2tp_addr_str(peer, buf, sizeof(buf)));
		free(lt);
		return NULL;
	}
	l2tp_tunnel_set_user(lt->t, lt);
	LIST_INSERT_HEAD(&lac->tunnels, lt, entry);
	log_info("lac: %s%s: opening a tunnel to LNS %s%s%s",
	    tg->label == NULL || strcmp(tg->label, "RADIUS") != 0 ?
	    "realm " : "", tg->label, l2tp_addr_str(peer, buf, sizeof(buf)),
	    tg->assignment_id[0] != '\0' ? " for Tunnel-Assignment-Id " : "",
	    tg->assignment_id);
	return lt;
}

static void
tunnel_detach(struct lac_call *c, uint64_t now)
{
	struct lac_tunnel *lt = c->lt;

	if (lt == NULL)
		return;
	LIST_REMOVE(c, tentry);
	c->lt = NULL;
	if (--lt->ncalls == 0 && !lt->closing && lt->t != NULL)
		lt->idle_at = now + lt->lac->cfg.tunnel_idle_timeout * 1000ull;
}

/* Builds the ICCN's proxy AVPs from what the front half collected. */
static void
put_bytes(struct l2tp_msg *m, enum l2tp_avp_type t, struct l2tp_bytes *b,
    const uint8_t *p, size_t len)
{
	/* A CONFREQ that does not fit is left out: the LNS then negotiates
	 * LCP itself, which §4.4.5 allows. */
	if (p == NULL || len > sizeof(b->data))
		return;
	memcpy(b->data, p, len);
	b->len = (uint16_t)len;
	l2tp_msg_set(m, t);
}

static struct l2tp_msg *
proxy_msg(bool strip, const char *user,
    const struct ppp_proxy *f)
{
	struct l2tp_msg *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	put_bytes(m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, &m->initial_rcvd_confreq,
	    f->initial_rcvd, f->initial_rcvd_len);
	put_bytes(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ, &m->last_sent_confreq,
	    f->last_sent, f->last_sent_len);
	put_bytes(m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, &m->last_rcvd_confreq,
	    f->last_rcvd, f->last_rcvd_len);
	if (f->authen_type == 0)
		return m;
	m->proxy_authen_type = f->authen_type;
	l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_TYPE);
	if (strip)
		realm_strip(user, m->proxy_authen_name,
		    sizeof(m->proxy_authen_name));
	else
		strlcpy(m->proxy_authen_name, user,
		    sizeof(m->proxy_authen_name));
	l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_NAME);
	m->proxy_authen_id = f->authen_id;
	l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_ID);
	if (f->challenge_len > 0)
		put_bytes(m, L2TP_AVP_PROXY_AUTHEN_CHALLENGE,
		    &m->proxy_authen_challenge, f->challenge, f->challenge_len);
	put_bytes(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, &m->proxy_authen_response,
	    f->response, f->response_len);
	return m;
}

/*
 * Places the call towards LNS number c->lns_idx of its realm: into the
 * tunnel for that (address, secret) if one is established or opening,
 * else into a new one.  The ICRQ goes out now or when the tunnel is up.
 */
static int
call_dial(struct lac_call *c, uint64_t now)
{
	struct lac *lac = c->lac;
	unsigned n = call_ntargets(c);
	struct l2tp_call_params cp;
	struct lac_target tg;
	struct l2tp_addr peer;
	struct lac_tunnel *lt;

	if (c->lns_tries >= n)
		return -1;
	while (c->lns_tries < n) {
		c->lns_tries++;
		call_target(c, c->lns_idx, &tg);
		if (lac_resolve(lac, tg.hp, &peer) == 0)
			break;
		c->lns_idx = (c->lns_idx + 1) % n;
		if (c->lns_tries == n)
			return -1;
	}
	lt = tunnel_find(lac, &peer, &tg);
	if (lt == NULL && (lt = tunnel_open(lac, &tg, c->lns_idx, &peer,
	    now)) == NULL)
		return -1;
	memset(&cp, 0, sizeof(cp));
	/* §4.4.5: an Ethernet access line is digital and synchronous. */
	cp.bearer_type = L2TP_BEARER_DIGITAL;
	cp.framing_type = L2TP_FRAMING_SYNC;
	cp.tx_connect_speed = LAC_CONNECT_BPS;
	cp.rx_connect_speed = LAC_CONNECT_BPS;
	snprintf(cp.calling_number, sizeof(cp.calling_number),
	    "%02x:%02x:%02x:%02x:%02x:%02x", c->mac[0], c->mac[1], c->mac[2],
	    c->mac[3], c->mac[4], c->mac[5]);
	cp.proxy = c->proxy;
	c->ls = l2tp_session_open(lt->t, &cp, now);
	if (c->ls == NULL) {
		if (lt->ncalls == 0)
			lt->idle_at = now;
		return -1;
	}
	l2tp_session_set_user(c->ls, c);
	c->lt = lt;
	lt->ncalls++;
	lt->idle_at = TIME_NEVER;
	LIST_INSERT_HEAD(&lt->calls, c, tentry);
	return 0;
}

/* ---- calls ---- */

static void
call_send_l2tp(struct lac_call *c, const uint8_t *ppp, size_t len)
{
	uint8_t buf[PPPOE_ETH_PAYLOAD_MAX + 2];

	if (c->ls == NULL || len == 0 || len > PPPOE_ETH_PAYLOAD_MAX)
		return;
	if (c->acct != NULL && c->acct->s.started) {
		struct lac_acct *a = c->acct;
		const uint8_t *q = ppp;
		size_t n = len;

		a->ctr.in_octets += len;
		a->ctr.in_packets++;
		if (n >= 2 && q[0] == PPP_ALLSTATIONS && q[1] == PPP_UI) {
			q += 2;
			n -= 2;
		}
		/* RFC 1661 §5.5: the user's Terminate-Request is how it
		 * asks to end; the LNS's CDN that follows is its answer. */
		if (n >= 3 && q[0] == (PPP_PROTO_LCP >> 8) &&
		    q[1] == (PPP_PROTO_LCP & 0xff) && q[2] == PPP_TERM_REQ)
			a->user_term = true;
	}
	/* PPPoE carries no Address/Control (RFC 2516 §7); on L2TP the
	 * frame is sent with FF 03 as every LNS (pppd without ACFC too)
	 * expects; the rest of the frame is relayed untouched. */
	buf[0] = PPP_ALLSTATIONS;
	buf[1] = PPP_UI;
	memcpy(buf + 2, ppp, len);
	(void)l2tp_session_send_data(c->ls, buf, len + 2);
}

static void
call_end(struct lac_call *c, const char *reason, enum aaa_lac_end why,
    bool padt, bool cdn, uint16_t cdn_result)
{
	struct lac *lac = c->lac;
	struct session_link *sl = c->sl;
	uint64_t now = time_now_ms();

	if (c->state == LAC_CALL_DONE)
		return;
	c->state = LAC_CALL_DONE;
	log_info("lac: call of \"%s\" (PPPoE session %u) ended: %s",
	    c->user[0] != '\0' ? c->user : "?", c->ps_id, reason);
	/* before the tunnel and session are let go: the Stop names them */
	acct_stop(c, why, now);
	if (c->retry) {
		LIST_REMOVE(c, tentry);
		c->retry = false;
	}
	if (c->ls != NULL) {
		struct l2tp_session *ls = c->ls;

		c->ls = NULL;
		l2tp_session_set_user(ls, NULL);
		if (cdn)
			l2tp_session_close(ls, cdn_result, 0, reason, now);
	}
	tunnel_detach(c, now);
	if (c->ps != NULL) {
		struct pppoe_session *ps = c->ps;

		c->ps = NULL;
		ps->owner = NULL;
		/* RFC 2516 §5.5: PADT on every way a session ends. */
		if (padt)
			(void)pppoe_server_close_session(lac->srv, ps->id,
			    reason);
	}
	if (sl != NULL) {
		c->sl = NULL;
		sl_carrier_gone(sl);
	}
	LIST_REMOVE(c, entry);
	LIST_INSERT_HEAD(&lac->dead, c, entry);
}

static void
call_free(struct lac_call *c)
{
	realm_release(c->realm);
	if (c->dests != NULL) {
		explicit_bzero(c->dests, c->ndests * sizeof(*c->dests));
		free(c->dests);
	}
	if (c->proxy != NULL) {
		explicit_bzero(c->proxy, sizeof(*c->proxy));
		free(c->proxy);
	}
	free(c->queue);
	acct_free(c->lac, c->acct);
	free(c);
}

static void
lac_reap(struct lac *lac)
{
	struct lac_call *c;

	while ((c = LIST_FIRST(&lac->dead)) != NULL) {
		LIST_REMOVE(c, entry);
		call_free(c);
	}
}

/* The front half authenticated the user: find the realm and dial. */
static void
call_authenticated(void *arg, const char *user, const struct ppp_proxy *f)
{
	struct lac_call *c = arg;
	struct lac_realm *lr = realm_lookup(c->lac, realm_of(user));
	uint64_t now = time_now_ms();

	strlcpy(c->user, user, sizeof(c->user));
	/* a user the realm's users file let in has no RADIUS reply */
	acct_new(c, NULL);
	if (lr == NULL && c->ndests == 0) {
		/* the realm vanished in a reload between verify and now */
		call_end(c, "unknown realm", AAA_LAC_END_ERROR, true, false,
		    0);
		return;
	}
	c->realm = lr;
	if (lr != NULL)
		lr->refs++;
	/* a realm section, if any, still says whether to strip the name */
	c->proxy = proxy_msg(lr != NULL && lr->cfg.strip_realm, user, f);
	c->queue = calloc(LAC_QUEUE_MAX, sizeof(*c->queue));
	if (c->proxy == NULL || c->queue == NULL) {
		call_end(c, "out of memory", AAA_LAC_END_ERROR, true, false,
		    0);
		return;
	}
	c->state = LAC_CALL_DIALING;
	if (c->ndests > 0) {
		/* RFC 2868 §3.8: the most preferred tunnel first */
		c->lns_idx = 0;
		c->lac->radius_routed++;
		log_info("lac: \"%s\" authenticated; RADIUS names %u LNS "
		    "tunnel%s, first %s:%u%s%s", user, c->ndests,
		    c->ndests == 1 ? "" : "s", c->dests[0].hp.host,
		    c->dests[0].hp.port,
		    c->dests[0].client_auth_id[0] != '\0' ?
		    " (Tunnel-Client-Auth-ID ignored: Host Name is hostname) " :
		    "", c->dests[0].client_auth_id);
	} else {
		c->lns_idx = lr->next_lns < lr->cfg.lns_count ?
		    lr->next_lns : 0;
		log_info("lac: \"%s\" (realm %s) authenticated; calling its "
		    "LNS", user, lr->cfg.name);
	}
	if (call_dial(c, now) < 0)
		call_end(c, "no LNS reachable", AAA_LAC_END_ERROR, true,
		    false, 0);
}

/* The front half's PPP ended (session_link reasons, as aaa_cause_from_
 * reason reads them for the LNS). */
static enum aaa_lac_end
lac_link_end(const char *reason)
{
	switch (aaa_cause_from_reason(reason)) {
	case AAA_CAUSE_USER_REQUEST:	return AAA_LAC_END_USER_TERMINATE;
	case AAA_CAUSE_LOST_CARRIER:	return AAA_LAC_END_LINK_LOST;
	case AAA_CAUSE_NAS_REQUEST:	return AAA_LAC_END_SHUTDOWN;
	case AAA_CAUSE_NONE:
	case AAA_CAUSE_LOST_SERVICE:
	case AAA_CAUSE_IDLE_TIMEOUT:
	case AAA_CAUSE_SESSION_TIMEOUT:
	case AAA_CAUSE_ADMIN_RESET:
	case AAA_CAUSE_NAS_ERROR:
		break;
	}
	return AAA_LAC_END_ERROR;
}

/* session_link's role side: only "ended" matters to a LAC. */
static int
lac_sl_assign(struct session_link *sl, const char *user,
    const struct auth_result *res, uint32_t *addr)
{
	(void)sl;
	(void)user;
	(void)res;
	(void)addr;
	return -1;
}

static void
lac_sl_network_up(struct session_link *sl, uint32_t local, uint32_t peer,
    const uint32_t dns[2], unsigned dns_count)
{
	(void)sl;
	(void)local;
	(void)peer;
	(void)dns;
	(void)dns_count;
}

static void
lac_sl_ip_input(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	(void)sl;
	(void)pkt;
	(void)len;
}

static void
lac_sl_ended(struct session_link *sl, const char *reason)
{
	struct lac_call *c = sl->owner;

	if (c == NULL || c->sl != sl)
		return;
	c->sl = NULL;
	/* PPP with the user ended (Terminate, auth failure, echo timeout):
	 * PADT, and CDN result 1 if a call was placed (RFC 2661 §4.4.2). */
	call_end(c, reason, lac_link_end(reason), true, true,
	    L2TP_CDN_LOST_CARRIER);
}

static const struct sl_role_ops lac_sl_ops = {
	.assign_address = lac_sl_assign,
	.network_up = lac_sl_network_up,
	.ip_input = lac_sl_ip_input,
	.ended = lac_sl_ended,
};

/* The PPPoE carrier of the front half. */
static int
pppoe_carrier_send(void *carrier, const uint8_t *frame, size_t len)
{
	struct lac_call *c = carrier;

	return c->ps != NULL ? pppoe_server_send(c->ps, frame, len) : -1;
}

static void
pppoe_carrier_close(void *carrier, uint16_t cdn_result, const char *reason)
{
	struct lac_call *c = carrier;

	call_end(c, reason, lac_link_end(reason), true, true, cdn_result);
}

static void
pppoe_carrier_detach(void *carrier)
{
	struct lac_call *c = carrier;

	c->sl = NULL;
}

static const struct sl_carrier_ops lac_pppoe_carrier = {
	.send = pppoe_carrier_send,
	.close = pppoe_carrier_close,
	.detach = pppoe_carrier_detach,
};

/* ---- PPPoE server ---- */

static int
lac_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct lac *lac = ctx;

	return pppoe_sock_send(&lac->sock, frame, len);
}

static int
lac_pppoe_up(void *ctx, struct pppoe_session *s)
{
	struct lac *lac = ctx;
	struct roles *r = lac->roles;
	struct ppp_link_config lc;
	struct lac_call *c;
	uint64_t now = time_now_ms();

	if (r->shutting_down || (c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->lac = lac;
	c->ps = s;
	c->ps_id = s->id;
	memcpy(c->mac, s->peer, sizeof(c->mac));
	memset(&lc, 0, sizeof(lc));
	lc.server = true;
	lc.lac = true;
	lc.lac_authenticated = call_authenticated;
	lc.lac_arg = c;
	for (unsigned i = 0; i < lac->cfg.auth.count && i < 3; i++)
		lc.auth[lc.auth_count++] =
		    roles_auth_method(lac->cfg.auth.methods[i]);
	strlcpy(lc.our_name, r->cfg->global.hostname, sizeof(lc.our_name));
	lc.mru = LAC_MRU;
	lc.pppoe = true;
	c->backend.verify = lac_verify;
	c->backend.cancel = lac_cancel;
	c->backend.ctx = c;
	c->sl = sl_new(r, &lac_pppoe_carrier, c, &lc, &c->backend,
	    &lac_sl_ops, c, now);
	if (c->sl == NULL) {
		free(c);
		return -1;
	}
	s->owner = c;
	LIST_INSERT_HEAD(&lac->calls, c, entry);
	log_info("lac: PPPoE session %u from %02x:%02x:%02x:%02x:%02x:%02x",
	    s->id, s->peer[0], s->peer[1], s->peer[2], s->peer[3], s->peer[4],
	    s->peer[5]);
	sl_start(c->sl, now);
	return 0;
}

static void
lac_pppoe_down(void *ctx, struct pppoe_session *s, const char *reason)
{
	struct lac_call *c = s->owner;

	(void)ctx;
	if (c == NULL)
		return;
	c->ps = NULL;		/* the server frees it */
	/* The user hung up: CDN result 1, loss of carrier (§4.4.2). */
	call_end(c, reason, AAA_LAC_END_PADT, false, true,
	    L2TP_CDN_LOST_CARRIER);
}

static void
lac_pppoe_data(void *ctx, struct pppoe_session *s, const uint8_t *ppp,
    size_t len)
{
	struct lac_call *c = s->owner;

	(void)ctx;
	if (c == NULL)
		return;
	switch (c->state) {
	case LAC_CALL_AUTH:
		if (c->sl != NULL)
			sl_input(c->sl, ppp, len, time_now_ms());
		break;
	case LAC_CALL_DIALING:
		/* the user's first NCP packets, held until the call is up */
		if (c->queued < LAC_QUEUE_MAX && len <= PPPOE_ETH_PAYLOAD_MAX) {
			memcpy(c->queue[c->queued].b, ppp, len);
			c->queue[c->queued++].len = len;
		}
		break;
	case LAC_CALL_RELAY:
		call_send_l2tp(c, ppp, len);
		break;
	case LAC_CALL_DONE:
		break;
	}
}

static const struct pppoe_server_ops lac_pppoe_ops = {
	.send_frame = lac_send_frame,
	.session_up = lac_pppoe_up,
	.session_down = lac_pppoe_down,
	.session_data = lac_pppoe_data,
};

static void
lac_readable(struct lac *lac, int fd)
{
	for (unsigned i = 0; i < LAC_READ_BURST; i++) {
		ssize_t n = pppoe_sock_read(&lac->sock, fd, lac->rxbuf,
		    sizeof(lac->rxbuf));

		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EMSGSIZE)
				continue;	/* oversize: dropped */
			break;
		}
		pppoe_server_input(lac->srv, lac->rxbuf, (size_t)n,
		    time_now_ms());
	}
	sl_reap(lac->roles);
	lac_reap(lac);
}

static void
lac_on_disc(void *arg)
{
	struct lac *lac = arg;

	lac_readable(lac, pppoe_sock_fd_disc(&lac->sock));
}

static void
lac_on_ses(void *arg)
{
	struct lac *lac = arg;

	lac_readable(lac, pppoe_sock_fd_ses(&lac->sock));
}

/* ---- l2tp_host events for LAC tunnels (roles.c dispatches) ---- */

void
lac_tunnel_up(struct roles *r, struct l2tp_tunnel *t)
{
	struct lac_tunnel *lt = l2tp_tunnel_user(t);
	char buf[64];

	(void)r;
	if (lt == NULL)
		return;
	lt->was_up = true;
	log_info("lac: tunnel to LNS %s (realm %s) is up",
	    l2tp_addr_str(&lt->peer, buf, sizeof(buf)), lt->realm);
}

void
lac_tunnel_down(struct roles *r, struct l2tp_tunnel *t)
{
	struct lac_tunnel *lt = l2tp_tunnel_user(t);
	struct lac_call *c;

	(void)r;
	if (lt == NULL)
		return;
	l2tp_tunnel_set_user(t, NULL);
	/* its sessions went down first; anything left is detached here */
	while ((c = LIST_FIRST(&lt->calls)) != NULL)
		call_end(c, "tunnel down", AAA_LAC_END_TUNNEL_LOST, true,
		    false, 0);
	LIST_REMOVE(lt, entry);
	free(lt);
}

void
lac_session_up(struct roles *r, struct l2tp_session *s)
{
	struct lac_call *c = l2tp_session_user(s);

	(void)r;
	if (c == NULL || c->state != LAC_CALL_DIALING)
		return;
	c->state = LAC_CALL_RELAY;
	/* this LNS works: new users of the realm start with it */
	if (c->ndests == 0 && c->realm != NULL)
		c->realm->next_lns = c->lns_idx;
	log_info("lac: \"%s\" connected to its LNS; relaying", c->user);
	acct_start(c, time_now_ms());
	for (unsigned i = 0; i < c->queued; i++)
		call_send_l2tp(c, c->queue[i].b, c->queue[i].len);
	c->queued = 0;
}

void
lac_session_down(struct roles *r, struct l2tp_session *s)
{
	struct lac_call *c = l2tp_session_user(s);
	struct lac_tunnel *lt;
	uint64_t now = time_now_ms();

	(void)r;
	if (c == NULL)
		return;
	l2tp_session_set_user(s, NULL);
	c->ls = NULL;
	lt = c->lt;
	if (c->state == LAC_CALL_DIALING && lt != NULL && !lt->was_up &&
	    c->lns_tries < call_ntargets(c)) {
		/* The tunnel never came up (no answer, StopCCN): try the
		 * next LNS for this user (the realm's, or RADIUS's next
		 * preference), from the timers. */
		struct lac_realm *lr = c->realm;
		unsigned n = call_ntargets(c);
		unsigned failed = c->lns_idx;
		struct lac_target a, b;

		tunnel_detach(c, now);
		if (c->ndests == 0 && lr->next_lns == failed)
			lr->next_lns = (failed + 1) % n;
		c->lns_idx = (failed + 1) % n;
		c->retry = true;
		LIST_INSERT_HEAD(&c->lac->retry, c, tentry);
		call_target(c, failed, &a);
		call_target(c, c->lns_idx, &b);
		log_info("lac: \"%s\": LNS %s did not set up a tunnel; "
		    "trying %s", c->user, a.hp->host, b.hp->host);
		return;
	}
	/* CDN from the LNS, or its tunnel died (CLOSING before its sessions
	 * go down): the user gets PADT. */
	call_end(c, "L2TP session closed", lt != NULL && lt->t != NULL &&
	    l2tp_tunnel_is_up(lt->t) ? AAA_LAC_END_LNS_CDN :
	    AAA_LAC_END_TUNNEL_LOST, true, false, 0);
}

void
lac_session_data(struct roles *r, struct l2tp_session *s,
    const uint8_t *frame, size_t len)
{
	struct lac_call *c = l2tp_session_user(s);

	(void)r;
	if (c == NULL || c->state != LAC_CALL_RELAY || c->ps == NULL)
		return;
	if (c->acct != NULL && c->acct->s.started) {
		/* as the user receives it: without FF 03 */
		c->acct->ctr.out_octets += len >= 2 &&
		    frame[0] == PPP_ALLSTATIONS && frame[1] == PPP_UI ?
		    len - 2 : len;
		c->acct->ctr.out_packets++;
	}
	/* pppoe_server_send drops a leading FF 03 itself */
	(void)pppoe_server_send(c->ps, frame, len);
}

void
lac_describe_session(struct roles *r, struct l2tp_session *s,
    struct roles_session_view *v)
{
	struct lac_call *c = l2tp_session_user(s);

	v->role = L2TP_ROLE_LAC;
	v->interface = r->lac != NULL ? r->lac->cfg.pppoe_interface : "";
	if (c == NULL)
		return;
	v->user = c->user;
	/* the link's phase until the hand-over; then PPP is up end to end
	 * as far as the LAC can tell */
	if (c->state == LAC_CALL_RELAY)
		v->ppp_phase = "network";
	else if (c->sl != NULL && c->state != LAC_CALL_DONE)
		v->ppp_phase = ppp_phase_str(ppp_link_phase(c->sl->link));
	else
		v->ppp_phase = c->state == LAC_CALL_DIALING ? "authenticate" :
		    "dead";
}

/* ---- timers ---- */

void
lac_run_timers(struct roles *r, uint64_t now)
{
	struct lac *lac = r->lac;
	struct lac_tunnel *lt, *ltn;
	struct lac_call *c;

	struct heap_node *n;

	if (lac == NULL)
		return;
	while ((n = heap_min(&lac->acct_timers)) != NULL && n->key <= now) {
		struct lac_acct *a = (struct lac_acct *)
		    ((char *)n - offsetof(struct lac_acct, timer));

		heap_remove(&lac->acct_timers, n);
		aaa_access_interim(r->aaa, &a->s, &a->ctr, &a->x, now);
		acct_schedule(lac, a, now);
	}
	while ((c = LIST_FIRST(&lac->retry)) != NULL) {
		LIST_REMOVE(c, tentry);
		c->retry = false;
		if (call_dial(c, now) < 0)
			call_end(c, "no LNS of the realm answered",
			    AAA_LAC_END_ERROR, true, false, 0);
	}
	LIST_FOREACH_SAFE(lt, &lac->tunnels, entry, ltn) {
		if (lt->idle_at > now || lt->closing || lt->t == NULL)
			continue;
		lt->idle_at = TIME_NEVER;
		lt->closing = true;
		log_info("lac: tunnel to realm %s's LNS idle; closing",
		    lt->realm);
		/* RFC 2661 §4.4.2 StopCCN result 1: general request. */
		l2tp_tunnel_close(lt->t, L2TP_STOPCCN_GENERAL, 0,
		    "no sessions left", now);
	}
	lac_reap(lac);
}

uint64_t
lac_next_deadline(const struct roles *r)
{
	const struct lac *lac = r->lac;
	const struct lac_tunnel *lt;
	const struct heap_node *n;
	uint64_t t = TIME_NEVER;

	if (lac == NULL)
		return TIME_NEVER;
	if (!LIST_EMPTY(&lac->retry) || !LIST_EMPTY(&lac->dead))
		return 0;
	if ((n = heap_min(&lac->acct_timers)) != NULL)
		t = n->key;
	LIST_FOREACH(lt, &lac->tunnels, entry)
		if (!lt->closing)
			t = time_min(t, lt->idle_at);
	return t;
}

/* ---- life cycle ---- */

int
lac_init(struct roles *r, uint64_t now)
{
	const struct vpdn_config *cfg = r->cfg;
	struct pppoe_server_config sc;
	struct lac *lac;

	if (!cfg->lac.enabled)
		return 0;
	if ((lac = calloc(1, sizeof(*lac))) == NULL)
		return -1;
	r->lac = lac;
	lac->roles = r;
	lac->cfg = cfg->lac;
	LIST_INIT(&lac->realms);
	LIST_INIT(&lac->retired);
	LIST_INIT(&lac->tunnels);
	LIST_INIT(&lac->calls);
	LIST_INIT(&lac->dead);
	LIST_INIT(&lac->retry);
	heap_init(&lac->acct_timers);
	if (cfg->lac.radius) {
		struct radius_nas_info nas;

		if (r->radius == NULL) {
			log_error("lac: radius = yes but no RADIUS client");
			return -1;
		}
		memset(&nas, 0, sizeof(nas));
		strlcpy(nas.nas_identifier, cfg->radius.nas_identifier,
		    sizeof(nas.nas_identifier));
		/* RFC 2865 §5.41: the user dialled in over Ethernet. */
		nas.nas_port_type = LAC_NAS_PORT_TYPE_ETHERNET;
		radius_auth_backend(&lac->radius, r->radius, &nas);
		lac->have_radius = true;
		/* RFC 2866: the LAC's records are what a carrier bills from;
		 * sent to the [radius] accounting servers like the LNS's. */
		lac->acct = aaa_enabled(r->aaa);
	}
	lac->sock.fd_disc = lac->sock.fd_ses = -1;
	if (realms_load(lac, cfg) < 0)
		return -1;
	if (pppoe_sock_open(&lac->sock, cfg->lac.pppoe_interface) < 0)
		return -1;
	lac->sock_open = true;
	memset(&sc, 0, sizeof(sc));
	memcpy(sc.mac, lac->sock.mac, sizeof(sc.mac));
	sc.ac_name = cfg->lac.ac_name[0] != '\0' ? cfg->lac.ac_name :
	    cfg->global.hostname;
	if (cfg->lac.service_name[0] != '\0') {
		sc.services[0] = cfg->lac.service_name;
		sc.nservices = 1;
	}
	/* A flood of PADIs is bounded per MAC by the server itself; the
	 * operator sizes the total for the dial-in storm the access network
	 * must absorb (a PADR takes a token too: two per user). */
	sc.padi_global_rate = cfg->lac.discovery_rate;
	sc.padi_global_burst = cfg->lac.discovery_rate * 2;
	/* One PPPoE session per L2TP session: the daemon's session limit,
	 * within the 16-bit SESSION_ID space (RFC 2516 §4, 0 and 0xffff
	 * reserved). */
	sc.max_sessions = cfg->global.max_sessions < 65534 ?
	    cfg->global.max_sessions : 65534;
	lac->srv = pppoe_server_new(&sc, &lac_pppoe_ops, lac, now);
	if (lac->srv == NULL)
		return -1;
	lac->watch_disc = r->io.watch(r->io_ctx, pppoe_sock_fd_disc(&lac->sock),
	    lac_on_disc, lac);
	lac->watch_ses = r->io.watch(r->io_ctx, pppoe_sock_fd_ses(&lac->sock),
	    lac_on_ses, lac);
	if (lac->watch_disc == NULL || lac->watch_ses == NULL)
		return -1;
	log_info("lac: PPPoE access concentrator on %s (AC-Name %s)",
	    lac->sock.ifname, sc.ac_name);
	return 0;
}

/* SIGTERM: users still authenticating get PADT; the rest go with their
 * tunnels (StopCCN from the host, then session_down → PADT). */
void
lac_shutdown(struct roles *r)
{
	struct lac *lac = r->lac;
	struct lac_call *c, *cn;

	if (lac == NULL)
		return;
	LIST_FOREACH_SAFE(c, &lac->calls, entry, cn)
		if (c->state == LAC_CALL_AUTH)
			call_end(c, "shutting down", AAA_LAC_END_SHUTDOWN,
			    true, false, 0);
}

void
lac_free(struct roles *r)
{
	struct lac *lac = r->lac;
	struct lac_call *c;
	struct lac_tunnel *lt;
	struct lac_realm *lr;

	if (lac == NULL)
		return;
	while ((c = LIST_FIRST(&lac->calls)) != NULL)
		call_end(c, "shutdown", AAA_LAC_END_SHUTDOWN, true, false,
		    0);
	sl_reap(r);
	lac_reap(lac);
	while ((lt = LIST_FIRST(&lac->tunnels)) != NULL) {
		LIST_REMOVE(lt, entry);
		if (lt->t != NULL)
			l2tp_tunnel_set_user(lt->t, NULL);
		free(lt);
	}
	if (lac->watch_disc != NULL)
		r->io.unwatch(r->io_ctx, lac->watch_disc);
	if (lac->watch_ses != NULL)
		r->io.unwatch(r->io_ctx, lac->watch_ses);
	pppoe_server_free(lac->srv);
	if (lac->have_radius)
		radius_auth_backend_free(&lac->radius);
	if (lac->sock_open)
		pppoe_sock_close(&lac->sock);
	heap_free(&lac->acct_timers);
	while ((lr = LIST_FIRST(&lac->realms)) != NULL) {
		LIST_REMOVE(lr, entry);
		users_free(lr->users);
		free(lr);
	}
	while ((lr = LIST_FIRST(&lac->retired)) != NULL) {
		LIST_REMOVE(lr, entry);
		users_free(lr->users);
		free(lr);
	}
	free(lac);
	r->lac = NULL;
}

/* SIGHUP: realms, auth methods and the idle timeout apply to new calls;
 * the interface and the PPPoE server stay as they are. */
void
lac_reconfigure(struct roles *r, const struct vpdn_config *cfg, uint64_t now)
{
	struct lac *lac = r->lac;

	(void)now;
	if (lac == NULL) {
		if (cfg->lac.enabled)
			log_warnx("lac: [lac] added on reload; restart to "
			    "enable it");
		return;
	}
	if (strcmp(cfg->lac.pppoe_interface, lac->cfg.pppoe_interface) != 0)
		log_warnx("lac: pppoe-interface changes need a restart");
	if (cfg->lac.radius != lac->cfg.radius)
		log_warnx("lac: radius changes need a restart");
	lac->cfg.auth = cfg->lac.auth;
	lac->cfg.tunnel_idle_timeout = cfg->lac.tunnel_idle_timeout;
	if (realms_load(lac, cfg) < 0)
		log_warnx("lac: reload: some realms could not be loaded");
}
