/*
 * test_lac_realm.c — the LAC's realms across reloads: a new set is built
 * whole before it replaces the one in force, so a broken users file leaves
 * every realm as it was; a realm that a call holds outlives the reload
 * that retires it, users file included, and goes with the last call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/users.h"
#include "roles/lac_priv.h"

static char dir[] = "/tmp/test_lac_realm.XXXXXX";

/* Writes text to dir/name; its path goes to path. */
static void
write_file(char *path, size_t len, const char *name, const char *text)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
realm(struct cfg_realm *r, const char *name, const char *users)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->users, sizeof(r->users), "%s", users);
	r->lns_count = 1;
}

static void
test_realms_across_reload(void **state)
{
	char good1[300], good2[300], broken[300], err[512];
	struct cfg_realm r1[2], r2[2], r3[1];
	struct vpdn_config c1, c2, c3;
	struct lac_realm_list list;
	struct lac_realm *held;
	struct lac lac;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(good1, sizeof(good1), "good1", "alice@corp pw1 *\n");
	write_file(good2, sizeof(good2), "good2", "alice@corp pw2 *\n");
	write_file(broken, sizeof(broken), "broken", "alice@corp pw3 *\nbob\n");
	memset(&lac, 0, sizeof(lac));
	LIST_INIT(&lac.realms);
	LIST_INIT(&lac.retired);
	memset(&c1, 0, sizeof(c1));
	c2 = c3 = c1;
	realm(&r1[0], "corp", good1);
	realm(&r1[1], "other", "");
	c1.realms = r1;
	c1.realm_count = 2;
	realm(&r2[0], "corp", broken);
	realm(&r2[1], "new", "");
	c2.realms = r2;
	c2.realm_count = 2;
	realm(&r3[0], "corp", good2);
	c3.realms = r3;
	c3.realm_count = 1;

	assert_int_equal(lac_realms_build(&c1, &list, err, sizeof(err)), 0);
	lac_realms_install(&lac, &list);
	held = lac_realm_lookup(&lac, "corp");
	assert_non_null(held);
	held->refs++; /* a call in progress uses it */

	/* A broken users file: refused with FILE:LINE, nothing changes. */
	assert_int_equal(lac_realms_build(&c2, &list, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "broken:2: "));
	assert_true(LIST_EMPTY(&list));
	assert_ptr_equal(lac_realm_lookup(&lac, "corp"), held);
	assert_non_null(lac_realm_lookup(&lac, "other"));
	assert_null(lac_realm_lookup(&lac, "new"));
	assert_true(LIST_EMPTY(&lac.retired));

	/* A good one replaces the set; the call keeps its realm and file. */
	assert_int_equal(lac_realms_build(&c3, &list, err, sizeof(err)), 0);
	lac_realms_install(&lac, &list);
	assert_ptr_not_equal(lac_realm_lookup(&lac, "corp"), held);
	assert_null(lac_realm_lookup(&lac, "other"));
	assert_true(held->retired);
	assert_string_equal(users_lookup(held->users, "alice@corp")->password,
	    "pw1");
	assert_string_equal(users_lookup(lac_realm_lookup(&lac, "corp")->users,
				"alice@corp")
				->password,
	    "pw2");
	lac_realm_release(held); /* the call ends: freed (ASan) */
	assert_true(LIST_EMPTY(&lac.retired));

	lac_realms_discard(&lac.realms);
	assert_int_equal(unlink(good1) | unlink(good2) | unlink(broken), 0);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realms_across_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
