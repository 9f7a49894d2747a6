/*
 * fuzz_ppp_auth.c — PAP (RFC 1334), CHAP-MD5 (RFC 1994) and MS-CHAPv2
 * (RFC 2759) exchanges, both sides, on hostile packets (auth.c, pap.c,
 * chap_md5.c, mschapv2.c) with the real users-file backend behind the
 * server, optionally made asynchronous.
 *
 * Input: byte 0: method = 1 + b % 3 (PAP, CHAP-MD5, MS-CHAPv2), bit 2
 * server (0) or client (1), bit 3 asynchronous backend (answers at the
 * next clock tick).  Then records:
 *   op % 2 == 0: a packet: length byte, then bytes; protocol is the
 *                method's, or the other one when op bit 1 is set;
 *            1: advance the clock by (next byte) * 100 ms and time out
 *               (delivering any pending asynchronous answer first).
 * Invariants: done() is called at most once per exchange... except CHAP
 * re-challenges; the result carries a user name; packets sent are
 * well-formed.  All memory freed (LSan).
 */
#include <stdbool.h>
#include <string.h>

#include "config/users.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "fuzz.h"
#include "ppp/auth.h"
#include "ppp/ppp_proto.h"

static const char users_text[] = "alice secret\n"
				 "bob   hunter2 10.0.0.7\n"
				 "DOMAIN\\carol pass *\n";

struct fa {
	struct auth_backend users; /* the real one */
	bool async;
	/* a pending asynchronous answer */
	bool pending;
	uint64_t handle;
	struct auth_request req;
	auth_done_fn *done;
	void *done_arg;
	unsigned ndone;
};

static void
fa_send(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(proto == PPP_PROTO_PAP || proto == PPP_PROTO_CHAP);
	FUZZ_CHECK(len >= 4);
	FUZZ_CHECK(get_be16(pkt + 2) == len);
}

static void
fa_done(void *ctx, bool ok, const char *user, const struct auth_result *res)
{
	struct fa *f = ctx;

	(void)ok;
	(void)res;
	f->ndone++;
	FUZZ_CHECK(user != NULL);
}

static const struct auth_ops fa_ops = { .send = fa_send, .done = fa_done };

static uint64_t
fa_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct fa *f = ctx;

	FUZZ_CHECK(req->password_len <= sizeof(req->password));
	FUZZ_CHECK(req->challenge_len <= sizeof(req->challenge));
	FUZZ_CHECK(req->response_len <= sizeof(req->response));
	FUZZ_CHECK(memchr(req->user, '\0', sizeof(req->user)) != NULL);
	if (!f->async)
		return f->users.verify(f->users.ctx, req, done, arg);
	/* One verification at a time per exchange: a second one while the
	 * first is pending means the exchange forgot to cancel. */
	FUZZ_CHECK(!f->pending);
	f->pending = true;
	f->req = *req;
	f->done = done;
	f->done_arg = arg;
	return ++f->handle;
}

static void
fa_cancel(void *ctx, uint64_t handle)
{
	struct fa *f = ctx;

	if (f->pending && handle == f->handle)
		f->pending = false;
}

static void
fa_answer(struct fa *f)
{
	if (!f->pending)
		return;
	f->pending = false;
	/* The real backend's verdict, delivered late. */
	(void)f->users.verify(f->users.ctx, &f->req, f->done, f->done_arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct users_db *db;
	struct auth_backend be;
	struct auth_server_config sc;
	struct auth_client_config cc;
	struct auth_server *s = NULL;
	struct auth_client *c = NULL;
	enum ppp_auth_method m;
	struct fa f;
	uint16_t proto, other;
	uint64_t now = 1000;
	size_t off, n;
	char err[256];

	fuzz_quiet();
	if (db == NULL) {
		db = users_parse("users", users_text, sizeof(users_text) - 1,
		    err, sizeof(err));
		FUZZ_CHECK(db != NULL);
	}
	if (size < 1)
		return 0;
	memset(&f, 0, sizeof(f));
	auth_users_backend(&f.users, db);
	f.async = (data[0] & 8) != 0;
	be.verify = fa_verify;
	be.cancel = fa_cancel;
	be.ctx = &f;
	m = (enum ppp_auth_method)(1 + data[0] % 3);
	proto = m == PPP_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_CHAP;
	other = m == PPP_AUTH_PAP ? PPP_PROTO_CHAP : PPP_PROTO_PAP;

	if ((data[0] & 4) == 0) {
		memset(&sc, 0, sizeof(sc));
		sc.method = m;
		(void)snprintf(sc.our_name, sizeof(sc.our_name), "lns");
		sc.restart_ms = 3000;
		sc.max_tries = 10;
		sc.rechallenge_ms = 20000;
		sc.timeout_ms = 30000;
		s = auth_server_new(&sc, &be, &fa_ops, &f, now);
		if (s == NULL)
			return 0;
	} else {
		memset(&cc, 0, sizeof(cc));
		(void)snprintf(cc.user, sizeof(cc.user), "alice");
		memcpy(cc.password, "secret", 6);
		cc.password_len = 6;
		cc.accept[0] = m;
		cc.accept_count = 1;
		cc.restart_ms = 3000;
		cc.max_tries = 10;
		c = auth_client_new(&cc, m, &fa_ops, &f, now);
		if (c == NULL)
			return 0;
	}

	for (off = 1; off < size;) {
		uint8_t op = data[off++];

		if (op % 2 == 0) {
			uint8_t *pkt;

			n = off < size ? data[off++] : 0;
			if (n > size - off)
				n = size - off;
			pkt = malloc(n > 0 ? n : 1); /* exact, for ASan */
			FUZZ_CHECK(pkt != NULL);
			memcpy(pkt, data + off, n);
			if (s != NULL)
				auth_server_input(s, (op & 2) ? other : proto,
				    pkt, n, now);
			else
				auth_client_input(c, (op & 2) ? other : proto,
				    pkt, n, now);
			free(pkt);
			off += n;
		} else {
			now += (uint64_t)(off < size ? data[off++] : 0) * 100;
			fa_answer(&f);
			if (s != NULL && auth_server_next_deadline(s) <= now)
				auth_server_timeout(s, now);
			if (c != NULL && auth_client_next_deadline(c) <= now)
				auth_client_timeout(c, now);
		}
	}
	auth_server_free(s);
	auth_client_free(c);
	/* auth.h: after the link went away the backend must not answer. */
	FUZZ_CHECK(!f.pending || s == NULL);
	return 0;
}
