/*
 * test_l2tp_challenge.c — RFC 2661 §5.1.1 / §4.4.3 tunnel authentication.
 *
 * Known answers computed independently with Python's hashlib:
 *   python3 -c "import hashlib; print(hashlib.md5(b'\x02' + b'secret' +
 *       bytes(range(16))).hexdigest())"
 *     -> dd4186e2196f00124a9d588f02701259
 *   python3 -c "import hashlib; print(hashlib.md5(b'\x03' + b'letmein' +
 *       b'\xde\xad\xbe\xef').hexdigest())"
 *     -> deac8895fa5b9d60215424d60f5e41c8
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/challenge.h"

/* clang-format off */
static const uint8_t kat1[16] = {
	0xdd, 0x41, 0x86, 0xe2, 0x19, 0x6f, 0x00, 0x12,
	0x4a, 0x9d, 0x58, 0x8f, 0x02, 0x70, 0x12, 0x59,
};
/* clang-format on */
/* clang-format off */
static const uint8_t kat2[16] = {
	0xde, 0xac, 0x88, 0x95, 0xfa, 0x5b, 0x9d, 0x60,
	0x21, 0x54, 0x24, 0xd6, 0x0f, 0x5e, 0x41, 0xc8,
};
/* clang-format on */

static void
test_known_answers(void **state)
{
	struct l2tp_secret s1 = { (const uint8_t *)"secret", 6 };
	struct l2tp_secret s2 = { (const uint8_t *)"letmein", 7 };
	uint8_t chal1[16], out[16];
	const uint8_t chal2[4] = { 0xde, 0xad, 0xbe, 0xef };
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		chal1[i] = (uint8_t)i;
	/* SCCRP answers with ID 2 (its Message Type). */
	l2tp_challenge_response(2, &s1, chal1, sizeof(chal1), out);
	assert_memory_equal(out, kat1, 16);
	/* SCCCN with ID 3. */
	l2tp_challenge_response(3, &s2, chal2, sizeof(chal2), out);
	assert_memory_equal(out, kat2, 16);
}

static void
test_verify(void **state)
{
	struct l2tp_secret s = { (const uint8_t *)"secret", 6 };
	struct l2tp_secret bad = { (const uint8_t *)"Secret", 6 };
	uint8_t chal[16], resp[16];
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		chal[i] = (uint8_t)i;
	assert_true(l2tp_challenge_verify(2, &s, chal, 16, kat1));
	/* The Message Type is part of the hash: an SCCRP's response does
	 * not pass as an SCCCN's (§4.4.3). */
	assert_false(l2tp_challenge_verify(3, &s, chal, 16, kat1));
	assert_false(l2tp_challenge_verify(2, &bad, chal, 16, kat1));
	memcpy(resp, kat1, 16);
	for (i = 0; i < 16; i++) {
		resp[i] ^= 0x01;
		assert_false(l2tp_challenge_verify(2, &s, chal, 16, resp));
		resp[i] ^= 0x01;
	}
	chal[15] ^= 0x80;
	assert_false(l2tp_challenge_verify(2, &s, chal, 16, kat1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_verify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
