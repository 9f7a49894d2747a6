/*
 * test_tun_route.c — TUN devices and rtnetlink in a private network
 * namespace.  Needs root: the process unshare(CLONE_NEWNET)s itself first,
 * so it only ever sees (and changes) a namespace of its own holding `lo`.
 * Without the privilege every namespace test skips itself; the client's
 * route decisions (client_route.c) are pure and always run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/rtnetlink.h>

#include "dataplane/route.h"
#include "dataplane/tun.h"
#include "roles/client_route.h"

#define A(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	    (uint32_t)(d))
#define LOCAL A(10, 77, 0, 1)
#define PEER  A(10, 77, 0, 2)

static bool have_ns;

static int
setup_ns(void **state)
{
	(void)state;
	/* A fresh namespace: nothing outside it can be disturbed, and the
	 * interface names below are free. */
	have_ns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0;
	return 0;
}

#define NEED_NS() \
	do { \
		if (!have_ns) \
			skip(); \
	} while (0)

/* Runs a command and returns its stdout (static buffer). */
static const char *__attribute__((format(printf, 1, 2)))
run(const char *fmt, ...)
{
	static char out[16384];
	char cmd[256];
	va_list ap;
	FILE *f;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	pclose(f);
	return out;
}

static void
test_open_named_and_kernel_chosen(void **state)
{
	struct tun a, b;

	(void)state;
	NEED_NS();
	assert_int_equal(tun_open(&a, "vpdnt0"), 0);
	assert_string_equal(a.name, "vpdnt0");
	assert_int_equal(a.ifindex, (int)if_nametoindex("vpdnt0"));
	assert_int_equal(tun_open(&b, NULL), 0);
	assert_true(strncmp(b.name, "tun", 3) == 0);
	assert_true(b.ifindex > 0 && b.ifindex != a.ifindex);
	/* A packet read on an idle device is "none", not an error. */
	{
		uint8_t buf[64];

		assert_int_equal(tun_read(&a, buf, sizeof(buf)), 0);
	}
	assert_int_equal(tun_set_mtu(&a, 1280), 0);
	assert_int_equal(tun_set_up(&a), 0);
	assert_non_null(
	    strstr(run("ip -j link show dev vpdnt0"), "\"mtu\":1280"));
	assert_non_null(strstr(run("ip -j link show dev vpdnt0"), "\"UP\""));
	/* The device lives as long as the descriptor. */
	tun_close(&a);
	tun_close(&b);
	assert_int_equal(if_nametoindex("vpdnt0"), 0);
	assert_int_equal(tun_open(&a, "a-name-longer-than-ifnamsiz"), -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

/*
 * txqueuelen bounds what the kernel holds for us: packets routed to the
 * device beyond it are dropped and show in the device's tx_dropped, which
 * tun_kstats reads (vpdnd reports it as kernel-tx-dropped).
 */
static void
test_txqueuelen_and_drops(void **state)
{
	struct sockaddr_in to;
	struct tun_kstats ks;
	struct tun t;
	uint8_t byte = 0;
	int s;

	(void)state;
	NEED_NS();
	assert_int_equal(tun_open(&t, "vpdnt2"), 0);
	assert_int_equal(tun_set_txqueuelen(&t, 5000), 0);
	assert_non_null(
	    strstr(run("ip -j link show dev vpdnt2"), "\"txqlen\":5000"));
	assert_int_equal(tun_set_txqueuelen(&t, 16), 0);
	assert_int_equal(tun_set_up(&t), 0);
	assert_int_equal(tun_kstats(&t, &ks), 0);
	assert_int_equal(ks.tx_dropped, 0);
	run("ip addr add 10.250.0.1/24 dev vpdnt2");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(9);
	to.sin_addr.s_addr = htonl(0x0afa0002); /* 10.250.0.2 */
	/* Nobody reads the device: 16 are queued, the rest dropped. */
	for (int i = 0; i < 100; i++)
		(void)sendto(s, &byte, 1, 0, (struct sockaddr *)&to,
		    sizeof(to));
	close(s);
	assert_int_equal(tun_kstats(&t, &ks), 0);
	assert_true(ks.tx_dropped >= 50);
	tun_close(&t);
	/* A closed device has no counters to read. */
	assert_int_equal(tun_kstats(&t, &ks), -1);
}

static void
test_addresses_routes_link(void **state)
{
	struct route_ctx r;
	struct tun t;
	const char *o;

	(void)state;
	NEED_NS();
	assert_int_equal(tun_open(&t, "vpdnt1"), 0);
	assert_int_equal(route_open(&r), 0);
	assert_int_equal(route_link_set(&r, t.ifindex, true, 1400), 0);
	o = run("ip -j link show dev vpdnt1");
	assert_non_null(strstr(o, "\"mtu\":1400"));
	assert_non_null(strstr(o, "\"UP\""));

	/* ip addr add 10.77.0.1 peer 10.77.0.2/32 dev vpdnt1 */
	assert_int_equal(route_addr_add(&r, t.ifindex, LOCAL, PEER, 32), 0);
	o = run("ip -j addr show dev vpdnt1");
	assert_non_null(strstr(o, "\"local\":\"10.77.0.1\""));
	assert_non_null(strstr(o, "\"address\":\"10.77.0.2\""));
	assert_non_null(strstr(o, "\"prefixlen\":32"));
	/* twice: the kernel's EEXIST, with a readable message */
	assert_int_equal(route_addr_add(&r, t.ifindex, LOCAL, PEER, 32), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(route_error(&r), "File exists"));
	assert_non_null(strstr(route_error(&r), "10.77.0.1 peer 10.77.0.2"));
	/* a plain address too */
	assert_int_equal(route_addr_add(&r, t.ifindex, A(10, 78, 0, 1), 0, 24),
	    0);
	assert_non_null(strstr(run("ip -j addr show dev vpdnt1"),
	    "\"local\":\"10.78.0.1\""));

	/* a per-user route and a gatewayed route */
	assert_int_equal(route_add(&r, t.ifindex, A(10, 77, 1, 5), 32, 0), 0);
	assert_int_equal(route_add(&r, t.ifindex, A(192, 168, 50, 0), 24, PEER),
	    0);
	o = run("ip -j route show dev vpdnt1");
	assert_non_null(strstr(o, "\"dst\":\"10.77.1.5\""));
	assert_non_null(strstr(o, "\"dst\":\"192.168.50.0/24\""));
	assert_non_null(strstr(o, "\"gateway\":\"10.77.0.2\""));
	assert_int_equal(route_add(&r, t.ifindex, A(10, 77, 1, 5), 32, 0), -1);
	assert_int_equal(errno, EEXIST);
	/* host bits under the prefix: refused by the kernel */
	assert_int_equal(route_add(&r, t.ifindex, A(10, 99, 0, 1), 24, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_true(strlen(route_error(&r)) > 0);

	assert_int_equal(route_del(&r, t.ifindex, A(10, 77, 1, 5), 32, 0), 0);
	assert_int_equal(route_del(&r, t.ifindex, A(192, 168, 50, 0), 24, PEER),
	    0);
	o = run("ip -j route show dev vpdnt1");
	assert_null(strstr(o, "10.77.1.5"));
	assert_null(strstr(o, "192.168.50.0"));
	assert_int_equal(route_del(&r, t.ifindex, A(10, 77, 1, 5), 32, 0), -1);
	assert_int_equal(errno, ESRCH);

	assert_int_equal(route_addr_del(&r, t.ifindex, LOCAL, PEER, 32), 0);
	assert_null(strstr(run("ip -j addr show dev vpdnt1"), "10.77.0.1"));
	assert_int_equal(route_addr_del(&r, t.ifindex, LOCAL, PEER, 32), -1);
	assert_int_equal(errno, EADDRNOTAVAIL);

	assert_int_equal(route_link_set(&r, t.ifindex, false, 0), 0);
	o = run("ip -j link show dev vpdnt1");
	assert_null(strstr(o, "\"UP\""));
	assert_non_null(strstr(o, "\"mtu\":1400")); /* 0: unchanged */
	/* no such interface */
	assert_int_equal(route_link_set(&r, 9999, true, 0), -1);
	assert_int_equal(errno, ENODEV);
	route_close(&r);
	tun_close(&t);
}

static uint16_t
ip_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* IPv4 + UDP (checksum 0: "no checksum", RFC 768) around payload. */
static size_t
build_udp(uint8_t *pkt, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, const char *payload)
{
	size_t plen = strlen(payload), len = 28 + plen;
	uint16_t c;

	memset(pkt, 0, 28);
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	pkt[8] = 64;
	pkt[9] = IPPROTO_UDP;
	for (int i = 0; i < 4; i++) {
		pkt[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		pkt[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	c = ip_csum(pkt, 20);
	pkt[10] = (uint8_t)(c >> 8);
	pkt[11] = (uint8_t)c;
	pkt[20] = (uint8_t)(sport >> 8);
	pkt[21] = (uint8_t)sport;
	pkt[22] = (uint8_t)(dport >> 8);
	pkt[23] = (uint8_t)dport;
	pkt[24] = (uint8_t)((len - 20) >> 8);
	pkt[25] = (uint8_t)(len - 20);
	memcpy(pkt + 28, payload, plen);
	return len;
}

static uint32_t
pkt_dst(const uint8_t *p)
{
	return (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
	    (uint32_t)p[18] << 8 | p[19];
}

static void
wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	assert_int_equal(poll(&pfd, 1, 2000), 1);
}

/* The LNS's two directions through one TUN: a packet written into the TUN
 * (from a user) reaches a socket of the host; a packet the host sends to a
 * user's address comes out of the TUN. */
static void
test_packets_both_ways(void **state)
{
	struct route_ctx r;
	struct tun t;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	uint8_t pkt[2048];
	struct tun_pkt batch[8];
	static uint8_t bufs[8][2048];
	char got[64];
	ssize_t n;
	int s, k, seen;

	(void)state;
	NEED_NS();
	assert_int_equal(tun_open(&t, "vpdnt2"), 0);
	assert_int_equal(route_open(&r), 0);
	assert_int_equal(route_link_set(&r, t.ifindex, true, 1400), 0);
	assert_int_equal(route_addr_add(&r, t.ifindex, LOCAL, PEER, 32), 0);

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	sa.sin_addr.s_addr = htonl(LOCAL);
	sa.sin_port = htons(5555);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);

	/* TUN -> host */
	n = (ssize_t)build_udp(pkt, PEER, 6666, LOCAL, 5555, "from the user");
	assert_int_equal(tun_write(&t, pkt, (size_t)n), 0);
	assert_int_equal(t.tx_packets, 1);
	wait_readable(s);
	n = recvfrom(s, got, sizeof(got) - 1, 0, (struct sockaddr *)&sa,
	    &salen);
	assert_int_equal(n, 13);
	got[n] = '\0';
	assert_string_equal(got, "from the user");
	assert_int_equal(ntohl(sa.sin_addr.s_addr), PEER);
	assert_int_equal(ntohs(sa.sin_port), 6666);

	/* host -> TUN, five at once, read as one batch */
	sa.sin_addr.s_addr = htonl(PEER);
	sa.sin_port = htons(7777);
	for (int i = 0; i < 5; i++)
		assert_int_equal(sendto(s, "to the user", 11, 0,
				     (struct sockaddr *)&sa, sizeof(sa)),
		    11);
	for (int i = 0; i < 8; i++) {
		batch[i].buf = bufs[i];
		batch[i].cap = sizeof(bufs[i]);
	}
	seen = 0;
	while (seen < 5) {
		wait_readable(t.fd);
		k = tun_read_batch(&t, batch, 8);
		assert_true(k > 0);
		for (int i = 0; i < k; i++) {
			const uint8_t *p = batch[i].buf;

			/* IPv6 housekeeping may share the device. */
			if (p[0] >> 4 != 4 || pkt_dst(p) != PEER)
				continue;
			assert_int_equal(batch[i].len, 28 + 11);
			assert_int_equal(p[9], IPPROTO_UDP);
			assert_int_equal(p[22] << 8 | p[23], 7777);
			assert_memory_equal(p + 28, "to the user", 11);
			seen++;
		}
	}
	assert_int_equal(seen, 5);
	/* drained: EAGAIN reads as an empty batch */
	assert_int_equal(tun_read_batch(&t, batch, 8), 0);
	assert_true(t.rx_packets >= 5);
	close(s);
	route_close(&r);
	tun_close(&t);
}

/* `ip route get`: the path to an address, then a host route pinning it. */
static void
test_route_get_and_host_route(void **state)
{
	struct route_ctx r;
	struct route_lookup lk;
	struct tun t;
	const uint32_t far = A(198, 51, 100, 7), gw = A(10, 80, 0, 254);
	const char *o;

	(void)state;
	NEED_NS();
	assert_int_equal(tun_open(&t, "vpdnt3"), 0);
	assert_int_equal(route_open(&r), 0);
	assert_int_equal(route_link_set(&r, t.ifindex, true, 1400), 0);
	assert_int_equal(route_addr_add(&r, t.ifindex, A(10, 80, 0, 1), 0, 24),
	    0);
	/* no route yet: the kernel's "unreachable" */
	assert_int_equal(route_get(&r, far, &lk), -1);
	assert_int_equal(errno, ENETUNREACH);
	assert_non_null(strstr(route_error(&r), "198.51.100.7"));
	assert_int_equal(route_add(&r, t.ifindex, 0, 0, gw), 0);

	assert_int_equal(route_get(&r, far, &lk), 0);
	assert_int_equal(lk.type, RTN_UNICAST);
	assert_int_equal(lk.ifindex, t.ifindex);
	assert_int_equal(lk.gw, gw);
	assert_int_equal(lk.prefsrc, A(10, 80, 0, 1));
	assert_int_equal(lk.table, RT_TABLE_MAIN);
	assert_int_equal(lk.plen, 0); /* the default route */
	/* on the link: no gateway, the /24 matched */
	assert_int_equal(route_get(&r, A(10, 80, 0, 9), &lk), 0);
	assert_int_equal(lk.gw, 0);
	assert_int_equal(lk.plen, 24);
	assert_int_equal(lk.dst, A(10, 80, 0, 0));
	/* our own address */
	assert_int_equal(route_get(&r, A(10, 80, 0, 1), &lk), 0);
	assert_int_equal(lk.type, RTN_LOCAL);

	assert_int_equal(route_add_host(&r, t.ifindex, far, gw,
			     A(10, 80, 0, 1)),
	    0);
	o = run("ip -j route show 198.51.100.7/32");
	assert_non_null(strstr(o, "\"gateway\":\"10.80.0.254\""));
	assert_non_null(strstr(o, "\"prefsrc\":\"10.80.0.1\""));
	assert_int_equal(route_get(&r, far, &lk), 0);
	assert_int_equal(lk.plen, 32);
	assert_int_equal(lk.dst, far);
	assert_int_equal(route_add_host(&r, t.ifindex, far, gw, 0), -1);
	assert_int_equal(errno, EEXIST);
	/* removed exactly: the default route stays */
	assert_int_equal(route_del(&r, t.ifindex, far, 32, gw), 0);
	assert_null(strstr(run("ip -j route show 198.51.100.7/32"), "gateway"));
	assert_int_equal(route_get(&r, far, &lk), 0);
	assert_int_equal(lk.plen, 0);
	route_close(&r);
	tun_close(&t);
}

#define LNS   A(203, 0, 113, 5)
#define TUNIF 42

static void
test_client_pin_decide(void **state)
{
	const struct client_route_prefix intranet[] = {
		{ A(10, 9, 0, 0), 16 },
		{ A(172, 16, 0, 0), 12 },
	};
	const struct client_route_prefix covering[] = {
		{ A(10, 9, 0, 0), 16 },
		{ A(203, 0, 113, 0), 24 },
	};
	struct client_route_plan plan = { .routes = intranet,
		.route_count = 2 };
	struct route_lookup via_gw = { .type = RTN_UNICAST,
		.ifindex = 3,
		.gw = A(192, 168, 1, 1),
		.prefsrc = A(192, 168, 1, 20) };
	struct route_lookup lk;

	(void)state;
	/* tunnel routes that do not reach the LNS: nothing to pin */
	assert_int_equal(client_pin_decide(LNS, &via_gw, TUNIF, &plan),
	    CLIENT_PIN_NONE);
	assert_int_equal(client_pin_decide(LNS, NULL, TUNIF, &plan),
	    CLIENT_PIN_NONE);
	/* default-route: pin via the current gateway */
	plan.default_route = true;
	assert_true(client_route_captures(&plan, LNS));
	assert_int_equal(client_pin_decide(LNS, &via_gw, TUNIF, &plan),
	    CLIENT_PIN_ADD);
	/* the IPCP peer address is the LNS's own */
	plan.default_route = false;
	plan.peer = LNS;
	assert_int_equal(client_pin_decide(LNS, &via_gw, TUNIF, &plan),
	    CLIENT_PIN_ADD);
	plan.peer = A(10, 9, 0, 1);
	assert_false(client_route_captures(&plan, LNS));
	/* a configured range containing the LNS */
	plan.routes = covering;
	assert_int_equal(client_pin_decide(LNS, &via_gw, TUNIF, &plan),
	    CLIENT_PIN_ADD);
	/* a host route is there already: use it, never own it */
	lk = via_gw;
	lk.dst = LNS;
	lk.plen = 32;
	assert_int_equal(client_pin_decide(LNS, &lk, TUNIF, &plan),
	    CLIENT_PIN_EXISTS);
	lk.plen = 24;
	lk.dst = A(203, 0, 113, 0);
	assert_int_equal(client_pin_decide(LNS, &lk, TUNIF, &plan),
	    CLIENT_PIN_ADD);
	/* the LNS on this host; unreachable; through our own TUN */
	lk = via_gw;
	lk.type = RTN_LOCAL;
	assert_int_equal(client_pin_decide(LNS, &lk, TUNIF, &plan),
	    CLIENT_PIN_LOCAL);
	lk.type = RTN_UNREACHABLE;
	assert_int_equal(client_pin_decide(LNS, &lk, TUNIF, &plan),
	    CLIENT_PIN_FAIL);
	lk = via_gw;
	lk.ifindex = TUNIF;
	assert_int_equal(client_pin_decide(LNS, &lk, TUNIF, &plan),
	    CLIENT_PIN_FAIL);
	assert_int_equal(client_pin_decide(LNS, NULL, TUNIF, &plan),
	    CLIENT_PIN_FAIL);
	assert_string_equal(client_pin_str(CLIENT_PIN_EXISTS), "exists");
}

static void
test_client_route_prefixes(void **state)
{
	const struct client_route_prefix host = { LNS, 32 };
	const struct client_route_prefix net = { A(203, 0, 113, 0), 24 };

	(void)state;
	assert_true(client_route_covers(0, 0, LNS));
	assert_true(client_route_covers(0, 1, LNS & 0x7fffffffu));
	assert_false(client_route_covers(0, 1, LNS | 0x80000000u));
	assert_true(client_route_covers(0x80000000u, 1, LNS)); /* 203 > 127 */
	assert_true(client_route_covers(LNS, 32, LNS));
	assert_false(client_route_covers(LNS, 32, LNS + 1));
	assert_false(client_route_covers(LNS, 33, LNS));
	assert_true(client_route_is_lns_host(&host, LNS));
	assert_false(client_route_is_lns_host(&net, LNS));
}

/* The data path's test for our own L2TP datagram read from the TUN. */
static void
test_client_is_own_l2tp(void **state)
{
	const uint32_t me = A(10, 9, 0, 10);
	uint8_t pkt[128];
	size_t len;

	(void)state;
	len = build_udp(pkt, me, 1701, LNS, 1701, "l2tp");
	assert_true(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	assert_true(client_is_own_l2tp(pkt, len, LNS, 1701, 0));
	/* another source port, another destination port or address */
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 40000));
	len = build_udp(pkt, me, 1701, LNS, 53, "dns");
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	len = build_udp(pkt, me, 1701, LNS + 1, 1701, "l2tp");
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	/* not UDP */
	len = build_udp(pkt, me, 1701, LNS, 1701, "l2tp");
	pkt[9] = 1;
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	pkt[9] = IPPROTO_UDP;
	/* truncated: no UDP header, no IP header, bad IHL, IPv6 */
	assert_false(client_is_own_l2tp(pkt, 24, LNS, 1701, 1701));
	assert_false(client_is_own_l2tp(pkt, 19, LNS, 1701, 1701));
	assert_false(client_is_own_l2tp(pkt, 0, LNS, 1701, 1701));
	pkt[0] = 0x44;
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	pkt[0] = 0x4f; /* 60-octet header: longer than the packet */
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	pkt[0] = 0x60;
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	/* a later fragment has no ports to look at */
	len = build_udp(pkt, me, 1701, LNS, 1701, "l2tp");
	pkt[7] = 0x10;
	assert_false(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
	/* the first fragment does */
	pkt[7] = 0;
	pkt[6] = 0x20; /* MF */
	assert_true(client_is_own_l2tp(pkt, len, LNS, 1701, 1701));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_named_and_kernel_chosen),
		cmocka_unit_test(test_txqueuelen_and_drops),
		cmocka_unit_test(test_addresses_routes_link),
		cmocka_unit_test(test_packets_both_ways),
		cmocka_unit_test(test_route_get_and_host_route),
		cmocka_unit_test(test_client_pin_decide),
		cmocka_unit_test(test_client_route_prefixes),
		cmocka_unit_test(test_client_is_own_l2tp),
	};

	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
