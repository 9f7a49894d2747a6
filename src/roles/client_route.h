/*
 * client_route.h — keeping a client's L2TP datagrams out of its own tunnel.
 *
 * A client that routes into its TUN an address range containing the LNS
 * (`default-route`, a `routes` entry, or an IPCP peer address equal to the
 * LNS's address) would send its own L2TP datagrams into the tunnel they
 * carry: each lap adds a header, fragments, and the loop multiplies until the
 * call dies.  Before the tunnel's routes go in, the client pins the path it
 * uses now with a host route to the LNS; these are the pure decisions behind
 * that (which route to add, which configured route to leave out) and the
 * data-path test that catches a datagram that got into the TUN anyway.
 * Addresses are IPv4 in host byte order, as in config.h.
 */
#ifndef VPDN_ROLES_CLIENT_ROUTE_H
#define VPDN_ROLES_CLIENT_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/route.h"

struct client_route_prefix {
	uint32_t addr;
	uint8_t plen;
};

/* What the tunnel's routes are: the configured list, the default route, and
 * the peer address of the point-to-point address. */
struct client_route_plan {
	const struct client_route_prefix *routes;
	unsigned route_count;
	bool default_route;
	uint32_t peer; /* IPCP peer address; 0 none */
};

enum client_pin {
	CLIENT_PIN_NONE,   /* no tunnel route covers the LNS */
	CLIENT_PIN_ADD,	   /* add LNS/32 via the current gateway/device */
	CLIENT_PIN_EXISTS, /* a host route to the LNS is already there */
	CLIENT_PIN_LOCAL,  /* the LNS is an address of this host */
	CLIENT_PIN_FAIL,   /* no usable path outside the tunnel */
};

const char *client_pin_str(enum client_pin p);

/* addr lies inside prefix/plen. */
bool client_route_covers(uint32_t prefix, unsigned plen, uint32_t addr);

/* The tunnel's routes would carry datagrams for lns. */
bool client_route_captures(const struct client_route_plan *plan, uint32_t lns);

/*
 * Given how the LNS is reached before the tunnel's routes exist (`lns_rt`,
 * from route_get, or NULL when the lookup failed) and the tunnel's device:
 * what to do so that lns stays reachable outside the tunnel.
 */
enum client_pin client_pin_decide(uint32_t lns,
    const struct route_lookup *lns_rt, int tun_ifindex,
    const struct client_route_plan *plan);

/* A configured route that is the LNS's own host route: it would replace
 * the pin (or fail against it with EEXIST), so it is left out. */
bool client_route_is_lns_host(const struct client_route_prefix *p,
    uint32_t lns);

/*
 * pkt (read from the client's TUN) is one of our own L2TP datagrams: IPv4
 * UDP to lns:lns_port, from local_port (0: any source port).  Such a packet
 * only gets there through a route loop; sending it on would feed the loop.
 */
bool client_is_own_l2tp(const uint8_t *pkt, size_t len, uint32_t lns,
    uint16_t lns_port, uint16_t local_port);

#endif
