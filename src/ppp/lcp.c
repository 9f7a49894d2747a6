/*
 * lcp.c — LCP options and extra codes over the generic automaton (lcp.h).
 */
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "ppp/lcp.h"
#include "ppp/ppp_proto.h"

#define LCP_MIN_MRU	128  /* as pppd's MINMRU: smaller is not usable */
#define LCP_DEFAULT_MRU 1500 /* RFC 1661 §6.1 */
#define LCP_MAX_LOOPS	5    /* magic collisions before "looped back" */

static struct lcp *
to_lcp(struct cp *cp)
{
	return cp->arg;
}

static uint32_t
new_magic(void)
{
	uint32_t m;

	do
		m = random_u32();
	while (m == 0); /* RFC 1661 §6.4: zero is not a magic number */
	return m;
}

size_t
lcp_auth_encode(enum ppp_auth_method m, uint8_t out[3])
{
	switch (m) {
	case PPP_AUTH_PAP:
		put_be16(out, PPP_PROTO_PAP);
		return 2;
	case PPP_AUTH_CHAP_MD5:
		put_be16(out, PPP_PROTO_CHAP);
		out[2] = CHAP_ALG_MD5;
		return 3;
	case PPP_AUTH_MSCHAPV2:
		put_be16(out, PPP_PROTO_CHAP);
		out[2] = CHAP_ALG_MSCHAPV2;
		return 3;
	case PPP_AUTH_NONE:
		break;
	}
	return 0;
}

enum ppp_auth_method
lcp_auth_decode(const uint8_t *d, size_t len)
{
	if (len == 2 && get_be16(d) == PPP_PROTO_PAP)
		return PPP_AUTH_PAP;
	if (len == 3 && get_be16(d) == PPP_PROTO_CHAP) {
		if (d[2] == CHAP_ALG_MD5)
			return PPP_AUTH_CHAP_MD5;
		if (d[2] == CHAP_ALG_MSCHAPV2)
			return PPP_AUTH_MSCHAPV2;
	}
	return PPP_AUTH_NONE;
}

static void
fail(struct lcp *l, const char *reason)
{
	if (l->ops->fail != NULL)
		l->ops->fail(l->ctx, reason);
}

/* ---- MRU (RFC 1661 §6.1) ---- */

static void
mru_add(struct cp *cp, struct wbuf *w)
{
	struct lcp *l = to_lcp(cp);

	if (l->our_mru == LCP_DEFAULT_MRU) /* the default needs no option */
		return;
	wr_u8(w, LCP_OPT_MRU);
	wr_u8(w, 4);
	wr_be16(w, l->our_mru);
}

static int
mru_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	(void)len;
	to_lcp(cp)->our_mru = get_be16(d);
	return get_be16(d) >= LCP_MIN_MRU ? 0 : -1;
}

static void
mru_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	struct lcp *l = to_lcp(cp);
	uint16_t v = get_be16(d);

	(void)len;
	/* Smaller than configured is fine (we receive whatever comes);
	 * larger would overrun what the carrier gives us: keep ours. */
	if (v >= LCP_MIN_MRU && v <= l->cfg.mru)
		l->our_mru = v;
}

static enum cp_verdict
mru_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	struct lcp *l = to_lcp(cp);
	uint16_t v = get_be16(d);

	(void)len;
	if (v < LCP_MIN_MRU) {
		wr_u8(nak, LCP_OPT_MRU);
		wr_u8(nak, 4);
		wr_be16(nak, LCP_MIN_MRU);
		return CP_NAK;
	}
	/* RFC 2516 §7: over PPPoE the MRU MUST NOT be negotiated above 1492
	 * (1500 bytes of Ethernet payload less PPPoE and PPP headers). */
	if (l->cfg.pppoe && v > LCP_PPPOE_MAX_MRU) {
		wr_u8(nak, LCP_OPT_MRU);
		wr_u8(nak, 4);
		wr_be16(nak, LCP_PPPOE_MAX_MRU);
		return CP_NAK;
	}
	l->peer_mru = v;
	return CP_ACK;
}

/* ---- ACCM (RFC 1662 §7.1): harmless on a sync link, acked; RFC 2516 §7:
 * MUST be rejected over PPPoE ---- */

static enum cp_verdict
accm_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	(void)d;
	(void)len;
	(void)nak;
	return to_lcp(cp)->cfg.pppoe ? CP_REJ : CP_ACK;
}

/* ---- Authentication-Protocol (RFC 1661 §6.2) ---- */

static void
auth_add(struct cp *cp, struct wbuf *w)
{
	struct lcp *l = to_lcp(cp);
	uint8_t v[3];
	size_t n;

	if (!l->cfg.server || l->auth_idx >= l->cfg.auth_count)
		return;
	n = lcp_auth_encode(l->cfg.auth[l->auth_idx], v);
	if (n == 0)
		return;
	wr_u8(w, LCP_OPT_AUTH_PROTO);
	wr_u8(w, (uint8_t)(2 + n));
	wr_bytes(w, v, n);
}

static int
auth_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	struct lcp *l = to_lcp(cp);
	enum ppp_auth_method m = lcp_auth_decode(d, len);

	/* Proxy LCP: the LAC's choice must be one we offer. */
	for (unsigned i = 0; l->cfg.server && i < l->cfg.auth_count; i++)
		if (l->cfg.auth[i] == m) {
			l->auth_idx = i;
			l->auth_method = m;
			return 0;
		}
	return -1;
}

/* The server moves on: to the client's suggestion if we offer it and have
 * not tried it, else to the next method in our order. */
static void
auth_next(struct lcp *l, enum ppp_auth_method suggested)
{
	l->auth_tried |= (uint8_t)(1u << l->auth_idx);
	for (unsigned i = 0; i < l->cfg.auth_count; i++)
		if (l->cfg.auth[i] == suggested &&
		    !(l->auth_tried & (1u << i))) {
			l->auth_idx = i;
			return;
		}
	while (l->auth_idx < l->cfg.auth_count &&
	    (l->auth_tried & (1u << l->auth_idx)))
		l->auth_idx++;
	if (l->auth_idx >= l->cfg.auth_count)
		fail(l, "no authentication method acceptable to the peer");
}

static void
auth_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	struct lcp *l = to_lcp(cp);

	if (!l->cfg.server || l->cfg.auth_count == 0)
		return; /* we did not ask: ignore the suggestion */
	auth_next(l, lcp_auth_decode(d, len));
}

static void
auth_rej(struct cp *cp)
{
	struct lcp *l = to_lcp(cp);

	/* Without authentication there is no service. */
	if (l->cfg.server && l->cfg.auth_count > 0) {
		l->auth_idx = l->cfg.auth_count;
		fail(l, "peer refuses to authenticate");
	}
}

static enum cp_verdict
auth_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	struct lcp *l = to_lcp(cp);
	enum ppp_auth_method m = lcp_auth_decode(d, len);
	uint8_t v[3];
	size_t n;

	/* We never authenticate ourselves to a client, and a client with no
	 * credentials/methods cannot: Reject. */
	if (l->cfg.server || l->cfg.accept_count == 0)
		return CP_REJ;
	for (unsigned i = 0; i < l->cfg.accept_count; i++)
		if (l->cfg.accept[i] == m && m != PPP_AUTH_NONE) {
			l->peer_auth = m;
			return CP_ACK;
		}
	/* RFC 1661 §6.2: Nak with the protocol we prefer. */
	n = lcp_auth_encode(l->cfg.accept[0], v);
	if (n == 0)
		return CP_REJ;
	wr_u8(nak, LCP_OPT_AUTH_PROTO);
	wr_u8(nak, (uint8_t)(2 + n));
	wr_bytes(nak, v, n);
	return CP_NAK;
}

/* ---- Magic-Number (RFC 1661 §6.4) ---- */

static void
magic_add(struct cp *cp, struct wbuf *w)
{
	struct lcp *l = to_lcp(cp);

	wr_u8(w, LCP_OPT_MAGIC);
	wr_u8(w, 6);
	wr_be32(w, l->our_magic);
}

static int
magic_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	(void)len;
	to_lcp(cp)->our_magic = rd_be32(&(struct rbuf){ d, 4, 0, false });
	return to_lcp(cp)->our_magic != 0 ? 0 : -1;
}

static void
magic_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	struct lcp *l = to_lcp(cp);

	(void)d;
	(void)len;
	/* §6.4: a Nak means the peer saw our number as its own (or wants
	 * another): choose a new random one, never the suggested value. */
	l->our_magic = new_magic();
}

static void
magic_rej(struct cp *cp)
{
	/* §6.4: without a negotiated Magic-Number ours is zero (as sent in
	 * Echo-Request/Reply) and loop-back detection is off. */
	to_lcp(cp)->our_magic = 0;
}

static enum cp_verdict
magic_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	struct lcp *l = to_lcp(cp);
	uint32_t v = rd_be32(&(struct rbuf){ d, 4, 0, false });

	(void)len;
	if (v != 0 && v != l->our_magic) {
		l->peer_magic = v;
		return CP_ACK;
	}
	/* §6.4: the peer's number is ours: possibly a looped-back link.  Nak
	 * with a different number and pick a new one of our own; too many
	 * in a row and the link is declared looped back. */
	if (v != 0 && ++l->loops >= LCP_MAX_LOOPS) {
		fail(l, "link looped back (magic number)");
		return CP_REJ;
	}
	if (v != 0)
		l->our_magic = new_magic();
	wr_u8(nak, LCP_OPT_MAGIC);
	wr_u8(nak, 6);
	{
		uint32_t s;

		do
			s = new_magic();
		while (s == l->our_magic);
		wr_be32(nak, s);
	}
	return CP_NAK;
}

/* ---- PFC, ACFC (RFC 1661 §6.5, §6.6): acked, never requested ---- */

static enum cp_verdict
pfc_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	(void)d;
	(void)len;
	(void)nak;
	to_lcp(cp)->peer_pfc = true;
	return CP_ACK;
}

static enum cp_verdict
acfc_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	(void)d;
	(void)len;
	(void)nak;
	/* RFC 2516 §7: ACFC MUST be rejected over PPPoE. */
	if (to_lcp(cp)->cfg.pppoe)
		return CP_REJ;
	to_lcp(cp)->peer_acfc = true;
	return CP_ACK;
}

static const struct cp_option lcp_options[] = {
	{ LCP_OPT_MRU, "mru", 2, 2, mru_add, mru_ack, mru_nak, NULL, mru_req },
	{ LCP_OPT_ACCM, "accm", 4, 4, NULL, NULL, NULL, NULL, accm_req },
	{ LCP_OPT_AUTH_PROTO, "auth-proto", 2, 3, auth_add, auth_ack, auth_nak,
	    auth_rej, auth_req },
	{ LCP_OPT_MAGIC, "magic", 4, 4, magic_add, magic_ack, magic_nak,
	    magic_rej, magic_req },
	{ LCP_OPT_PFC, "pfc", 0, 0, NULL, NULL, NULL, NULL, pfc_req },
	{ LCP_OPT_ACFC, "acfc", 0, 0, NULL, NULL, NULL, NULL, acfc_req },
};

/* ---- automaton hooks ---- */

static void
lcp_send(struct cp *cp, const uint8_t *pkt, size_t len)
{
	struct lcp *l = to_lcp(cp);

	l->ops->send(l->ctx, PPP_PROTO_LCP, pkt, len);
}

static void
lcp_reset(struct cp *cp)
{
	struct lcp *l = to_lcp(cp);

	l->our_mru = l->cfg.mru;
	l->our_magic = new_magic();
	l->auth_idx = 0;
	l->auth_tried = 0;
	l->auth_method = PPP_AUTH_NONE;
	l->loops = 0;
}

static void
lcp_req_begin(struct cp *cp)
{
	struct lcp *l = to_lcp(cp);

	l->peer_mru = LCP_DEFAULT_MRU;
	l->peer_magic = 0;
	l->peer_pfc = l->peer_acfc = false;
	l->peer_auth = PPP_AUTH_NONE;
}

static void
lcp_tlu(struct cp *cp)
{
	struct lcp *l = to_lcp(cp);

	if (l->cfg.server)
		l->auth_method = l->auth_idx < l->cfg.auth_count &&
			(cp->opt_flags[2] & CP_OPT_SENT) ?
		    l->cfg.auth[l->auth_idx] :
		    PPP_AUTH_NONE;
	else
		l->auth_method = l->peer_auth;
	l->echo_outstanding = 0;
	l->echo_deadline = l->cfg.echo_interval_ms > 0 ?
	    cp->now + l->cfg.echo_interval_ms :
	    TIME_NEVER;
	if (l->ops->layer != NULL)
		l->ops->layer(l->ctx, PPP_PROTO_LCP, CP_TLU);
}

static void
lcp_layer(struct cp *cp, enum cp_action what)
{
	struct lcp *l = to_lcp(cp);

	l->echo_deadline = TIME_NEVER;
	if (l->ops->layer != NULL)
		l->ops->layer(l->ctx, PPP_PROTO_LCP, what);
}

/* clang-format off */
static void lcp_tld(struct cp *cp) { lcp_layer(cp, CP_TLD); }
static void lcp_tls(struct cp *cp) { lcp_layer(cp, CP_TLS); }
static void lcp_tlf(struct cp *cp) { lcp_layer(cp, CP_TLF); }
/* clang-format on */

static enum cp_ext
lcp_ext(struct cp *cp, uint8_t code, uint8_t id, const uint8_t *d, size_t len,
    uint64_t now)
{
	struct lcp *l = to_lcp(cp);
	struct rbuf r;

	(void)id;
	(void)now;
	switch (code) {
	case PPP_PROTO_REJ:
		/* §5.7: only in Opened; else silently discarded. */
		if (cp->state != CP_OPENED)
			return CP_EXT_HANDLED;
		rbuf_init(&r, d, len);
		{
			uint16_t proto = rd_be16(&r);

			if (r.err)
				return CP_EXT_HANDLED;
			if (proto == PPP_PROTO_LCP) {
				/* Rejecting LCP itself is catastrophic. */
				cp_rxj(cp, true, now);
				return CP_EXT_HANDLED;
			}
			if (l->ops->proto_rej != NULL)
				l->ops->proto_rej(l->ctx, proto);
		}
		return CP_EXT_HANDLED;
	case PPP_ECHO_REP:
		/* §5.8: a reply with our own magic is our request looped;
		 * with no magic of ours (zero, §6.4) nothing can be told. */
		if (cp->state == CP_OPENED && len >= 4 &&
		    (l->our_magic == 0 ||
			((uint32_t)get_be16(d) << 16 | get_be16(d + 2)) !=
			    l->our_magic))
			l->echo_outstanding = 0;
		return CP_EXT_RXR;
	case PPP_ECHO_REQ:
	case PPP_DISC_REQ:
		if (len < 4)
			return CP_EXT_HANDLED; /* malformed: no magic */
		return CP_EXT_RXR;
	default:
		return CP_EXT_UNKNOWN;
	}
}

/* SER: Echo-Reply with our magic and the request's data (§5.8). */
static void
lcp_ser(struct cp *cp, uint8_t id, const uint8_t *d, size_t len)
{
	struct lcp *l = to_lcp(cp);
	uint8_t buf[CP_MAX_PKT - 4];
	size_t n = len;

	if (n > sizeof(buf))
		n = sizeof(buf);
	if (n > (size_t)l->peer_mru - 4)
		n = (size_t)l->peer_mru - 4;
	if (n < 4)
		return;
	memcpy(buf, d, n);
	put_be16(buf, (uint16_t)(l->our_magic >> 16));
	put_be16(buf + 2, (uint16_t)l->our_magic);
	cp_send_packet(cp, PPP_ECHO_REP, id, buf, n);
}

/* §5.6-5.8: codes 8-11 are LCP's; rejecting one of them is survivable
 * except Protocol-Reject... which we merely stop using; 1-7 are needed. */
static bool
lcp_code_rej_fatal(struct cp *cp, uint8_t code)
{
	(void)cp;
	return code >= PPP_CONF_REQ && code <= PPP_CODE_REJ;
}

static const struct cp_proto lcp_proto = {
	.name = "LCP",
	.proto = PPP_PROTO_LCP,
	.options = lcp_options,
	.noptions = sizeof(lcp_options) / sizeof(lcp_options[0]),
	.send = lcp_send,
	.tlu = lcp_tlu,
	.tld = lcp_tld,
	.tls = lcp_tls,
	.tlf = lcp_tlf,
	.reset = lcp_reset,
	.req_begin = lcp_req_begin,
	.ext_code = lcp_ext,
	.ser = lcp_ser,
	.code_rej_fatal = lcp_code_rej_fatal,
};

void
lcp_init(struct lcp *l, const struct lcp_config *cfg,
    const struct cp_owner_ops *ops, void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	if (l->cfg.mru == 0)
		l->cfg.mru = 1400;
	if (l->cfg.auth_count > 3)
		l->cfg.auth_count = 3;
	if (l->cfg.accept_count > 3)
		l->cfg.accept_count = 3;
	l->ops = ops;
	l->ctx = ctx;
	cp_init(&l->cp, &lcp_proto, l, &cfg->cp);
	lcp_reset(&l->cp);
	lcp_req_begin(&l->cp);
	l->echo_deadline = TIME_NEVER;
}

void
lcp_input(struct lcp *l, const uint8_t *pkt, size_t len, uint64_t now)
{
	l->now = now;
	cp_input(&l->cp, pkt, len, now);
}

/* Keepalive: an Echo-Request every echo_interval while Opened; when
 * echo_failures of them went unanswered, the peer is dead. */
static void
echo_timeout(struct lcp *l, uint64_t now)
{
	uint8_t magic[4];

	if (l->echo_outstanding >= l->cfg.echo_failures) {
		l->echo_deadline = TIME_NEVER;
		fail(l, "echo timeout");
		return;
	}
	put_be16(magic, (uint16_t)(l->our_magic >> 16));
	put_be16(magic + 2, (uint16_t)l->our_magic);
	cp_send_packet(&l->cp, PPP_ECHO_REQ, cp_new_id(&l->cp), magic, 4);
	l->echo_outstanding++;
	l->echo_deadline = now + l->cfg.echo_interval_ms;
}

void
lcp_timeout(struct lcp *l, uint64_t now)
{
	l->now = now;
	cp_timeout(&l->cp, now);
	if (l->cp.state == CP_OPENED && l->echo_deadline != TIME_NEVER &&
	    now >= l->echo_deadline)
		echo_timeout(l, now);
}

uint64_t
lcp_next_deadline(const struct lcp *l)
{
	return time_min(cp_next_deadline(&l->cp),
	    l->cp.state == CP_OPENED ? l->echo_deadline : TIME_NEVER);
}

void
lcp_send_proto_rej(struct lcp *l, uint16_t proto, const uint8_t *info,
    size_t len)
{
	uint8_t buf[CP_MAX_PKT - 4];
	size_t max = sizeof(buf);

	if (l->cp.state != CP_OPENED)
		return;
	/* §5.7: the rejected information is truncated to the peer's MRU. */
	if ((size_t)l->peer_mru - 4 < max)
		max = (size_t)l->peer_mru - 4;
	if (len > max - 2)
		len = max - 2;
	put_be16(buf, proto);
	if (len > 0)
		memcpy(buf + 2, info, len);
	cp_send_packet(&l->cp, PPP_PROTO_REJ, cp_new_id(&l->cp), buf, len + 2);
}
