/*
 * client_dhcpv6.h — a client's DHCPv6 prefix delegation (`[client]
 * request-prefix = yes`): the requesting router of RFC 8415 (the engine in
 * ipv6/dhcpv6_client.h) run over the call once IPv6CP is up, from our
 * link-local address and port 546 to ff02::1:2 port 547 (§7.1, §7.2),
 * through the session.  The delegated prefix shows in `show clients`; with
 * `lan-interface` its first /64 ::1/64 goes on that device, as a CPE
 * numbers its LAN (and comes off when the prefix is lost).  Nothing else
 * is installed.  The prefix is released (§18.2.7) when IPv6 goes down.
 */
#ifndef VPDN_ROLES_CLIENT_DHCPV6_H
#define VPDN_ROLES_CLIENT_DHCPV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct client;
struct roles_client_view;

/* IPv6CP opened: starts the exchange (when configured). */
void client6pd_start(struct client *c, uint64_t now);
/* IPv6 goes down: a Release if bound, the LAN address away, all freed. */
void client6pd_stop(struct client *c, uint64_t now);
/* A packet from the session: true when it was DHCPv6 to port 546 and
 * taken (the engine's, not the kernel's). */
bool client6pd_input(struct client *c, const uint8_t *pkt, size_t len,
    uint64_t now);
void client6pd_run_timers(struct client *c, uint64_t now);
uint64_t client6pd_next_deadline(const struct client *c);
void client6pd_describe(const struct client *c, struct roles_client_view *v);

#endif
