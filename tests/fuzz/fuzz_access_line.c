/*
 * fuzz_access_line.c — the access line's decoders on hostile bytes: the
 * TR-101 PPPoE TAG (pppoe_tr101.c) and the RFC 5515 AVP values
 * (avp_bbf.c), and what vpdn sends from whatever they accepted.
 *
 * Input: the bytes are a discovery TAG list for pppoe_tr101_parse.  What
 * it accepts must rebuild (pppoe_tr101_build) and parse back to the same
 * line (rates are kept in bps, a multiple of the TAG's kbps), and encode
 * as RFC 4679 attributes and RFC 5515 AVPs that decode back to it.  Then
 * the same bytes are read as AVP values: byte 0 the attribute type, the
 * rest its value, through l2tp_avp_bbf_decode.
 */
#include <string.h>

#include "core/buf.h"
#include "fuzz.h"
#include "l2tp/avp_bbf.h"
#include "l2tp/l2tp_proto.h"
#include "pppoe/pppoe_tr101.h"
#include "radius/radius_dslf.h"

static void
check_l2tp_roundtrip(const struct access_line *al)
{
	uint8_t buf[2048];
	struct access_line back;
	struct wbuf w;
	struct rbuf r;

	wbuf_init(&w, buf, sizeof(buf));
	l2tp_avp_bbf_encode(al, &w);
	FUZZ_CHECK(!w.err);
	memset(&back, 0, sizeof(back));
	rbuf_init(&r, buf, w.len);
	while (rbuf_left(&r) > 0) {
		uint16_t flags = rd_be16(&r), vendor = rd_be16(&r),
			 type = rd_be16(&r);
		size_t vlen = (flags & L2TP_AVP_LEN_MASK) - L2TP_AVP_HDR_LEN;

		FUZZ_CHECK(!r.err && vendor == ACCESS_LINE_VENDOR_BBF);
		FUZZ_CHECK((flags & (L2TP_AVP_M | L2TP_AVP_H)) == 0);
		FUZZ_CHECK(l2tp_avp_bbf_decode(&back, type, rd_ptr(&r, vlen),
			       vlen) == L2TP_BBF_OK);
	}
	FUZZ_CHECK(memcmp(&back, al, sizeof(back)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct access_line al, again;
	struct radius_packet p;
	uint8_t v[2048];
	unsigned skipped = 0;
	int n;

	fuzz_quiet();
	if (pppoe_tr101_parse(data, size, &al, &skipped) == PPPOE_TR101_OK) {
		n = pppoe_tr101_build(&al, v, sizeof(v));
		FUZZ_CHECK(n >= PPPOE_TR101_VENDOR_LEN);
		{
			uint8_t tags[4 + sizeof(v)];

			put_be16(tags, 0x0105);
			put_be16(tags + 2, (uint16_t)n);
			memcpy(tags + 4, v, (size_t)n);
			FUZZ_CHECK(pppoe_tr101_parse(tags, 4 + (size_t)n,
				       &again, NULL) == PPPOE_TR101_OK);
			FUZZ_CHECK(memcmp(&again, &al, sizeof(al)) == 0);
		}
		radius_packet_init(&p, 1, 1, NULL);
		FUZZ_CHECK(radius_put_access_line(&p, &al) == RADIUS_OK);
		check_l2tp_roundtrip(&al);
	}
	if (size > 0) {
		memset(&al, 0, sizeof(al));
		(void)l2tp_avp_bbf_decode(&al, data[0], data + 1, size - 1);
		if (al.present != 0)
			check_l2tp_roundtrip(&al);
	}
	return 0;
}
