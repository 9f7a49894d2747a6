/*
 * test_ppp_link.c — a server link and a client link back to back through
 * frame queues on a fake clock: phases, every auth method, method
 * negotiation, addresses and DNS, IP only once IPCP is Opened, auth failure
 * and echo timeout taking the link down with a reason, Protocol-Reject,
 * IPv6CP, and RFC 2661 §4.4.5 proxy LCP/auth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/users.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "ppp/auth.h"
#include "ppp/cp.h"
#include "ppp/link.h"
#include "ppp/ppp_proto.h"

#define QMAX 64
#define FMAX 1600

struct frame {
	size_t len;
	uint8_t b[FMAX];
};

struct side {
	struct ppp_link *l;
	struct side *peer;
	bool wire_cut;	      /* frames we send are lost */
	struct frame q[QMAX]; /* frames in flight to us */
	unsigned qn;
	struct frame last; /* last frame we sent */
	unsigned sent;
	bool up, up6, down;
	unsigned ups;	    /* network_up calls */
	unsigned net_downs; /* network_down calls */
	unsigned assigns;   /* assign_address calls */
	char reason[128];
	uint32_t local, peer_addr, dns[2];
	unsigned dns_count;
	unsigned ip_rx;
	uint8_t ip_last[64];
	bool no_address;
	const uint8_t *inplace_at; /* last send_inplace frame */
	size_t inplace_headroom;
};

static uint64_t now;
static struct users_db *db;
static struct auth_backend backend;

static int
s_send(void *ctx, const uint8_t *f, size_t len)
{
	struct side *s = ctx;

	assert_true(len <= FMAX);
	memcpy(s->last.b, f, len);
	s->last.len = len;
	s->sent++;
	/* full headers always: FF 03 + 2-octet protocol */
	assert_true(len >= 4 && f[0] == 0xff && f[1] == 0x03);
	if (s->wire_cut || s->peer == NULL || s->peer->qn >= QMAX)
		return 0;
	memcpy(s->peer->q[s->peer->qn].b, f, len);
	s->peer->q[s->peer->qn++].len = len;
	return 0;
}

static int
s_send_inplace(void *ctx, uint8_t *f, size_t len, size_t headroom)
{
	struct side *s = ctx;

	s->inplace_at = f;
	s->inplace_headroom = headroom;
	return s_send(ctx, f, len);
}

static int
s_assign(void *ctx, const char *user, const struct auth_result *res,
    uint32_t *addr, uint64_t t_now)
{
	struct side *s = ctx;

	(void)t_now;
	assert_string_equal(user, "alice");
	s->assigns++;
	if (s->no_address)
		return -1;
	*addr = res->framed_address ? res->framed_address : 0x0a010005;
	return 0;
}

static void
s_up(void *ctx, uint32_t local, uint32_t peer, const uint32_t dns[2],
    unsigned n, uint64_t t_now)
{
	struct side *s = ctx;

	(void)t_now;
	s->up = true;
	s->ups++;
	s->local = local;
	s->peer_addr = peer;
	s->dns_count = n;
	s->dns[0] = n > 0 ? dns[0] : 0;
	s->dns[1] = n > 1 ? dns[1] : 0;
}

static void
s_net_down(void *ctx, const char *reason, uint64_t t_now)
{
	struct side *s = ctx;

	(void)t_now;
	assert_non_null(reason);
	s->net_downs++;
	s->up = false;
}

static void
s_ip(void *ctx, const uint8_t *p, size_t len, uint64_t t_now)
{
	struct side *s = ctx;

	(void)t_now;
	s->ip_rx++;
	memcpy(s->ip_last, p, len < 64 ? len : 64);
}

static void
s_down(void *ctx, const char *reason, uint64_t t_now)
{
	struct side *s = ctx;

	(void)t_now;
	assert_false(s->down); /* exactly once */
	s->down = true;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
}

static void
s_up6(void *ctx, const uint8_t a[8], const uint8_t b[8], uint64_t t_now)
{
	struct side *s = ctx;

	(void)t_now;
	assert_memory_not_equal(a, b, 8);
	s->up6 = true;
}

/* The owner says where the peer is (RADIUS Calling-Station-Id/NAS-Port). */
static void
s_describe(void *ctx, struct auth_request *req)
{
	(void)ctx;
	snprintf(req->calling_station, sizeof(req->calling_station),
	    "02:00:5e:10:ab:cd");
	req->nas_port = 4242;
	req->has_nas_port = true;
}

static const struct ppp_link_ops ops = {
	.send = s_send,
	.send_inplace = s_send_inplace,
	.assign_address = s_assign,
	.network_up = s_up,
	.ip_input = s_ip,
	.ipv6_input = s_ip,
	.down = s_down,
	.network6_up = s_up6,
	.auth_describe = s_describe,
	.network_down = s_net_down,
};

static struct side srv, cli;

static void
server_cfg(struct ppp_link_config *c, enum ppp_auth_method m)
{
	memset(c, 0, sizeof(*c));
	c->server = true;
	c->auth[0] = m;
	c->auth_count = 1;
	snprintf(c->our_name, sizeof(c->our_name), "lns");
	c->local_addr = 0x0a000001;
	c->dns[0] = 0x08080808;
	c->dns[1] = 0x01010101;
	c->dns_count = 2;
}

static void
client_cfg(struct ppp_link_config *c, enum ppp_auth_method m,
    const char *password)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->client.user, sizeof(c->client.user), "alice");
	memcpy(c->client.password, password, strlen(password));
	c->client.password_len = strlen(password);
	c->client.accept[0] = m;
	c->client.accept_count = 1;
}

static int
setup(void **state)
{
	static const char users[] = "alice secret *\nbob pw 10.9.9.9\n";
	char err[128];

	(void)state;
	db = users_parse("users", users, strlen(users), err, sizeof(err));
	assert_non_null(db);
	auth_users_backend(&backend, db);
	memset(&srv, 0, sizeof(srv));
	memset(&cli, 0, sizeof(cli));
	srv.peer = &cli;
	cli.peer = &srv;
	now = 1000;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ppp_link_free(srv.l);
	ppp_link_free(cli.l);
	srv.l = cli.l = NULL;
	users_free(db);
	return 0;
}

static void
make_links(const struct ppp_link_config *sc, const struct ppp_link_config *cc)
{
	srv.l = ppp_link_new(sc, &backend, &ops, &srv, now);
	assert_non_null(srv.l);
	if (cc != NULL) {
		cli.l = ppp_link_new(cc, NULL, &ops, &cli, now);
		assert_non_null(cli.l);
	}
}

/* Deliver queued frames until quiet (FIFO per side). */
static void
pump(void)
{
	for (unsigned iter = 0; iter < 1000; iter++) {
		struct side *s = srv.qn > 0 ? &srv : cli.qn > 0 ? &cli : NULL;
		struct frame f;

		if (s == NULL)
			return;
		f = s->q[0];
		memmove(s->q, s->q + 1, (s->qn - 1) * sizeof(s->q[0]));
		s->qn--;
		if (s->l != NULL)
			ppp_link_input(s->l, f.b, f.len, now);
	}
	fail_msg("no quiescence");
}

static uint64_t
next_deadline(void)
{
	uint64_t t = TIME_NEVER;

	if (srv.l != NULL)
		t = time_min(t, ppp_link_next_deadline(srv.l));
	if (cli.l != NULL)
		t = time_min(t, ppp_link_next_deadline(cli.l));
	return t;
}

/* Run the clock forward to until, firing timers and pumping. */
static void
run_until(uint64_t until)
{
	pump();
	for (;;) {
		uint64_t t = next_deadline();

		if (t == TIME_NEVER || t > until)
			break;
		now = t;
		if (srv.l != NULL)
			ppp_link_timeout(srv.l, now);
		if (cli.l != NULL)
			ppp_link_timeout(cli.l, now);
		pump();
	}
	now = until;
}

static void
bring_up(enum ppp_auth_method m)
{
	struct ppp_link_config sc, cc;

	server_cfg(&sc, m);
	client_cfg(&cc, m, "secret");
	make_links(&sc, &cc);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_DEAD);
	ppp_link_start(srv.l, now);
	ppp_link_start(cli.l, now);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_ESTABLISH);
	pump();
}

static void
check_network(void)
{
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	assert_int_equal(ppp_link_phase(cli.l), PPP_PHASE_NETWORK);
	assert_true(srv.up);
	assert_true(cli.up);
	assert_string_equal(ppp_link_user(srv.l), "alice");
	assert_int_equal(srv.local, 0x0a000001);
	assert_int_equal(srv.peer_addr, 0x0a010005);
	assert_int_equal(cli.local, 0x0a010005);
	assert_int_equal(cli.peer_addr, 0x0a000001);
	assert_int_equal(cli.dns_count, 2);
	assert_int_equal(cli.dns[0], 0x08080808);
	assert_int_equal(cli.dns[1], 0x01010101);
}

/*
 * An IP packet with headroom: FF 03 and the protocol (RFC 1662 §3.1) go in
 * front of it and the frame leaves through send_inplace, no copy; less
 * headroom than the header falls back to a copy through send.
 */
static void
test_send_ip_inplace(void **state)
{
	static const uint8_t ip[] = { 0x45, 0, 0, 20, 1, 2, 3, 4 };
	uint8_t buf[8 + sizeof(ip)];

	setup(state);
	bring_up(PPP_AUTH_CHAP_MD5);
	check_network();
	memcpy(buf + 8, ip, sizeof(ip));
	assert_int_equal(ppp_link_send_ip_inplace(srv.l, buf + 8, sizeof(ip),
			     8),
	    0);
	assert_ptr_equal(srv.inplace_at, buf + 4);
	assert_int_equal(srv.inplace_headroom, 4);
	assert_int_equal(get_be16(buf + 6), PPP_PROTO_IP);
	assert_int_equal(buf[4], 0xff);
	assert_int_equal(buf[5], 0x03);
	srv.inplace_at = NULL;
	assert_int_equal(ppp_link_send_ip_inplace(srv.l, buf + 8, sizeof(ip),
			     3),
	    0);
	assert_null(srv.inplace_at); /* copied */
	pump();
	assert_int_equal(cli.ip_rx, 2);
	assert_memory_equal(cli.ip_last, ip, sizeof(ip));
	teardown(state);
}

static void
test_methods(void **state)
{
	/* clang-format off */
	static const enum ppp_auth_method ms[] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
	};
	/* clang-format on */
	static const uint8_t ip[] = { 0x45, 0, 0, 20, 1, 2, 3, 4 };

	for (size_t i = 0; i < 3; i++) {
		setup(state);
		bring_up(ms[i]);
		check_network();
		assert_int_equal(ppp_link_send_ip(srv.l, ip, sizeof(ip)), 0);
		assert_int_equal(ppp_link_send_ip(cli.l, ip, sizeof(ip)), 0);
		pump();
		assert_int_equal(srv.ip_rx, 1);
		assert_int_equal(cli.ip_rx, 1);
		assert_memory_equal(cli.ip_last, ip, sizeof(ip));
		assert_int_equal(get_be16(srv.last.b + 2), PPP_PROTO_IP);
		/* an orderly close: both sides dead, one reason each */
		ppp_link_close(cli.l, "user request", now);
		run_until(now + 20000);
		assert_true(cli.down);
		assert_true(srv.down);
		assert_string_equal(cli.reason, "user request");
		assert_string_equal(srv.reason, "peer terminated");
		assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_DEAD);
		teardown(state);
	}
}

/* The server walks its list on Nak: client wants PAP only. */
static void
test_method_negotiation(void **state)
{
	struct ppp_link_config sc, cc;

	(void)state;
	server_cfg(&sc, PPP_AUTH_MSCHAPV2);
	sc.auth[1] = PPP_AUTH_CHAP_MD5;
	sc.auth[2] = PPP_AUTH_PAP;
	sc.auth_count = 3;
	client_cfg(&cc, PPP_AUTH_PAP, "secret");
	make_links(&sc, &cc);
	ppp_link_start(srv.l, now);
	ppp_link_start(cli.l, now);
	pump();
	check_network();
}

/* No common method at all: the server gives up (RFC 1661 §6.2). */
static void
test_no_common_method(void **state)
{
	struct ppp_link_config sc, cc;

	(void)state;
	server_cfg(&sc, PPP_AUTH_CHAP_MD5);
	client_cfg(&cc, PPP_AUTH_PAP, "secret");
	make_links(&sc, &cc);
	ppp_link_start(srv.l, now);
	ppp_link_start(cli.l, now);
	run_until(now + 60000);
	assert_true(srv.down);
	assert_false(srv.up);
}

/* IP before IPCP is Opened is refused both ways. */
static void
test_ip_before_network(void **state)
{
	struct ppp_link_config sc, cc;
	static const uint8_t ipf[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0 };

	(void)state;
	server_cfg(&sc, PPP_AUTH_PAP);
	client_cfg(&cc, PPP_AUTH_PAP, "secret");
	make_links(&sc, &cc);
	assert_int_equal(ppp_link_send_ip(srv.l, ipf, sizeof(ipf)), -1);
	ppp_link_start(srv.l, now);
	ppp_link_input(srv.l, ipf, sizeof(ipf), now);
	assert_int_equal(srv.ip_rx, 0);
	assert_int_equal(ppp_link_send_ip(srv.l, ipf, sizeof(ipf)), -1);
	assert_true(ppp_link_stats(srv.l)->rx_discards >= 1);
}

static void
test_wrong_password(void **state)
{
	/* clang-format off */
	static const enum ppp_auth_method ms[] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
	};
	/* clang-format on */

	for (size_t i = 0; i < 3; i++) {
		struct ppp_link_config sc, cc;

		setup(state);
		server_cfg(&sc, ms[i]);
		client_cfg(&cc, ms[i], "wrong");
		make_links(&sc, &cc);
		ppp_link_start(srv.l, now);
		ppp_link_start(cli.l, now);
		run_until(now + 60000);
		assert_true(srv.down);
		assert_string_equal(srv.reason, "authentication failed");
		assert_false(srv.up);
		assert_true(cli.down);
		assert_string_equal(ppp_link_user(srv.l), "");
		teardown(state);
	}
}

/* Deliver queued frames one at a time until the server has opened LCP and
 * entered the Authenticate phase; what is still in flight stays queued. */
static void
pump_until_authenticate(void)
{
	for (unsigned iter = 0; iter < 1000; iter++) {
		struct side *s = srv.qn > 0 ? &srv : cli.qn > 0 ? &cli : NULL;
		struct frame f;

		if (ppp_link_phase(srv.l) == PPP_PHASE_AUTHENTICATE)
			return;
		if (s == NULL)
			break;
		f = s->q[0];
		memmove(s->q, s->q + 1, (s->qn - 1) * sizeof(s->q[0]));
		s->qn--;
		ppp_link_input(s->l, f.b, f.len, now);
	}
	fail_msg("the server never reached the Authenticate phase");
}

/*
 * A reload between LCP-open and the proof: the owner replaces its users
 * file (the old one is freed) while the link waits for PAP/CHAP.  The
 * proof is checked against the file in force when it arrives (the old
 * password would fail): the new one passes, nothing reads the freed file.
 */
static void
test_users_reload_before_auth(void **state)
{
	/* clang-format off */
	static const enum ppp_auth_method ms[] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
	};
	/* clang-format on */
	static const char fresh[] = "alice fresh *\n";

	for (size_t i = 0; i < 3; i++) {
		struct ppp_link_config sc, cc;
		struct users_db *ndb;
		char err[128];

		setup(state);
		/* the LNS's backend: over its slot, not over one file */
		auth_users_backend_current(&backend, &db);
		server_cfg(&sc, ms[i]);
		client_cfg(&cc, ms[i], "fresh");
		make_links(&sc, &cc);
		ppp_link_start(srv.l, now);
		ppp_link_start(cli.l, now);
		pump_until_authenticate();
		assert_false(srv.up);
		/* the reload, as the LNS does it */
		ndb = users_parse("users", fresh, strlen(fresh), err,
		    sizeof(err));
		assert_non_null(ndb);
		users_free(db);
		db = ndb;
		run_until(now + 10000);
		check_network();
		teardown(state);
	}
}

static void
test_pool_exhausted(void **state)
{
	(void)state;
	srv.no_address = true;
	bring_up(PPP_AUTH_PAP);
	run_until(now + 30000);
	assert_true(srv.down);
	assert_string_equal(srv.reason, "no address available");
}

/* Keepalive: Echo-Requests every 10 s; 3 unanswered → down at +40 s. */
static void
test_echo_timeout(void **state)
{
	uint64_t t0;
	struct ppp_link *gone;

	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	t0 = now;	       /* LCP Opened: echoes at t0+10 s, +20 s... */
	run_until(t0 + 35000); /* echoes answered: still up */
	assert_false(srv.down);
	assert_false(cli.down);
	cli.wire_cut = true; /* the client dies silently */
	gone = cli.l;
	cli.l = NULL;
	/* unanswered echoes at +40, +50, +60 s; declared dead at +70 s */
	run_until(t0 + 69999);
	assert_false(srv.down);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	run_until(t0 + 70000);
	assert_true(srv.down);
	assert_string_equal(srv.reason, "echo timeout");
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_DEAD);
	assert_int_equal(ppp_link_next_deadline(srv.l), TIME_NEVER);
	ppp_link_free(gone);
}

/* Unknown protocols get Protocol-Reject once LCP is Opened (§5.7);
 * IPv6CP is rejected the same way when not configured. */
static void
test_protocol_reject(void **state)
{
	static const uint8_t unk[] = { 0xff, 0x03, 0x80, 0x2b, 1, 2, 3 };
	static const uint8_t v6cp[] = { 0x80, 0x57, 1, 1, 0, 4 }; /* no FF03 */
	static const uint8_t pfc[] = { 0x21, 0x45, 0, 0 };	  /* PFC IP */

	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	ppp_link_input(srv.l, unk, sizeof(unk), now);
	assert_int_equal(get_be16(srv.last.b + 2), PPP_PROTO_LCP);
	assert_int_equal(srv.last.b[4], PPP_PROTO_REJ);
	assert_int_equal(get_be16(srv.last.b + 8), 0x802b);
	assert_memory_equal(srv.last.b + 10, unk + 4, 3);
	ppp_link_input(srv.l, v6cp, sizeof(v6cp), now);
	assert_int_equal(srv.last.b[4], PPP_PROTO_REJ);
	assert_int_equal(get_be16(srv.last.b + 8), PPP_PROTO_IPV6CP);
	ppp_link_input(srv.l, pfc, sizeof(pfc), now);
	assert_int_equal(srv.ip_rx, 1);
	/* an even protocol value is invalid: dropped */
	ppp_link_input(srv.l, (const uint8_t[]){ 0xff, 3, 0x00, 0x20, 1 }, 5,
	    now);
	pump();
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
}

/* An IPCP frame (code, id, options) as the peer would send it. */
static size_t
ipcp_frame(uint8_t *f, uint8_t code, uint8_t id, const uint8_t *opts,
    size_t olen)
{
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = 0x80;
	f[3] = 0x21;
	f[4] = code;
	f[5] = id;
	f[6] = (uint8_t)((4 + olen) >> 8);
	f[7] = (uint8_t)(4 + olen);
	memcpy(f + 8, opts, olen);
	return 8 + olen;
}

/* RFC 1661 §4 (Opened + RCR): the client renegotiates IPCP on a live link;
 * both ends come back to Opened with the same addresses, and the owners
 * (routes, TUN, accounting) are not told "network up" a second time. */
static void
test_ipcp_renegotiation(void **state)
{
	static const uint8_t addr[] = { 3, 6, 10, 1, 0, 5 };
	static const uint8_t ip[20] = { 0x45, 0, 0, 20 };
	uint8_t f[64];

	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	ppp_link_input(srv.l, f,
	    ipcp_frame(f, PPP_CONF_REQ, 0x77, addr, sizeof(addr)), now);
	pump();
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	assert_int_equal(ppp_link_phase(cli.l), PPP_PHASE_NETWORK);
	assert_false(srv.down);
	assert_false(cli.down);
	assert_int_equal(srv.ups, 1);
	assert_int_equal(cli.ups, 1);
	assert_int_equal(ppp_link_send_ip(cli.l, ip, sizeof(ip)), 0);
	pump();
	assert_int_equal(srv.ip_rx, 1);
}

/* A renegotiation that moves our address (a foreign server Naks ours): the
 * routes and device set up for the old one would be wrong, so the link
 * ends instead of announcing the new one. */
static void
test_ipcp_renegotiation_new_address(void **state)
{
	static const uint8_t srv_addr[] = { 3, 6, 10, 0, 0, 1 };
	static const uint8_t nak[] = { 3, 6, 10, 1, 0, 9 };
	static struct side sink;
	uint8_t f[64];
	const struct frame *req = NULL;

	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	memset(&sink, 0, sizeof(sink));
	cli.peer = &sink; /* the "server" is this test now */
	ppp_link_input(cli.l, f,
	    ipcp_frame(f, PPP_CONF_REQ, 0x40, srv_addr, sizeof(srv_addr)), now);
	for (unsigned i = 0; i < sink.qn; i++)
		if (sink.q[i].b[2] == 0x80 && sink.q[i].b[4] == PPP_CONF_REQ)
			req = &sink.q[i];
	assert_non_null(req);
	ppp_link_input(cli.l, f,
	    ipcp_frame(f, PPP_CONF_NAK, req->b[5], nak, sizeof(nak)), now);
	req = NULL;
	for (unsigned i = 0; i < sink.qn; i++)
		if (sink.q[i].b[2] == 0x80 && sink.q[i].b[4] == PPP_CONF_REQ)
			req = &sink.q[i];
	assert_non_null(req);
	assert_memory_equal(req->b + 8, nak, sizeof(nak)); /* took it */
	memcpy(f, req->b, req->len);
	f[4] = PPP_CONF_ACK;
	ppp_link_input(cli.l, f, req->len, now);
	assert_int_equal(cli.ups, 1);
	for (int i = 0; i < 10 && !cli.down; i++) {
		now += 3000;
		ppp_link_timeout(cli.l, now);
	}
	assert_true(cli.down);
	assert_non_null(strstr(cli.reason, "other addresses"));
}

/* A peer that Naks every LCP Configure-Request (here its Magic-Number,
 * RFC 1661 §6.4, so each Nak restarts the counter: §4.1 RCN is irc+scr)
 * never lets LCP open; the link's negotiation deadline (default 30 s)
 * closes it: Terminate-Request, then down. */
static void
test_negotiation_deadline(void **state)
{
	struct ppp_link_config sc;
	uint64_t t0 = now;
	unsigned terms = 0;

	(void)state;
	server_cfg(&sc, PPP_AUTH_PAP);
	make_links(&sc, NULL);
	srv.peer = NULL;
	ppp_link_start(srv.l, now);
	while (!srv.down && now < t0 + 120000) {
		uint8_t f[64];
		const uint8_t *o = srv.last.b + 8;
		size_t olen = srv.last.len - 8, off = 0;

		if (get_be16(srv.last.b + 2) == PPP_PROTO_LCP &&
		    srv.last.b[4] == PPP_CONF_REQ) {
			while (off + 2 <= olen && o[off] != 5)
				off += o[off + 1];
			assert_true(off + 6 <= olen);
			memcpy(f, srv.last.b, 8);
			f[4] = PPP_CONF_NAK;
			f[6] = 0;
			f[7] = 10;
			memcpy(f + 8, o + off, 6);
			f[10] ^= 0x5a;
			now += 500;
			/* the owner runs due timers first, as the loop does */
			if (ppp_link_next_deadline(srv.l) <= now)
				ppp_link_timeout(srv.l, now);
			if (srv.last.b[4] == PPP_CONF_REQ)
				ppp_link_input(srv.l, f, 14, now);
			continue;
		}
		if (srv.last.b[4] == PPP_TERM_REQ)
			terms++;
		now = ppp_link_next_deadline(srv.l);
		assert_true(now != TIME_NEVER);
		ppp_link_timeout(srv.l, now);
	}
	assert_true(srv.down);
	assert_true(terms > 0);
	assert_string_equal(srv.reason, "negotiation timeout");
	assert_true(now >= t0 + 30000 && now <= t0 + 30000 + 3 * 3000);
}

/* The peer starts LCP over on a live link (a fresh client link as user,
 * whose first Configure-Request reaches the server in Opened). */
static void
renegotiate_with(enum ppp_auth_method m, const char *user, const char *password)
{
	struct ppp_link_config cc;

	client_cfg(&cc, m, password);
	snprintf(cc.client.user, sizeof(cc.client.user), "%s", user);
	ppp_link_free(cli.l);
	memset(&cli, 0, sizeof(cli));
	cli.peer = &srv;
	srv.qn = 0;
	cli.l = ppp_link_new(&cc, NULL, &ops, &cli, now);
	assert_non_null(cli.l);
	ppp_link_start(cli.l, now);
	pump();
}

static void
renegotiate_as(const char *user, const char *password)
{
	renegotiate_with(PPP_AUTH_PAP, user, password);
}

/* RFC 1661 §4.3 (Opened + RCR: This-Layer-Down) and §3.5: LCP
 * renegotiation takes the network phase down; the address and accounting
 * of the first network phase are released before the link authenticates
 * again, and the same identity gets its address through the same path as
 * a new session (assign_address, then network_up once more). */
static void
test_lcp_renegotiation_same_user(void **state)
{
	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	assert_int_equal(srv.assigns, 1);
	renegotiate_as("alice", "secret");
	assert_false(srv.down);
	assert_int_equal(srv.net_downs, 1);
	assert_int_equal(srv.assigns, 2);
	assert_int_equal(srv.ups, 2);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	assert_int_equal(ppp_link_phase(cli.l), PPP_PHASE_NETWORK);
	assert_string_equal(ppp_link_user(srv.l), "alice");
}

/* The same, but the peer authenticates as someone else: the session's
 * identity may not change, so the link ends (after the network phase of
 * the first identity was taken down), and no address is assigned to the
 * second one. */
static void
test_lcp_renegotiation_other_user(void **state)
{
	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	renegotiate_as("bob", "pw");
	run_until(now + 10000);
	assert_int_equal(srv.net_downs, 1);
	assert_int_equal(srv.assigns, 1);
	assert_int_equal(srv.ups, 1);
	assert_true(srv.down);
	assert_non_null(strstr(srv.reason, "another user"));
	assert_string_equal(ppp_link_user(srv.l), "alice");
}

/* A session has one identity: the name it was authenticated as, i.e. the
 * users-file entry that matched ("DOMAIN\user" is looked up without the
 * domain when not listed as given).  CORP\alice, x\alice and \alice are
 * all alice: for the owner (address, accounting), for ppp_link_user (show
 * sessions, disconnect user, DAE) and for a re-authentication. */
static void
test_identity_canonical(void **state)
{
	static const char *const names[] = { "CORP\\alice", "x\\alice",
		"\\alice" };

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		struct ppp_link_config sc, cc;

		setup(NULL);
		server_cfg(&sc, PPP_AUTH_PAP);
		client_cfg(&cc, PPP_AUTH_PAP, "secret");
		snprintf(cc.client.user, sizeof(cc.client.user), "%s",
		    names[i]);
		make_links(&sc, &cc);
		ppp_link_start(srv.l, now);
		ppp_link_start(cli.l, now);
		pump();
		assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
		assert_string_equal(ppp_link_user(srv.l), "alice");
		assert_int_equal(srv.assigns, 1); /* s_assign: "alice" */
		/* the same identity under another spelling keeps the link */
		renegotiate_as(i == 0 ? "alice" : "CORP\\alice", "secret");
		assert_false(srv.down);
		assert_int_equal(srv.ups, 2);
		teardown(NULL);
	}
}

/* A client whose server renegotiates LCP is told its network went down
 * and then up again (its routes/TUN follow the new IPCP result). */
static void
test_lcp_renegotiation_client(void **state)
{
	static const uint8_t req[] = { 0xff, 0x03, 0xc0, 0x21, PPP_CONF_REQ,
		0x99, 0, 14, 1, 4, 0x05, 0x78, 5, 6, 0x01, 0x02, 0x03, 0x04 };

	(void)state;
	bring_up(PPP_AUTH_PAP);
	check_network();
	/* the server's side of the wire asks to start over */
	ppp_link_input(cli.l, req, sizeof(req), now);
	run_until(now + 10000);
	assert_false(cli.down);
	assert_int_equal(cli.net_downs, 1);
	assert_int_equal(cli.ups, 2);
	assert_int_equal(ppp_link_phase(cli.l), PPP_PHASE_NETWORK);
}

static void
test_ipv6cp(void **state)
{
	struct ppp_link_config sc, cc;

	(void)state;
	server_cfg(&sc, PPP_AUTH_PAP);
	sc.ipv6cp = true;
	client_cfg(&cc, PPP_AUTH_PAP, "secret");
	cc.ipv6cp = true;
	make_links(&sc, &cc);
	ppp_link_start(srv.l, now);
	ppp_link_start(cli.l, now);
	pump();
	check_network();
	assert_true(srv.up6);
	assert_true(cli.up6);
	assert_int_equal(ppp_link_send_ipv6(srv.l, (const uint8_t *)"\x60", 1),
	    0);
	pump();
	assert_int_equal(cli.ip_rx, 1);
}

/* ---- RFC 2661 §4.4.5 proxy LCP and authentication ---- */

/* What the backend saw: the users backend behind a recorder. */
static struct auth_backend inner;
static struct auth_request seen;
static unsigned nseen;

static uint64_t
rec_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	(void)ctx;
	seen = *req;
	nseen++;
	return inner.verify(inner.ctx, req, done, arg);
}

static void
record_backend(void)
{
	inner = backend;
	backend.verify = rec_verify;
	nseen = 0;
	memset(&seen, 0, sizeof(seen));
}

static const uint8_t px_sent[] = {
	/* LAC → client: MRU 1400, PAP, magic */
	1,
	4,
	0x05,
	0x78,
	3,
	4,
	0xc0,
	0x23,
	5,
	6,
	0x11,
	0x22,
	0x33,
	0x44,
};
static const uint8_t px_rcvd[] = {
	/* client → LAC: magic, PFC, ACFC */
	5,
	6,
	0x55,
	0x66,
	0x77,
	0x88,
	7,
	2,
	8,
	2,
};

static void
proxy_link_sent(const uint8_t *sent, size_t sent_len, const uint8_t *rcvd,
    size_t rcvd_len, const char *pw)
{
	struct ppp_link_config sc;
	struct ppp_proxy p;

	server_cfg(&sc, PPP_AUTH_PAP);
	make_links(&sc, NULL);
	srv.peer = NULL;
	memset(&p, 0, sizeof(p));
	p.last_sent = sent;
	p.last_sent_len = sent_len;
	p.last_rcvd = rcvd;
	p.last_rcvd_len = rcvd_len;
	p.authen_type = PPP_PROXY_AUTHEN_PAP;
	p.authen_name = "alice";
	p.response = (const uint8_t *)pw;
	p.response_len = strlen(pw);
	ppp_link_set_proxy(srv.l, &p);
	ppp_link_start(srv.l, now);
}

static void
proxy_link(const uint8_t *rcvd, size_t rcvd_len, const char *pw)
{
	proxy_link_sent(px_sent, sizeof(px_sent), rcvd, rcvd_len, pw);
}

static void
test_proxy_ok(void **state)
{
	(void)state;
	proxy_link(px_rcvd, sizeof(px_rcvd), "secret");
	/* straight to Network: the first frame is an IPCP Configure-Request */
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	assert_string_equal(ppp_link_user(srv.l), "alice");
	assert_int_equal(srv.sent, 1);
	assert_int_equal(get_be16(srv.last.b + 2), PPP_PROTO_IPCP);
	assert_int_equal(srv.last.b[4], PPP_CONF_REQ);
}

/* A backend that answers later (RADIUS): the verdict is given by the test. */
static auth_done_fn *later_done;
static void *later_arg;

static uint64_t
later_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	(void)ctx;
	(void)req;
	later_done = done;
	later_arg = arg;
	return 1;
}

static void
later_cancel(void *ctx, uint64_t handle)
{
	(void)ctx;
	(void)handle;
	later_done = NULL;
}

/* The peer's IPCP Configure-Request arrives while the proxy authentication
 * is still with the backend (the LAC authenticated the user, who sent it at
 * once): it is kept and answered when the Network phase begins, instead of
 * being dropped and costing the user its 3 s restart timer (RFC 1661 §3.5:
 * nothing is processed before the Network phase). */
static void
test_proxy_ncp_held_until_auth(void **state)
{
	/* IPCP Configure-Request id 7: IP-Address 0.0.0.0 */
	static const uint8_t creq[] = { 0xff, 3, 0x80, 0x21, 1, 7, 0, 10, 3, 6,
		0, 0, 0, 0 };
	static const uint8_t creq2[] = { 0xff, 3, 0x80, 0x21, 1, 8, 0, 10, 3, 6,
		0, 0, 0, 0 };
	struct auth_result res;
	unsigned before;
	bool answered = false;

	(void)state;
	backend.verify = later_verify;
	backend.cancel = later_cancel;
	later_done = NULL;
	proxy_link(px_rcvd, sizeof(px_rcvd), "secret");
	assert_non_null(later_done);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_AUTHENTICATE);
	before = srv.sent;
	ppp_link_input(srv.l, creq, sizeof(creq), now);
	/* a retransmission replaces the kept one (one discard) */
	ppp_link_input(srv.l, creq2, sizeof(creq2), now);
	assert_int_equal(srv.sent, before); /* nothing answered yet */
	assert_int_equal(ppp_link_stats(srv.l)->rx_discards, 1);

	memset(&res, 0, sizeof(res));
	res.ok = true;
	snprintf(res.user, sizeof(res.user), "alice");
	later_done(later_arg, &res);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	/* our own Configure-Request, then the answer to the kept one: a
	 * Configure-Nak (its address 0.0.0.0 gets ours) with id 8 */
	assert_true(srv.sent >= before + 2);
	answered = get_be16(srv.last.b + 2) == PPP_PROTO_IPCP &&
	    srv.last.b[4] == PPP_CONF_NAK && srv.last.b[5] == 8;
	assert_true(answered);
	assert_int_equal(ppp_link_stats(srv.l)->rx_discards, 1);
}

/* Held packets do not outlive a refusal: the link challenges itself and the
 * kept Configure-Request is not answered. */
static void
test_proxy_ncp_held_dropped_on_refusal(void **state)
{
	static const uint8_t creq[] = { 0xff, 3, 0x80, 0x21, 1, 7, 0, 10, 3, 6,
		0, 0, 0, 0 };
	struct auth_result res;

	(void)state;
	backend.verify = later_verify;
	backend.cancel = later_cancel;
	later_done = NULL;
	proxy_link(px_rcvd, sizeof(px_rcvd), "secret");
	assert_non_null(later_done);
	ppp_link_input(srv.l, creq, sizeof(creq), now);
	memset(&res, 0, sizeof(res));
	res.ok = false;
	later_done(later_arg, &res);
	assert_int_not_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	/* the last frame is the link's own PAP/CHAP or LCP, never IPCP */
	assert_int_not_equal(get_be16(srv.last.b + 2), PPP_PROTO_IPCP);
}

static void
test_proxy_bad_auth(void **state)
{
	(void)state;
	proxy_link(px_rcvd, sizeof(px_rcvd), "nope");
	/* LCP kept; we authenticate ourselves (PAP: wait for a request) */
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_AUTHENTICATE);
	assert_string_equal(ppp_link_user(srv.l), "");
}

static void
test_proxy_bad_lcp(void **state)
{
	static const uint8_t bad[] = { 1, 4, 0x00, 0x40 }; /* MRU 64 */

	(void)state;
	proxy_link(bad, sizeof(bad), "secret");
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_ESTABLISH);
	assert_int_equal(get_be16(srv.last.b + 2), PPP_PROTO_LCP);
	assert_int_equal(srv.last.b[4], PPP_CONF_REQ);
}

/* lcp-renegotiation = never (proxy_lcp_only): the same unacceptable proxy
 * LCP ends the link instead, without a single LCP packet; acceptable proxy
 * LCP is taken as before. */
static void
test_proxy_bad_lcp_never(void **state)
{
	static const uint8_t bad[] = { 1, 4, 0x00, 0x40 }; /* MRU 64 */
	struct ppp_link_config sc;
	struct ppp_proxy p;

	(void)state;
	for (int ok = 0; ok < 2; ok++) {
		server_cfg(&sc, PPP_AUTH_PAP);
		sc.proxy_lcp_only = true;
		make_links(&sc, NULL);
		srv.peer = NULL;
		memset(&p, 0, sizeof(p));
		p.last_sent = px_sent;
		p.last_sent_len = sizeof(px_sent);
		p.last_rcvd = ok ? px_rcvd : bad;
		p.last_rcvd_len = ok ? sizeof(px_rcvd) : sizeof(bad);
		p.authen_type = PPP_PROXY_AUTHEN_PAP;
		p.authen_name = "alice";
		p.response = (const uint8_t *)"secret";
		p.response_len = 6;
		ppp_link_set_proxy(srv.l, &p);
		ppp_link_start(srv.l, now);
		if (ok) {
			assert_int_equal(ppp_link_phase(srv.l),
			    PPP_PHASE_NETWORK);
			assert_false(srv.down);
		} else {
			assert_true(srv.down);
			assert_string_equal(srv.reason,
			    "proxy LCP not acceptable");
			assert_int_equal(srv.sent, 0);
			(void)teardown(state);
			(void)setup(state);
		}
	}
}

/* A proxied Last Sent CONFREQ longer than the automaton keeps (CP_MAX_REQ)
 * is refused as a whole and LCP renegotiated (§4.4.5 lets the LNS do so),
 * even when every option in it is one we would ack. */
static size_t
mru_padded_sent(uint8_t *sent, size_t limit)
{
	size_t n = sizeof(px_sent);

	memcpy(sent, px_sent, n);
	while (n + 4 <= limit) { /* more MRU 1400 options */
		memcpy(sent + n, px_sent, 4);
		n += 4;
	}
	return n;
}

static void
test_proxy_sent_too_long(void **state)
{
	uint8_t sent[CP_MAX_REQ + 8];
	size_t n = mru_padded_sent(sent, sizeof(sent));

	(void)state;
	assert_true(n > CP_MAX_REQ);
	proxy_link_sent(sent, n, px_rcvd, sizeof(px_rcvd), "secret");
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_ESTABLISH);
	assert_int_equal(get_be16(srv.last.b + 2), PPP_PROTO_LCP);
	assert_int_equal(srv.last.b[4], PPP_CONF_REQ);
}

/* The same kind of list within the bound is taken as is. */
static void
test_proxy_sent_at_bound(void **state)
{
	uint8_t sent[CP_MAX_REQ];
	size_t n = mru_padded_sent(sent, sizeof(sent));

	(void)state;
	assert_true(n > CP_MAX_REQ - 4);
	proxy_link_sent(sent, n, px_rcvd, sizeof(px_rcvd), "secret");
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
}

/* Garbage never crashes: every prefix of some frames, in every phase. */
/* The owner's auth_describe fills every request the backend gets, the
 * link's own (PAP/CHAP from the peer) and the LAC's proxy one alike. */
static void
test_describe(void **state)
{
	/* clang-format off */
	static const enum ppp_auth_method ms[] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
	};
	/* clang-format on */

	for (size_t i = 0; i < 3; i++) {
		if (i > 0) {
			(void)teardown(state);
			(void)setup(state);
		}
		record_backend();
		bring_up(ms[i]);
		check_network();
		assert_int_equal(nseen, 1);
		assert_string_equal(seen.calling_station, "02:00:5e:10:ab:cd");
		assert_true(seen.has_nas_port);
		assert_int_equal(seen.nas_port, 4242);
	}
	teardown(state);
	setup(state);
	record_backend();
	proxy_link(px_rcvd, sizeof(px_rcvd), "secret");
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	assert_int_equal(nseen, 1);
	assert_string_equal(seen.user, "alice");
	assert_string_equal(seen.calling_station, "02:00:5e:10:ab:cd");
	assert_int_equal(seen.nas_port, 4242);
}

static void
test_garbage(void **state)
{
	static const uint8_t frames[][12] = {
		{ 0xff, 3, 0xc0, 0x21, 1, 1, 0, 12, 3, 3, 0xc2, 0x23 },
		{ 0xff, 3, 0xc0, 0x21, 8, 1, 0, 6, 0x80, 0x21, 0, 0 },
		{ 0xff, 3, 0x80, 0x21, 1, 1, 0, 10, 3, 6, 0, 0 },
		{ 0xff, 3, 0xc2, 0x23, 2, 1, 0, 12, 0xff, 0, 0, 0 },
		{ 0xff, 3, 0xc0, 0x23, 1, 1, 0, 12, 9, 9, 9, 9 },
		{ 0xc0, 0x21, 9, 1, 0, 5, 0, 0, 0, 0, 0, 0 },
	};

	(void)state;
	bring_up(PPP_AUTH_CHAP_MD5);
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		for (size_t n = 0; n <= sizeof(frames[i]); n++)
			ppp_link_input(srv.l, frames[i], n, now);
	cli.qn = 0;
	assert_false(srv.down);
}

/* ---- LAC mode (RFC 2661 §4.4.5): LCP + auth, then hand over ---- */

static struct {
	unsigned calls;
	char user[AUTH_MAX_NAME];
	uint8_t init[256], sent[256], rcvd[256], chal[64], resp[256];
	size_t init_len, sent_len, rcvd_len, chal_len, resp_len;
	uint16_t type, id;
	char name[AUTH_MAX_NAME];
} lac;

static void
lac_cb(void *arg, const char *user, const struct ppp_proxy *f)
{
	assert_ptr_equal(arg, &srv);
	lac.calls++;
	snprintf(lac.user, sizeof(lac.user), "%s", user);
	assert_non_null(f->last_sent);
	assert_non_null(f->last_rcvd);
	assert_non_null(f->initial_rcvd);
	assert_true(f->initial_rcvd_len <= 256 && f->last_sent_len <= 256 &&
	    f->last_rcvd_len <= 256 && f->response_len <= 256 &&
	    f->challenge_len <= 64);
	memcpy(lac.init, f->initial_rcvd, lac.init_len = f->initial_rcvd_len);
	memcpy(lac.sent, f->last_sent, lac.sent_len = f->last_sent_len);
	memcpy(lac.rcvd, f->last_rcvd, lac.rcvd_len = f->last_rcvd_len);
	if (f->challenge != NULL)
		memcpy(lac.chal, f->challenge, lac.chal_len = f->challenge_len);
	if (f->response != NULL)
		memcpy(lac.resp, f->response, lac.resp_len = f->response_len);
	lac.type = f->authen_type;
	lac.id = f->authen_id;
	snprintf(lac.name, sizeof(lac.name), "%s", f->authen_name);
}

static const struct ppp_link_lac_hooks lac_hooks = {
	.authenticated = lac_cb,
	.arg = &srv,
};

/* A LAC's front half made as the LAC role makes one. */
static struct ppp_link *
lac_link_new(const struct ppp_link_config *sc, const struct auth_backend *be)
{
	struct ppp_link_conf *conf = ppp_link_conf_new(sc);
	struct ppp_link *l;

	assert_non_null(conf);
	l = ppp_link_create(conf, be, &ops, &srv, &lac_hooks, now);
	ppp_link_conf_drop(conf);
	return l;
}

static void
lac_bring_up(enum ppp_auth_method m, const char *pw, bool with_backend)
{
	struct ppp_link_config sc, cc;

	memset(&lac, 0, sizeof(lac));
	server_cfg(&sc, m);
	client_cfg(&cc, m, pw);
	srv.l = lac_link_new(&sc, with_backend ? &backend : NULL);
	cli.l = ppp_link_new(&cc, NULL, &ops, &cli, now);
	assert_non_null(srv.l);
	assert_non_null(cli.l);
	/* the client speaks first: its CONFREQ is the Initial Received one */
	ppp_link_start(cli.l, now);
	ppp_link_start(srv.l, now);
	pump();
}

/* Does an LCP option list carry option type with this value? */
static bool
has_opt(const uint8_t *p, size_t len, uint8_t type, const uint8_t *v,
    size_t vlen)
{
	for (size_t off = 0; off + 2 <= len && p[off + 1] >= 2;
	     off += p[off + 1])
		if (p[off] == type && p[off + 1] == vlen + 2 &&
		    memcmp(p + off + 2, v, vlen) == 0)
			return true;
	return false;
}

static void
check_handed_over(void)
{
	unsigned sent = srv.sent;
	static const uint8_t ipcp[] = { 0xff, 3, 0x80, 0x21, 1, 9, 0, 4 };

	assert_int_equal(lac.calls, 1);
	assert_string_equal(lac.user, "alice");
	assert_string_equal(lac.name, "alice");
	assert_true(ppp_link_lac_relaying(srv.l));
	/* the user saw Success before the hand-over */
	assert_int_equal(ppp_link_phase(cli.l), PPP_PHASE_NETWORK);
	/* no NCP from the LAC, no timers, input ignored */
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_AUTHENTICATE);
	assert_false(srv.up);
	assert_int_equal(ppp_link_next_deadline(srv.l), TIME_NEVER);
	ppp_link_input(srv.l, ipcp, sizeof(ipcp), now);
	run_until(now + 60000);
	assert_int_equal(srv.sent, sent);
	assert_false(srv.down);
	/* §4.4.5: the CONFREQ bodies start at the first option */
	assert_true(lac.sent_len >= 4 && lac.sent[0] == 1 /* MRU */);
	assert_true(lac.rcvd_len > 0);
	assert_memory_equal(lac.init, lac.rcvd, lac.rcvd_len);
}

static void
test_lac_pap(void **state)
{
	static const uint8_t pap[] = { 0xc0, 0x23 };

	(void)state;
	lac_bring_up(PPP_AUTH_PAP, "secret", true);
	check_handed_over();
	/* what the LAC asked for is in Last Sent; PAP's response = password */
	assert_true(has_opt(lac.sent, lac.sent_len, 3, pap, 2));
	assert_int_equal(lac.type, PPP_PROXY_AUTHEN_PAP);
	assert_int_equal(lac.resp_len, 6);
	assert_memory_equal(lac.resp, "secret", 6);
	assert_int_equal(lac.chal_len, 0);
}

static void
test_lac_chap(void **state)
{
	static const uint8_t chap[] = { 0xc2, 0x23, 5 };
	uint8_t want[16];

	(void)state;
	lac_bring_up(PPP_AUTH_CHAP_MD5, "secret", true);
	check_handed_over();
	assert_true(has_opt(lac.sent, lac.sent_len, 3, chap, 3));
	assert_int_equal(lac.type, PPP_PROXY_AUTHEN_CHAP);
	assert_true(lac.chal_len > 0);
	assert_int_equal(lac.resp_len, 16);
	/* RFC 1994 §4.1: the response the LNS can check on its own */
	chap_md5_response((uint8_t)lac.id, (const uint8_t *)"secret", 6,
	    lac.chal, lac.chal_len, want);
	assert_memory_equal(lac.resp, want, 16);
}

/* Without a backend the LAC accepts whatever it is shown: the LNS decides. */
static void
test_lac_no_backend(void **state)
{
	(void)state;
	lac_bring_up(PPP_AUTH_PAP, "anything", false);
	assert_int_equal(lac.calls, 1);
	assert_memory_equal(lac.resp, "anything", 8);
}

/* A refusal by the backend: Failure to the user, no hand-over, link down. */
static void
test_lac_refused(void **state)
{
	(void)state;
	lac_bring_up(PPP_AUTH_CHAP_MD5, "wrong", true);
	run_until(now + 30000);
	assert_int_equal(lac.calls, 0);
	assert_false(ppp_link_lac_relaying(srv.l));
	assert_true(srv.down);
	assert_string_equal(srv.reason, "authentication failed");
	assert_true(cli.down);
}

/* The facts are what an LNS link accepts as proxy LCP/auth: it goes
 * straight to Network with the same user, no LCP, no challenge. */
static void
test_lac_facts_feed_lns(void **state)
{
	struct ppp_link_config sc;
	struct ppp_proxy p;
	struct side lns;
	struct ppp_link *l;

	(void)state;
	lac_bring_up(PPP_AUTH_CHAP_MD5, "secret", true);
	assert_int_equal(lac.calls, 1);
	memset(&lns, 0, sizeof(lns));
	server_cfg(&sc, PPP_AUTH_CHAP_MD5);
	l = ppp_link_new(&sc, &backend, &ops, &lns, now);
	assert_non_null(l);
	memset(&p, 0, sizeof(p));
	p.initial_rcvd = lac.init;
	p.initial_rcvd_len = lac.init_len;
	p.last_sent = lac.sent;
	p.last_sent_len = lac.sent_len;
	p.last_rcvd = lac.rcvd;
	p.last_rcvd_len = lac.rcvd_len;
	p.authen_type = lac.type;
	p.authen_name = lac.name;
	p.challenge = lac.chal;
	p.challenge_len = lac.chal_len;
	p.authen_id = lac.id;
	p.response = lac.resp;
	p.response_len = lac.resp_len;
	ppp_link_set_proxy(l, &p);
	ppp_link_start(l, now);
	assert_int_equal(ppp_link_phase(l), PPP_PHASE_NETWORK);
	assert_string_equal(ppp_link_user(l), "alice");
	ppp_link_free(l);
}

/* Closing a handed-over link sends nothing (LCP is the LNS's) and is
 * down at once. */
static void
test_lac_close_after_handover(void **state)
{
	unsigned sent;

	(void)state;
	lac_bring_up(PPP_AUTH_PAP, "secret", true);
	sent = srv.sent;
	ppp_link_close(srv.l, "carrier gone", now);
	assert_true(srv.down);
	assert_string_equal(srv.reason, "carrier gone");
	assert_int_equal(srv.sent, sent);
	assert_false(ppp_link_lac_relaying(srv.l));
}

/* A LAC's front half whose user renegotiates LCP during authentication
 * (RFC 1661 §4.3) authenticates it again and hands the call over once,
 * with no network phase of its own to take down. */
static void
test_lac_renegotiation_before_handover(void **state)
{
	struct ppp_link_config sc, cc;

	(void)state;
	memset(&lac, 0, sizeof(lac));
	server_cfg(&sc, PPP_AUTH_CHAP_MD5);
	client_cfg(&cc, PPP_AUTH_CHAP_MD5, "secret");
	srv.l = lac_link_new(&sc, &backend);
	cli.l = ppp_link_new(&cc, NULL, &ops, &cli, now);
	assert_non_null(srv.l);
	assert_non_null(cli.l);
	ppp_link_start(cli.l, now);
	ppp_link_start(srv.l, now);
	/* deliver one frame at a time until the LAC challenges */
	for (unsigned i = 0;
	     i < 100 && ppp_link_phase(srv.l) != PPP_PHASE_AUTHENTICATE; i++) {
		struct side *s = srv.qn > 0 ? &srv : &cli;
		struct frame f = s->q[0];

		assert_true(s->qn > 0);
		memmove(s->q, s->q + 1, (s->qn - 1) * sizeof(s->q[0]));
		s->qn--;
		ppp_link_input(s->l, f.b, f.len, now);
	}
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_AUTHENTICATE);
	assert_int_equal(lac.calls, 0);
	renegotiate_with(PPP_AUTH_CHAP_MD5, "alice", "secret");
	run_until(now + 10000);
	assert_int_equal(lac.calls, 1);
	assert_string_equal(lac.user, "alice");
	assert_true(ppp_link_lac_relaying(srv.l));
	assert_false(srv.down);
	assert_int_equal(srv.net_downs, 0);
	assert_int_equal(srv.assigns, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_send_ip_inplace),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test_setup_teardown(test_method_negotiation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_common_method, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ip_before_network, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhausted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_echo_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_protocol_reject, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ipcp_renegotiation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ipcp_renegotiation_new_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6cp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negotiation_deadline,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lcp_renegotiation_same_user, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lcp_renegotiation_other_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lcp_renegotiation_client,
		    setup, teardown),
		cmocka_unit_test(test_identity_canonical),
		cmocka_unit_test_setup_teardown(test_proxy_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proxy_ncp_held_until_auth,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_proxy_ncp_held_dropped_on_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proxy_bad_auth, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proxy_bad_lcp_never, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proxy_bad_lcp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proxy_sent_too_long, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proxy_sent_at_bound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lac_pap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lac_chap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lac_no_backend, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lac_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lac_facts_feed_lns, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lac_close_after_handover,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lac_renegotiation_before_handover, setup, teardown),
		cmocka_unit_test(test_users_reload_before_auth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
