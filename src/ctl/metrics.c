/*
 * metrics.c — Prometheus text exposition over a small HTTP/1.0 listener
 * (see metrics.h for the protocol and the safety rules).
 *
 * The connection machinery (client slots, reading the request head, the
 * timeout, the non-blocking reply) is conn.c's, shared with ctl_server.c;
 * here are the HTTP request classifier and the exposition.
 * The request classifier, the accumulator and the renderer do no I/O and
 * are unit-tested (tests/unit/test_metrics.c).
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/secstats.h"
#include "ctl/conn.h"
#include "ctl/metrics.h"
#include "l2tp/l2tp.h"

#define EXPOSITION_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* ---- request classification ---- */

const char *
metrics_req_str(enum metrics_req r)
{
	switch (r) {
	/* clang-format off */
	case METRICS_REQ_INCOMPLETE:	return "incomplete";
	case METRICS_REQ_OK:		return "ok";
	case METRICS_REQ_NOT_FOUND:	return "not-found";
	case METRICS_REQ_BAD_METHOD:	return "bad-method";
	case METRICS_REQ_BAD:		return "bad";
		/* clang-format on */
	}
	return "?";
}

/* RFC 7230 §3.2.6 tchar, which is what a method is made of. */
static bool
is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

enum metrics_req
metrics_parse_request(const char *buf, size_t len)
{
	const char *eol, *sp1, *sp2, *end, *p;
	size_t mlen, tlen;
	bool head_done = false;

	/* The head ends with an empty line; bare LF is tolerated (RFC 7230
	 * §3.5).  Waiting for it means we never close on unread bytes, which
	 * would turn our reply into a reset at the client. */
	for (p = buf; p < buf + len; p++) {
		if (*p != '\n')
			continue;
		if ((p + 1 < buf + len && p[1] == '\n') ||
		    (p + 2 < buf + len && p[1] == '\r' && p[2] == '\n')) {
			head_done = true;
			break;
		}
	}
	if (!head_done)
		return len >= METRICS_MAX_REQUEST ? METRICS_REQ_BAD :
						    METRICS_REQ_INCOMPLETE;

	eol = memchr(buf, '\n', len);
	end = eol;
	if (end > buf && end[-1] == '\r')
		end--;
	/* Request-line = method SP request-target SP HTTP-version */
	sp1 = memchr(buf, ' ', (size_t)(end - buf));
	if (sp1 == NULL || sp1 == buf)
		return METRICS_REQ_BAD;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (sp2 == NULL || sp2 == sp1 + 1)
		return METRICS_REQ_BAD;
	if ((size_t)(end - sp2 - 1) != 8 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return METRICS_REQ_BAD;
	mlen = (size_t)(sp1 - buf);
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar(buf[i]))
			return METRICS_REQ_BAD;
	if (mlen != 3 || memcmp(buf, "GET", 3) != 0)
		return METRICS_REQ_BAD_METHOD;
	tlen = (size_t)(sp2 - sp1 - 1);
	/* A query string does not change what is scraped. */
	p = memchr(sp1 + 1, '?', tlen);
	if (p != NULL)
		tlen = (size_t)(p - sp1 - 1);
	if (tlen == 8 && memcmp(sp1 + 1, "/metrics", 8) == 0)
		return METRICS_REQ_OK;
	return METRICS_REQ_NOT_FOUND;
}

/* ---- monotonic sums ---- */

void
metrics_acc_init(struct metrics_acc *a)
{
	memset(a, 0, sizeof(*a));
}

void
metrics_acc_free(struct metrics_acc *a)
{
	free(a->prev);
	free(a->cur);
	memset(a, 0, sizeof(*a));
}

void
metrics_acc_begin(struct metrics_acc *a)
{
	a->ncur = 0;
	a->oom = false;
}

void
metrics_acc_add(struct metrics_acc *a, const struct metrics_obj *o)
{
	if (a->ncur == a->capcur) {
		size_t ncap = a->capcur ? a->capcur * 2 : 64;
		struct metrics_obj *n = reallocarray(a->cur, ncap, sizeof(*n));

		if (n == NULL) {
			/* The round is still summed, only not remembered:
			 * see metrics_acc_end(). */
			a->oom = true;
			return;
		}
		a->cur = n;
		a->capcur = ncap;
	}
	a->cur[a->ncur++] = *o;
}

static int
obj_cmp(const void *x, const void *y)
{
	const struct metrics_obj *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->created_ms != b->created_ms)
		return a->created_ms < b->created_ms ? -1 : 1;
	return 0;
}

void
metrics_acc_end(struct metrics_acc *a, uint64_t totals[METRICS_CTR__COUNT])
{
	struct metrics_obj *swap;
	size_t i = 0, j = 0, c;

	if (a->oom) {
		/* Without the full live set we cannot tell gone objects from
		 * unrecorded ones: report base + what we have, keep prev. */
		for (c = 0; c < METRICS_CTR__COUNT; c++) {
			totals[c] = a->base[c];
			for (i = 0; i < a->ncur; i++)
				totals[c] += a->cur[i].v[c];
		}
		return;
	}
	if (a->ncur > 1)
		qsort(a->cur, a->ncur, sizeof(*a->cur), obj_cmp);
	/* Merge: an object of the previous round missing now is gone; its
	 * last seen values move into the base. */
	while (i < a->nprev) {
		int r = j < a->ncur ? obj_cmp(&a->prev[i], &a->cur[j]) : -1;

		if (r < 0) {
			for (c = 0; c < METRICS_CTR__COUNT; c++)
				a->base[c] += a->prev[i].v[c];
			i++;
		} else if (r > 0)
			j++;
		else {
			i++;
			j++;
		}
	}
	for (c = 0; c < METRICS_CTR__COUNT; c++) {
		totals[c] = a->base[c];
		for (i = 0; i < a->ncur; i++)
			totals[c] += a->cur[i].v[c];
	}
	/* cur becomes prev; the old prev array is reused for the next cur. */
	swap = a->prev;
	c = a->capprev;
	a->prev = a->cur;
	a->nprev = a->ncur;
	a->capprev = a->capcur;
	a->cur = swap;
	a->capcur = c;
	a->ncur = 0;
}

/* ---- rendering ---- */

#define N_TUNNEL_STATES	 (L2TP_TUNNEL_CLOSING + 1)
#define N_SESSION_STATES (L2TP_SESSION_CLOSED + 1)

struct scrape {
	struct metrics_acc *acc;
	const struct ctl_hooks *hooks; /* NULL: no fast-path counters */
	uint64_t tunnels[N_TUNNEL_STATES];
	uint64_t sessions[N_SESSION_STATES];
};

static void
scrape_session(struct l2tp_session *s, void *arg)
{
	struct scrape *sc = arg;
	struct l2tp_session_info si;
	struct metrics_obj o = { 0 };

	l2tp_session_get_info(s, &si);
	if ((unsigned)si.state < N_SESSION_STATES)
		sc->sessions[si.state]++;
	o.key = (uint64_t)si.tunnel_local_id << 16 | si.local_id;
	o.created_ms = si.created_ms;
	o.v[METRICS_CTR_RX_BYTES] = si.rx_bytes;
	o.v[METRICS_CTR_TX_BYTES] = si.tx_bytes;
	o.v[METRICS_CTR_RX_PACKETS] = si.rx_packets;
	o.v[METRICS_CTR_TX_PACKETS] = si.tx_packets;
	if (sc->hooks != NULL && sc->hooks->describe_session != NULL) {
		struct ctl_session_extra x;

		/* Data the kernel fast path carried never reached the L2TP
		 * session's counters: the same totals on either path. */
		memset(&x, 0, sizeof(x));
		sc->hooks->describe_session(sc->hooks->arg, s, &x);
		o.v[METRICS_CTR_RX_BYTES] += x.fp_rx_bytes;
		o.v[METRICS_CTR_TX_BYTES] += x.fp_tx_bytes;
		o.v[METRICS_CTR_RX_PACKETS] += x.fp_rx_packets;
		o.v[METRICS_CTR_TX_PACKETS] += x.fp_tx_packets;
		o.v[METRICS_CTR_POLICER_UP_BYTES] = x.police_up_drop_bytes;
		o.v[METRICS_CTR_POLICER_DOWN_BYTES] = x.police_down_drop_bytes;
		o.v[METRICS_CTR_POLICER_UP_PACKETS] = x.police_up_drop_packets;
		o.v[METRICS_CTR_POLICER_DOWN_PACKETS] =
		    x.police_down_drop_packets;
	}
	metrics_acc_add(sc->acc, &o);
}

static void
scrape_tunnel(struct l2tp_tunnel *t, void *arg)
{
	struct scrape *sc = arg;
	struct l2tp_tunnel_info ti;
	struct metrics_obj o = { 0 };

	l2tp_tunnel_get_info(t, &ti);
	if ((unsigned)ti.state < N_TUNNEL_STATES)
		sc->tunnels[ti.state]++;
	/* Session ID 0 is never assigned (RFC 2661 §3.1): it names the
	 * tunnel itself. */
	o.key = (uint64_t)ti.local_id << 16;
	o.created_ms = ti.created_ms;
	o.v[METRICS_CTR_RETRANSMITS] = ti.retransmits;
	metrics_acc_add(sc->acc, &o);
	l2tp_tunnel_foreach_session(t, scrape_session, sc);
}

static void
family(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static void
sample(struct strbuf *out, const char *name, uint64_t v)
{
	strbuf_printf(out, "%s %" PRIu64 "\n", name, v);
}

static void
results(struct strbuf *out, const char *name, const char *help,
    const uint64_t *sent, const uint64_t *rcvd, unsigned n)
{
	family(out, name, "counter", help);
	/* Result Code 0 is reserved (RFC 2661 §4.4.2). */
	for (unsigned i = 1; i < n; i++) {
		strbuf_printf(out,
		    "%s{direction=\"sent\",result=\"%u\"} %" PRIu64 "\n", name,
		    i, sent[i]);
		strbuf_printf(out,
		    "%s{direction=\"rcvd\",result=\"%u\"} %" PRIu64 "\n", name,
		    i, rcvd[i]);
	}
}

/* IPv6 for LNS subscribers (lns_ipv6.h): packets each way, drops by
 * reason, Router Solicitations/Advertisements, /64 pool use. */
static void
render_ipv6(struct strbuf *out, const struct ctl_tun_stats *t)
{
	const struct {
		const char *reason;
		uint64_t v;
	} drops[] = {
		{ "spoofed", t->ipv6_spoofed },
		{ "malformed", t->ipv6_bad },
		{ "to-lns", t->ipv6_to_lns },
		{ "no-session", t->ipv6_no_session },
		{ "rs-invalid", t->ipv6_rs_invalid },
	};

	family(out, "vpdn_ipv6_packets_total", "counter",
	    "IPv6 packets of LNS sessions on the user path, by direction.");
	strbuf_printf(out,
	    "vpdn_ipv6_packets_total{direction=\"rx\"} %" PRIu64 "\n",
	    t->ipv6_rx_packets);
	strbuf_printf(out,
	    "vpdn_ipv6_packets_total{direction=\"tx\"} %" PRIu64 "\n",
	    t->ipv6_tx_packets);
	family(out, "vpdn_ipv6_drops_total", "counter",
	    "IPv6 packets of LNS sessions dropped, by reason.");
	for (unsigned i = 0; i < sizeof(drops) / sizeof(drops[0]); i++)
		strbuf_printf(out,
		    "vpdn_ipv6_drops_total{reason=\"%s\"} %" PRIu64 "\n",
		    drops[i].reason, drops[i].v);
	family(out, "vpdn_ipv6_router_solicitations_total", "counter",
	    "Valid Router Solicitations from LNS sessions.");
	sample(out, "vpdn_ipv6_router_solicitations_total", t->ipv6_rs);
	family(out, "vpdn_ipv6_router_advertisements_total", "counter",
	    "Router Advertisements sent to LNS sessions.");
	sample(out, "vpdn_ipv6_router_advertisements_total", t->ipv6_ra);
	family(out, "vpdn_ipv6_pool_prefixes", "gauge",
	    "The LNS's ipv6-pool: /64 prefixes in it and in use.");
	strbuf_printf(out,
	    "vpdn_ipv6_pool_prefixes{state=\"size\"} %" PRIu64 "\n",
	    t->ipv6_pool_size);
	strbuf_printf(out,
	    "vpdn_ipv6_pool_prefixes{state=\"used\"} %" PRIu64 "\n",
	    t->ipv6_pool_used);
	family(out, "vpdn_dhcpv6_messages_total", "counter",
	    "DHCPv6 messages of LNS sessions, by direction.");
	strbuf_printf(out,
	    "vpdn_dhcpv6_messages_total{direction=\"rx\"} %" PRIu64 "\n",
	    t->dhcpv6_rx);
	strbuf_printf(out,
	    "vpdn_dhcpv6_messages_total{direction=\"tx\"} %" PRIu64 "\n",
	    t->dhcpv6_tx);
	family(out, "vpdn_dhcpv6_drops_total", "counter",
	    "DHCPv6 messages of LNS sessions not answered, by reason.");
	strbuf_printf(out,
	    "vpdn_dhcpv6_drops_total{reason=\"refused\"} %" PRIu64 "\n",
	    t->dhcpv6_dropped);
	strbuf_printf(out,
	    "vpdn_dhcpv6_drops_total{reason=\"invalid\"} %" PRIu64 "\n",
	    t->dhcpv6_bad);
	family(out, "vpdn_dhcpv6_no_prefix_total", "counter",
	    "Prefix delegations answered NoPrefixAvail.");
	sample(out, "vpdn_dhcpv6_no_prefix_total", t->pd_no_prefix);
	family(out, "vpdn_delegated_pool_prefixes", "gauge",
	    "The LNS's delegated-prefix-pool: prefixes in it and in use.");
	strbuf_printf(out,
	    "vpdn_delegated_pool_prefixes{state=\"size\"} %" PRIu64 "\n",
	    t->pd_pool_size);
	strbuf_printf(out,
	    "vpdn_delegated_pool_prefixes{state=\"used\"} %" PRIu64 "\n",
	    t->pd_pool_used);
}

/* A LAC's PPPoE access concentrator (RFC 2516 discovery). */
static void
render_pppoe(struct strbuf *out, const struct ctl_pppoe_stats *p)
{
	const struct pppoe_server_stats *st = &p->st;
	const struct {
		const char *code, *dir;
		uint64_t v;
	} frames[] = {
		{ "PADI", "rx", st->padi_rx },
		{ "PADO", "tx", st->pado_tx },
		{ "PADR", "rx", st->padr_rx },
		{ "PADS", "tx", st->pads_tx },
		{ "PADT", "rx", st->padt_rx },
		{ "PADT", "tx", st->padt_tx },
	};
	unsigned i;

	family(out, "vpdn_pppoe_sessions", "gauge",
	    "PPPoE sessions of the "
	    "LAC's access concentrator.");
	sample(out, "vpdn_pppoe_sessions", p->sessions);
	family(out, "vpdn_pppoe_discovery_total", "counter",
	    "PPPoE discovery frames received and sent, by code.");
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		strbuf_printf(out,
		    "vpdn_pppoe_discovery_total{code=\"%s\","
		    "direction=\"%s\"} %" PRIu64 "\n",
		    frames[i].code, frames[i].dir, frames[i].v);
	family(out, "vpdn_pppoe_pads_refused_total", "counter",
	    "PADS refusals (Service-Name-Error or AC-System-Error, "
	    "SESSION_ID 0).");
	sample(out, "vpdn_pppoe_pads_refused_total", st->pads_refused);
	family(out, "vpdn_pppoe_refused_mac_limit_total", "counter",
	    "PADIs unanswered and PADRs refused: the MAC holds "
	    "max-sessions-per-mac sessions.");
	sample(out, "vpdn_pppoe_refused_mac_limit_total",
	    st->refused_mac_limit);
	family(out, "vpdn_pppoe_drops_total", "counter",
	    "PPPoE frames not acted upon, by reason.");
	for (i = 0; i < PPPOE_SRV_DROP_MAX; i++)
		strbuf_printf(out,
		    "vpdn_pppoe_drops_total{reason=\"%s\"} %" PRIu64 "\n",
		    pppoe_srv_drop_name((enum pppoe_srv_drop)i), st->drops[i]);
}

/* The LAC's LNSes (roles/lac_lns.c): one series per LNS address. */
struct lns_scrape {
	struct strbuf *out;
	const char *what;
};

static void
lns_sample(const struct ctl_lns_view *v, void *arg)
{
	struct lns_scrape *ls = arg;
	uint64_t x = 0;

	if (strcmp(ls->what, "sessions") == 0)
		x = v->sessions;
	else if (strcmp(ls->what, "tunnels") == 0)
		x = v->tunnels;
	else if (strcmp(ls->what, "held_down") == 0)
		x = v->held ? 1 : 0;
	else
		x = v->failures;
	strbuf_printf(ls->out, "vpdn_lac_lns_%s{lns=\"%s\"} %" PRIu64 "\n",
	    ls->what, v->address, x);
}

static void
render_lns(struct strbuf *out, const struct ctl_hooks *hooks)
{
	static const struct {
		const char *what, *type, *help;
	} fam[] = {
		{ "sessions", "gauge",
		    "Calls in the LAC's tunnels to the LNS." },
		{ "tunnels", "gauge", "The LAC's tunnels to the LNS." },
		{ "held_down", "gauge",
		    "1 while the LNS is held down after a failure "
		    "(lns-holddown)." },
		{ "failures_total", "counter",
		    "Failures of the LNS: no tunnel, tunnel lost, call "
		    "refused for its own trouble." },
	};
	char name[64];

	if (hooks == NULL || hooks->foreach_lns == NULL)
		return;
	for (unsigned i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		struct lns_scrape ls = { out, fam[i].what };

		snprintf(name, sizeof(name), "vpdn_lac_lns_%s", fam[i].what);
		family(out, name, fam[i].type, fam[i].help);
		if (!hooks->foreach_lns(hooks->arg, lns_sample, &ls))
			return;
	}
}

void
metrics_render(struct metrics_acc *a, struct l2tp_host *host,
    const struct ctl_tun_stats *tun, const struct ctl_pppoe_stats *pppoe,
    const struct ctl_hooks *hooks, struct strbuf *out)
{
	static const struct ctl_tun_stats tun_zero;
	static const struct l2tp_host_stats zero;
	const struct l2tp_host_stats *st = &zero;
	struct scrape sc = { .acc = a, .hooks = hooks };
	uint64_t tot[METRICS_CTR__COUNT];
	unsigned i;

	metrics_acc_begin(a);
	if (host != NULL) {
		st = l2tp_host_stats(host);
		l2tp_host_foreach_tunnel(host, scrape_tunnel, &sc);
	}
	metrics_acc_end(a, tot);

	family(out, "vpdn_tunnels", "gauge", "L2TP tunnels by state.");
	for (i = 0; i < N_TUNNEL_STATES; i++)
		strbuf_printf(out, "vpdn_tunnels{state=\"%s\"} %" PRIu64 "\n",
		    l2tp_tunnel_state_str((enum l2tp_tunnel_state)i),
		    sc.tunnels[i]);
	family(out, "vpdn_sessions", "gauge", "L2TP sessions by state.");
	for (i = 0; i < N_SESSION_STATES; i++)
		strbuf_printf(out, "vpdn_sessions{state=\"%s\"} %" PRIu64 "\n",
		    l2tp_session_state_str((enum l2tp_session_state)i),
		    sc.sessions[i]);

	family(out, "vpdn_tunnels_created_total", "counter",
	    "Tunnels created (SCCRQ sent or accepted).");
	sample(out, "vpdn_tunnels_created_total", st->tunnels_created);
	family(out, "vpdn_tunnels_established_total", "counter",
	    "Tunnels that reached established.");
	sample(out, "vpdn_tunnels_established_total", st->tunnels_established);
	family(out, "vpdn_tunnels_closed_total", "counter", "Tunnels closed.");
	sample(out, "vpdn_tunnels_closed_total", st->tunnels_closed);
	family(out, "vpdn_sessions_created_total", "counter",
	    "Sessions created.");
	sample(out, "vpdn_sessions_created_total", st->sessions_created);
	family(out, "vpdn_sessions_established_total", "counter",
	    "Sessions that reached established.");
	sample(out, "vpdn_sessions_established_total",
	    st->sessions_established);
	family(out, "vpdn_sessions_closed_total", "counter",
	    "Sessions closed.");
	sample(out, "vpdn_sessions_closed_total", st->sessions_closed);

	family(out, "vpdn_drops_total", "counter",
	    "L2TP datagrams discarded, by reason.");
	for (i = 0; i < L2TP_DROP__COUNT; i++)
		strbuf_printf(out,
		    "vpdn_drops_total{reason=\"%s\"} %" PRIu64 "\n",
		    l2tp_drop_str((enum l2tp_drop)i), st->drops[i]);
	results(out, "vpdn_stopccn_total",
	    "StopCCN messages by RFC 2661 Result Code.", st->stopccn_sent,
	    st->stopccn_rcvd,
	    sizeof(st->stopccn_sent) / sizeof(st->stopccn_sent[0]));
	results(out, "vpdn_cdn_total", "CDN messages by RFC 2661 Result Code.",
	    st->cdn_sent, st->cdn_rcvd,
	    sizeof(st->cdn_sent) / sizeof(st->cdn_sent[0]));

	family(out, "vpdn_security_events_total", "counter",
	    "Refused security events: forged RADIUS replies, replayed or "
	    "stale Disconnect/CoA-Requests, PPP authentication lockouts.");
	for (i = 0; i < SECSTAT__COUNT; i++)
		strbuf_printf(out,
		    "vpdn_security_events_total{event=\"%s\"} %" PRIu64 "\n",
		    secstat_str((enum secstat)i), secstat_get((enum secstat)i));

	family(out, "vpdn_control_retransmits_total", "counter",
	    "Control messages retransmitted (RFC 2661 5.8).");
	sample(out, "vpdn_control_retransmits_total",
	    tot[METRICS_CTR_RETRANSMITS]);
	family(out, "vpdn_rx_bytes_total", "counter",
	    "Data octets received on all sessions.");
	sample(out, "vpdn_rx_bytes_total", tot[METRICS_CTR_RX_BYTES]);
	family(out, "vpdn_tx_bytes_total", "counter",
	    "Data octets sent on all sessions.");
	sample(out, "vpdn_tx_bytes_total", tot[METRICS_CTR_TX_BYTES]);
	family(out, "vpdn_rx_packets_total", "counter",
	    "Data messages received on all sessions.");
	sample(out, "vpdn_rx_packets_total", tot[METRICS_CTR_RX_PACKETS]);
	family(out, "vpdn_tx_packets_total", "counter",
	    "Data messages sent on all sessions.");
	sample(out, "vpdn_tx_packets_total", tot[METRICS_CTR_TX_PACKETS]);
	family(out, "vpdn_policer_dropped_bytes_total", "counter",
	    "IP octets dropped by sessions' rate plans, by direction.");
	strbuf_printf(out,
	    "vpdn_policer_dropped_bytes_total{direction=\"up\"} %" PRIu64 "\n",
	    tot[METRICS_CTR_POLICER_UP_BYTES]);
	strbuf_printf(out,
	    "vpdn_policer_dropped_bytes_total{direction=\"down\"} %" PRIu64
	    "\n",
	    tot[METRICS_CTR_POLICER_DOWN_BYTES]);
	family(out, "vpdn_policer_dropped_packets_total", "counter",
	    "IP packets dropped by sessions' rate plans, by direction.");
	strbuf_printf(out,
	    "vpdn_policer_dropped_packets_total{direction=\"up\"} %" PRIu64
	    "\n",
	    tot[METRICS_CTR_POLICER_UP_PACKETS]);
	strbuf_printf(out,
	    "vpdn_policer_dropped_packets_total{direction=\"down\"} %" PRIu64
	    "\n",
	    tot[METRICS_CTR_POLICER_DOWN_PACKETS]);

	if (tun == NULL)
		tun = &tun_zero;
	family(out, "vpdn_tun_drops_total", "counter",
	    "IP packets lost between the TUN devices and vpdnd, by where.");
	strbuf_printf(out,
	    "vpdn_tun_drops_total{where=\"kernel-tx\"} %" PRIu64 "\n",
	    tun->kernel_tx_dropped);
	strbuf_printf(out,
	    "vpdn_tun_drops_total{where=\"kernel-rx\"} %" PRIu64 "\n",
	    tun->kernel_rx_dropped);
	strbuf_printf(out,
	    "vpdn_tun_drops_total{where=\"write-full\"} %" PRIu64 "\n",
	    tun->write_full);
	strbuf_printf(out,
	    "vpdn_tun_drops_total{where=\"write-error\"} %" PRIu64 "\n",
	    tun->write_errors);
	family(out, "vpdn_isolated_total", "counter",
	    "IP packets from one session to another dropped "
	    "(isolate-sessions).");
	sample(out, "vpdn_isolated_total", tun->isolated);
	if (tun->ipv6)
		render_ipv6(out, tun);
	if (pppoe != NULL) {
		render_pppoe(out, pppoe);
		render_lns(out, hooks); /* a LAC: pppoe is there */
	}
}

/* ---- the listener ---- */

struct metrics_server {
	const struct ctl_ctx *ctx;
	int fd;
	struct metrics_acc acc;
	struct conn_pool pool;
};

void
metrics_render_pool(const struct ctl_pool_stats *p, struct strbuf *out)
{
	family(out, "vpdn_pool_addresses", "gauge",
	    "Addresses of the LNS's local pool, all and in use.");
	strbuf_printf(out, "vpdn_pool_addresses{state=\"size\"} %" PRIu64 "\n",
	    p->size);
	strbuf_printf(out, "vpdn_pool_addresses{state=\"used\"} %" PRIu64 "\n",
	    p->used);
	family(out, "vpdn_pool_refused_total", "counter",
	    "Sessions refused because no address was free or theirs "
	    "was another session's.");
	sample(out, "vpdn_pool_refused_total", p->refused);
}

/* One scrape: the L2TP host, the LAC's PPPoE side and the LNS's pool when
 * there are. */
static void
scrape_all(struct metrics_server *s, struct strbuf *body)
{
	const struct ctl_hooks *hk = &s->ctx->hooks;
	struct ctl_pppoe_stats pp;
	bool have = hk->pppoe_stats != NULL && hk->pppoe_stats(hk->arg, &pp);
	struct ctl_pool_stats ps;
	struct ctl_tun_stats ts;

	ctl_get_tun_stats(s->ctx, &ts);
	metrics_render(&s->acc, s->ctx->host, &ts, have ? &pp : NULL, hk, body);
	if (hk->policy_metrics != NULL)
		hk->policy_metrics(hk->arg, body);
	if (hk->pool_stats != NULL && hk->pool_stats(hk->arg, &ps))
		metrics_render_pool(&ps, body);
}

static enum conn_req
mclient_request_complete(struct conn *c, bool eof)
{
	if (eof) /* the client gave up before a complete head */
		return CONN_REQ_CLOSE;
	/* The timer bounds a trickle, as in ctl_server.c. */
	return metrics_parse_request(c->in, c->inlen) ==
		METRICS_REQ_INCOMPLETE ?
	    CONN_REQ_MORE :
	    CONN_REQ_DONE;
}

static bool
mclient_handle(struct conn *c)
{
	struct metrics_server *s = c->pool->arg;
	enum metrics_req r = metrics_parse_request(c->in, c->inlen);
	struct strbuf body;
	const char *status, *extra = "";

	strbuf_init(&body);
	switch (r) {
	case METRICS_REQ_OK:
		status = "200 OK";
		scrape_all(s, &body);
		break;
	case METRICS_REQ_NOT_FOUND:
		status = "404 Not Found";
		strbuf_puts(&body, "not found; try /metrics\n");
		break;
	case METRICS_REQ_BAD_METHOD:
		status = "405 Method Not Allowed";
		extra = "Allow: GET\r\n";
		strbuf_puts(&body, "method not allowed\n");
		break;
	case METRICS_REQ_INCOMPLETE:
	case METRICS_REQ_BAD:
	default:
		status = "400 Bad Request";
		strbuf_puts(&body, "bad request\n");
		break;
	}
	if (body.err) {
		strbuf_free(&body);
		status = "500 Internal Server Error";
		strbuf_puts(&body, "out of memory\n");
	}
	strbuf_printf(&c->out,
	    "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n%sConnection: close\r\n\r\n",
	    status,
	    r == METRICS_REQ_OK ? EXPOSITION_TYPE : "text/plain; charset=utf-8",
	    body.len, extra);
	strbuf_append(&c->out, strbuf_str(&body), body.len);
	strbuf_free(&body);
	return !c->out.err;
}

static void
mclient_timeout(struct conn *c)
{
	(void)c;
	log_debug("metrics: client timed out");
}

static const struct conn_ops mclient_ops = {
	.name = "metrics",
	.max_clients = METRICS_MAX_CLIENTS,
	.insize = METRICS_MAX_REQUEST,
	.timeout_s = METRICS_TIMEOUT_S,
	.busy_msg = NULL, /* closed at accept */
	.drain = false,
	.request_complete = mclient_request_complete,
	.handle = mclient_handle,
	.timeout = mclient_timeout,
};

struct metrics_server *
metrics_server_new(struct ev_loop *loop, const struct cfg_sockaddr *addr,
    const struct ctl_ctx *ctx)
{
	struct metrics_server *s;
	int one = 1;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("metrics: calloc");
		return NULL;
	}
	s->ctx = ctx;
	metrics_acc_init(&s->acc);
	if (conn_pool_init(&s->pool, loop, &mclient_ops, s) < 0)
		goto fail;
	s->fd = socket(addr->ss.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		log_warn("metrics: socket");
		goto fail;
	}
	/* A restart must not wait out TIME_WAIT of the last scrape. */
	(void)setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->ss.ss_family == AF_INET6)
		(void)setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
	if (bind(s->fd, (const struct sockaddr *)&addr->ss, addr->len) < 0) {
		log_warn("metrics: bind");
		goto fail_fd;
	}
	if (listen(s->fd, METRICS_MAX_CLIENTS) < 0) {
		log_warn("metrics: listen");
		goto fail_fd;
	}
	conn_pool_start(&s->pool, s->fd);
	{
		struct l2tp_addr la = { .len = addr->len };
		char buf[80];

		memcpy(&la.ss, &addr->ss, sizeof(la.ss));
		log_info("metrics: listening on http://%s/metrics",
		    l2tp_addr_str(&la, buf, sizeof(buf)));
	}
	return s;

fail_fd:
	close(s->fd);
fail:
	conn_pool_free(&s->pool);
	free(s);
	return NULL;
}

void
metrics_server_free(struct metrics_server *s)
{
	if (s == NULL)
		return;
	conn_pool_free(&s->pool);
	close(s->fd);
	metrics_acc_free(&s->acc);
	free(s);
}
