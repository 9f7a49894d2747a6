/*
 * test_dhcpv6_pair.c — the requesting router (dhcpv6_client) against the
 * per-session server (dhcpv6_server) on a fake clock: the four-message
 * exchange with Advertise selection, Rapid Commit, the retransmission
 * times of RFC 8415 §15 for Solicit and Request, a lost Reply, Renew at
 * T1, Rebind at T2, expiry, NoBinding, a withdrawn prefix and Release.
 *
 * The randomisation is pinned: RAND is 0 for every exchange but the
 * first Solicit, where it is +0.001 (§15 wants it strictly positive), and
 * the first Solicit waits 100 ms (§18.2.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/timeutil.h"
#include "ipv6/dhcpv6_client.h"
#include "ipv6/dhcpv6_server.h"

#define QMAX 8

struct pair {
	struct dhcpv6_client cl;
	struct dhcpv6_server srv;
	/* client → server queue (delivery happens outside the callback) */
	uint8_t q[QMAX][1024];
	size_t qlen[QMAX];
	unsigned qn;
	/* what the client sent, in order */
	uint8_t sent_type[64];
	uint64_t sent_at[64];
	uint16_t sent_elapsed[64];
	uint32_t sent_xid[64];
	bool sent_sid[64];
	unsigned nsent;
	uint64_t now;
	bool server_down; /* client messages lost */
	bool replies_lost;
	unsigned drop_next; /* lose this many client messages */
	/* events */
	unsigned bound, renewed, lost;
	struct dhcpv6_pd_lease last;
	/* provider */
	bool out, renew_fails, deprecated;
	unsigned allocs, releases;
};

static uint32_t
p_random(void *ctx)
{
	(void)ctx;
	/* % 201 - 100 = 0; % 100 + 1 = 1; % 1001 = 100 */
	return 100;
}

static void
c_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct pair *p = ctx;
	struct dhcpv6_msg m;

	assert_int_equal(dhcpv6_parse(msg, len, &m), DHCPV6_OK);
	assert_true(p->nsent < 64);
	p->sent_type[p->nsent] = m.type;
	p->sent_at[p->nsent] = p->now;
	p->sent_elapsed[p->nsent] = m.elapsed;
	p->sent_xid[p->nsent] = m.xid;
	p->sent_sid[p->nsent] = (m.present & DHCPV6_HAVE_SERVERID) != 0;
	p->nsent++;
	assert_true(p->qn < QMAX && len <= sizeof(p->q[0]));
	memcpy(p->q[p->qn], msg, len);
	p->qlen[p->qn++] = len;
}

static void
c_event(void *ctx, enum dhcpv6_client_event ev, const struct dhcpv6_pd_lease *l)
{
	struct pair *p = ctx;

	p->last = *l;
	switch (ev) {
	case DHCPV6_EV_BOUND:
		p->bound++;
		break;
	case DHCPV6_EV_RENEWED:
		p->renewed++;
		break;
	case DHCPV6_EV_LOST:
		p->lost++;
		break;
	}
}

static const struct dhcpv6_client_ops cops = { c_send, c_event, p_random };

static int
s_alloc(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct pair *p = ctx;

	(void)now;
	if (p->out)
		return -1;
	memset(l, 0, sizeof(*l));
	l->prefix[0] = 0x20;
	l->prefix[1] = 0x01;
	l->prefix[2] = 0x0d;
	l->prefix[3] = 0xb8;
	l->prefix[4] = 0x02;
	l->prefix[6] = (uint8_t)(0x10 + p->allocs);
	l->plen = 56;
	l->preferred = p->deprecated ? 0 : 3600;
	l->valid = 7200;
	p->out = true;
	p->allocs++;
	return 0;
}

static int
s_renew(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct pair *p = ctx;

	(void)now;
	(void)l;
	return p->renew_fails ? -1 : 0;
}

static void
s_release(void *ctx, const struct dhcpv6_pd_lease *l)
{
	struct pair *p = ctx;

	(void)l;
	p->out = false;
	p->releases++;
}

static const struct dhcpv6_lease_ops sops = { s_alloc, s_renew, s_release,
	NULL };

static const uint8_t srv_mac[6] = { 0x02, 0x76, 0x70, 0x64, 0x6e, 0x01 };
static const uint8_t cl_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

static void
server_init(struct pair *p, bool rapid, bool pref255)
{
	struct dhcpv6_server_config sc;

	memset(&sc, 0, sizeof(sc));
	dhcpv6_duid_ll(&sc.duid, 1, srv_mac, 6);
	sc.ndns = 1;
	sc.dns[0][0] = 0x20;
	sc.dns[0][15] = 0x53;
	sc.rapid_commit = rapid;
	sc.send_preference = pref255;
	sc.preference = 255;
	dhcpv6_server_init(&p->srv, &sc, &sops, p);
}

static struct pair *
mkpair(bool client_rc, bool server_rc, bool pref255)
{
	static struct pair p;
	struct dhcpv6_client_config cc;

	memset(&p, 0, sizeof(p));
	memset(&cc, 0, sizeof(cc));
	dhcpv6_duid_ll(&cc.duid, 1, cl_mac, 6);
	cc.iaid = 7;
	cc.hint_plen = 56;
	cc.rapid_commit = client_rc;
	cc.want_dns = true;
	dhcpv6_client_init(&p.cl, &cc, &cops, &p);
	server_init(&p, server_rc, pref255);
	return &p;
}

/* Delivers queued client messages to the server and its replies back. */
static void
pump(struct pair *p)
{
	uint8_t out[1500];
	unsigned i, n;
	size_t r;

	while (p->qn > 0) {
		uint8_t msg[1024];
		size_t len = p->qlen[0];

		memcpy(msg, p->q[0], len);
		n = --p->qn;
		for (i = 0; i < n; i++) {
			memcpy(p->q[i], p->q[i + 1], p->qlen[i + 1]);
			p->qlen[i] = p->qlen[i + 1];
		}
		if (p->server_down)
			continue;
		if (p->drop_next > 0) {
			p->drop_next--;
			continue;
		}
		r = dhcpv6_server_input(&p->srv, msg, len, p->now, out,
		    sizeof(out));
		if (r > 0 && !p->replies_lost)
			dhcpv6_client_input(&p->cl, out, r, p->now);
	}
}

/* Runs the client's timers up to and including t. */
static void
run_until(struct pair *p, uint64_t t)
{
	unsigned spins = 0;
	uint64_t d;

	for (;;) {
		d = dhcpv6_client_next_deadline(&p->cl);
		if (d == TIME_NEVER || d > t)
			break;
		if (d > p->now) {
			p->now = d;
			spins = 0;
		}
		/* Never a storm of exchanges at one instant. */
		assert_true(++spins < 8);
		dhcpv6_client_timer(&p->cl, p->now);
		pump(p);
	}
	p->now = t;
}

static void
finish(struct pair *p)
{
	dhcpv6_server_destroy(&p->srv);
	assert_false(p->out);
}

/* §18.2.1, §18.2.9: Solicit, Advertise waited for until the first RT
 * ends, Request, Reply: bound, the DNS server learnt. */
static void
test_four_messages(void **state)
{
	struct pair *p = mkpair(false, false, false);

	(void)state;
	dhcpv6_client_start(&p->cl, 0);
	assert_int_equal(dhcpv6_client_next_deadline(&p->cl), 100);
	run_until(p, 1100);
	assert_int_equal(p->nsent, 1);
	assert_int_equal(p->sent_type[0], DHCPV6_SOLICIT);
	assert_int_equal(p->sent_at[0], 100);
	assert_false(p->sent_sid[0]);
	assert_int_equal(p->cl.state, DHCPV6_CL_SOLICIT);
	assert_true(p->cl.have_adv);
	/* The first RT is 1001 ms: the Request leaves at 1101. */
	run_until(p, 1101);
	assert_int_equal(p->nsent, 2);
	assert_int_equal(p->sent_type[1], DHCPV6_REQUEST);
	assert_int_equal(p->sent_at[1], 1101);
	assert_true(p->sent_sid[1]);
	assert_int_equal(p->sent_elapsed[1], 0);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->bound, 1);
	assert_non_null(dhcpv6_client_lease(&p->cl));
	assert_int_equal(p->cl.lease.plen, 56);
	assert_int_equal(p->cl.lease.prefix[6], 0x10);
	assert_memory_equal(p->cl.lease.prefix,
	    dhcpv6_server_bound(&p->srv)->prefix, 16);
	assert_int_equal(p->cl.ndns, 1);
	assert_int_equal(p->cl.dns[0][15], 0x53);
	/* T1 = 1800 s, T2 = 2880 s, valid 7200 s from the Reply. */
	assert_int_equal(p->cl.t1_at, 1101 + 1800000);
	assert_int_equal(p->cl.t2_at, 1101 + 2880000);
	assert_int_equal(p->cl.expire_at, 1101 + 7200000);
	assert_int_equal(dhcpv6_client_next_deadline(&p->cl), 1101 + 1800000);
	finish(p);
}

/* §18.2.1: Preference 255 ends the wait at once. */
static void
test_preference_255(void **state)
{
	struct pair *p = mkpair(false, false, true);

	(void)state;
	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 100);
	assert_int_equal(p->nsent, 2);
	assert_int_equal(p->sent_type[1], DHCPV6_REQUEST);
	assert_int_equal(p->sent_at[1], 100);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	finish(p);
}

/* §21.14: Rapid Commit on both sides: two messages. */
static void
test_rapid_commit(void **state)
{
	struct pair *p = mkpair(true, true, false);

	(void)state;
	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 100);
	assert_int_equal(p->nsent, 1);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->bound, 1);
	finish(p);

	/* The server does not do it: the four messages after all. */
	p = mkpair(true, false, false);
	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 2000);
	assert_int_equal(p->nsent, 2);
	assert_int_equal(p->sent_type[1], DHCPV6_REQUEST);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	finish(p);
}

/* §15 with §7.6 SOL_TIMEOUT 1 s, SOL_MAX_RT 3600 s: no server. */
static void
test_solicit_retransmission(void **state)
{
	struct pair *p = mkpair(false, false, false);
	uint64_t t = 100, rt = 1001;
	unsigned i;

	(void)state;
	p->server_down = true;
	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 100);
	for (i = 1; i < 16; i++) {
		t += rt;
		run_until(p, t);
		assert_int_equal(p->nsent, i + 1);
		assert_int_equal(p->sent_at[i], t);
		assert_int_equal(p->sent_type[i], DHCPV6_SOLICIT);
		/* §15: the same transaction; Elapsed Time counts on. */
		assert_int_equal(p->sent_xid[i], p->sent_xid[0]);
		assert_int_equal(p->sent_elapsed[i],
		    (t - 100) / 10 > 0xffff ? 0xffff : (t - 100) / 10);
		rt = 2 * rt > DHCPV6_SOL_MAX_RT ? DHCPV6_SOL_MAX_RT : 2 * rt;
	}
	assert_int_equal(rt, DHCPV6_SOL_MAX_RT);
	/* The server comes back: the next Solicit gets through. */
	p->server_down = false;
	run_until(p, t + rt + 2000);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	finish(p);
}

/* Hands the first queued client message to the server and its answer
 * back to the client, leaving whatever the client sends then queued. */
static void
deliver_one(struct pair *p)
{
	uint8_t msg[1024], out[1500];
	size_t len = p->qlen[0], r;
	unsigned i;

	memcpy(msg, p->q[0], len);
	p->qn--;
	for (i = 0; i < p->qn; i++) {
		memcpy(p->q[i], p->q[i + 1], p->qlen[i + 1]);
		p->qlen[i] = p->qlen[i + 1];
	}
	r = dhcpv6_server_input(&p->srv, msg, len, p->now, out, sizeof(out));
	assert_true(r > 0);
	dhcpv6_client_input(&p->cl, out, r, p->now);
}

/* §15 with REQ_TIMEOUT 1 s, REQ_MAX_RT 30 s, REQ_MAX_RC 10; then the
 * client looks for a server again (§18.2.2). */
static void
test_request_retransmission(void **state)
{
	static const uint32_t rts[] = { 1000, 2000, 4000, 8000, 16000, 30000,
		30000, 30000, 30000, 30000 };
	struct pair *p = mkpair(false, false, true);
	uint64_t t = 100;
	unsigned i;

	(void)state;
	dhcpv6_client_start(&p->cl, 0);
	p->now = 100;
	dhcpv6_client_timer(&p->cl, 100);
	deliver_one(p); /* Solicit → Advertise (255) → Request queued */
	assert_int_equal(p->cl.state, DHCPV6_CL_REQUEST);
	assert_int_equal(p->sent_at[1], 100);
	p->server_down = true;
	pump(p);
	for (i = 0; i < 9; i++) {
		t += rts[i];
		run_until(p, t);
		assert_int_equal(p->sent_type[2 + i], DHCPV6_REQUEST);
		assert_int_equal(p->sent_at[2 + i], t);
		assert_int_equal(p->sent_xid[2 + i], p->sent_xid[1]);
	}
	assert_int_equal(p->nsent, 11); /* 1 Solicit, REQ_MAX_RC Requests */
	/* After the tenth RT: back to Solicit. */
	t += rts[9];
	run_until(p, t);
	assert_int_equal(p->cl.state, DHCPV6_CL_SOLICIT);
	assert_int_equal(p->nsent, 11);
	/* §14.1: a restart waits SOL_TIMEOUT more than the first
	 * Solicit's random delay. */
	run_until(p, t + 1000 + 100 - 1);
	assert_int_equal(p->nsent, 11);
	run_until(p, t + 1000 + 100);
	assert_int_equal(p->nsent, 12);
	assert_int_equal(p->sent_type[11], DHCPV6_SOLICIT);
	p->server_down = false;
	finish(p);
}

/* A Reply lost: the Request goes again (same xid, later Elapsed Time),
 * the server answers with the binding it already made. */
static void
test_lost_reply(void **state)
{
	struct pair *p = mkpair(false, false, true);

	(void)state;
	dhcpv6_client_start(&p->cl, 0);
	p->replies_lost = true;
	run_until(p, 100);
	/* The Advertise was lost too: Solicit again after 1001 ms. */
	assert_int_equal(p->cl.state, DHCPV6_CL_SOLICIT);
	p->replies_lost = false;
	run_until(p, 1101);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->nsent, 3);
	finish(p);

	p = mkpair(false, false, true);
	dhcpv6_client_start(&p->cl, 0);
	p->now = 100;
	dhcpv6_client_timer(&p->cl, 100);
	deliver_one(p); /* Solicit → Advertise → Request (queued) */
	assert_int_equal(p->cl.state, DHCPV6_CL_REQUEST);
	p->replies_lost = true;
	pump(p);
	assert_non_null(dhcpv6_server_bound(&p->srv)); /* bound there */
	assert_int_equal(p->cl.state, DHCPV6_CL_REQUEST);
	p->replies_lost = false;
	run_until(p, 1100);
	assert_int_equal(p->nsent, 3);
	assert_int_equal(p->sent_type[2], DHCPV6_REQUEST);
	assert_int_equal(p->sent_xid[2], p->sent_xid[1]);
	assert_int_equal(p->sent_elapsed[2], 100); /* 1 s */
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->allocs, 1);
	finish(p);
}

static struct pair *
bound_pair(void)
{
	struct pair *p = mkpair(true, true, false);

	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 100);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	p->nsent = 0;
	return p;
}

/* §18.2.4: Renew at T1 to our server; the Reply renews. */
static void
test_renew(void **state)
{
	struct pair *p = bound_pair();
	uint64_t t1 = 100 + 1800000;

	(void)state;
	run_until(p, t1 - 1);
	assert_int_equal(p->nsent, 0);
	run_until(p, t1);
	assert_int_equal(p->nsent, 1);
	assert_int_equal(p->sent_type[0], DHCPV6_RENEW);
	assert_true(p->sent_sid[0]);
	assert_int_equal(p->renewed, 1);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->cl.t1_at, t1 + 1800000);
	finish(p);
}

/* §18.2.5: the server does not answer Renew (REN_TIMEOUT 10 s doubling,
 * up to REN_MAX_RT); at T2 a Rebind, to any server, no Server ID. */
static void
test_rebind(void **state)
{
	struct pair *p = bound_pair();
	uint64_t t1 = 100 + 1800000, t2 = 100 + 2880000;

	(void)state;
	p->server_down = true;
	run_until(p, t1 + 10000 + 20000);
	assert_int_equal(p->nsent, 3);
	assert_int_equal(p->sent_at[1], t1 + 10000);
	assert_int_equal(p->sent_at[2], t1 + 30000);
	assert_int_equal(p->sent_type[2], DHCPV6_RENEW);
	p->nsent = 0;
	run_until(p, t2 - 1);
	assert_true(p->nsent > 0);
	assert_int_equal(p->sent_type[p->nsent - 1], DHCPV6_RENEW);
	p->server_down = false;
	p->nsent = 0;
	run_until(p, t2);
	assert_int_equal(p->sent_type[0], DHCPV6_REBIND);
	assert_false(p->sent_sid[0]);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->renewed, 1);
	assert_int_equal(p->lost, 0);
	finish(p);
}

/* No server from T1 on: the prefix is lost at the end of its valid
 * lifetime and the client solicits again. */
static void
test_expiry(void **state)
{
	struct pair *p = bound_pair();
	uint64_t end = 100 + 7200000;

	(void)state;
	p->server_down = true;
	run_until(p, end - 1);
	assert_int_equal(p->cl.state, DHCPV6_CL_REBIND);
	assert_int_equal(p->lost, 0);
	run_until(p, end);
	assert_int_equal(p->lost, 1);
	assert_null(dhcpv6_client_lease(&p->cl));
	assert_int_equal(p->cl.state, DHCPV6_CL_SOLICIT);
	p->server_down = false;
	finish(p);
}

/* §18.2.10.1: NoBinding in the Reply to Renew: Request it again. */
static void
test_nobinding(void **state)
{
	struct pair *p = bound_pair();

	(void)state;
	/* The server lost its state (e.g. restarted). */
	dhcpv6_server_destroy(&p->srv);
	server_init(p, true, false);
	run_until(p, 100 + 1800000);
	assert_int_equal(p->sent_type[0], DHCPV6_RENEW);
	assert_int_equal(p->sent_type[1], DHCPV6_REQUEST);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_non_null(dhcpv6_server_bound(&p->srv));
	/* A new prefix from the pool: the old one lost, the new bound. */
	assert_int_equal(p->lost, 1);
	assert_int_equal(p->bound, 2);
	assert_int_equal(p->cl.lease.prefix[6], 0x11);
	finish(p);
}

/* The provider withdraws the prefix: lifetimes 0, lost, Solicit again,
 * and a new prefix. */
static void
test_withdrawn(void **state)
{
	struct pair *p = bound_pair();

	(void)state;
	p->renew_fails = true;
	run_until(p, 100 + 1800000);
	assert_int_equal(p->lost, 1);
	assert_int_equal(p->cl.state, DHCPV6_CL_SOLICIT);
	p->renew_fails = false;
	run_until(p, 100 + 1800000 + 2000);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->bound, 2);
	finish(p);
}

/* A deprecated prefix (preferred 0) with T1 = T2 = 0 from the server:
 * the client's own T1 (0.5 * 0) would renew at once after every Reply;
 * it waits REN_TIMEOUT instead (§14.1). */
static void
test_deprecated_prefix(void **state)
{
	struct pair *p = mkpair(true, true, false);

	(void)state;
	p->deprecated = true;
	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 100);
	assert_int_equal(p->cl.state, DHCPV6_CL_BOUND);
	assert_int_equal(p->cl.lease.preferred, 0);
	assert_int_equal(p->cl.t1_at, 100 + DHCPV6_REN_TIMEOUT);
	assert_int_equal(p->cl.t2_at, 100 + DHCPV6_REN_TIMEOUT * 8 / 5);
	p->nsent = 0;
	run_until(p, 100 + DHCPV6_REN_TIMEOUT + 5000);
	assert_int_equal(p->nsent, 1);
	assert_int_equal(p->sent_type[0], DHCPV6_RENEW);
	assert_int_equal(p->renewed, 1);
	finish(p);
}

/* §18.2.7: Release at session end: stop using it first, the server
 * returns it to the pool; unanswered, REL_MAX_RC tries then stop. */
static void
test_release(void **state)
{
	struct pair *p = bound_pair();
	uint64_t t;

	(void)state;
	p->now = 5000;
	dhcpv6_client_release(&p->cl, 5000);
	assert_int_equal(p->lost, 1);
	assert_null(dhcpv6_client_lease(&p->cl));
	pump(p);
	assert_int_equal(p->sent_type[0], DHCPV6_RELEASE);
	assert_true(p->sent_sid[0]);
	assert_int_equal(p->cl.state, DHCPV6_CL_STOPPED);
	assert_false(p->out);
	assert_int_equal(p->releases, 1);
	assert_int_equal(dhcpv6_client_next_deadline(&p->cl), TIME_NEVER);
	finish(p);

	p = bound_pair();
	p->server_down = true;
	p->now = 5000;
	dhcpv6_client_release(&p->cl, 5000);
	pump(p);
	t = 5000;
	run_until(p, t + 1000 + 2000 + 4000);
	assert_int_equal(p->nsent, DHCPV6_REL_MAX_RC);
	assert_int_equal(p->sent_at[3], t + 7000);
	run_until(p, t + 7000 + 8000);
	assert_int_equal(p->cl.state, DHCPV6_CL_STOPPED);
	assert_int_equal(p->nsent, DHCPV6_REL_MAX_RC);
	p->server_down = false;
	finish(p); /* the session's end hands it back */
}

/* Replies not for us are ignored: other xid, other client, no Server
 * ID. */
static void
test_ignores_foreign(void **state)
{
	struct pair *p = mkpair(false, false, false);
	uint8_t out[1500];
	struct dhcpv6_msg m;
	int n;

	(void)state;
	dhcpv6_client_start(&p->cl, 0);
	run_until(p, 100);
	assert_true(p->cl.have_adv);
	p->cl.have_adv = false;
	memset(&m, 0, sizeof(m));
	m.type = DHCPV6_ADVERTISE;
	m.xid = p->cl.xid ^ 1;
	m.present = DHCPV6_HAVE_CLIENTID | DHCPV6_HAVE_SERVERID;
	m.client_id = p->cl.cfg.duid;
	m.server_id = p->srv.cfg.duid;
	m.nia = 1;
	m.ia[0].type = DHCPV6_OPT_IA_PD;
	m.ia[0].iaid = 7;
	m.ia[0].n = 1;
	m.ia[0].lease[0].plen = 56;
	m.ia[0].lease[0].valid = 10;
	n = dhcpv6_build(&m, out, sizeof(out));
	dhcpv6_client_input(&p->cl, out, (size_t)n, 200);
	assert_false(p->cl.have_adv);
	m.xid = p->cl.xid;
	m.client_id.b[9] ^= 1;
	n = dhcpv6_build(&m, out, sizeof(out));
	dhcpv6_client_input(&p->cl, out, (size_t)n, 200);
	assert_false(p->cl.have_adv);
	m.client_id = p->cl.cfg.duid;
	m.present &= ~DHCPV6_HAVE_SERVERID;
	n = dhcpv6_build(&m, out, sizeof(out));
	dhcpv6_client_input(&p->cl, out, (size_t)n, 200);
	assert_false(p->cl.have_adv);
	/* §21.21: T1 > T2 discards the IA_PD. */
	m.present |= DHCPV6_HAVE_SERVERID;
	m.ia[0].t1 = 20;
	m.ia[0].t2 = 10;
	n = dhcpv6_build(&m, out, sizeof(out));
	dhcpv6_client_input(&p->cl, out, (size_t)n, 200);
	assert_false(p->cl.have_adv);
	/* §21.22: preferred > valid discards the prefix. */
	m.ia[0].t1 = m.ia[0].t2 = 0;
	m.ia[0].lease[0].preferred = 20;
	n = dhcpv6_build(&m, out, sizeof(out));
	dhcpv6_client_input(&p->cl, out, (size_t)n, 200);
	assert_false(p->cl.have_adv);
	m.ia[0].lease[0].preferred = 5;
	n = dhcpv6_build(&m, out, sizeof(out));
	dhcpv6_client_input(&p->cl, out, (size_t)n, 200);
	assert_true(p->cl.have_adv);
	assert_true(p->cl.stats.ignored >= 5);
	finish(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_messages),
		cmocka_unit_test(test_preference_255),
		cmocka_unit_test(test_rapid_commit),
		cmocka_unit_test(test_solicit_retransmission),
		cmocka_unit_test(test_request_retransmission),
		cmocka_unit_test(test_lost_reply),
		cmocka_unit_test(test_renew),
		cmocka_unit_test(test_rebind),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_nobinding),
		cmocka_unit_test(test_withdrawn),
		cmocka_unit_test(test_deprecated_prefix),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_ignores_foreign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
