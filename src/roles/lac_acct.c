/*
 * lac_acct.c — RFC 2866 accounting of the LAC's calls (with `radius = yes`
 * and [radius] accounting servers).  Each call gets a small record (struct
 * lac_acct, on the heap only then): Start when its L2TP session to the LNS
 * is up and the user's PPP is handed over, Interim-Update every interval,
 * Stop from lac_call_end with the cause of aaa_lac_cause(); the octets and
 * packets are the user's PPP frames the LAC relayed (protocol field
 * onward, PPPoE and L2TP headers not counted), counted where lac.c relays
 * them.  The records themselves are built and sent by aaa.c, as the LNS's.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/heap.h"
#include "core/log.h"
#include "roles/lac_priv.h"

/* The call's record, once it is authenticated: rep (the Access-Accept, or
 * NULL) gives Class (RFC 2865 §5.25) and Acct-Interim-Interval. */
void
lac_acct_new(struct lac_call *c, const struct radius_auth_reply *rep)
{
	struct lac *lac = c->lac;
	struct roles *r = lac->roles;
	struct lac_acct *a;

	if (!lac->acct || c->acct != NULL)
		return;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_warnx("lac: \"%s\": no memory for accounting; the call "
			  "goes unaccounted",
		    c->user);
		return;
	}
	heap_node_init(&a->timer);
	a->call = c;
	/* NAS-Port: the PPPoE session id is the user's port here. */
	aaa_session_init(r->aaa, &a->s, c->user, 0, c->ps_id, rep);
	a->s.access_line = c->al; /* the call outlives its record */
	/* RFC 2869 §5.16: the server's interval wins, floored at 10 s as
	 * the LNS does; else [radius] interim-interval. */
	if (rep != NULL && rep->interim_interval != 0)
		a->interim_s = rep->interim_interval < 10 ?
		    10 :
		    rep->interim_interval;
	else
		a->interim_s = r->cfg->radius.interim_interval;
	a->x.nas_port_type = LAC_NAS_PORT_TYPE_ETHERNET;
	memcpy(a->x.mac, c->mac, sizeof(a->x.mac));
	c->acct = a;
}

/* An endpoint as aaa_access keeps it; an IPv4-mapped IPv6 address (an
 * IPv6 socket) is its IPv4 address. */
static int
acct_addr(const struct l2tp_addr *la, uint8_t out[16])
{
	if (la->ss.ss_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)&la->ss)->sin_addr,
		    4);
		return AF_INET;
	}
	if (la->ss.ss_family == AF_INET6) {
		const struct in6_addr *a6 =
		    &((const struct sockaddr_in6 *)&la->ss)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			memcpy(out, a6->s6_addr + 12, 4);
			return AF_INET;
		}
		memcpy(out, a6->s6_addr, 16);
		return AF_INET6;
	}
	return 0;
}

void
lac_acct_schedule(struct lac *lac, struct lac_acct *a, uint64_t now)
{
	if (a->interim_s == 0 || !a->s.started)
		return;
	if (heap_set(&lac->acct_timers, &a->timer,
		now + (uint64_t)a->interim_s * 1000) < 0)
		log_warnx("lac: no memory for an Interim-Update timer");
}

/* RFC 2866 §4.1: Start once the service is delivered, here when the LNS
 * accepted the call and the user's frames flow to it. */
void
lac_acct_start(struct lac_call *c, uint64_t now)
{
	struct lac *lac = c->lac;
	struct lac_acct *a = c->acct;
	struct l2tp_tunnel_info ti;
	struct l2tp_session_info si;
	int fc, fs;

	if (a == NULL || a->s.started || c->ls == NULL || c->lt == NULL ||
	    c->lt->t == NULL)
		return;
	l2tp_tunnel_get_info(c->lt->t, &ti);
	l2tp_session_get_info(c->ls, &si);
	fc = acct_addr(&ti.local, a->x.client);
	fs = acct_addr(&ti.peer, a->x.server);
	/* Tunnel attributes only when both ends are known and alike. */
	a->x.family = fc == fs ? (uint8_t)fs : 0;
	a->x.tunnel_id = ti.local_id;
	a->x.peer_tunnel_id = ti.peer_id;
	a->x.session_id = si.local_id;
	a->x.peer_session_id = si.peer_id;
	aaa_access_start(lac->roles->aaa, &a->s, &a->x, now);
	lac->roles->lac_acct_live++;
	lac_acct_schedule(lac, a, now);
}

void
lac_acct_stop(struct lac_call *c, enum aaa_lac_end why, uint64_t now)
{
	struct lac *lac = c->lac;
	struct roles *r = lac->roles;
	struct lac_acct *a = c->acct;

	if (a == NULL || !a->s.started)
		return;
	if (heap_node_queued(&a->timer))
		heap_remove(&lac->acct_timers, &a->timer);
	/* What the user did is the most specific; otherwise a stopping
	 * daemon is the reason, as for the LNS. */
	if (a->user_term)
		why = AAA_LAC_END_USER_TERMINATE;
	else if (why != AAA_LAC_END_PADT && r->shutting_down)
		why = AAA_LAC_END_SHUTDOWN;
	aaa_access_stop(r->aaa, &a->s, &a->ctr, aaa_lac_cause(why), &a->x, now);
	r->lac_acct_live--;
	if (r->shutting_down)
		roles_accounting_off(r);
}

void
lac_acct_free(struct lac *lac, struct lac_acct *a)
{
	if (a == NULL)
		return;
	if (heap_node_queued(&a->timer))
		heap_remove(&lac->acct_timers, &a->timer);
	aaa_session_release(&a->s);
	free(a);
}
