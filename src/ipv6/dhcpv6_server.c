/*
 * dhcpv6_server.c — the per-session DHCPv6 server (RFC 8415 §16, §18.3):
 * message validation, then one reply built per client message.
 */
#include "ipv6/dhcpv6_server.h"

#include <string.h>

#include "core/log.h"

void
dhcpv6_server_init(struct dhcpv6_server *s,
    const struct dhcpv6_server_config *cfg, const struct dhcpv6_lease_ops *ops,
    void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	if (s->cfg.ndns > DHCPV6_MAX_DNS)
		s->cfg.ndns = DHCPV6_MAX_DNS;
	s->ops = ops;
	s->ctx = ctx;
}

static void
unbind(struct dhcpv6_server *s)
{
	if (s->state == DHCPV6_BIND_NONE)
		return;
	if (s->state == DHCPV6_BIND_BOUND && s->ops->bound != NULL)
		s->ops->bound(s->ctx, &s->lease, false);
	s->ops->release(s->ctx, &s->lease);
	s->state = DHCPV6_BIND_NONE;
	memset(&s->lease, 0, sizeof(s->lease));
	s->client.len = 0;
}

void
dhcpv6_server_destroy(struct dhcpv6_server *s)
{
	unbind(s);
}

const struct dhcpv6_pd_lease *
dhcpv6_server_bound(const struct dhcpv6_server *s)
{
	return s->state == DHCPV6_BIND_BOUND ? &s->lease : NULL;
}

static size_t
drop(struct dhcpv6_server *s, enum dhcpv6_server_drop why, uint8_t type)
{
	static const char *const reason[DHCPV6_DROP_COUNT] = {
		[DHCPV6_DROP_MALFORMED] = "malformed",
		[DHCPV6_DROP_NOT_SERVER_MSG] = "not a message to a server",
		[DHCPV6_DROP_NO_CLIENTID] = "no Client Identifier",
		[DHCPV6_DROP_HAS_SERVERID] = "Server Identifier not allowed",
		[DHCPV6_DROP_NO_SERVERID] = "no Server Identifier",
		[DHCPV6_DROP_WRONG_SERVERID] = "another server's identifier",
		[DHCPV6_DROP_IA_IN_INFOREQ] = "IA in Information-Request",
		[DHCPV6_DROP_CONFIRM] = "Confirm (no addresses to confirm)",
		[DHCPV6_DROP_NO_SPACE] = "reply does not fit",
	};

	s->stats.drop[why]++;
	LOG_RL(LOG_LEVEL_INFO, "dhcpv6 server: %s dropped: %s",
	    dhcpv6_type_name(type), reason[why]);
	return 0;
}

/* RFC 8415 §21.21 recommends T1 and T2 of 0.5 and 0.8 times the shortest
 * preferred lifetime of the IA's prefixes; infinity stays infinity
 * (§7.7). */
static void
set_t1_t2(struct dhcpv6_ia *ia, uint32_t preferred)
{
	if (preferred == DHCPV6_INFINITY) {
		ia->t1 = ia->t2 = DHCPV6_INFINITY;
		return;
	}
	ia->t1 = preferred / 2;
	ia->t2 = (uint32_t)((uint64_t)preferred * 4 / 5);
}

static void
put_lease(struct dhcpv6_ia *ia, const struct dhcpv6_pd_lease *l)
{
	struct dhcpv6_lease6 *o = &ia->lease[ia->n++];

	memset(o, 0, sizeof(*o));
	memcpy(o->addr, l->prefix, 16);
	o->plen = l->plen;
	o->preferred = l->preferred;
	o->valid = l->valid;
	set_t1_t2(ia, l->preferred);
}

static bool
same_prefix(const struct dhcpv6_lease6 *a, const struct dhcpv6_pd_lease *b)
{
	return a->plen == b->plen && memcmp(a->addr, b->prefix, 16) == 0;
}

/* The client's prefixes other than ours come back with lifetimes 0: on
 * this link only the session's own delegation is appropriate (§18.3.4,
 * §18.3.5). */
static void
zero_foreign(const struct dhcpv6_server *s, const struct dhcpv6_ia *in,
    struct dhcpv6_ia *out)
{
	unsigned i;

	for (i = 0; i < in->n && out->n < DHCPV6_MAX_PREFIX; i++) {
		if (s->state != DHCPV6_BIND_NONE &&
		    same_prefix(&in->lease[i], &s->lease))
			continue;
		out->lease[out->n] = in->lease[i];
		out->lease[out->n].has_status = false;
		out->lease[out->n].preferred = 0;
		out->lease[out->n].valid = 0;
		out->n++;
	}
}

static void
ia_status(struct dhcpv6_ia *out, uint16_t st)
{
	out->has_status = true;
	out->status = st;
}

enum ia_mode {
	IA_OFFER,   /* Solicit → Advertise */
	IA_COMMIT,  /* Request, Solicit + Rapid Commit → Reply */
	IA_EXTEND,  /* Renew */
	IA_REBIND,  /* Rebind */
	IA_RELEASE, /* Release */
	IA_DECLINE, /* Decline */
};

static bool
is_ours(const struct dhcpv6_server *s, const struct dhcpv6_duid *client,
    uint32_t iaid)
{
	return s->state != DHCPV6_BIND_NONE && s->iaid == iaid &&
	    dhcpv6_duid_eq(&s->client, client);
}

/* Offer or commit the session's prefix to this IA_PD, allocating it on
 * first use.  An offered (not yet bound) prefix goes to whichever IA_PD
 * asks next: the link is the session's, whoever asks is its subscriber.
 * A bound one stays with its client and IAID; *taken keeps a second
 * IA_PD of the same message from getting the same prefix. */
static void
pd_assign(struct dhcpv6_server *s, const struct dhcpv6_duid *client,
    const struct dhcpv6_ia *in, struct dhcpv6_ia *out, bool commit, bool *taken,
    uint64_t now)
{
	bool ours = is_ours(s, client, in->iaid);

	if (*taken || (!ours && s->state == DHCPV6_BIND_BOUND)) {
		/* §18.3.2, §18.3.9: NoPrefixAvail inside the IA_PD. */
		ia_status(out, DHCPV6_ST_NO_PREFIX_AVAIL);
		return;
	}
	if (s->state == DHCPV6_BIND_NONE) {
		if (s->ops->alloc(s->ctx, &s->lease, now) != 0 ||
		    s->lease.plen > 128) {
			memset(&s->lease, 0, sizeof(s->lease));
			ia_status(out, DHCPV6_ST_NO_PREFIX_AVAIL);
			return;
		}
		s->state = DHCPV6_BIND_OFFERED;
	}
	s->client = *client;
	s->iaid = in->iaid;
	*taken = true;
	if (commit && s->state == DHCPV6_BIND_OFFERED) {
		s->state = DHCPV6_BIND_BOUND;
		if (s->ops->bound != NULL)
			s->ops->bound(s->ctx, &s->lease, true);
	}
	put_lease(out, &s->lease);
}

/* Renew (§18.3.4) and Rebind (§18.3.5) of an IA_PD. */
static void
pd_extend(struct dhcpv6_server *s, const struct dhcpv6_duid *client,
    const struct dhcpv6_ia *in, struct dhcpv6_ia *out, bool rebind,
    uint64_t now)
{
	if (is_ours(s, client, in->iaid) && s->state == DHCPV6_BIND_BOUND) {
		bool lost = s->ops->renew(s->ctx, &s->lease, now) != 0;

		put_lease(out, &s->lease);
		zero_foreign(s, in, out);
		if (lost) {
			/* The provider took it back: lifetimes 0 tell the
			 * client to stop using it now. */
			out->lease[0].preferred = out->lease[0].valid = 0;
			out->t1 = out->t2 = 0;
			unbind(s);
		}
		return;
	}
	if (rebind && in->n > 0) {
		/* §18.3.5: no binding, and explicit configuration says the
		 * prefixes are not for this link: lifetimes 0. */
		zero_foreign(s, in, out);
		return;
	}
	/* §18.3.4 (and §18.3.5 for an IA with nothing in it): NoBinding,
	 * upon which the client sends a Request (§18.2.10.1). */
	ia_status(out, DHCPV6_ST_NO_BINDING);
}

static void
do_ias(struct dhcpv6_server *s, const struct dhcpv6_msg *req,
    struct dhcpv6_msg *rep, enum ia_mode mode, uint64_t now)
{
	bool taken = false;
	unsigned i;

	for (i = 0; i < req->nia; i++) {
		const struct dhcpv6_ia *in = &req->ia[i];
		struct dhcpv6_ia *out = &rep->ia[rep->nia];

		memset(out, 0, sizeof(*out));
		out->type = in->type;
		out->iaid = in->iaid;
		if (in->type != DHCPV6_OPT_IA_PD) {
			/* Addresses are never leased here: SLAAC on the
			 * RA's /64 gives them.  §18.3.2/§18.3.9: an IA the
			 * server will not fill carries NoAddrsAvail;
			 * §18.3.4/§18.3.7: one it has no binding for,
			 * NoBinding (for Rebind, any addresses get
			 * lifetimes 0, §18.3.5). */
			if (mode == IA_OFFER || mode == IA_COMMIT)
				ia_status(out, DHCPV6_ST_NO_ADDRS_AVAIL);
			else if (mode == IA_REBIND && in->n > 0)
				zero_foreign(s, in, out);
			else
				ia_status(out, DHCPV6_ST_NO_BINDING);
			rep->nia++;
			continue;
		}
		switch (mode) {
		case IA_OFFER:
		case IA_COMMIT:
			pd_assign(s, &req->client_id, in, out,
			    mode == IA_COMMIT, &taken, now);
			break;
		case IA_EXTEND:
		case IA_REBIND:
			pd_extend(s, &req->client_id, in, out,
			    mode == IA_REBIND, now);
			break;
		case IA_RELEASE:
			/* §18.3.7: a released IA is left out of the Reply;
			 * one without a binding comes back NoBinding. */
			if (is_ours(s, &req->client_id, in->iaid)) {
				unbind(s);
				continue;
			}
			ia_status(out, DHCPV6_ST_NO_BINDING);
			break;
		case IA_DECLINE:
			/* §18.3.8 applies to addresses only (a delegated
			 * prefix is not checked for duplicates on the
			 * client's link): nothing is declined; the binding
			 * stays and the IA_PD comes back NoBinding as one
			 * the Decline cannot act on. */
			ia_status(out, DHCPV6_ST_NO_BINDING);
			break;
		}
		rep->nia++;
	}
}

static bool
any_lease(const struct dhcpv6_msg *m)
{
	unsigned i;

	for (i = 0; i < m->nia; i++)
		if (m->ia[i].n > 0)
			return true;
	return false;
}

/* RFC 8415 §16: which identifiers each message must or must not carry. */
static int
validate(struct dhcpv6_server *s, const struct dhcpv6_msg *m)
{
	bool has_cid = (m->present & DHCPV6_HAVE_CLIENTID) != 0;
	bool has_sid = (m->present & DHCPV6_HAVE_SERVERID) != 0;
	bool sid_ours = has_sid && dhcpv6_duid_eq(&m->server_id, &s->cfg.duid);

	switch (m->type) {
	case DHCPV6_SOLICIT: /* §16.2 */
	case DHCPV6_CONFIRM: /* §16.5 */
	case DHCPV6_REBIND:  /* §16.7 */
		if (!has_cid)
			return DHCPV6_DROP_NO_CLIENTID;
		if (has_sid)
			return DHCPV6_DROP_HAS_SERVERID;
		return -1;
	case DHCPV6_REQUEST: /* §16.4 */
	case DHCPV6_RENEW:   /* §16.6 */
	case DHCPV6_DECLINE: /* §16.8 */
	case DHCPV6_RELEASE: /* §16.9 */
		if (!has_sid)
			return DHCPV6_DROP_NO_SERVERID;
		if (!sid_ours)
			return DHCPV6_DROP_WRONG_SERVERID;
		if (!has_cid)
			return DHCPV6_DROP_NO_CLIENTID;
		return -1;
	case DHCPV6_INFORMATION_REQUEST: /* §16.12 */
		if (has_sid && !sid_ours)
			return DHCPV6_DROP_WRONG_SERVERID;
		if (m->nia > 0)
			return DHCPV6_DROP_IA_IN_INFOREQ;
		return -1;
	default:
		/* Advertise, Reply, Reconfigure go to clients (§16.3,
		 * §16.10, §16.11); relay messages were refused by the
		 * parser. */
		return DHCPV6_DROP_NOT_SERVER_MSG;
	}
}

size_t
dhcpv6_server_input(struct dhcpv6_server *s, const uint8_t *msg, size_t len,
    uint64_t now, uint8_t *out, size_t cap)
{
	struct dhcpv6_msg req, rep;
	enum ia_mode mode = IA_COMMIT;
	int why, n;

	if (dhcpv6_parse(msg, len, &req) != DHCPV6_OK) {
		return drop(s, DHCPV6_DROP_MALFORMED, len > 0 ? msg[0] : 0);
	}
	if (req.type <= DHCPV6_INFORMATION_REQUEST)
		s->stats.rx[req.type]++;
	if ((why = validate(s, &req)) >= 0)
		return drop(s, (enum dhcpv6_server_drop)why, req.type);
	if (req.type == DHCPV6_CONFIRM)
		return drop(s, DHCPV6_DROP_CONFIRM, req.type);

	/* §18.3: every Advertise and Reply carries our Server Identifier
	 * and the client's Client Identifier if it sent one, and the same
	 * transaction-id (§8). */
	memset(&rep, 0, sizeof(rep));
	rep.type = DHCPV6_REPLY;
	rep.xid = req.xid;
	rep.present = DHCPV6_HAVE_SERVERID;
	rep.server_id = s->cfg.duid;
	if (req.present & DHCPV6_HAVE_CLIENTID) {
		rep.present |= DHCPV6_HAVE_CLIENTID;
		rep.client_id = req.client_id;
	}
	/* RFC 3646 §3: the DNS servers, configured for every client on the
	 * link; §21.7 lets a server send options the ORO did not name. */
	if (s->cfg.ndns > 0) {
		rep.present |= DHCPV6_HAVE_DNS;
		rep.ndns = s->cfg.ndns;
		memcpy(rep.dns, s->cfg.dns, sizeof(rep.dns));
	}

	switch (req.type) {
	case DHCPV6_SOLICIT:
		/* §18.3.1: a Reply with Rapid Commit (§21.14) commits at
		 * once when both sides want it; otherwise an Advertise. */
		if ((req.present & DHCPV6_HAVE_RAPID_COMMIT) &&
		    s->cfg.rapid_commit) {
			rep.present |= DHCPV6_HAVE_RAPID_COMMIT;
			mode = IA_COMMIT;
		} else {
			rep.type = DHCPV6_ADVERTISE;
			mode = IA_OFFER;
			if (s->cfg.send_preference) {
				rep.present |= DHCPV6_HAVE_PREFERENCE;
				rep.preference = s->cfg.preference;
			}
		}
		break;
	case DHCPV6_REQUEST: /* §18.3.2 */
		mode = IA_COMMIT;
		break;
	case DHCPV6_RENEW: /* §18.3.4 */
		mode = IA_EXTEND;
		break;
	case DHCPV6_REBIND: /* §18.3.5 */
		mode = IA_REBIND;
		break;
	case DHCPV6_RELEASE: /* §18.3.7 */
	case DHCPV6_DECLINE: /* §18.3.8 */
		mode = req.type == DHCPV6_RELEASE ? IA_RELEASE : IA_DECLINE;
		rep.present |= DHCPV6_HAVE_STATUS;
		rep.status = DHCPV6_ST_SUCCESS;
		break;
	default: /* Information-Request, §18.3.6: no IA (validated) */
		break;
	}
	do_ias(s, &req, &rep, mode, now);
	if (mode == IA_OFFER && req.nia > 0 && !any_lease(&rep)) {
		/* §18.3.9: nothing for any IA: the Advertise also carries a
		 * top-level NoAddrsAvail, so the client looks elsewhere. */
		rep.present |= DHCPV6_HAVE_STATUS;
		rep.status = DHCPV6_ST_NO_ADDRS_AVAIL;
	}

	n = dhcpv6_build(&rep, out, cap);
	if (n <= 0)
		return drop(s, DHCPV6_DROP_NO_SPACE, req.type);
	if (rep.type == DHCPV6_ADVERTISE)
		s->stats.tx_advertise++;
	else
		s->stats.tx_reply++;
	return (size_t)n;
}
