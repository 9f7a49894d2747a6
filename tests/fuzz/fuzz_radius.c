/*
 * fuzz_radius.c — RADIUS (RFC 2865/2866/2868/2869) replies and requests
 * as hostile datagrams through the codec (radius_codec.c): parsing, every
 * attribute getter, the hidden User-Password and Tunnel-Password values
 * and the authenticator checks, with a fixed secret and request
 * authenticator.
 *
 * Input: the datagram.  Invariants: a parsed packet's Length is within
 * limits and every attribute the iterator yields lies inside it; getters
 * never return more than they were given room for.
 */
#include <string.h>

#include "fuzz.h"
#include "radius/radius_codec.h"
#include "roles/lac_radius.h"

static const char secret[] = "fuzz-radius-secret";
/* clang-format off */
static const uint8_t req_auth[RADIUS_AUTH_LEN] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};
/* clang-format on */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct radius_packet p;
	struct radius_iter it = { 0 };
	const uint8_t *val;
	uint8_t type, tag, pw[256];
	size_t len, pwlen, total = 0;
	uint32_t u;
	char s[256];
	uint8_t *buf;

	fuzz_quiet();
	buf = malloc(size > 0 ? size : 1); /* exact, for ASan */
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, data, size);
	if (radius_packet_parse(&p, buf, size) != RADIUS_OK) {
		free(buf);
		return 0;
	}
	free(buf);
	FUZZ_CHECK(radius_len(&p) >= RADIUS_HDR_LEN &&
	    radius_len(&p) <= RADIUS_MAX_LEN);
	(void)radius_code_str(radius_code(&p));

	while (radius_next_attr(&p, &it, &type, &val, &len)) {
		FUZZ_CHECK(val >= p.data + RADIUS_HDR_LEN &&
		    val + len <= p.data + radius_len(&p));
		FUZZ_CHECK(len <= RADIUS_MAX_ATTR_VALUE);
		total++;
		FUZZ_CHECK(total < RADIUS_MAX_LEN);
		if (radius_tagged_u32(val, len, &tag, &u) == RADIUS_OK)
			(void)u;
		if (radius_tagged_string(val, len, &tag, s, sizeof(s)) ==
		    RADIUS_OK) {
			struct cfg_hostport hp;

			FUZZ_CHECK(memchr(s, '\0', sizeof(s)) != NULL);
			/* a Tunnel-Server-Endpoint as the LAC reads it
			 * (RFC 2868 §3.3, IPv4 or IPv6 medium) */
			if (lac_radius_endpoint(s, &hp) == 0 ||
			    lac_radius_endpoint6(s, &hp) == 0)
				FUZZ_CHECK(hp.port != 0 &&
				    memchr(hp.host, '\0', sizeof(hp.host)) !=
					NULL);
		}
		if (type == 69 &&
		    radius_tunnel_password_decrypt(val, len, req_auth, secret,
			&tag, pw, sizeof(pw), &pwlen) == RADIUS_OK)
			FUZZ_CHECK(pwlen <= sizeof(pw));
	}
	for (unsigned t = 1; t < 256; t++) {
		if (!radius_has_attr(&p, (uint8_t)t))
			continue;
		if (radius_get_string(&p, (uint8_t)t, s, sizeof(s)) ==
		    RADIUS_OK)
			FUZZ_CHECK(strlen(s) < sizeof(s));
		(void)radius_get_u32(&p, (uint8_t)t, &u);
		(void)radius_get_ipv4(&p, (uint8_t)t, &u);
	}
	(void)radius_get_vs_raw(&p, 311, 26, &val, &len); /* MS-CHAP2-Success */
	(void)radius_get_vs_ipv4(&p, 311, 28, &u);	  /* MS-Primary-DNS */
	if (radius_get_user_password(&p, pw, sizeof(pw), &pwlen, secret) ==
	    RADIUS_OK)
		FUZZ_CHECK(pwlen <= RADIUS_MAX_PASSWORD);
	(void)radius_check_message_authenticator(&p, req_auth, secret);
	(void)radius_check_message_authenticator(&p, NULL, secret);
	(void)radius_check_response_auth(&p, req_auth, secret);
	(void)radius_check_accounting_request_auth(&p, secret);
	return 0;
}
