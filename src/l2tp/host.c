/*
 * host.c — the tunnel table and the datagram/timer entry points of the L2TP
 * control plane (see l2tp.h for the contract roles rely on).
 *
 * Tables: tunnels by local ID (idpool, O(1)); a chained hash by (peer
 * address, peer's Assigned Tunnel ID) so that a retransmitted SCCRQ reaches
 * the tunnel it already created instead of creating a second one; a binary
 * min-heap of tunnels by next deadline so next_deadline() is O(1) and each
 * timer run O(log n) per due tunnel.
 *
 * l2tp_host_input() demultiplexes (RFC 2661 §3.1):
 *   T=0 data        → tunnel by ID, peer must match, session by ID
 *   T=1, tunnel 0   → must decode as a valid SCCRQ; dedup; tie breaker
 *                     (§4.4.3); max-tunnels → stateless StopCCN 2/4
 *   T=1, tunnel ≠ 0 → tunnel by ID, peer must match → its xport → FSM
 * Control messages for unknown tunnel IDs are dropped and counted (RFC 2661
 * has no rule requiring an answer, and answering would make us a reflector).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "config/config.h"
#include "core/buf.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

const char *
l2tp_drop_str(enum l2tp_drop d)
{
	switch (d) {
	case L2TP_DROP_HDR:
		return "bad-header";
	case L2TP_DROP_UNKNOWN_TUNNEL:
		return "unknown-tunnel";
	case L2TP_DROP_WRONG_PEER:
		return "wrong-peer";
	case L2TP_DROP_UNKNOWN_SESSION:
		return "unknown-session";
	case L2TP_DROP_MALFORMED:
		return "malformed";
	case L2TP_DROP_NOT_SCCRQ:
		return "not-sccrq";
	case L2TP_DROP_TUNNEL_LIMIT:
		return "tunnel-limit";
	case L2TP_DROP_OUT_OF_WINDOW:
		return "out-of-window";
	case L2TP_DROP_DATA_NOT_UP:
		return "data-not-up";
	case L2TP_DROP_RATE_LIMIT:
		return "rate-limit";
	case L2TP_DROP__COUNT:
		break;
	}
	return "?";
}

/* ---- addresses ---- */

/* Same IP address (and scope), port ignored. */
bool
l2tp_addr_same_host(const struct l2tp_addr *a, const struct l2tp_addr *b)
{
	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	switch (a->ss.ss_family) {
	case AF_INET: {
		const struct sockaddr_in *x = (const void *)&a->ss;
		const struct sockaddr_in *y = (const void *)&b->ss;

		return x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *x = (const void *)&a->ss;
		const struct sockaddr_in6 *y = (const void *)&b->ss;

		return memcmp(&x->sin6_addr, &y->sin6_addr,
			   sizeof(x->sin6_addr)) == 0 &&
		    x->sin6_scope_id == y->sin6_scope_id;
	}
	default:
		return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
	}
}

static uint16_t
addr_port(const struct l2tp_addr *a)
{
	switch (a->ss.ss_family) {
	case AF_INET:
		return ntohs(((const struct sockaddr_in *)(const void *)&a->ss)
				 ->sin_port);
	case AF_INET6:
		return ntohs(((const struct sockaddr_in6 *)(const void *)&a->ss)
				 ->sin6_port);
	default:
		return 0;
	}
}

bool
l2tp_addr_equal(const struct l2tp_addr *a, const struct l2tp_addr *b)
{
	return l2tp_addr_same_host(a, b) && addr_port(a) == addr_port(b);
}

const char *
l2tp_addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	switch (a->ss.ss_family) {
	case AF_INET:
		inet_ntop(AF_INET,
		    &((const struct sockaddr_in *)(const void *)&a->ss)
			 ->sin_addr,
		    ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, addr_port(a));
		break;
	case AF_INET6:
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)(const void *)&a->ss)
			 ->sin6_addr,
		    ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, addr_port(a));
		break;
	default:
		snprintf(buf, len, "(unspecified)");
		break;
	}
	return buf;
}

static uint32_t
addr_hash(const struct l2tp_addr *a, uint16_t peer_id)
{
	const uint8_t *p = NULL;
	size_t n = 0;
	uint32_t h = 2166136261u; /* FNV-1a */

	switch (a->ss.ss_family) {
	case AF_INET:
		p = (const void *)&(
		    (const struct sockaddr_in *)(const void *)&a->ss)
			->sin_addr;
		n = 4;
		break;
	case AF_INET6:
		p = (const void *)&(
		    (const struct sockaddr_in6 *)(const void *)&a->ss)
			->sin6_addr;
		n = 16;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	h = (h ^ addr_port(a)) * 16777619u;
	h = (h ^ peer_id) * 16777619u;
	return h;
}

/* ---- new-tunnel rate limit (see HOST_SCCRQ_* in tunnel.h) ---- */

/*
 * True if `peer` may create one more tunnel now, and takes its token.
 * The slot is picked by a hash keyed with a random value, so an attacker
 * cannot aim a flood at the slot of an address it wants to starve; a
 * different address landing in a slot takes it over with a full bucket
 * (the table forgets, it never grows).  Ports are ignored: a flood from
 * many ports of one address shares one bucket.
 */
static bool
host_sccrq_allowed(struct l2tp_host *h, const struct l2tp_addr *peer,
    uint64_t now)
{
	const uint32_t full = HOST_SCCRQ_BURST * 1000u;
	struct host_bucket *b;
	uint8_t key[16];
	size_t n;
	uint32_t hv = h->bucket_key;

	memset(key, 0, sizeof(key));
	switch (peer->ss.ss_family) {
	case AF_INET:
		memcpy(key,
		    &((const struct sockaddr_in *)(const void *)&peer->ss)
			 ->sin_addr,
		    4);
		n = 4;
		break;
	case AF_INET6:
		memcpy(key,
		    &((const struct sockaddr_in6 *)(const void *)&peer->ss)
			 ->sin6_addr,
		    16);
		n = 16;
		break;
	default:
		return true;
	}
	for (size_t i = 0; i < n; i++)
		hv = (hv ^ key[i]) * 16777619u;
	hv ^= hv >> 15;
	b = &h->buckets[hv % HOST_SCCRQ_BUCKETS];
	if (b->family != peer->ss.ss_family ||
	    memcmp(b->addr, key, sizeof(key)) != 0) {
		memcpy(b->addr, key, sizeof(key));
		b->family = peer->ss.ss_family;
		b->credit = full;
		b->last_ms = now;
	} else if (now > b->last_ms) {
		uint64_t c = b->credit + (now - b->last_ms) * HOST_SCCRQ_RATE;

		b->credit = c > full ? full : (uint32_t)c;
		b->last_ms = now;
	}
	if (b->credit < 1000)
		return false;
	b->credit -= 1000;
	return true;
}

/* ---- config ---- */

void
l2tp_host_config_defaults(struct l2tp_host_config *c)
{
	memset(c, 0, sizeof(*c));
	strlcpy(c->hostname, "vpdn", sizeof(c->hostname));
	strlcpy(c->vendor_name, "vpdn", sizeof(c->vendor_name));
	/* The same as vpdn.conf's, so a host built without a configuration
	 * (vpdn-bench, tests) behaves as vpdnd does by default. */
	c->receive_window = CFG_DEFAULT_RECEIVE_WINDOW;
	c->hello_interval_ms = CFG_DEFAULT_HELLO_INTERVAL * 1000;
	c->retransmit_max = CFG_DEFAULT_RETRANSMIT_MAX;
	c->rto_initial_ms = 1000;
	c->rto_max_ms = 8000;
	c->ack_delay_ms = 100;
	c->max_tunnels = CFG_DEFAULT_MAX_TUNNELS;
	c->max_sessions = CFG_DEFAULT_MAX_SESSIONS;
	c->accept_tunnels = false;
	c->closing_ms = 0;
	c->session_setup_ms = L2TP_SETUP_DERIVED;
}

void
l2tp_host_xport_config(const struct l2tp_host_config *c,
    struct xport_config *xc)
{
	xport_config_defaults(xc);
	if (c->receive_window > 0)
		xc->our_rwin = c->receive_window;
	if (c->retransmit_max > 0)
		xc->retransmit_max = c->retransmit_max;
	if (c->rto_initial_ms > 0)
		xc->rto_initial_ms = c->rto_initial_ms;
	if (c->rto_max_ms > 0)
		xc->rto_max_ms = c->rto_max_ms;
	if (c->ack_delay_ms > 0)
		xc->ack_delay_ms = c->ack_delay_ms;
	xc->hello_ms = c->hello_interval_ms;
	/* A LAC whose tunnel comes up with hundreds of calls waiting queues
	 * an ICRQ for each: room for them beyond the send window. */
	if (xc->max_queue < L2TP_CTRL_QUEUE)
		xc->max_queue = L2TP_CTRL_QUEUE;
}

uint64_t
l2tp_xport_give_up_ms(const struct l2tp_host_config *c)
{
	struct xport_config xc;

	l2tp_host_xport_config(c, &xc);
	return xport_give_up_ms(&xc);
}

uint64_t
l2tp_call_setup_ms(const struct l2tp_host_config *c)
{
	if (c->session_setup_ms != L2TP_SETUP_DERIVED)
		return c->session_setup_ms;
	return 2 * l2tp_xport_give_up_ms(c) + L2TP_SETUP_MARGIN_MS;
}

/* ---- peer hash ---- */

static int
host_peer_hash_grow(struct l2tp_host *h)
{
	unsigned nsize = h->peer_hash_size ? h->peer_hash_size * 2 : 64;
	struct l2tp_tunnel **nb = calloc(nsize, sizeof(*nb));

	if (nb == NULL)
		return -1;
	for (unsigned b = 0; b < h->peer_hash_size; b++) {
		struct l2tp_tunnel *t, *next;

		for (t = h->peer_hash[b]; t != NULL; t = next) {
			uint32_t i = addr_hash(&t->peer, t->peer_id) &
			    (nsize - 1);

			next = t->peer_next;
			t->peer_next = nb[i];
			nb[i] = t;
		}
	}
	free(h->peer_hash);
	h->peer_hash = nb;
	h->peer_hash_size = nsize;
	return 0;
}

void
host_peer_hash_add(struct l2tp_tunnel *t)
{
	struct l2tp_host *h = t->host;
	uint32_t i;

	if (t->in_peer_hash)
		return;
	if (h->peer_hash_count >= h->peer_hash_size &&
	    host_peer_hash_grow(h) < 0 && h->peer_hash_size == 0)
		return; /* no memory: dedup degrades, nothing worse */
	i = addr_hash(&t->peer, t->peer_id) & (h->peer_hash_size - 1);
	t->peer_next = h->peer_hash[i];
	h->peer_hash[i] = t;
	t->in_peer_hash = true;
	h->peer_hash_count++;
}

void
host_peer_hash_del(struct l2tp_tunnel *t)
{
	struct l2tp_host *h = t->host;
	struct l2tp_tunnel **pp;

	if (!t->in_peer_hash)
		return;
	pp = &h->peer_hash[addr_hash(&t->peer, t->peer_id) &
	    (h->peer_hash_size - 1)];
	for (; *pp != NULL; pp = &(*pp)->peer_next) {
		if (*pp == t) {
			*pp = t->peer_next;
			h->peer_hash_count--;
			break;
		}
	}
	t->in_peer_hash = false;
}

static struct l2tp_tunnel *
host_peer_hash_find(struct l2tp_host *h, const struct l2tp_addr *peer,
    uint16_t peer_id)
{
	struct l2tp_tunnel *t;

	if (h->peer_hash_size == 0)
		return NULL;
	t = h->peer_hash[addr_hash(peer, peer_id) & (h->peer_hash_size - 1)];
	for (; t != NULL; t = t->peer_next)
		if (t->peer_id == peer_id && l2tp_addr_equal(&t->peer, peer))
			return t;
	return NULL;
}

/* ---- helpers ---- */

void
host_drop(struct l2tp_host *h, enum l2tp_drop d)
{
	h->stats.drops[d]++;
}

void
host_reschedule(struct l2tp_tunnel *t)
{
	struct l2tp_host *h = t->host;
	uint64_t d = tunnel_deadline(t);

	if (d == TIME_NEVER) {
		heap_remove(&h->timers, &t->timer);
		return;
	}
	if (heap_set(&h->timers, &t->timer, d) < 0)
		log_warnx("tunnel %u: no memory for its timer", t->local_id);
}

static struct l2tp_tunnel *
timer_tunnel(struct heap_node *n)
{
	return (struct l2tp_tunnel *)(void *)((char *)n -
	    offsetof(struct l2tp_tunnel, timer));
}

/* Frees sessions closed since the last entry point: never inside a call
 * the role made (l2tp.h lifetimes), nor in an entry point a callback
 * re-entered, since frames below may still hold them. */
static void
host_bury(struct l2tp_host *h)
{
	struct l2tp_session *s;

	if (h->depth > 0)
		return;
	while ((s = h->graveyard) != NULL) {
		h->graveyard = s->dead_next;
		session_free(s);
	}
}

/* ---- lifecycle ---- */

struct l2tp_host *
l2tp_host_new(const struct l2tp_host_config *cfg,
    const struct l2tp_host_ops *ops, void *ctx)
{
	struct l2tp_host *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->cfg = *cfg;
	h->ops = ops;
	h->ctx = ctx;
	h->bucket_key = random_u32() | 1;
	idpool_init(&h->tunnels, cfg->max_tunnels);
	heap_init(&h->timers);
	return h;
}

void
l2tp_host_free(struct l2tp_host *h)
{
	uint32_t cur = 0;
	struct l2tp_tunnel *t;

	if (h == NULL)
		return;
	while ((t = idpool_next(&h->tunnels, &cur, NULL)) != NULL)
		tunnel_free(t);
	h->depth = 0;
	host_bury(h);
	idpool_free(&h->tunnels);
	heap_free(&h->timers);
	free(h->peer_hash);
	free(h);
}

void
l2tp_host_shutdown(struct l2tp_host *h, uint64_t now)
{
	uint32_t cur = 0;
	struct l2tp_tunnel *t;

	h->now = now;
	while ((t = idpool_next(&h->tunnels, &cur, NULL)) != NULL)
		if (t->state != L2TP_TUNNEL_CLOSING)
			l2tp_tunnel_close(t, L2TP_STOPCCN_SHUTDOWN, 0,
			    "shutting down", now);
}

unsigned
l2tp_host_tunnel_count(const struct l2tp_host *h)
{
	return idpool_count(&h->tunnels);
}

unsigned
l2tp_host_unfinished_count(const struct l2tp_host *h)
{
	const struct l2tp_tunnel *t;
	uint32_t cur = 0;
	unsigned n = 0;

	while ((t = idpool_next(&h->tunnels, &cur, NULL)) != NULL)
		if (!tunnel_finished(t))
			n++;
	return n;
}

const struct l2tp_host_stats *
l2tp_host_stats(const struct l2tp_host *h)
{
	return &h->stats;
}

void
l2tp_host_reconfigure(struct l2tp_host *h, const struct l2tp_host_config *cfg)
{
	h->cfg = *cfg;
	idpool_set_limit(&h->tunnels, cfg->max_tunnels);
}

struct l2tp_tunnel *
l2tp_host_find_tunnel(struct l2tp_host *h, uint16_t local_id)
{
	struct l2tp_tunnel *t = idpool_get(&h->tunnels, local_id);

	/* After tunnel_down the role must not see the tunnel again. */
	return t != NULL && !t->down_reported ? t : NULL;
}

void
l2tp_host_foreach_tunnel(struct l2tp_host *h,
    void (*fn)(struct l2tp_tunnel *t, void *arg), void *arg)
{
	uint32_t cur = 0;
	struct l2tp_tunnel *t;

	while ((t = idpool_next(&h->tunnels, &cur, NULL)) != NULL)
		if (!t->down_reported)
			fn(t, arg);
}

/* ---- input ---- */

static void
host_data_input(struct l2tp_host *h, const struct data_hdr *hdr,
    const uint8_t *pkt, size_t len, const struct l2tp_addr *peer)
{
	struct l2tp_tunnel *t = idpool_get(&h->tunnels, hdr->tunnel_id);
	char a[80];

	if (t == NULL) {
		host_drop(h, L2TP_DROP_UNKNOWN_TUNNEL);
		LOG_RL(LOG_LEVEL_DEBUG, "data for unknown tunnel %u from %s",
		    hdr->tunnel_id, l2tp_addr_str(peer, a, sizeof(a)));
		return;
	}
	if (!l2tp_addr_equal(&t->peer, peer)) {
		host_drop(h, L2TP_DROP_WRONG_PEER);
		LOG_RL(LOG_LEVEL_INFO, "tunnel %u/%u: data from wrong peer %s",
		    t->local_id, t->peer_id, l2tp_addr_str(peer, a, sizeof(a)));
		return;
	}
	if (t->state != L2TP_TUNNEL_ESTABLISHED) {
		host_drop(h, L2TP_DROP_DATA_NOT_UP);
		return;
	}
	session_data_input(t, hdr, pkt, len);
}

/*
 * Stateless StopCCN to an SCCRQ we will not take (tunnel limit: result 2
 * error 4; a rejected SCCRQ: the decoder's result/error).  One reply per
 * datagram, no bigger than it: no state to exhaust, nothing to amplify.
 */
static void
host_refuse_sccrq(struct l2tp_host *h, const struct l2tp_msg *rq,
    uint16_t result, uint16_t error, const char *text,
    const struct l2tp_addr *local, const struct l2tp_addr *peer)
{
	struct l2tp_msg m;
	struct l2tp_secret none = { NULL, 0 };
	uint8_t buf[L2TP_CTRL_BUF];
	size_t len;

	l2tp_msg_init(&m, L2TP_MSG_STOPCCN,
	    l2tp_msg_has(rq, L2TP_AVP_ASSIGNED_TUNNEL_ID) ?
		rq->assigned_tunnel_id :
		0,
	    0);
	m.hdr.ns = 0;
	m.hdr.nr = (uint16_t)(rq->hdr.ns + 1); /* acks the SCCRQ */
	/* §4.4.3 wants a non-zero Assigned Tunnel ID; we made no tunnel,
	 * so any unused value does (the peer has no use for it after a
	 * StopCCN). */
	do
		m.assigned_tunnel_id = random_u16();
	while (m.assigned_tunnel_id == 0 ||
	    idpool_get(&h->tunnels, m.assigned_tunnel_id) != NULL);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.result.result = result;
	m.result.error = error;
	m.result.has_error = true;
	if (text != NULL)
		strlcpy(m.result.message, text, sizeof(m.result.message));
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	len = l2tp_msg_encode(&m, &none, false, buf, sizeof(buf));
	if (len > 0) {
		h->ops->send(h->ctx, local, peer, buf, len);
		if (result < L2TP_NITEMS(h->stats.stopccn_sent))
			h->stats.stopccn_sent[result]++;
	}
}

/*
 * RFC 2661 §4.4.3: an SCCRQ from a peer to which we have an outstanding
 * SCCRQ.  With tie breakers on both, the lower value wins and the loser
 * silently discards its tunnel (equal: both discard); "the initiator which
 * included the Tie Breaker AVP wins" over one that did not; with none on
 * either side both tunnels live.  "Same peer" means the same IP address
 * (its SCCRQ may come from another port).  Returns true when the received
 * SCCRQ must be ignored (we won).
 */
static bool
host_tie_break(struct l2tp_host *h, const struct l2tp_msg *rq,
    const struct l2tp_addr *peer, uint64_t now)
{
	bool theirs = l2tp_msg_has(rq, L2TP_AVP_TIE_BREAKER);
	bool ignore = false;

	/* Rare (one per SCCRQ while we are opening): a scan is fine. */
	uint32_t cur = 0;
	struct l2tp_tunnel *t;

	while ((t = idpool_next(&h->tunnels, &cur, NULL)) != NULL) {
		int cmp;

		if (t->state != L2TP_TUNNEL_WAIT_CTL_REPLY ||
		    !l2tp_addr_same_host(&t->peer, peer) ||
		    (!theirs && !t->use_tie_breaker))
			continue;
		if (!theirs)
			cmp = -1; /* only ours has one: we win */
		else if (!t->use_tie_breaker)
			cmp = 1; /* only theirs has one */
		else
			cmp = memcmp(t->tie_breaker, rq->tie_breaker,
			    sizeof(t->tie_breaker));
		if (cmp < 0) {
			tunnel_log(t, LOG_LEVEL_INFO,
			    "tie breaker won: "
			    "ignoring the peer's SCCRQ");
			ignore = true;
		} else {
			tunnel_discard(t,
			    cmp == 0 ? "tie breaker equal" : "tie breaker lost",
			    now);
			if (cmp == 0)
				ignore = true;
		}
	}
	return ignore;
}

static void
host_sccrq_input(struct l2tp_host *h, const struct l2tp_hdr *hdr,
    const uint8_t *pkt, size_t len, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, uint64_t now)
{
	struct l2tp_secret sec = { h->cfg.lns_secret, h->cfg.lns_secret_len };
	struct l2tp_accept acc;
	struct l2tp_msg m;
	struct l2tp_err err;
	struct l2tp_tunnel *t;
	enum l2tp_verdict v;
	char a[80];

	memset(&err, 0, sizeof(err));
	v = l2tp_msg_decode(pkt, len, &sec, &m, &err);
	if (v != L2TP_OK || m.type != L2TP_MSG_SCCRQ || hdr->ns != 0) {
		host_drop(h, L2TP_DROP_NOT_SCCRQ);
		LOG_RL(LOG_LEVEL_INFO,
		    "tunnel ID 0 from %s: not a valid "
		    "SCCRQ: %s",
		    l2tp_addr_str(peer, a, sizeof(a)),
		    v != L2TP_OK && err.reason ? err.reason : "wrong type");
		/* §4.2, §6.1: an SCCRQ the decoder rejects (unknown M-bit
		 * AVP, missing or malformed required AVP) gets the StopCCN
		 * it asks for, statelessly. */
		if (v == L2TP_REJECT_TUNNEL && m.type == L2TP_MSG_SCCRQ &&
		    hdr->ns == 0 && h->cfg.accept_tunnels)
			host_refuse_sccrq(h, &m,
			    err.result ? err.result : L2TP_STOPCCN_ERROR,
			    err.error, err.reason, local, peer);
		return;
	}
	/* A retransmission: its tunnel's xport acks it as a duplicate. */
	if ((t = host_peer_hash_find(h, peer, m.assigned_tunnel_id)) != NULL) {
		tunnel_input(t, hdr, pkt, len, now);
		return;
	}
	if (!h->cfg.accept_tunnels) {
		host_drop(h, L2TP_DROP_UNKNOWN_TUNNEL);
		LOG_RL(LOG_LEVEL_INFO,
		    "SCCRQ from %s ignored: not accepting "
		    "tunnels",
		    l2tp_addr_str(peer, a, sizeof(a)));
		return;
	}
	/* Before the tie-breaker scan, which costs a pass over the tunnels.
	 * Silently: a StopCCN per refused SCCRQ would turn a spoofed flood
	 * into a reflector, and the peer retransmits a real SCCRQ (§5.8). */
	if (!host_sccrq_allowed(h, peer, now)) {
		host_drop(h, L2TP_DROP_RATE_LIMIT);
		LOG_RL(LOG_LEVEL_WARN,
		    "SCCRQ from %s dropped: more than %u "
		    "new tunnels a second from that address",
		    l2tp_addr_str(peer, a, sizeof(a)), HOST_SCCRQ_RATE);
		return;
	}
	if (host_tie_break(h, &m, peer, now))
		return;
	memset(&acc, 0, sizeof(acc));
	acc.host_name = m.host_name;
	acc.peer = peer;
	acc.secret = h->cfg.lns_secret;
	acc.secret_len = h->cfg.lns_secret_len;
	acc.hide_avps = h->cfg.lns_hide_avps;
	acc.hello_interval_ms = h->cfg.hello_interval_ms;
	if (h->ops->tunnel_accept != NULL)
		h->ops->tunnel_accept(h->ctx, &acc, now);
	if (acc.refuse_result != 0) {
		/* The owner logged and counted why. */
		host_refuse_sccrq(h, &m, acc.refuse_result, acc.refuse_error,
		    acc.reason[0] ? acc.reason : NULL, local, peer);
		return;
	}
	t = tunnel_new(h, L2TP_ROLE_LNS, peer, local, acc.secret,
	    acc.secret_len, acc.hide_avps, now);
	if (t == NULL) {
		host_drop(h, L2TP_DROP_TUNNEL_LIMIT);
		LOG_RL(LOG_LEVEL_WARN,
		    "SCCRQ from %s refused: %u tunnels, "
		    "limit reached or no memory",
		    l2tp_addr_str(peer, a, sizeof(a)),
		    idpool_count(&h->tunnels));
		host_refuse_sccrq(h, &m, L2TP_STOPCCN_ERROR,
		    L2TP_ERR_NO_RESOURCES, "tunnel limit reached", local, peer);
		return;
	}
	t->peer_id = m.assigned_tunnel_id;
	strlcpy(t->label, acc.label, sizeof(t->label));
	if (acc.hello_interval_ms != h->cfg.hello_interval_ms)
		xport_set_hello(&t->xp, acc.hello_interval_ms, now);
	host_peer_hash_add(t);
	tunnel_log(t, LOG_LEVEL_INFO, "SCCRQ from %s",
	    m.host_name[0] ? m.host_name : "(no name)");
	/* The xport delivers it (Ns 0) back to the FSM: IDLE + SCCRQ. */
	tunnel_input(t, hdr, pkt, len, now);
}

static void
host_control_input(struct l2tp_host *h, const struct l2tp_hdr *hdr,
    const uint8_t *pkt, size_t len, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, uint64_t now)
{
	struct l2tp_tunnel *t;
	char a[80];

	if (hdr->tunnel_id == 0) {
		host_sccrq_input(h, hdr, pkt, len, local, peer, now);
		return;
	}
	if ((t = idpool_get(&h->tunnels, hdr->tunnel_id)) == NULL) {
		host_drop(h, L2TP_DROP_UNKNOWN_TUNNEL);
		LOG_RL(LOG_LEVEL_INFO,
		    "control message for unknown tunnel %u "
		    "from %s dropped",
		    hdr->tunnel_id, l2tp_addr_str(peer, a, sizeof(a)));
		return;
	}
	if (!l2tp_addr_equal(&t->peer, peer)) {
		/* §8.1: the responder may answer our SCCRQ from another
		 * port; adopt it while we wait for that first reply. */
		if (t->state == L2TP_TUNNEL_WAIT_CTL_REPLY &&
		    l2tp_addr_same_host(&t->peer, peer)) {
			tunnel_log(t, LOG_LEVEL_INFO, "peer answers from %s",
			    l2tp_addr_str(peer, a, sizeof(a)));
			t->peer = *peer;
		} else {
			host_drop(h, L2TP_DROP_WRONG_PEER);
			LOG_RL(LOG_LEVEL_INFO,
			    "tunnel %u/%u: control message "
			    "from wrong peer %s",
			    t->local_id, t->peer_id,
			    l2tp_addr_str(peer, a, sizeof(a)));
			return;
		}
	}
	if (t->local.ss.ss_family == 0 && local != NULL)
		t->local = *local;
	tunnel_input(t, hdr, pkt, len, now);
}

void
l2tp_host_input(struct l2tp_host *h, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer, uint64_t now)
{
	struct l2tp_hdr hdr;
	struct data_hdr dh;
	enum data_hdr_status dst;
	enum l2tp_hdr_status st = L2TP_HDR_OK;
	char a[80];

	h->now = now;
	host_bury(h);
	/* Data messages, the per-packet path, are parsed by data_hdr.c
	 * alone; control messages (T=1) by the full header decoder.  Both
	 * give the same verdicts on the bits they share (§3.1). */
	dst = data_hdr_parse(pkt, len, &dh);
	if (dst == DATA_HDR_CONTROL)
		st = l2tp_hdr_decode(pkt, len, &hdr);
	if ((dst != DATA_HDR_OK && dst != DATA_HDR_CONTROL) ||
	    st != L2TP_HDR_OK) {
		host_drop(h, L2TP_DROP_HDR);
		LOG_RL(LOG_LEVEL_INFO, "bad L2TP header from %s: %s",
		    l2tp_addr_str(peer, a, sizeof(a)),
		    dst != DATA_HDR_CONTROL ? data_hdr_status_str(dst) :
					      l2tp_hdr_status_str(st));
		return;
	}
	h->depth++;
	if (dst == DATA_HDR_CONTROL)
		host_control_input(h, &hdr, pkt, len, local, peer, now);
	else
		host_data_input(h, &dh, pkt, len, peer);
	h->depth--;
	host_bury(h);
}

void
l2tp_host_run_timers(struct l2tp_host *h, uint64_t now)
{
	struct heap_node *n;
	struct l2tp_tunnel *due = NULL, *t;

	h->now = now;
	host_bury(h);
	/* Take every due tunnel out first, so each runs once per call even
	 * if its next deadline is still `now`. */
	while ((n = heap_min(&h->timers)) != NULL && n->key <= now) {
		t = timer_tunnel(n);
		heap_remove(&h->timers, n);
		t->due_next = due;
		due = t;
	}
	h->depth++;
	while ((t = due) != NULL) {
		due = t->due_next;
		if (tunnel_run_timers(t, now)) {
			tunnel_log(t, LOG_LEVEL_INFO, "freed");
			tunnel_free(t);
			continue;
		}
		host_reschedule(t);
	}
	h->depth--;
	host_bury(h);
}

uint64_t
l2tp_host_next_deadline(const struct l2tp_host *h)
{
	struct heap_node *n = heap_min(&h->timers);

	return n != NULL ? n->key : TIME_NEVER;
}
