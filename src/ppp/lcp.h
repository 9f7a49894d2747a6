/*
 * lcp.h — the Link Control Protocol (RFC 1661 §5-6, RFC 1570) over cp.c.
 *
 * Options: MRU, Authentication-Protocol, Magic-Number (loop detection),
 * PFC/ACFC and ACCM.  We never request PFC, ACFC or ACCM and always send
 * full headers (FF 03 + 2-octet protocol): on L2TP/PPPoE the two saved
 * octets do not matter and every peer must accept full headers (RFC 1661
 * §6.5/6.6: compression is only permitted, never required).  A peer's
 * PFC/ACFC request is acked (we accept compressed frames anyway); a peer's
 * ACCM is acked harmlessly: there is no async HDLC on a sync/L2TP link
 * (RFC 1662 §7.1, RFC 2661 §4.4.5 LACs ack it too).
 * Besides the automaton: Echo-Request keepalive with dead-peer detection,
 * Echo-Reply with our magic, Discard-Request, Protocol-Reject both ways.
 */
#ifndef VPDN_PPP_LCP_H
#define VPDN_PPP_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "ppp/auth.h"
#include "ppp/cp.h"

struct lcp_config {
	bool server;		      /* we authenticate the peer */
	enum ppp_auth_method auth[3]; /* server: offered, in order */
	unsigned auth_count;
	enum ppp_auth_method
	    accept[3]; /* client: acceptable, preferred first */
	unsigned accept_count;
	uint16_t mru;		   /* ours; 1400 */
	unsigned echo_interval_ms; /* 0 = no keepalive */
	unsigned echo_failures;
	/* The carrier is PPPoE: RFC 2516 §7 forbids ACCM, ACFC and FCS
	 * alternatives (rejected) and an MRU above 1492 (Nak'd down). */
	bool pppoe;
	struct cp_config cp;
};

#define LCP_PPPOE_MAX_MRU 1492

struct lcp {
	struct cp cp;
	struct lcp_config cfg;
	const struct cp_owner_ops *ops;
	void *ctx;
	/* negotiated */
	uint16_t our_mru, peer_mru;
	uint32_t our_magic, peer_magic;
	bool peer_pfc, peer_acfc;
	unsigned auth_idx;		  /* server: index into cfg.auth */
	uint8_t auth_tried;		  /* server: bit per cfg.auth index */
	enum ppp_auth_method auth_method; /* agreed: we check / we answer */
	enum ppp_auth_method peer_auth;	  /* client: in the peer's request */
	unsigned loops;			  /* RFC 1661 §6.4 magic collisions */
	/* keepalive */
	uint64_t echo_deadline;
	unsigned echo_outstanding;
	uint64_t now;
};

void lcp_init(struct lcp *l, const struct lcp_config *cfg,
    const struct cp_owner_ops *ops, void *ctx);
void lcp_input(struct lcp *l, const uint8_t *pkt, size_t len, uint64_t now);
void lcp_timeout(struct lcp *l, uint64_t now);
uint64_t lcp_next_deadline(const struct lcp *l);
/* RFC 1661 §5.7: reject proto (only while Opened); info truncated to the
 * peer's MRU. */
void lcp_send_proto_rej(struct lcp *l, uint16_t proto, const uint8_t *info,
    size_t len);

/* Authentication-Protocol option values (RFC 1661 §6.2, RFC 1994 §3,
 * RFC 2759 §2).  Returns the value length (2 or 3), 0 for NONE. */
size_t lcp_auth_encode(enum ppp_auth_method m, uint8_t out[3]);
enum ppp_auth_method lcp_auth_decode(const uint8_t *d, size_t len);

#endif
