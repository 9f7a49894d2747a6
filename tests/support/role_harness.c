/*
 * role_harness.c — the roles on a fake clock with scripted peers
 * (role_harness.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "l2tp/challenge.h"
#include "l2tp/msg.h"
#include "ppp/ppp_proto.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness.h"
#include "script_peer.h"

/* The Challenge a peer with a secret sends (any 16 bytes do). */
static const uint8_t rh_challenge[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	13, 14, 15, 16 };

#define RH_CHECK(cond) SP_CHECK_AS("role_harness", cond)

/* ---- files ---- */

/* text with every "%DIR%" replaced by dir; malloc'ed. */
static char *
subst_dir(const char *text, const char *dir)
{
	size_t cap = strlen(text) + 1, dl = strlen(dir), n = 0;
	char *out;
	const char *p;

	for (p = text; (p = strstr(p, "%DIR%")) != NULL; p += 5)
		cap += dl;
	RH_CHECK((out = malloc(cap)) != NULL);
	for (p = text; *p != '\0';) {
		if (strncmp(p, "%DIR%", 5) == 0) {
			memcpy(out + n, dir, dl);
			n += dl;
			p += 5;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	RH_CHECK(f != NULL);
	RH_CHECK(fputs(text, f) >= 0);
	RH_CHECK(fclose(f) == 0);
}

/* ---- what the roles send ---- */

static struct rh_peer *
peer_of(struct role_harness *h, const struct l2tp_addr *a)
{
	for (unsigned i = 0; i < RH_PEERS; i++)
		if (l2tp_addr_equal(&h->peer[i].addr, a))
			return &h->peer[i];
	return NULL;
}

static struct rh_call *
call_by_sid(struct rh_peer *p, uint16_t sid)
{
	for (unsigned i = 0; i < RH_CALLS; i++)
		if (p->call[i].open && p->call[i].sid == sid)
			return &p->call[i];
	return NULL;
}

/* The roles' PPP side as the peer needs it: their Configure-Requests,
 * the address of an IPCP Nak, PAP's answer, IPCP's Ack, IP frames. */
static void
learn_ppp(struct rh_call *c, const uint8_t *f, size_t len)
{
	uint16_t proto, plen;

	if (!sp_ppp_open(&f, &len, &proto))
		return;
	if (proto == PPP_PROTO_IP) {
		c->ip_rx++;
		c->ip_last_len = len < sizeof(c->ip_last) ? len :
							    sizeof(c->ip_last);
		memcpy(c->ip_last, f, c->ip_last_len);
		return;
	}
	if (proto == PPP_PROTO_IPV6) {
		c->ipv6_rx++;
		c->ipv6_last_len = len < sizeof(c->ipv6_last) ?
		    len :
		    sizeof(c->ipv6_last);
		memcpy(c->ipv6_last, f, c->ipv6_last_len);
		return;
	}
	if ((plen = sp_cp_len(f, len)) == 0)
		return;
	if (proto == PPP_PROTO_IPV6CP && f[0] == PPP_CONF_REQ &&
	    plen <= sizeof(c->v6cp_req)) {
		memcpy(c->v6cp_req, f, plen);
		c->v6cp_req_len = plen;
		return;
	}
	if (proto == PPP_PROTO_IPV6CP && f[0] == PPP_CONF_ACK) {
		c->v6cp_acked = true;
		return;
	}
	if (proto == PPP_PROTO_LCP && f[0] == PPP_PROTO_REJ && plen >= 6) {
		c->proto_rej++;
		c->proto_rej_last = (uint16_t)(f[4] << 8 | f[5]);
		return;
	}
	if (proto == PPP_PROTO_LCP && f[0] == PPP_CONF_REQ &&
	    plen <= sizeof(c->lcp_req)) {
		memcpy(c->lcp_req, f, plen);
		c->lcp_req_len = plen;
	} else if (proto == PPP_PROTO_IPCP && f[0] == PPP_CONF_REQ &&
	    plen <= sizeof(c->ipcp_req)) {
		memcpy(c->ipcp_req, f, plen);
		c->ipcp_req_len = plen;
	} else if (proto == PPP_PROTO_IPCP && f[0] == PPP_CONF_NAK &&
	    plen >= 10 && f[4] == 3 && f[5] == 6) {
		c->offered = sp_be32(f + 6);
	} else if (proto == PPP_PROTO_IPCP && f[0] == PPP_CONF_ACK) {
		c->ipcp_acked = true;
	} else if (proto == PPP_PROTO_PAP && f[0] == PAP_AUTH_ACK) {
		c->pap_ack = true;
	} else if (proto == PPP_PROTO_LCP && f[0] == PPP_TERM_REQ) {
		c->lcp_term_req++;
	} else if (proto == PPP_PROTO_LCP && f[0] == PPP_ECHO_REQ) {
		c->echo_rx++;
		c->echo_id = f[1];
		c->echo_pending = true;
	}
}

static void
on_send(void *arg, const struct l2tp_addr *local, const struct l2tp_addr *to,
    const uint8_t *pkt, size_t len)
{
	struct role_harness *h = arg;
	struct rh_dgram *d = &h->sent[h->nsent++ % RH_SENT];
	struct rh_peer *p = peer_of(h, to);
	struct l2tp_hdr hd;
	struct l2tp_msg m;
	struct l2tp_err err;
	struct rh_call *c;

	(void)local;
	d->peer = *to;
	d->len = len < sizeof(d->pkt) ? len : sizeof(d->pkt);
	memcpy(d->pkt, pkt, d->len);
	if (p == NULL || l2tp_hdr_decode(pkt, len, &hd) != L2TP_HDR_OK)
		return;
	if (!hd.is_control) {
		if ((c = call_by_sid(p, hd.session_id)) != NULL)
			learn_ppp(c, pkt + hd.payload_off, hd.payload_len);
		return;
	}
	/* RFC 2661 §5.8: a ZLB takes no sequence number; a retransmission
	 * was seen already. */
	if (hd.payload_len == 0 || hd.ns != p->nr)
		return;
	p->nr++;
	if (l2tp_msg_decode(pkt, len, NULL, &m, &err) != L2TP_OK)
		return;
	p->last_type = (uint8_t)m.type;
	if (m.type == L2TP_MSG_SCCRP) {
		p->lns_tid = m.assigned_tunnel_id;
		if (p->secret != NULL) {
			struct l2tp_secret s = { (const uint8_t *)p->secret,
				strlen(p->secret) };

			p->secret_ok = l2tp_msg_has(&m,
					   L2TP_AVP_CHALLENGE_RESPONSE) &&
			    l2tp_challenge_verify(L2TP_MSG_SCCRP, &s,
				rh_challenge, sizeof(rh_challenge),
				m.challenge_response);
			p->lns_challenge_len = 0;
			if (l2tp_msg_has(&m, L2TP_AVP_CHALLENGE) &&
			    m.challenge.len <= sizeof(p->lns_challenge)) {
				memcpy(p->lns_challenge, m.challenge.data,
				    m.challenge.len);
				p->lns_challenge_len = m.challenge.len;
			}
		}
	} else if (m.type == L2TP_MSG_STOPCCN) {
		p->stop_result = m.result.result;
		p->stop_error = m.result.error;
		p->open = false;
		for (unsigned i = 0; i < RH_CALLS; i++)
			p->call[i].open = false;
	} else if (m.type == L2TP_MSG_ICRP) {
		if ((c = call_by_sid(p, hd.session_id)) != NULL)
			c->lns_sid = m.assigned_session_id;
	} else if (m.type == L2TP_MSG_CDN) {
		p->cdn_result = m.result.result;
		if ((c = call_by_sid(p, hd.session_id)) != NULL)
			c->open = false;
	}
}

/* ---- the harness ---- */

struct role_harness *
rh_new(const char *cfg_text, ...)
{
	struct role_harness *h;
	struct roles_io io;
	struct sockaddr_in *sin;
	char err[512], path[160];
	const char *name, *text;
	char *t;
	va_list ap;

	RH_CHECK((h = calloc(1, sizeof(*h))) != NULL);
	(void)snprintf(h->dir, sizeof(h->dir), "/tmp/vpdn-rh.XXXXXX");
	RH_CHECK(mkdtemp(h->dir) != NULL);
	va_start(ap, cfg_text);
	while ((name = va_arg(ap, const char *)) != NULL) {
		text = va_arg(ap, const char *);
		RH_CHECK(h->nfiles < RH_FILES && strchr(name, '/') == NULL &&
		    strlen(name) < sizeof(h->files[0]));
		strcpy(h->files[h->nfiles++], name);
		(void)snprintf(path, sizeof(path), "%s/%s", h->dir, name);
		t = subst_dir(text, h->dir);
		write_file(path, t);
		free(t);
	}
	va_end(ap);
	(void)snprintf(h->cfg_path, sizeof(h->cfg_path), "%s/vpdn.conf",
	    h->dir);
	t = subst_dir(cfg_text, h->dir);
	write_file(h->cfg_path, t);
	free(t);
	h->cfg = config_load(h->cfg_path, err, sizeof(err));
	if (h->cfg == NULL)
		fprintf(stderr, "role_harness: %s\n", err);
	RH_CHECK(h->cfg != NULL);

	sin = (struct sockaddr_in *)&h->local.ss;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(1701);
	sin->sin_addr.s_addr = htonl(0xc6336401); /* 198.51.100.1 */
	h->local.len = sizeof(*sin);
	h->local.ifindex = RH_L2TP_IFINDEX;
	for (unsigned i = 0; i < RH_PEERS; i++) {
		sin = (struct sockaddr_in *)&h->peer[i].addr.ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(1701);
		sin->sin_addr.s_addr = htonl(0xc000020a + i); /* 192.0.2.10 */
		h->peer[i].addr.len = sizeof(*sin);
	}

	h->now = RH_START_MS;
	fake_io_init(&h->io);
	h->io.send = on_send;
	h->io.send_arg = h;
	/* As the daemon when the programs loaded. */
	h->io.fastpath = h->cfg->global.dataplane != CFG_DATAPLANE_USER;
	fake_io_roles_io(&h->io, AF_INET, h->cfg->radius.enabled, &io);
	h->r = roles_new(h->cfg, &io, h->now);
	RH_CHECK(h->r != NULL);
	return h;
}

void
rh_free(struct role_harness *h)
{
	char path[160];

	if (h == NULL)
		return;
	roles_free(h->r);
	fake_io_release(&h->io);
	config_free(h->cfg);
	for (unsigned i = 0; i < h->nfiles; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", h->dir,
		    h->files[i]);
		(void)unlink(path);
	}
	(void)unlink(h->cfg_path);
	(void)rmdir(h->dir);
	free(h);
}

void
rh_advance(struct role_harness *h, uint64_t ms)
{
	sp_advance(h->r, &h->now, ms, NULL, NULL);
}

const struct rh_dgram *
rh_sent(const struct role_harness *h, unsigned i)
{
	if (i >= h->nsent || i >= RH_SENT)
		return NULL;
	return &h->sent[(h->nsent - 1 - i) % RH_SENT];
}

struct rh_peer *
rh_peer(struct role_harness *h, unsigned i)
{
	RH_CHECK(i < RH_PEERS);
	return &h->peer[i];
}

static void
deliver(struct role_harness *h, struct rh_peer *p, const uint8_t *pkt,
    size_t len)
{
	sp_deliver(h->r, pkt, len, &h->local, &p->addr, h->now);
}

void
rh_send_ctl(struct role_harness *h, struct rh_peer *p, struct l2tp_msg *m)
{
	uint8_t buf[1024];

	deliver(h, p, buf, sp_ctl_encode(m, &p->ns, p->nr, buf, sizeof(buf)));
}

bool
rh_tunnel_open(struct role_harness *h, struct rh_peer *p)
{
	struct l2tp_msg m;

	memset(p->call, 0, sizeof(p->call));
	p->open = true;
	p->tid = ++h->next_id;
	p->lns_tid = 0;
	p->ns = p->nr = 0;
	l2tp_msg_init(&m, L2TP_MSG_SCCRQ, 0, 0);
	l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
	m.proto_ver = 1;
	l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
	(void)snprintf(m.host_name, sizeof(m.host_name), "%s",
	    p->host_name[0] ? p->host_name : "lac.test");
	if (p->secret != NULL) {
		l2tp_msg_set(&m, L2TP_AVP_CHALLENGE);
		memcpy(m.challenge.data, rh_challenge, sizeof(rh_challenge));
		m.challenge.len = sizeof(rh_challenge);
	}
	p->secret_ok = false;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
	m.framing_cap = 3;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.assigned_tunnel_id = p->tid;
	l2tp_msg_set(&m, L2TP_AVP_RECEIVE_WINDOW_SIZE);
	m.receive_window = 16;
	rh_send_ctl(h, p, &m);
	if (p->lns_tid == 0) {
		p->open = false;
		return false;
	}
	l2tp_msg_init(&m, L2TP_MSG_SCCCN, p->lns_tid, 0);
	if (p->secret != NULL && p->lns_challenge_len > 0) {
		struct l2tp_secret s = { (const uint8_t *)p->secret,
			strlen(p->secret) };

		l2tp_msg_set(&m, L2TP_AVP_CHALLENGE_RESPONSE);
		l2tp_challenge_response(L2TP_MSG_SCCCN, &s, p->lns_challenge,
		    p->lns_challenge_len, m.challenge_response);
	}
	rh_send_ctl(h, p, &m);
	return true;
}

struct rh_call *
rh_call_open(struct role_harness *h, struct rh_peer *p)
{
	struct rh_call *c = NULL;
	struct l2tp_msg m;

	for (unsigned i = 0; i < RH_CALLS && c == NULL; i++)
		if (!p->call[i].open)
			c = &p->call[i];
	RH_CHECK(c != NULL);
	memset(c, 0, sizeof(*c));
	c->open = true;
	c->sid = ++h->next_id;
	c->id = 1;
	l2tp_msg_init(&m, L2TP_MSG_ICRQ, p->lns_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_session_id = c->sid;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	m.call_serial = c->sid;
	if (p->icrq_al != NULL)
		m.access_line = *p->icrq_al;
	rh_send_ctl(h, p, &m);
	if (!c->open || c->lns_sid == 0) {
		c->open = false;
		return NULL;
	}
	/* RFC 2661 §6.7: Tx Connect Speed and Framing Type are required. */
	l2tp_msg_init(&m, L2TP_MSG_ICCN, p->lns_tid, c->lns_sid);
	l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
	m.tx_connect_speed = 100000000;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
	m.framing_type = L2TP_FRAMING_SYNC;
	/* RFC 2661 §4.4.6: both ends then number their data messages. */
	if (p->seq_required)
		l2tp_msg_set(&m, L2TP_AVP_SEQUENCING_REQUIRED);
	rh_send_ctl(h, p, &m);
	return c;
}

void
rh_ppp_send(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const uint8_t *frame, size_t len)
{
	uint8_t buf[RH_DGRAM];

	deliver(h, p, buf,
	    sp_data_msg(buf, sizeof(buf), p->lns_tid, c->lns_sid, frame, len));
}

bool
rh_ppp_lcp_pap(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const char *user, const char *pass)
{
	static const uint8_t lcp_opts[] = { 5, 6, 0x50, 0x45, 0x45, 0x52 };
	uint8_t f[256], d[128];
	size_t ul = strlen(user), pl = strlen(pass);

	RH_CHECK(ul < 64 && pl < 64);
	/* RFC 1661 §5.1-5.2: our request (a magic number), their Ack; the
	 * Ack of theirs. */
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_LCP, PPP_CONF_REQ, c->id++, lcp_opts,
		sizeof(lcp_opts)));
	if (c->lcp_req_len == 0)
		return false;
	rh_ppp_send(h, p, c, f,
	    sp_cp_ack(PPP_PROTO_LCP, c->lcp_req, c->lcp_req_len, f));
	/* RFC 1334 §2.2.1: Authenticate-Request. */
	d[0] = (uint8_t)ul;
	memcpy(d + 1, user, ul);
	d[1 + ul] = (uint8_t)pl;
	memcpy(d + 2 + ul, pass, pl);
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_PAP, PAP_AUTH_REQ, c->id++, d,
		2 + ul + pl));
	return true;
}

uint32_t
rh_ppp_ipcp(struct role_harness *h, struct rh_peer *p, struct rh_call *c)
{
	uint8_t f[256], ip[6] = { 3, 6, 0, 0, 0, 0 };

	if (!c->pap_ack)
		return 0;
	/* RFC 1332 §3.3: 0.0.0.0 asks for an address, the Nak names it. */
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_IPCP, PPP_CONF_REQ, c->id++, ip,
		sizeof(ip)));
	if (c->offered == 0 || c->ipcp_req_len == 0)
		return 0;
	sp_put_be32(ip + 2, c->offered);
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_IPCP, PPP_CONF_REQ, c->id++, ip,
		sizeof(ip)));
	rh_ppp_send(h, p, c, f,
	    sp_cp_ack(PPP_PROTO_IPCP, c->ipcp_req, c->ipcp_req_len, f));
	return c->ipcp_acked ? c->offered : 0;
}

uint32_t
rh_ppp_up_pap(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const char *user, const char *pass)
{
	if (!rh_ppp_lcp_pap(h, p, c, user, pass))
		return 0;
	return rh_ppp_ipcp(h, p, c);
}

bool
rh_ppp_echo_reply(struct role_harness *h, struct rh_peer *p, struct rh_call *c)
{
	static const uint8_t magic[] = { 0x50, 0x45, 0x45, 0x52 };
	uint8_t f[16];

	if (!c->echo_pending)
		return false;
	c->echo_pending = false;
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_LCP, PPP_ECHO_REP, c->echo_id, magic,
		sizeof(magic)));
	return true;
}

bool
rh_ppp_ipv6cp(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const uint8_t id[8])
{
	uint8_t f[64], opt[10] = { 1, 10 };

	memcpy(opt + 2, id, 8);
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_IPV6CP, PPP_CONF_REQ, c->id++, opt,
		sizeof(opt)));
	if (c->v6cp_req_len > 0)
		rh_ppp_send(h, p, c, f,
		    sp_cp_ack(PPP_PROTO_IPV6CP, c->v6cp_req, c->v6cp_req_len,
			f));
	return c->v6cp_acked;
}

void
rh_ipv6_send(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const uint8_t *pkt, size_t len)
{
	uint8_t f[RH_DGRAM];

	if (len + 2 > sizeof(f))
		return;
	put_be16(f, PPP_PROTO_IPV6);
	memcpy(f + 2, pkt, len);
	rh_ppp_send(h, p, c, f, 2 + len);
}

void
rh_ppp_proto_rej(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    uint16_t proto)
{
	uint8_t f[32], d[6];

	put_be16(d, proto);
	memset(d + 2, 0, 4);
	rh_ppp_send(h, p, c, f,
	    sp_cp_frame(f, PPP_PROTO_LCP, PPP_PROTO_REJ, c->id++, d,
		sizeof(d)));
}

size_t
rh_ip_packet(uint8_t *ip, size_t cap, uint32_t src, uint32_t dst,
    size_t payload)
{
	size_t n = 28 + payload;

	if (n > cap || n > 0xffff)
		return 0;
	memset(ip, 0, n);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)n);
	ip[8] = 64;
	ip[9] = 17;
	sp_put_be32(ip + 12, src);
	sp_put_be32(ip + 16, dst);
	put_be16(ip + 24, (uint16_t)(8 + payload));
	for (size_t i = 0; i < payload; i++)
		ip[28 + i] = (uint8_t)i;
	return n;
}

size_t
rh_ip_send(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    uint32_t src, uint32_t dst, size_t payload)
{
	uint8_t f[RH_DGRAM];
	size_t n;

	put_be16(f, PPP_PROTO_IP);
	n = rh_ip_packet(f + 2, sizeof(f) - 10, src, dst, payload);
	RH_CHECK(n > 0);
	rh_ppp_send(h, p, c, f, 2 + n);
	return n;
}

void
rh_ack(struct role_harness *h, struct rh_peer *p)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_ZLB, p->lns_tid, 0);
	rh_send_ctl(h, p, &m);
}

void
rh_call_close(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    uint16_t result)
{
	struct l2tp_msg m;

	l2tp_msg_init(&m, L2TP_MSG_CDN, p->lns_tid, c->lns_sid);
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = result;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_session_id = c->sid;
	rh_send_ctl(h, p, &m);
	c->open = false;
}

/* ---- reload ---- */

static void
put_files(struct role_harness *h, va_list ap)
{
	const char *name, *text;
	char path[160];
	char *t;

	while ((name = va_arg(ap, const char *)) != NULL) {
		bool known = false;

		text = va_arg(ap, const char *);
		RH_CHECK(strchr(name, '/') == NULL &&
		    strlen(name) < sizeof(h->files[0]));
		for (unsigned i = 0; i < h->nfiles; i++)
			known = known || strcmp(h->files[i], name) == 0;
		if (!known) {
			RH_CHECK(h->nfiles < RH_FILES);
			strcpy(h->files[h->nfiles++], name);
		}
		(void)snprintf(path, sizeof(path), "%s/%s", h->dir, name);
		t = subst_dir(text, h->dir);
		write_file(path, t);
		free(t);
	}
}

int
rh_reload(struct role_harness *h, char *err, size_t errlen,
    const char *cfg_text, ...)
{
	struct vpdn_config *cfg;
	va_list ap;
	char *t;

	va_start(ap, cfg_text);
	put_files(h, ap);
	va_end(ap);
	t = subst_dir(cfg_text, h->dir);
	write_file(h->cfg_path, t);
	free(t);
	if ((cfg = config_load(h->cfg_path, err, errlen)) == NULL)
		return -1;
	/* The old snapshot stays alive until roles_reconfigure returns. */
	if (roles_reconfigure(h->r, cfg, h->now, err, errlen) < 0) {
		config_free(cfg);
		return -1;
	}
	config_free(h->cfg);
	h->cfg = cfg;
	return 0;
}

/* ---- RADIUS ---- */

uint32_t
rh_radius_u32(const struct fake_radius_req *req, uint8_t type)
{
	uint32_t v = 0;

	if (req == NULL || req->pkt == NULL ||
	    radius_get_u32(req->pkt, type, &v) != RADIUS_OK)
		return 0;
	return v;
}

struct fake_radius_req *
rh_acct_find(struct role_harness *h, uint32_t status)
{
	struct fake_radius_req *best = NULL;

	for (unsigned i = 0; i < FAKE_RADIUS; i++) {
		struct fake_radius_req *q = &h->io.radius[i];

		if (q->handle != 0 &&
		    q->code == RADIUS_CODE_ACCOUNTING_REQUEST &&
		    rh_radius_u32(q, RADIUS_ATTR_ACCT_STATUS_TYPE) == status &&
		    (best == NULL || q->handle < best->handle))
			best = q;
	}
	return best;
}

void
rh_radius_reply(struct role_harness *h, struct fake_radius_req *req,
    const struct radius_packet *reply)
{
	char secret[sizeof(h->cfg->radius.secret.data) + 1];
	size_t n = h->cfg->radius.secret.len;

	RH_CHECK(n < sizeof(secret));
	memcpy(secret, h->cfg->radius.secret.data, n);
	secret[n] = '\0';
	fake_radius_answer(&h->io, req, reply, secret, h->now);
}

unsigned
rh_acct_answer_all(struct role_harness *h)
{
	struct fake_radius_req *q;
	struct radius_packet rep;
	unsigned n = 0;

	/* RFC 2866 §4.2: Accounting-Response, no attributes needed. */
	radius_packet_init(&rep, RADIUS_CODE_ACCOUNTING_RESPONSE, 0, NULL);
	while ((q = fake_radius_find(&h->io, RADIUS_CODE_ACCOUNTING_REQUEST)) !=
	    NULL) {
		rh_radius_reply(h, q, &rep);
		n++;
	}
	return n;
}
