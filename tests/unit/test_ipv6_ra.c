/* test_ipv6_ra.c — Router Advertisement build/parse, Router Solicitation
 * validation (RFC 4861 §6.1.1/§6.1.2), ICMPv6 checksum and the RA
 * schedule (§6.2.4, §6.2.6).  The vectors were built independently and
 * decoded by tshark ("Checksum Status: Good", options as below). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ipv6/ra.h"

/* RA fe80::1 -> ff02::1, cur hop limit 64, router lifetime 1800, PIO
 * 2001:db8:100:1::/64 L+A valid 86400 preferred 14400, MTU 1400, RDNSS
 * 2001:db8::53 lifetime 1200; checksum 0xe26e. */
static const uint8_t ra_vec[] = { 0x60, 0x00, 0x00, 0x00, 0x00, 0x50, 0x3a,
	0xff, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0x00, 0xe2,
	0x6e, 0x40, 0x00, 0x07, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x04, 0x40, 0xc0, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x38,
	0x40, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x05, 0x78, 0x19, 0x03, 0x00, 0x00, 0x00, 0x00, 0x04,
	0xb0, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x53 };

/* RS fe80::2 -> ff02::2, no options; checksum 0x7d35. */
static const uint8_t rs_vec[] = { 0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3a,
	0xff, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x7d,
	0x35, 0x00, 0x00, 0x00, 0x00 };

static void
p6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static struct ra_params
vec_params(void)
{
	struct ra_params p;

	memset(&p, 0, sizeof(p));
	p6("fe80::1", p.src);
	memcpy(p.dst, ipv6_all_nodes, 16);
	p.cur_hop_limit = 64;
	p.router_lifetime = 1800;
	p.has_prefix = true;
	p6("2001:db8:100:1::", p.prefix);
	p.prefix_len = 64;
	p.valid_lifetime = 86400;
	p.preferred_lifetime = 14400;
	p.mtu = 1400;
	p6("2001:db8::53", p.dns[0]);
	p.dns_count = 1;
	p.dns_lifetime = 1200;
	return p;
}

static void
test_build_vector(void **state)
{
	struct ra_params p = vec_params();
	uint8_t out[RA_MAX_LEN];
	size_t n;

	(void)state;
	n = ra_build(&p, out, sizeof(out));
	assert_int_equal(n, sizeof(ra_vec));
	assert_memory_equal(out, ra_vec, sizeof(ra_vec));
	/* Too small a buffer: nothing. */
	assert_int_equal(ra_build(&p, out, sizeof(ra_vec) - 1), 0);
}

static void
test_checksum_vector(void **state)
{
	(void)state;
	assert_int_equal(icmp6_checksum(ra_vec + 8, ra_vec + 24, ra_vec + 40,
			     sizeof(ra_vec) - 40),
	    0xe26e);
	assert_int_equal(icmp6_checksum(rs_vec + 8, rs_vec + 24, rs_vec + 40,
			     8),
	    0x7d35);
}

static void
test_parse_vector(void **state)
{
	struct ra_info ri;
	uint8_t want[16];

	(void)state;
	assert_int_equal(ra_parse(ra_vec, sizeof(ra_vec), &ri), 0);
	assert_int_equal(ri.cur_hop_limit, 64);
	assert_int_equal(ri.router_lifetime, 1800);
	assert_true(ri.has_prefix && ri.on_link && ri.autonomous);
	assert_int_equal(ri.prefix_len, 64);
	p6("2001:db8:100:1::", want);
	assert_memory_equal(ri.prefix, want, 16);
	assert_int_equal(ri.valid_lifetime, 86400);
	assert_int_equal(ri.preferred_lifetime, 14400);
	assert_int_equal(ri.mtu, 1400);
	assert_int_equal(ri.dns_count, 1);
	assert_int_equal(ri.dns_lifetime, 1200);
	p6("2001:db8::53", want);
	assert_memory_equal(ri.dns[0], want, 16);
}

/* §6.1.2: each way a Router Advertisement is invalid. */
static void
test_parse_invalid(void **state)
{
	uint8_t b[sizeof(ra_vec)];
	struct ra_info ri;

	(void)state;
	memcpy(b, ra_vec, sizeof(b));
	b[7] = 254; /* hop limit */
	assert_int_equal(ra_parse(b, sizeof(b), &ri), -1);
	memcpy(b, ra_vec, sizeof(b));
	b[43] ^= 1; /* checksum */
	assert_int_equal(ra_parse(b, sizeof(b), &ri), -1);
	memcpy(b, ra_vec, sizeof(b));
	b[41] = 1; /* code */
	assert_int_equal(ra_parse(b, sizeof(b), &ri), -1);
	memcpy(b, ra_vec, sizeof(b));
	b[97] = 0; /* an option of length 0 (the MTU one) */
	assert_int_equal(ra_parse(b, sizeof(b), &ri), -1);
	/* Truncated: the payload length says more than there is. */
	assert_int_equal(ra_parse(ra_vec, sizeof(ra_vec) - 1, &ri), -1);
	/* Not link-local: rebuilt from a global source, checksum right. */
	{
		struct ra_params p = vec_params();
		uint8_t out[RA_MAX_LEN];
		size_t n;

		p6("2001:db8::1", p.src);
		n = ra_build(&p, out, sizeof(out));
		assert_int_not_equal(n, 0);
		assert_int_equal(ra_parse(out, n, &ri), -1);
	}
}

static void
test_rs_validate(void **state)
{
	uint8_t b[64];
	uint16_t ck;

	(void)state;
	assert_true(ra_is_icmp6(rs_vec, sizeof(rs_vec), ICMP6_RS));
	assert_false(ra_is_icmp6(rs_vec, sizeof(rs_vec), ICMP6_RA));
	assert_int_equal(ra_rs_validate(rs_vec, sizeof(rs_vec)), 0);
	memcpy(b, rs_vec, sizeof(rs_vec));
	b[7] = 64; /* hop limit */
	assert_int_equal(ra_rs_validate(b, sizeof(rs_vec)), -1);
	memcpy(b, rs_vec, sizeof(rs_vec));
	b[42] ^= 0x80; /* checksum */
	assert_int_equal(ra_rs_validate(b, sizeof(rs_vec)), -1);
	/* From ::, with a Source Link-Layer Address option: invalid. */
	memcpy(b, rs_vec, sizeof(rs_vec));
	memset(b + 8, 0, 16);
	b[5] = 16;
	memcpy(b + 48, (const uint8_t[]){ 1, 1, 2, 0, 0, 0, 0, 1 }, 8);
	ck = icmp6_checksum(b + 8, b + 24, b + 40, 16);
	b[42] = (uint8_t)(ck >> 8);
	b[43] = (uint8_t)ck;
	assert_int_equal(ra_rs_validate(b, 56), -1);
	/* The same from a link-local source: valid. */
	memcpy(b + 8, rs_vec + 8, 16);
	ck = icmp6_checksum(b + 8, b + 24, b + 40, 16);
	b[42] = (uint8_t)(ck >> 8);
	b[43] = (uint8_t)ck;
	assert_int_equal(ra_rs_validate(b, 56), 0);
	/* ICMP length below 8. */
	memcpy(b, rs_vec, sizeof(rs_vec));
	b[5] = 4;
	assert_int_equal(ra_rs_validate(b, 44), -1);
}

static void
test_link_local(void **state)
{
	static const uint8_t id[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t a[16], want[16];

	(void)state;
	ipv6_link_local(a, id);
	p6("fe80::102:304:506:708", want);
	assert_memory_equal(a, want, 16);
	assert_true(ipv6_is_link_local(a));
	p6("febf::1", a);
	assert_true(ipv6_is_link_local(a));
	p6("fec0::1", a);
	assert_false(ipv6_is_link_local(a));
}

/* §6.2.4: three initial RAs at most 16 s apart, then [Min, Max]. */
static void
test_sched_initial(void **state)
{
	struct ra_sched s;
	uint64_t now = 1000;

	(void)state;
	ra_sched_start(&s, 198000, 600000, now);
	assert_int_equal(s.next, now);
	for (unsigned i = 0; i < RA_MAX_INITIAL_RTR_ADVERTISEMENTS; i++) {
		now = s.next;
		ra_sched_sent(&s, now, 0xffffffffu);
		assert_true(
		    s.next - now <= RA_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS);
	}
	now = s.next;
	ra_sched_sent(&s, now, 0);
	assert_int_equal(s.next - now, 198000);
	ra_sched_sent(&s, now, 600000 - 198000);
	assert_int_equal(s.next - now, 600000);
	/* Bounds enforced (§6.2.1): Min >= 3 s and <= 0.75 Max. */
	ra_sched_start(&s, 1000, 600000, 0);
	assert_int_equal(s.min_ms, 3000);
	ra_sched_start(&s, 590000, 600000, 0);
	assert_int_equal(s.min_ms, 450000);
}

/* §6.2.6: an RS brings the next RA forward to within 0.5 s but never
 * closer than 3 s to the last one. */
static void
test_sched_solicited(void **state)
{
	struct ra_sched s;

	(void)state;
	ra_sched_start(&s, 198000, 600000, 0);
	ra_sched_sent(&s, 0, 0);
	assert_int_equal(s.next, 16000);
	ra_sched_solicited(&s, 1000, 100);
	assert_int_equal(s.next, 3000);
	ra_sched_solicited(&s, 10000, 499);
	assert_int_equal(s.next, 3000); /* already sooner */
	ra_sched_sent(&s, 3000, 0);
	ra_sched_solicited(&s, 10000, 250);
	assert_int_equal(s.next, 10250);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_vector),
		cmocka_unit_test(test_checksum_vector),
		cmocka_unit_test(test_parse_vector),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_rs_validate),
		cmocka_unit_test(test_link_local),
		cmocka_unit_test(test_sched_initial),
		cmocka_unit_test(test_sched_solicited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
