/*
 * fuzz_xport.c — the RFC 2661 §5.8 reliable delivery engine (xport.c) fed
 * a fuzzer-chosen sequence of received headers, sends and clock ticks.
 *
 * Input: 4 bytes of configuration (our/peer window, retransmit max, queue
 * bound), then records of 5 bytes: op, a, b, c, d.
 *   op % 5 == 0: receive a control message with Ns = ab, Nr = cd
 *                (op bit 3: a ZLB, no AVP bytes);
 *           1: xport_send() a 16-byte message;
 *           2: advance the clock by ab ms and run xport_timeout();
 *           3: xport_set_peer(tunnel ab, window c);
 *           4: xport_flush_ack().
 * Invariants: delivered messages carry consecutive Ns (never one twice,
 * never a gap), queue bounds hold, and destroy frees everything (LSan).
 */
#include <stdbool.h>
#include <string.h>

#include "core/buf.h"
#include "fuzz.h"
#include "l2tp/xport.h"

struct fx {
	struct xport x;
	bool have_delivered;
	uint16_t last_delivered;
	unsigned nfailed;
	uint64_t now;
};

static void
fx_send(void *ctx, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(len >= 12);
	FUZZ_CHECK((get_be16(pkt) & 0xc800) == 0xc800); /* T, L, S */
	FUZZ_CHECK(get_be16(pkt + 2) == len);
}

static void
fx_deliver(void *ctx, const uint8_t *pkt, size_t len)
{
	struct fx *f = ctx;
	uint16_t ns;

	FUZZ_CHECK(len > 12);
	ns = get_be16(pkt + 8);
	/* §5.8: in order, each exactly once. */
	if (f->have_delivered)
		FUZZ_CHECK(ns == (uint16_t)(f->last_delivered + 1));
	f->have_delivered = true;
	f->last_delivered = ns;
}

static void
fx_failed(void *ctx)
{
	struct fx *f = ctx;

	f->nfailed++;
	FUZZ_CHECK(f->nfailed == 1); /* "called once" */
}

static void
fx_idle(void *ctx)
{
	(void)ctx;
}

static const struct xport_ops fx_ops = {
	.send = fx_send,
	.deliver = fx_deliver,
	.failed = fx_failed,
	.idle = fx_idle,
};

static void
mk_msg(uint8_t *b, size_t len, uint16_t ns, uint16_t nr)
{
	put_be16(b, 0xc802);
	put_be16(b + 2, (uint16_t)len);
	put_be16(b + 4, 1);
	put_be16(b + 6, 0);
	put_be16(b + 8, ns);
	put_be16(b + 10, nr);
	if (len > 12)
		memset(b + 12, 0xab, len - 12);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xport_config cfg;
	struct l2tp_hdr h;
	struct fx f;
	uint8_t msg[20];
	unsigned before;
	uint16_t ab, cd;
	size_t off;
	int r;

	fuzz_quiet();
	if (size < 4)
		return 0;
	memset(&f, 0, sizeof(f));
	xport_config_defaults(&cfg);
	cfg.our_rwin = (uint16_t)(data[0] % 32);
	cfg.peer_rwin = (uint16_t)(data[1] % 32);
	cfg.retransmit_max = data[2] % 8;
	cfg.max_queue = data[3] % 16;
	cfg.hello_ms = 5000;
	f.now = 1000;
	if (xport_init(&f.x, &cfg, &fx_ops, &f, f.now) < 0)
		return 0;

	for (off = 4; size - off >= 5; off += 5) {
		const uint8_t *rec = data + off;

		ab = (uint16_t)(rec[1] << 8 | rec[2]);
		cd = (uint16_t)(rec[3] << 8 | rec[4]);
		switch (rec[0] % 5) {
		case 0: {
			size_t len = (rec[0] & 8) ? 12 : 16;

			mk_msg(msg, len, ab, cd);
			memset(&h, 0, sizeof(h));
			FUZZ_CHECK(
			    l2tp_hdr_decode(msg, len, &h) == L2TP_HDR_OK);
			FUZZ_CHECK(xport_rx_str(xport_input(&f.x, &h, msg, len,
				       f.now)) != NULL);
			break;
		}
		case 1:
			before = f.x.pending_count;
			mk_msg(msg, 16, 0, 0);
			r = xport_send(&f.x, msg, 16, f.now);
			if (r < 0)
				FUZZ_CHECK(
				    f.x.failed || f.x.pending_count == before);
			break;
		case 2:
			f.now += ab;
			xport_timeout(&f.x, f.now);
			break;
		case 3:
			xport_set_peer(&f.x, ab, rec[3]);
			break;
		default:
			xport_flush_ack(&f.x);
			break;
		}
		/* Bounds from xport.h: never more held than our window, never
		 * more waiting than max_queue, una <= sent_upto <= ns. */
		FUZZ_CHECK(
		    f.x.ring_size >= 1 && f.x.ring_size <= XPORT_RING_MAX);
		FUZZ_CHECK(f.x.pending_count <= cfg.max_queue);
		FUZZ_CHECK(f.x.held_count <= f.x.cfg.our_rwin);
		FUZZ_CHECK(!seq_gt(f.x.una, f.x.sent_upto));
		FUZZ_CHECK(!seq_gt(f.x.sent_upto, f.x.ns));
		FUZZ_CHECK(
		    (uint16_t)(f.x.sent_upto - f.x.una) <= f.x.ring_size);
		FUZZ_CHECK(f.x.cwnd >= 1);
		FUZZ_CHECK(xport_unacked(&f.x) >= f.x.pending_count);
		FUZZ_CHECK(f.nfailed <= 1);
		(void)xport_next_deadline(&f.x);
	}
	xport_destroy(&f.x);
	return 0;
}
