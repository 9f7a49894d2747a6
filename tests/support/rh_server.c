/*
 * rh_server.c — the scripted LNS and access concentrator of rh_server.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "l2tp/msg.h"
#include "ppp/auth.h"
#include "ppp/ppp_proto.h"
#include "pppoe/pppoe_codec.h"
#include "rh_server.h"
#include "script_peer.h"

#define SRV_CHECK(cond) SP_CHECK_AS("rh_server", cond)

static const uint8_t srv_magic[4] = { 0x5e, 0x4b, 0x3a, 0x29 };

/* ---- PPP, the server side ---- */

static void
ppp_defaults(struct rh_ppp_server *s)
{
	memset(s, 0, sizeof(*s));
	s->auth = RH_AUTH_PAP;
	strlcpy(s->user, "alice", sizeof(s->user));
	strlcpy(s->pass, "secret", sizeof(s->pass));
	s->local = 0x0a630001;	/* 10.99.0.1 */
	s->give = 0x0a630002;	/* 10.99.0.2 */
	s->dns[0] = 0x0a630035; /* 10.99.0.53 */
	s->dns[1] = 0x0a630036; /* 10.99.0.54 */
	s->id = 1;
}

/* A new call: negotiation starts over, the settings stay. */
static void
ppp_reset(struct rh_ppp_server *s)
{
	s->lcp_open = s->auth_ok = s->auth_failed = s->up = false;
	s->terminated = false;
	s->lcp_sent = s->lcp_acked = s->lcp_ack_sent = false;
	s->ipcp_sent = s->ipcp_acked = s->ipcp_ack_sent = false;
	s->v6_sent = s->v6_acked = s->v6_ack_sent = s->v6_up = false;
}

static void
ppp_out(struct rh_ppp_server *s, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t dlen)
{
	uint8_t f[RH_DGRAM];

	SRV_CHECK(dlen + 6 <= sizeof(f));
	s->out(s->out_arg, f, sp_cp_frame(f, proto, code, id, data, dlen));
}

static void
ipcp_request(struct rh_ppp_server *s)
{
	uint8_t o[6] = { IPCP_OPT_ADDRESS, 6 };

	/* RFC 1332 §3.3: our own address, for the client to Ack. */
	sp_put_be32(o + 2, s->local);
	s->ipcp_sent = true;
	ppp_out(s, PPP_PROTO_IPCP, PPP_CONF_REQ, s->id++, o, sizeof(o));
}

/* LCP opened: authentication, or straight to the network phase. */
static void
ppp_lcp_opened(struct rh_ppp_server *s)
{
	s->lcp_open = true;
	if (s->auth == RH_AUTH_CHAP_MD5) {
		/* RFC 1994 §4.1: Value-Size, Value, Name. */
		uint8_t d[1 + 16 + 3];

		for (unsigned i = 0; i < 16; i++)
			s->challenge[i] = (uint8_t)(0x30 + i);
		d[0] = 16;
		memcpy(d + 1, s->challenge, 16);
		memcpy(d + 17, "lns", 3);
		s->chap_id = s->id++;
		ppp_out(s, PPP_PROTO_CHAP, CHAP_CHALLENGE, s->chap_id, d,
		    sizeof(d));
	} else if (s->auth == RH_AUTH_NONE) {
		s->auth_ok = true;
		ipcp_request(s);
	}
}

static void
ppp_lcp(struct rh_ppp_server *s, const uint8_t *p, size_t len)
{
	uint8_t o[16];
	size_t n = 0;

	switch (p[0]) {
	case PPP_CONF_REQ:
		/* Whatever the client asks (MRU, magic number) is fine. */
		s->lcp_ack_sent = true;
		ppp_out(s, PPP_PROTO_LCP, PPP_CONF_ACK, p[1], p + 4, len - 4);
		if (!s->lcp_sent) {
			s->lcp_sent = true;
			if (s->auth == RH_AUTH_PAP) {
				o[n++] = LCP_OPT_AUTH_PROTO;
				o[n++] = 4;
				put_be16(o + n, PPP_PROTO_PAP);
				n += 2;
			} else if (s->auth == RH_AUTH_CHAP_MD5) {
				o[n++] = LCP_OPT_AUTH_PROTO;
				o[n++] = 5;
				put_be16(o + n, PPP_PROTO_CHAP);
				n += 2;
				o[n++] = CHAP_ALG_MD5;
			}
			o[n++] = LCP_OPT_MAGIC;
			o[n++] = 6;
			memcpy(o + n, srv_magic, 4);
			n += 4;
			ppp_out(s, PPP_PROTO_LCP, PPP_CONF_REQ, s->id++, o, n);
		}
		break;
	case PPP_CONF_ACK:
		s->lcp_acked = true;
		break;
	case PPP_ECHO_REQ:
		/* RFC 1661 §5.8: the same Identifier, our magic number. */
		s->echo_replies++;
		ppp_out(s, PPP_PROTO_LCP, PPP_ECHO_REP, p[1], srv_magic, 4);
		return;
	case PPP_PROTO_REJ:
		/* RFC 1661 §5.7: the rejected protocol follows the header. */
		if (len >= 6 && get_be16(p + 4) == PPP_PROTO_IPCP)
			s->ipcp_rejected++;
		else if (len >= 6 && get_be16(p + 4) == PPP_PROTO_IPV6CP)
			s->ipv6cp_rejected++;
		return;
	case PPP_TERM_REQ:
		/* RFC 1661 §5.5: Terminate-Ack, and the link is down. */
		ppp_out(s, PPP_PROTO_LCP, PPP_TERM_ACK, p[1], NULL, 0);
		ppp_reset(s);
		s->terminated = true;
		return;
	default:
		return;
	}
	if (!s->lcp_open && s->lcp_acked && s->lcp_ack_sent)
		ppp_lcp_opened(s);
}

static void
ppp_auth_done(struct rh_ppp_server *s, uint16_t proto, uint8_t id, bool ok)
{
	uint8_t zero = 0;

	if (proto == PPP_PROTO_PAP)
		/* RFC 1334 §2.2.2: Msg-Length 0. */
		ppp_out(s, proto, ok ? PAP_AUTH_ACK : PAP_AUTH_NAK, id, &zero,
		    1);
	else
		ppp_out(s, proto, ok ? CHAP_SUCCESS : CHAP_FAILURE, id, NULL,
		    0);
	if (!ok) {
		s->auth_failed = true;
		return;
	}
	s->auth_ok = true;
	ipcp_request(s);
}

static void
ppp_pap(struct rh_ppp_server *s, const uint8_t *p, size_t len)
{
	size_t ul, pl;

	if (p[0] != PAP_AUTH_REQ || len < 5)
		return;
	ul = p[4];
	if (5 + ul >= len)
		return;
	pl = p[5 + ul];
	if (6 + ul + pl > len)
		return;
	ppp_auth_done(s, PPP_PROTO_PAP, p[1],
	    ul == strlen(s->user) && memcmp(p + 5, s->user, ul) == 0 &&
		pl == strlen(s->pass) && memcmp(p + 6 + ul, s->pass, pl) == 0);
}

static void
ppp_chap(struct rh_ppp_server *s, const uint8_t *p, size_t len)
{
	uint8_t want[16];

	if (p[0] != CHAP_RESPONSE || len < 5 + 16 || p[4] != 16 ||
	    p[1] != s->chap_id)
		return;
	chap_md5_response(s->chap_id, (const uint8_t *)s->pass, strlen(s->pass),
	    s->challenge, 16, want);
	ppp_auth_done(s, PPP_PROTO_CHAP, p[1],
	    memcmp(p + 5, want, 16) == 0 && len - 21 == strlen(s->user) &&
		memcmp(p + 21, s->user, len - 21) == 0);
}

/* RFC 1332 §3.3 and RFC 1877: the client's request Nak'd until it asks
 * for our address and DNS servers; anything else rejected. */
static void
ppp_ipcp_request(struct rh_ppp_server *s, const uint8_t *p, size_t len)
{
	uint8_t nak[64], rej[64];
	size_t nn = 0, nr = 0;

	for (size_t off = 4; off + 2 <= len;) {
		const uint8_t *o = p + off;
		uint32_t want = 0;
		bool known = o[1] == 6;

		if (o[1] < 2 || off + o[1] > len)
			return;
		if (known && o[0] == IPCP_OPT_ADDRESS)
			want = s->give;
		else if (known && o[0] == IPCP_OPT_PRIMARY_DNS)
			want = s->dns[0];
		else if (known && o[0] == IPCP_OPT_SECONDARY_DNS)
			want = s->dns[1];
		else
			known = false;
		if (!known || want == 0) {
			if (nr + o[1] <= sizeof(rej)) {
				memcpy(rej + nr, o, o[1]);
				nr += o[1];
			}
		} else if (sp_be32(o + 2) != want && nn + 6 <= sizeof(nak)) {
			nak[nn] = o[0];
			nak[nn + 1] = 6;
			sp_put_be32(nak + nn + 2, want);
			nn += 6;
		}
		off += o[1];
	}
	if (nr > 0) {
		ppp_out(s, PPP_PROTO_IPCP, PPP_CONF_REJ, p[1], rej, nr);
	} else if (nn > 0) {
		ppp_out(s, PPP_PROTO_IPCP, PPP_CONF_NAK, p[1], nak, nn);
	} else {
		s->ipcp_ack_sent = true;
		ppp_out(s, PPP_PROTO_IPCP, PPP_CONF_ACK, p[1], p + 4, len - 4);
	}
}

static void
ppp_ipcp(struct rh_ppp_server *s, const uint8_t *p, size_t len)
{
	if (!s->auth_ok)
		return;
	if (p[0] == PPP_CONF_REQ)
		ppp_ipcp_request(s, p, len);
	else if (p[0] == PPP_CONF_ACK)
		s->ipcp_acked = true;
	else if (p[0] == PPP_TERM_REQ)
		ppp_out(s, PPP_PROTO_IPCP, PPP_TERM_ACK, p[1], NULL, 0);
	s->up = s->ipcp_acked && s->ipcp_ack_sent;
}

static void
ppp_ipv6cp(struct rh_ppp_server *s, const uint8_t *p, size_t len)
{
	static const uint8_t ours[10] = { IPV6CP_OPT_INTERFACE_ID, 10, 0x02, 0,
		0, 0, 0, 0, 0, 0x01 };

	if (!s->auth_ok)
		return;
	if (p[0] == PPP_CONF_REQ) {
		/* RFC 5072 §4.1: Ack whatever identifier it asks for. */
		if (len >= 14 && p[4] == IPV6CP_OPT_INTERFACE_ID && p[5] == 10)
			memcpy(s->v6_peer_id, p + 6, 8);
		s->v6_ack_sent = true;
		ppp_out(s, PPP_PROTO_IPV6CP, PPP_CONF_ACK, p[1], p + 4,
		    len - 4);
		if (!s->v6_sent) {
			s->v6_sent = true;
			ppp_out(s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, s->id++,
			    ours, sizeof(ours));
		}
	} else if (p[0] == PPP_CONF_ACK) {
		s->v6_acked = true;
	} else if (p[0] == PPP_TERM_REQ) {
		ppp_out(s, PPP_PROTO_IPV6CP, PPP_TERM_ACK, p[1], NULL, 0);
	}
	s->v6_up = s->v6_acked && s->v6_ack_sent;
}

/* RFC 1661 §5.7: Protocol-Reject (IPv6CP without ipv6 and the like). */
static void
ppp_proto_rej(struct rh_ppp_server *s, uint16_t proto, const uint8_t *f,
    size_t plen)
{
	uint8_t d[2 + 64];
	size_t n = plen < 64 ? plen : 64;

	put_be16(d, proto);
	memcpy(d + 2, f, n);
	ppp_out(s, PPP_PROTO_LCP, PPP_PROTO_REJ, s->id++, d, 2 + n);
}

/* One frame from the client, protocol field first. */
static void
ppp_input(struct rh_ppp_server *s, const uint8_t *f, size_t len)
{
	uint16_t proto, plen;

	if (!sp_ppp_open(&f, &len, &proto))
		return;
	if (proto == PPP_PROTO_IP) {
		s->ip_rx++;
		s->ip_last_len = len < sizeof(s->ip_last) ? len :
							    sizeof(s->ip_last);
		memcpy(s->ip_last, f, s->ip_last_len);
		return;
	}
	if (proto == PPP_PROTO_IPV6 && s->ipv6) {
		s->ipv6_rx++;
		if (s->ipv6_in != NULL)
			s->ipv6_in(s->ipv6_arg, f, len);
		return;
	}
	if ((plen = sp_cp_len(f, len)) == 0)
		return;
	switch (proto) {
	case PPP_PROTO_LCP:
		ppp_lcp(s, f, plen);
		break;
	case PPP_PROTO_PAP:
		ppp_pap(s, f, plen);
		break;
	case PPP_PROTO_CHAP:
		ppp_chap(s, f, plen);
		break;
	case PPP_PROTO_IPCP:
		ppp_ipcp(s, f, plen);
		break;
	case PPP_PROTO_IPV6CP:
		if (s->ipv6)
			ppp_ipv6cp(s, f, plen);
		else
			ppp_proto_rej(s, proto, f, plen);
		break;
	default:
		ppp_proto_rej(s, proto, f, plen);
		break;
	}
}

/* ---- queues ---- */

static void
q_push(struct rh_srv_msg *q, unsigned *head, unsigned *count,
    const uint8_t *pkt, size_t len)
{
	struct rh_srv_msg *m;

	SRV_CHECK(*count < RH_SRV_QUEUE && len <= sizeof(m->pkt));
	m = &q[(*head + (*count)++) % RH_SRV_QUEUE];
	memcpy(m->pkt, pkt, len);
	m->len = len;
}

static bool
q_pop(struct rh_srv_msg *q, unsigned *head, unsigned *count,
    struct rh_srv_msg *out)
{
	if (*count == 0)
		return false;
	*out = q[*head];
	*head = (*head + 1) % RH_SRV_QUEUE;
	(*count)--;
	return true;
}

/* ---- the LNS ---- */

static void
lns_deliver(struct rh_lns *l, const uint8_t *pkt, size_t len)
{
	sp_deliver(l->h->r, pkt, len, &l->h->local, &l->addr, l->h->now);
}

static void
lns_ctl(struct rh_lns *l, struct l2tp_msg *m)
{
	uint8_t buf[1024];

	lns_deliver(l, buf, sp_ctl_encode(m, &l->ns, l->nr, buf, sizeof(buf)));
}

static void
lns_zlb(struct rh_lns *l)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_ZLB, l->client_tid, 0);
	lns_ctl(l, &m);
}

/* PPP to the client: a data message on the call (RFC 2661 §3.1), with
 * the HDLC address and control fields in front. */
static void
lns_ppp_out(void *arg, const uint8_t *frame, size_t len)
{
	struct rh_lns *l = arg;
	uint8_t buf[RH_DGRAM];

	if (!l->call_up)
		return;
	lns_deliver(l, buf,
	    sp_data_msg(buf, sizeof(buf), l->client_tid, l->client_sid, frame,
		len));
}

static void
lns_sccrq(struct rh_lns *l, const struct l2tp_msg *m)
{
	struct l2tp_msg r;

	/* A resent SCCRQ of the tunnel being answered is not a dial. */
	if (l->client_tid == m->assigned_tunnel_id && l->nr > 0)
		return;
	if (l->dials < RH_SRV_DIALS)
		l->dial_at[l->dials] = l->h->now;
	l->dials++;
	l->client_tid = m->assigned_tunnel_id;
	l->tid = ++l->next_id;
	l->ns = 0;
	l->nr = 1;
	l->tunnel_up = l->call_up = false;
	if (l->mode == RH_LNS_REFUSE) {
		/* RFC 2661 §6.4: StopCCN, result 2 (general error). */
		l2tp_msg_init(&r, L2TP_MSG_STOPCCN, l->client_tid, 0);
		l2tp_msg_set(&r, L2TP_AVP_ASSIGNED_TUNNEL_ID);
		r.assigned_tunnel_id = l->tid;
		l2tp_msg_set(&r, L2TP_AVP_RESULT_CODE);
		r.result.result = 2;
		lns_ctl(l, &r);
		return;
	}
	/* RFC 2661 §6.2: the required AVPs of an SCCRP. */
	l2tp_msg_init(&r, L2TP_MSG_SCCRP, l->client_tid, 0);
	l2tp_msg_set(&r, L2TP_AVP_PROTOCOL_VERSION);
	r.proto_ver = 1;
	l2tp_msg_set(&r, L2TP_AVP_HOST_NAME);
	strlcpy(r.host_name, "lns.test", sizeof(r.host_name));
	l2tp_msg_set(&r, L2TP_AVP_FRAMING_CAP);
	r.framing_cap = 3;
	l2tp_msg_set(&r, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	r.assigned_tunnel_id = l->tid;
	lns_ctl(l, &r);
}

static void
lns_control(struct rh_lns *l, const uint8_t *pkt, size_t len,
    const struct l2tp_hdr *hd)
{
	struct l2tp_msg m, r;
	struct l2tp_err err;

	if (hd->payload_len == 0)
		return; /* a ZLB: an ack, nothing to answer */
	if (l2tp_msg_decode(pkt, len, NULL, &m, &err) != L2TP_OK)
		return;
	if (m.type == L2TP_MSG_SCCRQ) {
		lns_sccrq(l, &m);
		return;
	}
	if (hd->tunnel_id != l->tid || hd->ns != l->nr) {
		/* RFC 2661 §5.8: a resent message is acked again. */
		if (hd->tunnel_id == l->tid)
			lns_zlb(l);
		return;
	}
	l->nr++;
	switch ((int)m.type) {
	case L2TP_MSG_SCCCN:
		l->tunnel_up = true;
		lns_zlb(l);
		break;
	case L2TP_MSG_ICRQ:
		/* RFC 2661 §6.7: ICRP with our Assigned Session ID. */
		l->client_sid = m.assigned_session_id;
		l->sid = ++l->next_id;
		l2tp_msg_init(&r, L2TP_MSG_ICRP, l->client_tid, l->client_sid);
		l2tp_msg_set(&r, L2TP_AVP_ASSIGNED_SESSION_ID);
		r.assigned_session_id = l->sid;
		lns_ctl(l, &r);
		break;
	case L2TP_MSG_ICCN:
		l->call_up = true;
		ppp_reset(&l->ppp);
		lns_zlb(l);
		break;
	case L2TP_MSG_CDN:
		l->cdn_rx++;
		l->call_up = false;
		lns_zlb(l);
		break;
	case L2TP_MSG_STOPCCN:
		l->stopccn_rx++;
		l->tunnel_up = l->call_up = false;
		lns_zlb(l);
		break;
	default:
		lns_zlb(l); /* HELLO and the rest: acked */
		break;
	}
}

static void
lns_on_send(void *arg, const struct l2tp_addr *local,
    const struct l2tp_addr *to, const uint8_t *pkt, size_t len)
{
	struct rh_lns *l = arg;

	l->chain(l->chain_arg, local, to, pkt, len);
	if (l2tp_addr_equal(to, &l->addr))
		q_push(l->q, &l->qhead, &l->qcount, pkt, len);
}

struct rh_lns *
rh_lns_new(struct role_harness *h, const char *host, uint16_t port)
{
	struct rh_lns *l = calloc(1, sizeof(*l));
	struct sockaddr_in *sin;

	SRV_CHECK(l != NULL);
	l->h = h;
	sin = (struct sockaddr_in *)&l->addr.ss;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	SRV_CHECK(inet_pton(AF_INET, host, &sin->sin_addr) == 1);
	l->addr.len = sizeof(*sin);
	l->next_id = 100;
	ppp_defaults(&l->ppp);
	l->ppp.out = lns_ppp_out;
	l->ppp.out_arg = l;
	l->chain = h->io.send;
	l->chain_arg = h->io.send_arg;
	h->io.send = lns_on_send;
	h->io.send_arg = l;
	return l;
}

void
rh_lns_free(struct rh_lns *l)
{
	if (l == NULL)
		return;
	l->h->io.send = l->chain;
	l->h->io.send_arg = l->chain_arg;
	free(l);
}

void
rh_lns_pump(struct rh_lns *l)
{
	struct rh_srv_msg m;
	struct l2tp_hdr hd;

	while (q_pop(l->q, &l->qhead, &l->qcount, &m)) {
		if (l->mode == RH_LNS_SILENT) {
			/* Dials are counted all the same. */
			struct l2tp_msg x;
			struct l2tp_err err;

			if (l2tp_hdr_decode(m.pkt, m.len, &hd) == L2TP_HDR_OK &&
			    hd.is_control && hd.payload_len > 0 && hd.ns == 0 &&
			    hd.tunnel_id == 0 &&
			    l2tp_msg_decode(m.pkt, m.len, NULL, &x, &err) ==
				L2TP_OK &&
			    x.type == L2TP_MSG_SCCRQ &&
			    x.assigned_tunnel_id != l->client_tid) {
				if (l->dials < RH_SRV_DIALS)
					l->dial_at[l->dials] = l->h->now;
				l->dials++;
				l->client_tid = x.assigned_tunnel_id;
			}
			continue;
		}
		if (l2tp_hdr_decode(m.pkt, m.len, &hd) != L2TP_HDR_OK)
			continue;
		if (hd.is_control)
			lns_control(l, m.pkt, m.len, &hd);
		else if (l->call_up && hd.tunnel_id == l->tid &&
		    hd.session_id == l->sid)
			ppp_input(&l->ppp, m.pkt + hd.payload_off,
			    hd.payload_len);
	}
}

static void
lns_pump(void *l)
{
	rh_lns_pump(l);
}

void
rh_lns_run(struct rh_lns *l, uint64_t ms)
{
	sp_advance(l->h->r, &l->h->now, ms, lns_pump, l);
}

void
rh_lns_hangup(struct rh_lns *l, uint16_t result)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_CDN, l->client_tid, l->client_sid);
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = result;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_session_id = l->sid;
	l->call_up = false;
	lns_ctl(l, &m);
	rh_lns_pump(l);
}

void
rh_lns_stop(struct rh_lns *l, uint16_t result)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_STOPCCN, l->client_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.assigned_tunnel_id = l->tid;
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = result;
	l->tunnel_up = l->call_up = false;
	lns_ctl(l, &m);
	rh_lns_pump(l);
}

void
rh_lns_send_ip(struct rh_lns *l, const uint8_t *ip, size_t len)
{
	uint8_t f[RH_DGRAM];

	SRV_CHECK(len + 2 <= sizeof(f));
	put_be16(f, PPP_PROTO_IP);
	memcpy(f + 2, ip, len);
	lns_ppp_out(l, f, len + 2);
	rh_lns_pump(l);
}

void
rh_lns_send_ipv6(struct rh_lns *l, const uint8_t *ip, size_t len)
{
	uint8_t f[RH_DGRAM];

	SRV_CHECK(len + 2 <= sizeof(f));
	put_be16(f, PPP_PROTO_IPV6);
	memcpy(f + 2, ip, len);
	lns_ppp_out(l, f, len + 2);
	rh_lns_pump(l);
}

/* ---- the access concentrator ---- */

static void
ac_push(struct rh_ac *a, const uint8_t *frame, size_t len, int fd)
{
	SRV_CHECK(fake_pppoe_push(&a->h->io, frame, len));
	(void)fake_io_readable(&a->h->io, fd, a->h->now);
}

static void
ac_ppp_out(void *arg, const uint8_t *frame, size_t len)
{
	struct rh_ac *a = arg;
	uint8_t buf[PPPOE_FRAME_MAX];

	if (!a->session_up)
		return;
	ac_push(a, buf,
	    sp_pppoe_session(buf, sizeof(buf), a->client_mac, a->mac,
		a->session_id, frame, len),
	    FAKE_FD_PPPOE_SES);
}

/* PADO or PADS (RFC 2516 §5.2, §5.4) answering pkt. */
static void
ac_answer(struct rh_ac *a, const struct pppoe_pkt *in, uint8_t code,
    uint16_t sid)
{
	struct pppoe_pkt out;
	uint8_t buf[PPPOE_FRAME_MAX];

	sp_pppoe_disc(&out, in->src, a->mac, code, sid);
	if (in->nservice > 0)
		out.service[0] = in->service[0];
	out.present = PPPOE_HAVE_AC_NAME;
	out.ac_name = pppoe_tag_str_val("ac.test");
	if (in->present & PPPOE_HAVE_HOST_UNIQ) {
		out.present |= PPPOE_HAVE_HOST_UNIQ;
		out.host_uniq = in->host_uniq;
	}
	ac_push(a, buf, sp_pppoe_build(buf, sizeof(buf), &out),
	    FAKE_FD_PPPOE_DISC);
}

static void
ac_frame(struct rh_ac *a, const uint8_t *frame, size_t len)
{
	struct pppoe_pkt p;

	if (pppoe_parse(frame, len, &p) != PPPOE_OK)
		return;
	switch (p.code) {
	case PPPOE_CODE_PADI:
		if (a->padi_rx < RH_SRV_DIALS)
			a->padi_at[a->padi_rx] = a->h->now;
		a->padi_rx++;
		if (!a->silent)
			ac_answer(a, &p, PPPOE_CODE_PADO, 0);
		break;
	case PPPOE_CODE_PADR:
		a->padr_rx++;
		if (a->silent)
			break;
		a->session_id = ++a->next_sid;
		memcpy(a->client_mac, p.src, 6);
		a->session_up = true;
		ppp_reset(&a->ppp);
		ac_answer(a, &p, PPPOE_CODE_PADS, a->session_id);
		break;
	case PPPOE_CODE_PADT:
		a->padt_rx++;
		if (p.session_id == a->session_id)
			a->session_up = false;
		break;
	case PPPOE_CODE_SESSION:
		if (a->session_up && p.session_id == a->session_id)
			ppp_input(&a->ppp, p.payload, p.payload_len);
		break;
	default:
		break;
	}
}

static void
ac_on_sent(void *arg, const uint8_t *frame, size_t len)
{
	struct rh_ac *a = arg;

	if (a->chain != NULL)
		a->chain(a->chain_arg, frame, len);
	q_push(a->q, &a->qhead, &a->qcount, frame, len);
}

struct rh_ac *
rh_ac_new(struct role_harness *h)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0xac };
	struct rh_ac *a = calloc(1, sizeof(*a));

	SRV_CHECK(a != NULL);
	a->h = h;
	memcpy(a->mac, mac, sizeof(mac));
	a->next_sid = 0x40;
	ppp_defaults(&a->ppp);
	a->ppp.out = ac_ppp_out;
	a->ppp.out_arg = a;
	a->chain = h->io.pppoe_sent;
	a->chain_arg = h->io.pppoe_sent_arg;
	h->io.pppoe_sent = ac_on_sent;
	h->io.pppoe_sent_arg = a;
	return a;
}

void
rh_ac_free(struct rh_ac *a)
{
	if (a == NULL)
		return;
	a->h->io.pppoe_sent = a->chain;
	a->h->io.pppoe_sent_arg = a->chain_arg;
	free(a);
}

void
rh_ac_pump(struct rh_ac *a)
{
	struct rh_srv_msg m;

	while (q_pop(a->q, &a->qhead, &a->qcount, &m))
		ac_frame(a, m.pkt, m.len);
}

static void
ac_pump(void *a)
{
	rh_ac_pump(a);
}

void
rh_ac_run(struct rh_ac *a, uint64_t ms)
{
	sp_advance(a->h->r, &a->h->now, ms, ac_pump, a);
}

void
rh_ac_padt(struct rh_ac *a)
{
	struct pppoe_pkt out;
	uint8_t buf[PPPOE_FRAME_MAX];

	sp_pppoe_disc(&out, a->client_mac, a->mac, PPPOE_CODE_PADT,
	    a->session_id);
	a->session_up = false;
	ac_push(a, buf, sp_pppoe_build(buf, sizeof(buf), &out),
	    FAKE_FD_PPPOE_DISC);
	rh_ac_pump(a);
}
