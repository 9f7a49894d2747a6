/*
 * radius_dslf.c — struct access_line as RFC 4679 §3.3 attributes.
 */
#include <string.h>

#include "core/buf.h"
#include "radius/radius_dslf.h"

enum radius_err
radius_put_access_line(struct radius_packet *p, const struct access_line *al)
{
	enum radius_err e = RADIUS_OK;

	if (access_line_empty(al))
		return RADIUS_OK;
	for (size_t i = 0; i < ACCESS_LINE_NFIELDS && e == RADIUS_OK; i++) {
		const struct access_line_desc *d = &access_line_fields[i];
		const char *t;
		uint8_t v[4];
		uint64_t n;

		if (!access_line_has(al, d->field))
			continue;
		switch (d->kind) {
		case ACCESS_LINE_TEXT:
			t = access_line_text(al, d->field);
			e = radius_put_vs_raw(p, ACCESS_LINE_VENDOR_BBF,
			    d->code, t, strlen(t));
			break;
		case ACCESS_LINE_RATE:
		case ACCESS_LINE_DELAY:
			/* RFC 4679 §3.3.3..: "a 4-byte unsigned integer"; a
			 * rate beyond it says the most it can. */
			n = al->num[d->field];
			if (n > UINT32_MAX)
				n = UINT32_MAX;
			put_be16(v, (uint16_t)(n >> 16));
			put_be16(v + 2, (uint16_t)n);
			e = radius_put_vs_raw(p, ACCESS_LINE_VENDOR_BBF,
			    d->code, v, 4);
			break;
		case ACCESS_LINE_ENCAPS:
			e = radius_put_vs_raw(p, ACCESS_LINE_VENDOR_BBF,
			    d->code, al->encaps, 3);
			break;
		default:
			break;
		}
	}
	return e;
}
