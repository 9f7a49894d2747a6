/*
 * cp.c — the generic RFC 1661 option-negotiation automaton (see cp.h).
 */
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "ppp/cp.h"
#include "ppp/ppp_proto.h"

/* clang-format off */
#define X	CP_ILLEGAL
#define T(next, act)	{ (uint8_t)(next), (uint16_t)(act) }
#define ILL		{ X, 0 }

/*
 * RFC 1661 §4.1 State Transition Table, transposed to [state][event].
 * Options [p] (passive) and [r] (restart) are not implemented: TO- in
 * Req-Sent/Ack-Rcvd/Ack-Sent goes to Stopped as the table says, and Open in
 * Stopped/Closing/Stopping/Opened keeps the state (no Down/Up restart).
 * [x] crossed connections are handled by the table itself (scr/6).
 */
const struct cp_transition cp_table[CP_NSTATES][CP_NEVENTS] = {
	[CP_INITIAL] = {
		[CP_EV_UP] = T(CP_CLOSED, 0),
		[CP_EV_DOWN] = ILL,
		[CP_EV_OPEN] = T(CP_STARTING, CP_TLS),
		[CP_EV_CLOSE] = T(CP_INITIAL, 0),
		[CP_EV_TO_PLUS] = ILL, [CP_EV_TO_MINUS] = ILL,
		[CP_EV_RCR_PLUS] = ILL, [CP_EV_RCR_MINUS] = ILL,
		[CP_EV_RCA] = ILL, [CP_EV_RCN] = ILL,
		[CP_EV_RTR] = ILL, [CP_EV_RTA] = ILL, [CP_EV_RUC] = ILL,
		[CP_EV_RXJ_PLUS] = ILL, [CP_EV_RXJ_MINUS] = ILL, [CP_EV_RXR] = ILL,
	},
	[CP_STARTING] = {
		[CP_EV_UP] = T(CP_REQSENT, CP_IRC | CP_SCR),
		[CP_EV_DOWN] = ILL,
		[CP_EV_OPEN] = T(CP_STARTING, 0),
		[CP_EV_CLOSE] = T(CP_INITIAL, CP_TLF),
		[CP_EV_TO_PLUS] = ILL, [CP_EV_TO_MINUS] = ILL,
		[CP_EV_RCR_PLUS] = ILL, [CP_EV_RCR_MINUS] = ILL,
		[CP_EV_RCA] = ILL, [CP_EV_RCN] = ILL,
		[CP_EV_RTR] = ILL, [CP_EV_RTA] = ILL, [CP_EV_RUC] = ILL,
		[CP_EV_RXJ_PLUS] = ILL, [CP_EV_RXJ_MINUS] = ILL, [CP_EV_RXR] = ILL,
	},
	[CP_CLOSED] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_INITIAL, 0),
		[CP_EV_OPEN] = T(CP_REQSENT, CP_IRC | CP_SCR),
		[CP_EV_CLOSE] = T(CP_CLOSED, 0),
		[CP_EV_TO_PLUS] = ILL, [CP_EV_TO_MINUS] = ILL,
		[CP_EV_RCR_PLUS] = T(CP_CLOSED, CP_STA),
		[CP_EV_RCR_MINUS] = T(CP_CLOSED, CP_STA),
		[CP_EV_RCA] = T(CP_CLOSED, CP_STA),
		[CP_EV_RCN] = T(CP_CLOSED, CP_STA),
		[CP_EV_RTR] = T(CP_CLOSED, CP_STA),
		[CP_EV_RTA] = T(CP_CLOSED, 0),
		[CP_EV_RUC] = T(CP_CLOSED, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_CLOSED, 0),
		[CP_EV_RXJ_MINUS] = T(CP_CLOSED, CP_TLF),
		[CP_EV_RXR] = T(CP_CLOSED, 0),
	},
	[CP_STOPPED] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_STARTING, CP_TLS),
		[CP_EV_OPEN] = T(CP_STOPPED, 0),
		[CP_EV_CLOSE] = T(CP_CLOSED, 0),
		[CP_EV_TO_PLUS] = ILL, [CP_EV_TO_MINUS] = ILL,
		[CP_EV_RCR_PLUS] = T(CP_ACKSENT, CP_IRC | CP_SCR | CP_SCA),
		[CP_EV_RCR_MINUS] = T(CP_REQSENT, CP_IRC | CP_SCR | CP_SCN),
		[CP_EV_RCA] = T(CP_STOPPED, CP_STA),
		[CP_EV_RCN] = T(CP_STOPPED, CP_STA),
		[CP_EV_RTR] = T(CP_STOPPED, CP_STA),
		[CP_EV_RTA] = T(CP_STOPPED, 0),
		[CP_EV_RUC] = T(CP_STOPPED, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_STOPPED, 0),
		[CP_EV_RXJ_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RXR] = T(CP_STOPPED, 0),
	},
	[CP_CLOSING] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_INITIAL, 0),
		[CP_EV_OPEN] = T(CP_STOPPING, 0),
		[CP_EV_CLOSE] = T(CP_CLOSING, 0),
		[CP_EV_TO_PLUS] = T(CP_CLOSING, CP_STR),
		[CP_EV_TO_MINUS] = T(CP_CLOSED, CP_TLF),
		[CP_EV_RCR_PLUS] = T(CP_CLOSING, 0),
		[CP_EV_RCR_MINUS] = T(CP_CLOSING, 0),
		[CP_EV_RCA] = T(CP_CLOSING, 0),
		[CP_EV_RCN] = T(CP_CLOSING, 0),
		[CP_EV_RTR] = T(CP_CLOSING, CP_STA),
		[CP_EV_RTA] = T(CP_CLOSED, CP_TLF),
		[CP_EV_RUC] = T(CP_CLOSING, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_CLOSING, 0),
		[CP_EV_RXJ_MINUS] = T(CP_CLOSED, CP_TLF),
		[CP_EV_RXR] = T(CP_CLOSING, 0),
	},
	[CP_STOPPING] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_STARTING, 0),
		[CP_EV_OPEN] = T(CP_STOPPING, 0),
		[CP_EV_CLOSE] = T(CP_CLOSING, 0),
		[CP_EV_TO_PLUS] = T(CP_STOPPING, CP_STR),
		[CP_EV_TO_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RCR_PLUS] = T(CP_STOPPING, 0),
		[CP_EV_RCR_MINUS] = T(CP_STOPPING, 0),
		[CP_EV_RCA] = T(CP_STOPPING, 0),
		[CP_EV_RCN] = T(CP_STOPPING, 0),
		[CP_EV_RTR] = T(CP_STOPPING, CP_STA),
		[CP_EV_RTA] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RUC] = T(CP_STOPPING, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_STOPPING, 0),
		[CP_EV_RXJ_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RXR] = T(CP_STOPPING, 0),
	},
	[CP_REQSENT] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_STARTING, 0),
		[CP_EV_OPEN] = T(CP_REQSENT, 0),
		[CP_EV_CLOSE] = T(CP_CLOSING, CP_IRC | CP_STR),
		[CP_EV_TO_PLUS] = T(CP_REQSENT, CP_SCR),
		[CP_EV_TO_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RCR_PLUS] = T(CP_ACKSENT, CP_SCA),
		[CP_EV_RCR_MINUS] = T(CP_REQSENT, CP_SCN),
		[CP_EV_RCA] = T(CP_ACKRCVD, CP_IRC),
		[CP_EV_RCN] = T(CP_REQSENT, CP_IRC | CP_SCR),
		[CP_EV_RTR] = T(CP_REQSENT, CP_STA),
		[CP_EV_RTA] = T(CP_REQSENT, 0),
		[CP_EV_RUC] = T(CP_REQSENT, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_REQSENT, 0),
		[CP_EV_RXJ_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RXR] = T(CP_REQSENT, 0),
	},
	[CP_ACKRCVD] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_STARTING, 0),
		[CP_EV_OPEN] = T(CP_ACKRCVD, 0),
		[CP_EV_CLOSE] = T(CP_CLOSING, CP_IRC | CP_STR),
		[CP_EV_TO_PLUS] = T(CP_REQSENT, CP_SCR),
		[CP_EV_TO_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RCR_PLUS] = T(CP_OPENED, CP_SCA | CP_TLU),
		[CP_EV_RCR_MINUS] = T(CP_ACKRCVD, CP_SCN),
		[CP_EV_RCA] = T(CP_REQSENT, CP_SCR),
		[CP_EV_RCN] = T(CP_REQSENT, CP_SCR),
		[CP_EV_RTR] = T(CP_REQSENT, CP_STA),
		[CP_EV_RTA] = T(CP_REQSENT, 0),
		[CP_EV_RUC] = T(CP_ACKRCVD, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_REQSENT, 0),
		[CP_EV_RXJ_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RXR] = T(CP_ACKRCVD, 0),
	},
	[CP_ACKSENT] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_STARTING, 0),
		[CP_EV_OPEN] = T(CP_ACKSENT, 0),
		[CP_EV_CLOSE] = T(CP_CLOSING, CP_IRC | CP_STR),
		[CP_EV_TO_PLUS] = T(CP_ACKSENT, CP_SCR),
		[CP_EV_TO_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RCR_PLUS] = T(CP_ACKSENT, CP_SCA),
		[CP_EV_RCR_MINUS] = T(CP_REQSENT, CP_SCN),
		[CP_EV_RCA] = T(CP_OPENED, CP_IRC | CP_TLU),
		[CP_EV_RCN] = T(CP_ACKSENT, CP_IRC | CP_SCR),
		[CP_EV_RTR] = T(CP_REQSENT, CP_STA),
		[CP_EV_RTA] = T(CP_ACKSENT, 0),
		[CP_EV_RUC] = T(CP_ACKSENT, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_ACKSENT, 0),
		[CP_EV_RXJ_MINUS] = T(CP_STOPPED, CP_TLF),
		[CP_EV_RXR] = T(CP_ACKSENT, 0),
	},
	[CP_OPENED] = {
		[CP_EV_UP] = ILL,
		[CP_EV_DOWN] = T(CP_STARTING, CP_TLD),
		[CP_EV_OPEN] = T(CP_OPENED, 0),
		[CP_EV_CLOSE] = T(CP_CLOSING, CP_TLD | CP_IRC | CP_STR),
		[CP_EV_TO_PLUS] = ILL, [CP_EV_TO_MINUS] = ILL,
		[CP_EV_RCR_PLUS] = T(CP_ACKSENT, CP_TLD | CP_SCR | CP_SCA),
		[CP_EV_RCR_MINUS] = T(CP_REQSENT, CP_TLD | CP_SCR | CP_SCN),
		[CP_EV_RCA] = T(CP_REQSENT, CP_TLD | CP_SCR),
		[CP_EV_RCN] = T(CP_REQSENT, CP_TLD | CP_SCR),
		[CP_EV_RTR] = T(CP_STOPPING, CP_TLD | CP_ZRC | CP_STA),
		[CP_EV_RTA] = T(CP_REQSENT, CP_TLD | CP_SCR),
		[CP_EV_RUC] = T(CP_OPENED, CP_SCJ),
		[CP_EV_RXJ_PLUS] = T(CP_OPENED, 0),
		[CP_EV_RXJ_MINUS] = T(CP_STOPPING, CP_TLD | CP_IRC | CP_STR),
		[CP_EV_RXR] = T(CP_OPENED, CP_SER),
	},
};
/* clang-format on */

const char *
cp_state_str(enum cp_state s)
{
	switch (s) {
	/* clang-format off */
	case CP_INITIAL:	return "initial";
	case CP_STARTING:	return "starting";
	case CP_CLOSED:		return "closed";
	case CP_STOPPED:	return "stopped";
	case CP_CLOSING:	return "closing";
	case CP_STOPPING:	return "stopping";
	case CP_REQSENT:	return "req-sent";
	case CP_ACKRCVD:	return "ack-rcvd";
	case CP_ACKSENT:	return "ack-sent";
	case CP_OPENED:		return "opened";
	case CP_NSTATES:	break;
		/* clang-format on */
	}
	return "?";
}

const char *
cp_event_str(enum cp_event e)
{
	static const char *const names[CP_NEVENTS] = {
		"Up",
		"Down",
		"Open",
		"Close",
		"TO+",
		"TO-",
		"RCR+",
		"RCR-",
		"RCA",
		"RCN",
		"RTR",
		"RTA",
		"RUC",
		"RXJ+",
		"RXJ-",
		"RXR",
	};

	return (unsigned)e < CP_NEVENTS ? names[e] : "?";
}

/* RFC 1661 §4.1: the Restart timer runs exactly in the states with TO events. */
static bool
timer_state(unsigned s)
{
	return s == CP_CLOSING || s == CP_STOPPING || s == CP_REQSENT ||
	    s == CP_ACKRCVD || s == CP_ACKSENT;
}

void
cp_init(struct cp *cp, const struct cp_proto *proto, void *arg,
    const struct cp_config *cfg)
{
	memset(cp, 0, sizeof(*cp));
	cp->proto = proto;
	cp->arg = arg;
	cp->cfg.restart_ms = cfg && cfg->restart_ms ? cfg->restart_ms : 3000;
	cp->cfg.max_configure = cfg && cfg->max_configure ? cfg->max_configure :
							    10;
	cp->cfg.max_terminate = cfg && cfg->max_terminate ? cfg->max_terminate :
							    2;
	cp->cfg.max_failure = cfg && cfg->max_failure ? cfg->max_failure : 5;
	cp->state = CP_INITIAL;
	cp->deadline = TIME_NEVER;
	cp->next_id = 1;
}

uint8_t
cp_new_id(struct cp *cp)
{
	return cp->next_id++;
}

void
cp_send_packet(struct cp *cp, uint8_t code, uint8_t id, const uint8_t *data,
    size_t len)
{
	uint8_t buf[CP_MAX_PKT];
	struct wbuf w;

	if (len > sizeof(buf) - 4)
		len = sizeof(buf) - 4;
	wbuf_init(&w, buf, sizeof(buf));
	wr_u8(&w, code);
	wr_u8(&w, id);
	wr_be16(&w, (uint16_t)(len + 4));
	wr_bytes(&w, data, len);
	if (!w.err && cp->proto->send != NULL)
		cp->proto->send(cp, buf, w.len);
}

bool
cp_options_valid(const uint8_t *p, size_t len)
{
	struct rbuf r;

	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0) {
		uint8_t olen;

		rd_u8(&r);
		olen = rd_u8(&r);
		if (r.err || olen < 2)
			return false;
		rd_skip(&r, (size_t)olen - 2);
		if (r.err)
			return false;
	}
	return !r.err;
}

static const struct cp_option *
find_option(const struct cp *cp, uint8_t type, unsigned *idx)
{
	if (idx != NULL)
		*idx = CP_MAX_OPTIONS; /* "no slot" for callers that test it */
	for (unsigned i = 0; i < cp->proto->noptions; i++) {
		if (cp->proto->options[i].type == type) {
			if (idx != NULL)
				*idx = i;
			return &cp->proto->options[i];
		}
	}
	return NULL;
}

static bool
len_ok(const struct cp_option *o, size_t vlen)
{
	return vlen >= o->len_min && vlen <= o->len_max;
}

/* SCR: a fresh negotiation (not a retransmission or an answer to a Nak/Rej)
 * starts from the configured values and forgets earlier Rejects, as pppd's
 * fsm_sconfreq does outside Req-Sent/Ack-Rcvd/Ack-Sent. */
static void
send_conf_req(struct cp *cp)
{
	struct wbuf w;

	if (cp->state != CP_REQSENT && cp->state != CP_ACKRCVD &&
	    cp->state != CP_ACKSENT) {
		for (unsigned i = 0; i < CP_MAX_OPTIONS; i++)
			cp->opt_flags[i] = 0;
		if (cp->proto->reset != NULL)
			cp->proto->reset(cp);
	}
	wbuf_init(&w, cp->last_req, sizeof(cp->last_req));
	for (unsigned i = 0; i < cp->proto->noptions && i < CP_MAX_OPTIONS;
	     i++) {
		const struct cp_option *o = &cp->proto->options[i];
		size_t before = w.len;

		cp->opt_flags[i] &= (uint8_t)~CP_OPT_SENT;
		if (cp_opt_rejected(cp, i) || o->add == NULL)
			continue;
		o->add(cp, &w);
		if (w.err) { /* cannot happen with our option sizes */
			w.err = false;
			w.len = before;
			continue;
		}
		if (w.len > before)
			cp->opt_flags[i] |= CP_OPT_SENT;
	}
	cp->last_req_len = w.len;
	cp->req_id = cp_new_id(cp);
	cp->req_pending = true;
	if (cp->restart_count > 0)
		cp->restart_count--;
	cp->deadline = cp->now + cp->cfg.restart_ms;
	cp_send_packet(cp, PPP_CONF_REQ, cp->req_id, cp->last_req,
	    cp->last_req_len);
}

static void
send_term_req(struct cp *cp)
{
	if (cp->restart_count > 0)
		cp->restart_count--;
	cp->deadline = cp->now + cp->cfg.restart_ms;
	cp_send_packet(cp, PPP_TERM_REQ, cp_new_id(cp), NULL, 0);
}

void
cp_event(struct cp *cp, enum cp_event ev, uint64_t now)
{
	const struct cp_transition *t;
	unsigned a, from = cp->state;

	if ((unsigned)ev >= CP_NEVENTS || from >= CP_NSTATES)
		return;
	cp->now = now;
	t = &cp_table[from][ev];
	if (t->next == CP_ILLEGAL) {
		LOG_RL(LOG_LEVEL_DEBUG, "%s: illegal event %s in state %s",
		    cp->proto->name, cp_event_str(ev), cp_state_str(from));
		return;
	}
	a = t->actions;
	log_trace("%s: %s in %s -> %s", cp->proto->name, cp_event_str(ev),
	    cp_state_str(from), cp_state_str(t->next));
	if ((a & CP_TLD) && cp->proto->tld != NULL)
		cp->proto->tld(cp);
	if (a & CP_IRC)
		cp->restart_count = (a & CP_STR) ? cp->cfg.max_terminate :
						   cp->cfg.max_configure;
	if (a & CP_ZRC) {
		/* RFC 1661 §4.4: the timer still runs, giving the peer one
		 * restart period to see the Terminate-Ack. */
		cp->restart_count = 0;
		cp->deadline = now + cp->cfg.restart_ms;
	}
	if (ev == CP_EV_UP || ev == CP_EV_OPEN)
		cp->failure_count = 0;
	if (a & CP_SCR)
		send_conf_req(cp);
	if (a & (CP_SCA | CP_SCN)) {
		if (a & CP_SCA)
			cp->failure_count = 0;
		if (cp->reply_len > 0 && cp->proto->send != NULL)
			cp->proto->send(cp, cp->reply, cp->reply_len);
	}
	if (a & CP_STR)
		send_term_req(cp);
	if (a & CP_STA)
		cp_send_packet(cp, PPP_TERM_ACK, cp->rx_id, NULL, 0);
	if ((a & CP_SCJ) && cp->rx_pkt != NULL)
		cp_send_packet(cp, PPP_CODE_REJ, cp_new_id(cp), cp->rx_pkt,
		    cp->rx_len);
	if ((a & CP_SER) && cp->proto->ser != NULL && cp->rx_pkt != NULL &&
	    cp->rx_len >= 4 && cp->rx_pkt[0] == PPP_ECHO_REQ)
		cp->proto->ser(cp, cp->rx_id, cp->rx_pkt + 4, cp->rx_len - 4);
	cp->state = t->next;
	if (!timer_state(cp->state))
		cp->deadline = TIME_NEVER;
	if (cp->state != CP_REQSENT && cp->state != CP_ACKRCVD &&
	    cp->state != CP_ACKSENT)
		cp->req_pending = false;
	if ((a & CP_TLU) && cp->proto->tlu != NULL)
		cp->proto->tlu(cp);
	if ((a & CP_TLS) && cp->proto->tls != NULL)
		cp->proto->tls(cp);
	if ((a & CP_TLF) && cp->proto->tlf != NULL)
		cp->proto->tlf(cp);
}

void
cp_up(struct cp *cp, uint64_t now)
{
	cp_event(cp, CP_EV_UP, now);
}

void
cp_down(struct cp *cp, uint64_t now)
{
	cp_event(cp, CP_EV_DOWN, now);
}

void
cp_open(struct cp *cp, uint64_t now)
{
	cp_event(cp, CP_EV_OPEN, now);
}

void
cp_close(struct cp *cp, uint64_t now)
{
	cp_event(cp, CP_EV_CLOSE, now);
}

void
cp_rxj(struct cp *cp, bool fatal, uint64_t now)
{
	cp_event(cp, fatal ? CP_EV_RXJ_MINUS : CP_EV_RXJ_PLUS, now);
}

void
cp_timeout(struct cp *cp, uint64_t now)
{
	if (cp->deadline == TIME_NEVER || now < cp->deadline)
		return;
	cp->deadline = TIME_NEVER;
	cp->rx_pkt = NULL;
	cp_event(cp, cp->restart_count > 0 ? CP_EV_TO_PLUS : CP_EV_TO_MINUS,
	    now);
}

uint64_t
cp_next_deadline(const struct cp *cp)
{
	return cp->deadline;
}

/* See struct cp.reply: one reply is in flight at a time, daemon-wide. */
static uint8_t cp_reply_buf[CP_MAX_PKT];

static void
set_reply(struct cp *cp, uint8_t code, uint8_t id, const uint8_t *opts,
    size_t len)
{
	struct wbuf w;

	cp->reply = cp_reply_buf;
	wbuf_init(&w, cp_reply_buf, sizeof(cp_reply_buf));
	wr_u8(&w, code);
	wr_u8(&w, id);
	wr_be16(&w, (uint16_t)(len + 4));
	wr_bytes(&w, opts, len);
	cp->reply_len = w.err ? 0 : w.len;
}

/*
 * RFC 1661 §5.1-5.4: judge the peer's Configure-Request.  Any unknown or
 * badly sized option → Configure-Reject of exactly those options (§5.4);
 * else any unacceptable value → Configure-Nak with our suggestions (§5.3);
 * else Configure-Ack echoing the options (§5.2).  RFC 1661 §4.6
 * Max-Failure: once that many Naks went out without an Ack, Naks become
 * Rejects.  Returns the event, or -1 to discard a malformed packet.
 */
static int
judge_request(struct cp *cp, uint8_t id, const uint8_t *opts, size_t len)
{
	uint8_t rej[CP_MAX_PKT], nak[CP_MAX_PKT], one[CP_MAX_PKT];
	uint8_t seen[256 / 8];
	struct wbuf wr, wn;
	struct rbuf r;
	bool nak_to_rej = cp->failure_count >= cp->cfg.max_failure;

	if (!cp_options_valid(opts, len) || len > CP_MAX_PKT - 4)
		return -1;
	memset(seen, 0, sizeof(seen));
	wbuf_init(&wr, rej, sizeof(rej));
	wbuf_init(&wn, nak, sizeof(nak));
	if (cp->proto->req_begin != NULL)
		cp->proto->req_begin(cp);
	rbuf_init(&r, opts, len);
	while (rbuf_left(&r) > 0) {
		const uint8_t *o = r.p + r.off;
		uint8_t type = rd_u8(&r), olen = rd_u8(&r);
		const uint8_t *v = rd_ptr(&r, (size_t)olen - 2);
		const struct cp_option *h = find_option(cp, type, NULL);
		struct wbuf w1;
		enum cp_verdict vd;

		seen[type / 8] |= (uint8_t)(1u << (type % 8));
		if (h == NULL || h->req == NULL ||
		    !len_ok(h, (size_t)olen - 2)) {
			wr_bytes(&wr, o, olen);
			continue;
		}
		wbuf_init(&w1, one, sizeof(one));
		vd = h->req(cp, v, (size_t)olen - 2, &w1);
		if (vd == CP_NAK && (nak_to_rej || w1.err || w1.len == 0))
			vd = CP_REJ;
		if (vd == CP_REJ)
			wr_bytes(&wr, o, olen);
		else if (vd == CP_NAK)
			wr_bytes(&wn, one, w1.len);
	}
	if (wr.len == 0 && !nak_to_rej && cp->proto->req_missing != NULL)
		cp->proto->req_missing(cp, seen, &wn);
	if (wr.err || wn.err)
		return -1;
	if (wr.len > 0) {
		set_reply(cp, PPP_CONF_REJ, id, rej, wr.len);
		return CP_EV_RCR_MINUS;
	}
	if (wn.len > 0) {
		set_reply(cp, PPP_CONF_NAK, id, nak, wn.len);
		cp->failure_count++;
		return CP_EV_RCR_MINUS;
	}
	set_reply(cp, PPP_CONF_ACK, id, opts, len);
	return CP_EV_RCR_PLUS;
}

/* Is the option o (type, len, value) byte-for-byte in our last request? */
static bool
in_last_req(const struct cp *cp, const uint8_t *o, size_t olen)
{
	size_t off = 0;

	while (off + 2 <= cp->last_req_len) {
		size_t l = cp->last_req[off + 1];

		if (l < 2 || off + l > cp->last_req_len)
			return false;
		if (l == olen && memcmp(cp->last_req + off, o, olen) == 0)
			return true;
		off += l;
	}
	return false;
}

/* RFC 1661 §5.2-5.4: only an answer to our last Configure-Request counts. */
static bool
answer_valid(const struct cp *cp, uint8_t id)
{
	return cp->req_pending && id == cp->req_id;
}

static int
handle_ack(struct cp *cp, uint8_t id, const uint8_t *opts, size_t len)
{
	struct rbuf r;

	/* §5.2: the options MUST be exactly those we sent. */
	if (len != cp->last_req_len || memcmp(opts, cp->last_req, len) != 0)
		return -1;
	rbuf_init(&r, opts, len);
	while (rbuf_left(&r) > 0) {
		uint8_t type = rd_u8(&r), olen = rd_u8(&r);
		const uint8_t *v = rd_ptr(&r, (size_t)olen - 2);
		const struct cp_option *h = find_option(cp, type, NULL);

		if (h != NULL && h->ack != NULL)
			(void)h->ack(cp, v, (size_t)olen - 2);
	}
	(void)id;
	cp->req_pending = false;
	return CP_EV_RCA;
}

static int
handle_nak(struct cp *cp, const uint8_t *opts, size_t len)
{
	struct rbuf r;

	rbuf_init(&r, opts, len);
	while (rbuf_left(&r) > 0) {
		uint8_t type = rd_u8(&r), olen = rd_u8(&r);
		const uint8_t *v = rd_ptr(&r, (size_t)olen - 2);
		unsigned i;
		const struct cp_option *h = find_option(cp, type, &i);

		if (h == NULL || h->nak == NULL ||
		    !len_ok(h, (size_t)olen - 2) ||
		    (i < CP_MAX_OPTIONS && cp_opt_rejected(cp, i)))
			continue;
		h->nak(cp, v, (size_t)olen - 2);
	}
	cp->req_pending = false;
	return CP_EV_RCN;
}

static int
handle_rej(struct cp *cp, const uint8_t *opts, size_t len)
{
	struct rbuf r;

	/* §5.4: a Reject may only carry options of our request, unmodified;
	 * otherwise it is invalid and silently discarded. */
	rbuf_init(&r, opts, len);
	while (rbuf_left(&r) > 0) {
		const uint8_t *o = r.p + r.off;
		uint8_t olen;

		rd_u8(&r);
		olen = rd_u8(&r);
		rd_skip(&r, (size_t)olen - 2);
		if (!in_last_req(cp, o, olen))
			return -1;
	}
	rbuf_init(&r, opts, len);
	while (rbuf_left(&r) > 0) {
		uint8_t type = rd_u8(&r), olen = rd_u8(&r);
		unsigned i;
		const struct cp_option *h = find_option(cp, type, &i);

		rd_skip(&r, (size_t)olen - 2);
		if (h == NULL || i >= CP_MAX_OPTIONS)
			continue;
		cp->opt_flags[i] |= CP_OPT_REJECTED;
		if (h->rej != NULL)
			h->rej(cp);
	}
	cp->req_pending = false;
	return CP_EV_RCN;
}

static bool
default_code_rej_fatal(uint8_t code)
{
	/* RFC 1661 §5.6: rejecting a code we need (1-7) is catastrophic. */
	return code >= PPP_CONF_REQ && code <= PPP_CODE_REJ;
}

void
cp_input(struct cp *cp, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct rbuf r;
	uint8_t code, id;
	uint16_t plen;
	const uint8_t *data;
	size_t dlen;
	int ev = -1;
	bool answering;

	cp->now = now;
	rbuf_init(&r, pkt, len);
	code = rd_u8(&r);
	id = rd_u8(&r);
	plen = rd_be16(&r);
	/* §5: Length beyond the received data → discard; octets past Length
	 * are padding and ignored. */
	if (r.err || plen < 4 || plen > len) {
		cp->stats.rx_discards++;
		return;
	}
	data = pkt + 4;
	dlen = (size_t)plen - 4;
	cp->rx_id = id;
	cp->rx_pkt = pkt;
	cp->rx_len = plen;
	/* Answers count only in states where a request is outstanding; in
	 * Closed/Stopped/Closing/Stopping the table answers them anyway. */
	answering = cp->state == CP_REQSENT || cp->state == CP_ACKRCVD ||
	    cp->state == CP_ACKSENT || cp->state == CP_OPENED;
	switch (code) {
	case PPP_CONF_REQ:
		ev = judge_request(cp, id, data, dlen);
		break;
	case PPP_CONF_ACK:
		if (!cp_options_valid(data, dlen))
			break;
		if (!answering)
			ev = CP_EV_RCA;
		else if (answer_valid(cp, id))
			ev = handle_ack(cp, id, data, dlen);
		break;
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		if (!cp_options_valid(data, dlen))
			break;
		if (!answering)
			ev = CP_EV_RCN;
		else if (answer_valid(cp, id))
			ev = code == PPP_CONF_NAK ? handle_nak(cp, data, dlen) :
						    handle_rej(cp, data, dlen);
		break;
	case PPP_TERM_REQ:
		ev = CP_EV_RTR;
		break;
	case PPP_TERM_ACK:
		ev = CP_EV_RTA;
		break;
	case PPP_CODE_REJ:
		if (dlen < 1)
			break;
		if (cp->proto->code_rej_fatal != NULL)
			ev = cp->proto->code_rej_fatal(cp, data[0]) ?
			    CP_EV_RXJ_MINUS :
			    CP_EV_RXJ_PLUS;
		else
			ev = default_code_rej_fatal(data[0]) ? CP_EV_RXJ_MINUS :
							       CP_EV_RXJ_PLUS;
		break;
	default:
		if (cp->proto->ext_code == NULL) {
			ev = CP_EV_RUC;
			break;
		}
		switch (cp->proto->ext_code(cp, code, id, data, dlen, now)) {
		case CP_EXT_UNKNOWN:
			ev = CP_EV_RUC;
			break;
		case CP_EXT_RXR:
			ev = CP_EV_RXR;
			break;
		case CP_EXT_HANDLED:
			break;
		}
		break;
	}
	if (ev < 0) {
		if (code <= PPP_CODE_REJ)
			cp->stats.rx_discards++;
	} else {
		cp_event(cp, (enum cp_event)ev, now);
	}
	cp->rx_pkt = NULL;
}

int
cp_proxy_open(struct cp *cp, const uint8_t *sent, size_t sent_len,
    const uint8_t *rcvd, size_t rcvd_len, uint64_t now)
{
	struct rbuf r;

	if (!cp_options_valid(sent, sent_len) || sent_len > CP_MAX_REQ ||
	    !cp_options_valid(rcvd, rcvd_len))
		return -1;
	cp->now = now;
	/* The peer's request must be one we would Ack as is. */
	if (judge_request(cp, 0, rcvd, rcvd_len) != CP_EV_RCR_PLUS)
		return -1;
	cp->failure_count = 0;
	for (unsigned i = 0; i < CP_MAX_OPTIONS; i++)
		cp->opt_flags[i] = 0;
	if (cp->proto->reset != NULL)
		cp->proto->reset(cp);
	/* Our side: every option the LAC sent must be one we know and
	 * accept as if the peer had acked it. */
	rbuf_init(&r, sent, sent_len);
	while (rbuf_left(&r) > 0) {
		uint8_t type = rd_u8(&r), olen = rd_u8(&r);
		const uint8_t *v = rd_ptr(&r, (size_t)olen - 2);
		unsigned i;
		const struct cp_option *h = find_option(cp, type, &i);

		if (h == NULL || h->ack == NULL ||
		    !len_ok(h, (size_t)olen - 2) ||
		    h->ack(cp, v, (size_t)olen - 2) < 0)
			return -1;
		if (i < CP_MAX_OPTIONS)
			cp->opt_flags[i] |= CP_OPT_SENT;
	}
	memcpy(cp->last_req, sent, sent_len);
	cp->last_req_len = sent_len;
	cp->req_pending = false;
	cp->state = CP_OPENED;
	cp->deadline = TIME_NEVER;
	if (cp->proto->tlu != NULL)
		cp->proto->tlu(cp);
	return 0;
}
