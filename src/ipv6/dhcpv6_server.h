/*
 * dhcpv6_server.h — the DHCPv6 server of one subscriber session (RFC 8415
 * §18.3), sans I/O: the caller hands it the payload of each UDP datagram
 * to port 547 that came from the session's link-local address and sends
 * back whatever it returns (to the client's address, port 546).
 *
 * What it serves:
 *   - prefix delegation (IA_PD, §21.21): one delegated prefix per session,
 *     of the length the lease provider hands out; it lives as long as the
 *     session (or until the client releases it): lifetimes in the replies
 *     are the provider's, and a client that lets them run out simply stops
 *     using the prefix;
 *   - IA_NA / IA_TA are answered NoAddrsAvail: addresses come from the
 *     Router Advertisement's /64 (SLAAC), never from DHCPv6;
 *   - stateless configuration (Information-Request, §18.3.6) and the DNS
 *     Recursive Name Server option (RFC 3646) in every reply;
 *   - Rapid Commit (§21.14) when configured and asked for.
 * Confirm is never answered: this server hands out no addresses, so it
 * cannot tell whether the client's are on-link (§18.3.3 then says "MUST
 * NOT send a reply").
 */
#ifndef VPDN_IPV6_DHCPV6_SERVER_H
#define VPDN_IPV6_DHCPV6_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipv6/dhcpv6_codec.h"

/* Where delegated prefixes come from (the session's pool / RADIUS
 * Delegated-IPv6-Prefix).  Every callback gets the ctx given to init. */
struct dhcpv6_lease_ops {
	/* A prefix for this session: fills *l, returns 0, or -1 when none
	 * is available (answered NoPrefixAvail). */
	int (*alloc)(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now);
	/* The client renews *l (Renew/Rebind/Request again): may update
	 * its lifetimes; returns 0, or -1 if the prefix may no longer be
	 * used (answered with lifetimes 0, then released). */
	int (*renew)(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now);
	/* *l goes back to the pool. */
	void (*release)(void *ctx, const struct dhcpv6_pd_lease *l);
	/* Optional: *l is now committed to the client (bound true: routes
	 * toward the session may be installed) or no longer (false: before
	 * release). */
	void (*bound)(void *ctx, const struct dhcpv6_pd_lease *l, bool bound);
};

struct dhcpv6_server_config {
	struct dhcpv6_duid duid; /* the server's DUID (e.g. dhcpv6_duid_ll) */
	unsigned ndns;
	uint8_t dns[DHCPV6_MAX_DNS][16];
	bool rapid_commit; /* answer Solicit+Rapid Commit with a Reply */
	bool send_preference;
	uint8_t preference; /* §21.8, in Advertise when send_preference */
};

/* Why a message got no answer (counted; the integrator exports them). */
enum dhcpv6_server_drop {
	DHCPV6_DROP_MALFORMED,	    /* dhcpv6_parse() refused it */
	DHCPV6_DROP_NOT_SERVER_MSG, /* a server's message or Reconfigure */
	DHCPV6_DROP_NO_CLIENTID,    /* §16: Client ID missing */
	DHCPV6_DROP_HAS_SERVERID,   /* §16.2/16.5/16.7: Server ID forbidden */
	DHCPV6_DROP_NO_SERVERID, /* §16.4/16.6/16.8/16.9: Server ID missing */
	DHCPV6_DROP_WRONG_SERVERID, /* not our DUID */
	DHCPV6_DROP_IA_IN_INFOREQ,  /* §16.12: IA in Information-Request */
	DHCPV6_DROP_CONFIRM,	    /* §18.3.3: cannot tell on-link */
	DHCPV6_DROP_NO_SPACE,	    /* reply did not fit the caller's buffer */
	DHCPV6_DROP_COUNT
};

struct dhcpv6_server_stats {
	uint64_t rx[DHCPV6_INFORMATION_REQUEST + 1]; /* by message type */
	uint64_t tx_advertise, tx_reply;
	uint64_t drop[DHCPV6_DROP_COUNT];
};

/* The session's delegation: none, offered in an Advertise (reserved from
 * the provider, not yet routed) or bound by a Reply. */
enum dhcpv6_binding_state {
	DHCPV6_BIND_NONE,
	DHCPV6_BIND_OFFERED,
	DHCPV6_BIND_BOUND,
};

struct dhcpv6_server {
	struct dhcpv6_server_config cfg;
	const struct dhcpv6_lease_ops *ops;
	void *ctx;
	enum dhcpv6_binding_state state;
	struct dhcpv6_duid client; /* whose binding (state != NONE) */
	uint32_t iaid;
	struct dhcpv6_pd_lease lease;
	struct dhcpv6_server_stats stats;
};

/* Embeds in the session: no allocation.  cfg is copied. */
void dhcpv6_server_init(struct dhcpv6_server *s,
    const struct dhcpv6_server_config *cfg, const struct dhcpv6_lease_ops *ops,
    void *ctx);

/* Hands a held prefix back to the provider (ops->bound(false) first if it
 * was bound).  The server may be initialised again afterwards. */
void dhcpv6_server_destroy(struct dhcpv6_server *s);

/* One received message (UDP payload).  Returns the length of the reply
 * written to out[0..cap), or 0 when nothing is to be sent (the reason is
 * counted in stats.drop and logged, rate-limited). */
size_t dhcpv6_server_input(struct dhcpv6_server *s, const uint8_t *msg,
    size_t len, uint64_t now, uint8_t *out, size_t cap);

/* The bound delegated prefix, or NULL (for routes, show and accounting). */
const struct dhcpv6_pd_lease *dhcpv6_server_bound(
    const struct dhcpv6_server *s);

#endif
