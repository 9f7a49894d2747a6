/*
 * schema.c — the key table of the configuration and one parser per type.
 *
 * config.c walks ini events, looks each key up here and calls
 * schema_key_apply(); everything about a key (its type, its bounds, its
 * field) is in its row below.  Parsers write "KEY: problem" messages; the
 * value is quoted back to help the user, except for strings and secrets,
 * which may be passwords.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bsd/string.h>

#include "config/schema.h"
#include "core/access_line.h"

#define DEFAULT_L2TP_PORT    1701 /* RFC 2661 §8.1 */
#define DEFAULT_METRICS_PORT 9701
#define MAX_SUN_PATH	     107 /* sizeof(sun_path) - 1 */

#define STR(x)	#x
#define XSTR(x) STR(x)

/* The last column is the default, as it would be written in the file
 * (NULL: none, or one the loader derives, see config_defaults()). */
/* clang-format off */
#define ROW(sec, name, type, st, field, mn, mx, def)			\
	{ SCHEMA_SEC_##sec, name, SCHEMA_T_##type,			\
	  offsetof(struct st, field), 0, mn, mx, def, NULL }
#define LIST(sec, name, type, st, field, count, mx, port, def)		\
	{ SCHEMA_SEC_##sec, name, SCHEMA_T_##type,			\
	  offsetof(struct st, field), offsetof(struct st, count), port, mx, \
	  def, NULL }

#define CHOICE(sec, name, st, field, words, def)			\
	{ SCHEMA_SEC_##sec, name, SCHEMA_T_CHOICE,			\
	  offsetof(struct st, field), 0, 0, 0, def, words }

static const char *const unknown_peers_words[] = { "accept", "refuse",
	NULL };
static const char *const duplicate_login_words[] = { "allow", "refuse",
	"replace", NULL };
static const char *const lcp_reneg_words[] = { "on-mismatch", "never",
	"always", NULL };

const struct schema_key schema_keys[] = {
	ROW(GLOBAL, "listen", SOCKADDR, cfg_global, listen,
	    DEFAULT_L2TP_PORT, 0, "0.0.0.0:1701"),
	ROW(GLOBAL, "hostname", STRING, cfg_global, hostname,
	    1, CFG_MAX_STR - 1, NULL),
	ROW(GLOBAL, "control-socket", STRING, cfg_global, control_socket,
	    1, MAX_SUN_PATH, "/run/vpdn/vpdnd.sock"),
	ROW(GLOBAL, "log-level", LOG_LEVEL, cfg_global, log_level, 0, 0,
	    "info"),
	ROW(GLOBAL, "hello-interval", UINT, cfg_global, hello_interval,
	    0, 3600, XSTR(CFG_DEFAULT_HELLO_INTERVAL)),
	ROW(GLOBAL, "retransmit-max", UINT, cfg_global, retransmit_max,
	    1, 50, XSTR(CFG_DEFAULT_RETRANSMIT_MAX)),
	/* PPP links: LCP + authentication + IPCP must finish in this many
	 * seconds; below 5 a slow RADIUS answer would end good sessions. */
	ROW(GLOBAL, "ppp-negotiation-timeout", UINT, cfg_global,
	    ppp_negotiation_timeout, 5, 3600, "30"),
	/* RWS is 16 bits (RFC 2661 §4.4.3); more than half the sequence
	 * space would make Ns comparisons ambiguous (§5.8). */
	ROW(GLOBAL, "receive-window", UINT, cfg_global, receive_window,
	    1, 32767, XSTR(CFG_DEFAULT_RECEIVE_WINDOW)),
	/* Tunnel and Session IDs are 16 bits and 0 is reserved (§3.1). */
	ROW(GLOBAL, "max-tunnels", UINT, cfg_global, max_tunnels, 1, 65535,
	    XSTR(CFG_DEFAULT_MAX_TUNNELS)),
	ROW(GLOBAL, "max-sessions", UINT, cfg_global, max_sessions,
	    1, 1048576, XSTR(CFG_DEFAULT_MAX_SESSIONS)),
	/* The queue of packets the kernel holds for vpdnd to read from a
	 * TUN device.  The kernel's 500 drops downstream bursts (measured:
	 * the loss-free rate doubles with 5000); 5000 full-size packets
	 * are 60 ms at 1 Gbit/s, longer than a busy event-loop turn, and
	 * cost memory only while they wait. */
	ROW(GLOBAL, "tun-txqueuelen", UINT, cfg_global, tun_txqueuelen,
	    16, 1000000, "5000"),
	/* Which path carries established sessions' data (dataplane/
	 * fastpath.h): user until the kernel path has run in the field. */
	ROW(GLOBAL, "dataplane", DATAPLANE, cfg_global, dataplane, 0, 0,
	    "user"),
	/* Where downstream packets enter (vpdn_fp_encap on their ingress):
	 * interface names, "all" Ethernet devices, or none (""), in which
	 * case the TUN's egress encapsulates what the stack routes there. */
	ROW(GLOBAL, "fastpath-ingress", STRING, cfg_global, fastpath_ingress,
	    1, CFG_MAX_STR - 1, NULL),
	/* Whether the kernel path hands TCP aggregates on whole across a
	 * veth (dataplane/fastpath.h, fastpath_opts.veth_gso): only right
	 * where every stack behind the veths takes L2TP data in the kernel
	 * (this daemon's fast path, a kernel TCP end), so off by default. */
	ROW(GLOBAL, "fastpath-veth-gso", BOOL, cfg_global, fastpath_veth_gso,
	    0, 0, "no"),
	/* Prometheus exposition; unset (len 0) = no listener. */
	ROW(GLOBAL, "metrics", SOCKADDR, cfg_global, metrics,
	    DEFAULT_METRICS_PORT, 0, NULL),
	/* Privilege drop; 32 is the useradd(8) name limit.  Whether the
	 * names exist is checked by vpdnd when it starts (and by -C). */
	ROW(GLOBAL, "user", STRING, cfg_global, user, 1, 32, NULL),
	ROW(GLOBAL, "group", STRING, cfg_global, group, 1, 32, NULL),

	/* PPP authentication failures before a user or peer is locked
	 * out (0: never), and for how many seconds. */
	ROW(GLOBAL, "auth-failure-limit", UINT, cfg_global,
	    auth_failure_limit, 0, 1000, "5"),
	ROW(GLOBAL, "auth-lockout", UINT, cfg_global, auth_lockout, 1, 86400,
	    "60"),

	ROW(LNS, "tunnel-secret", SECRET, cfg_lns, tunnel_secret, 0, 0, NULL),
	ROW(LNS, "hide-avps", BOOL, cfg_lns, hide_avps, 0, 0, "no"),
	ROW(LNS, "local-address", IPV4, cfg_lns, local_address, 0, 0, NULL),
	LIST(LNS, "pool", RANGE_LIST, cfg_lns, pool, pool_count,
	    CFG_MAX_LIST, 0, NULL),
	/* RFC 1877: a primary and a secondary server. */
	LIST(LNS, "dns", IPV4_LIST, cfg_lns, dns, dns_count, 2, 0, NULL),
	ROW(LNS, "auth", AUTH_LIST, cfg_lns, auth, 0, 0,
	    "mschap-v2, chap-md5, pap"),
	ROW(LNS, "users", STRING, cfg_lns, users, 1, CFG_MAX_STR - 1, NULL),
	ROW(LNS, "radius", BOOL, cfg_lns, radius, 0, 0, "no"),
	ROW(LNS, "accept-proxy-auth", BOOL, cfg_lns, accept_proxy_auth,
	    0, 0, "yes"),
	ROW(LNS, "interface", IFNAME, cfg_lns, interface, 0, 0, "vpdn0"),
	ROW(LNS, "mtu", UINT, cfg_lns, mtu, 576, 9000, "1400"),
	ROW(LNS, "isolate-sessions", BOOL, cfg_lns, isolate_sessions, 0, 0,
	    "no"),
	ROW(LNS, "ipv6", BOOL, cfg_lns, ipv6, 0, 0, "no"),
	/* A /64 per session (RFC 4291 §2.5.1 interface identifiers);
	 * prefix6pool.h holds at most 2^24 of them. */
	ROW(LNS, "ipv6-pool", IPV6_PREFIX, cfg_lns, ipv6_pool, 40, 64, NULL),
	LIST(LNS, "dns6", IPV6_LIST, cfg_lns, dns6, dns6_count, 2, 0, NULL),
	/* DHCPv6 prefix delegation: a /delegated-prefix-length each out
	 * of this pool (at most 2^24 of them, prefix6pool.h; checked in
	 * config.c). */
	ROW(LNS, "delegated-prefix-pool", IPV6_PREFIX, cfg_lns, delegated_pool,
	    16, 64, NULL),
	ROW(LNS, "delegated-prefix-length", UINT, cfg_lns, delegated_len, 48,
	    64, "56"),
	ROW(LNS, "dhcpv6-rapid-commit", BOOL, cfg_lns, dhcpv6_rapid_commit, 0,
	    0, "no"),

	CHOICE(LNS, "unknown-peers", cfg_lns, unknown_peers,
	    unknown_peers_words, "accept"),
	ROW(LNS, "max-sessions-per-user", UINT, cfg_lns,
	    max_sessions_per_user, 0, 65535, "0"),
	CHOICE(LNS, "duplicate-login", cfg_lns, duplicate_login,
	    duplicate_login_words, "allow"),
	CHOICE(LNS, "lcp-renegotiation", cfg_lns, lcp_renegotiation,
	    lcp_reneg_words, "on-mismatch"),

	LIST(POOL, "range", RANGE_LIST, cfg_pool, range, range_count,
	    CFG_MAX_LIST, 0, NULL),

	/* Peer keys have no defaults of their own: what is not given is
	 * the [lns] value (config/pools.c, policy_check). */
	ROW(PEER, "hostname", STRING, cfg_peer, hostname, 1, CFG_MAX_STR - 1,
	    NULL),
	LIST(PEER, "source", PREFIX_LIST, cfg_peer, source, source_count,
	    CFG_MAX_LIST, 0, NULL),
	ROW(PEER, "tunnel-secret", SECRET, cfg_peer, tunnel_secret, 0, 0,
	    NULL),
	ROW(PEER, "hide-avps", BOOL, cfg_peer, hide_avps, 0, 0, NULL),
	ROW(PEER, "pool", STRING, cfg_peer, pool_names, 1, CFG_MAX_STR - 1,
	    NULL),
	ROW(PEER, "auth", AUTH_LIST, cfg_peer, auth, 0, 0, NULL),
	ROW(PEER, "accept-proxy-auth", BOOL, cfg_peer, accept_proxy_auth,
	    0, 0, NULL),
	CHOICE(PEER, "lcp-renegotiation", cfg_peer, lcp_renegotiation,
	    lcp_reneg_words, NULL),
	ROW(PEER, "max-tunnels", UINT, cfg_peer, max_tunnels, 0, 65535, NULL),
	ROW(PEER, "max-sessions", UINT, cfg_peer, max_sessions, 0, 1048576,
	    NULL),
	ROW(PEER, "max-sessions-per-user", UINT, cfg_peer,
	    max_sessions_per_user, 0, 65535, NULL),
	ROW(PEER, "hello-interval", UINT, cfg_peer, hello_interval, 0, 3600,
	    NULL),
	ROW(PEER, "rate-plan", STRING, cfg_peer, rate_plan, 1, CFG_MAX_STR - 1,
	    NULL),

	ROW(LAC, "pppoe-interface", IFNAME, cfg_lac, pppoe_interface, 0, 0,
	    NULL),
	ROW(LAC, "ac-name", STRING, cfg_lac, ac_name, 1, CFG_MAX_STR - 1,
	    "vpdn-lac"),
	ROW(LAC, "service-name", STRING, cfg_lac, service_name,
	    1, CFG_MAX_STR - 1, NULL),
	ROW(LAC, "auth", AUTH_LIST, cfg_lac, auth, 0, 0, "chap-md5, pap"),
	ROW(LAC, "tunnel-idle-timeout", UINT, cfg_lac, tunnel_idle_timeout,
	    0, 86400, "0"),
	ROW(LAC, "radius", BOOL, cfg_lac, radius, 0, 0, "no"),
	ROW(LAC, "discovery-rate", UINT, cfg_lac, discovery_rate, 1, 1000000,
	    "200"),
	/* A home router holds one session, two with a separate service
	 * (IPTV, VoIP); after a reboot it dials again while the old
	 * session still waits for its LNS's echo timeout.  Four covers
	 * that; three flooding MACs can no longer take every slot. */
	ROW(LAC, "max-sessions-per-mac", UINT, cfg_lac, max_sessions_per_mac,
	    0, 65534, "4"),
	/* LNS selection (roles/lac_lns.c): how calls spread over a realm's
	 * LNSes, how long an LNS that failed is skipped, and how many calls
	 * one tunnel carries before another is opened to the same LNS
	 * (RFC 2661 allows several tunnels between two peers). */
	ROW(LAC, "lns-selection", LNS_SEL, cfg_lac, lns_selection,
	    0, 0, "ordered"),
	ROW(LAC, "lns-holddown", UINT, cfg_lac, lns_holddown, 0, 86400, "60"),
	ROW(LAC, "max-sessions-per-tunnel", UINT, cfg_lac,
	    max_sessions_per_tunnel, 0, 65535, "0"),
	/* TR-101 §3.9.3: the access node's line data in PADI/PADR; strip
	 * keeps it out of our PADO/PADS, keep echoes it. */
	ROW(LAC, "access-line-tags", KEEP_STRIP, cfg_lac, access_line_tags,
	    0, 0, "strip"),
	ROW(LAC, "insert-circuit-id", BOOL, cfg_lac, insert_circuit_id, 0, 0,
	    "no"),
	ROW(LAC, "circuit-id-format", STRING, cfg_lac, circuit_id_format, 1,
	    ACCESS_LINE_ID_MAX, "%i:%v"),

	/* Tunnel switching (roles/switch.c): the realms are the [realm]
	 * sections, the LNS selection [lac]'s. */
	ROW(SWITCH, "local-sessions", BOOL, cfg_switch, local_sessions, 0, 0,
	    "yes"),

	LIST(REALM, "lns", HOSTPORT_LIST, cfg_realm, lns, lns_count,
	    CFG_MAX_LIST, DEFAULT_L2TP_PORT, NULL),
	ROW(REALM, "tunnel-secret", SECRET, cfg_realm, tunnel_secret, 0, 0,
	    NULL),
	ROW(REALM, "users", STRING, cfg_realm, users, 1, CFG_MAX_STR - 1, NULL),
	ROW(REALM, "strip-realm", BOOL, cfg_realm, strip_realm, 0, 0, "no"),
	/* Unset: the [lac] values. */
	ROW(REALM, "lns-selection", LNS_SEL, cfg_realm, lns_selection,
	    0, 0, NULL),
	ROW(REALM, "max-sessions-per-tunnel", UINT, cfg_realm,
	    max_sessions_per_tunnel, 1, 65535, NULL),

	ROW(CLIENT, "lns", HOSTPORT, cfg_client, lns, DEFAULT_L2TP_PORT, 0,
	    NULL),
	ROW(CLIENT, "pppoe-interface", IFNAME, cfg_client, pppoe_interface,
	    0, 0, NULL),
	ROW(CLIENT, "user", STRING, cfg_client, user, 1, CFG_MAX_STR - 1, NULL),
	ROW(CLIENT, "password", STRING, cfg_client, password,
	    1, CFG_MAX_STR - 1, NULL),
	ROW(CLIENT, "auth", AUTH_LIST, cfg_client, auth, 0, 0,
	    "mschap-v2, chap-md5, pap"),
	ROW(CLIENT, "interface", IFNAME, cfg_client, interface, 0, 0, NULL),
	LIST(CLIENT, "routes", ROUTE_LIST, cfg_client, routes, route_count,
	    CFG_MAX_LIST, 0, NULL),
	ROW(CLIENT, "default-route", BOOL, cfg_client, default_route, 0, 0,
	    "no"),
	ROW(CLIENT, "redial", BOOL, cfg_client, redial, 0, 0, "yes"),
	ROW(CLIENT, "ipv4", BOOL, cfg_client, ipv4, 0, 0, "yes"),
	ROW(CLIENT, "ipv6", BOOL, cfg_client, ipv6, 0, 0, "no"),
	LIST(CLIENT, "routes6", IPV6_PREFIX_LIST, cfg_client, routes6,
	    route6_count, CFG_MAX_LIST, 0, NULL),
	ROW(CLIENT, "request-prefix", BOOL, cfg_client, request_prefix, 0, 0,
	    "no"),
	ROW(CLIENT, "lan-interface", IFNAME, cfg_client, lan_interface, 0, 0,
	    NULL),
	ROW(CLIENT, "tunnel-secret", SECRET, cfg_client, tunnel_secret, 0, 0,
	    NULL),
	ROW(CLIENT, "hide-avps", BOOL, cfg_client, hide_avps, 0, 0, "no"),

	/* RFC 2865 §3 / RFC 2866 §3: ports 1812 and 1813. */
	LIST(RADIUS, "server", SOCKADDR_LIST, cfg_radius, server,
	    server_count, CFG_MAX_LIST, 1812, NULL),
	LIST(RADIUS, "accounting-server", SOCKADDR_LIST, cfg_radius,
	    accounting_server, accounting_server_count, CFG_MAX_LIST, 1813,
	    NULL),
	ROW(RADIUS, "secret", SECRET, cfg_radius, secret, 0, 0, NULL),
	ROW(RADIUS, "nas-identifier", STRING, cfg_radius, nas_identifier,
	    1, CFG_MAX_STR - 1, NULL),
	/* RFC 2865 §5.4: the address a RADIUS server (and its Disconnect/CoA,
	 * RFC 5176 §3) knows this NAS by; unset = not sent. */
	ROW(RADIUS, "nas-ip-address", IPV4, cfg_radius, nas_ip_address, 0, 0,
	    NULL),
	ROW(RADIUS, "interim-interval", UINT, cfg_radius, interim_interval,
	    0, 86400, "0"),
	/* RFC 5176 §3: Disconnect/CoA-Request listener, port 3799; unset
	 * (len 0) = none.  Only the servers above may use it. */
	ROW(RADIUS, "dae-listen", SOCKADDR, cfg_radius, dae_listen, 3799, 0,
	    NULL),
	/* RFC 2869 §5.14 on Access-Accept/Reject/Challenge (a forged reply
	 * without it is the Blast-RADIUS attack); "no" for old servers. */
	ROW(RADIUS, "require-message-authenticator", BOOL, cfg_radius,
	    require_message_authenticator, 0, 0, "yes"),
	/* RFC 5176 §6.3 (RFC 3576 §5.4): the Event-Timestamp window,
	 * 300 s recommended, and whether requests without one are
	 * discarded. */
	ROW(RADIUS, "dae-replay-window", UINT, cfg_radius, dae_replay_window,
	    1, 86400, "300"),
	ROW(RADIUS, "dae-require-event-timestamp", BOOL, cfg_radius,
	    dae_require_event_timestamp, 0, 0, "yes"),

	/* Rates in bit/s, 0 = no limit in that direction.  The burst: a
	 * TCP flow through a policer reaches the rate only when the bucket
	 * holds what the rate brings over a round trip plus a
	 * retransmission timeout (Linux waits at least 200 ms), the time
	 * a flow that lost the tail of a window sends nothing; 250 ms
	 * measured 95% or more of the rate (vpdn.conf(5)). */
	ROW(RATE_PLAN, "down", RATE, cfg_rate_plan, down, 0, 0, "0"),
	ROW(RATE_PLAN, "up", RATE, cfg_rate_plan, up, 0, 0, "0"),
	ROW(RATE_PLAN, "burst", BURST, cfg_rate_plan, burst, 0, 0, "250ms"),
	ROW(LNS, "rate-plan", STRING, cfg_lns, rate_plan, 1, CFG_MAX_STR - 1,
	    NULL),
};
/* clang-format on */
const size_t schema_nkeys = sizeof(schema_keys) / sizeof(schema_keys[0]);

_Static_assert(sizeof(schema_keys) / sizeof(schema_keys[0]) <= SCHEMA_MAX_KEYS,
    "raise SCHEMA_MAX_KEYS");

static const struct {
	const char *word;
	bool named;
} sections[SCHEMA_SEC_COUNT] = {
	[SCHEMA_SEC_GLOBAL] = { "global", false },
	[SCHEMA_SEC_LNS] = { "lns", false },
	[SCHEMA_SEC_LAC] = { "lac", false },
	[SCHEMA_SEC_REALM] = { "realm", true },
	[SCHEMA_SEC_CLIENT] = { "client", true },
	[SCHEMA_SEC_RADIUS] = { "radius", false },
	[SCHEMA_SEC_POOL] = { "pool", true },
	[SCHEMA_SEC_PEER] = { "peer", true },
	[SCHEMA_SEC_RATE_PLAN] = { "rate-plan", true },
	[SCHEMA_SEC_SWITCH] = { "switch", false },
};

const char *
schema_section_str(enum schema_section s)
{
	if ((unsigned)s >= SCHEMA_SEC_COUNT)
		return "?";
	return sections[s].word;
}

const char *
schema_type_str(enum schema_type t)
{
	switch (t) {
	/* clang-format off */
	case SCHEMA_T_BOOL:		return "bool";
	case SCHEMA_T_UINT:		return "uint";
	case SCHEMA_T_STRING:		return "string";
	case SCHEMA_T_IFNAME:		return "ifname";
	case SCHEMA_T_SECRET:		return "secret";
	case SCHEMA_T_SOCKADDR:		return "sockaddr";
	case SCHEMA_T_SOCKADDR_LIST:	return "sockaddr list";
	case SCHEMA_T_HOSTPORT:		return "hostport";
	case SCHEMA_T_HOSTPORT_LIST:	return "hostport list";
	case SCHEMA_T_IPV4:		return "ipv4";
	case SCHEMA_T_IPV4_LIST:	return "ipv4 list";
	case SCHEMA_T_RANGE_LIST:	return "ipv4 range list";
	case SCHEMA_T_AUTH_LIST:	return "auth list";
	case SCHEMA_T_ROUTE_LIST:	return "route list";
	case SCHEMA_T_LOG_LEVEL:	return "log level";
	case SCHEMA_T_DATAPLANE:	return "dataplane";
	case SCHEMA_T_LNS_SEL:	return "lns selection";
	case SCHEMA_T_IPV6_PREFIX:	return "ipv6 prefix";
	case SCHEMA_T_IPV6_LIST:	return "ipv6 list";
	case SCHEMA_T_IPV6_PREFIX_LIST:	return "ipv6 prefix list";
	case SCHEMA_T_CHOICE:		return "choice";
	case SCHEMA_T_PREFIX_LIST:	return "prefix list";
	case SCHEMA_T_RATE:		return "rate";
	case SCHEMA_T_BURST:		return "burst";
	case SCHEMA_T_KEEP_STRIP:	return "keep or strip";
		/* clang-format on */
	}
	return "?";
}

bool
schema_section_find(const char *word, enum schema_section *out)
{
	for (unsigned i = 0; i < SCHEMA_SEC_COUNT; i++) {
		if (strcmp(word, sections[i].word) == 0) {
			*out = (enum schema_section)i;
			return true;
		}
	}
	return false;
}

bool
schema_section_named(enum schema_section s)
{
	return (unsigned)s < SCHEMA_SEC_COUNT && sections[s].named;
}

const struct schema_key *
schema_key_find(enum schema_section s, const char *key)
{
	for (size_t i = 0; i < schema_nkeys; i++)
		if (schema_keys[i].section == s &&
		    strcmp(schema_keys[i].key, key) == 0)
			return &schema_keys[i];
	return NULL;
}

int
schema_apply_defaults(enum schema_section s, void *base, char *msg,
    size_t msglen)
{
	for (size_t i = 0; i < schema_nkeys; i++)
		if (schema_keys[i].section == s && schema_keys[i].def != NULL &&
		    schema_key_apply(&schema_keys[i], schema_keys[i].def, base,
			msg, msglen) < 0)
			return -1;
	return 0;
}

/* ---- scalar parsers: 0 or -1, no message (the caller knows the key) ---- */

static int
parse_bool(const char *s, bool *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/*
 * Decimal digits only: strtoul() alone would take "-1", " 7" and "0x10".
 * Returns -1 on syntax errors, -2 when the number does not fit.
 */
static int
parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (*end != '\0')
		return -1;
	if (errno == ERANGE)
		return -2;
	return 0;
}

/*
 * "N" followed by one multiplier letter (k/K 10^3, M 10^6, G 10^9) or
 * "ms"; the number is decimal digits only.  Returns the value times the
 * multiplier, or -1; *ms tells the "ms" form (NULL: not allowed).
 */
static int
parse_scaled(const char *s, uint64_t max, uint64_t *out, bool *ms)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (ms != NULL)
		*ms = false;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (ms != NULL && strcmp(p, "ms") == 0)
		*ms = true;
	else if (strcmp(p, "k") == 0 || strcmp(p, "K") == 0)
		mul = 1000;
	else if (strcmp(p, "M") == 0)
		mul = 1000000;
	else if (strcmp(p, "G") == 0)
		mul = 1000000000;
	else if (*p != '\0')
		return -1;
	if (v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

/* 100 Gbit/s: beyond any one subscriber's line (dataplane/policer.h). */
#define RATE_MAX	((uint64_t)100000000000)
/* 4 GB: the policer's largest bucket; 60 s is far past any RTT. */
#define BURST_MAX_BYTES ((uint64_t)1 << 32)
#define BURST_MAX_MS	60000

int
schema_parse_rate(const char *s, uint64_t *out)
{
	return parse_scaled(s, RATE_MAX, out, NULL);
}

static int
parse_port(const char *s, uint16_t *out)
{
	unsigned long v;

	if (parse_ulong(s, &v) < 0 || v == 0 || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int
schema_parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;
	uint32_t h;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	h = ntohl(a.s_addr);
	/* 0 means "unset" in config.h; neither is a host address. */
	if (h == 0 || h == 0xffffffffu)
		return -1;
	*out = h;
	return 0;
}

/*
 * Splits "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address
 * (two colons or more, no port) into buf (the host, brackets removed) and
 * *port.  Returns 1 when the host was bracketed, 0 otherwise, -1 on syntax
 * errors, -2 on a bad port.
 */
static int
split_hostport(const char *s, char *buf, size_t buflen, uint16_t *port)
{
	const char *colon, *close;
	size_t n;

	if (*s == '[') {
		close = strchr(s, ']');
		if (close == NULL)
			return -1;
		n = (size_t)(close - s - 1);
		if (n == 0 || n >= buflen)
			return -1;
		memcpy(buf, s + 1, n);
		buf[n] = '\0';
		if (close[1] == '\0')
			return 1;
		if (close[1] != ':')
			return -1;
		return parse_port(close + 2, port) < 0 ? -2 : 1;
	}
	colon = strchr(s, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL)
		colon = NULL; /* bare IPv6, no port */
	n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (n == 0 || n >= buflen)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (colon != NULL && parse_port(colon + 1, port) < 0)
		return -2;
	return 0;
}

static int
parse_sockaddr(const char *s, uint16_t defport, struct cfg_sockaddr *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	uint16_t port = defport;
	int r;

	r = split_hostport(s, host, sizeof(host), &port);
	if (r < 0)
		return r;
	memset(out, 0, sizeof(*out));
	if (r == 0 && strchr(host, ':') == NULL) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&out->ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		out->len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		out->len = sizeof(*sin6);
	}
	return 0;
}

/* RFC 1123 §2.1 host name: labels of letters, digits and '-'. */
static bool
valid_hostname(const char *h)
{
	size_t label = 0, len = strlen(h);
	bool alldigits = true;

	if (len == 0 || len > 253)
		return false;
	for (const char *p = h;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			if (*p == '\0')
				break;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
		if (*p == '-' && label == 0)
			return false;
		if (!isdigit((unsigned char)*p))
			alldigits = false;
		label++;
	}
	/* "10.1.2" is a mistyped address, not a name. */
	return !alldigits;
}

static int
parse_hostport(const char *s, uint16_t defport, struct cfg_hostport *out)
{
	struct in6_addr a6;
	struct in_addr a4;
	uint16_t port = defport;
	int r;

	r = split_hostport(s, out->host, sizeof(out->host), &port);
	if (r < 0)
		return r;
	if (r == 1 || strchr(out->host, ':') != NULL) {
		if (inet_pton(AF_INET6, out->host, &a6) != 1)
			return -1;
	} else if (inet_pton(AF_INET, out->host, &a4) != 1 &&
	    !valid_hostname(out->host))
		return -1;
	out->port = port;
	return 0;
}

static int parse_route(const char *s, uint32_t *addr, uint8_t *plen);

/* "a-b", a single "a", or where prefixes are taken ([pool] range) a
 * prefix "a/len" (every address in it: PPP users get /32s, so no network
 * or broadcast address is set aside). */
static int
parse_range(const char *s, struct cfg_ip4_range *r, bool prefix_ok)
{
	char buf[64];
	const char *dash;
	char *a, *b;
	size_t n;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	if (prefix_ok && strchr(buf, '/') != NULL) {
		uint8_t plen;

		if (parse_route(buf, &r->first, &plen) < 0 || plen < 8)
			return -1;
		r->last = r->first | (plen == 32 ? 0 : 0xffffffffu >> plen);
		/* Host bits set: the writer meant another prefix. */
		return (r->first & ~(0xffffffffu << (32 - plen))) != 0 ? -1 : 0;
	}
	dash = strchr(buf, '-');
	if (dash == NULL)
		return schema_parse_ipv4(buf, &r->first) < 0 ?
		    -1 :
		    (r->last = r->first, 0);
	n = (size_t)(dash - buf);
	buf[n] = '\0';
	a = buf;
	b = buf + n + 1;
	while (*a == ' ' || *a == '\t')
		a++;
	for (char *e = a + strlen(a); e > a && (e[-1] == ' ' || e[-1] == '\t');)
		*--e = '\0';
	while (*b == ' ' || *b == '\t')
		b++;
	if (schema_parse_ipv4(a, &r->first) < 0 ||
	    schema_parse_ipv4(b, &r->last) < 0)
		return -1;
	return 0;
}

static const struct {
	const char *name;
	enum cfg_auth method;
} auth_names[] = {
	{ "mschap-v2", CFG_AUTH_MSCHAPV2 },
	{ "chap-md5", CFG_AUTH_CHAP_MD5 },
	{ "pap", CFG_AUTH_PAP },
};

static int
parse_route(const char *s, uint32_t *addr, uint8_t *plen)
{
	char buf[64];
	char *slash;
	unsigned long l;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if (parse_ulong(slash + 1, &l) < 0 || l > 32)
		return -1;
	/* 0.0.0.0/0 is what default-route is for, but allow it here too. */
	if (strcmp(buf, "0.0.0.0") == 0)
		*addr = 0;
	else if (schema_parse_ipv4(buf, addr) < 0)
		return -1;
	*plen = (uint8_t)l;
	return 0;
}

/* ---- list splitting ---- */

/*
 * Calls fn for each comma-separated, trimmed entry of s; rejects empty
 * entries and more than max of them.
 */
static int
for_each_entry(const struct schema_key *k, const char *s, unsigned long max,
    int (*fn)(const struct schema_key *, const char *, unsigned, void *, char *,
	size_t),
    void *base, char *msg, size_t msglen)
{
	char buf[1024];
	char *p, *next, *e;
	unsigned n = 0;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf)) {
		snprintf(msg, msglen, "%s: value too long", k->key);
		return -1;
	}
	for (p = buf; p != NULL; p = next) {
		next = strchr(p, ',');
		if (next != NULL)
			*next++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = p + strlen(p);
		     e > p && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		if (*p == '\0') {
			snprintf(msg, msglen, "%s: empty entry in list",
			    k->key);
			return -1;
		}
		if (n >= max) {
			snprintf(msg, msglen, "%s: too many entries (max %lu)",
			    k->key, max);
			return -1;
		}
		if (fn(k, p, n, base, msg, msglen) < 0)
			return -1;
		n++;
	}
	if (k->type != SCHEMA_T_AUTH_LIST)
		*(unsigned *)((char *)base + k->count_off) = n;
	return 0;
}

static int
entry_sockaddr(const struct schema_key *k, const char *s, unsigned i,
    void *base, char *msg, size_t msglen)
{
	struct cfg_sockaddr *v = (struct cfg_sockaddr *)((char *)base + k->off);
	int r = parse_sockaddr(s, (uint16_t)k->min, &v[i]);

	if (r == -2)
		snprintf(msg, msglen, "%s: invalid port in \"%s\"", k->key, s);
	else if (r < 0)
		snprintf(msg, msglen, "%s: invalid address \"%s\"", k->key, s);
	return r < 0 ? -1 : 0;
}

static int
entry_hostport(const struct schema_key *k, const char *s, unsigned i,
    void *base, char *msg, size_t msglen)
{
	struct cfg_hostport *v = (struct cfg_hostport *)((char *)base + k->off);
	int r = parse_hostport(s, (uint16_t)k->min, &v[i]);

	if (r == -2)
		snprintf(msg, msglen, "%s: invalid port in \"%s\"", k->key, s);
	else if (r < 0)
		snprintf(msg, msglen, "%s: invalid host \"%s\"", k->key, s);
	return r < 0 ? -1 : 0;
}

static int
entry_ipv4(const struct schema_key *k, const char *s, unsigned i, void *base,
    char *msg, size_t msglen)
{
	uint32_t *v = (uint32_t *)((char *)base + k->off);

	if (schema_parse_ipv4(s, &v[i]) < 0) {
		snprintf(msg, msglen, "%s: invalid IPv4 address \"%s\"", k->key,
		    s);
		return -1;
	}
	return 0;
}

static int
entry_range(const struct schema_key *k, const char *s, unsigned i, void *base,
    char *msg, size_t msglen)
{
	struct cfg_ip4_range *v = (struct cfg_ip4_range *)((char *)base +
	    k->off);

	bool prefix_ok = k->section == SCHEMA_SEC_POOL;

	if (parse_range(s, &v[i], prefix_ok) < 0) {
		snprintf(msg, msglen, "%s: invalid range \"%s\" (expected %s)",
		    k->key, s,
		    prefix_ok ? "FIRST-LAST or ADDRESS/LENGTH, length 8..32" :
				"FIRST-LAST");
		return -1;
	}
	if (v[i].first > v[i].last) {
		snprintf(msg, msglen, "%s: range \"%s\" has first > last",
		    k->key, s);
		return -1;
	}
	for (unsigned j = 0; j < i; j++) {
		if (v[j].first <= v[i].last && v[i].first <= v[j].last) {
			snprintf(msg, msglen,
			    "%s: range \"%s\" overlaps "
			    "an earlier one",
			    k->key, s);
			return -1;
		}
	}
	return 0;
}

static int
entry_auth(const struct schema_key *k, const char *s, unsigned i, void *base,
    char *msg, size_t msglen)
{
	struct cfg_auth_list *v = (struct cfg_auth_list *)((char *)base +
	    k->off);
	size_t j;

	for (j = 0; j < sizeof(auth_names) / sizeof(auth_names[0]); j++)
		if (strcasecmp(s, auth_names[j].name) == 0)
			break;
	if (j == sizeof(auth_names) / sizeof(auth_names[0])) {
		snprintf(msg, msglen,
		    "%s: unknown method \"%s\" (expected "
		    "mschap-v2, chap-md5 or pap)",
		    k->key, s);
		return -1;
	}
	for (unsigned m = 0; m < i; m++) {
		if (v->methods[m] == auth_names[j].method) {
			snprintf(msg, msglen, "%s: duplicate method \"%s\"",
			    k->key, auth_names[j].name);
			return -1;
		}
	}
	v->methods[i] = auth_names[j].method;
	v->count = i + 1;
	return 0;
}

/* "ADDR/LEN" with LEN in k->min..k->max and no host bits set. */
static int
parse_ip6_prefix(const struct schema_key *k, const char *s,
    struct cfg_ip6_prefix *out, char *msg, size_t msglen)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	unsigned long len;
	size_t alen;

	if (slash == NULL || (alen = (size_t)(slash - s)) == 0 ||
	    alen >= sizeof(addr) || parse_ulong(slash + 1, &len) < 0) {
		snprintf(msg, msglen,
		    "%s: invalid IPv6 prefix \"%s\" (expected ADDRESS/LENGTH)",
		    k->key, s);
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET6, addr, out->addr) != 1) {
		snprintf(msg, msglen, "%s: invalid IPv6 address in \"%s\"",
		    k->key, s);
		return -1;
	}
	if (len < k->min || len > k->max) {
		snprintf(msg, msglen,
		    "%s: prefix length %lu is out of range %lu..%lu", k->key,
		    len, k->min, k->max);
		return -1;
	}
	for (unsigned b = (unsigned)len; b < 128; b++)
		if (out->addr[b / 8] & (0x80u >> (b % 8))) {
			snprintf(msg, msglen,
			    "%s: prefix \"%s\" has host bits set", k->key, s);
			return -1;
		}
	out->len = (unsigned)len;
	out->set = true;
	return 0;
}

/* A unicast address a subscriber can use (not ::, multicast or
 * link-local: RFC 8106 §5.1 servers must be reachable off-link). */
static int
entry_ipv6(const struct schema_key *k, const char *s, unsigned i, void *base,
    char *msg, size_t msglen)
{
	uint8_t(*v)[16] = (uint8_t(*)[16])((char *)base + k->off);
	static const uint8_t zero[16];

	if (inet_pton(AF_INET6, s, v[i]) != 1 || memcmp(v[i], zero, 16) == 0 ||
	    v[i][0] == 0xff || (v[i][0] == 0xfe && (v[i][1] & 0xc0) == 0x80)) {
		snprintf(msg, msglen, "%s: invalid IPv6 address \"%s\"", k->key,
		    s);
		return -1;
	}
	return 0;
}

/* One prefix of a list, any length (a route). */
static int
entry_ip6_prefix(const struct schema_key *k, const char *s, unsigned i,
    void *base, char *msg, size_t msglen)
{
	struct cfg_ip6_prefix *v = (struct cfg_ip6_prefix *)((char *)base +
	    k->off);
	struct schema_key any = *k;

	any.min = 0;
	any.max = 128;
	return parse_ip6_prefix(&any, s, &v[i], msg, msglen);
}

/* [peer] source: prefixes the peer's address must fall in. */
static int
entry_prefix(const struct schema_key *k, const char *s, unsigned i, void *base,
    char *msg, size_t msglen)
{
	struct cfg_ip4_prefix *v = (struct cfg_ip4_prefix *)((char *)base +
	    k->off);
	uint32_t mask;

	if (strchr(s, '/') == NULL) {
		/* A lone address is its /32. */
		if (schema_parse_ipv4(s, &v[i].addr) == 0) {
			v[i].plen = 32;
			return 0;
		}
	} else if (parse_route(s, &v[i].addr, &v[i].plen) == 0) {
		mask = v[i].plen == 0 ? 0 : 0xffffffffu << (32 - v[i].plen);
		if ((v[i].addr & ~mask) == 0)
			return 0;
		snprintf(msg, msglen, "%s: prefix \"%s\" has host bits set",
		    k->key, s);
		return -1;
	}
	snprintf(msg, msglen,
	    "%s: invalid prefix \"%s\" (expected ADDRESS[/LENGTH])", k->key, s);
	return -1;
}

static int
entry_route(const struct schema_key *k, const char *s, unsigned i, void *base,
    char *msg, size_t msglen)
{
	struct cfg_client *c = base;
	uint32_t mask;

	/* The only route list is cfg_client.routes (an anonymous struct). */
	if (parse_route(s, &c->routes[i].addr, &c->routes[i].plen) < 0) {
		snprintf(msg, msglen,
		    "%s: invalid route \"%s\" (expected "
		    "ADDRESS/LENGTH)",
		    k->key, s);
		return -1;
	}
	mask = c->routes[i].plen == 0 ? 0 :
					0xffffffffu << (32 - c->routes[i].plen);
	if ((c->routes[i].addr & ~mask) != 0) {
		snprintf(msg, msglen, "%s: route \"%s\" has host bits set",
		    k->key, s);
		return -1;
	}
	return 0;
}

int
schema_key_apply(const struct schema_key *k, const char *value, void *base,
    char *msg, size_t msglen)
{
	void *field = (char *)base + k->off;
	unsigned long v;
	size_t len = strlen(value);
	int r;

	if (*value == '\0') {
		snprintf(msg, msglen, "%s: missing value", k->key);
		return -1;
	}
	switch (k->type) {
	case SCHEMA_T_BOOL:
		if (parse_bool(value, field) < 0) {
			snprintf(msg, msglen,
			    "%s: expected yes or no, "
			    "got \"%s\"",
			    k->key, value);
			return -1;
		}
		return 0;
	case SCHEMA_T_UINT:
		r = parse_ulong(value, &v);
		if (r == -1) {
			snprintf(msg, msglen, "%s: \"%s\" is not a number",
			    k->key, value);
			return -1;
		}
		if (r == -2 || v < k->min || v > k->max) {
			snprintf(msg, msglen,
			    "%s: %s is out of range "
			    "%lu..%lu",
			    k->key, value, k->min, k->max);
			return -1;
		}
		*(unsigned *)field = (unsigned)v;
		return 0;
	case SCHEMA_T_STRING:
		if (len > k->max) {
			snprintf(msg, msglen,
			    "%s: too long (max %lu "
			    "characters)",
			    k->key, k->max);
			return -1;
		}
		memcpy(field, value, len + 1);
		return 0;
	case SCHEMA_T_IFNAME:
		/* The kernel's dev_valid_name(): no '/', ':' or blanks. */
		if (len >= IFNAMSIZ) {
			snprintf(msg, msglen,
			    "%s: too long (max %d "
			    "characters)",
			    k->key, IFNAMSIZ - 1);
			return -1;
		}
		if (strcmp(value, ".") == 0 || strcmp(value, "..") == 0 ||
		    strpbrk(value, "/: \t") != NULL) {
			snprintf(msg, msglen,
			    "%s: invalid interface name "
			    "\"%s\"",
			    k->key, value);
			return -1;
		}
		memcpy(field, value, len + 1);
		return 0;
	case SCHEMA_T_SECRET: {
		struct cfg_secret *sec = field;

		if (len > sizeof(sec->data)) {
			snprintf(msg, msglen, "%s: too long (max %zu bytes)",
			    k->key, sizeof(sec->data));
			return -1;
		}
		memcpy(sec->data, value, len);
		sec->len = len;
		return 0;
	}
	case SCHEMA_T_SOCKADDR:
		return entry_sockaddr(k, value, 0, base, msg, msglen);
	case SCHEMA_T_HOSTPORT:
		return entry_hostport(k, value, 0, base, msg, msglen);
	case SCHEMA_T_IPV4:
		return entry_ipv4(k, value, 0, base, msg, msglen);
	case SCHEMA_T_LOG_LEVEL:
		if (log_level_parse(value, field) < 0) {
			snprintf(msg, msglen,
			    "%s: unknown level \"%s\" "
			    "(expected error, warn, info, debug or trace)",
			    k->key, value);
			return -1;
		}
		return 0;
	case SCHEMA_T_DATAPLANE:
		if (strcmp(value, "auto") == 0)
			*(enum cfg_dataplane *)field = CFG_DATAPLANE_AUTO;
		else if (strcmp(value, "kernel") == 0)
			*(enum cfg_dataplane *)field = CFG_DATAPLANE_KERNEL;
		else if (strcmp(value, "user") == 0)
			*(enum cfg_dataplane *)field = CFG_DATAPLANE_USER;
		else {
			snprintf(msg, msglen,
			    "%s: unknown data plane \"%s\" "
			    "(expected auto, kernel or user)",
			    k->key, value);
			return -1;
		}
		return 0;
	case SCHEMA_T_LNS_SEL:
		if (strcmp(value, "ordered") == 0)
			*(enum cfg_lns_selection *)field = CFG_LNS_SEL_ORDERED;
		else if (strcmp(value, "balanced") == 0)
			*(enum cfg_lns_selection *)field = CFG_LNS_SEL_BALANCED;
		else {
			snprintf(msg, msglen,
			    "%s: unknown selection \"%s\" "
			    "(expected ordered or balanced)",
			    k->key, value);
			return -1;
		}
		return 0;
	case SCHEMA_T_RATE:
		if (schema_parse_rate(value, field) < 0) {
			snprintf(msg, msglen,
			    "%s: invalid rate \"%s\" (expected bits per "
			    "second, N[k|M|G], at most 100G)",
			    k->key, value);
			return -1;
		}
		return 0;
	case SCHEMA_T_IPV6_PREFIX:
		return parse_ip6_prefix(k, value, field, msg, msglen);
	case SCHEMA_T_IPV6_LIST:
		return for_each_entry(k, value, k->max, entry_ipv6, base, msg,
		    msglen);
	case SCHEMA_T_IPV6_PREFIX_LIST:
		return for_each_entry(k, value, k->max, entry_ip6_prefix, base,
		    msg, msglen);
	case SCHEMA_T_CHOICE: {
		size_t n = 0;
		char words[128] = "";

		for (size_t i = 0; k->words[i] != NULL; i++) {
			if (strcmp(value, k->words[i]) == 0) {
				*(unsigned *)field = (unsigned)i;
				return 0;
			}
			n += (size_t)snprintf(words + n, sizeof(words) - n,
			    "%s%s", i > 0 ? ", " : "", k->words[i]);
			if (n >= sizeof(words))
				n = sizeof(words) - 1;
		}
		snprintf(msg, msglen, "%s: unknown value \"%s\" (expected %s)",
		    k->key, value, words);
		return -1;
	}
	case SCHEMA_T_PREFIX_LIST:
		return for_each_entry(k, value, k->max, entry_prefix, base, msg,
		    msglen);
	case SCHEMA_T_BURST: {
		struct cfg_burst *b = field;
		uint64_t n;
		bool ms;

		if (parse_scaled(value, BURST_MAX_BYTES, &n, &ms) < 0 ||
		    n == 0 || (ms && n > BURST_MAX_MS)) {
			snprintf(msg, msglen,
			    "%s: invalid burst \"%s\" (expected N[k|M] "
			    "bytes up to 4G, or 1..%dms)",
			    k->key, value, BURST_MAX_MS);
			return -1;
		}
		b->bytes = ms ? 0 : n;
		b->ms = ms ? (unsigned)n : 0;
		return 0;
	}
	case SCHEMA_T_KEEP_STRIP:
		if (strcmp(value, "keep") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "strip") == 0)
			*(bool *)field = false;
		else {
			snprintf(msg, msglen,
			    "%s: \"%s\" is neither keep nor strip", k->key,
			    value);
			return -1;
		}
		return 0;
	case SCHEMA_T_SOCKADDR_LIST:
		return for_each_entry(k, value, k->max, entry_sockaddr, base,
		    msg, msglen);
	case SCHEMA_T_HOSTPORT_LIST:
		return for_each_entry(k, value, k->max, entry_hostport, base,
		    msg, msglen);
	case SCHEMA_T_IPV4_LIST:
		return for_each_entry(k, value, k->max, entry_ipv4, base, msg,
		    msglen);
	case SCHEMA_T_RANGE_LIST:
		return for_each_entry(k, value, k->max, entry_range, base, msg,
		    msglen);
	case SCHEMA_T_ROUTE_LIST:
		return for_each_entry(k, value, k->max, entry_route, base, msg,
		    msglen);
	case SCHEMA_T_AUTH_LIST: {
		struct cfg_auth_list *al = field;

		al->count = 0;
		return for_each_entry(k, value,
		    sizeof(al->methods) / sizeof(al->methods[0]), entry_auth,
		    base, msg, msglen);
	}
	}
	snprintf(msg, msglen, "%s: internal error: no parser", k->key);
	return -1;
}
