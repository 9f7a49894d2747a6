/*
 * roles.c — owns the l2tp_host and hands each of its events to the owner
 * of the tunnel through the owner's role_ops (role_ops.h): tunnels we
 * accepted belong to the LNS (lns.c), tunnels we opened carry their LAC
 * tunnel (lac_tunnel.c) or client (client.c) in l2tp_tunnel_user().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "ppp/authlimit.h"
#include "radius/radius_client.h"
#include "radius/radius_dae.h"
#include "roles/role_ops.h"
#include "roles/lns_ipv6.h"
#include "roles/roles_priv.h"
#include "roles/roles_util.h"
#include "roles/session_link.h"
#include "roles/switch.h"

static void
roles_l2tp_send(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct roles *r = ctx;

	r->io.ops->send(r->io.ctx, local, peer, pkt, len);
}

static void
roles_l2tp_send_data(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct roles *r = ctx;

	(r->io.ops->send_data != NULL ?
		r->io.ops->send_data :
		r->io.ops->send)(r->io.ctx, local, peer, pkt, len);
}

/* The owner of a tunnel: whoever opened it put its role_owner in the
 * tunnel's user pointer; the host accepts tunnels by itself, and those are
 * the LNS's (role_ops.h). */
static inline const struct role_owner *
roles_owner(struct roles *r, const struct l2tp_tunnel *t)
{
	const struct role_owner *o = l2tp_tunnel_user(t);

	return o != NULL ? o : &r->accepted;
}

static void
roles_tunnel_up(void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	const struct role_owner *o = roles_owner(ctx, t);

	o->ops->tunnel_up(ctx, o->ctx, t, now);
}

static void
roles_tunnel_down(void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	const struct role_owner *o = roles_owner(ctx, t);

	o->ops->tunnel_down(ctx, o->ctx, t, now);
}

static int
roles_session_request(void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req, uint64_t now)
{
	const struct role_owner *o = roles_owner(ctx, l2tp_session_tunnel(s));

	return o->ops->session_request(ctx, o->ctx, s, req, now);
}

static void
roles_session_up(void *ctx, struct l2tp_session *s, const struct l2tp_msg *m,
    uint64_t now)
{
	const struct role_owner *o = roles_owner(ctx, l2tp_session_tunnel(s));

	o->ops->session_up(ctx, o->ctx, s, m, now);
}

static void
roles_session_down(void *ctx, struct l2tp_session *s, uint64_t now)
{
	const struct role_owner *o = roles_owner(ctx, l2tp_session_tunnel(s));

	o->ops->session_down(ctx, o->ctx, s, now);
}

static void
roles_session_data(void *ctx, struct l2tp_session *s, const uint8_t *frame,
    size_t len, uint64_t now)
{
	const struct role_owner *o = roles_owner(ctx, l2tp_session_tunnel(s));

	o->ops->session_data(ctx, o->ctx, s, frame, len, now);
}

/* Only the LNS accepts tunnels; its peers decide what they run with. */
static void
roles_tunnel_accept(void *ctx, struct l2tp_accept *a, uint64_t now)
{
	lns_tunnel_accept(ctx, a, now);
}

static const struct l2tp_host_ops roles_l2tp_ops = {
	.tunnel_accept = roles_tunnel_accept,
	.send = roles_l2tp_send,
	.tunnel_up = roles_tunnel_up,
	.tunnel_down = roles_tunnel_down,
	.session_request = roles_session_request,
	.session_up = roles_session_up,
	.session_down = roles_session_down,
	.session_data = roles_session_data,
	.send_data = roles_l2tp_send_data,
};

void
roles_host_config(const struct vpdn_config *cfg, struct l2tp_host_config *hc)
{
	l2tp_host_config_defaults(hc);
	strlcpy(hc->hostname, cfg->global.hostname, sizeof(hc->hostname));
	strlcpy(hc->vendor_name, "vpdn", sizeof(hc->vendor_name));
	hc->receive_window = (uint16_t)cfg->global.receive_window;
	hc->hello_interval_ms = cfg->global.hello_interval * 1000;
	hc->retransmit_max = cfg->global.retransmit_max;
	hc->max_tunnels = cfg->global.max_tunnels;
	hc->max_sessions = cfg->global.max_sessions;
	hc->accept_tunnels = cfg->lns.enabled;
	hc->lns_secret_len = 0;
	if (cfg->lns.enabled && cfg->lns.tunnel_secret.len > 0) {
		memcpy(hc->lns_secret, cfg->lns.tunnel_secret.data,
		    cfg->lns.tunnel_secret.len);
		hc->lns_secret_len = cfg->lns.tunnel_secret.len;
	}
	hc->lns_hide_avps = cfg->lns.enabled && cfg->lns.hide_avps;
}

static int64_t
roles_wall_time(void *ctx)
{
	struct roles *r = ctx;

	return r->io.ops->wall_time(r->io.ctx);
}

/* [radius]: accounting over the io's RADIUS operations (the daemon's
 * client, built from the same section: src/cmd/vpdnd_radius.c, which also
 * runs the RFC 5176 listener and calls roles_dae_*). */
static int
roles_radius_init(struct roles *r)
{
	const struct cfg_radius *rc = &r->cfg->radius;
	struct aaa_nas nas;

	memset(&nas, 0, sizeof(nas));
	/* Two starts of this daemon within one wall-clock second still get
	 * different Acct-Session-Ids (aaa_session_init). */
	nas.instance = (uint16_t)(r->now & AAA_INSTANCE_MASK);
	/* RADIUS answers bring their own time (radius_reply.now, and
	 * auth_result.now for authentication), which session_link.c and
	 * lac_realm.c make r->now. */
	r->rsender.send = r->io.ops->radius_send;
	r->rsender.cancel = r->io.ops->radius_cancel;
	r->rsender.ctx = r->io.ctx;
	if (!roles_radius_enabled(r)) {
		r->aaa = aaa_new(NULL, &nas, roles_wall_time, r);
		return r->aaa != NULL ? 0 : -1;
	}
	strlcpy(nas.identifier, rc->nas_identifier, sizeof(nas.identifier));
	nas.ip = rc->nas_ip_address;
	if ((r->aaa = aaa_new(&r->rsender, &nas, roles_wall_time, r)) == NULL)
		return -1;
	aaa_accounting_on(r->aaa);
	return 0;
}

unsigned
roles_dae_disconnect(struct roles *r, const struct radius_dae_match *m,
    uint64_t now)
{
	r->now = now;
	return lns_dae_disconnect(r, m, now);
}

unsigned
roles_dae_coa(struct roles *r, const struct radius_dae_match *m,
    const struct radius_dae_coa *c, uint64_t now, enum radius_dae_error *err)
{
	r->now = now;
	return lns_dae_coa(r, m, c, now, err);
}

int
roles_set_session_rate_plan(struct roles *r, uint16_t session_id,
    const char *plan, uint64_t now, char *why, size_t whylen)
{
	r->now = now;
	return lns_set_rate_plan(r, session_id, plan, now, why, whylen);
}

struct roles *
roles_new(const struct vpdn_config *cfg, const struct roles_io *io,
    uint64_t now)
{
	struct l2tp_host_config hc;
	struct roles *r;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->cfg = cfg;
	r->io = *io;
	r->now = now;
	r->accepted.ops = &lns_role_ops;
	LIST_INIT(&r->links);
	heap_init(&r->link_timers);
	roles_host_config(cfg, &hc);
	r->host = l2tp_host_new(&hc, &roles_l2tp_ops, r);
	if ((r->authlimit = authlimit_new(0)) != NULL)
		authlimit_configure(r->authlimit,
		    cfg->global.auth_failure_limit,
		    (uint64_t)cfg->global.auth_lockout * 1000);
	if (r->host == NULL || r->authlimit == NULL ||
	    roles_radius_init(r) < 0 || lns_init(r) < 0 ||
	    clients_init(r, now) < 0 || lac_init(r, now) < 0 ||
	    switch_init(r) < 0) {
		roles_free(r);
		return NULL;
	}
	return r;
}

void
roles_free(struct roles *r)
{
	if (r == NULL)
		return;
	/* The LAC first: its calls point into the host's sessions.  Then the
	 * tunnels, whose down callbacks still reach the clients; then the
	 * PPP links, which release addresses into the pool. */
	lac_free(r);
	if (r->host != NULL)
		l2tp_host_free(r->host);
	sl_free_all(r);
	switch_free(r);
	clients_free(r);
	lns_free(r);
	aaa_free(r->aaa);
	authlimit_free(r->authlimit);
	free(r);
}

struct l2tp_host *
roles_host(struct roles *r)
{
	return r->host;
}

void
roles_input(struct roles *r, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer, uint64_t now)
{
	r->now = now;
	l2tp_host_input(r->host, pkt, len, local, peer, now);
	sl_reap(r);
}

void
roles_run_timers(struct roles *r, uint64_t now)
{
	r->now = now;
	l2tp_host_run_timers(r->host, now);
	sl_run_timers(r, now);
	lns_run_timers(r, now);
	clients_run_timers(r, now);
	sl_reap(r);
	lac_run_timers(r, now);
}

uint64_t
roles_next_deadline(const struct roles *r)
{
	uint64_t d = time_min(time_min(l2tp_host_next_deadline(r->host),
				  clients_next_deadline(r)),
	    sl_next_deadline(r));

	/* Stopping with accounting answers outstanding (they arrive on the
	 * RADIUS client's own watchers): look again soon, so the daemon
	 * notices roles_idle(). */
	if (r->shutting_down && aaa_pending(r->aaa) > 0)
		d = time_min(d, r->now + 100);
	d = time_min(d, lac_next_deadline(r));
	return time_min(d, lns_next_deadline(r));
}

int
roles_reconfigure(struct roles *r, const struct vpdn_config *cfg, uint64_t now,
    char *err, size_t errlen)
{
	struct l2tp_host_config hc;
	struct users_db *users;
	struct lac_realm_list realms;

	r->now = now;
	/* Every file the new snapshot names is loaded before anything
	 * changes: one that is broken refuses the whole reload. */
	if (lns_reload_prepare(r, cfg, &users, err, errlen) < 0)
		return -1;
	if (lac_reload_prepare(r, cfg, &realms, err, errlen) < 0) {
		users_free(users);
		return -1;
	}
	/* The RADIUS client, accounting and the RFC 5176 listener were built
	 * at start and are kept (config.h: lifetimes across reload): a
	 * changed [radius] section is only reported, not applied. */
	// NOLINTNEXTLINE(bugprone-suspicious-memory-comparison)
	if (memcmp(&cfg->radius, &r->cfg->radius, sizeof(cfg->radius)) != 0)
		log_warnx("reload: [radius] changes take effect at the next "
			  "restart");
	if (cfg->sw.enabled != (r->sw != NULL))
		log_warnx("reload: [switch] added or removed: takes effect at "
			  "the next restart");
	r->cfg = cfg;
	roles_host_config(cfg, &hc);
	l2tp_host_reconfigure(r->host, &hc);
	authlimit_configure(r->authlimit, cfg->global.auth_failure_limit,
	    (uint64_t)cfg->global.auth_lockout * 1000);
	lns_reconfigure(r, cfg, users);
	clients_reconfigure(r, cfg, now);
	lac_reconfigure(r, cfg, &realms, now);
	return 0;
}

void
roles_shutdown(struct roles *r, uint64_t now)
{
	r->now = now;
	r->shutting_down = true;
	clients_shutdown(r, now);
	lac_shutdown(r);
	l2tp_host_shutdown(r->host, now);
	/* RFC 2866 §5.1: Accounting-Off after the last Stop (lns.c and
	 * lac.c send it when the last accounted session ends). */
	roles_accounting_off(r);
}

bool
roles_idle(const struct roles *r)
{
	/* Accounting answers are waited for (bounded by the daemon's
	 * shutdown grace period). */
	return roles_unfinished_tunnels(r) == 0 && roles_acct_pending(r) == 0;
}

void
roles_tun_stats(const struct roles *r, struct roles_tun_stats *st)
{
	*st = r->tun_gone;
	if (r->cfg->lns.enabled)
		roles_tun_add(&r->io, st, &r->lns.tun);
	const struct client *c;

	TAILQ_FOREACH(c, &r->clients, entry)
	roles_tun_add(&r->io, st, &c->tun);
	st->isolated = r->lns.isolated;
	roles_ipv6_stats(r, st);
}

unsigned
roles_unfinished_tunnels(const struct roles *r)
{
	/* Tunnels that only hold their ID after a StopCCN both sides have
	 * acknowledged (RFC 2661 §5.7) do not keep the daemon. */
	return l2tp_host_unfinished_count(r->host);
}

unsigned
roles_acct_pending(const struct roles *r)
{
	return aaa_pending(r->aaa);
}

void
roles_describe_session(struct roles *r, struct l2tp_session *s,
    struct roles_session_view *v)
{
	const struct role_owner *o = roles_owner(r, l2tp_session_tunnel(s));

	/* Every field starts empty (NULL, 0, ""), whatever the caller's
	 * stack held: a role describes only what it has (a client session
	 * has no access line, rate plan or delegated prefix). */
	memset(v, 0, sizeof(*v));
	v->user = "";
	v->ppp_phase = "dead";
	v->address = "";
	v->interface = "";
	v->role = L2TP_ROLE_LNS;
	v->path = "user";
	o->ops->describe(r, o->ctx, s, v);
}

struct roles_user_match {
	struct roles *r;
	const char *name;
	struct l2tp_session **found;
	unsigned count, cap;
};

static void
roles_match_session(struct l2tp_session *s, void *arg)
{
	struct roles_user_match *m = arg;
	struct roles_session_view v;

	roles_describe_session(m->r, s, &v);
	/* A LAC session's user pointer is its struct lac_call, not a
	 * session_link: the LAC ends its calls itself. */
	if (v.role == L2TP_ROLE_LAC)
		return;
	if (strcmp(v.user, m->name) != 0)
		return;
	if (m->count == m->cap) {
		unsigned ncap = m->cap ? m->cap * 2 : 8;
		struct l2tp_session **n = reallocarray(m->found, ncap,
		    sizeof(struct l2tp_session *));

		if (n == NULL)
			return;
		m->found = n;
		m->cap = ncap;
	}
	m->found[m->count++] = s;
}

static void
roles_match_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, roles_match_session, arg);
}

unsigned
roles_disconnect_user(struct roles *r, const char *name, uint64_t now)
{
	struct roles_user_match m = { .r = r, .name = name };
	unsigned n;

	r->now = now;
	/* Sessions not yet authenticated have no name; "" names none. */
	if (*name == '\0')
		return 0;
	/* Collect first, close after: closing changes the tables walked.
	 * These are LNS and client sessions, whose user is a session_link. */
	l2tp_host_foreach_tunnel(r->host, roles_match_tunnel, &m);
	for (unsigned i = 0; i < m.count; i++) {
		struct session_link *sl = l2tp_session_user(m.found[i]);

		/* RFC 2866 §5.10: Admin-Reset in the Stop record. */
		if (sl != NULL)
			lns_set_cause(sl, AAA_CAUSE_ADMIN_RESET);
		l2tp_session_close(m.found[i], L2TP_CDN_ADMIN, 0,
		    "administrative disconnect", now);
	}
	free(m.found);
	n = m.count;
	if (r->lac != NULL)
		n += lac_disconnect_user(r, name);
	return n;
}

bool
roles_pool_range(const struct roles *r, unsigned i, const char **pool,
    uint32_t *first, uint32_t *last, uint32_t *used)
{
	if (!r->cfg->lns.enabled || r->lns.tun.fd < 0)
		return false;
	/* The ranges of every configured pool, pool by pool. */
	for (unsigned k = 0; k < r->lns.pools.n; k++) {
		const struct lns_pool *p = r->lns.pools.v[k].p;

		if (p->retired)
			continue;
		if (i < ippool_range_count(&p->ip)) {
			ippool_range_get(&p->ip, i, first, last, used);
			*pool = p->name;
			return true;
		}
		i -= ippool_range_count(&p->ip);
	}
	return false;
}

bool
roles_pool_get(const struct roles *r, unsigned i, struct roles_pool_view *v)
{
	const struct lns_pool *p;

	if (!r->cfg->lns.enabled || r->lns.tun.fd < 0)
		return false;
	/* Configured pools first, then retired ones still lending. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned k = 0; k < r->lns.pools.n; k++) {
			p = r->lns.pools.v[k].p;
			if (p->retired != (pass == 1))
				continue;
			if (i-- > 0)
				continue;
			v->name = p->name;
			v->size = ippool_size(&p->ip);
			v->used = ippool_used(&p->ip);
			v->free = ippool_available(&p->ip);
			v->exhausted = p->exhausted;
			v->retired = p->retired;
			return true;
		}
	return false;
}

bool
roles_peer_get(struct roles *r, unsigned i, struct roles_peer_view *v)
{
	if (!r->cfg->lns.enabled || i >= r->cfg->peer_count)
		return false;
	v->name = r->cfg->peers[i].name;
	lns_peer_usage(r, v->name, &v->tunnels, &v->sessions);
	return true;
}

const struct lns_policy_stats *
roles_policy_stats(const struct roles *r)
{
	return &r->lns.policy;
}

uint64_t
roles_pool_refused(const struct roles *r)
{
	return r->lns.addr_refused;
}

void
roles_foreach_lease(struct roles *r,
    void (*fn)(const struct roles_lease *lease, void *arg), void *arg)
{
	struct session_link *sl;

	LIST_FOREACH(sl, &r->links, entry)
	{
		struct roles_lease lease;
		struct l2tp_session_info si;

		if (sl->ended || !lns_owns(sl) || !sl->routed ||
		    sl_l2tp_session(sl) == NULL)
			continue; /* only the LNS's live leases */
		l2tp_session_get_info(sl_l2tp_session(sl), &si);
		lease.addr = sl->peer_addr;
		lease.user = ppp_link_user(sl->link);
		lease.tunnel_id = si.tunnel_local_id;
		lease.session_id = si.local_id;
		fn(&lease, arg);
	}
}
