/*
 * pppoe_tr101.h — the access-line information an access node adds to a
 * subscriber's PPPoE discovery (Broadband Forum TR-101 §3.9.3, the PPPoE
 * Intermediate Agent; the sub-options are those RFC 4679 §3.3 carries to
 * RADIUS).  It travels in a Vendor-Specific TAG (RFC 2516 Appendix A,
 * TAG_TYPE 0x0105) whose value is:
 *
 *   4 octets   vendor-id 0x00000DE9 (3561, the Broadband Forum)
 *   then sub-options, each:
 *   1 octet    sub-option code (0x01 Agent-Circuit-Id, 0x02
 *              Agent-Remote-Id, 0x81..0x8A data rates, 0x8B..0x8E
 *              interleaving delays, 0x90 Access-Loop-Encapsulation)
 *   1 octet    length of the value
 *   N octets   value: text (1..63 octets) for 0x01/0x02; a 32-bit
 *              big-endian number for rates (kbps) and delays (ms);
 *              3 octets for 0x90
 *
 * Pure and bounded: every length is checked against the TAG.
 */
#ifndef VPDN_PPPOE_TR101_H
#define VPDN_PPPOE_TR101_H

#include <stddef.h>
#include <stdint.h>

#include "core/access_line.h"

#define PPPOE_TR101_VENDOR_LEN 4

/* What one discovery payload gave. */
enum pppoe_tr101_result {
	PPPOE_TR101_NONE = 0,	    /* no Broadband Forum Vendor-Specific TAG */
	PPPOE_TR101_OK = 1,	    /* *al filled */
	PPPOE_TR101_MALFORMED = -1, /* a sub-option overruns its TAG: *al
				     * left empty */
};

/*
 * Finds the Broadband Forum Vendor-Specific TAG among the TAGs of a
 * discovery payload (payload/len as pppoe_parse gives it) and decodes it
 * into *al (zeroed first).  The first such TAG counts; Vendor-Specific
 * TAGs of other vendors are skipped (RFC 2516 Appendix A: "Vendors not
 * recognizing the vendor-id MUST ignore the TAG").  Unknown sub-options
 * and known ones of the wrong length are skipped; *skipped (if not NULL)
 * counts them.
 */
enum pppoe_tr101_result pppoe_tr101_parse(const uint8_t *payload, size_t len,
    struct access_line *al, unsigned *skipped);

/* Writes the TAG value (vendor-id and sub-options, no TAG header) for
 * *al into buf[0..cap); returns its length, or -1 if it does not fit. */
int pppoe_tr101_build(const struct access_line *al, uint8_t *buf, size_t cap);

#endif
