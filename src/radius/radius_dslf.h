/*
 * radius_dslf.h — a subscriber's access line as the DSL Forum vendor
 * attributes of RFC 4679 §3.3 (Vendor-Id 3561): Agent-Circuit-Id (1) and
 * Agent-Remote-Id (2) as strings, the data rates (129..138) as 32-bit
 * bits per second, the interleaving delays (139..142) as 32-bit
 * milliseconds, Access-Loop-Encapsulation (144) as 3 octets.  RFC 4679
 * §4: they MAY be sent in Access-Request and Accounting-Request.
 */
#ifndef VPDN_RADIUS_DSLF_H
#define VPDN_RADIUS_DSLF_H

#include "core/access_line.h"
#include "radius/radius_codec.h"

/* Adds one Vendor-Specific attribute per field of *al (none for NULL). */
enum radius_err radius_put_access_line(struct radius_packet *p,
    const struct access_line *al);

#endif
