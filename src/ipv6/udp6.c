/*
 * udp6.c — IPv6/UDP packets (see udp6.h).
 */
#include <string.h>

#include "core/buf.h"
#include "ipv6/ra.h"
#include "ipv6/udp6.h"

const uint8_t ipv6_all_dhcp_servers[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 1, 0, 2 };

uint16_t
udp6_checksum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *udp,
    size_t len)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		    (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += IPPROTO_UDP_N;
	for (size_t i = 0; i < len; i += 2) {
		/* The checksum field (octets 6-7) counts as zero. */
		if (i == 6)
			continue;
		sum += (uint32_t)udp[i] << 8;
		if (i + 1 < len)
			sum += udp[i + 1];
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	/* RFC 768: a computed zero is sent as all ones. */
	return sum == 0 ? 0xffff : (uint16_t)sum;
}

size_t
udp6_build(const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
    uint16_t dport, uint8_t hlim, const uint8_t *payload, size_t plen,
    uint8_t *out, size_t cap)
{
	size_t ulen = 8 + plen;

	if (cap < UDP6_HDR_LEN || plen > cap - UDP6_HDR_LEN || ulen > 0xffff)
		return 0;
	memset(out, 0, UDP6_HDR_LEN);
	out[0] = 0x60;
	put_be16(out + 4, (uint16_t)ulen);
	out[6] = IPPROTO_UDP_N;
	out[7] = hlim;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	put_be16(out + 40, sport);
	put_be16(out + 42, dport);
	put_be16(out + 44, (uint16_t)ulen);
	memcpy(out + UDP6_HDR_LEN, payload, plen);
	put_be16(out + 46, udp6_checksum(src, dst, out + 40, ulen));
	return IPV6_HDR_LEN + ulen;
}

bool
udp6_parse(const uint8_t *pkt, size_t len, struct udp6_view *v)
{
	size_t plen, ulen;

	if (len < UDP6_HDR_LEN || (pkt[0] >> 4) != 6 || pkt[6] != IPPROTO_UDP_N)
		return false;
	plen = get_be16(pkt + 4);
	ulen = get_be16(pkt + 44);
	if (plen + IPV6_HDR_LEN > len || ulen < 8 || ulen > plen)
		return false;
	if (get_be16(pkt + 46) == 0 ||
	    udp6_checksum(pkt + 8, pkt + 24, pkt + 40, ulen) !=
		get_be16(pkt + 46))
		return false;
	v->src = pkt + 8;
	v->dst = pkt + 24;
	v->sport = get_be16(pkt + 40);
	v->dport = get_be16(pkt + 42);
	v->payload = pkt + UDP6_HDR_LEN;
	v->plen = ulen - 8;
	return true;
}
