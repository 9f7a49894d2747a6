/*
 * test_realm.c — user@realm parsing, case-insensitive [realm] lookup,
 * strip-realm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "roles/realm.h"

static void
test_realm_of(void **state)
{
	static const struct {
		const char *user, *realm;
	} t[] = {
		{ "alice@corp-a.example", "corp-a.example" },
		{ "alice", NULL },
		{ "alice@", NULL },
		{ "@corp", "corp" },
		{ "a@b@corp.example", "corp.example" }, /* the last '@' */
		{ "", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *r = realm_of(t[i].user);

		if (t[i].realm == NULL)
			assert_null(r);
		else
			assert_string_equal(r, t[i].realm);
	}
}

static void
test_realm_find(void **state)
{
	struct cfg_realm realms[2];
	struct vpdn_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(realms, 0, sizeof(realms));
	strcpy(realms[0].name, "corp-a.example");
	strcpy(realms[1].name, "Corp-B.Example");
	cfg.realms = realms;
	cfg.realm_count = 2;
	assert_ptr_equal(realm_find(&cfg, "corp-a.example"), &realms[0]);
	assert_ptr_equal(realm_find(&cfg, "CORP-A.EXAMPLE"), &realms[0]);
	assert_ptr_equal(realm_find(&cfg, "corp-b.example"), &realms[1]);
	assert_null(realm_find(&cfg, "corp-c.example"));
	assert_null(realm_find(&cfg, "corp-a.example."));
	assert_null(realm_find(&cfg, "corp"));
	assert_null(realm_find(&cfg, NULL));
}

static void
test_realm_strip(void **state)
{
	char buf[16], tiny[4];

	(void)state;
	assert_string_equal(realm_strip("alice@corp", buf, sizeof(buf)),
	    "alice");
	assert_string_equal(realm_strip("alice", buf, sizeof(buf)), "alice");
	assert_string_equal(realm_strip("a@b@corp", buf, sizeof(buf)), "a@b");
	assert_string_equal(realm_strip("@corp", buf, sizeof(buf)), "");
	assert_string_equal(realm_strip("alice@corp", tiny, sizeof(tiny)),
	    "ali");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realm_of),
		cmocka_unit_test(test_realm_find),
		cmocka_unit_test(test_realm_strip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
