/*
 * auth.c — the authentication exchanges of auth.h, both directions, for
 * PAP (RFC 1334 §2), CHAP-MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759).
 *
 * Re-entrancy: ops->done is always the last thing an entry point does with
 * the exchange, so the link may free it from inside done.  A backend that
 * answers synchronously (inside verify) only records its result; the entry
 * point that called verify acts on it once verify has returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "ppp/auth_priv.h"
#include "ppp/ppp_proto.h"

#define AUTH_DEF_RESTART_MS 3000
#define AUTH_DEF_MAX_TRIES  10
#define AUTH_DEF_TIMEOUT_MS 30000
#define AUTH_FAIL_MSG	    "authentication failed"

const char *
ppp_auth_method_str(enum ppp_auth_method m)
{
	switch (m) {
	case PPP_AUTH_NONE:
		return "none";
	case PPP_AUTH_PAP:
		return "pap";
	case PPP_AUTH_CHAP_MD5:
		return "chap-md5";
	case PPP_AUTH_MSCHAPV2:
		return "mschap-v2";
	}
	return "unknown";
}

/* RFC 1661 §5: Code, Identifier, Length; octets past Length are padding,
 * a Length beyond the packet or below the header is malformed. */
int
auth_hdr_parse(const uint8_t *pkt, size_t len, struct auth_hdr *h)
{
	size_t plen;

	if (pkt == NULL || len < 4)
		return -1;
	plen = (size_t)pkt[2] << 8 | pkt[3];
	if (plen < 4 || plen > len)
		return -1;
	h->code = pkt[0];
	h->id = pkt[1];
	h->data = pkt + 4;
	h->len = plen - 4;
	return 0;
}

int
auth_copy_name(char *dst, size_t cap, const uint8_t *src, size_t len)
{
	if (len == 0 || len >= cap || memchr(src, '\0', len) != NULL)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

void
auth_log_str(char *dst, size_t cap, const char *src)
{
	size_t o = 0;

	if (cap == 0)
		return;
	for (; *src != '\0' && o + 5 < cap; src++) {
		unsigned char c = (unsigned char)*src;

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
		else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

static size_t
hex_encode(char *dst, const uint8_t *src, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i++) {
		dst[2 * i] = hex[src[i] >> 4];
		dst[2 * i + 1] = hex[src[i] & 0xf];
	}
	dst[2 * len] = '\0';
	return 2 * len;
}

static uint16_t
method_proto(enum ppp_auth_method m)
{
	return m == PPP_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_CHAP;
}

/* ================= authenticator (we check the peer) ================= */

enum auth_srv_state {
	AS_WAIT_REQUEST, /* PAP: no Authenticate-Request yet */
	AS_CHALLENGED,	 /* CHAP: Challenge out, no valid Response */
	AS_VERIFYING,	 /* the backend has the proof */
	AS_UP,		 /* succeeded (CHAP-MD5 may rechallenge) */
	AS_FAILED,	 /* failed; only repeats of our last reply */
};

struct auth_server {
	struct auth_server_config cfg;
	struct auth_backend backend;
	struct auth_ops ops;
	void *ctx;
	enum auth_srv_state state;
	bool authenticated; /* done(true) was reported */
	uint64_t deadline;
	uint64_t last_now; /* for async backend answers */
	unsigned tries;	   /* challenges sent this round */

	/* The proof under examination. */
	uint8_t id;
	uint8_t challenge[MSCHAPV2_CHALLENGE_LEN];
	size_t challenge_len;
	char user[AUTH_MAX_NAME];

	/* Backend call. */
	bool pending;	/* verify called, done not yet */
	bool in_verify; /* inside backend.verify() */
	bool have_result;
	uint64_t handle;
	struct auth_result result;

	/* Our last Ack/Nak/Success/Failure, for repeated requests
	 * (RFC 1334 §2.2.1, RFC 1994 §4.1 implementation notes). */
	bool have_reply;
	uint8_t reply_id;
	uint8_t reply_code;
	char reply_msg[AUTH_PKT_MAX];
	uint8_t reply[AUTH_PKT_MAX];
	size_t reply_len;
};

static void
srv_send(struct auth_server *s, const uint8_t *pkt, size_t len)
{
	if (len > 0)
		s->ops.send(s->ctx, method_proto(s->cfg.method), pkt, len);
}

/* RFC 1994 §4.1: "The Identifier field MUST be changed each time a
 * Challenge is sent" and "The Challenge Value MUST be changed each time". */
static void
srv_send_challenge(struct auth_server *s, uint64_t now)
{
	uint8_t pkt[AUTH_PKT_MAX];
	size_t len;

	s->id++;
	s->challenge_len = s->cfg.method == PPP_AUTH_MSCHAPV2 ?
	    MSCHAPV2_CHALLENGE_LEN :
	    CHAP_MD5_CHALLENGE_LEN;
	random_bytes(s->challenge, s->challenge_len);
	len = chap_build_value(pkt, sizeof(pkt), CHAP_CHALLENGE, s->id,
	    s->challenge, s->challenge_len, s->cfg.our_name);
	s->state = AS_CHALLENGED;
	s->tries++;
	s->deadline = now + s->cfg.restart_ms;
	srv_send(s, pkt, len);
}

struct auth_server *
auth_server_new(const struct auth_server_config *cfg,
    const struct auth_backend *backend, const struct auth_ops *ops, void *ctx,
    uint64_t now)
{
	struct auth_server *s;

	switch (cfg->method) {
	case PPP_AUTH_PAP:
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		break;
	case PPP_AUTH_NONE:
	default:
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->cfg = *cfg;
	s->cfg.our_name[sizeof(s->cfg.our_name) - 1] = '\0';
	if (s->cfg.restart_ms == 0)
		s->cfg.restart_ms = AUTH_DEF_RESTART_MS;
	if (s->cfg.max_tries == 0)
		s->cfg.max_tries = AUTH_DEF_MAX_TRIES;
	if (s->cfg.timeout_ms == 0)
		s->cfg.timeout_ms = AUTH_DEF_TIMEOUT_MS;
	s->backend = *backend;
	s->ops = *ops;
	s->ctx = ctx;
	s->last_now = now;
	s->deadline = TIME_NEVER;
	s->id = (uint8_t)random_u16();
	if (cfg->method == PPP_AUTH_PAP) {
		/* RFC 1334 §2: the peer speaks first; we only wait. */
		s->state = AS_WAIT_REQUEST;
		s->deadline = now + s->cfg.timeout_ms;
	} else
		srv_send_challenge(s, now);
	return s;
}

void
auth_server_free(struct auth_server *s)
{
	if (s == NULL)
		return;
	if (s->pending && s->backend.cancel != NULL)
		s->backend.cancel(s->backend.ctx, s->handle);
	explicit_bzero(s, sizeof(*s));
	free(s);
}

uint64_t
auth_server_next_deadline(const struct auth_server *s)
{
	return s->deadline;
}

/* Builds, remembers and sends our verdict on the proof. */
static void
srv_build_reply(struct auth_server *s, bool ok)
{
	const struct auth_result *res = &s->result;
	char hex[2 * MSCHAPV2_CHALLENGE_LEN + 1];
	uint8_t nc[MSCHAPV2_CHALLENGE_LEN];
	const char *fail = res->message[0] != '\0' ? res->message :
						     AUTH_FAIL_MSG;

	switch (s->cfg.method) {
	case PPP_AUTH_PAP:
		s->reply_code = ok ? PAP_AUTH_ACK : PAP_AUTH_NAK;
		snprintf(s->reply_msg, sizeof(s->reply_msg), "%s",
		    ok ? "" : fail);
		break;
	case PPP_AUTH_CHAP_MD5:
		s->reply_code = ok ? CHAP_SUCCESS : CHAP_FAILURE;
		snprintf(s->reply_msg, sizeof(s->reply_msg), "%s",
		    ok ? res->message : fail);
		break;
	case PPP_AUTH_MSCHAPV2:
		s->reply_code = ok ? CHAP_SUCCESS : CHAP_FAILURE;
		if (ok) {
			/* RFC 2759 §5: "S=<auth_string> M=<message>". */
			snprintf(s->reply_msg, sizeof(s->reply_msg),
			    "%.42s M=Welcome", res->authenticator_response);
		} else {
			/* RFC 2759 §6: E=691 ERROR_AUTHENTICATION_FAILURE,
			 * R=0 (no retry), C= a fresh challenge that MUST be
			 * present, V=3. */
			random_bytes(nc, sizeof(nc));
			hex_encode(hex, nc, sizeof(nc));
			snprintf(s->reply_msg, sizeof(s->reply_msg),
			    "E=691 R=0 C=%s V=3 M=%s", hex,
			    res->message[0] != '\0' ? res->message :
						      "Authentication failed");
		}
		break;
	case PPP_AUTH_NONE:
		break;
	}
	s->reply_id = s->id;
	if (s->cfg.method == PPP_AUTH_PAP)
		s->reply_len = pap_build_reply(s->reply, sizeof(s->reply),
		    s->reply_code, s->reply_id, s->reply_msg);
	else
		s->reply_len = chap_build_status(s->reply, sizeof(s->reply),
		    s->reply_code, s->reply_id, s->reply_msg);
	s->have_reply = true;
}

/* The backend has answered: reply to the peer, then tell the link. */
static void
srv_finish(struct auth_server *s)
{
	struct auth_result res = s->result;
	char user[AUTH_MAX_NAME], lu[4 * 64 + 8];
	bool ok = res.ok, first;

	memcpy(user, s->user, sizeof(user));
	auth_log_str(lu, sizeof(lu), user);
	if (ok && s->cfg.method == PPP_AUTH_MSCHAPV2 &&
	    strlen(res.authenticator_response) != MSCHAPV2_AUTH_RESP_LEN) {
		/* The peer MUST drop a Success without a valid S= (RFC 2759
		 * §5); a backend that gave none has not really said yes. */
		log_warnx("auth: mschap-v2: backend accepted \"%s\" without "
			  "an authenticator response; refusing",
		    lu);
		ok = res.ok = false;
		s->result.ok = false;
		snprintf(res.message, sizeof(res.message), "%s", AUTH_FAIL_MSG);
		s->result = res;
	}
	srv_build_reply(s, ok);
	if (ok) {
		s->state = AS_UP;
		first = !s->authenticated;
		s->authenticated = true;
		/* RFC 1994 §2.3 step 4: new challenges at intervals. */
		s->deadline = s->cfg.method == PPP_AUTH_CHAP_MD5 &&
			s->cfg.rechallenge_ms > 0 ?
		    s->last_now + s->cfg.rechallenge_ms :
		    TIME_NEVER;
		if (first)
			log_info("auth: %s: user \"%s\" authenticated",
			    ppp_auth_method_str(s->cfg.method), lu);
		else
			log_debug("auth: %s: user \"%s\" passed a rechallenge",
			    ppp_auth_method_str(s->cfg.method), lu);
		srv_send(s, s->reply, s->reply_len);
		if (first)
			s->ops.done(s->ctx, true, user, &res);
		return;
	}
	s->state = AS_FAILED;
	s->deadline = TIME_NEVER;
	log_info("auth: %s: user \"%s\" failed%s: %s",
	    ppp_auth_method_str(s->cfg.method), lu,
	    s->authenticated ? " a rechallenge" : "",
	    res.message[0] != '\0' ? res.message : AUTH_FAIL_MSG);
	srv_send(s, s->reply, s->reply_len);
	s->ops.done(s->ctx, false, user, &res);
}

static void
srv_backend_done(void *arg, const struct auth_result *res)
{
	struct auth_server *s = arg;

	if (!s->pending)
		return; /* a second call breaks the contract */
	s->pending = false;
	s->handle = 0;
	s->result = *res;
	s->result.message[sizeof(s->result.message) - 1] = '\0';
	s->result
	    .authenticator_response[sizeof(s->result.authenticator_response) -
		1] = '\0';
	s->result.user[sizeof(s->result.user) - 1] = '\0';
	s->have_result = true;
	if (!s->in_verify)
		srv_finish(s);
}

static void
srv_verify(struct auth_server *s, struct auth_request *req)
{
	uint64_t h;

	s->state = AS_VERIFYING;
	s->deadline = TIME_NEVER; /* the backend has its own timeout */
	s->have_result = false;
	s->pending = true;
	s->in_verify = true;
	if (s->ops.describe != NULL)
		s->ops.describe(s->ctx, req);
	h = s->backend.verify(s->backend.ctx, req, srv_backend_done, s);
	s->in_verify = false;
	explicit_bzero(req, sizeof(*req));
	if (s->have_result) {
		srv_finish(s);
		return;
	}
	s->handle = h;
}

/* RFC 1334 §2.2.1. */
static void
srv_input_pap(struct auth_server *s, const struct auth_hdr *h)
{
	struct pap_request r;
	struct auth_request req;
	uint8_t pkt[AUTH_PKT_MAX];

	if (h->code != PAP_AUTH_REQ || pap_parse_request(h, &r) < 0) {
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: pap: malformed or unexpected "
		    "packet (code %u) discarded",
		    h->code);
		return;
	}
	switch (s->state) {
	case AS_WAIT_REQUEST:
		break;
	case AS_UP:
	case AS_FAILED:
		/* RFC 1334 §2.2.1: "Because the Authenticate-Ack might be
		 * lost, the authenticator MUST allow repeated Authenticate-
		 * Request packets ... MUST return the same reply Code". */
		if (h->id == s->reply_id)
			srv_send(s, s->reply, s->reply_len);
		else
			srv_send(s, pkt,
			    pap_build_reply(pkt, sizeof(pkt), s->reply_code,
				h->id, s->reply_msg));
		return;
	case AS_VERIFYING:
	case AS_CHALLENGED:
		return; /* a repeat; the backend's answer will do */
	}
	memset(&req, 0, sizeof(req));
	if (auth_copy_name(req.user, sizeof(req.user), r.peer_id,
		r.peer_id_len) < 0 ||
	    r.password_len > sizeof(req.password)) {
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: pap: unusable Peer-ID "
		    "discarded");
		return;
	}
	req.method = PPP_AUTH_PAP;
	req.id = h->id;
	memcpy(req.password, r.password, r.password_len);
	req.password_len = r.password_len;
	s->id = h->id;
	memcpy(s->user, req.user, sizeof(s->user));
	srv_verify(s, &req);
}

/* RFC 1994 §4.1 Response (RFC 2759 §4 for the MS-CHAPv2 Value). */
static void
srv_input_chap(struct auth_server *s, const struct auth_hdr *h)
{
	struct chap_value v;
	struct auth_request req;
	size_t want;

	if (h->code != CHAP_RESPONSE) {
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: chap: code %u to the "
		    "authenticator discarded",
		    h->code);
		return;
	}
	if (s->state != AS_CHALLENGED || h->id != s->id) {
		/* RFC 1994 §4.1 implementation notes: a repeated Response
		 * for the current Identifier gets the same reply Code;
		 * anything else is silently discarded. */
		if ((s->state == AS_UP || s->state == AS_FAILED) &&
		    s->have_reply && h->id == s->reply_id)
			srv_send(s, s->reply, s->reply_len);
		return;
	}
	want = s->cfg.method == PPP_AUTH_MSCHAPV2 ? MSCHAPV2_RESPONSE_LEN :
						    CHAP_MD5_RESPONSE_LEN;
	memset(&req, 0, sizeof(req));
	if (chap_parse_value(h, &v) < 0 || v.value_len != want ||
	    (s->cfg.method == PPP_AUTH_MSCHAPV2 && v.value[48] != 0) ||
	    auth_copy_name(req.user, sizeof(req.user), v.name, v.name_len) <
		0) {
		/* RFC 2759 §4: "The Flag field ... MUST be zero". */
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: %s: malformed Response "
		    "discarded",
		    ppp_auth_method_str(s->cfg.method));
		return;
	}
	req.method = s->cfg.method;
	req.id = h->id;
	memcpy(req.challenge, s->challenge, s->challenge_len);
	req.challenge_len = s->challenge_len;
	memcpy(req.response, v.value, v.value_len);
	req.response_len = v.value_len;
	memcpy(s->user, req.user, sizeof(s->user));
	srv_verify(s, &req);
}

void
auth_server_input(struct auth_server *s, uint16_t proto, const uint8_t *pkt,
    size_t len, uint64_t now)
{
	struct auth_hdr h;

	s->last_now = now;
	if (proto != method_proto(s->cfg.method) ||
	    auth_hdr_parse(pkt, len, &h) < 0) {
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: truncated or foreign packet "
		    "(protocol 0x%04x, %zu octets) discarded",
		    proto, len);
		return;
	}
	if (s->cfg.method == PPP_AUTH_PAP)
		srv_input_pap(s, &h);
	else
		srv_input_chap(s, &h);
}

static void
srv_fail_timeout(struct auth_server *s, const char *why)
{
	struct auth_result res;
	char user[AUTH_MAX_NAME];

	memset(&res, 0, sizeof(res));
	snprintf(res.message, sizeof(res.message), "%s", why);
	s->state = AS_FAILED;
	s->deadline = TIME_NEVER;
	memcpy(user, s->user, sizeof(user));
	log_info("auth: %s: %s", ppp_auth_method_str(s->cfg.method), why);
	s->ops.done(s->ctx, false, user, &res);
}

void
auth_server_timeout(struct auth_server *s, uint64_t now)
{
	s->last_now = now;
	if (now < s->deadline)
		return;
	switch (s->state) {
	case AS_WAIT_REQUEST:
		srv_fail_timeout(s, "no Authenticate-Request from the peer");
		return;
	case AS_CHALLENGED:
		/* RFC 1994 §4.1: Challenges "MUST be sent until a valid
		 * Response packet is received, or an optional retry counter
		 * expires". */
		if (s->tries >= s->cfg.max_tries) {
			srv_fail_timeout(s, "no Response to our Challenges");
			return;
		}
		srv_send_challenge(s, now);
		return;
	case AS_UP:
		/* RFC 1994 §2.3: rechallenge at intervals. */
		s->tries = 0;
		srv_send_challenge(s, now);
		return;
	case AS_VERIFYING:
	case AS_FAILED:
		s->deadline = TIME_NEVER;
		return;
	}
}

/* ================= peer (the server checks us) ================= */

enum auth_cli_state {
	AC_WAIT, /* CHAP: no Challenge yet */
	AC_SENT, /* Request/Response out, no verdict */
	AC_UP,
	AC_FAILED,
};

struct auth_client {
	struct auth_client_config cfg;
	enum ppp_auth_method method;
	struct auth_ops ops;
	void *ctx;
	enum auth_cli_state state;
	bool authenticated;
	uint64_t deadline;
	unsigned tries;
	uint8_t first_id; /* PAP: ids first_id.. */
	uint8_t id;	  /* last id we sent/answered */
	char expected[MSCHAPV2_AUTH_RESP_LEN + 1];
};

static void
cli_send(struct auth_client *c, const uint8_t *pkt, size_t len)
{
	if (len > 0)
		c->ops.send(c->ctx, method_proto(c->method), pkt, len);
}

static void
cli_done(struct auth_client *c, bool ok)
{
	c->state = ok ? AC_UP : AC_FAILED;
	c->deadline = TIME_NEVER;
	if (ok && c->authenticated)
		return; /* a rechallenge passed; nothing new */
	c->authenticated = c->authenticated || ok;
	c->ops.done(c->ctx, ok, c->cfg.user, NULL);
}

/* RFC 1334 §2.2.1: "The Identifier field MUST be changed each time an
 * Authenticate-Request packet is issued." */
static void
cli_send_pap(struct auth_client *c, uint64_t now)
{
	uint8_t pkt[AUTH_PKT_MAX];
	size_t len;

	if (c->tries > 0)
		c->id++;
	c->tries++;
	c->deadline = now + c->cfg.restart_ms;
	len = pap_build_request(pkt, sizeof(pkt), c->id, c->cfg.user,
	    c->cfg.password, c->cfg.password_len);
	if (len == 0)
		log_warnx("auth: pap: user name or password longer than 255 "
			  "octets");
	cli_send(c, pkt, len);
	explicit_bzero(pkt, sizeof(pkt));
}

struct auth_client *
auth_client_new(const struct auth_client_config *cfg,
    enum ppp_auth_method method, const struct auth_ops *ops, void *ctx,
    uint64_t now)
{
	struct auth_client *c;

	switch (method) {
	case PPP_AUTH_PAP:
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		break;
	case PPP_AUTH_NONE:
	default:
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cfg = *cfg;
	c->cfg.user[sizeof(c->cfg.user) - 1] = '\0';
	if (c->cfg.password_len > sizeof(c->cfg.password))
		c->cfg.password_len = sizeof(c->cfg.password);
	if (c->cfg.restart_ms == 0)
		c->cfg.restart_ms = AUTH_DEF_RESTART_MS;
	if (c->cfg.max_tries == 0)
		c->cfg.max_tries = AUTH_DEF_MAX_TRIES;
	c->method = method;
	c->ops = *ops;
	c->ctx = ctx;
	if (method == PPP_AUTH_PAP) {
		c->state = AC_SENT;
		c->first_id = c->id = (uint8_t)random_u16();
		cli_send_pap(c, now);
	} else {
		/* The authenticator drives CHAP; give up if it goes quiet
		 * for as long as it would retransmit. */
		c->state = AC_WAIT;
		c->deadline = now +
		    (uint64_t)c->cfg.restart_ms * c->cfg.max_tries;
	}
	return c;
}

void
auth_client_free(struct auth_client *c)
{
	if (c == NULL)
		return;
	explicit_bzero(c, sizeof(*c));
	free(c);
}

uint64_t
auth_client_next_deadline(const struct auth_client *c)
{
	return c->deadline;
}

static void
cli_log_msg(const struct auth_client *c, const char *what, const uint8_t *msg,
    size_t len)
{
	char raw[256], safe[4 * 64 + 8];

	if (len >= sizeof(raw))
		len = sizeof(raw) - 1;
	memcpy(raw, msg, len);
	raw[len] = '\0';
	auth_log_str(safe, sizeof(safe), raw);
	log_info("auth: %s: %s from the authenticator: \"%s\"",
	    ppp_auth_method_str(c->method), what, safe);
}

static void
cli_input_pap(struct auth_client *c, const struct auth_hdr *h)
{
	const uint8_t *msg;
	size_t mlen;

	if ((h->code != PAP_AUTH_ACK && h->code != PAP_AUTH_NAK) ||
	    pap_parse_reply(h, &msg, &mlen) < 0)
		return;
	/* An answer to any of the Requests of this exchange will do: the
	 * authenticator may have answered one we have since repeated. */
	if (c->state != AC_SENT || (uint8_t)(h->id - c->first_id) >= c->tries)
		return;
	if (h->code == PAP_AUTH_NAK)
		cli_log_msg(c, "Authenticate-Nak", msg, mlen);
	cli_done(c, h->code == PAP_AUTH_ACK);
}

/* RFC 1994 §4.1: "Whenever a Challenge packet is received, the peer MUST
 * transmit a CHAP packet with the Code field set to 2 (Response)." */
static void
cli_answer_challenge(struct auth_client *c, const struct auth_hdr *h,
    uint64_t now)
{
	struct chap_value v;
	uint8_t val[MSCHAPV2_RESPONSE_LEN];
	uint8_t pkt[AUTH_PKT_MAX];
	size_t vlen;

	if (chap_parse_value(h, &v) < 0 ||
	    (c->method == PPP_AUTH_MSCHAPV2 &&
		v.value_len != MSCHAPV2_CHALLENGE_LEN)) {
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: %s: malformed Challenge "
		    "discarded",
		    ppp_auth_method_str(c->method));
		return;
	}
	if (c->method == PPP_AUTH_CHAP_MD5) {
		chap_md5_response(h->id, c->cfg.password, c->cfg.password_len,
		    v.value, v.value_len, val);
		vlen = CHAP_MD5_RESPONSE_LEN;
	} else {
		/* RFC 2759 §4: Peer-Challenge 16, Reserved 8 (zero),
		 * NT-Response 24, Flags 1 (zero). */
		memset(val, 0, sizeof(val));
		random_bytes(val, 16);
		mschapv2_nt_response(v.value, val, c->cfg.user, c->cfg.password,
		    c->cfg.password_len, val + 24);
		mschapv2_authenticator_response(c->cfg.password,
		    c->cfg.password_len, val + 24, val, v.value, c->cfg.user,
		    c->expected);
		vlen = MSCHAPV2_RESPONSE_LEN;
	}
	c->id = h->id;
	c->state = AC_SENT;
	/* A first exchange that stalls fails; a rechallenge is the
	 * authenticator's business to time out. */
	c->deadline = c->authenticated ?
	    TIME_NEVER :
	    now + (uint64_t)c->cfg.restart_ms * c->cfg.max_tries;
	cli_send(c, pkt,
	    chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, h->id, val, vlen,
		c->cfg.user));
	explicit_bzero(val, sizeof(val));
}

static void
cli_input_chap(struct auth_client *c, const struct auth_hdr *h, uint64_t now)
{
	switch (h->code) {
	case CHAP_CHALLENGE:
		if (c->state != AC_FAILED)
			cli_answer_challenge(c, h, now);
		return;
	case CHAP_SUCCESS:
		if (c->state != AC_SENT || h->id != c->id)
			return;
		/* RFC 2759 §5: "If the authenticator response is either
		 * missing or incorrect, the peer MUST end the session." */
		if (c->method == PPP_AUTH_MSCHAPV2 &&
		    !mschapv2_check_success(h->data, h->len, c->expected)) {
			log_warnx("auth: mschap-v2: the authenticator's "
				  "response is wrong: it does not know our "
				  "password");
			cli_done(c, false);
			return;
		}
		cli_done(c, true);
		return;
	case CHAP_FAILURE:
		if (c->state != AC_SENT || h->id != c->id)
			return;
		cli_log_msg(c, "Failure", h->data, h->len);
		cli_done(c, false);
		return;
	default:
		return;
	}
}

void
auth_client_input(struct auth_client *c, uint16_t proto, const uint8_t *pkt,
    size_t len, uint64_t now)
{
	struct auth_hdr h;

	if (proto != method_proto(c->method) ||
	    auth_hdr_parse(pkt, len, &h) < 0) {
		LOG_RL(LOG_LEVEL_DEBUG,
		    "auth: truncated or foreign packet "
		    "(protocol 0x%04x, %zu octets) discarded",
		    proto, len);
		return;
	}
	if (c->method == PPP_AUTH_PAP)
		cli_input_pap(c, &h);
	else
		cli_input_chap(c, &h, now);
}

void
auth_client_timeout(struct auth_client *c, uint64_t now)
{
	if (now < c->deadline)
		return;
	if (c->method == PPP_AUTH_PAP && c->state == AC_SENT &&
	    c->tries < c->cfg.max_tries) {
		cli_send_pap(c, now); /* RFC 1334 §2.2.1 retransmission */
		return;
	}
	log_info("auth: %s: no answer from the authenticator",
	    ppp_auth_method_str(c->method));
	cli_done(c, false);
}
