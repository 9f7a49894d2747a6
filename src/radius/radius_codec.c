/*
 * radius_codec.c — RADIUS packet build/parse, authenticators and hidden
 * attribute values (see radius_codec.h).  Pure: no I/O, no time, no
 * allocation; randomness only through core/random.
 *
 * Invariant: a struct radius_packet's Length field always tells how many
 * octets of data[] are valid, and (for parsed packets) every attribute in
 * that range has a length >= 2 that stays inside it, so the walkers below
 * cannot run out of bounds.  Packets built here keep it by construction.
 */
#include <string.h>

#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/memops.h>

#include "core/random.h"
#include "radius/radius_codec.h"

#define OFF_CODE 0
#define OFF_ID	 1
#define OFF_LEN	 2
#define OFF_AUTH 4

const char *
radius_code_str(unsigned code)
{
	switch (code) {
	/* clang-format off */
	case RADIUS_CODE_ACCESS_REQUEST:	return "Access-Request";
	case RADIUS_CODE_ACCESS_ACCEPT:		return "Access-Accept";
	case RADIUS_CODE_ACCESS_REJECT:		return "Access-Reject";
	case RADIUS_CODE_ACCOUNTING_REQUEST:	return "Accounting-Request";
	case RADIUS_CODE_ACCOUNTING_RESPONSE:	return "Accounting-Response";
	case RADIUS_CODE_ACCESS_CHALLENGE:	return "Access-Challenge";
	case RADIUS_CODE_DISCONNECT_REQUEST:	return "Disconnect-Request";
	case RADIUS_CODE_DISCONNECT_ACK:	return "Disconnect-ACK";
	case RADIUS_CODE_DISCONNECT_NAK:	return "Disconnect-NAK";
	case RADIUS_CODE_COA_REQUEST:		return "CoA-Request";
	case RADIUS_CODE_COA_ACK:		return "CoA-ACK";
	case RADIUS_CODE_COA_NAK:		return "CoA-NAK";
	default:				return "unknown-code";
		/* clang-format on */
	}
}

const char *
radius_err_str(enum radius_err e)
{
	switch (e) {
	/* clang-format off */
	case RADIUS_OK:			return "ok";
	case RADIUS_ERR_SHORT:		return "short packet";
	case RADIUS_ERR_LENGTH:		return "bad Length";
	case RADIUS_ERR_ATTR:		return "bad attribute length";
	case RADIUS_ERR_NOSPACE:	return "no space";
	case RADIUS_ERR_NOTFOUND:	return "attribute not found";
	case RADIUS_ERR_VALUE:		return "bad attribute value";
	case RADIUS_ERR_AUTH:		return "bad authenticator";
	case RADIUS_ERR_MSGAUTH:	return "bad Message-Authenticator";
		/* clang-format on */
	}
	return "unknown";
}

/* ---- packet ---- */

static void
set_len(struct radius_packet *p, size_t len)
{
	p->data[OFF_LEN] = (uint8_t)(len >> 8);
	p->data[OFF_LEN + 1] = (uint8_t)len;
}

size_t
radius_len(const struct radius_packet *p)
{
	return ((size_t)p->data[OFF_LEN] << 8) | p->data[OFF_LEN + 1];
}

void
radius_packet_init(struct radius_packet *p, uint8_t code, uint8_t id,
    const uint8_t *auth)
{
	p->data[OFF_CODE] = code;
	p->data[OFF_ID] = id;
	set_len(p, RADIUS_HDR_LEN);
	radius_set_authenticator(p, auth);
}

/* Checks the attribute list of data[0..len) (RFC 2865 §5). */
static enum radius_err
check_attrs(const uint8_t *d, size_t len)
{
	size_t off = RADIUS_HDR_LEN;

	while (off < len) {
		if (len - off < 2 || d[off + 1] < 2 || d[off + 1] > len - off)
			return RADIUS_ERR_ATTR;
		off += d[off + 1];
	}
	return RADIUS_OK;
}

enum radius_err
radius_packet_parse(struct radius_packet *p, const uint8_t *buf, size_t len)
{
	size_t plen;
	enum radius_err e;

	if (len < RADIUS_HDR_LEN)
		return RADIUS_ERR_SHORT;
	plen = ((size_t)buf[OFF_LEN] << 8) | buf[OFF_LEN + 1];
	/* RFC 2865 §3: Length outside 20..4096 is malformed; a datagram
	 * shorter than Length is silently discarded; octets past Length are
	 * padding and ignored. */
	if (plen < RADIUS_HDR_LEN || plen > RADIUS_MAX_LEN)
		return RADIUS_ERR_LENGTH;
	if (plen > len)
		return RADIUS_ERR_SHORT;
	if ((e = check_attrs(buf, plen)) != RADIUS_OK)
		return e;
	memcpy(p->data, buf, plen);
	return RADIUS_OK;
}

uint8_t
radius_code(const struct radius_packet *p)
{
	return p->data[OFF_CODE];
}

uint8_t
radius_id(const struct radius_packet *p)
{
	return p->data[OFF_ID];
}

void
radius_set_id(struct radius_packet *p, uint8_t id)
{
	p->data[OFF_ID] = id;
}

const uint8_t *
radius_authenticator(const struct radius_packet *p)
{
	return p->data + OFF_AUTH;
}

void
radius_set_authenticator(struct radius_packet *p, const uint8_t *auth)
{
	if (auth != NULL)
		memcpy(p->data + OFF_AUTH, auth, RADIUS_AUTH_LEN);
	else
		memset(p->data + OFF_AUTH, 0, RADIUS_AUTH_LEN);
}

void
radius_set_random_authenticator(struct radius_packet *p)
{
	random_bytes(p->data + OFF_AUTH, RADIUS_AUTH_LEN);
}

/* ---- attributes ---- */

/* Reserves an attribute of value length len; returns its value or NULL. */
static uint8_t *
put_attr(struct radius_packet *p, uint8_t type, size_t len)
{
	size_t plen = radius_len(p);
	uint8_t *a;

	if (len > RADIUS_MAX_ATTR_VALUE || plen + 2 + len > RADIUS_MAX_LEN)
		return NULL;
	a = p->data + plen;
	a[0] = type;
	a[1] = (uint8_t)(len + 2);
	set_len(p, plen + 2 + len);
	return a + 2;
}

enum radius_err
radius_put_raw(struct radius_packet *p, uint8_t type, const void *val,
    size_t len)
{
	uint8_t *v = put_attr(p, type, len);

	if (v == NULL)
		return RADIUS_ERR_NOSPACE;
	if (len > 0)
		memcpy(v, val, len);
	return RADIUS_OK;
}

enum radius_err
radius_put_string(struct radius_packet *p, uint8_t type, const char *s)
{
	size_t len = strlen(s);

	/* RFC 2865 §5: text and string values are at least one octet. */
	if (len == 0)
		return RADIUS_ERR_VALUE;
	return radius_put_raw(p, type, s, len);
}

static void
be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t
rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

enum radius_err
radius_put_u32(struct radius_packet *p, uint8_t type, uint32_t v)
{
	uint8_t b[4];

	be32(b, v);
	return radius_put_raw(p, type, b, 4);
}

enum radius_err
radius_put_ipv4(struct radius_packet *p, uint8_t type, uint32_t addr)
{
	return radius_put_u32(p, type, addr);
}

enum radius_err
radius_put_vs_raw(struct radius_packet *p, uint32_t vendor, uint8_t vtype,
    const void *val, size_t len)
{
	uint8_t *v;

	if (len > RADIUS_MAX_ATTR_VALUE - 6)
		return RADIUS_ERR_NOSPACE;
	if ((v = put_attr(p, RADIUS_ATTR_VENDOR_SPECIFIC, 6 + len)) == NULL)
		return RADIUS_ERR_NOSPACE;
	be32(v, vendor);
	v[4] = vtype;
	v[5] = (uint8_t)(len + 2);
	if (len > 0)
		memcpy(v + 6, val, len);
	return RADIUS_OK;
}

enum radius_err
radius_put_tagged_u32(struct radius_packet *p, uint8_t type, uint8_t tag,
    uint32_t v)
{
	uint8_t b[4];

	/* RFC 2868 §3.1: Tag 0x01..0x1F, or 0 when unused; value 3 octets. */
	if (tag > 0x1f || v > 0xffffff)
		return RADIUS_ERR_VALUE;
	be32(b, v);
	b[0] = tag;
	return radius_put_raw(p, type, b, 4);
}

enum radius_err
radius_put_tagged_string(struct radius_packet *p, uint8_t type, uint8_t tag,
    const char *s)
{
	size_t len = strlen(s);
	uint8_t *v;

	if (tag > 0x1f || len == 0)
		return RADIUS_ERR_VALUE;
	/* RFC 2868 §3.3: with no tag, the first octet must not look like
	 * one; such a string needs tag 0 sent explicitly. */
	if (tag == 0 && (uint8_t)s[0] > 0x1f)
		return radius_put_raw(p, type, s, len);
	if ((v = put_attr(p, type, len + 1)) == NULL)
		return RADIUS_ERR_NOSPACE;
	v[0] = tag;
	memcpy(v + 1, s, len);
	return RADIUS_OK;
}

void
radius_del_attr(struct radius_packet *p, uint8_t type)
{
	size_t len = radius_len(p), off = RADIUS_HDR_LEN, alen;

	while (off < len) {
		alen = p->data[off + 1];
		if (p->data[off] == type) {
			memmove(p->data + off, p->data + off + alen,
			    len - off - alen);
			len -= alen;
		} else
			off += alen;
	}
	set_len(p, len);
}

bool
radius_next_attr(const struct radius_packet *p, struct radius_iter *it,
    uint8_t *type, const uint8_t **val, size_t *len)
{
	size_t plen = radius_len(p);

	if (it->off < RADIUS_HDR_LEN)
		it->off = RADIUS_HDR_LEN;
	if (it->off + 2 > plen)
		return false;
	*type = p->data[it->off];
	*len = p->data[it->off + 1] - 2u;
	*val = p->data + it->off + 2;
	it->off += p->data[it->off + 1];
	return true;
}

enum radius_err
radius_get_raw(const struct radius_packet *p, uint8_t type, const uint8_t **val,
    size_t *len)
{
	struct radius_iter it = { 0 };
	uint8_t t;

	while (radius_next_attr(p, &it, &t, val, len))
		if (t == type)
			return RADIUS_OK;
	return RADIUS_ERR_NOTFOUND;
}

bool
radius_has_attr(const struct radius_packet *p, uint8_t type)
{
	const uint8_t *v;
	size_t l;

	return radius_get_raw(p, type, &v, &l) == RADIUS_OK;
}

static enum radius_err
copy_string(const uint8_t *v, size_t l, char *out, size_t outsz)
{
	if (l >= outsz || memchr(v, '\0', l) != NULL)
		return RADIUS_ERR_VALUE;
	memcpy(out, v, l);
	out[l] = '\0';
	return RADIUS_OK;
}

enum radius_err
radius_get_string(const struct radius_packet *p, uint8_t type, char *out,
    size_t outsz)
{
	const uint8_t *v;
	size_t l;
	enum radius_err e;

	if ((e = radius_get_raw(p, type, &v, &l)) != RADIUS_OK)
		return e;
	return copy_string(v, l, out, outsz);
}

enum radius_err
radius_get_u32(const struct radius_packet *p, uint8_t type, uint32_t *out)
{
	const uint8_t *v;
	size_t l;
	enum radius_err e;

	if ((e = radius_get_raw(p, type, &v, &l)) != RADIUS_OK)
		return e;
	if (l != 4)
		return RADIUS_ERR_VALUE;
	*out = rd32(v);
	return RADIUS_OK;
}

enum radius_err
radius_get_ipv4(const struct radius_packet *p, uint8_t type, uint32_t *addr)
{
	return radius_get_u32(p, type, addr);
}

enum radius_err
radius_get_vs_raw(const struct radius_packet *p, uint32_t vendor, uint8_t vtype,
    const uint8_t **val, size_t *len)
{
	struct radius_iter it = { 0 };
	const uint8_t *v;
	size_t l, off;
	uint8_t t;
	bool bad = false;

	while (radius_next_attr(p, &it, &t, &v, &l)) {
		if (t != RADIUS_ATTR_VENDOR_SPECIFIC || l < 4 ||
		    rd32(v) != vendor)
			continue;
		/* RFC 2865 §5.26's SHOULD format: one or more (type, length,
		 * value) triplets after the Vendor-Id. */
		for (off = 4; off < l; off += v[off + 1]) {
			if (l - off < 2 || v[off + 1] < 2 ||
			    v[off + 1] > l - off) {
				bad = true;
				break;
			}
			if (v[off] == vtype) {
				*val = v + off + 2;
				*len = v[off + 1] - 2u;
				return RADIUS_OK;
			}
		}
	}
	return bad ? RADIUS_ERR_VALUE : RADIUS_ERR_NOTFOUND;
}

enum radius_err
radius_get_vs_ipv4(const struct radius_packet *p, uint32_t vendor,
    uint8_t vtype, uint32_t *addr)
{
	const uint8_t *v;
	size_t l;
	enum radius_err e;

	if ((e = radius_get_vs_raw(p, vendor, vtype, &v, &l)) != RADIUS_OK)
		return e;
	if (l != 4)
		return RADIUS_ERR_VALUE;
	*addr = rd32(v);
	return RADIUS_OK;
}

enum radius_err
radius_tagged_u32(const uint8_t *val, size_t len, uint8_t *tag, uint32_t *v)
{
	if (len != 4)
		return RADIUS_ERR_VALUE;
	/* RFC 2868 §3.1: a tag greater than 0x1F is not a tag: the value is
	 * still the last three octets, with the group unknown (0). */
	*tag = val[0] <= 0x1f ? val[0] : 0;
	*v = rd32(val) & 0xffffff;
	return RADIUS_OK;
}

enum radius_err
radius_tagged_string(const uint8_t *val, size_t len, uint8_t *tag, char *out,
    size_t outsz)
{
	if (len == 0)
		return RADIUS_ERR_VALUE;
	/* RFC 2868 §3.3: "If the value of the Tag field is greater than 0x00
	 * and less than or equal to 0x1F, it SHOULD be interpreted as
	 * indicating which tunnel ... Otherwise the Tag field SHOULD be
	 * treated as the first byte of the following String field." */
	if (val[0] <= 0x1f) {
		*tag = val[0];
		val++;
		len--;
	} else
		*tag = 0;
	return copy_string(val, len, out, outsz);
}

/* ---- authenticators ---- */

static size_t
secret_len(const char *secret)
{
	return strlen(secret);
}

/* Offset of the first Message-Authenticator attribute, or 0. */
static size_t
msgauth_off(const struct radius_packet *p)
{
	struct radius_iter it = { 0 };
	const uint8_t *v;
	size_t l;
	uint8_t t;

	while (radius_next_attr(p, &it, &t, &v, &l))
		if (t == RADIUS_ATTR_MESSAGE_AUTHENTICATOR)
			return (size_t)(v - p->data) - 2;
	return 0;
}

/* HMAC-MD5 over the packet with the Message-Authenticator value zeroed and
 * the authenticator field replaced by auth (RFC 2869 §5.14). */
static void
msgauth_compute(const struct radius_packet *p, size_t maoff,
    const uint8_t *auth, const char *secret, uint8_t out[16])
{
	struct hmac_md5_ctx ctx;
	static const uint8_t zero[16];
	size_t len = radius_len(p);

	hmac_md5_set_key(&ctx, secret_len(secret), (const uint8_t *)secret);
	hmac_md5_update(&ctx, OFF_AUTH, p->data);
	hmac_md5_update(&ctx, RADIUS_AUTH_LEN, auth != NULL ? auth : zero);
	hmac_md5_update(&ctx, maoff + 2 - RADIUS_HDR_LEN,
	    p->data + RADIUS_HDR_LEN);
	hmac_md5_update(&ctx, 16, zero);
	hmac_md5_update(&ctx, len - (maoff + 18), p->data + maoff + 18);
	hmac_md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

static void
msgauth_fill(struct radius_packet *p, const uint8_t *auth, const char *secret)
{
	size_t off = msgauth_off(p);

	if (off == 0 || p->data[off + 1] != 18)
		return;
	msgauth_compute(p, off, auth, secret, p->data + off + 2);
}

enum radius_err
radius_put_message_authenticator(struct radius_packet *p)
{
	static const uint8_t zero[16];

	return radius_put_raw(p, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero, 16);
}

enum radius_err
radius_check_message_authenticator(const struct radius_packet *p,
    const uint8_t *req_auth, const char *secret)
{
	size_t off = msgauth_off(p);
	uint8_t want[16];
	uint8_t code = radius_code(p);

	if (off == 0)
		return RADIUS_ERR_NOTFOUND;
	if (p->data[off + 1] != 18)
		return RADIUS_ERR_MSGAUTH;
	if (req_auth == NULL && code == RADIUS_CODE_ACCESS_REQUEST)
		req_auth = radius_authenticator(p);
	msgauth_compute(p, off, req_auth, secret, want);
	return memeql_sec(want, p->data + off + 2, 16) ? RADIUS_OK :
							 RADIUS_ERR_MSGAUTH;
}

/* MD5(Code+ID+Length+auth+Attributes+Secret). */
static void
packet_md5(const struct radius_packet *p, const uint8_t *auth,
    const char *secret, uint8_t out[16])
{
	struct md5_ctx ctx;
	size_t len = radius_len(p);

	md5_init(&ctx);
	md5_update(&ctx, OFF_AUTH, p->data);
	md5_update(&ctx, RADIUS_AUTH_LEN, auth);
	md5_update(&ctx, len - RADIUS_HDR_LEN, p->data + RADIUS_HDR_LEN);
	md5_update(&ctx, secret_len(secret), (const uint8_t *)secret);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

void
radius_sign_accounting_request(struct radius_packet *p, const char *secret)
{
	static const uint8_t zero[16];

	/* RFC 5176 §3.5 / RFC 3579 §3.2: Message-Authenticator over the
	 * zeroed authenticator field. */
	radius_set_authenticator(p, NULL);
	msgauth_fill(p, NULL, secret);
	packet_md5(p, zero, secret, p->data + OFF_AUTH);
}

void
radius_sign_access_request(struct radius_packet *p, const char *secret)
{
	uint8_t auth[16];

	memcpy(auth, radius_authenticator(p), 16);
	msgauth_fill(p, auth, secret);
}

void
radius_sign_response(struct radius_packet *p, const uint8_t *req_auth,
    const char *secret)
{
	/* RFC 2869 §5.14: Message-Authenticator "is calculated and inserted
	 * in the packet before the Response Authenticator is calculated". */
	msgauth_fill(p, req_auth, secret);
	packet_md5(p, req_auth, secret, p->data + OFF_AUTH);
}

bool
radius_check_response_auth(const struct radius_packet *p,
    const uint8_t *req_auth, const char *secret)
{
	uint8_t want[16];

	packet_md5(p, req_auth, secret, want);
	return memeql_sec(want, radius_authenticator(p), 16) != 0;
}

bool
radius_check_accounting_request_auth(const struct radius_packet *p,
    const char *secret)
{
	static const uint8_t zero[16];
	uint8_t want[16];

	packet_md5(p, zero, secret, want);
	return memeql_sec(want, radius_authenticator(p), 16) != 0;
}

/* ---- hidden values ---- */

/* b = MD5(secret + prev), the key stream block of RFC 2865 §5.2 and
 * RFC 2868 §3.5 (whose first block adds the salt). */
static void
hide_block(const char *secret, const uint8_t *prev, size_t prevlen,
    const uint8_t *salt, size_t saltlen, uint8_t out[16])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, secret_len(secret), (const uint8_t *)secret);
	md5_update(&ctx, prevlen, prev);
	if (saltlen > 0)
		md5_update(&ctx, saltlen, salt);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

/* In-place c(i) = p(i) xor MD5(S + c(i-1)), c(0) = RA [+ salt]. */
static void
hide(uint8_t *buf, size_t len, const uint8_t *ra, const uint8_t *salt,
    size_t saltlen, const char *secret)
{
	uint8_t b[16];
	size_t i, j;

	for (i = 0; i < len; i += 16) {
		if (i == 0)
			hide_block(secret, ra, 16, salt, saltlen, b);
		else
			hide_block(secret, buf + i - 16, 16, NULL, 0, b);
		for (j = 0; j < 16; j++)
			buf[i + j] ^= b[j];
	}
	explicit_bzero(b, sizeof(b));
}

/* p(i) = c(i) xor MD5(S + c(i-1)); walks backwards so it can run in place. */
static void
unhide(uint8_t *buf, size_t len, const uint8_t *ra, const uint8_t *salt,
    size_t saltlen, const char *secret)
{
	uint8_t b[16];
	size_t i, j;

	for (i = len; i >= 16; i -= 16) {
		if (i == 16)
			hide_block(secret, ra, 16, salt, saltlen, b);
		else
			hide_block(secret, buf + i - 32, 16, NULL, 0, b);
		for (j = 0; j < 16; j++)
			buf[i - 16 + j] ^= b[j];
	}
	explicit_bzero(b, sizeof(b));
}

enum radius_err
radius_put_user_password(struct radius_packet *p, const uint8_t *pw, size_t len,
    const char *secret)
{
	uint8_t buf[RADIUS_MAX_PASSWORD];
	size_t padded;
	enum radius_err e;

	/* RFC 2865 §5.2: padded with nulls to a multiple of 16, at most
	 * 128 octets. */
	if (len == 0 || len > RADIUS_MAX_PASSWORD)
		return RADIUS_ERR_VALUE;
	padded = (len + 15) & ~(size_t)15;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, pw, len);
	hide(buf, padded, radius_authenticator(p), NULL, 0, secret);
	e = radius_put_raw(p, RADIUS_ATTR_USER_PASSWORD, buf, padded);
	explicit_bzero(buf, sizeof(buf));
	return e;
}

enum radius_err
radius_get_user_password(const struct radius_packet *p, uint8_t *out,
    size_t outsz, size_t *outlen, const char *secret)
{
	uint8_t buf[RADIUS_MAX_PASSWORD];
	const uint8_t *v;
	size_t l;
	enum radius_err e;

	if ((e = radius_get_raw(p, RADIUS_ATTR_USER_PASSWORD, &v, &l)) !=
	    RADIUS_OK)
		return e;
	if (l < 16 || l > RADIUS_MAX_PASSWORD || l % 16 != 0)
		return RADIUS_ERR_VALUE;
	memcpy(buf, v, l);
	unhide(buf, l, radius_authenticator(p), NULL, 0, secret);
	while (l > 0 && buf[l - 1] == '\0')
		l--;
	if (l > outsz) {
		explicit_bzero(buf, sizeof(buf));
		return RADIUS_ERR_VALUE;
	}
	memcpy(out, buf, l);
	*outlen = l;
	explicit_bzero(buf, sizeof(buf));
	return RADIUS_OK;
}

enum radius_err
radius_tunnel_password_encrypt(uint8_t tag, uint16_t salt, const uint8_t *pw,
    size_t pwlen, const uint8_t *req_auth, const char *secret, uint8_t *out,
    size_t outsz, size_t *outlen)
{
	size_t padded;

	/* RFC 2868 §3.5: Tag, Salt (2 octets, most significant bit set),
	 * then the encrypted Data-Length octet + password + padding. */
	if (tag > 0x1f || pwlen > RADIUS_MAX_TUNNEL_PASSWORD)
		return RADIUS_ERR_VALUE;
	padded = (pwlen + 1 + 15) & ~(size_t)15;
	if (outsz < 3 + padded)
		return RADIUS_ERR_NOSPACE;
	salt |= 0x8000;
	out[0] = tag;
	out[1] = (uint8_t)(salt >> 8);
	out[2] = (uint8_t)salt;
	memset(out + 3, 0, padded);
	out[3] = (uint8_t)pwlen;
	if (pwlen > 0)
		memcpy(out + 4, pw, pwlen);
	hide(out + 3, padded, req_auth, out + 1, 2, secret);
	*outlen = 3 + padded;
	return RADIUS_OK;
}

enum radius_err
radius_tunnel_password_decrypt(const uint8_t *val, size_t len,
    const uint8_t *req_auth, const char *secret, uint8_t *tag, uint8_t *out,
    size_t outsz, size_t *outlen)
{
	uint8_t buf[RADIUS_MAX_ATTR_VALUE];
	size_t clen;

	if (len < 3 + 16 || (len - 3) % 16 != 0 || len > sizeof(buf))
		return RADIUS_ERR_VALUE;
	clen = len - 3;
	memcpy(buf, val + 3, clen);
	unhide(buf, clen, req_auth, val + 1, 2, secret);
	/* The Data-Length octet must fit in what was sent. */
	if ((size_t)buf[0] + 1 > clen || buf[0] > outsz) {
		explicit_bzero(buf, sizeof(buf));
		return RADIUS_ERR_VALUE;
	}
	*tag = val[0];
	memcpy(out, buf + 1, buf[0]);
	*outlen = buf[0];
	explicit_bzero(buf, sizeof(buf));
	return RADIUS_OK;
}

enum radius_err
radius_put_tunnel_password(struct radius_packet *p, uint8_t tag,
    const uint8_t *pw, size_t pwlen, const uint8_t *req_auth,
    const char *secret)
{
	uint8_t buf[RADIUS_MAX_ATTR_VALUE];
	size_t len;
	enum radius_err e;

	e = radius_tunnel_password_encrypt(tag, random_u16(), pw, pwlen,
	    req_auth, secret, buf, sizeof(buf), &len);
	if (e == RADIUS_OK)
		e = radius_put_raw(p, RADIUS_ATTR_TUNNEL_PASSWORD, buf, len);
	explicit_bzero(buf, sizeof(buf));
	return e;
}
