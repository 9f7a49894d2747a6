/*
 * aaa.h — RADIUS accounting (RFC 2866, RFC 2869 §5.1-5.2) for the sessions
 * of this NAS.
 *
 * One struct aaa per daemon sends over the shared radius_client: Accounting-
 * On when the daemon starts and Accounting-Off when it stops (RFC 2866
 * §5.1), and per session Start once IPCP is up, Interim-Update every
 * interval, and Stop with the counters, the session time and the cause.
 * Retrying is the client's job (radius_client.h: accounting requests start
 * over at the first server until acct_max_tries/acct_max_ms), so a server
 * that is down for a while loses nothing; aaa_pending() lets the daemon
 * wait for the last answers before it exits.
 *
 * aaa_build() is pure (no I/O, time given), so the attribute layout is
 * unit-tested byte for byte.
 */
#ifndef VPDN_ROLES_AAA_H
#define VPDN_ROLES_AAA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "radius/radius_codec.h"

struct radius_client;
struct radius_auth_reply;

/* RFC 2866 §5.10 Acct-Terminate-Cause values we report. */
enum aaa_cause {
	AAA_CAUSE_NONE			= 0,
	AAA_CAUSE_USER_REQUEST		= 1,	/* peer's LCP Terminate */
	AAA_CAUSE_LOST_CARRIER		= 2,	/* echo/hello timeout, CDN */
	AAA_CAUSE_IDLE_TIMEOUT		= 4,
	AAA_CAUSE_SESSION_TIMEOUT	= 5,
	AAA_CAUSE_ADMIN_RESET		= 6,	/* vpdnctl, Disconnect-Request */
	AAA_CAUSE_NAS_ERROR		= 9,
	AAA_CAUSE_NAS_REQUEST		= 10,	/* daemon stopping */
};
const char *aaa_cause_str(enum aaa_cause c);
/* The cause for a PPP/session_link end reason ("peer terminated", "echo
 * timeout", "carrier closed", ...). */
enum aaa_cause aaa_cause_from_reason(const char *reason);

#define AAA_MAX_CLASS	4

struct aaa_counters {
	uint64_t	in_octets, out_octets;	/* from / to the user */
	uint64_t	in_packets, out_packets;
};

/* What accounting says about one session (filled by the role). */
struct aaa_session {
	char		id[24];			/* Acct-Session-Id */
	/* Own copy of the User-Name (RFC 2865 §5.1: up to 253 octets, mostly a
	 * few dozen): on the heap so that 50,000 sessions do not each carry
	 * 256 bytes (issue 7).  NULL only before init or if the copy failed;
	 * read it through aaa_session_user(). */
	char		*user;
	uint32_t	framed_ip;		/* host order */
	uint32_t	nas_port;		/* tunnel << 16 | session */
	/* Class values to echo (RFC 2865 §5.25): allocated only when the
	 * server sent some, so a session without them costs nothing here. */
	struct aaa_class {
		uint8_t	v[253];
		size_t	len;
	}		*class_;
	unsigned	nclass;
	uint64_t	start_ms;		/* monotonic, at Start */
	bool		started;		/* Start sent, Stop owed */
};

struct aaa_nas {
	char		identifier[CFG_MAX_STR];	/* "" = not sent */
	uint32_t	ip;				/* 0 = not sent */
};

/* Builds an Accounting-Request (status RADIUS_ACCT_STATUS_*): for On/Off s
 * and c are NULL.  elapsed_s is the session time.  Returns false if it
 * does not fit (cannot happen with the sizes above). */
bool	aaa_build(struct radius_packet *p, const struct aaa_nas *nas,
	    unsigned status, const struct aaa_session *s,
	    const struct aaa_counters *c, uint32_t elapsed_s,
	    enum aaa_cause cause, uint32_t event_time);

/* The session's user name, "" when none. */
static inline const char *
aaa_session_user(const struct aaa_session *s)
{
	return s->user != NULL ? s->user : "";
}

/* Frees what aaa_session_init allocated (user name, Class copies). */
void	aaa_session_release(struct aaa_session *s);

struct aaa;

/* rc: not owned; NULL disables every send (no [radius] section). */
struct aaa *aaa_new(struct radius_client *rc, const struct aaa_nas *nas);
void	aaa_free(struct aaa *a);
/* RFC 2866 §5.1: Accounting-On / Accounting-Off for this NAS. */
void	aaa_accounting_on(struct aaa *a);
void	aaa_accounting_off(struct aaa *a);
/* Accounting requests not yet answered (or given up). */
unsigned aaa_pending(const struct aaa *a);
bool	aaa_enabled(const struct aaa *a);

/* A fresh Acct-Session-Id (unique across restarts: boot time + counter). */
void	aaa_session_init(struct aaa *a, struct aaa_session *s,
	    const char *user, uint32_t framed_ip, uint32_t nas_port,
	    const struct radius_auth_reply *reply);
void	aaa_session_start(struct aaa *a, struct aaa_session *s, uint64_t now);
void	aaa_session_interim(struct aaa *a, const struct aaa_session *s,
	    const struct aaa_counters *c, uint64_t now);
/* Stop, once: only if Start was sent. */
void	aaa_session_stop(struct aaa *a, struct aaa_session *s,
	    const struct aaa_counters *c, enum aaa_cause cause, uint64_t now);

#endif
