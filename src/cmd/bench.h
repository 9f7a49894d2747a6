/*
 * bench.h — what the modes of vpdn-bench share: the command-line options,
 * the tally of a setup run (sessions up, failures by cause, sessions up
 * over time) and its key=value report (src/cmd/vpdn-bench.c), and the
 * PPPoE mode (src/cmd/bench_pppoe.c).
 */
#ifndef VPDN_CMD_BENCH_H
#define VPDN_CMD_BENCH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ppp/link.h"

#define BENCH_MAX_CAUSES 16

struct bench_opts {
	struct sockaddr_in lns, bind, dst;
	unsigned lacs, tunnels, sessions, window;
	unsigned timeout_s, hold_s, traffic_s, size;
	unsigned padi_tries; /* pppoe: 0 = the client's default */
	bool storm;
	/* pppoe: hosts dial again after losing their session; PADT from
	 * every host at the end; where the outages and the status go */
	bool redial, hangup;
	const char *records, *status;
	const char *user, *password, *secret;
	const char *csv, *series, *label;
	const char *tun_a, *tun_b;
	const char *interface; /* pppoe: the Ethernet side */
	/* l2tp: IPv6CP too, the RA's /64, pd: a delegated prefix (enum
	 * bench6_pd, src/cmd/bench_ipv6.h); traffic to dst6 is IPv6.
	 * udp6/sink6: dst6, bind6. */
	bool ipv6;
	unsigned pd;
	bool has_dst6, has_bind6;
	struct sockaddr_in6 dst6, bind6;
};

struct bench_cause {
	char what[64];
	unsigned count;
};

struct bench_sample {
	double t;
	unsigned up;
};

/* One setup run: sessions up, failed (by cause), and up over time. */
struct bench_tally {
	unsigned up, failed;
	struct bench_cause causes[BENCH_MAX_CAUSES];
	struct bench_sample *samples;
	size_t nsamples, capsamples;
};

double bench_now_s(void);
/* One more failure of this cause (the first BENCH_MAX_CAUSES kept). */
void bench_cause(struct bench_tally *t, const char *what);
/* Records t->up at `at` seconds since the start. */
void bench_sample(struct bench_tally *t, double at);
/* PHASE.sessions/up/failed/seconds/rate/us_per_session and one
 * PHASE.failure=COUNT CAUSE line each on stdout; a CSV row if csv. */
void bench_report(const struct bench_opts *o, const struct bench_tally *t,
    const char *phase, double secs, FILE *csv);
/* o->series (if set): "seconds sessions_up" lines, the samples then
 * (t_end, up). */
void bench_write_series(const struct bench_opts *o, const struct bench_tally *t,
    double t_end);

/* The emulated user's PPP client, the same in every mode: CHAP-MD5 with
 * --user/--password, echo every 30 s; pppoe: RFC 2516 §7's LCP rules
 * (its hosts' own names from the %u templates go in afterwards). */
void bench_ppp_client_config(struct ppp_link_config *lc,
    const struct bench_opts *o, unsigned mru, bool pppoe);

/* vpdn-bench pppoe: the exit status. */
int bench_pppoe(const struct bench_opts *o);

#endif
