/*
 * lac_radius.h — where a LAC sends a user, from the RFC 2868 tunnel
 * attributes of an Access-Accept (RFC 2809 §3: the RADIUS server, not a
 * local [realm] section, names the LNS).
 *
 * Pure functions over a decoded reply (radius_auth.h): the tunnels usable
 * by this LAC (L2TP over IPv4 or IPv6), ordered by Tunnel-Preference, each with its
 * endpoint, secret and the tunnel key that decides which users share it.
 */
#ifndef VPDN_ROLES_LAC_RADIUS_H
#define VPDN_ROLES_LAC_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "radius/radius_auth.h"

/* RFC 2868 §3.1 Tunnel-Type and §3.2 Tunnel-Medium-Type values. */
#define LAC_RADIUS_TUNNEL_L2TP 3
#define LAC_RADIUS_MEDIUM_IPV4 1
#define LAC_RADIUS_MEDIUM_IPV6 2

/* One candidate LNS. */
struct lac_dest {
	struct cfg_hostport hp; /* an IPv4 or IPv6 literal + port */
	uint8_t secret[RADIUS_MAX_TUNNEL_PASSWORD];
	size_t secret_len;	  /* 0: no tunnel auth */
	char assignment_id[254];  /* "" = none */
	char client_auth_id[254]; /* "" = none */
	uint32_t preference;
	uint8_t tag;
	bool ipv6; /* Tunnel-Medium-Type IPv6 */
};

/* "192.0.2.1" or "192.0.2.1:1702" (the port defaults to 1701) into hp;
 * -1 for anything else (names, IPv6, port 0 or out of range, junk). */
int lac_radius_endpoint(const char *s, struct cfg_hostport *hp);
/* The same for Medium IPv6: "2001:db8::1", "[2001:db8::1]" or
 * "[2001:db8::1]:1702"; -1 for anything else (names, IPv4, junk). */
int lac_radius_endpoint6(const char *s, struct cfg_hostport *hp);
/* The usable tunnels of rep (Tunnel-Type L2TP, Medium IPv4 or IPv6, a valid
 * Tunnel-Server-Endpoint) into out[0..max), lowest Tunnel-Preference
 * first, ties in the reply's order; returns how many. */
unsigned lac_radius_dests(const struct radius_auth_reply *rep,
    struct lac_dest *out, unsigned max);

#endif
