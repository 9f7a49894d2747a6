/*
 * pppoe_server.h — the access concentrator side of PPPoE discovery
 * (RFC 2516 §5) and the session table of one Ethernet interface.
 *
 * Sans-I/O: every entry takes now (ms); frames leave through
 * ops->send_frame as whole Ethernet frames (the ethertype says which
 * socket).  No state is kept before a valid PADR: the PADO carries an
 * AC-Cookie = HMAC-SHA256(key, peer MAC || time slot) truncated to 16
 * octets (RFC 2516 §9), accepted for cookie_lifetime_ms (60 s) after it
 * was minted, rounded up to whole slots: a PADR the rate limit dropped is
 * retransmitted by the host with exponential back-off (§8: PADR like
 * PADI), and its retries must still find the cookie good.  The key is
 * random and replaced every key_slots slots (the previous key stays valid
 * for cookies of the previous epoch).  PADI and
 * PADR pass a per-MAC token bucket (a fixed table allocated at creation)
 * and a global one before any HMAC is computed.
 *
 * Refusals: a PADI for a service we do not offer gets no PADO (§5.2 MUST
 * NOT); a PADR for such a service gets a PADS with Service-Name-Error and
 * SESSION_ID 0 (§5.4 MUST); a PADR over max_sessions gets a PADS with
 * AC-System-Error; a PADR with a missing, forged, foreign-MAC or expired
 * cookie is dropped, counted and logged (rate-limited) — answering would
 * let any spoofed source make us transmit, and a genuine host that was too
 * slow recovers by sending a new PADI after its PADR retries (§8).
 *
 * Per-MAC session limit (max_sessions_per_mac, 0 = none): a MAC holding
 * that many sessions gets no PADO for its PADI (§5.2: an AC that cannot
 * serve a PADI MUST NOT answer it, so a host on a segment with several
 * ACs picks another) and, should it still send a PADR with a cookie from
 * earlier, a PADS with AC-System-Error and SESSION_ID 0 (§5.4).  Both
 * count in stats.refused_mac_limit.
 *
 * Lifetime: ops->session_down is called (then the session is freed when it
 * returns) only when the peer sends PADT; pppoe_server_close_session() and
 * pppoe_server_free() send PADT themselves and call no callback.
 */
#ifndef VPDN_PPPOE_SERVER_H
#define VPDN_PPPOE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/pppoe_codec.h"

#define PPPOE_COOKIE_LEN	  16
#define PPPOE_NAME_MAX		  64 /* longest AC-Name / Service-Name kept */
#define PPPOE_SERVER_MAX_SERVICES 8

struct pppoe_server_config {
	uint8_t mac[PPPOE_MAC_LEN]; /* the interface's address */
	const char *ac_name;	    /* AC-Name TAG (§5.2); copied */
	/* Services offered; none = any requested name is accepted and
	 * echoed (the policy §9 RECOMMENDS). */
	const char *services[PPPOE_SERVER_MAX_SERVICES];
	unsigned nservices;
	uint32_t max_sessions;	       /* default 4096, max 65534 */
	unsigned padi_per_mac_rate;    /* per second, default 2 */
	unsigned padi_per_mac_burst;   /* default 5 */
	unsigned padi_global_rate;     /* per second, default 200 */
	unsigned padi_global_burst;    /* default 400 */
	unsigned cookie_slot_ms;       /* default 10000 */
	unsigned cookie_lifetime_ms;   /* default 60000 */
	unsigned key_slots;	       /* key lifetime in slots, default 360 */
	unsigned max_sessions_per_mac; /* 0: no limit */
	/* Echo the requester's Broadband Forum Vendor-Specific TAG (the
	 * access node's TR-101 line information) in PADO and PADS; off, it
	 * is stripped from them, as TR-101 §3.9.3 has the access node do
	 * for the subscriber side anyway. */
	bool keep_access_line_tags;
};

struct pppoe_session;

struct pppoe_server_ops {
	/* A whole Ethernet frame to transmit; 0 or -1. */
	int (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* The events carry `now`, the clock pppoe_server_input was called
	 * with, so that their owner needs no clock of its own.
	 * A PADS was sent for s.  Return 0 to keep it; otherwise the
	 * server sends PADT (Generic-Error text) and frees it. */
	int (*session_up)(void *ctx, struct pppoe_session *s, uint64_t now);
	/* The peer sent PADT; s is freed when this returns. */
	void (*session_down)(void *ctx, struct pppoe_session *s,
	    const char *reason, uint64_t now);
	/* A PPP frame (protocol field first, no PPPoE header). */
	void (*session_data)(void *ctx, struct pppoe_session *s,
	    const uint8_t *ppp, size_t len, uint64_t now);
};

struct pppoe_session_stats {
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes;
};

/* Read-only for the owner except `owner`. */
struct pppoe_session {
	struct pppoe_server *srv;
	uint16_t id;
	uint8_t peer[PPPOE_MAC_LEN];
	char service[PPPOE_NAME_MAX + 1];
	uint64_t created_ms;
	struct pppoe_session_stats stats;
	void *owner; /* the owner's object */
	/* The PADR's TAGs (payload of pppoe_parse), during ops->session_up
	 * only (NULL otherwise): where the owner reads the access line
	 * (pppoe_tr101_parse) without the server keeping it for every
	 * session. */
	const uint8_t *padr_tags;
	uint16_t padr_tags_len;
	struct pppoe_session *mac_next; /* server's MAC hash */
};

/* Why a received frame was not acted upon; one counter each. */
enum pppoe_srv_drop {
	PPPOE_SRV_DROP_MALFORMED, /* pppoe_parse failed (see malformed[]) */
	PPPOE_SRV_DROP_NOT_FOR_US, /* destination is neither us nor (PADI) broadcast */
	PPPOE_SRV_DROP_RATE_LIMITED,	/* PADI/PADR token bucket empty */
	PPPOE_SRV_DROP_NO_SERVICE,	/* PADI for a service we do not offer */
	PPPOE_SRV_DROP_NO_COOKIE,	/* PADR without AC-Cookie */
	PPPOE_SRV_DROP_BAD_COOKIE,	/* forged, other MAC or expired */
	PPPOE_SRV_DROP_UNKNOWN_SESSION, /* PADT/data for no session of that MAC */
	PPPOE_SRV_DROP_UNEXPECTED,	/* PADO/PADS sent to a server */
	PPPOE_SRV_DROP_MAX
};
const char *pppoe_srv_drop_str(enum pppoe_srv_drop d);
/* The same as a key: "bad-cookie" (JSON, metrics labels). */
const char *pppoe_srv_drop_name(enum pppoe_srv_drop d);

struct pppoe_server_stats {
	uint64_t drops[PPPOE_SRV_DROP_MAX];
	uint64_t malformed[PPPOE_ERR_MAX]; /* by enum pppoe_err */
	uint64_t padi_rx, pado_tx, padr_rx, pads_tx, pads_refused, padt_rx,
	    padt_tx, sessions_created;
	/* PADIs left unanswered and PADRs refused (PADS AC-System-Error)
	 * because the MAC holds max_sessions_per_mac sessions */
	uint64_t refused_mac_limit;
	/* PADI/PADR whose Broadband Forum TAG overran itself (TR-101
	 * §3.9.3); the frame is still served, without the line data */
	uint64_t access_line_malformed;
};

struct pppoe_server *pppoe_server_new(const struct pppoe_server_config *cfg,
    const struct pppoe_server_ops *ops, void *ctx, uint64_t now);
/* Sends PADT for every remaining session (no callbacks) and frees all. */
void pppoe_server_free(struct pppoe_server *srv);
/* A new global PADI/PADR rate and burst (reload); the bucket keeps what it
 * holds, up to the new burst. */
void pppoe_server_set_rate(struct pppoe_server *srv, unsigned rate,
    unsigned burst);
/* A new per-MAC session limit (reload; 0 = none); sessions above it stay. */
void pppoe_server_set_mac_limit(struct pppoe_server *srv,
    unsigned max_sessions_per_mac);
/* Reload: echo (keep) or strip the TR-101 TAG from now on. */
void pppoe_server_set_keep_access_line_tags(struct pppoe_server *srv,
    bool keep);
/* Sessions the MAC holds now. */
unsigned pppoe_server_mac_sessions(const struct pppoe_server *srv,
    const uint8_t mac[PPPOE_MAC_LEN]);
/* One received Ethernet frame of either ethertype. */
void pppoe_server_input(struct pppoe_server *srv, const uint8_t *frame,
    size_t len, uint64_t now);
/* Sends a PPP frame on s; a leading RFC 1662 FF 03 is removed (0xFF
 * cannot begin a protocol field, RFC 1661 §2), so ppp_link's send output
 * can be passed as is.  0, or -1 if too big or the send failed. */
int pppoe_server_send(struct pppoe_session *s, const uint8_t *ppp, size_t len);
/* Sends PADT (reason as Generic-Error text) and frees the session.
 * -1 if there is no such session. */
int pppoe_server_close_session(struct pppoe_server *srv, uint16_t id,
    const char *reason);
struct pppoe_session *pppoe_server_session(struct pppoe_server *srv,
    uint16_t id);
uint32_t pppoe_server_session_count(const struct pppoe_server *srv);
void pppoe_server_foreach(struct pppoe_server *srv,
    void (*cb)(struct pppoe_session *, void *), void *arg);
const struct pppoe_server_stats *pppoe_server_stats(
    const struct pppoe_server *srv);

#endif
