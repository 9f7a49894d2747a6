/*
 * avp_table.h — one row per RFC 2661 §4.4 attribute (Vendor ID 0, types
 * 0..39): name, value kind, legal length, M bit to send, whether it may be
 * hidden, and where it lives in struct l2tp_msg.  msg.c's decoder and
 * encoder and l2tp_avp_type_str() are all driven by this table, so a new
 * attribute is one new row.
 */
#ifndef VPDN_L2TP_AVP_TABLE_H
#define VPDN_L2TP_AVP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "l2tp/msg.h"

enum l2tp_avp_kind {
	L2TP_AVPK_UNUSED = 0, /* no such attribute: treated as unknown */
	L2TP_AVPK_MSG_TYPE,   /* handled by msg.c itself (first AVP) */
	L2TP_AVPK_RANDOM,     /* Random Vector: consumed by msg.c (§4.3) */
	L2TP_AVPK_NONE,	      /* no value: presence is the information */
	L2TP_AVPK_U16,
	L2TP_AVPK_U32,
	L2TP_AVPK_OCTETS, /* fixed-size uint8_t[] (Tie Breaker, Response) */
	L2TP_AVPK_STRING, /* char[L2TP_MAX_NAME], NUL-terminated */
	L2TP_AVPK_BYTES,  /* struct l2tp_bytes */
	L2TP_AVPK_CUSTOM, /* row's dec/enc functions */
};

/* Outcome of decoding one attribute value. */
enum l2tp_avp_status {
	L2TP_AVPS_OK = 0,
	L2TP_AVPS_BAD_LENGTH, /* outside the RFC's length: error 2 */
	L2TP_AVPS_BAD_VALUE,  /* field out of range: error 3 */
	L2TP_AVPS_TOO_LONG,   /* legal, but beyond vpdn's L2TP_MAX_* buffer */
};

struct l2tp_avp_desc {
	uint16_t type;
	const char *name;
	enum l2tp_avp_kind kind;
	uint16_t min, max; /* AVP Length incl. 6-byte header,
						 * before hiding */
	bool mandatory;	   /* M bit the RFC says to send */
	bool may_hide;	   /* §4.4: "may be hidden" */
	bool nonzero;	   /* value MUST be non-zero */
	size_t off;	   /* field in struct l2tp_msg */
	size_t size;	   /* its size (OCTETS/STRING) */
	enum l2tp_avp_status (
	    *dec)(struct l2tp_msg *m, const uint8_t *v, size_t len);
	void (*enc)(const struct l2tp_msg *m, struct wbuf *w);
};

/* The row of a Vendor-ID-0 attribute type, or NULL if vpdn does not know
 * it (types > 39 and the unused type 20). */
const struct l2tp_avp_desc *l2tp_avp_desc_get(uint16_t type);

/* Decodes value v[0..len) (AVP header stripped, already unhidden) into the
 * row's field of *m.  Does not touch m->present. */
enum l2tp_avp_status l2tp_avp_value_decode(const struct l2tp_avp_desc *d,
    struct l2tp_msg *m, const uint8_t *v, size_t len);

/* Writes the value of the row's field of *m (without the AVP header). */
void l2tp_avp_value_encode(const struct l2tp_avp_desc *d,
    const struct l2tp_msg *m, struct wbuf *w);

const char *l2tp_avp_status_str(enum l2tp_avp_status st);

#endif
