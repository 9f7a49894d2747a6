/*
 * fuzz_l2tp_host.c — the host's real entry point, l2tp_host_input(), with
 * a live tunnel and call: two hosts back to back (tests/unit/l2tp_pair.h),
 * node 0 the LAC, node 1 the LNS, one tunnel and one session established
 * before the input is read.  The fuzzer then sends arbitrary datagrams to
 * either end — most with the live tunnel and session IDs written where
 * their header puts them, so that data messages with every header variant
 * (L, S, O, offset padding, Ns games, RFC 2661 §3.1, §5.4) and control
 * messages of the live tunnel reach the session instead of stopping at an
 * unknown ID — with data sent back (in place and copied) and time passing
 * in between.
 *
 * Input: byte 0: bit 0 Sequencing Required on the call (§4.4.6).  Then
 * records: op, length, that many bytes.  op bits 0-1: 0 the datagram as is,
 * 1 with the live IDs, 2 with the live IDs and then the receiving end sends
 * a data message (bit 4: in place), 3 time passes (length × 50 ms); bit 2:
 * to the LAC instead of the LNS; bit 3: from a third address (not the
 * tunnel's peer).
 *
 * Invariants (abort otherwise): a delivered frame is no longer than the
 * datagram that carried it, minus the smallest header; a live session's
 * rx_packets equals the frames its host delivered; the hosts' drop counters
 * only grow; ASan checks every read against an exact-size copy.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "l2tp/data_hdr.h"
#include "l2tp/l2tp_proto.h"
#include "../unit/l2tp_pair.h"

/* The live call at node i, or NULL once it or its tunnel went down. */
static struct l2tp_session *
live_session(struct world *w, int i)
{
	struct w_node *n = &w->n[i];

	/* Only while it is the one call this end ever had: a second one
	 * (an ICRQ or OCRQ the fuzzer got through) shares the counters. */
	if (n->session_up != 1 || n->session_down > 0 || n->tunnel_down > 0)
		return NULL;
	return i == 0 ? n->last_data_session : n->last_session_up;
}

/* Writes node i's tunnel and session IDs where pkt's header has them. */
static void
aim(uint8_t *pkt, size_t len, struct l2tp_session *s)
{
	struct l2tp_session_info si;
	size_t off = 2;

	if (len < 2 || s == NULL)
		return;
	l2tp_session_get_info(s, &si);
	/* §3.1: Ver 2 (else the datagram stops at the version check). */
	pkt[1] = (uint8_t)((pkt[1] & ~L2TP_HDR_VER_MASK) | L2TP_VERSION);
	if (get_be16(pkt) & L2TP_HDR_L)
		off += 2;
	if (len >= off + 2)
		put_be16(pkt + off, si.tunnel_local_id);
	if (len >= off + 4)
		put_be16(pkt + off + 2, si.local_id);
}

static void
send_back(struct world *w, int i, bool inplace, const uint8_t *f, size_t n)
{
	struct l2tp_session *s = live_session(w, i);
	uint8_t buf[L2TP_DATA_HEADROOM + 256];

	if (s == NULL)
		return;
	if (n > 256)
		n = 256;
	memcpy(buf + L2TP_DATA_HEADROOM, f, n);
	if (inplace)
		(void)l2tp_session_send_data_inplace(s,
		    buf + L2TP_DATA_HEADROOM, n, L2TP_DATA_HEADROOM);
	else
		(void)l2tp_session_send_data(s, buf + L2TP_DATA_HEADROOM, n);
}

static void
check(struct world *w, const uint64_t drops[2][L2TP_DROP__COUNT])
{
	for (int i = 0; i < 2; i++) {
		struct l2tp_session *s = live_session(w, i);
		const struct l2tp_host_stats *st = w_stats(w, i);

		for (int d = 0; d < L2TP_DROP__COUNT; d++)
			FUZZ_CHECK(st->drops[d] >= drops[i][d]);
		if (s != NULL) {
			struct l2tp_session_info si;

			l2tp_session_get_info(s, &si);
			FUZZ_CHECK(si.rx_packets == (uint64_t)w->n[i].data_rx);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world *w;
	struct l2tp_call_params cp;
	uint64_t drops[2][L2TP_DROP__COUNT];
	size_t off = 1;

	fuzz_quiet();
	if (size < 1)
		return 0;
	w = w_new();
	w_start(w);
	memset(&cp, 0, sizeof(cp));
	cp.sequencing_required = (data[0] & 1) != 0;
	/* node 0's data upcall records its session (live_session) */
	w->n[0].last_data_session = l2tp_session_open(w_establish(w), &cp,
	    w->now);
	w_advance(w, 500);
	FUZZ_CHECK(w->n[1].session_up == 1);
	FUZZ_CHECK(w->n[0].last_data_session != NULL);
	while (off + 2 <= size) {
		uint8_t op = data[off], n = data[off + 1];
		int to = (op & 4) ? 0 : 1;
		struct w_node *src = (op & 8) ? &w->n[2] : &w->n[1 - to];
		uint8_t *dg;

		off += 2;
		if (n > size - off)
			n = (uint8_t)(size - off);
		for (int i = 0; i < 2; i++)
			memcpy(drops[i], w_stats(w, i)->drops,
			    sizeof(drops[i]));
		if ((op & 3) == 3) {
			w_advance(w, (uint64_t)n * 50);
			check(w, drops);
			continue;
		}
		/* An exact-size copy: ASan catches any read past it. */
		dg = malloc(n > 0 ? n : 1);
		FUZZ_CHECK(dg != NULL);
		memcpy(dg, data + off, n);
		off += n;
		if ((op & 3) != 0)
			aim(dg, n, live_session(w, to));
		w->n[to].last_data_len = 0;
		l2tp_host_input(w->n[to].h, dg, n, &w->n[to].addr, &src->addr,
		    w->now);
		FUZZ_CHECK(w->n[to].last_data_len == 0 ||
		    w->n[to].last_data_len + DATA_HDR_MIN <= n);
		free(dg);
		if ((op & 3) == 2)
			send_back(w, to, (op & 16) != 0, data + off - n, n);
		w_pump(w);
		check(w, drops);
	}
	w_free(w);
	return 0;
}
