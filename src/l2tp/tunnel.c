/*
 * tunnel.c — the L2TP control connection state machine (RFC 2661 §7.2).
 *
 * One tunnel per control connection.  Control datagrams reach
 * tunnel_input() from the host, go through the tunnel's xport (§5.8
 * reliable delivery) and come back in order to tunnel_deliver(), which
 * decodes them once and hands the typed message to tunnel_event(): a
 * switch on the state, then on the message type.  Every pair not listed
 * there ends in fsm_error(): "recv X in Y" and StopCCN result 7.
 *
 *   IDLE --SCCRQ/send SCCRP--> WAIT_CTL_CONN --SCCCN--> ESTABLISHED (LNS)
 *   open/send SCCRQ --> WAIT_CTL_REPLY --SCCRP/send SCCCN--> ESTABLISHED (LAC)
 *   any --StopCCN received--> CLOSING --closing_ms--> freed (§5.7)
 *   any --StopCCN sent--> CLOSING --acked (or closing_ms)--> freed
 *
 * Tunnel authentication (§5.1.1) and the tie breaker (§4.4.3) are named
 * helpers below.  Sessions are in session.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/buf.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "l2tp/challenge.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* Our firmware revision (§4.4.3: vendor-specific, informational). */
#define VPDN_FIRMWARE_REV 0x0100

const char *
l2tp_role_str(enum l2tp_role r)
{
	switch (r) {
	case L2TP_ROLE_LAC:
		return "lac";
	case L2TP_ROLE_LNS:
		return "lns";
	case L2TP_ROLE_CLIENT:
		return "client";
	}
	return "?";
}

const char *
l2tp_tunnel_state_str(enum l2tp_tunnel_state s)
{
	switch (s) {
	case L2TP_TUNNEL_IDLE:
		return "idle";
	case L2TP_TUNNEL_WAIT_CTL_REPLY:
		return "wait-ctl-reply";
	case L2TP_TUNNEL_WAIT_CTL_CONN:
		return "wait-ctl-conn";
	case L2TP_TUNNEL_ESTABLISHED:
		return "established";
	case L2TP_TUNNEL_CLOSING:
		return "closing";
	}
	return "?";
}

void
tunnel_log(const struct l2tp_tunnel *t, enum log_level lvl, const char *fmt,
    ...)
{
	char addr[80], line[512];
	va_list ap;

	if (!log_enabled(lvl))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(lvl, "tunnel %u/%u peer %s: %s", t->local_id, t->peer_id,
	    l2tp_addr_str(&t->peer, addr, sizeof(addr)), line);
}

static struct l2tp_secret
tunnel_secret(const struct l2tp_tunnel *t)
{
	struct l2tp_secret s = { t->secret, t->secret_len };

	return s;
}

/* ---- xport glue ---- */

static void tunnel_deliver(void *ctx, const uint8_t *pkt, size_t len);
static void tunnel_xport_failed(void *ctx);
static void tunnel_xport_idle(void *ctx);

static void
tunnel_xport_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct l2tp_tunnel *t = ctx;

	t->host->ops->send(t->host->ctx, &t->local, &t->peer, pkt, len);
}

static const struct xport_ops tunnel_xport_ops = {
	.send = tunnel_xport_send,
	.deliver = tunnel_deliver,
	.failed = tunnel_xport_failed,
	.idle = tunnel_xport_idle,
};

/* §5.7: "a full retransmission cycle" — the sum of the back-offs. */
static uint64_t
tunnel_closing_ms(const struct l2tp_host_config *c)
{
	if (c->closing_ms > 0)
		return c->closing_ms;
	return l2tp_xport_give_up_ms(c);
}

struct l2tp_tunnel *
tunnel_new(struct l2tp_host *h, enum l2tp_role role,
    const struct l2tp_addr *peer, const struct l2tp_addr *local,
    const uint8_t *secret, size_t secret_len, bool hide, uint64_t now)
{
	struct l2tp_tunnel *t;
	struct xport_config xc;

	if (h->cfg.max_tunnels > 0 &&
	    idpool_count(&h->tunnels) >= h->cfg.max_tunnels)
		return NULL;
	if (secret_len > sizeof(t->secret))
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->host = h;
	t->role = role;
	t->state = L2TP_TUNNEL_IDLE;
	t->peer = *peer;
	if (local != NULL)
		t->local = *local;
	if (secret_len > 0)
		memcpy(t->secret, secret, secret_len);
	t->secret_len = secret_len;
	t->hide = hide && secret_len > 0;
	t->created_ms = now;
	t->close_at = TIME_NEVER;
	heap_node_init(&t->timer);
	heap_init(&t->session_timers);
	idpool_init(&t->sessions, 65535);

	l2tp_host_xport_config(&h->cfg, &xc);
	if (xport_init(&t->xp, &xc, &tunnel_xport_ops, t, now) < 0) {
		free(t);
		return NULL;
	}
	if ((t->local_id = idpool_alloc(&h->tunnels, t)) == 0) {
		xport_destroy(&t->xp);
		free(t);
		return NULL;
	}
	h->stats.tunnels_created++;
	return t;
}

void
tunnel_free(struct l2tp_tunnel *t)
{
	struct l2tp_host *h = t->host;
	struct l2tp_session *s;
	uint32_t cur = 0;

	/* Sessions left here were never announced or are already down. */
	while ((s = idpool_next(&t->sessions, &cur, NULL)) != NULL) {
		heap_remove(&t->session_timers, &s->timer);
		h->nsessions--;
		session_free(s);
	}
	idpool_free(&t->sessions);
	heap_free(&t->session_timers);
	heap_remove(&h->timers, &t->timer);
	host_peer_hash_del(t);
	idpool_release(&h->tunnels, t->local_id);
	xport_destroy(&t->xp);
	free(t);
}

/*
 * §5.8: "the state and reliable delivery mechanisms MUST be maintained and
 * operated for the full retransmission interval after the final message
 * exchange".  The sender of a StopCCN may stop early only once nothing is
 * left to exchange (xport_settled): its StopCCN acked, and every message
 * the peer sent meanwhile (a crossing CDN or StopCCN) received and acked.
 */
static bool
tunnel_closing_done(const struct l2tp_tunnel *t)
{
	return t->state == L2TP_TUNNEL_CLOSING &&
	    (t->host->now >= t->close_at ||
		(t->close_when_acked && xport_settled(&t->xp)));
}

bool
tunnel_finished(const struct l2tp_tunnel *t)
{
	return t->state == L2TP_TUNNEL_CLOSING &&
	    (t->host->now >= t->close_at || xport_settled(&t->xp));
}

uint64_t
tunnel_deadline(const struct l2tp_tunnel *t)
{
	uint64_t d = xport_next_deadline(&t->xp);

	d = time_min(d, session_next_deadline(t));
	if (t->state == L2TP_TUNNEL_CLOSING)
		d = time_min(d,
		    tunnel_closing_done(t) ? t->host->now : t->close_at);
	return d;
}

/* ---- sending ---- */

/*
 * §4.3 hiding is optional ("MAY").  We hide only once the §5.1.1 exchange
 * has shown that the peer holds our secret (its Challenge Response
 * verified): before that, a peer with another secret (or one that picks
 * the secret from the Host Name, as xl2tpd does) could read neither our
 * SCCRQ/SCCRP nor the StopCCN result 4 that refuses it.
 */
static bool
tunnel_may_hide(const struct l2tp_tunnel *t, enum l2tp_msg_type type)
{
	(void)type;
	return t->hide && t->secret_proven;
}

/* True if the control message has an AVP with the H bit (§4.1). */
static bool
msg_has_hidden_avp(const uint8_t *pkt, size_t len)
{
	size_t off = L2TP_CTRL_HDR_LEN;

	while (off + L2TP_AVP_HDR_LEN <= len) {
		uint16_t fl = get_be16(pkt + off);
		size_t alen = fl & L2TP_AVP_LEN_MASK;

		if (fl & L2TP_AVP_H)
			return true;
		if (alen < L2TP_AVP_HDR_LEN)
			break;
		off += alen;
	}
	return false;
}

int
tunnel_send_msg(struct l2tp_tunnel *t, struct l2tp_msg *m, uint64_t now)
{
	uint8_t buf[L2TP_CTRL_BUF];
	struct l2tp_secret sec = tunnel_secret(t);
	size_t len;

	m->hdr.tunnel_id = t->peer_id;
	len = l2tp_msg_encode(m, &sec, tunnel_may_hide(t, m->type), buf,
	    sizeof(buf));
	if (len == 0) {
		tunnel_log(t, LOG_LEVEL_WARN, "cannot encode %s",
		    l2tp_msg_type_str(m->type));
		return -1;
	}
	if (xport_send(&t->xp, buf, len, now) < 0) {
		tunnel_log(t, LOG_LEVEL_WARN, "control queue full, %s lost",
		    l2tp_msg_type_str(m->type));
		return -1;
	}
	tunnel_log(t, LOG_LEVEL_DEBUG, "sent %s", l2tp_msg_type_str(m->type));
	return 0;
}

/* The AVPs SCCRQ and SCCRP share (§6.1, §6.2). */
static void
tunnel_fill_start(const struct l2tp_tunnel *t, struct l2tp_msg *m)
{
	const struct l2tp_host_config *c = &t->host->cfg;

	m->proto_ver = 1;
	m->proto_rev = 0;
	l2tp_msg_set(m, L2TP_AVP_PROTOCOL_VERSION);
	strlcpy(m->host_name, c->hostname[0] ? c->hostname : "vpdn",
	    sizeof(m->host_name));
	l2tp_msg_set(m, L2TP_AVP_HOST_NAME);
	m->framing_cap = L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC;
	l2tp_msg_set(m, L2TP_AVP_FRAMING_CAP);
	m->bearer_cap = L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG;
	l2tp_msg_set(m, L2TP_AVP_BEARER_CAP);
	m->firmware_rev = VPDN_FIRMWARE_REV;
	l2tp_msg_set(m, L2TP_AVP_FIRMWARE_REVISION);
	if (c->vendor_name[0] != '\0') {
		strlcpy(m->vendor_name, c->vendor_name, sizeof(m->vendor_name));
		l2tp_msg_set(m, L2TP_AVP_VENDOR_NAME);
	}
	m->assigned_tunnel_id = t->local_id;
	l2tp_msg_set(m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	if (c->receive_window > 0) {
		m->receive_window = c->receive_window;
		l2tp_msg_set(m, L2TP_AVP_RECEIVE_WINDOW_SIZE);
	}
}

/* §5.1.1: with a secret we challenge the peer in SCCRQ/SCCRP. */
static void
tunnel_add_challenge(struct l2tp_tunnel *t, struct l2tp_msg *m)
{
	if (t->secret_len == 0)
		return;
	random_bytes(t->challenge, sizeof(t->challenge));
	memcpy(m->challenge.data, t->challenge, sizeof(t->challenge));
	m->challenge.len = sizeof(t->challenge);
	l2tp_msg_set(m, L2TP_AVP_CHALLENGE);
}

static int
tunnel_send_sccrq(struct l2tp_tunnel *t, uint64_t now)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_SCCRQ, 0, 0);
	tunnel_fill_start(t, &m);
	tunnel_add_challenge(t, &m);
	if (t->use_tie_breaker) {
		random_bytes(t->tie_breaker, sizeof(t->tie_breaker));
		memcpy(m.tie_breaker, t->tie_breaker, sizeof(m.tie_breaker));
		l2tp_msg_set(&m, L2TP_AVP_TIE_BREAKER);
	}
	return tunnel_send_msg(t, &m, now);
}

static void
tunnel_send_stopccn(struct l2tp_tunnel *t, uint16_t result, uint16_t error,
    const char *text, uint64_t now)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_STOPCCN, t->peer_id, 0);
	m.assigned_tunnel_id = t->local_id;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.result.result = result;
	m.result.error = error;
	m.result.has_error = error != 0 || (text != NULL && *text != '\0');
	if (text != NULL)
		strlcpy(m.result.message, text, sizeof(m.result.message));
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	(void)tunnel_send_msg(t, &m, now);
	if (result < L2TP_NITEMS(t->host->stats.stopccn_sent))
		t->host->stats.stopccn_sent[result]++;
}

/* ---- teardown ---- */

static void
tunnel_report_down(struct l2tp_tunnel *t)
{
	struct l2tp_host *h = t->host;

	if (t->announced && !t->down_reported) {
		t->down_reported = true;
		if (h->ops->tunnel_down != NULL)
			h->ops->tunnel_down(h->ctx, t, h->now);
	}
	t->user = NULL;
}

/* §5.7: keep the connection state for a full retransmission cycle so a
 * lost ZLB ack or StopCCN retransmission is handled, then free. */
static void
tunnel_enter_closing(struct l2tp_tunnel *t, uint64_t close_at)
{
	struct l2tp_host *h = t->host;
	enum l2tp_tunnel_state old = t->state;

	if (old == L2TP_TUNNEL_CLOSING)
		return;
	/* CLOSING first: nothing below may open sessions on us again. */
	t->state = L2TP_TUNNEL_CLOSING;
	t->close_at = close_at;
	h->stats.tunnels_closed++;
	tunnel_log(t, LOG_LEVEL_INFO, "%s -> closing",
	    l2tp_tunnel_state_str(old));
	session_all_down(t);
	tunnel_report_down(t);
	host_reschedule(t);
}

static void
tunnel_close_now(struct l2tp_tunnel *t, uint16_t result, uint16_t error,
    const char *text, uint64_t now)
{
	if (t->state == L2TP_TUNNEL_CLOSING)
		return;
	tunnel_log(t, LOG_LEVEL_INFO,
	    "sending StopCCN result %u (%s) error %u%s%s", result,
	    l2tp_stopccn_result_str(result), error, text && *text ? ": " : "",
	    text ? text : "");
	tunnel_send_stopccn(t, result, error, text, now);
	/* §5.7 holds the *receiver* of a StopCCN for a retransmission cycle
	 * so it can re-ack; the sender is done once its StopCCN is acked. */
	t->close_when_acked = true;
	tunnel_enter_closing(t, now + tunnel_closing_ms(&t->host->cfg));
}

void
tunnel_discard(struct l2tp_tunnel *t, const char *why, uint64_t now)
{
	tunnel_log(t, LOG_LEVEL_INFO, "discarded: %s", why);
	tunnel_enter_closing(t, now);
}

static void
fsm_error(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint64_t now)
{
	tunnel_log(t, LOG_LEVEL_WARN, "recv %s in %s",
	    l2tp_msg_type_str(m->type), l2tp_tunnel_state_str(t->state));
	tunnel_close_now(t, L2TP_STOPCCN_FSM_ERROR, 0,
	    "Finite State Machine error", now);
}

/* ---- events ---- */

static void
tunnel_set_state(struct l2tp_tunnel *t, enum l2tp_tunnel_state s)
{
	tunnel_log(t, LOG_LEVEL_INFO, "%s -> %s",
	    l2tp_tunnel_state_str(t->state), l2tp_tunnel_state_str(s));
	t->state = s;
}

static void
tunnel_established(struct l2tp_tunnel *t, uint64_t now)
{
	struct l2tp_host *h = t->host;

	tunnel_set_state(t, L2TP_TUNNEL_ESTABLISHED);
	h->stats.tunnels_established++;
	t->announced = true;
	if (h->ops->tunnel_up != NULL)
		h->ops->tunnel_up(h->ctx, t, now);
	if (t->state == L2TP_TUNNEL_ESTABLISHED)
		session_tunnel_up(t, now);
}

/* §4.4.1 Protocol Version: we speak 1.0; anything else gets StopCCN
 * result 5 with the highest version we support in the error field. */
static bool
tunnel_check_version(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    uint64_t now)
{
	if (m->proto_ver == 1)
		return true;
	tunnel_close_now(t, L2TP_STOPCCN_BAD_VERSION, 0x0100,
	    "unsupported protocol version", now);
	return false;
}

static void
tunnel_learn_peer(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	uint16_t rws = 4; /* §4.4.3: 4 if the peer sent no RWS */

	if (l2tp_msg_has(m, L2TP_AVP_RECEIVE_WINDOW_SIZE) &&
	    m->receive_window > 0)
		rws = m->receive_window;
	t->peer_id = m->assigned_tunnel_id;
	xport_set_peer(&t->xp, t->peer_id, rws);
	strlcpy(t->peer_hostname, m->host_name, sizeof(t->peer_hostname));
	t->peer_has_bearer_cap = l2tp_msg_has(m, L2TP_AVP_BEARER_CAP);
	t->peer_bearer_cap = t->peer_has_bearer_cap ? m->bearer_cap : 0;
	t->peer_framing_cap = m->framing_cap;
}

/*
 * §5.1.1: when the peer sent a Challenge we must answer it, which needs a
 * secret; fills the Challenge Response of the message carrying msg_type.
 */
static bool
tunnel_answer_challenge(struct l2tp_tunnel *t, const struct l2tp_msg *in,
    struct l2tp_msg *out, uint64_t now)
{
	struct l2tp_secret sec = tunnel_secret(t);

	if (!l2tp_msg_has(in, L2TP_AVP_CHALLENGE))
		return true;
	if (t->secret_len == 0) {
		tunnel_close_now(t, L2TP_STOPCCN_NOT_AUTHORIZED, 0,
		    "challenged but no secret configured", now);
		return false;
	}
	l2tp_challenge_response((uint8_t)out->type, &sec, in->challenge.data,
	    in->challenge.len, out->challenge_response);
	l2tp_msg_set(out, L2TP_AVP_CHALLENGE_RESPONSE);
	return true;
}

/* §5.1.1: with a secret, the peer's reply must carry the right response to
 * our Challenge (msg_type 2 in SCCRP, 3 in SCCCN), else StopCCN result 4. */
static bool
tunnel_verify_response(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    uint64_t now)
{
	struct l2tp_secret sec = tunnel_secret(t);

	if (t->secret_len == 0)
		return true;
	if (l2tp_msg_has(m, L2TP_AVP_CHALLENGE_RESPONSE) &&
	    l2tp_challenge_verify((uint8_t)m->type, &sec, t->challenge,
		sizeof(t->challenge), m->challenge_response)) {
		t->secret_proven = true;
		return true;
	}
	tunnel_close_now(t, L2TP_STOPCCN_NOT_AUTHORIZED, 0,
	    l2tp_msg_has(m, L2TP_AVP_CHALLENGE_RESPONSE) ?
		"wrong challenge response" :
		"no challenge response",
	    now);
	return false;
}

/* LNS: IDLE + SCCRQ → send SCCRP → WAIT_CTL_CONN (§7.2). */
static void
tunnel_recv_sccrq(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint64_t now)
{
	struct l2tp_msg rp;

	tunnel_learn_peer(t, m);
	if (!tunnel_check_version(t, m, now))
		return;
	l2tp_msg_init(&rp, L2TP_MSG_SCCRP, t->peer_id, 0);
	tunnel_fill_start(t, &rp);
	if (!tunnel_answer_challenge(t, m, &rp, now))
		return;
	tunnel_add_challenge(t, &rp);
	if (tunnel_send_msg(t, &rp, now) < 0) {
		tunnel_enter_closing(t, now);
		return;
	}
	tunnel_set_state(t, L2TP_TUNNEL_WAIT_CTL_CONN);
}

/* LAC: WAIT_CTL_REPLY + SCCRP → send SCCCN → ESTABLISHED (§7.2). */
static void
tunnel_recv_sccrp(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint64_t now)
{
	struct l2tp_msg cn;

	tunnel_learn_peer(t, m);
	host_peer_hash_add(t);
	if (!tunnel_check_version(t, m, now) ||
	    !tunnel_verify_response(t, m, now))
		return;
	l2tp_msg_init(&cn, L2TP_MSG_SCCCN, t->peer_id, 0);
	if (!tunnel_answer_challenge(t, m, &cn, now))
		return;
	if (tunnel_send_msg(t, &cn, now) < 0) {
		tunnel_close_now(t, L2TP_STOPCCN_ERROR, L2TP_ERR_NO_RESOURCES,
		    NULL, now);
		return;
	}
	tunnel_established(t, now);
}

/* LNS: WAIT_CTL_CONN + SCCCN → ESTABLISHED (§7.2). */
static void
tunnel_recv_scccn(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint64_t now)
{
	if (!tunnel_verify_response(t, m, now))
		return;
	tunnel_established(t, now);
}

/* §5.7: ack at once, clean up, and keep state for a retransmission cycle. */
static void
tunnel_recv_stopccn(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    uint64_t now)
{
	struct l2tp_host *h = t->host;
	uint16_t r = m->result.result;

	if (r < L2TP_NITEMS(h->stats.stopccn_rcvd))
		h->stats.stopccn_rcvd[r]++;
	tunnel_log(t, LOG_LEVEL_INFO,
	    "recv StopCCN result %u (%s) error %u%s%s", r,
	    l2tp_stopccn_result_str(r), m->result.error,
	    m->result.message[0] ? ": " : "", m->result.message);
	xport_flush_ack(&t->xp);
	tunnel_enter_closing(t, now + tunnel_closing_ms(&h->cfg));
}

/*
 * The tunnel FSM.  Inner switches are on the message type as an integer:
 * every type not listed is an FSM error, and -Wswitch-enum would otherwise
 * demand all sixteen in each state.
 */
static void
tunnel_event(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint64_t now)
{
	switch (t->state) {
	case L2TP_TUNNEL_IDLE:
		switch ((int)m->type) {
		case L2TP_MSG_SCCRQ:
			tunnel_recv_sccrq(t, m, now);
			return;
		}
		break;
	case L2TP_TUNNEL_WAIT_CTL_REPLY:
		switch ((int)m->type) {
		case L2TP_MSG_SCCRP:
			tunnel_recv_sccrp(t, m, now);
			return;
		case L2TP_MSG_STOPCCN:
			tunnel_recv_stopccn(t, m, now);
			return;
		}
		break;
	case L2TP_TUNNEL_WAIT_CTL_CONN:
		switch ((int)m->type) {
		case L2TP_MSG_SCCCN:
			tunnel_recv_scccn(t, m, now);
			return;
		case L2TP_MSG_STOPCCN:
			tunnel_recv_stopccn(t, m, now);
			return;
		}
		break;
	case L2TP_TUNNEL_ESTABLISHED:
		switch ((int)m->type) {
		case L2TP_MSG_HELLO:
			return; /* §6.5: the xport's ack is the answer */
		case L2TP_MSG_STOPCCN:
			tunnel_recv_stopccn(t, m, now);
			return;
		case L2TP_MSG_ICRQ:
		case L2TP_MSG_ICRP:
		case L2TP_MSG_ICCN:
		case L2TP_MSG_OCRQ:
		case L2TP_MSG_OCRP:
		case L2TP_MSG_OCCN:
		case L2TP_MSG_CDN:
		case L2TP_MSG_WEN:
		case L2TP_MSG_SLI:
			session_recv(t, m, now);
			return;
		}
		break;
	case L2TP_TUNNEL_CLOSING:
		/* §5.7: only acks (and StopCCN retransmissions) matter now;
		 * the xport acks whatever arrived.  A StopCCN crossing ours
		 * makes us its receiver: hold "a full retransmission cycle"
		 * from its receipt, so its retransmissions are acked. */
		if (m->type == L2TP_MSG_STOPCCN &&
		    m->result.result < L2TP_NITEMS(t->host->stats.stopccn_rcvd))
			t->host->stats.stopccn_rcvd[m->result.result]++;
		if (m->type == L2TP_MSG_STOPCCN && t->close_when_acked) {
			t->close_when_acked = false;
			if (t->close_at <
			    now + tunnel_closing_ms(&t->host->cfg))
				t->close_at = now +
				    tunnel_closing_ms(&t->host->cfg);
			tunnel_log(t, LOG_LEVEL_INFO,
			    "recv StopCCN crossing "
			    "ours");
		}
		return;
	}
	fsm_error(t, m, now);
}

static void
tunnel_deliver(void *ctx, const uint8_t *pkt, size_t len)
{
	struct l2tp_tunnel *t = ctx;
	struct l2tp_host *h = t->host;
	struct l2tp_secret sec = tunnel_secret(t);
	struct l2tp_msg m;
	struct l2tp_err err;
	uint64_t now = h->now;

	memset(&err, 0, sizeof(err));
	switch (l2tp_msg_decode(pkt, len, &sec, &m, &err)) {
	case L2TP_OK:
		tunnel_log(t, LOG_LEVEL_DEBUG, "recv %s",
		    l2tp_msg_type_str(m.type));
		tunnel_event(t, &m, now);
		break;
	case L2TP_DROP:
		/* §5.1.1: during the handshake, hidden AVPs that do not
		 * unhide mean the secrets differ: refuse, as for a wrong
		 * Challenge Response, instead of waiting for a timeout. */
		if ((t->state == L2TP_TUNNEL_WAIT_CTL_REPLY ||
			t->state == L2TP_TUNNEL_WAIT_CTL_CONN) &&
		    msg_has_hidden_avp(pkt, len)) {
			tunnel_close_now(t, L2TP_STOPCCN_NOT_AUTHORIZED, 0,
			    "hidden AVPs do not unhide: secret mismatch", now);
			break;
		}
		host_drop(h, L2TP_DROP_MALFORMED);
		LOG_RL(LOG_LEVEL_WARN,
		    "tunnel %u/%u: malformed control "
		    "message dropped: %s",
		    t->local_id, t->peer_id, err.reason ? err.reason : "?");
		break;
	case L2TP_REJECT_TUNNEL:
		tunnel_log(t, LOG_LEVEL_WARN, "rejecting %s: %s (AVP %u)",
		    l2tp_msg_type_str(m.type), err.reason ? err.reason : "?",
		    err.avp_type);
		/* An SCCRQ/SCCRP we reject still tells us where to send. */
		if (t->peer_id == 0 &&
		    l2tp_msg_has(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID))
			t->peer_id = m.assigned_tunnel_id;
		tunnel_close_now(t,
		    err.result ? err.result : L2TP_STOPCCN_ERROR, err.error,
		    err.reason, now);
		break;
	case L2TP_REJECT_SESSION:
		if (t->state == L2TP_TUNNEL_ESTABLISHED)
			session_reject(t, &m, &err, now);
		else
			host_drop(h, L2TP_DROP_MALFORMED);
		break;
	}
}

static void
tunnel_xport_failed(void *ctx)
{
	struct l2tp_tunnel *t = ctx;
	struct l2tp_host *h = t->host;
	struct l2tp_msg m;
	uint8_t buf[L2TP_CTRL_BUF];
	struct l2tp_secret sec = tunnel_secret(t);
	size_t len;

	tunnel_log(t, LOG_LEVEL_WARN,
	    "peer not responding after %u "
	    "retransmissions, tearing down",
	    t->xp.cfg.retransmit_max);
	if (t->state == L2TP_TUNNEL_CLOSING) {
		t->close_at = h->now;
		host_reschedule(t);
		return;
	}
	/* Best effort StopCCN straight to the socket: the peer is probably
	 * dead, so no retransmission and no CLOSING wait (§5.7 is about
	 * peers that can still hear us). */
	l2tp_msg_init(&m, L2TP_MSG_STOPCCN, t->peer_id, 0);
	m.hdr.ns = t->xp.ns;
	m.hdr.nr = t->xp.nr;
	m.assigned_tunnel_id = t->local_id;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.result.result = L2TP_STOPCCN_ERROR;
	m.result.error = L2TP_ERR_NONE;
	m.result.has_error = true;
	strlcpy(m.result.message, "peer not responding",
	    sizeof(m.result.message));
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	len = l2tp_msg_encode(&m, &sec, tunnel_may_hide(t, m.type), buf,
	    sizeof(buf));
	if (len > 0) {
		h->ops->send(h->ctx, &t->local, &t->peer, buf, len);
		h->stats.stopccn_sent[L2TP_STOPCCN_ERROR]++;
	}
	tunnel_enter_closing(t, h->now);
}

static void
tunnel_xport_idle(void *ctx)
{
	struct l2tp_tunnel *t = ctx;
	struct l2tp_msg m;

	/* §6.5: Hello keeps a silent control connection alive and probes the
	 * peer; the xport's retransmission gives up if it is gone. */
	if (t->state != L2TP_TUNNEL_ESTABLISHED)
		return;
	l2tp_msg_init(&m, L2TP_MSG_HELLO, t->peer_id, 0);
	(void)tunnel_send_msg(t, &m, t->host->now);
}

void
tunnel_input(struct l2tp_tunnel *t, const struct l2tp_hdr *h,
    const uint8_t *pkt, size_t len, uint64_t now)
{
	enum xport_rx rx = xport_input(&t->xp, h, pkt, len, now);

	if (rx == XPORT_RX_OUT_OF_WINDOW) {
		host_drop(t->host, L2TP_DROP_OUT_OF_WINDOW);
		LOG_RL(LOG_LEVEL_DEBUG,
		    "tunnel %u/%u: control Ns %u out of "
		    "window",
		    t->local_id, t->peer_id, h->ns);
	}
	/* Only an ack opens the window: queued ICCN/OCCNs may be out now. */
	if (t->connect_head != NULL && t->state == L2TP_TUNNEL_ESTABLISHED)
		session_connect_sent(t);
	host_reschedule(t);
}

bool
tunnel_run_timers(struct l2tp_tunnel *t, uint64_t now)
{
	if (tunnel_closing_done(t)) {
		/* §5.8: a message received is acknowledged, even now. */
		xport_flush_ack(&t->xp);
		return true;
	}
	xport_timeout(&t->xp, now);
	if (t->state != L2TP_TUNNEL_CLOSING)
		session_run_timers(t, now);
	return tunnel_closing_done(t);
}

/* ---- public API ---- */

struct l2tp_tunnel *
l2tp_tunnel_open(struct l2tp_host *h, const struct l2tp_tunnel_params *p,
    uint64_t now)
{
	struct l2tp_tunnel *t;

	h->now = now;
	t = tunnel_new(h, p->role == L2TP_ROLE_LNS ? L2TP_ROLE_LAC : p->role,
	    &p->peer, &p->local, p->secret, p->secret_len, p->hide_avps, now);
	if (t == NULL) {
		if (h->cfg.max_tunnels > 0 &&
		    idpool_count(&h->tunnels) >= h->cfg.max_tunnels)
			host_drop(h, L2TP_DROP_TUNNEL_LIMIT);
		return NULL;
	}
	t->use_tie_breaker = p->tie_breaker;
	t->announced = true; /* the role holds the pointer from now on */
	tunnel_log(t, LOG_LEVEL_INFO, "opening (%s%s)", l2tp_role_str(t->role),
	    t->secret_len ? ", authenticated" : "");
	if (tunnel_send_sccrq(t, now) < 0) {
		/* Never leave a half-made tunnel the role would not expect. */
		t->announced = false;
		tunnel_free(t);
		return NULL;
	}
	tunnel_set_state(t, L2TP_TUNNEL_WAIT_CTL_REPLY);
	host_reschedule(t);
	return t;
}

void
l2tp_tunnel_close(struct l2tp_tunnel *t, uint16_t result, uint16_t error,
    const char *text, uint64_t now)
{
	t->host->now = now;
	tunnel_close_now(t, result, error, text, now);
	host_reschedule(t);
}

void
l2tp_tunnel_get_info(const struct l2tp_tunnel *t, struct l2tp_tunnel_info *info)
{
	memset(info, 0, sizeof(*info));
	info->role = t->role;
	info->state = t->state;
	info->local_id = t->local_id;
	info->peer_id = t->peer_id;
	info->peer = t->peer;
	info->local = t->local;
	strlcpy(info->peer_hostname, t->peer_hostname,
	    sizeof(info->peer_hostname));
	strlcpy(info->peer_entry, t->label, sizeof(info->peer_entry));
	info->sessions = idpool_count(&t->sessions);
	info->tx_ctrl = t->xp.stats.tx_msgs;
	info->rx_ctrl = t->xp.stats.rx_msgs;
	info->retransmits = t->xp.stats.retransmits;
	info->created_ms = t->created_ms;
}

void *
l2tp_tunnel_user(const struct l2tp_tunnel *t)
{
	return t->user;
}

void
l2tp_tunnel_set_user(struct l2tp_tunnel *t, void *user)
{
	t->user = user;
}

enum l2tp_role
l2tp_tunnel_role(const struct l2tp_tunnel *t)
{
	return t->role;
}

bool
l2tp_tunnel_is_up(const struct l2tp_tunnel *t)
{
	return t->state == L2TP_TUNNEL_ESTABLISHED;
}

struct l2tp_session *
l2tp_tunnel_find_session(struct l2tp_tunnel *t, uint16_t local_id)
{
	return idpool_get(&t->sessions, local_id);
}

void
l2tp_tunnel_foreach_session(struct l2tp_tunnel *t,
    void (*fn)(struct l2tp_session *s, void *arg), void *arg)
{
	uint32_t cur = 0;
	struct l2tp_session *s;

	/* Closing a session only releases its ID, so fn may close. */
	while ((s = idpool_next(&t->sessions, &cur, NULL)) != NULL)
		fn(s, arg);
}
