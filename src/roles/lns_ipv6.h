/*
 * lns_ipv6.h — IPv6 for the LNS's subscribers (roles-internal).
 *
 * Once IPv6CP (RFC 5072) opens on a session, the session gets a /64: the
 * RADIUS Framed-IPv6-Prefix (RFC 3162 §2.3) when one came, else one from
 * `ipv6-pool` (dataplane/prefix6pool.h).  It is routed into the LNS TUN
 * (route6_add) and found again by its upper 64 bits for packets the kernel
 * sends back out of the TUN.  Router Advertisements (ipv6/ra.h) carry it
 * with the A and L flags (SLAAC), the RDNSS servers (`dns6` or RADIUS
 * DNS-Server-IPv6-Address) and the MTU, from the LNS's link-local address
 * fe80::<our IPv6CP identifier>: unsolicited on the RFC 4861 §6.2.4
 * schedule and in answer to Router Solicitations (§6.2.6).
 *
 * From the session, only packets from its /64 (or a delegated prefix set
 * later by DHCPv6, lns6_set_delegated()) go into the TUN; packets to a
 * link-local or link-scope multicast address are for the LNS itself (RS
 * now; DHCPv6 on UDP 547 later) and never forwarded.  Every drop is counted
 * by reason (struct lns6_stats).  With the kernel fast path, a session in
 * it (lns.c: IPCP up) carries its IPv6 there too once its /64 is routed
 * (lns6_fp_prefixes); the programs apply the same rules and pass anything
 * else — link-local and multicast destinations, spoofed sources — up to
 * lns6_input, which counts it as ever.
 */
#ifndef VPDN_ROLES_LNS_IPV6_H
#define VPDN_ROLES_LNS_IPV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct roles;
struct session_link;
struct aaa_counters;
struct radius_auth_reply;
struct vpdn_config;

struct lns6_stats {
	uint64_t rx_packets, rx_octets; /* session -> TUN */
	uint64_t tx_packets, tx_octets; /* TUN -> session */
	uint64_t rx_spoofed;  /* source outside the session's prefixes */
	uint64_t rx_bad;      /* not IPv6, truncated */
	uint64_t rx_to_lns;   /* link-local/multicast, not ours to take */
	uint64_t rs_received; /* valid Router Solicitations */
	uint64_t rs_invalid;  /* RFC 4861 §6.1.1 failures */
	uint64_t ra_sent;
	uint64_t tun_no_session; /* TUN -> no session's prefix */
	uint64_t prefix_refused; /* IPv6CP up but no /64 to give */
};

/* What `show pool` and the metrics say about the /64 pool. */
struct lns6_pool_view {
	bool configured;
	char prefix[64]; /* "2001:db8:100::/48" */
	uint32_t size, used;
};

struct lns6_sess;

int lns6_init(struct roles *r);
void lns6_free(struct roles *r);
/* A reload: a changed ipv6-pool applies to new sessions only once no
 * session holds a /64 of the old one; until then it is kept (logged). */
void lns6_reconfigure(struct roles *r, const struct vpdn_config *cfg);
const struct lns6_stats *lns6_stats(const struct roles *r);
void lns6_pool_view(const struct roles *r, struct lns6_pool_view *v);
struct roles_tun_stats;
/* The IPv6 counters and pool use into st (roles_tun_stats). */
void roles_ipv6_stats(const struct roles *r, struct roles_tun_stats *st);

/* In the backend's done, RADIUS reply current: what applies to IPv6. */
void lns6_apply_reply(struct session_link *sl, struct lns6_sess **v6,
    const struct radius_auth_reply *rep);
/* IPv6CP opened: the /64, its route, the RA schedule.  ctr,
 * last_activity and rate are the session's (accounting, Idle-Timeout,
 * its rate plan's buckets, which IPv6 shares with IPv4: the session's
 * pointer, NULL until it has a plan) and outlive *v6. */
struct lns_rate;
void lns6_up(struct session_link *sl, struct lns6_sess **v6,
    struct aaa_counters *ctr, uint64_t *last_activity, struct lns_rate **rate,
    const uint8_t local_id[8], const uint8_t peer_id[8]);
/* IPv6CP down or the session's end: route, prefix and timer released.
 * With forget, also what the RADIUS reply said (the session's end or a
 * new authentication). */
void lns6_down(struct session_link *sl, struct lns6_sess **v6, bool forget);
void lns6_input(struct session_link *sl, struct lns6_sess *v6,
    const uint8_t *pkt, size_t len);
/* A packet from the TUN that is IPv6: true when taken (sent or counted). */
bool lns6_tun_packet(struct roles *r, const uint8_t *pkt, size_t len);
void lns6_run_timers(struct roles *r, uint64_t now);
uint64_t lns6_next_deadline(const struct roles *r);
/* The session's /64 as text ("" when none). */
void lns6_prefix_str(const struct lns6_sess *v6, char *out, size_t len);
/* The session's /64 (false when none): for accounting. */
bool lns6_prefix(const struct lns6_sess *v6, uint8_t prefix[16],
    unsigned *plen);
/* DHCPv6 prefix delegation (RFC 8415 IA_PD) hook: the session may also
 * send from, and receive for, this prefix; plen 0 clears it.  The caller
 * routes it. */
void lns6_set_delegated(struct lns6_sess *v6, const uint8_t prefix[16],
    unsigned plen);
/* What the kernel fast path carries for the session's IPv6: false when
 * nothing (IPv6CP not up, no routed /64); else its /64 and its delegated
 * prefix (deleg_len 0: none). */
bool lns6_fp_prefixes(const struct lns6_sess *v6, uint8_t prefix[16],
    uint8_t deleg[16], unsigned *deleg_len);
/* lns.c: the session's IPv6 prefixes changed; its fast-path entries
 * follow (nothing when it is not in the fast path). */
void lns_fp_ipv6_changed(struct session_link *sl);
/* lns.c: DHCPv6 bound a delegated prefix to the session; accounting
 * reports it (an Interim-Update when Start went out without it). */
void lns_acct_delegated_bound(struct session_link *sl, const uint8_t prefix[16],
    unsigned plen);
/* lns.c: an LNS session's IPv6 state (NULL none), for lns6_set_delegated's
 * callers. */
struct lns6_sess *lns_session_v6(struct session_link *sl);
/* The session's DHCPv6-delegated prefix (false / "" when none bound):
 * for show sessions and accounting (RFC 4818 Delegated-IPv6-Prefix). */
bool lns6_delegated(const struct lns6_sess *v6, uint8_t prefix[16],
    unsigned *plen);
void lns6_delegated_str(const struct lns6_sess *v6, char *out, size_t len);
struct lns6pd_stats;
/* DHCPv6 counters and the delegation pool (lns_dhcpv6.h). */
const struct lns6pd_stats *lns6_pd_stats(const struct roles *r);
bool lns6_pd_pool(const struct roles *r, char *prefix, size_t len,
    unsigned *plen, uint32_t *size, uint32_t *used);

#endif
