/*
 * lac_fastpath.h — loads the LAC's kernel fast path (dataplane/bpf/
 * lac_fastpath.bpf.c) with libbpf, attaches it and keeps its call maps.
 *
 * One program, vpdn_lac_fp, on the ingress of the access interface (PPPoE
 * session frames from users) and of the interface the LNS's datagrams
 * arrive on (L2TP data for the calls); one interface may be both.  Same
 * privileges as the LNS's fast path (dataplane/fastpath.h).
 *
 * Sharing the hook with the LNS's vpdn_fp_decap when both roles run: the
 * LAC's filter sits at its own handle and a lower priority number
 * (LAC_FASTPATH_TC_PRIO < FASTPATH_TC_PRIO), so it runs first, and every
 * frame it does not carry leaves it with TC_ACT_UNSPEC, which hands the
 * frame to the next filter — the LNS's — unchanged.  Each program only
 * ever carries the sessions in its own maps (L2TP IDs are ours and unique
 * per daemon), so the order decides nothing else.
 *
 * Every call that can fail returns -1 with a one-line reason in `why`;
 * nothing here logs.
 */
#ifndef VPDN_DATAPLANE_LAC_FASTPATH_H
#define VPDN_DATAPLANE_LAC_FASTPATH_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/bpf/lac_fastpath_maps.h"
#include "dataplane/fastpath.h"

#define LAC_FASTPATH_TC_HANDLE 0x766cu /* "vl" */
#define LAC_FASTPATH_TC_PRIO   0x766cu /* before the LNS's 0x7670 */

struct lac_fastpath;

/* One established call; host byte order but for the MACs. */
struct lac_fastpath_call {
	int access_ifindex; /* where its PPPoE frames arrive */
	uint16_t pppoe_sid;
	uint8_t user_mac[6];
	uint8_t our_mac[6];	/* the access interface's */
	uint16_t our_tunnel_id; /* in the data we receive */
	uint16_t our_session_id;
	uint16_t peer_tunnel_id; /* in the data we send */
	uint16_t peer_session_id;
	struct in_addr peer_addr; /* the tunnel's current peer */
	uint16_t peer_port;
	struct in_addr local_addr; /* our end of the tunnel */
	uint16_t local_port;
	int l2tp_ifindex; /* the interface local_addr is on */
	uint16_t max_ppp; /* largest PPP payload carried either way */
};

/* Counters of a call: rx = user → LNS, tx = LNS → user (the accounting's
 * input and output); bytes of the PPP frame without FF 03. */
int lac_fastpath_open(struct lac_fastpath **lfpp, unsigned max_calls, char *why,
    size_t whylen);
/* Detaches what this instance attached, frees programs and maps. */
void lac_fastpath_close(struct lac_fastpath *lfp);

/* vpdn_lac_fp on ifindex's ingress (clsact made if missing), after
 * removing a dead instance's filter at our handle and priority; attaching
 * twice to one interface is a no-op. */
int lac_fastpath_attach(struct lac_fastpath *lfp, int ifindex, char *why,
    size_t whylen);
/* Where an encapsulated frame may leave (Ethernet devices). */
int lac_fastpath_allow_egress(struct lac_fastpath *lfp, int ifindex, char *why,
    size_t whylen);
/* A dead instance's filter on ifindex: 1 removed, 0 none (or not ours:
 * `why` says), -1 error.  Needs no loaded program. */
int lac_fastpath_remove_stale(int ifindex, char *why, size_t whylen);

/* Into the maps (counters from zero); -1 if its keys are there already
 * or a map is full. */
int lac_fastpath_call_add(struct lac_fastpath *lfp,
    const struct lac_fastpath_call *c, char *why, size_t whylen);
/* The tunnel's peer or local address/port changed (same keys). */
int lac_fastpath_call_update(struct lac_fastpath *lfp,
    const struct lac_fastpath_call *c, char *why, size_t whylen);
/* Out of both maps (no frame of it is handled in the kernel after the
 * return), with its final counters. */
int lac_fastpath_call_remove(struct lac_fastpath *lfp,
    const struct lac_fastpath_call *c, struct fastpath_counters *final,
    char *why, size_t whylen);
int lac_fastpath_call_counters(struct lac_fastpath *lfp, uint16_t our_tunnel_id,
    uint16_t our_session_id, struct fastpath_counters *c, char *why,
    size_t whylen);
int lac_fastpath_global_counters(struct lac_fastpath *lfp,
    uint64_t out[LFP_COUNTER_MAX], char *why, size_t whylen);
const char *lac_fastpath_counter_name(enum lfp_counter c);

/* The program's descriptor, for BPF_PROG_TEST_RUN in tests. */
int lac_fastpath_prog_fd(const struct lac_fastpath *lfp);

#endif
