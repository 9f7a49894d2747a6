/*
 * client_dhcpv6.c — a client's DHCPv6 prefix delegation (see
 * client_dhcpv6.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "ipv6/dhcpv6_client.h"
#include "ipv6/ra.h"
#include "ipv6/udp6.h"
#include "roles/client_dhcpv6.h"
#include "roles/roles.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

struct client6_pd {
	struct client *c;
	struct dhcpv6_client cl;
	bool have; /* lease is delegated to us */
	struct dhcpv6_pd_lease lease;
	int lan_ifindex; /* 0: no lan-interface (or not found) */
	bool lan_addr;	 /* lan[] is on it */
	uint8_t lan[16];
};

/* Our DUID: DUID-LL (RFC 8415 §11.4) of hardware type 0 over our IPv6CP
 * interface identifier, unique on the link by negotiation (RFC 5072
 * §4.1).  It changes with the identifier, so a new call is a new client
 * to the server: the old binding went with the old session anyway. */
static void
our_duid(const struct client *c, struct dhcpv6_duid *d)
{
	dhcpv6_duid_ll(d, 0, c->v6_local_id, 8);
}

static void
pd_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct client6_pd *p = ctx;
	struct client *c = p->c;
	uint8_t src[16], pkt[UDP6_HDR_LEN + 1500];
	size_t n;

	if (c->link == NULL)
		return;
	ipv6_link_local(src, c->v6_local_id);
	n = udp6_build(src, ipv6_all_dhcp_servers, DHCPV6_CLIENT_PORT,
	    DHCPV6_SERVER_PORT, 255, msg, len, pkt, sizeof(pkt));
	if (n > 0)
		(void)sl_send_ipv6(c->link, pkt, n);
}

static void
lan_remove(struct client6_pd *p)
{
	struct client *c = p->c;

	if (!p->lan_addr)
		return;
	(void)RIO(c->roles, addr6_del, &c->rt, p->lan_ifindex, p->lan, 64);
	p->lan_addr = false;
}

/* The first /64 of the delegated prefix, ::1/64 on the LAN device. */
static void
lan_add(struct client6_pd *p)
{
	struct client *c = p->c;
	char a[INET6_ADDRSTRLEN];

	if (p->lan_ifindex <= 0)
		return;
	memcpy(p->lan, p->lease.prefix, 8);
	memset(p->lan + 8, 0, 8);
	p->lan[15] = 1;
	if (RIO(c->roles, addr6_add, &c->rt, p->lan_ifindex, p->lan, 64) < 0) {
		log_warnx("client %s: %s/64 on %s: %s", c->cfg.name,
		    inet_ntop(AF_INET6, p->lan, a, sizeof(a)),
		    c->cfg.lan_interface, route_error(&c->rt));
		return;
	}
	p->lan_addr = true;
	log_info("client %s: %s/64 on %s", c->cfg.name,
	    inet_ntop(AF_INET6, p->lan, a, sizeof(a)), c->cfg.lan_interface);
}

static void
pd_event(void *ctx, enum dhcpv6_client_event ev,
    const struct dhcpv6_pd_lease *l)
{
	struct client6_pd *p = ctx;
	char a[INET6_ADDRSTRLEN];

	switch (ev) {
	case DHCPV6_EV_BOUND:
		lan_remove(p);
		p->lease = *l;
		p->have = true;
		log_info("client %s: delegated %s/%u (DHCPv6)", p->c->cfg.name,
		    inet_ntop(AF_INET6, l->prefix, a, sizeof(a)), l->plen);
		lan_add(p);
		break;
	case DHCPV6_EV_RENEWED:
		p->lease = *l;
		break;
	case DHCPV6_EV_LOST:
		if (p->have)
			log_info("client %s: delegated prefix %s/%u lost",
			    p->c->cfg.name,
			    inet_ntop(AF_INET6, p->lease.prefix, a, sizeof(a)),
			    p->lease.plen);
		lan_remove(p);
		p->have = false;
		break;
	}
}

static const struct dhcpv6_client_ops pd_ops = {
	.send = pd_send,
	.event = pd_event,
};

void
client6pd_start(struct client *c, uint64_t now)
{
	struct dhcpv6_client_config cfg;
	struct client6_pd *p;

	if (!c->cfg.request_prefix)
		return;
	if (c->pd != NULL)
		client6pd_stop(c, now);
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		log_warnx("client %s: no memory for DHCPv6", c->cfg.name);
		return;
	}
	p->c = c;
	if (c->cfg.lan_interface[0] != '\0') {
		p->lan_ifindex = RIO(c->roles, if_index, c->cfg.lan_interface);
		if (p->lan_ifindex <= 0)
			log_warnx("client %s: lan-interface %s: no such device",
			    c->cfg.name, c->cfg.lan_interface);
	}
	memset(&cfg, 0, sizeof(cfg));
	our_duid(c, &cfg.duid);
	/* §21.4: an IAID unique for the client; one IA_PD. */
	cfg.iaid = 1;
	cfg.want_dns = true;
	dhcpv6_client_init(&p->cl, &cfg, &pd_ops, p);
	c->pd = p;
	dhcpv6_client_start(&p->cl, now);
}

void
client6pd_stop(struct client *c, uint64_t now)
{
	struct client6_pd *p = c->pd;

	if (p == NULL)
		return;
	/* §18.2.7: give it back while the call can still carry it. */
	if (p->have)
		dhcpv6_client_release(&p->cl, now);
	lan_remove(p);
	c->pd = NULL;
	free(p);
}

bool
client6pd_input(struct client *c, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct udp6_view u;

	if (c->pd == NULL || len < UDP6_HDR_LEN || pkt[6] != IPPROTO_UDP_N ||
	    (pkt[42] << 8 | pkt[43]) != DHCPV6_CLIENT_PORT)
		return false;
	/* §7.2: from the server's port; ours only with a good checksum. */
	if (udp6_parse(pkt, len, &u) && u.sport == DHCPV6_SERVER_PORT)
		dhcpv6_client_input(&c->pd->cl, u.payload, u.plen, now);
	return true;
}

void
client6pd_run_timers(struct client *c, uint64_t now)
{
	if (c->pd != NULL && dhcpv6_client_next_deadline(&c->pd->cl) <= now)
		dhcpv6_client_timer(&c->pd->cl, now);
}

uint64_t
client6pd_next_deadline(const struct client *c)
{
	return c->pd != NULL ? dhcpv6_client_next_deadline(&c->pd->cl) :
			       TIME_NEVER;
}

void
client6pd_describe(const struct client *c, struct roles_client_view *v)
{
	char a[INET6_ADDRSTRLEN];

	v->delegated_prefix[0] = '\0';
	if (c->pd == NULL || !c->pd->have ||
	    inet_ntop(AF_INET6, c->pd->lease.prefix, a, sizeof(a)) == NULL)
		return;
	snprintf(v->delegated_prefix, sizeof(v->delegated_prefix), "%s/%u", a,
	    c->pd->lease.plen);
}
