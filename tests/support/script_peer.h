/*
 * script_peer.h — the building blocks every scripted peer of the roles
 * shares (role_harness.c, role_harness_lac.c, rh_server.c and
 * tests/fuzz/fuzz_daemon.c): what goes on the wire to the roles and what
 * a peer reads back from them, with no state of its own.
 *
 *   - 32-bit network-order fields (IPCP addresses, magic numbers);
 *   - sp_deliver: one datagram into roles_input, as an exact-size heap
 *     copy so that ASan sees a read past its end;
 *   - sp_ctl_encode: a control message with the peer's Ns/Nr, its Ns
 *     advanced for anything but a ZLB (RFC 2661 §5.8);
 *   - sp_data_msg: a PPP frame in an L2TP data message (RFC 2661 §3.1);
 *   - sp_ppp_open, sp_cp_frame, sp_cp_ack: PPP frames, and the control
 *     protocol packets of LCP, PAP, CHAP and IPCP (RFC 1661 §5);
 *   - sp_pppoe_disc, sp_pppoe_build, sp_pppoe_session: PPPoE discovery
 *     and session frames (RFC 2516 §5, §4);
 *   - sp_advance: the fake clock moved through every deadline of the
 *     roles, with the peers answering after each timer run.
 *
 * Each function aborts (with its file and line on stderr) when a buffer
 * is too small: a scripted peer that cannot say what the test means is a
 * broken test, not an input.  SP_CHECK_AS is that check for the modules
 * built on this one, named after the module.
 */
#ifndef VPDN_TESTS_SUPPORT_SCRIPT_PEER_H
#define VPDN_TESTS_SUPPORT_SCRIPT_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "l2tp/msg.h"
#include "pppoe/pppoe_codec.h"
#include "roles/roles.h"

#define SP_CHECK_AS(who, cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s: %s:%d: %s\n", (who), __FILE__, \
			    __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

uint32_t sp_be32(const uint8_t *q);
void sp_put_be32(uint8_t *q, uint32_t v);

/* pkt from `from` to the roles' `local` address at time now. */
void sp_deliver(struct roles *r, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *from, uint64_t now);

/* m encoded into buf (cap bytes) with Ns = *ns, Nr = nr; *ns advances
 * unless m is a ZLB.  Returns the length. */
size_t sp_ctl_encode(struct l2tp_msg *m, uint16_t *ns, uint16_t nr,
    uint8_t *buf, size_t cap);

/* A data message on tid/sid: T=0, no length, no sequence, Ver 2, then
 * the HDLC address and control fields and the frame (protocol field
 * first).  Returns the length. */
size_t sp_data_msg(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid,
    const uint8_t *frame, size_t len);

/* A received PPP frame: drops the HDLC address and control fields when
 * present and reads the protocol field; *f and *len then cover the
 * information field.  False when no protocol field is there. */
bool sp_ppp_open(const uint8_t **f, size_t *len, uint16_t *proto);

/* The length field of the control protocol packet at f (code first,
 * len bytes there, RFC 1661 §5): 0 unless it is at least 4 and within
 * len. */
uint16_t sp_cp_len(const uint8_t *f, size_t len);

/* A control protocol packet, protocol field first: code, identifier,
 * length, data (RFC 1661 §5).  f holds at least 6 + dlen bytes.  Returns
 * the length. */
size_t sp_cp_frame(uint8_t *f, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t dlen);

/* The Configure-Ack of req (len bytes from its code on): the same
 * identifier and options (RFC 1661 §5.2).  f holds 2 + len bytes. */
size_t sp_cp_ack(uint16_t proto, const uint8_t *req, size_t len, uint8_t *f);

/* The Ethernet broadcast address a PADI goes to (RFC 2516 §5.1). */
extern const uint8_t sp_pppoe_bcast[PPPOE_MAC_LEN];

/* p set to a discovery packet from src to dst with code and session id,
 * no tag but, on anything other than a PADT, one empty Service-Name
 * ("any service", RFC 2516 §5.1-5.4); the caller adds the tags it wants
 * (Host-Uniq, AC-Cookie, AC-Name). */
void sp_pppoe_disc(struct pppoe_pkt *p, const uint8_t *dst, const uint8_t *src,
    uint8_t code, uint16_t session_id);

/* p built into buf (cap bytes).  Returns the length. */
size_t sp_pppoe_build(uint8_t *buf, size_t cap, const struct pppoe_pkt *p);

/* A session frame from src to dst carrying ppp (protocol field first,
 * RFC 2516 §6).  Returns the length. */
size_t sp_pppoe_session(uint8_t *buf, size_t cap, const uint8_t *dst,
    const uint8_t *src, uint16_t session_id, const uint8_t *ppp, size_t len);

/* Moves *now by ms, running the roles' timers at each deadline on the
 * way and at the end; settle (when not NULL) runs first and after each
 * timer run, so the peers answer what the timers sent. */
void sp_advance(struct roles *r, uint64_t *now, uint64_t ms,
    void (*settle)(void *), void *arg);

#endif
