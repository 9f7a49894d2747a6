/*
 * pppoe_tr101.c — the Broadband Forum PPPoE Vendor-Specific TAG (TR-101
 * §3.9.3) to and from struct access_line.
 */
#include <string.h>

#include "core/buf.h"
#include "pppoe/pppoe_codec.h"
#include "pppoe/pppoe_tr101.h"

/* TR-101 codes its rates in kbps; struct access_line keeps bps. */
#define KBPS 1000u

/* One sub-option; 0 stored, 1 skipped (unknown or wrong length). */
static int
subopt(struct access_line *al, uint8_t code, const uint8_t *v, uint8_t len)
{
	const struct access_line_desc *d = access_line_by_code(code);

	if (d == NULL)
		return 1;
	switch (d->kind) {
	case ACCESS_LINE_TEXT:
		return access_line_set_text(al, d->field, v, len) == 0 ? 0 : 1;
	case ACCESS_LINE_RATE:
		if (len != 4)
			return 1;
		access_line_set_num(al, d->field, (uint64_t)get_be32(v) * KBPS);
		return 0;
	case ACCESS_LINE_DELAY:
		if (len != 4)
			return 1;
		access_line_set_num(al, d->field, get_be32(v));
		return 0;
	case ACCESS_LINE_ENCAPS:
		/* TR-101: data link (1), encapsulation 1 (1), encapsulation
		 * 2 (1). */
		if (len != 3)
			return 1;
		memcpy(al->encaps, v, 3);
		al->present |= 1u << d->field;
		return 0;
	default:
		return 1;
	}
}

static enum pppoe_tr101_result
parse_value(const uint8_t *v, size_t len, struct access_line *al,
    unsigned *skipped)
{
	struct rbuf r;

	rbuf_init(&r, v + PPPOE_TR101_VENDOR_LEN, len - PPPOE_TR101_VENDOR_LEN);
	while (rbuf_left(&r) > 0) {
		uint8_t code, slen;
		const uint8_t *sv;

		if (rbuf_left(&r) < 2)
			goto malformed;
		code = rd_u8(&r);
		slen = rd_u8(&r);
		if (slen > rbuf_left(&r))
			goto malformed;
		sv = rd_ptr(&r, slen);
		if (subopt(al, code, sv, slen) != 0 && skipped != NULL)
			(*skipped)++;
	}
	return r.err ? PPPOE_TR101_MALFORMED : PPPOE_TR101_OK;
malformed:
	memset(al, 0, sizeof(*al));
	return PPPOE_TR101_MALFORMED;
}

enum pppoe_tr101_result
pppoe_tr101_parse(const uint8_t *payload, size_t len, struct access_line *al,
    unsigned *skipped)
{
	struct rbuf r;

	memset(al, 0, sizeof(*al));
	rbuf_init(&r, payload, len);
	while (rbuf_left(&r) >= 4) {
		uint16_t type = rd_be16(&r), tlen = rd_be16(&r);
		const uint8_t *v;

		if (tlen > rbuf_left(&r))
			return PPPOE_TR101_NONE; /* pppoe_parse refuses it */
		v = rd_ptr(&r, tlen);
		if (type == PPPOE_TAG_END_OF_LIST)
			break;
		if (type != PPPOE_TAG_VENDOR_SPECIFIC ||
		    tlen < PPPOE_TR101_VENDOR_LEN ||
		    get_be32(v) != ACCESS_LINE_VENDOR_BBF)
			continue;
		return parse_value(v, tlen, al, skipped);
	}
	return PPPOE_TR101_NONE;
}

int
pppoe_tr101_build(const struct access_line *al, uint8_t *buf, size_t cap)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wr_be32(&w, ACCESS_LINE_VENDOR_BBF);
	for (size_t i = 0; i < ACCESS_LINE_NFIELDS; i++) {
		const struct access_line_desc *d = &access_line_fields[i];
		const char *t;
		uint64_t n;

		if (!access_line_has(al, d->field))
			continue;
		wr_u8(&w, d->code);
		switch (d->kind) {
		case ACCESS_LINE_TEXT:
			t = access_line_text(al, d->field);
			wr_u8(&w, (uint8_t)strlen(t));
			wr_bytes(&w, t, strlen(t));
			break;
		case ACCESS_LINE_RATE:
		case ACCESS_LINE_DELAY:
			n = al->num[d->field];
			if (d->kind == ACCESS_LINE_RATE)
				n /= KBPS;
			wr_u8(&w, 4);
			wr_be32(&w, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
			break;
		case ACCESS_LINE_ENCAPS:
			wr_u8(&w, 3);
			wr_bytes(&w, al->encaps, 3);
			break;
		default:
			break;
		}
	}
	if (w.err || w.len > PPPOE_ETH_PAYLOAD_MAX)
		return -1;
	return (int)w.len;
}
