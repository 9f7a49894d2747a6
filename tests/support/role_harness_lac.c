/*
 * role_harness_lac.c — scripted PPPoE hosts and LNSes around the LAC
 * (role_harness_lac.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "ppp/auth.h"
#include "ppp/ppp_proto.h"
#include "role_harness_lac.h"
#include "script_peer.h"

#define RHL_CHECK(cond) SP_CHECK_AS("role_harness_lac", cond)

/* ---- the scripted LNSes ---- */

static struct rh_lns *
lns_of(struct rh_lac *x, const struct l2tp_addr *a)
{
	for (unsigned i = 0; i < RH_LNSES; i++)
		if (l2tp_addr_equal(&x->lns[i].addr, a))
			return &x->lns[i];
	return NULL;
}

static struct rh_lns_call *
lns_call_by_sid(struct rh_lns *l, uint16_t sid)
{
	for (unsigned i = 0; i < RH_LNS_CALLS; i++)
		if (l->call[i].sid == sid && l->call[i].sid != 0)
			return &l->call[i];
	return NULL;
}

static void
deliver(struct rh_lac *x, const struct l2tp_addr *from, const uint8_t *pkt,
    size_t len)
{
	struct role_harness *h = x->h;

	sp_deliver(h->r, pkt, len, &h->local, from, h->now);
}

/* A control message from l on tunnel tn, with its Ns/Nr (RFC 2661
 * §5.8). */
static void
lns_send(struct rh_lac *x, struct rh_lns *l, struct rh_lns_tun *tn,
    struct l2tp_msg *m)
{
	uint8_t buf[1024];

	deliver(x, &l->addr, buf,
	    sp_ctl_encode(m, &tn->ns, tn->nr, buf, sizeof(buf)));
}

static void
lns_zlb(struct rh_lac *x, struct rh_lns *l, struct rh_lns_tun *tn)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_ZLB, tn->lac_tid, 0);
	lns_send(x, l, tn, &m);
}

static struct rh_lns_tun *
lns_tun_by_tid(struct rh_lns *l, uint16_t tid)
{
	for (unsigned i = 0; i < l->ntun; i++)
		if (l->tun[i].tid == tid)
			return &l->tun[i];
	return NULL;
}

/* The tunnel an SCCRQ (tunnel id 0) belongs to: the one the LAC's
 * Assigned Tunnel ID already opened (a retransmission), else a new one
 * (§5.8: fresh sequence numbers). */
static struct rh_lns_tun *
lns_tun_for_sccrq(struct rh_lns *l, const uint8_t *pkt, size_t len)
{
	struct l2tp_msg *m;
	struct l2tp_err err;
	struct rh_lns_tun *tn = NULL;

	RHL_CHECK((m = calloc(1, sizeof(*m))) != NULL);
	if (l2tp_msg_decode(pkt, len, NULL, m, &err) != L2TP_OK ||
	    m->type != L2TP_MSG_SCCRQ) {
		free(m);
		return NULL;
	}
	for (unsigned i = 0; i < l->ntun && tn == NULL; i++)
		if (l->tun[i].lac_tid == m->assigned_tunnel_id &&
		    !l->tun[i].stopped)
			tn = &l->tun[i];
	if (tn == NULL) {
		RHL_CHECK(l->ntun < RH_LNS_TUNNELS);
		tn = &l->tun[l->ntun++];
		memset(tn, 0, sizeof(*tn));
		l->stopped = false;
		l->up = false;
	}
	free(m);
	return tn;
}

static void
lns_on_icrq(struct rh_lac *x, struct rh_lns *l, struct rh_lns_tun *tn,
    const struct l2tp_msg *q)
{
	struct rh_lns_call *c = NULL;
	struct l2tp_msg m;

	for (unsigned i = 0; i < RH_LNS_CALLS && c == NULL; i++)
		if (l->call[i].sid == 0)
			c = &l->call[i];
	RHL_CHECK(c != NULL);
	c->open = true;
	c->tun = (unsigned)(tn - l->tun);
	c->sid = ++x->next_id;
	c->lac_sid = q->assigned_session_id;
	c->icrq_al = q->access_line;
	if (l->refuse != 0) {
		/* RFC 2661 §6.12: CDN, our session id assigned. */
		l2tp_msg_init(&m, L2TP_MSG_CDN, tn->lac_tid, c->lac_sid);
		l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
		m.result.result = l->refuse;
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
		m.assigned_session_id = c->sid;
		c->open = false;
	} else {
		l2tp_msg_init(&m, L2TP_MSG_ICRP, tn->lac_tid, c->lac_sid);
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
		m.assigned_session_id = c->sid;
	}
	lns_send(x, l, tn, &m);
}

/* One control datagram from the LAC: the answer RFC 2661 §7 gives, a
 * ZLB when the message wants none (§5.8). */
static void
lns_input(struct rh_lac *x, struct rh_lns *l, const uint8_t *pkt, size_t len)
{
	struct l2tp_hdr hd;
	struct l2tp_msg *m;
	struct l2tp_err err;
	struct rh_lns_call *c;
	struct rh_lns_tun *tn;

	if (l2tp_hdr_decode(pkt, len, &hd) != L2TP_HDR_OK)
		return;
	l->rx++;
	if (hd.payload_len == 0)
		return;
	tn = hd.tunnel_id == 0 ? lns_tun_for_sccrq(l, pkt, len) :
				 lns_tun_by_tid(l, hd.tunnel_id);
	if (tn == NULL)
		return;
	if (hd.ns != tn->nr) {
		/* a retransmission: our ack was lost, or is on its way */
		if ((int16_t)(hd.ns - tn->nr) < 0)
			lns_zlb(x, l, tn);
		return;
	}
	tn->nr++;
	RHL_CHECK((m = calloc(1, sizeof(*m))) != NULL);
	if (l2tp_msg_decode(pkt, len, NULL, m, &err) != L2TP_OK) {
		free(m);
		return;
	}
	if (m->type == L2TP_MSG_SCCRQ) {
		struct l2tp_msg r;

		l->sccrq++;
		tn->lac_tid = m->assigned_tunnel_id;
		tn->tid = ++x->next_id;
		l2tp_msg_init(&r, L2TP_MSG_SCCRP, tn->lac_tid, 0);
		l2tp_msg_set(&r, L2TP_AVP_PROTOCOL_VERSION);
		r.proto_ver = 1;
		l2tp_msg_set(&r, L2TP_AVP_HOST_NAME);
		(void)snprintf(r.host_name, sizeof(r.host_name), "lns.test");
		l2tp_msg_set(&r, L2TP_AVP_FRAMING_CAP);
		r.framing_cap = 3;
		l2tp_msg_set(&r, L2TP_AVP_ASSIGNED_TUNNEL_ID);
		r.assigned_tunnel_id = tn->tid;
		l2tp_msg_set(&r, L2TP_AVP_RECEIVE_WINDOW_SIZE);
		r.receive_window = 16;
		lns_send(x, l, tn, &r);
	} else if (m->type == L2TP_MSG_ICRQ) {
		l->icrq++;
		lns_on_icrq(x, l, tn, m);
	} else {
		if (m->type == L2TP_MSG_SCCCN) {
			tn->up = l->up = true;
		} else if (m->type == L2TP_MSG_ICCN) {
			l->iccn++;
			if ((c = lns_call_by_sid(l, hd.session_id)) != NULL) {
				c->connected = true;
				free(c->iccn);
				c->iccn = m;
				m = NULL;
			}
		} else if (m->type == L2TP_MSG_CDN) {
			l->cdn++;
			if ((c = lns_call_by_sid(l, hd.session_id)) != NULL) {
				c->open = false;
				c->cdn_rcvd = true;
				c->cdn_result = m->result.result;
			}
		} else if (m->type == L2TP_MSG_STOPCCN) {
			l->stopccn++;
			tn->stopped = true;
			tn->up = false;
			l->stopped = true;
			l->up = false;
			l->stop_result = m->result.result;
			for (unsigned i = 0; i < RH_LNS_CALLS; i++)
				if (&l->tun[l->call[i].tun] == tn)
					l->call[i].open = false;
		}
		/* RFC 2661 §5.8: nothing to answer with, so a ZLB acks it */
		lns_zlb(x, l, tn);
	}
	free(m);
}

static void
lns_data(struct rh_lns *l, const struct l2tp_hdr *hd, const uint8_t *pkt)
{
	struct rh_lns_call *c = lns_call_by_sid(l, hd->session_id);
	size_t n = hd->payload_len;

	if (c == NULL)
		return;
	c->data_rx++;
	c->data_last_len = n < sizeof(c->data_last) ? n : sizeof(c->data_last);
	memcpy(c->data_last, pkt + hd->payload_off, c->data_last_len);
}

static void
on_send(void *arg, const struct l2tp_addr *local, const struct l2tp_addr *to,
    const uint8_t *pkt, size_t len)
{
	struct rh_lac *x = arg;
	struct rh_lns *l = lns_of(x, to);
	struct l2tp_hdr hd;

	x->send(x->send_arg, local, to, pkt, len);
	if (l == NULL || l2tp_hdr_decode(pkt, len, &hd) != L2TP_HDR_OK)
		return;
	if (!hd.is_control) {
		lns_data(l, &hd, pkt);
		return;
	}
	if (l->silent) {
		l->silent_rx++;
		return;
	}
	if (len > RH_DGRAM)
		return;
	RHL_CHECK(l->nin < RH_LNS_INBOX);
	memcpy(l->in[l->nin], pkt, len);
	l->inlen[l->nin++] = len;
}

void
rh_lac_settle(struct rh_lac *x)
{
	static uint8_t pkt[RH_DGRAM];
	bool again = true;

	while (again) {
		again = false;
		for (unsigned i = 0; i < RH_LNSES; i++) {
			struct rh_lns *l = &x->lns[i];
			size_t len;

			if (l->nin == 0)
				continue;
			/* first in, first out; the inbox may grow meanwhile */
			len = l->inlen[0];
			memcpy(pkt, l->in[0], len);
			memmove(l->in[0], l->in[1],
			    (l->nin - 1) * sizeof(l->in[0]));
			memmove(&l->inlen[0], &l->inlen[1],
			    (l->nin - 1) * sizeof(l->inlen[0]));
			l->nin--;
			lns_input(x, l, pkt, len);
			again = true;
		}
	}
}

static void
lac_settle(void *x)
{
	rh_lac_settle(x);
}

void
rh_lac_advance(struct rh_lac *x, uint64_t ms)
{
	sp_advance(x->h->r, &x->h->now, ms, lac_settle, x);
}

struct rh_lns *
rh_lns(struct rh_lac *x, unsigned i)
{
	RHL_CHECK(i < RH_LNSES);
	return &x->lns[i];
}

struct rh_lns_call *
rh_lns_call_n(struct rh_lns *l, unsigned n)
{
	/* calls take the first free slot and are never reused */
	if (n >= RH_LNS_CALLS || l->call[n].sid == 0)
		return NULL;
	return &l->call[n];
}

void
rh_lns_cdn(struct rh_lac *x, struct rh_lns *l, struct rh_lns_call *c,
    uint16_t result)
{
	struct rh_lns_tun *tn = &l->tun[c->tun];
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_CDN, tn->lac_tid, c->lac_sid);
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = result;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_session_id = c->sid;
	c->open = false;
	lns_send(x, l, tn, &m);
	rh_lac_settle(x);
}

void
rh_lns_stopccn(struct rh_lac *x, struct rh_lns *l, uint16_t result)
{
	struct rh_lns_tun *tn;
	struct l2tp_msg m;

	RHL_CHECK(l->ntun > 0);
	tn = &l->tun[l->ntun - 1];
	l2tp_msg_init(&m, L2TP_MSG_STOPCCN, tn->lac_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.assigned_tunnel_id = tn->tid;
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = result;
	lns_send(x, l, tn, &m);
	tn->up = false;
	tn->stopped = true;
	l->up = false;
	l->stopped = true;
	for (unsigned i = 0; i < RH_LNS_CALLS; i++)
		if (&l->tun[l->call[i].tun] == tn)
			l->call[i].open = false;
	rh_lac_settle(x);
}

void
rh_lns_data(struct rh_lac *x, struct rh_lns *l, struct rh_lns_call *c,
    const uint8_t *ppp, size_t len)
{
	uint8_t buf[RH_DGRAM];

	deliver(x, &l->addr, buf,
	    sp_data_msg(buf, sizeof(buf), l->tun[c->tun].lac_tid, c->lac_sid,
		ppp, len));
	rh_lac_settle(x);
}

/* ---- the PPPoE hosts ---- */

static struct rh_host *
host_of_session(struct rh_lac *x, const uint8_t *mac, uint16_t sid)
{
	for (unsigned i = 0; i < RH_HOSTS; i++)
		if (x->host[i].sid == sid && sid != 0 &&
		    memcmp(x->host[i].mac, mac, PPPOE_MAC_LEN) == 0)
			return &x->host[i];
	return NULL;
}

static struct rh_host *
host_of_uniq(struct rh_lac *x, const struct pppoe_pkt *p)
{
	uint16_t u;

	if (!(p->present & PPPOE_HAVE_HOST_UNIQ) || p->host_uniq.len != 2)
		return NULL;
	u = get_be16(p->host_uniq.p);
	for (unsigned i = 0; i < RH_HOSTS; i++)
		if (x->host[i].uniq == u &&
		    memcmp(x->host[i].mac, p->dst, PPPOE_MAC_LEN) == 0)
			return &x->host[i];
	return NULL;
}

/* The LAC's PPP towards the host: its Configure-Request, the Ack of ours,
 * PAP's and CHAP's messages, Terminate-Request. */
static void
host_learn_ppp(struct rh_host *u, const uint8_t *f, size_t len)
{
	uint16_t proto, plen;

	u->rx++;
	u->last_len = len < sizeof(u->last) ? len : sizeof(u->last);
	memcpy(u->last, f, u->last_len);
	/* PPPoE carries the frame from its protocol field on (RFC 2516
	 * §6). */
	if (len < 2)
		return;
	proto = get_be16(f);
	if ((plen = sp_cp_len(f + 2, len - 2)) == 0)
		return;
	f += 2;
	len -= 2;
	if (proto == PPP_PROTO_LCP && f[0] == PPP_CONF_REQ &&
	    plen <= sizeof(u->lcp_req)) {
		memcpy(u->lcp_req, f, plen);
		u->lcp_req_len = plen;
	} else if (proto == PPP_PROTO_LCP && f[0] == PPP_CONF_ACK) {
		u->lcp_acked = true;
	} else if (proto == PPP_PROTO_LCP && f[0] == PPP_TERM_REQ) {
		u->term_req = true;
	} else if (proto == PPP_PROTO_PAP && f[0] == PAP_AUTH_ACK) {
		u->pap_ack = true;
	} else if (proto == PPP_PROTO_PAP && f[0] == PAP_AUTH_NAK) {
		u->pap_nak = true;
	} else if (proto == PPP_PROTO_CHAP && f[0] == CHAP_CHALLENGE &&
	    plen >= 5 && f[4] <= plen - 5 && f[4] <= sizeof(u->chap_chal)) {
		u->chap_id = f[1];
		u->chap_chal_len = f[4];
		memcpy(u->chap_chal, f + 5, f[4]);
	} else if (proto == PPP_PROTO_CHAP && f[0] == CHAP_SUCCESS) {
		u->chap_success = true;
	} else if (proto == PPP_PROTO_CHAP && f[0] == CHAP_FAILURE) {
		u->chap_failure = true;
	}
}

static void
on_pppoe_sent(void *arg, const uint8_t *frame, size_t len)
{
	struct rh_lac *x = arg;
	struct pppoe_pkt p;
	struct rh_host *u;

	if (pppoe_parse(frame, len, &p) != PPPOE_OK)
		return;
	if (p.ethertype == PPPOE_ETHERTYPE_SES) {
		if ((u = host_of_session(x, p.dst, p.session_id)) != NULL)
			host_learn_ppp(u, p.payload, p.payload_len);
		return;
	}
	if (p.code == PPPOE_CODE_PADO) {
		if ((u = host_of_uniq(x, &p)) == NULL ||
		    !(p.present & PPPOE_HAVE_AC_COOKIE) ||
		    p.ac_cookie.len > sizeof(u->cookie))
			return;
		u->pado = true;
		memcpy(u->ac_mac, p.src, PPPOE_MAC_LEN);
		memcpy(u->cookie, p.ac_cookie.p, p.ac_cookie.len);
		u->cookie_len = p.ac_cookie.len;
	} else if (p.code == PPPOE_CODE_PADS) {
		if ((u = host_of_uniq(x, &p)) == NULL)
			return;
		u->sid = p.session_id;
		u->pads_error = p.session_id == 0 ||
		    (p.present & PPPOE_HAVE_ANY_ERR) != 0;
	} else if (p.code == PPPOE_CODE_PADT) {
		if ((u = host_of_session(x, p.dst, p.session_id)) != NULL)
			u->padt = true;
	}
}

struct rh_host *
rh_host(struct rh_lac *x, unsigned i)
{
	RHL_CHECK(i < RH_HOSTS);
	return &x->host[i];
}

static void
host_disc(struct rh_lac *x, struct rh_host *u, uint8_t code)
{
	struct role_harness *h = x->h;
	struct pppoe_pkt p;
	uint8_t buf[PPPOE_FRAME_MAX], uniq[2];

	sp_pppoe_disc(&p, code == PPPOE_CODE_PADI ? sp_pppoe_bcast : u->ac_mac,
	    u->mac, code, code == PPPOE_CODE_PADT ? u->sid : 0);
	put_be16(uniq, u->uniq);
	p.present = PPPOE_HAVE_HOST_UNIQ;
	p.host_uniq.p = uniq;
	p.host_uniq.len = 2;
	if (code == PPPOE_CODE_PADR && u->cookie_len > 0) {
		p.present |= PPPOE_HAVE_AC_COOKIE;
		p.ac_cookie.p = u->cookie;
		p.ac_cookie.len = (uint16_t)u->cookie_len;
	}
	if ((code == PPPOE_CODE_PADI || code == PPPOE_CODE_PADR) &&
	    u->vendor_len > 0) {
		p.present |= PPPOE_HAVE_VENDOR;
		p.vendor.p = u->vendor;
		p.vendor.len = (uint16_t)u->vendor_len;
	}
	RHL_CHECK(
	    fake_pppoe_push(&h->io, buf, sp_pppoe_build(buf, sizeof(buf), &p)));
	RHL_CHECK(fake_io_readable(&h->io, FAKE_FD_PPPOE_DISC, h->now));
	rh_lac_settle(x);
}

bool
rh_host_padr(struct rh_lac *x, struct rh_host *u)
{
	u->sid = 0;
	u->pads_error = false;
	host_disc(x, u, PPPOE_CODE_PADR);
	return u->sid != 0 && !u->pads_error;
}

bool
rh_host_discover(struct rh_lac *x, struct rh_host *u)
{
	u->pado = false;
	u->cookie_len = 0;
	host_disc(x, u, PPPOE_CODE_PADI);
	if (!u->pado)
		return false;
	return rh_host_padr(x, u);
}

void
rh_host_padt(struct rh_lac *x, struct rh_host *u)
{
	host_disc(x, u, PPPOE_CODE_PADT);
}

void
rh_host_ppp(struct rh_lac *x, struct rh_host *u, const uint8_t *ppp, size_t len)
{
	struct role_harness *h = x->h;
	uint8_t buf[PPPOE_FRAME_MAX];

	RHL_CHECK(fake_pppoe_push(&h->io, buf,
	    sp_pppoe_session(buf, sizeof(buf), u->ac_mac, u->mac, u->sid, ppp,
		len)));
	RHL_CHECK(fake_io_readable(&h->io, FAKE_FD_PPPOE_SES, h->now));
	rh_lac_settle(x);
}

/* RFC 1661 §5.1-5.2: our request (a magic number), the Ack of theirs. */
static bool
host_lcp(struct rh_lac *x, struct rh_host *u)
{
	static const uint8_t opts[] = { LCP_OPT_MAGIC, 6, 0x55, 0x53, 0x45,
		0x52 };
	uint8_t f[128];

	if (u->lcp_req_len == 0)
		return false;
	memcpy(u->our_req, opts, sizeof(opts));
	u->our_req_len = sizeof(opts);
	if (u->id == 0)
		u->id = 1;
	rh_host_ppp(x, u, f,
	    sp_cp_frame(f, PPP_PROTO_LCP, PPP_CONF_REQ, u->id++, opts,
		sizeof(opts)));
	rh_host_ppp(x, u, f,
	    sp_cp_ack(PPP_PROTO_LCP, u->lcp_req, u->lcp_req_len, f));
	return u->lcp_acked;
}

bool
rh_host_up_pap(struct rh_lac *x, struct rh_host *u, const char *user,
    const char *pass)
{
	uint8_t f[256], d[160];
	size_t ul = strlen(user), pl = strlen(pass);

	RHL_CHECK(ul < 64 && pl < 64);
	if (!host_lcp(x, u))
		return false;
	/* RFC 1334 §2.2.1: Authenticate-Request. */
	d[0] = (uint8_t)ul;
	memcpy(d + 1, user, ul);
	d[1 + ul] = (uint8_t)pl;
	memcpy(d + 2 + ul, pass, pl);
	rh_host_ppp(x, u, f,
	    sp_cp_frame(f, PPP_PROTO_PAP, PAP_AUTH_REQ, u->id++, d,
		2 + ul + pl));
	return u->pap_ack;
}

bool
rh_host_up_chap(struct rh_lac *x, struct rh_host *u, const char *user,
    const char *secret)
{
	uint8_t f[256], d[160];
	size_t ul = strlen(user);

	RHL_CHECK(ul < 64);
	if (!host_lcp(x, u) || u->chap_chal_len == 0)
		return false;
	/* RFC 1994 §4.1: Response = MD5(id || secret || challenge), then
	 * the name. */
	d[0] = 16;
	chap_md5_response(u->chap_id, (const uint8_t *)secret, strlen(secret),
	    u->chap_chal, u->chap_chal_len, d + 1);
	memcpy(d + 17, user, ul);
	rh_host_ppp(x, u, f,
	    sp_cp_frame(f, PPP_PROTO_CHAP, CHAP_RESPONSE, u->chap_id, d,
		17 + ul));
	return u->chap_success;
}

/* ---- the harness ---- */

struct rh_lac *
rh_lac_attach(struct role_harness *h)
{
	struct rh_lac *x = calloc(1, sizeof(*x));
	struct sockaddr_in *sin;

	RHL_CHECK(x != NULL);
	x->h = h;
	x->next_id = 0x4000;
	for (unsigned i = 0; i < RH_LNSES; i++) {
		sin = (struct sockaddr_in *)&x->lns[i].addr.ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(1701);
		sin->sin_addr.s_addr = htonl(0xcb00710a + i); /* 203.0.113.10 */
		x->lns[i].addr.len = sizeof(*sin);
	}
	for (unsigned i = 0; i < RH_HOSTS; i++) {
		static const uint8_t mac[PPPOE_MAC_LEN] = { 2, 0, 0, 0, 1, 0 };

		memcpy(x->host[i].mac, mac, sizeof(mac));
		x->host[i].mac[5] = (uint8_t)(i + 1);
		x->host[i].uniq = (uint16_t)(0x100 + i);
	}
	x->send = h->io.send;
	x->send_arg = h->io.send_arg;
	h->io.send = on_send;
	h->io.send_arg = x;
	h->io.pppoe_sent = on_pppoe_sent;
	h->io.pppoe_sent_arg = x;
	return x;
}

void
rh_lac_free(struct rh_lac *x)
{
	if (x == NULL)
		return;
	/* the roles' last words (PADT, StopCCN) go to the hooks: free them
	 * with the harness, then x */
	rh_free(x->h);
	for (unsigned i = 0; i < RH_LNSES; i++)
		for (unsigned j = 0; j < RH_LNS_CALLS; j++)
			free(x->lns[i].call[j].iccn);
	free(x);
}

/* text with every "%DIR%" replaced by dir, written to path. */
static void
write_subst(const char *path, const char *text, const char *dir)
{
	FILE *f = fopen(path, "w");
	const char *p;

	RHL_CHECK(f != NULL);
	for (p = text; *p != '\0';) {
		if (strncmp(p, "%DIR%", 5) == 0) {
			RHL_CHECK(fputs(dir, f) >= 0);
			p += 5;
		} else {
			RHL_CHECK(fputc(*p++, f) != EOF);
		}
	}
	RHL_CHECK(fclose(f) == 0);
}

void
rh_lac_write(struct rh_lac *x, const char *name, const char *text)
{
	char path[160];
	bool known = false;

	/* only files rh_free removes */
	for (unsigned i = 0; i < x->h->nfiles; i++)
		known = known || strcmp(x->h->files[i], name) == 0;
	RHL_CHECK(known);
	(void)snprintf(path, sizeof(path), "%s/%s", x->h->dir, name);
	write_subst(path, text, x->h->dir);
}

int
rh_lac_reload(struct rh_lac *x, const char *cfg_text, char *err, size_t errlen)
{
	struct role_harness *h = x->h;
	struct vpdn_config *cfg;

	/* the harness's own configuration file: rh_free removes it */
	write_subst(h->cfg_path, cfg_text, h->dir);
	if ((cfg = config_load(h->cfg_path, err, errlen)) == NULL)
		return -1;
	if (roles_reconfigure(h->r, cfg, h->now, err, errlen) < 0) {
		config_free(cfg);
		return -1;
	}
	/* roles.h: the old snapshot may go once the reload returned */
	config_free(h->cfg);
	h->cfg = cfg;
	rh_lac_settle(x);
	return 0;
}
