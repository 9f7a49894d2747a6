/*
 * client_common.h — what the client role's unit tests share
 * (test_roles_client*.c): the host's routes before a call, `show clients`
 * copied out of its view, and the routing table as a sorted list to
 * compare before and after a call.  Include after <cmocka.h>.
 */
#ifndef VPDN_TESTS_UNIT_CLIENT_COMMON_H
#define VPDN_TESTS_UNIT_CLIENT_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rh_server.h"

#define ETH0	 2	     /* the host's uplink */
#define GW	 0xc0000201u /* 192.0.2.1 */
#define LNS_ADDR 0xcb007101u /* 203.0.113.1 */
#define GIVEN	 0x0a630002u /* 10.99.0.2, rh_server's default */
#define SERVER	 0x0a630001u /* 10.99.0.1 */

#define CLIENT_CONF(extra) \
	"[global]\nhostname = client.test\n\n" \
	"[client corp]\nlns = 203.0.113.1\nuser = alice\n" \
	"password = secret\nauth = pap\ninterface = vpdn-corp\n" extra

/* What `show clients` says of one client, copied out of the view. */
struct seen {
	unsigned n;
	char name[32], state[16], transport[8], server[64];
	char interface[32], address[16], peer[16], dns[2][16];
	uint16_t session_id;
	unsigned dials;
	uint64_t redial_in_s, loop_drops;
};

static inline void
see(const struct roles_client_view *v, void *arg)
{
	struct seen *s = arg;

	if (s->n++ > 0)
		return;
	snprintf(s->name, sizeof(s->name), "%s", v->name);
	snprintf(s->state, sizeof(s->state), "%s", v->state);
	snprintf(s->transport, sizeof(s->transport), "%s", v->transport);
	snprintf(s->server, sizeof(s->server), "%s", v->server);
	snprintf(s->interface, sizeof(s->interface), "%s", v->interface);
	snprintf(s->address, sizeof(s->address), "%s", v->address);
	snprintf(s->peer, sizeof(s->peer), "%s", v->peer_address);
	snprintf(s->dns[0], sizeof(s->dns[0]), "%s", v->dns[0]);
	snprintf(s->dns[1], sizeof(s->dns[1]), "%s", v->dns[1]);
	s->session_id = v->session_id;
	s->dials = v->dials;
	s->redial_in_s = v->redial_in_s;
	s->loop_drops = v->loop_drops;
}

static inline struct seen
show(struct role_harness *h)
{
	struct seen s;

	memset(&s, 0, sizeof(s));
	roles_foreach_client(h->r, h->now, see, &s);
	return s;
}

/* The harness with the host's routes before any call: the default via
 * 192.0.2.1 on eth0 and the uplink's own subnet. */
static inline struct role_harness *
client_harness(const char *conf)
{
	struct role_harness *h = rh_new(conf, NULL);

	assert_true(fake_route_preset(&h->io, ETH0, 0, 0, GW));
	assert_true(fake_route_preset(&h->io, ETH0, 0xc0000200u, 24, 0));
	return h;
}

/* The table as a sorted list of (ifindex, dst, plen, gw), for comparing
 * before and after. */
struct table {
	unsigned n;
	struct fake_route r[FAKE_ROUTES];
};

static inline int
route_cmp(const void *a, const void *b)
{
	const struct fake_route *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	return x->gw < y->gw ? -1 : x->gw > y->gw;
}

static inline struct table
table_of(const struct fake_io *f)
{
	struct table t;

	memset(&t, 0, sizeof(t));
	t.n = f->nroutes;
	memcpy(t.r, f->routes, sizeof(f->routes[0]) * f->nroutes);
	qsort(t.r, t.n, sizeof(t.r[0]), route_cmp);
	return t;
}

static inline void
assert_table_equal(const struct table *a, const struct table *b)
{
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->r, b->r, sizeof(a->r[0]) * a->n);
}

#endif
