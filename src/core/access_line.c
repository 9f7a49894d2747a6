/*
 * access_line.c — the access-line field table and its small helpers.
 */
#include <stdio.h>
#include <string.h>

#include "core/access_line.h"

/* clang-format off */
/* Codes: TR-101 §3.9.3 sub-options, equal to the RFC 4679 §3.3 Vendor-Types
 * and the RFC 5515 Attribute Types (Vendor ID 3561). */
const struct access_line_desc access_line_fields[ACCESS_LINE_NFIELDS] = {
	{ ACCESS_LINE_CIRCUIT_ID, 0x01, ACCESS_LINE_TEXT, "Agent-Circuit-Id", "circuit_id" },
	{ ACCESS_LINE_REMOTE_ID, 0x02, ACCESS_LINE_TEXT, "Agent-Remote-Id", "remote_id" },
	{ ACCESS_LINE_ACT_RATE_UP, 0x81, ACCESS_LINE_RATE, "Actual-Data-Rate-Upstream", "actual_rate_up" },
	{ ACCESS_LINE_ACT_RATE_DOWN, 0x82, ACCESS_LINE_RATE, "Actual-Data-Rate-Downstream", "actual_rate_down" },
	{ ACCESS_LINE_MIN_RATE_UP, 0x83, ACCESS_LINE_RATE, "Minimum-Data-Rate-Upstream", "min_rate_up" },
	{ ACCESS_LINE_MIN_RATE_DOWN, 0x84, ACCESS_LINE_RATE, "Minimum-Data-Rate-Downstream", "min_rate_down" },
	{ ACCESS_LINE_ATT_RATE_UP, 0x85, ACCESS_LINE_RATE, "Attainable-Data-Rate-Upstream", "attainable_rate_up" },
	{ ACCESS_LINE_ATT_RATE_DOWN, 0x86, ACCESS_LINE_RATE, "Attainable-Data-Rate-Downstream", "attainable_rate_down" },
	{ ACCESS_LINE_MAX_RATE_UP, 0x87, ACCESS_LINE_RATE, "Maximum-Data-Rate-Upstream", "max_rate_up" },
	{ ACCESS_LINE_MAX_RATE_DOWN, 0x88, ACCESS_LINE_RATE, "Maximum-Data-Rate-Downstream", "max_rate_down" },
	{ ACCESS_LINE_MIN_RATE_UP_LP, 0x89, ACCESS_LINE_RATE, "Minimum-Data-Rate-Upstream-Low-Power", "min_rate_up_low_power" },
	{ ACCESS_LINE_MIN_RATE_DOWN_LP, 0x8a, ACCESS_LINE_RATE, "Minimum-Data-Rate-Downstream-Low-Power", "min_rate_down_low_power" },
	{ ACCESS_LINE_MAX_DELAY_UP, 0x8b, ACCESS_LINE_DELAY, "Maximum-Interleaving-Delay-Upstream", "max_delay_up" },
	{ ACCESS_LINE_ACT_DELAY_UP, 0x8c, ACCESS_LINE_DELAY, "Actual-Interleaving-Delay-Upstream", "actual_delay_up" },
	{ ACCESS_LINE_MAX_DELAY_DOWN, 0x8d, ACCESS_LINE_DELAY, "Maximum-Interleaving-Delay-Downstream", "max_delay_down" },
	{ ACCESS_LINE_ACT_DELAY_DOWN, 0x8e, ACCESS_LINE_DELAY, "Actual-Interleaving-Delay-Downstream", "actual_delay_down" },
	{ ACCESS_LINE_ENCAPS_FIELD, 0x90, ACCESS_LINE_ENCAPS, "Access-Loop-Encapsulation", "access_loop_encapsulation" },
};
/* clang-format on */

const struct access_line_desc *
access_line_by_code(unsigned code)
{
	for (size_t i = 0; i < ACCESS_LINE_NFIELDS; i++)
		if (access_line_fields[i].code == code)
			return &access_line_fields[i];
	return NULL;
}

int
access_line_set_text(struct access_line *al, enum access_line_field f,
    const void *v, size_t len)
{
	char *dst;

	if (f == ACCESS_LINE_CIRCUIT_ID)
		dst = al->circuit_id;
	else if (f == ACCESS_LINE_REMOTE_ID)
		dst = al->remote_id;
	else
		return -1;
	if (len == 0 || len > ACCESS_LINE_ID_MAX || memchr(v, 0, len) != NULL)
		return -1;
	/* A repeated sub-option replaces the value whole: nothing of a
	 * longer earlier one stays behind the terminator (records compare
	 * equal by content). */
	memset(dst, 0, ACCESS_LINE_ID_MAX + 1);
	memcpy(dst, v, len);
	al->present |= 1u << f;
	return 0;
}

const char *
access_line_text(const struct access_line *al, enum access_line_field f)
{
	if (al == NULL || !access_line_has(al, f))
		return "";
	if (f == ACCESS_LINE_CIRCUIT_ID)
		return al->circuit_id;
	if (f == ACCESS_LINE_REMOTE_ID)
		return al->remote_id;
	return "";
}

void
access_line_set_num(struct access_line *al, enum access_line_field f,
    uint64_t v)
{
	al->num[f] = v;
	al->present |= 1u << f;
}

void
access_line_summary(const struct access_line *al, char *buf, size_t cap)
{
	size_t n = 0;
	int k;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (access_line_empty(al))
		return;
	for (size_t i = 0; i < ACCESS_LINE_NFIELDS && n < cap; i++) {
		const struct access_line_desc *d = &access_line_fields[i];

		if (!access_line_has(al, d->field))
			continue;
		switch (d->kind) {
		case ACCESS_LINE_TEXT:
			k = snprintf(buf + n, cap - n, "%s%s=%s",
			    n > 0 ? "," : "", d->key,
			    access_line_text(al, d->field));
			break;
		case ACCESS_LINE_RATE:
		case ACCESS_LINE_DELAY:
			k = snprintf(buf + n, cap - n, "%s%s=%llu",
			    n > 0 ? "," : "", d->key,
			    (unsigned long long)al->num[d->field]);
			break;
		case ACCESS_LINE_ENCAPS:
			k = snprintf(buf + n, cap - n, "%s%s=%02x%02x%02x",
			    n > 0 ? "," : "", d->key, al->encaps[0],
			    al->encaps[1], al->encaps[2]);
			break;
		default:
			k = 0;
			break;
		}
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (n >= cap)
		buf[cap - 1] = '\0';
}
