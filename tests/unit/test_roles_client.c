/*
 * test_roles_client.c — the client role (roles/client.c) on the seam's
 * recorder: a [client] section dials a scripted LNS (rh_server.h) over
 * L2TP (RFC 2661 §5.1, §7: SCCRQ/SCCRP/SCCCN, ICRQ/ICRP/ICCN), PPP comes up
 * with PAP or CHAP (RFC 1334, RFC 1994) and IPCP gives an address and DNS
 * servers (RFC 1332, RFC 1877); the TUN device, its address and routes,
 * the host route pinning the LNS to the old gateway, `show clients`, the
 * redial back-off, hang-ups, the loop guard and reloads.  No descriptor is
 * opened and the clock is the test's.  PPPoE clients are in
 * test_roles_client_pppoe.c, the routing corner cases in
 * test_roles_client_routes.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client_common.h"
#include "config/config.h"
#include "core/buf.h"
#include "l2tp/msg.h"
#include "roles/roles_priv.h"

/* The first datagram the roles ever sent (the harness keeps RH_SENT). */
static const struct rh_dgram *
first_sent(const struct role_harness *h)
{
	assert_true(h->nsent > 0 && h->nsent <= RH_SENT);
	return &h->sent[0];
}

/* ---- dial and up ---- */

static void
test_client_dials_and_comes_up(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(
	    "routes = 10.9.0.0/24, 172.16.0.0/12\ndefault-route = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	const struct rh_dgram *d;
	const struct fake_route *pin;
	struct l2tp_msg m;
	struct l2tp_err err;
	struct seen s;

	(void)state;
	s = show(h);
	assert_string_equal(s.state, "idle");
	rh_lns_run(l, 100);

	/* The SCCRQ went to the resolved address and port of `lns`. */
	d = first_sent(h);
	assert_true(l2tp_addr_equal(&d->peer, &l->addr));
	assert_int_equal(l2tp_msg_decode(d->pkt, d->len, NULL, &m, &err),
	    L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_SCCRQ);
	assert_int_equal(l->dials, 1);
	assert_true(l->tunnel_up);
	assert_true(l->call_up);
	assert_true(l->ppp.auth_ok);
	assert_true(l->ppp.up);

	/* The TUN device with the configured name and IPCP's address. */
	assert_int_equal(h->io.tun_opens, 1);
	assert_string_equal(h->io.tun_name, "vpdn-corp");
	assert_int_equal(h->io.addr_adds, 1);
	assert_int_equal(h->io.addr_ifindex, FAKE_TUN_IFINDEX);
	assert_int_equal(h->io.addr_local, GIVEN);
	assert_int_equal(h->io.addr_peer, SERVER);
	/* The routes list and default-route (0/1 + 128/1, the default
	 * stays) into the TUN device ... */
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a090000u, 24));
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0xac100000u, 12));
	assert_non_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0, 1));
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x80000000u, 1));
	assert_non_null(fake_route_find(&h->io, ETH0, 0, 0));
	/* ... and the LNS pinned to the gateway route_get named. */
	pin = fake_route_find(&h->io, ETH0, LNS_ADDR, 32);
	assert_non_null(pin);
	assert_int_equal(pin->gw, GW);
	assert_int_equal(h->io.nroutes, 2 + 4 + 1);

	s = show(h);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.name, "corp");
	assert_string_equal(s.state, "up");
	assert_string_equal(s.transport, "l2tp");
	assert_string_equal(s.server, "203.0.113.1:1701");
	assert_string_equal(s.interface, "vpdn-corp");
	assert_string_equal(s.address, "10.99.0.2");
	assert_string_equal(s.peer, "10.99.0.1");
	assert_string_equal(s.dns[0], "10.99.0.53");
	assert_string_equal(s.dns[1], "10.99.0.54");
	assert_int_equal(s.dials, 1);

	/* It stays up: LCP echoes and HELLOs are answered. */
	rh_lns_run(l, 120000);
	assert_true(l->ppp.echo_replies > 0);
	assert_true(l->call_up);
	assert_int_equal(l->dials, 1);
	assert_string_equal(show(h).state, "up");
	rh_lns_free(l);
	rh_free(h);
}

/* show sessions on a client (`vpdnctl show sessions`): the view of its
 * session starts empty whatever the caller's stack held, so fields only
 * an LNS or LAC fills (access line, rate plan, delegated prefix) read as
 * none.  vpdnd crashed on the access-line pointer before. */
static void
describe_client_session(struct l2tp_session *sess, void *arg)
{
	struct roles *r = arg;
	struct roles_session_view v;

	memset(&v, 0xa5, sizeof(v));
	roles_describe_session(r, sess, &v);
	assert_null(v.access_line);
	assert_null(v.rate_plan);
	assert_string_equal(v.delegated_prefix, "");
	assert_int_equal(v.switched_session, 0);
	assert_int_equal(v.police_up_drop_packets, 0);
}

static void
describe_client_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, describe_client_session, arg);
}

static void
test_client_session_described_empty(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	l2tp_host_foreach_tunnel(roles_host(h->r), describe_client_tunnel,
	    h->r);
	rh_lns_free(l);
	rh_free(h);
}

/* Without routes or default-route nothing captures the LNS: no pin, and
 * the only route is the host's own. */
static void
test_client_no_routes_no_pin(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_null(fake_route_find(&h->io, ETH0, LNS_ADDR, 32));
	assert_int_equal(h->io.nroutes, 2);
	rh_lns_free(l);
	rh_free(h);
}

/* CHAP-MD5 (RFC 1994 §4.1) with the section's password. */
static void
test_client_chap(void **state)
{
	struct role_harness *h = client_harness(
	    "[global]\nhostname = client.test\n\n"
	    "[client corp]\nlns = 203.0.113.1\nuser = alice\n"
	    "password = secret\nauth = chap-md5\ninterface = vpdn-corp\n");
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	l->ppp.auth = RH_AUTH_CHAP_MD5;
	rh_lns_run(l, 100);
	assert_true(l->ppp.auth_ok);
	assert_true(l->ppp.up);
	assert_string_equal(show(h).address, "10.99.0.2");
	rh_lns_free(l);
	rh_free(h);
}

/* An LNS name that does not resolve: no tunnel, no datagram, not counted
 * as a dial, and the back-off runs as for a failed call. */
static void
test_client_unresolvable_lns(void **state)
{
	struct role_harness *h = client_harness(
	    "[global]\nhostname = client.test\n\n"
	    "[client corp]\nlns = lns.invalid\nuser = alice\n"
	    "password = secret\ninterface = vpdn-corp\n");
	struct seen s;

	(void)state;
	rh_advance(h, 1000 + 2000 + 500);
	assert_int_equal(h->nsent, 0);
	s = show(h);
	assert_string_equal(s.state, "wait-redial");
	assert_string_equal(s.server, "lns.invalid:1701");
	assert_int_equal(s.dials, 0);
	/* Tried at 0, 1 and 3 s: 4 s to wait now, 500 ms of it gone. */
	assert_int_equal(s.redial_in_s, 4);
	rh_free(h);
}

/* ---- hang-up ---- */

/* A CDN from the LNS: the TUN closes, and the routing table is exactly as
 * before the call (the pin removed, the tunnel's routes gone with the
 * device, the default untouched); the tunnel goes with its session
 * (StopCCN) and a redial follows. */
static void
test_client_hangup_restores_routes(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("routes = 10.9.0.0/24\ndefault-route = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct table before = table_of(&h->io), after;

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	assert_int_equal(h->io.nroutes, before.n + 4);
	rh_lns_hangup(l, 3);
	assert_int_equal(h->io.tun_closes, 1);
	after = table_of(&h->io);
	assert_table_equal(&before, &after);
	/* INTERFACE.md: a client drops its tunnel as soon as its session
	 * ends. */
	assert_int_equal(l->stopccn_rx, 1);
	assert_string_equal(show(h).state, "wait-redial");
	rh_lns_run(l, 100);
	assert_string_equal(show(h).address, "");
	rh_lns_free(l);
	rh_free(h);
}

/* ---- redial ---- */

/* client.c: 1 s doubling to 64 s; what the fake clock shows between the
 * LNS's SCCRQs when every dial is refused at once (StopCCN). */
static const uint64_t backoff_ms[] = {
	1000,
	2000,
	4000,
	8000,
	16000,
	32000,
	64000,
	64000,
	64000,
};
#define NBACKOFF (sizeof(backoff_ms) / sizeof(backoff_ms[0]))

static void
test_client_redial_backoff_refused(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF("redial = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	uint64_t total = 0, t;

	(void)state;
	l->mode = RH_LNS_REFUSE;
	for (unsigned i = 0; i < NBACKOFF; i++)
		total += backoff_ms[i];
	rh_lns_run(l, total + 500);
	assert_int_equal(l->dials, NBACKOFF + 1);
	assert_int_equal(l->dial_at[0], RH_START_MS);
	for (unsigned i = 0; i < NBACKOFF; i++)
		assert_int_equal(l->dial_at[i + 1] - l->dial_at[i],
		    backoff_ms[i]);
	assert_int_equal(show(h).dials, NBACKOFF + 1);
	assert_string_equal(show(h).state, "wait-redial");
	/* `show clients` counts down to the next dial (64 s at the cap,
	 * 500 ms of it gone). */
	assert_int_equal(show(h).redial_in_s, 64);

	/* A call that connects resets the back-off: the next failure waits
	 * 1 s again. */
	l->mode = RH_LNS_ANSWER;
	rh_lns_run(l, 64000);
	assert_int_equal(l->dials, NBACKOFF + 2);
	assert_true(l->ppp.up);
	rh_lns_hangup(l, 3);
	t = h->now;
	l->mode = RH_LNS_REFUSE;
	rh_lns_run(l, 3500);
	assert_int_equal(l->dials, NBACKOFF + 4);
	assert_int_equal(l->dial_at[NBACKOFF + 2] - t, 1000);
	assert_int_equal(l->dial_at[NBACKOFF + 3] - l->dial_at[NBACKOFF + 2],
	    2000);
	rh_lns_free(l);
	rh_free(h);
}

/* An LNS that never answers: the SCCRQ is resent until the transport
 * gives up (RFC 2661 §5.8: 1+2+4+8+8+8 s with the defaults), then the
 * back-off runs. */
static void
test_client_redial_backoff_silent(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	l->mode = RH_LNS_SILENT;
	rh_lns_run(l, 3 * 31000 + 7000 + 500);
	assert_int_equal(l->dials, 4);
	assert_int_equal(l->dial_at[0], RH_START_MS);
	assert_int_equal(l->dial_at[1] - l->dial_at[0], 31000 + 1000);
	assert_int_equal(l->dial_at[2] - l->dial_at[1], 31000 + 2000);
	assert_int_equal(l->dial_at[3] - l->dial_at[2], 31000 + 4000);
	assert_int_equal(show(h).dials, 4);
	rh_lns_free(l);
	rh_free(h);
}

/* redial = no: one failed call and the client stops for good. */
static void
test_client_no_redial(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF("redial = no\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct seen s;

	(void)state;
	l->mode = RH_LNS_REFUSE;
	rh_lns_run(l, 300000);
	assert_int_equal(l->dials, 1);
	s = show(h);
	assert_string_equal(s.state, "stopped");
	assert_int_equal(s.dials, 1);
	assert_int_equal(s.redial_in_s, 0);
	rh_lns_free(l);
	rh_free(h);
}

/* A call whose PPP authentication fails is a failed call: the back-off
 * grows as for a refused tunnel, instead of starting over at 1 s on every
 * attempt because the L2TP session connected (which had the client dial
 * the LNS about once a second for as long as its password was wrong). */
static void
test_client_redial_backoff_auth_refused(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	strcpy(l->ppp.pass, "other");
	rh_lns_run(l, 1000 + 2000 + 4000 + 8000 + 500);
	assert_int_equal(l->dials, 5);
	assert_int_equal(l->cdn_rx, 5);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(l->dial_at[i + 1] - l->dial_at[i],
		    backoff_ms[i]);
	/* And once a call works, the next failure waits 1 s again. */
	strcpy(l->ppp.pass, "secret");
	rh_lns_run(l, 16000);
	assert_int_equal(l->dials, 6);
	assert_true(l->ppp.up);
	rh_lns_hangup(l, 3);
	rh_lns_run(l, 1500);
	assert_int_equal(l->dials, 7);
	assert_true(l->ppp.up);
	rh_lns_free(l);
	rh_free(h);
}

/* ---- the loop guard ---- */

static void
put_be32(uint8_t *q, uint32_t v)
{
	put_be16(q, (uint16_t)(v >> 16));
	put_be16(q + 2, (uint16_t)v);
}

/* A UDP datagram from src:sport to dst:dport as the TUN device hands it
 * over (RFC 791, RFC 768; checksums are nobody's business here). */
static size_t
udp_packet(uint8_t *ip, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport)
{
	memset(ip, 0, 40);
	ip[0] = 0x45;
	put_be16(ip + 2, 40);
	ip[8] = 64;
	ip[9] = 17;
	put_be32(ip + 12, src);
	put_be32(ip + 16, dst);
	put_be16(ip + 20, sport);
	put_be16(ip + 22, dport);
	put_be16(ip + 24, 20);
	memcpy(ip + 28, "l2tp-or-not", 12);
	return 40;
}

/* The client's own L2TP datagram to the LNS read back from its TUN (a
 * route beat the pin) is dropped and counted, not wrapped again; other
 * traffic to the LNS's address, and to anywhere else, goes through. */
static void
test_client_loop_guard(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("default-route = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	uint8_t ip[40];
	size_t n;

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	n = udp_packet(ip, GIVEN, LNS_ADDR, 1701, 1701);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	rh_lns_pump(l);
	assert_int_equal(show(h).loop_drops, 1);
	assert_int_equal(l->ppp.ip_rx, 0);

	/* DNS to the LNS's address is the user's traffic. */
	n = udp_packet(ip, GIVEN, LNS_ADDR, 40000, 53);
	assert_true(fake_tun_push(&h->io, ip, n));
	n = udp_packet(ip, GIVEN, 0x0a090005u, 1701, 1701);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	rh_lns_pump(l);
	assert_int_equal(show(h).loop_drops, 1);
	assert_int_equal(l->ppp.ip_rx, 2);
	assert_int_equal(l->ppp.ip_last_len, n);
	assert_memory_equal(l->ppp.ip_last, ip, n);

	/* And downstream, the LNS's packet reaches the TUN device. */
	rh_lns_send_ip(l, ip, n);
	assert_int_equal(h->io.tun_written, 1);
	rh_lns_free(l);
	rh_free(h);
}

/* ---- reload and shutdown ---- */

/* roles_reconfigure with text as the new configuration; the old snapshot
 * lives until it returns. */
static void
reload(struct role_harness *h, const char *text)
{
	struct vpdn_config *cfg, *old = h->cfg;
	char err[256];
	FILE *f = fopen(h->cfg_path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	cfg = config_load(h->cfg_path, err, sizeof(err));
	assert_non_null(cfg);
	assert_int_equal(roles_reconfigure(h->r, cfg, h->now, err, sizeof(err)),
	    0);
	h->cfg = cfg;
	config_free(old);
}

/* Clients in the roles' list, those hanging up after a reload included. */
static unsigned
clients_held(const struct role_harness *h)
{
	const struct client *c;
	unsigned n = 0;

	TAILQ_FOREACH(c, &h->r->clients, entry)
	n++;
	return n;
}

static void
test_client_reload_unchanged_keeps_call(void **state)
{
	static const char conf[] = CLIENT_CONF("default-route = yes\n");
	struct role_harness *h = client_harness(conf);
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	const struct client *before;

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	before = TAILQ_FIRST(&h->r->clients);
	reload(h, conf);
	rh_lns_run(l, 10000);
	assert_ptr_equal(TAILQ_FIRST(&h->r->clients), before);
	assert_int_equal(l->dials, 1);
	assert_int_equal(l->cdn_rx + l->stopccn_rx, 0);
	assert_true(l->call_up);
	assert_int_equal(h->io.tun_opens, 1);
	assert_int_equal(h->io.tun_closes, 0);
	assert_string_equal(show(h).state, "up");
	rh_lns_free(l);
	rh_free(h);
}

/* A changed section: the old call hangs up (StopCCN), its client is freed
 * once its tunnel is gone, and the new one dials.  Everything that could
 * still reach the old client — the closing tunnel's timers and acks, the
 * TUN watcher, `show clients` — runs afterwards, under ASan. */
static void
test_client_reload_changed_redials(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	uint8_t ip[40];
	size_t n;

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	reload(h, CLIENT_CONF("routes = 10.9.0.0/24\n"));
	rh_lns_pump(l);
	assert_int_equal(l->stopccn_rx, 1);
	assert_int_equal(h->io.tun_closes, 1);
	/* The old one is held while hanging up, not shown. */
	assert_int_equal(show(h).n, 1);
	assert_int_equal(show(h).dials, 0);
	rh_lns_run(l, 100);
	assert_int_equal(clients_held(h), 1);
	assert_int_equal(l->dials, 2);
	assert_true(l->ppp.up);
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a090000u, 24));
	assert_int_equal(show(h).dials, 1);
	rh_lns_run(l, 40000);
	n = udp_packet(ip, GIVEN, 0x0a090005u, 1000, 2000);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	rh_lns_pump(l);
	assert_int_equal(l->ppp.ip_rx, 1);
	assert_string_equal(show(h).state, "up");
	rh_lns_free(l);
	rh_free(h);
}

/* A removed section hangs up and is freed; nothing dials its LNS again,
 * and the routes are as before its call. */
static void
test_client_reload_removed(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("default-route = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct table before = table_of(&h->io), after;

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	/* A configuration needs a role: another client, whose LNS
	 * (203.0.113.9) never answers. */
	reload(h,
	    "[global]\nhostname = client.test\n\n"
	    "[client other]\nlns = 203.0.113.9\nuser = bob\n"
	    "password = x\ninterface = vpdn-other\n");
	rh_lns_pump(l);
	assert_int_equal(l->stopccn_rx, 1);
	assert_int_equal(show(h).n, 1);
	assert_string_equal(show(h).name, "other");
	assert_int_equal(clients_held(h), 2);
	/* Its TUN device is no longer watched: a packet there reaches
	 * nothing (ASan would see the freed client otherwise). */
	assert_false(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	rh_lns_run(l, 300000);
	assert_int_equal(clients_held(h), 1);
	assert_int_equal(l->dials, 1);
	after = table_of(&h->io);
	assert_table_equal(&before, &after);
	rh_lns_free(l);
	rh_free(h);
}

/* SIGTERM: StopCCN now, and no redial however long the daemon waits. */
static void
test_client_shutdown(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(""));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);

	(void)state;
	rh_lns_run(l, 100);
	assert_true(l->ppp.up);
	roles_shutdown(h->r, h->now);
	rh_lns_pump(l);
	assert_int_equal(l->stopccn_rx, 1);
	rh_lns_run(l, 300000);
	assert_int_equal(l->dials, 1);
	assert_string_equal(show(h).state, "stopped");
	assert_true(roles_idle(h->r));
	rh_lns_free(l);
	rh_free(h);
}

/* ipv4 = no, an IPv6-only call: the client sends no IPCP
 * Configure-Request and protocol-rejects the LNS's (RFC 1661 §5.7);
 * IPv6CP alone brings the TUN up, with its link-local address and the
 * IPv6 routes but no IPv4 address or IPv4 route, and the call stays up
 * past the negotiation timeout. */
static void
test_client_ipv6_only(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("ipv4 = no\nipv6 = yes\nroutes = 10.9.0.0/24\n"
			"default-route = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct seen s;

	(void)state;
	l->ppp.ipv6 = true;
	rh_lns_run(l, 100);
	assert_true(l->ppp.auth_ok);
	assert_true(l->ppp.v6_up);
	assert_false(l->ppp.up);
	assert_false(l->ppp.ipcp_ack_sent); /* no IPCP request of its own */
	assert_int_equal(l->ppp.ipcp_rejected, 1);
	assert_int_equal(l->ppp.ipv6cp_rejected, 0);
	assert_int_equal(h->io.tun_opens, 1);
	assert_int_equal(h->io.addr_adds, 0);
	assert_int_equal(h->io.addr6_adds, 1);
	assert_int_equal(h->io.addr6_ifindex, FAKE_TUN_IFINDEX);
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a090000u, 24));
	assert_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0, 1));
	assert_null(fake_route_find(&h->io, ETH0, LNS_ADDR, 32));
	assert_int_equal(h->io.nroutes6, 2); /* ::/1 and 8000::/1 */
	s = show(h);
	assert_string_equal(s.state, "up");
	assert_string_equal(s.address, "");
	rh_lns_run(l, 60000);
	assert_true(l->call_up);
	assert_int_equal(l->dials, 1);
	assert_false(l->ppp.terminated);
	rh_lns_free(l);
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_dials_and_comes_up),
		cmocka_unit_test(test_client_session_described_empty),
		cmocka_unit_test(test_client_no_routes_no_pin),
		cmocka_unit_test(test_client_chap),
		cmocka_unit_test(test_client_unresolvable_lns),
		cmocka_unit_test(test_client_hangup_restores_routes),
		cmocka_unit_test(test_client_redial_backoff_refused),
		cmocka_unit_test(test_client_redial_backoff_silent),
		cmocka_unit_test(test_client_no_redial),
		cmocka_unit_test(test_client_redial_backoff_auth_refused),
		cmocka_unit_test(test_client_loop_guard),
		cmocka_unit_test(test_client_reload_unchanged_keeps_call),
		cmocka_unit_test(test_client_reload_changed_redials),
		cmocka_unit_test(test_client_reload_removed),
		cmocka_unit_test(test_client_shutdown),
		cmocka_unit_test(test_client_ipv6_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
