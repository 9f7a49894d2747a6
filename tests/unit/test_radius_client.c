/*
 * test_radius_client.c — the asynchronous RADIUS client against fake
 * servers on loopback UDP sockets, driven by a private libev loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include "radius/radius_client.h"

#define SECRET "s3cret"

enum fake_mode {
	FAKE_ACCEPT, /* answer everything correctly */
	FAKE_REJECT,
	FAKE_SILENT,
	FAKE_BAD_SECRET, /* signed with the wrong secret */
	FAKE_NO_MSGAUTH, /* Access-Accept without Message-Authenticator */
	FAKE_HOLD,	 /* keep requests; answer when hold_n collected */
};

struct fake {
	int fd;
	ev_io io;
	struct sockaddr_in addr;
	enum fake_mode mode;
	unsigned silent_first; /* ignore this many first */
	unsigned received;
	unsigned hold_n;
	struct radius_packet held[256];
	struct sockaddr_in held_from[256];
	unsigned nheld;
	bool seen_id[256];
	bool dup_id;
	struct radius_packet first; /* first datagram received */
	struct radius_packet last;
	struct sockaddr_in client;
	char pw[129];
	bool pw_ok, msgauth_ok, acct_auth_ok;
	uint32_t delay_time;
};

struct got {
	unsigned n;
	unsigned want;
	enum radius_status status;
	uint8_t code;
	uint32_t framed;
};

static struct ev_loop *loop;

static void
reply(struct fake *f, const struct radius_packet *req,
    const struct sockaddr_in *to, int fd)
{
	struct radius_packet rep;
	uint8_t code;
	const char *secret = SECRET;

	if (radius_code(req) == RADIUS_CODE_ACCOUNTING_REQUEST)
		code = RADIUS_CODE_ACCOUNTING_RESPONSE;
	else if (f->mode == FAKE_REJECT)
		code = RADIUS_CODE_ACCESS_REJECT;
	else
		code = RADIUS_CODE_ACCESS_ACCEPT;
	radius_packet_init(&rep, code, radius_id(req), NULL);
	if (code == RADIUS_CODE_ACCESS_ACCEPT)
		radius_put_ipv4(&rep, RADIUS_ATTR_FRAMED_IP_ADDRESS,
		    0x0a000042);
	if (code != RADIUS_CODE_ACCOUNTING_RESPONSE &&
	    f->mode != FAKE_NO_MSGAUTH)
		radius_put_message_authenticator(&rep);
	if (f->mode == FAKE_BAD_SECRET)
		secret = "wrong";
	radius_sign_response(&rep, radius_authenticator(req), secret);
	sendto(fd, rep.data, radius_len(&rep), 0, (const struct sockaddr *)to,
	    sizeof(*to));
}

static void
fake_read(struct ev_loop *l, ev_io *w, int revents)
{
	struct fake *f = w->data;
	uint8_t buf[4096];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct radius_packet p;
	ssize_t n;
	size_t pl;
	unsigned i;

	(void)l;
	(void)revents;
	n = recvfrom(f->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	assert_int_equal(radius_packet_parse(&p, buf, (size_t)n), RADIUS_OK);
	if (f->received == 0)
		f->first = p;
	f->received++;
	f->last = p;
	f->client = from;
	if (radius_code(&p) == RADIUS_CODE_ACCESS_REQUEST) {
		f->msgauth_ok = radius_check_message_authenticator(&p, NULL,
				    SECRET) == RADIUS_OK;
		if (radius_get_user_password(&p, (uint8_t *)f->pw,
			sizeof(f->pw) - 1, &pl, SECRET) == RADIUS_OK) {
			f->pw[pl] = '\0';
			f->pw_ok = true;
		}
	} else {
		f->acct_auth_ok = radius_check_accounting_request_auth(&p,
		    SECRET);
		radius_get_u32(&p, RADIUS_ATTR_ACCT_DELAY_TIME, &f->delay_time);
	}
	if (f->received <= f->silent_first || f->mode == FAKE_SILENT)
		return;
	if (f->mode == FAKE_HOLD) {
		if (f->seen_id[radius_id(&p)])
			f->dup_id = true;
		f->seen_id[radius_id(&p)] = true;
		f->held[f->nheld] = p;
		f->held_from[f->nheld++] = from;
		if (f->nheld == f->hold_n) {
			for (i = 0; i < f->nheld; i++)
				reply(f, &f->held[i], &f->held_from[i], f->fd);
			f->mode = FAKE_ACCEPT;
		}
		return;
	}
	reply(f, &p, &from, f->fd);
}

static void
fake_open(struct fake *f, enum fake_mode mode)
{
	socklen_t l = sizeof(f->addr);

	memset(f, 0, sizeof(*f));
	f->mode = mode;
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(f->fd >= 0);
	f->addr.sin_family = AF_INET;
	f->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&f->addr,
			     sizeof(f->addr)),
	    0);
	assert_int_equal(getsockname(f->fd, (struct sockaddr *)&f->addr, &l),
	    0);
	ev_io_init(&f->io, fake_read, f->fd, EV_READ);
	f->io.data = f;
	ev_io_start(loop, &f->io);
}

static void
fake_close(struct fake *f)
{
	ev_io_stop(loop, &f->io);
	close(f->fd);
}

static void
got_cb(void *arg, const struct radius_reply *r)
{
	struct got *g = arg;

	g->n++;
	g->status = r->status;
	g->code = r->pkt != NULL ? radius_code(r->pkt) : 0;
	if (r->pkt != NULL)
		radius_get_ipv4(r->pkt, RADIUS_ATTR_FRAMED_IP_ADDRESS,
		    &g->framed);
	if (g->n == g->want)
		ev_break(loop, EVBREAK_ALL);
}

static void
never_cb(void *arg, const struct radius_reply *r)
{
	(void)arg;
	(void)r;
	fail_msg("callback of a cancelled request");
}

static void
watchdog_cb(struct ev_loop *l, ev_timer *t, int revents)
{
	(void)l;
	(void)t;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

/* Runs the loop until a callback breaks it or ms pass. */
static void
run_for(unsigned ms)
{
	ev_timer wd;

	ev_timer_init(&wd, watchdog_cb, ms / 1000.0, 0.);
	ev_timer_start(loop, &wd);
	ev_run(loop, 0);
	ev_timer_stop(loop, &wd);
}

static struct radius_client *
client(unsigned timeout_ms, unsigned tries)
{
	struct radius_client_config cfg;
	struct radius_client *rc;

	radius_client_config_default(&cfg);
	cfg.timeout_ms = timeout_ms;
	cfg.tries = tries;
	rc = radius_client_new(loop, &cfg);
	assert_non_null(rc);
	return rc;
}

static void
add(struct radius_client *rc, enum radius_server_kind k, struct fake *f)
{
	assert_int_equal(radius_client_add_server(rc, k,
			     (struct sockaddr *)&f->addr, sizeof(f->addr),
			     SECRET),
	    0);
}

static void
access_tmpl(struct radius_packet *p, const char *user)
{
	radius_packet_init(p, RADIUS_CODE_ACCESS_REQUEST, 0, NULL);
	radius_put_string(p, RADIUS_ATTR_USER_NAME, user);
}

static void
acct_tmpl(struct radius_packet *p, const char *sid)
{
	radius_packet_init(p, RADIUS_CODE_ACCOUNTING_REQUEST, 0, NULL);
	radius_put_u32(p, RADIUS_ATTR_ACCT_STATUS_TYPE,
	    RADIUS_ACCT_STATUS_START);
	radius_put_string(p, RADIUS_ATTR_ACCT_SESSION_ID, sid);
}

static int
setup(void **state)
{
	(void)state;
	loop = ev_loop_new(EVFLAG_AUTO);
	return loop == NULL;
}

static int
teardown(void **state)
{
	(void)state;
	ev_loop_destroy(loop);
	return 0;
}

/* Access-Accept: the password went hidden (RFC 2865 §5.2), the request
 * carried a valid Message-Authenticator, and the reply is delivered. */
static void
test_accept(void **state)
{
	struct fake f;
	struct radius_client *rc;
	struct radius_packet t;
	struct got g = { .want = 1 };

	(void)state;
	fake_open(&f, FAKE_ACCEPT);
	rc = client(1000, 3);
	add(rc, RADIUS_SERVER_AUTH, &f);
	access_tmpl(&t, "alice");
	assert_int_not_equal(radius_client_send(rc, &t,
				 (const uint8_t *)"wonderland-password", 19,
				 got_cb, &g),
	    0);
	assert_int_equal(radius_client_pending(rc), 1);
	run_for(2000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.status, RADIUS_STATUS_REPLY);
	assert_int_equal(g.code, RADIUS_CODE_ACCESS_ACCEPT);
	assert_int_equal(g.framed, 0x0a000042);
	assert_true(f.pw_ok);
	assert_string_equal(f.pw, "wonderland-password");
	assert_true(f.msgauth_ok);
	assert_int_equal(f.received, 1);
	assert_int_equal(radius_client_pending(rc), 0);
	assert_int_equal(radius_client_stats(rc)->replies, 1);
	radius_client_free(rc);
	fake_close(&f);
}

static void
test_reject(void **state)
{
	struct fake f;
	struct radius_client *rc;
	struct radius_packet t;
	struct got g = { .want = 1 };

	(void)state;
	fake_open(&f, FAKE_REJECT);
	rc = client(1000, 3);
	add(rc, RADIUS_SERVER_AUTH, &f);
	access_tmpl(&t, "mallory");
	radius_client_send(rc, &t, (const uint8_t *)"x", 1, got_cb, &g);
	run_for(2000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.status, RADIUS_STATUS_REPLY);
	assert_int_equal(g.code, RADIUS_CODE_ACCESS_REJECT);
	radius_client_free(rc);
	fake_close(&f);
}

/* Server 1 never answers: three identical datagrams (same Identifier and
 * bytes, RFC 2865 §3), then server 2 with a new authenticator. */
static void
test_retransmit_failover(void **state)
{
	struct fake f1, f2;
	struct radius_client *rc;
	struct radius_packet t;
	struct got g = { .want = 1 };
	const struct radius_client_stats *st;

	(void)state;
	fake_open(&f1, FAKE_SILENT);
	fake_open(&f2, FAKE_ACCEPT);
	rc = client(30, 3);
	add(rc, RADIUS_SERVER_AUTH, &f1);
	add(rc, RADIUS_SERVER_AUTH, &f2);
	access_tmpl(&t, "bob");
	radius_client_send(rc, &t, (const uint8_t *)"pw", 2, got_cb, &g);
	run_for(3000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.code, RADIUS_CODE_ACCESS_ACCEPT);
	assert_int_equal(f1.received, 3);
	assert_memory_equal(f1.first.data, f1.last.data, radius_len(&f1.first));
	assert_int_equal(f2.received, 1);
	assert_memory_not_equal(radius_authenticator(&f1.first),
	    radius_authenticator(&f2.first), 16);
	assert_true(f2.pw_ok);
	assert_string_equal(f2.pw, "pw");
	st = radius_client_stats(rc);
	assert_int_equal(st->retransmits, 2);
	assert_int_equal(st->failovers, 1);
	assert_int_equal(st->sent, 4);
	radius_client_free(rc);
	fake_close(&f1);
	fake_close(&f2);
}

static void
test_timeout(void **state)
{
	struct fake f1, f2;
	struct radius_client *rc;
	struct radius_packet t;
	struct got g = { .want = 1 };

	(void)state;
	fake_open(&f1, FAKE_SILENT);
	fake_open(&f2, FAKE_SILENT);
	rc = client(20, 2);
	add(rc, RADIUS_SERVER_AUTH, &f1);
	add(rc, RADIUS_SERVER_AUTH, &f2);
	access_tmpl(&t, "carol");
	radius_client_send(rc, &t, NULL, 0, got_cb, &g);
	run_for(3000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.status, RADIUS_STATUS_TIMEOUT);
	assert_int_equal(f1.received, 2);
	assert_int_equal(f2.received, 2);
	assert_int_equal(radius_client_stats(rc)->timeouts, 1);
	assert_int_equal(radius_client_pending(rc), 0);
	radius_client_free(rc);
	fake_close(&f1);
	fake_close(&f2);
}

/* Replies with a wrong Response Authenticator, without the
 * Message-Authenticator we asked for, or from another address are dropped
 * and counted; the request then times out. */
static void
test_bad_replies_dropped(void **state)
{
	static const struct {
		enum fake_mode mode;
		size_t stat;
	} cases[] = {
		{ FAKE_BAD_SECRET,
		    offsetof(struct radius_client_stats, drop_auth) },
		{ FAKE_NO_MSGAUTH,
		    offsetof(struct radius_client_stats, drop_msgauth) },
	};
	struct fake f;
	struct radius_client *rc;
	struct radius_packet t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct got g = { .want = 1 };
		const uint8_t *st;

		fake_open(&f, cases[i].mode);
		rc = client(20, 2);
		add(rc, RADIUS_SERVER_AUTH, &f);
		access_tmpl(&t, "dave");
		radius_client_send(rc, &t, NULL, 0, got_cb, &g);
		run_for(3000);
		assert_int_equal(g.n, 1);
		assert_int_equal(g.status, RADIUS_STATUS_TIMEOUT);
		st = (const uint8_t *)radius_client_stats(rc);
		assert_int_equal(*(const uint64_t *)(st + cases[i].stat), 2);
		assert_int_equal(radius_client_stats(rc)->replies, 0);
		radius_client_free(rc);
		fake_close(&f);
	}
}

/* An Access-Accept without Message-Authenticator is refused by default
 * (RFC 2869 §5.14; a forged Response Authenticator is the Blast-RADIUS
 * attack) and accepted when require_msgauth is switched off for an old
 * server; a wrong one is refused either way. */
static void
test_msgauth_switch(void **state)
{
	static const struct {
		enum fake_mode mode;
		bool require;
		bool accepted;
	} t[] = {
		{ FAKE_NO_MSGAUTH, true, false },
		{ FAKE_NO_MSGAUTH, false, true },
		{ FAKE_ACCEPT, true, true },
		{ FAKE_ACCEPT, false, true },
	};
	struct radius_client_config cfg;
	struct radius_client *rc;
	struct radius_packet tm;
	struct fake f;

	(void)state;
	radius_client_config_default(&cfg);
	assert_true(cfg.require_msgauth);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct got g = { .want = 1 };

		fake_open(&f, t[i].mode);
		radius_client_config_default(&cfg);
		cfg.timeout_ms = 20;
		cfg.tries = 1;
		cfg.require_msgauth = t[i].require;
		rc = radius_client_new(loop, &cfg);
		assert_non_null(rc);
		add(rc, RADIUS_SERVER_AUTH, &f);
		access_tmpl(&tm, "frank");
		radius_client_send(rc, &tm, NULL, 0, got_cb, &g);
		run_for(3000);
		assert_int_equal(g.n, 1);
		assert_int_equal(g.status,
		    t[i].accepted ? RADIUS_STATUS_REPLY :
				    RADIUS_STATUS_TIMEOUT);
		assert_int_equal(radius_client_stats(rc)->drop_msgauth,
		    t[i].accepted ? 0 : 1);
		radius_client_free(rc);
		fake_close(&f);
	}
}

/* A correctly signed reply from the wrong source port is not the server's. */
static void
test_wrong_source_dropped(void **state)
{
	struct fake f, spoof;
	struct radius_client *rc;
	struct radius_packet t;
	struct got g = { .want = 1 };

	(void)state;
	fake_open(&f, FAKE_SILENT);
	fake_open(&spoof, FAKE_SILENT);
	rc = client(200, 1);
	add(rc, RADIUS_SERVER_AUTH, &f);
	access_tmpl(&t, "erin");
	radius_client_send(rc, &t, NULL, 0, got_cb, &g);
	while (f.received == 0)
		ev_run(loop, EVRUN_ONCE);
	f.mode = FAKE_ACCEPT;
	reply(&f, &f.first, &f.client, spoof.fd);
	run_for(3000);
	assert_int_equal(g.status, RADIUS_STATUS_TIMEOUT);
	assert_int_equal(radius_client_stats(rc)->drop_source, 1);
	radius_client_free(rc);
	fake_close(&f);
	fake_close(&spoof);
}

/* 300 accounting requests to one server: 256 distinct Identifiers in
 * flight, 44 wait for one, and every request is answered. */
static void
test_id_wrap(void **state)
{
	struct fake f;
	struct radius_client *rc;
	struct radius_packet t;
	struct got g = { .want = 300 };
	unsigned i;

	(void)state;
	fake_open(&f, FAKE_HOLD);
	f.hold_n = 256;
	rc = client(5000, 3);
	add(rc, RADIUS_SERVER_ACCT, &f);
	acct_tmpl(&t, "sess");
	for (i = 0; i < 300; i++)
		assert_int_not_equal(radius_client_send(rc, &t, NULL, 0, got_cb,
					 &g),
		    0);
	assert_int_equal(radius_client_stats(rc)->queued, 44);
	assert_int_equal(radius_client_pending(rc), 300);
	run_for(4000);
	assert_int_equal(g.n, 300);
	assert_false(f.dup_id);
	assert_int_equal(f.received, 300);
	assert_int_equal(radius_client_stats(rc)->retransmits, 0);
	assert_int_equal(radius_client_pending(rc), 0);
	radius_client_free(rc);
	fake_close(&f);
}

/* RFC 2866 §2: accounting is retried across rounds of the server list
 * until answered, with Acct-Delay-Time (§5.2) and a correct Request
 * Authenticator (§3) on every rebuild; and it gives up at the bound. */
static void
test_accounting_retried(void **state)
{
	struct fake f1, f2;
	struct radius_client *rc;
	struct radius_client_config cfg;
	struct radius_packet t;
	struct got g = { .want = 1 };

	(void)state;
	fake_open(&f1, FAKE_SILENT);
	fake_open(&f2, FAKE_ACCEPT);
	f2.silent_first = 5; /* "down" for two and a half rounds */
	rc = client(20, 2);
	add(rc, RADIUS_SERVER_ACCT, &f1);
	add(rc, RADIUS_SERVER_ACCT, &f2);
	acct_tmpl(&t, "sess-1");
	radius_client_send(rc, &t, NULL, 0, got_cb, &g);
	run_for(5000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.status, RADIUS_STATUS_REPLY);
	assert_int_equal(g.code, RADIUS_CODE_ACCOUNTING_RESPONSE);
	assert_int_equal(f2.received, 6);
	assert_int_equal(f1.received, 6);
	assert_true(f2.acct_auth_ok);
	assert_true(radius_has_attr(&f2.last, RADIUS_ATTR_ACCT_DELAY_TIME));
	radius_client_free(rc);

	/* The bound: acct_max_tries datagrams, then a timeout. */
	radius_client_config_default(&cfg);
	cfg.timeout_ms = 10;
	cfg.tries = 3;
	cfg.acct_max_tries = 5;
	rc = radius_client_new(loop, &cfg);
	f1.received = 0;
	add(rc, RADIUS_SERVER_ACCT, &f1);
	g.n = 0;
	radius_client_send(rc, &t, NULL, 0, got_cb, &g);
	run_for(3000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.status, RADIUS_STATUS_TIMEOUT);
	assert_int_equal(f1.received, 5);
	radius_client_free(rc);
	fake_close(&f1);
	fake_close(&f2);
}

/* A cancelled request never calls back and stops retransmitting; its
 * handle, and a bogus one, are harmless afterwards. */
static void
test_cancel(void **state)
{
	struct fake f;
	struct radius_client *rc;
	struct radius_packet t;
	uint64_t h;

	(void)state;
	fake_open(&f, FAKE_SILENT);
	rc = client(20, 3);
	add(rc, RADIUS_SERVER_AUTH, &f);
	access_tmpl(&t, "frank");
	h = radius_client_send(rc, &t, NULL, 0, never_cb, NULL);
	assert_int_not_equal(h, 0);
	while (f.received == 0)
		ev_run(loop, EVRUN_ONCE);
	radius_client_cancel(rc, h);
	assert_int_equal(radius_client_pending(rc), 0);
	run_for(200);
	assert_int_equal(f.received, 1);
	radius_client_cancel(rc, h);
	radius_client_cancel(rc, 0);
	radius_client_cancel(rc, UINT64_MAX);
	/* A new request reuses the slot with a new generation. */
	assert_int_not_equal(radius_client_send(rc, &t, NULL, 0, never_cb,
				 NULL),
	    h);
	radius_client_free(rc);
	fake_close(&f);
}

/* Nothing to send to, or not a request: refused without a callback. */
static void
test_send_refused(void **state)
{
	struct radius_client *rc;
	struct radius_packet t;

	(void)state;
	rc = client(20, 3);
	access_tmpl(&t, "gina");
	assert_int_equal(radius_client_send(rc, &t, NULL, 0, never_cb, NULL),
	    0);
	radius_packet_init(&t, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	assert_int_equal(radius_client_send(rc, &t, NULL, 0, never_cb, NULL),
	    0);
	radius_client_free(rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msgauth_switch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmit_failover, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_replies_dropped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_source_dropped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounting_retried, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
