/*
 * pap.c — the Password Authentication Protocol packets, RFC 1334 §2.2.
 * The exchanges that use them are in auth.c.
 */
#include <string.h>

#include "ppp/auth_priv.h"
#include "ppp/ppp_proto.h"

/*
 * RFC 1334 §2.2.1 Authenticate-Request:
 *   Code | Identifier | Length | Peer-ID Length | Peer-Id | Passwd-Length |
 *   Password
 */
int
pap_parse_request(const struct auth_hdr *h, struct pap_request *r)
{
	size_t off = 0;

	if (h->len < 1)
		return -1;
	r->peer_id_len = h->data[off++];
	if (r->peer_id_len + 1 > h->len - off)
		return -1; /* the Peer-ID and Passwd-Length must fit */
	r->peer_id = h->data + off;
	off += r->peer_id_len;
	r->password_len = h->data[off++];
	if (r->password_len > h->len - off)
		return -1;
	r->password = h->data + off;
	return 0;
}

/* RFC 1334 §2.2.2: Code | Identifier | Length | Msg-Length | Message. */
int
pap_parse_reply(const struct auth_hdr *h, const uint8_t **msg, size_t *msg_len)
{
	/* Some authenticators send no Msg-Length at all: an empty message. */
	if (h->len == 0) {
		*msg = h->data;
		*msg_len = 0;
		return 0;
	}
	*msg_len = h->data[0];
	if (*msg_len > h->len - 1)
		return -1;
	*msg = h->data + 1;
	return 0;
}

size_t
pap_build_request(uint8_t *out, size_t cap, uint8_t id, const char *peer_id,
    const uint8_t *password, size_t password_len)
{
	size_t nlen = strlen(peer_id), len = 4 + 1 + nlen + 1 + password_len;

	/* Both length fields are one octet. */
	if (nlen > 255 || password_len > 255 || len > cap)
		return 0;
	out[0] = PAP_AUTH_REQ;
	out[1] = id;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	out[4] = (uint8_t)nlen;
	memcpy(out + 5, peer_id, nlen);
	out[5 + nlen] = (uint8_t)password_len;
	if (password_len > 0)
		memcpy(out + 6 + nlen, password, password_len);
	return len;
}

size_t
pap_build_reply(uint8_t *out, size_t cap, uint8_t code, uint8_t id,
    const char *msg)
{
	size_t mlen = strlen(msg), len;

	if (mlen > 255)
		mlen = 255;
	len = 4 + 1 + mlen;
	if (len > cap)
		return 0;
	out[0] = code;
	out[1] = id;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	out[4] = (uint8_t)mlen;
	memcpy(out + 5, msg, mlen);
	return len;
}
