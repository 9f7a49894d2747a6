/*
 * lac_fastpath.bpf.c — the LAC's kernel fast path: one TC (clsact, direct
 * action) ingress program that relays an established call's PPP data
 * between its PPPoE session and its L2TP session without the kernel's PPP,
 * PPPoE or L2TP modules.
 *
 *   vpdn_lac_fp   attached to the ingress of the access interface and of
 *                 the LNS-facing one (the same program: it tells the
 *                 directions apart by EtherType, and an interface may be
 *                 both):
 *     0x8864      a PPPoE session frame (RFC 2516 §4) of a call in lfp_up
 *                 carrying IPv4 or IPv6 becomes an L2TP data message to the
 *                 LNS (RFC 2661 §3.1 compact header, Address and Control
 *                 FF 03 as the user path sends it);
 *     IPv4        an L2TP data message from the LNS for a call in lfp_down
 *                 carrying IPv4 or IPv6 becomes a PPPoE session frame to
 *                 the user.
 *
 * Everything else — Discovery (0x8863, PADT), LCP, authentication, NCPs,
 * control messages, sequenced data, unknown calls, oversize frames — goes
 * on unchanged with TC_ACT_UNSPEC: the next filter on the hook runs (the
 * LNS's vpdn_fp_decap, attached at a later priority when both roles run),
 * then the stack, so the LAC's state machines see what they saw before.
 * Every decision is taken before the frame changes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lac_fastpath_maps.h"

#ifndef AF_INET
#define AF_INET 2
#endif

#define ETH_P_PPPOE_SES 0x8864 /* RFC 2516 §4 */
#define PPPOE_VER_TYPE	0x11   /* RFC 2516 §4: VER 1, TYPE 1 */
#define PPPOE_HLEN	6
#define ETH_ZLEN	60 /* the shortest frame: shorter ones are padded */

/* RFC 2661 §3.1 header bits (the first octet holds T L x x S x O P). */
#define L2TP_T	      0x8000
#define L2TP_L	      0x4000
#define L2TP_S	      0x0800
#define L2TP_O	      0x0200
#define L2TP_VER_MASK 0x000f
#define L2TP_VER      2

#define PPP_IP		0x0021 /* RFC 1332 §2 */
#define PPP_IPV6	0x0057 /* RFC 5072 §2 */
#define PPP_ALLSTATIONS 0xff   /* RFC 1662 §3.1 */
#define PPP_UI		0x03

#define IP_DF	   0x4000
#define IP_MF	   0x2000
#define IP_OFFMASK 0x1fff

/* The L2TP frame built in front of the PPP protocol field: Ethernet,
 * IPv4 (no options), UDP, the compact L2TP header and FF 03. */
#define UP_HDR	 (14 + 20 + 8 + 6 + 2)
/* What it replaces: Ethernet and PPPoE. */
#define UP_OLD	 (14 + PPPOE_HLEN)
#define UP_GROW	 (UP_HDR - UP_OLD)

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* the loader sets the real size */
	__type(key, struct lfp_up_key);
	__type(value, struct lfp_up_val);
} lfp_up SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct lfp_l2tp_key);
	__type(value, struct lfp_down_val);
} lfp_down SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct lfp_l2tp_key);
	__type(value, struct lfp_stats);
} lfp_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LFP_COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lfp_global SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);   /* ifindex */
	__type(value, __u32); /* unused, 1 */
} lfp_egress SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lfp_owner);
} lfp_owner SEC(".maps");

static __always_inline int
count(__u32 c, int verdict)
{
	__u64 *v = bpf_map_lookup_elem(&lfp_global, &c);

	if (v != 0)
		*v += 1;
	return verdict;
}

static __always_inline int
pass(__u32 c)
{
	return count(c, TC_ACT_UNSPEC);
}

static __always_inline int
data_proto(__u16 proto)
{
	return proto == PPP_IP || proto == PPP_IPV6;
}

static __always_inline int
mac_equal(const __u8 *a, const __u8 *b)
{
	int i, d = 0;

#pragma unroll
	for (i = 0; i < ETH_ALEN; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/* ---- user → LNS: PPPoE session frame → L2TP data message ---- */

struct pppoe_frame {
	struct ethhdr eth;
	__u8 ver_type;
	__u8 code;
	__be16 session_id;
	__be16 length;
	__be16 proto;
} __attribute__((packed));

struct up_hdr {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__be16 l2tp_flags;
	__be16 tunnel_id;
	__be16 session_id;
	__u8 addr, ctrl;
} __attribute__((packed));
_Static_assert(sizeof(struct up_hdr) == UP_HDR, "up_hdr: contiguous");

static __always_inline __u16
csum_fold(__u64 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/*
 * bpf_redirect_neigh sends only what the skb says is IPv4 or IPv6
 * (skb->protocol), and a TC program cannot write skb->protocol: the skb
 * still says PPPoE after the frame became IPv4.  Pushing two VLAN tags
 * (the second puts the first into the frame, so the skb says VLAN) and
 * popping both (taking the in-frame tag out sets skb->protocol to the
 * EtherType behind it, our 0x0800) leaves the frame as it was and the skb
 * saying IPv4.  0, or -1 when a helper failed or the skb still is not IPv4.
 */
static __always_inline int
as_ipv4(struct __sk_buff *skb)
{
	if (bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 0) != 0 ||
	    bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 0) != 0 ||
	    bpf_skb_vlan_pop(skb) != 0 || bpf_skb_vlan_pop(skb) != 0)
		return -1;
	if (skb->protocol != bpf_htons(ETH_P_IP) || skb->vlan_present)
		return -1;
	return 0;
}

static __always_inline int
upstream(struct __sk_buff *skb)
{
	struct pppoe_frame f;
	struct up_hdr h = {};
	struct iphdr ip = {};
	struct bpf_fib_lookup fib = {};
	struct lfp_up_key key = {};
	struct lfp_up_val *uv;
	struct lfp_stats *st;
	__u32 ppp_len, frame_len, out_len, i, mtu_len;
	__u64 sum = 0;
	int via_neigh = 0;
	__u16 *w;

	if (bpf_skb_load_bytes(skb, 0, &f, sizeof(f)) != 0)
		return pass(LFP_UP_PASS_MALFORMED);
	key.ifindex = skb->ifindex;
	key.session_id = f.session_id;
	__builtin_memcpy(key.mac, f.eth.h_source, ETH_ALEN);
	uv = bpf_map_lookup_elem(&lfp_up, &key);
	if (uv == 0)
		return pass(LFP_UP_PASS_NO_SESSION);
	if (!mac_equal(f.eth.h_dest, uv->our_mac))
		return pass(LFP_UP_PASS_WRONG_MAC);
	/* RFC 2516 §4: VER and TYPE 1; CODE 0 in session frames; LENGTH
	 * the payload's.  A shorter frame than LENGTH says is truncated;
	 * a longer one only as the Ethernet minimum pads it (the padding
	 * is trimmed off below, as the user path ignores it). */
	ppp_len = bpf_ntohs(f.length);
	frame_len = UP_OLD + ppp_len;
	if (f.ver_type != PPPOE_VER_TYPE || f.code != 0 || ppp_len < 2 ||
	    frame_len > skb->len ||
	    (frame_len < skb->len && skb->len > ETH_ZLEN))
		return pass(LFP_UP_PASS_MALFORMED);
	/* Only data: LCP (the user's Terminate-Request ends the call's
	 * accounting), authentication and the NCPs stay with the daemon,
	 * as does a one-octet (PFC) protocol (RFC 1661 §6.5). */
	if (!data_proto(bpf_ntohs(f.proto)))
		return pass(LFP_UP_PASS_PPP);
	if (ppp_len - 2 > bpf_ntohs(uv->max_ppp))
		return pass(LFP_UP_PASS_TOO_BIG);
	if (skb->gso_size != 0)
		return pass(LFP_UP_PASS_GSO);

	out_len = UP_HDR - 14 + ppp_len; /* the outer IPv4 datagram */
	fib.family = AF_INET;
	fib.l4_protocol = IPPROTO_UDP;
	fib.tot_len = (__u16)out_len;
	fib.ipv4_src = uv->local_addr;
	fib.ipv4_dst = uv->peer_addr;
	fib.ifindex = skb->ifindex;
	switch (bpf_fib_lookup(skb, &fib, sizeof(fib), 0)) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		break;
	case BPF_FIB_LKUP_RET_FRAG_NEEDED:
		/* The user path's socket fragments it (DF is not set on
		 * its datagrams): the daemon gets it. */
		return pass(LFP_UP_PASS_TOO_BIG);
	case BPF_FIB_LKUP_RET_FWD_DISABLED:
		/* The lookup refuses whenever IPv4 forwarding is off on
		 * the device it is asked about, input or (with
		 * BPF_FIB_LOOKUP_OUTPUT) output alike; a LAC forwards
		 * nothing, it sends its own datagrams, so it needs no
		 * forwarding: the kernel's output route instead. */
		via_neigh = 1;
		fib.ifindex = uv->egress_ifindex;
		mtu_len = out_len;
		if (bpf_check_mtu(skb, fib.ifindex, &mtu_len, 0, 0) != 0)
			return pass(LFP_UP_PASS_TOO_BIG);
		break;
	default:
		return pass(LFP_UP_PASS_ROUTE);
	}
	if (bpf_map_lookup_elem(&lfp_egress, &fib.ifindex) == 0)
		return pass(LFP_UP_PASS_ROUTE);

	__builtin_memcpy(h.eth.h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(h.eth.h_source, fib.smac, ETH_ALEN);
	h.eth.h_proto = bpf_htons(ETH_P_IP);
	/* Outer IPv4 as the kernel sends a UDP socket's datagram under
	 * path MTU discovery: DF, ID 0 (RFC 6864 §4.1), TTL 64. */
	ip.version = 4;
	ip.ihl = 5;
	ip.tot_len = bpf_htons((__u16)out_len);
	ip.frag_off = bpf_htons(IP_DF);
	ip.ttl = 64;
	ip.protocol = IPPROTO_UDP;
	ip.saddr = uv->local_addr;
	ip.daddr = uv->peer_addr;
	w = (__u16 *)&ip;
#pragma unroll
	for (i = 0; i < 10; i++)
		sum += w[i];
	ip.check = (__u16)~csum_fold(sum);
	__builtin_memcpy(&h.ip, &ip, sizeof(ip));
	/* UDP checksum 0, "no checksum" over IPv4 (RFC 768), as the LNS's
	 * fast path sends: the PPP payload carries its own. */
	h.udp.source = uv->local_port;
	h.udp.dest = uv->peer_port;
	h.udp.len = bpf_htons((__u16)(out_len - 20));
	/* RFC 2661 §3.1: T=0, no L, S, O or P; the peer's IDs.  FF 03: the
	 * user path adds them for every LNS (PPPoE has none, RFC 2516 §7). */
	h.l2tp_flags = bpf_htons(L2TP_VER);
	h.tunnel_id = uv->peer_tunnel_id;
	h.session_id = uv->peer_session_id;
	h.addr = PPP_ALLSTATIONS;
	h.ctrl = PPP_UI;

	st = bpf_map_lookup_elem(&lfp_stats, &uv->stats_key);
	/* Ethernet padding off first (nothing of the frame it keeps
	 * changes); then room in front.  bpf_skb_adjust_room wants an IP
	 * skb, so the room is made at the head and the whole header,
	 * Ethernet included, written anew over it and the old headers. */
	if (frame_len < skb->len &&
	    bpf_skb_change_tail(skb, frame_len, 0) != 0)
		return pass(LFP_PASS_HELPER);
	if (bpf_skb_change_head(skb, UP_GROW, 0) != 0)
		return pass(LFP_PASS_HELPER);
	if (bpf_skb_store_bytes(skb, 0, &h, sizeof(h),
		BPF_F_RECOMPUTE_CSUM) != 0)
		return count(LFP_DROP_HELPER, TC_ACT_SHOT);
	if (st != 0) {
		st->up_packets++;
		st->up_bytes += ppp_len;
	}
	if (via_neigh) {
		if (as_ipv4(skb) != 0)
			return count(LFP_DROP_HELPER, TC_ACT_SHOT);
		count(LFP_UP_ENCAP, 0);
		/* The route and the next hop's MAC as for a datagram this
		 * host sends out of the tunnel's interface (no forwarding
		 * asked), with the MACs written above replaced. */
		return (int)bpf_redirect_neigh(fib.ifindex, 0, 0, 0);
	}
	count(LFP_UP_ENCAP, 0);
	return (int)bpf_redirect(fib.ifindex, 0);
}

/* ---- LNS → user: L2TP data message → PPPoE session frame ---- */

struct l2tp_frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__be16 l2tp_flags;
} __attribute__((packed));

struct down_hdr {
	struct ethhdr eth;
	__u8 ver_type;
	__u8 code;
	__be16 session_id;
	__be16 length;
} __attribute__((packed));

static __always_inline int
downstream(struct __sk_buff *skb)
{
	struct l2tp_frame h;
	struct down_hdr d;
	struct lfp_l2tp_key key;
	struct lfp_down_val *dv;
	struct lfp_stats *st;
	__u16 flags, len_field = 0, pad, proto;
	__u8 ppp[4];
	__u32 off, udp_len, ppp_len;

	if (bpf_skb_load_bytes(skb, 0, &h, sizeof(h)) != 0)
		return pass(LFP_DOWN_PASS_NOT_L2TP);
	/* Plain IPv4, unfragmented (the stack reassembles), UDP, exactly as
	 * long as the frame. */
	if (h.ip.version != 4 || h.ip.ihl != 5 ||
	    h.ip.protocol != IPPROTO_UDP ||
	    (h.ip.frag_off & bpf_htons(IP_MF | IP_OFFMASK)) != 0 ||
	    (__u64)bpf_ntohs(h.ip.tot_len) + ETH_HLEN != skb->len)
		return pass(LFP_DOWN_PASS_NOT_L2TP);
	udp_len = bpf_ntohs(h.udp.len);
	if (udp_len != bpf_ntohs(h.ip.tot_len) - 20)
		return pass(LFP_DOWN_PASS_NOT_L2TP);
	flags = bpf_ntohs(h.l2tp_flags);
	if ((flags & L2TP_VER_MASK) != L2TP_VER)
		return pass(LFP_DOWN_PASS_NOT_L2TP);
	if (flags & L2TP_T)
		return pass(LFP_DOWN_PASS_CONTROL);
	/* §5.4: sequenced data needs the user path's Ns/Nr state. */
	if (flags & L2TP_S)
		return pass(LFP_DOWN_PASS_SEQ);
	off = sizeof(h);
	if (flags & L2TP_L) {
		if (bpf_skb_load_bytes(skb, off, &len_field, 2) != 0 ||
		    bpf_ntohs(len_field) != udp_len - 8)
			return pass(LFP_DOWN_PASS_MALFORMED);
		off += 2;
	}
	if (bpf_skb_load_bytes(skb, off, &key, sizeof(key)) != 0)
		return pass(LFP_DOWN_PASS_MALFORMED);
	off += 4;
	dv = bpf_map_lookup_elem(&lfp_down, &key);
	if (dv == 0)
		return pass(LFP_DOWN_PASS_NO_SESSION);
	if (h.ip.saddr != dv->peer_addr || h.udp.source != dv->peer_port ||
	    h.ip.daddr != dv->local_addr || h.udp.dest != dv->local_port)
		return pass(LFP_DOWN_PASS_WRONG_PEER);
	if (skb->gso_size != 0)
		return pass(LFP_DOWN_PASS_GSO);
	if (flags & L2TP_O) {
		/* §3.1: the header ends after the offset padding. */
		if (bpf_skb_load_bytes(skb, off, &pad, 2) != 0)
			return pass(LFP_DOWN_PASS_MALFORMED);
		pad = bpf_ntohs(pad);
		if (pad > LFP_MAX_OFFSET_PAD)
			return pass(LFP_DOWN_PASS_MALFORMED);
		off += 2 + pad;
	}
	/* The user path (pppoe_server_send) drops a leading FF 03 and
	 * relays the rest; a one-octet protocol stays its business. */
	if (bpf_skb_load_bytes(skb, off, ppp, 4) != 0)
		return pass(LFP_DOWN_PASS_MALFORMED);
	if (ppp[0] == PPP_ALLSTATIONS && ppp[1] == PPP_UI) {
		off += 2;
		ppp[0] = ppp[2];
		ppp[1] = ppp[3];
	}
	proto = (__u16)ppp[0] << 8 | ppp[1];
	if (!data_proto(proto))
		return pass(LFP_DOWN_PASS_PPP);
	/* off < 14 + 20 + 8 + 12 + LFP_MAX_OFFSET_PAD + 2: bounded. */
	if (off + 2 > skb->len)
		return pass(LFP_DOWN_PASS_MALFORMED);
	ppp_len = skb->len - off;
	if (ppp_len - 2 > bpf_ntohs(dv->max_ppp))
		return pass(LFP_DOWN_PASS_TOO_BIG);
	/* bpf_skb_adjust_room keeps at least an IPv4 header's worth after
	 * the link header: smaller frames are the user path's. */
	if (ppp_len + PPPOE_HLEN < sizeof(struct iphdr))
		return pass(LFP_DOWN_PASS_MALFORMED);

	__builtin_memcpy(d.eth.h_dest, dv->user_mac, ETH_ALEN);
	__builtin_memcpy(d.eth.h_source, dv->our_mac, ETH_ALEN);
	d.eth.h_proto = bpf_htons(ETH_P_PPPOE_SES);
	d.ver_type = PPPOE_VER_TYPE;
	d.code = 0;
	d.session_id = dv->pppoe_sid;
	d.length = bpf_htons((__u16)ppp_len);

	st = bpf_map_lookup_elem(&lfp_stats, &key);
	/* Outer IPv4 + UDP + L2TP (+ FF 03) out from behind the Ethernet
	 * header, less the PPPoE header's room. */
	if (bpf_skb_adjust_room(skb, -(__s32)(off - sizeof(d)),
		BPF_ADJ_ROOM_MAC, 0) != 0)
		return pass(LFP_PASS_HELPER);
	if (bpf_skb_store_bytes(skb, 0, &d, sizeof(d),
		BPF_F_RECOMPUTE_CSUM) != 0)
		return count(LFP_DROP_HELPER, TC_ACT_SHOT);
	if (st != 0) {
		st->down_packets++;
		st->down_bytes += ppp_len;
	}
	count(LFP_DOWN_DECAP, 0);
	return (int)bpf_redirect(dv->ifindex, 0);
}

int vpdn_lac_fp(struct __sk_buff *skb);

SEC("tc")
int
vpdn_lac_fp(struct __sk_buff *skb)
{
	/* The LAC serves untagged PPPoE only (no VLAN configuration): a
	 * tagged frame is the stack's, as today. */
	if (skb->vlan_present)
		return pass(LFP_PASS_OTHER);
	if (skb->protocol == bpf_htons(ETH_P_PPPOE_SES))
		return upstream(skb);
	if (skb->protocol == bpf_htons(ETH_P_IP))
		return downstream(skb);
	return pass(LFP_PASS_OTHER);
}

/* GPL-compatible for the kernel (bpf_fib_lookup is GPL-only) without
 * putting the rest of vpdn under the GPL. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
