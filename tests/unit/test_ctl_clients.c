/*
 * test_ctl_clients.c — the `show clients [--json]` command of the control
 * socket: what reaches the daemon's hook (format, clock), usage errors, and
 * the answer when no hook is registered.  The rendering itself is checked
 * end to end in tests/netns/t-client-dial.sh and t-pppoe-client.sh.  Also
 * the PPPoE part of `show stats`, which only a LAC's hook supplies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ctl/ctl_cmds.h"

struct hook_calls {
	int n;
	bool json;
	uint64_t now;
};

static int
fake_show_clients(void *arg, bool json, uint64_t now, struct ctl_reply *r)
{
	struct hook_calls *h = arg;

	h->n++;
	h->json = json;
	h->now = now;
	strbuf_puts(&r->body, json ? "{\"clients\":[]}\n" : "NAME\n");
	return 0;
}

static void
test_show_clients(void **state)
{
	static const struct {
		const char *line;
		int rc;
		int calls;
		bool json;
	} cases[] = {
		{ "show clients", 0, 1, false },
		{ "show clients --json", 0, 1, true },
		{ "show clients --yaml", -1, 0, false },
		{ "show clients --json extra", -1, 0, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_ctx c;
		struct ctl_reply r;
		struct hook_calls h;

		memset(&c, 0, sizeof(c));
		memset(&h, 0, sizeof(h));
		c.hooks.arg = &h;
		c.hooks.show_clients = fake_show_clients;
		ctl_reply_init(&r);
		assert_int_equal(ctl_cmd_exec(&c, cases[i].line, 4242, &r),
		    cases[i].rc);
		assert_int_equal(h.n, cases[i].calls);
		if (cases[i].rc == 0) {
			assert_int_equal(h.json, cases[i].json);
			assert_int_equal(h.now, 4242);
			assert_string_equal(r.error, "");
		} else {
			assert_true(strncmp(r.error, "usage: ", 7) == 0);
		}
		ctl_reply_free(&r);
	}
}

static void
test_show_clients_without_hook(void **state)
{
	struct ctl_ctx c;
	struct ctl_reply r;

	(void)state;
	memset(&c, 0, sizeof(c));
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show clients", 0, &r), -1);
	assert_non_null(strstr(r.error, "not available"));
	ctl_reply_free(&r);
	/* and `help` lists it */
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "help", 0, &r), 0);
	assert_non_null(strstr(strbuf_str(&r.body), "show clients [--json]"));
	ctl_reply_free(&r);
}

static bool
fake_pppoe_stats(void *arg, struct ctl_pppoe_stats *out)
{
	(void)arg;
	memset(out, 0, sizeof(*out));
	out->sessions = 3;
	out->st.refused_mac_limit = 5;
	out->st.drops[PPPOE_SRV_DROP_BAD_COOKIE] = 7;
	return true;
}

/* `show stats` carries the LAC's PPPoE counters (expired cookies, per-MAC
 * refusals) when there is a LAC, in the table and in the JSON. */
static void
test_show_stats_pppoe(void **state)
{
	struct ctl_ctx c;
	struct ctl_reply r;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.hooks.pppoe_stats = fake_pppoe_stats;
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show stats --json", 0, &r), 0);
	assert_non_null(strstr(strbuf_str(&r.body), "\"pppoe\":{"));
	assert_non_null(strstr(strbuf_str(&r.body), "\"sessions\":3"));
	assert_non_null(strstr(strbuf_str(&r.body), "\"refused_mac_limit\":5"));
	assert_non_null(strstr(strbuf_str(&r.body), "\"bad-cookie\":7"));
	ctl_reply_free(&r);
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show stats", 0, &r), 0);
	assert_non_null(strstr(strbuf_str(&r.body), "refused_mac_limit"));
	assert_non_null(strstr(strbuf_str(&r.body), "drop bad-cookie"));
	ctl_reply_free(&r);
	/* no LAC: nothing about PPPoE */
	c.hooks.pppoe_stats = NULL;
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show stats --json", 0, &r), 0);
	assert_null(strstr(strbuf_str(&r.body), "pppoe"));
	ctl_reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_stats_pppoe),
		cmocka_unit_test(test_show_clients),
		cmocka_unit_test(test_show_clients_without_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
