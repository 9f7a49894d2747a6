/*
 * auth.h — PPP authentication, both directions, as sans-I/O exchanges.
 *
 * The link (link.c) runs one exchange per direction during the RFC 1661
 * Authenticate phase:
 *  - struct auth_server: we authenticate the peer (LNS, LAC).  PAP (RFC 1334)
 *    waits for Authenticate-Request; CHAP-MD5 (RFC 1994) and MS-CHAPv2
 *    (RFC 2759) send a Challenge (retransmitted on the restart timer) and
 *    check the Response.  Checking is delegated to an asynchronous
 *    struct auth_backend (users file or RADIUS), so nothing blocks.
 *    CHAP-MD5 re-challenges every rechallenge_ms once up (RFC 1994 §2.3).
 *  - struct auth_client: the peer authenticates us (client role): answers
 *    PAP with Authenticate-Request (retransmitted), CHAP Challenges with
 *    Responses, and for MS-CHAPv2 checks the server's Authenticator
 *    Response ("S=...") in Success — a server that cannot prove it knows the
 *    password is refused (RFC 2759 §5).
 * Packets are PPP information fields (code, id, length, data) for protocol
 * PPP_PROTO_PAP or PPP_PROTO_CHAP; the link adds the protocol field.
 * The math lives in pure functions (chap_md5_response, mschapv2_*) tested
 * against the RFCs' vectors.
 */
#ifndef VPDN_PPP_AUTH_H
#define VPDN_PPP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct access_line;

enum ppp_auth_method {
	PPP_AUTH_NONE = 0,
	PPP_AUTH_PAP,
	PPP_AUTH_CHAP_MD5,
	PPP_AUTH_MSCHAPV2,
};
const char *ppp_auth_method_str(enum ppp_auth_method m);

#define AUTH_MAX_NAME	 256
#define AUTH_MAX_SECRET	 256
#define AUTH_MAX_STATION 64

/* ---- backend: who decides whether a user's proof is right ---- */

struct auth_request {
	enum ppp_auth_method method;
	char user[AUTH_MAX_NAME]; /* as the peer sent it */
	uint8_t id;		  /* CHAP/PAP identifier */
	/* PAP: the password. */
	uint8_t password[AUTH_MAX_SECRET];
	size_t password_len;
	/* CHAP-MD5: challenge + 16-byte response.  MS-CHAPv2: the 16-byte
	 * authenticator challenge, and the 49-byte response value
	 * (peer challenge 16, reserved 8, NT-Response 24, flags 1). */
	uint8_t challenge[64];
	size_t challenge_len;
	uint8_t response[64];
	size_t response_len;
	/* Where the user is, as the link's owner knows it (auth_ops.describe
	 * below): for RADIUS, RFC 2865 §5.31 Calling-Station-Id ("" = not
	 * known, not sent) and §5.5 NAS-Port (has_nas_port). */
	char calling_station[AUTH_MAX_STATION];
	uint32_t nas_port;
	bool has_nas_port;
	/* The user's access line (TR-101 / RFC 5515), for the RFC 4679
	 * attributes of an Access-Request; NULL = none.  Borrowed from the
	 * link's owner, read only while the request is built. */
	const struct access_line *access_line;
};

struct auth_result {
	bool ok;
	char message[128]; /* for the peer (PAP/CHAP failure text) */
	/* MS-CHAPv2 success: the 42-char "S=<40 hex>" authenticator response. */
	char authenticator_response[43];
	/* Per-user facts the backend knows (users file: fixed address). */
	uint32_t framed_address; /* host order; 0 = from the pool */
	/* The identity the peer was authenticated as, when the backend
	 * knows it better than the name the peer sent (users file: the entry
	 * that matched, e.g. "alice" for "CORP\\alice"); "" = as sent. */
	char user[AUTH_MAX_NAME];
	/* Not ok because the backend could not decide (RADIUS servers
	 * unreachable): not the peer's failure, so no back-off. */
	bool unavailable;
	/* A result that arrives later from the loop (RADIUS) brings the time
	 * it arrived, ms on the monotonic clock, for sans-I/O callers; 0 for
	 * one given within the verify call (that caller knows its now). */
	uint64_t now;
};

typedef void auth_done_fn(void *arg, const struct auth_result *res);

struct auth_backend {
	/* Starts checking req; calls done exactly once, possibly before
	 * returning (users file) or later from the loop (RADIUS).  Returns a
	 * handle for auth_backend->cancel, or 0 if done was already called. */
	uint64_t (*verify)(void *ctx, const struct auth_request *req,
	    auth_done_fn *done, void *arg);
	/* The link went away: never call done for this handle. */
	void (*cancel)(void *ctx, uint64_t handle);
	void *ctx;
};

/* ---- the exchanges ---- */

struct auth_ops {
	/* Send a PAP/CHAP packet (information field) with protocol proto. */
	void (*send)(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len);
	/* Exchange over: ok or not, the authenticated name (server side), and
	 * the backend's result (server side, NULL on the client side). */
	void (*done)(void *ctx, bool ok, const char *user,
	    const struct auth_result *res);
	/* Optional (server side): fill req's calling_station/nas_port just
	 * before it goes to the backend; the rest of req is set already. */
	void (*describe)(void *ctx, struct auth_request *req);
};

struct auth_server_config {
	enum ppp_auth_method method;
	char our_name[AUTH_MAX_NAME]; /* CHAP Name field */
	unsigned restart_ms;	      /* challenge retransmission; 3000 */
	unsigned max_tries;	      /* challenges sent; 10 */
	unsigned rechallenge_ms;      /* CHAP-MD5 re-auth when up; 0 off */
	unsigned timeout_ms;	      /* PAP: wait for a request; 30000 */
};

struct auth_server; /* opaque; allocated by auth_server_new */

struct auth_server *auth_server_new(const struct auth_server_config *cfg,
    const struct auth_backend *backend, const struct auth_ops *ops, void *ctx,
    uint64_t now);
void auth_server_free(struct auth_server *s);
void auth_server_input(struct auth_server *s, uint16_t proto,
    const uint8_t *pkt, size_t len, uint64_t now);
void auth_server_timeout(struct auth_server *s, uint64_t now);
uint64_t auth_server_next_deadline(const struct auth_server *s);

struct auth_client_config {
	char user[AUTH_MAX_NAME];
	uint8_t password[AUTH_MAX_SECRET];
	size_t password_len;
	/* Methods we agree to, in preference order (LCP answers the server's
	 * Authentication-Protocol option with Nak of our first choice). */
	enum ppp_auth_method accept[3];
	unsigned accept_count;
	unsigned restart_ms; /* PAP request retransmission; 3000 */
	unsigned max_tries;  /* 10 */
};

struct auth_client;

/* method: what LCP agreed the server will use. */
struct auth_client *auth_client_new(const struct auth_client_config *cfg,
    enum ppp_auth_method method, const struct auth_ops *ops, void *ctx,
    uint64_t now);
void auth_client_free(struct auth_client *c);
void auth_client_input(struct auth_client *c, uint16_t proto,
    const uint8_t *pkt, size_t len, uint64_t now);
void auth_client_timeout(struct auth_client *c, uint64_t now);
uint64_t auth_client_next_deadline(const struct auth_client *c);

/* ---- the math (pure, RFC test vectors) ---- */

/* RFC 1994 §4.1: MD5(id || secret || challenge). */
void chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
    const uint8_t *challenge, size_t challenge_len, uint8_t out[16]);
/* RFC 2759 §8: NT-Response and the Authenticator Response. The password is
 * given as UTF-8/ASCII and converted to UTF-16LE inside. */
void mschapv2_nt_response(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user, const uint8_t *password,
    size_t password_len, uint8_t out[24]);
void mschapv2_authenticator_response(const uint8_t *password,
    size_t password_len, const uint8_t nt_response[24],
    const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
    const char *user, char out[43]);

/* A backend over the users file (config/users.h): checks PAP passwords,
 * CHAP-MD5 responses and MS-CHAPv2 NT-Responses against the stored
 * plaintext password, answers synchronously.  A link keeps its copy of the
 * backend for its whole life, so the ctx it names must live as long:
 *  - auth_users_backend: one fixed db, for an owner that never replaces it
 *    while links hold the backend;
 *  - auth_users_backend_current: the owner's slot (*current), which a
 *    reload points at a new file; every proof is checked against the file
 *    in force when it arrives, and the slot must outlive the links. */
struct users_db;
void auth_users_backend(struct auth_backend *b, const struct users_db *db);
void auth_users_backend_current(struct auth_backend *b,
    struct users_db *const *current);

#endif
