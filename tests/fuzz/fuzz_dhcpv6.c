/*
 * fuzz_dhcpv6.c — DHCPv6 (RFC 8415) on hostile input: the codec
 * (dhcpv6_codec.c), the per-session server (dhcpv6_server.c) and the
 * requesting router (dhcpv6_client.c) talking to it.
 *
 * Input: byte 0 % 3 selects
 *   0: one message through dhcpv6_parse(); one that parses must build
 *      (dhcpv6_build) and parse again to the same content;
 *   1: a server fed records, op = next byte:
 *        op % 4 == 0: a message: length byte (times 4 when op bit 2),
 *                     then bytes; a reply must be a valid Advertise or
 *                     Reply carrying our Server ID and the same xid;
 *                 1: advance the clock by (next byte) seconds;
 *                 2: the provider refuses allocations while op bit 2;
 *                 3: the provider's renewals fail while op bit 2;
 *   2: the client against that server, records op = next byte:
 *        op % 4 == 0: run the client's timers up to (next byte) * 4 s
 *                     ahead, with delivery as set below;
 *                 1: a hostile message to the client, its xid set to
 *                    the client's current one when op bit 2;
 *                 2: lose client messages while op bit 2, replies
 *                    while op bit 3;
 *                 3: the client releases (the session ends).
 * The server's lease goes back to the provider on destroy, bindings and
 * unbindings pair up (LSan and the checks below), and the client's next
 * deadline is always in the future after a few timer runs.
 */
#include <stdbool.h>
#include <string.h>

#include "core/timeutil.h"
#include "fuzz.h"
#include "ipv6/dhcpv6_client.h"
#include "ipv6/dhcpv6_server.h"

struct fz {
	bool out, refuse, renew_fails;
	unsigned binds, unbinds, allocs;
	uint32_t rnd;
	/* client ↔ server */
	struct dhcpv6_server *srv;
	struct dhcpv6_client *cl;
	bool lose_tx, lose_rx;
	uint64_t now;
	uint8_t q[4][1024];
	size_t qlen[4];
	unsigned qn;
};

static int
f_alloc(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct fz *f = ctx;

	(void)now;
	FUZZ_CHECK(!f->out); /* one prefix per session */
	if (f->refuse)
		return -1;
	memset(l, 0, sizeof(*l));
	l->prefix[0] = 0x20;
	l->prefix[1] = 0x01;
	l->prefix[6] = (uint8_t)f->allocs++;
	l->plen = 56;
	l->preferred = 30 + (f->allocs % 3) * 60;
	l->valid = l->preferred * 2;
	f->out = true;
	return 0;
}

static int
f_renew(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct fz *f = ctx;

	(void)now;
	(void)l;
	FUZZ_CHECK(f->out);
	return f->renew_fails ? -1 : 0;
}

static void
f_release(void *ctx, const struct dhcpv6_pd_lease *l)
{
	struct fz *f = ctx;

	(void)l;
	FUZZ_CHECK(f->out);
	f->out = false;
}

static void
f_bound(void *ctx, const struct dhcpv6_pd_lease *l, bool bound)
{
	struct fz *f = ctx;

	(void)l;
	FUZZ_CHECK(f->out);
	if (bound)
		f->binds++;
	else
		f->unbinds++;
	FUZZ_CHECK(f->binds - f->unbinds <= 1);
}

static const struct dhcpv6_lease_ops f_ops = { f_alloc, f_renew, f_release,
	f_bound };

static void
run_codec(const uint8_t *data, size_t size)
{
	struct dhcpv6_msg m, m2;
	uint8_t *buf = malloc(size > 0 ? size : 1), out[2048];
	unsigned i;
	int n;

	FUZZ_CHECK(buf != NULL);
	memcpy(buf, data, size); /* exact size, for ASan */
	if (dhcpv6_parse(buf, size, &m) == DHCPV6_OK) {
		FUZZ_CHECK(m.nia <= DHCPV6_MAX_IA && m.noro <= DHCPV6_MAX_ORO &&
		    m.ndns <= DHCPV6_MAX_DNS);
		for (i = 0; i < m.nia; i++) {
			FUZZ_CHECK(m.ia[i].n <= DHCPV6_MAX_PREFIX);
			FUZZ_CHECK(m.ia[i].type == DHCPV6_OPT_IA_NA ||
			    m.ia[i].type == DHCPV6_OPT_IA_TA ||
			    m.ia[i].type == DHCPV6_OPT_IA_PD);
		}
		n = dhcpv6_build(&m, out, sizeof(out));
		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(dhcpv6_parse(out, (size_t)n, &m2) == DHCPV6_OK);
		FUZZ_CHECK(m2.type == m.type && m2.xid == m.xid &&
		    m2.present == m.present && m2.nia == m.nia &&
		    m2.noro == m.noro && m2.ndns == m.ndns);
		FUZZ_CHECK(dhcpv6_duid_eq(&m2.client_id, &m.client_id));
		FUZZ_CHECK(dhcpv6_duid_eq(&m2.server_id, &m.server_id));
		for (i = 0; i < m.nia; i++)
			FUZZ_CHECK(m2.ia[i].n == m.ia[i].n &&
			    m2.ia[i].iaid == m.ia[i].iaid);
	}
	free(buf);
}

static void
server_config(struct dhcpv6_server_config *c, uint8_t flags)
{
	static const uint8_t mac[6] = { 2, 0x76, 0x70, 0x64, 0x6e, 1 };

	memset(c, 0, sizeof(*c));
	dhcpv6_duid_ll(&c->duid, 1, mac, sizeof(mac));
	c->ndns = 2;
	c->dns[0][0] = 0x20;
	c->dns[1][0] = 0x20;
	c->rapid_commit = (flags & 4) != 0;
	c->send_preference = (flags & 8) != 0;
	c->preference = 255;
}

/* Feeds the server one message; checks its answer. */
static void
server_feed(struct fz *f, const uint8_t *p, size_t n, uint64_t now,
    uint8_t *reply, size_t *rlen)
{
	uint8_t *msg = malloc(n > 0 ? n : 1), out[1500];
	struct dhcpv6_msg in, rep;
	size_t r;

	FUZZ_CHECK(msg != NULL);
	memcpy(msg, p, n);
	r = dhcpv6_server_input(f->srv, msg, n, now, out, sizeof(out));
	if (r > 0) {
		FUZZ_CHECK(r <= sizeof(out));
		FUZZ_CHECK(dhcpv6_parse(msg, n, &in) == DHCPV6_OK);
		FUZZ_CHECK(dhcpv6_parse(out, r, &rep) == DHCPV6_OK);
		FUZZ_CHECK(
		    rep.type == DHCPV6_ADVERTISE || rep.type == DHCPV6_REPLY);
		FUZZ_CHECK(rep.xid == in.xid);
		FUZZ_CHECK(dhcpv6_duid_eq(&rep.server_id, &f->srv->cfg.duid));
		if (reply != NULL && r <= 1500) {
			memcpy(reply, out, r);
			*rlen = r;
		}
	}
	free(msg);
}

static void
run_server(struct fz *f, const uint8_t *data, size_t size)
{
	struct dhcpv6_server_config cfg;
	struct dhcpv6_server srv;
	uint64_t now = 1000;
	size_t off, n;

	server_config(&cfg, data[0]);
	dhcpv6_server_init(&srv, &cfg, &f_ops, f);
	f->srv = &srv;
	for (off = 1; off < size;) {
		uint8_t op = data[off++];

		switch (op % 4) {
		case 0:
			n = off < size ? data[off++] : 0;
			if (op & 4)
				n *= 4;
			if (n > size - off)
				n = size - off;
			server_feed(f, data + off, n, now, NULL, NULL);
			off += n;
			break;
		case 1:
			now += (uint64_t)(off < size ? data[off++] : 0) * 1000;
			break;
		case 2:
			f->refuse = (op & 4) != 0;
			break;
		default:
			f->renew_fails = (op & 4) != 0;
			break;
		}
		FUZZ_CHECK(f->out || dhcpv6_server_bound(&srv) == NULL);
	}
	dhcpv6_server_destroy(&srv);
	FUZZ_CHECK(!f->out);
	FUZZ_CHECK(f->binds == f->unbinds);
}

static uint32_t
c_random(void *ctx)
{
	struct fz *f = ctx;

	f->rnd = f->rnd * 1103515245u + 12345u;
	return f->rnd >> 8;
}

static void
c_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct fz *f = ctx;
	struct dhcpv6_msg m;

	/* What the client sends must be valid DHCPv6. */
	FUZZ_CHECK(dhcpv6_parse(msg, len, &m) == DHCPV6_OK);
	FUZZ_CHECK(m.present & DHCPV6_HAVE_CLIENTID);
	if (f->qn < 4 && len <= sizeof(f->q[0])) {
		memcpy(f->q[f->qn], msg, len);
		f->qlen[f->qn++] = len;
	}
}

static void
c_event(void *ctx, enum dhcpv6_client_event ev, const struct dhcpv6_pd_lease *l)
{
	(void)ctx;
	(void)ev;
	FUZZ_CHECK(l->plen <= 128);
}

static const struct dhcpv6_client_ops c_ops = { c_send, c_event, c_random };

static void
pump(struct fz *f)
{
	uint8_t reply[1500];
	size_t rlen;
	unsigned i;

	while (f->qn > 0) {
		uint8_t msg[1024];
		size_t len = f->qlen[0];

		memcpy(msg, f->q[0], len);
		f->qn--;
		for (i = 0; i < f->qn; i++) {
			memcpy(f->q[i], f->q[i + 1], f->qlen[i + 1]);
			f->qlen[i] = f->qlen[i + 1];
		}
		if (f->lose_tx)
			continue;
		rlen = 0;
		server_feed(f, msg, len, f->now, reply, &rlen);
		if (rlen > 0 && !f->lose_rx)
			dhcpv6_client_input(f->cl, reply, rlen, f->now);
	}
}

static void
run_pair(struct fz *f, const uint8_t *data, size_t size)
{
	struct dhcpv6_server_config scfg;
	struct dhcpv6_client_config ccfg;
	struct dhcpv6_server srv;
	struct dhcpv6_client cl;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	uint64_t d, until;
	unsigned spins;
	size_t off, n;

	server_config(&scfg, data[0]);
	dhcpv6_server_init(&srv, &scfg, &f_ops, f);
	memset(&ccfg, 0, sizeof(ccfg));
	dhcpv6_duid_ll(&ccfg.duid, 1, mac, sizeof(mac));
	ccfg.iaid = 1;
	ccfg.rapid_commit = (data[0] & 16) != 0;
	ccfg.want_dns = true;
	ccfg.hint_plen = 56;
	dhcpv6_client_init(&cl, &ccfg, &c_ops, f);
	f->srv = &srv;
	f->cl = &cl;
	f->now = 1000;
	dhcpv6_client_start(&cl, f->now);
	for (off = 1; off < size;) {
		uint8_t op = data[off++];

		switch (op % 4) {
		case 0:
			until = f->now +
			    (uint64_t)(off < size ? data[off++] : 0) * 4000;
			for (spins = 0;; spins++) {
				d = dhcpv6_client_next_deadline(&cl);
				if (d == TIME_NEVER || d > until)
					break;
				if (d > f->now) {
					f->now = d;
					spins = 0;
				}
				/* No livelock at one instant. */
				FUZZ_CHECK(spins < 8);
				dhcpv6_client_timer(&cl, f->now);
				pump(f);
			}
			f->now = until;
			break;
		case 1: {
			uint8_t *msg;

			n = off < size ? data[off++] : 0;
			if (n > size - off)
				n = size - off;
			msg = malloc(n > 0 ? n : 1);
			FUZZ_CHECK(msg != NULL);
			memcpy(msg, data + off, n);
			if ((op & 4) && n >= 4) {
				msg[1] = (uint8_t)(cl.xid >> 16);
				msg[2] = (uint8_t)(cl.xid >> 8);
				msg[3] = (uint8_t)cl.xid;
			}
			dhcpv6_client_input(&cl, msg, n, f->now);
			free(msg);
			pump(f);
			off += n;
			break;
		}
		case 2:
			f->lose_tx = (op & 4) != 0;
			f->lose_rx = (op & 8) != 0;
			break;
		default:
			dhcpv6_client_release(&cl, f->now);
			pump(f);
			break;
		}
		FUZZ_CHECK(cl.state <= DHCPV6_CL_STOPPED);
	}
	dhcpv6_server_destroy(&srv);
	FUZZ_CHECK(!f->out);
	FUZZ_CHECK(f->binds == f->unbinds);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;

	fuzz_quiet();
	if (size < 1)
		return 0;
	memset(&f, 0, sizeof(f));
	f.rnd = data[0];
	switch (data[0] % 3) {
	case 0:
		run_codec(data + 1, size - 1);
		break;
	case 1:
		run_server(&f, data, size);
		break;
	default:
		run_pair(&f, data, size);
		break;
	}
	return 0;
}
