/*
 * fastpath_maps.h — the maps the kernel fast path shares with user space.
 *
 * Included by the TC programs (fastpath.bpf.c, clang -target bpf) and by the
 * loader (dataplane/fastpath.c), so both sides agree on every byte.  Only
 * <linux/types.h> types: the BPF side has no libc.
 *
 * Every address, port and L2TP ID in a key or value is in network byte order,
 * as it is on the wire: the programs compare and copy them without swapping.
 *
 *   fp_rx      received data (RFC 2661 §3.1: "Tunnel ID ... of the intended
 *              recipient", i.e. OUR IDs) → the peer it must come from, our
 *              address and port it must arrive on, the session's address
 *              (the only inner source accepted) and the PPP header forms
 *              accepted.  Sessions with sequencing (§5.4) are never put here.
 *   fp_tx      sent data, keyed by the session's inner IPv4 address → the
 *              peer's IDs, the tunnel's current peer and local address/port,
 *              the PPP header form the peer negotiated (ACFC, PFC), the
 *              session's MTU.
 *   fp_tx6     sent IPv6 data: an LPM trie keyed by the session's /64 and,
 *              when DHCPv6 delegated one, its delegated prefix (RFC 8415
 *              §6.3) → the same fp_tx_val as fp_tx (mtu: the TUN's).
 *   fp_cli_tx  sent data of a client session (the voluntary tunnel's end),
 *              keyed by the ifindex of its TUN: everything routed into that
 *              TUN is the session's, whatever its destination → the same
 *              fp_tx_val as fp_tx.  Its fp_rx entry has FP_RX_CLI and
 *              the same ifindex, into which received data is delivered.
 *   fp_stats   per-CPU packet and byte counters per session, keyed by OUR IDs
 *              (the fp_rx key; fp_tx values carry it to find the entry).
 *   fp_global  per-CPU counters of what the programs did (enum fp_counter).
 *   fp_egress  interfaces a fast-path packet may be redirected to: Ethernet
 *              devices the loader registered, with FP_EGRESS_* flags.  A
 *              route through anything else (a TUN, another session) leaves
 *              the packet to the stack.
 *   fp_owner   one entry: the PID and start time of the process that loaded
 *              the programs, so that a later run can tell its own dead
 *              predecessor's filters from a live instance's.
 */
#ifndef VPDN_DATAPLANE_BPF_FASTPATH_MAPS_H
#define VPDN_DATAPLANE_BPF_FASTPATH_MAPS_H

#include <linux/types.h>

struct fp_rx_key {
	__be16 tunnel_id;  /* ours */
	__be16 session_id; /* ours */
};

/* fp_rx_val.flags: PPP header forms accepted on receive (RFC 1661 §6.5,
 * §6.6; RFC 1662 §3.2).  A form not accepted goes to user space. */
#define FP_RX_ACFC 0x1 /* Address and Control (FF 03) may be absent */
#define FP_RX_PFC  0x2 /* Protocol may be the one-octet 0x21 */
/* IPv6 (PPP 0x0057, RFC 5072) is carried: prefix6 holds the session's /64
 * and deleg6/deleg6_len its delegated prefix (0: none); the inner source
 * must lie in one of them (the user path's anti-spoofing rule). */
#define FP_RX_IPV6 0x4
/* A client session (voluntary tunnel, RFC 2661 §1.1 "LAC Client"): its
 * data is for this host, not for forwarding.  The inner destination must
 * be inner_src (the address IPCP gave us; the source may be anything),
 * and the packet is delivered into the TUN cli_ifindex as if the user
 * path had written it there.  IPv4 only: IPv6 stays on the user path. */
#define FP_RX_CLI  0x8

struct fp_rx_val {
	__be32 peer_addr;  /* outer source it must come from */
	__be32 local_addr; /* outer destination it must arrive at */
	__be32 inner_src;  /* the session's address (anti-spoofing) */
	__be16 peer_port;
	__be16 local_port;
	__u32 flags;	 /* FP_RX_* */
	__u8 prefix6[8]; /* FP_RX_IPV6: the upper 64 bits of its /64 */
	__u8 deleg6[16]; /* its delegated prefix, bits past deleg6_len 0 */
	__u8 deleg6_len; /* 0: none; else 1..128 */
	__u8 pad6[3];
	__u32 cli_ifindex; /* FP_RX_CLI: the client's TUN */
};

/* fp_tx6 key (BPF_MAP_TYPE_LPM_TRIE: prefix length first, in bits). */
struct fp_tx6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

struct fp_tx_key {
	__be32 inner_addr; /* the session's address: inner destination */
};

/* fp_tx_val.flags: the PPP header form to send, as the peer negotiated. */
#define FP_TX_ACFC 0x1 /* omit Address and Control */
#define FP_TX_PFC  0x2 /* one-octet Protocol */

struct fp_tx_val {
	__be32 peer_addr;  /* outer destination */
	__be32 local_addr; /* outer source */
	__be16 peer_port;
	__be16 local_port;
	__be16 peer_tunnel_id; /* written in the L2TP header */
	__be16 peer_session_id;
	struct fp_rx_key stats_key; /* our IDs: the fp_stats entry */
	__u32 flags;		    /* FP_TX_* */
	__be16 mtu;		    /* largest inner packet the user path sends
				 * (its route's MTU into the TUN); 0: none */
	__u16 pad;
};

/* Per session, per CPU; bytes are those of the inner IP packet, as the
 * user path counts them for accounting. */
struct fp_session_stats {
	__u64 rx_packets; /* decapsulated (user → network) */
	__u64 rx_bytes;
	__u64 tx_packets; /* encapsulated (network → user) */
	__u64 tx_bytes;
};

/* What the programs did with a packet.  FP_RX_* count on the decapsulating
 * program, FP_TX_* on the encapsulating ones; every *_PASS_* packet went on
 * to the stack unchanged (TC_ACT_OK), exactly as without the fast path. */
enum fp_counter {
	FP_RX_DECAP = 0,       /* decapsulated and redirected */
	FP_RX_PASS_NOT_L2TP,   /* not plain IPv4/UDP carrying L2TPv2 */
	FP_RX_PASS_CONTROL,    /* T=1: control message */
	FP_RX_PASS_SEQ,	       /* S=1: sequenced data */
	FP_RX_PASS_MALFORMED,  /* truncated or inconsistent headers */
	FP_RX_PASS_NO_SESSION, /* IDs not in fp_rx */
	FP_RX_PASS_WRONG_PEER, /* outer addresses/ports not the tunnel's */
	FP_RX_PASS_PPP,	       /* not IPv4 (or IPv6 where carried), or a PPP
				* header form not allowed */
	FP_RX_PASS_WRONG_SRC,  /* inner source not the session's address */
	FP_RX_PASS_INNER,  /* inner IPv4 malformed, bad checksum, TTL <= 1 */
	FP_RX_PASS_ROUTE,  /* fib: not forwarded here (local, no neighbour,
				 * unreachable, too big, egress not ours) */
	FP_RX_PASS_GSO,	   /* an aggregate (GSO/GRO) not carried whole */
	FP_TX_ENCAP,	   /* encapsulated and redirected */
	FP_TX_PASS_NOT_IP, /* not IPv4, nor a whole IPv6 header */
	FP_TX_PASS_NO_SESSION, /* destination not in fp_tx */
	FP_TX_PASS_INNER,      /* malformed, bad checksum, TTL <= 1 */
	FP_TX_PASS_TOO_BIG,    /* over the session's MTU, or over the path MTU
				 * once encapsulated */
	FP_TX_PASS_ROUTE,      /* fib: peer not reachable through an fp_egress
				 * interface with a resolved neighbour */
	FP_TX_PASS_GSO,	       /* GSO other than TCP, or towards an
				* FP_EGRESS_NO_GSO interface */
	FP_PASS_HELPER,	       /* a helper refused before anything changed */
	FP_DROP_HELPER,	       /* a helper failed after the packet changed */
	FP_TX_CSUM_DONE,       /* not a verdict: a CHECKSUM_PARTIAL packet's
				* inner TCP/UDP checksum the program finished
				* (the packet then went on as counted above) */
	/* IPv6 (appended: the IPv4 counters keep their numbers). */
	FP_RX_DECAP6,		/* IPv6 decapsulated and redirected */
	FP_RX_PASS_LINK6,	/* link-local or multicast destination (RS,
				* DHCPv6, ND, MLD): the LNS's own */
	FP_RX_PASS_WRONG_SRC6,	/* source outside the session's prefixes:
				* the user path drops and counts it */
	FP_RX_PASS_INNER6,	/* truncated, not version 6, hop limit <= 1 */
	FP_TX_ENCAP6,		/* IPv6 encapsulated and redirected */
	FP_TX_PASS_NO_SESSION6, /* destination in no fp_tx6 prefix */
	/* Client sessions (FP_RX_CLI, fp_cli_tx); appended likewise.  The
	 * client's encapsulation counts FP_TX_ENCAP and FP_TX_PASS_* as the
	 * LNS's does. */
	FP_RX_DECAP_CLIENT,   /* delivered into the client's TUN */
	FP_RX_PASS_WRONG_DST, /* inner destination not the client's own
				 * address (or not IPv4) */
	/* Not a verdict: a TCP/IPv4 aggregate decapsulated whole (counted
	 * as FP_RX_DECAP or FP_RX_DECAP_CLIENT too), FP_EGRESS_GSO_WHOLE. */
	FP_RX_DECAP_GSO,
	FP_COUNTER_MAX
};

/* fp_egress values.  FP_EGRESS_OK: any registered interface.
 * FP_EGRESS_NO_GSO: a device that hands GSO packets on unsegmented to
 * another stack on this host (a veth; a TAP with TSO, towards a VM): an
 * encapsulated aggregate would reach a peer that reads UDP in user space
 * as one oversized datagram with partial inner checksums, so GSO packets
 * are not redirected there (the stack segments them on the TUN path). */
#define FP_EGRESS_OK	    0x1
#define FP_EGRESS_NO_GSO    0x2
/* FP_EGRESS_GSO_WHOLE: a veth the operator declared safe for aggregates
 * ([global] fastpath-veth-gso): every L2TP reader behind it is a kernel
 * fast path.  TCP/IPv4 aggregates received from the tunnel are then
 * decapsulated whole, when they arrived on such a device (a client's) or
 * leave through one (an LNS's, towards its intranet); elsewhere (a NIC,
 * whose software segmentation would meet the tunnel's GSO state, which
 * this kernel's helpers cannot clear) they go to the stack. */
#define FP_EGRESS_GSO_WHOLE 0x4

struct fp_owner {
	__u32 pid;
	__u32 pad;
	__u64 start_time; /* /proc/PID/stat field 22, clock ticks */
};

/* The largest L2TP offset padding the programs strip (RFC 2661 §3.1 "Offset
 * Size"); more goes to user space.  Keeps the whole strip under
 * bpf_skb_adjust_room's 4095-byte limit with room to spare. */
#define FP_MAX_OFFSET_PAD 1024

/* The programs' names, which the loader uses to recognise its own filters. */
#define FP_PROG_DECAP	 "vpdn_fp_decap"
#define FP_PROG_ENCAP	 "vpdn_fp_encap"
#define FP_PROG_ENCAP_L3 "vpdn_fp_enc_l3"
#define FP_PROG_CLI_ENC	 "vpdn_fp_cli_enc"

#endif
