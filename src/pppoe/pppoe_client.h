/*
 * pppoe_client.h — the host side of PPPoE (RFC 2516): discovery (PADI,
 * PADO, PADR, PADS), then one session until PADT either way.
 *
 * Sans-I/O: every entry takes now (ms); whole Ethernet frames leave through
 * ops->send_frame; the owner asks pppoe_client_next_deadline() and calls
 * pppoe_client_timeout().  RFC 2516 §8: an unanswered PADI is resent after
 * timeout_ms, doubling each time, padi_tries sends in all; an unanswered
 * PADR likewise padr_tries times, after which discovery restarts with a
 * PADI (counting against the same padi_tries).  Each discovery uses a fresh
 * random Host-Uniq, and only a PADO/PADS carrying it is believed.  The
 * first acceptable PADO wins (AC-Name must match when configured).
 *
 * ops->down is called when discovery gives up, the PADS is a refusal, or
 * the access concentrator sends PADT; pppoe_client_close() (ours) sends
 * PADT and calls nothing.  The client may be restarted from idle.
 */
#ifndef VPDN_PPPOE_CLIENT_H
#define VPDN_PPPOE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "pppoe/pppoe_codec.h"

struct pppoe_client_config {
	uint8_t mac[PPPOE_MAC_LEN]; /* our interface's address */
	const char *service_name;   /* NULL or "": any service */
	const char *ac_name;	    /* NULL or "": first PADO */
	unsigned timeout_ms;	    /* first wait, default 1000 */
	unsigned padi_tries;	    /* default 4 */
	unsigned padr_tries;	    /* default 3 */
};

struct pppoe_client_ops {
	int (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* The events carry `now`, the clock pppoe_client_input or _timeout
	 * was called with, so that their owner needs no clock of its own. */
	void (*up)(void *ctx, uint16_t session_id,
	    const uint8_t ac_mac[PPPOE_MAC_LEN], uint64_t now);
	void (*down)(void *ctx, const char *reason, uint64_t now);
	/* A PPP frame (protocol field first). */
	void (*data)(void *ctx, const uint8_t *ppp, size_t len, uint64_t now);
};

enum pppoe_client_state {
	PPPOE_CLIENT_IDLE,
	PPPOE_CLIENT_PADI_SENT,
	PPPOE_CLIENT_PADR_SENT,
	PPPOE_CLIENT_SESSION,
};
const char *pppoe_client_state_str(enum pppoe_client_state st);

struct pppoe_client_stats {
	uint64_t padi_tx, pado_rx, padr_tx, pads_rx, padt_rx, padt_tx;
	uint64_t malformed, ignored; /* not ours / not acceptable */
	uint64_t rx_frames, tx_frames;
};

struct pppoe_client;

struct pppoe_client *pppoe_client_new(const struct pppoe_client_config *cfg,
    const struct pppoe_client_ops *ops, void *ctx);
void pppoe_client_free(struct pppoe_client *c);
/* Idle → sends the first PADI.  -1 if not idle. */
int pppoe_client_start(struct pppoe_client *c, uint64_t now);
void pppoe_client_input(struct pppoe_client *c, const uint8_t *frame,
    size_t len, uint64_t now);
void pppoe_client_timeout(struct pppoe_client *c, uint64_t now);
uint64_t pppoe_client_next_deadline(const struct pppoe_client *c);
/* A PPP frame on the session; a leading FF 03 is removed (see
 * pppoe_server_send).  -1 if no session, too big or the send failed. */
int pppoe_client_send(struct pppoe_client *c, const uint8_t *ppp, size_t len);
/* Sends PADT (reason as Generic-Error) if a session is up; back to idle. */
void pppoe_client_close(struct pppoe_client *c, const char *reason);
enum pppoe_client_state pppoe_client_state(const struct pppoe_client *c);
uint16_t pppoe_client_session_id(const struct pppoe_client *c);
const uint8_t *pppoe_client_ac_mac(const struct pppoe_client *c);
const char *pppoe_client_ac_name(const struct pppoe_client *c);
const struct pppoe_client_stats *pppoe_client_stats(
    const struct pppoe_client *c);

#endif
