/*
 * lac_fastpath_maps.h — the maps the LAC's kernel fast path shares with
 * user space (lac_fastpath.bpf.c and dataplane/lac_fastpath.c).
 *
 * Kept apart from the LNS's fastpath_maps.h: the LAC relays PPP frames
 * between a PPPoE session (RFC 2516 §7) and an L2TP session (RFC 2661 §3.1)
 * and never routes the inner packet, so its keys and values share nothing
 * with the LNS's but the counting.  Every address, port, ID and PPPoE
 * session ID is in network byte order, as on the wire.
 *
 *   lfp_up      a PPPoE session frame from the user (access interface,
 *               PPPoE session ID, the user's MAC) → our MAC it must be
 *               sent to, the L2TP session to send it on (the peer's IDs,
 *               the tunnel's current peer and our address/port, the
 *               interface our end of the tunnel is on).
 *   lfp_down    L2TP data received (OUR IDs, RFC 2661 §3.1) → the peer it
 *               must come from, our address/port it must arrive on, the
 *               PPPoE session to send it on (interface, MACs, session ID).
 *   lfp_stats   per-CPU packet and byte counters per call, keyed by our
 *               L2TP IDs (the lfp_down key; lfp_up values carry it).
 *   lfp_global  per-CPU counters of what the program did (enum lfp_counter).
 *   lfp_egress  interfaces an encapsulated frame may leave by (Ethernet
 *               devices the loader registered).
 *   lfp_owner   the PID and start time of the loading process (stale
 *               filter removal, as fp_owner for the LNS programs).
 */
#ifndef VPDN_DATAPLANE_BPF_LAC_FASTPATH_MAPS_H
#define VPDN_DATAPLANE_BPF_LAC_FASTPATH_MAPS_H

#include <linux/types.h>

struct lfp_up_key {
	__u32 ifindex;	   /* the access interface it arrived on */
	__be16 session_id; /* PPPoE SESSION_ID (RFC 2516 §4) */
	__u8 mac[6];	   /* the user's MAC: the frame's source */
};

struct lfp_l2tp_key {
	__be16 tunnel_id; /* ours */
	__be16 session_id;
};

struct lfp_up_val {
	__u8 our_mac[6];   /* the frame's destination (the LAC) */
	__be16 max_ppp;	   /* largest PPP payload carried (no protocol) */
	__be32 peer_addr;  /* outer destination (the LNS) */
	__be32 local_addr; /* outer source */
	__be16 peer_port;
	__be16 local_port;
	__be16 peer_tunnel_id; /* written in the L2TP header */
	__be16 peer_session_id;
	struct lfp_l2tp_key stats_key; /* our IDs: the lfp_stats entry */
	__u32 egress_ifindex;	       /* the tunnel's local interface */
};

struct lfp_down_val {
	__be32 peer_addr;  /* outer source it must come from */
	__be32 local_addr; /* outer destination it must arrive at */
	__be16 peer_port;
	__be16 local_port;
	__u32 ifindex;	  /* the access interface */
	__u8 user_mac[6]; /* the PPPoE frame's destination */
	__u8 our_mac[6];  /* its source */
	__be16 pppoe_sid; /* SESSION_ID */
	__be16 max_ppp;	  /* largest PPP payload carried (no protocol) */
};

/* Per call, per CPU.  Bytes are those of the PPP frame without Address
 * and Control (protocol + information), as the LAC's user path counts
 * them for accounting. */
struct lfp_stats {
	__u64 up_packets; /* user → LNS */
	__u64 up_bytes;
	__u64 down_packets; /* LNS → user */
	__u64 down_bytes;
};

/* What the program did with a frame.  Every *_PASS_* frame went on
 * unchanged (TC_ACT_UNSPEC: to the next filter, e.g. the LNS's decap
 * program, then to the stack and the daemon), exactly as without it. */
enum lfp_counter {
	LFP_UP_ENCAP = 0,	 /* PPPoE → L2TP, redirected */
	LFP_UP_PASS_NO_SESSION,	 /* not in lfp_up (unknown ID or MAC) */
	LFP_UP_PASS_WRONG_MAC,	 /* destination not our MAC */
	LFP_UP_PASS_MALFORMED,	 /* VER/TYPE, CODE or LENGTH wrong; truncated */
	LFP_UP_PASS_PPP,	 /* not IPv4/IPv6 data (LCP, auth, NCPs...) */
	LFP_UP_PASS_TOO_BIG,	 /* over max_ppp, or over the path MTU */
	LFP_UP_PASS_ROUTE,	 /* fib: LNS not reachable through lfp_egress */
	LFP_UP_PASS_GSO,	 /* an aggregate */
	LFP_DOWN_DECAP,		 /* L2TP → PPPoE, redirected */
	LFP_DOWN_PASS_NOT_L2TP,	 /* not plain IPv4/UDP carrying L2TPv2 */
	LFP_DOWN_PASS_CONTROL,	 /* T=1 */
	LFP_DOWN_PASS_SEQ,	 /* S=1 */
	LFP_DOWN_PASS_MALFORMED, /* truncated or inconsistent */
	LFP_DOWN_PASS_NO_SESSION, /* IDs not in lfp_down */
	LFP_DOWN_PASS_WRONG_PEER, /* outer addresses/ports not the tunnel's */
	LFP_DOWN_PASS_PPP,     /* not IPv4/IPv6 data, or compressed protocol */
	LFP_DOWN_PASS_TOO_BIG, /* over max_ppp */
	LFP_DOWN_PASS_GSO,     /* an aggregate */
	LFP_PASS_OTHER,	       /* neither PPPoE session nor IPv4 */
	LFP_PASS_HELPER,       /* a helper refused before anything changed */
	LFP_DROP_HELPER,       /* a helper failed after the frame changed */
	LFP_COUNTER_MAX
};

struct lfp_owner {
	__u32 pid;
	__u32 pad;
	__u64 start_time; /* /proc/PID/stat field 22, clock ticks */
};

/* The largest L2TP offset padding stripped (RFC 2661 §3.1). */
#define LFP_MAX_OFFSET_PAD 1024

/* The program's name, by which the loader recognises its own filters. */
#define LFP_PROG "vpdn_lac_fp"

#endif
