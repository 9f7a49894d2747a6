/*
 * l2tp_pair.h — a test world for the L2TP control plane: several l2tp_host
 * instances on a fake clock, wired through a packet queue (so no call is
 * re-entrant) with per-node drop filters, recording every upcall.  Shared by
 * test_l2tp_tunnel.c and test_l2tp_session.c.
 */
#ifndef VPDN_TEST_L2TP_PAIR_H
#define VPDN_TEST_L2TP_PAIR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "l2tp/l2tp.h"
#include "l2tp/tunnel.h"

#define W_NODES	    3
#define W_MAXPKT    4096
#define W_WIRE_DATA (-1)

struct w_node;

struct w_pkt {
	struct w_pkt *next;
	struct w_node *from;
	struct l2tp_addr dst;
	size_t len;
	uint8_t data[W_MAXPKT];
};

struct w_node {
	struct world *w;
	struct l2tp_host *h;
	struct l2tp_host_config cfg;
	struct l2tp_addr addr;
	/* upcalls */
	int tunnel_up, tunnel_down;
	int session_req, session_up, session_down;
	int data_rx;
	uint64_t tunnel_down_at;
	struct l2tp_tunnel *last_tunnel_up;
	struct l2tp_session *last_session_up, *last_session_req;
	struct l2tp_session *last_data_session;
	uint8_t last_data[256];
	size_t last_data_len;
	bool last_connect_seq;
	char last_connect_proxy_name[64];
	int request_result; /* session_request answer */
	/* wire, as sent by this node */
	unsigned sent_type[L2TP_MSG_TYPE_MAX + 1];
	uint8_t last_sent[L2TP_MSG_TYPE_MAX + 1][W_MAXPKT];
	size_t last_sent_len[L2TP_MSG_TYPE_MAX + 1];
	unsigned sent_data;
	/* what left this node, in order: message type, or W_WIRE_DATA */
	int wire[256];
	unsigned nwire;
	/* session_up sends a data frame at once, as a LAC relaying the
	 * user's queued frames does */
	bool data_on_up;
	/* filters: drop what this node sends */
	bool drop_all;
	unsigned drop_type_mask; /* 1 << msg type */
};

struct world {
	struct w_node n[W_NODES];
	uint64_t now;
	struct w_pkt *head, *tail;
};

static inline void
w_addr(struct l2tp_addr *a, const char *ip, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&a->ss;

	memset(a, 0, sizeof(*a));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
	a->len = sizeof(*sin);
}

/* Message type of an encoded control message (first AVP, never hidden). */
static inline int
w_ctrl_type(const uint8_t *p, size_t len)
{
	if (len < 12 || !(p[0] & 0x80))
		return -1;
	if (len < 20)
		return L2TP_MSG_ZLB;
	return get_be16(p + 18);
}

static inline void
w_send(void *ctx, const struct l2tp_addr *local, const struct l2tp_addr *peer,
    const uint8_t *pkt, size_t len)
{
	struct w_node *n = ctx;
	struct world *w = n->w;
	struct w_pkt *p;
	int type = w_ctrl_type(pkt, len);

	(void)local;
	if (n->nwire < sizeof(n->wire) / sizeof(n->wire[0]))
		n->wire[n->nwire++] = type >= 0 ? type : W_WIRE_DATA;
	if (type >= 0 && type <= L2TP_MSG_TYPE_MAX) {
		n->sent_type[type]++;
		memcpy(n->last_sent[type], pkt,
		    len < W_MAXPKT ? len : W_MAXPKT);
		n->last_sent_len[type] = len;
	} else if (type < 0) {
		n->sent_data++;
	}
	if (n->drop_all || (type >= 0 && (n->drop_type_mask & (1u << type))))
		return;
	if (len > W_MAXPKT)
		return;
	p = calloc(1, sizeof(*p));
	p->from = n;
	p->dst = *peer;
	p->len = len;
	memcpy(p->data, pkt, len);
	if (w->tail)
		w->tail->next = p;
	else
		w->head = p;
	w->tail = p;
}

static inline void
w_tunnel_up(void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	struct w_node *n = ctx;

	(void)now;
	n->tunnel_up++;
	n->last_tunnel_up = t;
}

static inline void
w_tunnel_down(void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	struct w_node *n = ctx;

	(void)now;
	(void)t;
	n->tunnel_down++;
	n->tunnel_down_at = n->w->now;
	if (n->last_tunnel_up == t)
		n->last_tunnel_up = NULL;
}

static inline int
w_session_request(void *ctx, struct l2tp_session *s, const struct l2tp_msg *m,
    uint64_t now)
{
	struct w_node *n = ctx;

	(void)now;
	(void)m;
	n->session_req++;
	n->last_session_req = s;
	return n->request_result;
}

static inline void
w_session_up(void *ctx, struct l2tp_session *s, const struct l2tp_msg *m,
    uint64_t now)
{
	struct w_node *n = ctx;

	(void)now;
	n->session_up++;
	n->last_session_up = s;
	if (n->data_on_up) {
		static const uint8_t ipcp[] = { 0xff, 0x03, 0x80, 0x21, 1, 1, 0,
			4 };

		(void)l2tp_session_send_data(s, ipcp, sizeof(ipcp));
	}
	n->last_connect_seq = l2tp_msg_has(m, L2TP_AVP_SEQUENCING_REQUIRED);
	n->last_connect_proxy_name[0] = '\0';
	if (l2tp_msg_has(m, L2TP_AVP_PROXY_AUTHEN_NAME))
		strncpy(n->last_connect_proxy_name, m->proxy_authen_name,
		    sizeof(n->last_connect_proxy_name) - 1);
}

static inline void
w_session_down(void *ctx, struct l2tp_session *s, uint64_t now)
{
	struct w_node *n = ctx;

	(void)now;
	n->session_down++;
	if (n->last_session_up == s)
		n->last_session_up = NULL;
	if (n->last_session_req == s)
		n->last_session_req = NULL;
}

static inline void
w_session_data(void *ctx, struct l2tp_session *s, const uint8_t *f, size_t len,
    uint64_t now)
{
	struct w_node *n = ctx;

	(void)now;
	n->data_rx++;
	n->last_data_session = s;
	n->last_data_len = len < sizeof(n->last_data) ? len :
							sizeof(n->last_data);
	memcpy(n->last_data, f, n->last_data_len);
}

static const struct l2tp_host_ops w_ops = {
	.send = w_send,
	.tunnel_up = w_tunnel_up,
	.tunnel_down = w_tunnel_down,
	.session_request = w_session_request,
	.session_up = w_session_up,
	.session_down = w_session_down,
	.session_data = w_session_data,
};

/* Node i at 10.0.0.(i+1):1701; node 1 accepts tunnels (the LNS). */
static inline struct world *
w_new(void)
{
	struct world *w = calloc(1, sizeof(*w));
	char ip[32];

	log_set_level(LOG_LEVEL_ERROR);
	w->now = 1000;
	for (int i = 0; i < W_NODES; i++) {
		struct w_node *n = &w->n[i];

		n->w = w;
		snprintf(ip, sizeof(ip), "10.0.0.%d", i + 1);
		w_addr(&n->addr, ip, 1701);
		l2tp_host_config_defaults(&n->cfg);
		n->cfg.accept_tunnels = i == 1;
		n->cfg.hello_interval_ms = 0;
	}
	return w;
}

/* Creates the hosts once the test has adjusted n[i].cfg. */
static inline void
w_start(struct world *w)
{
	for (int i = 0; i < W_NODES; i++)
		w->n[i].h = l2tp_host_new(&w->n[i].cfg, &w_ops, &w->n[i]);
}

static inline void
w_free(struct world *w)
{
	struct w_pkt *p;

	while ((p = w->head) != NULL) {
		w->head = p->next;
		free(p);
	}
	for (int i = 0; i < W_NODES; i++)
		l2tp_host_free(w->n[i].h);
	free(w);
}

static inline void
w_pump(struct world *w)
{
	struct w_pkt *p;

	for (int guard = 0; (p = w->head) != NULL && guard < 100000; guard++) {
		w->head = p->next;
		if (w->head == NULL)
			w->tail = NULL;
		for (int i = 0; i < W_NODES; i++) {
			struct w_node *n = &w->n[i];

			if (n->h != NULL &&
			    l2tp_addr_equal(&n->addr, &p->dst)) {
				l2tp_host_input(n->h, p->data, p->len, &n->addr,
				    &p->from->addr, w->now);
				break;
			}
		}
		free(p);
	}
}

/* Runs the world for ms milliseconds, firing every deadline on time. */
static inline void
w_advance(struct world *w, uint64_t ms)
{
	uint64_t target = w->now + ms;

	for (int guard = 0; guard < 1000000; guard++) {
		uint64_t d = TIME_NEVER;

		w_pump(w);
		for (int i = 0; i < W_NODES; i++)
			d = time_min(d, l2tp_host_next_deadline(w->n[i].h));
		if (d > target)
			break;
		if (d > w->now)
			w->now = d;
		for (int i = 0; i < W_NODES; i++)
			if (l2tp_host_next_deadline(w->n[i].h) <= w->now)
				l2tp_host_run_timers(w->n[i].h, w->now);
	}
	w->now = target;
	w_pump(w);
}

static inline struct l2tp_tunnel *
w_open(struct world *w, int from, int to, const char *secret, bool hide)
{
	struct l2tp_tunnel_params p;

	memset(&p, 0, sizeof(p));
	p.role = L2TP_ROLE_LAC;
	p.peer = w->n[to].addr;
	if (secret != NULL) {
		p.secret = (const uint8_t *)secret;
		p.secret_len = strlen(secret);
	}
	p.hide_avps = hide;
	return l2tp_tunnel_open(w->n[from].h, &p, w->now);
}

static inline void
w_set_lns_secret(struct w_node *n, const char *secret, bool hide)
{
	n->cfg.lns_secret_len = strlen(secret);
	memcpy(n->cfg.lns_secret, secret, n->cfg.lns_secret_len);
	n->cfg.lns_hide_avps = hide;
}

struct w_first {
	struct l2tp_tunnel *t;
};

/* Position of the first wire entry of this type from node i, or -1. */
static inline int
w_wire_pos(const struct world *w, int i, int type)
{
	for (unsigned k = 0; k < w->n[i].nwire; k++)
		if (w->n[i].wire[k] == type)
			return (int)k;
	return -1;
}

static inline void
w_first_cb(struct l2tp_tunnel *t, void *arg)
{
	struct w_first *f = arg;

	if (f->t == NULL)
		f->t = t;
}

/* Some tunnel of node i the role can see (NULL if none). */
static inline struct l2tp_tunnel *
w_any_tunnel(struct world *w, int i)
{
	struct w_first f = { NULL };

	l2tp_host_foreach_tunnel(w->n[i].h, w_first_cb, &f);
	return f.t;
}

static inline struct l2tp_tunnel_info
w_tinfo(const struct l2tp_tunnel *t)
{
	struct l2tp_tunnel_info ti;

	l2tp_tunnel_get_info(t, &ti);
	return ti;
}

static inline struct l2tp_session_info
w_sinfo(const struct l2tp_session *s)
{
	struct l2tp_session_info si;

	l2tp_session_get_info(s, &si);
	return si;
}

static inline const struct l2tp_host_stats *
w_stats(struct world *w, int i)
{
	return l2tp_host_stats(w->n[i].h);
}

/* Decodes the last message of `type` node i sent (secret may be NULL). */
static inline enum l2tp_verdict
w_last_msg(struct world *w, int i, enum l2tp_msg_type type, const char *secret,
    struct l2tp_msg *m)
{
	struct l2tp_secret s = { (const uint8_t *)secret,
		secret ? strlen(secret) : 0 };
	struct l2tp_err err;

	return l2tp_msg_decode(w->n[i].last_sent[type],
	    w->n[i].last_sent_len[type], &s, m, &err);
}

/* Establishes a tunnel 0 → 1 and returns node 0's end. */
static inline struct l2tp_tunnel *
w_establish(struct world *w)
{
	struct l2tp_tunnel *t = w_open(w, 0, 1, NULL, false);

	w_advance(w, 500);
	return t;
}

#endif
