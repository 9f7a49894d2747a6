/*
 * lac_tunnel.c — the LAC's side towards its LNSes: where a call may go
 * (its realm's LNS list, or the tunnels a RADIUS reply named), the tunnels
 * it opened, and placing a call in one with the proxy LCP/authentication
 * AVPs of RFC 2661 §4.4.5.
 *
 * Tunnels: one per (LNS address, secret, Tunnel-Assignment-Id), shared by
 * every call to that key up to max-sessions-per-tunnel calls, then another
 * (lac->tunnels, a handful of entries per LNS in use).  Which LNS a call
 * goes to is lac_lns.c's choice.  A tunnel that never came up (no answer
 * within the retransmission schedule, StopCCN) moves its waiting calls to
 * another LNS (lac_session_down in lac.c); one that dies later takes its
 * calls down (PADT) and the next user dials a fresh one; either way the
 * LNS is held down (lac_lns_failed) unless the LAC closed the tunnel.  A tunnel without calls
 * is closed (StopCCN) after tunnel-idle-timeout (lac_run_timers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "roles/lac_priv.h"
#include "roles/realm.h"
#include "roles/switch.h"

unsigned
lac_call_ntargets(const struct lac_call *c)
{
	return c->ndests > 0 ? c->ndests : c->realm->cfg.lns_count;
}

void
lac_call_target(const struct lac_call *c, unsigned i, struct lac_target *t)
{
	if (c->ndests > 0) {
		t->hp = &c->dests[i].hp;
		t->secret = c->dests[i].secret;
		t->secret_len = c->dests[i].secret_len;
		t->assignment_id = c->dests[i].assignment_id;
		t->label = "RADIUS";
		t->preference = c->dests[i].preference;
		t->ipv6 = c->dests[i].ipv6;
	} else {
		t->hp = &c->realm->cfg.lns[i];
		t->secret = c->realm->cfg.tunnel_secret.data;
		t->secret_len = c->realm->cfg.tunnel_secret.len;
		t->assignment_id = "";
		t->label = c->realm->cfg.name;
		t->preference = 0; /* lac_lns.c decides */
		t->ipv6 = false;   /* resolved in the daemon's family */
	}
}

/* RFC 2868 §3.7: sessions given the same Tunnel-Assignment-Id for the same
 * endpoint share a tunnel, different ids get different tunnels; the secret
 * is part of the key too (a tunnel authenticated with one secret is no
 * tunnel for users told another).  A tunnel holding `limit` calls
 * (max-sessions-per-tunnel, 0: none) is full: the call needs another
 * tunnel to the same LNS, which RFC 2661 allows (§3: tunnels are told
 * apart by their Tunnel ID, not by the peers' addresses). */
static struct lac_tunnel *
tunnel_find(struct lac *lac, const struct l2tp_addr *peer,
    const struct lac_target *tg, unsigned limit)
{
	struct lac_tunnel *lt;

	LIST_FOREACH(lt, &lac->tunnels, entry)
	if (!lt->closing && lt->t != NULL && l2tp_addr_equal(&lt->peer, peer) &&
	    (limit == 0 || lt->ncalls < limit) &&
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
	lt->owner.ops = &lac_role_ops;
	lt->owner.ctx = lt;
	l2tp_tunnel_set_user(lt->t, &lt->owner);
	LIST_INSERT_HEAD(&lac->tunnels, lt, entry);
	log_info("lac: %s%s: opening a tunnel to LNS %s%s%s",
	    tg->label == NULL || strcmp(tg->label, "RADIUS") != 0 ? "realm " :
								    "",
	    tg->label, l2tp_addr_str(peer, buf, sizeof(buf)),
	    tg->assignment_id[0] != '\0' ? " for Tunnel-Assignment-Id " : "",
	    tg->assignment_id);
	return lt;
}

void
lac_tunnel_detach(struct lac_call *c, uint64_t now)
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

struct l2tp_msg *
lac_proxy_msg(bool strip, const char *user, const struct ppp_proxy *f)
{
	struct l2tp_msg *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	put_bytes(m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ,
	    &m->initial_rcvd_confreq, f->initial_rcvd, f->initial_rcvd_len);
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
 * Places the call towards the next LNS lac_call_select() picks: into a
 * tunnel for that (address, secret) that is established or opening and
 * not full, else into a new one.  The ICRQ goes out now or when the
 * tunnel is up.
 */
int
lac_call_dial(struct lac_call *c, uint64_t now)
{
	struct lac *lac = c->lac;
	unsigned n = lac_call_ntargets(c);
	struct l2tp_call_params cp;
	struct lac_target tg;
	struct l2tp_addr peer;
	struct lac_tunnel *lt;
	int i;

	if (c->chosen) {
		/* picked when the last LNS failed (lac_session_down) */
		char err[CFG_MAX_STR + 64];

		c->chosen = false;
		lac_call_target(c, c->lns_idx, &tg);
		if (RIO(lac->roles, resolve, lac->roles->io.family, tg.hp,
			&peer, err, sizeof(err)) != 0) {
			log_warnx("lac: %s", err);
			return lac_call_dial(c, now);
		}
	} else {
		if (c->lns_tries >= n ||
		    (i = lac_call_select(c, now, &peer)) < 0)
			return -1;
		c->lns_idx = (unsigned)i;
		lac_call_target(c, c->lns_idx, &tg);
	}
	lac_lns_used(lac, &peer, tg.label, now);
	lt = tunnel_find(lac, &peer, &tg, lac_call_tunnel_limit(c));
	if (lt == NULL &&
	    (lt = tunnel_open(lac, &tg, c->lns_idx, &peer, now)) == NULL)
		return -1;
	memset(&cp, 0, sizeof(cp));
	if (c->sw != NULL) {
		/* a switched call: what the first LAC said of it */
		switch_out_params(c->sw, &cp);
	} else {
		/* §4.4.5: an Ethernet access line is digital and
		 * synchronous. */
		cp.bearer_type = L2TP_BEARER_DIGITAL;
		cp.framing_type = L2TP_FRAMING_SYNC;
		cp.tx_connect_speed = LAC_CONNECT_BPS;
		cp.rx_connect_speed = LAC_CONNECT_BPS;
		/* §4.4.5 Calling Number: the user's MAC, as our RADIUS
		 * records have it (the LNS's Calling-Station-Id). */
		aaa_mac_str(c->mac, cp.calling_number);
	}
	cp.proxy = c->proxy;
	lac_call_params_access_line(c, &cp);
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

/* ---- l2tp_host events for LAC tunnels (lac_role_ops) ---- */

/* Whom a LAC tunnel belongs to once its lac_tunnel is gone (tunnel down,
 * the LAC freed): the host may still report its sessions going. */
struct role_owner lac_gone_owner = { &lac_role_ops, NULL };

static void
lac_tunnel_up(struct roles *r, void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	struct lac_tunnel *lt = ctx;
	char buf[64];

	(void)r;
	(void)t;
	(void)now;
	if (lt == NULL)
		return;
	lt->was_up = true;
	log_info("lac: tunnel to LNS %s (realm %s) is up",
	    l2tp_addr_str(&lt->peer, buf, sizeof(buf)), lt->realm);
}

static void
lac_tunnel_down(struct roles *r, void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	struct lac_tunnel *lt = ctx;
	struct lac_call *c;

	if (lt == NULL)
		return;
	/* Not closed by us (idle, shutdown): the LNS did not set it up or
	 * lost it (no answer, StopCCN), so calls avoid it for a while. */
	if (!lt->closing && !r->shutting_down)
		lac_lns_failed(lt->lac, &lt->peer,
		    lt->was_up ? "lost its tunnel" : "did not set up a tunnel",
		    now);
	l2tp_tunnel_set_user(t, &lac_gone_owner);
	/* its sessions went down first; anything left is detached here */
	while ((c = LIST_FIRST(&lt->calls)) != NULL)
		lac_call_end(c, "tunnel down", AAA_LAC_END_TUNNEL_LOST, true,
		    false, 0);
	LIST_REMOVE(lt, entry);
	free(lt);
}

const struct role_ops lac_role_ops = {
	.tunnel_up = lac_tunnel_up,
	.tunnel_down = lac_tunnel_down,
	.session_request = roles_refuse_call,
	.session_up = lac_session_up,
	.session_down = lac_session_down,
	.session_data = lac_session_data,
	.describe = lac_describe_session,
};
