/*
 * lac_realm.c — who may dial through the LAC and how that is checked.
 *
 * Realms: the [realm] sections as calls see them.  A reload retires the
 * current set; a call keeps the realm it started with (counted) until it
 * ends, and the LNS that last worked for a realm is kept across reloads.
 *
 * Verification: the LAC's authentication backend, one per call.  A realm
 * with `users` checks the proof locally; otherwise, with `radius = yes`,
 * RADIUS does (radius_auth.h), and the Access-Accept's RFC 2868 tunnel
 * attributes, when they name an L2TP/IPv4 tunnel, choose the LNS instead
 * of the realm (RFC 2809 §3: the home network's server decides the
 * tunnel; see lac_radius.h); otherwise the LAC accepts any user of a known
 * realm and the LNS checks the proxy authentication (RFC 2661 §4.4.5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bsd/string.h>

#include "config/users.h"
#include "core/log.h"
#include "radius/radius_auth.h"
#include "roles/lac_priv.h"
#include "roles/lac_radius.h"
#include "roles/realm.h"

static void
lac_realm_free(struct lac_realm *lr)
{
	users_free(lr->users);
	free(lr);
}

void
lac_realm_release(struct lac_realm *lr)
{
	if (lr == NULL || --lr->refs > 0 || !lr->retired)
		return;
	LIST_REMOVE(lr, entry);
	lac_realm_free(lr);
}

struct lac_realm *
lac_realm_lookup(struct lac *lac, const char *name)
{
	struct lac_realm *lr;

	if (name == NULL)
		return NULL;
	LIST_FOREACH(lr, &lac->realms, entry)
	if (strcasecmp(lr->cfg.name, name) == 0)
		return lr;
	return NULL;
}

void
lac_realms_discard(struct lac_realm_list *list)
{
	struct lac_realm *lr;

	while ((lr = LIST_FIRST(list)) != NULL) {
		LIST_REMOVE(lr, entry);
		lac_realm_free(lr);
	}
}

int
lac_realms_build(const struct vpdn_config *cfg, struct lac_realm_list *list,
    char *err, size_t errlen)
{
	struct lac_realm *lr;
	char why[400];

	LIST_INIT(list);
	for (unsigned i = 0; i < cfg->realm_count; i++) {
		if ((lr = calloc(1, sizeof(*lr))) == NULL) {
			snprintf(err, errlen, "realm %s: out of memory",
			    cfg->realms[i].name);
			lac_realms_discard(list);
			return -1;
		}
		lr->cfg = cfg->realms[i];
		LIST_INSERT_HEAD(list, lr, entry);
		if (lr->cfg.users[0] == '\0')
			continue;
		lr->users = users_load(lr->cfg.users, why, sizeof(why));
		if (lr->users == NULL) {
			snprintf(err, errlen, "realm %s: %s", lr->cfg.name,
			    why);
			lac_realms_discard(list);
			return -1;
		}
		auth_users_backend(&lr->backend, lr->users);
	}
	return 0;
}

void
lac_realms_install(struct lac *lac, struct lac_realm_list *list)
{
	struct lac_realm *lr, *old;

	/* retire the current set; calls keep theirs until they end */
	while ((lr = LIST_FIRST(&lac->realms)) != NULL) {
		LIST_REMOVE(lr, entry);
		lr->retired = true;
		LIST_INSERT_HEAD(&lac->retired, lr, entry);
		lr->refs++;
		lac_realm_release(lr);
	}
	while ((lr = LIST_FIRST(list)) != NULL) {
		LIST_REMOVE(lr, entry);
		/* keep the LNS that last worked across reloads */
		LIST_FOREACH(old, &lac->retired, entry)
		if (strcasecmp(old->cfg.name, lr->cfg.name) == 0 &&
		    old->next_lns < lr->cfg.lns_count)
			lr->next_lns = old->next_lns;
		LIST_INSERT_HEAD(&lac->realms, lr, entry);
	}
}

/* RADIUS answered: keep its tunnels for call_authenticated; a user that
 * neither the reply's tunnels nor a realm can place is refused. */
static void
lac_radius_done(void *arg, const struct auth_result *res)
{
	struct lac_call *c = arg;
	struct lac *lac = c->lac;
	const struct radius_auth_reply *rep = radius_auth_current_reply(
	    &lac->radius);
	struct lac_dest d[RADIUS_AUTH_MAX_TUNNELS];
	struct auth_result r = *res;
	unsigned n = 0;

	/* A RADIUS answer comes from the loop with its own time. */
	if (res->now != 0)
		lac->roles->now = res->now;
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
	} else if (r.ok && lac_realm_lookup(lac, realm_of(c->user)) == NULL) {
		const char *rname = realm_of(c->user);

		lac->refused_realm++;
		log_info("lac: refusing \"%s\": RADIUS named no L2TP tunnel "
			 "and realm \"%s\" is unknown",
		    c->user, rname != NULL ? rname : "");
		r.ok = false;
		snprintf(r.message, sizeof(r.message), "unknown realm");
	}
	/* the reply is current only now: keep its Class and interval */
	if (r.ok)
		lac_acct_new(c, rep);
	c->auth_done(c->auth_arg, &r);
}

/*
 * The LAC's authentication backend, one per call (ctx): a realm with
 * `users` checks the proof locally; otherwise RADIUS does when configured
 * (its tunnel attributes may route the user, RFC 2868); otherwise the realm
 * decides who may dial at all (unknown realm: Failure), the LAC accepts and
 * the LNS checks the proxy authentication (RFC 2661 §4.4.5).
 */
uint64_t
lac_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct lac_call *c = ctx;
	struct lac *lac = c->lac;
	const char *rname = realm_of(req->user);
	struct lac_realm *lr = lac_realm_lookup(lac, rname);
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

void
lac_cancel(void *ctx, uint64_t handle)
{
	struct lac_call *c = ctx;
	struct lac *lac = c->lac;

	if (handle != 0 && handle == c->rhandle && lac->have_radius &&
	    lac->radius.cancel != NULL)
		lac->radius.cancel(lac->radius.ctx, handle);
	c->rhandle = 0;
}
