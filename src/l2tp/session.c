/*
 * session.c — L2TP call state machines (RFC 2661 §7.4, §7.5) and data
 * messages (§3.1, §5.4 sequencing).
 *
 * Session IDs are chosen by the receiving side (§3.1): ours come from the
 * tunnel's idpool (random, unique in the tunnel), the peer's arrive in its
 * Assigned Session ID AVP.  Incoming calls:
 *
 *   LAC (§7.4.1): open → WAIT_TUNNEL → (tunnel up) ICRQ → WAIT_REPLY
 *                 → ICRP / send ICCN → ESTABLISHED
 *   LNS (§7.4.2): ICRQ / session_request / send ICRP → WAIT_CONNECT
 *                 → ICCN → ESTABLISHED
 * Outgoing calls:
 *   LAC (§7.5.1): OCRQ / session_request / send OCRP → WAIT_CS_ANSWER
 *                 → l2tp_session_outgoing_connected / send OCCN
 *                 → ESTABLISHED
 *   LNS (§7.5.2): open_outgoing → WAIT_TUNNEL → (tunnel up) OCRQ
 *                 → WAIT_REPLY → OCRP → WAIT_CONNECT → OCCN → ESTABLISHED
 * CDN either way → CLOSED: session_down, then freed from the host.
 *
 * Messages that do not fit the state follow the RFC tables: "Send CDN,
 * Clean up" for a known session in the wrong state; silently ignored for
 * unknown session IDs (§7.4.1/§7.4.2 idle rows: "Receive ICCN, ICRP, CDN:
 * Clean up"), since a CDN needs the peer's session ID, which we do not know.
 * The "Send CDN" of an FSM error carries result 2 (general error): §4.4.2
 * has no FSM-error code for calls, unlike StopCCN's 7.
 *
 * A CDN sent before the sender learnt our session ID arrives with Session
 * ID 0; its Assigned Session ID AVP names the call (§3.1, §4.4.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/buf.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "l2tp/data_hdr.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

_Static_assert(L2TP_DATA_HEADROOM == DATA_HDR_MAX,
    "l2tp.h states the data header's headroom");

/*
 * Where l2tp_session_send_data() builds a data message whose frame has no
 * headroom (PPP control frames, relayed frames): one buffer for the process,
 * not the stack, as ops->send does not keep the datagram.
 */
static uint8_t data_txbuf[DATA_HDR_MAX + L2TP_DATA_MAX_FRAME];

const char *
l2tp_session_state_str(enum l2tp_session_state s)
{
	switch (s) {
	case L2TP_SESSION_IDLE:
		return "idle";
	case L2TP_SESSION_WAIT_TUNNEL:
		return "wait-tunnel";
	case L2TP_SESSION_WAIT_REPLY:
		return "wait-reply";
	case L2TP_SESSION_WAIT_CONNECT:
		return "wait-connect";
	case L2TP_SESSION_WAIT_CS_ANSWER:
		return "wait-cs-answer";
	case L2TP_SESSION_ESTABLISHED:
		return "established";
	case L2TP_SESSION_CLOSED:
		return "closed";
	}
	return "?";
}

static void session_log(const struct l2tp_session *s, enum log_level lvl,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
session_log(const struct l2tp_session *s, enum log_level lvl, const char *fmt,
    ...)
{
	char line[512];
	va_list ap;

	if (!log_enabled(lvl))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(lvl, "session %u/%u (tunnel %u): %s", s->local_id, s->peer_id,
	    s->tunnel->local_id, line);
}

static void
session_set_state(struct l2tp_session *s, enum l2tp_session_state st)
{
	session_log(s, LOG_LEVEL_INFO, "%s -> %s",
	    l2tp_session_state_str(s->state), l2tp_session_state_str(st));
	s->state = st;
}

static struct l2tp_session *
session_new(struct l2tp_tunnel *t, bool lac, bool outgoing, uint64_t now)
{
	struct l2tp_host *h = t->host;
	struct l2tp_session *s;
	uint64_t setup_ms;

	if (h->cfg.max_sessions > 0 && h->nsessions >= h->cfg.max_sessions)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((lac && (s->params = calloc(1, sizeof(*s->params))) == NULL) ||
	    (!lac && outgoing &&
		(s->out = calloc(1, sizeof(*s->out))) == NULL) ||
	    (s->local_id = idpool_alloc(&t->sessions, s)) == 0) {
		session_free(s);
		return NULL;
	}
	s->tunnel = t;
	s->lac = lac;
	s->outgoing = outgoing;
	s->state = L2TP_SESSION_IDLE;
	s->created_ms = now;
	/* Unsequenced until the ICCN/OCCN says otherwise (§4.4.6). */
	data_seq_init_fixed(&s->dseq, false);
	heap_node_init(&s->timer);
	/* Give up on a call that makes no progress (CDN result 10). */
	setup_ms = l2tp_call_setup_ms(&h->cfg);
	if (setup_ms > 0 &&
	    heap_set(&t->session_timers, &s->timer, now + setup_ms) < 0) {
		idpool_release(&t->sessions, s->local_id);
		session_free(s);
		return NULL;
	}
	h->nsessions++;
	h->stats.sessions_created++;
	return s;
}

/*
 * Data before the ICCN (RFC 2661 §7.4.1: the LAC's call is up once it sends
 * ICCN, and its first PPP frames travel as data messages, outside the
 * control channel's reliable delivery): a lost or reordered ICCN reaches
 * us after them.  Dropping them costs the peer an LCP restart (3 s), so a
 * session in wait-connect keeps the first few and delivers them right after
 * session_up.  Bounded per session; freed on CDN, timeout or teardown.
 */
#define SESSION_MAX_HELD 4

struct l2tp_held {
	struct l2tp_held *next;
	bool has_seq;
	uint16_t ns;
	size_t len;
	uint8_t data[];
};

static void
held_free(struct l2tp_session *s)
{
	struct l2tp_held *d;

	while ((d = s->held) != NULL) {
		s->held = d->next;
		free(d);
	}
	s->nheld = 0;
}

static bool
held_add(struct l2tp_session *s, const struct data_hdr *h,
    const uint8_t *payload)
{
	struct l2tp_held *d, **pp;

	if (s->nheld >= SESSION_MAX_HELD ||
	    (d = malloc(sizeof(*d) + h->payload_len)) == NULL)
		return false;
	d->next = NULL;
	d->has_seq = h->has_seq;
	d->ns = h->ns;
	d->len = h->payload_len;
	memcpy(d->data, payload, h->payload_len);
	for (pp = &s->held; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = d;
	s->nheld++;
	return true;
}

void
session_free(struct l2tp_session *s)
{
	held_free(s);
	free(s->proxy);
	free(s->params);
	if (!s->outgoing)
		free(s->calling);
	else
		free(s->out);
	free(s);
}

static void
session_send_cdn_to(struct l2tp_tunnel *t, uint16_t peer_sid,
    uint16_t local_sid, uint16_t result, uint16_t error, const char *text,
    uint64_t now)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_CDN, t->peer_id, peer_sid);
	m.result.result = result;
	m.result.error = error;
	m.result.has_error = error != 0 || (text != NULL && *text != '\0');
	if (text != NULL)
		strlcpy(m.result.message, text, sizeof(m.result.message));
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	/* §4.4.4 wants a non-zero Assigned Session ID; refusing a call we
	 * made no session for, any unused value does. */
	while (local_sid == 0) {
		local_sid = random_u16();
		if (idpool_get(&t->sessions, local_sid) != NULL)
			local_sid = 0;
	}
	m.assigned_session_id = local_sid;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	(void)tunnel_send_msg(t, &m, now);
	if (result < L2TP_NITEMS(t->host->stats.cdn_sent))
		t->host->stats.cdn_sent[result]++;
}

/* Takes a call off its tunnel's list of queued ICCN/OCCNs (the message
 * itself still leaves: the xport cannot take it back, and the CDN that
 * follows is queued behind it). */
static void
connect_unlink(struct l2tp_session *s)
{
	struct l2tp_tunnel *t = s->tunnel;
	struct l2tp_session **pp, *prev = NULL;

	if (!s->connect_queued)
		return;
	for (pp = &t->connect_head; *pp != NULL && *pp != s;
	     pp = &(*pp)->connect_next)
		prev = *pp;
	if (*pp == s) {
		*pp = s->connect_next;
		if (t->connect_tail == s)
			t->connect_tail = prev;
	}
	s->connect_next = NULL;
	s->connect_queued = false;
}

/*
 * The one way out: optional CDN, CLOSED, session_down (if the role knows
 * the session), unlinked from the tunnel, freed later by the host.
 */
static void
session_end(struct l2tp_session *s, bool send_cdn, uint16_t result,
    uint16_t error, const char *text, uint64_t now)
{
	struct l2tp_tunnel *t = s->tunnel;
	struct l2tp_host *h = t->host;

	if (s->state == L2TP_SESSION_CLOSED)
		return;
	/* No CDN before the peer knows the call (WAIT_TUNNEL) or once the
	 * tunnel is gone (StopCCN clears every session, §5.7). */
	if (send_cdn && s->state != L2TP_SESSION_WAIT_TUNNEL &&
	    t->state == L2TP_TUNNEL_ESTABLISHED) {
		session_log(s, LOG_LEVEL_INFO,
		    "sending CDN result %u (%s) "
		    "error %u",
		    result, l2tp_cdn_result_str(result), error);
		session_send_cdn_to(t, s->peer_id, s->local_id, result, error,
		    text, now);
	}
	connect_unlink(s);
	session_set_state(s, L2TP_SESSION_CLOSED);
	held_free(s);
	h->stats.sessions_closed++;
	heap_remove(&t->session_timers, &s->timer);
	if (s->announced && h->ops->session_down != NULL)
		h->ops->session_down(h->ctx, s, now);
	s->user = NULL;
	idpool_release(&t->sessions, s->local_id);
	h->nsessions--;
	s->dead_next = h->graveyard;
	h->graveyard = s;
	host_reschedule(t);
}

static void
session_fsm_error(struct l2tp_session *s, const struct l2tp_msg *m,
    uint64_t now)
{
	session_log(s, LOG_LEVEL_WARN, "recv %s in %s",
	    l2tp_msg_type_str(m->type), l2tp_session_state_str(s->state));
	/* §7.4.1/§7.4.2: "Send CDN, Clean up". */
	session_end(s, true, L2TP_CDN_ERROR, L2TP_ERR_NONE,
	    "unexpected message for the call state", now);
}

static void session_deliver(struct l2tp_session *s, const struct data_hdr *h,
    const uint8_t *payload);

/* After session_up: the frames that came before the ICCN/OCCN, in order,
 * while the session stays up (delivery may end it). */
static void
held_deliver(struct l2tp_session *s)
{
	struct l2tp_held *d;

	while (s->state == L2TP_SESSION_ESTABLISHED && (d = s->held) != NULL) {
		s->held = d->next;
		s->nheld--;
		session_deliver(s,
		    &(const struct data_hdr){ .has_seq = d->has_seq,
			.ns = d->ns,
			.payload_len = (uint16_t)d->len },
		    d->data);
		free(d);
	}
	held_free(s);
}

/*
 * A LAC's incoming call once its ICCN is out: the call parameters and the
 * proxy AVPs were for the ICRQ and ICCN only.  What is still asked of
 * them, the Calling Number (l2tp_session_calling_number), moves to a copy
 * of its own length; at 10,000 calls that is ~4.6 KB each less.
 */
static void
lac_call_trim(struct l2tp_session *s)
{
	if (s->proxy != NULL) {
		explicit_bzero(s->proxy, sizeof(*s->proxy));
		free(s->proxy);
		s->proxy = NULL;
	}
	if (s->params == NULL)
		return;
	if (s->params->calling_number[0] != '\0' &&
	    (s->calling = strdup(s->params->calling_number)) == NULL)
		return; /* no memory: keep the parameters */
	free(s->params);
	s->params = NULL;
}

static void
session_established(struct l2tp_session *s, const struct l2tp_msg *connect)
{
	struct l2tp_host *h = s->tunnel->host;

	session_set_state(s, L2TP_SESSION_ESTABLISHED);
	heap_remove(&s->tunnel->session_timers, &s->timer);
	/* §6.8/§6.11: both are required in ICCN/OCCN. */
	s->conn_tx_speed = connect->tx_connect_speed;
	s->conn_framing = connect->framing_type;
	s->conn_rx_speed = l2tp_msg_has(connect, L2TP_AVP_RX_CONNECT_SPEED) ?
	    connect->rx_connect_speed :
	    connect->tx_connect_speed;
	h->stats.sessions_established++;
	if (h->ops->session_up != NULL)
		h->ops->session_up(h->ctx, s, connect, h->now);
	held_deliver(s);
	if (s->lac && !s->outgoing && s->state == L2TP_SESSION_ESTABLISHED)
		lac_call_trim(s);
}

/* ---- LAC incoming (§7.4.1) ---- */

/* A switched call's ICRQ (l2tp_call_params.forward): every AVP the
 * first ICRQ carried (§6.6: Bearer Type, Physical Channel ID, Calling and
 * Called Number, Sub-Address, and whatever else it decoded to), so that
 * the LNS learns about the call what the first LAC said; not the
 * identifiers, which are this session's own (§4.4.4). */
static void
session_copy_forward(const struct l2tp_msg *src, struct l2tp_msg *m)
{
	const uint64_t own = L2TP_AVP_BIT(L2TP_AVP_MESSAGE_TYPE) |
	    L2TP_AVP_BIT(L2TP_AVP_ASSIGNED_SESSION_ID) |
	    L2TP_AVP_BIT(L2TP_AVP_CALL_SERIAL_NUMBER);
	const struct l2tp_hdr hdr = m->hdr;
	const enum l2tp_msg_type type = m->type;

	*m = *src;
	m->hdr = hdr;
	m->type = type;
	m->present = src->present & ~own;
	m->hidden = 0; /* hidden or not is this tunnel's choice (§4.3) */
}

static int
session_send_icrq(struct l2tp_session *s, uint64_t now)
{
	const struct l2tp_call_params *p = s->params;
	struct l2tp_msg m;

	/* §6.6: Assigned Session ID and Call Serial Number are required. */
	l2tp_msg_init(&m, L2TP_MSG_ICRQ, s->tunnel->peer_id, 0);
	if (p->forward != NULL)
		session_copy_forward(p->forward, &m);
	m.assigned_session_id = s->local_id;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.call_serial = s->call_serial;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	if (p->bearer_type != 0) {
		m.bearer_type = p->bearer_type;
		l2tp_msg_set(&m, L2TP_AVP_BEARER_TYPE);
	}
	if (p->calling_number[0] != '\0') {
		strlcpy(m.calling_number, p->calling_number,
		    sizeof(m.calling_number));
		l2tp_msg_set(&m, L2TP_AVP_CALLING_NUMBER);
	}
	if (p->called_number[0] != '\0') {
		strlcpy(m.called_number, p->called_number,
		    sizeof(m.called_number));
		l2tp_msg_set(&m, L2TP_AVP_CALLED_NUMBER);
	}
	/* RFC 5515 §3: the access line, in ICRQ; a switched call keeps the
	 * one its incoming ICRQ carried (copied above) unless given one. */
	if (p->forward == NULL || p->access_line.present != 0)
		m.access_line = p->access_line;
	if (tunnel_send_msg(s->tunnel, &m, now) < 0)
		return -1;
	session_set_state(s, L2TP_SESSION_WAIT_REPLY);
	return 0;
}

/* ---- LNS outgoing (§7.5.2) ---- */

static int
session_send_ocrq(struct l2tp_session *s, uint64_t now)
{
	const struct l2tp_outgoing_params *p = s->out;
	struct l2tp_tunnel *t = s->tunnel;
	struct l2tp_msg m;

	/* §6.9: "An LNS MUST have received a Bearer Capabilities AVP during
	 * tunnel establishment from an LAC in order to request an outgoing
	 * call to that LAC." */
	if (!t->peer_has_bearer_cap) {
		session_log(s, LOG_LEVEL_WARN,
		    "peer announced no Bearer "
		    "Capabilities: no outgoing call (RFC 2661 §6.9)");
		return -1;
	}
	/* §6.9: every one of these is required in OCRQ. */
	l2tp_msg_init(&m, L2TP_MSG_OCRQ, t->peer_id, 0);
	m.assigned_session_id = s->local_id;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.call_serial = s->call_serial;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	m.min_bps = p->min_bps;
	l2tp_msg_set(&m, L2TP_AVP_MIN_BPS);
	m.max_bps = p->max_bps;
	l2tp_msg_set(&m, L2TP_AVP_MAX_BPS);
	m.bearer_type = p->bearer_type != 0 ?
	    p->bearer_type :
	    t->peer_bearer_cap & (L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG);
	l2tp_msg_set(&m, L2TP_AVP_BEARER_TYPE);
	m.framing_type = p->framing_type;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
	strlcpy(m.called_number, p->called_number, sizeof(m.called_number));
	l2tp_msg_set(&m, L2TP_AVP_CALLED_NUMBER);
	if (p->sub_address[0] != '\0') {
		strlcpy(m.sub_address, p->sub_address, sizeof(m.sub_address));
		l2tp_msg_set(&m, L2TP_AVP_SUB_ADDRESS);
	}
	if (tunnel_send_msg(t, &m, now) < 0)
		return -1;
	session_set_state(s, L2TP_SESSION_WAIT_REPLY);
	return 0;
}

static void
session_recv_ocrp(struct l2tp_session *s, const struct l2tp_msg *m)
{
	/* §7.5.2 wait-reply: "Receive OCRP, acceptable: none → wait-connect".
	 * From here on our messages carry the LAC's session ID (§4.4.4). */
	s->peer_id = m->assigned_session_id;
	if (l2tp_msg_has(m, L2TP_AVP_PHYSICAL_CHANNEL_ID))
		session_log(s, LOG_LEVEL_DEBUG,
		    "LAC dials on physical "
		    "channel %u",
		    m->physical_channel);
	session_set_state(s, L2TP_SESSION_WAIT_CONNECT);
}

/* §4.4.5 proxy AVPs the LAC forwards in ICCN, when the role gave them. */
static const enum l2tp_avp_type session_proxy_avps[] = {
	L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ,
	L2TP_AVP_LAST_SENT_LCP_CONFREQ,
	L2TP_AVP_LAST_RCVD_LCP_CONFREQ,
	L2TP_AVP_PROXY_AUTHEN_TYPE,
	L2TP_AVP_PROXY_AUTHEN_NAME,
	L2TP_AVP_PROXY_AUTHEN_CHALLENGE,
	L2TP_AVP_PROXY_AUTHEN_ID,
	L2TP_AVP_PROXY_AUTHEN_RESPONSE,
	L2TP_AVP_PRIVATE_GROUP_ID,
};

static void
session_copy_proxy(const struct l2tp_msg *src, struct l2tp_msg *m)
{
	if (src == NULL)
		return;
	m->initial_rcvd_confreq = src->initial_rcvd_confreq;
	m->last_sent_confreq = src->last_sent_confreq;
	m->last_rcvd_confreq = src->last_rcvd_confreq;
	m->proxy_authen_type = src->proxy_authen_type;
	strlcpy(m->proxy_authen_name, src->proxy_authen_name,
	    sizeof(m->proxy_authen_name));
	m->proxy_authen_challenge = src->proxy_authen_challenge;
	m->proxy_authen_id = src->proxy_authen_id;
	m->proxy_authen_response = src->proxy_authen_response;
	m->private_group_id = src->private_group_id;
	for (size_t i = 0; i < L2TP_NITEMS(session_proxy_avps); i++)
		if (l2tp_msg_has(src, session_proxy_avps[i]))
			l2tp_msg_set(m, session_proxy_avps[i]);
}

/* §6.8 ICCN / §6.9 OCCN: connect speed and framing type are required. */
static void
session_fill_connect(const struct l2tp_session *s, struct l2tp_msg *m)
{
	const struct l2tp_call_params *p = s->params;

	m->tx_connect_speed = p->tx_connect_speed;
	l2tp_msg_set(m, L2TP_AVP_TX_CONNECT_SPEED);
	m->framing_type = p->framing_type ? p->framing_type : L2TP_FRAMING_SYNC;
	l2tp_msg_set(m, L2TP_AVP_FRAMING_TYPE);
	if (p->rx_connect_speed != 0) {
		m->rx_connect_speed = p->rx_connect_speed;
		l2tp_msg_set(m, L2TP_AVP_RX_CONNECT_SPEED);
	}
	/* §4.4.6: both ends then put sequence numbers on data messages. */
	if (p->sequencing_required)
		l2tp_msg_set(m, L2TP_AVP_SEQUENCING_REQUIRED);
}

/* §6.8 ICCN / §6.11 OCCN as we send it (and as session_up reports it). */
static void
session_build_connect(const struct l2tp_session *s, struct l2tp_msg *cn)
{
	l2tp_msg_init(cn, s->outgoing ? L2TP_MSG_OCCN : L2TP_MSG_ICCN,
	    s->tunnel->peer_id, s->peer_id);
	session_fill_connect(s, cn);
	if (!s->outgoing)
		session_copy_proxy(s->proxy, cn);
}

/*
 * Sends the ICCN (§7.4.1) or OCCN (§7.5.1) that makes our side of the call
 * established.  §7.4.1: the LAC is established once it *sends* the ICCN,
 * and §5.4 lets the LNS discard data of a call without one; a connect
 * message queued behind a full control window has not been sent, so the
 * call stays in wait-reply / wait-cs-answer (no session_up, no data) until
 * the xport transmits it: session_connect_sent().
 */
static void
session_send_connect(struct l2tp_session *s, uint64_t now)
{
	struct l2tp_tunnel *t = s->tunnel;
	uint16_t ns = xport_next_ns(&t->xp);
	struct l2tp_msg cn;

	session_build_connect(s, &cn);
	data_seq_init_fixed(&s->dseq, s->params->sequencing_required);
	if (tunnel_send_msg(t, &cn, now) < 0) {
		session_end(s, true, L2TP_CDN_NO_RESOURCES, 0, NULL, now);
		return;
	}
	if (xport_was_sent(&t->xp, ns)) {
		session_established(s, &cn);
		return;
	}
	session_log(s, LOG_LEVEL_DEBUG,
	    "%s queued behind a full control "
	    "window; the call is up once it is sent",
	    l2tp_msg_type_str(cn.type));
	s->connect_ns = ns;
	s->connect_queued = true;
	s->connect_next = NULL;
	if (t->connect_tail != NULL)
		t->connect_tail->connect_next = s;
	else
		t->connect_head = s;
	t->connect_tail = s;
}

void
session_connect_sent(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;
	struct l2tp_msg cn;

	/* In Ns order, like the xport sends them; session_up may end calls
	 * (connect_unlink) or the tunnel (session_all_down empties the
	 * list), so the head is read afresh each time. */
	while ((s = t->connect_head) != NULL &&
	    xport_was_sent(&t->xp, s->connect_ns)) {
		connect_unlink(s);
		session_build_connect(s, &cn);
		session_established(s, &cn);
	}
}

static void
session_recv_icrp(struct l2tp_session *s, const struct l2tp_msg *m,
    uint64_t now)
{
	if (s->connect_queued) {
		/* our ICCN is out already, as far as the FSM goes */
		session_fsm_error(s, m, now);
		return;
	}
	s->peer_id = m->assigned_session_id;
	session_send_connect(s, now);
}

/* ---- LNS incoming (§7.4.2) and LAC outgoing (§7.5.1) requests ---- */

static void
session_recv_request(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    uint64_t now)
{
	struct l2tp_host *h = t->host;
	bool outgoing = m->type == L2TP_MSG_OCRQ;
	struct l2tp_session *s;
	struct l2tp_msg rp;
	int rc = 0;

	s = session_new(t, outgoing, outgoing, now);
	if (s == NULL) {
		tunnel_log(t, LOG_LEVEL_WARN,
		    "refusing %s for peer session "
		    "%u: session limit or no memory",
		    l2tp_msg_type_str(m->type), m->assigned_session_id);
		session_send_cdn_to(t, m->assigned_session_id, 0,
		    L2TP_CDN_NO_RESOURCES, 0, NULL, now);
		return;
	}
	s->peer_id = m->assigned_session_id;
	s->call_serial = m->call_serial;
	s->announced = true;
	/* §4.4.5 Calling Number of an incoming call, for the role (RADIUS
	 * Calling-Station-Id); a call without it costs nothing. */
	if (!outgoing && l2tp_msg_has(m, L2TP_AVP_CALLING_NUMBER) &&
	    m->calling_number[0] != '\0' &&
	    (s->calling = strdup(m->calling_number)) == NULL)
		tunnel_log(t, LOG_LEVEL_WARN,
		    "no memory to keep the Calling "
		    "Number of peer session %u",
		    m->assigned_session_id);
	if (outgoing) {
		/* §6.11: the OCCN's Framing Type must be one the OCRQ
		 * allowed (§6.9); sync when both are. */
		s->params->bearer_type = m->bearer_type;
		s->params->framing_type = (m->framing_type &
					      L2TP_FRAMING_SYNC) ||
			!(m->framing_type & L2TP_FRAMING_ASYNC) ?
		    L2TP_FRAMING_SYNC :
		    L2TP_FRAMING_ASYNC;
	}
	session_log(s, LOG_LEVEL_INFO, "recv %s, serial %u",
	    l2tp_msg_type_str(m->type), m->call_serial);
	if (h->ops->session_request != NULL)
		rc = h->ops->session_request(h->ctx, s, m, now);
	if (s->state != L2TP_SESSION_IDLE)
		return; /* the role closed it already */
	if (rc != 0) {
		session_end(s, true, (uint16_t)rc, 0, NULL, now);
		return;
	}
	l2tp_msg_init(&rp, outgoing ? L2TP_MSG_OCRP : L2TP_MSG_ICRP, t->peer_id,
	    s->peer_id);
	rp.assigned_session_id = s->local_id;
	l2tp_msg_set(&rp, L2TP_AVP_ASSIGNED_SESSION_ID);
	if (tunnel_send_msg(t, &rp, now) < 0) {
		session_end(s, true, L2TP_CDN_NO_RESOURCES, 0, NULL, now);
		return;
	}
	session_set_state(s,
	    outgoing ? L2TP_SESSION_WAIT_CS_ANSWER : L2TP_SESSION_WAIT_CONNECT);
}

static void
session_recv_connect(struct l2tp_session *s, const struct l2tp_msg *m)
{
	/* §4.4.6 Sequencing Required: data carries Ns/Nr both ways. */
	data_seq_init_fixed(&s->dseq,
	    l2tp_msg_has(m, L2TP_AVP_SEQUENCING_REQUIRED));
	session_established(s, m);
}

static void
session_recv_cdn(struct l2tp_session *s, const struct l2tp_msg *m, uint64_t now)
{
	struct l2tp_host *h = s->tunnel->host;
	uint16_t r = m->result.result;

	if (r < L2TP_NITEMS(h->stats.cdn_rcvd))
		h->stats.cdn_rcvd[r]++;
	/* kept for session_down: a LAC tells the LNS's trouble from the
	 * user's by it (roles/lac_lns.c) */
	s->cdn_rcvd = (uint8_t)((r < 15 ? r : 15) |
	    (m->result.error < 15 ? m->result.error : 15) << 4);
	session_log(s, LOG_LEVEL_INFO, "recv CDN result %u (%s) error %u%s%s",
	    r, l2tp_cdn_result_str(r), m->result.error,
	    m->result.message[0] ? ": " : "", m->result.message);
	if (l2tp_msg_has(m, L2TP_AVP_Q931_CAUSE))
		session_log(s, LOG_LEVEL_INFO, "Q.931 cause %u msg %u%s%s",
		    m->q931.cause, m->q931.msg, m->q931.advisory[0] ? ": " : "",
		    m->q931.advisory);
	session_end(s, false, 0, 0, NULL, now);
}

/* §7.4, §7.5: one switch on the call state, then on the message type. */
static void
session_event(struct l2tp_session *s, const struct l2tp_msg *m, uint64_t now)
{
	if (m->type == L2TP_MSG_CDN) {
		/* Every state: "Receive CDN: Clean up". */
		session_recv_cdn(s, m, now);
		return;
	}
	switch (s->state) {
	case L2TP_SESSION_IDLE:
	case L2TP_SESSION_WAIT_TUNNEL:
		/* §7.4.1 idle: "Receive ICCN, ICRP, CDN: Clean up". */
		session_end(s, false, 0, 0, NULL, now);
		return;
	case L2TP_SESSION_WAIT_REPLY:
		if (m->type == L2TP_MSG_ICRP && !s->outgoing) {
			session_recv_icrp(s, m, now);
			return;
		}
		if (m->type == L2TP_MSG_OCRP && s->outgoing && !s->lac) {
			session_recv_ocrp(s, m);
			return;
		}
		break;
	case L2TP_SESSION_WAIT_CONNECT:
		/* §7.4.2 "Receive ICCN", §7.5.2 "Receive OCCN": the call is
		 * up; the same AVPs say how (§6.8, §6.11). */
		if ((m->type == L2TP_MSG_ICCN && !s->outgoing) ||
		    (m->type == L2TP_MSG_OCCN && s->outgoing && !s->lac)) {
			session_recv_connect(s, m);
			return;
		}
		break;
	case L2TP_SESSION_WAIT_CS_ANSWER:
		break;
	case L2TP_SESSION_ESTABLISHED:
		if (m->type == L2TP_MSG_WEN) {
			/* §6.14: informational, for the LNS's statistics. */
			session_log(s, LOG_LEVEL_DEBUG,
			    "WEN: crc %u framing "
			    "%u hw-overrun %u buffer-overrun %u timeout %u "
			    "alignment %u",
			    m->call_errors.crc_errors,
			    m->call_errors.framing_errors,
			    m->call_errors.hw_overruns,
			    m->call_errors.buffer_overruns,
			    m->call_errors.timeout_errors,
			    m->call_errors.alignment_errors);
			return;
		}
		if (m->type == L2TP_MSG_SLI) {
			/* §6.15: ACCM for an async link; PPP owns ACCM. */
			session_log(s, LOG_LEVEL_DEBUG,
			    "SLI: send ACCM "
			    "0x%08x recv ACCM 0x%08x",
			    m->accm.send, m->accm.recv);
			return;
		}
		break;
	case L2TP_SESSION_CLOSED:
		return;
	}
	session_fsm_error(s, m, now);
}

static struct l2tp_session *
session_find_by_peer_id(struct l2tp_tunnel *t, uint16_t peer_id)
{
	uint32_t cur = 0;
	struct l2tp_session *s;

	if (peer_id == 0)
		return NULL;
	while ((s = idpool_next(&t->sessions, &cur, NULL)) != NULL)
		if (s->peer_id == peer_id && s->state != L2TP_SESSION_CLOSED)
			return s;
	return NULL;
}

void
session_recv(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint64_t now)
{
	struct l2tp_session *s;

	if (m->hdr.session_id == 0) {
		if (m->type == L2TP_MSG_ICRQ || m->type == L2TP_MSG_OCRQ) {
			session_recv_request(t, m, now);
			return;
		}
		/* §4.4.4: "In the CDN control message, the same Assigned
		 * Session ID AVP first sent to the receiving peer is used,
		 * permitting the peer to identify the appropriate [session]
		 * even if CDN is sent before an Assigned Session ID is
		 * received."  §3.1: with Session ID 0 the AVP "MUST be used
		 * to identify the session". */
		if (m->type == L2TP_MSG_CDN &&
		    (s = session_find_by_peer_id(t, m->assigned_session_id)) !=
			NULL) {
			session_recv_cdn(s, m, now);
			return;
		}
		/* §7.4.2 idle: "Receive ICCN: Clean up" — no call to clean. */
		host_drop(t->host, L2TP_DROP_UNKNOWN_SESSION);
		LOG_RL(LOG_LEVEL_INFO,
		    "tunnel %u/%u: %s without session ID "
		    "ignored",
		    t->local_id, t->peer_id, l2tp_msg_type_str(m->type));
		return;
	}
	s = idpool_get(&t->sessions, m->hdr.session_id);
	if (s == NULL) {
		host_drop(t->host, L2TP_DROP_UNKNOWN_SESSION);
		LOG_RL(LOG_LEVEL_INFO,
		    "tunnel %u/%u: %s for unknown session "
		    "%u ignored",
		    t->local_id, t->peer_id, l2tp_msg_type_str(m->type),
		    m->hdr.session_id);
		return;
	}
	session_event(s, m, now);
}

void
session_reject(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    const struct l2tp_err *err, uint64_t now)
{
	struct l2tp_session *s = NULL;

	if (m->hdr.session_id != 0)
		s = idpool_get(&t->sessions, m->hdr.session_id);
	tunnel_log(t, LOG_LEVEL_WARN, "rejecting %s for session %u: %s",
	    l2tp_msg_type_str(m->type), m->hdr.session_id,
	    err->reason ? err->reason : "?");
	if (s != NULL) {
		session_end(s, true, L2TP_CDN_ERROR, err->error, err->reason,
		    now);
	} else if ((m->type == L2TP_MSG_ICRQ || m->type == L2TP_MSG_OCRQ) &&
	    l2tp_msg_has(m, L2TP_AVP_ASSIGNED_SESSION_ID)) {
		/* A call we never created: answer statelessly. */
		session_send_cdn_to(t, m->assigned_session_id, 0,
		    L2TP_CDN_ERROR, err->error, err->reason, now);
	} else {
		host_drop(t->host, L2TP_DROP_MALFORMED);
	}
}

void
session_tunnel_up(struct l2tp_tunnel *t, uint64_t now)
{
	uint32_t cur = 0;
	struct l2tp_session *s;

	/* Sending does not add sessions to the pool, so the walk is safe. */
	while ((s = idpool_next(&t->sessions, &cur, NULL)) != NULL) {
		/* A full control queue ends the call: the role hears
		 * session_down rather than waiting for the setup timer. */
		if (s->state != L2TP_SESSION_WAIT_TUNNEL)
			continue;
		if ((s->outgoing ? session_send_ocrq(s, now) :
				   session_send_icrq(s, now)) < 0)
			session_end(s, false, 0, 0, NULL, now);
	}
}

void
session_all_down(struct l2tp_tunnel *t)
{
	uint64_t now = t->host->now;
	uint32_t cur = 0;
	struct l2tp_session *s;

	/* Their queued ICCN/OCCNs die with the tunnel: no walk per call. */
	while ((s = t->connect_head) != NULL) {
		t->connect_head = s->connect_next;
		s->connect_next = NULL;
		s->connect_queued = false;
	}
	t->connect_tail = NULL;
	/* session_end() only tombstones slots; the tunnel is CLOSING, so no
	 * session can be added (and the pool grown) from a callback. */
	while ((s = idpool_next(&t->sessions, &cur, NULL)) != NULL)
		session_end(s, false, 0, 0, NULL, now);
}

uint64_t
session_next_deadline(const struct l2tp_tunnel *t)
{
	struct heap_node *n = heap_min(&t->session_timers);

	return n != NULL ? n->key : TIME_NEVER;
}

void
session_run_timers(struct l2tp_tunnel *t, uint64_t now)
{
	struct heap_node *n;

	while ((n = heap_min(&t->session_timers)) != NULL && n->key <= now) {
		struct l2tp_session *s =
		    (struct l2tp_session *)(void *)((char *)n -
			offsetof(struct l2tp_session, timer));

		heap_remove(&t->session_timers, n);
		session_log(s, LOG_LEVEL_WARN, "call setup timed out in %s",
		    l2tp_session_state_str(s->state));
		session_end(s, true, L2TP_CDN_TIMEOUT, 0,
		    "call not established in time", now);
	}
}

/* ---- data messages (§3.1, §5.4) ---- */

void
session_data_input(struct l2tp_tunnel *t, const struct data_hdr *h,
    const uint8_t *pkt, size_t len)
{
	struct l2tp_host *hst = t->host;
	struct l2tp_session *s = idpool_get(&t->sessions, h->session_id);

	if (s == NULL) {
		host_drop(hst, L2TP_DROP_UNKNOWN_SESSION);
		LOG_RL(LOG_LEVEL_DEBUG,
		    "tunnel %u/%u: data for unknown "
		    "session %u",
		    t->local_id, t->peer_id, h->session_id);
		return;
	}
	if ((size_t)h->payload_off + h->payload_len > len)
		return;
	if (s->state == L2TP_SESSION_WAIT_CONNECT && !s->lac &&
	    held_add(s, h, pkt + h->payload_off))
		return;
	if (s->state != L2TP_SESSION_ESTABLISHED) {
		host_drop(hst, L2TP_DROP_DATA_NOT_UP);
		return;
	}
	session_deliver(s, h, pkt + h->payload_off);
}

static void
session_deliver(struct l2tp_session *s, const struct data_hdr *h,
    const uint8_t *payload)
{
	struct l2tp_tunnel *t = s->tunnel;
	struct l2tp_host *hst = t->host;
	uint16_t expected = s->dseq.nr;

	/* §5.4: a data message older than the last one delivered is stale
	 * (reordered or duplicated): PPP gets frames in order or not at
	 * all (data_seq_rx). */
	if (data_seq_rx(&s->dseq, h) != DATA_SEQ_ACCEPT) {
		host_drop(hst, L2TP_DROP_OUT_OF_WINDOW);
		LOG_RL(LOG_LEVEL_DEBUG,
		    "session %u/%u (tunnel %u): "
		    "stale data Ns %u, expected %u",
		    s->local_id, s->peer_id, t->local_id, h->ns, expected);
		return;
	}
	s->rx_packets++;
	s->rx_bytes += h->payload_len;
	if (hst->ops->session_data != NULL)
		hst->ops->session_data(hst->ctx, s, payload, h->payload_len,
		    hst->now);
}

/* ---- public API ---- */

struct l2tp_session *
l2tp_session_open(struct l2tp_tunnel *t, const struct l2tp_call_params *p,
    uint64_t now)
{
	struct l2tp_host *h = t->host;
	struct l2tp_session *s;

	h->now = now;
	if (t->state == L2TP_TUNNEL_CLOSING)
		return NULL;
	if ((s = session_new(t, true, false, now)) == NULL) {
		tunnel_log(t, LOG_LEVEL_WARN,
		    "cannot open a session: limit "
		    "of %u sessions reached or no memory",
		    h->cfg.max_sessions);
		return NULL;
	}
	*s->params = *p;
	s->params->proxy = NULL;
	if (p->proxy != NULL) {
		if ((s->proxy = malloc(sizeof(*s->proxy))) == NULL) {
			session_end(s, false, 0, 0, NULL, now);
			return NULL;
		}
		*s->proxy = *p->proxy;
	}
	s->call_serial = p->call_serial ? p->call_serial : ++h->call_serial;
	session_log(s, LOG_LEVEL_INFO, "opening incoming call, serial %u",
	    s->call_serial);
	if (t->state != L2TP_TUNNEL_ESTABLISHED)
		session_set_state(s, L2TP_SESSION_WAIT_TUNNEL);
	else if (session_send_icrq(s, now) < 0) {
		session_end(s, false, 0, 0, NULL, now); /* not announced */
		return NULL;
	}
	s->announced = true;
	host_reschedule(t);
	return s;
}

struct l2tp_session *
l2tp_session_open_outgoing(struct l2tp_tunnel *t,
    const struct l2tp_outgoing_params *p, uint64_t now)
{
	struct l2tp_host *h = t->host;
	struct l2tp_session *s;
	uint32_t max_bps = p->max_bps != 0 ? p->max_bps : UINT32_MAX;

	h->now = now;
	if (t->state == L2TP_TUNNEL_CLOSING)
		return NULL;
	/* §6.9: Called Number is required; a BPS range must be one. */
	if (p->called_number[0] == '\0' || p->min_bps > max_bps) {
		tunnel_log(t, LOG_LEVEL_WARN, "outgoing call refused: %s",
		    p->called_number[0] == '\0' ? "no called number" :
						  "minimum BPS above maximum");
		return NULL;
	}
	/* §6.9: only to a LAC that announced Bearer Capabilities, and for a
	 * bearer it has.  Before the tunnel is up this is checked when the
	 * OCRQ would go out. */
	if (t->state == L2TP_TUNNEL_ESTABLISHED &&
	    (!t->peer_has_bearer_cap ||
		(p->bearer_type & ~t->peer_bearer_cap) != 0 ||
		(p->bearer_type == 0 &&
		    (t->peer_bearer_cap &
			(L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG)) == 0))) {
		tunnel_log(t, LOG_LEVEL_WARN,
		    "outgoing call refused: peer "
		    "bearer capabilities 0x%x%s do not allow bearer type 0x%x "
		    "(RFC 2661 §6.9)",
		    t->peer_bearer_cap,
		    t->peer_has_bearer_cap ? "" : " (not announced)",
		    p->bearer_type);
		return NULL;
	}
	if ((s = session_new(t, false, true, now)) == NULL) {
		tunnel_log(t, LOG_LEVEL_WARN,
		    "cannot open a session: limit "
		    "of %u sessions reached or no memory",
		    h->cfg.max_sessions);
		return NULL;
	}
	*s->out = *p;
	s->out->max_bps = max_bps;
	if (s->out->framing_type == 0)
		s->out->framing_type = L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC;
	s->call_serial = p->call_serial ? p->call_serial : ++h->call_serial;
	session_log(s, LOG_LEVEL_INFO, "opening outgoing call to %s, serial %u",
	    p->called_number, s->call_serial);
	if (t->state != L2TP_TUNNEL_ESTABLISHED)
		session_set_state(s, L2TP_SESSION_WAIT_TUNNEL);
	else if (session_send_ocrq(s, now) < 0) {
		session_end(s, false, 0, 0, NULL, now); /* not announced */
		return NULL;
	}
	s->announced = true;
	host_reschedule(t);
	return s;
}

void
l2tp_session_close(struct l2tp_session *s, uint16_t result, uint16_t error,
    const char *text, uint64_t now)
{
	s->tunnel->host->now = now;
	session_end(s, true, result, error, text, now);
}

void
l2tp_session_outgoing_connected(struct l2tp_session *s, uint64_t now)
{
	s->tunnel->host->now = now;
	if (s->state != L2TP_SESSION_WAIT_CS_ANSWER || s->connect_queued) {
		session_log(s, LOG_LEVEL_WARN,
		    "outgoing call connected in %s "
		    "ignored",
		    l2tp_session_state_str(s->state));
		return;
	}
	session_send_connect(s, now);
	host_reschedule(s->tunnel);
}

static bool
session_can_send(const struct l2tp_session *s, size_t len)
{
	return s->state == L2TP_SESSION_ESTABLISHED &&
	    s->tunnel->state == L2TP_TUNNEL_ESTABLISHED &&
	    len <= L2TP_DATA_MAX_FRAME;
}

/* §3.1: T=0, no L and no O; S only when sequencing is required (§4.4.6),
 * with Nr reserved in data messages (§5.8) — data_hdr_push(). */
static uint8_t *
session_push_hdr(struct l2tp_session *s, uint8_t *frame, size_t len,
    size_t headroom)
{
	uint8_t *p = data_hdr_push(frame, headroom, s->tunnel->peer_id,
	    s->peer_id, &s->dseq, false);

	if (p != NULL) {
		s->tx_packets++;
		s->tx_bytes += len;
	}
	return p;
}

int
l2tp_session_send_data(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	struct l2tp_tunnel *t = s->tunnel;
	struct l2tp_host *h = t->host;
	uint8_t *p;

	if (!session_can_send(s, len))
		return -1;
	memcpy(data_txbuf + DATA_HDR_MAX, frame, len);
	p = session_push_hdr(s, data_txbuf + DATA_HDR_MAX, len, DATA_HDR_MAX);
	h->ops->send(h->ctx, &t->local, &t->peer, p,
	    len + (size_t)(data_txbuf + DATA_HDR_MAX - p));
	return 0;
}

static int
session_send_inplace(struct l2tp_session *s, uint8_t *frame, size_t len,
    size_t headroom, bool batch)
{
	struct l2tp_tunnel *t = s->tunnel;
	struct l2tp_host *h = t->host;
	uint8_t *p;

	if (headroom < DATA_HDR_MAX)
		return l2tp_session_send_data(s, frame, len);
	if (!session_can_send(s, len))
		return -1;
	p = session_push_hdr(s, frame, len, headroom);
	(batch && h->ops->send_data != NULL ? h->ops->send_data :
					      h->ops->send)(h->ctx, &t->local,
	    &t->peer, p, len + (size_t)(frame - p));
	return 0;
}

int
l2tp_session_send_data_inplace(struct l2tp_session *s, uint8_t *frame,
    size_t len, size_t headroom)
{
	return session_send_inplace(s, frame, len, headroom, true);
}

int
l2tp_session_send_data_now(struct l2tp_session *s, uint8_t *frame, size_t len,
    size_t headroom)
{
	return session_send_inplace(s, frame, len, headroom, false);
}

struct l2tp_tunnel *
l2tp_session_tunnel(const struct l2tp_session *s)
{
	return s->tunnel;
}

void
l2tp_session_get_info(const struct l2tp_session *s,
    struct l2tp_session_info *info)
{
	memset(info, 0, sizeof(*info));
	info->state = s->state;
	info->tunnel_local_id = s->tunnel->local_id;
	info->local_id = s->local_id;
	info->peer_id = s->peer_id;
	info->call_serial = s->call_serial;
	info->outgoing = s->outgoing;
	info->tx_connect_speed = s->conn_tx_speed;
	info->rx_connect_speed = s->conn_rx_speed;
	info->framing_type = s->conn_framing;
	info->sequencing = s->dseq.send_seq;
	info->rx_packets = s->rx_packets;
	info->tx_packets = s->tx_packets;
	info->rx_bytes = s->rx_bytes;
	info->tx_bytes = s->tx_bytes;
	info->created_ms = s->created_ms;
	info->cdn_result = s->cdn_rcvd & 0x0f;
	info->cdn_error = s->cdn_rcvd >> 4;
}

const char *
l2tp_session_calling_number(const struct l2tp_session *s)
{
	if (s->lac && s->params != NULL)
		return s->params->calling_number;
	if (!s->outgoing && s->calling != NULL)
		return s->calling;
	return "";
}

size_t
l2tp_session_footprint(const struct l2tp_session *s)
{
	const struct l2tp_held *d;
	size_t n = sizeof(*s);

	if (s->params != NULL)
		n += sizeof(*s->params);
	if (s->proxy != NULL)
		n += sizeof(*s->proxy);
	if (s->outgoing && !s->lac && s->out != NULL)
		n += sizeof(*s->out);
	else if (!s->outgoing && s->calling != NULL)
		n += strlen(s->calling) + 1;
	for (d = s->held; d != NULL; d = d->next)
		n += sizeof(*d) + d->len;
	return n;
}

void *
l2tp_session_user(const struct l2tp_session *s)
{
	return s->user;
}

void
l2tp_session_set_user(struct l2tp_session *s, void *user)
{
	s->user = user;
}
