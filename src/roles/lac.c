/*
 * lac.c — the L2TP Access Concentrator: users dial in with PPPoE on
 * `[lac] pppoe-interface`, the LAC runs LCP and authentication with them to
 * learn "user@realm" (ppp_link in LAC mode, bound through session_link with
 * a PPPoE carrier), finds the realm's LNS, and hands the call over in an
 * L2TP session with proxy LCP/authentication AVPs (RFC 2661 §4.4.5).  From
 * then on it relays PPP frames between the PPPoE session and the L2TP
 * session without looking at them.
 *
 * This file has the calls (hand-over, relay, end), the PPPoE server glue,
 * the L2TP session events, the timers and the life cycle.  The rest:
 *   lac_realm.c   realms, and checking users (locally or by RADIUS, whose
 *                 RFC 2868 tunnel attributes may choose the LNS)
 *   lac_lns.c     which LNS a call goes to (lns-selection), hold-down of
 *                 the LNSes that failed, `show lns`
 *   lac_tunnel.c  LNS targets, tunnels, dialling, proxy AVPs
 *   lac_acct.c    RFC 2866 accounting of the calls
 *   lac_priv.h    the structures they share
 *
 * Lifetimes: a call ends once (lac_call_end: PADT and/or CDN, detach from
 * the tunnel) and is freed from lac_reap(), when no callback of the PPPoE
 * server, the host or the link is on the stack.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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
#include "roles/lac_priv.h"
#include "roles/realm.h"
#include "roles/session_link.h"
#include "roles/switch.h"

/* ---- calls ---- */

/*
 * The user's frame where it was received, in the LAC's receive buffer, with
 * the room the Ethernet and PPPoE headers took in front of it; NULL when it
 * is elsewhere (frames queued while the call was dialing).
 */
static uint8_t *
call_rx_frame(struct lac *lac, const uint8_t *ppp, size_t len, size_t *headroom)
{
	uintptr_t b = (uintptr_t)lac->rxbuf, p = (uintptr_t)ppp;

	if (p < b + 2 + L2TP_DATA_HEADROOM || p > b + sizeof(lac->rxbuf) ||
	    len > b + sizeof(lac->rxbuf) - p)
		return NULL;
	*headroom = p - b;
	return lac->rxbuf + (p - b);
}

static void
call_send_l2tp(struct lac_call *c, const uint8_t *ppp, size_t len)
{
	uint8_t buf[PPPOE_ETH_PAYLOAD_MAX + 2], *f;
	size_t room;

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
	if (c->lac != NULL &&
	    (f = call_rx_frame(c->lac, ppp, len, &room)) != NULL) {
		/* In place: FF 03 and the L2TP header go where the PPPoE
		 * and Ethernet headers were, which nothing reads any more;
		 * the datagram leaves before the buffer takes the next
		 * frame. */
		f -= 2;
		f[0] = PPP_ALLSTATIONS;
		f[1] = PPP_UI;
		(void)l2tp_session_send_data_now(c->ls, f, len + 2, room - 2);
		return;
	}
	buf[0] = PPP_ALLSTATIONS;
	buf[1] = PPP_UI;
	memcpy(buf + 2, ppp, len);
	(void)l2tp_session_send_data(c->ls, buf, len + 2);
}

void
lac_call_end(struct lac_call *c, const char *reason, enum aaa_lac_end why,
    bool padt, bool cdn, uint16_t cdn_result)
{
	struct lac *lac = c->lac;
	struct session_link *sl = c->sl;
	uint64_t now = lac->roles->now;

	if (c->state == LAC_CALL_DONE)
		return;
	c->state = LAC_CALL_DONE;
	if (c->sw != NULL)
		switch_out_ended(c->sw, c, why, now);
	/* PPPoE SESSION_ID 0 is reserved (RFC 2516 §4): a switched call */
	if (c->ps_id == 0)
		log_info("lac: switched call of \"%s\" ended: %s", c->user,
		    reason);
	else
		log_info("lac: call of \"%s\" (PPPoE session %u) ended: %s",
		    c->user[0] != '\0' ? c->user : "?", c->ps_id, reason);
	/* Out of the kernel first: from here no frame of the call is
	 * relayed there, and its counters join the Stop's. */
	lac_fp_leave(c);
	/* before the tunnel and session are let go: the Stop names them */
	lac_acct_stop(c, why, now);
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
	lac_tunnel_detach(c, now);
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

/* What only dialling needs: the frames held for the LNS, the proxy AVPs
 * (the user's password for PAP: wiped) and the front half's PPP link. */
static void
call_drop_dial_state(struct lac_call *c)
{
	struct lac_frame *f;

	while ((f = c->queue) != NULL) {
		c->queue = f->next;
		free(f);
	}
	c->queued = 0;
	if (c->proxy != NULL) {
		explicit_bzero(c->proxy, sizeof(*c->proxy));
		free(c->proxy);
		c->proxy = NULL;
	}
	if (c->sl != NULL) {
		struct session_link *sl = c->sl;

		/* handed over (the link is inert since): no PPP goodbye, no
		 * PADT — lac_sl_ended ignores a link that is no longer the
		 * call's, and sl_reap frees it */
		c->sl = NULL;
		sl_carrier_gone(sl);
	}
}

static void
call_free(struct lac_call *c)
{
	lac_realm_release(c->realm);
	if (c->dests != NULL) {
		explicit_bzero(c->dests, c->ndests * sizeof(*c->dests));
		free(c->dests);
	}
	call_drop_dial_state(c);
	lac_fp_free(c);
	lac_acct_free(c->lac, c->acct);
	free(c->al);
	free(c);
}

size_t
lac_call_footprint(const struct lac_call *c)
{
	const struct lac_frame *f;
	size_t n = sizeof(*c);

	for (f = c->queue; f != NULL; f = f->next)
		n += sizeof(*f) + f->len;
	if (c->proxy != NULL)
		n += sizeof(*c->proxy);
	if (c->sl != NULL)
		n += sizeof(*c->sl) + ppp_link_footprint(c->sl->link);
	if (c->dests != NULL)
		n += c->ndests * sizeof(*c->dests);
	if (c->al != NULL)
		n += sizeof(*c->al);
	if (c->acct != NULL)
		n += sizeof(*c->acct);
	return n + lac_fp_footprint(c);
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
	struct lac_realm *lr = lac_realm_lookup(c->lac, realm_of(user));
	uint64_t now = c->lac->roles->now;

	strlcpy(c->user, user, sizeof(c->user));
	/* a user the realm's users file let in has no RADIUS reply */
	lac_acct_new(c, NULL);
	if (lr == NULL && c->ndests == 0) {
		/* the realm vanished in a reload between verify and now */
		lac_call_end(c, "unknown realm", AAA_LAC_END_ERROR, true, false,
		    0);
		return;
	}
	c->realm = lr;
	if (lr != NULL)
		lr->refs++;
	/* a realm section, if any, still says whether to strip the name */
	c->proxy = lac_proxy_msg(lr != NULL && lr->cfg.strip_realm, user, f);
	if (c->proxy == NULL) {
		lac_call_end(c, "out of memory", AAA_LAC_END_ERROR, true, false,
		    0);
		return;
	}
	c->state = LAC_CALL_DIALING;
	if (c->ndests > 0) {
		/* RFC 2868 §3.8: the most preferred tunnel first */
		c->lns_idx = 0;
		c->lac->radius_routed++;
		log_info("lac: \"%s\" authenticated; RADIUS names %u LNS "
			 "tunnel%s, first %s:%u%s%s",
		    user, c->ndests, c->ndests == 1 ? "" : "s",
		    c->dests[0].hp.host, c->dests[0].hp.port,
		    c->dests[0].client_auth_id[0] != '\0' ?
			" (Tunnel-Client-Auth-ID ignored: Host Name is hostname) " :
			"",
		    c->dests[0].client_auth_id);
	} else {
		c->lns_idx = lr->next_lns < lr->cfg.lns_count ? lr->next_lns :
								0;
		log_info("lac: \"%s\" (realm %s) authenticated; calling its "
			 "LNS",
		    user, lr->cfg.name);
	}
	if (lac_call_dial(c, now) < 0)
		lac_call_end(c, "no LNS reachable", AAA_LAC_END_ERROR, true,
		    false, 0);
}

/* The front half's PPP ended (session_link reasons, as aaa_cause_from_
 * reason reads them for the LNS). */
static enum aaa_lac_end
lac_link_end(const char *reason)
{
	switch (aaa_cause_from_reason(reason)) {
	/* clang-format off */
	case AAA_CAUSE_USER_REQUEST:	return AAA_LAC_END_USER_TERMINATE;
	case AAA_CAUSE_LOST_CARRIER:	return AAA_LAC_END_LINK_LOST;
	case AAA_CAUSE_NAS_REQUEST:	return AAA_LAC_END_SHUTDOWN;
	/* clang-format on */
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
	lac_call_end(c, reason, lac_link_end(reason), true, true,
	    L2TP_CDN_LOST_CARRIER);
}

/* RFC 2865 §5.31/§5.5: the user's MAC and PPPoE session id, as the call's
 * accounting records have them (lac_acct.c), for the Access-Request. */
static void
lac_sl_describe(struct session_link *sl, struct auth_request *req)
{
	const struct lac_call *c = sl->owner;

	if (c == NULL || c->sl != sl)
		return;
	aaa_describe_pppoe(req, c->mac, c->ps_id);
	req->access_line = c->al;
}

/* The back-off's peer: the user's MAC. */
static void
lac_sl_auth_peer(struct session_link *sl, char *out, size_t outsz)
{
	const struct lac_call *c = sl->owner;
	char mac[AAA_MAC_STR_LEN];

	if (c == NULL || c->sl != sl)
		return;
	aaa_mac_str(c->mac, mac);
	strlcpy(out, mac, outsz);
}

static const struct sl_role_ops lac_sl_ops = {
	.assign_address = lac_sl_assign,
	.network_up = lac_sl_network_up,
	.ip_input = lac_sl_ip_input,
	.ended = lac_sl_ended,
	.describe = lac_sl_describe,
	.auth_peer = lac_sl_auth_peer,
};

/* The PPPoE carrier of the front half. */
static int
pppoe_carrier_send(void *carrier, const uint8_t *frame, size_t len)
{
	struct lac_call *c = carrier;

	return c->ps != NULL ? pppoe_server_send(c->ps, frame, len) : -1;
}

static void
pppoe_carrier_close(void *carrier, uint16_t cdn_result, const char *reason,
    uint64_t now)
{
	struct lac_call *c = carrier;

	(void)now; /* lac_call_end reads the roles' now */
	lac_call_end(c, reason, lac_link_end(reason), true, true, cdn_result);
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

	return RIO(lac->roles, pppoe_send, &lac->sock, frame, len);
}

/* The front half's link settings for new calls, made from the [lac]
 * section and the snapshot in force (dropped on reload); NULL: no memory. */
static struct ppp_link_conf *
lac_link_conf(struct lac *lac)
{
	const struct vpdn_config *cfg = lac->roles->cfg;
	struct ppp_link_config lc;

	if (lac->link_conf != NULL)
		return lac->link_conf;
	memset(&lc, 0, sizeof(lc));
	lc.server = true;
	for (unsigned i = 0; i < lac->cfg.auth.count && i < 3; i++)
		lc.auth[lc.auth_count++] = roles_auth_method(
		    lac->cfg.auth.methods[i]);
	strlcpy(lc.our_name, cfg->global.hostname, sizeof(lc.our_name));
	lc.mru = LAC_MRU;
	lc.pppoe = true;
	lc.negotiate_timeout_ms = cfg->global.ppp_negotiation_timeout * 1000;
	lac->link_conf = ppp_link_conf_new(&lc);
	return lac->link_conf;
}

static int
lac_pppoe_up(void *ctx, struct pppoe_session *s, uint64_t now)
{
	struct lac *lac = ctx;
	struct roles *r = lac->roles;
	struct ppp_link_lac_hooks hooks;
	struct lac_call *c;

	if (r->shutting_down || lac_link_conf(lac) == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->lac = lac;
	c->ps = s;
	c->ps_id = s->id;
	memcpy(c->mac, s->peer, sizeof(c->mac));
	lac_call_access_line(c, s);
	c->backend.verify = lac_verify;
	c->backend.cancel = lac_cancel;
	c->backend.ctx = c;
	hooks.authenticated = call_authenticated;
	hooks.arg = c;
	c->sl = sl_new(r, &lac_pppoe_carrier, c, lac->link_conf, &hooks,
	    &c->backend, &lac_sl_ops, c, now);
	if (c->sl == NULL) {
		free(c->al);
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
lac_pppoe_down(void *ctx, struct pppoe_session *s, const char *reason,
    uint64_t now)
{
	struct lac_call *c = s->owner;

	(void)ctx;
	(void)now; /* lac_call_end reads the roles' now */
	if (c == NULL)
		return;
	c->ps = NULL; /* the server frees it */
	/* The user hung up: CDN result 1, loss of carrier (§4.4.2). */
	lac_call_end(c, reason, AAA_LAC_END_PADT, false, true,
	    L2TP_CDN_LOST_CARRIER);
}

static void
lac_pppoe_data(void *ctx, struct pppoe_session *s, const uint8_t *ppp,
    size_t len, uint64_t now)
{
	struct lac_call *c = s->owner;

	(void)ctx;
	if (c == NULL)
		return;
	switch (c->state) {
	case LAC_CALL_AUTH:
		if (c->sl != NULL)
			sl_input(c->sl, ppp, len, now);
		break;
	case LAC_CALL_DIALING:
		/* the user's first NCP packets, held until the call is up */
		if (c->queued < LAC_QUEUE_MAX && len <= PPPOE_ETH_PAYLOAD_MAX) {
			struct lac_frame *fr = malloc(sizeof(*fr) + len), **pp;

			if (fr == NULL)
				break; /* the user's PPP retransmits it */
			fr->next = NULL;
			fr->len = len;
			memcpy(fr->b, ppp, len);
			for (pp = &c->queue; *pp != NULL; pp = &(*pp)->next)
				;
			*pp = fr;
			c->queued++;
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

static bool
lac_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct lac *lac = arg;

	pppoe_server_input(lac->srv, frame, len, lac->roles->now);
	return true;
}

static void
lac_readable(struct lac *lac, int fd)
{
	/* a frame lost to a receive error is neither counted nor logged */
	(void)RIO(lac->roles, pppoe_drain, &lac->sock, fd, lac->rxbuf,
	    sizeof(lac->rxbuf), LAC_READ_BURST, lac_frame, lac);
	sl_reap(lac->roles);
	lac_reap(lac);
}

static void
lac_on_disc(void *arg, uint64_t now)
{
	struct lac *lac = arg;

	lac->roles->now = now;
	lac_readable(lac, pppoe_sock_fd_disc(&lac->sock));
}

static void
lac_on_ses(void *arg, uint64_t now)
{
	struct lac *lac = arg;

	lac->roles->now = now;
	lac_readable(lac, pppoe_sock_fd_ses(&lac->sock));
}

/* ---- l2tp_host events for LAC sessions (lac_role_ops) ---- */

void
lac_session_up(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *m, uint64_t now)
{
	struct lac_call *c = l2tp_session_user(s);

	(void)r;
	(void)ctx;
	(void)m;
	if (c == NULL || c->state != LAC_CALL_DIALING)
		return;
	c->state = LAC_CALL_RELAY;
	/* this LNS works: new users of the realm start with it */
	if (c->ndests == 0 && c->realm != NULL)
		c->realm->next_lns = c->lns_idx;
	if (c->sw != NULL) {
		/* a switched call: no PPPoE side, no fast path, no queue */
		call_drop_dial_state(c);
		switch_out_up(c->sw, c, now);
		return;
	}
	log_info("lac: \"%s\" connected to its LNS; relaying", c->user);
	lac_acct_start(c, now);
	/* RFC 2661 §7.4.1: the ICCN has been sent (the host reports the
	 * call up only then), so these data messages follow it. */
	for (const struct lac_frame *f = c->queue; f != NULL; f = f->next)
		call_send_l2tp(c, f->b, f->len);
	call_drop_dial_state(c);
	lac_fp_enter(c);
}

void
lac_session_down(struct roles *r, void *ctx, struct l2tp_session *s,
    uint64_t now)
{
	struct lac_call *c = l2tp_session_user(s);
	struct lac_tunnel *lt;

	(void)r;
	(void)ctx;
	if (c == NULL)
		return;
	/* RFC 2661 §4.4.2: the LNS's cause goes on to the switched call's
	 * other half */
	if (c->sw != NULL)
		switch_out_cdn(c->sw, s);
	l2tp_session_set_user(s, NULL);
	c->ls = NULL;
	lt = c->lt;
	/* Not while stopping: a new tunnel would outlive the StopCCNs and
	 * its Start follow the Accounting-Off (RFC 2866 §5.1). */
	if (c->state == LAC_CALL_DIALING && lt != NULL && !lt->was_up &&
	    c->lns_tries < lac_call_ntargets(c) &&
	    !c->lac->roles->shutting_down) {
		/* The tunnel never came up (no answer, StopCCN): try the
		 * next LNS for this user (the realm's, or RADIUS's next
		 * preference), from the timers. */
		struct lac_realm *lr = c->realm;
		unsigned n = lac_call_ntargets(c);
		unsigned failed = c->lns_idx;
		struct l2tp_addr peer;
		struct lac_target a, b;
		int next;

		lac_tunnel_detach(c, now);
		if (c->ndests == 0 && lr->next_lns == failed)
			lr->next_lns = (failed + 1) % n;
		lac_call_target(c, failed, &a);
		/* picked now to say where it goes; dialled from the timers */
		if ((next = lac_call_select(c, now, &peer)) < 0) {
			lac_call_end(c, "no LNS of the realm answered",
			    AAA_LAC_END_ERROR, true, false, 0);
			return;
		}
		c->lns_idx = (unsigned)next;
		c->chosen = true;
		c->retry = true;
		LIST_INSERT_HEAD(&c->lac->retry, c, tentry);
		lac_call_target(c, c->lns_idx, &b);
		log_info("lac: \"%s\": LNS %s did not set up a tunnel; "
			 "trying %s",
		    c->user, a.hp->host, b.hp->host);
		return;
	}
	/* RFC 2661 §4.4.2: a CDN while the call was being set up that says
	 * the LNS is in trouble holds it down for the next calls; this
	 * call ends as before (the LNS answered). */
	if (c->state == LAC_CALL_DIALING && lt != NULL) {
		struct l2tp_session_info si;

		l2tp_session_get_info(s, &si);
		if (lac_cdn_is_lns_trouble(si.cdn_result, si.cdn_error))
			lac_lns_failed(c->lac, &lt->peer,
			    "refused a call for its own trouble", now);
	}
	/* CDN from the LNS, or its tunnel died (CLOSING before its sessions
	 * go down): the user gets PADT. */
	lac_call_end(c, "L2TP session closed",
	    lt != NULL && lt->t != NULL && l2tp_tunnel_is_up(lt->t) ?
		AAA_LAC_END_LNS_CDN :
		AAA_LAC_END_TUNNEL_LOST,
	    true, false, 0);
}

void
lac_session_data(struct roles *r, void *ctx, struct l2tp_session *s,
    const uint8_t *frame, size_t len, uint64_t now)
{
	struct lac_call *c = l2tp_session_user(s);

	(void)r;
	(void)ctx;
	(void)now;
	if (c != NULL && c->sw != NULL && c->state == LAC_CALL_RELAY) {
		switch_out_data(c->sw, frame, len);
		return;
	}
	if (c == NULL || c->state != LAC_CALL_RELAY || c->ps == NULL)
		return;
	lac_fp_check(c);
	if (c->acct != NULL && c->acct->s.started) {
		/* as the user receives it: without FF 03 */
		c->acct->ctr.out_octets += len >= 2 &&
			frame[0] == PPP_ALLSTATIONS && frame[1] == PPP_UI ?
		    len - 2 :
		    len;
		c->acct->ctr.out_packets++;
	}
	/* pppoe_server_send drops a leading FF 03 itself */
	(void)pppoe_server_send(c->ps, frame, len);
}

void
lac_describe_session(struct roles *r, void *ctx, struct l2tp_session *s,
    struct roles_session_view *v)
{
	struct lac_call *c = l2tp_session_user(s);

	(void)ctx;
	v->role = L2TP_ROLE_LAC;
	v->interface = r->lac != NULL ? r->lac->cfg.pppoe_interface : "";
	if (c == NULL)
		return;
	v->user = c->user;
	if (c->sw != NULL) {
		switch_out_describe(c->sw, v);
		return;
	}
	lac_fp_describe(c, v);
	v->access_line = c->al;
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

unsigned
lac_disconnect_user(struct roles *r, const char *name)
{
	struct lac *lac = r->lac;
	unsigned n = 0;
	bool found;

	if (lac == NULL)
		return 0;
	/* A call is named once authenticated (dialling or relaying).  Ending
	 * one moves it to lac->dead and may touch its tunnel, so the walk
	 * starts over after each rather than trusting a saved next. */
	do {
		struct lac_call *c;

		found = false;
		LIST_FOREACH(c, &lac->calls, entry)
		{
			if (c->state == LAC_CALL_DONE ||
			    strcmp(c->user, name) != 0)
				continue;
			/* RFC 2661 §4.4.2: CDN Result Code 3, "Call
			 * disconnected for administrative reasons", as
			 * `disconnect session` sends; RFC 2516 §5.5: PADT. */
			lac_call_end(c, "administrative disconnect",
			    AAA_LAC_END_ADMIN, true, true, L2TP_CDN_ADMIN);
			n++;
			found = true;
			break;
		}
	} while (found);
	return n;
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
		struct lac_acct *a = (struct lac_acct *)((char *)n -
		    offsetof(struct lac_acct, timer));

		struct aaa_counters ctr;

		heap_remove(&lac->acct_timers, n);
		/* with what the kernel relayed so far */
		lac_fp_acct_counters(a->call, &ctr);
		aaa_access_interim(r->aaa, &a->s, &ctr, &a->x, now);
		lac_acct_schedule(lac, a, now);
	}
	while ((c = LIST_FIRST(&lac->retry)) != NULL) {
		LIST_REMOVE(c, tentry);
		c->retry = false;
		if (r->shutting_down)
			lac_call_end(c, "shutting down", AAA_LAC_END_SHUTDOWN,
			    true, false, 0);
		else if (lac_call_dial(c, now) < 0)
			lac_call_end(c, "no LNS of the realm answered",
			    AAA_LAC_END_ERROR, true, false, 0);
	}
	LIST_FOREACH_SAFE(lt, &lac->tunnels, entry, ltn)
	{
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
	struct lac_realm_list realms;
	struct lac *lac;
	char err[512];

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
	LIST_INIT(&lac->lnses);
	heap_init(&lac->acct_timers);
	if (cfg->lac.radius) {
		struct radius_nas_info nas;

		if (!roles_radius_enabled(r)) {
			log_error("lac: radius = yes but no RADIUS client");
			return -1;
		}
		memset(&nas, 0, sizeof(nas));
		strlcpy(nas.nas_identifier, cfg->radius.nas_identifier,
		    sizeof(nas.nas_identifier));
		nas.nas_ip = cfg->radius.nas_ip_address;
		/* RFC 2865 §5.41: the user dialled in over Ethernet. */
		nas.nas_port_type = LAC_NAS_PORT_TYPE_ETHERNET;
		radius_auth_backend(&lac->radius, &r->rsender, &nas);
		lac->have_radius = true;
		/* RFC 2866: the LAC's records are what a carrier bills from;
		 * sent to the [radius] accounting servers like the LNS's. */
		lac->acct = aaa_enabled(r->aaa);
	}
	lac->sock.fd_disc = lac->sock.fd_ses = -1;
	if (lac_realms_build(cfg, &realms, err, sizeof(err)) < 0) {
		log_error("lac: %s", err);
		return -1;
	}
	lac_realms_install(lac, &realms);
	/* a tunnel switch's LAC: its calls come over L2TP (switch.c) */
	if (cfg->lac.pppoe_interface[0] == '\0') {
		log_info("lac: no PPPoE access side; calls only from [switch]");
		return 0;
	}
	if (RIO(r, pppoe_open, &lac->sock, cfg->lac.pppoe_interface) < 0)
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
	    cfg->global.max_sessions :
	    65534;
	sc.max_sessions_per_mac = cfg->lac.max_sessions_per_mac;
	sc.keep_access_line_tags = cfg->lac.access_line_tags;
	lac->srv = pppoe_server_new(&sc, &lac_pppoe_ops, lac, now);
	if (lac->srv == NULL)
		return -1;
	lac->watch_disc = RIO(r, watch, pppoe_sock_fd_disc(&lac->sock),
	    lac_on_disc, lac);
	lac->watch_ses = RIO(r, watch, pppoe_sock_fd_ses(&lac->sock),
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
	/* and calls waiting to try their next LNS: no new tunnel now */
	LIST_FOREACH_SAFE(c, &lac->calls, entry, cn)
	if (c->state == LAC_CALL_AUTH || c->retry)
		lac_call_end(c, "shutting down", AAA_LAC_END_SHUTDOWN, true,
		    false, 0);
}

void
lac_free(struct roles *r)
{
	struct lac *lac = r->lac;
	struct lac_call *c;
	struct lac_tunnel *lt;

	if (lac == NULL)
		return;
	while ((c = LIST_FIRST(&lac->calls)) != NULL)
		lac_call_end(c, "shutdown", AAA_LAC_END_SHUTDOWN, true, false,
		    0);
	sl_reap(r);
	lac_reap(lac);
	while ((lt = LIST_FIRST(&lac->tunnels)) != NULL) {
		LIST_REMOVE(lt, entry);
		if (lt->t != NULL)
			l2tp_tunnel_set_user(lt->t, &lac_gone_owner);
		free(lt);
	}
	if (lac->watch_disc != NULL)
		RIO(r, unwatch, lac->watch_disc);
	if (lac->watch_ses != NULL)
		RIO(r, unwatch, lac->watch_ses);
	pppoe_server_free(lac->srv);
	if (lac->have_radius)
		radius_auth_backend_free(&lac->radius);
	if (lac->sock_open)
		RIO(r, pppoe_close, &lac->sock);
	heap_free(&lac->acct_timers);
	lac_realms_discard(&lac->realms);
	lac_realms_discard(&lac->retired);
	lac_lns_free_all(lac);
	ppp_link_conf_drop(lac->link_conf);
	free(lac);
	r->lac = NULL;
}

int
lac_reload_prepare(struct roles *r, const struct vpdn_config *cfg,
    struct lac_realm_list *realms, char *err, size_t errlen)
{
	LIST_INIT(realms);
	if (r->lac == NULL)
		return 0;
	return lac_realms_build(cfg, realms, err, errlen);
}

/* SIGHUP: realms, auth methods and the idle timeout apply to new calls;
 * the interface and the PPPoE server stay as they are. */
void
lac_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    struct lac_realm_list *realms, uint64_t now)
{
	struct lac *lac = r->lac;

	(void)now;
	if (lac == NULL) {
		if (cfg->lac.enabled)
			log_warnx("lac: [lac] added on reload; restart to "
				  "enable it");
		lac_realms_discard(realms);
		return;
	}
	if (strcmp(cfg->lac.pppoe_interface, lac->cfg.pppoe_interface) != 0)
		log_warnx("lac: pppoe-interface changes need a restart");
	if (cfg->lac.radius != lac->cfg.radius)
		log_warnx("lac: radius changes need a restart");
	lac->cfg.auth = cfg->lac.auth;
	/* New calls' link settings come from this snapshot. */
	ppp_link_conf_drop(lac->link_conf);
	lac->link_conf = NULL;
	lac->cfg.tunnel_idle_timeout = cfg->lac.tunnel_idle_timeout;
	/* LNS selection: new calls; held-down LNSes stay held down */
	lac->cfg.lns_selection = cfg->lac.lns_selection;
	lac->cfg.lns_holddown = cfg->lac.lns_holddown;
	lac->cfg.max_sessions_per_tunnel = cfg->lac.max_sessions_per_tunnel;
	/* (no PPPoE server on a switch's LAC without an access side) */
	if (cfg->lac.discovery_rate != lac->cfg.discovery_rate &&
	    lac->srv != NULL) {
		lac->cfg.discovery_rate = cfg->lac.discovery_rate;
		pppoe_server_set_rate(lac->srv, cfg->lac.discovery_rate,
		    cfg->lac.discovery_rate * 2);
		log_info("lac: discovery-rate now %u a second",
		    cfg->lac.discovery_rate);
	}
	if (cfg->lac.max_sessions_per_mac != lac->cfg.max_sessions_per_mac &&
	    lac->srv != NULL) {
		lac->cfg.max_sessions_per_mac = cfg->lac.max_sessions_per_mac;
		pppoe_server_set_mac_limit(lac->srv,
		    cfg->lac.max_sessions_per_mac);
		log_info("lac: max-sessions-per-mac now %u",
		    cfg->lac.max_sessions_per_mac);
	}
	lac_reconfigure_access_line(lac, cfg);
	lac_realms_install(lac, realms);
}

bool
roles_pppoe_stats(const struct roles *r, struct pppoe_server_stats *st,
    uint32_t *sessions)
{
	const struct lac *lac = r->lac;

	if (lac == NULL || lac->srv == NULL)
		return false;
	*st = *pppoe_server_stats(lac->srv);
	*sessions = pppoe_server_session_count(lac->srv);
	return true;
}
