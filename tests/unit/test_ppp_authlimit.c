/*
 * test_ppp_authlimit.c — PPP authentication back-off with a fake clock:
 * per-user and per-peer lockouts, their expiry, success resetting the
 * count, and the bounded table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ppp/authlimit.h"

/* The fifth failure of a user locks it for the lockout; a locked attempt
 * is refused whatever the password, and is counted; afterwards the user
 * gets a fresh count. */
static void
test_user_lockout_and_expiry(void **state)
{
	struct authlimit *a = authlimit_new(0);
	uint64_t t = 1000;

	(void)state;
	authlimit_configure(a, 5, 60000);
	for (int i = 0; i < 4; i++) {
		assert_false(authlimit_locked(a, "alice", "10.0.0.1", t));
		assert_int_equal(authlimit_failure(a, "alice", NULL, t), 0);
		t += 1000;
	}
	assert_false(authlimit_locked(a, "alice", "10.0.0.1", t));
	assert_int_equal(authlimit_failure(a, "alice", NULL, t),
	    AUTHLIMIT_LOCKED_USER);
	assert_int_equal(authlimit_stats(a)->lockouts, 1);
	/* From any peer, while it lasts. */
	assert_true(authlimit_locked(a, "alice", "10.0.0.1", t + 1));
	assert_true(authlimit_locked(a, "alice", "10.0.0.2", t + 59999));
	assert_int_equal(authlimit_stats(a)->locked_attempts, 2);
	/* Another user is not affected. */
	assert_false(authlimit_locked(a, "bob", "10.0.0.2", t + 1));
	/* Over: a new count of 5. */
	t += 60000;
	assert_false(authlimit_locked(a, "alice", "10.0.0.1", t));
	for (int i = 0; i < 4; i++)
		assert_int_equal(authlimit_failure(a, "alice", NULL, t + i), 0);
	assert_int_equal(authlimit_failure(a, "alice", NULL, t + 4),
	    AUTHLIMIT_LOCKED_USER);
	assert_int_equal(authlimit_stats(a)->lockouts, 2);
	authlimit_free(a);
}

/* One peer guessing across many user names is locked out as a peer; the
 * users it tried are not. */
static void
test_peer_lockout(void **state)
{
	struct authlimit *a = authlimit_new(0);
	char user[32];
	unsigned began = 0;

	(void)state;
	authlimit_configure(a, 5, 60000);
	for (int i = 0; i < 5; i++) {
		snprintf(user, sizeof(user), "user%d", i);
		assert_false(
		    authlimit_locked(a, user, "02:00:5e:10:00:01", 100));
		began = authlimit_failure(a, user, "02:00:5e:10:00:01", 100);
	}
	assert_int_equal(began, AUTHLIMIT_LOCKED_PEER);
	assert_true(authlimit_locked(a, "carol", "02:00:5e:10:00:01", 200));
	assert_false(authlimit_locked(a, "carol", "02:00:5e:10:00:02", 200));
	assert_false(authlimit_locked(a, "user0", "02:00:5e:10:00:02", 200));
	authlimit_free(a);
}

/* A success clears the counts; failures further apart than the lockout do
 * not add up; limit 0 disables everything. */
static void
test_success_spacing_and_disable(void **state)
{
	struct authlimit *a = authlimit_new(0);

	(void)state;
	authlimit_configure(a, 3, 10000);
	authlimit_failure(a, "dave", "p", 0);
	authlimit_failure(a, "dave", "p", 1);
	authlimit_success(a, "dave", "p", 2);
	assert_int_equal(authlimit_failure(a, "dave", "p", 3), 0);
	assert_int_equal(authlimit_failure(a, "dave", "p", 4), 0);
	assert_int_equal(authlimit_failure(a, "dave", "p", 5),
	    AUTHLIMIT_LOCKED_USER | AUTHLIMIT_LOCKED_PEER);
	/* A success answered late does not lift the lockout. */
	authlimit_success(a, "dave", "p", 6);
	assert_true(authlimit_locked(a, "dave", NULL, 7));
	/* Slow guessing: 20 s apart with a 10 s lockout never locks. */
	for (uint64_t t = 100000; t < 300000; t += 20000)
		assert_int_equal(authlimit_failure(a, "erin", NULL, t), 0);
	assert_false(authlimit_locked(a, "erin", NULL, 300000));
	authlimit_configure(a, 0, 10000);
	assert_false(authlimit_locked(a, "dave", "p", 8));
	for (int i = 0; i < 10; i++)
		assert_int_equal(authlimit_failure(a, "frank", NULL, 9), 0);
	authlimit_free(a);
}

/* An attacker cycling user names cannot grow the table past its capacity,
 * and cannot push a locked-out user out of it. */
static void
test_table_bounded(void **state)
{
	struct authlimit *a = authlimit_new(16);
	char user[32];

	(void)state;
	authlimit_configure(a, 2, 60000);
	authlimit_failure(a, "victim-guessed", NULL, 0);
	assert_int_equal(authlimit_failure(a, "victim-guessed", NULL, 1),
	    AUTHLIMIT_LOCKED_USER);
	for (int i = 0; i < 10000; i++) {
		snprintf(user, sizeof(user), "u%d", i);
		authlimit_failure(a, user, NULL, 10 + (uint64_t)i);
		assert_true(authlimit_stats(a)->entries <= 16);
	}
	assert_true(authlimit_stats(a)->reused > 0);
	assert_true(authlimit_locked(a, "victim-guessed", NULL, 20000));
	authlimit_free(a);
}

/* Names longer than what is stored are still told apart by the hash. */
static void
test_long_names_distinct(void **state)
{
	struct authlimit *a = authlimit_new(0);
	char n1[200], n2[200];

	(void)state;
	memset(n1, 'x', sizeof(n1) - 1);
	n1[sizeof(n1) - 1] = '\0';
	memcpy(n2, n1, sizeof(n2));
	n2[150] = 'y';
	authlimit_configure(a, 1, 60000);
	assert_int_equal(authlimit_failure(a, n1, NULL, 0),
	    AUTHLIMIT_LOCKED_USER);
	assert_true(authlimit_locked(a, n1, NULL, 1));
	assert_false(authlimit_locked(a, n2, NULL, 1));
	authlimit_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_lockout_and_expiry),
		cmocka_unit_test(test_peer_lockout),
		cmocka_unit_test(test_success_spacing_and_disable),
		cmocka_unit_test(test_table_bounded),
		cmocka_unit_test(test_long_names_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
