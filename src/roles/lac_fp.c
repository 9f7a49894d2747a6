/*
 * lac_fp.c — the LAC's calls in the kernel fast path (roles_io.h fp_lac_*,
 * dataplane/lac_fastpath.h).
 *
 * An established call (its L2TP session up, so the ICCN went out: RFC 2661
 * §7.4.1) whose tunnel runs over IPv4 and whose data is not sequenced
 * (§5.4: the Ns/Nr state is the user path's) enters the maps; from then
 * its users' IPv4/IPv6 data is relayed in the kernel both ways, while LCP,
 * authentication and the NCPs still reach lac.c, which relays them and
 * watches for the user's Terminate-Request as before.  A call leaves the
 * maps before its state goes (lac_call_end: CDN, PADT, tunnel lost,
 * shutdown); a reload keeps it.  The kernel's counters join the call's
 * accounting (RFC 2866) and `show sessions`, so both paths read alike.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "roles/lac_priv.h"

/* Allocated when a call first enters, freed with the call. */
struct lac_fp {
	struct lac_fastpath_call call;
	bool in;		       /* in the maps now */
	struct fastpath_counters done; /* carried before it left */
};

static bool
lac_fp_on(const struct roles *r)
{
	return r->io.ops->fp_lac_add != NULL;
}

/* An endpoint's IPv4 address and port, also from an IPv4-mapped IPv6
 * address (an IPv6 socket); false for IPv6 proper. */
static bool
ipv4_of(const struct l2tp_addr *la, struct in_addr *a, uint16_t *port)
{
	if (la->ss.ss_family == AF_INET) {
		const struct sockaddr_in *s =
		    (const struct sockaddr_in *)&la->ss;

		*a = s->sin_addr;
		*port = ntohs(s->sin_port);
		return true;
	}
	if (la->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 =
		    (const struct sockaddr_in6 *)&la->ss;

		if (!IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			return false;
		memcpy(&a->s_addr, s6->sin6_addr.s6_addr + 12, 4);
		*port = ntohs(s6->sin6_port);
		return true;
	}
	return false;
}

/* What the maps need to carry c; false with the reason when it cannot
 * be carried. */
static bool
lac_fp_call(const struct lac_call *c, struct lac_fastpath_call *fc,
    int *l2tp_ifindex, char *why, size_t whylen)
{
	const struct lac *lac = c->lac;
	struct l2tp_session_info si;
	struct l2tp_tunnel_info ti;
	unsigned mtu = lac->sock.mtu;

	if (c->ls == NULL || c->ps == NULL || !lac->sock_open) {
		snprintf(why, whylen, "no L2TP or PPPoE session");
		return false;
	}
	l2tp_session_get_info(c->ls, &si);
	if (si.sequencing) {
		snprintf(why, whylen, "data sequencing");
		return false;
	}
	l2tp_tunnel_get_info(l2tp_session_tunnel(c->ls), &ti);
	memset(fc, 0, sizeof(*fc));
	if (!ipv4_of(&ti.peer, &fc->peer_addr, &fc->peer_port) ||
	    !ipv4_of(&ti.local, &fc->local_addr, &fc->local_port)) {
		snprintf(why, whylen, "the tunnel is not over IPv4");
		return false;
	}
	if (fc->local_addr.s_addr == htonl(INADDR_ANY) || fc->local_port == 0 ||
	    ti.local.ifindex <= 0) {
		snprintf(why, whylen, "the tunnel's local end is not known");
		return false;
	}
	*l2tp_ifindex = ti.local.ifindex;
	fc->l2tp_ifindex = ti.local.ifindex;
	fc->access_ifindex = lac->sock.ifindex;
	fc->pppoe_sid = c->ps_id;
	memcpy(fc->user_mac, c->mac, sizeof(fc->user_mac));
	memcpy(fc->our_mac, lac->sock.mac, sizeof(fc->our_mac));
	fc->our_tunnel_id = si.tunnel_local_id;
	fc->our_session_id = si.local_id;
	fc->peer_tunnel_id = ti.peer_id;
	fc->peer_session_id = si.peer_id;
	/* RFC 2516 §7: the PPP MRU over PPPoE is at most the link's MTU
	 * less the PPPoE header and the protocol field (1492 on Ethernet);
	 * larger frames take the user path, which does with them what it
	 * always did. */
	if (mtu == 0 || mtu > PPPOE_ETH_PAYLOAD_MAX)
		mtu = PPPOE_ETH_PAYLOAD_MAX;
	fc->max_ppp = (uint16_t)(mtu - PPPOE_HDR_LEN - 2);
	return true;
}

void
lac_fp_enter(struct lac_call *c)
{
	struct roles *r = c->lac != NULL ? c->lac->roles : NULL;
	struct lac_fastpath_call fc;
	struct lac_fp *fp;
	int l2tp_ifindex = 0;
	char why[256];

	/* (a call of no LAC: the memory budget test's) */
	if (r == NULL || !lac_fp_on(r) || (c->fp != NULL && c->fp->in) ||
	    c->state != LAC_CALL_RELAY)
		return;
	why[0] = '\0';
	if (!lac_fp_call(c, &fc, &l2tp_ifindex, why, sizeof(why))) {
		log_info("lac: \"%s\": data on the user path (%s)", c->user,
		    why);
		return;
	}
	if ((fp = c->fp) == NULL && (fp = calloc(1, sizeof(*fp))) == NULL) {
		log_warnx("lac: \"%s\": data on the user path (no memory)",
		    c->user);
		return;
	}
	c->fp = fp;
	if (RIO(r, fp_lac_add, &fc, l2tp_ifindex, why, sizeof(why)) < 0) {
		log_warnx("lac: \"%s\": data on the user path: %s", c->user,
		    why);
		return;
	}
	fp->call = fc;
	fp->in = true;
	log_info("lac: \"%s\": data in the kernel fast path", c->user);
}

void
lac_fp_leave(struct lac_call *c)
{
	struct roles *r = c->lac->roles;
	struct fastpath_counters fin;
	struct lac_fp *fp = c->fp;
	char why[256];

	if (fp == NULL || !fp->in)
		return;
	fp->in = false;
	memset(&fin, 0, sizeof(fin));
	if (RIO(r, fp_lac_remove, &fp->call, &fin, why, sizeof(why)) < 0)
		log_warnx("lac: \"%s\": %s", c->user, why);
	/* What the kernel relayed joins the user path's counts. */
	if (c->acct != NULL && c->acct->s.started) {
		c->acct->ctr.in_octets += fin.rx_bytes;
		c->acct->ctr.in_packets += fin.rx_packets;
		c->acct->ctr.out_octets += fin.tx_bytes;
		c->acct->ctr.out_packets += fin.tx_packets;
	}
	fp->done.rx_packets += fin.rx_packets;
	fp->done.rx_bytes += fin.rx_bytes;
	fp->done.tx_packets += fin.tx_packets;
	fp->done.tx_bytes += fin.tx_bytes;
}

void
lac_fp_free(struct lac_call *c)
{
	lac_fp_leave(c);
	free(c->fp);
	c->fp = NULL;
}

/*
 * A data message the user path got for a call in the maps.  Either the LNS
 * turned sequencing on (RFC 2661 §5.4, S bit), which the kernel cannot
 * follow: the call's data goes back to the user path for good; or the
 * tunnel's peer moved (its address or port, as the LNS's answers now come
 * from): the entry is made again for the new one, its counters kept.
 */
void
lac_fp_check(struct lac_call *c)
{
	struct l2tp_session_info si;
	struct lac_fastpath_call cur;
	int l2tp_ifindex = 0;
	char why[256];

	if (c->fp == NULL || !c->fp->in || c->ls == NULL)
		return;
	l2tp_session_get_info(c->ls, &si);
	if (si.sequencing) {
		lac_fp_leave(c);
		log_info("lac: \"%s\": data back on the user path (the LNS "
			 "sequences it)",
		    c->user);
		return;
	}
	if (!lac_fp_call(c, &cur, &l2tp_ifindex, why, sizeof(why)) ||
	    (cur.peer_addr.s_addr == c->fp->call.peer_addr.s_addr &&
		cur.peer_port == c->fp->call.peer_port &&
		cur.local_addr.s_addr == c->fp->call.local_addr.s_addr &&
		cur.local_port == c->fp->call.local_port))
		return;
	lac_fp_leave(c);
	lac_fp_enter(c);
}

void
lac_fp_counters(const struct lac_call *c, struct fastpath_counters *out)
{
	memset(out, 0, sizeof(*out));
	if (c->fp == NULL || !c->fp->in ||
	    RIO(c->lac->roles, fp_lac_stats, c->fp->call.our_tunnel_id,
		c->fp->call.our_session_id, out) < 0)
		memset(out, 0, sizeof(*out));
}

void
lac_fp_acct_counters(const struct lac_call *c, struct aaa_counters *out)
{
	struct fastpath_counters fc;

	*out = c->acct->ctr;
	lac_fp_counters(c, &fc);
	out->in_octets += fc.rx_bytes;
	out->in_packets += fc.rx_packets;
	out->out_octets += fc.tx_bytes;
	out->out_packets += fc.tx_packets;
}

void
lac_fp_describe(const struct lac_call *c, struct roles_session_view *v)
{
	struct fastpath_counters fc;

	if (c->fp == NULL)
		return;
	lac_fp_counters(c, &fc);
	v->path = c->fp->in ? "kernel" : "user";
	/* As the L2TP session counts: received is what came from the LNS
	 * (to the user), sent what went to it. */
	v->fp_rx_packets = c->fp->done.tx_packets + fc.tx_packets;
	v->fp_rx_bytes = c->fp->done.tx_bytes + fc.tx_bytes;
	v->fp_tx_packets = c->fp->done.rx_packets + fc.rx_packets;
	v->fp_tx_bytes = c->fp->done.rx_bytes + fc.rx_bytes;
}

size_t
lac_fp_footprint(const struct lac_call *c)
{
	return c->fp != NULL ? sizeof(*c->fp) : 0;
}
