/*
 * client_ipv6.c — IPv6 on a client's call (see client_ipv6.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "ipv6/ra.h"
#include "roles/client_dhcpv6.h"
#include "roles/client_ipv6.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

/* One route into the TUN; one that exists already (the kernel's from the
 * RA, a duplicate) is no reason to drop the call: logged only.  The routes
 * go with the device. */
static void
client6_route(struct client *c, const uint8_t dst[16], unsigned plen)
{
	char a[INET6_ADDRSTRLEN];

	if (RIO(c->roles, route6_add, &c->rt, c->tun.ifindex, dst, plen) < 0)
		log_warnx("client %s: route %s/%u dev %s: %s", c->cfg.name,
		    inet_ntop(AF_INET6, dst, a, sizeof(a)), plen, c->tun.name,
		    route_error(&c->rt));
}

/* routes6, and with default-route ::/1 and 8000::/1, which win over an
 * existing default without replacing it (as 0/1 + 128/1 for IPv4). */
static void
client6_routes(struct client *c)
{
	static const uint8_t zero[16], half[16] = { 0x80 };

	for (unsigned i = 0; i < c->cfg.route6_count; i++)
		client6_route(c, c->cfg.routes6[i].addr, c->cfg.routes6[i].len);
	if (c->cfg.default_route) {
		client6_route(c, zero, 1);
		client6_route(c, half, 1);
	}
}

void
client6_tun_ready(struct client *c)
{
	uint8_t ll[16];
	char a[INET6_ADDRSTRLEN];

	if (!c->v6_up || c->v6_configured || c->tun.fd < 0)
		return;
	/* RFC 5072 §5: the link-local address from our identifier. */
	ipv6_link_local(ll, c->v6_local_id);
	if (RIO(c->roles, addr6_add, &c->rt, c->tun.ifindex, ll, 64) < 0) {
		log_warnx("client %s: %s/64 on %s: %s", c->cfg.name,
		    inet_ntop(AF_INET6, ll, a, sizeof(a)), c->tun.name,
		    route_error(&c->rt));
		return;
	}
	c->v6_configured = true;
	log_info("client %s: IPv6 up on %s with %s", c->cfg.name, c->tun.name,
	    inet_ntop(AF_INET6, ll, a, sizeof(a)));
	client6_routes(c);
}

void
client6_up(struct session_link *sl, const uint8_t local_id[8],
    const uint8_t peer_id[8])
{
	struct client *c = sl->owner;

	memcpy(c->v6_local_id, local_id, 8);
	memcpy(c->v6_peer_id, peer_id, 8);
	c->v6_up = true;
	c->v6_configured = false;
	c->v6_have_prefix = false;
	client6_tun_ready(c);
	client6pd_start(c, c->roles->now);
}

void
client6_down(struct session_link *sl, const char *reason)
{
	struct client *c = sl->owner;

	log_info("client %s: IPv6 down: %s", c->cfg.name, reason);
	/* The kernel's SLAAC addresses go with the device or expire; the
	 * link-local one stays harmlessly until the device closes. */
	client6pd_stop(c, c->roles->now);
	c->v6_up = false;
	c->v6_have_prefix = false;
}

void
client6_input(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	struct client *c = sl->owner;
	struct ra_info ri;

	if (!c->v6_up)
		return;
	if (client6pd_input(c, pkt, len, c->roles->now))
		return;
	if (c->tun.fd < 0)
		return;
	/* RFC 4861 §6.1.2: only a valid RA tells us the prefix; the kernel
	 * validates it again for itself. */
	if (ra_is_icmp6(pkt, len, ICMP6_RA) && ra_parse(pkt, len, &ri) == 0 &&
	    ri.has_prefix && ri.autonomous) {
		memcpy(c->v6_prefix, ri.prefix, 16);
		c->v6_prefix_len = ri.prefix_len;
		c->v6_have_prefix = true;
	}
	(void)RIO(c->roles, tun_write, &c->tun, pkt, len);
}

void
client6_describe(const struct client *c, struct roles_client_view *v)
{
	uint8_t ll[16];
	char a[INET6_ADDRSTRLEN];

	v->ipv6_link_local[0] = v->ipv6_prefix[0] = '\0';
	client6pd_describe(c, v);
	if (!c->v6_up)
		return;
	ipv6_link_local(ll, c->v6_local_id);
	if (inet_ntop(AF_INET6, ll, a, sizeof(a)) != NULL)
		snprintf(v->ipv6_link_local, sizeof(v->ipv6_link_local), "%s",
		    a);
	if (c->v6_have_prefix &&
	    inet_ntop(AF_INET6, c->v6_prefix, a, sizeof(a)) != NULL)
		snprintf(v->ipv6_prefix, sizeof(v->ipv6_prefix), "%s/%u", a,
		    c->v6_prefix_len);
}
