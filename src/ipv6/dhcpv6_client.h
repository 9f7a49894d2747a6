/*
 * dhcpv6_client.h — a requesting router (RFC 8415 §18.2) for one session:
 * obtains one delegated prefix (IA_PD) and keeps it.
 *
 *   Solicit (+ Rapid Commit) → Advertise (best Preference, §18.2.9) →
 *   Request → Reply: bound; Renew at T1, Rebind at T2, the prefix lost
 *   at the end of its valid lifetime (then Solicit again); Release when
 *   the session ends.  Every exchange retransmits per §15 with the §7.6
 *   parameters.
 *
 * Sans I/O: the caller feeds received messages (UDP payloads from port 547
 * to our 546) and the clock, sends what ops->send hands it (to
 * All_DHCP_Relay_Agents_and_Servers, ff02::1:2, port 547, §7.1) and calls
 * dhcpv6_client_timer() at dhcpv6_client_next_deadline().  Time is in
 * milliseconds of the caller's monotonic clock; nothing here reads one.
 */
#ifndef VPDN_IPV6_DHCPV6_CLIENT_H
#define VPDN_IPV6_DHCPV6_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipv6/dhcpv6_codec.h"

/* RFC 8415 §7.6, in milliseconds. */
#define DHCPV6_SOL_MAX_DELAY 1000u
#define DHCPV6_SOL_TIMEOUT   1000u
#define DHCPV6_SOL_MAX_RT    3600000u
#define DHCPV6_REQ_TIMEOUT   1000u
#define DHCPV6_REQ_MAX_RT    30000u
#define DHCPV6_REQ_MAX_RC    10u
#define DHCPV6_REN_TIMEOUT   10000u
#define DHCPV6_REN_MAX_RT    600000u
#define DHCPV6_REB_TIMEOUT   10000u
#define DHCPV6_REB_MAX_RT    600000u
#define DHCPV6_REL_TIMEOUT   1000u
#define DHCPV6_REL_MAX_RC    4u

enum dhcpv6_client_state {
	DHCPV6_CL_IDLE,	   /* not started */
	DHCPV6_CL_SOLICIT, /* looking for a server */
	DHCPV6_CL_REQUEST, /* asked the chosen server */
	DHCPV6_CL_BOUND,
	DHCPV6_CL_RENEW,   /* T1 passed: asking our server */
	DHCPV6_CL_REBIND,  /* T2 passed: asking any server */
	DHCPV6_CL_RELEASE, /* giving it back */
	DHCPV6_CL_STOPPED, /* released (or gave up releasing) */
};

enum dhcpv6_client_event {
	DHCPV6_EV_BOUND,   /* a new prefix: configure it */
	DHCPV6_EV_RENEWED, /* same prefix, new lifetimes */
	DHCPV6_EV_LOST,	   /* stop using it (expired, withdrawn, released) */
};

struct dhcpv6_client_config {
	struct dhcpv6_duid duid; /* the client's DUID */
	uint32_t iaid;
	uint8_t hint_plen; /* §18.2.1: a prefix-length hint, 0 for none */
	bool rapid_commit; /* ask for it (§21.14) */
	bool want_dns;	   /* ORO with DNS servers (RFC 3646) */
};

struct dhcpv6_client_ops {
	void (*send)(void *ctx, const uint8_t *msg, size_t len);
	void (*event)(void *ctx, enum dhcpv6_client_event ev,
	    const struct dhcpv6_pd_lease *l);
	/* Transaction ids and the §15 randomisation; NULL: core/random. */
	uint32_t (*random)(void *ctx);
};

struct dhcpv6_client_stats {
	uint64_t tx, rx, ignored;
};

struct dhcpv6_client {
	struct dhcpv6_client_config cfg;
	const struct dhcpv6_client_ops *ops;
	void *ctx;
	enum dhcpv6_client_state state;
	/* The exchange in progress (§15). */
	uint32_t xid;
	uint64_t exch_start; /* first transmission, for Elapsed Time */
	uint64_t next_tx;
	uint64_t collect_end; /* Solicit: end of the first RT (§18.2.1) */
	uint64_t mrd_end;     /* TIME_NEVER: none */
	uint32_t rt, irt, mrt, mrc, count;
	/* The best Advertise so far (§18.2.9). */
	bool have_adv;
	uint8_t adv_pref;
	struct dhcpv6_duid adv_server;
	struct dhcpv6_pd_lease adv_lease;
	/* The binding. */
	bool bound;
	struct dhcpv6_duid server;
	struct dhcpv6_pd_lease lease;
	uint64_t t1_at, t2_at, expire_at; /* TIME_NEVER: infinite */
	unsigned ndns;
	uint8_t dns[DHCPV6_MAX_DNS][16];
	struct dhcpv6_client_stats stats;
};

/* Embeds in the session; cfg is copied.  Nothing is sent before start. */
void dhcpv6_client_init(struct dhcpv6_client *c,
    const struct dhcpv6_client_config *cfg, const struct dhcpv6_client_ops *ops,
    void *ctx);

/* Begins with a Solicit, delayed by up to SOL_MAX_DELAY (§18.2.1). */
void dhcpv6_client_start(struct dhcpv6_client *c, uint64_t now);

/* A received message. */
void dhcpv6_client_input(struct dhcpv6_client *c, const uint8_t *msg,
    size_t len, uint64_t now);

/* Runs whatever is due at now (retransmissions, T1, T2, expiry). */
void dhcpv6_client_timer(struct dhcpv6_client *c, uint64_t now);

/* When dhcpv6_client_timer() is next due, TIME_NEVER if nothing is. */
uint64_t dhcpv6_client_next_deadline(const struct dhcpv6_client *c);

/* The session ends: stops using the prefix (EV_LOST) and releases it
 * (§18.2.7), retransmitting up to REL_MAX_RC times while the caller keeps
 * calling the timer; without a prefix, stops at once. */
void dhcpv6_client_release(struct dhcpv6_client *c, uint64_t now);

/* The bound prefix, or NULL. */
const struct dhcpv6_pd_lease *dhcpv6_client_lease(
    const struct dhcpv6_client *c);

const char *dhcpv6_client_state_name(enum dhcpv6_client_state s);

#endif
