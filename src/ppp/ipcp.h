/*
 * ipcp.h — IPCP (RFC 1332, RFC 1877 DNS) and IPv6CP (RFC 5072) over cp.c.
 *
 * IPCP server side: our address, the peer's assigned address (Nak anything
 * else, including 0.0.0.0 and an absent option), primary/secondary DNS (Nak
 * with ours, Reject when we have none); NBNS, VJ compression and the old
 * IP-Addresses option are rejected (no handler rows).  Client side: asks
 * 0.0.0.0 and DNS 0.0.0.0, takes the server's Naks, acks its address.
 * IPv6CP: a random non-zero 64-bit Interface-Identifier each side; zero or
 * a collision with ours → Nak with a fresh one (RFC 5072 §4.1).
 */
#ifndef VPDN_PPP_IPCP_H
#define VPDN_PPP_IPCP_H

#include <stdbool.h>
#include <stdint.h>

#include "ppp/cp.h"

struct ipcp_config {
	bool server;
	uint32_t local_addr; /* server: ours (host order) */
	uint32_t dns[2];     /* server: RFC 1877 */
	unsigned dns_count;
	struct cp_config cp;
};

struct ipcp {
	struct cp cp;
	struct ipcp_config cfg;
	const struct cp_owner_ops *ops;
	void *ctx;
	uint32_t our_addr;  /* client: learnt from Naks */
	uint32_t peer_addr; /* server: assigned; client: server's */
	uint32_t dns[2];    /* client: learnt */
	bool peer_addr_ok;  /* peer's request had it, acked */
};

void ipcp_init(struct ipcp *ip, const struct ipcp_config *cfg,
    const struct cp_owner_ops *ops, void *ctx);
/* Server: the address the peer must take (before cp_open). */
void ipcp_set_peer_addr(struct ipcp *ip, uint32_t addr);

struct ipv6cp {
	struct cp cp;
	const struct cp_owner_ops *ops;
	void *ctx;
	uint8_t our_id[8], peer_id[8];
	/* Server: the identifier the peer must take (RADIUS
	 * Framed-Interface-Id, RFC 3162 §2.2); zero: any it proposes. */
	uint8_t want_peer[8];
};

void ipv6cp_init(struct ipv6cp *v6, const struct cp_config *cfg,
    const struct cp_owner_ops *ops, void *ctx);
/* The identifier the peer must take (non-zero, before IPv6CP opens): a
 * request with another is Nak'd with this one (RFC 5072 §4.1). */
void ipv6cp_set_peer_id(struct ipv6cp *v6, const uint8_t id[8]);

#endif
