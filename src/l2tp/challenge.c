/*
 * challenge.c — RFC 2661 §5.1.1 tunnel authentication, CHAP-style (RFC 1994
 * §4.1: MD5(ID || secret || challenge)).  §4.4.3 Challenge Response: "For
 * purposes of the ID value in the CHAP response calculation, the value of
 * the Message Type AVP for this message is used (e.g. 2 for an SCCRP, and 3
 * for an SCCCN)."
 */
#include <nettle/md5.h>
#include <nettle/memops.h>

#include "l2tp/challenge.h"

void
l2tp_challenge_response(uint8_t msg_type, const struct l2tp_secret *secret,
    const uint8_t *challenge, size_t challenge_len, uint8_t out[16])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &msg_type);
	if (secret != NULL && secret->len > 0)
		md5_update(&ctx, secret->len, secret->data);
	md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

bool
l2tp_challenge_verify(uint8_t msg_type, const struct l2tp_secret *secret,
    const uint8_t *challenge, size_t challenge_len, const uint8_t response[16])
{
	uint8_t want[16];

	l2tp_challenge_response(msg_type, secret, challenge, challenge_len,
	    want);
	/* Constant time, so a forger learns nothing from response timing. */
	return memeql_sec(want, response, sizeof(want)) != 0;
}
