/*
 * link.c — the RFC 1661 §3 phase machine (Dead → Establish → Authenticate →
 * Network → Terminate) and the protocol demultiplexer of one PPP link: it
 * owns the LCP, IPCP and IPv6CP automata and the authentication exchange,
 * routes each received frame to one of them, and reports the phases to its
 * owner through struct ppp_link_ops.  A LAC's front half is in link_lac.c,
 * an LNS's acceptance of proxy LCP/authentication in link_proxy.c; what the
 * three share is in link_priv.h.
 *
 * Objects and lifetimes: struct ppp_link, from ppp_link_new() to
 * ppp_link_free() (never from inside one of its callbacks); struct
 * ppp_link_conf, a normalised read-only configuration that the link's
 * creator made once for all its links alike and each link holds a
 * reference to until it is freed.
 *
 * Callers: roles/session_link.c (LNS, LAC front half and client links), the
 * benchmark's PPP peers (src/cmd/) and the tests.
 *
 * Re-entrancy: protocol callbacks (auth done, LCP "fail") never tear the
 * link down on the spot; they record a reason, and every public entry point
 * acts on it (link_settle()) once the lower layers have returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "ppp/link_priv.h"
#include "ppp/ppp_proto.h"

/* One frame at a time: ops->send consumes it synchronously and the daemon
 * is single-threaded, so one buffer serves every link (4 + max MRU). */
static uint8_t link_scratch[4 + 65535];

struct ppp_link_conf *
ppp_link_conf_new(const struct ppp_link_config *cfg)
{
	struct ppp_link_conf *conf = calloc(1, sizeof(*conf));
	struct ppp_link_config *c;

	if (conf == NULL)
		return NULL;
	c = &conf->cfg;
	memcpy(c, cfg, sizeof(*c));
	if (c->mru == 0)
		c->mru = 1400;
	if (c->echo_interval_ms == 0 && c->echo_failures == 0) {
		c->echo_interval_ms = 10000;
		c->echo_failures = 3;
	}
	if (c->echo_failures == 0)
		c->echo_failures = 3;
	if (c->auth_count > 3)
		c->auth_count = 3;
	if (c->negotiate_timeout_ms == 0)
		c->negotiate_timeout_ms = 30000;
	conf->refs = 1;
	return conf;
}

struct ppp_link_conf *
ppp_link_conf_hold(struct ppp_link_conf *conf)
{
	conf->refs++;
	return conf;
}

void
ppp_link_conf_drop(struct ppp_link_conf *conf)
{
	if (conf == NULL || --conf->refs > 0)
		return;
	explicit_bzero(conf, sizeof(*conf)); /* client password */
	free(conf);
}

const char *
link_user_name(const struct ppp_link *l)
{
	return l->user != NULL ? l->user : "";
}

static void
set_user(struct ppp_link *l, const char *user)
{
	free(l->user);
	l->user = strdup(user != NULL ? user : "");
}

const char *
ppp_phase_str(enum ppp_phase p)
{
	switch (p) {
	/* clang-format off */
	case PPP_PHASE_DEAD:		return "dead";
	case PPP_PHASE_ESTABLISH:	return "establish";
	case PPP_PHASE_AUTHENTICATE:	return "authenticate";
	case PPP_PHASE_NETWORK:		return "network";
	case PPP_PHASE_TERMINATE:	return "terminate";
		/* clang-format on */
	}
	return "?";
}

static void
set_reason(struct ppp_link *l, const char *reason)
{
	if (l->reason == NULL && reason != NULL)
		l->reason = strdup(reason); /* NULL (no memory): "?" */
}

const char *
link_why(const struct ppp_link *l)
{
	return l->reason != NULL ? l->reason : "?";
}

/* Teardown requested from inside a callback: acted on by link_settle(). */
void
link_request_fail(struct ppp_link *l, const char *reason, bool skip_terminate)
{
	if (l->fail_reason == NULL) {
		l->fail_reason = reason;
		l->fail_skip_terminate = skip_terminate;
	}
}

/* ---- transmit ---- */

static void
link_send_ctl(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct ppp_link *l = ctx;
	uint8_t buf[4 + CP_MAX_PKT + 512];

	if (l->dead || len > sizeof(buf) - 4)
		return;
	if (l->lac != NULL && proto == PPP_PROTO_LCP)
		link_lac_keep_sent(l, pkt, len);
	buf[0] = PPP_ALLSTATIONS;
	buf[1] = PPP_UI;
	put_be16(buf + 2, proto);
	memcpy(buf + 4, pkt, len);
	if (l->ops->send(l->ctx, buf, len + 4) == 0) {
		l->stats.tx_frames++;
		l->stats.tx_bytes += len + 4;
	}
}

/* RFC 1662 §3.1 framing (FF 03) and the protocol into the 4 bytes at f. */
static bool
frame_hdr(struct ppp_link *l, uint8_t *f, uint16_t proto, size_t len)
{
	if (l->dead || len > l->lcp.peer_mru || len + 4 > sizeof(link_scratch))
		return false;
	f[0] = PPP_ALLSTATIONS;
	f[1] = PPP_UI;
	put_be16(f + 2, proto);
	return true;
}

static int
frame_sent(struct ppp_link *l, int rc, size_t len)
{
	if (rc != 0)
		return -1;
	l->stats.tx_frames++;
	l->stats.tx_bytes += len + 4;
	return 0;
}

/* A copy into link_scratch, behind the header. */
static int
send_data(struct ppp_link *l, uint16_t proto, const uint8_t *pkt, size_t len)
{
	if (!frame_hdr(l, link_scratch, proto, len))
		return -1;
	memcpy(link_scratch + 4, pkt, len);
	return frame_sent(l, l->ops->send(l->ctx, link_scratch, len + 4), len);
}

int
ppp_link_send_ip(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	if (!cp_is_opened(&l->ipcp.cp))
		return -1;
	return send_data(l, PPP_PROTO_IP, pkt, len);
}

int
ppp_link_send_ip_inplace(struct ppp_link *l, uint8_t *pkt, size_t len,
    size_t headroom)
{
	uint8_t *f;

	if (!cp_is_opened(&l->ipcp.cp))
		return -1;
	if (headroom < PPP_LINK_HEADROOM || l->ops->send_inplace == NULL)
		return send_data(l, PPP_PROTO_IP, pkt, len);
	/* The header goes into the headroom: no copy of the packet. */
	f = pkt - PPP_LINK_HEADROOM;
	if (!frame_hdr(l, f, PPP_PROTO_IP, len))
		return -1;
	return frame_sent(l,
	    l->ops->send_inplace(l->ctx, f, len + 4,
		headroom - PPP_LINK_HEADROOM),
	    len);
}

int
ppp_link_send_ipv6(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	if (l->v6 == NULL || !cp_is_opened(&l->v6->cp))
		return -1;
	return send_data(l, PPP_PROTO_IPV6, pkt, len);
}

/* ---- phases ---- */

static void
free_auth(struct ppp_link *l)
{
	if (l->as != NULL) {
		auth_server_free(l->as);
		l->as = NULL;
	}
	if (l->ac != NULL) {
		auth_client_free(l->ac);
		l->ac = NULL;
	}
	link_proxy_cancel(l);
}

static void held_free(struct ppp_link *l);

static void
go_dead(struct ppp_link *l, const char *reason)
{
	if (l->dead)
		return;
	set_reason(l, reason);
	free_auth(l);
	held_free(l);
	l->phase = PPP_PHASE_DEAD;
	l->dead = true;
	log_info("ppp%s%s: link down: %s", link_user_name(l)[0] ? " " : "",
	    link_user_name(l), link_why(l));
	if (l->ops->down != NULL)
		l->ops->down(l->ctx, link_why(l), l->now);
}

/*
 * NCP packets that arrive while authentication is still being decided.  A
 * peer whose authentication was already done by a LAC (RFC 2661 §4.4.5
 * proxy authentication) sends its IPCP/IPv6CP Configure-Request as soon as
 * the call is connected, while the LNS may still be waiting for RADIUS to
 * confirm that authentication.  RFC 1661 §3.5 lets no NCP packet be
 * processed before the Network phase, but dropping it costs the user the
 * peer's whole restart timer (3 s) on every call; so the latest packet of
 * each NCP is kept (bounded by the MRU, allocated only when one arrives)
 * and processed once the link enters the Network phase, or freed when it
 * does not.
 */
enum { HELD_IPCP, HELD_IPV6CP, HELD_NCPS };

struct link_held {
	uint8_t *pkt[HELD_NCPS];
	size_t len[HELD_NCPS];
};

/* Largest NCP packet kept: the default MRU (RFC 1661 §6.1). */
#define LINK_HELD_MAX 1500

static void
held_free(struct ppp_link *l)
{
	if (l->held == NULL)
		return;
	for (unsigned i = 0; i < HELD_NCPS; i++)
		free(l->held->pkt[i]);
	free(l->held);
	l->held = NULL;
}

/* Keep info (an NCP's packet) for the Network phase; true when kept. */
static bool
held_keep(struct ppp_link *l, unsigned which, const uint8_t *info, size_t len)
{
	uint8_t *copy;

	if (len == 0 || len > LINK_HELD_MAX)
		return false;
	if (l->held == NULL && (l->held = calloc(1, sizeof(*l->held))) == NULL)
		return false;
	if ((copy = malloc(len)) == NULL)
		return false;
	memcpy(copy, info, len);
	if (l->held->pkt[which] != NULL) {
		/* A newer packet of the same NCP replaces it (the peer's
		 * retransmission, or a changed request). */
		free(l->held->pkt[which]);
		l->stats.rx_discards++;
	}
	l->held->pkt[which] = copy;
	l->held->len[which] = len;
	return true;
}

/* The Network phase began: the kept packets reach their NCPs, which have
 * just been brought Up and Opened, as if they arrived now. */
static void
held_replay(struct ppp_link *l)
{
	struct link_held *h = l->held;

	l->held = NULL;
	if (h == NULL)
		return;
	if (h->pkt[HELD_IPCP] != NULL && !l->conf->cfg.no_ipcp && !l->dead)
		cp_input(&l->ipcp.cp, h->pkt[HELD_IPCP], h->len[HELD_IPCP],
		    l->now);
	if (h->pkt[HELD_IPV6CP] != NULL && l->v6 != NULL && !l->dead)
		cp_input(&l->v6->cp, h->pkt[HELD_IPV6CP], h->len[HELD_IPV6CP],
		    l->now);
	for (unsigned i = 0; i < HELD_NCPS; i++)
		free(h->pkt[i]);
	free(h);
}

/* RFC 1661 §3.5: Network-Layer Protocol phase: the server first gives the
 * peer its address, then each NCP is brought Up and Opened. */
static void
open_network(struct ppp_link *l, const struct auth_result *res)
{
	static const struct auth_result none;
	uint32_t addr = 0;

	if (l->phase != PPP_PHASE_AUTHENTICATE)
		return;
	if (l->conf->cfg.no_ipcp) {
		/* IPv6 only: IPCP never runs, so IPv6CP alone decides
		 * whether the link has a network layer. */
		l->ipcp_failed = true;
		l->phase = PPP_PHASE_NETWORK;
		if (l->v6 == NULL) {
			link_request_fail(l, "no network protocol configured",
			    false);
			return;
		}
		cp_up(&l->v6->cp, l->now);
		cp_open(&l->v6->cp, l->now);
		return;
	}
	if (l->conf->cfg.server) {
		if (l->ops->assign_address == NULL ||
		    l->ops->assign_address(l->ctx, link_user_name(l),
			res != NULL ? res : &none, &addr, l->now) != 0 ||
		    addr == 0) {
			link_request_fail(l, "no address available", false);
			return;
		}
		l->assigned = true;
		ipcp_set_peer_addr(&l->ipcp, addr);
	}
	l->phase = PPP_PHASE_NETWORK;
	cp_up(&l->ipcp.cp, l->now);
	cp_open(&l->ipcp.cp, l->now);
	if (l->v6 != NULL) {
		cp_up(&l->v6->cp, l->now);
		cp_open(&l->v6->cp, l->now);
	}
}

static void
enter_network(struct ppp_link *l, const struct auth_result *res)
{
	open_network(l, res);
	if (l->phase == PPP_PHASE_NETWORK && l->fail_reason == NULL)
		held_replay(l);
	else
		held_free(l);
}

static void
auth_send(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	link_send_ctl(ctx, proto, pkt, len);
}

/* The session's identity: what the backend says the peer authenticated as
 * (users file: the entry's name, "alice" for "CORP\\alice"), else the name
 * as sent.  A LAC relays the name as sent: the LNS decides. */
static const char *
canonical_user(const struct ppp_link *l, const char *sent,
    const struct auth_result *res)
{
	if (l->lac != NULL || res == NULL || res->user[0] == '\0')
		return sent != NULL ? sent : "";
	if (sent != NULL && strcmp(sent, res->user) != 0)
		log_info("ppp: \"%s\" authenticated as \"%s\"", sent,
		    res->user);
	return res->user;
}

void
link_auth_done(void *ctx, bool ok, const char *user,
    const struct auth_result *res)
{
	struct ppp_link *l = ctx;

	/* A backend's answer from the loop brings its own time. */
	if (res != NULL && res->now != 0)
		l->now = res->now;
	if (!ok) {
		log_info("ppp: authentication of \"%s\" failed",
		    user != NULL ? user : "");
		link_request_fail(l, "authentication failed", false);
		return;
	}
	if (l->authed) /* a successful re-challenge (RFC 1994 §2.3) */
		return;
	if (l->conf->cfg.server)
		user = canonical_user(l, user, res);
	if (l->conf->cfg.server && l->user != NULL &&
	    strcmp(l->user, user != NULL ? user : "") != 0) {
		/* Authentication after an LCP renegotiation (RFC 1661 §3.4)
		 * as someone else: a session has one identity, which its
		 * accounting and address were given to. */
		log_warnx("ppp: \"%s\" re-authenticated as \"%s\"; ending "
			  "the session",
		    l->user, user != NULL ? user : "");
		link_request_fail(l, "re-authenticated as another user", false);
		return;
	}
	l->authed = true;
	if (l->conf->cfg.server) {
		set_user(l, user);
		log_info("ppp: \"%s\" authenticated", link_user_name(l));
		if (l->lac != NULL) {
			/* Success is on the wire (auth.c sends it first). */
			link_lac_report(l);
			return;
		}
	} else {
		set_user(l, l->conf->cfg.client.user);
	}
	enter_network(l, res);
}

/* The owner knows where the peer is (RADIUS Calling-Station-Id, NAS-Port);
 * asked per request so the link keeps none of it. */
void
link_auth_describe(void *ctx, struct auth_request *req)
{
	struct ppp_link *l = ctx;

	if (l->ops->auth_describe != NULL)
		l->ops->auth_describe(l->ctx, req);
}

static const struct auth_ops link_auth_ops = {
	.send = auth_send,
	.done = link_auth_done,
	.describe = link_auth_describe,
};

void
link_start_auth_server(struct ppp_link *l, enum ppp_auth_method m)
{
	struct auth_server_config ac;

	memset(&ac, 0, sizeof(ac));
	ac.method = m;
	snprintf(ac.our_name, sizeof(ac.our_name), "%s", l->conf->cfg.our_name);
	ac.restart_ms = l->conf->cfg.restart_ms;
	ac.max_tries = l->conf->cfg.max_configure;
	ac.rechallenge_ms = m == PPP_AUTH_CHAP_MD5 && l->lac == NULL ?
	    l->conf->cfg.rechallenge_ms :
	    0;
	ac.timeout_ms = 30000;
	l->as = auth_server_new(&ac,
	    l->lac != NULL ? &l->lac->backend : &l->backend, &link_auth_ops, l,
	    l->now);
	if (l->as == NULL)
		link_request_fail(l, "cannot start authentication", false);
}

/* RFC 1661 §3.4 Authentication phase, right after LCP reaches Opened. */
static void
enter_auth(struct ppp_link *l)
{
	enum ppp_auth_method m = l->lcp.auth_method;

	held_free(l); /* anything kept before an LCP renegotiation */
	l->phase = PPP_PHASE_AUTHENTICATE;
	l->authed = false;
	if (m == PPP_AUTH_NONE) {
		/* A LAC learns the realm from the name: no auth, no call. */
		if (l->conf->cfg.server &&
		    (l->conf->cfg.auth_count > 0 || l->lac != NULL)) {
			link_request_fail(l, "no authentication agreed", false);
			return;
		}
		l->authed = true;
		if (!l->conf->cfg.server)
			set_user(l, l->conf->cfg.client.user);
		enter_network(l, NULL);
		return;
	}
	if (!l->conf->cfg.server) {
		l->ac = auth_client_new(&l->conf->cfg.client, m, &link_auth_ops,
		    l, l->now);
		if (l->ac == NULL)
			link_request_fail(l, "cannot start authentication",
			    false);
		return;
	}
	/* RFC 2661 §4.4.5: verify what the LAC collected, if it matches. */
	if (link_proxy_auth(l, m))
		return;
	link_proxy_release(l); /* used, or of no use: LCP is Opened */
	link_start_auth_server(l, m);
}

/* The peer has our Success: it acked our IPCP request, which it only does
 * in the Network phase (RFC 1661 §3.5), so no repeated Response still
 * needs an answer (RFC 1994 §4.1) and the ~2 KB exchange can go — unless
 * CHAP-MD5 re-challenges (RFC 1994 §2.3) keep it running. */
static void
release_auth_server(struct ppp_link *l)
{
	if (l->as == NULL || l->lac != NULL ||
	    (l->conf->cfg.rechallenge_ms != 0 &&
		l->lcp.auth_method == PPP_AUTH_CHAP_MD5))
		return;
	auth_server_free(l->as);
	l->as = NULL;
}

/* IPv6CP left Opened (or the network phase ended): the owner releases what
 * network6_up set up. */
static void
network6_down(struct ppp_link *l, const char *reason)
{
	if (!l->v6_up)
		return;
	l->v6_up = false;
	if (l->ops->network6_down != NULL)
		l->ops->network6_down(l->ctx, reason, l->now);
}

static void
link_layer(void *ctx, uint16_t proto, enum cp_action what)
{
	struct ppp_link *l = ctx;
	uint32_t dns[2] = { 0, 0 };
	unsigned n = 0;

	switch (proto) {
	case PPP_PROTO_LCP:
		if (what == CP_TLU) {
			enter_auth(l);
		} else if (what == CP_TLD) {
			/* RFC 1661 §3.7/§4.4: NCPs and auth go with LCP. */
			free_auth(l);
			cp_down(&l->ipcp.cp, l->now);
			if (l->v6 != NULL)
				cp_down(&l->v6->cp, l->now);
			l->phase = PPP_PHASE_TERMINATE;
		} else if (what == CP_TLF) {
			go_dead(l, "LCP finished");
		}
		break;
	case PPP_PROTO_IPCP:
		if (what == CP_TLU) {
			uint32_t local = l->conf->cfg.server ?
			    l->conf->cfg.local_addr :
			    l->ipcp.our_addr;

			release_auth_server(l);
			/* RFC 1661 §4 (Opened + RCR): either end may
			 * renegotiate IPCP on a live link.  The owner set up
			 * routes, the TUN and accounting at the first
			 * This-Layer-Up; they stay right while the addresses
			 * do, and a link whose addresses moved under them is
			 * ended rather than left half configured. */
			if (l->net_up) {
				if (local == l->up_local &&
				    l->ipcp.peer_addr == l->up_peer) {
					log_debug("ppp: IPCP renegotiated, "
						  "addresses unchanged");
					break;
				}
				link_request_fail(l,
				    "IPCP renegotiated with "
				    "other addresses",
				    false);
				break;
			}
			l->net_up = true;
			l->negotiate_deadline = TIME_NEVER;
			l->up_local = local;
			l->up_peer = l->ipcp.peer_addr;
			if (l->conf->cfg.server) {
				/* What IPCP offered: the configured servers or a
				 * per-user override (ppp_link_set_dns). */
				for (n = 0; n < l->ipcp.cfg.dns_count && n < 2;
				     n++)
					dns[n] = l->ipcp.cfg.dns[n];
			} else {
				for (unsigned i = 0; i < 2; i++)
					if (l->ipcp.dns[i] != 0)
						dns[n++] = l->ipcp.dns[i];
			}
			if (l->ops->network_up != NULL)
				l->ops->network_up(l->ctx, local,
				    l->ipcp.peer_addr, dns, n, l->now);
		} else if (what == CP_TLF && l->phase == PPP_PHASE_NETWORK) {
			/* RFC 1661 §3.5/§5.7: a peer that rejects IPCP (a
			 * Protocol-Reject or a Configure-Reject loop) may
			 * still run IPv6 alone; with no NCP left, close. */
			l->ipcp_failed = true;
			if (l->v6 == NULL || l->v6_failed) {
				link_request_fail(l, "IPCP negotiation failed",
				    false);
			} else {
				log_info("ppp%s%s: IPCP failed, IPv6 only",
				    link_user_name(l)[0] ? " " : "",
				    link_user_name(l));
				if (l->ops->ncp_failed != NULL)
					l->ops->ncp_failed(l->ctx, proto,
					    l->now);
			}
		}
		break;
	case PPP_PROTO_IPV6CP:
		if (l->v6 == NULL)
			break;
		if (what == CP_TLU) {
			l->negotiate_deadline = TIME_NEVER;
			l->v6_failed = false;
			release_auth_server(l);
			/* Renegotiated with the same identifiers: the owner's
			 * state (prefix, routes) is still right. */
			if (l->v6_up &&
			    memcmp(l->up6_local, l->v6->our_id, 8) == 0 &&
			    memcmp(l->up6_peer, l->v6->peer_id, 8) == 0)
				break;
			if (l->v6_up && l->ops->network6_down != NULL)
				l->ops->network6_down(l->ctx,
				    "IPv6CP renegotiated", l->now);
			l->v6_up = true;
			memcpy(l->up6_local, l->v6->our_id, 8);
			memcpy(l->up6_peer, l->v6->peer_id, 8);
			if (l->ops->network6_up != NULL)
				l->ops->network6_up(l->ctx, l->v6->our_id,
				    l->v6->peer_id, l->now);
		} else if (what == CP_TLD) {
			network6_down(l, "IPv6CP down");
		} else if (what == CP_TLF && l->phase == PPP_PHASE_NETWORK) {
			/* The same rule as IPCP's, the other way round. */
			l->v6_failed = true;
			if (l->ipcp_failed)
				link_request_fail(l,
				    l->conf->cfg.no_ipcp ?
					"IPv6CP negotiation failed" :
					"IPCP and IPv6CP negotiation failed",
				    false);
			else if (l->ops->ncp_failed != NULL)
				l->ops->ncp_failed(l->ctx, proto, l->now);
		}
		break;
	default:
		break;
	}
}

static void
link_proto_rej(void *ctx, uint16_t proto)
{
	struct ppp_link *l = ctx;

	/* RFC 1661 §5.7: stop sending the rejected protocol at once. */
	switch (proto) {
	case PPP_PROTO_IPCP:
		cp_rxj(&l->ipcp.cp, true, l->now);
		break;
	case PPP_PROTO_IPV6CP:
		if (l->v6 != NULL)
			cp_rxj(&l->v6->cp, true, l->now);
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (l->phase == PPP_PHASE_AUTHENTICATE)
			link_request_fail(l, "peer rejected authentication",
			    false);
		break;
	default:
		break;
	}
}

static void
link_lcp_fail(void *ctx, const char *reason)
{
	struct ppp_link *l = ctx;

	/* A dead peer gets no Terminate-Request: the link is down now. */
	link_request_fail(l, reason, strcmp(reason, "echo timeout") == 0);
}

static const struct cp_owner_ops link_cp_ops = {
	.send = link_send_ctl,
	.layer = link_layer,
	.proto_rej = link_proto_rej,
	.fail = link_lcp_fail,
};

/* RFC 1661 §4.3 (Opened + RCR, This-Layer-Down) and §3.5: when LCP
 * renegotiates, the NCPs are down and the link goes back through Establish
 * and Authenticate; what the network phase held (the peer's address, its
 * routes, accounting) is released now, not overwritten by the next one. */
static void
network_down(struct ppp_link *l, const char *reason)
{
	network6_down(l, reason);
	l->ipcp_failed = l->v6_failed = false;
	if (!l->net_up && !l->assigned)
		return;
	l->net_up = false;
	l->assigned = false;
	l->up_local = l->up_peer = 0;
	l->negotiate_deadline = l->now + l->conf->cfg.negotiate_timeout_ms;
	log_info("ppp%s%s: network phase ended: %s",
	    link_user_name(l)[0] ? " " : "", link_user_name(l), reason);
	if (l->ops->network_down != NULL)
		l->ops->network_down(l->ctx, reason, l->now);
}

/* After every entry point: act on deferred teardown, fix up the phase. */
void
link_settle(struct ppp_link *l)
{
	if (l->dead)
		return;
	if (l->fail_reason != NULL) {
		const char *r = l->fail_reason;
		bool skip_terminate = l->fail_skip_terminate;

		l->fail_reason = NULL;
		set_reason(l, r);
		if (skip_terminate) {
			cp_down(&l->lcp.cp, l->now);
			go_dead(l, r);
			return;
		}
		ppp_link_close(l, r, l->now);
		return;
	}
	switch (l->lcp.cp.state) {
	case CP_REQSENT:
	case CP_ACKRCVD:
	case CP_ACKSENT:
		l->phase = PPP_PHASE_ESTABLISH;
		network_down(l, "LCP renegotiation");
		break;
	case CP_CLOSING:
	case CP_STOPPING:
		l->phase = PPP_PHASE_TERMINATE;
		break;
	case CP_INITIAL:
	case CP_STARTING:
	case CP_CLOSED:
	case CP_STOPPED:
	case CP_OPENED:
	case CP_NSTATES:
		break;
	}
}

/* ---- public API ---- */

struct ppp_link *
ppp_link_create(struct ppp_link_conf *conf, const struct auth_backend *backend,
    const struct ppp_link_ops *ops, void *ctx,
    const struct ppp_link_lac_hooks *lac, uint64_t now)
{
	struct ppp_link *l;
	struct lcp_config lc;
	struct ipcp_config ic;
	struct cp_config cc;

	/* The LAC authenticates the user, so its front half is a server. */
	if (lac != NULL && !conf->cfg.server)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return NULL;
	/* A LAC's front half is LCP and authentication only: no IPv6CP. */
	if (lac != NULL && link_lac_init(l, lac) < 0)
		goto fail;
	if (conf->cfg.ipv6cp && lac == NULL &&
	    (l->v6 = calloc(1, sizeof(*l->v6))) == NULL)
		goto fail;
	l->conf = ppp_link_conf_hold(conf);
	if (backend != NULL) {
		l->backend = *backend;
		l->have_backend = true;
	}
	l->ops = ops;
	l->ctx = ctx;
	l->now = now;
	l->negotiate_deadline = TIME_NEVER;
	l->phase = PPP_PHASE_DEAD;
	cc.restart_ms = l->conf->cfg.restart_ms;
	cc.max_configure = l->conf->cfg.max_configure;
	cc.max_terminate = l->conf->cfg.max_terminate;
	cc.max_failure = l->conf->cfg.max_failure;

	memset(&lc, 0, sizeof(lc));
	lc.server = l->conf->cfg.server;
	memcpy(lc.auth, l->conf->cfg.auth, sizeof(lc.auth));
	lc.auth_count = l->conf->cfg.auth_count;
	memcpy(lc.accept, l->conf->cfg.client.accept, sizeof(lc.accept));
	lc.accept_count = l->conf->cfg.server ?
	    0 :
	    l->conf->cfg.client.accept_count;
	lc.mru = l->conf->cfg.mru;
	lc.echo_interval_ms = l->conf->cfg.echo_interval_ms;
	lc.echo_failures = l->conf->cfg.echo_failures;
	lc.pppoe = l->conf->cfg.pppoe;
	lc.cp = cc;
	lcp_init(&l->lcp, &lc, &link_cp_ops, l);

	memset(&ic, 0, sizeof(ic));
	ic.server = l->conf->cfg.server;
	ic.local_addr = l->conf->cfg.local_addr;
	ic.dns[0] = l->conf->cfg.dns[0];
	ic.dns[1] = l->conf->cfg.dns[1];
	ic.dns_count = l->conf->cfg.dns_count;
	ic.cp = cc;
	ipcp_init(&l->ipcp, &ic, &link_cp_ops, l);
	if (l->v6 != NULL)
		ipv6cp_init(l->v6, &cc, &link_cp_ops, l);
	return l;
fail:
	link_lac_free(l);
	free(l->v6);
	free(l);
	return NULL;
}

void
ppp_link_set_ipv6_peer_id(struct ppp_link *l, const uint8_t id[8])
{
	if (l->v6 != NULL)
		ipv6cp_set_peer_id(l->v6, id);
}

struct ppp_link *
ppp_link_new(const struct ppp_link_config *cfg,
    const struct auth_backend *backend, const struct ppp_link_ops *ops,
    void *ctx, uint64_t now)
{
	struct ppp_link_conf *conf = ppp_link_conf_new(cfg);
	struct ppp_link *l;

	if (conf == NULL)
		return NULL;
	l = ppp_link_create(conf, backend, ops, ctx, NULL, now);
	ppp_link_conf_drop(conf); /* the link holds it, if made */
	return l;
}

void
ppp_link_free(struct ppp_link *l)
{
	if (l == NULL)
		return;
	free_auth(l); /* and the proxy data */
	held_free(l);
	link_lac_free(l);
	free(l->v6);
	free(l->user);
	free(l->reason);
	ppp_link_conf_drop(l->conf);
	free(l);
}

size_t
ppp_link_footprint(const struct ppp_link *l)
{
	size_t n = sizeof(*l);

	if (l->v6 != NULL)
		n += sizeof(*l->v6);
	if (l->user != NULL)
		n += strlen(l->user) + 1;
	if (l->reason != NULL)
		n += strlen(l->reason) + 1;
	if (l->px != NULL)
		n += sizeof(*l->px) + l->px->sent_len + l->px->rcvd_len;
	if (l->lac != NULL)
		n += sizeof(*l->lac);
	return n; /* plus the auth exchange while one runs */
}

void
ppp_link_start(struct ppp_link *l, uint64_t now)
{
	l->now = now;
	if (l->dead || l->phase != PPP_PHASE_DEAD)
		return;
	l->phase = PPP_PHASE_ESTABLISH;
	l->negotiate_deadline = now + l->conf->cfg.negotiate_timeout_ms;
	if (link_proxy_lcp_open(l, now)) {
		link_settle(l);
		return;
	}
	if (l->px != NULL && l->px->sent_len + l->px->rcvd_len > 0 &&
	    l->conf->cfg.proxy_lcp_only) {
		/* LCP never ran on this link: nothing to terminate. */
		link_request_fail(l, "proxy LCP not acceptable", true);
		link_settle(l);
		return;
	}
	cp_up(&l->lcp.cp, now);
	cp_open(&l->lcp.cp, now);
	link_settle(l);
}

void
ppp_link_close(struct ppp_link *l, const char *reason, uint64_t now)
{
	l->now = now;
	if (l->dead)
		return;
	set_reason(l, reason != NULL ? reason : "closed");
	if (l->relay) {
		link_lac_close(l);
		return;
	}
	cp_close(&l->lcp.cp, now);
	/* Close from Closed/Stopped/Initial finishes nothing: dead now. */
	if (l->lcp.cp.state == CP_CLOSED || l->lcp.cp.state == CP_INITIAL)
		go_dead(l, reason);
	else
		link_settle(l);
}

void
ppp_link_input(struct ppp_link *l, const uint8_t *frame, size_t len,
    uint64_t now)
{
	struct rbuf r;
	uint16_t proto;
	const uint8_t *info;
	size_t ilen;
	bool ok = false;

	l->now = now;
	if (l->dead || l->relay)
		return;
	l->stats.rx_frames++;
	l->stats.rx_bytes += len;
	rbuf_init(&r, frame, len);
	/* RFC 1662 §3.2 / RFC 1661 §6.6: Address and Control may be absent. */
	if (len >= 2 && frame[0] == PPP_ALLSTATIONS && frame[1] == PPP_UI)
		rd_skip(&r, 2);
	/* RFC 1661 §2, §6.5: a protocol with an odd first octet is the
	 * PFC-compressed one-octet form; a valid protocol is odd overall
	 * and its high octet even. */
	if (rbuf_left(&r) >= 1 && (r.p[r.off] & 1))
		proto = rd_u8(&r);
	else
		proto = rd_be16(&r);
	if (r.err || (proto & 1) == 0 || (proto & 0x100) != 0) {
		l->stats.rx_discards++;
		return;
	}
	info = r.p + r.off;
	ilen = rbuf_left(&r);

	if (proto == PPP_PROTO_LCP) {
		if (l->lac != NULL)
			link_lac_keep_rcvd(l, info, ilen);
		if (ilen >= 4 && info[0] == PPP_TERM_REQ &&
		    l->lcp.cp.state >= CP_REQSENT)
			set_reason(l, "peer terminated");
		lcp_input(&l->lcp, info, ilen, now);
		link_settle(l);
		return;
	}
	/* RFC 1661 §3.4: before LCP is Opened, everything else is dropped. */
	if (!cp_is_opened(&l->lcp.cp)) {
		l->stats.rx_discards++;
		return;
	}
	switch (proto) {
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (l->as != NULL) {
			auth_server_input(l->as, proto, info, ilen, now);
			ok = true;
		} else if (l->ac != NULL) {
			auth_client_input(l->ac, proto, info, ilen, now);
			ok = true;
		}
		break;
	case PPP_PROTO_IPCP:
		if (l->conf->cfg.no_ipcp) {
			/* RFC 1661 §5.7: a protocol this link does not run
			 * is rejected, so the peer stops sending it. */
			lcp_send_proto_rej(&l->lcp, proto, info, ilen);
			ok = true;
		} else if (l->phase == PPP_PHASE_NETWORK) {
			cp_input(&l->ipcp.cp, info, ilen, now);
			ok = true;
		} else if (l->phase == PPP_PHASE_AUTHENTICATE &&
		    l->lac == NULL) {
			/* RFC 1661 §3.5: not before the Network phase;
			 * kept for it (held_keep). */
			ok = held_keep(l, HELD_IPCP, info, ilen);
		}
		break;
	case PPP_PROTO_IPV6CP:
		if (l->v6 == NULL) {
			lcp_send_proto_rej(&l->lcp, proto, info, ilen);
			ok = true;
		} else if (l->phase == PPP_PHASE_NETWORK) {
			cp_input(&l->v6->cp, info, ilen, now);
			ok = true;
		} else if (l->phase == PPP_PHASE_AUTHENTICATE &&
		    l->lac == NULL) {
			ok = held_keep(l, HELD_IPV6CP, info, ilen);
		}
		break;
	case PPP_PROTO_IP:
		if (cp_is_opened(&l->ipcp.cp) && l->ops->ip_input != NULL) {
			l->ops->ip_input(l->ctx, info, ilen, now);
			ok = true;
		}
		break;
	case PPP_PROTO_IPV6:
		if (l->v6 != NULL && cp_is_opened(&l->v6->cp) &&
		    l->ops->ipv6_input != NULL) {
			l->ops->ipv6_input(l->ctx, info, ilen, now);
			ok = true;
		}
		break;
	default:
		/* RFC 1661 §5.7: unknown protocol while LCP is Opened. */
		lcp_send_proto_rej(&l->lcp, proto, info, ilen);
		ok = true;
		break;
	}
	if (!ok)
		l->stats.rx_discards++;
	link_settle(l);
}

void
ppp_link_timeout(struct ppp_link *l, uint64_t now)
{
	l->now = now;
	if (l->dead || l->relay)
		return;
	if (now >= l->negotiate_deadline) {
		l->negotiate_deadline = TIME_NEVER;
		log_info("ppp%s%s: no network phase after %u ms (phase %s)",
		    link_user_name(l)[0] ? " " : "", link_user_name(l),
		    l->conf->cfg.negotiate_timeout_ms, ppp_phase_str(l->phase));
		link_request_fail(l, "negotiation timeout", false);
		link_settle(l);
		if (l->dead)
			return;
	}
	lcp_timeout(&l->lcp, now);
	link_settle(l);
	if (l->dead)
		return;
	if (l->as != NULL && auth_server_next_deadline(l->as) <= now)
		auth_server_timeout(l->as, now);
	if (l->ac != NULL && auth_client_next_deadline(l->ac) <= now)
		auth_client_timeout(l->ac, now);
	link_settle(l);
	if (l->dead)
		return;
	cp_timeout(&l->ipcp.cp, now);
	if (l->v6 != NULL)
		cp_timeout(&l->v6->cp, now);
	link_settle(l);
}

uint64_t
ppp_link_next_deadline(const struct ppp_link *l)
{
	uint64_t t;

	if (l->dead || l->relay)
		return TIME_NEVER;
	t = time_min(l->negotiate_deadline, lcp_next_deadline(&l->lcp));
	t = time_min(t, cp_next_deadline(&l->ipcp.cp));
	if (l->v6 != NULL)
		t = time_min(t, cp_next_deadline(&l->v6->cp));
	if (l->as != NULL)
		t = time_min(t, auth_server_next_deadline(l->as));
	if (l->ac != NULL)
		t = time_min(t, auth_client_next_deadline(l->ac));
	return t;
}

enum ppp_phase
ppp_link_phase(const struct ppp_link *l)
{
	return l->phase;
}

bool
ppp_link_has_ipv6cp(const struct ppp_link *l)
{
	return l->v6 != NULL;
}

void
ppp_link_set_dns(struct ppp_link *l, const uint32_t dns[2], unsigned count)
{
	if (!l->conf->cfg.server || count == 0)
		return;
	/* RFC 1877: the server Naks the peer's Primary/Secondary DNS with
	 * these; IPCP reads them from its own per-link copy. */
	l->ipcp.cfg.dns[0] = dns[0];
	l->ipcp.cfg.dns[1] = count > 1 ? dns[1] : 0;
	l->ipcp.cfg.dns_count = count > 2 ? 2 : count;
}

const char *
ppp_link_user(const struct ppp_link *l)
{
	return link_user_name(l);
}

void
ppp_link_peer_compression(const struct ppp_link *l, bool *acfc, bool *pfc)
{
	*acfc = l->lcp.peer_acfc;
	*pfc = l->lcp.peer_pfc;
}

const struct ppp_link_stats *
ppp_link_stats(const struct ppp_link *l)
{
	return &l->stats;
}

bool
ppp_link_lac_relaying(const struct ppp_link *l)
{
	return l->relay && !l->dead;
}
