/*
 * auth_users.c — an auth_backend over the local users file (config/users.h):
 * plaintext passwords, so every method can be checked here, synchronously.
 */
#include <stdio.h>
#include <string.h>

#include <nettle/memops.h>

#include "config/users.h"
#include "core/log.h"
#include "ppp/auth_priv.h"

#define USERS_FAIL_MSG "authentication failed"

/*
 * "DOMAIN\user" (RFC 2759 §4) is looked up as given first, then without the
 * domain, so a users file may list Windows clients either way.
 */
static const struct user_entry *
lookup(const struct users_db *db, const char *name)
{
	const struct user_entry *e = users_lookup(db, name);
	const char *bare = mschapv2_strip_domain(name);

	if (e == NULL && bare != name)
		e = users_lookup(db, bare);
	return e;
}

static bool
check(const struct auth_request *req, const struct user_entry *e,
    struct auth_result *res)
{
	const uint8_t *pw = (const uint8_t *)e->password;
	size_t pwlen = strlen(e->password);
	uint8_t want[24];
	bool ok = false;

	switch (req->method) {
	case PPP_AUTH_PAP:
		/* Constant time over the stored length; the length itself
		 * is not secret enough to hide. */
		ok = req->password_len == pwlen &&
		    memeql_sec(req->password, pw, pwlen) != 0;
		break;
	case PPP_AUTH_CHAP_MD5:
		/* RFC 1994 §4.1: recompute MD5(id || secret || challenge). */
		if (req->response_len != 16 || req->challenge_len == 0)
			break;
		chap_md5_response(req->id, pw, pwlen, req->challenge,
		    req->challenge_len, want);
		ok = memeql_sec(want, req->response, 16) != 0;
		break;
	case PPP_AUTH_MSCHAPV2:
		/* RFC 2759 §4: Peer-Challenge 16, Reserved 8, NT-Response 24,
		 * Flags 1; §8.1 recompute, §8.7 the Success proof. */
		if (req->response_len != MSCHAPV2_RESPONSE_LEN ||
		    req->challenge_len != MSCHAPV2_CHALLENGE_LEN)
			break;
		mschapv2_nt_response(req->challenge, req->response, req->user,
		    pw, pwlen, want);
		ok = memeql_sec(want, req->response + 24, 24) != 0;
		if (ok)
			mschapv2_authenticator_response(pw, pwlen,
			    req->response + 24, req->response, req->challenge,
			    req->user, res->authenticator_response);
		break;
	case PPP_AUTH_NONE:
		break;
	}
	explicit_bzero(want, sizeof(want));
	return ok;
}

static uint64_t
users_verify_db(const struct users_db *db, const struct auth_request *req,
    auth_done_fn *done, void *arg)
{
	const struct user_entry *e = lookup(db, req->user);
	struct auth_result res;

	memset(&res, 0, sizeof(res));
	/* An unknown user gets the same answer as a wrong password. */
	if (e != NULL && check(req, e, &res)) {
		res.ok = true;
		res.framed_address = e->addr;
		/* One session, one identity: the entry that matched. */
		snprintf(res.user, sizeof(res.user), "%s", e->name);
	} else {
		res.ok = false;
		memset(res.authenticator_response, 0,
		    sizeof(res.authenticator_response));
		snprintf(res.message, sizeof(res.message), "%s",
		    USERS_FAIL_MSG);
		if (e == NULL)
			log_debug("auth: users: no such user");
	}
	done(arg, &res);
	return 0;
}

static uint64_t
users_verify(void *ctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	return users_verify_db(ctx, req, done, arg);
}

/* ctx is the owner's slot: the file in force is read at each proof. */
static uint64_t
users_verify_current(void *ctx, const struct auth_request *req,
    auth_done_fn *done, void *arg)
{
	const struct users_db *const *current = ctx;

	return users_verify_db(*current, req, done, arg);
}

static void
users_cancel(void *ctx, uint64_t handle)
{
	/* Answers are synchronous: nothing is ever outstanding. */
	(void)ctx;
	(void)handle;
}

void
auth_users_backend(struct auth_backend *b, const struct users_db *db)
{
	b->verify = users_verify;
	b->cancel = users_cancel;
	b->ctx = (void *)(uintptr_t)db;
}

void
auth_users_backend_current(struct auth_backend *b,
    struct users_db *const *current)
{
	b->verify = users_verify_current;
	b->cancel = users_cancel;
	b->ctx = (void *)(uintptr_t)current;
}
