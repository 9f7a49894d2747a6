/*
 * authlimit.h — PPP authentication failure back-off, per user and per peer.
 *
 * Password guessing over PPP costs an attacker one LCP/auth round trip a
 * guess; without a limit a few seconds suffice for a weak password.  After
 * `limit` failures of one user name, or from one peer (the LNS: the
 * tunnel's peer address; the LAC: the user's MAC), with no more than
 * `lockout` between consecutive failures, that user or peer is locked out
 * for `lockout`: its attempts fail without reaching the backend, exactly
 * as a wrong password does (the peer must not learn that a lockout exists,
 * nor get a free oracle).  A success clears the user's and the peer's
 * failures.
 *
 * Memory is bounded: at most `capacity` users and peers are tracked.  When
 * full, the least recently failed entry that is not locked out is reused
 * (then the locked entry whose lockout ends first), so an attacker cycling
 * user names cannot grow the table, and forgets its own entries before
 * anyone's lockout.  Names are compared by a 64-bit hash of the whole
 * string plus its first 63 octets.
 *
 * Pure: time is a parameter (milliseconds, monotonic), no I/O, no logging.
 */
#ifndef VPDN_PPP_AUTHLIMIT_H
#define VPDN_PPP_AUTHLIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define AUTHLIMIT_CAPACITY 4096

/* authlimit_failure(): what the failure started. */
#define AUTHLIMIT_LOCKED_USER 0x1
#define AUTHLIMIT_LOCKED_PEER 0x2

struct authlimit_stats {
	uint64_t lockouts;	  /* users/peers locked (episodes) */
	uint64_t locked_attempts; /* attempts refused while locked */
	uint64_t reused;	  /* entries reused while full */
	unsigned entries;	  /* tracked now */
};

struct authlimit;

/* capacity 0: AUTHLIMIT_CAPACITY.  NULL when out of memory. */
struct authlimit *authlimit_new(unsigned capacity);
void authlimit_free(struct authlimit *a);
/* limit 0 disables (nothing is tracked or refused); lockout_ms > 0. */
void authlimit_configure(struct authlimit *a, unsigned limit,
    uint64_t lockout_ms);
/* Before asking the backend: true if user or peer (either may be NULL or
 * "") is locked out at now; the attempt is then counted. */
bool authlimit_locked(struct authlimit *a, const char *user, const char *peer,
    uint64_t now);
/* The backend said no.  Returns AUTHLIMIT_LOCKED_* for lockouts that this
 * failure began (to be logged once), else 0. */
unsigned authlimit_failure(struct authlimit *a, const char *user,
    const char *peer, uint64_t now);
/* The backend said yes. */
void authlimit_success(struct authlimit *a, const char *user, const char *peer,
    uint64_t now);
const struct authlimit_stats *authlimit_stats(struct authlimit *a);

#endif
