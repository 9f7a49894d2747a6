/*
 * test_config.c — the configuration loader: ini tokenizer events, every type
 * parser's accept/reject table (through the real schema rows), defaults, the
 * INTERFACE.md example, cross-section checks and the users file.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "config/config.h"
#include "config/ini.h"
#include "config/schema.h"
#include "config/users.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static char errbuf[2048];
static char tmp_path[64];

/* Writes text to a temporary file and loads it; the file is removed. */
static struct vpdn_config *
load_str(const char *text)
{
	struct vpdn_config *cfg;
	int fd;
	FILE *f;

	strcpy(tmp_path, "/tmp/test_config.XXXXXX");
	fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	cfg = config_load(tmp_path, errbuf, sizeof(errbuf));
	unlink(tmp_path);
	return cfg;
}

/* Expects text to be refused at line with a message ending in suffix. */
static void
expect_error(const char *text, int line, const char *suffix)
{
	char want[512];
	struct vpdn_config *cfg = load_str(text);

	if (cfg != NULL) {
		config_free(cfg);
		fail_msg("accepted: %s", text);
	}
	snprintf(want, sizeof(want), "%s:%d: ", tmp_path, line);
	if (strncmp(errbuf, want, strlen(want)) != 0 ||
	    strstr(errbuf, suffix) == NULL)
		fail_msg("got \"%s\", want \"%s...%s\"", errbuf, want, suffix);
}

/* ---- ini tokenizer ---- */

struct ev_log {
	char text[2048];
};

static int
log_event(void *arg, const struct ini_event *ev, char *msg, size_t msglen)
{
	struct ev_log *l = arg;
	size_t n = strlen(l->text);

	(void)msg;
	(void)msglen;
	if (ev->section != NULL)
		snprintf(l->text + n, sizeof(l->text) - n, "%d[%s|%s]",
		    ev->line, ev->section, ev->name ? ev->name : "-");
	else
		snprintf(l->text + n, sizeof(l->text) - n, "%d{%s=%s}",
		    ev->line, ev->key, ev->value);
	return 0;
}

static void
test_ini_events(void **state)
{
	static const struct {
		const char *in;
		const char *events;
	} cases[] = {
		{ "", "" }, { "\n\n# c\n; c\n   # c\n", "" },
		{ "[lns]\n", "1[lns|-]" },
		{ "[ realm   corp.example ]  # c\n", "1[realm|corp.example]" },
		{ "[lns]\nk=v\n", "1[lns|-]2{k=v}" },
		{ "  key\t =\t value with  spaces \t\n",
		    "1{key=value with  spaces}" },
		{ "k = a#b\n", "1{k=a#b}" }, { "k = a #b\n", "1{k=a}" },
		{ "k = a ;b\n", "1{k=a}" }, { "k = a;b\n", "1{k=a;b}" },
		{ "k =\n", "1{k=}" }, { "k = # only a comment\n", "1{k=}" },
		{ "k = a = b\n", "1{k=a = b}" },
		{ "k = v\r\nj = w\r\n", "1{k=v}2{j=w}" },
		{ "k = v", "1{k=v}" }, /* no final newline */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct ev_log l = { "" };
		int r = ini_parse("t", cases[i].in, strlen(cases[i].in),
		    log_event, &l, errbuf, sizeof(errbuf), NULL);

		if (r != 0)
			fail_msg("case %zu: %s", i, errbuf);
		assert_string_equal(l.text, cases[i].events);
	}
}

static void
test_ini_errors(void **state)
{
	static char longline[INI_MAX_LINE + 10];
	static const struct {
		const char *in;
		const char *err;
	} cases[] = {
		{ "[lns]\nfoo\n",
		    "t:2: expected \"key = value\" or \"[section]\"" },
		{ "[lns\n", "t:1: unterminated section header (missing ']')" },
		{ "\n = 1\n", "t:2: empty key before '='" },
		{ "[]\n", "t:1: empty section header" },
		{ "[a b c]\n", "t:1: section header takes at most one name" },
		{ "[lns]x\n", "t:1: unexpected text after ']'" },
		{ "[lns] x\n", "t:1: unexpected text after ']'" },
		{ "[[lns]]\n", "t:1: unexpected text after ']'" },
		{ "k = a\001b\n", "t:1: control character 0x01 in line" },
		{ "k = a\0b\n", "t:1: control character 0x00 in line" },
		{ NULL, "t:3: line too long (max 1023 characters)" },
	};

	(void)state;
	memset(longline, 'x', sizeof(longline) - 1);
	memcpy(longline, "\n\nk=", 4);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct ev_log l = { "" };
		const char *in = cases[i].in != NULL ? cases[i].in : longline;
		/* The NUL case: length up to the final newline. */
		size_t len = i == 9 ? 8 : strlen(in);
		int r = ini_parse("t", in, len, log_event, &l, errbuf,
		    sizeof(errbuf), NULL);

		assert_int_equal(r, -1);
		assert_string_equal(errbuf, cases[i].err);
	}
	/* Exactly INI_MAX_LINE - 1 characters is fine. */
	longline[INI_MAX_LINE - 1 + 2] = '\0';
	{
		struct ev_log l = { "" };

		assert_int_equal(ini_parse("t", longline, strlen(longline),
				     log_event, &l, errbuf, sizeof(errbuf),
				     NULL),
		    0);
	}
}

static int
refuse_second(void *arg, const struct ini_event *ev, char *msg, size_t len)
{
	(void)arg;
	if (ev->line == 2) {
		snprintf(msg, len, "no");
		return -1;
	}
	return 0;
}

static void
test_ini_handler_error_has_line(void **state)
{
	const char *in = "a = 1\nb = 2\nc = 3\n";

	(void)state;
	assert_int_equal(ini_parse("f.conf", in, strlen(in), refuse_second,
			     NULL, errbuf, sizeof(errbuf), NULL),
	    -1);
	assert_string_equal(errbuf, "f.conf:2: no");
}

/* ---- schema table ---- */

static void
test_schema_table_sane(void **state)
{
	(void)state;
	assert_true(schema_nkeys <= SCHEMA_MAX_KEYS);
	for (size_t i = 0; i < schema_nkeys; i++) {
		const struct schema_key *k = &schema_keys[i];

		assert_true((unsigned)k->section < SCHEMA_SEC_COUNT);
		/* Keys are unique within their section. */
		assert_ptr_equal(schema_key_find(k->section, k->key), k);
		assert_string_not_equal(schema_type_str(k->type), "?");
		if (k->type == SCHEMA_T_UINT)
			assert_true(k->min <= k->max);
	}
	assert_null(schema_key_find(SCHEMA_SEC_LNS, "listen"));
	assert_null(schema_key_find(SCHEMA_SEC_GLOBAL, "mtu"));
}

/* Section structs large enough for any of them. */
union any_section {
	struct cfg_global g;
	struct cfg_lns lns;
	struct cfg_lac lac;
	struct cfg_realm r;
	struct cfg_client c;
	struct cfg_radius rad;
};

static int
apply(enum schema_section s, const char *key, const char *value,
    union any_section *u)
{
	const struct schema_key *k = schema_key_find(s, key);
	char msg[1200];

	if (k == NULL)
		fail_msg("no key %s in [%s]", key, schema_section_str(s));
	memset(u, 0, sizeof(*u));
	return schema_key_apply(k, value, u, msg, sizeof(msg));
}

/* One row per (key, value): whether the type parser accepts it. */
static void
test_type_accept_reject(void **state)
{
	static const struct {
		enum schema_section sec;
		const char *key;
		const char *value;
		int ok;
	} cases[] = {
		/* bool */
		{ SCHEMA_SEC_LNS, "hide-avps", "yes", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "no", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "true", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "false", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "on", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "OFF", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "1", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "0", 1 },
		{ SCHEMA_SEC_LNS, "hide-avps", "2", 0 },
		{ SCHEMA_SEC_LNS, "hide-avps", "yess", 0 },
		{ SCHEMA_SEC_LNS, "hide-avps", "", 0 },
		/* uint with range */
		{ SCHEMA_SEC_LNS, "mtu", "576", 1 },
		{ SCHEMA_SEC_LNS, "mtu", "9000", 1 },
		{ SCHEMA_SEC_LNS, "mtu", "575", 0 },
		{ SCHEMA_SEC_LNS, "mtu", "9001", 0 },
		{ SCHEMA_SEC_LNS, "mtu", "-1400", 0 },
		{ SCHEMA_SEC_LNS, "mtu", "+1400", 0 },
		{ SCHEMA_SEC_LNS, "mtu", "0x578", 0 },
		{ SCHEMA_SEC_LNS, "mtu", "1400k", 0 },
		{ SCHEMA_SEC_LNS, "mtu", "99999999999999999999999", 0 },
		{ SCHEMA_SEC_GLOBAL, "hello-interval", "0", 1 },
		{ SCHEMA_SEC_GLOBAL, "receive-window", "0", 0 },
		{ SCHEMA_SEC_GLOBAL, "max-tunnels", "65535", 1 },
		{ SCHEMA_SEC_GLOBAL, "max-tunnels", "65536", 0 },
		/* lns selection */
		{ SCHEMA_SEC_LAC, "lns-selection", "ordered", 1 },
		{ SCHEMA_SEC_LAC, "lns-selection", "balanced", 1 },
		{ SCHEMA_SEC_REALM, "lns-selection", "balanced", 1 },
		{ SCHEMA_SEC_LAC, "lns-selection", "random", 0 },
		{ SCHEMA_SEC_LAC, "lns-selection", "", 0 },
		{ SCHEMA_SEC_LAC, "lns-holddown", "0", 1 },
		{ SCHEMA_SEC_LAC, "lns-holddown", "86401", 0 },
		{ SCHEMA_SEC_LAC, "max-sessions-per-tunnel", "0", 1 },
		{ SCHEMA_SEC_REALM, "max-sessions-per-tunnel", "0", 0 },
		{ SCHEMA_SEC_REALM, "max-sessions-per-tunnel", "65536", 0 },
		/* string */
		{ SCHEMA_SEC_GLOBAL, "hostname", "lns1.example", 1 },
		{ SCHEMA_SEC_GLOBAL, "control-socket", "/run/x.sock", 1 },
		{ SCHEMA_SEC_CLIENT, "password", "with spaces and #", 1 },
		/* ifname */
		{ SCHEMA_SEC_LNS, "interface", "vpdn0", 1 },
		{ SCHEMA_SEC_LNS, "interface", "123456789012345", 1 },
		{ SCHEMA_SEC_LNS, "interface", "1234567890123456", 0 },
		{ SCHEMA_SEC_LNS, "interface", "a/b", 0 },
		{ SCHEMA_SEC_LNS, "interface", "a:b", 0 },
		{ SCHEMA_SEC_LNS, "interface", "a b", 0 },
		{ SCHEMA_SEC_LNS, "interface", "..", 0 },
		/* secret */
		{ SCHEMA_SEC_LNS, "tunnel-secret", "s3cret", 1 },
		/* sockaddr */
		{ SCHEMA_SEC_GLOBAL, "listen", "1.2.3.4:1701", 1 },
		{ SCHEMA_SEC_GLOBAL, "listen", "1.2.3.4", 1 },
		{ SCHEMA_SEC_GLOBAL, "listen", "[::]:1701", 1 },
		{ SCHEMA_SEC_GLOBAL, "listen", "[::1]", 1 },
		{ SCHEMA_SEC_GLOBAL, "listen", "::", 1 },
		{ SCHEMA_SEC_GLOBAL, "listen", "1.2.3.4:0", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "1.2.3.4:65536", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "1.2.3.4:", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "1.2.3:1701", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "[1.2.3.4]:1701", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "[::1", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "[::1]x", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "[]:1701", 0 },
		{ SCHEMA_SEC_GLOBAL, "listen", "host:1701", 0 },
		/* sockaddr list */
		{ SCHEMA_SEC_RADIUS, "server", "127.0.0.1, [::1]:1645", 1 },
		{ SCHEMA_SEC_RADIUS, "server", "127.0.0.1,", 0 },
		{ SCHEMA_SEC_RADIUS, "server",
		    "1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,"
		    "1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8",
		    1 },
		{ SCHEMA_SEC_RADIUS, "server",
		    "1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,"
		    "1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9",
		    0 },
		/* hostport */
		{ SCHEMA_SEC_CLIENT, "lns", "vpn.corp.example", 1 },
		{ SCHEMA_SEC_CLIENT, "lns", "vpn.corp.example:1702", 1 },
		{ SCHEMA_SEC_CLIENT, "lns", "192.0.2.1:1701", 1 },
		{ SCHEMA_SEC_CLIENT, "lns", "[2001:db8::1]:1701", 1 },
		{ SCHEMA_SEC_CLIENT, "lns", "2001:db8::1", 1 },
		{ SCHEMA_SEC_CLIENT, "lns", "localhost", 1 },
		{ SCHEMA_SEC_CLIENT, "lns", "vpn_corp.example", 0 },
		{ SCHEMA_SEC_CLIENT, "lns", "-vpn.example", 0 },
		{ SCHEMA_SEC_CLIENT, "lns", "vpn..example", 0 },
		{ SCHEMA_SEC_CLIENT, "lns", "10.1.2", 0 },
		{ SCHEMA_SEC_CLIENT, "lns", "[vpn.example]:1701", 0 },
		{ SCHEMA_SEC_CLIENT, "lns", "vpn.example:x", 0 },
		/* hostport list */
		{ SCHEMA_SEC_REALM, "lns", "192.0.2.10, 192.0.2.11", 1 },
		{ SCHEMA_SEC_REALM, "lns", "192.0.2.10, , 192.0.2.11", 0 },
		/* ipv4 */
		{ SCHEMA_SEC_LNS, "local-address", "10.9.0.1", 1 },
		{ SCHEMA_SEC_LNS, "local-address", "10.9.0", 0 },
		{ SCHEMA_SEC_LNS, "local-address", "10.9.0.256", 0 },
		{ SCHEMA_SEC_LNS, "local-address", "0.0.0.0", 0 },
		{ SCHEMA_SEC_LNS, "local-address", "255.255.255.255", 0 },
		{ SCHEMA_SEC_LNS, "local-address", "::1", 0 },
		/* ipv4 list (RFC 1877: two servers) */
		{ SCHEMA_SEC_LNS, "dns", "10.9.0.53", 1 },
		{ SCHEMA_SEC_LNS, "dns", "10.9.0.53,10.9.0.54", 1 },
		{ SCHEMA_SEC_LNS, "dns", "1.1.1.1, 1.1.1.2, 1.1.1.3", 0 },
		/* ipv4 range list */
		{ SCHEMA_SEC_LNS, "pool", "10.9.0.10-10.9.0.250", 1 },
		{ SCHEMA_SEC_LNS, "pool", "10.9.0.10 - 10.9.0.250", 1 },
		{ SCHEMA_SEC_LNS, "pool",
		    "10.9.0.10-10.9.0.250, 10.9.1.0-10.9.1.9", 1 },
		{ SCHEMA_SEC_LNS, "pool", "10.9.0.7", 1 },
		{ SCHEMA_SEC_LNS, "pool", "10.9.0.250-10.9.0.10", 0 },
		{ SCHEMA_SEC_LNS, "pool",
		    "10.9.0.1-10.9.0.9, 10.9.0.9-10.9.0.20", 0 },
		{ SCHEMA_SEC_LNS, "pool", "10.9.0.10-", 0 },
		{ SCHEMA_SEC_LNS, "pool", "10.9.0.0/24", 0 },
		/* auth list */
		{ SCHEMA_SEC_LNS, "auth", "mschap-v2, chap-md5, pap", 1 },
		{ SCHEMA_SEC_LNS, "auth", "pap", 1 },
		{ SCHEMA_SEC_LNS, "auth", "PAP, CHAP-MD5", 1 },
		{ SCHEMA_SEC_LNS, "auth", "pap, pap", 0 },
		{ SCHEMA_SEC_LNS, "auth", "eap", 0 },
		{ SCHEMA_SEC_LNS, "auth", "mschapv2", 0 },
		{ SCHEMA_SEC_LNS, "auth", "pap,", 0 },
		/* route list */
		{ SCHEMA_SEC_CLIENT, "routes", "10.9.0.0/24", 1 },
		{ SCHEMA_SEC_CLIENT, "routes",
		    "10.9.0.0/24, 10.0.0.0/8, 0.0.0.0/0", 1 },
		{ SCHEMA_SEC_CLIENT, "routes", "10.9.0.1/32", 1 },
		{ SCHEMA_SEC_CLIENT, "routes", "10.9.0.1/24", 0 },
		{ SCHEMA_SEC_CLIENT, "routes", "10.9.0.0/33", 0 },
		{ SCHEMA_SEC_CLIENT, "routes", "10.9.0.0", 0 },
		{ SCHEMA_SEC_CLIENT, "routes", "10.9.0.0/", 0 },
		/* log level */
		{ SCHEMA_SEC_GLOBAL, "log-level", "error", 1 },
		{ SCHEMA_SEC_GLOBAL, "log-level", "trace", 1 },
		{ SCHEMA_SEC_GLOBAL, "log-level", "verbose", 0 },
	};
	union any_section u;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int r = apply(cases[i].sec, cases[i].key, cases[i].value, &u);

		if ((r == 0) != cases[i].ok)
			fail_msg("%s = \"%s\": %s, expected %s", cases[i].key,
			    cases[i].value, r == 0 ? "accepted" : "refused",
			    cases[i].ok ? "accepted" : "refused");
	}
}

static void
test_type_values(void **state)
{
	union any_section u;
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;

	(void)state;
	assert_int_equal(apply(SCHEMA_SEC_GLOBAL, "listen", "[::1]", &u), 0);
	sin6 = (const struct sockaddr_in6 *)&u.g.listen.ss;
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 1701);
	assert_int_equal(u.g.listen.len, sizeof(*sin6));

	assert_int_equal(apply(SCHEMA_SEC_GLOBAL, "listen", "10.0.0.1:99", &u),
	    0);
	sin = (const struct sockaddr_in *)&u.g.listen.ss;
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 99);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0x0a000001);

	/* RADIUS default ports are 1812 / 1813 (RFC 2865 §3, 2866 §3). */
	assert_int_equal(apply(SCHEMA_SEC_RADIUS, "server", "127.0.0.1", &u),
	    0);
	sin = (const struct sockaddr_in *)&u.rad.server[0].ss;
	assert_int_equal(ntohs(sin->sin_port), 1812);
	assert_int_equal(u.rad.server_count, 1);
	assert_int_equal(apply(SCHEMA_SEC_RADIUS, "accounting-server",
			     "127.0.0.1, 127.0.0.2:1646", &u),
	    0);
	assert_int_equal(u.rad.accounting_server_count, 2);
	sin = (const struct sockaddr_in *)&u.rad.accounting_server[0].ss;
	assert_int_equal(ntohs(sin->sin_port), 1813);
	sin = (const struct sockaddr_in *)&u.rad.accounting_server[1].ss;
	assert_int_equal(ntohs(sin->sin_port), 1646);

	assert_int_equal(apply(SCHEMA_SEC_CLIENT, "lns", "[2001:db8::1]:1702",
			     &u),
	    0);
	assert_string_equal(u.c.lns.host, "2001:db8::1");
	assert_int_equal(u.c.lns.port, 1702);
	assert_int_equal(apply(SCHEMA_SEC_CLIENT, "lns", "vpn.example", &u), 0);
	assert_string_equal(u.c.lns.host, "vpn.example");
	assert_int_equal(u.c.lns.port, 1701);

	assert_int_equal(apply(SCHEMA_SEC_LNS, "pool",
			     "10.9.0.10-10.9.0.250, 10.9.1.0-10.9.1.9", &u),
	    0);
	assert_int_equal(u.lns.pool_count, 2);
	assert_int_equal(u.lns.pool[0].first, 0x0a09000a);
	assert_int_equal(u.lns.pool[0].last, 0x0a0900fa);
	assert_int_equal(u.lns.pool[1].first, 0x0a090100);
	assert_int_equal(u.lns.pool[1].last, 0x0a090109);

	assert_int_equal(apply(SCHEMA_SEC_LNS, "auth", "pap, mschap-v2", &u),
	    0);
	assert_int_equal(u.lns.auth.count, 2);
	assert_int_equal(u.lns.auth.methods[0], CFG_AUTH_PAP);
	assert_int_equal(u.lns.auth.methods[1], CFG_AUTH_MSCHAPV2);

	assert_int_equal(apply(SCHEMA_SEC_CLIENT, "routes",
			     "10.9.0.0/24, 0.0.0.0/0", &u),
	    0);
	assert_int_equal(u.c.route_count, 2);
	assert_int_equal(u.c.routes[0].addr, 0x0a090000);
	assert_int_equal(u.c.routes[0].plen, 24);
	assert_int_equal(u.c.routes[1].addr, 0);
	assert_int_equal(u.c.routes[1].plen, 0);

	assert_int_equal(apply(SCHEMA_SEC_LNS, "tunnel-secret", "a b#c", &u),
	    0);
	assert_int_equal(u.lns.tunnel_secret.len, 5);
	assert_memory_equal(u.lns.tunnel_secret.data, "a b#c", 5);

	assert_int_equal(apply(SCHEMA_SEC_GLOBAL, "log-level", "debug", &u), 0);
	assert_int_equal(u.g.log_level, LOG_LEVEL_DEBUG);
}

static void
test_secret_never_echoed(void **state)
{
	char text[600];
	char secret[300];

	(void)state;
	memset(secret, 'Q', sizeof(secret) - 1);
	secret[sizeof(secret) - 1] = '\0';
	snprintf(text, sizeof(text), "[lns]\ntunnel-secret = %s\n", secret);
	expect_error(text, 2, "tunnel-secret: too long (max 256 bytes)");
	assert_null(strstr(errbuf, "QQQ"));

	snprintf(text, sizeof(text),
	    "[client c]\nlns = x.example\n"
	    "user = u\npassword = %s\n",
	    secret);
	expect_error(text, 4, "password: too long");
	assert_null(strstr(errbuf, "QQQ"));
}

/* ---- defaults: the schema rows and vpdn.conf(5) ---- */

/* Every default written in a row is a valid value of its key. */
static void
test_schema_defaults_parse(void **state)
{
	struct vpdn_config cfg;
	struct cfg_realm realm;
	struct cfg_client client;
	struct cfg_rate_plan plan;
	char msg[256] = "";
	void *base[SCHEMA_SEC_COUNT] = {
		[SCHEMA_SEC_GLOBAL] = &cfg.global,
		[SCHEMA_SEC_LNS] = &cfg.lns,
		[SCHEMA_SEC_LAC] = &cfg.lac,
		[SCHEMA_SEC_REALM] = &realm,
		[SCHEMA_SEC_CLIENT] = &client,
		[SCHEMA_SEC_RADIUS] = &cfg.radius,
		[SCHEMA_SEC_RATE_PLAN] = &plan,
		[SCHEMA_SEC_SWITCH] = &cfg.sw,
	};
	unsigned with_default = 0;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(&realm, 0, sizeof(realm));
	memset(&client, 0, sizeof(client));
	memset(&plan, 0, sizeof(plan));
	for (size_t i = 0; i < schema_nkeys; i++) {
		const struct schema_key *k = &schema_keys[i];

		if (k->def == NULL)
			continue;
		with_default++;
		if (schema_key_apply(k, k->def, base[k->section], msg,
			sizeof(msg)) < 0)
			fail_msg("[%s] %s: default \"%s\": %s",
			    schema_section_str(k->section), k->key, k->def,
			    msg);
	}
	assert_true(with_default > 30);
}

/*
 * The default vpdn.conf(5) states for a key, from its ".BR key" line in the
 * key's section: '.BR max-tunnels " (uint 1..65535, default " 4096 )', the
 * value quoted when it has blanks.  Returns false when the line states none.
 */
static bool
man_default(const char *line, char *out, size_t outlen)
{
	const char *p = strstr(line, "default \" ");
	size_t n;

	if (p == NULL)
		return false;
	p += strlen("default \" ");
	n = strlen(p);
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' '))
		n--;
	if (n > 0 && p[n - 1] == ')')
		n--;
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	if (n >= outlen)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* vpdn.conf(5) states for every key with a default in its schema row the
 * same default, so the page cannot drift from the code. */
static void
test_man_page_states_schema_defaults(void **state)
{
	static char man[SCHEMA_MAX_KEYS][128];
	static bool stated[SCHEMA_MAX_KEYS];
	char line[1024], word[64], bad[4096] = "";
	enum schema_section sec = SCHEMA_SEC_COUNT;
	FILE *f = fopen("man/vpdn.conf.5", "r");
	unsigned checked = 0;

	(void)state;
	assert_non_null(f); /* unit tests run from the source root */
	memset(stated, 0, sizeof(stated));
	while (fgets(line, sizeof(line), f) != NULL) {
		const struct schema_key *k;

		if (strncmp(line, ".SH", 3) == 0) {
			sec = SCHEMA_SEC_COUNT;
			if (sscanf(line, ".SH \"SECTION [%63[a-z-]", word) ==
				1 &&
			    !schema_section_find(word, &sec))
				sec = SCHEMA_SEC_COUNT;
			continue;
		}
		if (sec == SCHEMA_SEC_COUNT ||
		    sscanf(line, ".BR %63s", word) != 1 ||
		    (k = schema_key_find(sec, word)) == NULL)
			continue;
		stated[k - schema_keys] = man_default(line,
		    man[k - schema_keys], sizeof(man[0]));
	}
	fclose(f);
	for (size_t i = 0; i < schema_nkeys; i++) {
		const struct schema_key *k = &schema_keys[i];
		size_t n = strlen(bad);

		if (k->def == NULL)
			continue;
		checked++;
		if (!stated[i])
			snprintf(bad + n, sizeof(bad) - n,
			    " [%s] %s: schema %s, "
			    "page states none;",
			    schema_section_str(k->section), k->key, k->def);
		else if (strcmp(man[i], k->def) != 0)
			snprintf(bad + n, sizeof(bad) - n,
			    " [%s] %s: schema %s, "
			    "page %s;",
			    schema_section_str(k->section), k->key, k->def,
			    man[i]);
	}
	if (bad[0] != '\0')
		fail_msg("man/vpdn.conf.5 disagrees with schema.c:%s", bad);
	assert_true(checked > 30);
}

/* ---- whole files ---- */

static void
test_defaults(void **state)
{
	struct vpdn_config *cfg = load_str("[lns]\n");
	const struct sockaddr_in *sin;
	char host[CFG_MAX_STR] = "";

	(void)state;
	assert_non_null(cfg);
	sin = (const struct sockaddr_in *)&cfg->global.listen.ss;
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(ntohs(sin->sin_port), 1701);
	gethostname(host, sizeof(host) - 1);
	assert_string_equal(cfg->global.hostname, host);
	assert_string_equal(cfg->global.control_socket, "/run/vpdn/vpdnd.sock");
	assert_int_equal(cfg->global.log_level, LOG_LEVEL_INFO);
	assert_int_equal(cfg->global.hello_interval, 60);
	assert_int_equal(cfg->global.retransmit_max, 5);
	assert_int_equal(cfg->global.receive_window, 16);
	assert_int_equal(cfg->global.max_tunnels, 4096);
	assert_int_equal(cfg->global.max_sessions, 65535);

	assert_true(cfg->lns.enabled);
	assert_int_equal(cfg->lns.tunnel_secret.len, 0);
	assert_false(cfg->lns.hide_avps);
	assert_string_equal(cfg->lns.interface, "vpdn0");
	assert_int_equal(cfg->lns.mtu, 1400);
	assert_int_equal(cfg->lns.auth.count, 3);
	assert_int_equal(cfg->lns.auth.methods[0], CFG_AUTH_MSCHAPV2);
	assert_int_equal(cfg->lns.auth.methods[1], CFG_AUTH_CHAP_MD5);
	assert_int_equal(cfg->lns.auth.methods[2], CFG_AUTH_PAP);
	assert_true(cfg->lns.accept_proxy_auth);
	assert_false(cfg->lns.radius);

	assert_false(cfg->lac.enabled);
	assert_string_equal(cfg->lac.ac_name, "vpdn-lac");
	assert_int_equal(cfg->lac.auth.count, 2);
	assert_int_equal(cfg->lac.auth.methods[0], CFG_AUTH_CHAP_MD5);
	assert_int_equal(cfg->lac.auth.methods[1], CFG_AUTH_PAP);
	assert_int_equal(cfg->lac.tunnel_idle_timeout, 0);
	assert_int_equal(cfg->lac.discovery_rate, 200);
	assert_int_equal(cfg->lac.max_sessions_per_mac, 4);
	assert_false(cfg->radius.enabled);
	/* Secure defaults: Message-Authenticator required on Access-*
	 * replies (RFC 2869 §5.14), DAE Event-Timestamp required within
	 * 300 s (RFC 5176 §6.3), PPP auth lockout after 5 failures. */
	assert_true(cfg->radius.require_message_authenticator);
	assert_int_equal(cfg->radius.dae_replay_window, 300);
	assert_true(cfg->radius.dae_require_event_timestamp);
	assert_int_equal(cfg->global.auth_failure_limit, 5);
	assert_int_equal(cfg->global.auth_lockout, 60);
	assert_int_equal(cfg->realm_count, 0);
	assert_int_equal(cfg->client_count, 0);
	config_free(cfg);

	cfg = load_str("[lac]\npppoe-interface = eth1\n"
		       "discovery-rate = 5000\nmax-sessions-per-mac = 0\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->lac.discovery_rate, 5000);
	assert_int_equal(cfg->lac.max_sessions_per_mac, 0);
	/* issue #17: ordered, 60 s hold-down, no per-tunnel limit */
	assert_int_equal(cfg->lac.lns_selection, CFG_LNS_SEL_ORDERED);
	assert_int_equal(cfg->lac.lns_holddown, 60);
	assert_int_equal(cfg->lac.max_sessions_per_tunnel, 0);
	config_free(cfg);

	cfg = load_str("[lac]\npppoe-interface = eth1\n"
		       "lns-selection = balanced\n\n"
		       "[realm a]\nlns = 192.0.2.1\n\n"
		       "[realm b]\nlns = 192.0.2.2\nlns-selection = ordered\n"
		       "max-sessions-per-tunnel = 10\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->lac.lns_selection, CFG_LNS_SEL_BALANCED);
	assert_int_equal(cfg->realms[0].lns_selection, CFG_LNS_SEL_INHERIT);
	assert_int_equal(cfg->realms[0].max_sessions_per_tunnel, 0);
	assert_int_equal(cfg->realms[1].lns_selection, CFG_LNS_SEL_ORDERED);
	assert_int_equal(cfg->realms[1].max_sessions_per_tunnel, 10);
	config_free(cfg);

	cfg = load_str("[client x]\nlns = a.example\nuser = u\npassword = p\n");
	assert_non_null(cfg);
	assert_false(cfg->lns.enabled);
	assert_int_equal(cfg->client_count, 1);
	assert_true(cfg->clients[0].redial);
	assert_false(cfg->clients[0].default_route);
	assert_int_equal(cfg->clients[0].auth.count, 3);
	assert_int_equal(cfg->clients[0].auth.methods[0], CFG_AUTH_MSCHAPV2);
	assert_string_equal(cfg->clients[0].interface, "vpdn-x");
	assert_int_equal(cfg->clients[0].line, 1);
	config_free(cfg);
}

/* shared/INTERFACE.md's example, as in tests/config/ok-interface-example.conf. */
/* clang-format off */
static const char example[] =
"[global]\n"
"listen = 0.0.0.0:1701           # UDP address and port for L2TP; IPv6 allowed: [::]:1701\n"
"hostname = lns1.example         # Host Name AVP\n"
"control-socket = /run/vpdn/vpdnd.sock\n"
"log-level = info                # error | warn | info | debug | trace\n"
"hello-interval = 60             # seconds of silence before a Hello; 0 disables\n"
"retransmit-max = 5              # control message tries before the tunnel is torn down\n"
"receive-window = 16             # our Receive Window Size AVP\n"
"max-tunnels = 4096\n"
"max-sessions = 65535\n"
"\n"
"[lns]                           # present => this daemon accepts tunnels as LNS\n"
"tunnel-secret = s3cret          # tunnel authentication (Challenge/Response); absent => none\n"
"hide-avps = no                  # send hidden AVPs where RFC 2661 allows (needs tunnel-secret)\n"
"local-address = 10.9.0.1        # our IPCP address\n"
"pool = 10.9.0.10-10.9.0.250     # address pool; several ranges: comma-separated\n"
"dns = 10.9.0.53, 10.9.0.54      # RFC 1877 primary/secondary\n"
"auth = mschap-v2, chap-md5, pap # offered in this order\n"
"users = /etc/vpdn/users         # local user database (see below)\n"
"radius = no                     # yes => [radius] section is used\n"
"accept-proxy-auth = yes         # trust a LAC's proxy authentication AVPs\n"
"interface = vpdn0               # the TUN device that carries every session's traffic\n"
"mtu = 1400\n"
"\n"
"[lac]                           # present => this daemon is a LAC\n"
"pppoe-interface = eth1          # Ethernet side where users dial in with PPPoE\n"
"ac-name = vpdn-lac\n"
"service-name = internet\n"
"auth = chap-md5, pap            # what the LAC asks users for\n"
"tunnel-idle-timeout = 0         # seconds a tunnel with no sessions lingers (0 = tear down at once)\n"
"\n"
"[realm corp-a.example]          # users named *@corp-a.example go to these LNSes\n"
"lns = 192.0.2.10, 192.0.2.11    # tried in order; the next on failure\n"
"tunnel-secret = a-secret\n"
"users = /etc/vpdn/corp-a.users  # if set, the LAC authenticates the user itself first\n"
"strip-realm = no                # send \"alice\" instead of \"alice@corp-a.example\"\n"
"\n"
"[client corp]                   # present => dial this LNS and keep the session up\n"
"lns = vpn.corp.example          # address or DNS name; port 1701 unless given\n"
"user = alice\n"
"password = secret\n"
"auth = mschap-v2, chap-md5, pap # what we accept to do\n"
"interface = vpdn-corp           # TUN device created for this session\n"
"routes = 10.9.0.0/24            # routed into the tunnel once IPCP is up\n"
"default-route = no\n"
"redial = yes                    # re-dial with back-off after the session drops\n"
"tunnel-secret = s3cret\n"
"\n"
"[radius]\n"
"server = 127.0.0.1:1812         # several: comma-separated, tried in order\n"
"accounting-server = 127.0.0.1:1813\n"
"secret = testing123\n"
"nas-identifier = lac1\n"
"interim-interval = 300\n";
/* clang-format on */

static void
test_interface_example(void **state)
{
	struct vpdn_config *cfg = load_str(example);
	const struct sockaddr_in *sin;

	(void)state;
	if (cfg == NULL)
		fail_msg("%s", errbuf);
	assert_string_equal(cfg->global.hostname, "lns1.example");
	assert_int_equal(cfg->global.max_sessions, 65535);

	assert_true(cfg->lns.enabled);
	assert_int_equal(cfg->lns.tunnel_secret.len, 6);
	assert_memory_equal(cfg->lns.tunnel_secret.data, "s3cret", 6);
	assert_false(cfg->lns.hide_avps);
	assert_int_equal(cfg->lns.local_address, 0x0a090001);
	assert_int_equal(cfg->lns.pool_count, 1);
	assert_int_equal(cfg->lns.pool[0].first, 0x0a09000a);
	assert_int_equal(cfg->lns.pool[0].last, 0x0a0900fa);
	assert_int_equal(cfg->lns.dns_count, 2);
	assert_int_equal(cfg->lns.dns[0], 0x0a090035);
	assert_int_equal(cfg->lns.dns[1], 0x0a090036);
	assert_int_equal(cfg->lns.auth.count, 3);
	assert_string_equal(cfg->lns.users, "/etc/vpdn/users");
	assert_false(cfg->lns.radius);
	assert_true(cfg->lns.accept_proxy_auth);
	assert_string_equal(cfg->lns.interface, "vpdn0");

	assert_true(cfg->lac.enabled);
	assert_string_equal(cfg->lac.pppoe_interface, "eth1");
	assert_string_equal(cfg->lac.service_name, "internet");
	assert_int_equal(cfg->lac.auth.count, 2);

	assert_int_equal(cfg->realm_count, 1);
	assert_string_equal(cfg->realms[0].name, "corp-a.example");
	assert_int_equal(cfg->realms[0].lns_count, 2);
	assert_string_equal(cfg->realms[0].lns[1].host, "192.0.2.11");
	assert_int_equal(cfg->realms[0].lns[1].port, 1701);
	assert_int_equal(cfg->realms[0].tunnel_secret.len, 8);
	assert_string_equal(cfg->realms[0].users, "/etc/vpdn/corp-a.users");
	assert_false(cfg->realms[0].strip_realm);
	assert_int_equal(cfg->realms[0].line, 32);

	assert_int_equal(cfg->client_count, 1);
	assert_string_equal(cfg->clients[0].name, "corp");
	assert_string_equal(cfg->clients[0].lns.host, "vpn.corp.example");
	assert_int_equal(cfg->clients[0].lns.port, 1701);
	assert_string_equal(cfg->clients[0].user, "alice");
	assert_string_equal(cfg->clients[0].password, "secret");
	assert_string_equal(cfg->clients[0].interface, "vpdn-corp");
	assert_int_equal(cfg->clients[0].route_count, 1);
	assert_int_equal(cfg->clients[0].routes[0].plen, 24);
	assert_true(cfg->clients[0].redial);
	assert_false(cfg->clients[0].default_route);
	assert_int_equal(cfg->clients[0].line, 38);

	assert_true(cfg->radius.enabled);
	assert_int_equal(cfg->radius.server_count, 1);
	sin = (const struct sockaddr_in *)&cfg->radius.server[0].ss;
	assert_int_equal(ntohs(sin->sin_port), 1812);
	assert_int_equal(cfg->radius.accounting_server_count, 1);
	assert_int_equal(cfg->radius.secret.len, 10);
	assert_string_equal(cfg->radius.nas_identifier, "lac1");
	assert_int_equal(cfg->radius.interim_interval, 300);
	config_free(cfg);
}

/* The switches for old RADIUS servers and the replay window parse. */
static void
test_radius_security_switches(void **state)
{
	struct vpdn_config *cfg;

	(void)state;
	cfg = load_str(
	    "[global]\nauth-failure-limit = 0\nauth-lockout = 600\n"
	    "\n[radius]\nserver = 127.0.0.1\nsecret = x\n"
	    "require-message-authenticator = no\ndae-replay-window = 60\n"
	    "dae-require-event-timestamp = no\n\n[lns]\npool = 10.9.0.10-10.9.0.20\n");
	assert_non_null(cfg);
	assert_false(cfg->radius.require_message_authenticator);
	assert_int_equal(cfg->radius.dae_replay_window, 60);
	assert_false(cfg->radius.dae_require_event_timestamp);
	assert_int_equal(cfg->global.auth_failure_limit, 0);
	assert_int_equal(cfg->global.auth_lockout, 600);
	config_free(cfg);
}

static void
test_many_realms_and_clients(void **state)
{
	static char text[16384];
	struct vpdn_config *cfg;
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n,
	    "[lac]\npppoe-interface = eth1\n");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "[realm r%d.example]\nlns = 192.0.2.%d:%d\n"
		    "[client c%d]\nlns = 10.0.0.%d\nuser = u%d\npassword = p\n",
		    i, i + 1, 1702 + i, i, i + 1, i);
	cfg = load_str(text);
	if (cfg == NULL)
		fail_msg("%s", errbuf);
	assert_int_equal(cfg->realm_count, 40);
	assert_int_equal(cfg->client_count, 40);
	assert_string_equal(cfg->realms[39].name, "r39.example");
	assert_int_equal(cfg->realms[39].lns[0].port, 1702 + 39);
	assert_string_equal(cfg->clients[39].user, "u39");
	assert_string_equal(cfg->clients[39].interface, "vpdn-c39");
	config_free(cfg);
}

static void
test_cross_checks(void **state)
{
	(void)state;
	/* RFC 2661 §4.3: AVP hiding needs a shared secret. */
	expect_error("[lns]\n\nhide-avps = yes\n", 3,
	    "hide-avps = yes needs tunnel-secret");
	expect_error("[lns]\nradius = yes\n", 2,
	    "radius = yes needs a [radius] section");
	expect_error(
	    "[lns]\npool = 10.0.0.1-10.0.0.9\nlocal-address = 10.0.0.5\n", 3,
	    "local-address lies inside the pool");
	expect_error("[lac]\n", 1, "[lac] needs pppoe-interface");
	expect_error("[lns]\n[realm a]\nusers = x\n", 2, "[realm a] needs lns");
	expect_error("[client a]\nuser = u\npassword = p\n", 1,
	    "[client a] needs lns or pppoe-interface");
	expect_error("[client a]\npppoe-interface = eth0\nuser = u\n"
		     "password = p\nlns = x.example\n",
	    5, "lns and pppoe-interface exclude each other");
	expect_error("[lns]\n[radius]\nsecret = s\n", 2,
	    "[radius] needs server");
	expect_error("[lns]\n[realm a]\nlns = 1.2.3.4\n[realm A]\n", 4,
	    "duplicate section [realm A] (first at line 2)");
	expect_error("[lns]\n[lns]\n", 2,
	    "duplicate section [lns] (first at line 1)");
	expect_error("[radius]\nserver = 1.1.1.1\nsecret = s\n[lns]\n"
		     "[radius]\n",
	    5, "duplicate section [radius] (first at line 1)");
	expect_error("mtu = 1\n[lns]\n", 1, "key \"mtu\" outside any section");
	expect_error("[client]\n", 1, "[client] needs a name");
	expect_error("[global x]\n", 1, "[global] takes no name");
	expect_error("[lns]\nmtu = 1400\nmtu = 1400\n", 3,
	    "duplicate key \"mtu\" (first at line 2)");
	expect_error("[lns]\nmru = 1400\n", 2, "unknown key \"mru\" in [lns]");
	expect_error("[lns]\n[pppoe]\n", 2, "unknown section [pppoe]");
	expect_error("[global]\n", 1, "nothing to do");
	/* Client names are case-sensitive, realms are not. */
	{
		struct vpdn_config *cfg = load_str(
		    "[client a]\nlns = h.example\n"
		    "user = u\npassword = p\n[client A]\nlns = h.example\n"
		    "user = u\npassword = p\n");

		if (cfg == NULL)
			fail_msg("%s", errbuf);
		config_free(cfg);
	}
}

static void
test_missing_file(void **state)
{
	(void)state;
	assert_null(
	    config_load("/nonexistent/vpdn.conf", errbuf, sizeof(errbuf)));
	assert_string_equal(errbuf,
	    "/nonexistent/vpdn.conf: No such file or directory");
}

/* ---- users file ---- */

static void
test_users_ok(void **state)
{
	const char *text = "# users\n"
			   "alice   pw1   10.9.0.77\n"
			   "\n"
			   "   # indented comment\n"
			   "bob\tpw2\t*\n"
			   "carol pw3 # a comment after the password\n"
			   "dave #pw4 10.9.0.78 # password may start with '#'\n"
			   "Alice pw5\r\n"
			   "eve pw6";
	struct users_db *db;
	const struct user_entry *e;

	(void)state;
	db = users_parse("u", text, strlen(text), errbuf, sizeof(errbuf));
	if (db == NULL)
		fail_msg("%s", errbuf);
	assert_int_equal(users_count(db), 6);
	e = users_lookup(db, "alice");
	assert_non_null(e);
	assert_string_equal(e->password, "pw1");
	assert_int_equal(e->addr, 0x0a09004d);
	assert_int_equal(e->line, 2);
	e = users_lookup(db, "bob");
	assert_non_null(e);
	assert_int_equal(e->addr, 0);
	e = users_lookup(db, "carol");
	assert_non_null(e);
	assert_string_equal(e->password, "pw3");
	assert_int_equal(e->addr, 0);
	e = users_lookup(db, "dave");
	assert_non_null(e);
	assert_string_equal(e->password, "#pw4");
	assert_int_equal(e->addr, 0x0a09004e);
	/* PPP names are case-sensitive. */
	e = users_lookup(db, "Alice");
	assert_non_null(e);
	assert_string_equal(e->password, "pw5");
	assert_non_null(users_lookup(db, "eve"));
	assert_null(users_lookup(db, "mallory"));
	assert_null(users_lookup(db, ""));
	users_free(db);
	users_free(NULL);
	assert_null(users_lookup(NULL, "alice"));
}

static void
test_users_errors(void **state)
{
	static const struct {
		const char *in;
		const char *err;
	} cases[] = {
		{ "alice pw\nalice pw2\n",
		    "u:2: duplicate user \"alice\" (first at line 1)" },
		{ "bob x\nalice pw\n# c\nbob y\n",
		    "u:4: duplicate user \"bob\" (first at line 1)" },
		{ "alice\n", "u:1: missing password for user \"alice\"" },
		{ "\n  alice   \n",
		    "u:2: missing password for user \"alice\"" },
		{ "alice pw 10.9.0\n",
		    "u:1: invalid address \"10.9.0\" for user \"alice\"" },
		{ "alice pw 0.0.0.0\n",
		    "u:1: invalid address \"0.0.0.0\" for user \"alice\"" },
		{ "alice pw 10.9.0.1 extra\n",
		    "u:1: unexpected text after the address of user \"alice\"" },
		{ "alice p\001w\n", "u:1: control character 0x01 in line" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct users_db *db = users_parse("u", cases[i].in,
		    strlen(cases[i].in), errbuf, sizeof(errbuf));

		assert_null(db);
		assert_string_equal(errbuf, cases[i].err);
		/* The password is never part of a message. */
		assert_null(strstr(errbuf, "pw"));
	}
}

static void
test_users_load_file(void **state)
{
	struct users_db *db;
	char path[] = "/tmp/test_users.XXXXXX";
	int fd = mkstemp(path);
	char names[64];

	(void)state;
	assert_true(fd >= 0);
	/* Enough entries that lookup must really search. */
	for (int i = 999; i >= 0; i--) {
		int n = snprintf(names, sizeof(names), "user%d secret%d\n", i,
		    i);
		assert_int_equal(write(fd, names, (size_t)n), n);
	}
	close(fd);
	db = users_load(path, errbuf, sizeof(errbuf));
	unlink(path);
	if (db == NULL)
		fail_msg("%s", errbuf);
	assert_int_equal(users_count(db), 1000);
	for (int i = 0; i < 1000; i += 37) {
		const struct user_entry *e;

		snprintf(names, sizeof(names), "user%d", i);
		e = users_lookup(db, names);
		assert_non_null(e);
		snprintf(names, sizeof(names), "secret%d", i);
		assert_string_equal(e->password, names);
	}
	users_free(db);
	assert_null(users_load("/nonexistent/users", errbuf, sizeof(errbuf)));
	assert_string_equal(errbuf,
	    "/nonexistent/users: No such file or "
	    "directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radius_security_switches),
		cmocka_unit_test(test_ini_events),
		cmocka_unit_test(test_ini_errors),
		cmocka_unit_test(test_ini_handler_error_has_line),
		cmocka_unit_test(test_schema_table_sane),
		cmocka_unit_test(test_type_accept_reject),
		cmocka_unit_test(test_type_values),
		cmocka_unit_test(test_secret_never_echoed),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_schema_defaults_parse),
		cmocka_unit_test(test_man_page_states_schema_defaults),
		cmocka_unit_test(test_interface_example),
		cmocka_unit_test(test_many_realms_and_clients),
		cmocka_unit_test(test_cross_checks),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_users_ok),
		cmocka_unit_test(test_users_errors),
		cmocka_unit_test(test_users_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
