/*
 * dhcpv6_client.c — the requesting router's state machine (RFC 8415
 * §18.2) with the retransmission of §15.
 */
#include "ipv6/dhcpv6_client.h"

#include <string.h>

#include "core/log.h"
#include "core/random.h"
#include "core/timeutil.h"

const char *
dhcpv6_client_state_name(enum dhcpv6_client_state s)
{
	switch (s) {
	case DHCPV6_CL_IDLE:
		return "idle";
	case DHCPV6_CL_SOLICIT:
		return "solicit";
	case DHCPV6_CL_REQUEST:
		return "request";
	case DHCPV6_CL_BOUND:
		return "bound";
	case DHCPV6_CL_RENEW:
		return "renew";
	case DHCPV6_CL_REBIND:
		return "rebind";
	case DHCPV6_CL_RELEASE:
		return "release";
	case DHCPV6_CL_STOPPED:
		return "stopped";
	}
	return "?";
}

static uint32_t
rnd(struct dhcpv6_client *c)
{
	return c->ops->random != NULL ? c->ops->random(c->ctx) : random_u32();
}

/* §15: RAND is uniform in [-0.1, +0.1]; for the first Solicit it is
 * strictly positive, so that the first RT exceeds IRT and Advertises
 * have time to arrive.  Returns base + RAND * base, in ms. */
static uint32_t
randomise(struct dhcpv6_client *c, uint32_t base, bool positive)
{
	int64_t permille = positive ? (int64_t)(rnd(c) % 100) + 1 :
				      (int64_t)(rnd(c) % 201) - 100;

	return (uint32_t)((int64_t)base + (int64_t)base * permille / 1000);
}

void
dhcpv6_client_init(struct dhcpv6_client *c,
    const struct dhcpv6_client_config *cfg, const struct dhcpv6_client_ops *ops,
    void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->ops = ops;
	c->ctx = ctx;
	c->state = DHCPV6_CL_IDLE;
	c->t1_at = c->t2_at = c->expire_at = TIME_NEVER;
}

const struct dhcpv6_pd_lease *
dhcpv6_client_lease(const struct dhcpv6_client *c)
{
	return c->bound ? &c->lease : NULL;
}

static void
emit(struct dhcpv6_client *c, enum dhcpv6_client_event ev)
{
	if (c->ops->event != NULL)
		c->ops->event(c->ctx, ev, &c->lease);
}

static void
lose(struct dhcpv6_client *c)
{
	if (!c->bound)
		return;
	emit(c, DHCPV6_EV_LOST);
	c->bound = false;
	c->t1_at = c->t2_at = c->expire_at = TIME_NEVER;
}

/* The message of the current exchange.  §21.4/§21.21/§21.22: a client
 * sets T1, T2 and the lifetimes it sends to 0; the server decides. */
static int
build(struct dhcpv6_client *c, uint8_t type, uint64_t now, uint8_t *out,
    size_t cap)
{
	struct dhcpv6_msg m;
	struct dhcpv6_ia *ia;
	const struct dhcpv6_pd_lease *l = NULL;
	uint64_t cs = (now - c->exch_start) / 10;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.xid = c->xid;
	m.present = DHCPV6_HAVE_CLIENTID | DHCPV6_HAVE_ELAPSED;
	m.client_id = c->cfg.duid;
	/* §21.9: hundredths of a second since the exchange began, 0xffff
	 * for anything longer. */
	m.elapsed = cs > 0xffff ? 0xffff : (uint16_t)cs;
	/* §18.2.2, §18.2.4, §18.2.7: Request, Renew and Release name the
	 * server; Solicit and Rebind go to any (§16.2, §16.7). */
	if (type == DHCPV6_REQUEST || type == DHCPV6_RENEW ||
	    type == DHCPV6_RELEASE) {
		m.present |= DHCPV6_HAVE_SERVERID;
		m.server_id = c->server;
	}
	ia = &m.ia[m.nia++];
	ia->type = DHCPV6_OPT_IA_PD;
	ia->iaid = c->cfg.iaid;
	if (type == DHCPV6_REQUEST)
		l = &c->adv_lease;
	else if (type != DHCPV6_SOLICIT)
		l = &c->lease;
	if (l != NULL) {
		memcpy(ia->lease[0].addr, l->prefix, 16);
		ia->lease[0].plen = l->plen;
		ia->n = 1;
	} else if (c->cfg.hint_plen > 0 && c->cfg.hint_plen <= 128) {
		/* §18.2.1: a hint: prefix ::, the length wanted. */
		ia->lease[0].plen = c->cfg.hint_plen;
		ia->n = 1;
	}
	if (c->cfg.want_dns && type != DHCPV6_RELEASE) {
		m.present |= DHCPV6_HAVE_ORO;
		m.oro[m.noro++] = DHCPV6_OPT_DNS_SERVERS;
	}
	if (type == DHCPV6_SOLICIT && c->cfg.rapid_commit)
		m.present |= DHCPV6_HAVE_RAPID_COMMIT;
	return dhcpv6_build(&m, out, cap);
}

static uint8_t
msg_type(enum dhcpv6_client_state s)
{
	switch (s) {
	case DHCPV6_CL_SOLICIT:
		return DHCPV6_SOLICIT;
	case DHCPV6_CL_REQUEST:
		return DHCPV6_REQUEST;
	case DHCPV6_CL_RENEW:
		return DHCPV6_RENEW;
	case DHCPV6_CL_REBIND:
		return DHCPV6_REBIND;
	case DHCPV6_CL_RELEASE:
		return DHCPV6_RELEASE;
	case DHCPV6_CL_IDLE:
	case DHCPV6_CL_BOUND:
	case DHCPV6_CL_STOPPED:
		break;
	}
	return 0;
}

/* One (re)transmission and the next RT (§15):
 *   RT = IRT + RAND*IRT                 first
 *   RT = 2*RTprev + RAND*RTprev         then
 *   RT = MRT + RAND*MRT                 if that exceeds MRT (MRT != 0) */
static void
transmit(struct dhcpv6_client *c, uint64_t now)
{
	uint8_t buf[1024];
	int n;

	if (c->count == 0)
		c->exch_start = now;
	n = build(c, msg_type(c->state), now, buf, sizeof(buf));
	if (n > 0) {
		c->ops->send(c->ctx, buf, (size_t)n);
		c->stats.tx++;
	}
	c->count++;
	if (c->count == 1) {
		c->rt = randomise(c, c->irt, c->state == DHCPV6_CL_SOLICIT);
		if (c->state == DHCPV6_CL_SOLICIT)
			c->collect_end = now + c->rt;
	} else {
		c->rt = randomise(c,
		    c->rt > UINT32_MAX / 3 ? UINT32_MAX / 3 : 2 * c->rt, false);
	}
	if (c->mrt != 0 && c->rt > c->mrt)
		c->rt = randomise(c, c->mrt, false);
	c->next_tx = now + c->rt;
}

static void
begin(struct dhcpv6_client *c, enum dhcpv6_client_state st, uint32_t irt,
    uint32_t mrt, uint32_t mrc, uint64_t now)
{
	c->state = st;
	c->xid = rnd(c) & 0xffffff; /* §16.1: a new transaction-id */
	c->irt = irt;
	c->mrt = mrt;
	c->mrc = mrc;
	c->count = 0;
	c->rt = 0;
	transmit(c, now);
}

/* restart: after a failed exchange or a lost prefix rather than at
 * start; §14.1 wants a client's transmissions rate-limited, so a server
 * that answers every Request with nothing cannot drive a tight
 * Solicit/Request loop: a restart waits SOL_TIMEOUT more. */
static void
start_solicit(struct dhcpv6_client *c, uint64_t now, bool restart)
{
	c->state = DHCPV6_CL_SOLICIT;
	c->xid = rnd(c) & 0xffffff;
	c->irt = DHCPV6_SOL_TIMEOUT;
	c->mrt = DHCPV6_SOL_MAX_RT;
	c->mrc = 0;
	c->count = 0;
	c->rt = 0;
	c->have_adv = false;
	c->adv_pref = 0;
	/* §18.2.1: the first Solicit is delayed by a random time in
	 * [0, SOL_MAX_DELAY]. */
	c->next_tx = now + rnd(c) % (DHCPV6_SOL_MAX_DELAY + 1) +
	    (restart ? DHCPV6_SOL_TIMEOUT : 0);
	c->collect_end = TIME_NEVER;
}

void
dhcpv6_client_start(struct dhcpv6_client *c, uint64_t now)
{
	if (c->state == DHCPV6_CL_IDLE || c->state == DHCPV6_CL_STOPPED)
		start_solicit(c, now, false);
}

static void
send_request(struct dhcpv6_client *c, uint64_t now)
{
	/* §18.2.2: Request to the chosen server for what it offered. */
	c->server = c->adv_server;
	begin(c, DHCPV6_CL_REQUEST, DHCPV6_REQ_TIMEOUT, DHCPV6_REQ_MAX_RT,
	    DHCPV6_REQ_MAX_RC, now);
}

/* A received prefix usable per §21.22 (preferred <= valid), or NULL. */
static const struct dhcpv6_lease6 *
usable(const struct dhcpv6_ia *ia)
{
	unsigned i;

	for (i = 0; i < ia->n; i++)
		if (ia->lease[i].valid > 0 &&
		    ia->lease[i].preferred <= ia->lease[i].valid &&
		    ia->lease[i].plen > 0)
			return &ia->lease[i];
	return NULL;
}

/* Our IA_PD in *m, NULL if absent or to be discarded: §21.21 discards
 * an IA_PD with T1 > T2 when both are non-zero. */
static const struct dhcpv6_ia *
our_ia(const struct dhcpv6_client *c, const struct dhcpv6_msg *m)
{
	unsigned i;

	for (i = 0; i < m->nia; i++) {
		const struct dhcpv6_ia *ia = &m->ia[i];

		if (ia->type != DHCPV6_OPT_IA_PD || ia->iaid != c->cfg.iaid)
			continue;
		if (ia->t1 > 0 && ia->t2 > 0 && ia->t1 > ia->t2)
			return NULL;
		return ia;
	}
	return NULL;
}

static void
on_advertise(struct dhcpv6_client *c, const struct dhcpv6_msg *m, uint64_t now)
{
	const struct dhcpv6_ia *ia = our_ia(c, m);
	const struct dhcpv6_lease6 *p = ia != NULL ? usable(ia) : NULL;
	uint8_t pref = (m->present & DHCPV6_HAVE_PREFERENCE) ? m->preference :
							       0;

	/* §18.2.9: an Advertise without a prefix for us is ignored (its
	 * NoPrefixAvail says that server has nothing to give). */
	if (c->state != DHCPV6_CL_SOLICIT || p == NULL) {
		c->stats.ignored++;
		return;
	}
	/* §18.2.9: the highest preference wins; the first of equals. */
	if (!c->have_adv || pref > c->adv_pref) {
		c->have_adv = true;
		c->adv_pref = pref;
		c->adv_server = m->server_id;
		memcpy(c->adv_lease.prefix, p->addr, 16);
		c->adv_lease.plen = p->plen;
		c->adv_lease.preferred = c->adv_lease.valid = 0;
	}
	/* §18.2.1: Preference 255 ends the wait at once; after the first
	 * RT, the first Advertise does. */
	if (pref == 255 || (c->count > 0 && now >= c->collect_end))
		send_request(c, now);
}

static uint64_t
at(uint64_t now, uint32_t secs)
{
	return secs == DHCPV6_INFINITY ? TIME_NEVER :
					 now + (uint64_t)secs * 1000;
}

/* A Reply that gave us *p in *ia: bind or refresh, and set the timers. */
static void
bind_lease(struct dhcpv6_client *c, const struct dhcpv6_msg *m,
    const struct dhcpv6_ia *ia, const struct dhcpv6_lease6 *p, uint64_t now)
{
	bool same = c->bound && c->lease.plen == p->plen &&
	    memcmp(c->lease.prefix, p->addr, 16) == 0;
	uint32_t t1 = ia->t1, t2 = ia->t2;

	if (c->bound && !same)
		lose(c);
	memcpy(c->lease.prefix, p->addr, 16);
	c->lease.plen = p->plen;
	c->lease.preferred = p->preferred;
	c->lease.valid = p->valid;
	c->server = m->server_id;
	c->bound = true;
	/* §21.21: T1/T2 of 0 leave the times to the client, which takes
	 * the recommended 0.5 and 0.8 of the preferred lifetime. */
	if (t1 == 0 || t2 == 0) {
		if (p->preferred == DHCPV6_INFINITY) {
			t1 = t2 = DHCPV6_INFINITY;
		} else {
			t1 = p->preferred / 2;
			t2 = (uint32_t)((uint64_t)p->preferred * 4 / 5);
		}
		/* A deprecated prefix (preferred 0) would make that 0: a
		 * Renew at once after every Reply.  §14.1: rate-limited,
		 * no sooner than REN_TIMEOUT. */
		if (t1 < DHCPV6_REN_TIMEOUT / 1000) {
			/* (T2 keeps the 0.5 : 0.8 ratio to T1.) */
			t1 = DHCPV6_REN_TIMEOUT / 1000;
			t2 = t1 * 8 / 5;
		}
	}
	c->t1_at = at(now, t1);
	c->t2_at = at(now, t2);
	c->expire_at = at(now, p->valid);
	if (m->present & DHCPV6_HAVE_DNS) {
		c->ndns = m->ndns;
		memcpy(c->dns, m->dns, sizeof(c->dns));
	}
	c->state = DHCPV6_CL_BOUND;
	emit(c, same ? DHCPV6_EV_RENEWED : DHCPV6_EV_BOUND);
}

/* §18.2.10, §18.2.10.1. */
static void
on_reply(struct dhcpv6_client *c, const struct dhcpv6_msg *m, uint64_t now)
{
	const struct dhcpv6_ia *ia;
	const struct dhcpv6_lease6 *p;
	unsigned i;

	switch (c->state) {
	case DHCPV6_CL_RELEASE:
		/* §18.2.10.1: Release is done whatever the status. */
		c->state = DHCPV6_CL_STOPPED;
		return;
	case DHCPV6_CL_SOLICIT:
		/* §18.2.1: a Reply to Solicit counts only with Rapid Commit,
		 * when we asked for it. */
		if (!c->cfg.rapid_commit ||
		    !(m->present & DHCPV6_HAVE_RAPID_COMMIT))
			goto ignore;
		break;
	case DHCPV6_CL_REQUEST:
	case DHCPV6_CL_RENEW:
	case DHCPV6_CL_REBIND:
		break;
	case DHCPV6_CL_IDLE:
	case DHCPV6_CL_BOUND:
	case DHCPV6_CL_STOPPED:
		goto ignore;
	}
	/* §18.2.10: UnspecFail / UseMulticast: the server did not act; the
	 * exchange goes on retransmitting (rate-limited by §15). */
	if ((m->present & DHCPV6_HAVE_STATUS) &&
	    (m->status == DHCPV6_ST_UNSPEC_FAIL ||
		m->status == DHCPV6_ST_USE_MULTICAST))
		goto ignore;
	ia = our_ia(c, m);
	if (ia == NULL) {
		/* §18.2.10.1: our IA missing: as if no Reply came (Renew,
		 * Rebind); a Request or Rapid Commit got nothing. */
		if (c->state == DHCPV6_CL_REQUEST && !c->bound)
			start_solicit(c, now, true);
		goto ignore;
	}
	/* Lifetimes 0 for our prefix: stop using it (§18.2.10.1). */
	if (c->bound)
		for (i = 0; i < ia->n; i++)
			if (ia->lease[i].valid == 0 &&
			    ia->lease[i].plen == c->lease.plen &&
			    memcmp(ia->lease[i].addr, c->lease.prefix, 16) == 0)
				lose(c);
	if (ia->has_status && ia->status == DHCPV6_ST_NO_BINDING &&
	    (c->state == DHCPV6_CL_RENEW || c->state == DHCPV6_CL_REBIND) &&
	    c->bound) {
		/* §18.2.10.1: NoBinding: Request it again from the server
		 * that answered. */
		c->adv_server = m->server_id;
		c->adv_lease = c->lease;
		send_request(c, now);
		return;
	}
	p = usable(ia);
	if (p != NULL && !(ia->has_status && ia->status != DHCPV6_ST_SUCCESS)) {
		bind_lease(c, m, ia, p, now);
		return;
	}
	if (!c->bound) {
		/* NoPrefixAvail or nothing usable: look for a server again
		 * (§18.2.10.1); Solicit backs off to SOL_MAX_RT. */
		if (c->state != DHCPV6_CL_SOLICIT)
			start_solicit(c, now, true);
		goto ignore;
	}
	/* Still bound, nothing new: keep retransmitting until T2 or the
	 * valid lifetime ends. */
ignore:
	c->stats.ignored++;
}

void
dhcpv6_client_input(struct dhcpv6_client *c, const uint8_t *msg, size_t len,
    uint64_t now)
{
	struct dhcpv6_msg m;

	c->stats.rx++;
	if (dhcpv6_parse(msg, len, &m) != DHCPV6_OK) {
		c->stats.ignored++;
		return;
	}
	/* §16.3, §16.10: ours only: our transaction, our Client ID, and a
	 * Server ID. */
	if ((m.type != DHCPV6_ADVERTISE && m.type != DHCPV6_REPLY) ||
	    m.xid != c->xid || !(m.present & DHCPV6_HAVE_SERVERID) ||
	    !(m.present & DHCPV6_HAVE_CLIENTID) ||
	    !dhcpv6_duid_eq(&m.client_id, &c->cfg.duid) ||
	    c->state == DHCPV6_CL_IDLE || c->state == DHCPV6_CL_BOUND ||
	    c->state == DHCPV6_CL_STOPPED) {
		LOG_RL(LOG_LEVEL_DEBUG, "dhcpv6 client: %s ignored (%s)",
		    dhcpv6_type_name(m.type),
		    dhcpv6_client_state_name(c->state));
		c->stats.ignored++;
		return;
	}
	if (m.type == DHCPV6_ADVERTISE)
		on_advertise(c, &m, now);
	else
		on_reply(c, &m, now);
}

void
dhcpv6_client_timer(struct dhcpv6_client *c, uint64_t now)
{
	/* §18.2.4/§18.2.5: at the end of the valid lifetime the prefix is
	 * gone; look for a server again. */
	if (c->bound && now >= c->expire_at && c->state != DHCPV6_CL_RELEASE) {
		lose(c);
		start_solicit(c, now, true);
		return;
	}
	switch (c->state) {
	case DHCPV6_CL_SOLICIT:
		if (c->have_adv && c->count > 0 && now >= c->collect_end)
			send_request(c, now);
		else if (now >= c->next_tx)
			transmit(c, now);
		break;
	case DHCPV6_CL_REQUEST:
	case DHCPV6_CL_RELEASE:
		if (now < c->next_tx)
			break;
		if (c->count >= c->mrc) {
			/* §18.2.2: the server does not answer: look for one
			 * again; §18.2.7: Release given up. */
			if (c->state == DHCPV6_CL_RELEASE)
				c->state = DHCPV6_CL_STOPPED;
			else if (c->bound)
				begin(c, DHCPV6_CL_REBIND, DHCPV6_REB_TIMEOUT,
				    DHCPV6_REB_MAX_RT, 0, now);
			else
				start_solicit(c, now, true);
			break;
		}
		transmit(c, now);
		break;
	case DHCPV6_CL_BOUND:
		/* §18.2.4: Renew at T1; §18.2.5: Rebind at T2. */
		if (now >= c->t2_at)
			begin(c, DHCPV6_CL_REBIND, DHCPV6_REB_TIMEOUT,
			    DHCPV6_REB_MAX_RT, 0, now);
		else if (now >= c->t1_at)
			begin(c, DHCPV6_CL_RENEW, DHCPV6_REN_TIMEOUT,
			    DHCPV6_REN_MAX_RT, 0, now);
		break;
	case DHCPV6_CL_RENEW:
		/* §18.2.4: Renew's MRD is the time until T2. */
		if (now >= c->t2_at)
			begin(c, DHCPV6_CL_REBIND, DHCPV6_REB_TIMEOUT,
			    DHCPV6_REB_MAX_RT, 0, now);
		else if (now >= c->next_tx)
			transmit(c, now);
		break;
	case DHCPV6_CL_REBIND:
		/* §18.2.5: Rebind's MRD is the valid lifetime, above. */
		if (now >= c->next_tx)
			transmit(c, now);
		break;
	case DHCPV6_CL_IDLE:
	case DHCPV6_CL_STOPPED:
		break;
	}
}

uint64_t
dhcpv6_client_next_deadline(const struct dhcpv6_client *c)
{
	uint64_t d = TIME_NEVER;

	switch (c->state) {
	case DHCPV6_CL_SOLICIT:
		d = c->next_tx;
		if (c->have_adv && c->count > 0)
			d = time_min(d, c->collect_end);
		break;
	case DHCPV6_CL_REQUEST:
	case DHCPV6_CL_RELEASE:
	case DHCPV6_CL_REBIND:
		d = c->next_tx;
		break;
	case DHCPV6_CL_RENEW:
		d = time_min(c->next_tx, c->t2_at);
		break;
	case DHCPV6_CL_BOUND:
		d = time_min(c->t1_at, c->t2_at);
		break;
	case DHCPV6_CL_IDLE:
	case DHCPV6_CL_STOPPED:
		return TIME_NEVER;
	}
	if (c->bound && c->state != DHCPV6_CL_RELEASE)
		d = time_min(d, c->expire_at);
	return d;
}

void
dhcpv6_client_release(struct dhcpv6_client *c, uint64_t now)
{
	if (!c->bound) {
		c->state = DHCPV6_CL_STOPPED;
		return;
	}
	/* §18.2.7: stop using the prefix before releasing it. */
	emit(c, DHCPV6_EV_LOST);
	c->bound = false;
	c->t1_at = c->t2_at = c->expire_at = TIME_NEVER;
	begin(c, DHCPV6_CL_RELEASE, DHCPV6_REL_TIMEOUT, 0, DHCPV6_REL_MAX_RC,
	    now);
}
