/*
 * client_ipv6.h — IPv6 on a client's call (roles-internal): IPv6CP
 * (RFC 5072) opened gives the TUN device the link-local address
 * fe80::<our identifier> (§5); IPv6 from the LNS, its Router
 * Advertisements included, goes into the TUN, where the kernel's own
 * SLAAC (RFC 4862, accept_ra) forms the global address and the default
 * route from them; the RA's prefix is remembered for `show clients`.
 * IPv6 from the TUN goes out as PPP IPv6 (client.c).  The TUN exists
 * once IPCP is up (an IPv6-only call's once IPv6CP is); IPv6CP opened
 * earlier is applied then.
 */
#ifndef VPDN_ROLES_CLIENT_IPV6_H
#define VPDN_ROLES_CLIENT_IPV6_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct session_link;
struct roles_client_view;

void client6_up(struct session_link *sl, const uint8_t local_id[8],
    const uint8_t peer_id[8]);
void client6_down(struct session_link *sl, const char *reason);
void client6_input(struct session_link *sl, const uint8_t *pkt, size_t len);
/* The TUN device was just set up (IPCP up): apply IPv6CP if it is up. */
void client6_tun_ready(struct client *c);
void client6_describe(const struct client *c, struct roles_client_view *v);

#endif
