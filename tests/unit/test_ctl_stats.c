/*
 * test_ctl_stats.c — the TUN counters of `show stats [--json]`: what the
 * daemon's hook reports appears under its names in the table and in JSON,
 * and zeros without a hook.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ctl/ctl_cmds.h"

static void
fake_tun_stats(void *arg, struct ctl_tun_stats *out)
{
	int *calls = arg;

	(*calls)++;
	out->kernel_tx_dropped = 101;
	out->kernel_rx_dropped = 102;
	out->write_full = 103;
	out->write_errors = 104;
	out->isolated = 105;
}

/* "NAME   VALUE" on one line of a rendered table. */
static bool
has_row(const char *body, const char *name, const char *value)
{
	char want[128];
	const char *p = body;

	while ((p = strstr(p, name)) != NULL) {
		const char *q = p + strlen(name), *eol = strchr(q, '\n');

		snprintf(want, sizeof(want), " %s", value);
		if (eol != NULL && (size_t)(eol - q) >= strlen(want) &&
		    strncmp(eol - strlen(want), want, strlen(want)) == 0)
			return true;
		p = q;
	}
	return false;
}

static void
test_stats_tun(void **state)
{
	struct ctl_ctx c;
	struct ctl_reply r;
	int calls = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.hooks.arg = &calls;
	c.hooks.tun_stats = fake_tun_stats;

	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show stats --json", 0, &r), 0);
	assert_non_null(strstr(strbuf_str(&r.body),
	    "\"tun\":{"
	    "\"kernel-tx-dropped\":101,\"kernel-rx-dropped\":102,"
	    "\"write-full\":103,\"write-errors\":104,\"isolated\":105}"));
	ctl_reply_free(&r);

	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show stats", 0, &r), 0);
	assert_true(has_row(strbuf_str(&r.body), "kernel-tx-dropped", "101"));
	assert_true(has_row(strbuf_str(&r.body), "kernel-rx-dropped", "102"));
	assert_true(has_row(strbuf_str(&r.body), "write-full", "103"));
	assert_true(has_row(strbuf_str(&r.body), "write-errors", "104"));
	assert_true(has_row(strbuf_str(&r.body), "isolated", "105"));
	ctl_reply_free(&r);
	assert_int_equal(calls, 2);
}

static void
test_stats_tun_without_hook(void **state)
{
	struct ctl_ctx c;
	struct ctl_reply r;

	(void)state;
	memset(&c, 0, sizeof(c));
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "show stats --json", 0, &r), 0);
	assert_non_null(strstr(strbuf_str(&r.body),
	    "\"tun\":{"
	    "\"kernel-tx-dropped\":0,"));
	ctl_reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_tun),
		cmocka_unit_test(test_stats_tun_without_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
