/*
 * mschapv2.c — the MS-CHAPv2 computations of RFC 2759 §8 (with the
 * MS-CHAP v1 building blocks of RFC 2433 §A it reuses), over nettle's MD4,
 * SHA-1 and DES.  Pure functions, checked against RFC 2759 §9.2.
 */
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

#include "ppp/auth_priv.h"

/* RFC 2759 §8.7 magic constants. */
static const uint8_t magic1[39] = "Magic server to client signing constant";
static const uint8_t magic2[41] = "Pad to make it do more than one iteration";

const char *
mschapv2_strip_domain(const char *user)
{
	const char *bs = strrchr(user, '\\');

	/* RFC 2759 §4/§8.2: only the account name, without "DOMAIN\". */
	return bs != NULL ? bs + 1 : user;
}

/* RFC 2759 §8.2 ChallengeHash(). */
static void
challenge_hash(const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, uint8_t out[8])
{
	struct sha1_ctx ctx;
	uint8_t digest[SHA1_DIGEST_SIZE];
	const char *name = mschapv2_strip_domain(user);

	sha1_init(&ctx);
	sha1_update(&ctx, 16, peer_challenge);
	sha1_update(&ctx, 16, auth_challenge);
	sha1_update(&ctx, strlen(name), (const uint8_t *)name);
	sha1_digest(&ctx, sizeof(digest), digest);
	memcpy(out, digest, 8);
}

/*
 * RFC 2759 §8.3 NtPasswordHash(): MD4 over the password in Unicode.  The
 * password comes as UTF-8 (the users file); it is converted to UTF-16LE,
 * code points above U+FFFF as surrogate pairs.  Invalid UTF-8 octets are
 * taken as Latin-1, so every byte string has a deterministic hash.
 */
void
mschapv2_nt_password_hash(const uint8_t *password, size_t password_len,
    uint8_t out[16])
{
	struct md4_ctx ctx;
	uint8_t u[4];
	size_t i = 0;

	md4_init(&ctx);
	while (i < password_len) {
		uint32_t cp = password[i];
		size_t n = 1, k;

		if (cp >= 0xc2 && cp <= 0xdf)
			n = 2;
		else if (cp >= 0xe0 && cp <= 0xef)
			n = 3;
		else if (cp >= 0xf0 && cp <= 0xf4)
			n = 4;
		if (n > 1 && i + n <= password_len) {
			uint32_t v = cp & (0xff >> (n + 1));

			for (k = 1; k < n; k++) {
				if ((password[i + k] & 0xc0) != 0x80)
					break;
				v = v << 6 | (password[i + k] & 0x3f);
			}
			if (k == n && !(n == 3 && v < 0x800) &&
			    !(n == 4 && (v < 0x10000 || v > 0x10ffff)) &&
			    !(v >= 0xd800 && v <= 0xdfff))
				cp = v;
			else
				n = 1;
		} else
			n = 1;
		if (cp >= 0x10000) {
			uint32_t hi = 0xd800 + ((cp - 0x10000) >> 10);
			uint32_t lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);

			u[0] = (uint8_t)hi;
			u[1] = (uint8_t)(hi >> 8);
			u[2] = (uint8_t)lo;
			u[3] = (uint8_t)(lo >> 8);
			md4_update(&ctx, 4, u);
		} else {
			u[0] = (uint8_t)cp;
			u[1] = (uint8_t)(cp >> 8);
			md4_update(&ctx, 2, u);
		}
		i += n;
	}
	md4_digest(&ctx, MD4_DIGEST_SIZE, out);
	explicit_bzero(u, sizeof(u));
}

/*
 * RFC 2759 §8.6 DesEncrypt(): a 7-octet key spread over 8 octets, 7 bits
 * each, the low bit of each octet being parity (RFC 2759 §9.3).  nettle
 * ignores the parity bits but we set them anyway, as §9.3 shows.  A weak key
 * (probability 2^-52 for a hash) still gives a valid schedule; nettle only
 * reports it.
 */
static void
des_encrypt_7(const uint8_t clear[8], const uint8_t key7[7], uint8_t out[8])
{
	struct des_ctx ctx;
	uint8_t k[8];

	k[0] = key7[0];
	k[1] = (uint8_t)(key7[0] << 7 | key7[1] >> 1);
	k[2] = (uint8_t)(key7[1] << 6 | key7[2] >> 2);
	k[3] = (uint8_t)(key7[2] << 5 | key7[3] >> 3);
	k[4] = (uint8_t)(key7[3] << 4 | key7[4] >> 4);
	k[5] = (uint8_t)(key7[4] << 3 | key7[5] >> 5);
	k[6] = (uint8_t)(key7[5] << 2 | key7[6] >> 6);
	k[7] = (uint8_t)(key7[6] << 1);
	des_fix_parity(8, k, k);
	(void)des_set_key(&ctx, k);
	des_encrypt(&ctx, 8, out, clear);
	explicit_bzero(k, sizeof(k));
	explicit_bzero(&ctx, sizeof(ctx));
}

/* RFC 2759 §8.5 ChallengeResponse() (= RFC 2433 §A.5). */
static void
challenge_response(const uint8_t challenge[8], const uint8_t hash[16],
    uint8_t out[24])
{
	uint8_t z[21];

	memset(z, 0, sizeof(z));
	memcpy(z, hash, 16);
	des_encrypt_7(challenge, z, out);
	des_encrypt_7(challenge, z + 7, out + 8);
	des_encrypt_7(challenge, z + 14, out + 16);
	explicit_bzero(z, sizeof(z));
}

/* RFC 2759 §8.1 GenerateNTResponse(). */
void
mschapv2_nt_response(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user, const uint8_t *password,
    size_t password_len, uint8_t out[24])
{
	uint8_t challenge[8], hash[16];

	challenge_hash(peer_challenge, auth_challenge, user, challenge);
	mschapv2_nt_password_hash(password, password_len, hash);
	challenge_response(challenge, hash, out);
	explicit_bzero(hash, sizeof(hash));
}

/* RFC 2759 §8.7 GenerateAuthenticatorResponse(): "S=" + 40 upper-case hex. */
void
mschapv2_authenticator_response(const uint8_t *password, size_t password_len,
    const uint8_t nt_response[24], const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, char out[43])
{
	static const char hex[] = "0123456789ABCDEF";
	struct md4_ctx md4;
	struct sha1_ctx sha;
	uint8_t hash[16], hashhash[16], digest[SHA1_DIGEST_SIZE];
	uint8_t challenge[8];

	mschapv2_nt_password_hash(password, password_len, hash);
	md4_init(&md4); /* §8.4 HashNtPasswordHash() */
	md4_update(&md4, sizeof(hash), hash);
	md4_digest(&md4, sizeof(hashhash), hashhash);

	sha1_init(&sha);
	sha1_update(&sha, sizeof(hashhash), hashhash);
	sha1_update(&sha, 24, nt_response);
	sha1_update(&sha, sizeof(magic1), magic1);
	sha1_digest(&sha, sizeof(digest), digest);

	challenge_hash(peer_challenge, auth_challenge, user, challenge);
	sha1_init(&sha);
	sha1_update(&sha, sizeof(digest), digest);
	sha1_update(&sha, sizeof(challenge), challenge);
	sha1_update(&sha, sizeof(magic2), magic2);
	sha1_digest(&sha, sizeof(digest), digest);

	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < sizeof(digest); i++) {
		out[2 + 2 * i] = hex[digest[i] >> 4];
		out[3 + 2 * i] = hex[digest[i] & 0xf];
	}
	out[MSCHAPV2_AUTH_RESP_LEN] = '\0';
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(hashhash, sizeof(hashhash));
}

/*
 * RFC 2759 §8.8 CheckAuthenticatorResponse() on the Success Message
 * "S=<auth_string> M=<message>" (§5).  §5 wants upper-case hex; lower case
 * is accepted since it carries the same number.
 */
bool
mschapv2_check_success(const uint8_t *msg, size_t msg_len,
    const char expected[43])
{
	uint8_t got[MSCHAPV2_AUTH_RESP_LEN];

	if (msg_len < MSCHAPV2_AUTH_RESP_LEN)
		return false;
	/* The string must end there: nothing, or " M=...". */
	if (msg_len > MSCHAPV2_AUTH_RESP_LEN &&
	    msg[MSCHAPV2_AUTH_RESP_LEN] != ' ')
		return false;
	for (size_t i = 0; i < sizeof(got); i++) {
		uint8_t c = msg[i];

		got[i] = (c >= 'a' && c <= 'f') ? (uint8_t)(c - 'a' + 'A') : c;
	}
	return memeql_sec(got, expected, sizeof(got)) != 0;
}
