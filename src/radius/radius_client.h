/*
 * radius_client.h — the asynchronous RADIUS client (RFC 2865/2866) over the
 * daemon's libev loop.
 *
 * Objects and lifetimes: a struct radius_client owns its servers (one UDP
 * socket each, in configuration order per kind: authentication or
 * accounting) and every outstanding request.  A request lives from
 * radius_client_send() until its callback returns or it is cancelled; the
 * caller keeps only the 64-bit handle (slot index + generation), so a stale
 * handle is harmless.  Each server has 256 Identifier slots; a request
 * holds one while in flight there, and waits in that server's FIFO when all
 * are busy.
 *
 * Retransmission: the same datagram (same Identifier) every timeout_ms, up
 * to `tries` times per server; then the next server in order, with a new
 * Identifier and authenticator.  Access-Requests time out after the last
 * server; Accounting-Requests start over at the first server until
 * acct_max_tries datagrams or acct_max_ms have passed (RFC 2866 §2: the
 * client keeps trying), each rebuild carrying a fresh Acct-Delay-Time
 * (RFC 2866 §5.2: changing it changes the Identifier).
 *
 * Replies are accepted only from the server's address and port, for an
 * Identifier in flight, with the matching code, a correct Response
 * Authenticator, and a correct Message-Authenticator — which must be
 * present on Access-Accept/Reject/Challenge, since every Access-Request we
 * send carries one (RFC 2869 §5.14), unless require_msgauth is off.  Any
 * other datagram is dropped and counted.
 */
#ifndef VPDN_RADIUS_RADIUS_CLIENT_H
#define VPDN_RADIUS_RADIUS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "radius/radius_codec.h"

struct ev_loop;

#define RADIUS_MAX_SERVERS 8
#define RADIUS_MAX_SECRET  128

struct radius_client_config {
	unsigned timeout_ms;	 /* per datagram; 3000 */
	unsigned tries;		 /* datagrams per server; 3 */
	unsigned acct_max_tries; /* accounting, all servers; 100 */
	uint64_t acct_max_ms;	 /* accounting: give up after; 1 hour */
	bool require_msgauth;	 /* on Access-* replies; true */
};
/* The defaults above. */
void radius_client_config_default(struct radius_client_config *cfg);

enum radius_server_kind {
	RADIUS_SERVER_AUTH,
	RADIUS_SERVER_ACCT,
};
const char *radius_server_kind_str(enum radius_server_kind k);

enum radius_status {
	RADIUS_STATUS_REPLY,   /* pkt: a verified reply */
	RADIUS_STATUS_TIMEOUT, /* no server answered in time */
};
const char *radius_status_str(enum radius_status s);

struct radius_reply {
	enum radius_status status;
	const struct radius_packet *pkt; /* NULL on timeout */
	/* For decrypting Tunnel-Password & co. (RFC 2868 §3.5): the
	 * answered request's authenticator and that server's secret. */
	const uint8_t *req_auth;
	const char *secret;
	/* When it came (or was given up): ms on the roles' monotonic clock,
	 * so that a callback into sans-I/O code needs no clock of its own. */
	uint64_t now;
};
/* Called exactly once per request unless cancelled.  It may send and
 * cancel requests, but must not free the client. */
typedef void radius_reply_fn(void *arg, const struct radius_reply *r);

struct radius_client_stats {
	uint64_t requests; /* accepted by radius_client_send */
	uint64_t sent;	   /* datagrams, retransmissions included */
	uint64_t retransmits;
	uint64_t failovers; /* moves to another server (or round) */
	uint64_t queued;    /* waited for a free Identifier */
	uint64_t replies;
	uint64_t timeouts;
	uint64_t cancelled;
	uint64_t drop_source; /* not from the server's address */
	uint64_t drop_malformed;
	uint64_t drop_unknown_id;
	uint64_t drop_code;    /* not a reply to what we sent */
	uint64_t drop_auth;    /* Response Authenticator wrong */
	uint64_t drop_msgauth; /* Message-Authenticator wrong/missing */
};

struct radius_client;

/* cfg NULL: defaults. */
struct radius_client *radius_client_new(struct ev_loop *loop,
    const struct radius_client_config *cfg);
/* Outstanding requests are dropped without callbacks. */
void radius_client_free(struct radius_client *rc);
/* Appends a server (tried in the order added).  Returns 0, or -1 with
 * errno (EINVAL, ENOSPC, or the socket's error). */
int radius_client_add_server(struct radius_client *rc,
    enum radius_server_kind kind, const struct sockaddr *sa, socklen_t salen,
    const char *secret);

/* Sends an Access-Request (to the authentication servers) or an
 * Accounting-Request (to the accounting servers).  tmpl gives the code and
 * the attributes, without User-Password, Message-Authenticator or
 * Acct-Delay-Time: the client adds them for each server (password: the
 * plaintext PAP password, or NULL).  Returns a non-zero handle, or 0 when
 * the request cannot be sent (no server, bad code, too big); then cb is
 * never called. */
uint64_t radius_client_send(struct radius_client *rc,
    const struct radius_packet *tmpl, const uint8_t *password, size_t pwlen,
    radius_reply_fn *cb, void *arg);
/* The callback will not be called; returns the request's arg (for the
 * caller to free), or NULL for a stale or bogus handle. */
void *radius_client_cancel(struct radius_client *rc, uint64_t handle);

/*
 * What sends RADIUS requests for radius_auth and the roles' accounting:
 * radius_client_send/cancel's contract without a socket behind it, so that
 * the roles (sans-I/O) hand them their roles_io's RADIUS operations and the
 * daemon a radius_client (radius_client_sender), and tests a recorder.
 */
struct radius_sender {
	uint64_t (*send)(void *ctx, const struct radius_packet *tmpl,
	    const uint8_t *password, size_t pwlen, radius_reply_fn *cb,
	    void *arg);
	void *(*cancel)(void *ctx, uint64_t handle);
	void *ctx;
};
/* A sender over rc (which must outlive it). */
void radius_client_sender(struct radius_client *rc, struct radius_sender *out);

const struct radius_client_stats *radius_client_stats(
    const struct radius_client *rc);
/* Requests not yet answered (in flight or queued). */
unsigned radius_client_pending(const struct radius_client *rc);

#endif
