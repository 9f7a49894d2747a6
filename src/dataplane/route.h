/*
 * route.h — interface addresses, routes and link state over rtnetlink.
 *
 * What `ip addr add LOCAL peer PEER dev tun`, `ip route add DST/PLEN dev tun
 * [via GW]` and `ip link set tun up mtu N` do, through libmnl on one
 * NETLINK_ROUTE socket opened in the caller's network namespace.  Every
 * request asks for an ack and waits for it, so a call returns the kernel's
 * verdict: 0, or -1 with errno set to the netlink error and a readable
 * message in route_error() ("RTM_NEWROUTE 10.1.0.0/24 dev 5: File exists").
 * IPv4 addresses are in host byte order, as in config.h.
 */
#ifndef VPDN_DATAPLANE_ROUTE_H
#define VPDN_DATAPLANE_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;

struct route_ctx {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char err[160];
};

int route_open(struct route_ctx *r) __attribute__((warn_unused_result));
void route_close(struct route_ctx *r);
/* The message for the last failure ("" if none). */
const char *route_error(const struct route_ctx *r);

/*
 * Adds/deletes LOCAL/plen on ifindex.  With peer != 0 the address is
 * point-to-point (IFA_ADDRESS = peer, IFA_LOCAL = local), as for a PPP link;
 * plen is then the peer's prefix (32 for one host).  Adding an address that
 * exists fails with EEXIST.
 */
int route_addr_add(struct route_ctx *r, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen);
int route_addr_del(struct route_ctx *r, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen);

/*
 * Adds/deletes the main-table route dst/plen out of ifindex, via gateway gw
 * when gw != 0 (else a link-scope route).  Adding an existing route fails
 * with EEXIST, deleting a missing one with ESRCH.
 */
int route_add(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw);
int route_del(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw);
/* route_add with a path MTU for the route (RADIUS Framed-MTU of one user). */
int route_add_mtu(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw, unsigned mtu);

/*
 * How the kernel reaches one IPv4 address now, as `ip route get ADDR`
 * (RTM_GETROUTE): the chosen gateway (0: on the link), device and source,
 * and the route's type (RTN_UNICAST, RTN_LOCAL, ...).  dst/plen is the
 * matching table entry (`ip route get fibmatch ADDR`), plen 0 with dst 0
 * when the kernel cannot say (before 4.13).  A failed lookup (no route)
 * returns -1 with errno set (ENETUNREACH ...).
 */
struct route_lookup {
	uint32_t dst;
	unsigned plen;
	uint32_t gw;
	uint32_t prefsrc;
	int ifindex;
	uint8_t type;
	uint32_t table;
};
int route_get(struct route_ctx *r, uint32_t addr, struct route_lookup *out);

/* A host route dst/32 out of ifindex via gw (0: on the link) with source
 * prefsrc (0: the kernel's choice); fails with EEXIST if one is there. */
int route_add_host(struct route_ctx *r, int ifindex, uint32_t dst, uint32_t gw,
    uint32_t prefsrc);

/* IPv6: the route dst/plen out of ifindex (a device route; EEXIST/ESRCH
 * as above) and an address addr/plen on ifindex (replacing one that is
 * there; no duplicate address detection: RFC 5072 §4.1 identifiers are
 * unique on the link by negotiation). */
int route6_add(struct route_ctx *r, int ifindex, const uint8_t dst[16],
    unsigned plen);
int route6_del(struct route_ctx *r, int ifindex, const uint8_t dst[16],
    unsigned plen);
int route6_addr_add(struct route_ctx *r, int ifindex, const uint8_t addr[16],
    unsigned plen);
int route6_addr_del(struct route_ctx *r, int ifindex, const uint8_t addr[16],
    unsigned plen);

/* Sets the link up or down and, when mtu != 0, its MTU. */
int route_link_set(struct route_ctx *r, int ifindex, bool up, unsigned mtu);

#endif
