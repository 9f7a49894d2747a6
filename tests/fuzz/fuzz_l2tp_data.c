/*
 * fuzz_l2tp_data.c — the per-packet data path: data_hdr_parse() (RFC 2661
 * §3.1) and §5.4 sequencing (data_seq_rx) over a stream of datagrams.
 *
 * Input: byte 0 sets up the sequencing state (LNS or LAC, Sequencing
 * Required or not); the rest is a sequence of datagrams, each prefixed
 * with a 1-byte length.
 */
#include <string.h>

#include "l2tp/data_hdr.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_seq sq;
	struct data_hdr h;
	enum data_hdr_status st;
	enum data_seq_verdict v;
	uint8_t pkt[256 + DATA_HDR_MAX], *p, *dg;
	uint64_t discards;
	size_t off, n;

	fuzz_quiet();
	if (size < 1)
		return 0;
	data_seq_init(&sq, (data[0] & 1) != 0, (data[0] & 2) != 0);
	for (off = 1; off < size; off += n) {
		n = data[off++];
		if (n > size - off)
			n = size - off;
		/* An exact-size copy: ASan catches any read past it. */
		dg = malloc(n > 0 ? n : 1);
		FUZZ_CHECK(dg != NULL);
		memcpy(dg, data + off, n);
		memset(&h, 0, sizeof(h));
		st = data_hdr_parse(dg, n, &h);
		free(dg);
		FUZZ_CHECK(data_hdr_status_str(st) != NULL);
		if (st != DATA_HDR_OK)
			continue;
		FUZZ_CHECK((size_t)h.payload_off + h.payload_len <= n);
		FUZZ_CHECK(h.payload_off >= DATA_HDR_MIN);
		discards = sq.rx_seq_discards;
		v = data_seq_rx(&sq, &h);
		FUZZ_CHECK(data_seq_verdict_str(v) != NULL);
		if (v == DATA_SEQ_ACCEPT)
			FUZZ_CHECK(sq.rx_seq_discards == discards);
		else
			FUZZ_CHECK(sq.rx_seq_discards == discards + 1);
		if (v == DATA_SEQ_ACCEPT && h.has_seq)
			FUZZ_CHECK(
			    sq.nr_valid && sq.nr == (uint16_t)(h.ns + 1));
		if (sq.recv_seq && !h.has_seq)
			FUZZ_CHECK(v == DATA_SEQ_MISSING);
	}

	/* What we build must parse back to what we built. */
	if (size >= 5) {
		p = data_hdr_push(pkt + DATA_HDR_MAX, DATA_HDR_MAX,
		    (uint16_t)(data[1] << 8 | data[2]),
		    (uint16_t)(data[3] << 8 | data[4]), &sq,
		    (data[0] & 4) != 0);
		FUZZ_CHECK(p != NULL);
		memset(pkt + DATA_HDR_MAX, 0xff, 16);
		st = data_hdr_parse(p, (size_t)(pkt + DATA_HDR_MAX - p) + 16,
		    &h);
		FUZZ_CHECK(st == DATA_HDR_OK);
		FUZZ_CHECK(h.tunnel_id == (uint16_t)(data[1] << 8 | data[2]));
		FUZZ_CHECK(h.session_id == (uint16_t)(data[3] << 8 | data[4]));
		FUZZ_CHECK(h.payload_len == 16);
		FUZZ_CHECK(h.has_seq == sq.send_seq);
	}
	return 0;
}
