/*
 * chap_md5.c — CHAP packets (RFC 1994 §4) and the MD5 algorithm (RFC 1994
 * §4.1, algorithm 5).  MS-CHAPv2 (RFC 2759) reuses the same packets with its
 * own Value and Message contents (mschapv2.c).
 */
#include <string.h>

#include <nettle/md5.h>

#include "ppp/auth_priv.h"
#include "ppp/ppp_proto.h"

/* RFC 1994 §4.1: the Response Value is MD5 over Identifier || secret ||
 * Challenge Value. */
void
chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
    const uint8_t *challenge, size_t challenge_len, uint8_t out[16])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

/* RFC 1994 §4.1: Value-Size | Value | Name (the rest of the packet). */
int
chap_parse_value(const struct auth_hdr *h, struct chap_value *v)
{
	if (h->len < 1)
		return -1;
	v->value_len = h->data[0];
	/* "The Value field is one or more octets." */
	if (v->value_len == 0 || v->value_len > h->len - 1)
		return -1;
	v->value = h->data + 1;
	v->name = v->value + v->value_len;
	v->name_len = h->len - 1 - v->value_len;
	return 0;
}

size_t
chap_build_value(uint8_t *out, size_t cap, uint8_t code, uint8_t id,
    const uint8_t *value, size_t value_len, const char *name)
{
	size_t nlen = strlen(name), len = 4 + 1 + value_len + nlen;

	if (value_len == 0 || value_len > 255 || len > cap || len > 0xffff)
		return 0;
	out[0] = code;
	out[1] = id;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	out[4] = (uint8_t)value_len;
	memcpy(out + 5, value, value_len);
	memcpy(out + 5 + value_len, name, nlen);
	return len;
}

/* RFC 1994 §4.2: Success and Failure carry an optional Message. */
size_t
chap_build_status(uint8_t *out, size_t cap, uint8_t code, uint8_t id,
    const char *msg)
{
	size_t mlen = strlen(msg), len = 4 + mlen;

	if (len > cap)
		return 0;
	out[0] = code;
	out[1] = id;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	memcpy(out + 4, msg, mlen);
	return len;
}
