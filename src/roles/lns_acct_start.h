/*
 * lns_acct_start.h — when an LNS session's accounting Start goes out.
 *
 * RFC 2866 §5.1: Start marks the beginning of the user's service, and
 * RFC 3162 §2.3 / RFC 4818 §3 put the session's IPv6 prefixes
 * (Framed-IPv6-Prefix, Delegated-IPv6-Prefix) in its Accounting-Requests.
 * A Start sent the moment IPCP opens would lack the /64 that IPv6CP brings
 * an instant later, so Start waits until every NCP the session runs
 * (IPCP, and IPv6CP when the LNS offers it) has opened or failed — but no
 * longer than LNS_ACCT_START_WAIT_MS after the first one opened: a peer
 * that leaves one NCP unanswered (our Configure-Requests are retried for
 * up to Max-Configure × Restart, RFC 1661 §4.6, 30 s) does not hold back
 * the record of a service it already has.  Nothing is due before some NCP
 * opened.  A prefix delegated later by DHCPv6 goes out in an immediate
 * Interim-Update (lns.c).
 *
 * Sans-I/O: the caller gives the time (ms).
 */
#ifndef VPDN_ROLES_LNS_ACCT_START_H
#define VPDN_ROLES_LNS_ACCT_START_H

#include <stdbool.h>
#include <stdint.h>

/* One Restart-Timer period (RFC 1661 §4.6: 3 s) and a lost request's
 * retransmission: long enough for an NCP a packet loss delayed. */
#define LNS_ACCT_START_WAIT_MS 5000

struct lns_acct_gate {
	bool any_up;	 /* some NCP opened */
	uint64_t due_by; /* with any_up: Start by then at the latest */
	bool v4_done, v6_done;
};

/* A new network phase; v6_offered: the link runs IPv6CP. */
void lns_acct_gate_init(struct lns_acct_gate *g, bool v6_offered);
/* An NCP (ipv6: IPv6CP, else IPCP) opened (opened) or failed. */
void lns_acct_gate_ncp(struct lns_acct_gate *g, bool ipv6, bool opened,
    uint64_t now);
/* Whether Start is due at now. */
bool lns_acct_gate_due(const struct lns_acct_gate *g, uint64_t now);
/* When Start is due at the latest: TIME_NEVER until an NCP opened. */
uint64_t lns_acct_gate_deadline(const struct lns_acct_gate *g);

#endif
