/*
 * fuzz_ppp_cp.c — PPP control protocols on hostile packets: LCP, IPCP and
 * IPv6CP over the generic RFC 1661 automaton (cp.c, lcp.c, ipcp.c,
 * ipv6cp.c) and a whole ppp_link (link.c: framing, phase machine, demux
 * to LCP/auth/IPCP/IPv6CP) as server or client.
 *
 * Input: byte 0 % 7 picks the subject: 0/1 LCP server/client, 2/3 IPCP
 * server/client, 4 IPv6CP, 5/6 ppp_link server/client.  Then records:
 *   op % 3 == 0: a packet: length byte, then that many bytes (for the
 *                link a whole frame, FF 03 optional);
 *            1: advance the clock by (next byte) * 100 ms and time out;
 *            2: an event (next byte): Up, Down, Open, Close (link: close).
 * Invariants: every packet sent is a well-formed code/id/length packet no
 * longer than CP_MAX_PKT, states stay in range, and the link frees all.
 */
#include <stdbool.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "fuzz.h"
#include "ppp/ipcp.h"
#include "ppp/lcp.h"
#include "ppp/link.h"
#include "ppp/ppp_proto.h"

static void
own_send(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)proto;
	FUZZ_CHECK(len >= 4);
	FUZZ_CHECK(get_be16(pkt + 2) == len);
}

static void
own_layer(void *ctx, uint16_t proto, enum cp_action what)
{
	(void)ctx;
	(void)proto;
	FUZZ_CHECK(what == CP_TLU || what == CP_TLD || what == CP_TLS ||
	    what == CP_TLF);
}

static void
own_proto_rej(void *ctx, uint16_t proto)
{
	(void)ctx;
	(void)proto;
}

static void
own_fail(void *ctx, const char *reason)
{
	(void)ctx;
	FUZZ_CHECK(reason != NULL);
}

static const struct cp_owner_ops own_ops = {
	.send = own_send,
	.layer = own_layer,
	.proto_rej = own_proto_rej,
	.fail = own_fail,
};

/* ---- the link ---- */

static int
lk_send(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(len >= 4);
	FUZZ_CHECK(frame[0] == PPP_ALLSTATIONS && frame[1] == PPP_UI);
	return 0;
}

static int
lk_assign(void *ctx, const char *user, const struct auth_result *res,
    uint32_t *addr, uint64_t now)
{
	(void)now;
	(void)ctx;
	(void)res;
	FUZZ_CHECK(user != NULL);
	*addr = 0x0a000002;
	return 0;
}

static void
lk_up(void *ctx, uint32_t local, uint32_t peer, const uint32_t dns[2],
    unsigned dns_count, uint64_t now)
{
	(void)now;
	(void)ctx;
	(void)local;
	(void)peer;
	(void)dns;
	FUZZ_CHECK(dns_count <= 2);
}

static void
lk_ip(void *ctx, const uint8_t *pkt, size_t len, uint64_t now)
{
	(void)now;
	(void)ctx;
	(void)pkt;
	(void)len;
}

static void
lk_down(void *ctx, const char *reason, uint64_t now)
{
	unsigned *downs = ctx;

	(void)now;
	FUZZ_CHECK(reason != NULL);
	(*downs)++;
	FUZZ_CHECK(*downs == 1); /* link.h: "called once" */
}

static const struct ppp_link_ops lk_ops = {
	.send = lk_send,
	.assign_address = lk_assign,
	.network_up = lk_up,
	.ip_input = lk_ip,
	.ipv6_input = lk_ip,
	.down = lk_down,
};

/* Synchronous "everyone is refused but alice/secret" backend. */
static uint64_t
be_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct auth_result res;

	(void)ctx;
	memset(&res, 0, sizeof(res));
	res.ok = strcmp(req->user, "alice") == 0;
	(void)snprintf(res.message, sizeof(res.message), "%s",
	    res.ok ? "welcome" : "denied");
	done(arg, &res);
	return 0;
}

static void
be_cancel(void *ctx, uint64_t handle)
{
	(void)ctx;
	(void)handle;
}

static void
run_link(bool server, const uint8_t *data, size_t size)
{
	struct ppp_link_config cfg;
	struct auth_backend be = { be_verify, be_cancel, NULL };
	struct ppp_link *l;
	unsigned downs = 0;
	uint64_t now = 1000;
	size_t off = 0, n;

	memset(&cfg, 0, sizeof(cfg));
	cfg.server = server;
	cfg.auth[0] = PPP_AUTH_MSCHAPV2;
	cfg.auth[1] = PPP_AUTH_CHAP_MD5;
	cfg.auth[2] = PPP_AUTH_PAP;
	cfg.auth_count = 3;
	(void)snprintf(cfg.client.user, sizeof(cfg.client.user), "alice");
	memcpy(cfg.client.password, "secret", 6);
	cfg.client.password_len = 6;
	cfg.client.accept[0] = PPP_AUTH_MSCHAPV2;
	cfg.client.accept[1] = PPP_AUTH_CHAP_MD5;
	cfg.client.accept[2] = PPP_AUTH_PAP;
	cfg.client.accept_count = 3;
	cfg.client.restart_ms = 3000;
	cfg.client.max_tries = 10;
	(void)snprintf(cfg.our_name, sizeof(cfg.our_name), "lns");
	cfg.local_addr = 0x0a000001;
	cfg.dns[0] = 0x08080808;
	cfg.dns_count = 1;
	cfg.mru = 1400;
	cfg.echo_interval_ms = 10000;
	cfg.echo_failures = 3;
	cfg.restart_ms = 3000;
	cfg.max_configure = 10;
	cfg.max_terminate = 2;
	cfg.max_failure = 5;
	cfg.ipv6cp = true;
	cfg.rechallenge_ms = 60000;

	l = ppp_link_new(&cfg, &be, &lk_ops, &downs, now);
	if (l == NULL)
		return;
	ppp_link_start(l, now);
	while (off < size) {
		uint8_t op = data[off++];

		switch (op % 3) {
		case 0: {
			uint8_t *frame;

			n = off < size ? data[off++] : 0;
			if (n > size - off)
				n = size - off;
			frame = malloc(n > 0 ? n : 1); /* exact, for ASan */
			FUZZ_CHECK(frame != NULL);
			memcpy(frame, data + off, n);
			ppp_link_input(l, frame, n, now);
			free(frame);
			off += n;
			break;
		}
		case 1:
			now += (uint64_t)(off < size ? data[off++] : 0) * 100;
			if (ppp_link_next_deadline(l) <= now)
				ppp_link_timeout(l, now);
			break;
		default:
			if (off < size && data[off++] == 0)
				ppp_link_close(l, "fuzz", now);
			break;
		}
		FUZZ_CHECK(ppp_phase_str(ppp_link_phase(l)) != NULL);
		FUZZ_CHECK(ppp_link_user(l) != NULL);
	}
	ppp_link_free(l);
}

/* ---- one control protocol alone ---- */

static void
cp_run(struct cp *cp, const uint8_t *data, size_t size, uint64_t now,
    void (*input)(void *, const uint8_t *, size_t, uint64_t), void *arg)
{
	size_t off = 0, n;

	cp_up(cp, now);
	cp_open(cp, now);
	while (off < size) {
		uint8_t op = data[off++], ev;

		switch (op % 3) {
		case 0: {
			uint8_t *pkt;

			n = off < size ? data[off++] : 0;
			if (n > size - off)
				n = size - off;
			pkt = malloc(n > 0 ? n : 1);
			FUZZ_CHECK(pkt != NULL);
			memcpy(pkt, data + off, n);
			input(arg, pkt, n, now);
			free(pkt);
			off += n;
			break;
		}
		case 1:
			now += (uint64_t)(off < size ? data[off++] : 0) * 100;
			if (cp_next_deadline(cp) <= now)
				cp_timeout(cp, now);
			break;
		default:
			ev = off < size ? data[off++] : 0;
			switch (ev % 4) {
			/* clang-format off */
			case 0: cp_up(cp, now); break;
			case 1: cp_down(cp, now); break;
			case 2: cp_open(cp, now); break;
			default: cp_close(cp, now); break;
				/* clang-format on */
			}
			break;
		}
		FUZZ_CHECK(cp->state < CP_NSTATES);
		FUZZ_CHECK(cp->last_req_len <= CP_MAX_PKT);
		FUZZ_CHECK(cp->reply_len <= CP_MAX_PKT);
	}
}

static void
lcp_in(void *arg, const uint8_t *pkt, size_t len, uint64_t now)
{
	lcp_input(arg, pkt, len, now);
}

static void
cp_in(void *arg, const uint8_t *pkt, size_t len, uint64_t now)
{
	cp_input(arg, pkt, len, now);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lcp l;
	static struct ipcp ip;
	static struct ipv6cp v6;
	struct cp_config cc = { 3000, 10, 2, 5 };
	struct lcp_config lc;
	struct ipcp_config ic;
	uint8_t mode;

	fuzz_quiet();
	if (size < 1)
		return 0;
	mode = data[0] % 7;
	data++;
	size--;
	switch (mode) {
	case 0:
	case 1:
		memset(&lc, 0, sizeof(lc));
		lc.server = mode == 0;
		lc.auth[0] = PPP_AUTH_CHAP_MD5;
		lc.auth[1] = PPP_AUTH_PAP;
		lc.auth_count = 2;
		lc.accept[0] = PPP_AUTH_MSCHAPV2;
		lc.accept[1] = PPP_AUTH_PAP;
		lc.accept_count = 2;
		lc.mru = 1400;
		lc.echo_interval_ms = 1000;
		lc.echo_failures = 3;
		lc.cp = cc;
		memset(&l, 0, sizeof(l));
		lcp_init(&l, &lc, &own_ops, NULL);
		cp_run(&l.cp, data, size, 1000, lcp_in, &l);
		if (lcp_next_deadline(&l) != TIME_NEVER)
			lcp_timeout(&l, lcp_next_deadline(&l));
		break;
	case 2:
	case 3:
		memset(&ic, 0, sizeof(ic));
		ic.server = mode == 2;
		ic.local_addr = 0x0a000001;
		ic.dns[0] = 0x08080808;
		ic.dns[1] = 0x08080404;
		ic.dns_count = 2;
		ic.cp = cc;
		memset(&ip, 0, sizeof(ip));
		ipcp_init(&ip, &ic, &own_ops, NULL);
		if (ic.server)
			ipcp_set_peer_addr(&ip, 0x0a000002);
		cp_run(&ip.cp, data, size, 1000, cp_in, &ip.cp);
		break;
	case 4:
		memset(&v6, 0, sizeof(v6));
		ipv6cp_init(&v6, &cc, &own_ops, NULL);
		cp_run(&v6.cp, data, size, 1000, cp_in, &v6.cp);
		break;
	default:
		run_link(mode == 5, data, size);
		break;
	}
	return 0;
}
