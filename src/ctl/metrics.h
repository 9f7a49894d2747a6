/*
 * metrics.h — Prometheus text exposition of the daemon's counters
 * (`metrics = ADDR:PORT` in [global]).
 *
 * Protocol: HTTP/1.0, one request per connection.  Only "GET /metrics"
 * (a query string is ignored) is answered, with 200 and
 * "text/plain; version=0.0.4"; any other path gets 404, any other method
 * 405, a malformed or oversized request 400.  The connection is closed after
 * the reply.
 *
 * Safety: at most METRICS_MAX_CLIENTS connections at once (more are closed
 * at accept), a request larger than METRICS_MAX_REQUEST is refused, and a
 * client that does not finish its request or take its reply within
 * METRICS_TIMEOUT_S is dropped.  All I/O is non-blocking on the daemon's
 * libev loop.  The listener carries no authentication: bind it to loopback
 * or a management address.
 *
 * Counters that live in tunnels and sessions (control retransmits, data
 * octets and packets) are summed at each scrape; what a tunnel or session
 * had counted at the previous scrape is carried into a base when it is gone,
 * so the *_total series stay monotonic (metrics_acc below).
 */
#ifndef VPDN_CTL_METRICS_H
#define VPDN_CTL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "config/config.h"
#include "ctl/ctl_cmds.h"
#include "ctl/strbuf.h"

#define METRICS_MAX_CLIENTS 8
#define METRICS_MAX_REQUEST 4096
#define METRICS_TIMEOUT_S   5.0

/* What a request asks for, decided from its head. */
enum metrics_req {
	METRICS_REQ_INCOMPLETE, /* no end of head yet */
	METRICS_REQ_OK,		/* GET /metrics */
	METRICS_REQ_NOT_FOUND,	/* GET of another path */
	METRICS_REQ_BAD_METHOD, /* not GET */
	METRICS_REQ_BAD,	/* malformed, or head over the size cap */
};
const char *metrics_req_str(enum metrics_req r);

/* Classifies the first len bytes received on a connection. */
enum metrics_req metrics_parse_request(const char *buf, size_t len);

/* One per-object counter set, as read at a scrape. */
enum metrics_ctr {
	METRICS_CTR_RETRANSMITS,
	METRICS_CTR_RX_BYTES,
	METRICS_CTR_TX_BYTES,
	METRICS_CTR_RX_PACKETS,
	METRICS_CTR_TX_PACKETS,
	/* Dropped by sessions' rate-plan policers (inner IP bytes). */
	METRICS_CTR_POLICER_UP_BYTES,
	METRICS_CTR_POLICER_DOWN_BYTES,
	METRICS_CTR_POLICER_UP_PACKETS,
	METRICS_CTR_POLICER_DOWN_PACKETS,
	METRICS_CTR__COUNT,
};

struct metrics_obj {
	uint64_t key;	     /* tunnel ID << 16 | session ID */
	uint64_t created_ms; /* tells a reused ID from the old one */
	uint64_t v[METRICS_CTR__COUNT];
};

/*
 * Monotonic sums over objects that come and go.  metrics_acc_begin(), one
 * metrics_acc_add() per live object, then metrics_acc_end() fills totals[]
 * with base + live, where base collects the last seen values of objects that
 * disappeared since the previous round.
 */
struct metrics_acc {
	uint64_t base[METRICS_CTR__COUNT];
	struct metrics_obj *prev, *cur;
	size_t nprev, capprev, ncur, capcur;
	bool oom;
};

void metrics_acc_init(struct metrics_acc *a);
void metrics_acc_free(struct metrics_acc *a);
void metrics_acc_begin(struct metrics_acc *a);
void metrics_acc_add(struct metrics_acc *a, const struct metrics_obj *o);
void metrics_acc_end(struct metrics_acc *a,
    uint64_t totals[METRICS_CTR__COUNT]);

/* Renders the exposition of host (may be NULL), the TUN counters (NULL:
 * zero) and a LAC's PPPoE access concentrator (NULL: none) into out;
 * hooks (may be NULL) add what the kernel fast path carried for each
 * session (describe_session). */
void metrics_render(struct metrics_acc *a, struct l2tp_host *host,
    const struct ctl_tun_stats *tun, const struct ctl_pppoe_stats *pppoe,
    const struct ctl_hooks *hooks, struct strbuf *out);

/* The LNS's address pool: vpdn_pool_addresses{state="size"|"used"} and
 * vpdn_pool_refused_total, which alerting rules compare (a pool nearly
 * empty refuses the next users). */
void metrics_render_pool(const struct ctl_pool_stats *p, struct strbuf *out);

struct metrics_server;

/* Returns NULL (after logging why) if the listener cannot be set up.  ctx is
 * the daemon's control context (its host is read at each scrape). */
struct metrics_server *metrics_server_new(struct ev_loop *loop,
    const struct cfg_sockaddr *addr, const struct ctl_ctx *ctx);
void metrics_server_free(struct metrics_server *m);

#endif
