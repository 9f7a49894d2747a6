/*
 * client_route.c — the decisions that keep a client's L2TP datagrams out of
 * its own tunnel (client_route.h).  Pure functions: client.c does the
 * rtnetlink calls and the logging.
 */
#include <linux/rtnetlink.h>

#include "roles/client_route.h"

#define IPV4_HDR_MIN	20
#define IPPROTO_UDP_NUM 17
#define UDP_HDR_LEN	8

const char *
client_pin_str(enum client_pin p)
{
	switch (p) {
	/* clang-format off */
	case CLIENT_PIN_NONE:	return "none";
	case CLIENT_PIN_ADD:	return "add";
	case CLIENT_PIN_EXISTS:	return "exists";
	case CLIENT_PIN_LOCAL:	return "local";
	case CLIENT_PIN_FAIL:	return "fail";
		/* clang-format on */
	}
	return "?";
}

bool
client_route_covers(uint32_t prefix, unsigned plen, uint32_t addr)
{
	uint32_t mask;

	if (plen == 0)
		return true;
	if (plen > 32)
		return false;
	mask = plen == 32 ? 0xffffffffu : ~(0xffffffffu >> plen);
	return (prefix & mask) == (addr & mask);
}

bool
client_route_captures(const struct client_route_plan *plan, uint32_t lns)
{
	if (plan->default_route || (plan->peer != 0 && plan->peer == lns))
		return true;
	for (unsigned i = 0; i < plan->route_count; i++)
		if (client_route_covers(plan->routes[i].addr,
			plan->routes[i].plen, lns))
			return true;
	return false;
}

enum client_pin
client_pin_decide(uint32_t lns, const struct route_lookup *lns_rt,
    int tun_ifindex, const struct client_route_plan *plan)
{
	if (!client_route_captures(plan, lns))
		return CLIENT_PIN_NONE;
	if (lns_rt == NULL)
		return CLIENT_PIN_FAIL;
	/* The local table is consulted before main: our routes cannot
	 * capture an address of this host. */
	if (lns_rt->type == RTN_LOCAL)
		return CLIENT_PIN_LOCAL;
	/* Blackhole, unreachable, prohibit: nothing to pin to. */
	if (lns_rt->type != RTN_UNICAST || lns_rt->ifindex <= 0 ||
	    lns_rt->ifindex == tun_ifindex)
		return CLIENT_PIN_FAIL;
	/* Someone's host route already beats every tunnel route but a
	 * configured LNS/32, which is left out; it is not ours to add or
	 * remove. */
	if (lns_rt->plen == 32 && lns_rt->dst == lns)
		return CLIENT_PIN_EXISTS;
	return CLIENT_PIN_ADD;
}

bool
client_route_is_lns_host(const struct client_route_prefix *p, uint32_t lns)
{
	return p->plen == 32 && p->addr == lns;
}

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

bool
client_is_own_l2tp(const uint8_t *pkt, size_t len, uint32_t lns,
    uint16_t lns_port, uint16_t local_port)
{
	size_t ihl;
	uint32_t dst;
	const uint8_t *udp;

	if (len < IPV4_HDR_MIN || pkt[0] >> 4 != 4)
		return false;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_MIN || len < ihl || pkt[9] != IPPROTO_UDP_NUM)
		return false;
	dst = (uint32_t)pkt[16] << 24 | (uint32_t)pkt[17] << 16 |
	    (uint32_t)pkt[18] << 8 | pkt[19];
	if (dst != lns)
		return false;
	/* A later fragment has no ports.  Letting it through ends a loop
	 * all the same: the datagram carrying it is a whole one to the LNS
	 * and is caught here on its next lap. */
	if ((be16_at(pkt + 6) & 0x1fff) != 0)
		return false;
	if (len < ihl + UDP_HDR_LEN)
		return false;
	udp = pkt + ihl;
	if (be16_at(udp + 2) != lns_port)
		return false;
	return local_port == 0 || be16_at(udp) == local_port;
}
