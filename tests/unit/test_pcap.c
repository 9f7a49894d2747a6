/*
 * test_pcap.c — the packet trace writer: file format byte by byte,
 * synthesized IPv4/IPv6 + UDP headers with valid checksums, IPv4-mapped
 * addresses written as IPv4, the size bound, the safe open (O_EXCL,
 * O_NOFOLLOW, 0600) and the L2TP Tunnel ID extractor used by the filter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "dataplane/pcap.h"

static char tmpdir[64];

static void
path_in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static struct l2tp_addr
v4(const char *ip, uint16_t port)
{
	struct l2tp_addr a;
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&a.ss;

	memset(&a, 0, sizeof(a));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
	a.len = sizeof(*sin);
	return a;
}

static struct l2tp_addr
v6(const char *ip, uint16_t port)
{
	struct l2tp_addr a;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)&a.ss;

	memset(&a, 0, sizeof(a));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &sin6->sin6_addr);
	a.len = sizeof(*sin6);
	return a;
}

static size_t
slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static unsigned
be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* One's complement over the buffer: 0xffff when the checksum inside is
 * right (RFC 1071). */
static unsigned
csum_check(const uint8_t *pseudo, size_t plen, const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < plen; i += 2)
		sum += (uint32_t)be16(pseudo + i);
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* An SCCRQ-shaped control header: T L S set, version 2, tunnel 0x1234. */
/* clang-format off */
static const uint8_t ctrl_pkt[] = {
	0xc8, 0x02, 0x00, 0x0c, 0x12, 0x34, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xab,
};
/* clang-format on */

static void
test_global_header_and_ipv4_record(void **state)
{
	char path[128];
	uint8_t b[512];
	struct l2tp_addr s = v4("192.0.2.1", 1701),
			 d = v4("198.51.100.7", 40000);
	struct pcap_trace *p;
	size_t n;
	const uint8_t *ip, *udp;
	uint8_t pseudo[12];
	struct stat st;

	(void)state;
	path_in_tmp(path, sizeof(path), "v4.pcap");
	p = pcap_trace_open(path, PCAP_DEFAULT_MAX_BYTES);
	assert_non_null(p);
	assert_int_equal(pcap_trace_write(p, &s, &d, ctrl_pkt, sizeof(ctrl_pkt),
			     1700000000123456ull),
	    0);
	assert_int_equal(pcap_trace_packets(p), 1);
	assert_int_equal(pcap_trace_bytes(p), 24 + 16 + 28 + sizeof(ctrl_pkt));
	pcap_trace_close(p);

	/* Mode 0600 whatever the umask lets through. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	n = slurp(path, b, sizeof(b));
	assert_int_equal(n, 24 + 16 + 28 + sizeof(ctrl_pkt));
	assert_int_equal(rd32(b), 0xa1b2c3d4u);
	assert_int_equal(rd32(b + 16), 65535); /* snaplen */
	assert_int_equal(rd32(b + 20), PCAP_LINKTYPE_RAW);
	assert_int_equal(rd32(b + 24), 1700000000u); /* ts_sec */
	assert_int_equal(rd32(b + 28), 123456);	     /* ts_usec */
	assert_int_equal(rd32(b + 32), 28 + sizeof(ctrl_pkt));
	assert_int_equal(rd32(b + 36), 28 + sizeof(ctrl_pkt));

	ip = b + 40;
	udp = ip + 20;
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(be16(ip + 2), 28 + sizeof(ctrl_pkt));
	assert_int_equal(ip[9], IPPROTO_UDP);
	assert_memory_equal(ip + 12, "\xc0\x00\x02\x01", 4);
	assert_memory_equal(ip + 16, "\xc6\x33\x64\x07", 4);
	assert_int_equal(csum_check(NULL, 0, ip, 20), 0xffff);
	assert_int_equal(be16(udp), 1701);
	assert_int_equal(be16(udp + 2), 40000);
	assert_int_equal(be16(udp + 4), 8 + sizeof(ctrl_pkt));
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	pseudo[10] = 0;
	pseudo[11] = (uint8_t)(8 + sizeof(ctrl_pkt));
	assert_int_equal(csum_check(pseudo, 12, udp, 8 + sizeof(ctrl_pkt)),
	    0xffff);
	assert_memory_equal(udp + 8, ctrl_pkt, sizeof(ctrl_pkt));
	unlink(path);
}

static void
test_ipv6_record_and_mapped_v4(void **state)
{
	char path[128];
	uint8_t b[512];
	struct l2tp_addr s = v6("2001:db8::1", 1701),
			 d = v6("2001:db8::2", 1701);
	struct l2tp_addr ms = v6("::ffff:10.0.0.1", 1701),
			 md = v6("::ffff:10.0.0.2", 5000);
	struct pcap_trace *p;
	const uint8_t *ip, *udp;
	size_t n, off;

	(void)state;
	path_in_tmp(path, sizeof(path), "v6.pcap");
	p = pcap_trace_open(path, PCAP_DEFAULT_MAX_BYTES);
	assert_non_null(p);
	assert_int_equal(pcap_trace_write(p, &s, &d, ctrl_pkt, sizeof(ctrl_pkt),
			     0),
	    0);
	assert_int_equal(pcap_trace_write(p, &ms, &md, ctrl_pkt,
			     sizeof(ctrl_pkt), 0),
	    0);
	/* Mixed families cannot make one IP header. */
	assert_int_equal(pcap_trace_write(p, &s, &md, ctrl_pkt,
			     sizeof(ctrl_pkt), 0),
	    -1);
	pcap_trace_close(p);

	n = slurp(path, b, sizeof(b));
	assert_int_equal(n,
	    24 + (16 + 48 + sizeof(ctrl_pkt)) + (16 + 28 + sizeof(ctrl_pkt)));
	ip = b + 40;
	udp = ip + 40;
	assert_int_equal(ip[0] >> 4, 6);
	assert_int_equal(be16(ip + 4), 8 + sizeof(ctrl_pkt));
	assert_int_equal(ip[6], IPPROTO_UDP);
	assert_int_equal(be16(udp + 2), 1701);
	{
		/* RFC 8200 §8.1 pseudo-header: src, dst, length, next hdr. */
		uint8_t pseudo[40];

		memcpy(pseudo, ip + 8, 32);
		memset(pseudo + 32, 0, 8);
		pseudo[34] = 0;
		pseudo[35] = (uint8_t)(8 + sizeof(ctrl_pkt));
		pseudo[39] = IPPROTO_UDP;
		assert_int_equal(csum_check(pseudo, 40, udp,
				     8 + sizeof(ctrl_pkt)),
		    0xffff);
	}
	/* The dual-stack socket's IPv4 peer comes out as plain IPv4. */
	off = 24 + 16 + 48 + sizeof(ctrl_pkt);
	assert_int_equal(rd32(b + off + 8), 28 + sizeof(ctrl_pkt));
	ip = b + off + 16;
	assert_int_equal(ip[0], 0x45);
	assert_memory_equal(ip + 12, "\x0a\x00\x00\x01", 4);
	assert_int_equal(be16(ip + 22), 5000);
	unlink(path);
}

static void
test_size_bound(void **state)
{
	char path[128];
	struct l2tp_addr s = v4("192.0.2.1", 1701), d = v4("192.0.2.2", 1701);
	struct pcap_trace *p;
	size_t rec = 16 + 28 + sizeof(ctrl_pkt);
	struct stat st;

	(void)state;
	path_in_tmp(path, sizeof(path), "bound.pcap");
	/* Room for exactly two records. */
	p = pcap_trace_open(path, 24 + 2 * rec);
	assert_non_null(p);
	assert_int_equal(pcap_trace_write(p, &s, &d, ctrl_pkt, sizeof(ctrl_pkt),
			     0),
	    0);
	assert_int_equal(pcap_trace_write(p, &s, &d, ctrl_pkt, sizeof(ctrl_pkt),
			     0),
	    0);
	assert_false(pcap_trace_full(p));
	assert_int_equal(pcap_trace_write(p, &s, &d, ctrl_pkt, sizeof(ctrl_pkt),
			     0),
	    1);
	assert_true(pcap_trace_full(p));
	/* Once full, even a record that would fit is refused: the trace
	 * must not get holes. */
	assert_int_equal(pcap_trace_write(p, &s, &d, ctrl_pkt, 0, 0), 1);
	assert_int_equal(pcap_trace_packets(p), 2);
	pcap_trace_close(p);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size, 24 + 2 * rec);
	unlink(path);
}

static void
test_open_refuses_existing_and_symlink(void **state)
{
	char path[128], link[128], target[128];
	int fd;

	(void)state;
	path_in_tmp(path, sizeof(path), "exists.pcap");
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_null(pcap_trace_open(path, PCAP_DEFAULT_MAX_BYTES));
	assert_int_equal(errno, EEXIST);
	unlink(path);

	path_in_tmp(link, sizeof(link), "link.pcap");
	path_in_tmp(target, sizeof(target), "target-not-created");
	assert_int_equal(symlink(target, link), 0);
	assert_null(pcap_trace_open(link, PCAP_DEFAULT_MAX_BYTES));
	/* The dangling link's target was not created through it. */
	assert_int_equal(access(target, F_OK), -1);
	unlink(link);

	assert_null(pcap_trace_open(path, 10)); /* below a header */
	assert_int_equal(errno, EINVAL);

	path_in_tmp(path, sizeof(path), "no-such-dir/x.pcap");
	assert_null(pcap_trace_open(path, PCAP_DEFAULT_MAX_BYTES));
	assert_int_equal(errno, ENOENT);
}

struct tid_case {
	const char *name;
	uint8_t pkt[8];
	size_t len;
	int want;
};

static void
test_tunnel_id(void **state)
{
	static const struct tid_case cases[] = {
		/* RFC 2661 §3.1: control (T, L, S) → ID after Length */
		{ "control", { 0xc8, 0x02, 0x00, 0x0c, 0x12, 0x34 }, 6,
		    0x1234 },
		/* data without L: ID right after the flags */
		{ "data", { 0x00, 0x02, 0xbe, 0xef, 0x00, 0x01 }, 6, 0xbeef },
		{ "data with L", { 0x40, 0x02, 0x00, 0x08, 0x00, 0x07 }, 6, 7 },
		{ "short", { 0xc8, 0x02, 0x00, 0x0c, 0x12 }, 5, -1 },
		{ "version 3", { 0xc8, 0x03, 0x00, 0x0c, 0x12, 0x34 }, 6, -1 },
		{ "empty", { 0 }, 0, -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = pcap_l2tp_tunnel_id(cases[i].pkt, cases[i].len);

		if (got != cases[i].want)
			fail_msg("%s: got %d want %d", cases[i].name, got,
			    cases[i].want);
	}
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_pcap.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_header_and_ipv4_record),
		cmocka_unit_test(test_ipv6_record_and_mapped_v4),
		cmocka_unit_test(test_size_bound),
		cmocka_unit_test(test_open_refuses_existing_and_symlink),
		cmocka_unit_test(test_tunnel_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
