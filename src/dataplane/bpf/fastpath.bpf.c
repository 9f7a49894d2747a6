/*
 * fastpath.bpf.c — the kernel fast path: TC (clsact, direct action)
 * programs that carry established sessions' IPv4 data without the kernel's
 * L2TP or PPP modules.
 *
 *   vpdn_fp_decap   ingress of the L2TP-facing interface: an L2TPv2 data
 *                   message (RFC 2661 §3.1) of a session in fp_rx becomes its
 *                   inner IPv4 packet, forwarded by bpf_fib_lookup +
 *                   bpf_redirect like the kernel would route it.
 *   vpdn_fp_encap   ingress of the intranet-facing interface: an IPv4 packet
 *                   to a session's address in fp_tx becomes an L2TP data
 *                   message to the peer (compact header: no L, S or O).
 *                   IPv6 (PPP 0x0057, RFC 5072) both ways the same, by the
 *                   session's /64 or delegated prefix (fp_tx6).
 *   vpdn_fp_enc_l3  the same on egress of a routed L3 device (the LNS's TUN),
 *                   where the stack has already routed the packet and there
 *                   is no Ethernet header.
 *   vpdn_fp_cli_enc the same on egress of a client's TUN (the voluntary
 *                   tunnel's end), where the session is the TUN's, found
 *                   by its ifindex (fp_cli_tx) whatever the destination;
 *                   vpdn_fp_decap delivers that session's received data
 *                   into the TUN (FP_RX_CLI, decap_client).
 *
 * The rule for everything not handled: every decision is taken before the
 * packet is changed, and the answer is TC_ACT_OK with the packet untouched
 * (TC_ACT_UNSPEC from vpdn_fp_encap: the next filter, vpdn_fp_decap or
 * anyone's, still sees it), so the stack and user space see it exactly as
 * without these programs.
 * Headers are read with bpf_skb_load_bytes (works on non-linear skbs, no
 * packet-pointer arithmetic for the verifier to doubt).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "fastpath_maps.h"
#include "policer.h"

#ifndef AF_INET
#define AF_INET		2
#endif
#ifndef AF_INET6
#define AF_INET6	10
#endif
#ifndef ETH_P_IPV6
#define ETH_P_IPV6	0x86DD
#endif
/* bpf_skb_adjust_room: the packet left is IPv6 (sets skb->protocol;
 * Linux 6.3).  Not in every distribution's <linux/bpf.h> yet. */
#define FP_ADJ_ROOM_DECAP_L3_IPV6 (1ULL << 8)

#define PPP_IPV6	0x0057	/* RFC 5072 §3 */
#define IPV6_HLEN	40	/* RFC 8200 §3 */

/* RFC 2661 §3.1 header bits (the first octet holds T L x x S x O P). */
#define L2TP_T		0x8000
#define L2TP_L		0x4000
#define L2TP_S		0x0800
#define L2TP_O		0x0200
#define L2TP_VER_MASK	0x000f
#define L2TP_VER	2

#define PPP_IP		0x0021	/* RFC 1332 §2 */
#define PPP_ALLSTATIONS	0xff	/* RFC 1662 §3.1 */
#define PPP_UI		0x03

#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff

/* Outer IPv4 (no options) + UDP + the compact L2TP header we send. */
#define OUTER_FIXED	(20 + 8 + 6)

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);	/* the loader sets the real size */
	__type(key, struct fp_rx_key);
	__type(value, struct fp_rx_val);
} fp_rx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct fp_tx_key);
	__type(value, struct fp_tx_val);
} fp_tx SEC(".maps");

/* A client session's send entry, by its TUN's ifindex (fastpath_maps.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);	/* the loader sets the real size */
	__type(key, __u32);
	__type(value, struct fp_tx_val);
} fp_cli_tx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8192);	/* a /64 and a delegated prefix each */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fp_tx6_key);
	__type(value, struct fp_tx_val);
} fp_tx6 SEC(".maps");

/* The longest L4 segment csum_finish sums is CSUM_CHUNK * CSUM_MAX_CHUNKS
 * (a non-GSO packet is at most the MTU; jumbo frames fit). */
#define CSUM_CHUNK	256
#define CSUM_MAX_CHUNKS	40

/* csum_finish's buffer: with IPv4 and IPv6 encapsulation in one program
 * it no longer fits the 512-octet stack.  Per CPU, as a program runs to
 * its end on one CPU without preemption by another TC program there. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	/* One chunk, and the round-up of an odd tail's length. */
	__type(value, __u32[CSUM_CHUNK / 4 + 1]);
} fp_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct fp_rx_key);
	__type(value, struct fp_session_stats);
} fp_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} fp_global SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);		/* ifindex */
	__type(value, __u32);		/* unused, 1 */
} fp_egress SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fp_owner);
} fp_owner SEC(".maps");

static __always_inline int
count(__u32 c, int verdict)
{
	__u64 *v = bpf_map_lookup_elem(&fp_global, &c);

	if (v != 0)
		*v += 1;
	return verdict;
}

/* The one's complement sum of a 16-bit-word buffer, folded (RFC 1071). */
static __always_inline __u16
csum_fold(__u64 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/*
 * Reads the IPv4 header at `off` into *ip and checks what a router checks
 * before forwarding (RFC 1812 §5.2.2: version, header length, total length,
 * header checksum): the packet must be exactly tot_len long from `off`
 * (trailing bytes or truncation go to the stack, which knows what to do).
 * Returns the header length, or 0.
 */
static __always_inline __u32
inner_ipv4_ok(struct __sk_buff *skb, __u32 off, struct iphdr *ip)
{
	__u32 words[15] = {};
	__u32 hl, i;
	__u64 sum = 0;

	/* One read serves the header and its checksum: every helper call
	 * counts at a packet rate. */
	if (bpf_skb_load_bytes(skb, off, words, 20) != 0)
		return 0;
	__builtin_memcpy(ip, words, sizeof(*ip));
	if (ip->version != 4 || ip->ihl < 5)
		return 0;
	hl = (__u32)ip->ihl * 4;
	if (bpf_ntohs(ip->tot_len) < hl ||
	    (__u64)off + bpf_ntohs(ip->tot_len) != skb->len)
		return 0;
	/* Options (rare): one word at a time, constant sizes. */
#pragma unroll
	for (i = 5; i < 15; i++)
		if (i < ip->ihl &&
		    bpf_skb_load_bytes(skb, off + i * 4, &words[i], 4) != 0)
			return 0;
#pragma unroll
	for (i = 0; i < 15; i++)
		sum += words[i];
	/* Fold 32-bit words: the sum of a correct header is 0xffff. */
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	if (csum_fold(sum) != 0xffff)
		return 0;
	return hl;
}

/*
 * Forwarding decrements TTL (RFC 1812 §5.3.1); the header checksum follows
 * incrementally (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')): w gets TTL,
 * protocol and checksum as they leave, written with the octets around them
 * (the inner header may sit at an odd offset, a 1- or 3-octet PPP header
 * before it, where bpf_l3_csum_replace() refuses to work).  The header's
 * one's complement sum is unchanged, so an skb->csum (CHECKSUM_COMPLETE)
 * stays right.
 */
static __always_inline void
ttl_decremented(const struct iphdr *ip, __u8 w[4])
{
	__u16 old, new;
	__u32 sum;

	w[0] = ip->ttl;
	w[1] = ip->protocol;
	__builtin_memcpy(&old, w, 2);
	w[0] = ip->ttl - 1;
	__builtin_memcpy(&new, w, 2);
	sum = (__u16)~ip->check;
	sum += (__u16)~old;
	sum += new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	new = (__u16)~sum;
	__builtin_memcpy(&w[2], &new, 2);
}

/* The first 12 octets of the IPv4 header *ip as forwarding leaves them:
 * TTL decremented, checksum updated (ttl_decremented). */
static __always_inline void
ipv4_fwd_prefix(const struct iphdr *ip, __u8 p[12])
{
	__builtin_memcpy(p, ip, 8);
	ttl_decremented(ip, &p[8]);
}

/* The Ethernet header of a forwarded frame (the fib's next hop) and the
 * inner IPv4 header's first 12 octets as forwarding leaves them, in one
 * store: they are adjacent once the outer headers are gone.  The header's
 * one's complement sum does not change and the link header is not in an
 * skb->csum (CHECKSUM_COMPLETE), so no checksum flag. */
struct fwd_hdr {
	__u8	dmac[ETH_ALEN];
	__u8	smac[ETH_ALEN];
	__be16	proto;
	__u8	ip[12];
} __attribute__((packed));

static __always_inline long
store_fwd_hdr(struct __sk_buff *skb, const struct bpf_fib_lookup *fib,
    const struct iphdr *ip)
{
	struct fwd_hdr h;

	__builtin_memcpy(h.dmac, fib->dmac, ETH_ALEN);
	__builtin_memcpy(h.smac, fib->smac, ETH_ALEN);
	h.proto = bpf_htons(ETH_P_IP);
	ipv4_fwd_prefix(ip, h.ip);
	return bpf_skb_store_bytes(skb, 0, &h, sizeof(h), 0);
}

static __always_inline int
egress_allowed(__u32 ifindex)
{
	return bpf_map_lookup_elem(&fp_egress, &ifindex) != 0;
}

/* The interface's FP_EGRESS_* flags; 0 if it is not an allowed exit. */
static __always_inline __u32
egress_flags(__u32 ifindex)
{
	__u32 *f = bpf_map_lookup_elem(&fp_egress, &ifindex);

	return f != 0 ? (*f | FP_EGRESS_OK) : 0;
}

/*
 * A TCP aggregate (GSO) of `len` IP octets whose segments each repeat
 * `hdrs` octets of IP and TCP header and carry up to `gso_size` octets of
 * payload: how many packets and inner octets it is once cut up, which is
 * what the counters and the rate plan charge, so that a session reads the
 * same whichever path and whatever aggregation carried it.  A packet that
 * is not an aggregate (gso_size 0) is one packet of len octets.
 */
static __always_inline void
gso_tally(__u32 len, __u32 hdrs, __u32 gso_size, __u32 *pkts, __u32 *bytes)
{
	__u32 segs;

	if (gso_size == 0 || len <= hdrs) {
		*pkts = 1;
		*bytes = len;
		return;
	}
	segs = (len - hdrs + gso_size - 1) / gso_size;
	*pkts = segs;
	*bytes = len + (segs - 1) * hdrs;
}

/* ---- receive: L2TP data → inner IPv4 ---- */

/* The fixed IPv6 header (RFC 8200 §3), addresses as words for the fib. */
struct ip6_fixed {
	__u8	vtc;		/* version, upper traffic class */
	__u8	tcfl[3];
	__be16	payload_len;
	__u8	nexthdr;
	__u8	hop_limit;
	__u32	saddr[4];
	__u32	daddr[4];
};
_Static_assert(sizeof(struct ip6_fixed) == IPV6_HLEN, "ip6_fixed");

/* Does a (16 octets) lie in p/plen?  p has the (plen + 7) / 8 octets
 * read, its bits past plen zero (the loader writes them so): each octet
 * compares under its mask. */
static __always_inline int
prefix6_in(const __u8 *a, const __u8 *p, __u32 plen)
{
	__u32 i, bits;
	__u8 m;

#pragma unroll
	for (i = 0; i < 16; i++) {
		if (plen <= i * 8)
			break;
		bits = plen - i * 8;
		m = bits >= 8 ? 0xff : (__u8)(0xff00 >> bits);
		if ((a[i] & m) != p[i])
			return 0;
	}
	return 1;
}

/* RFC 4291 §2.5.6 link-local unicast (fe80::/10) or any multicast
 * (ff00::/8): RS, ND, MLD, DHCPv6 (RFC 8415 §7.1) are the LNS's, and the
 * user path decides about the rest of multicast. */
static __always_inline int
dst_not_forwarded6(const __u32 *daddr)
{
	const __u8 *d = (const __u8 *)daddr;

	return d[0] == 0xff || (d[0] == 0xfe && (d[1] & 0xc0) == 0x80);
}

/*
 * The IPv6 half of vpdn_fp_decap: `off` is the inner packet's offset
 * (past the PPP header), `sv` the session's fp_rx value.  Anything not
 * carried here reaches the user path (lns_ipv6.c) untouched, which applies
 * the same rules and counts its drops per reason (a spoofed source in
 * lns6_stats.rx_spoofed and the session's own counter).
 */
static __always_inline int
decap6(struct __sk_buff *skb, const struct fp_rx_key *key,
    const struct fp_rx_val *sv, __u32 off)
{
	struct ip6_fixed in;
	struct bpf_fib_lookup fib = {};
	struct fp_session_stats *st;
	__u32 inner_len, strip;
	struct ethhdr eth;
	__u8 nh_hop[2];
	long rc;

	if (!(sv->flags & FP_RX_IPV6))
		return count(FP_RX_PASS_PPP, TC_ACT_OK);
	if (bpf_skb_load_bytes(skb, off, &in, sizeof(in)) != 0 ||
	    (in.vtc >> 4) != 6)
		return count(FP_RX_PASS_INNER6, TC_ACT_OK);
	/* RFC 8200 §3: exactly the payload it says it has (trailing bytes
	 * or truncation are the user path's, like a jumbogram's 0). */
	inner_len = IPV6_HLEN + bpf_ntohs(in.payload_len);
	if ((__u64)off + inner_len != skb->len)
		return count(FP_RX_PASS_INNER6, TC_ACT_OK);
	if (dst_not_forwarded6(in.daddr))
		return count(FP_RX_PASS_LINK6, TC_ACT_OK);
	/* The user path's anti-spoofing (lns6_input): the source lies in
	 * the session's /64 or in its delegated prefix. */
	if (!prefix6_in((const __u8 *)in.saddr, sv->prefix6, 64) &&
	    !(sv->deleg6_len != 0 &&
		prefix6_in((const __u8 *)in.saddr, sv->deleg6,
		    sv->deleg6_len)))
		return count(FP_RX_PASS_WRONG_SRC6, TC_ACT_OK);
	/* RFC 8200 §3 / RFC 4443 §3.3: hop limit expiry needs a Time
	 * Exceeded, which the stack sends for the user path's packet. */
	if (in.hop_limit <= 1)
		return count(FP_RX_PASS_INNER6, TC_ACT_OK);

	fib.family = AF_INET6;
	fib.flowinfo = *(__be32 *)&in.vtc & bpf_htonl(0x0fffffff);
	fib.l4_protocol = in.nexthdr;
	fib.tot_len = (__u16)inner_len;
	__builtin_memcpy(fib.ipv6_src, in.saddr, 16);
	__builtin_memcpy(fib.ipv6_dst, in.daddr, 16);
	fib.ifindex = skb->ifindex;
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS || !egress_allowed(fib.ifindex))
		return count(FP_RX_PASS_ROUTE, TC_ACT_OK);

	/* The session's rate plan counts its IPv6 too (policer.h). */
	switch (fp_police_check(key, 1, inner_len)) {
	case FP_POLICE_PASS:
		break;
	case FP_POLICE_DROP:
		return TC_ACT_SHOT;
	default:
		return count(FP_RX_PASS_INNER6, TC_ACT_OK);
	}
	st = bpf_map_lookup_elem(&fp_stats, key);
	strip = off - ETH_HLEN;
	/* Removes outer IPv4 + UDP + L2TP + PPP; the helper makes the
	 * packet IPv6 (skb->protocol), the EtherType is ours to write.  On
	 * failure nothing has changed. */
	if (bpf_skb_adjust_room(skb, -(__s32)strip, BPF_ADJ_ROOM_MAC,
	    FP_ADJ_ROOM_DECAP_L3_IPV6) != 0)
		return count(FP_PASS_HELPER, TC_ACT_OK);
	/* Forwarding decrements the hop limit (RFC 8200 §3); IPv6 has no
	 * header checksum.  Next header and hop limit as one even-offset
	 * store. */
	nh_hop[0] = in.nexthdr;
	nh_hop[1] = in.hop_limit - 1;
	__builtin_memcpy(eth.h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth.h_source, fib.smac, ETH_ALEN);
	eth.h_proto = bpf_htons(ETH_P_IPV6);
	if (bpf_skb_store_bytes(skb, ETH_HLEN + 6, nh_hop, 2,
	    BPF_F_RECOMPUTE_CSUM) != 0 ||
	    bpf_skb_store_bytes(skb, 0, &eth, sizeof(eth), 0) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	if (st != 0) {
		st->rx_packets++;
		st->rx_bytes += inner_len;
	}
	count(FP_RX_DECAP6, 0);
	return (int)bpf_redirect(fib.ifindex, 0);
}

int	vpdn_fp_decap(struct __sk_buff *skb);
int	vpdn_fp_encap(struct __sk_buff *skb);
int	vpdn_fp_enc_l3(struct __sk_buff *skb);
int	vpdn_fp_cli_enc(struct __sk_buff *skb);

/*
 * A received aggregate (skb->gso_size != 0): a GSO packet a veth handed
 * over whole, which vpdn_fp_decap reaches only on an FP_EGRESS_GSO_WHOLE
 * device ([global] fastpath-veth-gso).  It is carried whole only if it is
 * what a kernel fast path's encapsulation builds from one TCP/IPv4 flow
 * (vpdn_fp_encap: the IPv4 length covering the whole aggregate, the L2TP
 * header without S, so the same in every segment): unfragmented TCP with
 * payload.  The aggregate keeps its gso_size (BPF_F_ADJ_ROOM_FIXED_GSO),
 * so every segment it is cut into is no longer than those the tunnel
 * carried, and *seg is that segment's IP length (for the fib's MTU
 * check); *pkts and *bytes are what it counts (gso_tally).  A packet that
 * is not an aggregate is one segment of its own length.  0, or -1: the
 * stack's (it splits what it can, user space gets the rest).
 */
static __always_inline int
gso_tcp_segment(struct __sk_buff *skb, const struct iphdr *in, __u32 hl,
    __u32 off, __u32 *seg, __u32 *pkts, __u32 *bytes)
{
	__u32 len = bpf_ntohs(in->tot_len), hdrs;
	__u8 doff;

	if (skb->gso_size == 0) {
		*seg = len;
		gso_tally(len, 0, 0, pkts, bytes);
		return 0;
	}
	if (in->protocol != IPPROTO_TCP ||
	    (in->frag_off & bpf_htons(IP_MF | IP_OFFMASK)) != 0 ||
	    bpf_skb_load_bytes(skb, off + hl + 12, &doff, 1) != 0 ||
	    (doff >> 4) < 5)
		return -1;
	hdrs = hl + (__u32)(doff >> 4) * 4;
	if (len <= hdrs)
		return -1;
	*seg = hdrs + skb->gso_size;
	gso_tally(len, hdrs, skb->gso_size, pkts, bytes);
	return 0;
}

/*
 * The client half of vpdn_fp_decap (FP_RX_CLI): `off` is the inner
 * packet's offset past the PPP header, whose protocol is `proto`; the
 * outer headers, IDs and PPP form are checked already.  The packet is for
 * this host: no routing, no TTL change, no anti-spoofing of the source (a
 * client receives from anywhere), but the destination must be the address
 * IPCP gave the session (RFC 1332 §3.3), as a packet for another address
 * would be the stack's to route or refuse.  It is delivered into the TUN
 * exactly as the user path's write would deliver it: received on the TUN,
 * IPv4, no link header (the redirect to an L3 device drops the Ethernet
 * header).  Anything else goes on to the stack and the user path.
 */
static __always_inline int
decap_client(struct __sk_buff *skb, const struct fp_rx_key *key,
    const struct fp_rx_val *sv, __u32 off, __u16 proto)
{
	struct iphdr in;
	struct fp_session_stats *st;
	__u32 hl, pkts, bytes, seg;
	const int gso = skb->gso_size != 0;

	if (proto != PPP_IP)
		return count(gso ? FP_RX_PASS_GSO : FP_RX_PASS_PPP, TC_ACT_OK);
	/* RFC 1812 §5.2.2's checks, as the TUN's input would make them. */
	if ((hl = inner_ipv4_ok(skb, off, &in)) == 0)
		return count(gso ? FP_RX_PASS_GSO : FP_RX_PASS_INNER,
		    TC_ACT_OK);
	if (in.daddr != sv->inner_src || sv->cli_ifindex == 0)
		return count(FP_RX_PASS_WRONG_DST, TC_ACT_OK);
	/* An aggregate goes into the TUN whole, as TCP takes it locally
	 * (gso_tcp_segment has checked what it holds). */
	if (gso_tcp_segment(skb, &in, hl, off, &seg, &pkts, &bytes) != 0)
		return count(FP_RX_PASS_GSO, TC_ACT_OK);
	st = bpf_map_lookup_elem(&fp_stats, key);
	/* Removes outer IPv4 + UDP + L2TP + PPP; the Ethernet header that
	 * stays in front is dropped by the redirect into the L3 device.  On
	 * failure nothing has changed. */
	if (bpf_skb_adjust_room(skb, -(__s32)(off - ETH_HLEN), BPF_ADJ_ROOM_MAC,
	    gso ? BPF_F_ADJ_ROOM_FIXED_GSO : 0) != 0)
		return count(FP_PASS_HELPER, TC_ACT_OK);
	if (st != 0) {
		st->rx_packets += pkts;
		st->rx_bytes += bytes;
	}
	if (gso)
		count(FP_RX_DECAP_GSO, 0);
	count(FP_RX_DECAP_CLIENT, 0);
	return (int)bpf_redirect(sv->cli_ifindex, BPF_F_INGRESS);
}

struct outer_hdr {
	struct ethhdr	eth;
	struct iphdr	ip;
	struct udphdr	udp;
	__be16		l2tp_flags;
} __attribute__((packed));

SEC("tc")
int
vpdn_fp_decap(struct __sk_buff *skb)
{
	struct outer_hdr h;
	struct iphdr in;
	struct bpf_fib_lookup fib = {};
	struct fp_rx_key key;
	struct fp_rx_val *sv;
	struct fp_session_stats *st;
	__u16 flags, len_field = 0, pad, proto;
	__u8 ppp[4];
	__u32 off, udp_len, strip, hl, seg, pkts, bytes;
	const int gso = skb->gso_size != 0;
	long rc;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return count(FP_RX_PASS_NOT_L2TP, TC_ACT_OK);
	if (bpf_skb_load_bytes(skb, 0, &h, sizeof(h)) != 0)
		return count(FP_RX_PASS_NOT_L2TP, TC_ACT_OK);
	/* Plain IPv4 (no options), unfragmented (the stack reassembles), UDP,
	 * exactly as long as the frame (no trailing link padding). */
	if (h.ip.version != 4 || h.ip.ihl != 5 ||
	    h.ip.protocol != IPPROTO_UDP ||
	    (h.ip.frag_off & bpf_htons(IP_MF | IP_OFFMASK)) != 0 ||
	    (__u64)bpf_ntohs(h.ip.tot_len) + ETH_HLEN != skb->len)
		return count(FP_RX_PASS_NOT_L2TP, TC_ACT_OK);
	udp_len = bpf_ntohs(h.udp.len);
	if (udp_len != bpf_ntohs(h.ip.tot_len) - 20)
		return count(FP_RX_PASS_NOT_L2TP, TC_ACT_OK);
	flags = bpf_ntohs(h.l2tp_flags);
	/* §3.1: "Packets received with an unknown Ver field MUST be
	 * discarded" — by the user path, which counts them. */
	if ((flags & L2TP_VER_MASK) != L2TP_VER)
		return count(FP_RX_PASS_NOT_L2TP, TC_ACT_OK);
	if (flags & L2TP_T)
		return count(FP_RX_PASS_CONTROL, TC_ACT_OK);
	/* Sequenced data needs the §5.4 state the user path keeps. */
	if (flags & L2TP_S)
		return count(FP_RX_PASS_SEQ, TC_ACT_OK);
	/* Aggregates: the stack splits them, unless they arrived whole
	 * through a veth declared for it (FP_EGRESS_GSO_WHOLE), where
	 * gso_tcp_segment decides. */
	if (skb->gso_size != 0 &&
	    !(egress_flags(skb->ifindex) & FP_EGRESS_GSO_WHOLE))
		return count(FP_RX_PASS_GSO, TC_ACT_OK);

	off = sizeof(h);
	if (flags & L2TP_L) {
		if (bpf_skb_load_bytes(skb, off, &len_field, 2) != 0)
			return count(FP_RX_PASS_MALFORMED, TC_ACT_OK);
		/* §3.1 "total length of the message": anything else (link
		 * padding after it, or a lie) is the user path's to sort out. */
		if (bpf_ntohs(len_field) != udp_len - 8)
			return count(FP_RX_PASS_MALFORMED, TC_ACT_OK);
		off += 2;
	}
	if (bpf_skb_load_bytes(skb, off, &key, sizeof(key)) != 0)
		return count(FP_RX_PASS_MALFORMED, TC_ACT_OK);
	off += 4;
	sv = bpf_map_lookup_elem(&fp_rx, &key);
	if (sv == 0)
		return count(FP_RX_PASS_NO_SESSION, TC_ACT_OK);
	if (h.ip.saddr != sv->peer_addr || h.udp.source != sv->peer_port ||
	    h.ip.daddr != sv->local_addr || h.udp.dest != sv->local_port)
		return count(FP_RX_PASS_WRONG_PEER, TC_ACT_OK);
	if (flags & L2TP_O) {
		/* §3.1: "the L2TP header ends after the last octet of the
		 * offset padding". */
		if (bpf_skb_load_bytes(skb, off, &pad, 2) != 0)
			return count(FP_RX_PASS_MALFORMED, TC_ACT_OK);
		pad = bpf_ntohs(pad);
		if (pad > FP_MAX_OFFSET_PAD)
			return count(FP_RX_PASS_MALFORMED, TC_ACT_OK);
		off += 2 + pad;
	}
	/* The PPP header (RFC 1662 §3.2: Address and Control may be absent
	 * with ACFC; RFC 1661 §6.5: one-octet protocol with PFC). */
	if (bpf_skb_load_bytes(skb, off, ppp, 4) != 0)
		return count(FP_RX_PASS_MALFORMED, TC_ACT_OK);
	if (ppp[0] == PPP_ALLSTATIONS && ppp[1] == PPP_UI) {
		off += 2;
		ppp[0] = ppp[2];
		ppp[1] = ppp[3];
	} else if (!(sv->flags & FP_RX_ACFC)) {
		return count(FP_RX_PASS_PPP, TC_ACT_OK);
	}
	if (ppp[0] & 1) {
		if (!(sv->flags & FP_RX_PFC))
			return count(FP_RX_PASS_PPP, TC_ACT_OK);
		proto = ppp[0];
		off += 1;
	} else {
		proto = (__u16)ppp[0] << 8 | ppp[1];
		off += 2;
	}
	if (sv->flags & FP_RX_CLI)
		return decap_client(skb, &key, sv, off, proto);
	/* Only TCP/IPv4 aggregates are carried whole. */
	if (gso && proto != PPP_IP)
		return count(FP_RX_PASS_GSO, TC_ACT_OK);
	if (proto == PPP_IPV6)
		return decap6(skb, &key, sv, off);
	if (proto != PPP_IP)
		return count(FP_RX_PASS_PPP, TC_ACT_OK);

	/* off < ETH_HLEN + 20 + 8 + 12 + FP_MAX_OFFSET_PAD + 4: bounded. */
	if ((hl = inner_ipv4_ok(skb, off, &in)) == 0)
		return count(gso ? FP_RX_PASS_GSO : FP_RX_PASS_INNER,
		    TC_ACT_OK);
	/* The anti-spoofing rule of the user path: only the session's own
	 * address (framed routes are the user path's). */
	if (in.saddr != sv->inner_src)
		return count(FP_RX_PASS_WRONG_SRC, TC_ACT_OK);
	/* RFC 1812 §5.3.1: TTL expiry needs an ICMP Time Exceeded, which
	 * the stack sends when the user path hands the packet to it. */
	if (in.ttl <= 1)
		return count(FP_RX_PASS_INNER, TC_ACT_OK);
	if (gso_tcp_segment(skb, &in, hl, off, &seg, &pkts, &bytes) != 0)
		return count(FP_RX_PASS_GSO, TC_ACT_OK);

	fib.family = AF_INET;
	fib.tos = in.tos;
	fib.l4_protocol = in.protocol;
	/* What leaves is a segment at most (the fib checks its MTU). */
	fib.tot_len = (__u16)seg;
	fib.ipv4_src = in.saddr;
	fib.ipv4_dst = in.daddr;
	fib.ifindex = skb->ifindex;
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS || !egress_allowed(fib.ifindex))
		return count(FP_RX_PASS_ROUTE, TC_ACT_OK);
	/* An aggregate leaves whole only into a veth declared for it: a
	 * NIC's software segmentation would meet the tunnel's GSO state,
	 * which the helpers of this kernel cannot clear. */
	if (gso && !(egress_flags(fib.ifindex) & FP_EGRESS_GSO_WHOLE))
		return count(FP_RX_PASS_GSO, TC_ACT_OK);

	/* The session's rate plan, upstream (policer.h). */
	switch (fp_police_check(&key, 1, bytes)) {
	case FP_POLICE_PASS:
		break;
	case FP_POLICE_DROP:
		return TC_ACT_SHOT;
	default:
		return count(FP_RX_PASS_INNER, TC_ACT_OK);
	}
	st = bpf_map_lookup_elem(&fp_stats, &key);
	strip = off - ETH_HLEN;
	/* Removes outer IPv4 + UDP + L2TP + PPP right after the Ethernet
	 * header; the EtherType (IPv4) stays right.  An aggregate keeps its
	 * segment size (gso_tcp_segment).  On failure nothing has changed. */
	if (bpf_skb_adjust_room(skb, -(__s32)strip, BPF_ADJ_ROOM_MAC,
	    gso ? BPF_F_ADJ_ROOM_FIXED_GSO : 0) != 0)
		return count(FP_PASS_HELPER, TC_ACT_OK);
	if (store_fwd_hdr(skb, &fib, &in) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	if (st != 0) {
		st->rx_packets += pkts;
		st->rx_bytes += bytes;
	}
	if (gso)
		count(FP_RX_DECAP_GSO, 0);
	count(FP_RX_DECAP, 0);
	return (int)bpf_redirect(fib.ifindex, 0);
}


/* ---- CHECKSUM_PARTIAL: finishing what a NIC would ----
 *
 * A packet from this host's stack, or from a veth or virtio peer on it,
 * may carry CHECKSUM_PARTIAL: its TCP or UDP checksum field holds only the
 * pseudo-header sum and the sending device is trusted to finish it from
 * csum_start.  Encapsulated as it is, a NIC still finishes it, but a veth
 * or a VM's virtio link hands it on unfinished, and a peer that reads its
 * L2TP data from a UDP socket (every user-space LAC or client) gets an
 * inner segment with a wrong checksum.  So the program finishes it itself
 * and then takes away the "finish me" mark, which no helper can clear
 * directly: a header pull past csum_start makes the kernel drop it
 * (skb_postpull_rcsum: CHECKSUM_PARTIAL with csum_start before the data
 * becomes CHECKSUM_NONE), so the packet's first bytes are saved, pulled
 * off, and pushed back with the outer headers.
 */

/* How many bytes of an inner packet (IPv4 header of 20 octets) are
 * pulled off and put back: past csum_start (l2 + 20) by one. */
#define CSUM_PULL(l2)	((l2) + 21)
/* The same past a fixed IPv6 header (40 octets). */
#define CSUM_PULL6(l2)	((l2) + IPV6_HLEN + 1)
/* CSUM_CHUNK, CSUM_MAX_CHUNKS: with fp_scratch above. */

/*
 * Is the packet CHECKSUM_PARTIAL?  __sk_buff does not say, but
 * bpf_l4_csum_replace() without BPF_F_PSEUDO_HDR changes the field of a
 * finished checksum and leaves a partial one alone: nudge it and look,
 * then put the original back.  1 partial, 0 not, -1 a helper failed
 * (nothing changed, or the original is back).
 */
static __always_inline int
csum_is_partial(struct __sk_buff *skb, __u32 field)
{
	__u16 before, after;

	if (bpf_skb_load_bytes(skb, field, &before, 2) != 0 ||
	    bpf_l4_csum_replace(skb, field, 0, 1, 2) != 0)
		return -1;
	if (bpf_skb_load_bytes(skb, field, &after, 2) != 0)
		return -1;
	if (after == before)
		return 1;
	if (bpf_skb_store_bytes(skb, field, &before, 2, 0) != 0)
		return -1;
	return 0;
}

/*
 * The finished checksum of the L4 segment at `off`, `len` octets long,
 * whose checksum field holds the folded pseudo-header sum (RFC 793 §3.1,
 * RFC 768: the one's complement of the one's complement sum): what the
 * kernel's skb_checksum_help() computes.  0 if too long or unreadable.
 */
static __always_inline __u16
csum_finish(struct __sk_buff *skb, __u32 off, __u32 len, __u8 proto)
{
	__u32 zero = 0, *buf = bpf_map_lookup_elem(&fp_scratch, &zero);
	__s64 sum = 0;
	__u32 i, done = 0, rem;
	__u16 c;

	if (buf == 0)
		return 0;

	for (i = 0; i < CSUM_MAX_CHUNKS; i++) {
		if (done + CSUM_CHUNK > len)
			break;
		if (bpf_skb_load_bytes(skb, off + done, buf, CSUM_CHUNK) != 0)
			return 0;
		sum = bpf_csum_diff(0, 0, buf, CSUM_CHUNK, (__u32)sum);
		if (sum < 0)
			return 0;
		done += CSUM_CHUNK;
	}
	rem = len - done;
	if (rem >= CSUM_CHUNK)
		return 0;
	if (rem > 0) {
		/* The odd tail is summed padded with zeroes (RFC 1071). */
		__builtin_memset(buf, 0, CSUM_CHUNK);
		if (bpf_skb_load_bytes(skb, off + done, buf, rem) != 0)
			return 0;
		sum = bpf_csum_diff(0, 0, buf, (rem + 3) & ~3u, (__u32)sum);
		if (sum < 0)
			return 0;
	}
	c = (__u16)~csum_fold((__u32)sum);
	/* RFC 768: a computed UDP checksum of zero goes as all ones. */
	if (c == 0 && proto == IPPROTO_UDP)
		c = 0xffff;
	return c;
}

/* ---- send: IPv4 to a session → L2TP data ---- */

struct encap_hdr {
	struct iphdr	ip;
	struct udphdr	udp;
	__be16		l2tp_flags;
	__be16		tunnel_id;
	__be16		session_id;
	__u8		ppp[4];
};
_Static_assert(__builtin_offsetof(struct encap_hdr, ppp) == OUTER_FIXED,
    "encap_hdr: the headers must be contiguous");

/*
 * The outer headers of e with its ppp_len octets of PPP header, then the
 * inner packet's first n octets as they leave (TTL or hop limit
 * decremented when forwarding), in one store at off, over the room the
 * helper inserted: an skb->csum (CHECKSUM_COMPLETE) must cover all of it,
 * hence the flag.  One helper call where there were up to four (every
 * call counts at a packet rate); the sizes are constants, as the helper
 * wants.
 */
static __always_inline long
store_outer(struct __sk_buff *skb, __u32 off, const struct encap_hdr *e,
    __u32 ppp_len, const __u8 *inner, const __u32 n)
{
	__u8 b[OUTER_FIXED + 4 + 12] __attribute__((aligned(8)));

	__builtin_memcpy(b, e, OUTER_FIXED + 4);
	switch (ppp_len) {
	case 1:
		__builtin_memcpy(b + OUTER_FIXED + 1, inner, n);
		return bpf_skb_store_bytes(skb, off, b, OUTER_FIXED + 1 + n,
		    BPF_F_RECOMPUTE_CSUM);
	case 2:
		__builtin_memcpy(b + OUTER_FIXED + 2, inner, n);
		return bpf_skb_store_bytes(skb, off, b, OUTER_FIXED + 2 + n,
		    BPF_F_RECOMPUTE_CSUM);
	case 3:
		__builtin_memcpy(b + OUTER_FIXED + 3, inner, n);
		return bpf_skb_store_bytes(skb, off, b, OUTER_FIXED + 3 + n,
		    BPF_F_RECOMPUTE_CSUM);
	default:
		__builtin_memcpy(b + OUTER_FIXED + 4, inner, n);
		return bpf_skb_store_bytes(skb, off, b, OUTER_FIXED + 4 + n,
		    BPF_F_RECOMPUTE_CSUM);
	}
}

/* The Ethernet header towards the fib's next hop, the frame IPv4 (the
 * outer packet); the link header is in no skb->csum. */
static __always_inline long
store_eth(struct __sk_buff *skb, const struct bpf_fib_lookup *fib)
{
	struct ethhdr eth;

	__builtin_memcpy(eth.h_dest, fib->dmac, ETH_ALEN);
	__builtin_memcpy(eth.h_source, fib->smac, ETH_ALEN);
	eth.h_proto = bpf_htons(ETH_P_IP);
	return bpf_skb_store_bytes(skb, 0, &eth, sizeof(eth), 0);
}

/*
 * Encapsulation room for a CHECKSUM_PARTIAL packet whose checksum `c`
 * (field at `field`) is finished: saves the first CSUM_PULL(l2) octets
 * after the link header, pulls them off (which ends CHECKSUM_PARTIAL),
 * writes the checksum, pushes `overhead` plus them back and restores
 * them behind the room.  The packet is not encapsulation-marked: its
 * checksum is complete and it is not GSO.  0: room made; 1: no room (the
 * packet is whole again, with its checksum complete, for the stack); -1:
 * broken mid-way.
 */
static __always_inline int
grow_finished(struct __sk_buff *skb, const __u32 l2, const __u32 pull,
    __u32 overhead, __u32 field, __u16 c)
{
	__u8 save[CSUM_PULL6(ETH_HLEN)];

	if (bpf_skb_load_bytes(skb, l2, save, pull) != 0)
		return 1;
	if (bpf_skb_adjust_room(skb, -(__s32)pull, BPF_ADJ_ROOM_MAC, 0) != 0)
		return 1;	/* nothing changed: still partial, untouched */
	if (field < l2 + pull) {
		if (field - l2 > pull - 2)
			return -1;
		__builtin_memcpy(&save[field - l2], &c, 2);
	} else if (bpf_skb_store_bytes(skb, field - pull, &c, 2, 0) != 0) {
		return -1;
	}
	if (bpf_skb_adjust_room(skb, (__s32)(overhead + pull),
	    BPF_ADJ_ROOM_MAC, 0) == 0) {
		if (bpf_skb_store_bytes(skb, l2 + overhead, save, pull, 0) != 0)
			return -1;
		return 0;
	}
	if (bpf_skb_adjust_room(skb, (__s32)pull, BPF_ADJ_ROOM_MAC, 0) != 0 ||
	    bpf_skb_store_bytes(skb, l2, save, pull, 0) != 0)
		return -1;
	return 1;
}

/*
 * `l2` is the offset of the IPv4 header: ETH_HLEN on an Ethernet ingress,
 * 0 on an L3 device's egress.  `route` says the packet has not been routed
 * yet (ingress): TTL is checked and decremented as forwarding does.  `cli`:
 * the device is a client's TUN, whose session is found by the device
 * (fp_cli_tx), not by the packet's destination.
 */
static __always_inline int
encap(struct __sk_buff *skb, const __u32 l2, const int route, const int cli)
{
	struct iphdr in;
	struct encap_hdr e = {};
	struct bpf_fib_lookup fib = {};
	struct fp_tx_key key;
	struct fp_tx_val *tv;
	struct fp_session_stats *st;
	__u32 hl, hdrs, inner_len, ppp_len = 0, overhead, mtu_len, i, pkts,
	    bytes;
	__u64 sum = 0, l2flags;
	__u16 *w, c = 0;
	__u8 tcp_doff, inner12[12];
	__u32 field = 0, eflags;
	int partial = 0, g;
	/* On an ingress our filter runs before vpdn_fp_decap's (one
	 * interface may face both the intranet and the tunnels): a packet
	 * not encapsulated continues down the filter chain as if this one
	 * were not there.  On the TUN's egress it goes to the TUN. */
	const int pass = route ? TC_ACT_UNSPEC : TC_ACT_OK;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return count(FP_TX_PASS_NOT_IP, pass);
	if (cli) {
		__u32 dev = skb->ifindex;

		tv = bpf_map_lookup_elem(&fp_cli_tx, &dev);
	} else {
		if (bpf_skb_load_bytes(skb, l2 + offsetof(struct iphdr, daddr),
		    &key.inner_addr, 4) != 0)
			return count(FP_TX_PASS_NOT_IP, pass);
		tv = bpf_map_lookup_elem(&fp_tx, &key);
	}
	if (tv == 0)
		return count(FP_TX_PASS_NO_SESSION, pass);
	hl = inner_ipv4_ok(skb, l2, &in);
	if (hl == 0 || (route && in.ttl <= 1))
		return count(FP_TX_PASS_INNER, pass);
	inner_len = bpf_ntohs(in.tot_len);

	/* The PPP header as the peer negotiated it (RFC 1661 §6.5, §6.6). */
	switch (tv->flags & (FP_TX_ACFC | FP_TX_PFC)) {
	case 0:
		e.ppp[0] = PPP_ALLSTATIONS;
		e.ppp[1] = PPP_UI;
		e.ppp[3] = PPP_IP;
		ppp_len = 4;
		break;
	case FP_TX_ACFC:
		e.ppp[1] = PPP_IP;
		ppp_len = 2;
		break;
	case FP_TX_PFC:
		e.ppp[0] = PPP_ALLSTATIONS;
		e.ppp[1] = PPP_UI;
		e.ppp[2] = PPP_IP;
		ppp_len = 3;
		break;
	default:
		e.ppp[0] = PPP_IP;
		ppp_len = 1;
		break;
	}
	overhead = OUTER_FIXED + ppp_len;
	if (inner_len + overhead > 0xffff)
		return count(FP_TX_PASS_TOO_BIG, pass);

	/* The size each packet leaves with.  A GSO packet is cut into
	 * segments after encapsulation; bpf_skb_adjust_room lowers gso_size
	 * by the overhead, so each outer segment is as long as an inner
	 * segment was (IPv4 + TCP headers + the original gso_size).  Only TCP
	 * GSO is carried (the L2TP header is copied into every segment, which
	 * is right only because it has no L or S bit). */
	mtu_len = inner_len + overhead;
	gso_tally(inner_len, 0, 0, &pkts, &bytes);
	if (skb->gso_size != 0) {
		if (in.protocol != IPPROTO_TCP || skb->gso_size <= overhead ||
		    bpf_skb_load_bytes(skb, l2 + hl + 12, &tcp_doff, 1) != 0)
			return count(FP_TX_PASS_GSO, pass);
		hdrs = hl + (__u32)(tcp_doff >> 4) * 4;
		mtu_len = hdrs + skb->gso_size;
		/* Counted as the segments it leaves as, whose payload the
		 * helper lowers by the overhead. */
		gso_tally(inner_len, hdrs, skb->gso_size - overhead, &pkts,
		    &bytes);
	}

	/* The session's own MTU (the route into its TUN: LNS mtu, RADIUS
	 * Framed-MTU): over it, the user path's route answers DF packets
	 * with ICMP Fragmentation Needed (RFC 1191), so the fast path must
	 * not carry what the user path would refuse. */
	if (tv->mtu != 0 && mtu_len - overhead > bpf_ntohs(tv->mtu))
		return count(FP_TX_PASS_TOO_BIG, pass);

	fib.family = AF_INET;
	fib.l4_protocol = IPPROTO_UDP;
	fib.tot_len = (__u16)mtu_len;
	fib.ipv4_src = tv->local_addr;
	fib.ipv4_dst = tv->peer_addr;
	fib.ifindex = skb->ifindex;
	switch (bpf_fib_lookup(skb, &fib, sizeof(fib), 0)) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		break;
	case BPF_FIB_LKUP_RET_FRAG_NEEDED:
		/* Too big once encapsulated: the user path has the answer
		 * (ICMP Fragmentation Needed, RFC 1191, or fragmenting),
		 * and gets the packet through the stack's route to the
		 * session's TUN. */
		return count(FP_TX_PASS_TOO_BIG, pass);
	default:
		return count(FP_TX_PASS_ROUTE, pass);
	}
	eflags = egress_flags(fib.ifindex);
	if (eflags == 0)
		return count(FP_TX_PASS_ROUTE, pass);
	if (skb->gso_size != 0 && (eflags & FP_EGRESS_NO_GSO))
		return count(FP_TX_PASS_GSO, pass);

	/* A non-GSO TCP or UDP packet may be CHECKSUM_PARTIAL (see
	 * csum_is_partial); a GSO one keeps csum_start and offset right
	 * through the encapsulation flags below, and segmentation finishes
	 * each segment.  A UDP checksum of zero is none (RFC 768). */
	if (skb->gso_size == 0 &&
	    (in.frag_off & bpf_htons(IP_MF | IP_OFFMASK)) == 0) {
		if (in.protocol == IPPROTO_TCP)
			field = l2 + hl + 16;
		else if (in.protocol == IPPROTO_UDP)
			field = l2 + hl + 6;
	}
	/* A packet its receiving device vouched for (CHECKSUM_UNNECESSARY:
	 * from a NIC or a veth that verified it) is not partial: spare it
	 * csum_is_partial's four helper calls. */
	if (field != 0 && bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY) >= 0)
		field = 0;
	if (field != 0 && in.protocol == IPPROTO_UDP) {
		__u16 f;

		if (bpf_skb_load_bytes(skb, field, &f, 2) != 0)
			return count(FP_PASS_HELPER, pass);
		if (f == 0)
			field = 0;
	}
	if (field != 0 && (partial = csum_is_partial(skb, field)) < 0)
		return count(FP_PASS_HELPER, pass);
	if (partial) {
		/* What cannot be finished here the stack finishes on its
		 * way to the TUN (which has no checksum offload). */
		if (hl != 20 || inner_len < CSUM_PULL(l2) + 20)
			return count(FP_TX_PASS_INNER, pass);
		c = csum_finish(skb, l2 + hl, inner_len - hl, in.protocol);
		if (c == 0)
			return count(FP_TX_PASS_INNER, pass);
	}

	/* Outer IPv4: DF set and ID 0 as the kernel sends a UDP socket's
	 * datagrams under path MTU discovery (RFC 6864 §4.1: the ID of an
	 * atomic datagram has no meaning); TTL 64; checksum below. */
	e.ip.version = 4;
	e.ip.ihl = 5;
	e.ip.tot_len = bpf_htons((__u16)(inner_len + overhead));
	e.ip.frag_off = bpf_htons(IP_DF);
	e.ip.ttl = 64;
	e.ip.protocol = IPPROTO_UDP;
	e.ip.saddr = tv->local_addr;
	e.ip.daddr = tv->peer_addr;
	w = (__u16 *)&e.ip;
#pragma unroll
	for (i = 0; i < 10; i++)
		sum += w[i];
	e.ip.check = (__u16)~csum_fold(sum);
	/* UDP checksum 0: "no checksum" is allowed over IPv4 (RFC 768);
	 * the inner packet carries its own.  Segmentation fixes the length
	 * of each GSO segment. */
	e.udp.source = tv->local_port;
	e.udp.dest = tv->peer_port;
	e.udp.len = bpf_htons((__u16)(inner_len + overhead - 20));
	/* RFC 2661 §3.1: T=0, no L, S, O or P; the peer's IDs ("Tunnel ID
	 * ... of the intended recipient"). */
	e.l2tp_flags = bpf_htons(L2TP_VER);
	e.tunnel_id = tv->peer_tunnel_id;
	e.session_id = tv->peer_session_id;

	/* The session's rate plan, downstream (policer.h). */
	switch (fp_police_check(&tv->stats_key, 0, bytes)) {
	case FP_POLICE_PASS:
		break;
	case FP_POLICE_DROP:
		return TC_ACT_SHOT;
	default:
		return count(FP_TX_PASS_TOO_BIG, pass);
	}
	st = bpf_map_lookup_elem(&fp_stats, &tv->stats_key);
	l2flags = BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP |
	    BPF_F_ADJ_ROOM_ENCAP_L2(6 + ppp_len);
	if (partial) {
		g = grow_finished(skb, l2, CSUM_PULL(l2), overhead, field, c);
		if (g < 0)
			return count(FP_DROP_HELPER, TC_ACT_SHOT);
		count(FP_TX_CSUM_DONE, 0);
		if (g > 0)
			return count(FP_PASS_HELPER, pass);
	} else if (bpf_skb_adjust_room(skb, (__s32)overhead, BPF_ADJ_ROOM_MAC,
	    l2flags) != 0) {
		return count(FP_PASS_HELPER, pass);
	}
	/* From here the packet is ours to send or to drop.  Forwarding
	 * decrements the inner TTL (RFC 1812 §5.3.1). */
	if (route)
		ipv4_fwd_prefix(&in, inner12);
	else
		__builtin_memcpy(inner12, &in, 12);
	if (store_outer(skb, l2, &e, ppp_len, inner12, 12) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	/* An L3 device's packet has no link header: give it one (the helper
	 * sets the MAC header offset, so the redirect to an Ethernet device
	 * sees a well-formed frame). */
	if (l2 == 0 && bpf_skb_change_head(skb, ETH_HLEN, 0) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	if (store_eth(skb, &fib) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	if (st != 0) {
		st->tx_packets += pkts;
		st->tx_bytes += bytes;
	}
	count(FP_TX_ENCAP, 0);
	return (int)bpf_redirect(fib.ifindex, 0);
}

/*
 * The same for an IPv6 packet to a session's /64 or delegated prefix
 * (fp_tx6), PPP protocol 0x0057 (RFC 5072 §3).  The outer packet is IPv4
 * as for IPv4 data.  Too big for the session (its TUN's MTU) or for the
 * path goes to the stack, whose route into the TUN answers with ICMPv6
 * Packet Too Big (RFC 4443 §3.2, RFC 8201) as on the user path.
 */
static __always_inline int
encap6(struct __sk_buff *skb, const __u32 l2, const int route)
{
	struct ip6_fixed in;
	struct encap_hdr e = {};
	struct bpf_fib_lookup fib = {};
	struct fp_tx6_key key;
	struct fp_tx_val *tv;
	struct fp_session_stats *st;
	__u32 inner_len, hdrs, ppp_len = 0, overhead, mtu_len, i, pkts, bytes;
	__u64 sum = 0, l2flags;
	__u16 *w, c = 0;
	__u8 tcp_doff, inner8[8];
	__u32 field = 0, eflags;
	int partial = 0, g;
	const int pass = route ? TC_ACT_UNSPEC : TC_ACT_OK;

	if (bpf_skb_load_bytes(skb, l2, &in, sizeof(in)) != 0 ||
	    (in.vtc >> 4) != 6)
		return count(FP_TX_PASS_NOT_IP, pass);
	key.prefixlen = 128;
	__builtin_memcpy(key.addr, in.daddr, 16);
	tv = bpf_map_lookup_elem(&fp_tx6, &key);
	if (tv == 0)
		return count(FP_TX_PASS_NO_SESSION6, pass);
	inner_len = IPV6_HLEN + bpf_ntohs(in.payload_len);
	if ((__u64)l2 + inner_len != skb->len ||
	    (route && in.hop_limit <= 1))
		return count(FP_TX_PASS_INNER, pass);

	switch (tv->flags & (FP_TX_ACFC | FP_TX_PFC)) {
	case 0:
		e.ppp[0] = PPP_ALLSTATIONS;
		e.ppp[1] = PPP_UI;
		e.ppp[3] = PPP_IPV6;
		ppp_len = 4;
		break;
	case FP_TX_ACFC:
		e.ppp[1] = PPP_IPV6;
		ppp_len = 2;
		break;
	case FP_TX_PFC:
		e.ppp[0] = PPP_ALLSTATIONS;
		e.ppp[1] = PPP_UI;
		e.ppp[2] = PPP_IPV6;
		ppp_len = 3;
		break;
	default:
		e.ppp[0] = PPP_IPV6;
		ppp_len = 1;
		break;
	}
	overhead = OUTER_FIXED + ppp_len;
	if (inner_len + overhead > 0xffff)
		return count(FP_TX_PASS_TOO_BIG, pass);
	/* As for IPv4: only TCP GSO, directly after the fixed header. */
	mtu_len = inner_len + overhead;
	gso_tally(inner_len, 0, 0, &pkts, &bytes);
	if (skb->gso_size != 0) {
		if (in.nexthdr != IPPROTO_TCP || skb->gso_size <= overhead ||
		    bpf_skb_load_bytes(skb, l2 + IPV6_HLEN + 12, &tcp_doff,
		    1) != 0)
			return count(FP_TX_PASS_GSO, pass);
		hdrs = IPV6_HLEN + (__u32)(tcp_doff >> 4) * 4;
		mtu_len = hdrs + skb->gso_size;
		gso_tally(inner_len, hdrs, skb->gso_size - overhead, &pkts,
		    &bytes);
	}
	if (tv->mtu != 0 && mtu_len - overhead > bpf_ntohs(tv->mtu))
		return count(FP_TX_PASS_TOO_BIG, pass);

	fib.family = AF_INET;
	fib.l4_protocol = IPPROTO_UDP;
	fib.tot_len = (__u16)mtu_len;
	fib.ipv4_src = tv->local_addr;
	fib.ipv4_dst = tv->peer_addr;
	fib.ifindex = skb->ifindex;
	switch (bpf_fib_lookup(skb, &fib, sizeof(fib), 0)) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		break;
	case BPF_FIB_LKUP_RET_FRAG_NEEDED:
		return count(FP_TX_PASS_TOO_BIG, pass);
	default:
		return count(FP_TX_PASS_ROUTE, pass);
	}
	eflags = egress_flags(fib.ifindex);
	if (eflags == 0)
		return count(FP_TX_PASS_ROUTE, pass);
	if (skb->gso_size != 0 && (eflags & FP_EGRESS_NO_GSO))
		return count(FP_TX_PASS_GSO, pass);

	/* CHECKSUM_PARTIAL as for IPv4 (see csum_is_partial).  The IPv6
	 * pseudo-header sum (RFC 8200 §8.1) is already in the field. */
	if (skb->gso_size == 0) {
		if (in.nexthdr == IPPROTO_TCP)
			field = l2 + IPV6_HLEN + 16;
		else if (in.nexthdr == IPPROTO_UDP)
			field = l2 + IPV6_HLEN + 6;
	}
	/* Vouched for by its receiving device: not partial (see encap). */
	if (field != 0 && bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY) >= 0)
		field = 0;
	if (field != 0 && (partial = csum_is_partial(skb, field)) < 0)
		return count(FP_PASS_HELPER, pass);
	if (partial) {
		if (inner_len < CSUM_PULL6(l2) + 20)
			return count(FP_TX_PASS_INNER, pass);
		c = csum_finish(skb, l2 + IPV6_HLEN, inner_len - IPV6_HLEN,
		    in.nexthdr);
		if (c == 0)
			return count(FP_TX_PASS_INNER, pass);
	}

	e.ip.version = 4;
	e.ip.ihl = 5;
	e.ip.tot_len = bpf_htons((__u16)(inner_len + overhead));
	e.ip.frag_off = bpf_htons(IP_DF);
	e.ip.ttl = 64;
	e.ip.protocol = IPPROTO_UDP;
	e.ip.saddr = tv->local_addr;
	e.ip.daddr = tv->peer_addr;
	w = (__u16 *)&e.ip;
#pragma unroll
	for (i = 0; i < 10; i++)
		sum += w[i];
	e.ip.check = (__u16)~csum_fold(sum);
	e.udp.source = tv->local_port;
	e.udp.dest = tv->peer_port;
	e.udp.len = bpf_htons((__u16)(inner_len + overhead - 20));
	e.l2tp_flags = bpf_htons(L2TP_VER);
	e.tunnel_id = tv->peer_tunnel_id;
	e.session_id = tv->peer_session_id;

	/* The session's rate plan counts its IPv6 too (policer.h). */
	switch (fp_police_check(&tv->stats_key, 0, bytes)) {
	case FP_POLICE_PASS:
		break;
	case FP_POLICE_DROP:
		return TC_ACT_SHOT;
	default:
		return count(FP_TX_PASS_TOO_BIG, pass);
	}
	st = bpf_map_lookup_elem(&fp_stats, &tv->stats_key);
	/* The outer header is IPv4: the helper sets skb->protocol so. */
	l2flags = BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP |
	    BPF_F_ADJ_ROOM_ENCAP_L2(6 + ppp_len);
	if (partial) {
		g = grow_finished(skb, l2, CSUM_PULL6(l2), overhead, field, c);
		if (g < 0)
			return count(FP_DROP_HELPER, TC_ACT_SHOT);
		count(FP_TX_CSUM_DONE, 0);
		if (g > 0)
			return count(FP_PASS_HELPER, pass);
	} else if (bpf_skb_adjust_room(skb, (__s32)overhead, BPF_ADJ_ROOM_MAC,
	    l2flags) != 0) {
		return count(FP_PASS_HELPER, pass);
	}
	/* Forwarding decrements the hop limit (RFC 8200 §3), the last of
	 * the fixed header's first 8 octets. */
	__builtin_memcpy(inner8, &in, 8);
	if (route)
		inner8[7] = in.hop_limit - 1;
	if (store_outer(skb, l2, &e, ppp_len, inner8, 8) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	if (l2 == 0 && bpf_skb_change_head(skb, ETH_HLEN, 0) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	/* The frame is IPv4 now (the inner EtherType was IPv6). */
	if (store_eth(skb, &fib) != 0)
		return count(FP_DROP_HELPER, TC_ACT_SHOT);
	if (st != 0) {
		st->tx_packets += pkts;
		st->tx_bytes += bytes;
	}
	count(FP_TX_ENCAP6, 0);
	return (int)bpf_redirect(fib.ifindex, 0);
}

SEC("tc")
int
vpdn_fp_encap(struct __sk_buff *skb)
{
	if (skb->protocol == bpf_htons(ETH_P_IPV6))
		return encap6(skb, ETH_HLEN, 1);
	return encap(skb, ETH_HLEN, 1, 0);
}

SEC("tc")
int
vpdn_fp_enc_l3(struct __sk_buff *skb)
{
	if (skb->protocol == bpf_htons(ETH_P_IPV6))
		return encap6(skb, 0, 0);
	return encap(skb, 0, 0, 0);
}

/* A client's IPv6 stays on the user path (FP_RX_CLI): to the TUN. */
SEC("tc")
int
vpdn_fp_cli_enc(struct __sk_buff *skb)
{
	return encap(skb, 0, 0, 1);
}

/* GPL-compatible for the kernel (bpf_fib_lookup and others are GPL-only
 * helpers) without putting the rest of vpdn under the GPL. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
