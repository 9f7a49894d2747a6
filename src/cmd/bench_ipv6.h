/*
 * bench_ipv6.h — vpdn-bench's IPv6 (src/cmd/bench_ipv6.c): the IPv6 side of
 * one emulated session, and the IPv6 baselines (modes udp6 and sink6).
 *
 * A session's IPv6, with the project's own protocol code throughout:
 * IPv6CP opened (ppp_link, RFC 5072) → the LNS's Router Advertisement
 * (ipv6/ra.h, parsed as RFC 4861 §6.1.2 says) gives the /64, and the
 * address is that prefix + our IPv6CP interface identifier (RFC 4862
 * §5.5.3, RFC 5072 §5) → optionally a delegated prefix by DHCPv6 (the
 * requesting router of ipv6/dhcpv6_client.h, Solicit/Advertise/Request/
 * Reply or Solicit/Reply with Rapid Commit) → ready.  Then upstream
 * IPv6/UDP leaves from that address (bench6_udp_hdr), and every other
 * IPv6 packet the session receives is counted as a downstream delivery.
 */
#ifndef VPDN_CMD_BENCH_IPV6_H
#define VPDN_CMD_BENCH_IPV6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipv6/dhcpv6_client.h"
#include "ipv6/udp6.h"

enum bench6_pd {
	BENCH6_PD_NONE,	   /* the RA's /64 only */
	BENCH6_PD_SOLICIT, /* Solicit, Advertise, Request, Reply */
	BENCH6_PD_RAPID,   /* Solicit + Rapid Commit, Reply (§18.2.1) */
};

struct bench6_ops {
	/* A whole IPv6 packet into the session (PPP protocol 0x0057). */
	int (*send)(void *ctx, const uint8_t *pkt, size_t len);
	/* Everything asked for is up: the address, and the delegated
	 * prefix if asked; once per bench6_up. */
	void (*ready)(void *ctx, uint64_t now);
};

struct bench6 {
	const struct bench6_ops *ops;
	void *ctx;
	enum bench6_pd pd;
	bool up;	/* IPv6CP opened */
	bool have_addr; /* from an RA */
	bool ready;
	uint8_t local_id[8];
	uint8_t addr[16];
	struct dhcpv6_client *dc; /* while up with pd */
	bool have_lease;
	struct dhcpv6_pd_lease lease;
	/* Upstream traffic: IPv6 + UDP header from addr (bench6_udp_hdr). */
	uint8_t hdr[UDP6_HDR_LEN];
	uint64_t now;	  /* of the call into us, for the DHCPv6 events */
	uint64_t rx_data; /* IPv6 delivered that was neither RA nor DHCPv6 */
};

void bench6_init(struct bench6 *b, enum bench6_pd pd,
    const struct bench6_ops *ops, void *ctx);
/* IPv6CP opened with local_id ours: wait for the RA, start DHCPv6 if
 * asked.  -1: no memory for the DHCPv6 client. */
int bench6_up(struct bench6 *b, const uint8_t local_id[8], uint64_t now);
/* IPv6CP left Opened (or the session ends): all of it forgotten, the
 * DHCPv6 client freed without a Release (the LNS returns the prefix to
 * its pool with the session). */
void bench6_down(struct bench6 *b);
/* An IPv6 packet from the session. */
void bench6_input(struct bench6 *b, const uint8_t *pkt, size_t len,
    uint64_t now);
void bench6_timer(struct bench6 *b, uint64_t now);
/* TIME_NEVER when nothing is due. */
uint64_t bench6_next_deadline(const struct bench6 *b);

/* b->hdr := the IPv6 + UDP header of a size-byte packet (IPv6 header
 * included) from b->addr port 40000 to dst:dport whose payload is all
 * zeros, checksum included (mandatory over IPv6, RFC 8200 §8.1).  -1 if
 * size is below UDP6_HDR_LEN or above 65535 + 40. */
int bench6_udp_hdr(struct bench6 *b, const uint8_t dst[16], uint16_t dport,
    unsigned size);

/* "ADDR", "[ADDR]" or "[ADDR]:PORT" (port defport when absent).  0 or -1. */
int bench6_parse_addr(const char *s, struct sockaddr_in6 *sin6,
    uint16_t defport);

/* vpdn-bench udp6: IPv6/UDP packets of `size` bytes (IPv6 header
 * included) to dst for secs seconds, sendmmsg 64 at a time; prints
 * udp.size/sent/tx_errors/tx_pps.  bind: NULL or the source. */
int bench6_mode_udp(const struct sockaddr_in6 *dst,
    const struct sockaddr_in6 *bind, unsigned secs, unsigned size);
/* vpdn-bench sink6: counts IPv6/UDP datagrams to bind until SIGINT or
 * SIGTERM; prints sink.packets/bytes/seconds/pps/gbps (as sink). */
int bench6_mode_sink(const struct sockaddr_in6 *bind);

#endif
