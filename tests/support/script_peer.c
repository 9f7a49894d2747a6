/*
 * script_peer.c — wire building blocks of the scripted peers
 * (script_peer.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "ppp/ppp_proto.h"
#include "script_peer.h"

#define SP_CHECK(cond) SP_CHECK_AS("script_peer", cond)

uint32_t
sp_be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

void
sp_put_be32(uint8_t *q, uint32_t v)
{
	q[0] = (uint8_t)(v >> 24);
	q[1] = (uint8_t)(v >> 16);
	q[2] = (uint8_t)(v >> 8);
	q[3] = (uint8_t)v;
}

void
sp_deliver(struct roles *r, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *from, uint64_t now)
{
	/* An exact-size heap copy, so ASan sees reads past the datagram. */
	uint8_t *copy = malloc(len > 0 ? len : 1);

	SP_CHECK(copy != NULL);
	memcpy(copy, pkt, len);
	roles_input(r, copy, len, local, from, now);
	free(copy);
}

size_t
sp_ctl_encode(struct l2tp_msg *m, uint16_t *ns, uint16_t nr, uint8_t *buf,
    size_t cap)
{
	size_t n;

	/* RFC 2661 §5.8: a ZLB carries Ns but does not take one. */
	m->hdr.ns = *ns;
	m->hdr.nr = nr;
	n = l2tp_msg_encode(m, NULL, false, buf, cap);
	SP_CHECK(n > 0);
	if (m->type != L2TP_MSG_ZLB)
		(*ns)++;
	return n;
}

size_t
sp_data_msg(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid,
    const uint8_t *frame, size_t len)
{
	SP_CHECK(len + 8 <= cap);
	/* RFC 2661 §3.1: T=0, no length, no sequence; Ver 2. */
	buf[0] = 0x00;
	buf[1] = 0x02;
	put_be16(buf + 2, tid);
	put_be16(buf + 4, sid);
	buf[6] = PPP_ALLSTATIONS;
	buf[7] = PPP_UI;
	memcpy(buf + 8, frame, len);
	return 8 + len;
}

bool
sp_ppp_open(const uint8_t **f, size_t *len, uint16_t *proto)
{
	/* RFC 1662 §3.2: the address and control fields may be there. */
	if (*len >= 2 && (*f)[0] == PPP_ALLSTATIONS && (*f)[1] == PPP_UI) {
		*f += 2;
		*len -= 2;
	}
	if (*len < 2)
		return false;
	*proto = get_be16(*f);
	*f += 2;
	*len -= 2;
	return true;
}

uint16_t
sp_cp_len(const uint8_t *f, size_t len)
{
	uint16_t plen;

	if (len < 4 || (plen = get_be16(f + 2)) < 4 || plen > len)
		return 0;
	return plen;
}

size_t
sp_cp_frame(uint8_t *f, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t dlen)
{
	put_be16(f, proto);
	f[2] = code;
	f[3] = id;
	put_be16(f + 4, (uint16_t)(4 + dlen));
	if (dlen > 0)
		memcpy(f + 6, data, dlen);
	return 6 + dlen;
}

size_t
sp_cp_ack(uint16_t proto, const uint8_t *req, size_t len, uint8_t *f)
{
	put_be16(f, proto);
	memcpy(f + 2, req, len);
	f[2] = PPP_CONF_ACK;
	return 2 + len;
}

const uint8_t sp_pppoe_bcast[PPPOE_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff };

void
sp_pppoe_disc(struct pppoe_pkt *p, const uint8_t *dst, const uint8_t *src,
    uint8_t code, uint16_t session_id)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->dst, dst, PPPOE_MAC_LEN);
	memcpy(p->src, src, PPPOE_MAC_LEN);
	p->code = code;
	p->session_id = session_id;
	if (code != PPPOE_CODE_PADT) {
		/* RFC 2516 §5.1: exactly one Service-Name; empty: any. */
		p->nservice = 1;
		p->service[0] = pppoe_tag_str_val("");
	}
}

size_t
sp_pppoe_build(uint8_t *buf, size_t cap, const struct pppoe_pkt *p)
{
	int n = pppoe_build_disc(buf, cap, p);

	SP_CHECK(n > 0);
	return (size_t)n;
}

size_t
sp_pppoe_session(uint8_t *buf, size_t cap, const uint8_t *dst,
    const uint8_t *src, uint16_t session_id, const uint8_t *ppp, size_t len)
{
	int n = pppoe_build_session(buf, cap, dst, src, session_id, ppp, len);

	SP_CHECK(n > 0);
	return (size_t)n;
}

void
sp_advance(struct roles *r, uint64_t *now, uint64_t ms, void (*settle)(void *),
    void *arg)
{
	uint64_t until = *now + ms, d;

	if (settle != NULL)
		settle(arg);
	while ((d = roles_next_deadline(r)) != TIME_NEVER && d <= until) {
		if (d > *now)
			*now = d;
		roles_run_timers(r, *now);
		if (settle != NULL)
			settle(arg);
	}
	*now = until;
	roles_run_timers(r, *now);
	if (settle != NULL)
		settle(arg);
}
