/*
 * roles.h — the glue between the L2TP control plane and what the daemon is:
 * LNS (accepts tunnels), client (dials an LNS, or a PPPoE access
 * concentrator, and keeps one session up) and LAC (a PPPoE access
 * concentrator whose calls it carries to LNSes).  `struct roles` owns the
 * l2tp_host, hands its callbacks to each tunnel's owner through the owner's
 * role_ops (role_ops.h), and owns each role's state.
 *
 * The roles are sans-I/O: everything they do outside their own memory (L2TP
 * datagrams, TUN devices, routes, PPPoE sockets, RADIUS, names, the wall
 * clock, watching a descriptor) goes through the struct roles_io given to
 * roles_new (roles_io.h; the daemon's is src/cmd/vpdnd_io.c, the tests'
 * tests/support/fake_io.c), and time comes in as `now` with every call.
 */
#ifndef VPDN_ROLES_ROLES_H
#define VPDN_ROLES_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "l2tp/l2tp.h"
#include "pppoe/pppoe_server.h"
#include "radius/radius_dae.h"
#include "roles/roles_io.h"

struct roles;

/* Per-session facts the control tool shows (INTERFACE.md sessions JSON). */
struct roles_session_view {
	const char *user;
	const char *ppp_phase;
	const char *address;
	const char *interface;
	enum l2tp_role role;
	char address_buf[16];
	/* "kernel" while the fast path carries its data, else "user"; the
	 * fast path's counters (inner IP packets) to add to the L2TP
	 * session's own. */
	const char *path;
	uint64_t fp_rx_packets, fp_tx_packets, fp_rx_bytes, fp_tx_bytes;
	char ipv6_prefix[48];	   /* LNS: the session's /64; "" none */
	char delegated_prefix[48]; /* LNS: DHCPv6-delegated; "" none */
	/* An LNS session's rate plan (NULL none) and its policers' drops,
	 * both data paths together. */
	const char *rate_plan;
	uint64_t rate_down_bps, rate_up_bps;
	uint64_t police_up_drop_packets, police_up_drop_bytes;
	uint64_t police_down_drop_packets, police_down_drop_bytes;
	/* The user's access line (TR-101 at the LAC, RFC 5515 at the LNS);
	 * NULL when none was reported. */
	const struct access_line *access_line;
	/* A switched call (roles/switch.h): our tunnel and session IDs of
	 * its other half; 0 when none. */
	uint16_t switched_tunnel, switched_session;
};

/* One [client] section as `vpdnctl show clients` shows it (INTERFACE.md):
 * a PPPoE call is no L2TP session, so `show sessions` cannot list it. */
struct roles_client_view {
	const char *name;
	const char *transport; /* "l2tp" or "pppoe" */
	const char *server;    /* LNS host:port, or the PPPoE interface */
	const char *state;     /* idle|dialing|up|hangup|wait-redial|stopped */
	const char *ppp_phase; /* "dead" without a call */
	const char *interface; /* the TUN device, "" until IPCP is up */
	char address[16], peer_address[16]; /* "" until then */
	char dns[2][16]; /* RFC 1877 servers learnt; "" none */
	/* IPv6CP up: our link-local address and the prefix of the LNS's
	 * RA (the kernel's SLAAC address lies in it); "" none. */
	char ipv6_link_local[64], ipv6_prefix[64];
	/* request-prefix: the prefix DHCPv6 delegated; "" none. */
	char delegated_prefix[64];
	uint16_t tunnel_id;   /* ours; 0 for PPPoE */
	uint16_t session_id;  /* ours (L2TP) or the PPPoE Session-ID */
	unsigned dials;	      /* calls placed since start or reload */
	uint64_t redial_in_s; /* wait-redial: seconds to the next dial */
	uint64_t uptime_s;    /* since IPCP came up; 0 when not up */
	uint64_t rx_frames, tx_frames, rx_bytes, tx_bytes; /* PPP */
	/* Our own L2TP datagrams to the LNS read back from the TUN device
	 * and dropped (a route sent them into the tunnel): nonzero means
	 * the routes to the LNS are wrong. */
	uint64_t loop_drops;
	/* "kernel" while the fast path carries the call's IPv4 data, else
	 * "user"; the frame and byte counters include what it carried. */
	const char *path;
	char server_buf[300];
};

/* One LNS a LAC has dialled, as `vpdnctl show lns` and the metrics show
 * it (roles/lac_lns.c). */
struct roles_lns_view {
	char address[64];    /* "203.0.113.10:1701", "[2001:db8::1]:1701" */
	const char *realms;  /* realms (and "RADIUS") that dialled it */
	bool held;	     /* held down after a failure */
	uint64_t held_for_s; /* held: seconds left */
	int64_t held_until;  /* held: when it ends, epoch seconds */
	unsigned sessions;   /* calls in the LAC's tunnels to it */
	unsigned tunnels;    /* the LAC's tunnels to it */
	uint64_t failures;   /* since start */
	const char *last_failure; /* "" : none */
};

/* io is copied: its ops table and ctx must outlive the roles. */
struct roles *roles_new(const struct vpdn_config *cfg,
    const struct roles_io *io, uint64_t now);
void roles_free(struct roles *r);
struct l2tp_host *roles_host(struct roles *r);

void roles_input(struct roles *r, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer, uint64_t now);
void roles_run_timers(struct roles *r, uint64_t now);
uint64_t roles_next_deadline(const struct roles *r);

/* Applies a new configuration snapshot (the old one must stay alive until
 * this returns); existing tunnels and sessions are kept.  The users files
 * it names are loaded first: if one is broken, nothing changes and -1
 * comes back with "FILE:LINE: message" in err (the caller keeps the old
 * snapshot). */
int roles_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    uint64_t now, char *err, size_t errlen);
/* SIGTERM: StopCCN to every peer, no more redials. */
void roles_shutdown(struct roles *r, uint64_t now);
/* Stopping may end: no tunnel has anything left to exchange with its peer
 * and no accounting request is outstanding. */
bool roles_idle(const struct roles *r);

/* Packets lost between users' IP traffic and vpdnd, over the LNS's TUN
 * device and every client's (those closed included). */
struct roles_tun_stats {
	uint64_t kernel_tx_dropped; /* the device's queue was full */
	uint64_t kernel_rx_dropped; /* the kernel dropped our write */
	uint64_t write_full;	    /* write: EAGAIN, ENOBUFS */
	uint64_t write_errors;	    /* write: any other error */
	uint64_t isolated;	    /* [lns] isolate-sessions drops */
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
void roles_tun_stats(const struct roles *r, struct roles_tun_stats *st);
/* What roles_idle() still waits for: tunnels, accounting requests. */
unsigned roles_unfinished_tunnels(const struct roles *r);
unsigned roles_acct_pending(const struct roles *r);

void roles_describe_session(struct roles *r, struct l2tp_session *s,
    struct roles_session_view *v);

/* `vpdnctl disconnect user NAME`: CDN (result 3, administrative) to every
 * session of that user, LNS sessions and LAC calls alike (a LAC call also
 * sends PADT to its user); RADIUS Stop records say Admin-Reset; returns
 * how many. */
unsigned roles_disconnect_user(struct roles *r, const char *name, uint64_t now);

/* RFC 5176 Disconnect-Request / CoA-Request (Session-Timeout, rate plan)
 * for the LNS's sessions matching m: how many matched (0: NAK Session-
 * Context-Not-Found).  A CoA whose plan is unknown or whose rates do not
 * parse changes nothing and sets *err to Invalid-Attribute-Value (RFC 5176
 * §3.5).  The daemon's DAE listener (radius/radius_dae.h) calls these. */
unsigned roles_dae_disconnect(struct roles *r, const struct radius_dae_match *m,
    uint64_t now);
unsigned roles_dae_coa(struct roles *r, const struct radius_dae_match *m,
    const struct radius_dae_coa *c, uint64_t now, enum radius_dae_error *err);

/* `vpdnctl set session ID rate-plan NAME` (our session ID; NAME "none"
 * lifts the plan): 0, or -1 with why (no such LNS session, no such
 * plan). */
int roles_set_session_rate_plan(struct roles *r, uint16_t session_id,
    const char *plan, uint64_t now, char *why, size_t whylen);

/* `vpdnctl show pool`: the LNS pools' ranges (*pool: which pool's) and
 * who holds which address.  roles_pool_range() returns false past the last
 * range (or with no LNS). */
bool roles_pool_range(const struct roles *r, unsigned i, const char **pool,
    uint32_t *first, uint32_t *last, uint32_t *used);
/* The pools themselves ([lns] pool as "default", every [pool NAME], then
 * removed ones whose addresses are still in use); false past the last. */
struct roles_pool_view {
	const char *name; /* valid until the next reload */
	uint32_t size, used, free;
	uint64_t exhausted; /* allocations it could not serve */
	bool retired;
};
bool roles_pool_get(const struct roles *r, unsigned i,
    struct roles_pool_view *v);
/* [peer] sections with their live tunnels and sessions. */
struct roles_peer_view {
	const char *name;
	unsigned tunnels, sessions;
};
bool roles_peer_get(struct roles *r, unsigned i, struct roles_peer_view *v);
/* The policy counters (roles/lns_peer.h). */
struct lns_policy_stats;
const struct lns_policy_stats *roles_policy_stats(const struct roles *r);
/* Sessions refused at authentication for want of an address: the pool
 * exhausted, or the fixed address held by another session. */
uint64_t roles_pool_refused(const struct roles *r);
struct roles_lease {
	uint32_t addr; /* host order */
	const char *user;
	uint16_t tunnel_id, session_id;
};
/* Every configured client (sections being hung up after a reload skipped),
 * in configuration order. */
void roles_foreach_client(struct roles *r, uint64_t now,
    void (*fn)(const struct roles_client_view *v, void *arg), void *arg);
void roles_foreach_lease(struct roles *r,
    void (*fn)(const struct roles_lease *lease, void *arg), void *arg);

/* The LNS's ipv6-pool ("2001:db8:100::/48" into prefix), its size and use
 * in /64s; false without one. */
/* The LNS's delegated-prefix-pool: its prefix, the length it hands out,
 * its size and use; false when none is configured. */
bool roles_pd_pool(const struct roles *r, char *prefix, size_t len,
    unsigned *plen, uint32_t *size, uint32_t *used);
bool roles_ipv6_pool(const struct roles *r, char *prefix, size_t len,
    uint32_t *size, uint32_t *used);

/* The LAC's PPPoE access concentrator: its counters and live sessions;
 * false when this daemon is no LAC. */
bool roles_pppoe_stats(const struct roles *r, struct pppoe_server_stats *st,
    uint32_t *sessions);
/* Every LNS the LAC has dialled; false when there is no [lac]. */
bool roles_foreach_lns(struct roles *r, uint64_t now,
    void (*fn)(const struct roles_lns_view *v, void *arg), void *arg);

/* l2tp_host_config from the [global] and [lns] sections. */
void roles_host_config(const struct vpdn_config *cfg,
    struct l2tp_host_config *hc);

#endif
