/*
 * ctl_cmds.h — the commands of the control socket, independent of the socket.
 *
 * ctl_cmd_exec() takes one request line ("show tunnels --json"), finds its
 * row in the command table, runs it against the L2TP host and the daemon's
 * hooks, and leaves the reply in a struct ctl_reply: either a body (OK) or an
 * error message (ERR).  It does no I/O, so it is tested without a socket.
 *
 * Usage errors (unknown command, wrong arguments) are errors whose message
 * starts with "usage: "; vpdnctl turns those into exit status 2.
 */
#ifndef VPDN_CTL_CTL_CMDS_H
#define VPDN_CTL_CTL_CMDS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/access_line.h"
#include "ctl/strbuf.h"
#include "pppoe/pppoe_server.h"

struct l2tp_host;
struct l2tp_session;

#define CTL_MAX_REQUEST 1024 /* bytes in a request line, without "\n" */
#define CTL_MAX_WORDS	16

/* What the roles know about a session and L2TP does not (PPP, TUN). */
struct ctl_session_extra {
	char user[256];
	char ppp_phase[16]; /* dead|establish|authenticate|network|terminate */
	char address[64];
	char interface[32];
	char path[8]; /* kernel|user ("" : user) */
	/* Carried by the kernel fast path, added to the L2TP counters. */
	uint64_t fp_rx_packets, fp_tx_packets, fp_rx_bytes, fp_tx_bytes;
	char ipv6_prefix[48];	   /* the session's IPv6 /64; "" none */
	char delegated_prefix[48]; /* DHCPv6 prefix delegation; "" none */
	/* The rate plan ("" none: "-"), its rates (bit/s, 0 no limit) and
	 * what its policer dropped on either path. */
	char rate_plan[64];
	uint64_t rate_down_bps, rate_up_bps;
	uint64_t police_up_drop_packets, police_up_drop_bytes;
	uint64_t police_down_drop_packets, police_down_drop_bytes;
	/* The user's access line (TR-101 / RFC 5515); present 0: none. */
	struct access_line access_line;
	/* A switched call: our tunnel/session IDs of its other half (0:
	 * not switched). */
	uint16_t switched_tunnel, switched_session;
};

/* Packets lost between the users' IP traffic and vpdnd, over every TUN
 * device (the LNS's and the clients'). */
struct ctl_tun_stats {
	uint64_t kernel_tx_dropped; /* routed to the device, queue full */
	uint64_t
	    kernel_rx_dropped; /* written by vpdnd, dropped by the kernel */
	uint64_t write_full;   /* our writes refused: EAGAIN, ENOBUFS */
	uint64_t write_errors; /* our writes failed otherwise */
	uint64_t isolated;     /* session to session, isolate-sessions */
	/* IPv6 for LNS subscribers (lns_ipv6.h); ipv6 false: no IPv6. */
	bool ipv6;
	uint64_t ipv6_rx_packets, ipv6_tx_packets;
	uint64_t ipv6_spoofed, ipv6_bad, ipv6_to_lns, ipv6_no_session;
	uint64_t ipv6_rs, ipv6_rs_invalid, ipv6_ra, ipv6_no_prefix;
	uint64_t ipv6_pool_size, ipv6_pool_used; /* /64s */
	/* DHCPv6 prefix delegation (lns_dhcpv6.h) and its pool. */
	uint64_t dhcpv6_rx, dhcpv6_tx, dhcpv6_dropped, dhcpv6_bad;
	uint64_t pd_no_prefix, pd_pool_size, pd_pool_used;
};

/* A LAC's PPPoE access concentrator, for `show stats` and the metrics. */
struct ctl_pppoe_stats {
	struct pppoe_server_stats st;
	uint32_t sessions; /* live */
};

/* One LNS a LAC has dialled, for `show lns` and the metrics. */
struct ctl_lns_view {
	const char *address; /* "203.0.113.10:1701" */
	const char *realms;  /* "a.example,RADIUS" */
	bool held;	     /* held down after a failure */
	uint64_t held_for_s; /* held: seconds left */
	int64_t held_until;  /* held: epoch seconds */
	unsigned sessions, tunnels;
	uint64_t failures;
	const char *last_failure; /* "" : none */
};
typedef void ctl_lns_fn(const struct ctl_lns_view *v, void *arg);
/* An LNS's address pool, summed over its ranges, for metrics. */
struct ctl_pool_stats {
	uint64_t size, used; /* addresses */
	uint64_t refused;    /* sessions refused for want of an address */
};

struct ctl_reply {
	struct strbuf body;
	char error[256]; /* non-empty: the reply is "ERR error" */
};

void ctl_reply_init(struct ctl_reply *r);
void ctl_reply_free(struct ctl_reply *r);
/* Sets the error message; returns -1 for `return ctl_reply_err(...)`. */
int ctl_reply_err(struct ctl_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Commands that belong to the daemon and its roles.  Any hook may be NULL:
 * the command then answers "ERR not available: <why>".  Hooks return 0 with
 * the body in r->body, or -1 after ctl_reply_err().
 */
struct ctl_hooks {
	void *arg;
	/* Fills `out` (pre-set to the defaults: user "", ppp_phase "dead",
	 * address "", interface ""). */
	void (*describe_session)(void *arg, struct l2tp_session *s,
	    struct ctl_session_extra *out);
	int (*show_pool)(void *arg, bool json, struct ctl_reply *r);
	/* `show clients`: every [client] section, dialled or not. */
	int (*show_clients)(void *arg, bool json, uint64_t now,
	    struct ctl_reply *r);
	int (*disconnect_user)(void *arg, const char *name, uint64_t now,
	    struct ctl_reply *r);
	int (*reload)(void *arg, struct ctl_reply *r);
	/* `trace start FILE [tunnel ID]` (path absolute, tunnel_id 0 = every
	 * tunnel) and `trace stop` (path NULL). */
	int (*trace)(void *arg, const char *path, uint16_t tunnel_id,
	    struct ctl_reply *r);
	/* `show stats` and metrics: the TUN counters (zero when NULL). */
	void (*tun_stats)(void *arg, struct ctl_tun_stats *out);
	/* `show stats` and metrics: false when there is no PPPoE access
	 * concentrator (no [lac]); the "pppoe" parts are left out then. */
	bool (*pppoe_stats)(void *arg, struct ctl_pppoe_stats *out);
	/* `show lns` and metrics: fn once per LNS the LAC has dialled;
	 * false when there is no [lac]. */
	bool (*foreach_lns)(void *arg, ctl_lns_fn *fn, void *fnarg);
	/* Metrics: the LNS policy's families (pools, peers, limits),
	 * appended to the exposition; NULL: none. */
	void (*policy_metrics)(void *arg, struct strbuf *out);
	/* `set session ID rate-plan NAME`: 0, or -1 with why. */
	int (*set_rate_plan)(void *arg, uint16_t session_id, const char *plan,
	    uint64_t now, char *why, size_t whylen);
	/* Metrics: false when there is no LNS pool (the "pool" families
	 * are left out then). */
	bool (*pool_stats)(void *arg, struct ctl_pool_stats *out);
};

/* The control context: owned by the daemon, read by every command. */
struct ctl_ctx {
	struct l2tp_host *host; /* NULL: no tunnels to show */
	struct ctl_hooks hooks;
};

/* The TUN counters through the hook, zero without one. */
void ctl_get_tun_stats(const struct ctl_ctx *c, struct ctl_tun_stats *out);

/* Runs one request line.  Returns 0 (OK) or -1 (r->error is set). */
int ctl_cmd_exec(const struct ctl_ctx *c, const char *line, uint64_t now,
    struct ctl_reply *r);

#endif
