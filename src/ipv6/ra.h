/*
 * ra.h — IPv6 Neighbor Discovery router side on a point-to-point PPP link:
 * Router Advertisements built (RFC 4861 §4.2) with the Prefix Information
 * (§4.6.2), MTU (§4.6.4) and RDNSS (RFC 8106 §5.1) options, Router
 * Solicitations validated (§6.1.1), Router Advertisements parsed and
 * validated (§6.1.2, for the client side and tests), the ICMPv6 checksum
 * (RFC 4443 §2.3, over the RFC 8200 §8.1 pseudo-header), and the router's
 * advertisement schedule (§6.2.4, §6.2.6).
 *
 * Sans-I/O: whole IPv6 packets in and out, clocks and randomness passed in.
 * A packet with extension headers before the ICMPv6 header is not an RS
 * this module recognises (ND messages carry none in practice; RFC 6980
 * forbids fragmented ND).
 */
#ifndef VPDN_IPV6_RA_H
#define VPDN_IPV6_RA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV6_HDR_LEN	 40
#define IPPROTO_ICMPV6_N 58
#define ICMP6_RS	 133
#define ICMP6_RA	 134

/* RFC 4861 §10 router constants (milliseconds). */
#define RA_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS 16000
#define RA_MAX_INITIAL_RTR_ADVERTISEMENTS     3
#define RA_MIN_DELAY_BETWEEN_RAS_MS	      3000
#define RA_MAX_RA_DELAY_TIME_MS		      500
/* §6.2.1 defaults: MaxRtrAdvInterval 600 s, MinRtrAdvInterval
 * 0.33 * MaxRtrAdvInterval, AdvDefaultLifetime 3 * MaxRtrAdvInterval. */
#define RA_MAX_RTR_ADV_INTERVAL_MS	      600000
#define RA_MIN_RTR_ADV_INTERVAL_MS	      198000

#define RA_MAX_DNS 3

struct ra_params {
	uint8_t src[16];	  /* our link-local address (§6.1.2) */
	uint8_t dst[16];	  /* ff02::1, or the soliciting host */
	uint8_t cur_hop_limit;	  /* 0: unspecified */
	bool managed, other;	  /* M and O flags (DHCPv6) */
	uint16_t router_lifetime; /* s; 0: not a default router */
	bool has_prefix;
	uint8_t prefix[16];
	uint8_t prefix_len;
	uint32_t valid_lifetime, preferred_lifetime; /* s */
	uint32_t mtu;				     /* 0: no MTU option */
	uint8_t dns[RA_MAX_DNS][16];
	unsigned dns_count;
	uint32_t dns_lifetime; /* s; RFC 8106 §5.1 */
};

/* The whole IPv6 packet (hop limit 255, §4.2) into out; its length, or 0
 * if cap is too small.  RA_MAX_LEN always suffices. */
#define RA_MAX_LEN (IPV6_HDR_LEN + 16 + 32 + 8 + 8 + 16 * RA_MAX_DNS)
size_t ra_build(const struct ra_params *p, uint8_t *out, size_t cap);

/* RFC 4443 §2.3: the checksum of an ICMPv6 message (its checksum field
 * taken as zero) between src and dst. */
uint16_t icmp6_checksum(const uint8_t src[16], const uint8_t dst[16],
    const uint8_t *icmp, size_t len);

/* Whether pkt is an IPv6 packet whose next header is ICMPv6 of `type`
 * (no validation beyond that). */
bool ra_is_icmp6(const uint8_t *pkt, size_t len, uint8_t type);

/* RFC 4861 §6.1.1: a valid Router Solicitation (hop limit 255, checksum,
 * code 0, ICMP length >= 8, every option length > 0, no Source Link-Layer
 * Address option from the unspecified address).  0 or -1. */
int ra_rs_validate(const uint8_t *pkt, size_t len);

/* A Router Advertisement as its receiver sees it. */
struct ra_info {
	uint8_t src[16];
	uint8_t cur_hop_limit;
	bool managed, other;
	uint16_t router_lifetime;
	bool has_prefix; /* the first Prefix Information option */
	uint8_t prefix[16];
	uint8_t prefix_len;
	bool autonomous, on_link;
	uint32_t valid_lifetime, preferred_lifetime;
	uint32_t mtu;
	uint8_t dns[RA_MAX_DNS][16];
	unsigned dns_count;
	uint32_t dns_lifetime;
};
/* RFC 4861 §6.1.2: link-local source, hop limit 255, checksum, code 0,
 * ICMP length >= 16, option lengths > 0; then the options read.  0 or -1. */
int ra_parse(const uint8_t *pkt, size_t len, struct ra_info *out);

/* The router's advertisement schedule on one interface (§6.2.4, §6.2.6):
 * the first RA_MAX_INITIAL_RTR_ADVERTISEMENTS at most
 * RA_MAX_INITIAL_RTR_ADVERT_INTERVAL apart, then every random interval in
 * [min_ms, max_ms]; a Router Solicitation brings the next one forward to
 * within RA_MAX_RA_DELAY_TIME, but never closer than
 * RA_MIN_DELAY_BETWEEN_RAS to the last one sent. */
struct ra_sched {
	uint32_t min_ms, max_ms;
	unsigned sent;
	uint64_t last_sent; /* valid once sent > 0 */
	uint64_t next;
};
/* Interface up at now: the first RA is due at once. */
void ra_sched_start(struct ra_sched *s, uint32_t min_ms, uint32_t max_ms,
    uint64_t now);
/* An RA went out at now; rnd is a uniformly random 32-bit number. */
void ra_sched_sent(struct ra_sched *s, uint64_t now, uint32_t rnd);
/* A valid RS arrived at now. */
void ra_sched_solicited(struct ra_sched *s, uint64_t now, uint32_t rnd);

/* ff02::1 and ff02::2 (RFC 4291 §2.7.1). */
extern const uint8_t ipv6_all_nodes[16];
extern const uint8_t ipv6_all_routers[16];
/* fe80::/64 + the 64-bit interface identifier id (RFC 5072 §5). */
void ipv6_link_local(uint8_t out[16], const uint8_t id[8]);
bool ipv6_is_link_local(const uint8_t a[16]);

#endif
