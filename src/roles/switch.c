/*
 * switch.c — tunnel switching (switch.h): the incoming halves, which live
 * in tunnels the LNS accepted, and their link to the outgoing halves,
 * which are LAC calls (lac.c calls back here for those).
 *
 * An incoming call's ICRQ is kept (a copy, freed at its ICCN) because only
 * the ICCN says who the user is (Proxy Authen Name, RFC 2661 §4.4.5) and
 * so which realm the call is for, while the ICRQ holds what the next ICRQ
 * must repeat (§6.6: Bearer Type, Calling and Called Number...).  The
 * incoming sessions the switch holds are found by their l2tp_session in a
 * small hash: the tunnel is the LNS's and shared with calls it terminates,
 * so the session's user pointer cannot say whose it is.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "roles/lac_priv.h"
#include "roles/realm.h"
#include "roles/switch.h"

#define SW_BUCKETS 1024u

enum sw_state {
	SW_WAIT_ICCN, /* ICRQ seen, realm not known yet */
	SW_DIALING,   /* outgoing half being placed */
	SW_RELAY,     /* both halves up */
};

struct sw_call {
	struct sw *sw;
	enum sw_state state;
	struct l2tp_session *in; /* the incoming half; NULL once gone */
	struct lac_call *out;	 /* the outgoing half; NULL none/gone */
	struct l2tp_msg *icrq;	 /* until the outgoing half is up */
	struct l2tp_msg *iccn;	 /* the same */
	/* The CDN the far LNS sent (result 0: none). */
	uint16_t cdn_result, cdn_error;
	struct sw_call *hnext;
};

struct sw {
	struct roles *roles;
	struct sw_call *bucket[SW_BUCKETS];
	struct roles_switch_stats st;
};

static size_t
sw_hash(const struct l2tp_session *s)
{
	uintptr_t p = (uintptr_t)s;

	/* allocations are at least 16-byte aligned */
	return (size_t)((p >> 4) ^ (p >> 14)) % SW_BUCKETS;
}

static struct sw_call *
sw_find(const struct sw *sw, const struct l2tp_session *s)
{
	struct sw_call *c;

	for (c = sw->bucket[sw_hash(s)]; c != NULL; c = c->hnext)
		if (c->in == s)
			return c;
	return NULL;
}

static void
sw_unhash(struct sw *sw, struct sw_call *c)
{
	struct sw_call **pp = &sw->bucket[sw_hash(c->in)];

	while (*pp != NULL && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp != NULL)
		*pp = c->hnext;
	c->hnext = NULL;
}

static void
sw_msg_free(struct l2tp_msg **m)
{
	if (*m == NULL)
		return;
	/* the ICCN may hold a PAP password (Proxy Authen Response) */
	explicit_bzero(*m, sizeof(**m));
	free(*m);
	*m = NULL;
}

/* Frees c once neither half refers to it. */
static void
sw_call_free(struct sw_call *c)
{
	sw_msg_free(&c->icrq);
	sw_msg_free(&c->iccn);
	free(c);
}

static struct l2tp_msg *
sw_msg_copy(const struct l2tp_msg *m)
{
	struct l2tp_msg *n = malloc(sizeof(*n));

	if (n != NULL)
		*n = *m;
	return n;
}

/* ---- the incoming half (switch_role_ops, on the LNS's tunnels) ---- */

static void
sw_tunnel_up(struct roles *r, void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	lns_role_ops.tunnel_up(r, ctx, t, now);
}

static void
sw_tunnel_down(struct roles *r, void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	lns_role_ops.tunnel_down(r, ctx, t, now);
}

static int
sw_session_request(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req, uint64_t now)
{
	struct sw *sw = r->sw;
	struct sw_call *c;
	size_t h;
	int rc;

	/* the LNS's admission ([peer] limits) applies to every call in its
	 * tunnels; OCRQs it refuses */
	rc = lns_role_ops.session_request(r, ctx, s, req, now);
	if (rc != 0 || req->type != L2TP_MSG_ICRQ)
		return rc;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->icrq = sw_msg_copy(req)) == NULL) {
		free(c);
		return L2TP_CDN_NO_RESOURCES;
	}
	c->sw = sw;
	c->state = SW_WAIT_ICCN;
	c->in = s;
	h = sw_hash(s);
	c->hnext = sw->bucket[h];
	sw->bucket[h] = c;
	return 0;
}

/* The CDN the incoming half gets for an outgoing half that ended without
 * a CDN of its LNS (RFC 2661 §4.4.2 Result Codes). */
static uint16_t
sw_cdn_for(enum aaa_lac_end why)
{
	switch (why) {
	case AAA_LAC_END_TUNNEL_LOST:
		/* the far tunnel is this call's carrier */
		return L2TP_CDN_LOST_CARRIER;
	case AAA_LAC_END_ADMIN:
	case AAA_LAC_END_SHUTDOWN:
		return L2TP_CDN_ADMIN;
	case AAA_LAC_END_ERROR:
		/* no LNS of the realm took it, or no memory: try later */
		return L2TP_CDN_NO_RESOURCES;
	case AAA_LAC_END_PADT:
	case AAA_LAC_END_USER_TERMINATE:
	case AAA_LAC_END_LINK_LOST:
	case AAA_LAC_END_LNS_CDN:
		break;
	}
	return L2TP_CDN_ERROR;
}

/* Places c towards realm lr's LNS as a LAC call. */
static int
sw_dial(struct sw_call *c, struct lac_realm *lr, const char *user, uint64_t now)
{
	struct lac *lac = c->sw->roles->lac;
	struct lac_call *lc = calloc(1, sizeof(*lc));

	if (lc == NULL || (lc->proxy = sw_msg_copy(c->iccn)) == NULL) {
		free(lc);
		return -1;
	}
	lc->lac = lac;
	lc->state = LAC_CALL_DIALING;
	lc->sw = c;
	lc->realm = lr;
	lr->refs++;
	strlcpy(lc->user, user, sizeof(lc->user));
	/* §4.4.5: the realm may want the name without "@realm" */
	if (lr->cfg.strip_realm)
		realm_strip(user, lc->proxy->proxy_authen_name,
		    sizeof(lc->proxy->proxy_authen_name));
	lc->lns_idx = lr->next_lns < lr->cfg.lns_count ? lr->next_lns : 0;
	LIST_INSERT_HEAD(&lac->calls, lc, entry);
	c->out = lc;
	c->state = SW_DIALING;
	c->sw->st.switched++;
	c->sw->st.active++;
	if (lac_call_dial(lc, now) < 0) {
		c->sw->st.no_lns++;
		/* ends the incoming half too (switch_out_ended) */
		lac_call_end(lc, "no LNS of the realm reachable",
		    AAA_LAC_END_ERROR, false, false, 0);
	}
	return 0;
}

static void
sw_session_up(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *iccn, uint64_t now)
{
	struct sw *sw = r->sw;
	struct sw_call *c = sw_find(sw, s);
	const char *user = l2tp_msg_has(iccn, L2TP_AVP_PROXY_AUTHEN_NAME) ?
	    iccn->proxy_authen_name :
	    "";
	struct lac_realm *lr = r->lac != NULL && !r->shutting_down ?
	    lac_realm_lookup(r->lac, realm_of(user)) :
	    NULL;
	struct l2tp_session_info si;

	l2tp_session_get_info(s, &si);
	if (c != NULL && lr != NULL) {
		log_info("switch: session %u (tunnel %u): \"%s\" (realm %s) "
			 "switched towards its LNS",
		    si.local_id, si.tunnel_local_id, user, lr->cfg.name);
		if ((c->iccn = sw_msg_copy(iccn)) != NULL &&
		    sw_dial(c, lr, user, now) == 0)
			return;
		sw_unhash(sw, c);
		c->in = NULL;
		sw_call_free(c);
		l2tp_session_close(s, L2TP_CDN_NO_RESOURCES, 0, "out of memory",
		    now);
		return;
	}
	if (c != NULL) {
		sw_unhash(sw, c);
		sw_call_free(c);
	}
	if (r->cfg->sw.local_sessions) {
		lns_role_ops.session_up(r, ctx, s, iccn, now);
		return;
	}
	/* RFC 2661 §4.4.2 Result Code 5: no facilities for this call, and
	 * there will be none (no [realm] for it; a reload may add one). */
	sw->st.refused++;
	log_info("switch: session %u (tunnel %u): refusing \"%s\": no [realm] "
		 "for it and local-sessions = no",
	    si.local_id, si.tunnel_local_id, user);
	l2tp_session_close(s, L2TP_CDN_NO_RESOURCES_PERM, 0, "realm not served",
	    now);
}

static void
sw_session_down(struct roles *r, void *ctx, struct l2tp_session *s,
    uint64_t now)
{
	struct sw *sw = r->sw;
	struct sw_call *c = sw_find(sw, s);
	struct lac_call *lc;

	if (c == NULL) {
		lns_role_ops.session_down(r, ctx, s, now);
		return;
	}
	sw_unhash(sw, c);
	c->in = NULL;
	if ((lc = c->out) == NULL) {
		sw_call_free(c);
		return;
	}
	c->out = NULL;
	lc->sw = NULL;
	sw->st.active--;
	if (lc->ls != NULL) {
		/* RFC 2661 §4.4.2: the first LAC's cause, as it gave it; a
		 * lost tunnel (no CDN came) is a lost carrier to the LNS. */
		struct l2tp_session *ls = lc->ls;
		struct l2tp_session_info si;

		l2tp_session_get_info(s, &si);
		lc->ls = NULL;
		l2tp_session_set_user(ls, NULL);
		if (si.cdn_result != 0)
			l2tp_session_close(ls, si.cdn_result, si.cdn_error,
			    "switched call cleared by the LAC", now);
		else
			l2tp_session_close(ls, L2TP_CDN_LOST_CARRIER, 0,
			    "switched call's LAC tunnel lost", now);
	}
	lac_call_end(lc, "incoming half cleared", AAA_LAC_END_LINK_LOST, false,
	    false, 0);
	sw_call_free(c);
}

static void
sw_session_data(struct roles *r, void *ctx, struct l2tp_session *s,
    const uint8_t *frame, size_t len, uint64_t now)
{
	struct sw_call *c = sw_find(r->sw, s);

	if (c == NULL) {
		lns_role_ops.session_data(r, ctx, s, frame, len, now);
		return;
	}
	/* The frame as the first LAC sent it (Address and Control, if
	 * any, included), with this tunnel's IDs and sequencing. */
	if (c->state != SW_RELAY || c->out == NULL || c->out->ls == NULL ||
	    l2tp_session_send_data(c->out->ls, frame, len) < 0)
		r->sw->st.early_drop++;
}

static void
sw_describe(struct roles *r, void *ctx, struct l2tp_session *s,
    struct roles_session_view *v)
{
	struct sw_call *c = sw_find(r->sw, s);
	struct l2tp_session_info si;

	if (c == NULL) {
		lns_role_ops.describe(r, ctx, s, v);
		return;
	}
	v->ppp_phase = "switched";
	/* `vpdnctl disconnect user` ends the call through its LAC half
	 * (lac_disconnect_user), which clears both halves with Result
	 * Code 3; this half is no LNS session (no session_link). */
	v->role = L2TP_ROLE_LAC;
	if (c->out == NULL)
		return;
	v->user = c->out->user;
	if (c->out->ls != NULL) {
		l2tp_session_get_info(c->out->ls, &si);
		v->switched_tunnel = si.tunnel_local_id;
		v->switched_session = si.local_id;
	}
}

static const struct role_ops switch_role_ops = {
	.tunnel_up = sw_tunnel_up,
	.tunnel_down = sw_tunnel_down,
	.session_request = sw_session_request,
	.session_up = sw_session_up,
	.session_down = sw_session_down,
	.session_data = sw_session_data,
	.describe = sw_describe,
};

/* ---- the outgoing half (lac.c, for calls with ->sw) ---- */

void
switch_out_params(const struct sw_call *c, struct l2tp_call_params *cp)
{
	const struct l2tp_msg *q = c->icrq, *n = c->iccn;

	/* §4.4.5: what the first LAC said of the call, said again */
	cp->forward = q;
	cp->bearer_type = l2tp_msg_has(q, L2TP_AVP_BEARER_TYPE) ?
	    q->bearer_type :
	    0;
	if (l2tp_msg_has(q, L2TP_AVP_CALLING_NUMBER))
		strlcpy(cp->calling_number, q->calling_number,
		    sizeof(cp->calling_number));
	if (l2tp_msg_has(q, L2TP_AVP_CALLED_NUMBER))
		strlcpy(cp->called_number, q->called_number,
		    sizeof(cp->called_number));
	cp->tx_connect_speed = n->tx_connect_speed;
	cp->rx_connect_speed = l2tp_msg_has(n, L2TP_AVP_RX_CONNECT_SPEED) ?
	    n->rx_connect_speed :
	    0;
	cp->framing_type = n->framing_type;
	/* §5.4: the first LAC wants sequenced data; so may the LNS then
	 * (each half numbers its own data messages) */
	cp->sequencing_required = l2tp_msg_has(n, L2TP_AVP_SEQUENCING_REQUIRED);
}

void
switch_out_up(struct sw_call *c, struct lac_call *lc, uint64_t now)
{
	struct l2tp_session_info si;

	(void)now;
	c->state = SW_RELAY;
	c->sw->st.connected++;
	/* what the next ICRQ/ICCN would repeat is not needed any more */
	sw_msg_free(&c->icrq);
	sw_msg_free(&c->iccn);
	if (c->in != NULL) {
		l2tp_session_get_info(c->in, &si);
		log_info("switch: \"%s\" connected: session %u (tunnel %u) "
			 "relayed to its LNS",
		    lc->user, si.local_id, si.tunnel_local_id);
	}
}

void
switch_out_data(struct sw_call *c, const uint8_t *frame, size_t len)
{
	if (c->in == NULL || c->state != SW_RELAY ||
	    l2tp_session_send_data(c->in, frame, len) < 0)
		c->sw->st.early_drop++;
}

void
switch_out_cdn(struct sw_call *c, struct l2tp_session *s)
{
	struct l2tp_session_info si;

	l2tp_session_get_info(s, &si);
	c->cdn_result = si.cdn_result;
	c->cdn_error = si.cdn_error;
}

void
switch_out_ended(struct sw_call *c, struct lac_call *lc, enum aaa_lac_end why,
    uint64_t now)
{
	struct l2tp_session *in = c->in;
	uint16_t result = c->cdn_result, error = c->cdn_error;

	lc->sw = NULL;
	c->out = NULL;
	c->sw->st.active--;
	if (in == NULL) {
		sw_call_free(c);
		return;
	}
	/* RFC 2661 §4.4.2: the LNS's own cause when it sent a CDN, else
	 * what stands for why the outgoing half went. */
	if (result == 0 || why != AAA_LAC_END_LNS_CDN) {
		result = sw_cdn_for(why);
		error = 0;
	}
	sw_unhash(c->sw, c);
	c->in = NULL;
	sw_call_free(c);
	l2tp_session_close(in, result, error,
	    result == L2TP_CDN_NO_RESOURCES ?
		"no LNS of the realm took it" :
		"switched call cleared by the LNS",
	    now);
}

void
switch_out_describe(const struct sw_call *c, struct roles_session_view *v)
{
	struct l2tp_session_info si;

	v->ppp_phase = "switched";
	if (c->in == NULL)
		return;
	l2tp_session_get_info(c->in, &si);
	v->switched_tunnel = si.tunnel_local_id;
	v->switched_session = si.local_id;
}

/* ---- life cycle ---- */

int
switch_init(struct roles *r)
{
	if (!r->cfg->sw.enabled)
		return 0;
	if (r->lac == NULL || !r->cfg->lns.enabled) {
		log_error("switch: [switch] needs [lns] and [lac]");
		return -1;
	}
	if ((r->sw = calloc(1, sizeof(*r->sw))) == NULL)
		return -1;
	r->sw->roles = r;
	r->accepted.ops = &switch_role_ops;
	log_info("switch: calls of the [realm]s arriving over L2TP are "
		 "switched to their LNS%s",
	    r->cfg->sw.local_sessions ? "; others end here" : "");
	return 0;
}

void
switch_free(struct roles *r)
{
	struct sw *sw = r->sw;

	if (sw == NULL)
		return;
	for (size_t i = 0; i < SW_BUCKETS; i++) {
		struct sw_call *c;

		while ((c = sw->bucket[i]) != NULL) {
			sw->bucket[i] = c->hnext;
			if (c->out != NULL)
				c->out->sw = NULL;
			sw_call_free(c);
		}
	}
	free(sw);
	r->sw = NULL;
	r->accepted.ops = &lns_role_ops;
}

const struct roles_switch_stats *
roles_switch_stats(const struct roles *r)
{
	return r->sw != NULL ? &r->sw->st : NULL;
}
