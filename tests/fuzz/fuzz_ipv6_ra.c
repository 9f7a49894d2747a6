/*
 * fuzz_ipv6_ra.c — Router Advertisements and Router Solicitations (RFC 4861
 * §6.1.1/§6.1.2) as hostile IPv6 packets through ipv6/ra.c.
 *
 * Input: byte 0, flags: bit 0 set makes the ICMPv6 checksum right (so the
 * fuzzer gets past it to the options); the rest is the IPv6 packet.
 * Invariants: a parsed RA rebuilt with ra_build() parses again to the same
 * values; nothing is read outside the packet (ASan).
 */
#include <string.h>

#include "fuzz.h"
#include "ipv6/ra.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[2048];
	uint8_t out[RA_MAX_LEN];
	struct ra_info ri, again;
	struct ra_params p;
	size_t len, n;

	if (size < 1 || size - 1 > sizeof(pkt))
		return 0;
	len = size - 1;
	memcpy(pkt, data + 1, len);
	if ((data[0] & 1) && len >= IPV6_HDR_LEN + 4) {
		size_t plen = (size_t)pkt[4] << 8 | pkt[5];
		uint16_t ck;

		if (plen > len - IPV6_HDR_LEN)
			plen = len - IPV6_HDR_LEN;
		ck = icmp6_checksum(pkt + 8, pkt + 24, pkt + IPV6_HDR_LEN,
		    plen);
		pkt[IPV6_HDR_LEN + 2] = (uint8_t)(ck >> 8);
		pkt[IPV6_HDR_LEN + 3] = (uint8_t)ck;
	}
	(void)ra_rs_validate(pkt, len);
	if (ra_parse(pkt, len, &ri) < 0)
		return 0;
	memset(&p, 0, sizeof(p));
	memcpy(p.src, ri.src, 16);
	memcpy(p.dst, ipv6_all_nodes, 16);
	p.cur_hop_limit = ri.cur_hop_limit;
	p.managed = ri.managed;
	p.other = ri.other;
	p.router_lifetime = ri.router_lifetime;
	p.has_prefix = ri.has_prefix;
	memcpy(p.prefix, ri.prefix, 16);
	p.prefix_len = ri.prefix_len;
	p.valid_lifetime = ri.valid_lifetime;
	p.preferred_lifetime = ri.preferred_lifetime;
	p.mtu = ri.mtu;
	memcpy(p.dns, ri.dns, sizeof(p.dns));
	p.dns_count = ri.dns_count;
	p.dns_lifetime = ri.dns_lifetime;
	n = ra_build(&p, out, sizeof(out));
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(ra_parse(out, n, &again) == 0);
	FUZZ_CHECK(again.router_lifetime == ri.router_lifetime);
	FUZZ_CHECK(again.has_prefix == ri.has_prefix);
	FUZZ_CHECK(!ri.has_prefix ||
	    (again.prefix_len == ri.prefix_len &&
		memcmp(again.prefix, ri.prefix, 16) == 0 &&
		again.valid_lifetime == ri.valid_lifetime));
	/* A zero MTU option reads as "none" after the rebuild. */
	FUZZ_CHECK(again.mtu == ri.mtu);
	FUZZ_CHECK(again.dns_count == ri.dns_count);
	FUZZ_CHECK(memcmp(again.dns, ri.dns, sizeof(ri.dns)) == 0);
	return 0;
}
