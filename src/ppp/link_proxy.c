/*
 * link_proxy.c — an LNS's acceptance of the proxy LCP and proxy
 * authentication a LAC sent in its ICCN (RFC 2661 §4.4.5, with
 * accept-proxy-auth): LCP is taken as Opened with the options the LAC
 * negotiated, if they are acceptable to us, and the proof the LAC collected
 * is checked by the backend instead of challenging the user again.  On any
 * mismatch or refusal the link negotiates and authenticates itself, as if
 * there had been no proxy data.
 *
 * Objects: struct link_proxy (link_priv.h), a copy of the ICCN's proxy
 * AVPs made by ppp_link_set_proxy() before the link starts; freed (wiped:
 * it holds the user's proof) once authentication has used it, when LCP
 * goes down, or with the link.  A backend request still pending then is
 * cancelled.
 *
 * Callers: the owner through ppp_link_set_proxy(); link.c when the link
 * starts (link_proxy_lcp_open), when authentication begins
 * (link_proxy_auth) and when it tears authentication down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "ppp/link_priv.h"
#include "ppp/ppp_proto.h"

void
link_proxy_release(struct ppp_link *l)
{
	if (l->px == NULL)
		return;
	explicit_bzero(l->px, sizeof(*l->px));
	free(l->px);
	l->px = NULL;
}

void
link_proxy_cancel(struct ppp_link *l)
{
	if (l->px != NULL && l->px->pending && l->have_backend &&
	    l->backend.cancel != NULL)
		l->backend.cancel(l->backend.ctx, l->px->handle);
	link_proxy_release(l);
}

void
ppp_link_set_proxy(struct ppp_link *l, const struct ppp_proxy *p)
{
	struct auth_request *r;
	size_t sl, rl;

	if (p->last_sent == NULL || p->last_rcvd == NULL)
		return;
	sl = p->last_sent_len <= CP_MAX_PKT - 4 ? p->last_sent_len : 0;
	rl = p->last_rcvd_len <= CP_MAX_PKT - 4 ? p->last_rcvd_len : 0;
	link_proxy_release(l);
	l->px = calloc(1, sizeof(*l->px) + sl + rl);
	if (l->px == NULL)
		return; /* negotiate and authenticate ourselves */
	l->px->sent_len = sl;
	l->px->rcvd_len = rl;
	memcpy(l->px->opts, p->last_sent, sl);
	memcpy(l->px->opts + sl, p->last_rcvd, rl);
	r = &l->px->req;
	if (p->authen_name == NULL || strlen(p->authen_name) >= sizeof(r->user))
		return;
	snprintf(r->user, sizeof(r->user), "%s", p->authen_name);
	r->id = (uint8_t)p->authen_id;
	switch (p->authen_type) {
	case PPP_PROXY_AUTHEN_PAP:
		if (p->response == NULL ||
		    p->response_len > sizeof(r->password))
			return;
		r->method = PPP_AUTH_PAP;
		memcpy(r->password, p->response, p->response_len);
		r->password_len = p->response_len;
		break;
	case PPP_PROXY_AUTHEN_CHAP:
		/* RFC 1994 §4.1: a 16-octet MD5 response. */
		if (p->response == NULL || p->response_len != 16 ||
		    p->challenge == NULL || p->challenge_len == 0 ||
		    p->challenge_len > sizeof(r->challenge))
			return;
		r->method = PPP_AUTH_CHAP_MD5;
		memcpy(r->challenge, p->challenge, p->challenge_len);
		r->challenge_len = p->challenge_len;
		memcpy(r->response, p->response, 16);
		r->response_len = 16;
		break;
	default:
		return; /* none, textual, MS-CHAPv1: authenticate ourselves */
	}
	l->px->auth = true;
}

/* Does the LAC's last sent CONFREQ carry an Authentication-Protocol? */
static bool
proxy_has_auth(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off + 2 <= len && p[off + 1] >= 2 && off + p[off + 1] <= len) {
		if (p[off] == LCP_OPT_AUTH_PROTO)
			return true;
		off += p[off + 1];
	}
	return false;
}

/* RFC 2661 §4.4.5: LCP as the LAC left it, if acceptable; true when LCP is
 * Opened that way, false when the link negotiates LCP itself. */
bool
link_proxy_lcp_open(struct ppp_link *l, uint64_t now)
{
	if (l->px == NULL)
		return false;
	/* A server that requires authentication takes the LAC's LCP only if
	 * the LAC asked for authentication too. */
	if (l->conf->cfg.server && l->conf->cfg.auth_count > 0 &&
	    !proxy_has_auth(l->px->opts, l->px->sent_len))
		return false;
	if (cp_proxy_open(&l->lcp.cp, l->px->opts, l->px->sent_len,
		l->px->opts + l->px->sent_len, l->px->rcvd_len, now) == 0) {
		log_debug("ppp: proxy LCP accepted");
		return true;
	}
	log_info("ppp: proxy LCP not acceptable; renegotiating LCP");
	return false;
}

static void
proxy_done(void *arg, const struct auth_result *res)
{
	struct ppp_link *l = arg;

	l->px->pending = false;
	l->px->done = true;
	l->px->ok = res->ok;
	l->px->res = *res;
	l->px->res.user[sizeof(l->px->res.user) - 1] = '\0';
	if (!l->px->in_verify) {
		/* asynchronous answer: act now (called from the loop) */
		if (l->px->ok) {
			link_auth_done(l, true, l->px->req.user, &l->px->res);
			link_proxy_release(l);
		} else {
			log_info("ppp: proxy authentication of \"%s\" refused; "
				 "authenticating again",
			    l->px->req.user);
			link_proxy_release(l);
			link_start_auth_server(l, l->lcp.auth_method);
		}
		link_settle(l);
	}
}

/* RFC 2661 §4.4.5: verify what the LAC collected, if it matches the method
 * LCP agreed.  True when that settled authentication (accepted) or will
 * (the backend answers later); false when the link must challenge itself. */
bool
link_proxy_auth(struct ppp_link *l, enum ppp_auth_method m)
{
	if (l->px == NULL || !l->px->auth || l->px->req.method != m ||
	    !l->have_backend)
		return false;
	l->px->auth = false;
	l->px->pending = true;
	l->px->done = false;
	l->px->in_verify = true;
	link_auth_describe(l, &l->px->req);
	l->px->handle = l->backend.verify(l->backend.ctx, &l->px->req,
	    proxy_done, l);
	l->px->in_verify = false;
	if (!l->px->done)
		return true; /* answer comes later */
	if (l->px->ok) {
		link_auth_done(l, true, l->px->req.user, &l->px->res);
		link_proxy_release(l);
		return true;
	}
	log_info("ppp: proxy authentication of \"%s\" refused; "
		 "authenticating again",
	    l->px->req.user);
	return false;
}
