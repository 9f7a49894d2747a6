/*
 * aaa.h — RADIUS accounting (RFC 2866, RFC 2869 §5.1-5.2) for the sessions
 * of this NAS.
 *
 * One struct aaa per daemon sends over the shared radius_client: Accounting-
 * On when the daemon starts and Accounting-Off when it stops (RFC 2866
 * §5.1), once even for a daemon that is LAC and LNS, and per session Start
 * once the service is delivered (LNS: IPCP up; LAC: the call handed over
 * to its LNS), Interim-Update every interval, and Stop with the counters,
 * the session time and the cause.  A LAC's records carry struct
 * aaa_access on top (the aaa_access_* calls).
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
#include "l2tp/l2tp.h"
#include "ppp/auth.h"
#include "radius/radius_codec.h"

struct radius_sender;
struct radius_auth_reply;

/* RFC 2866 §5.10 Acct-Terminate-Cause values we report. */
enum aaa_cause {
	AAA_CAUSE_NONE = 0,
	AAA_CAUSE_USER_REQUEST = 1, /* peer's LCP Terminate */
	AAA_CAUSE_LOST_CARRIER = 2, /* echo/hello timeout, CDN */
	AAA_CAUSE_LOST_SERVICE = 3, /* LAC: tunnel to the LNS lost */
	AAA_CAUSE_IDLE_TIMEOUT = 4,
	AAA_CAUSE_SESSION_TIMEOUT = 5,
	AAA_CAUSE_ADMIN_RESET = 6, /* vpdnctl, Disconnect-Request */
	AAA_CAUSE_NAS_ERROR = 9,
	AAA_CAUSE_NAS_REQUEST = 10, /* daemon stopping */
};
const char *aaa_cause_str(enum aaa_cause c);
/* The cause for a PPP/session_link end reason ("peer terminated", "echo
 * timeout", "carrier closed", ...). */
enum aaa_cause aaa_cause_from_reason(const char *reason);

/* Why a LAC call ended, as lac.c sees it (after Start, so after the
 * L2TP session to the LNS came up). */
enum aaa_lac_end {
	AAA_LAC_END_PADT,	    /* the user sent PADT */
	AAA_LAC_END_USER_TERMINATE, /* the user's LCP Terminate-Request */
	AAA_LAC_END_LINK_LOST,	    /* LCP echo failure, PPPoE carrier */
	AAA_LAC_END_LNS_CDN,	    /* the LNS disconnected the call */
	AAA_LAC_END_TUNNEL_LOST,    /* StopCCN, or no answer from the LNS */
	AAA_LAC_END_SHUTDOWN,	    /* this daemon stops */
	AAA_LAC_END_ADMIN,	    /* vpdnctl disconnect user */
	AAA_LAC_END_ERROR,	    /* memory, internal */
};
const char *aaa_lac_end_str(enum aaa_lac_end e);
/* The Acct-Terminate-Cause of a LAC record (RFC 2866 §5.10; the table and
 * why in aaa.c). */
enum aaa_cause aaa_lac_cause(enum aaa_lac_end e);

#define AAA_MAX_CLASS 4

struct aaa_counters {
	uint64_t in_octets, out_octets; /* from / to the user */
	uint64_t in_packets, out_packets;
};

/*
 * Acct-Session-Id (RFC 2866 §5.5: unique, so that start and stop records
 * can be matched): 27 hex digits, the FNV-1a digest of the NAS's identity
 * (NAS-Identifier and NAS-IP-Address: several daemons share one RADIUS
 * database, and a Disconnect-Request names a session by it alone), the
 * wall-clock second the daemon started, the low bits of its monotonic
 * clock then (two starts within one second) and a per-run counter.
 */
#define AAA_SESSION_ID_LEN 27
#define AAA_INSTANCE_MASK  0xfffu

/* What accounting says about one session (filled by the role). */
struct aaa_session {
	char id[AAA_SESSION_ID_LEN + 1]; /* Acct-Session-Id */
	/* Own copy of the User-Name (RFC 2865 §5.1: up to 253 octets, mostly a
	 * few dozen): on the heap so that the 50,000 sessions of one daemon
	 * (<= 2 KiB each) do not each carry 256 bytes.  NULL only before init
	 * or if the copy failed; read it through aaa_session_user(). */
	char *user;
	uint32_t framed_ip; /* host order */
	uint32_t nas_port;  /* tunnel << 16 | session */
	/* RFC 3162 §2.3: the session's IPv6 /64 (its upper 64 bits), sent
	 * in the records after IPv6CP opened. */
	bool has_ipv6_prefix;
	uint8_t ipv6_prefix[8];
	/* RFC 4818: the prefix DHCPv6 delegated (the last one, once bound),
	 * in the records after that. */
	bool has_deleg_prefix;
	uint8_t deleg_prefix_len;
	uint8_t deleg_prefix[16];
	/* Class values to echo (RFC 2865 §5.25): allocated only when the
	 * server sent some, so a session without them costs nothing here. */
	struct aaa_class {
		uint8_t v[253];
		size_t len;
	} * class_;
	unsigned nclass;
	uint64_t start_ms; /* monotonic, at Start */
	bool started;	   /* Start sent, Stop owed */
	/* The user's access line (RFC 4679 attributes in every record), owned
	 * by the role's session object; NULL when none was reported. */
	const struct access_line *access_line;
};

struct aaa_nas {
	char identifier[CFG_MAX_STR]; /* "" = not sent */
	uint32_t ip;		      /* 0 = not sent */
	uint16_t instance; /* monotonic ms at start & AAA_INSTANCE_MASK */
};

/*
 * What a LAC's records add to a session's (the LNS sends none of it): the
 * user's access line (RFC 2865 §5.31 Calling-Station-Id, §5.41
 * NAS-Port-Type) and the L2TP tunnel that carries the call (RFC 2867 §4.1,
 * RFC 2868 §3.1-3.4).  Binary and small (a LAC call costs ~1.2 KB): the
 * strings are made when a record is built.
 */
struct aaa_access {
	uint8_t mac[6];				  /* the user's MAC */
	uint8_t family;				  /* AF_INET(6); 0: no tunnel */
	uint8_t client[16], server[16];		  /* LAC's, LNS's address */
	uint16_t tunnel_id, session_id;		  /* ours */
	uint16_t peer_tunnel_id, peer_session_id; /* the LNS's */
	uint32_t nas_port_type;			  /* RFC 2865 §5.41 */
};

/* The user's MAC as Calling-Station-Id (RFC 2865 §5.31) in the LAC's
 * records and Access-Requests and as the ICRQ's Calling Number:
 * "02:00:5e:10:ab:cd". */
#define AAA_MAC_STR_LEN 18
void aaa_mac_str(const uint8_t mac[6], char out[AAA_MAC_STR_LEN]);

/*
 * Where the user is, for an Access-Request (auth_request calling_station
 * and nas_port; RFC 2865 §5.31 Calling-Station-Id, §5.5 NAS-Port), with
 * the values our accounting records carry:
 *  - a PPPoE user at the LAC: its MAC (aaa_mac_str), NAS-Port = the PPPoE
 *    session id;
 *  - an L2TP call at the LNS: the call's Calling Number (RFC 2661 §4.4.5)
 *    when the LAC sent one, else the peer's address without the port (a
 *    voluntary client), NAS-Port = tunnel << 16 | session.  A number that
 *    does not fit is not sent rather than cut.
 */
void aaa_describe_pppoe(struct auth_request *req, const uint8_t mac[6],
    uint16_t session_id);
void aaa_describe_l2tp(struct auth_request *req, const char *calling_number,
    const struct l2tp_addr *peer, uint16_t tunnel_id, uint16_t session_id);

/* Builds an Accounting-Request (status RADIUS_ACCT_STATUS_*): for On/Off s
 * and c are NULL.  elapsed_s is the session time.  Returns false if it
 * does not fit (cannot happen with the sizes above). */
bool aaa_build(struct radius_packet *p, const struct aaa_nas *nas,
    unsigned status, const struct aaa_session *s, const struct aaa_counters *c,
    uint32_t elapsed_s, enum aaa_cause cause, uint32_t event_time);
/* The same with a LAC's attributes (x != NULL); x == NULL is aaa_build. */
bool aaa_build_access(struct radius_packet *p, const struct aaa_nas *nas,
    unsigned status, const struct aaa_session *s, const struct aaa_counters *c,
    uint32_t elapsed_s, enum aaa_cause cause, uint32_t event_time,
    const struct aaa_access *x);
/* RFC 2867 §4.1 Acct-Tunnel-Connection of x: "<our tunnel>/<our session>
 * <LNS tunnel>/<LNS session>" in decimal; RFC 2868 §3.3 endpoints. */
void aaa_access_connection(const struct aaa_access *x, char *buf, size_t bufsz);

/* The session's user name, "" when none. */
static inline const char *
aaa_session_user(const struct aaa_session *s)
{
	return s->user != NULL ? s->user : "";
}

/* Frees what aaa_session_init allocated (user name, Class copies). */
void aaa_session_release(struct aaa_session *s);

struct aaa;

/* rs: copied; NULL disables every send (no [radius] section).  wall_time
 * (seconds since the epoch, for Event-Timestamp and the Acct-Session-Id
 * base) is called with wall_ctx; NULL: 0. */
struct aaa *aaa_new(const struct radius_sender *rs, const struct aaa_nas *nas,
    int64_t (*wall_time)(void *ctx), void *wall_ctx);
void aaa_free(struct aaa *a);
/* RFC 2866 §5.1: Accounting-On / Accounting-Off for this NAS. */
void aaa_accounting_on(struct aaa *a);
void aaa_accounting_off(struct aaa *a);
/* Accounting requests not yet answered (or given up). */
unsigned aaa_pending(const struct aaa *a);
bool aaa_enabled(const struct aaa *a);

/* A fresh Acct-Session-Id (unique across restarts: boot time + counter). */
void aaa_session_init(struct aaa *a, struct aaa_session *s, const char *user,
    uint32_t framed_ip, uint32_t nas_port,
    const struct radius_auth_reply *reply);
void aaa_session_start(struct aaa *a, struct aaa_session *s, uint64_t now);
void aaa_session_interim(struct aaa *a, const struct aaa_session *s,
    const struct aaa_counters *c, uint64_t now);
/* Stop, once: only if Start was sent. */
void aaa_session_stop(struct aaa *a, struct aaa_session *s,
    const struct aaa_counters *c, enum aaa_cause cause, uint64_t now);
/* The same three for a LAC call: x is added to every record. */
void aaa_access_start(struct aaa *a, struct aaa_session *s,
    const struct aaa_access *x, uint64_t now);
void aaa_access_interim(struct aaa *a, const struct aaa_session *s,
    const struct aaa_counters *c, const struct aaa_access *x, uint64_t now);
void aaa_access_stop(struct aaa *a, struct aaa_session *s,
    const struct aaa_counters *c, enum aaa_cause cause,
    const struct aaa_access *x, uint64_t now);

#endif
