/*
 * fastpath.h — loads the kernel fast path (dataplane/bpf/) with libbpf,
 * attaches it to interfaces and keeps its session maps.
 *
 * The programs are embedded in the binary (a `bpftool gen skeleton` header
 * built from dataplane/bpf/fastpath.bpf.c), so the daemon stays one file.
 * Loading needs CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON (without CAP_PERFMON
 * the verifier's Spectre rules refuse the programs).
 *
 * Every call that can fail returns -1 and writes a one-line reason into
 * `why` (the daemon logs it and keeps the session, or everything, on the
 * user path); nothing here logs.
 *
 * Filters are attached as clsact direct-action filters at a fixed handle and
 * priority (FASTPATH_TC_HANDLE, fastpath_tc_prio()).  They outlive the process
 * if it is killed; fastpath_attach() and fastpath_remove_stale() remove a
 * filter found there only if it runs one of our programs (by name) loaded by
 * a process that no longer exists (PID and start time kept in fp_owner), and
 * never touch another filter or the clsact qdisc itself.
 */
#ifndef VPDN_DATAPLANE_FASTPATH_H
#define VPDN_DATAPLANE_FASTPATH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/bpf/fastpath_maps.h"

#define FASTPATH_TC_HANDLE     0x7670u /* "vp" */
#define FASTPATH_TC_PRIO       0x7670u
/* vpdn_fp_encap, ahead of vpdn_fp_decap on a shared ingress. */
#define FASTPATH_TC_PRIO_ENCAP 0x766fu

struct fastpath;

enum fastpath_hook {
	FASTPATH_DECAP,	   /* ingress of the L2TP-facing interface */
	FASTPATH_ENCAP,	   /* ingress of an intranet-facing interface */
	FASTPATH_ENCAP_L3, /* egress of an L3 device (the LNS's TUN) */
	FASTPATH_CLI_ENC,  /* egress of a client's TUN (fp_cli_tx) */
	FASTPATH_HOOK_MAX
};

struct fastpath_opts {
	unsigned max_sessions; /* map sizes; 0: 4096 */
	/* TCP aggregates (GSO) cross veths whole in both directions:
	 * encapsulated towards one, decapsulated from one into another
	 * (FP_EGRESS_GSO_WHOLE).  Right only where whatever reads L2TP
	 * behind the veth does so in the kernel (this fast path); a
	 * user-space reader would get one oversized datagram.  Off: a veth
	 * is FP_EGRESS_NO_GSO and aggregates take the stack's path. */
	bool veth_gso;
};

/* One session as the daemon knows it; host byte order throughout. */
struct fastpath_session {
	uint16_t our_tunnel_id; /* in the data we receive */
	uint16_t our_session_id;
	uint16_t peer_tunnel_id; /* in the data we send */
	uint16_t peer_session_id;
	struct in_addr peer_addr; /* the tunnel's current peer */
	uint16_t peer_port;
	struct in_addr local_addr; /* the address and port it reached */
	uint16_t local_port;
	struct in_addr inner_addr; /* the session's address */
	uint16_t mtu;		   /* its route's MTU into the TUN; 0 none */
	bool rx_acfc;		   /* accept frames without FF 03 */
	bool rx_pfc;		   /* accept the one-octet protocol */
	bool tx_acfc;		   /* send without FF 03 (peer's ACFC) */
	bool tx_pfc;		   /* send the one-octet protocol (PFC) */
	/* The session's rate plan (bpf/policer.h): bit/s, 0 no limit, and
	 * bucket sizes in bytes; both rates 0: no policer entry. */
	uint64_t police_down_bps, police_up_bps;
	uint64_t police_down_burst, police_up_burst;
	/* IPv6 (RFC 5072) too: its /64 (the upper 64 bits of prefix6) and,
	 * when deleg6_len != 0, a delegated prefix; mtu6 the TUN's MTU
	 * (the limit of the user path's route for IPv6). */
	bool ipv6;
	uint8_t prefix6[16];
	uint8_t deleg6[16];
	uint8_t deleg6_len;
	uint16_t mtu6;
	/* Non-zero: a client session (the voluntary tunnel's end), whose
	 * TUN this is: sent data is everything routed into it (found by
	 * this ifindex, not by inner_addr, which is the session's own
	 * address: the only inner destination received data may have), and
	 * received data is delivered into it.  IPv4 only; no policer. */
	int client_ifindex;
};

struct fastpath_counters {
	uint64_t rx_packets, rx_bytes; /* decapsulated */
	uint64_t tx_packets, tx_bytes; /* encapsulated */
	/* Dropped by the session's policer: up (from the user, before
	 * decapsulation) and down (before encapsulation). */
	uint64_t police_up_drop_packets, police_up_drop_bytes;
	uint64_t police_down_drop_packets, police_down_drop_bytes;
};

/* The TC priority `hook`'s filter is attached at. */
unsigned fastpath_tc_prio(enum fastpath_hook hook);

/* Opens and loads the programs and maps.  0, or -1 with `why`. */
int fastpath_open(struct fastpath **fpp, const struct fastpath_opts *o,
    char *why, size_t whylen);
/* Detaches every filter this instance attached, then frees the programs
 * and maps.  NULL is ignored. */
void fastpath_close(struct fastpath *fp);

/* Attaches `hook`'s program to `ifindex` (creating the clsact qdisc if
 * there is none), after removing a stale filter of ours found at our handle
 * and priority.  Refuses if our handle and priority hold a foreign filter or
 * a live instance's. */
int fastpath_attach(struct fastpath *fp, int ifindex, enum fastpath_hook hook,
    char *why, size_t whylen);
int fastpath_detach(struct fastpath *fp, int ifindex, enum fastpath_hook hook,
    char *why, size_t whylen);
/* Interfaces a carried packet may be redirected to: the Ethernet devices
 * the daemon forwards through, whether or not a program is attached to
 * them (decapsulated traffic leaves through the intranet side even when
 * only the TUN's egress encapsulates).  Anything else the fib picks (a
 * TUN, a tunnel device) leaves the packet to the stack. */
int fastpath_allow_egress(struct fastpath *fp, int ifindex, char *why,
    size_t whylen);
int fastpath_disallow_egress(struct fastpath *fp, int ifindex, char *why,
    size_t whylen);
/* Does ifindex hand GSO packets on whole to another stack of this host
 * that may not take them (FP_EGRESS_NO_GSO: a veth unless
 * fastpath_opts.veth_gso, a TAP with TSO)?  The programs leave GSO
 * packets towards such a device to the stack. */
bool fastpath_egress_passes_gso(const struct fastpath *fp, int ifindex);
/* Limits a TUN's GSO aggregates to one segment (the stack then hands its
 * egress single segments).  0, or -1 with why. */
int fastpath_tun_single_segments(int ifindex, char *why, size_t whylen);
/* Removes the filter a dead instance left at `hook`'s point on `ifindex`.
 * Returns 1 if one was removed, 0 if there was none (or one that is not
 * ours to remove, described in `why`), -1 on an error.  Needs no loaded
 * programs: a run that will not use the fast path cleans up too. */
int fastpath_remove_stale(int ifindex, enum fastpath_hook hook, char *why,
    size_t whylen);

/* Puts a session into the maps (counters from zero); -1 if it, its IDs or
 * its address are already there, or a map is full. */
int fastpath_session_add(struct fastpath *fp, const struct fastpath_session *s,
    char *why, size_t whylen);
/* Changes an entered session's peer, ports, addresses of the tunnel, PPP
 * forms or IPv6 prefixes (same IDs and inner address): the IPv6 entries of
 * the old value (read back from the map) make way for the new ones; its
 * counters continue. */
int fastpath_session_update(struct fastpath *fp,
    const struct fastpath_session *s, char *why, size_t whylen);
/* Takes a session out of both maps — from this call's return no packet is
 * handled for it in the kernel — and hands back its final counters, so the
 * caller accounts them and then frees its own state. */
int fastpath_session_remove(struct fastpath *fp,
    const struct fastpath_session *s, struct fastpath_counters *final,
    char *why, size_t whylen);
/* A session's counters, summed over CPUs. */
int fastpath_session_counters(struct fastpath *fp, uint16_t our_tunnel_id,
    uint16_t our_session_id, struct fastpath_counters *c, char *why,
    size_t whylen);
/* The programs' counters (enum fp_counter), summed over CPUs. */
int fastpath_global_counters(struct fastpath *fp, uint64_t out[FP_COUNTER_MAX],
    char *why, size_t whylen);
const char *fastpath_counter_name(enum fp_counter c);

/* The program's descriptor, for BPF_PROG_TEST_RUN in tests; -1 if none. */
int fastpath_prog_fd(const struct fastpath *fp, enum fastpath_hook hook);

#endif
