/*
 * fastpath_env.h — what test_bpf_fastpath and fuzz_bpf_fastpath share: a
 * private network namespace in which bpf_fib_lookup() has routes and
 * resolved neighbours, one session, and packets crafted byte by byte.
 *
 *   fpl0  192.0.2.1/24, MAC 02:00:00:00:01:01  the L2TP-facing side; the
 *         LAC 192.0.2.2 has the fixed neighbour entry 02:00:00:00:02:02
 *   fpi0  10.9.0.1/24,  MAC 02:00:00:00:09:01  the intranet; the host
 *         10.9.0.2 has the fixed neighbour entry 02:00:00:00:09:02
 * (fpl1, fpi1 are the veth peers, up so that the routes are.)  The session:
 * our IDs 0x1111/0x2222, the peer's 0x3333/0x4444, address 10.100.0.5,
 * UDP 1701 on both ends.  The namespace goes away with the process.
 */
#ifndef VPDN_TESTS_FASTPATH_ENV_H
#define VPDN_TESTS_FASTPATH_ENV_H

#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/fastpath.h"

#define ENV_OUR_TID  0x1111
#define ENV_OUR_SID  0x2222
#define ENV_PEER_TID 0x3333
#define ENV_PEER_SID 0x4444
#define ENV_LOCAL    0xc0000201u /* 192.0.2.1 */
#define ENV_PEER     0xc0000202u /* 192.0.2.2 */
#define ENV_SESSION  0x0a640005u /* 10.100.0.5 */
#define ENV_HOST     0x0a090002u /* 10.9.0.2 */
#define ENV_PORT     1701

static const uint8_t env_mac_l0[6] = { 2, 0, 0, 0, 1, 1 };
static const uint8_t env_mac_peer[6] = { 2, 0, 0, 0, 2, 2 };
static const uint8_t env_mac_i0[6] = { 2, 0, 0, 0, 9, 1 };
static const uint8_t env_mac_host[6] = { 2, 0, 0, 0, 9, 2 };

struct fp_env {
	int ifl; /* fpl0 */
	int ifi; /* fpi0 */
};

/* Enters a new network namespace and builds the two links in it. */
static inline int
fp_env_setup(struct fp_env *e)
{
	static const char *const cmds[] = {
		"ip link set lo up",
		/* No IPv6 chatter (router solicitations, DAD) on the links
		 * that tests capture from. */
		"sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
		"ip link add fpl0 address 02:00:00:00:01:01 type veth peer name fpl1",
		"ip link add fpi0 address 02:00:00:00:09:01 type veth peer name fpi1",
		"ip addr add 192.0.2.1/24 dev fpl0",
		"ip addr add 10.9.0.1/24 dev fpi0",
		"ip link set fpl0 up && ip link set fpl1 up",
		"ip link set fpi0 up && ip link set fpi1 up",
		"ip neigh replace 192.0.2.2 lladdr 02:00:00:00:02:02 nud permanent dev fpl0",
		"ip neigh replace 10.9.0.2 lladdr 02:00:00:00:09:02 nud permanent dev fpi0",
	};
	FILE *f;
	size_t i;

	if (unshare(CLONE_NEWNET) != 0)
		return -1;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (system(cmds[i]) != 0)
			return -1;
	/* The fib helper answers FWD_DISABLED unless the host forwards. */
	if ((f = fopen("/proc/sys/net/ipv4/ip_forward", "we")) == NULL)
		return -1;
	(void)fputs("1\n", f);
	if (fclose(f) != 0)
		return -1;
	e->ifl = (int)if_nametoindex("fpl0");
	e->ifi = (int)if_nametoindex("fpi0");
	return e->ifl > 0 && e->ifi > 0 ? 0 : -1;
}

static inline void
fp_env_session(struct fastpath_session *s)
{
	memset(s, 0, sizeof(*s));
	s->our_tunnel_id = ENV_OUR_TID;
	s->our_session_id = ENV_OUR_SID;
	s->peer_tunnel_id = ENV_PEER_TID;
	s->peer_session_id = ENV_PEER_SID;
	s->peer_addr.s_addr = htonl(ENV_PEER);
	s->local_addr.s_addr = htonl(ENV_LOCAL);
	s->inner_addr.s_addr = htonl(ENV_SESSION);
	s->peer_port = ENV_PORT;
	s->local_port = ENV_PORT;
	s->rx_acfc = s->rx_pfc = true;
}

/* The session's /64 and delegated prefix, the intranet host's address. */
static const uint8_t s6_prefix[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00,
	0x05 };
static const uint8_t s6_deleg[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0x00,
	0x00 };
#define S6_DELEG_LEN 56
static const uint8_t s6_host[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x09, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 2 };

/* IPv6 on fpi0 (2001:db8:9::1/64, the host ::2 a fixed neighbour) and
 * forwarding (the fib helper's check); test_bpf_fastpath runs it after
 * the captures that want no IPv6 chatter.  0, or -1. */
static inline int
fp_env_ipv6(void)
{
	static const char *const cmds[] = {
		"sysctl -qw net.ipv6.conf.fpi0.addr_gen_mode=1 net.ipv6.conf.fpl0.addr_gen_mode=1",
		"sysctl -qw net.ipv6.conf.fpi0.accept_ra=0 net.ipv6.conf.fpl0.accept_ra=0",
		"sysctl -qw net.ipv6.conf.fpi0.disable_ipv6=0 net.ipv6.conf.fpl0.disable_ipv6=0",
		"sysctl -qw net.ipv6.conf.all.forwarding=1",
		"ip -6 addr replace 2001:db8:9::1/64 dev fpi0 nodad",
		"ip -6 neigh replace 2001:db8:9::2 lladdr 02:00:00:00:09:02 nud permanent dev fpi0",
	};
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (system(cmds[i]) != 0)
			return -1;
	return 0;
}

/* The session with IPv6 in the fast path: its /64 and, with deleg, its
 * delegated prefix; mtu6 the TUN's MTU. */
static inline void
fp_env_session6(struct fastpath_session *s, bool deleg, uint16_t mtu6)
{
	fp_env_session(s);
	s->ipv6 = true;
	memcpy(s->prefix6, s6_prefix, 16);
	if (deleg) {
		memcpy(s->deleg6, s6_deleg, 16);
		s->deleg6_len = S6_DELEG_LEN;
	}
	s->mtu6 = mtu6;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* RFC 1071 Internet checksum over `len` bytes (even), stored big-endian. */
static inline uint16_t
ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline void
eth_hdr(uint8_t *p, const uint8_t *dst, const uint8_t *src)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put16(p + 12, 0x0800);
}

/* A 20-byte IPv4 header with its checksum. */
static inline void
ip_hdr(uint8_t *p, uint16_t tot_len, uint8_t ttl, uint8_t proto, uint32_t src,
    uint32_t dst, uint16_t frag)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, tot_len);
	put16(p + 4, 0x1234);
	put16(p + 6, frag);
	p[8] = ttl;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, ip_csum(p, 20));
}

/* An inner IPv4/UDP packet of `payload` bytes at p; returns its length. */
static inline size_t
inner_pkt(uint8_t *p, uint32_t src, uint32_t dst, uint8_t ttl, size_t payload)
{
	size_t i, len = 20 + 8 + payload;

	ip_hdr(p, (uint16_t)len, ttl, 17, src, dst, 0);
	put16(p + 20, 5000);
	put16(p + 22, 6000);
	put16(p + 24, (uint16_t)(8 + payload));
	put16(p + 26, 0);
	for (i = 0; i < payload; i++)
		p[28 + i] = (uint8_t)(i * 7 + 1);
	return len;
}

/* PPP header forms: RFC 1662 §3.2 (ACFC), RFC 1661 §6.5 (PFC). */
enum ppp_form { PPP_FULL, PPP_PFC_ONLY, PPP_ACFC_ONLY, PPP_BOTH };

static inline size_t
ppp_hdr(uint8_t *p, enum ppp_form f, uint16_t proto)
{
	size_t n = 0;

	if (f == PPP_FULL || f == PPP_PFC_ONLY) {
		p[n++] = 0xff;
		p[n++] = 0x03;
	}
	if ((f == PPP_PFC_ONLY || f == PPP_BOTH) && proto < 0x100) {
		p[n++] = (uint8_t)proto;
	} else {
		put16(p + n, proto);
		n += 2;
	}
	return n;
}

struct l2tp_craft {
	uint16_t flags; /* RFC 2661 §3.1 bits beyond Ver 2 */
	uint16_t pad;	/* offset padding when O is set */
	uint16_t tid, sid;
	enum ppp_form ppp;
	uint16_t proto;
	uint32_t osrc, odst;
	uint16_t sport, dport;
	uint32_t isrc, idst;
	uint8_t ttl;
	size_t payload;
};

#define L2TP_F_T 0x8000
#define L2TP_F_L 0x4000
#define L2TP_F_S 0x0800
#define L2TP_F_O 0x0200

/* The data message the session's peer would send, defaults filled in. */
static inline void
l2tp_craft_default(struct l2tp_craft *c)
{
	memset(c, 0, sizeof(*c));
	c->tid = ENV_OUR_TID;
	c->sid = ENV_OUR_SID;
	c->ppp = PPP_FULL;
	c->proto = 0x0021;
	c->osrc = ENV_PEER;
	c->odst = ENV_LOCAL;
	c->sport = c->dport = ENV_PORT;
	c->isrc = ENV_SESSION;
	c->idst = ENV_HOST;
	c->ttl = 64;
	c->payload = 32;
}

/* Builds Ethernet + IPv4 + UDP + L2TP + PPP + inner packet into buf;
 * returns the frame length and the inner packet's offset. */
static inline size_t
l2tp_frame(uint8_t *buf, const struct l2tp_craft *c, size_t *inner_off)
{
	size_t off = 14 + 20 + 8, l2tp = off, ilen, len_at = 0;
	uint16_t flags = (uint16_t)(c->flags | 2);

	eth_hdr(buf, env_mac_l0, env_mac_peer);
	put16(buf + off, flags);
	off += 2;
	if (flags & L2TP_F_L) {
		len_at = off;
		off += 2;
	}
	put16(buf + off, c->tid);
	put16(buf + off + 2, c->sid);
	off += 4;
	if (flags & L2TP_F_S) {
		put16(buf + off, 7);
		put16(buf + off + 2, 0);
		off += 4;
	}
	if (flags & L2TP_F_O) {
		put16(buf + off, c->pad);
		memset(buf + off + 2, 0xaa, c->pad);
		off += 2 + (size_t)c->pad;
	}
	off += ppp_hdr(buf + off, c->ppp, c->proto);
	*inner_off = off;
	ilen = inner_pkt(buf + off, c->isrc, c->idst, c->ttl, c->payload);
	off += ilen;
	if (len_at != 0)
		put16(buf + len_at, (uint16_t)(off - l2tp));
	put16(buf + 34, c->sport);
	put16(buf + 36, c->dport);
	put16(buf + 38, (uint16_t)(off - 34));
	put16(buf + 40, 0);
	ip_hdr(buf + 14, (uint16_t)(off - 14), 64, 17, c->osrc, c->odst, 0);
	return off;
}

/* An IPv6/UDP packet (RFC 8200 §3) of `payload` octets at p. */
static inline size_t
inner6(uint8_t *p, const uint8_t src[16], const uint8_t dst[16], uint8_t hop,
    size_t payload)
{
	size_t i;

	memset(p, 0, 40);
	p[0] = 0x60;
	p[1] = 0x01; /* a flow label */
	put16(p + 4, (uint16_t)(8 + payload));
	p[6] = 17;
	p[7] = hop;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	put16(p + 40, 5000);
	put16(p + 42, 6000);
	put16(p + 44, (uint16_t)(8 + payload));
	put16(p + 46, 0x1234);
	for (i = 0; i < payload; i++)
		p[48 + i] = (uint8_t)(i * 5 + 3);
	return 48 + payload;
}

/* The LAC's data message carrying it; sid the session ID. */
static inline size_t
frame6(uint8_t *buf, enum ppp_form f, uint16_t sid, const uint8_t src[16],
    const uint8_t dst[16], uint8_t hop, size_t payload, size_t *inner_off)
{
	size_t off = 14 + 20 + 8;

	eth_hdr(buf, env_mac_l0, env_mac_peer);
	put16(buf + off, 0x0002);
	put16(buf + off + 2, ENV_OUR_TID);
	put16(buf + off + 4, sid);
	off += 6;
	off += ppp_hdr(buf + off, f, 0x0057);
	*inner_off = off;
	off += inner6(buf + off, src, dst, hop, payload);
	put16(buf + 34, ENV_PORT);
	put16(buf + 36, ENV_PORT);
	put16(buf + 38, (uint16_t)(off - 34));
	put16(buf + 40, 0);
	ip_hdr(buf + 14, (uint16_t)(off - 14), 64, 17, ENV_PEER, ENV_LOCAL, 0);
	return off;
}

#endif
