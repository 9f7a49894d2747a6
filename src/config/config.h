/*
 * config.h — the immutable configuration snapshot of vpdnd.
 *
 * config_load() parses the INI file of shared/INTERFACE.md through the schema
 * table (schema.c), so every key is typed, bounded and known; anything else is
 * an error "FILE:LINE: message".  Nobody reads configuration by string at run
 * time: roles take a const struct vpdn_config * and, on reload, diff the old
 * snapshot against the new one.
 *
 * Lifetimes across reload.  A reload replaces this snapshot and what the
 * roles built from it: the users files (LNS, realms), the realms, the
 * pool's ranges, the client sections.  One rule for all of them: nothing
 * that outlives the call it runs in keeps a pointer into a snapshot or
 * into a replaceable object; it keeps a copy, or a counted reference that
 * it drops when it ends.  The old snapshot is therefore freed as soon as
 * roles_reconfigure() returns.  What follows from the rule:
 *  - What a live link, call or session was given when it started it keeps
 *    until it ends: its PPP link configuration (a copy the role makes once
 *    per snapshot and every link counts, struct ppp_link_conf in
 *    ppp/link.h), a LAC call's realm with its LNS list and users file
 *    (counted, roles/lac_realm.c), a client's section (copied,
 *    roles/client.c), its address (held in the pool whatever the ranges
 *    become, roles/lns.c).
 *  - What it asks for later is answered by the version in force then: a
 *    PAP/CHAP proof is checked against the users file in force when it
 *    arrives (the links' backend names the owner's slot, not a file:
 *    auth_users_backend_current), so a call waiting between LCP-open and
 *    authentication during a reload meets the new file.
 *  - A reload builds every new object (users files loaded) before it
 *    replaces any, so a broken file leaves everything as it was.
 * The RADIUS client, its servers, accounting and the RFC 5176 listener are
 * built once at start and live until exit ([radius] changes need a
 * restart); a pending request is cancelled by handle when its link or call
 * ends.
 */
#ifndef VPDN_CONFIG_CONFIG_H
#define VPDN_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/log.h"

#define CFG_MAX_STR  256
#define CFG_MAX_LIST 8 /* entries in a comma-separated list */

struct vpdn_config;

/* An address with port, as written "1.2.3.4:1701" or "[::1]:1701". */
struct cfg_sockaddr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* A host name or address plus port, resolved at use time (client lns =). */
struct cfg_hostport {
	char host[CFG_MAX_STR];
	uint16_t port;
};

struct cfg_secret {
	uint8_t data[CFG_MAX_STR];
	size_t len; /* 0: none configured */
};

enum cfg_auth {
	CFG_AUTH_PAP = 1,
	CFG_AUTH_CHAP_MD5,
	CFG_AUTH_MSCHAPV2,
};

struct cfg_auth_list {
	enum cfg_auth methods[3];
	unsigned count;
};

struct cfg_ip4_range {
	uint32_t first, last; /* host byte order, inclusive */
};

/* "192.0.2.0/24": addr has no host bits set. */
struct cfg_ip4_prefix {
	uint32_t addr; /* host order */
	uint8_t plen;
};

/*
 * Defaults of vpdn.conf live in the schema rows (schema.c); these few are
 * numbers because the L2TP host's own defaults (l2tp_host_config_defaults(),
 * for users of the host other than vpdnd) must be the same.
 */
#define CFG_DEFAULT_HELLO_INTERVAL 60 /* s */
#define CFG_DEFAULT_RETRANSMIT_MAX 5  /* RFC 2661 §5.8 */
#define CFG_DEFAULT_RECEIVE_WINDOW 16
#define CFG_DEFAULT_MAX_TUNNELS	   4096
#define CFG_DEFAULT_MAX_SESSIONS   65535

/* [global] dataplane (vpdn.conf(5)). */
enum cfg_dataplane {
	CFG_DATAPLANE_USER = 0, /* every packet through vpdnd */
	CFG_DATAPLANE_AUTO,	/* kernel if the programs load, else user */
	CFG_DATAPLANE_KERNEL,	/* kernel; start fails if they cannot load */
};

/* [lac]/[realm] lns-selection (vpdn.conf(5)): how a call picks among the
 * LNSes it may use.  INHERIT (a realm without the key): the [lac] value. */
enum cfg_lns_selection {
	CFG_LNS_SEL_INHERIT = 0,
	CFG_LNS_SEL_ORDERED,  /* list / Tunnel-Preference order */
	CFG_LNS_SEL_BALANCED, /* fewest sessions in the best group */
};

struct cfg_global {
	struct cfg_sockaddr listen;
	char hostname[CFG_MAX_STR]; /* default gethostname() */
	char control_socket[CFG_MAX_STR];
	enum log_level log_level;
	unsigned hello_interval; /* s; 0 disables */
	unsigned retransmit_max;
	/* s from PPP start (or LCP renegotiation) to IPCP Opened, every
	 * role */
	unsigned ppp_negotiation_timeout;
	unsigned receive_window;
	unsigned max_tunnels;
	unsigned max_sessions;
	unsigned tun_txqueuelen; /* packets */
	/* The data path of LNS sessions; read at start only. */
	enum cfg_dataplane dataplane;
	/* Interfaces whose ingress encapsulates packets to sessions
	 * ("a, b"), "all" Ethernet devices, or "" none; read at start. */
	char fastpath_ingress[CFG_MAX_STR];
	/* The kernel path passes TCP aggregates whole across veths (and
	 * decapsulates them whole from one); read at start. */
	bool fastpath_veth_gso;
	struct cfg_sockaddr metrics; /* len 0: no metrics listener */
	/* Drop root to this user (and group; default the user's primary
	 * group) once sockets and TUN devices are open; "": stay root. */
	char user[CFG_MAX_STR];
	char group[CFG_MAX_STR];
	/* PPP authentication back-off: after auth_failure_limit failures
	 * of one user or one peer, its attempts fail for auth_lockout
	 * seconds; limit 0 disables. */
	unsigned auth_failure_limit;
	unsigned auth_lockout; /* s */
};

/* An IPv6 prefix (`2001:db8:100::/48`), host bits zero. */
struct cfg_ip6_prefix {
	bool set;
	uint8_t addr[16];
	unsigned len;
};

/* [lns] unknown-peers: an SCCRQ that matches no [peer] section. */
enum cfg_unknown_peers {
	CFG_UNKNOWN_PEERS_ACCEPT = 0, /* the [lns] keys apply */
	CFG_UNKNOWN_PEERS_REFUSE,     /* StopCCN result 4 (RFC 2661 §4.4.2) */
};

/* duplicate-login: a user who authenticates while already online. */
enum cfg_duplicate_login {
	CFG_DUPLICATE_LOGIN_ALLOW = 0, /* up to max-sessions-per-user */
	CFG_DUPLICATE_LOGIN_REFUSE,    /* the new session fails */
	CFG_DUPLICATE_LOGIN_REPLACE,   /* the old session is ended */
};

/* lcp-renegotiation: what the LNS does with a LAC's proxy LCP (RFC 2661
 * §4.4.5). */
enum cfg_lcp_renegotiation {
	CFG_LCP_RENEG_ON_MISMATCH = 0, /* take it if acceptable, else ours */
	CFG_LCP_RENEG_NEVER,	       /* take it; unacceptable ends the call */
	CFG_LCP_RENEG_ALWAYS,	       /* ignore proxy data, negotiate afresh */
};

struct cfg_lns {
	bool enabled; /* [lns] present */
	struct cfg_secret tunnel_secret;
	bool hide_avps;
	uint32_t local_address; /* host order; 0 = unset */
	struct cfg_ip4_range pool[CFG_MAX_LIST];
	unsigned pool_count;
	uint32_t dns[2];
	unsigned dns_count;
	struct cfg_auth_list auth;
	char users[CFG_MAX_STR];
	bool radius;
	bool accept_proxy_auth;
	char interface[CFG_MAX_STR];
	unsigned mtu;
	/* Drop a user's packet addressed to another session of ours. */
	bool isolate_sessions;
	/* IPv6 for subscribers (RFC 5072 IPv6CP + RFC 4861 RAs): on with
	 * `ipv6 = yes` or an ipv6-pool (cfg_lns_ipv6()). */
	bool ipv6;
	struct cfg_ip6_prefix ipv6_pool; /* a /64 per session */
	uint8_t dns6[2][16];		 /* RFC 8106 RDNSS */
	unsigned dns6_count;
	/* DHCPv6 prefix delegation (RFC 8415 IA_PD, roles/lns_dhcpv6.c):
	 * a delegated_len prefix per session out of delegated_pool. */
	struct cfg_ip6_prefix delegated_pool;
	unsigned delegated_len;
	bool dhcpv6_rapid_commit; /* RFC 8415 §21.14 */
	/* Operator policy (docs/INTERFACE.md, vpdn.conf(5)): what an SCCRQ
	 * that matches no [peer] gets, and the per-user session limits. */
	enum cfg_unknown_peers unknown_peers;
	unsigned max_sessions_per_user; /* 0: no limit */
	enum cfg_duplicate_login duplicate_login;
	enum cfg_lcp_renegotiation lcp_renegotiation;
	/* The [rate-plan NAME] of sessions that get none from RADIUS or
	 * their users-file line; "" none (no limit). */
	char rate_plan[CFG_MAX_STR];
};

/* Whether [lns] sessions negotiate IPv6CP. */
#define cfg_lns_ipv6(l) \
	((l)->ipv6 || (l)->ipv6_pool.set || (l)->delegated_pool.set)

struct cfg_lac {
	bool enabled; /* [lac] present */
	char pppoe_interface[CFG_MAX_STR];
	char ac_name[CFG_MAX_STR];
	char service_name[CFG_MAX_STR];
	struct cfg_auth_list auth;
	unsigned tunnel_idle_timeout;
	bool radius;		       /* users and tunnels from [radius] */
	unsigned discovery_rate;       /* PADI+PADR a second, all hosts */
	unsigned max_sessions_per_mac; /* 0: no limit */
	enum cfg_lns_selection lns_selection; /* never INHERIT */
	unsigned lns_holddown;		      /* s; 0: no hold-down */
	unsigned max_sessions_per_tunnel;     /* 0: no limit */
	bool access_line_tags;		      /* keep (echo) the TR-101 TAG */
	bool insert_circuit_id; /* our own when the line has none */
	char circuit_id_format[CFG_MAX_STR];
};

/* [switch]: calls that arrive over L2TP (from another LAC) and whose
 * user's realm has a [realm] section are placed again towards that realm's
 * LNS instead of being terminated here (roles/switch.c). */
struct cfg_switch {
	bool enabled; /* [switch] present */
	/* Calls of other realms end here as on the LNS (yes) or are
	 * refused with a CDN (no). */
	bool local_sessions;
};

struct cfg_realm {
	char name[CFG_MAX_STR];
	struct cfg_hostport lns[CFG_MAX_LIST];
	unsigned lns_count;
	struct cfg_secret tunnel_secret;
	char users[CFG_MAX_STR];
	bool strip_realm;
	enum cfg_lns_selection lns_selection; /* INHERIT: [lac]'s */
	unsigned max_sessions_per_tunnel;     /* 0: [lac]'s */
	int line; /* where the section starts, for messages */
};

struct cfg_client {
	char name[CFG_MAX_STR];
	struct cfg_hostport lns;
	char pppoe_interface[CFG_MAX_STR];
	char user[CFG_MAX_STR];
	char password[CFG_MAX_STR];
	struct cfg_auth_list auth;
	char interface[CFG_MAX_STR];
	struct {
		uint32_t addr; /* host order */
		uint8_t plen;
	} routes[CFG_MAX_LIST];
	unsigned route_count;
	bool default_route;
	/* IPCP (RFC 1332); off: an IPv6-only call (needs ipv6), the LNS's
	 * IPCP protocol-rejected. */
	bool ipv4;
	/* IPv6CP (RFC 5072); the address comes from the LNS's RA by the
	 * kernel's SLAAC on the TUN device. */
	bool ipv6;
	/* IPv6 prefixes routed into the tunnel once IPv6CP is up. */
	struct cfg_ip6_prefix routes6[CFG_MAX_LIST];
	unsigned route6_count;
	/* DHCPv6 prefix delegation (RFC 8415 IA_PD, client_dhcpv6.c) once
	 * IPv6CP is up; its first /64 ::1 on lan_interface when set. */
	bool request_prefix;
	char lan_interface[CFG_MAX_STR];
	bool redial;
	struct cfg_secret tunnel_secret;
	bool hide_avps;
	int line;
};

/*
 * [pool NAME]: a named IPv4 address pool.  range takes the same "a-b" /
 * "a.b.c.d/len" forms as [lns] pool.  The section is family-neutral by
 * name: an IPv6 prefix pool would be another key of it, checked by the
 * same overlap rule (config/pools.c).
 */
struct cfg_pool {
	char name[CFG_MAX_STR];
	struct cfg_ip4_range range[CFG_MAX_LIST];
	unsigned range_count;
	int line;
};

/* The name [lns] pool goes by in show pool and metrics; no [pool] may
 * take it. */
#define CFG_DEFAULT_POOL_NAME "default"

/*
 * [peer NAME]: the policy of the LACs an SCCRQ's Host Name AVP and/or
 * source address identify.  Keys not given take the [lns] (or [global]
 * hello-interval) value when the file is loaded, so a peer is complete.
 */
struct cfg_peer {
	char name[CFG_MAX_STR];
	char hostname[CFG_MAX_STR]; /* "": any */
	struct cfg_ip4_prefix source[CFG_MAX_LIST];
	unsigned source_count; /* 0: any */
	struct cfg_secret tunnel_secret;
	bool hide_avps;
	/* Named pools in the order they are tried ("" entries unused);
	 * none: [lns] pool. */
	char pool_names[CFG_MAX_STR];
	unsigned pools[CFG_MAX_LIST]; /* indices into vpdn_config.pools */
	unsigned pool_count;
	struct cfg_auth_list auth;
	bool accept_proxy_auth;
	enum cfg_lcp_renegotiation lcp_renegotiation;
	unsigned max_tunnels;		/* 0: no limit of its own */
	unsigned max_sessions;		/* 0: no limit of its own */
	unsigned max_sessions_per_user; /* 0: none */
	unsigned hello_interval;	/* s; 0 disables */
	/* The [rate-plan] of its sessions that get none from RADIUS or the
	 * users file; "": [lns] rate-plan. */
	char rate_plan[CFG_MAX_STR];
	int line;
};

/*
 * [rate-plan NAME]: a session's speed in each direction, enforced by a
 * token-bucket policer on whichever data path carries it.  down: to the
 * user (what the LNS sends), up: from the user.  Rates are bits per
 * second, 0 = no limit in that direction.
 */
struct cfg_burst {
	uint64_t bytes; /* burst = N[k|M] (bytes); 0: given in ms */
	unsigned ms;	/* burst = Nms: that long at the direction's rate */
};

struct cfg_rate_plan {
	char name[CFG_MAX_STR];
	uint64_t down, up; /* bit/s; 0: no limit */
	struct cfg_burst burst;
	int line;
};

/* A plan's bucket size in bytes for one direction's rate (bit/s): burst
 * bytes, or burst ms of that rate, never less than CFG_BURST_MIN. */
#define CFG_BURST_MIN 3000 /* two full-size packets */
uint64_t cfg_rate_plan_burst(const struct cfg_rate_plan *p, uint64_t rate);
/* The plan named name in cfg, or NULL. */
const struct cfg_rate_plan *cfg_rate_plan_find(const struct vpdn_config *cfg,
    const char *name);

struct cfg_radius {
	bool enabled; /* [radius] present */
	struct cfg_sockaddr server[CFG_MAX_LIST];
	unsigned server_count;
	struct cfg_sockaddr accounting_server[CFG_MAX_LIST];
	unsigned accounting_server_count;
	struct cfg_secret secret;
	char nas_identifier[CFG_MAX_STR];
	uint32_t nas_ip_address; /* host order; 0 = not sent */
	unsigned interim_interval;
	struct cfg_sockaddr dae_listen; /* len 0: no RFC 5176 listener */
	bool require_message_authenticator;
	unsigned dae_replay_window; /* s */
	bool dae_require_event_timestamp;
};

struct vpdn_config {
	char path[CFG_MAX_STR];
	struct cfg_global global;
	struct cfg_lns lns;
	struct cfg_lac lac;
	struct cfg_switch sw;
	struct cfg_realm *realms;
	unsigned realm_count;
	struct cfg_client *clients;
	unsigned client_count;
	struct cfg_pool *pools;
	unsigned pool_count;
	struct cfg_peer *peers;
	unsigned peer_count;
	struct cfg_rate_plan *rate_plans;
	unsigned rate_plan_count;
	struct cfg_radius radius;
};

/*
 * Loads and validates path.  On error returns NULL and writes one
 * "FILE:LINE: message" (no trailing newline) into errbuf; cross-section
 * problems (e.g. "hide-avps needs tunnel-secret") name the line of the key.
 */
struct vpdn_config *config_load(const char *path, char *errbuf, size_t errlen);
void config_free(struct vpdn_config *cfg);

#endif
