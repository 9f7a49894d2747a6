/*
 * avp_bbf.c — RFC 5515 access-line AVPs to and from struct access_line.
 * The attribute types are RFC 4679's Vendor-Types (RFC 5515 §3); the
 * value layouts are RFC 5515 §3.1..§3.4: text for the two identifiers,
 * 64-bit unsigned bits per second for every data rate, 32-bit unsigned
 * milliseconds for the interleaving delays, and the three octets of
 * Access-Loop-Encapsulation (data link, encapsulation 1, encapsulation 2).
 */
#include <string.h>

#include "l2tp/avp_bbf.h"
#include "l2tp/l2tp_proto.h"

#define AVP_MAX_LEN L2TP_AVP_LEN_MASK

static uint64_t
get_be64(const uint8_t *v)
{
	return (uint64_t)get_be32(v) << 32 | get_be32(v + 4);
}

enum l2tp_avp_bbf_status
l2tp_avp_bbf_decode(struct access_line *al, uint16_t type, const uint8_t *v,
    size_t len)
{
	const struct access_line_desc *d;

	if (type > 0xff || (d = access_line_by_code(type)) == NULL)
		return L2TP_BBF_UNKNOWN;
	switch (d->kind) {
	case ACCESS_LINE_TEXT:
		return access_line_set_text(al, d->field, v, len) == 0 ?
		    L2TP_BBF_OK :
		    L2TP_BBF_BAD_LENGTH;
	case ACCESS_LINE_RATE:
		if (len != 8)
			return L2TP_BBF_BAD_LENGTH;
		access_line_set_num(al, d->field, get_be64(v));
		return L2TP_BBF_OK;
	case ACCESS_LINE_DELAY:
		if (len != 4)
			return L2TP_BBF_BAD_LENGTH;
		access_line_set_num(al, d->field, get_be32(v));
		return L2TP_BBF_OK;
	case ACCESS_LINE_ENCAPS:
		if (len != 3)
			return L2TP_BBF_BAD_LENGTH;
		memcpy(al->encaps, v, 3);
		al->present |= 1u << d->field;
		return L2TP_BBF_OK;
	default:
		return L2TP_BBF_UNKNOWN;
	}
}

void
l2tp_avp_bbf_encode(const struct access_line *al, struct wbuf *w)
{
	for (size_t i = 0; i < ACCESS_LINE_NFIELDS; i++) {
		const struct access_line_desc *d = &access_line_fields[i];
		const char *t;
		size_t start = w->len;
		uint64_t n;

		if (!access_line_has(al, d->field))
			continue;
		/* RFC 5515 §3: M bit 0, H bit 0. */
		wr_be16(w, 0);
		wr_be16(w, (uint16_t)ACCESS_LINE_VENDOR_BBF);
		wr_be16(w, d->code);
		switch (d->kind) {
		case ACCESS_LINE_TEXT:
			t = access_line_text(al, d->field);
			wr_bytes(w, t, strlen(t));
			break;
		case ACCESS_LINE_RATE:
			n = al->num[d->field];
			wr_be32(w, (uint32_t)(n >> 32));
			wr_be32(w, (uint32_t)n);
			break;
		case ACCESS_LINE_DELAY:
			n = al->num[d->field];
			wr_be32(w, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
			break;
		case ACCESS_LINE_ENCAPS:
			wr_bytes(w, al->encaps, 3);
			break;
		default:
			break;
		}
		if (w->err || w->len - start > AVP_MAX_LEN) {
			w->err = true;
			return;
		}
		wr_be16_at(w, start, (uint16_t)(w->len - start));
	}
}

const char *
l2tp_avp_bbf_type_str(uint16_t type)
{
	const struct access_line_desc *d = type > 0xff ?
	    NULL :
	    access_line_by_code(type);

	return d != NULL ? d->name : NULL;
}
