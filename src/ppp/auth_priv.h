/*
 * auth_priv.h — the codecs and helpers shared by the authentication
 * exchanges (auth.c) and the users-file backend (auth_users.c).  Not part of
 * the contract with the link: that is auth.h.
 *
 * Parsers take a PPP information field (code, id, length, data), honour the
 * Length field (RFC 1661 §5: octets past Length are padding) and return -1
 * for anything truncated or inconsistent; builders return the packet length,
 * or 0 when it does not fit.
 */
#ifndef VPDN_PPP_AUTH_PRIV_H
#define VPDN_PPP_AUTH_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/auth.h"

/* Largest packet we build: CHAP Challenge with 255 value octets and a
 * maximal name, or a Failure with a message. */
#define AUTH_PKT_MAX (4 + 1 + 255 + AUTH_MAX_NAME)

#define CHAP_MD5_CHALLENGE_LEN 16 /* RFC 1994 §2.3: our choice */
#define CHAP_MD5_RESPONSE_LEN  16 /* MD5 digest */
#define MSCHAPV2_CHALLENGE_LEN 16 /* RFC 2759 §3 */
#define MSCHAPV2_RESPONSE_LEN  49 /* RFC 2759 §4 */
#define MSCHAPV2_AUTH_RESP_LEN 42 /* "S=" + 40 hex, RFC 2759 §5 */

/* The common header of PAP and CHAP packets (RFC 1334 §2.2, RFC 1994 §4). */
struct auth_hdr {
	uint8_t code;
	uint8_t id;
	const uint8_t *data; /* after the 4-octet header */
	size_t len;	     /* data octets covered by Length */
};
int auth_hdr_parse(const uint8_t *pkt, size_t len, struct auth_hdr *h);

/* ---- PAP, RFC 1334 §2.2 ---- */

struct pap_request {
	const uint8_t *peer_id;
	size_t peer_id_len;
	const uint8_t *password;
	size_t password_len;
};
int pap_parse_request(const struct auth_hdr *h, struct pap_request *r);
/* Ack/Nak: Msg-Length + Message. */
int pap_parse_reply(const struct auth_hdr *h, const uint8_t **msg,
    size_t *msg_len);
size_t pap_build_request(uint8_t *out, size_t cap, uint8_t id,
    const char *peer_id, const uint8_t *password, size_t password_len);
size_t pap_build_reply(uint8_t *out, size_t cap, uint8_t code, uint8_t id,
    const char *msg);

/* ---- CHAP, RFC 1994 §4 ---- */

/* Challenge and Response: Value-Size, Value, Name. */
struct chap_value {
	const uint8_t *value;
	size_t value_len;
	const uint8_t *name;
	size_t name_len;
};
int chap_parse_value(const struct auth_hdr *h, struct chap_value *v);
size_t chap_build_value(uint8_t *out, size_t cap, uint8_t code, uint8_t id,
    const uint8_t *value, size_t value_len, const char *name);
/* Success and Failure: the Message is the rest of the packet. */
size_t chap_build_status(uint8_t *out, size_t cap, uint8_t code, uint8_t id,
    const char *msg);

/* ---- MS-CHAPv2 pieces, RFC 2759 ---- */

/* RFC 2759 §8.3: MD4 of the password as UTF-16LE (ASCII/UTF-8 in). */
void mschapv2_nt_password_hash(const uint8_t *password, size_t password_len,
    uint8_t out[16]);
/* RFC 2759 §8.2: the user name without any "DOMAIN\" prefix (§4). */
const char *mschapv2_strip_domain(const char *user);
/* RFC 2759 §5: true when msg starts with the expected "S=<40 hex>",
 * compared in constant time (hex digits in either case accepted). */
bool mschapv2_check_success(const uint8_t *msg, size_t msg_len,
    const char expected[43]);

/* Copies a wire name into a C string; -1 if empty, too long or holding a
 * NUL (a name we could not compare or log faithfully). */
int auth_copy_name(char *dst, size_t cap, const uint8_t *src, size_t len);
/* A printable, quoted-safe copy of a peer-supplied string for log lines. */
void auth_log_str(char *dst, size_t cap, const char *src);

#endif
