/*
 * tunnel.h — private to src/l2tp: the host, tunnel and session objects and
 * the entry points the three files use on each other.  Roles only see the
 * opaque types of l2tp.h.
 *
 * Ownership: the host owns its tunnels (idpool by local ID, a hash by
 * (peer address, peer tunnel ID), a deadline heap); a tunnel owns its
 * sessions (idpool by local ID, a heap of setup deadlines) and its xport.
 * Objects the role knew about are never freed inside a call the role made:
 * a closed session goes to the host's graveyard and a tunnel lingers in
 * CLOSING; both are freed from l2tp_host_input()/l2tp_host_run_timers().
 */
#ifndef VPDN_L2TP_TUNNEL_H
#define VPDN_L2TP_TUNNEL_H

#include <stdarg.h>

#include "core/heap.h"
#include "core/idpool.h"
#include "core/log.h"
#include "l2tp/data_hdr.h"
#include "l2tp/l2tp.h"
#include "l2tp/xport.h"

/* Big enough for any control message we build (ICCN with every proxy AVP
 * at its largest is under 2 KiB). */
#define L2TP_CTRL_BUF 4096

/* Control messages a tunnel queues while its send window is full. */
#define L2TP_CTRL_QUEUE 1024

#define L2TP_NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * New-tunnel rate limit per source address (host.c): a token bucket per
 * address in a small table indexed by a keyed hash, so a flood of SCCRQs
 * from one address (any number of ports) creates at most
 * HOST_SCCRQ_BURST tunnels at once and HOST_SCCRQ_RATE a second after
 * that; max-tunnels bounds the sum over all addresses.  The table has a
 * fixed size: a flood cannot grow it.
 */
#define HOST_SCCRQ_BUCKETS 256
#define HOST_SCCRQ_RATE	   20 /* new tunnels a second, per address */
#define HOST_SCCRQ_BURST   64

struct host_bucket {
	uint8_t addr[16];   /* IPv4: first 4 octets */
	sa_family_t family; /* 0: slot unused */
	uint32_t credit;    /* thousandths of a token */
	uint64_t last_ms;
};

struct l2tp_host {
	struct l2tp_host_config cfg;
	const struct l2tp_host_ops *ops;
	void *ctx;

	struct idpool tunnels;		/* local tunnel ID -> tunnel */
	struct l2tp_tunnel **peer_hash; /* (peer addr, peer ID) chains */
	unsigned peer_hash_size, peer_hash_count;
	struct heap timers;		/* tunnels by next deadline */
	struct l2tp_session *graveyard; /* closed sessions, freed later */
	unsigned nsessions;		/* live sessions, all tunnels */
	uint32_t call_serial;
	uint64_t now;	/* clock of the current entry point */
	unsigned depth; /* nesting of input/run_timers */
	struct l2tp_host_stats stats;
	struct host_bucket buckets[HOST_SCCRQ_BUCKETS];
	uint32_t bucket_key; /* random hash key */
};

struct l2tp_tunnel {
	struct l2tp_host *host;
	enum l2tp_role role;
	enum l2tp_tunnel_state state;
	uint16_t local_id, peer_id;
	struct l2tp_addr peer, local;
	uint8_t secret[256];
	size_t secret_len;
	bool hide;
	bool secret_proven; /* peer's response verified */
	bool use_tie_breaker;
	uint8_t tie_breaker[8];
	struct xport xp;
	uint8_t challenge[16]; /* ours, when secret_len > 0 */
	char peer_hostname[L2TP_MAX_NAME];
	char label[L2TP_MAX_NAME]; /* l2tp_accept.label */
	/* §6.9: an LNS may only request outgoing calls from a LAC that
	 * sent Bearer Capabilities during tunnel establishment. */
	bool peer_has_bearer_cap;
	uint32_t peer_bearer_cap, peer_framing_cap;

	struct idpool sessions;	    /* local session ID -> session */
	struct heap session_timers; /* setup deadlines */
	/* Calls whose ICCN/OCCN waits in the xport queue, in Ns order
	 * (session.c, session_connect_sent). */
	struct l2tp_session *connect_head, *connect_tail;

	void *user;
	bool announced;		      /* tunnel_up was called */
	bool down_reported;	      /* tunnel_down was called */
	struct heap_node timer;	      /* in host->timers */
	uint64_t close_at;	      /* CLOSING: free at this time */
	bool close_when_acked;	      /* we sent the StopCCN */
	struct l2tp_tunnel *due_next; /* run_timers' work list */
	uint64_t created_ms;
	struct l2tp_tunnel *peer_next; /* peer_hash chain */
	bool in_peer_hash;
};

struct l2tp_session {
	struct l2tp_tunnel *tunnel;
	enum l2tp_session_state state;
	uint16_t local_id, peer_id;
	uint32_t call_serial;
	bool outgoing;	     /* OCRQ-initiated */
	bool lac;	     /* we are the LAC side */
	bool announced;	     /* the role knows it */
	bool connect_queued; /* ICCN/OCCN not sent yet */
	/* Allocated only where used, so that an LNS's incoming call (the
	 * 50,000-session case) carries neither ~550-byte block; a LAC's
	 * incoming call frees both once its ICCN is out (the established
	 * LAC call's budget, test_session_size.c). */
	struct l2tp_call_params *params; /* LAC side, until established */
	struct l2tp_msg *proxy;		 /* copy of params->proxy */
	union {
		/* LNS outgoing: the OCRQ we send. */
		struct l2tp_outgoing_params *out;
		/* Incoming calls: the ICRQ's Calling Number (§4.4.5), a heap
		 * copy only when there is one — the LNS keeps the LAC's
		 * (RADIUS Calling-Station-Id), the LAC its own once params
		 * are gone; shares the slot so the struct does not grow. */
		char *calling;
	};
	/* From the ICCN/OCCN (sent or received): what the call got. */
	uint32_t conn_tx_speed, conn_rx_speed, conn_framing;
	uint8_t nheld; /* frames in held */
	/* The peer's CDN (§4.4.2): Result Code in the low 4 bits, Error
	 * Code in the high 4 (15: 15 or more; §4.4.2 defines results 1-11,
	 * errors 0-8); 0: none came.  One octet: it fills the padding after
	 * nheld, the session's memory budget has no room for more. */
	uint8_t cdn_rcvd;
	uint16_t connect_ns;  /* Ns of the queued ICCN/OCCN */
	struct data_seq dseq; /* data Ns/Nr (§5.4) */
	/* Data that beat the ICCN/OCCN (wait-connect), delivered right
	 * after session_up; see session.c. */
	struct l2tp_held *held; /* session.c */
	struct heap_node timer; /* setup deadline */
	void *user;
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t created_ms;
	/* A call is on at most one of these lists: waiting for its
	 * ICCN/OCCN to leave (connect_queued), or closed. */
	union {
		struct l2tp_session *connect_next; /* tunnel->connect_head */
		struct l2tp_session *dead_next;	   /* host graveyard */
	};
};

/* host.c */
void host_reschedule(struct l2tp_tunnel *t);
void host_peer_hash_add(struct l2tp_tunnel *t);
void host_peer_hash_del(struct l2tp_tunnel *t);
void host_drop(struct l2tp_host *h, enum l2tp_drop d);
bool l2tp_addr_same_host(const struct l2tp_addr *a, const struct l2tp_addr *b);

/* tunnel.c */
struct l2tp_tunnel *tunnel_new(struct l2tp_host *h, enum l2tp_role role,
    const struct l2tp_addr *peer, const struct l2tp_addr *local,
    const uint8_t *secret, size_t secret_len, bool hide, uint64_t now);
void tunnel_free(struct l2tp_tunnel *t);
uint64_t tunnel_deadline(const struct l2tp_tunnel *t);
/* Runs due timers; true when the tunnel has finished CLOSING (free it). */
bool tunnel_run_timers(struct l2tp_tunnel *t, uint64_t now);
/* CLOSING with nothing left to exchange with the peer (or its time is up):
 * what remains is only the §5.7 hold for the peer's retransmissions. */
bool tunnel_finished(const struct l2tp_tunnel *t);
/* Encodes m (addressed to the peer's tunnel ID) and hands it to the xport. */
int tunnel_send_msg(struct l2tp_tunnel *t, struct l2tp_msg *m, uint64_t now);
/* A control datagram for this tunnel (header decoded, peer checked). */
void tunnel_input(struct l2tp_tunnel *t, const struct l2tp_hdr *h,
    const uint8_t *pkt, size_t len, uint64_t now);
/* RFC 2661 §4.4.3: the tie-breaker loser silently discards its tunnel. */
void tunnel_discard(struct l2tp_tunnel *t, const char *why, uint64_t now);
void tunnel_log(const struct l2tp_tunnel *t, enum log_level lvl,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
