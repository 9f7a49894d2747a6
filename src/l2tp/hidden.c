/*
 * hidden.c — RFC 2661 §4.3 hiding of AVP attribute values.
 *
 * Subformat: Length of Original Value(2) || value || padding, then
 *   b1 = MD5(type(2) || S || RV)    c(1) = p1 xor b1
 *   bi = MD5(S || c(i-1))           c(i) = pi xor bi
 * where the last 16-octet chunk may be short ("only the actual octets
 * present in the Subformat are modified").
 */
#include <string.h>

#include <nettle/md5.h>

#include "core/buf.h"
#include "core/random.h"
#include "l2tp/hidden.h"

#define BLK MD5_DIGEST_SIZE /* 16 */

/* XORs buf[0..len) with the §4.3 stream; dir_encrypt says whether buf holds
 * plaintext (the chaining input is then the output) or ciphertext. */
static void
hidden_xor(uint16_t type, const struct l2tp_secret *secret, const uint8_t *rv,
    size_t rv_len, uint8_t *buf, size_t len, int dir_encrypt)
{
	struct md5_ctx ctx;
	uint8_t b[BLK], prev[BLK], t[2];
	size_t i, n, k;

	put_be16(t, type);
	md5_init(&ctx);
	md5_update(&ctx, sizeof(t), t);
	md5_update(&ctx, secret->len, secret->data);
	md5_update(&ctx, rv_len, rv);
	md5_digest(&ctx, BLK, b);

	for (i = 0; i < len; i += BLK) {
		n = len - i < BLK ? len - i : BLK;
		if (i > 0) {
			/* bi = MD5(S + c(i-1)): chained on the ciphertext. */
			md5_init(&ctx);
			md5_update(&ctx, secret->len, secret->data);
			md5_update(&ctx, BLK, prev);
			md5_digest(&ctx, BLK, b);
		}
		if (!dir_encrypt)
			memcpy(prev, buf + i, n);
		for (k = 0; k < n; k++)
			buf[i + k] ^= b[k];
		if (dir_encrypt)
			memcpy(prev, buf + i, n);
	}
}

size_t
l2tp_hidden_encrypt(uint16_t type, const struct l2tp_secret *secret,
    const uint8_t *rv, size_t rv_len, const uint8_t *value, size_t len,
    uint8_t *out, size_t cap)
{
	size_t total;

	/* §4.3: "The H bit MUST only be set if a shared secret exists". */
	if (secret == NULL || secret->len == 0 || len > UINT16_MAX ||
	    cap < 2 + len)
		return 0;
	/* Pad to a 16-octet boundary to mask the value's length, as far as
	 * cap allows; padding is random (§4.3 "Random additional octets"). */
	total = (2 + len + BLK - 1) / BLK * BLK;
	if (total > cap)
		total = cap;
	put_be16(out, (uint16_t)len);
	memmove(out + 2, value, len);
	random_bytes(out + 2 + len, total - 2 - len);
	hidden_xor(type, secret, rv, rv_len, out, total, 1);
	return total;
}

/*
 * Writes the original value to out[0..return) and needs in_len octets of
 * room there; in and out may be the same buffer.
 */
int
l2tp_hidden_decrypt(uint16_t type, const struct l2tp_secret *secret,
    const uint8_t *rv, size_t rv_len, const uint8_t *in, size_t in_len,
    uint8_t *out)
{
	size_t orig;

	if (secret == NULL || secret->len == 0 || in_len < 2)
		return -1;
	memmove(out, in, in_len);
	hidden_xor(type, secret, rv, rv_len, out, in_len, 0);
	orig = get_be16(out);
	/* A wrong secret or RV shows up here as a nonsense length. */
	if (orig > in_len - 2)
		return -1;
	memmove(out, out + 2, orig);
	return (int)orig;
}
