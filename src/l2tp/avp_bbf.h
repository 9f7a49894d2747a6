/*
 * avp_bbf.h — the access-line AVPs of RFC 5515 (Vendor ID 3561, the
 * Broadband Forum): Agent-Circuit-Id (1), Agent-Remote-Id (2), the data
 * rates (129..138, 64-bit bps), the interleaving delays (139..142, 32-bit
 * ms) and Access-Loop-Encapsulation (144, 3 octets), carried in ICRQ with
 * the M bit clear (RFC 5515 §3: an LNS that does not know them ignores
 * them) and never hidden.  msg.c hands every Vendor-3561 AVP of a message
 * whose spec allows them here.
 */
#ifndef VPDN_L2TP_AVP_BBF_H
#define VPDN_L2TP_AVP_BBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access_line.h"
#include "core/buf.h"

enum l2tp_avp_bbf_status {
	L2TP_BBF_OK,	     /* stored */
	L2TP_BBF_BAD_LENGTH, /* known type, wrong value length: ignored */
	L2TP_BBF_UNKNOWN,    /* not an RFC 5515 type vpdn knows */
};

/* Decodes the value v[0..len) of a Vendor-3561 AVP of attribute type
 * `type` into *al. */
enum l2tp_avp_bbf_status l2tp_avp_bbf_decode(struct access_line *al,
    uint16_t type, const uint8_t *v, size_t len);

/* Appends one AVP (header included, M and H clear) per field of *al. */
void l2tp_avp_bbf_encode(const struct access_line *al, struct wbuf *w);

/* "Agent-Circuit-Id", ..., or NULL for a type vpdn does not know. */
const char *l2tp_avp_bbf_type_str(uint16_t type);

#endif
