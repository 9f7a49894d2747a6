/*
 * test_bench_ipv6.c — vpdn-bench's IPv6 per session (src/cmd/bench_ipv6.c)
 * against the project's own LNS-side engines: the Router Advertisement
 * ra_build() makes forms the SLAAC address (RFC 4862 §5.5.3) from our
 * IPv6CP identifier, the DHCPv6 server (ipv6/dhcpv6_server.h) delegates a
 * prefix by Rapid Commit and by the four-message exchange, readiness waits
 * for both, the first Solicit is not delayed, data is counted and
 * control is not; the upstream header's checksum; address parsing.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cmd/bench_ipv6.h"
#include "core/timeutil.h"
#include "ipv6/dhcpv6_server.h"
#include "ipv6/ra.h"
#include "ipv6/udp6.h"

struct fx {
	struct bench6 b;
	uint8_t sent[8][1200];
	size_t sent_len[8];
	unsigned nsent;
	unsigned ready;
	struct dhcpv6_server srv;
	unsigned allocs;
};

static const uint8_t our_id[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44,
	0x55 };
static const uint8_t lns_id[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };

static void
p6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static int
f_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct fx *f = ctx;

	assert_true(f->nsent < 8 && len <= sizeof(f->sent[0]));
	memcpy(f->sent[f->nsent], pkt, len);
	f->sent_len[f->nsent++] = len;
	return 0;
}

static void
f_ready(void *ctx, uint64_t now)
{
	struct fx *f = ctx;

	(void)now;
	f->ready++;
}

static const struct bench6_ops f_ops = { .send = f_send, .ready = f_ready };

static int
s_alloc(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct fx *f = ctx;

	(void)now;
	f->allocs++;
	p6("fd79:0:100::", l->prefix);
	l->plen = 56;
	l->preferred = 3600;
	l->valid = 7200;
	return 0;
}

static int
s_renew(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	(void)ctx;
	(void)l;
	(void)now;
	return 0;
}

static void
s_release(void *ctx, const struct dhcpv6_pd_lease *l)
{
	(void)ctx;
	(void)l;
}

static const struct dhcpv6_lease_ops s_ops = {
	.alloc = s_alloc,
	.renew = s_renew,
	.release = s_release,
};

static void
fx_init(struct fx *f, enum bench6_pd pd, bool rapid)
{
	struct dhcpv6_server_config sc;

	memset(f, 0, sizeof(*f));
	bench6_init(&f->b, pd, &f_ops, f);
	memset(&sc, 0, sizeof(sc));
	dhcpv6_duid_ll(&sc.duid, 0, lns_id, 8);
	sc.rapid_commit = rapid;
	dhcpv6_server_init(&f->srv, &sc, &s_ops, f);
}

/* The RA the LNS sends (roles/lns_ipv6.c): from fe80::1, A flag, a /64. */
static size_t
lns_ra(uint8_t *out, const char *prefix, uint32_t valid)
{
	struct ra_params p;

	memset(&p, 0, sizeof(p));
	ipv6_link_local(p.src, lns_id);
	memcpy(p.dst, ipv6_all_nodes, 16);
	p.router_lifetime = 1800;
	p.has_prefix = true;
	p6(prefix, p.prefix);
	p.prefix_len = 64;
	p.valid_lifetime = valid;
	p.preferred_lifetime = valid / 2;
	p.mtu = 1400;
	return ra_build(&p, out, RA_MAX_LEN);
}

/* What the client sent last, checked as a DHCPv6 message from our
 * link-local address port 546 to ff02::1:2 port 547 (RFC 8415 §7), into
 * the server; its answer back to the session the way the LNS sends it. */
static void
serve(struct fx *f, uint8_t want_type, bool want_rapid, uint64_t now)
{
	struct udp6_view u;
	struct dhcpv6_msg m;
	uint8_t ll[16], lns_ll[16], ans[1024], pkt[UDP6_HDR_LEN + 1024];
	size_t n, k;

	assert_true(f->nsent > 0);
	assert_true(
	    udp6_parse(f->sent[f->nsent - 1], f->sent_len[f->nsent - 1], &u));
	ipv6_link_local(ll, our_id);
	assert_memory_equal(u.src, ll, 16);
	assert_memory_equal(u.dst, ipv6_all_dhcp_servers, 16);
	assert_int_equal(u.sport, DHCPV6_CLIENT_PORT);
	assert_int_equal(u.dport, DHCPV6_SERVER_PORT);
	assert_int_equal(dhcpv6_parse(u.payload, u.plen, &m), DHCPV6_OK);
	assert_int_equal(m.type, want_type);
	assert_int_equal((m.present & DHCPV6_HAVE_RAPID_COMMIT) != 0,
	    want_rapid);
	n = dhcpv6_server_input(&f->srv, u.payload, u.plen, now, ans,
	    sizeof(ans));
	assert_true(n > 0);
	ipv6_link_local(lns_ll, lns_id);
	k = udp6_build(lns_ll, ll, DHCPV6_SERVER_PORT, DHCPV6_CLIENT_PORT, 255,
	    ans, n, pkt, sizeof(pkt));
	assert_true(k > 0);
	bench6_input(&f->b, pkt, k, now);
}

static void
test_ra_forms_address(void **state)
{
	struct fx f;
	uint8_t ra[RA_MAX_LEN], want[16];
	size_t n = lns_ra(ra, "fd78:0:0:5::", 86400);

	(void)state;
	fx_init(&f, BENCH6_PD_NONE, false);
	/* Before IPv6CP opens nothing is taken. */
	bench6_input(&f.b, ra, n, 1000);
	assert_false(f.b.have_addr);
	assert_int_equal(bench6_up(&f.b, our_id, 1000), 0);
	assert_int_equal(f.nsent, 0); /* no DHCPv6 without pd */
	assert_int_equal(bench6_next_deadline(&f.b), TIME_NEVER);
	assert_false(f.b.ready);
	bench6_input(&f.b, ra, n, 1001);
	assert_true(f.b.have_addr && f.b.ready);
	assert_int_equal(f.ready, 1);
	p6("fd78:0:0:5:211:22ff:fe33:4455", want);
	assert_memory_equal(f.b.addr, want, 16);
	/* The periodic RA again: still one ready. */
	bench6_input(&f.b, ra, n, 2000);
	assert_int_equal(f.ready, 1);
	assert_int_equal(f.b.rx_data, 0);
	/* Down forgets; up again waits for a new RA. */
	bench6_down(&f.b);
	assert_int_equal(bench6_up(&f.b, our_id, 3000), 0);
	assert_false(f.b.have_addr || f.b.ready);
	bench6_input(&f.b, ra, n, 3001);
	assert_int_equal(f.ready, 2);
	bench6_down(&f.b);
}

static void
test_ra_refused(void **state)
{
	struct fx f;
	uint8_t ra[RA_MAX_LEN];
	size_t n;

	(void)state;
	fx_init(&f, BENCH6_PD_NONE, false);
	assert_int_equal(bench6_up(&f.b, our_id, 1000), 0);
	/* §5.5.3 e: a valid lifetime of 0 forms no address. */
	n = lns_ra(ra, "fd78:0:0:5::", 0);
	bench6_input(&f.b, ra, n, 1001);
	assert_false(f.b.have_addr);
	/* A bad checksum (§6.1.2): not an RA to take. */
	n = lns_ra(ra, "fd78:0:0:5::", 86400);
	ra[IPV6_HDR_LEN + 2] ^= 0xff;
	bench6_input(&f.b, ra, n, 1002);
	assert_false(f.b.have_addr);
	assert_int_equal(f.ready, 0);
	bench6_down(&f.b);
}

static void
test_pd_rapid_commit(void **state)
{
	struct fx f;
	uint8_t ra[RA_MAX_LEN], want[16];
	size_t n = lns_ra(ra, "fd78:0:0:5::", 86400);

	(void)state;
	fx_init(&f, BENCH6_PD_RAPID, true);
	assert_int_equal(bench6_up(&f.b, our_id, 50000), 0);
	/* The Solicit leaves at once (no §18.2.1 delay in the bench). */
	assert_int_equal(f.nsent, 1);
	/* The RA first: the address alone is not ready with pd asked. */
	bench6_input(&f.b, ra, n, 50001);
	assert_true(f.b.have_addr);
	assert_false(f.b.ready);
	serve(&f, DHCPV6_SOLICIT, true, 50002);
	assert_int_equal(f.allocs, 1);
	assert_true(f.b.have_lease && f.b.ready);
	assert_int_equal(f.ready, 1);
	p6("fd79:0:100::", want);
	assert_memory_equal(f.b.lease.prefix, want, 16);
	assert_int_equal(f.b.lease.plen, 56);
	assert_int_equal(f.nsent, 1); /* nothing more to say */
	/* Neither the RA nor DHCPv6 counted as delivered data. */
	assert_int_equal(f.b.rx_data, 0);
	/* Bound: the next timer is T1, far away. */
	assert_true(bench6_next_deadline(&f.b) > 50002 + 60000);
	bench6_down(&f.b);
	assert_null(f.b.dc);
	dhcpv6_server_destroy(&f.srv);
}

static void
test_pd_four_messages(void **state)
{
	struct fx f;
	uint8_t ra[RA_MAX_LEN];
	size_t n = lns_ra(ra, "fd78:0:0:6::", 86400);
	uint64_t d;

	(void)state;
	fx_init(&f, BENCH6_PD_SOLICIT, false);
	assert_int_equal(bench6_up(&f.b, our_id, 50000), 0);
	assert_int_equal(f.nsent, 1);
	serve(&f, DHCPV6_SOLICIT, false, 50001); /* an Advertise back */
	assert_false(f.b.have_lease);
	/* §18.2.1: Advertises are collected for the first RT (IRT 1 s,
	 * RAND > 0), then the Request goes out. */
	d = bench6_next_deadline(&f.b);
	assert_true(d > 50000 + 1000 && d <= 50000 + 1100);
	bench6_timer(&f.b, d - 1);
	assert_int_equal(f.nsent, 1);
	bench6_timer(&f.b, d);
	assert_int_equal(f.nsent, 2);
	serve(&f, DHCPV6_REQUEST, false, d + 1);
	assert_true(f.b.have_lease);
	assert_false(f.b.ready); /* no RA yet */
	bench6_input(&f.b, ra, n, d + 2);
	assert_true(f.b.ready);
	assert_int_equal(f.ready, 1);
	bench6_down(&f.b);
	dhcpv6_server_destroy(&f.srv);
}

static void
test_data_counted_and_header(void **state)
{
	struct fx f;
	uint8_t ra[RA_MAX_LEN], dst[16], pkt[1400], zeros[1400];
	size_t n = lns_ra(ra, "fd78:0:0:5::", 86400);
	struct udp6_view u;

	(void)state;
	fx_init(&f, BENCH6_PD_NONE, false);
	assert_int_equal(bench6_up(&f.b, our_id, 1000), 0);
	bench6_input(&f.b, ra, n, 1001);
	p6("fd77::2", dst);
	/* Too small for its own header. */
	assert_int_equal(bench6_udp_hdr(&f.b, dst, 9000, UDP6_HDR_LEN - 1), -1);
	for (unsigned size = UDP6_HDR_LEN; size <= 1400; size += 1352) {
		assert_int_equal(bench6_udp_hdr(&f.b, dst, 9000, size), 0);
		/* header + all-zero payload: a packet whose checksum is
		 * right (udp6_parse refuses a wrong or zero one). */
		memset(zeros, 0, sizeof(zeros));
		memcpy(pkt, f.b.hdr, UDP6_HDR_LEN);
		memcpy(pkt + UDP6_HDR_LEN, zeros, size - UDP6_HDR_LEN);
		assert_true(udp6_parse(pkt, size, &u));
		assert_memory_equal(u.src, f.b.addr, 16);
		assert_memory_equal(u.dst, dst, 16);
		assert_int_equal(u.dport, 9000);
		assert_int_equal(u.plen, size - UDP6_HDR_LEN);
		/* The same packet downstream: a delivery. */
		bench6_input(&f.b, pkt, size, 2000);
	}
	assert_int_equal(f.b.rx_data, 2);
	bench6_down(&f.b);
}

static void
test_parse_addr(void **state)
{
	struct sockaddr_in6 s;
	uint8_t want[16];

	(void)state;
	assert_int_equal(bench6_parse_addr("[fd77::2]:9000", &s, 9), 0);
	p6("fd77::2", want);
	assert_memory_equal(&s.sin6_addr, want, 16);
	assert_int_equal(ntohs(s.sin6_port), 9000);
	assert_int_equal(s.sin6_family, AF_INET6);
	assert_int_equal(bench6_parse_addr("fd77::2", &s, 9), 0);
	assert_int_equal(ntohs(s.sin6_port), 9);
	assert_int_equal(bench6_parse_addr("[fd77::2]", &s, 0), 0);
	assert_int_equal(ntohs(s.sin6_port), 0);
	assert_int_equal(bench6_parse_addr("[fd77::2]:", &s, 9), -1);
	assert_int_equal(bench6_parse_addr("[fd77::2]:65536", &s, 9), -1);
	assert_int_equal(bench6_parse_addr("[fd77::2]x", &s, 9), -1);
	assert_int_equal(bench6_parse_addr("[fd77::2", &s, 9), -1);
	assert_int_equal(bench6_parse_addr("10.0.0.1", &s, 9), -1);
	assert_int_equal(bench6_parse_addr("[]:9", &s, 9), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ra_forms_address),
		cmocka_unit_test(test_ra_refused),
		cmocka_unit_test(test_pd_rapid_commit),
		cmocka_unit_test(test_pd_four_messages),
		cmocka_unit_test(test_data_counted_and_header),
		cmocka_unit_test(test_parse_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
