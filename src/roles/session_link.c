/*
 * session_link.c — binding of a PPP link to an L2TP session (see the header).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/secstats.h"
#include "core/timeutil.h"
#include "ppp/authlimit.h"
#include "ppp/ppp_proto.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

static void
sl_reschedule(struct session_link *sl)
{
	struct roles *r = sl->roles;
	uint64_t d = sl->link != NULL && !sl->ended ?
	    ppp_link_next_deadline(sl->link) :
	    TIME_NEVER;

	if (d == TIME_NEVER) {
		if (heap_node_queued(&sl->timer))
			heap_remove(&r->link_timers, &sl->timer);
		return;
	}
	if (heap_set(&r->link_timers, &sl->timer, d) < 0) {
		/* Out of memory for the heap: end this call rather than
		 * leave a link whose timers never run. */
		log_warnx("session link: no memory for its timer");
		sl_close(sl, "out of memory", sl->roles->now);
	}
}

/* Ends the binding once: role cleanup, CDN if the session is still there,
 * then the object waits in the dead list for sl_reap(). */
static void
sl_end(struct session_link *sl, const char *reason, uint16_t cdn_result)
{
	struct roles *r = sl->roles;
	void *carrier = sl->carrier;

	if (sl->ended)
		return;
	sl->ended = true;
	if (heap_node_queued(&sl->timer))
		heap_remove(&r->link_timers, &sl->timer);
	sl->ops->ended(sl, reason);
	sl->next_dead = r->dead_links;
	r->dead_links = sl;
	if (carrier != NULL) {
		sl->carrier = NULL;
		sl->carrier_ops->detach(carrier);
		sl->carrier_ops->close(carrier, cdn_result, reason, r->now);
	}
}

static int
sl_l2tp_send(void *carrier, const uint8_t *frame, size_t len)
{
	return l2tp_session_send_data(carrier, frame, len);
}

static int
sl_l2tp_send_inplace(void *carrier, uint8_t *frame, size_t len, size_t headroom)
{
	return l2tp_session_send_data_inplace(carrier, frame, len, headroom);
}

static void
sl_l2tp_close(void *carrier, uint16_t cdn_result, const char *reason,
    uint64_t now)
{
	l2tp_session_close(carrier, cdn_result, 0, reason, now);
}

static void
sl_l2tp_detach(void *carrier)
{
	l2tp_session_set_user(carrier, NULL);
}

const struct sl_carrier_ops sl_l2tp_carrier = {
	.send = sl_l2tp_send,
	.send_inplace = sl_l2tp_send_inplace,
	.close = sl_l2tp_close,
	.detach = sl_l2tp_detach,
};

struct l2tp_session *
sl_l2tp_session(const struct session_link *sl)
{
	return sl->carrier_ops == &sl_l2tp_carrier ? sl->carrier : NULL;
}

static int
sl_link_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct session_link *sl = ctx;

	if (sl->carrier == NULL)
		return -1;
	return sl->carrier_ops->send(sl->carrier, frame, len);
}

static int
sl_link_send_inplace(void *ctx, uint8_t *frame, size_t len, size_t headroom)
{
	struct session_link *sl = ctx;

	if (sl->carrier == NULL)
		return -1;
	if (sl->carrier_ops->send_inplace == NULL)
		return sl->carrier_ops->send(sl->carrier, frame, len);
	return sl->carrier_ops->send_inplace(sl->carrier, frame, len, headroom);
}

static int
sl_link_assign(void *ctx, const char *user, const struct auth_result *res,
    uint32_t *addr, uint64_t now)
{
	struct session_link *sl = ctx;

	/* The link's events are the roles' clock (roles_priv.h: now). */
	sl->roles->now = now;
	return sl->ops->assign_address(sl, user, res, addr);
}

static void
sl_link_network_up(void *ctx, uint32_t local, uint32_t peer,
    const uint32_t dns[2], unsigned dns_count, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	sl->local_addr = local;
	sl->peer_addr = peer;
	sl->network_up = true;
	sl->ops->network_up(sl, local, peer, dns, dns_count);
}

static void
sl_link_network_down(void *ctx, const char *reason, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	if (sl->ended)
		return;
	if (sl->ops->network_down != NULL)
		sl->ops->network_down(sl, reason);
	sl->network_up = false;
	sl->local_addr = sl->peer_addr = 0;
}

static void
sl_link_ip_input(void *ctx, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	if (!sl->ended)
		sl->ops->ip_input(sl, pkt, len);
}

static void
sl_link_ipv6_input(void *ctx, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	if (sl->ended)
		return;
	if (sl->ops->ipv6_input != NULL) {
		sl->ops->ipv6_input(sl, pkt, len);
		return;
	}
	LOG_RL(LOG_LEVEL_DEBUG,
	    "session link: %zu-byte IPv6 packet dropped: "
	    "no IPv6 in this role",
	    len);
}

static void
sl_link_network6_up(void *ctx, const uint8_t local_id[8],
    const uint8_t peer_id[8], uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	if (sl->ended || sl->ops->network6_up == NULL)
		return;
	sl->network6_up = true;
	sl->ops->network6_up(sl, local_id, peer_id);
}

static void
sl_link_network6_down(void *ctx, const char *reason, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	if (sl->ended || !sl->network6_up)
		return;
	sl->network6_up = false;
	if (sl->ops->network6_down != NULL)
		sl->ops->network6_down(sl, reason);
}

static void
sl_link_down(void *ctx, const char *reason, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	/* RFC 2661 §4.4.2: CDN result 1 "lost carrier" is what a LAC reports
	 * when PPP ends; for the LNS it means the call is over. */
	sl_end(sl, reason, L2TP_CDN_LOST_CARRIER);
}

static void
sl_link_auth_describe(void *ctx, struct auth_request *req)
{
	struct session_link *sl = ctx;

	if (sl->ops->describe != NULL && !sl->ended)
		sl->ops->describe(sl, req);
}

static void
sl_link_ncp_failed(void *ctx, uint16_t proto, uint64_t now)
{
	struct session_link *sl = ctx;

	sl->roles->now = now;
	if (!sl->ended && sl->ops->ncp_failed != NULL)
		sl->ops->ncp_failed(sl, proto);
}

static const struct ppp_link_ops sl_link_ops = {
	.send = sl_link_send,
	.send_inplace = sl_link_send_inplace,
	.assign_address = sl_link_assign,
	.network_up = sl_link_network_up,
	.network_down = sl_link_network_down,
	.ip_input = sl_link_ip_input,
	.ipv6_input = sl_link_ipv6_input,
	.network6_up = sl_link_network6_up,
	.network6_down = sl_link_network6_down,
	.ncp_failed = sl_link_ncp_failed,
	.down = sl_link_down,
	.auth_describe = sl_link_auth_describe,
};

/*
 * The failure back-off sits between the link and the role's backend, so it
 * covers every way a proof is checked (PAP, CHAP, MS-CHAPv2, the LNS's
 * proxy authentication; users file or RADIUS) in both roles.  A locked
 * user or peer gets the answer a wrong password gets, at once, without
 * the backend hearing of it.
 */
struct sl_auth_guard {
	struct session_link *sl;
	struct auth_backend inner; /* the role's backend */
	auth_done_fn *done;	   /* the link's, while pending */
	void *done_arg;
	char *who;	/* user "\0" peer, while pending */
	bool in_verify; /* inside inner.verify */
};

#define SL_GUARD_PEER_MAX 64

static void
guard_release(struct sl_auth_guard *g)
{
	free(g->who);
	g->who = NULL;
	g->done = NULL;
}

static void
guard_done(void *arg, const struct auth_result *res)
{
	struct sl_auth_guard *g = arg;
	struct authlimit *al = g->sl->roles->authlimit;
	const struct vpdn_config *cfg = g->sl->roles->cfg;
	auth_done_fn *done = g->done;
	void *done_arg = g->done_arg;
	const char *user, *peer;
	unsigned began;

	if (done == NULL)
		return;
	/* A RADIUS answer comes from the loop with its own time. */
	if (res->now != 0)
		g->sl->roles->now = res->now;
	if (g->who != NULL && al != NULL) {
		user = g->who;
		peer = user + strlen(user) + 1;
		if (res->ok) {
			authlimit_success(al, user, peer, g->sl->roles->now);
		} else if (!res->unavailable &&
		    (began = authlimit_failure(al, user, peer,
			 g->sl->roles->now)) != 0) {
			/* Once per episode: the attempts refused during the
			 * lockout are only counted. */
			if (began & AUTHLIMIT_LOCKED_USER) {
				secstat_inc(SECSTAT_AUTH_LOCKOUT);
				log_warnx(
				    "auth: user \"%s\" locked out for %u s "
				    "after %u failures",
				    user, cfg->global.auth_lockout,
				    cfg->global.auth_failure_limit);
			}
			if (began & AUTHLIMIT_LOCKED_PEER) {
				secstat_inc(SECSTAT_AUTH_LOCKOUT);
				log_warnx("auth: peer %s locked out for %u s "
					  "after %u failures",
				    peer, cfg->global.auth_lockout,
				    cfg->global.auth_failure_limit);
			}
		}
	}
	guard_release(g);
	done(done_arg, res);
	if (g->in_verify || g->sl->ended)
		return;
	/* An answer that came later (RADIUS) reached the link outside its
	 * entry points: what it decided (a refusal ends the link, an
	 * acceptance starts IPCP) is only recorded there (ppp/link.c,
	 * re-entrancy).  ppp_link_timeout runs nothing that is not due and
	 * then acts on it; the link's deadline has moved, too. */
	ppp_link_timeout(g->sl->link, g->sl->roles->now);
	if (!g->sl->ended)
		sl_reschedule(g->sl);
}

static uint64_t
guard_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct sl_auth_guard *g = ctx;
	struct session_link *sl = g->sl;
	struct authlimit *al = sl->roles->authlimit;
	char peer[SL_GUARD_PEER_MAX] = "";
	size_t ul = strnlen(req->user, sizeof(req->user) - 1);
	size_t pl;
	uint64_t h;

	if (sl->ops->auth_peer != NULL && !sl->ended)
		sl->ops->auth_peer(sl, peer, sizeof(peer));
	pl = strlen(peer);
	if (al != NULL &&
	    authlimit_locked(al, req->user, peer, sl->roles->now)) {
		struct auth_result res;

		secstat_inc(SECSTAT_AUTH_LOCKED_ATTEMPT);
		log_debug("auth: \"%.*s\" (peer %s) is locked out; refused",
		    (int)ul, req->user, peer);
		memset(&res, 0, sizeof(res));
		snprintf(res.message, sizeof(res.message), "%s",
		    "authentication failed");
		done(arg, &res);
		return 0;
	}
	guard_release(g);
	g->done = done;
	g->done_arg = arg;
	/* Without memory the attempt is still checked, just not counted. */
	if ((g->who = malloc(ul + 1 + pl + 1)) != NULL) {
		memcpy(g->who, req->user, ul);
		g->who[ul] = '\0';
		memcpy(g->who + ul + 1, peer, pl + 1);
	}
	g->in_verify = true;
	h = g->inner.verify(g->inner.ctx, req, guard_done, g);
	g->in_verify = false;
	return h;
}

static void
guard_cancel(void *ctx, uint64_t handle)
{
	struct sl_auth_guard *g = ctx;

	guard_release(g);
	if (g->inner.cancel != NULL)
		g->inner.cancel(g->inner.ctx, handle);
}

static void
sl_guard_free(struct session_link *sl)
{
	if (sl->guard != NULL)
		guard_release(sl->guard);
	free(sl->guard);
	sl->guard = NULL;
}

struct session_link *
sl_new(struct roles *r, const struct sl_carrier_ops *carrier_ops, void *carrier,
    struct ppp_link_conf *conf, const struct ppp_link_lac_hooks *lac,
    const struct auth_backend *be, const struct sl_role_ops *ops, void *owner,
    uint64_t now)
{
	struct session_link *sl = calloc(1, sizeof(*sl));
	struct auth_backend guarded;

	if (sl == NULL)
		return NULL;
	sl->roles = r;
	sl->ops = ops;
	sl->owner = owner;
	sl->carrier_ops = carrier_ops;
	sl->carrier = carrier;
	heap_node_init(&sl->timer);
	if (be != NULL && be->verify != NULL) {
		if ((sl->guard = calloc(1, sizeof(*sl->guard))) == NULL) {
			free(sl);
			return NULL;
		}
		sl->guard->sl = sl;
		sl->guard->inner = *be;
		guarded.verify = guard_verify;
		guarded.cancel = guard_cancel;
		guarded.ctx = sl->guard;
		be = &guarded;
	}
	sl->link = ppp_link_create(conf, be, &sl_link_ops, sl, lac, now);
	if (sl->link == NULL) {
		sl_guard_free(sl);
		free(sl);
		return NULL;
	}
	LIST_INSERT_HEAD(&r->links, sl, entry);
	return sl;
}

void
sl_set_proxy(struct session_link *sl, const struct l2tp_msg *m)
{
	struct ppp_proxy p;

	memset(&p, 0, sizeof(p));
	if (l2tp_msg_has(m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ)) {
		p.initial_rcvd = m->initial_rcvd_confreq.data;
		p.initial_rcvd_len = m->initial_rcvd_confreq.len;
	}
	if (l2tp_msg_has(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ)) {
		p.last_sent = m->last_sent_confreq.data;
		p.last_sent_len = m->last_sent_confreq.len;
	}
	if (l2tp_msg_has(m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ)) {
		p.last_rcvd = m->last_rcvd_confreq.data;
		p.last_rcvd_len = m->last_rcvd_confreq.len;
	}
	if (l2tp_msg_has(m, L2TP_AVP_PROXY_AUTHEN_TYPE)) {
		p.authen_type = m->proxy_authen_type;
		p.authen_name = m->proxy_authen_name;
		p.challenge = m->proxy_authen_challenge.data;
		p.challenge_len = m->proxy_authen_challenge.len;
		p.authen_id = m->proxy_authen_id;
		p.response = m->proxy_authen_response.data;
		p.response_len = m->proxy_authen_response.len;
	}
	if (p.last_sent == NULL && p.last_rcvd == NULL && p.authen_type == 0)
		return;
	ppp_link_set_proxy(sl->link, &p);
}

void
sl_start(struct session_link *sl, uint64_t now)
{
	ppp_link_start(sl->link, now);
	sl_reschedule(sl);
}

void
sl_input(struct session_link *sl, const uint8_t *frame, size_t len,
    uint64_t now)
{
	if (sl->ended)
		return;
	ppp_link_input(sl->link, frame, len, now);
	if (!sl->ended)
		sl_reschedule(sl);
}

int
sl_send_ip(struct session_link *sl, uint8_t *pkt, size_t len, size_t headroom)
{
	if (sl->ended || sl->carrier == NULL)
		return -1;
	return ppp_link_send_ip_inplace(sl->link, pkt, len, headroom);
}

int
sl_send_ipv6(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	if (sl->ended || sl->carrier == NULL)
		return -1;
	return ppp_link_send_ipv6(sl->link, pkt, len);
}

void
sl_close(struct session_link *sl, const char *reason, uint64_t now)
{
	if (sl->ended)
		return;
	/* RFC 1661 §3.7: Terminate-Request first; the link reports down once
	 * the peer acked (or Max-Terminate ran out), and sl_end sends CDN. */
	ppp_link_close(sl->link, reason, now);
	if (!sl->ended)
		sl_reschedule(sl);
}

void
sl_carrier_gone(struct session_link *sl)
{
	sl->carrier = NULL;
	sl_end(sl, "carrier closed", L2TP_CDN_ADMIN);
}

void
sl_session_data(struct roles *r, void *ctx, struct l2tp_session *s,
    const uint8_t *frame, size_t len, uint64_t now)
{
	struct session_link *sl = l2tp_session_user(s);

	(void)r;
	(void)ctx;
	if (sl != NULL)
		sl_input(sl, frame, len, now);
}

void
sl_describe(const struct session_link *sl, bool ours,
    struct roles_session_view *v)
{
	uint32_t addr = 0;

	if (sl == NULL || sl->ended)
		return;
	v->ppp_phase = ppp_phase_str(ppp_link_phase(sl->link));
	if (sl->network_up)
		addr = ours ? sl->local_addr : sl->peer_addr;
	if (addr != 0) {
		struct in_addr in = { .s_addr = htonl(addr) };

		inet_ntop(AF_INET, &in, v->address_buf, sizeof(v->address_buf));
		v->address = v->address_buf;
	}
}

void
sl_run_timers(struct roles *r, uint64_t now)
{
	struct heap_node *n;

	while ((n = heap_min(&r->link_timers)) != NULL && n->key <= now) {
		struct session_link *sl = (struct session_link *)((char *)n -
		    offsetof(struct session_link, timer));

		heap_remove(&r->link_timers, n);
		ppp_link_timeout(sl->link, now);
		if (!sl->ended)
			sl_reschedule(sl);
	}
}

uint64_t
sl_next_deadline(const struct roles *r)
{
	const struct heap_node *n = heap_min(&r->link_timers);

	return n != NULL ? n->key : TIME_NEVER;
}

void
sl_reap(struct roles *r)
{
	while (r->dead_links != NULL) {
		struct session_link *sl = r->dead_links;

		r->dead_links = sl->next_dead;
		LIST_REMOVE(sl, entry);
		ppp_link_free(sl->link);
		sl_guard_free(sl);
		free(sl);
	}
}

void
sl_free_all(struct roles *r)
{
	struct session_link *sl;

	while ((sl = LIST_FIRST(&r->links)) != NULL) {
		if (!sl->ended) {
			sl->carrier = NULL; /* its owner already freed it */
			sl_end(sl, "shutdown", L2TP_CDN_ADMIN);
		}
		sl_reap(r);
	}
	heap_free(&r->link_timers);
}
