/*
 * pppoe_codec.c — RFC 2516 frame parser and builders.
 */
#include <string.h>

#include "core/buf.h"
#include "pppoe/pppoe_codec.h"

const char *
pppoe_code_str(enum pppoe_code c)
{
	switch (c) {
	/* clang-format off */
	case PPPOE_CODE_SESSION:	return "session";
	case PPPOE_CODE_PADO:		return "PADO";
	case PPPOE_CODE_PADI:		return "PADI";
	case PPPOE_CODE_PADR:		return "PADR";
	case PPPOE_CODE_PADS:		return "PADS";
	case PPPOE_CODE_PADT:		return "PADT";
		/* clang-format on */
	}
	return "unknown";
}

const char *
pppoe_tag_str(enum pppoe_tag_type t)
{
	switch (t) {
	/* clang-format off */
	case PPPOE_TAG_END_OF_LIST:		return "End-Of-List";
	case PPPOE_TAG_SERVICE_NAME:		return "Service-Name";
	case PPPOE_TAG_AC_NAME:			return "AC-Name";
	case PPPOE_TAG_HOST_UNIQ:		return "Host-Uniq";
	case PPPOE_TAG_AC_COOKIE:		return "AC-Cookie";
	case PPPOE_TAG_VENDOR_SPECIFIC:		return "Vendor-Specific";
	case PPPOE_TAG_RELAY_SESSION_ID:	return "Relay-Session-Id";
	case PPPOE_TAG_SERVICE_NAME_ERROR:	return "Service-Name-Error";
	case PPPOE_TAG_AC_SYSTEM_ERROR:		return "AC-System-Error";
	case PPPOE_TAG_GENERIC_ERROR:		return "Generic-Error";
		/* clang-format on */
	}
	return "unknown";
}

const char *
pppoe_err_str(enum pppoe_err e)
{
	switch (e) {
	/* clang-format off */
	case PPPOE_OK:			return "ok";
	case PPPOE_ERR_SHORT:		return "frame too short";
	case PPPOE_ERR_OVERSIZE:	return "oversize";
	case PPPOE_ERR_ETHERTYPE:	return "not a PPPoE ethertype";
	case PPPOE_ERR_SRC_MAC:		return "source MAC not unicast";
	case PPPOE_ERR_VER_TYPE:	return "bad VER/TYPE";
	case PPPOE_ERR_CODE:		return "bad code";
	case PPPOE_ERR_LENGTH:		return "LENGTH beyond frame";
	case PPPOE_ERR_SESSION_ID:	return "bad SESSION_ID";
	case PPPOE_ERR_TAG_TRUNC:	return "TAG beyond payload";
	case PPPOE_ERR_TAG_EOL:		return "End-Of-List with data";
	case PPPOE_ERR_SERVICE:		return "not exactly one Service-Name";
	case PPPOE_ERR_MISSING:		return "required TAG missing";
	case PPPOE_ERR_MAX:		break;
		/* clang-format on */
	}
	return "unknown";
}

struct pppoe_tag_val
pppoe_tag_str_val(const char *s)
{
	struct pppoe_tag_val v;
	size_t n = s != NULL ? strlen(s) : 0;

	v.p = (const uint8_t *)s;
	v.len = n > PPPOE_ETH_PAYLOAD_MAX ? PPPOE_ETH_PAYLOAD_MAX : (uint16_t)n;
	return v;
}

/* Keeps the first value of a single-valued TAG. */
static void
tag_set(struct pppoe_pkt *pkt, uint32_t bit, struct pppoe_tag_val *dst,
    const uint8_t *p, uint16_t len)
{
	if (pkt->present & bit)
		return;
	pkt->present |= bit;
	dst->p = p;
	dst->len = len;
}

static enum pppoe_err
parse_tags(struct pppoe_pkt *pkt)
{
	struct rbuf r;

	rbuf_init(&r, pkt->payload, pkt->payload_len);
	while (rbuf_left(&r) > 0) {
		uint16_t type, len;
		const uint8_t *v;

		if (rbuf_left(&r) < 4)
			return PPPOE_ERR_TAG_TRUNC;
		type = rd_be16(&r);
		len = rd_be16(&r);
		if (len > rbuf_left(&r))
			return PPPOE_ERR_TAG_TRUNC;
		v = rd_ptr(&r, len);
		switch ((enum pppoe_tag_type)type) {
		case PPPOE_TAG_END_OF_LIST:
			/* App. A: its TAG_LENGTH MUST always be zero; no
			 * further TAGs follow. */
			if (len != 0)
				return PPPOE_ERR_TAG_EOL;
			return PPPOE_OK;
		case PPPOE_TAG_SERVICE_NAME:
			if (pkt->nservice < PPPOE_MAX_SERVICES) {
				pkt->service[pkt->nservice].p = v;
				pkt->service[pkt->nservice].len = len;
			}
			pkt->nservice++;
			break;
		case PPPOE_TAG_AC_NAME:
			tag_set(pkt, PPPOE_HAVE_AC_NAME, &pkt->ac_name, v, len);
			break;
		case PPPOE_TAG_HOST_UNIQ:
			tag_set(pkt, PPPOE_HAVE_HOST_UNIQ, &pkt->host_uniq, v,
			    len);
			break;
		case PPPOE_TAG_AC_COOKIE:
			tag_set(pkt, PPPOE_HAVE_AC_COOKIE, &pkt->ac_cookie, v,
			    len);
			break;
		case PPPOE_TAG_VENDOR_SPECIFIC:
			tag_set(pkt, PPPOE_HAVE_VENDOR, &pkt->vendor, v, len);
			break;
		case PPPOE_TAG_RELAY_SESSION_ID:
			tag_set(pkt, PPPOE_HAVE_RELAY_ID, &pkt->relay_id, v,
			    len);
			break;
		case PPPOE_TAG_SERVICE_NAME_ERROR:
			tag_set(pkt, PPPOE_HAVE_SVC_ERR, &pkt->svc_err, v, len);
			break;
		case PPPOE_TAG_AC_SYSTEM_ERROR:
			tag_set(pkt, PPPOE_HAVE_SYS_ERR, &pkt->sys_err, v, len);
			break;
		case PPPOE_TAG_GENERIC_ERROR:
			tag_set(pkt, PPPOE_HAVE_GEN_ERR, &pkt->gen_err, v, len);
			break;
		default:
			/* §5: a TAG of unknown TAG_TYPE MUST be ignored. */
			break;
		}
	}
	return r.err ? PPPOE_ERR_TAG_TRUNC : PPPOE_OK;
}

/* Per-code SESSION_ID and required-TAG rules of RFC 2516 §5. */
static enum pppoe_err
check_disc(const struct pppoe_pkt *pkt)
{
	switch ((enum pppoe_code)pkt->code) {
	case PPPOE_CODE_PADI:
		/* §5.1: SESSION_ID 0, exactly one Service-Name, and the
		 * whole PADI no larger than 1484 octets. */
		if (pkt->session_id != 0)
			return PPPOE_ERR_SESSION_ID;
		if (PPPOE_HDR_LEN + (size_t)pkt->payload_len > PPPOE_PADI_MAX)
			return PPPOE_ERR_OVERSIZE;
		if (pkt->nservice != 1)
			return PPPOE_ERR_SERVICE;
		return PPPOE_OK;
	case PPPOE_CODE_PADO:
		/* §5.2: SESSION_ID 0, one AC-Name, at least the echoed
		 * Service-Name. */
		if (pkt->session_id != 0)
			return PPPOE_ERR_SESSION_ID;
		if (!(pkt->present & PPPOE_HAVE_AC_NAME) || pkt->nservice == 0)
			return PPPOE_ERR_MISSING;
		return PPPOE_OK;
	case PPPOE_CODE_PADR:
		/* §5.3 */
		if (pkt->session_id != 0)
			return PPPOE_ERR_SESSION_ID;
		if (pkt->nservice != 1)
			return PPPOE_ERR_SERVICE;
		return PPPOE_OK;
	case PPPOE_CODE_PADS:
		/* §5.4: a refusal has SESSION_ID 0 and an error TAG; an
		 * acceptance a real ID and exactly one Service-Name. */
		if (pkt->session_id == PPPOE_SID_RESERVED)
			return PPPOE_ERR_SESSION_ID;
		if (pkt->session_id == 0)
			return (pkt->present & PPPOE_HAVE_ANY_ERR) ?
			    PPPOE_OK :
			    PPPOE_ERR_MISSING;
		if (pkt->nservice != 1)
			return pkt->nservice == 0 ? PPPOE_ERR_MISSING :
						    PPPOE_ERR_SERVICE;
		return PPPOE_OK;
	case PPPOE_CODE_PADT:
		/* §5.5: SESSION_ID names the session; no TAGs required. */
		if (pkt->session_id == 0 ||
		    pkt->session_id == PPPOE_SID_RESERVED)
			return PPPOE_ERR_SESSION_ID;
		return PPPOE_OK;
	case PPPOE_CODE_SESSION:
		break;
	}
	return PPPOE_ERR_CODE;
}

enum pppoe_err
pppoe_parse(const uint8_t *frame, size_t len, struct pppoe_pkt *out)
{
	struct rbuf r;
	uint8_t vt;
	uint16_t plen;
	enum pppoe_err e;

	memset(out, 0, sizeof(*out));
	if (len < PPPOE_ETH_HDR_LEN + PPPOE_HDR_LEN)
		return PPPOE_ERR_SHORT;
	if (len > PPPOE_FRAME_MAX)
		return PPPOE_ERR_OVERSIZE;
	rbuf_init(&r, frame, len);
	rd_bytes(&r, out->dst, PPPOE_MAC_LEN);
	rd_bytes(&r, out->src, PPPOE_MAC_LEN);
	out->ethertype = rd_be16(&r);
	if (out->ethertype != PPPOE_ETHERTYPE_DISC &&
	    out->ethertype != PPPOE_ETHERTYPE_SES)
		return PPPOE_ERR_ETHERTYPE;
	/* §4: SOURCE_ADDR is the sending device's own (unicast) address. */
	if (!pppoe_mac_is_unicast(out->src))
		return PPPOE_ERR_SRC_MAC;
	vt = rd_u8(&r);
	out->code = rd_u8(&r);
	out->session_id = rd_be16(&r);
	plen = rd_be16(&r);
	/* §4: VER and TYPE MUST be 0x1. */
	if (vt != 0x11)
		return PPPOE_ERR_VER_TYPE;
	/* LENGTH counts the PPPoE payload only; octets after it are
	 * Ethernet padding (minimum frame size) and are ignored. */
	if (plen > rbuf_left(&r))
		return PPPOE_ERR_LENGTH;
	out->payload = rd_ptr(&r, plen);
	out->payload_len = plen;
	if (r.err)
		return PPPOE_ERR_LENGTH;

	if (out->ethertype == PPPOE_ETHERTYPE_SES) {
		/* §6: CODE 0 and the SESSION_ID from discovery; the
		 * payload starts with the PPP protocol field. */
		if (out->code != PPPOE_CODE_SESSION)
			return PPPOE_ERR_CODE;
		if (out->session_id == 0 ||
		    out->session_id == PPPOE_SID_RESERVED)
			return PPPOE_ERR_SESSION_ID;
		if (plen < 2)
			return PPPOE_ERR_SHORT;
		return PPPOE_OK;
	}
	if (out->code == PPPOE_CODE_SESSION)
		return PPPOE_ERR_CODE;
	e = check_disc(out); /* code check before walking TAGs */
	if (e == PPPOE_ERR_CODE)
		return e;
	if ((e = parse_tags(out)) != PPPOE_OK)
		return e;
	return check_disc(out);
}

static void
wr_tag(struct wbuf *w, uint16_t type, const struct pppoe_tag_val *v)
{
	wr_be16(w, type);
	wr_be16(w, v->len);
	if (v->len > 0)
		wr_bytes(w, v->p, v->len);
}

static void
wr_eth(struct wbuf *w, const uint8_t dst[PPPOE_MAC_LEN],
    const uint8_t src[PPPOE_MAC_LEN], uint16_t ethertype, uint8_t code,
    uint16_t sid)
{
	wr_bytes(w, dst, PPPOE_MAC_LEN);
	wr_bytes(w, src, PPPOE_MAC_LEN);
	wr_be16(w, ethertype);
	wr_u8(w, 0x11); /* §4: VER 1, TYPE 1 */
	wr_u8(w, code);
	wr_be16(w, sid);
	wr_be16(w, 0); /* LENGTH, patched */
}

int
pppoe_build_disc(uint8_t *buf, size_t cap, const struct pppoe_pkt *pkt)
{
	static const struct {
		uint32_t bit;
		uint16_t type;
		size_t off;
	} tags[] = {
		{ PPPOE_HAVE_AC_NAME, PPPOE_TAG_AC_NAME,
		    offsetof(struct pppoe_pkt, ac_name) },
		{ PPPOE_HAVE_HOST_UNIQ, PPPOE_TAG_HOST_UNIQ,
		    offsetof(struct pppoe_pkt, host_uniq) },
		{ PPPOE_HAVE_AC_COOKIE, PPPOE_TAG_AC_COOKIE,
		    offsetof(struct pppoe_pkt, ac_cookie) },
		{ PPPOE_HAVE_VENDOR, PPPOE_TAG_VENDOR_SPECIFIC,
		    offsetof(struct pppoe_pkt, vendor) },
		{ PPPOE_HAVE_RELAY_ID, PPPOE_TAG_RELAY_SESSION_ID,
		    offsetof(struct pppoe_pkt, relay_id) },
		{ PPPOE_HAVE_SVC_ERR, PPPOE_TAG_SERVICE_NAME_ERROR,
		    offsetof(struct pppoe_pkt, svc_err) },
		{ PPPOE_HAVE_SYS_ERR, PPPOE_TAG_AC_SYSTEM_ERROR,
		    offsetof(struct pppoe_pkt, sys_err) },
		{ PPPOE_HAVE_GEN_ERR, PPPOE_TAG_GENERIC_ERROR,
		    offsetof(struct pppoe_pkt, gen_err) },
	};
	struct wbuf w;
	size_t plen, n;

	if (pkt->code == PPPOE_CODE_SESSION)
		return -1;
	wbuf_init(&w, buf, cap);
	wr_eth(&w, pkt->dst, pkt->src, PPPOE_ETHERTYPE_DISC, pkt->code,
	    pkt->session_id);
	n = pkt->nservice < PPPOE_MAX_SERVICES ? pkt->nservice :
						 PPPOE_MAX_SERVICES;
	for (size_t i = 0; i < n; i++)
		wr_tag(&w, PPPOE_TAG_SERVICE_NAME, &pkt->service[i]);
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (pkt->present & tags[i].bit)
			wr_tag(&w, tags[i].type,
			    (const struct pppoe_tag_val *)(const void
				    *)((const uint8_t *)pkt + tags[i].off));
	if (w.err)
		return -1;
	plen = w.len - PPPOE_ETH_HDR_LEN - PPPOE_HDR_LEN;
	if (plen + PPPOE_HDR_LEN > PPPOE_ETH_PAYLOAD_MAX)
		return -1;
	if (pkt->code == PPPOE_CODE_PADI &&
	    plen + PPPOE_HDR_LEN > PPPOE_PADI_MAX)
		return -1;
	wr_be16_at(&w, PPPOE_ETH_HDR_LEN + 4, (uint16_t)plen);
	return w.err ? -1 : (int)w.len;
}

int
pppoe_build_session(uint8_t *buf, size_t cap, const uint8_t dst[PPPOE_MAC_LEN],
    const uint8_t src[PPPOE_MAC_LEN], uint16_t session_id, const uint8_t *ppp,
    size_t len)
{
	struct wbuf w;

	if (len + PPPOE_HDR_LEN > PPPOE_ETH_PAYLOAD_MAX)
		return -1;
	wbuf_init(&w, buf, cap);
	wr_eth(&w, dst, src, PPPOE_ETHERTYPE_SES, PPPOE_CODE_SESSION,
	    session_id);
	wr_bytes(&w, ppp, len);
	wr_be16_at(&w, PPPOE_ETH_HDR_LEN + 4, (uint16_t)len);
	return w.err ? -1 : (int)w.len;
}
