/*
 * test_ctl_lns.c — `vpdnctl show lns [--json]` and the per-LNS metric
 * series, from a fake foreach_lns hook: the table's columns, the JSON
 * keys (INTERFACE.md), usage errors, and the answers without a hook or
 * without a LAC.  What the LAC puts in the view is checked in
 * test_roles_lac_select.c and tests/netns/t-lac-select.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ctl/ctl_cmds.h"
#include "ctl/metrics.h"

static bool no_lac;

static bool
fake_foreach_lns(void *arg, ctl_lns_fn *fn, void *fnarg)
{
	static const struct ctl_lns_view v[] = {
		{ "203.0.113.10:1701", "a.example", true, 42, 1767225600, 0, 0,
		    3, "did not set up a tunnel" },
		{ "203.0.113.11:1701", "a.example,RADIUS", false, 0, 0, 25, 3,
		    0, "" },
	};

	(void)arg;
	if (no_lac)
		return false;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		fn(&v[i], fnarg);
	return true;
}

static int
run(const char *line, struct ctl_reply *r, bool hook)
{
	struct ctl_ctx c;

	memset(&c, 0, sizeof(c));
	if (hook)
		c.hooks.foreach_lns = fake_foreach_lns;
	ctl_reply_init(r);
	return ctl_cmd_exec(&c, line, 1000, r);
}

static void
test_show_lns_table(void **state)
{
	struct ctl_reply r;
	const char *out;

	(void)state;
	no_lac = false;
	assert_int_equal(run("show lns", &r, true), 0);
	out = strbuf_str(&r.body);
	assert_non_null(strstr(out, "ADDRESS"));
	assert_non_null(strstr(out, "HELD-UNTIL"));
	assert_non_null(strstr(out, "held-down"));
	/* 1767225600 is 2026-01-01T00:00:00Z */
	assert_non_null(strstr(out, "2026-01-01T00:00:00Z"));
	assert_non_null(strstr(out, "a.example,RADIUS"));
	assert_non_null(strstr(out, "did not set up a tunnel"));
	ctl_reply_free(&r);
}

static void
test_show_lns_json(void **state)
{
	struct ctl_reply r;
	const char *out;

	(void)state;
	no_lac = false;
	assert_int_equal(run("show lns --json", &r, true), 0);
	out = strbuf_str(&r.body);
	assert_non_null(strstr(out,
	    "{\"lns\":[{\"address\":\"203.0.113.10:1701\","
	    "\"realms\":\"a.example\",\"state\":\"held-down\","
	    "\"held_for_s\":42,\"held_until\":1767225600,\"sessions\":0,"
	    "\"tunnels\":0,\"failures\":3,"
	    "\"last_failure\":\"did not set up a tunnel\"}"));
	assert_non_null(strstr(out,
	    "\"state\":\"up\",\"held_for_s\":0,\"held_until\":0,"
	    "\"sessions\":25,\"tunnels\":3"));
	ctl_reply_free(&r);
}

static void
test_show_lns_errors(void **state)
{
	struct ctl_reply r;

	(void)state;
	no_lac = false;
	assert_int_equal(run("show lns --yaml", &r, true), -1);
	assert_true(strncmp(r.error, "usage: ", 7) == 0);
	ctl_reply_free(&r);
	assert_int_equal(run("show lns", &r, false), -1);
	assert_string_equal(r.error, "not available: no LAC");
	ctl_reply_free(&r);
	no_lac = true;
	assert_int_equal(run("show lns --json", &r, true), -1);
	assert_string_equal(r.error, "not available: no [lac]");
	ctl_reply_free(&r);
	assert_int_equal(run("show lns", &r, true), -1);
	ctl_reply_free(&r);
}

/* A LAC (PPPoE counters present) exports one series per LNS. */
static void
test_metrics_per_lns(void **state)
{
	static const char *const want[] = {
		"# TYPE vpdn_lac_lns_sessions gauge",
		"vpdn_lac_lns_sessions{lns=\"203.0.113.11:1701\"} 25",
		"vpdn_lac_lns_tunnels{lns=\"203.0.113.11:1701\"} 3",
		"vpdn_lac_lns_held_down{lns=\"203.0.113.10:1701\"} 1",
		"vpdn_lac_lns_held_down{lns=\"203.0.113.11:1701\"} 0",
		"# TYPE vpdn_lac_lns_failures_total counter",
		"vpdn_lac_lns_failures_total{lns=\"203.0.113.10:1701\"} 3",
	};
	struct ctl_pppoe_stats pp;
	struct ctl_hooks hooks;
	struct metrics_acc a;
	struct strbuf out;

	(void)state;
	no_lac = false;
	memset(&pp, 0, sizeof(pp));
	memset(&hooks, 0, sizeof(hooks));
	hooks.foreach_lns = fake_foreach_lns;
	metrics_acc_init(&a);
	strbuf_init(&out);
	metrics_render(&a, NULL, NULL, &pp, &hooks, &out);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(strbuf_str(&out), want[i]) == NULL)
			fail_msg("missing \"%s\" in:\n%s", want[i],
			    strbuf_str(&out));
	strbuf_free(&out);
	/* no LAC (no PPPoE counters): no LNS series */
	strbuf_init(&out);
	metrics_render(&a, NULL, NULL, NULL, &hooks, &out);
	assert_null(strstr(strbuf_str(&out), "vpdn_lac_lns"));
	strbuf_free(&out);
	metrics_acc_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_lns_table),
		cmocka_unit_test(test_show_lns_json),
		cmocka_unit_test(test_show_lns_errors),
		cmocka_unit_test(test_metrics_per_lns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
