/*
 * radius_codec.h — RADIUS packets (RFC 2865/2866/2869/2868/3576) without I/O.
 *
 * In the shape of OpenBSD's libradius: a packet is a buffer with its length
 * in the header; attributes are appended with typed put functions and found
 * with typed get functions; authenticators, User-Password hiding,
 * Message-Authenticator and Tunnel-Password salt encryption are separate
 * calls over that buffer.  radius_packet_parse() is the only way bytes from
 * the network become a struct radius_packet, and it checks every length
 * (packet 20..4096, each attribute >= 2 octets and inside the packet), so
 * the accessors never have to.  No sockets, no time, no allocation.
 *
 * Shared secrets are NUL-terminated strings (INTERFACE.md `secret =`).
 */
#ifndef VPDN_RADIUS_RADIUS_CODEC_H
#define VPDN_RADIUS_RADIUS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "radius/radius_attr_table.h"

/* RFC 2865 §3: "The minimum length is 20 and maximum length is 4096." */
#define RADIUS_HDR_LEN		   20
#define RADIUS_MAX_LEN		   4096
#define RADIUS_AUTH_LEN		   16
#define RADIUS_MAX_ATTR_VALUE	   253 /* Length octet 255 minus 2 */
/* RFC 2865 §5.2: the password is at most 128 octets. */
#define RADIUS_MAX_PASSWORD	   128
/* RFC 2868 §3.5: one length octet plus the password, padded to 16s, within
 * 253 - tag - salt: at most 240 octets of ciphertext. */
#define RADIUS_MAX_TUNNEL_PASSWORD 239

/* RFC 2865 §3, RFC 2866 §3, RFC 3576 §2.3. */
enum radius_code {
	RADIUS_CODE_ACCESS_REQUEST = 1,
	RADIUS_CODE_ACCESS_ACCEPT = 2,
	RADIUS_CODE_ACCESS_REJECT = 3,
	RADIUS_CODE_ACCOUNTING_REQUEST = 4,
	RADIUS_CODE_ACCOUNTING_RESPONSE = 5,
	RADIUS_CODE_ACCESS_CHALLENGE = 11,
	RADIUS_CODE_DISCONNECT_REQUEST = 40,
	RADIUS_CODE_DISCONNECT_ACK = 41,
	RADIUS_CODE_DISCONNECT_NAK = 42,
	RADIUS_CODE_COA_REQUEST = 43,
	RADIUS_CODE_COA_ACK = 44,
	RADIUS_CODE_COA_NAK = 45,
};
const char *radius_code_str(unsigned code);

enum radius_err {
	RADIUS_OK = 0,
	RADIUS_ERR_SHORT,    /* datagram shorter than 20 or than Length */
	RADIUS_ERR_LENGTH,   /* Length field outside 20..4096 */
	RADIUS_ERR_ATTR,     /* attribute length < 2 or past the end */
	RADIUS_ERR_NOSPACE,  /* put: packet or value would exceed limits */
	RADIUS_ERR_NOTFOUND, /* get: no such attribute */
	RADIUS_ERR_VALUE,    /* get: attribute present, value malformed */
	RADIUS_ERR_AUTH,     /* Request/Response Authenticator mismatch */
	RADIUS_ERR_MSGAUTH,  /* Message-Authenticator mismatch */
};
const char *radius_err_str(enum radius_err e);

struct radius_packet {
	uint8_t data[RADIUS_MAX_LEN]; /* header + attributes */
};

/* ---- packet ---- */

/* A new packet with no attributes; auth NULL means 16 zero octets (set it
 * later with radius_set_authenticator or one of the sign functions). */
void radius_packet_init(struct radius_packet *p, uint8_t code, uint8_t id,
    const uint8_t *auth);
/* Copies a datagram in after RFC 2865 §3's checks: Length in 20..4096 and
 * not past the datagram (octets after Length are padding, ignored), every
 * attribute's length >= 2 and inside Length. */
enum radius_err radius_packet_parse(struct radius_packet *p, const uint8_t *buf,
    size_t len);

uint8_t radius_code(const struct radius_packet *p);
uint8_t radius_id(const struct radius_packet *p);
void radius_set_id(struct radius_packet *p, uint8_t id);
size_t radius_len(const struct radius_packet *p);
const uint8_t *radius_authenticator(const struct radius_packet *p);
void radius_set_authenticator(struct radius_packet *p, const uint8_t *auth);
/* RFC 2865 §3: a random, unpredictable Request Authenticator. */
void radius_set_random_authenticator(struct radius_packet *p);

/* ---- attributes ---- */

enum radius_err radius_put_raw(struct radius_packet *p, uint8_t type,
    const void *val, size_t len);
enum radius_err radius_put_string(struct radius_packet *p, uint8_t type,
    const char *s);
enum radius_err radius_put_u32(struct radius_packet *p, uint8_t type,
    uint32_t v);
/* addr in host order. */
enum radius_err radius_put_ipv4(struct radius_packet *p, uint8_t type,
    uint32_t addr);
/* RFC 2865 §5.26: Vendor-Id (4), then vendor type, vendor length, value. */
enum radius_err radius_put_vs_raw(struct radius_packet *p, uint32_t vendor,
    uint8_t vtype, const void *val, size_t len);
/* RFC 2868 §3.1: tagged integer — tag octet, then the low 3 value octets. */
enum radius_err radius_put_tagged_u32(struct radius_packet *p, uint8_t type,
    uint8_t tag, uint32_t v);
/* RFC 2868 §3.3: tagged string — a tag octet 0x01..0x1F, or none (tag 0). */
enum radius_err radius_put_tagged_string(struct radius_packet *p, uint8_t type,
    uint8_t tag, const char *s);
/* Removes every attribute of this type (for rebuilding a request). */
void radius_del_attr(struct radius_packet *p, uint8_t type);

/* First occurrence; *val points into p. */
enum radius_err radius_get_raw(const struct radius_packet *p, uint8_t type,
    const uint8_t **val, size_t *len);
bool radius_has_attr(const struct radius_packet *p, uint8_t type);
/* Copies and NUL-terminates; RADIUS_ERR_VALUE if it would not fit or holds
 * a NUL. */
enum radius_err radius_get_string(const struct radius_packet *p, uint8_t type,
    char *out, size_t outsz);
/* RFC 2865 §5: integer and address values are exactly 4 octets. */
enum radius_err radius_get_u32(const struct radius_packet *p, uint8_t type,
    uint32_t *v);
enum radius_err radius_get_ipv4(const struct radius_packet *p, uint8_t type,
    uint32_t *addr);
enum radius_err radius_get_vs_raw(const struct radius_packet *p,
    uint32_t vendor, uint8_t vtype, const uint8_t **val, size_t *len);
enum radius_err radius_get_vs_ipv4(const struct radius_packet *p,
    uint32_t vendor, uint8_t vtype, uint32_t *addr);

/* Walks every attribute in order (for repeated ones: Class, Framed-Route,
 * the tagged tunnel attributes).  Start with it.off = 0. */
struct radius_iter {
	size_t off;
};
bool radius_next_attr(const struct radius_packet *p, struct radius_iter *it,
    uint8_t *type, const uint8_t **val, size_t *len);
/* Decoders for one tagged value (RFC 2868 §3). */
enum radius_err radius_tagged_u32(const uint8_t *val, size_t len, uint8_t *tag,
    uint32_t *v);
enum radius_err radius_tagged_string(const uint8_t *val, size_t len,
    uint8_t *tag, char *out, size_t outsz);

/* ---- authenticators ---- */

/* RFC 2866 §3 (and RFC 3576 §2.3 for Disconnect/CoA-Request): Request
 * Authenticator = MD5(Code+ID+Length+16 zero octets+Attributes+Secret);
 * a Message-Authenticator present is filled first over the zero field. */
void radius_sign_accounting_request(struct radius_packet *p,
    const char *secret);
/* Access-Request: the (already random) authenticator stays; only a
 * Message-Authenticator present is filled (RFC 2869 §5.14). */
void radius_sign_access_request(struct radius_packet *p, const char *secret);
/* A reply to a request whose authenticator was req_auth: fills a
 * Message-Authenticator present, then the Response Authenticator
 * MD5(Code+ID+Length+RequestAuth+Attributes+Secret) (RFC 2865 §3). */
void radius_sign_response(struct radius_packet *p, const uint8_t *req_auth,
    const char *secret);
/* Checks of the above; constant time. */
bool radius_check_response_auth(const struct radius_packet *p,
    const uint8_t *req_auth, const char *secret);
bool radius_check_accounting_request_auth(const struct radius_packet *p,
    const char *secret);

/* RFC 2869 §5.14: appends Message-Authenticator (16 zero octets, filled by
 * the sign functions). */
enum radius_err radius_put_message_authenticator(struct radius_packet *p);
/* RADIUS_OK if present and right, RADIUS_ERR_NOTFOUND if absent,
 * RADIUS_ERR_MSGAUTH if wrong or not 16 octets.  req_auth: the request's
 * authenticator for a reply, NULL for an Access-Request, and for
 * Accounting/Disconnect/CoA-Request (whose field counts as zeros). */
enum radius_err
radius_check_message_authenticator(const struct radius_packet *p,
    const uint8_t *req_auth, const char *secret);

/* ---- hidden values ---- */

/* RFC 2865 §5.2: appends User-Password, hidden with the packet's current
 * Request Authenticator (set it first).  1..128 octets. */
enum radius_err radius_put_user_password(struct radius_packet *p,
    const uint8_t *pw, size_t len, const char *secret);
/* The inverse (server side); trailing NUL padding is removed. */
enum radius_err radius_get_user_password(const struct radius_packet *p,
    uint8_t *out, size_t outsz, size_t *outlen, const char *secret);

/* RFC 2868 §3.5: the value of a Tunnel-Password attribute (tag, salt,
 * encrypted length+password+padding).  salt's most significant bit is
 * forced on.  req_auth is the Access-Request's authenticator. */
enum radius_err radius_tunnel_password_encrypt(uint8_t tag, uint16_t salt,
    const uint8_t *pw, size_t pwlen, const uint8_t *req_auth,
    const char *secret, uint8_t *out, size_t outsz, size_t *outlen);
enum radius_err radius_tunnel_password_decrypt(const uint8_t *val, size_t len,
    const uint8_t *req_auth, const char *secret, uint8_t *tag, uint8_t *out,
    size_t outsz, size_t *outlen);
/* Appends one with a random salt. */
enum radius_err radius_put_tunnel_password(struct radius_packet *p, uint8_t tag,
    const uint8_t *pw, size_t pwlen, const uint8_t *req_auth,
    const char *secret);

#endif
