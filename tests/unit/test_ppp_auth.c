/*
 * test_ppp_auth.c — the authentication exchanges of ppp/auth.h: the
 * authenticator (PAP, CHAP-MD5 with rechallenge, MS-CHAPv2) against a
 * scripted peer and a synchronous or asynchronous backend, the peer side
 * against a scripted authenticator, both sides back to back, and tables of
 * malformed packets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/users.h"
#include "core/timeutil.h"
#include "ppp/auth.h"
#include "ppp/auth_priv.h"
#include "ppp/ppp_proto.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define T0	     1000000u

/* ---- capture of what an exchange sends and reports ---- */

#define CAP_MAX 64

struct pkt {
	uint16_t proto;
	uint8_t b[AUTH_PKT_MAX];
	size_t len;
};

struct cap {
	struct pkt p[CAP_MAX];
	int n;
	int done_n;
	bool ok; /* of the last done */
	char user[AUTH_MAX_NAME];
	bool res_null;
	struct auth_result res;
	/* Re-entrancy: free the exchange from inside done. */
	struct auth_server **free_srv_in_done;
};

static void
cap_send(void *ctx, uint16_t proto, const uint8_t *b, size_t len)
{
	struct cap *c = ctx;

	assert_true(c->n < CAP_MAX);
	assert_true(len <= AUTH_PKT_MAX);
	c->p[c->n].proto = proto;
	memcpy(c->p[c->n].b, b, len);
	c->p[c->n].len = len;
	c->n++;
}

static void
cap_done(void *ctx, bool ok, const char *user, const struct auth_result *res)
{
	struct cap *c = ctx;

	c->done_n++;
	c->ok = ok;
	snprintf(c->user, sizeof(c->user), "%s", user != NULL ? user : "");
	c->res_null = res == NULL;
	if (res != NULL)
		c->res = *res;
	if (c->free_srv_in_done != NULL) {
		auth_server_free(*c->free_srv_in_done);
		*c->free_srv_in_done = NULL;
	}
}

static const struct auth_ops cap_ops = { cap_send, cap_done, NULL };

static const struct pkt *
last(const struct cap *c)
{
	assert_true(c->n > 0);
	return &c->p[c->n - 1];
}

/* ---- the users file ---- */

static const char users_text[] = "alice  wonderland  10.9.0.10\n"
				 "bob    builder\n"
				 "User   clientPass  *\n";

static struct users_db *
users(void)
{
	char err[256];
	struct users_db *db = users_parse("users", users_text,
	    strlen(users_text), err, sizeof(err));

	assert_non_null(db);
	return db;
}

/* ---- an asynchronous backend: answers when the test says so ---- */

struct abe {
	int calls;
	struct auth_request req;
	auth_done_fn *done;
	void *arg;
	uint64_t cancelled;
	const struct users_db *db; /* decides with the users backend */
};

static uint64_t
abe_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct abe *a = ctx;

	a->calls++;
	a->req = *req;
	a->done = done;
	a->arg = arg;
	return 77;
}

static void
abe_cancel(void *ctx, uint64_t handle)
{
	((struct abe *)ctx)->cancelled = handle;
}

/* Answers the pending request the way the users file would. */
static void
abe_answer(struct abe *a)
{
	struct auth_backend ub;
	auth_done_fn *done = a->done;

	assert_non_null(done);
	a->done = NULL;
	auth_users_backend(&ub, a->db);
	ub.verify(ub.ctx, &a->req, done, a->arg);
}

/* ---- packet builders for the scripted side ---- */

static size_t
pap_req(uint8_t *b, uint8_t id, const char *user, const char *pw)
{
	return pap_build_request(b, AUTH_PKT_MAX, id, user, (const uint8_t *)pw,
	    strlen(pw));
}

struct challenge {
	uint8_t id;
	uint8_t value[255];
	size_t value_len;
	char name[AUTH_MAX_NAME];
};

static void
parse_challenge(const struct pkt *p, struct challenge *ch)
{
	struct auth_hdr h;
	struct chap_value v;

	assert_int_equal(p->proto, PPP_PROTO_CHAP);
	assert_int_equal(auth_hdr_parse(p->b, p->len, &h), 0);
	assert_int_equal(h.code, CHAP_CHALLENGE);
	assert_int_equal(chap_parse_value(&h, &v), 0);
	ch->id = h.id;
	memcpy(ch->value, v.value, v.value_len);
	ch->value_len = v.value_len;
	memcpy(ch->name, v.name, v.name_len);
	ch->name[v.name_len] = '\0';
}

static size_t
md5_resp(uint8_t *b, const struct challenge *ch, const char *user,
    const char *pw)
{
	uint8_t r[16];

	chap_md5_response(ch->id, (const uint8_t *)pw, strlen(pw), ch->value,
	    ch->value_len, r);
	return chap_build_value(b, AUTH_PKT_MAX, CHAP_RESPONSE, ch->id, r, 16,
	    user);
}

static const uint8_t peer_chal[16] = "0123456789abcdef";

static size_t
ms_resp(uint8_t *b, const struct challenge *ch, const char *user,
    const char *pw)
{
	uint8_t v[49];

	memset(v, 0, sizeof(v));
	memcpy(v, peer_chal, 16);
	mschapv2_nt_response(ch->value, peer_chal, user, (const uint8_t *)pw,
	    strlen(pw), v + 24);
	return chap_build_value(b, AUTH_PKT_MAX, CHAP_RESPONSE, ch->id, v, 49,
	    user);
}

/* Code, id and message of a reply (PAP Ack/Nak or CHAP Success/Failure). */
static void
reply(const struct pkt *p, uint8_t *code, uint8_t *id, char *msg, size_t cap)
{
	struct auth_hdr h;
	const uint8_t *m;
	size_t ml;

	assert_int_equal(auth_hdr_parse(p->b, p->len, &h), 0);
	*code = h.code;
	*id = h.id;
	if (p->proto == PPP_PROTO_PAP) {
		assert_int_equal(pap_parse_reply(&h, &m, &ml), 0);
		assert_int_equal(h.len, ml + 1);
	} else {
		m = h.data;
		ml = h.len;
	}
	assert_true(ml < cap);
	memcpy(msg, m, ml);
	msg[ml] = '\0';
}

static struct auth_server *
server(enum ppp_auth_method m, const struct auth_backend *be, struct cap *c,
    unsigned rechallenge_ms)
{
	struct auth_server_config cfg;
	struct auth_server *s;

	memset(&cfg, 0, sizeof(cfg));
	cfg.method = m;
	strcpy(cfg.our_name, "lns.example");
	cfg.restart_ms = 3000;
	cfg.max_tries = 4;
	cfg.rechallenge_ms = rechallenge_ms;
	cfg.timeout_ms = 30000;
	memset(c, 0, sizeof(*c));
	s = auth_server_new(&cfg, be, &cap_ops, c, T0);
	assert_non_null(s);
	return s;
}

static void
test_method_str(void **state)
{
	(void)state;
	assert_string_equal(ppp_auth_method_str(PPP_AUTH_NONE), "none");
	assert_string_equal(ppp_auth_method_str(PPP_AUTH_PAP), "pap");
	assert_string_equal(ppp_auth_method_str(PPP_AUTH_CHAP_MD5), "chap-md5");
	assert_string_equal(ppp_auth_method_str(PPP_AUTH_MSCHAPV2),
	    "mschap-v2");
}

/* RFC 1994 §4.1 against an independent computation:
 *   python3 -c "import hashlib; print(hashlib.md5(bytes([0x2a]) +
 *       b'sekrit' + bytes(range(0x10, 0x20))).hexdigest())"
 *   -> 4e0d41ed0e16f05488699d389dde64f6
 *   python3 -c "import hashlib; print(hashlib.md5(bytes([0xff]) + b'p' +
 *       bytes.fromhex('0123456789abcdef')).hexdigest())"
 *   -> f5248096a2950111cd8723284590fc8f */
static void
test_chap_md5_vector(void **state)
{
	/* clang-format off */
	static const uint8_t want1[16] = {
		0x4e, 0x0d, 0x41, 0xed, 0x0e, 0x16, 0xf0, 0x54,
		0x88, 0x69, 0x9d, 0x38, 0x9d, 0xde, 0x64, 0xf6,
	};
	/* clang-format on */
	/* clang-format off */
	static const uint8_t want2[16] = {
		0xf5, 0x24, 0x80, 0x96, 0xa2, 0x95, 0x01, 0x11,
		0xcd, 0x87, 0x23, 0x28, 0x45, 0x90, 0xfc, 0x8f,
	};
	/* clang-format on */
	/* clang-format off */
	static const uint8_t ch2[8] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};
	/* clang-format on */
	uint8_t ch1[16], out[16];

	(void)state;
	for (int i = 0; i < 16; i++)
		ch1[i] = (uint8_t)(0x10 + i);
	chap_md5_response(0x2a, (const uint8_t *)"sekrit", 6, ch1, 16, out);
	assert_memory_equal(out, want1, 16);
	chap_md5_response(0xff, (const uint8_t *)"p", 1, ch2, 8, out);
	assert_memory_equal(out, want2, 16);
}

/* ================= authenticator: PAP ================= */

static void
test_pap_server_ack_and_repeat(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	uint8_t b[AUTH_PKT_MAX], code, id;
	char msg[256];

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_PAP, &be, &c, 0);
	/* RFC 1334 §2: the authenticator waits; it sends nothing. */
	assert_int_equal(c.n, 0);
	assert_int_equal(auth_server_next_deadline(s), T0 + 30000);

	auth_server_input(s, PPP_PROTO_PAP, b,
	    pap_req(b, 9, "alice", "wonderland"), T0 + 10);
	assert_int_equal(c.n, 1);
	assert_int_equal(last(&c)->proto, PPP_PROTO_PAP);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, PAP_AUTH_ACK);
	assert_int_equal(id, 9);
	assert_string_equal(msg, "");
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	assert_string_equal(c.user, "alice");
	assert_int_equal(c.res.framed_address, 0x0a09000a);
	assert_int_equal(auth_server_next_deadline(s), TIME_NEVER);

	/* RFC 1334 §2.2.1: the Ack may be lost; a repeat is Acked again,
	 * byte for byte, and the link hears nothing new. */
	auth_server_input(s, PPP_PROTO_PAP, b,
	    pap_req(b, 9, "alice", "wonderland"), T0 + 20);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.p[1].len, c.p[0].len);
	assert_memory_equal(c.p[1].b, c.p[0].b, c.p[0].len);
	assert_int_equal(c.done_n, 1);
	/* A repeat with a new Identifier (the peer MUST change it on each
	 * Request) gets the same reply Code under its own id. */
	auth_server_input(s, PPP_PROTO_PAP, b,
	    pap_req(b, 10, "alice", "wonderland"), T0 + 30);
	assert_int_equal(c.n, 3);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, PAP_AUTH_ACK);
	assert_int_equal(id, 10);
	assert_int_equal(c.done_n, 1);
	auth_server_free(s);
	users_free(db);
}

static void
test_pap_server_nak(void **state)
{
	static const struct {
		const char *user, *pw;
	} cases[] = {
		{ "alice", "wonderlanD" },		    /* wrong password */
		{ "alice", "wonderland2" },		    /* longer */
		{ "alice", "wonder" },			    /* prefix */
		{ "alice", "" }, { "carol", "wonderland" }, /* unknown user */
		{ "Alice", "wonderland" }, /* names are case-sensitive */
	};
	struct users_db *db = users();
	struct auth_backend be;
	uint8_t b[AUTH_PKT_MAX], code, id;
	char msg[256];

	(void)state;
	auth_users_backend(&be, db);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cap c;
		struct auth_server *s = server(PPP_AUTH_PAP, &be, &c, 0);

		auth_server_input(s, PPP_PROTO_PAP, b,
		    pap_req(b, 3, cases[i].user, cases[i].pw), T0);
		assert_int_equal(c.n, 1);
		reply(last(&c), &code, &id, msg, sizeof(msg));
		assert_int_equal(code, PAP_AUTH_NAK);
		assert_int_equal(id, 3);
		assert_string_equal(msg, "authentication failed");
		assert_int_equal(c.done_n, 1);
		assert_false(c.ok);
		/* A repeat gets the same Nak, and no second verdict. */
		auth_server_input(s, PPP_PROTO_PAP, b,
		    pap_req(b, 3, "alice", "wonderland"), T0 + 1);
		assert_int_equal(c.n, 2);
		reply(last(&c), &code, &id, msg, sizeof(msg));
		assert_int_equal(code, PAP_AUTH_NAK);
		assert_int_equal(c.done_n, 1);
		auth_server_free(s);
	}
	users_free(db);
}

static void
test_pap_server_timeout(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_PAP, &be, &c, 0);
	auth_server_timeout(s, T0 + 29999);
	assert_int_equal(c.done_n, 0);
	auth_server_timeout(s, T0 + 30000);
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	assert_int_equal(c.n, 0);
	assert_int_equal(auth_server_next_deadline(s), TIME_NEVER);
	auth_server_timeout(s, T0 + 90000);
	assert_int_equal(c.done_n, 1);
	auth_server_free(s);
	users_free(db);
}

/* ================= authenticator: CHAP-MD5 ================= */

static void
test_chap_server_challenge_retransmit(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	struct challenge ch[4];

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 0);
	assert_int_equal(c.n, 1);
	parse_challenge(&c.p[0], &ch[0]);
	assert_int_equal(ch[0].value_len, 16);
	assert_string_equal(ch[0].name, "lns.example");
	assert_int_equal(auth_server_next_deadline(s), T0 + 3000);
	auth_server_timeout(s, T0 + 2999);
	assert_int_equal(c.n, 1);
	/* RFC 1994 §4.1: Identifier and Value change with each Challenge;
	 * max_tries (4) Challenges, then failure. */
	for (int i = 1; i < 4; i++) {
		auth_server_timeout(s, T0 + 3000u * (unsigned)i);
		assert_int_equal(c.n, i + 1);
		parse_challenge(&c.p[i], &ch[i]);
		assert_int_not_equal(ch[i].id, ch[i - 1].id);
		assert_memory_not_equal(ch[i].value, ch[i - 1].value, 16);
		assert_int_equal(c.done_n, 0);
	}
	auth_server_timeout(s, T0 + 12000);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	auth_server_free(s);
	users_free(db);
}

static void
test_chap_server_success_stale_repeat(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	struct challenge ch0, ch1;
	uint8_t b[AUTH_PKT_MAX], code, id;
	char msg[256];

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 0);
	parse_challenge(&c.p[0], &ch0);
	auth_server_timeout(s, T0 + 3000);
	parse_challenge(&c.p[1], &ch1);
	/* A (correct) answer to the superseded Challenge is discarded. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch0, "bob", "builder"), T0 + 3001);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.done_n, 0);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch1, "bob", "builder"), T0 + 3002);
	assert_int_equal(c.n, 3);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_SUCCESS);
	assert_int_equal(id, ch1.id);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	assert_string_equal(c.user, "bob");
	assert_int_equal(c.res.framed_address, 0);
	/* No rechallenge configured: nothing more is scheduled. */
	assert_int_equal(auth_server_next_deadline(s), TIME_NEVER);
	/* RFC 1994 §4.1 notes: the Success may be lost; the repeated
	 * Response gets the same reply, even with another answer. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch1, "bob", "wrong"), T0 + 3003);
	assert_int_equal(c.n, 4);
	assert_memory_equal(c.p[3].b, c.p[2].b, c.p[2].len);
	assert_int_equal(c.done_n, 1);
	auth_server_free(s);
	users_free(db);
}

static void
test_chap_server_failure(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	struct challenge ch;
	uint8_t b[AUTH_PKT_MAX], code, id;
	char msg[256];

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 0);
	parse_challenge(&c.p[0], &ch);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch, "bob", "Builder"), T0 + 1);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_FAILURE);
	assert_int_equal(id, ch.id);
	assert_string_equal(msg, "authentication failed");
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	/* The repeat gets Failure again (same reply Code, §4.1 notes)
	 * even if it is now right: no second guess. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch, "bob", "builder"), T0 + 2);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_FAILURE);
	assert_int_equal(c.done_n, 1);
	/* No more challenges after a failure. */
	auth_server_timeout(s, T0 + 60000);
	assert_int_equal(c.n, 3);
	auth_server_free(s);
	users_free(db);
}

static void
test_chap_server_rechallenge(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	struct challenge ch0, ch1, ch2;
	uint8_t b[AUTH_PKT_MAX], code, id;
	char msg[256];
	uint64_t t;

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 60000);
	parse_challenge(&c.p[0], &ch0);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch0, "alice", "wonderland"), T0 + 5);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	/* RFC 1994 §2.3: a new Challenge later. */
	t = auth_server_next_deadline(s);
	assert_int_equal(t, T0 + 5 + 60000);
	auth_server_timeout(s, t - 1);
	assert_int_equal(c.n, 2);
	auth_server_timeout(s, t);
	assert_int_equal(c.n, 3);
	parse_challenge(&c.p[2], &ch1);
	assert_int_not_equal(ch1.id, ch0.id);
	assert_memory_not_equal(ch1.value, ch0.value, 16);
	/* A late repeat of the first Response is now stale. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch0, "alice", "wonderland"), t + 1);
	assert_int_equal(c.n, 3);
	/* Passing it: Success, but no second verdict for the link. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch1, "alice", "wonderland"), t + 2);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_SUCCESS);
	assert_int_equal(id, ch1.id);
	assert_int_equal(c.done_n, 1);
	/* The next one fails: done(false) after the earlier success. */
	t = auth_server_next_deadline(s);
	assert_int_equal(t, T0 + 5 + 60000 + 2 + 60000);
	auth_server_timeout(s, t);
	parse_challenge(last(&c), &ch2);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch2, "alice", "guess"), t + 1);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_FAILURE);
	assert_int_equal(c.done_n, 2);
	assert_false(c.ok);
	assert_int_equal(auth_server_next_deadline(s), TIME_NEVER);
	auth_server_free(s);

	/* An unanswered rechallenge also ends it, after max_tries. */
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 60000);
	parse_challenge(&c.p[0], &ch0);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch0, "alice", "wonderland"), T0);
	assert_int_equal(c.done_n, 1);
	t = T0 + 60000;
	for (int i = 0; i < 4; i++, t += 3000)
		auth_server_timeout(s, t);
	assert_int_equal(c.n, 2 + 4);
	assert_int_equal(c.done_n, 1);
	auth_server_timeout(s, t);
	assert_int_equal(c.done_n, 2);
	assert_false(c.ok);
	auth_server_free(s);
	users_free(db);
}

/* ================= authenticator: MS-CHAPv2 ================= */

static void
test_mschapv2_server(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	struct challenge ch;
	uint8_t b[AUTH_PKT_MAX], code, id, v[49];
	char msg[256], want[128], sresp[43];
	size_t len;

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_MSCHAPV2, &be, &c, 60000);
	parse_challenge(&c.p[0], &ch);
	/* RFC 2759 §3: a 16-octet Challenge. */
	assert_int_equal(ch.value_len, 16);
	len = ms_resp(b, &ch, "User", "clientPass");
	auth_server_input(s, PPP_PROTO_CHAP, b, len, T0 + 1);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_SUCCESS);
	assert_int_equal(id, ch.id);
	/* RFC 2759 §5: "S=<auth_string> M=<message>". */
	memcpy(v, b + 5, 49);
	mschapv2_authenticator_response((const uint8_t *)"clientPass", 10,
	    v + 24, v, ch.value, "User", sresp);
	snprintf(want, sizeof(want), "%s M=Welcome", sresp);
	assert_string_equal(msg, want);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	/* rechallenge_ms is CHAP-MD5's (RFC 1994 §2.3); not for v2. */
	assert_int_equal(auth_server_next_deadline(s), TIME_NEVER);
	auth_server_free(s);

	/* RFC 2759 §6: "E=691 R=0 C=<32 hex> V=3 M=<msg>". */
	s = server(PPP_AUTH_MSCHAPV2, &be, &c, 0);
	parse_challenge(&c.p[0], &ch);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    ms_resp(b, &ch, "User", "serverPass"), T0 + 1);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_FAILURE);
	assert_int_equal(strncmp(msg, "E=691 R=0 C=", 12), 0);
	for (int i = 12; i < 44; i++)
		assert_non_null(strchr("0123456789ABCDEF", msg[i]));
	assert_string_equal(msg + 44, " V=3 M=authentication failed");
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	auth_server_free(s);

	/* RFC 2759 §4: value size 49 and Flags zero, else discarded. */
	s = server(PPP_AUTH_MSCHAPV2, &be, &c, 0);
	parse_challenge(&c.p[0], &ch);
	len = ms_resp(b, &ch, "User", "clientPass");
	b[4 + 49] = 1; /* Flags */
	auth_server_input(s, PPP_PROTO_CHAP, b, len, T0 + 1);
	assert_int_equal(c.n, 1);
	b[4 + 49] = 0;
	memcpy(v, b + 5, 48);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    chap_build_value(b, sizeof(b), CHAP_RESPONSE, ch.id, v, 48, "User"),
	    T0 + 2);
	/* A CHAP-MD5-sized answer is no MS-CHAPv2 answer either. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch, "User", "clientPass"), T0 + 3);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.done_n, 0);
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    ms_resp(b, &ch, "User", "clientPass"), T0 + 4);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	auth_server_free(s);
	users_free(db);
}

/* ================= the backend contract ================= */

static void
test_async_backend(void **state)
{
	struct users_db *db = users();
	struct abe a;
	struct auth_backend be = { abe_verify, abe_cancel, &a };
	struct cap c;
	struct auth_server *s;
	struct challenge ch;
	uint8_t b[AUTH_PKT_MAX], code, id;
	char msg[256];
	size_t len;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.db = db;
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 0);
	parse_challenge(&c.p[0], &ch);
	len = md5_resp(b, &ch, "alice", "wonderland");
	auth_server_input(s, PPP_PROTO_CHAP, b, len, T0 + 1);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.req.method, PPP_AUTH_CHAP_MD5);
	assert_string_equal(a.req.user, "alice");
	assert_int_equal(a.req.id, ch.id);
	assert_int_equal(a.req.challenge_len, 16);
	assert_memory_equal(a.req.challenge, ch.value, 16);
	assert_int_equal(a.req.response_len, 16);
	assert_int_equal(c.n, 1);
	/* While the backend thinks: repeats are not re-verified, and the
	 * restart timer does not send a new Challenge under it. */
	auth_server_input(s, PPP_PROTO_CHAP, b, len, T0 + 2);
	assert_int_equal(a.calls, 1);
	auth_server_timeout(s, T0 + 10000);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.done_n, 0);
	abe_answer(&a);
	reply(last(&c), &code, &id, msg, sizeof(msg));
	assert_int_equal(code, CHAP_SUCCESS);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	assert_int_equal(c.res.framed_address, 0x0a09000a);
	/* Answered: nothing to cancel. */
	auth_server_free(s);
	assert_int_equal(a.cancelled, 0);

	/* The link goes away while the backend thinks: cancel, and done
	 * is never called. */
	memset(&a, 0, sizeof(a));
	a.db = db;
	s = server(PPP_AUTH_PAP, &be, &c, 0);
	auth_server_input(s, PPP_PROTO_PAP, b, pap_req(b, 1, "alice", "x"), T0);
	assert_int_equal(a.calls, 1);
	assert_string_equal(a.req.user, "alice");
	assert_int_equal(a.req.password_len, 1);
	auth_server_free(s);
	assert_int_equal(a.cancelled, 77);
	assert_int_equal(c.done_n, 0);
	users_free(db);
}

/* The link may free the exchange inside done, even when the backend
 * answered inside verify (ASan checks there is no use after free). */
static void
test_free_inside_done(void **state)
{
	struct users_db *db = users();
	struct auth_backend be;
	struct abe a;
	struct auth_backend abe_be = { abe_verify, abe_cancel, &a };
	struct cap c;
	struct auth_server *s;
	struct challenge ch;
	uint8_t b[AUTH_PKT_MAX];

	(void)state;
	auth_users_backend(&be, db);
	for (int ok = 0; ok < 2; ok++) {
		s = server(PPP_AUTH_MSCHAPV2, &be, &c, 0);
		c.free_srv_in_done = &s;
		parse_challenge(&c.p[0], &ch);
		auth_server_input(s, PPP_PROTO_CHAP, b,
		    ms_resp(b, &ch, "User", ok ? "clientPass" : "no"), T0);
		assert_null(s);
		assert_int_equal(c.done_n, 1);
		assert_int_equal(c.ok, ok);
	}
	s = server(PPP_AUTH_PAP, &be, &c, 0);
	c.free_srv_in_done = &s;
	auth_server_timeout(s, T0 + 30000);
	assert_null(s);
	/* Asynchronous answer. */
	memset(&a, 0, sizeof(a));
	a.db = db;
	s = server(PPP_AUTH_PAP, &abe_be, &c, 0);
	c.free_srv_in_done = &s;
	auth_server_input(s, PPP_PROTO_PAP, b, pap_req(b, 1, "bob", "builder"),
	    T0);
	abe_answer(&a);
	assert_null(s);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	assert_int_equal(a.cancelled, 0);
	users_free(db);
}

/* ================= malformed packets ================= */

struct bad {
	const char *what;
	uint16_t proto;
	uint8_t b[24];
	size_t len;
};

static void
test_server_malformed(void **state)
{
	/* Identifier 0x42 is patched to the current challenge id. */
	static const struct bad chap[] = {
		{ "empty", PPP_PROTO_CHAP, { 0 }, 0 },
		{ "3 octets", PPP_PROTO_CHAP, { 2, 0x42, 0 }, 3 },
		{ "Length > packet", PPP_PROTO_CHAP, { 2, 0x42, 0, 30, 16 },
		    5 },
		{ "Length < 4", PPP_PROTO_CHAP, { 2, 0x42, 0, 3, 1 }, 5 },
		{ "no Value-Size", PPP_PROTO_CHAP, { 2, 0x42, 0, 4 }, 4 },
		{ "Value-Size 0", PPP_PROTO_CHAP, { 2, 0x42, 0, 6, 0, 'a' },
		    6 },
		{ "Value-Size past Length", PPP_PROTO_CHAP,
		    { 2, 0x42, 0, 8, 16, 1, 2, 3 }, 8 },
		{ "Value cut by Length", PPP_PROTO_CHAP,
		    { 2, 0x42, 0, 8, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
			13, 14, 15, 16, 'a' },
		    22 },
		{ "zero-length Name", PPP_PROTO_CHAP,
		    { 2, 0x42, 0, 21, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
			13, 14, 15, 16 },
		    21 },
		{ "NUL in Name", PPP_PROTO_CHAP,
		    { 2, 0x42, 0, 23, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
			13, 14, 15, 16, 'a', 0 },
		    23 },
		{ "Value-Size 15", PPP_PROTO_CHAP,
		    { 2, 0x42, 0, 21, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
			13, 14, 15, 'a' },
		    21 },
		{ "Challenge to the authenticator", PPP_PROTO_CHAP,
		    { 1, 0x42, 0, 7, 1, 9, 'a' }, 7 },
		{ "Success to the authenticator", PPP_PROTO_CHAP,
		    { 3, 0x42, 0, 4 }, 4 },
		{ "PAP to a CHAP authenticator", PPP_PROTO_PAP,
		    { 1, 0x42, 0, 8, 1, 'a', 1, 'b' }, 8 },
	};
	static const struct bad pap[] = {
		{ "empty", PPP_PROTO_PAP, { 0 }, 0 },
		{ "Length > packet", PPP_PROTO_PAP,
		    { 1, 1, 0, 9, 1, 'a', 1, 'b' }, 8 },
		{ "no Peer-ID Length", PPP_PROTO_PAP, { 1, 1, 0, 4 }, 4 },
		{ "Peer-ID past Length", PPP_PROTO_PAP,
		    { 1, 1, 0, 8, 9, 'a', 1, 'b' }, 8 },
		{ "no Passwd-Length", PPP_PROTO_PAP, { 1, 1, 0, 6, 1, 'a' },
		    6 },
		{ "Password past Length", PPP_PROTO_PAP,
		    { 1, 1, 0, 8, 1, 'a', 2, 'b' }, 8 },
		{ "Password cut by Length", PPP_PROTO_PAP,
		    { 1, 1, 0, 8, 1, 'a', 2, 'b', 'c' }, 9 },
		{ "zero-length Peer-ID", PPP_PROTO_PAP,
		    { 1, 1, 0, 7, 0, 1, 'b' }, 7 },
		{ "Ack to the authenticator", PPP_PROTO_PAP, { 2, 1, 0, 5, 0 },
		    5 },
		{ "CHAP to a PAP authenticator", PPP_PROTO_CHAP,
		    { 1, 1, 0, 8, 1, 'a', 1, 'b' }, 8 },
	};
	struct users_db *db = users();
	struct auth_backend be;
	struct cap c;
	struct auth_server *s;
	struct challenge ch;
	uint8_t b[AUTH_PKT_MAX];

	(void)state;
	auth_users_backend(&be, db);
	s = server(PPP_AUTH_CHAP_MD5, &be, &c, 0);
	parse_challenge(&c.p[0], &ch);
	for (size_t i = 0; i < ARRAY_LEN(chap); i++) {
		uint8_t p[24];

		memcpy(p, chap[i].b, sizeof(p));
		if (chap[i].len > 1)
			p[1] = ch.id;
		auth_server_input(s, chap[i].proto, p, chap[i].len, T0);
		if (c.n != 1 || c.done_n != 0)
			fail_msg("chap case \"%s\" was not discarded",
			    chap[i].what);
	}
	auth_server_input(s, PPP_PROTO_CHAP, NULL, 0, T0);
	/* Still waiting for a good Response, and takes it. */
	auth_server_input(s, PPP_PROTO_CHAP, b,
	    md5_resp(b, &ch, "bob", "builder"), T0 + 1);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	auth_server_free(s);

	s = server(PPP_AUTH_PAP, &be, &c, 0);
	for (size_t i = 0; i < ARRAY_LEN(pap); i++) {
		auth_server_input(s, pap[i].proto, pap[i].b, pap[i].len, T0);
		if (c.n != 0 || c.done_n != 0)
			fail_msg("pap case \"%s\" was not discarded",
			    pap[i].what);
	}
	/* Padding past Length is ignored (RFC 1661 §5). */
	memset(b, 0xee, sizeof(b));
	pap_req(b, 5, "bob", "builder");
	auth_server_input(s, PPP_PROTO_PAP, b, 40, T0 + 1);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	auth_server_free(s);
	users_free(db);
}

/* ================= peer side ================= */

static struct auth_client *
client(enum ppp_auth_method m, const char *user, const char *pw, struct cap *c)
{
	struct auth_client_config cfg;
	struct auth_client *cl;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.user, sizeof(cfg.user), "%s", user);
	cfg.password_len = strlen(pw);
	memcpy(cfg.password, pw, cfg.password_len);
	cfg.accept[0] = m;
	cfg.accept_count = 1;
	cfg.restart_ms = 3000;
	cfg.max_tries = 3;
	memset(c, 0, sizeof(*c));
	cl = auth_client_new(&cfg, m, &cap_ops, c, T0);
	assert_non_null(cl);
	return cl;
}

static void
test_pap_client(void **state)
{
	struct cap c;
	struct auth_client *cl;
	struct auth_hdr h;
	struct pap_request r;
	uint8_t b[AUTH_PKT_MAX];
	uint8_t id0;

	(void)state;
	cl = client(PPP_AUTH_PAP, "alice", "wonderland", &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.p[0].proto, PPP_PROTO_PAP);
	assert_int_equal(auth_hdr_parse(c.p[0].b, c.p[0].len, &h), 0);
	assert_int_equal(h.code, PAP_AUTH_REQ);
	assert_int_equal(pap_parse_request(&h, &r), 0);
	assert_int_equal(r.peer_id_len, 5);
	assert_memory_equal(r.peer_id, "alice", 5);
	assert_int_equal(r.password_len, 10);
	assert_memory_equal(r.password, "wonderland", 10);
	id0 = h.id;
	/* RFC 1334 §2.2.1: retransmitted on the restart timer, with a new
	 * Identifier each time. */
	assert_int_equal(auth_client_next_deadline(cl), T0 + 3000);
	auth_client_timeout(cl, T0 + 2999);
	assert_int_equal(c.n, 1);
	auth_client_timeout(cl, T0 + 3000);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.p[1].b[1], (uint8_t)(id0 + 1));
	/* A stray id is ignored; an Ack to the first Request counts. */
	auth_client_input(cl, PPP_PROTO_PAP, b,
	    pap_build_reply(b, sizeof(b), PAP_AUTH_ACK, (uint8_t)(id0 + 7), ""),
	    T0 + 3001);
	assert_int_equal(c.done_n, 0);
	auth_client_input(cl, PPP_PROTO_PAP, b,
	    pap_build_reply(b, sizeof(b), PAP_AUTH_ACK, id0, "hi"), T0 + 3002);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	assert_true(c.res_null);
	assert_int_equal(auth_client_next_deadline(cl), TIME_NEVER);
	/* Repeated Acks are no news. */
	auth_client_input(cl, PPP_PROTO_PAP, b,
	    pap_build_reply(b, sizeof(b), PAP_AUTH_ACK, id0, "hi"), T0 + 3003);
	assert_int_equal(c.done_n, 1);
	auth_client_free(cl);

	/* Nak => failure. */
	cl = client(PPP_AUTH_PAP, "alice", "x", &c);
	auth_client_input(cl, PPP_PROTO_PAP, b,
	    pap_build_reply(b, sizeof(b), PAP_AUTH_NAK, c.p[0].b[1],
		"authentication failed"),
	    T0 + 1);
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	auth_client_free(cl);

	/* max_tries Requests unanswered => failure. */
	cl = client(PPP_AUTH_PAP, "alice", "x", &c);
	auth_client_timeout(cl, T0 + 3000);
	auth_client_timeout(cl, T0 + 6000);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.done_n, 0);
	auth_client_timeout(cl, T0 + 9000);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	auth_client_free(cl);
}

static size_t
challenge_pkt(uint8_t *b, uint8_t id, const uint8_t *v, size_t vlen)
{
	return chap_build_value(b, AUTH_PKT_MAX, CHAP_CHALLENGE, id, v, vlen,
	    "lns.example");
}

static void
test_chap_md5_client(void **state)
{
	static const uint8_t v1[16] = "challenge-one...";
	static const uint8_t v2[8] = "second..";
	struct cap c;
	struct auth_client *cl;
	struct auth_hdr h;
	struct chap_value v;
	uint8_t b[AUTH_PKT_MAX], want[16];

	(void)state;
	cl = client(PPP_AUTH_CHAP_MD5, "bob", "builder", &c);
	/* The authenticator speaks first. */
	assert_int_equal(c.n, 0);
	auth_client_input(cl, PPP_PROTO_CHAP, b, challenge_pkt(b, 7, v1, 16),
	    T0);
	assert_int_equal(c.n, 1);
	assert_int_equal(auth_hdr_parse(c.p[0].b, c.p[0].len, &h), 0);
	assert_int_equal(h.code, CHAP_RESPONSE);
	assert_int_equal(h.id, 7);
	assert_int_equal(chap_parse_value(&h, &v), 0);
	assert_int_equal(v.value_len, 16);
	chap_md5_response(7, (const uint8_t *)"builder", 7, v1, 16, want);
	assert_memory_equal(v.value, want, 16);
	assert_int_equal(v.name_len, 3);
	assert_memory_equal(v.name, "bob", 3);
	/* A Success for another id is not ours. */
	auth_client_input(cl, PPP_PROTO_CHAP, b,
	    chap_build_status(b, sizeof(b), CHAP_SUCCESS, 8, ""), T0 + 1);
	assert_int_equal(c.done_n, 0);
	auth_client_input(cl, PPP_PROTO_CHAP, b,
	    chap_build_status(b, sizeof(b), CHAP_SUCCESS, 7, "ok"), T0 + 2);
	assert_int_equal(c.done_n, 1);
	assert_true(c.ok);
	/* RFC 1994 §2.3/§4.1: any number of rechallenges, each answered;
	 * a passed one is not news, a failed one is. */
	auth_client_input(cl, PPP_PROTO_CHAP, b, challenge_pkt(b, 8, v2, 8),
	    T0 + 60000);
	assert_int_equal(c.n, 2);
	assert_int_equal(auth_hdr_parse(c.p[1].b, c.p[1].len, &h), 0);
	assert_int_equal(chap_parse_value(&h, &v), 0);
	chap_md5_response(8, (const uint8_t *)"builder", 7, v2, 8, want);
	assert_memory_equal(v.value, want, 16);
	auth_client_input(cl, PPP_PROTO_CHAP, b,
	    chap_build_status(b, sizeof(b), CHAP_SUCCESS, 8, ""), T0 + 60001);
	assert_int_equal(c.done_n, 1);
	auth_client_input(cl, PPP_PROTO_CHAP, b, challenge_pkt(b, 9, v1, 16),
	    T0 + 120000);
	assert_int_equal(c.n, 3);
	auth_client_input(cl, PPP_PROTO_CHAP, b,
	    chap_build_status(b, sizeof(b), CHAP_FAILURE, 9, "no"),
	    T0 + 120001);
	assert_int_equal(c.done_n, 2);
	assert_false(c.ok);
	auth_client_free(cl);

	/* An authenticator that never challenges: give up in the end. */
	cl = client(PPP_AUTH_CHAP_MD5, "bob", "builder", &c);
	assert_int_equal(auth_client_next_deadline(cl), T0 + 9000);
	auth_client_timeout(cl, T0 + 9000);
	assert_int_equal(c.done_n, 1);
	assert_false(c.ok);
	auth_client_free(cl);
}

static void
test_mschapv2_client(void **state)
{
	static const uint8_t ac[16] = "authchallenge16.";
	static const struct {
		const char *what;
		int code;
		int tamper;	 /* flip a digit of S= */
		const char *msg; /* NULL: the right S= */
		bool ok;
	} cases[] = {
		{ "right S=", CHAP_SUCCESS, 0, NULL, true },
		{ "wrong S=", CHAP_SUCCESS, 1, NULL, false },
		{ "no S=", CHAP_SUCCESS, 0, "M=Welcome", false },
		{ "Failure", CHAP_FAILURE, 0,
		    "E=691 R=0 C=00000000000000000000000000000000 V=3 M=no",
		    false },
	};
	uint8_t b[AUTH_PKT_MAX];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cap c;
		struct auth_client *cl = client(PPP_AUTH_MSCHAPV2, "CORP\\User",
		    "clientPass", &c);
		struct auth_hdr h;
		struct chap_value v;
		uint8_t nt[24];
		char s[43], msg[64];

		/* RFC 2759 §3: a Challenge of another size is not one. */
		auth_client_input(cl, PPP_PROTO_CHAP, b,
		    challenge_pkt(b, 1, ac, 8), T0);
		assert_int_equal(c.n, 0);
		auth_client_input(cl, PPP_PROTO_CHAP, b,
		    challenge_pkt(b, 2, ac, 16), T0);
		assert_int_equal(c.n, 1);
		assert_int_equal(auth_hdr_parse(c.p[0].b, c.p[0].len, &h), 0);
		assert_int_equal(h.code, CHAP_RESPONSE);
		assert_int_equal(h.id, 2);
		assert_int_equal(chap_parse_value(&h, &v), 0);
		/* RFC 2759 §4: 49 octets, Reserved and Flags zero. */
		assert_int_equal(v.value_len, 49);
		for (int k = 16; k < 24; k++)
			assert_int_equal(v.value[k], 0);
		assert_int_equal(v.value[48], 0);
		assert_int_equal(v.name_len, 9);
		assert_memory_equal(v.name, "CORP\\User", 9);
		mschapv2_nt_response(ac, v.value, "User",
		    (const uint8_t *)"clientPass", 10, nt);
		assert_memory_equal(v.value + 24, nt, 24);
		mschapv2_authenticator_response((const uint8_t *)"clientPass",
		    10, nt, v.value, ac, "User", s);
		if (cases[i].msg != NULL)
			snprintf(msg, sizeof(msg), "%s", cases[i].msg);
		else
			snprintf(msg, sizeof(msg), "%s M=Welcome", s);
		if (cases[i].tamper)
			msg[10] = msg[10] == '0' ? '1' : '0';
		auth_client_input(cl, PPP_PROTO_CHAP, b,
		    chap_build_status(b, sizeof(b), (uint8_t)cases[i].code, 2,
			msg),
		    T0 + 1);
		if (c.done_n != 1 || c.ok != cases[i].ok)
			fail_msg("case %s: done %d ok %d", cases[i].what,
			    c.done_n, c.ok);
		auth_client_free(cl);
	}
}

static void
test_client_malformed(void **state)
{
	static const struct bad cases[] = {
		{ "empty", PPP_PROTO_CHAP, { 0 }, 0 },
		{ "Length > packet", PPP_PROTO_CHAP, { 1, 1, 0, 30, 1, 9 }, 6 },
		{ "Length < 4", PPP_PROTO_CHAP, { 1, 1, 0, 2, 1, 9 }, 6 },
		{ "Value-Size 0", PPP_PROTO_CHAP, { 1, 1, 0, 6, 0, 'a' }, 6 },
		{ "Value past Length", PPP_PROTO_CHAP,
		    { 1, 1, 0, 6, 4, 1, 2, 3 }, 8 },
		{ "PAP to a CHAP peer", PPP_PROTO_PAP, { 2, 1, 0, 5, 0 }, 5 },
		{ "Response to the peer", PPP_PROTO_CHAP, { 2, 1, 0, 6, 1, 9 },
		    6 },
	};
	struct cap c;
	struct auth_client *cl;
	uint8_t b[AUTH_PKT_MAX];

	(void)state;
	cl = client(PPP_AUTH_CHAP_MD5, "bob", "builder", &c);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		auth_client_input(cl, cases[i].proto, cases[i].b, cases[i].len,
		    T0);
		if (c.n != 0 || c.done_n != 0)
			fail_msg("case \"%s\" was not discarded",
			    cases[i].what);
	}
	auth_client_free(cl);

	/* PAP: a Msg-Length past Length is no Ack. */
	cl = client(PPP_AUTH_PAP, "bob", "builder", &c);
	b[0] = PAP_AUTH_ACK;
	b[1] = c.p[0].b[1];
	b[2] = 0;
	b[3] = 6;
	b[4] = 5;
	b[5] = 'x';
	auth_client_input(cl, PPP_PROTO_PAP, b, 6, T0);
	assert_int_equal(c.done_n, 0);
	auth_client_free(cl);
}

/* ================= both sides back to back ================= */

struct wire {
	struct auth_server *s;
	struct auth_client *cl;
	struct cap sc, cc;
};

static void
pump(struct wire *w, uint64_t now)
{
	int si = 0, ci = 0;

	while (si < w->sc.n || ci < w->cc.n) {
		for (; si < w->sc.n; si++)
			auth_client_input(w->cl, w->sc.p[si].proto,
			    w->sc.p[si].b, w->sc.p[si].len, now);
		for (; ci < w->cc.n; ci++)
			auth_server_input(w->s, w->cc.p[ci].proto,
			    w->cc.p[ci].b, w->cc.p[ci].len, now);
	}
}

static void
test_back_to_back(void **state)
{
	static const struct {
		enum ppp_auth_method m;
		const char *user, *pw;
		bool ok;
	} cases[] = {
		{ PPP_AUTH_PAP, "alice", "wonderland", true },
		{ PPP_AUTH_PAP, "alice", "wonderlan", false },
		{ PPP_AUTH_CHAP_MD5, "alice", "wonderland", true },
		{ PPP_AUTH_CHAP_MD5, "alice", "Wonderland", false },
		{ PPP_AUTH_CHAP_MD5, "mallory", "wonderland", false },
		{ PPP_AUTH_MSCHAPV2, "User", "clientPass", true },
		{ PPP_AUTH_MSCHAPV2, "alice", "wonderland", true },
		{ PPP_AUTH_MSCHAPV2, "alice", "clientPass", false },
	};
	struct users_db *db = users();
	struct auth_backend be;

	(void)state;
	auth_users_backend(&be, db);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct wire w;
		struct auth_server_config cfg;
		struct auth_client_config ccfg;

		memset(&w, 0, sizeof(w));
		memset(&cfg, 0, sizeof(cfg));
		cfg.method = cases[i].m;
		strcpy(cfg.our_name, "lns");
		memset(&ccfg, 0, sizeof(ccfg));
		strcpy(ccfg.user, cases[i].user);
		ccfg.password_len = strlen(cases[i].pw);
		memcpy(ccfg.password, cases[i].pw, ccfg.password_len);
		/* Client first: a PAP Request must wait in the capture. */
		w.cl = auth_client_new(&ccfg, cases[i].m, &cap_ops, &w.cc, T0);
		w.s = auth_server_new(&cfg, &be, &cap_ops, &w.sc, T0);
		pump(&w, T0);
		if (w.sc.done_n != 1 || w.sc.ok != cases[i].ok ||
		    w.cc.done_n != 1 || w.cc.ok != cases[i].ok)
			fail_msg("case %zu (%s %s): server %d/%d client %d/%d",
			    i, ppp_auth_method_str(cases[i].m), cases[i].user,
			    w.sc.done_n, w.sc.ok, w.cc.done_n, w.cc.ok);
		assert_string_equal(w.sc.user, cases[i].user);
		auth_server_free(w.s);
		auth_client_free(w.cl);
	}
	users_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_method_str),
		cmocka_unit_test(test_chap_md5_vector),
		cmocka_unit_test(test_pap_server_ack_and_repeat),
		cmocka_unit_test(test_pap_server_nak),
		cmocka_unit_test(test_pap_server_timeout),
		cmocka_unit_test(test_chap_server_challenge_retransmit),
		cmocka_unit_test(test_chap_server_success_stale_repeat),
		cmocka_unit_test(test_chap_server_failure),
		cmocka_unit_test(test_chap_server_rechallenge),
		cmocka_unit_test(test_mschapv2_server),
		cmocka_unit_test(test_async_backend),
		cmocka_unit_test(test_free_inside_done),
		cmocka_unit_test(test_server_malformed),
		cmocka_unit_test(test_pap_client),
		cmocka_unit_test(test_chap_md5_client),
		cmocka_unit_test(test_mschapv2_client),
		cmocka_unit_test(test_client_malformed),
		cmocka_unit_test(test_back_to_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
