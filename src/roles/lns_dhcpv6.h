/*
 * lns_dhcpv6.h — DHCPv6 prefix delegation on the LNS (RFC 8415 §18.3 with
 * IA_PD, §21.21): one server (ipv6/dhcpv6_server.h) per session, on the
 * session's point-to-point link, fed the UDP datagrams to port 547 that the
 * subscriber sends from its link-local address to All_DHCP_Relay_Agents_
 * and_Servers (ff02::1:2) or to the LNS's link-local address; the replies
 * go back from the LNS's link-local address to the client's port 546
 * through the session.
 *
 * The delegated prefix is RADIUS's Delegated-IPv6-Prefix (RFC 4818) when
 * the session has one, else a prefix of delegated-prefix-length from
 * delegated-prefix-pool.  Once bound (the Reply), it is routed into the
 * TUN toward the session and the session may source packets from it
 * (lns6_set_delegated); it goes back to the pool when the client releases
 * it or the session ends.  Information-Request is answered with dns6
 * (RFC 3646) like every reply.
 *
 * The server's DUID is a DUID-UUID (RFC 6355) whose UUID is the name-based
 * SHA-1 UUID (RFC 4122 §4.3, version 5) of the LNS's hostname in the DNS
 * namespace: the same across restarts for the same hostname, different
 * between LNSes of different names, no state on disk.
 */
#ifndef VPDN_ROLES_LNS_DHCPV6_H
#define VPDN_ROLES_LNS_DHCPV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct roles;
struct session_link;
struct lns6_sess;
struct vpdn_config;

/* Preferred and valid lifetimes of a delegated prefix (RFC 8415 §21.22),
 * as the RA's (lns_ipv6.c); the client renews at T1 = preferred / 2 and
 * the lease lasts as long as the session whatever it does. */
#define LNS6PD_PREFERRED_LIFETIME 14400
#define LNS6PD_VALID_LIFETIME	  86400

struct lns6pd_stats {
	uint64_t rx;	    /* DHCPv6 messages taken to the server */
	uint64_t tx;	    /* replies sent */
	uint64_t dropped;   /* not answered (the server's reasons) */
	uint64_t bad;	    /* to port 547 but bad UDP, source or dest */
	uint64_t no_prefix; /* NoPrefixAvail: pool exhausted or none */
};

struct lns6pd;
struct lns6pd_sess;

/* The LNS's delegation pool from cfg; NULL with errno when the pool cannot
 * be made.  Without a delegated-prefix-pool the server still runs
 * (Information-Request, RADIUS-delegated prefixes). */
struct lns6pd *lns6pd_new(const struct vpdn_config *cfg);
void lns6pd_free(struct lns6pd *pd);
/* A reload: rapid commit and DNS apply to the next session's server; a
 * changed pool only when none of the old one is held. */
void lns6pd_reconfigure(struct lns6pd *pd, const struct vpdn_config *cfg);
const struct lns6pd_stats *lns6pd_stats(const struct lns6pd *pd);
/* The pool as "2001:db8:200::/40 /56" parts: false when there is none. */
bool lns6pd_pool(const struct lns6pd *pd, char *prefix, size_t len,
    unsigned *plen, uint32_t *size, uint32_t *used);

/* Whether pkt (IPv6, to a link-scope address) is UDP to port 547: such a
 * packet goes to lns6pd_input. */
bool lns6pd_is_dhcpv6(const uint8_t *pkt, size_t len);

/* One datagram from the session: *ps is made on the first; our_ll is the
 * LNS's link-local address on this link; dns the servers to announce;
 * radius_pfx/radius_len (len 0: none) RADIUS's Delegated-IPv6-Prefix. */
void lns6pd_input(struct roles *r, struct lns6pd *pd, struct lns6pd_sess **ps,
    struct session_link *sl, struct lns6_sess *v6, const uint8_t our_ll[16],
    const uint8_t (*dns)[16], unsigned ndns, const uint8_t radius_pfx[16],
    unsigned radius_len, const uint8_t *pkt, size_t len);
/* The session's IPv6 ends: the lease back, its route away, *ps freed. */
void lns6pd_end(struct lns6pd_sess **ps);
/* The bound delegated prefix (false when none). */
bool lns6pd_bound(const struct lns6pd_sess *ps, uint8_t prefix[16],
    unsigned *plen);

#endif
