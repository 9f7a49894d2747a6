/*
 * test_config_policy.c — [pool NAME], [peer NAME] and the [lns] policy keys
 * in config_load() (config/policy.c, schema.c): what a complete peer looks
 * like after inheriting from [lns], and every error, each at its
 * FILE:LINE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "config/policy.h"

static char errbuf[512];
static char tmp_path[64];

static struct vpdn_config *
load_str(const char *text)
{
	struct vpdn_config *cfg;
	int fd;
	FILE *f;

	strcpy(tmp_path, "/tmp/test_config_policy.XXXXXX");
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

/* Expects text to be refused at line with a message containing part. */
static void
expect_error(const char *text, int line, const char *part)
{
	char want[512];
	struct vpdn_config *cfg = load_str(text);

	if (cfg != NULL) {
		config_free(cfg);
		fail_msg("accepted: %s", text);
	}
	snprintf(want, sizeof(want), "%s:%d: ", tmp_path, line);
	if (strncmp(errbuf, want, strlen(want)) != 0 ||
	    strstr(errbuf, part) == NULL)
		fail_msg("got \"%s\", want \"%s...%s\"", errbuf, want, part);
}

#define LNS "[lns]\npool = 10.9.0.10-10.9.0.20\nlocal-address = 10.9.0.1\n"

static void
test_policy_config_ok(void **state)
{
	struct vpdn_config *cfg = load_str(LNS
	    "tunnel-secret = base\nauth = pap\nunknown-peers = refuse\n"
	    "max-sessions-per-user = 2\nduplicate-login = replace\n"
	    "lcp-renegotiation = always\n\n" /* 10 */
	    "[pool a]\nrange = 10.20.0.0/24, 10.21.0.1-10.21.0.9\n\n"
	    "[pool b]\nrange = 10.22.0.1\n\n"
	    "[peer one]\nhostname = lac1.example\nsource = 192.0.2.0/24, "
	    "198.51.100.7\ntunnel-secret = s1\npool = b, a\nmax-tunnels = 2\n"
	    "max-sessions = 10\nhello-interval = 0\n\n"
	    "[peer two]\nsource = 203.0.113.0/28\nauth = chap-md5\n"
	    "lcp-renegotiation = never\nmax-sessions-per-user = 5\n");
	const struct cfg_peer *p;

	(void)state;
	if (cfg == NULL)
		fail_msg("%s", errbuf);
	assert_int_equal(cfg->lns.unknown_peers, CFG_UNKNOWN_PEERS_REFUSE);
	assert_int_equal(cfg->lns.max_sessions_per_user, 2);
	assert_int_equal(cfg->lns.duplicate_login, CFG_DUPLICATE_LOGIN_REPLACE);
	assert_int_equal(cfg->lns.lcp_renegotiation, CFG_LCP_RENEG_ALWAYS);
	assert_int_equal(cfg->pool_count, 2);
	assert_int_equal(cfg->pools[0].range_count, 2);
	assert_int_equal(cfg->pools[0].range[0].first, 0x0a140000);
	assert_int_equal(cfg->pools[0].range[0].last, 0x0a1400ff);
	assert_int_equal(config_pool_find(cfg, "b"), 1);
	assert_int_equal(cfg->peer_count, 2);
	p = &cfg->peers[0];
	assert_string_equal(p->hostname, "lac1.example");
	assert_int_equal(p->source_count, 2);
	assert_int_equal(p->source[1].addr, 0xc6336407);
	assert_int_equal(p->source[1].plen, 32);
	assert_memory_equal(p->tunnel_secret.data, "s1", 2);
	assert_int_equal(p->pool_count, 2);
	assert_int_equal(p->pools[0], 1);
	assert_int_equal(p->pools[1], 0);
	assert_int_equal(p->hello_interval, 0);
	assert_int_equal(p->max_tunnels, 2);
	assert_int_equal(p->max_sessions, 10);
	/* Not given: [lns]'s. */
	assert_int_equal(p->auth.count, 1);
	assert_int_equal(p->lcp_renegotiation, CFG_LCP_RENEG_ALWAYS);
	assert_int_equal(p->max_sessions_per_user, 2);
	p = &cfg->peers[1];
	assert_memory_equal(p->tunnel_secret.data, "base", 4);
	assert_int_equal(p->tunnel_secret.len, 4);
	assert_int_equal(p->hello_interval, 60);
	assert_int_equal(p->pool_count, 0);
	assert_int_equal(p->auth.methods[0], CFG_AUTH_CHAP_MD5);
	assert_int_equal(p->lcp_renegotiation, CFG_LCP_RENEG_NEVER);
	assert_int_equal(p->max_sessions_per_user, 5);
	config_free(cfg);
}

static void
test_policy_config_errors(void **state)
{
	(void)state;
	/* Pools against each other and [lns]. */
	expect_error(LNS "\n[pool a]\nrange = 10.20.0.0/24\n\n"
			 "[pool b]\nrange = 10.20.0.200-10.20.1.5\n",
	    9, "[pool b] overlaps [pool a]");
	expect_error(LNS "\n[pool a]\nrange = 10.9.0.15-10.9.0.30\n", 6,
	    "[pool a] overlaps [lns] pool");
	expect_error("[pool a]\nrange = 10.9.0.15-10.9.0.30\n\n" LNS, 5,
	    "[pool a] overlaps [lns] pool");
	expect_error(LNS "\n[pool a]\nrange = 10.9.0.1\n", 6,
	    "contains the [lns] local-address");
	expect_error(LNS "\n[pool a]\n", 5, "[pool a] needs range");
	expect_error(LNS "\n[pool default]\nrange = 10.30.0.1\n", 5,
	    "the name is taken");
	expect_error(LNS "\n[pool a]\nrange = 10.20.0.1/24\n", 6,
	    "range: invalid range \"10.20.0.1/24\"");
	expect_error(LNS "\n[pool a]\nrange = 10.20.0.0/4\n", 6,
	    "invalid range");
	expect_error(LNS "\n[pool a]\nrange = 10.20.0.0/24\n[pool a]\n", 7,
	    "duplicate section [pool a]");
	expect_error(LNS "\n[pool]\n", 5, "[pool] needs a name");
	/* Peers. */
	expect_error(LNS "\n[peer x]\nhostname = h\npool = a\n", 7,
	    "[peer x]: no [pool a]");
	expect_error(LNS "\n[pool a]\nrange = 10.20.0.1\n\n"
			 "[peer x]\nsource = 192.0.2.1\npool = a, nope\n",
	    10, "[peer x]: no [pool nope]");
	expect_error(LNS "\n[peer x]\ntunnel-secret = s\n", 5,
	    "[peer x] needs hostname or source");
	expect_error("[global]\n[peer x]\nhostname = h\n[client c]\n"
		     "lns = 192.0.2.1\nuser = u\npassword = p\n",
	    2, "[peer x] needs an [lns] section");
	expect_error(LNS "\n[peer x]\nhostname = h\nhide-avps = yes\n", 7,
	    "hide-avps = yes needs tunnel-secret");
	expect_error(LNS "\n[peer x]\nsource = 192.0.2.1/24\n", 6,
	    "prefix \"192.0.2.1/24\" has host bits set");
	expect_error(LNS "\n[peer x]\nsource = 192.0.2.300\n", 6,
	    "invalid prefix");
	expect_error(LNS
	    "\n[peer x]\nhostname = h\nlcp-renegotiation = maybe\n",
	    7, "unknown value \"maybe\" (expected on-mismatch, never, always)");
	expect_error(LNS "\n[peer x]\nhostname = h\nmax-tunnels = 70000\n", 7,
	    "max-tunnels");
	expect_error(LNS "\n[peer x]\nhostname = h\nunknown-peers = refuse\n",
	    7, "unknown key \"unknown-peers\" in [peer]");
	/* [lns] keys. */
	expect_error(LNS "unknown-peers = maybe\n", 4,
	    "expected accept, refuse");
	expect_error(LNS "duplicate-login = kick\n", 4,
	    "expected allow, refuse, replace");
	expect_error(LNS "max-sessions-per-user = -1\n", 4,
	    "max-sessions-per-user");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_config_ok),
		cmocka_unit_test(test_policy_config_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
