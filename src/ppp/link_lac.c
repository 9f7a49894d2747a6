/*
 * link_lac.c — a LAC's front half of a PPP link (RFC 2661 §4.4.5): the LAC
 * runs LCP and authentication with the user itself, to learn the name (and
 * from it the realm and LNS), then hands the call over; from then on PPP is
 * between the user and the LNS and the owner relays frames.
 *
 * Objects: struct link_lac (link_priv.h), allocated with a LAC link (the
 * owner passed struct ppp_link_lac_hooks to ppp_link_create) and freed
 * with it: the hooks, the LCP Configure-Request options seen each way (the
 * Initial Received, Last Sent and Last Received proxy LCP AVPs) and the
 * authentication request the backend saw (the Proxy Authen AVPs).  It holds
 * the user's proof, so it is wiped before it is freed.
 *
 * Callers: link.c only — at creation (link_lac_init), on every LCP frame
 * sent and received (link_lac_keep_*), when authentication succeeded
 * (link_lac_report, which reports to the owner and makes the link inert),
 * on close after hand-over (link_lac_close) and on free.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "ppp/link_priv.h"
#include "ppp/ppp_proto.h"

/* Keeps the options of an LCP Configure-Request: the proxy LCP AVPs carry
 * the CONFREQ body "starting at the first option". */
static bool
lac_keep_confreq(const uint8_t *pkt, size_t len, uint8_t *dst, size_t *dlen)
{
	size_t plen;

	if (len < 4 || pkt[0] != PPP_CONF_REQ)
		return false;
	plen = get_be16(pkt + 2);
	if (plen < 4 || plen > len || plen - 4 > CP_MAX_PKT)
		return false;
	memcpy(dst, pkt + 4, plen - 4);
	*dlen = plen - 4;
	return true;
}

void
link_lac_keep_sent(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	lac_keep_confreq(pkt, len, l->lac->sent, &l->lac->sent_len);
}

void
link_lac_keep_rcvd(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	if (lac_keep_confreq(pkt, len, l->lac->rcvd, &l->lac->rcvd_len)) {
		if (!l->lac->have_init) {
			memcpy(l->lac->init, l->lac->rcvd, l->lac->rcvd_len);
			l->lac->init_len = l->lac->rcvd_len;
			l->lac->have_init = true;
		}
	}
}

/* The auth server's backend in LAC mode: remember the request (name, id,
 * challenge, response / password) for the Proxy Authen AVPs, then ask the
 * owner's backend (realm lookup, local users), or accept when there is none:
 * the LNS is the one that decides then. */
static uint64_t
lac_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct ppp_link *l = ctx;
	struct auth_result res;

	l->lac->req = *req;
	if (l->have_backend)
		return l->backend.verify(l->backend.ctx, req, done, arg);
	memset(&res, 0, sizeof(res));
	res.ok = true;
	done(arg, &res);
	return 0;
}

static void
lac_cancel(void *ctx, uint64_t handle)
{
	struct ppp_link *l = ctx;

	if (l->have_backend && l->backend.cancel != NULL)
		l->backend.cancel(l->backend.ctx, handle);
}

int
link_lac_init(struct ppp_link *l, const struct ppp_link_lac_hooks *hooks)
{
	l->lac = calloc(1, sizeof(*l->lac));
	if (l->lac == NULL)
		return -1;
	l->lac->hooks = *hooks;
	l->lac->backend.verify = lac_verify;
	l->lac->backend.cancel = lac_cancel;
	l->lac->backend.ctx = l;
	return 0;
}

void
link_lac_free(struct ppp_link *l)
{
	if (l->lac == NULL)
		return;
	explicit_bzero(l->lac, sizeof(*l->lac));
	free(l->lac);
	l->lac = NULL;
}

/* Hands the call over: from now on PPP is between the peer and the LNS. */
void
link_lac_report(struct ppp_link *l)
{
	struct ppp_proxy p;
	const struct auth_request *r = &l->lac->req;

	l->relay = true;
	memset(&p, 0, sizeof(p));
	if (l->lac->have_init) {
		p.initial_rcvd = l->lac->init;
		p.initial_rcvd_len = l->lac->init_len;
	}
	p.last_sent = l->lac->sent;
	p.last_sent_len = l->lac->sent_len;
	p.last_rcvd = l->lac->rcvd;
	p.last_rcvd_len = l->lac->rcvd_len;
	p.authen_name = r->user;
	p.authen_id = r->id;
	switch (r->method) {
	case PPP_AUTH_PAP:
		/* §4.4.5: for PAP the response is the password itself. */
		p.authen_type = PPP_PROXY_AUTHEN_PAP;
		p.response = r->password;
		p.response_len = r->password_len;
		break;
	case PPP_AUTH_CHAP_MD5:
		p.authen_type = PPP_PROXY_AUTHEN_CHAP;
		p.challenge = r->challenge;
		p.challenge_len = r->challenge_len;
		p.response = r->response;
		p.response_len = r->response_len;
		break;
	case PPP_AUTH_NONE:
	case PPP_AUTH_MSCHAPV2:
		/* no Proxy Authen Type for MS-CHAPv2: the LNS challenges */
		p.authen_type = 0;
		break;
	}
	log_info("ppp: \"%s\" authenticated; handing the call over",
	    link_user_name(l));
	if (l->lac->hooks.authenticated != NULL)
		l->lac->hooks.authenticated(l->lac->hooks.arg,
		    link_user_name(l), &p);
}

/* After hand-over LCP is the LNS's: nothing of ours to terminate. */
void
link_lac_close(struct ppp_link *l)
{
	l->phase = PPP_PHASE_DEAD;
	l->dead = true;
	log_info("ppp %s: handed-over call ended: %s", link_user_name(l),
	    link_why(l));
	if (l->ops->down != NULL)
		l->ops->down(l->ctx, link_why(l), l->now);
}
