/*
 * test_roles_client_dhcpv6.c — a client's DHCPv6 prefix delegation
 * (roles/client_dhcpv6.c, `request-prefix = yes`) against the scripted LNS
 * of rh_server.h with IPv6CP, whose DHCPv6 side is vpdn's server engine
 * (ipv6/dhcpv6_server.c) delegating one /56.  Checked: nothing is asked
 * before IPv6CP is up; the Solicit goes from the TUN's link-local address,
 * port 546, to ff02::1:2 port 547 (RFC 8415 §7.1/§7.2) inside the call;
 * once bound, `show clients` names the prefix and lan-interface gets its
 * first /64 ::1/64; the call's end takes it off again.  Without
 * lan-interface nothing is put on any device.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "client_common.h"
#include "config/config.h"
#include "ipv6/dhcpv6_server.h"
#include "ipv6/ra.h"
#include "ipv6/udp6.h"
#include "roles/roles.h"

/* The LNS's DHCPv6 side: the engine and the replies it owes. */
struct fake_pd {
	struct rh_lns *l;
	struct dhcpv6_server srv;
	uint8_t out[4][1200];
	size_t out_len[4];
	unsigned nout;
	unsigned rx, released;
	uint8_t client_ll[16];
};

static int
pd_alloc(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	(void)ctx;
	(void)now;
	memset(l, 0, sizeof(*l));
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:200:100::", l->prefix),
	    1);
	l->plen = 56;
	l->preferred = 3600;
	l->valid = 7200;
	return 0;
}

static int
pd_renew(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	(void)ctx;
	(void)l;
	(void)now;
	return 0;
}

static void
pd_release(void *ctx, const struct dhcpv6_pd_lease *l)
{
	struct fake_pd *p = ctx;

	(void)l;
	p->released++;
}

static const struct dhcpv6_lease_ops pd_ops = {
	.alloc = pd_alloc,
	.renew = pd_renew,
	.release = pd_release,
};

/* An IPv6 packet from the client: DHCPv6 to the server engine. */
static void
pd_in(void *arg, const uint8_t *pkt, size_t len)
{
	struct fake_pd *p = arg;
	struct udp6_view u;
	uint8_t msg[1100], lns_ll[16];
	static const uint8_t lns_id[8] = { 2, 0, 0, 0, 0, 0, 0, 1 };
	size_t n;

	if (!udp6_parse(pkt, len, &u) || u.dport != DHCPV6_SERVER_PORT)
		return;
	assert_int_equal(u.sport, DHCPV6_CLIENT_PORT);
	assert_memory_equal(u.dst, ipv6_all_dhcp_servers, 16);
	/* The first Solicit may leave within the step IPv6CP opened in (its
	 * random delay, RFC 8415 §18.2.1, can be shorter than the rest of
	 * the step): the link-local address is known from then on. */
	if (p->client_ll[0] == 0 && p->l->ppp.v6_up)
		ipv6_link_local(p->client_ll, p->l->ppp.v6_peer_id);
	assert_memory_equal(u.src, p->client_ll, 16);
	p->rx++;
	n = dhcpv6_server_input(&p->srv, u.payload, u.plen, p->l->h->now, msg,
	    sizeof(msg));
	if (n == 0 || p->nout == 4)
		return;
	ipv6_link_local(lns_ll, lns_id);
	p->out_len[p->nout] = udp6_build(lns_ll, u.src, DHCPV6_SERVER_PORT,
	    DHCPV6_CLIENT_PORT, 255, msg, n, p->out[p->nout],
	    sizeof(p->out[0]));
	p->nout++;
}

static void
pd_init(struct fake_pd *p, struct rh_lns *l)
{
	struct dhcpv6_server_config c;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x99 };

	memset(p, 0, sizeof(*p));
	p->l = l;
	memset(&c, 0, sizeof(c));
	dhcpv6_duid_ll(&c.duid, 1, mac, sizeof(mac));
	dhcpv6_server_init(&p->srv, &c, &pd_ops, p);
	l->ppp.ipv6 = true;
	l->ppp.ipv6_in = pd_in;
	l->ppp.ipv6_arg = p;
}

/* Time on, the replies delivered between the steps (never from inside the
 * scripted LNS's pump). */
static void
pd_run(struct fake_pd *p, uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += 50) {
		rh_lns_run(p->l, 50);
		if (p->l->ppp.v6_up && p->client_ll[0] == 0)
			ipv6_link_local(p->client_ll, p->l->ppp.v6_peer_id);
		while (p->nout > 0) {
			uint8_t b[1200];
			size_t n = p->out_len[0];

			memcpy(b, p->out[0], n);
			for (unsigned i = 1; i < p->nout; i++) {
				memcpy(p->out[i - 1], p->out[i], p->out_len[i]);
				p->out_len[i - 1] = p->out_len[i];
			}
			p->nout--;
			rh_lns_send_ipv6(p->l, b, n);
		}
	}
}

static void
delegated(const struct roles_client_view *v, void *arg)
{
	snprintf(arg, 64, "%s", v->delegated_prefix);
}

static void
test_request_prefix_lan(void **state)
{
	struct role_harness *h = client_harness(CLIENT_CONF(
	    "ipv6 = yes\nrequest-prefix = yes\nlan-interface = lan0\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct fake_pd p;
	char seen[64] = "";
	uint8_t want[16];

	(void)state;
	pd_init(&p, l);
	pd_run(&p, 200);
	assert_true(l->ppp.up);
	assert_true(l->ppp.v6_up);
	pd_run(&p, 5000);
	/* Solicit and Request (§18.2.1, §18.2.2). */
	assert_int_equal(p.rx, 2);
	assert_non_null(dhcpv6_server_bound(&p.srv));
	roles_foreach_client(h->r, h->now, delegated, seen);
	assert_string_equal(seen, "2001:db8:200:100::/56");
	/* The LAN's first /64, ::1. */
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:200:100::1", want), 1);
	assert_int_equal(h->io.addr6_ifindex, FAKE_LAN_IFINDEX);
	assert_memory_equal(h->io.addr6, want, 16);
	assert_int_equal(h->io.addr6_dels, 0);

	/* The call's end: the address comes off the LAN. */
	rh_lns_hangup(l, 3);
	rh_lns_run(l, 100);
	assert_int_equal(h->io.addr6_dels, 1);
	assert_int_equal(h->io.addr6_del_ifindex, FAKE_LAN_IFINDEX);
	assert_memory_equal(h->io.addr6_del, want, 16);
	roles_foreach_client(h->r, h->now, delegated, seen);
	assert_string_equal(seen, "");
	dhcpv6_server_destroy(&p.srv);
	rh_lns_free(l);
	rh_free(h);
}

/* Without lan-interface the prefix is only reported. */
static void
test_request_prefix_only(void **state)
{
	struct role_harness *h = client_harness(
	    CLIENT_CONF("ipv6 = yes\nrequest-prefix = yes\n"));
	struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
	struct fake_pd p;
	char seen[64] = "";
	unsigned adds;

	(void)state;
	pd_init(&p, l);
	pd_run(&p, 200);
	adds = h->io.addr6_adds; /* the TUN's link-local address */
	pd_run(&p, 5000);
	roles_foreach_client(h->r, h->now, delegated, seen);
	assert_string_equal(seen, "2001:db8:200:100::/56");
	assert_int_equal(h->io.addr6_adds, adds);
	rh_lns_hangup(l, 3);
	rh_lns_run(l, 100);
	assert_int_equal(h->io.addr6_dels, 0);
	dhcpv6_server_destroy(&p.srv);
	rh_lns_free(l);
	rh_free(h);
}

/* request-prefix without IPv6 is a configuration error. */
static void
test_request_prefix_needs_ipv6(void **state)
{
	char err[256];
	struct vpdn_config *cfg;
	char path[] = "/tmp/vpdn-rp-XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = CLIENT_CONF("request-prefix = yes\n");

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1),
	    (ssize_t)(sizeof(text) - 1));
	close(fd);
	cfg = config_load(path, err, sizeof(err));
	unlink(path);
	assert_null(cfg);
	assert_non_null(strstr(err, "request-prefix = yes needs ipv6 = yes"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_prefix_lan),
		cmocka_unit_test(test_request_prefix_only),
		cmocka_unit_test(test_request_prefix_needs_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
