/*
 * radius_dae.h — Dynamic Authorization Extensions (RFC 5176, formerly
 * RFC 3576): a UDP listener (port 3799) for Disconnect-Request and
 * CoA-Request from the RADIUS servers.
 *
 * A request is answered only when it comes from an allowed client address
 * and its Request Authenticator (and Message-Authenticator, if present) is
 * right for the shared secret (RFC 5176 §3.5, §5.2: anything else is
 * silently discarded and counted).  The session is named by Acct-Session-
 * Id, User-Name and/or Framed-IP-Address (all given must match); the owner
 * acts through struct radius_dae_ops and the answer is ACK, or NAK with an
 * Error-Cause (RFC 5176 §3.5).  CoA supports these changes: Session-
 * Timeout, and the rate plan (Filter-Id naming a [rate-plan], or
 * Mikrotik-Rate-Limit carrying the rates); it must carry at least one.
 *
 * Replays (RFC 5176 §6.3): a request whose Event-Timestamp is more than
 * the window (default 300 s) from our clock, or that has none while one is
 * required (the default), is silently discarded.  Within the window,
 * authenticated requests are remembered by source address, Identifier and
 * Request Authenticator (which covers the timestamp); the same request
 * again gets the answer it got the first time and is not acted on twice —
 * that is a retransmission's due (RFC 5080 §2.2.2) and makes a replayed
 * copy harmless.  The memory is bounded (RADIUS_DAE_REPLAY_MAX); when it
 * is full of live entries a new request is refused with NAK
 * Resources-Unavailable rather than forgetting one that could then be
 * replayed.
 *
 * radius_dae_handle() is pure (request bytes in, reply bytes out).
 */
#ifndef VPDN_RADIUS_RADIUS_DAE_H
#define VPDN_RADIUS_RADIUS_DAE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "radius/radius_codec.h"

#define RADIUS_DAE_PORT	       3799
#define RADIUS_DAE_MAX_CLIENTS 16
#define RADIUS_DAE_REPLAY_MAX  1024 /* remembered requests */
#define RADIUS_DAE_WINDOW      300  /* RFC 5176 §6.3: recommended */

/* RFC 5176 §3.5 Error-Cause values. */
enum radius_dae_error {
	RADIUS_DAE_OK = 0,
	RADIUS_DAE_UNSUPPORTED_ATTRIBUTE = 401,
	RADIUS_DAE_MISSING_ATTRIBUTE = 402,
	RADIUS_DAE_NAS_ID_MISMATCH = 403,
	RADIUS_DAE_INVALID_REQUEST = 404,
	RADIUS_DAE_UNSUPPORTED_SERVICE = 405,
	RADIUS_DAE_INVALID_ATTRIBUTE_VALUE = 407,
	RADIUS_DAE_SESSION_NOT_FOUND = 503,
	RADIUS_DAE_RESOURCES_UNAVAILABLE = 506,
};
const char *radius_dae_error_str(enum radius_dae_error e);

/* Which sessions a request names; an absent field matches anything. */
struct radius_dae_match {
	char session_id[254]; /* "" = absent */
	char user[254];
	uint32_t framed_ip; /* host order; 0 = absent */
};

/* What a CoA-Request changes; an absent field changes nothing. */
struct radius_dae_coa {
	bool has_timeout;
	uint32_t session_timeout; /* s; 0 lifts it */
	char filter_id[254];	  /* a [rate-plan] name; "" absent */
	char rate_limit[248];	  /* Mikrotik-Rate-Limit; "" absent */
};

struct radius_dae_ops {
	/* Return how many sessions matched and were disconnected / changed
	 * (0 → NAK Session-Context-Not-Found).  coa may refuse the change
	 * by setting *err (e.g. Invalid-Attribute-Value, an unknown plan);
	 * nothing is changed then. */
	unsigned (*disconnect)(void *arg, const struct radius_dae_match *m);
	unsigned (*coa)(void *arg, const struct radius_dae_match *m,
	    const struct radius_dae_coa *c, enum radius_dae_error *err);
};

struct radius_dae_stats {
	uint64_t requests, acks, naks;
	uint64_t drop_client, drop_malformed, drop_auth, drop_code;
	uint64_t drop_timestamp; /* Event-Timestamp stale/missing */
	uint64_t replays;	 /* answered again, not acted on */
	uint64_t replay_full;	 /* NAK 506: no room to remember */
};

struct radius_dae;

/* Binds listen; clients: the allowed source addresses (ports ignored).
 * NULL with errno on failure. */
struct radius_dae *radius_dae_new(const struct sockaddr *listen,
    socklen_t listen_len, const char *secret,
    const struct sockaddr_storage *clients, unsigned nclients,
    const struct radius_dae_ops *ops, void *arg);
void radius_dae_free(struct radius_dae *d);
/* The Event-Timestamp window in seconds (>= 1) and whether requests
 * without one are discarded; defaults RADIUS_DAE_WINDOW and true. */
void radius_dae_set_replay(struct radius_dae *d, unsigned window_s,
    bool require_timestamp);
/* Wall clock for the Event-Timestamp check (tests); default time(). */
void radius_dae_set_clock(struct radius_dae *d, int64_t (*now)(void));
int radius_dae_fd(const struct radius_dae *d);
/* Reads and answers what is queued on the socket. */
void radius_dae_readable(void *d);
const struct radius_dae_stats *radius_dae_stats(const struct radius_dae *d);

/* One request from `from`: returns the reply length written to out, or 0
 * when the request is to be silently discarded. */
size_t radius_dae_handle(struct radius_dae *d, const uint8_t *req, size_t len,
    const struct sockaddr *from, struct radius_packet *out);

#endif
