/*
 * test_ppp_mschapv2.c — the MS-CHAPv2 math of RFC 2759 §8 against the
 * RFC's own vectors (§9.2 hash example, §9.3 password hash), the Success
 * check of §5/§8.8, and the users-file backend on the same vectors.
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
#include "ppp/auth.h"
#include "ppp/auth_priv.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* RFC 2759 §9.2. */
/* clang-format off */
static const uint8_t auth_chal[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
	0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
};
/* clang-format on */
/* clang-format off */
static const uint8_t peer_chal[16] = {
	0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
	0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
};
/* clang-format on */
/* clang-format off */
static const uint8_t nt_resp[24] = {
	0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
	0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
	0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF,
};
/* clang-format on */
static const char auth_resp[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
#define PW    ((const uint8_t *)"clientPass")
#define PWLEN 10

static void
test_nt_password_hash(void **state)
{
	/* RFC 2759 §9.2 PasswordHash and §9.3 (password "MyPw"). */
	/* clang-format off */
	static const uint8_t h1[16] = {
		0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
		0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE,
	};
	/* clang-format on */
	/* clang-format off */
	static const uint8_t h2[16] = {
		0xFC, 0x15, 0x6A, 0xF7, 0xED, 0xCD, 0x6C, 0x0E,
		0xDD, 0xE3, 0x33, 0x7D, 0x42, 0x7F, 0x4E, 0xAC,
	};
	/* clang-format on */
	uint8_t out[16], out2[16];

	(void)state;
	mschapv2_nt_password_hash(PW, PWLEN, out);
	assert_memory_equal(out, h1, 16);
	mschapv2_nt_password_hash((const uint8_t *)"MyPw", 4, out);
	assert_memory_equal(out, h2, 16);
	/* UTF-8 "é" is U+00E9, the same UTF-16LE as Latin-1 0xE9. */
	mschapv2_nt_password_hash((const uint8_t *)"\xc3\xa9", 2, out);
	mschapv2_nt_password_hash((const uint8_t *)"\xe9", 1, out2);
	assert_memory_equal(out, out2, 16);
}

static void
test_nt_response_vector(void **state)
{
	uint8_t out[24];

	(void)state;
	mschapv2_nt_response(auth_chal, peer_chal, "User", PW, PWLEN, out);
	assert_memory_equal(out, nt_resp, 24);
	/* RFC 2759 §4/§8.2: a "DOMAIN\" prefix is not part of the hash. */
	mschapv2_nt_response(auth_chal, peer_chal, "BIGCO\\User", PW, PWLEN,
	    out);
	assert_memory_equal(out, nt_resp, 24);
	/* A different password or challenge changes it. */
	mschapv2_nt_response(auth_chal, peer_chal, "User",
	    (const uint8_t *)"clientPasS", PWLEN, out);
	assert_memory_not_equal(out, nt_resp, 24);
	mschapv2_nt_response(peer_chal, auth_chal, "User", PW, PWLEN, out);
	assert_memory_not_equal(out, nt_resp, 24);
}

static void
test_authenticator_response_vector(void **state)
{
	char out[43];

	(void)state;
	mschapv2_authenticator_response(PW, PWLEN, nt_resp, peer_chal,
	    auth_chal, "User", out);
	assert_string_equal(out, auth_resp);
}

static void
test_check_success(void **state)
{
	static const struct {
		const char *msg;
		bool ok;
	} cases[] = {
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56", true },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Welcome",
		    true },
		/* Same number in lower case. */
		{ "S=407a5589115fd0d6209f510fe9c04566932cda56 M=hi", true },
		/* §5: "missing or incorrect" => the peer MUST end it. */
		{ "", false },
		{ "M=Welcome", false },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA5", false },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA57", false },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56X", false },
		{ "s=407A5589115FD0D6209F510FE9C04566932CDA56", false },
		{ "S=507A5589115FD0D6209F510FE9C04566932CDA56", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		bool got = mschapv2_check_success((const uint8_t *)cases[i].msg,
		    strlen(cases[i].msg), auth_resp);

		if (got != cases[i].ok)
			fail_msg("case %zu \"%s\": got %d", i, cases[i].msg,
			    got);
	}
}

struct bres {
	int calls;
	struct auth_result res;
};

static void
bdone(void *arg, const struct auth_result *res)
{
	struct bres *b = arg;

	b->calls++;
	b->res = *res;
}

static void
run_backend(const struct users_db *db, const struct auth_request *req,
    struct bres *b)
{
	struct auth_backend be;

	memset(b, 0, sizeof(*b));
	auth_users_backend(&be, db);
	/* Synchronous: done before returning, handle 0. */
	assert_int_equal(be.verify(be.ctx, req, bdone, b), 0);
	assert_int_equal(b->calls, 1);
}

static void
test_users_backend_mschapv2(void **state)
{
	static const char text[] = "User clientPass 10.9.0.77\n"
				   "other clientPass\n";
	char err[256];
	struct users_db *db = users_parse("u", text, strlen(text), err,
	    sizeof(err));
	struct auth_request req;
	struct bres b;

	(void)state;
	assert_non_null(db);
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_MSCHAPV2;
	strcpy(req.user, "User");
	memcpy(req.challenge, auth_chal, 16);
	req.challenge_len = 16;
	memcpy(req.response, peer_chal, 16);
	memcpy(req.response + 24, nt_resp, 24);
	req.response_len = 49;
	run_backend(db, &req, &b);
	assert_true(b.res.ok);
	assert_string_equal(b.res.authenticator_response, auth_resp);
	assert_int_equal(b.res.framed_address, 0x0a09004d);

	/* "DOMAIN\User" finds "User" (and hashes without the domain). */
	strcpy(req.user, "CORP\\User");
	run_backend(db, &req, &b);
	assert_true(b.res.ok);

	/* The same proof under another user name is wrong (§8.2 hashes
	 * the name), as is one flipped bit, as is an unknown user. */
	strcpy(req.user, "other");
	run_backend(db, &req, &b);
	assert_false(b.res.ok);
	assert_string_equal(b.res.message, "authentication failed");
	assert_string_equal(b.res.authenticator_response, "");
	strcpy(req.user, "User");
	req.response[30] ^= 1;
	run_backend(db, &req, &b);
	assert_false(b.res.ok);
	req.response[30] ^= 1;
	strcpy(req.user, "nobody");
	run_backend(db, &req, &b);
	assert_false(b.res.ok);
	users_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nt_password_hash),
		cmocka_unit_test(test_nt_response_vector),
		cmocka_unit_test(test_authenticator_response_vector),
		cmocka_unit_test(test_check_success),
		cmocka_unit_test(test_users_backend_mschapv2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
