/*
 * udp6.h — a UDP datagram in an IPv6 packet (RFC 8200 §3, RFC 768), built
 * and taken apart, for the protocols the daemon speaks itself on a
 * subscriber's link (DHCPv6, RFC 8415 §7.2: client port 546, server 547).
 */
#ifndef VPDN_IPV6_UDP6_H
#define VPDN_IPV6_UDP6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDP6_HDR_LEN  48 /* IPv6 header + UDP header */
#define IPPROTO_UDP_N 17
/* RFC 8415 §7.1 All_DHCP_Relay_Agents_and_Servers. */
extern const uint8_t ipv6_all_dhcp_servers[16];

/* RFC 8200 §8.1: the UDP checksum over the pseudo-header and udp[0..len)
 * (its checksum field taken as zero); never 0 (RFC 768: all ones then). */
uint16_t udp6_checksum(const uint8_t src[16], const uint8_t dst[16],
    const uint8_t *udp, size_t len);

/* An IPv6/UDP packet src:sport -> dst:dport carrying payload[0..plen), hop
 * limit hlim, into out; its length, or 0 when cap is too small. */
size_t udp6_build(const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
    uint16_t dport, uint8_t hlim, const uint8_t *payload, size_t plen,
    uint8_t *out, size_t cap);

struct udp6_view {
	const uint8_t *src, *dst; /* into the packet */
	uint16_t sport, dport;
	const uint8_t *payload;
	size_t plen;
};

/* Whether pkt is IPv6 with UDP as its next header (no extension headers)
 * and the UDP length fits; fills *v.  The checksum is checked too: RFC
 * 8200 §8.1 makes it mandatory over IPv6 (a zero one is refused). */
bool udp6_parse(const uint8_t *pkt, size_t len, struct udp6_view *v);

#endif
