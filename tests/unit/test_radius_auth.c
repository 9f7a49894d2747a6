/*
 * test_radius_auth.c — the RADIUS auth_backend: how PAP, CHAP-MD5 and
 * MS-CHAPv2 requests are put on the wire (RFC 2865 §5.2/§5.3/§5.40,
 * RFC 2548 §2.3.2), and how replies become auth_result and
 * radius_auth_reply, against a fake server on loopback.
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

#include "radius/radius_auth.h"
#include "radius/radius_client.h"
#include "roles/aaa.h"

#define SECRET "auth-secret"

static struct ev_loop *loop;
static int srv_fd;
static ev_io srv_io;
static struct radius_packet last_req;
static unsigned nreq;
/* Builds the reply to last_req; returns false to stay silent. */
static bool (
    *answer)(const struct radius_packet *req, struct radius_packet *rep);

static void
srv_read(struct ev_loop *l, ev_io *w, int revents)
{
	uint8_t buf[4096];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct radius_packet rep;
	ssize_t n;

	(void)l;
	(void)w;
	(void)revents;
	if ((n = recvfrom(srv_fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		 &fl)) < 0)
		return;
	assert_int_equal(radius_packet_parse(&last_req, buf, (size_t)n),
	    RADIUS_OK);
	nreq++;
	if (!answer(&last_req, &rep))
		return;
	radius_put_message_authenticator(&rep);
	radius_sign_response(&rep, radius_authenticator(&last_req), SECRET);
	sendto(srv_fd, rep.data, radius_len(&rep), 0, (struct sockaddr *)&from,
	    fl);
}

struct outcome {
	int calls;
	struct auth_result res;
	struct radius_auth_reply reply;
	bool have_reply;
	const struct auth_backend *b;
};

static void
done_cb(void *arg, const struct auth_result *res)
{
	struct outcome *o = arg;
	const struct radius_auth_reply *r = radius_auth_current_reply(o->b);

	o->calls++;
	o->res = *res;
	if (r != NULL) {
		o->reply = *r;
		o->have_reply = true;
	}
	ev_break(loop, EVBREAK_ALL);
}

static void
wd_cb(struct ev_loop *l, ev_timer *t, int revents)
{
	(void)l;
	(void)t;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

struct fixture {
	struct radius_client *rc;
	struct auth_backend b;
};

static int
setup(void **state)
{
	static struct fixture fx;
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	struct radius_client_config cfg;
	struct radius_sender rs;
	struct radius_nas_info nas = { .nas_identifier = "lac1",
		.nas_ip = 0x7f000001,
		.nas_port_type = RADIUS_NAS_PORT_TYPE_VIRTUAL };

	loop = ev_loop_new(EVFLAG_AUTO);
	srv_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(srv_fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(srv_fd, (struct sockaddr *)&a, &al);
	ev_io_init(&srv_io, srv_read, srv_fd, EV_READ);
	ev_io_start(loop, &srv_io);
	nreq = 0;
	radius_client_config_default(&cfg);
	cfg.timeout_ms = 20;
	cfg.tries = 2;
	fx.rc = radius_client_new(loop, &cfg);
	radius_client_add_server(fx.rc, RADIUS_SERVER_AUTH,
	    (struct sockaddr *)&a, sizeof(a), SECRET);
	radius_client_sender(fx.rc, &rs);
	radius_auth_backend(&fx.b, &rs, &nas);
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	radius_auth_backend_free(&fx->b);
	radius_client_free(fx->rc);
	ev_io_stop(loop, &srv_io);
	close(srv_fd);
	ev_loop_destroy(loop);
	return 0;
}

static void
run(struct fixture *fx, const struct auth_request *req, struct outcome *o)
{
	ev_timer wd;

	memset(o, 0, sizeof(*o));
	o->b = &fx->b;
	ev_timer_init(&wd, wd_cb, 2.0, 0.);
	ev_timer_start(loop, &wd);
	assert_int_not_equal(fx->b.verify(fx->b.ctx, req, done_cb, o), 0);
	ev_run(loop, 0);
	ev_timer_stop(loop, &wd);
	assert_int_equal(o->calls, 1);
	assert_null(radius_auth_current_reply(&fx->b));
}

static bool
answer_pap(const struct radius_packet *req, struct radius_packet *rep)
{
	uint8_t pw[64];
	size_t l;
	uint32_t u;

	/* RFC 2865 §5.2 hidden password, plus the NAS's identity. */
	assert_int_equal(radius_get_user_password(req, pw, sizeof(pw), &l,
			     SECRET),
	    RADIUS_OK);
	assert_int_equal(radius_get_u32(req, RADIUS_ATTR_SERVICE_TYPE, &u),
	    RADIUS_OK);
	assert_int_equal(u, RADIUS_SERVICE_FRAMED);
	assert_int_equal(radius_get_u32(req, RADIUS_ATTR_NAS_PORT_TYPE, &u),
	    RADIUS_OK);
	assert_int_equal(u, RADIUS_NAS_PORT_TYPE_VIRTUAL);
	assert_true(radius_has_attr(req, RADIUS_ATTR_NAS_IDENTIFIER));
	if (l != 6 || memcmp(pw, "secret", 6) != 0) {
		radius_packet_init(rep, RADIUS_CODE_ACCESS_REJECT,
		    radius_id(req), NULL);
		radius_put_string(rep, RADIUS_ATTR_REPLY_MESSAGE, "go away");
		return true;
	}
	radius_packet_init(rep, RADIUS_CODE_ACCESS_ACCEPT, radius_id(req),
	    NULL);
	radius_put_ipv4(rep, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0x0a010203);
	radius_put_string(rep, RADIUS_ATTR_FRAMED_POOL, "corp");
	radius_put_string(rep, RADIUS_ATTR_FRAMED_ROUTE, "192.168.5.0/24");
	radius_put_string(rep, RADIUS_ATTR_FRAMED_ROUTE, "192.168.6.0/24");
	radius_put_u32(rep, RADIUS_ATTR_SESSION_TIMEOUT, 3600);
	radius_put_u32(rep, RADIUS_ATTR_IDLE_TIMEOUT, 600);
	radius_put_u32(rep, RADIUS_ATTR_FRAMED_MTU, 1400);
	radius_put_u32(rep, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 60);
	radius_put_raw(rep, RADIUS_ATTR_CLASS, "c1\0x", 4);
	radius_put_raw(rep, RADIUS_ATTR_CLASS, "c2", 2);
	radius_put_vs_raw(rep, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_PRIMARY_DNS_SERVER, "\x0a\x00\x00\x35", 4);
	radius_put_vs_raw(rep, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_SECONDARY_DNS_SERVER, "\x0a\x00\x00\x36", 4);
	radius_put_tagged_u32(rep, RADIUS_ATTR_TUNNEL_TYPE, 1,
	    RADIUS_TUNNEL_TYPE_L2TP);
	radius_put_tagged_u32(rep, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1,
	    RADIUS_TUNNEL_MEDIUM_IPV4);
	radius_put_tagged_string(rep, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1,
	    "192.0.2.10");
	radius_put_tagged_string(rep, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, 1,
	    "t-corp");
	radius_put_tagged_u32(rep, RADIUS_ATTR_TUNNEL_PREFERENCE, 1, 10);
	radius_put_tagged_string(rep, RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID, 1,
	    "lac1");
	radius_put_tunnel_password(rep, 1, (const uint8_t *)"tsecret", 7,
	    radius_authenticator(req), SECRET);
	radius_put_tagged_string(rep, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 2,
	    "192.0.2.11");
	return true;
}

static void
test_pap(void **state)
{
	struct fixture *fx = *state;
	struct auth_request req = { .method = PPP_AUTH_PAP };
	struct outcome o;
	const struct radius_tunnel *t;

	strcpy(req.user, "alice@corp");
	memcpy(req.password, "secret", 6);
	req.password_len = 6;
	answer = answer_pap;
	run(fx, &req, &o);
	assert_true(o.res.ok);
	assert_int_equal(o.res.framed_address, 0x0a010203);
	assert_true(o.have_reply);
	assert_string_equal(o.reply.framed_pool, "corp");
	assert_int_equal(o.reply.nroutes, 2);
	assert_string_equal(o.reply.framed_routes[1], "192.168.6.0/24");
	assert_int_equal(o.reply.session_timeout, 3600);
	assert_int_equal(o.reply.idle_timeout, 600);
	assert_int_equal(o.reply.framed_mtu, 1400);
	assert_int_equal(o.reply.interim_interval, 60);
	assert_int_equal(o.reply.dns[0], 0x0a000035);
	assert_int_equal(o.reply.dns[1], 0x0a000036);
	assert_int_equal(o.reply.nclass, 2);
	assert_int_equal(o.reply.class_[0].len, 4);
	assert_memory_equal(o.reply.class_[0].v, "c1\0x", 4);
	assert_int_equal(o.reply.ntunnels, 2);
	t = &o.reply.tunnels[0];
	assert_int_equal(t->tag, 1);
	assert_int_equal(t->type, RADIUS_TUNNEL_TYPE_L2TP);
	assert_int_equal(t->medium, RADIUS_TUNNEL_MEDIUM_IPV4);
	assert_string_equal(t->server_endpoint, "192.0.2.10");
	assert_string_equal(t->assignment_id, "t-corp");
	assert_string_equal(t->client_auth_id, "lac1");
	assert_int_equal(t->preference, 10);
	assert_true(t->has_password);
	assert_int_equal(t->password_len, 7);
	assert_memory_equal(t->password, "tsecret", 7);
	assert_string_equal(o.reply.tunnels[1].server_endpoint, "192.0.2.11");

	memcpy(req.password, "wrong!", 6);
	run(fx, &req, &o);
	assert_false(o.res.ok);
	assert_string_equal(o.res.message, "go away");
}

static bool
answer_chap(const struct radius_packet *req, struct radius_packet *rep)
{
	const uint8_t *v;
	size_t l;

	/* RFC 2865 §5.3 / §5.40. */
	assert_int_equal(radius_get_raw(req, RADIUS_ATTR_CHAP_PASSWORD, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 17);
	assert_int_equal(v[0], 0x42);
	assert_memory_equal(v + 1, "0123456789abcdef", 16);
	assert_int_equal(radius_get_raw(req, RADIUS_ATTR_CHAP_CHALLENGE, &v,
			     &l),
	    RADIUS_OK);
	assert_int_equal(l, 20);
	assert_false(radius_has_attr(req, RADIUS_ATTR_USER_PASSWORD));
	radius_packet_init(rep, RADIUS_CODE_ACCESS_ACCEPT, radius_id(req),
	    NULL);
	/* RFC 2865 §5.8: 0xFFFFFFFE — the NAS picks: the pool. */
	radius_put_ipv4(rep, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0xfffffffe);
	return true;
}

static void
test_chap(void **state)
{
	struct fixture *fx = *state;
	struct auth_request req = { .method = PPP_AUTH_CHAP_MD5,
		.id = 0x42,
		.challenge_len = 20,
		.response_len = 16 };
	struct outcome o;

	strcpy(req.user, "bob");
	memset(req.challenge, 0xcc, 20);
	memcpy(req.response, "0123456789abcdef", 16);
	answer = answer_chap;
	run(fx, &req, &o);
	assert_true(o.res.ok);
	assert_int_equal(o.res.framed_address, 0);
}

static const char auth_resp[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
static int mschap_mode;

static bool
answer_mschap(const struct radius_packet *req, struct radius_packet *rep)
{
	const uint8_t *v;
	size_t l;
	uint8_t succ[43];
	static const char err[] = "\x07"
				  "E=691 R=0 C=00 V=3 M=bad password";

	/* RFC 2548 §2.3.2: Ident, Flags, Peer-Challenge, Reserved, Response. */
	assert_int_equal(radius_get_vs_raw(req, RADIUS_VENDOR_MICROSOFT,
			     RADIUS_MS_CHAP2_RESPONSE, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 50);
	assert_int_equal(v[0], 7);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 0x11);	   /* peer challenge */
	assert_int_equal(v[2 + 16], 0);	   /* reserved */
	assert_int_equal(v[2 + 24], 0x33); /* NT-Response */
	assert_int_equal(radius_get_vs_raw(req, RADIUS_VENDOR_MICROSOFT,
			     RADIUS_MS_CHAP_CHALLENGE, &v, &l),
	    RADIUS_OK);
	assert_int_equal(l, 16);
	assert_int_equal(v[0], 0x22);
	if (mschap_mode == 2) {
		radius_packet_init(rep, RADIUS_CODE_ACCESS_REJECT,
		    radius_id(req), NULL);
		radius_put_vs_raw(rep, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_CHAP_ERROR, err, sizeof(err) - 1);
		return true;
	}
	radius_packet_init(rep, RADIUS_CODE_ACCESS_ACCEPT, radius_id(req),
	    NULL);
	if (mschap_mode == 0) {
		succ[0] = 7;
		memcpy(succ + 1, auth_resp, 42);
		radius_put_vs_raw(rep, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_CHAP2_SUCCESS, succ, 43);
	}
	return true;
}

static void
test_mschapv2(void **state)
{
	struct fixture *fx = *state;
	struct auth_request req = { .method = PPP_AUTH_MSCHAPV2,
		.id = 7,
		.challenge_len = 16,
		.response_len = 49 };
	struct outcome o;

	strcpy(req.user, "carol");
	memset(req.challenge, 0x22, 16);
	memset(req.response, 0x11, 16);
	memset(req.response + 24, 0x33, 24);
	answer = answer_mschap;

	mschap_mode = 0;
	run(fx, &req, &o);
	assert_true(o.res.ok);
	assert_string_equal(o.res.authenticator_response, auth_resp);

	/* An Accept that does not prove the password is a failure. */
	mschap_mode = 1;
	run(fx, &req, &o);
	assert_false(o.res.ok);

	/* RFC 2548 §2.1.5: the M= text of MS-CHAP-Error. */
	mschap_mode = 2;
	run(fx, &req, &o);
	assert_false(o.res.ok);
	assert_string_equal(o.res.message, "bad password");
}

static bool
answer_accept(const struct radius_packet *req, struct radius_packet *rep)
{
	radius_packet_init(rep, RADIUS_CODE_ACCESS_ACCEPT, radius_id(req),
	    NULL);
	return true;
}

static struct l2tp_addr
addr(int family, const char *ip)
{
	struct l2tp_addr a;

	memset(&a, 0, sizeof(a));
	a.ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		assert_int_equal(inet_pton(AF_INET, ip,
				     &((struct sockaddr_in *)&a.ss)->sin_addr),
		    1);
	else if (family == AF_INET6)
		assert_int_equal(
		    inet_pton(AF_INET6, ip,
			&((struct sockaddr_in6 *)&a.ss)->sin6_addr),
		    1);
	return a;
}

/*
 * RFC 2865 §5.31 Calling-Station-Id and §5.5 NAS-Port in the Access-Request,
 * as the LAC (the user's MAC, the PPPoE session id) and the LNS (the L2TP
 * Calling Number, else the peer's address; tunnel << 16 | session) describe
 * the user — the values of their accounting records.  Nothing known: no
 * attribute at all (a string attribute is never empty, §5).
 */
static void
test_calling_station(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0xab, 0xcd };
	char long_number[AUTH_MAX_STATION + 8];
	const struct {
		const char *name;
		bool lac;
		const char *number; /* LNS: the Calling Number */
		int family;	    /* LNS: the peer's, 0 none */
		const char *ip;
		const char *want; /* NULL: not sent */
		uint32_t port;
	} cases[] = {
		{ "LAC: the user's MAC", true, NULL, 0, NULL,
		    "02:00:5e:10:ab:cd", 4242 },
		{ "LNS: the LAC's Calling Number", false, "02:00:5e:10:ab:cd",
		    AF_INET, "192.0.2.1", "02:00:5e:10:ab:cd", 7u << 16 | 9 },
		{ "LNS: no number, the peer's IPv4 address", false, "", AF_INET,
		    "192.0.2.7", "192.0.2.7", 7u << 16 | 9 },
		{ "LNS: IPv4-mapped peer as IPv4", false, NULL, AF_INET6,
		    "::ffff:192.0.2.8", "192.0.2.8", 7u << 16 | 9 },
		{ "LNS: IPv6 peer", false, "", AF_INET6, "2001:db8::5",
		    "2001:db8::5", 7u << 16 | 9 },
		{ "LNS: nothing known", false, "", 0, NULL, NULL,
		    7u << 16 | 9 },
		{ "LNS: a number too long is not cut", false, long_number,
		    AF_INET, "192.0.2.7", NULL, 7u << 16 | 9 },
	};
	struct fixture *fx = *state;
	struct outcome o;
	char got[254];
	uint32_t u;

	memset(long_number, '5', sizeof(long_number) - 1);
	long_number[sizeof(long_number) - 1] = '\0';
	answer = answer_accept;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct auth_request req = { .method = PPP_AUTH_PAP };
		struct l2tp_addr peer = addr(cases[i].family, cases[i].ip);

		print_message("%s\n", cases[i].name);
		strcpy(req.user, "alice");
		memcpy(req.password, "secret", 6);
		req.password_len = 6;
		if (cases[i].lac)
			aaa_describe_pppoe(&req, mac, 4242);
		else
			aaa_describe_l2tp(&req, cases[i].number,
			    cases[i].family != 0 ? &peer : NULL, 7, 9);
		run(fx, &req, &o);
		assert_true(o.res.ok);
		assert_int_equal(radius_get_u32(&last_req, RADIUS_ATTR_NAS_PORT,
				     &u),
		    RADIUS_OK);
		assert_int_equal(u, cases[i].port);
		if (cases[i].want == NULL) {
			assert_false(radius_has_attr(&last_req,
			    RADIUS_ATTR_CALLING_STATION_ID));
			continue;
		}
		assert_int_equal(radius_get_string(&last_req,
				     RADIUS_ATTR_CALLING_STATION_ID, got,
				     sizeof(got)),
		    RADIUS_OK);
		assert_string_equal(got, cases[i].want);
	}
}

/* A request nobody described (no owner hook): neither attribute. */
static void
test_no_station(void **state)
{
	struct fixture *fx = *state;
	struct auth_request req = { .method = PPP_AUTH_PAP };
	struct outcome o;

	strcpy(req.user, "alice");
	memcpy(req.password, "secret", 6);
	req.password_len = 6;
	answer = answer_accept;
	run(fx, &req, &o);
	assert_true(o.res.ok);
	assert_false(
	    radius_has_attr(&last_req, RADIUS_ATTR_CALLING_STATION_ID));
	assert_false(radius_has_attr(&last_req, RADIUS_ATTR_NAS_PORT));
}

static bool
answer_none(const struct radius_packet *req, struct radius_packet *rep)
{
	(void)req;
	(void)rep;
	return false;
}

static void
never_done(void *arg, const struct auth_result *res)
{
	(void)arg;
	(void)res;
	fail_msg("done after cancel");
}

/* No answer: a failure with a message; a cancelled check never answers. */
static void
test_timeout_and_cancel(void **state)
{
	struct fixture *fx = *state;
	struct auth_request req = { .method = PPP_AUTH_PAP, .password_len = 1 };
	struct outcome o;
	ev_timer wd;
	uint64_t h;

	strcpy(req.user, "dave");
	answer = answer_none;
	run(fx, &req, &o);
	assert_false(o.res.ok);
	assert_false(o.have_reply);
	assert_int_equal(nreq, 2);

	h = fx->b.verify(fx->b.ctx, &req, never_done, NULL);
	assert_int_not_equal(h, 0);
	fx->b.cancel(fx->b.ctx, h);
	fx->b.cancel(fx->b.ctx, h);
	ev_timer_init(&wd, wd_cb, 0.1, 0.);
	ev_timer_start(loop, &wd);
	ev_run(loop, 0);
	assert_int_equal(radius_client_pending(fx->rc), 0);

	/* A request that cannot be sent answers at once, handle 0. */
	req.method = PPP_AUTH_NONE;
	memset(&o, 0, sizeof(o));
	o.b = &fx->b;
	assert_int_equal(fx->b.verify(fx->b.ctx, &req, done_cb, &o), 0);
	assert_int_equal(o.calls, 1);
	assert_false(o.res.ok);
}

/* RFC 3162 §2.2/§2.3/§2.6 and RFC 6911 §3.1/§3.2 in an Access-Accept:
 * the prefix with only the octets its length needs (host bits cleared),
 * the interface id, pool, address and DNS servers; malformed values are
 * ignored. */
static void
test_decode_ipv6(void **state)
{
	static const uint8_t pfx[] = { 0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 0x77,
		0, 1 };
	static const uint8_t pfx_short[] = { 0, 56, 0x20, 0x01, 0x0d, 0xb8, 0,
		0x77, 0x01 };
	static const uint8_t bad_pfx[] = { 0, 129, 0x20 };
	static const uint8_t ifid[8] = { 2, 0, 0, 0, 0, 0, 0, 9 };
	static const uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
	static const uint8_t dns[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };
	static const uint8_t req_auth[16];
	struct radius_packet p;
	struct radius_auth_reply o;

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 1, NULL);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_FRAMED_IPV6_PREFIX,
			     bad_pfx, sizeof(bad_pfx)),
	    RADIUS_OK);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_FRAMED_IPV6_PREFIX, pfx,
			     sizeof(pfx)),
	    RADIUS_OK);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_FRAMED_INTERFACE_ID,
			     ifid, sizeof(ifid)),
	    RADIUS_OK);
	assert_int_equal(radius_put_string(&p, RADIUS_ATTR_FRAMED_IPV6_POOL,
			     "v6pool"),
	    RADIUS_OK);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_FRAMED_IPV6_ADDRESS,
			     addr, sizeof(addr)),
	    RADIUS_OK);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS,
			     dns, sizeof(dns)),
	    RADIUS_OK);
	radius_auth_decode_reply(&p, req_auth, "s", &o);
	assert_true(o.has_ipv6_prefix);
	assert_int_equal(o.ipv6_prefix_len, 64);
	assert_memory_equal(o.ipv6_prefix, pfx + 2, 8);
	assert_true(o.has_interface_id);
	assert_memory_equal(o.interface_id, ifid, 8);
	assert_string_equal(o.ipv6_pool, "v6pool");
	assert_true(o.has_ipv6_address);
	assert_memory_equal(o.ipv6_address, addr, 16);
	assert_int_equal(o.dns6_count, 1);
	assert_memory_equal(o.dns6[0], dns, 16);

	/* A /56 in 7 octets; bits past the length cleared. */
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 2, NULL);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_FRAMED_IPV6_PREFIX,
			     pfx_short, sizeof(pfx_short)),
	    RADIUS_OK);
	radius_auth_decode_reply(&p, req_auth, "s", &o);
	assert_true(o.has_ipv6_prefix);
	assert_int_equal(o.ipv6_prefix_len, 56);
	assert_int_equal(o.ipv6_prefix[6], 0x01);
	assert_int_equal(o.ipv6_prefix[7], 0);
}

/* RFC 4818 Delegated-IPv6-Prefix (the layout of Framed-IPv6-Prefix: a
 * /48 in 6 octets, host bits cleared, a bad one ignored) and RFC 6911
 * §3.4 Delegated-IPv6-Prefix-Pool. */
static void
test_decode_delegated(void **state)
{
	static const uint8_t bad[] = { 0, 64, 0x20 };
	static const uint8_t pfx[] = { 0, 47, 0x20, 0x01, 0x0d, 0xb8, 0x02,
		0x01 };
	static const uint8_t req_auth[16];
	struct radius_packet p;
	struct radius_auth_reply o;

	(void)state;
	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 1, NULL);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_DELEGATED_IPV6_PREFIX,
			     bad, sizeof(bad)),
	    RADIUS_OK);
	assert_int_equal(radius_put_raw(&p, RADIUS_ATTR_DELEGATED_IPV6_PREFIX,
			     pfx, sizeof(pfx)),
	    RADIUS_OK);
	assert_int_equal(radius_put_string(&p,
			     RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL, "pd"),
	    RADIUS_OK);
	radius_auth_decode_reply(&p, req_auth, "s", &o);
	assert_true(o.has_deleg_prefix);
	assert_int_equal(o.deleg_prefix_len, 47);
	assert_memory_equal(o.deleg_prefix, pfx + 2, 5);
	assert_int_equal(o.deleg_prefix[5], 0); /* 0x01 past /47 cleared */
	assert_string_equal(o.deleg_pool, "pd");
	assert_false(o.has_ipv6_prefix);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ipv6),
		cmocka_unit_test(test_decode_delegated),
		cmocka_unit_test_setup_teardown(test_pap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calling_station, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_station, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mschapv2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_and_cancel, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
