/*
 * bench_redial.h — what vpdn-bench pppoe needs to play users that come
 * back: a name per host, the redial back-off, and the record of every
 * outage (when a host's session went down, when IPCP was open again) with
 * the distribution of those times.
 *
 * Pure logic, no I/O and no clock of its own: times are milliseconds of
 * whatever clock the caller uses (bench_pppoe.c: time_now_ms()).
 */
#ifndef VPDN_CMD_BENCH_REDIAL_H
#define VPDN_CMD_BENCH_REDIAL_H

#include <stddef.h>
#include <stdint.h>

/* Back-off of a redialling host, as vpdnd's own client (roles/client.c):
 * 1 s after the first loss, doubling on each failed attempt, at most 64 s;
 * back to the start once IPCP is open. */
#define BENCH_REDIAL_MIN_MS 1000u
#define BENCH_REDIAL_MAX_MS 64000u

/* The wait before the next attempt, given the previous wait (0: none yet). */
unsigned bench_redial_backoff(unsigned prev_ms);

/* tmpl with every "%u" replaced by n (and "%%" by "%") into out; -1 when
 * it does not fit in cap or holds another '%' sequence. */
int bench_expand(const char *tmpl, unsigned n, char *out, size_t cap);

/* One outage: host went down at down_ms and had IPCP open again at up_ms
 * (0: not back yet). */
struct bench_outage {
	uint32_t host;
	uint64_t down_ms, up_ms;
};

struct bench_outages {
	struct bench_outage *v;
	size_t n, cap;
	/* per host: 1 + index of its open outage in v, 0 if none */
	uint32_t *open;
	unsigned hosts;
	/* The window reported: outages recorded from index mark_from on,
	 * times measured from mark_ms (e.g. the kill -9). */
	uint64_t mark_ms;
	size_t mark_from;
};

/* -1: no memory. */
int bench_outages_init(struct bench_outages *r, unsigned hosts);
void bench_outages_free(struct bench_outages *r);
/* host lost its session at now; nothing if it has an open outage (a
 * failed redial is the same outage).  -1: no memory. */
int bench_outage_down(struct bench_outages *r, unsigned host, uint64_t now);
/* host has IPCP open again: closes its open outage, if any. */
void bench_outage_up(struct bench_outages *r, unsigned host, uint64_t now);
/* Hosts in an open outage now. */
unsigned bench_outages_pending(const struct bench_outages *r);
/* Where in r->v a window from `at` starts: after the outages that began
 * before it.  Some that began at or after it may be recorded already (a
 * signal's handler notes the time, the loop marks later): they belong to
 * the new window, and the closing one ends here (bench_outages_window's
 * end). */
size_t bench_outages_start_of(const struct bench_outages *r, uint64_t at);
/* A new window from `at`: the outages from bench_outages_start_of(at) on
 * are reported against it. */
void bench_outages_mark(struct bench_outages *r, uint64_t at);

/* Nearest-rank statistics (the p-quantile is the ceil(p * n)-th smallest)
 * of n values, in seconds. */
struct bench_dist {
	size_t n;
	double min, median, p90, p99, max;
};
/* Sorts v in place; d->n = 0 and the rest 0 when n is 0. */
void bench_dist_of(double *v, size_t n, struct bench_dist *d);

/* The window since the mark up to index end of r->v (r->n: all), one
 * entry per host that lost its session in it (its first outage there): hosts down, back, still pending; `since`
 * the times from the mark to IPCP open again (all_back_s: the largest,
 * when every one is back), `outage` from each host's loss to its return.
 * -1: no memory. */
struct bench_window {
	unsigned down, back, pending;
	struct bench_dist since, outage;
	double all_back_s; /* -1 while some are pending or none went down */
	/* from the mark to the first and the last loss: detection */
	double first_down_s, last_down_s;
};
int bench_outages_window(const struct bench_outages *r, size_t end,
    struct bench_window *w);

#endif
