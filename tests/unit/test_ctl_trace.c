/*
 * test_ctl_trace.c — the `trace start FILE [tunnel ID]` / `trace stop`
 * commands of the control socket: argument parsing, what reaches the
 * daemon's hook, usage errors, and the answer when no hook is registered.
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
	char path[256];
	bool stop;
	uint16_t tunnel;
};

static int
fake_trace(void *arg, const char *path, uint16_t tunnel_id, struct ctl_reply *r)
{
	struct hook_calls *h = arg;

	h->n++;
	h->stop = path == NULL;
	snprintf(h->path, sizeof(h->path), "%s", path != NULL ? path : "");
	h->tunnel = tunnel_id;
	strbuf_puts(&r->body, "done\n");
	return 0;
}

struct trace_case {
	const char *line;
	int rc;			/* 0 OK, -1 ERR */
	const char *err_prefix; /* for ERR */
	int calls;
	const char *path;
	uint16_t tunnel;
	bool stop;
};

static void
test_trace_commands(void **state)
{
	static const struct trace_case cases[] = {
		{ "trace start /tmp/a.pcap", 0, NULL, 1, "/tmp/a.pcap", 0,
		    false },
		{ "trace start /tmp/a.pcap tunnel 4711", 0, NULL, 1,
		    "/tmp/a.pcap", 4711, false },
		{ "trace stop", 0, NULL, 1, "", 0, true },
		/* Tunnel IDs are 1..65535 (RFC 2661 §3.1: 0 is reserved). */
		{ "trace start /tmp/a.pcap tunnel 0", -1, "usage: ", 0, NULL, 0,
		    false },
		{ "trace start /tmp/a.pcap tunnel 65536", -1, "usage: ", 0,
		    NULL, 0, false },
		{ "trace start /tmp/a.pcap tunnel", -1, "usage: ", 0, NULL, 0,
		    false },
		{ "trace start /tmp/a.pcap session 5", -1, "usage: ", 0, NULL,
		    0, false },
		{ "trace start", -1, "usage: ", 0, NULL, 0, false },
		{ "trace stop now", -1, "usage: ", 0, NULL, 0, false },
		{ "trace", -1, "usage: ", 0, NULL, 0, false },
		/* The daemon's working directory is not the caller's. */
		{ "trace start a.pcap", -1, "trace file must be an absolute", 0,
		    NULL, 0, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct trace_case *tc = &cases[i];
		struct hook_calls h;
		struct ctl_ctx c;
		struct ctl_reply r;
		int rc;

		memset(&h, 0, sizeof(h));
		memset(&c, 0, sizeof(c));
		c.hooks.arg = &h;
		c.hooks.trace = fake_trace;
		ctl_reply_init(&r);
		rc = ctl_cmd_exec(&c, tc->line, 0, &r);
		if (rc != tc->rc)
			fail_msg("%s: rc %d, want %d (%s)", tc->line, rc,
			    tc->rc, r.error);
		if (tc->rc < 0 &&
		    strncmp(r.error, tc->err_prefix, strlen(tc->err_prefix)) !=
			0)
			fail_msg("%s: error \"%s\"", tc->line, r.error);
		assert_int_equal(h.n, tc->calls);
		if (tc->calls > 0) {
			assert_string_equal(h.path, tc->path);
			assert_int_equal(h.tunnel, tc->tunnel);
			assert_int_equal(h.stop, tc->stop);
			assert_string_equal(r.body.p, "done\n");
		}
		ctl_reply_free(&r);
	}
}

static void
test_trace_without_hook(void **state)
{
	struct ctl_ctx c;
	struct ctl_reply r;

	(void)state;
	memset(&c, 0, sizeof(c));
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "trace start /tmp/x", 0, &r), -1);
	assert_non_null(strstr(r.error, "not available"));
	ctl_reply_free(&r);
	ctl_reply_init(&r);
	assert_int_equal(ctl_cmd_exec(&c, "help", 0, &r), 0);
	assert_non_null(strstr(r.body.p, "trace start FILE [tunnel ID]"));
	assert_non_null(strstr(r.body.p, "trace stop"));
	ctl_reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_commands),
		cmocka_unit_test(test_trace_without_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
