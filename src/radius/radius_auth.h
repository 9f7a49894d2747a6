/*
 * radius_auth.h — a struct auth_backend (ppp/auth.h) over RADIUS: PAP,
 * CHAP-MD5 and MS-CHAPv2 checked by the server (RFC 2865 §5.2/§5.3/§5.40,
 * RFC 2548 §2.3), answered from the loop.
 *
 * The reply's attributes beyond auth_result (pool, routes, timeouts, DNS,
 * Class, tunnel attributes for a LAC) are decoded into struct
 * radius_auth_reply; radius_auth_current_reply() returns it while this
 * backend's done callback runs (and NULL otherwise), so the owner of the
 * link copies what it needs from inside done.
 */
#ifndef VPDN_RADIUS_RADIUS_AUTH_H
#define VPDN_RADIUS_RADIUS_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/auth.h"
#include "radius/radius_codec.h"

struct radius_sender;

struct radius_nas_info {
	char nas_identifier[64]; /* "" = not sent */
	uint32_t nas_ip;	 /* host order; 0 = not sent */
	uint32_t nas_port_type;	 /* RFC 2865 §5.41; 0 = not sent */
};

#define RADIUS_AUTH_MAX_ROUTES	8
#define RADIUS_AUTH_MAX_CLASS	4
#define RADIUS_AUTH_MAX_TUNNELS 4

/* One tunnel of RFC 2868 (attributes grouped by tag). */
struct radius_tunnel {
	uint8_t tag;
	uint32_t type;	     /* 3 = L2TP */
	uint32_t medium;     /* 1 = IPv4 */
	uint32_t preference; /* 0 when absent */
	char server_endpoint[254];
	char client_endpoint[254];
	char assignment_id[254];
	char client_auth_id[254];
	char server_auth_id[254];
	uint8_t password[RADIUS_MAX_TUNNEL_PASSWORD];
	size_t password_len;
	bool has_password;
};

struct radius_auth_reply {
	uint8_t code;		 /* Accept / Reject / ... */
	uint32_t framed_address; /* host order; 0 = pool */
	uint32_t framed_netmask;
	char framed_pool[254];
	char framed_routes[RADIUS_AUTH_MAX_ROUTES][254];
	unsigned nroutes;
	uint32_t session_timeout; /* seconds; 0 = none */
	uint32_t idle_timeout;
	uint32_t framed_mtu;
	uint32_t interim_interval; /* Acct-Interim-Interval */
	uint32_t port_limit;	   /* RFC 2865 §5.42 Port-Limit; 0 none */
	uint32_t dns[2];	   /* MS-Primary/Secondary-DNS */
	struct {
		uint8_t v[253];
		size_t len;
	} class_[RADIUS_AUTH_MAX_CLASS]; /* echo in accounting */
	unsigned nclass;
	struct radius_tunnel tunnels[RADIUS_AUTH_MAX_TUNNELS];
	unsigned ntunnels;
	char reply_message[128];
	/* IPv6 (RFC 3162, RFC 6911): the first of each, DNS up to two. */
	bool has_ipv6_prefix;
	uint8_t ipv6_prefix[16]; /* host bits cleared */
	uint8_t ipv6_prefix_len;
	bool has_interface_id;
	uint8_t interface_id[8];
	char ipv6_pool[254];
	bool has_ipv6_address;
	uint8_t ipv6_address[16];
	uint8_t dns6[2][16];
	unsigned dns6_count;
	/* RFC 2865 §5.11: names the session's [rate-plan]; "" none. */
	char filter_id[254];
	/* Mikrotik-Rate-Limit (vendor 14988, type 8): rates given
	 * directly (roles/lns_rate.h); "" none. */
	char rate_limit[248];
	/* RFC 4818 Delegated-IPv6-Prefix, RFC 6911 §3.4 its pool's name. */
	bool has_deleg_prefix;
	uint8_t deleg_prefix[16]; /* host bits cleared */
	uint8_t deleg_prefix_len;
	char deleg_pool[254];
};

/* Fills b; requests go out through rs (copied; what it points at must
 * outlive b).  The backend context is allocated here (fatal when memory is
 * exhausted) and released by radius_auth_backend_free(). */
void radius_auth_backend(struct auth_backend *b, const struct radius_sender *rs,
    const struct radius_nas_info *nas);
/* Cancels what is outstanding (no callbacks) and frees the context. */
void radius_auth_backend_free(struct auth_backend *b);
const struct radius_auth_reply *radius_auth_current_reply(
    const struct auth_backend *b);

/* The Mikrotik-Rate-Limit string of p into out ("" when absent or not
 * text); also what a CoA-Request carries. */
void radius_auth_get_rate_limit(const struct radius_packet *p, char *out,
    size_t outsz);

/* Pure: decodes a verified reply (req_auth/secret for Tunnel-Password). */
void radius_auth_decode_reply(const struct radius_packet *p,
    const uint8_t *req_auth, const char *secret, struct radius_auth_reply *out);

#endif
