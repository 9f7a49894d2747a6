/*
 * fuzz_pppoe.c — PPPoE (RFC 2516) on hostile Ethernet frames: the codec
 * (pppoe_codec.c) and the access concentrator's discovery/session engine
 * (pppoe_server.c).
 *
 * Input: byte 0 bit 0: 0 = one frame through pppoe_parse(), and a
 * discovery frame that parses must rebuild (pppoe_build_disc) and parse
 * again to the same code/session/TAG presence; 1 = a server fed records:
 *   op % 3 == 0: a frame: length byte (times 8 when op bit 2), then bytes;
 *            1: advance the clock by (next byte) * 100 ms;
 *            2: answer the last PADO we sent with a proper PADR (its
 *               cookie and service), so the session stage is reachable.
 * All sessions are freed by pppoe_server_free (LSan).
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "pppoe/pppoe_codec.h"
#include "pppoe/pppoe_server.h"

static const uint8_t ac_mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 1 };

struct fp {
	uint8_t pado[PPPOE_FRAME_MAX];
	size_t pado_len;
	unsigned nup, ndown;
};

static int
fp_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fp *f = ctx;
	struct pppoe_pkt p;

	FUZZ_CHECK(len <= PPPOE_FRAME_MAX);
	/* What the server sends must be valid PPPoE. */
	FUZZ_CHECK(pppoe_parse(frame, len, &p) == PPPOE_OK);
	if (p.code == PPPOE_CODE_PADO) {
		memcpy(f->pado, frame, len);
		f->pado_len = len;
	}
	return 0;
}

static int
fp_up(void *ctx, struct pppoe_session *s, uint64_t now)
{
	struct fp *f = ctx;

	(void)now;
	f->nup++;
	FUZZ_CHECK(s->id != 0 && s->id != PPPOE_SID_RESERVED);
	return (f->nup % 3) == 0 ? -1 : 0; /* sometimes refuse */
}

static void
fp_down(void *ctx, struct pppoe_session *s, const char *reason, uint64_t now)
{
	struct fp *f = ctx;

	(void)now;
	(void)s;
	FUZZ_CHECK(reason != NULL);
	f->ndown++;
}

static void
fp_data(void *ctx, struct pppoe_session *s, const uint8_t *ppp, size_t len,
    uint64_t now)
{
	(void)ctx;
	(void)now;
	(void)ppp;
	FUZZ_CHECK(len <= PPPOE_PPP_MRU + 2);
	/* Echo it back: exercises the send path with the peer's sizes. */
	(void)pppoe_server_send(s, ppp, len);
}

static const struct pppoe_server_ops fp_ops = {
	.send_frame = fp_send,
	.session_up = fp_up,
	.session_down = fp_down,
	.session_data = fp_data,
};

static void
feed(struct pppoe_server *srv, const uint8_t *p, size_t n, uint64_t now)
{
	uint8_t *frame = malloc(n > 0 ? n : 1); /* exact, for ASan */

	FUZZ_CHECK(frame != NULL);
	memcpy(frame, p, n);
	pppoe_server_input(srv, frame, n, now);
	free(frame);
}

/* A PADR answering the PADO in f->pado (§5.3: same TAGs back). */
static void
answer_pado(struct fp *f, struct pppoe_server *srv, uint64_t now)
{
	struct pppoe_pkt o, r;
	uint8_t out[PPPOE_FRAME_MAX];
	int n;

	if (f->pado_len == 0 ||
	    pppoe_parse(f->pado, f->pado_len, &o) != PPPOE_OK)
		return;
	memset(&r, 0, sizeof(r));
	memcpy(r.dst, o.src, PPPOE_MAC_LEN);
	memcpy(r.src, o.dst, PPPOE_MAC_LEN);
	r.code = PPPOE_CODE_PADR;
	r.nservice = o.nservice > 0 ? 1 : 0;
	r.service[0] = o.service[0];
	r.present = o.present &
	    (PPPOE_HAVE_AC_COOKIE | PPPOE_HAVE_HOST_UNIQ | PPPOE_HAVE_RELAY_ID);
	r.ac_cookie = o.ac_cookie;
	r.host_uniq = o.host_uniq;
	r.relay_id = o.relay_id;
	n = pppoe_build_disc(out, sizeof(out), &r);
	if (n > 0)
		feed(srv, out, (size_t)n, now);
}

static void
run_codec(const uint8_t *data, size_t size)
{
	struct pppoe_pkt p, q;
	uint8_t *frame, out[PPPOE_FRAME_MAX];
	int n;

	frame = malloc(size > 0 ? size : 1);
	FUZZ_CHECK(frame != NULL);
	memcpy(frame, data, size);
	if (pppoe_parse(frame, size, &p) == PPPOE_OK) {
		FUZZ_CHECK(p.nservice <= PPPOE_MAX_SERVICES);
		if (p.payload_len > 0)
			FUZZ_CHECK(p.payload >= frame &&
			    p.payload + p.payload_len <= frame + size);
		if (p.ethertype == PPPOE_ETHERTYPE_DISC) {
			n = pppoe_build_disc(out, sizeof(out), &p);
			if (n > 0) {
				FUZZ_CHECK(pppoe_parse(out, (size_t)n, &q) ==
				    PPPOE_OK);
				FUZZ_CHECK(q.code == p.code);
				FUZZ_CHECK(q.session_id == p.session_id);
				FUZZ_CHECK(q.present == p.present);
				FUZZ_CHECK(q.nservice == p.nservice);
			}
		}
	}
	free(frame);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pppoe_server_config cfg;
	struct pppoe_server *srv;
	struct fp f;
	uint64_t now = 1000;
	size_t off, n;

	fuzz_quiet();
	if (size < 1)
		return 0;
	if ((data[0] & 1) == 0) {
		run_codec(data + 1, size - 1);
		return 0;
	}
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.mac, ac_mac, sizeof(ac_mac));
	cfg.ac_name = "vpdn-ac";
	if (data[0] & 2) {
		cfg.services[0] = "internet";
		cfg.nservices = 1;
	}
	cfg.max_sessions = 4;
	memset(&f, 0, sizeof(f));
	srv = pppoe_server_new(&cfg, &fp_ops, &f, now);
	if (srv == NULL)
		return 0;
	for (off = 1; off < size;) {
		uint8_t op = data[off++];

		switch (op % 3) {
		case 0:
			n = off < size ? data[off++] : 0;
			if (op & 4)
				n *= 8;
			if (n > size - off)
				n = size - off;
			feed(srv, data + off, n, now);
			off += n;
			break;
		case 1:
			now += (uint64_t)(off < size ? data[off++] : 0) * 100;
			break;
		default:
			answer_pado(&f, srv, now);
			break;
		}
		FUZZ_CHECK(pppoe_server_session_count(srv) <= cfg.max_sessions);
	}
	pppoe_server_free(srv);
	return 0;
}
