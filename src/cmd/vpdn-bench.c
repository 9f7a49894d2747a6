/*
 * vpdn-bench — load generator and baselines for `make bench`.
 *
 * Modes (first argument):
 *   l2tp    emulate K LACs (K source addresses from --bind up, one UDP
 *           socket, source picked per datagram by IP_PKTINFO): T tunnels
 *           to an LNS dealt round-robin over the LACs, N sessions spread
 *           over the tunnels, each running the full LCP -> CHAP-MD5 -> IPCP exchange with the
 *           project's own ppp_link (client side) over the project's
 *           l2tp_host, on one libev loop and one UDP socket.  Measures the
 *           setup rate, time to N sessions, failures by cause; optionally
 *           holds the sessions (for the LNS's RSS), drops and redials them
 *           all at once (reconnect storm), and sends IPv4/UDP through every
 *           session (pps).  With --ipv6 each session opens IPv6CP too and
 *           waits for the LNS's RA (and with --pd a DHCPv6 delegated
 *           prefix) before it counts as up; traffic to --dst6 is IPv6
 *           from the session's SLAAC address (src/cmd/bench_ipv6.c).
 *   pppoe   emulate N PPPoE hosts on one Ethernet interface, each with its
 *           own MAC, against an access concentrator (vpdnd as LAC): PPPoE
 *           discovery, then LCP -> CHAP-MD5 -> IPCP (src/cmd/bench_pppoe.c);
 *           optionally one user name per host and users that dial again
 *           when their session is lost, with the outages' distribution
 *           (the failover figure of bench/cluster.sh).
 *   codec   the same L2TP exchange encoded and decoded with no state, no
 *           crypto and no I/O: the codec limit of the setup rate.
 *   udp     raw UDP sender (sendmmsg), the kernel forwarding baseline.
 *   sink    counts UDP datagrams until SIGINT/SIGTERM, prints pps.
 *   udp6, sink6  the same over IPv6 (--dst6, --bind6).
 *   tunfwd  plain TUN -> TUN forwarder (read batch, write each), the
 *           user-space forwarding limit.
 * Every mode prints `key=value` lines on stdout for bench/run.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bsd/string.h>

#include "cmd/bench.h"
#include "cmd/bench_ipv6.h"
#include "core/heap.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "l2tp/data_hdr.h"
#include "dataplane/tun.h"
#include "l2tp/l2tp.h"
#include "l2tp/l2tp_proto.h"
#include "l2tp/msg.h"
#include "ppp/link.h"

#define TX_BATCH   64
#define TX_BUF	   1600
#define SAMPLE_MS  50
#define PASSIVE_MS 1000

/* ---- options ---- */

static struct bench_opts o = {
	.lacs = 1,
	.tunnels = 1,
	.sessions = 1,
	.window = 256,
	.timeout_s = 120,
	.size = 1400,
	.user = "bench",
	.password = "bench",
	.label = "run",
};

static int
parse_addr(const char *s, struct sockaddr_in *sin, uint16_t defport)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);

	if (n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (colon != NULL) {
		char *end;
		long port = strtol(colon + 1, &end, 10);

		if (*end != '\0' || port < 1 || port > 65535)
			return -1;
		sin->sin_port = htons((uint16_t)port);
	} else {
		sin->sin_port = htons(defport);
	}
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: vpdn-bench l2tp --lns IP[:port] [--bind IP] [--lacs K]"
	    " [--tunnels T] [--sessions N]\n"
	    "           [--window W] [--timeout S] [--hold S] [--storm]"
	    " [--traffic S --dst IP:PORT --size B]\n"
	    "           [--ipv6] [--pd solicit|rapid] [--dst6 [IP6]:PORT]\n"
	    "           [--user U --password P --secret S] [--csv F]"
	    " [--series F] [--label L]\n"
	    "       vpdn-bench pppoe --interface IF [--sessions N]"
	    " [--window W] [--timeout S] [--hold S]\n"
	    "           [--padi-tries T] [--user U --password P] [--csv F]"
	    " [--series F] [--label L]\n"
	    "           [--redial] [--hangup] [--status F] [--records F]"
	    "  (U, P: %%u = host number)\n"
	    "       vpdn-bench codec [--tunnels T] [--sessions N]\n"
	    "       vpdn-bench udp --dst IP:PORT [--bind IP] --traffic S"
	    " --size B\n"
	    "       vpdn-bench sink --bind IP:PORT\n"
	    "       vpdn-bench udp6 --dst6 [IP6]:PORT [--bind6 IP6]"
	    " --traffic S --size B\n"
	    "       vpdn-bench sink6 --bind6 [IP6]:PORT\n"
	    "       vpdn-bench tunfwd --tun-a NAME --tun-b NAME\n");
	exit(2);
}

static void
parse_opts(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		const char *k = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(k, "--storm") == 0) {
			o.storm = true;
			continue;
		}
		if (strcmp(k, "--ipv6") == 0) {
			o.ipv6 = true;
			continue;
		}
		if (strcmp(k, "--redial") == 0) {
			o.redial = true;
			continue;
		}
		if (strcmp(k, "--hangup") == 0) {
			o.hangup = true;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(k, "--lns") == 0) {
			if (parse_addr(v, &o.lns, 1701) < 0)
				usage();
		} else if (strcmp(k, "--bind") == 0) {
			if (parse_addr(v, &o.bind, 0) < 0)
				usage();
		} else if (strcmp(k, "--dst") == 0) {
			if (parse_addr(v, &o.dst, 9) < 0)
				usage();
		} else if (strcmp(k, "--lacs") == 0)
			o.lacs = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--tunnels") == 0)
			o.tunnels = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--sessions") == 0)
			o.sessions = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--window") == 0)
			o.window = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--timeout") == 0)
			o.timeout_s = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--hold") == 0)
			o.hold_s = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--traffic") == 0)
			o.traffic_s = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--size") == 0)
			o.size = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--user") == 0)
			o.user = v;
		else if (strcmp(k, "--password") == 0)
			o.password = v;
		else if (strcmp(k, "--secret") == 0)
			o.secret = v;
		else if (strcmp(k, "--csv") == 0)
			o.csv = v;
		else if (strcmp(k, "--series") == 0)
			o.series = v;
		else if (strcmp(k, "--label") == 0)
			o.label = v;
		else if (strcmp(k, "--tun-a") == 0)
			o.tun_a = v;
		else if (strcmp(k, "--tun-b") == 0)
			o.tun_b = v;
		else if (strcmp(k, "--interface") == 0)
			o.interface = v;
		else if (strcmp(k, "--pd") == 0) {
			o.ipv6 = true;
			if (strcmp(v, "solicit") == 0)
				o.pd = BENCH6_PD_SOLICIT;
			else if (strcmp(v, "rapid") == 0)
				o.pd = BENCH6_PD_RAPID;
			else
				usage();
		} else if (strcmp(k, "--dst6") == 0) {
			if (bench6_parse_addr(v, &o.dst6, 9) < 0)
				usage();
			o.has_dst6 = true;
		} else if (strcmp(k, "--bind6") == 0) {
			if (bench6_parse_addr(v, &o.bind6, 0) < 0)
				usage();
			o.has_bind6 = true;
		} else if (strcmp(k, "--padi-tries") == 0)
			o.padi_tries = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--records") == 0)
			o.records = v;
		else if (strcmp(k, "--status") == 0)
			o.status = v;
		else
			usage();
	}
	if (o.lacs == 0 || o.lacs > 1000 || o.tunnels == 0 || o.sessions == 0 ||
	    o.window == 0)
		usage();
	/* K LACs are K addresses from --bind up: there must be one. */
	if (o.lacs > 1 && o.bind.sin_addr.s_addr == htonl(INADDR_ANY))
		usage();
	if (o.size < 28 || o.size > TX_BUF - 16)
		usage();
	/* An IPv6 packet of --size bytes holds its 48-byte IPv6 + UDP
	 * header. */
	if (o.has_dst6 && o.size < UDP6_HDR_LEN)
		usage();
}

void
bench_ppp_client_config(struct ppp_link_config *lc, const struct bench_opts *op,
    unsigned mru, bool pppoe)
{
	memset(lc, 0, sizeof(*lc));
	lc->server = false;
	strlcpy(lc->client.user, op->user, sizeof(lc->client.user));
	lc->client.password_len = strlen(op->password);
	if (lc->client.password_len > sizeof(lc->client.password))
		lc->client.password_len = sizeof(lc->client.password);
	memcpy(lc->client.password, op->password, lc->client.password_len);
	lc->client.accept[lc->client.accept_count++] = PPP_AUTH_CHAP_MD5;
	strlcpy(lc->our_name, op->user, sizeof(lc->our_name));
	lc->mru = mru;
	lc->pppoe = pppoe;
	lc->echo_interval_ms = 30000;
	lc->echo_failures = 5;
}

double
bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_s(void)
{
	return bench_now_s();
}

/* ---- the tally of a setup run (bench.h) ---- */

void
bench_cause(struct bench_tally *t, const char *what)
{
	for (unsigned i = 0; i < BENCH_MAX_CAUSES; i++) {
		if (t->causes[i].count == 0) {
			strlcpy(t->causes[i].what, what,
			    sizeof(t->causes[i].what));
			t->causes[i].count = 1;
			return;
		}
		if (strcmp(t->causes[i].what, what) == 0) {
			t->causes[i].count++;
			return;
		}
	}
}

void
bench_sample(struct bench_tally *t, double at)
{
	if (t->nsamples == t->capsamples) {
		t->capsamples = t->capsamples ? t->capsamples * 2 : 1024;
		t->samples = reallocarray(t->samples, t->capsamples,
		    sizeof(*t->samples));
		if (t->samples == NULL)
			fatalx("out of memory");
	}
	t->samples[t->nsamples].t = at;
	t->samples[t->nsamples].up = t->up;
	t->nsamples++;
}

void
bench_report(const struct bench_opts *op, const struct bench_tally *t,
    const char *phase, double secs, FILE *csv)
{
	double rate = secs > 0 ? t->up / secs : 0;

	printf("%s.sessions=%u\n%s.up=%u\n%s.failed=%u\n%s.seconds=%.3f\n"
	       "%s.rate=%.0f\n%s.us_per_session=%.1f\n",
	    phase, op->sessions, phase, t->up, phase, t->failed, phase, secs,
	    phase, rate, phase, t->up ? secs * 1e6 / t->up : 0.0);
	for (unsigned i = 0; i < BENCH_MAX_CAUSES && t->causes[i].count; i++)
		printf("%s.failure=%u %s\n", phase, t->causes[i].count,
		    t->causes[i].what);
	if (csv != NULL)
		fprintf(csv, "%s,%s,%u,%u,%u,%u,%.3f,%.0f\n", op->label, phase,
		    op->tunnels, op->sessions, t->up, t->failed, secs, rate);
	fflush(stdout);
}

void
bench_write_series(const struct bench_opts *op, const struct bench_tally *t,
    double t_end)
{
	FILE *f;

	if (op->series == NULL)
		return;
	if ((f = fopen(op->series, "w")) == NULL)
		fatal("%s", op->series);
	fprintf(f, "# seconds sessions_up (%s)\n", op->label);
	for (size_t i = 0; i < t->nsamples; i++)
		fprintf(f, "%.3f %u\n", t->samples[i].t, t->samples[i].up);
	fprintf(f, "%.3f %u\n", t_end, t->up);
	fclose(f);
}

/* ---- IPv4/UDP test packets ---- */

static uint16_t
ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* IPv4 + UDP header (28 bytes) of a `size`-byte datagram, checksum 0 for
 * UDP (allowed over IPv4, RFC 768). */
static void
ip_udp_hdr(uint8_t *p, uint32_t src, uint32_t dst, uint16_t dport,
    unsigned size)
{
	uint16_t c;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(size >> 8);
	p[3] = (uint8_t)size;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, &src, 4); /* network order already */
	memcpy(p + 16, &dst, 4);
	c = ip_csum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 0x9c; /* source port 40000 */
	p[21] = 0x40;
	memcpy(p + 22, &dport, 2);
	p[24] = (uint8_t)((size - 20) >> 8);
	p[25] = (uint8_t)(size - 20);
}

/* ---- batched UDP transmit ---- */

/* One datagram's IP_PKTINFO: the source address it leaves from. */
union pktinfo_cmsg {
	char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct cmsghdr align;
};

struct txq {
	int fd;
	unsigned n;
	uint8_t buf[TX_BATCH][TX_BUF];
	struct mmsghdr msg[TX_BATCH];
	struct iovec iov[TX_BATCH];
	struct sockaddr_in to[TX_BATCH];
	union pktinfo_cmsg ctl[TX_BATCH];
	uint64_t sent, errors;
};

static void
txq_flush(struct txq *q)
{
	unsigned off = 0;

	while (off < q->n) {
		int r = sendmmsg(q->fd, q->msg + off, q->n - off, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS/EAGAIN: the datagrams are lost, as a
			 * congested link would lose them. */
			q->errors += q->n - off;
			break;
		}
		off += (unsigned)r;
		q->sent += (unsigned)r;
	}
	q->n = 0;
}

/* The next free slot; the caller fills buf and calls txq_commit. */
static uint8_t *
txq_slot(struct txq *q)
{
	if (q->n == TX_BATCH)
		txq_flush(q);
	return q->buf[q->n];
}

/* src: the source address (network order), 0 for the socket's own. */
static void
txq_commit(struct txq *q, size_t len, const struct sockaddr_in *to,
    uint32_t src)
{
	unsigned i = q->n++;

	q->to[i] = *to;
	q->iov[i].iov_base = q->buf[i];
	q->iov[i].iov_len = len;
	memset(&q->msg[i], 0, sizeof(q->msg[i]));
	q->msg[i].msg_hdr.msg_name = &q->to[i];
	q->msg[i].msg_hdr.msg_namelen = sizeof(q->to[i]);
	q->msg[i].msg_hdr.msg_iov = &q->iov[i];
	q->msg[i].msg_hdr.msg_iovlen = 1;
	if (src != 0) {
		struct cmsghdr *c = (struct cmsghdr *)(void *)q->ctl[i].buf;
		struct in_pktinfo pi;

		memset(&q->ctl[i], 0, sizeof(q->ctl[i]));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst.s_addr = src;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		q->msg[i].msg_hdr.msg_control = q->ctl[i].buf;
		q->msg[i].msg_hdr.msg_controllen = sizeof(q->ctl[i].buf);
	}
}

static int
udp_socket(const struct sockaddr_in *bind_to)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int sz = 8 << 20;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind_to != NULL &&
	    bind(fd, (const struct sockaddr *)bind_to, sizeof(*bind_to)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- l2tp mode ---- */

enum bs_state { BS_FREE, BS_SETUP, BS_UP, BS_DOWN };

struct bsess {
	enum bs_state state;
	struct l2tp_session *s;
	struct ppp_link *link;
	struct heap_node hn;
	uint32_t addr; /* network order, once up */
	uint16_t peer_tunnel, peer_session;
	uint32_t src; /* its LAC's address, net order */
	bool started; /* ppp_link_start done */
	bool v4_up;   /* IPCP opened */
	/* --ipv6: the session's IPv6 (bench_ipv6.h) */
	struct bench6 *v6;
	struct bsess *next_dead;
};

struct bench {
	struct ev_loop *loop;
	struct l2tp_host *host;
	struct txq tx;
	ev_io rx_w;
	ev_timer timer_w, sample_w, phase_w;
	ev_prepare prep_w;
	ev_idle traffic_w;
	struct heap timers;
	struct bsess *sess;
	struct l2tp_tunnel **tun;
	struct bsess *dead;
	unsigned next, inflight, down_after_up;
	unsigned round; /* 0 first setup, 1 storm */
	double t0, t_done;
	struct bench_tally t;
	bool setup_done, traffic_on;
	double traffic_t0;
	uint64_t traffic_pkts;
	unsigned traffic_next;
};

static struct bench B;

static void
count_cause(const char *what)
{
	bench_cause(&B.t, what);
}

static void
bs_rearm(struct bsess *bs)
{
	uint64_t d = bs->link != NULL && bs->started ?
	    ppp_link_next_deadline(bs->link) :
	    TIME_NEVER;

	if (bs->v6 != NULL && bs->link != NULL && bs->started)
		d = time_min(d, bench6_next_deadline(bs->v6));

	if (d == TIME_NEVER) {
		if (heap_node_queued(&bs->hn))
			heap_remove(&B.timers, &bs->hn);
		return;
	}
	if (heap_set(&B.timers, &bs->hn, d) < 0)
		fatalx("out of memory");
}

static void
host_send(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	uint8_t *slot;
	uint32_t src = 0;

	(void)ctx;
	if (len > TX_BUF)
		return;
	if (local != NULL && local->ss.ss_family == AF_INET)
		src = ((const struct sockaddr_in *)(const void *)&local->ss)
			  ->sin_addr.s_addr;
	slot = txq_slot(&B.tx);
	memcpy(slot, pkt, len);
	txq_commit(&B.tx, len, (const struct sockaddr_in *)&peer->ss, src);
}

/* A session left setup: success or failure; open the next ones. */
static void pump(uint64_t now);

static void
setup_ended(struct bsess *bs, bool ok, const char *why)
{
	/* After a timeout the stragglers were counted as failed: one that
	 * comes up later must not count twice. */
	if (bs->state != BS_SETUP || B.setup_done)
		return;
	B.inflight--;
	if (ok) {
		bs->state = BS_UP;
		B.t.up++;
	} else {
		bs->state = BS_DOWN;
		B.t.failed++;
		count_cause(why);
	}
}

static int
link_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct bsess *bs = ctx;

	return bs->s != NULL ? l2tp_session_send_data(bs->s, frame, len) : -1;
}

/* Up once IPCP is, and with --ipv6 IPv6 too (address, prefix if asked). */
static void
bs_check_up(struct bsess *bs)
{
	if (bs->v4_up && (bs->v6 == NULL || bs->v6->ready))
		setup_ended(bs, true, NULL);
}

static void
link_network_up(void *ctx, uint32_t local, uint32_t peer, const uint32_t dns[2],
    unsigned dns_count, uint64_t now)
{
	struct bsess *bs = ctx;

	(void)now;
	(void)peer;
	(void)dns;
	(void)dns_count;
	bs->addr = htonl(local);
	bs->v4_up = true;
	bs_check_up(bs);
}

static void
link_network6_up(void *ctx, const uint8_t local_id[8], const uint8_t peer_id[8],
    uint64_t now)
{
	struct bsess *bs = ctx;

	(void)peer_id;
	if (bs->v6 != NULL && bench6_up(bs->v6, local_id, now) < 0)
		count_cause("no memory for DHCPv6");
}

static void
link_network6_down(void *ctx, const char *reason, uint64_t now)
{
	struct bsess *bs = ctx;

	(void)reason;
	(void)now;
	if (bs->v6 != NULL)
		bench6_down(bs->v6);
}

static void
link_ipv6_input(void *ctx, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct bsess *bs = ctx;

	if (bs->v6 != NULL)
		bench6_input(bs->v6, pkt, len, now);
}

static int
v6_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct bsess *bs = ctx;

	return bs->link != NULL ? ppp_link_send_ipv6(bs->link, pkt, len) : -1;
}

static void
v6_ready(void *ctx, uint64_t now)
{
	(void)now;
	bs_check_up(ctx);
}

static const struct bench6_ops v6_ops = {
	.send = v6_send,
	.ready = v6_ready,
};

static void
link_down(void *ctx, const char *reason, uint64_t now)
{
	struct bsess *bs = ctx;
	char why[64];

	(void)now;
	snprintf(why, sizeof(why), "ppp: %s", reason);
	if (bs->state == BS_UP)
		B.down_after_up++;
	setup_ended(bs, false, why);
	bs->state = BS_DOWN;
	if (bs->s != NULL)
		l2tp_session_close(bs->s, L2TP_CDN_ADMIN, 0, "ppp down",
		    time_now_ms());
}

static const struct ppp_link_ops link_ops = {
	.send = link_send,
	.network_up = link_network_up,
	.down = link_down,
	.network6_up = link_network6_up,
	.network6_down = link_network6_down,
	.ipv6_input = link_ipv6_input,
};

static void
host_tunnel_up(void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	(void)ctx;
	(void)t;
	(void)now;
}

static void
host_tunnel_down(void *ctx, struct l2tp_tunnel *t, uint64_t now)
{
	(void)ctx;
	(void)now;
	for (unsigned i = 0; i < o.tunnels; i++)
		if (B.tun[i] == t)
			B.tun[i] = NULL;
}

static int
host_session_request(void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req, uint64_t now)
{
	(void)ctx;
	(void)s;
	(void)req;
	(void)now;
	return L2TP_CDN_NO_RESOURCES_PERM; /* we place calls, we take none */
}

static void
host_session_up(void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *connect, uint64_t now)
{
	/* Every session's client is alike: one configuration for all, as
	 * a role shares one among its links; kept until exit. */
	static struct ppp_link_conf *conf;
	struct bsess *bs = l2tp_session_user(s);
	struct ppp_link_config lc;

	(void)ctx;
	(void)connect;
	if (bs == NULL)
		return;
	if (conf == NULL) {
		bench_ppp_client_config(&lc, &o, 1400, false);
		lc.ipv6cp = o.ipv6;
		conf = ppp_link_conf_new(&lc);
		explicit_bzero(&lc, sizeof(lc));
	}
	bs->link = conf != NULL ?
	    ppp_link_create(conf, NULL, &link_ops, bs, NULL, now) :
	    NULL;
	if (bs->link != NULL && o.ipv6) {
		if ((bs->v6 = malloc(sizeof(*bs->v6))) != NULL)
			bench6_init(bs->v6, (enum bench6_pd)o.pd, &v6_ops, bs);
		else {
			ppp_link_free(bs->link);
			bs->link = NULL;
		}
	}
	if (bs->link == NULL) {
		setup_ended(bs, false, "no memory for PPP");
		l2tp_session_close(s, L2TP_CDN_NO_RESOURCES, 0, NULL, now);
		return;
	}
	/*
	 * Passive start (pppd's `passive`): our ICCN may still wait for the
	 * control channel's window (RFC 2661 Appendix A slow start), and data
	 * sent before the LNS has it is dropped there (data-not-up), costing
	 * a 3 s LCP restart.  So LCP starts when the LNS's first PPP frame
	 * arrives — it sends its Configure-Request once ICCN is in — or after
	 * PASSIVE_MS at the latest.
	 */
	if (heap_set(&B.timers, &bs->hn, now + PASSIVE_MS) < 0)
		fatalx("out of memory");
}

static void
bs_start(struct bsess *bs, uint64_t now)
{
	if (bs->started)
		return;
	bs->started = true;
	ppp_link_start(bs->link, now);
}

static void
host_session_down(void *ctx, struct l2tp_session *s, uint64_t now)
{
	struct bsess *bs = l2tp_session_user(s);

	(void)now;
	(void)ctx;
	if (bs == NULL)
		return;
	if (bs->state == BS_UP && B.round == 0 && !B.setup_done)
		B.down_after_up++;
	setup_ended(bs, false, "l2tp: session closed (CDN/StopCCN)");
	bs->state = BS_DOWN;
	bs->s = NULL;
	if (heap_node_queued(&bs->hn))
		heap_remove(&B.timers, &bs->hn);
	/* ppp_link may be inside a callback: free it from the loop. */
	if (bs->link != NULL) {
		bs->next_dead = B.dead;
		B.dead = bs;
	}
}

static void
host_session_data(void *ctx, struct l2tp_session *s, const uint8_t *frame,
    size_t len, uint64_t now)
{
	struct bsess *bs = l2tp_session_user(s);

	(void)now;
	(void)ctx;
	if (bs == NULL || bs->link == NULL)
		return;
	bs_start(bs, time_now_ms());
	ppp_link_input(bs->link, frame, len, time_now_ms());
	bs_rearm(bs);
}

static const struct l2tp_host_ops host_ops = {
	.send = host_send,
	.tunnel_up = host_tunnel_up,
	.tunnel_down = host_tunnel_down,
	.session_request = host_session_request,
	.session_up = host_session_up,
	.session_down = host_session_down,
	.session_data = host_session_data,
};

/* LAC k's source address: --bind plus k (the caller configured them all). */
static void
lac_address(unsigned k, struct l2tp_addr *a)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ntohl(o.bind.sin_addr.s_addr) + k);
	sin.sin_port = o.bind.sin_port;
	memset(a, 0, sizeof(*a));
	memcpy(&a->ss, &sin, sizeof(sin));
	a->len = sizeof(sin);
}

static void
open_tunnels(uint64_t now)
{
	struct l2tp_tunnel_params p;

	for (unsigned i = 0; i < o.tunnels; i++) {
		memset(&p, 0, sizeof(p));
		p.role = L2TP_ROLE_LAC;
		memcpy(&p.peer.ss, &o.lns, sizeof(o.lns));
		p.peer.len = sizeof(o.lns);
		lac_address(i % o.lacs, &p.local);
		if (o.secret != NULL) {
			p.secret = (const uint8_t *)o.secret;
			p.secret_len = strlen(o.secret);
		}
		B.tun[i] = l2tp_tunnel_open(B.host, &p, now);
		if (B.tun[i] == NULL)
			fatalx("cannot open tunnel %u", i);
	}
}

static void
pump(uint64_t now)
{
	struct l2tp_call_params cp;

	while (B.inflight < o.window && B.next < o.sessions) {
		struct bsess *bs = &B.sess[B.next];
		struct l2tp_tunnel *t = B.tun[B.next % o.tunnels];

		B.next++;
		memset(bs, 0, sizeof(*bs));
		heap_node_init(&bs->hn);
		if (t == NULL) {
			B.t.failed++;
			count_cause("l2tp: tunnel gone");
			continue;
		}
		memset(&cp, 0, sizeof(cp));
		cp.bearer_type = L2TP_BEARER_DIGITAL;
		cp.framing_type = L2TP_FRAMING_SYNC;
		cp.tx_connect_speed = cp.rx_connect_speed = 100000000;
		snprintf(cp.calling_number, sizeof(cp.calling_number),
		    "bench-%u", B.next);
		bs->state = BS_SETUP;
		B.inflight++;
		bs->s = l2tp_session_open(t, &cp, now);
		if (bs->s == NULL) {
			setup_ended(bs, false, "l2tp: session_open refused");
			continue;
		}
		l2tp_session_set_user(bs->s, bs);
	}
}

static void
reap(void)
{
	while (B.dead != NULL) {
		struct bsess *bs = B.dead;

		B.dead = bs->next_dead;
		ppp_link_free(bs->link);
		bs->link = NULL;
		if (bs->v6 != NULL)
			bench6_down(bs->v6);
		free(bs->v6);
		bs->v6 = NULL;
	}
}

static void
rearm_timer(void)
{
	uint64_t d = l2tp_host_next_deadline(B.host);
	struct heap_node *m = heap_min(&B.timers);
	uint64_t now = time_now_ms();
	double after;

	if (m != NULL && m->key < d)
		d = m->key;
	ev_timer_stop(B.loop, &B.timer_w);
	if (d == TIME_NEVER)
		return;
	after = d > now ? (double)(d - now) / 1000.0 : 0.0;
	ev_timer_set(&B.timer_w, after, 0.0);
	ev_timer_start(B.loop, &B.timer_w);
}

static void
timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	uint64_t now = time_now_ms();
	struct heap_node *m;

	(void)loop;
	(void)w;
	(void)revents;
	l2tp_host_run_timers(B.host, now);
	while ((m = heap_min(&B.timers)) != NULL && m->key <= now) {
		struct bsess *bs = (struct bsess *)(void *)((char *)m -
		    offsetof(struct bsess, hn));

		heap_remove(&B.timers, m);
		if (bs->link != NULL && !bs->started)
			bs_start(bs, now);
		else if (bs->link != NULL) {
			/* The key was the earlier of the two deadlines. */
			if (ppp_link_next_deadline(bs->link) <= now)
				ppp_link_timeout(bs->link, now);
			if (bs->v6 != NULL && bs->link != NULL)
				bench6_timer(bs->v6, now);
		}
		if (bs->link != NULL)
			bs_rearm(bs);
	}
}

static void
rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	static uint8_t bufs[32][2048];
	struct mmsghdr msg[32];
	struct iovec iov[32];
	struct sockaddr_in from[32];
	struct l2tp_addr peer, local;
	uint64_t now;
	int n;

	(void)loop;
	(void)revents;
	memset(&local, 0, sizeof(local));
	for (int rounds = 0; rounds < 8; rounds++) {
		for (int i = 0; i < 32; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&msg[i], 0, sizeof(msg[i]));
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
			msg[i].msg_hdr.msg_name = &from[i];
			msg[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(w->fd, msg, 32, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		now = time_now_ms();
		for (int i = 0; i < n; i++) {
			memset(&peer, 0, sizeof(peer));
			memcpy(&peer.ss, &from[i], sizeof(from[i]));
			peer.len = sizeof(from[i]);
			l2tp_host_input(B.host, bufs[i], msg[i].msg_len, &local,
			    &peer, now);
		}
		if (n < 32)
			return;
	}
}

static void
sample_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	bench_sample(&B.t, now_s() - B.t0);
}

/* Traffic: pre-resolved headers written straight into the tx batch —
 * L2TP data header (§3.1, compact), FF 03 00 21, IPv4/UDP; the generator
 * itself must not be the bottleneck. */
static void
traffic_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	(void)w;
	(void)revents;
	if (now_s() - B.traffic_t0 >= o.traffic_s) {
		ev_idle_stop(loop, &B.traffic_w);
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	for (int k = 0; k < TX_BATCH; k++) {
		struct bsess *bs;
		uint8_t *p;
		unsigned tries = 0;

		do {
			bs = &B.sess[B.traffic_next++ % o.sessions];
		} while (bs->state != BS_UP && ++tries < o.sessions);
		if (bs->state != BS_UP)
			return;
		p = txq_slot(&B.tx);
		p[0] = 0x00;
		p[1] = L2TP_VERSION;
		p[2] = (uint8_t)(bs->peer_tunnel >> 8);
		p[3] = (uint8_t)bs->peer_tunnel;
		p[4] = (uint8_t)(bs->peer_session >> 8);
		p[5] = (uint8_t)bs->peer_session;
		p[6] = 0xff;
		p[7] = 0x03;
		p[8] = 0x00;
		if (o.has_dst6) {
			/* IPv6 (0x0057, RFC 5072 §3): the session's header,
			 * checksum over an all-zero payload (fill_ids). */
			p[9] = 0x57;
			memcpy(p + 10, bs->v6->hdr, UDP6_HDR_LEN);
			memset(p + 10 + UDP6_HDR_LEN, 0, o.size - UDP6_HDR_LEN);
		} else {
			p[9] = 0x21;
			ip_udp_hdr(p + 10, bs->addr, o.dst.sin_addr.s_addr,
			    o.dst.sin_port, o.size);
		}
		txq_commit(&B.tx, 10 + o.size, &o.lns, bs->src);
		B.traffic_pkts++;
	}
	txq_flush(&B.tx);
}

static void
prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	reap();
	if (!B.setup_done)
		pump(time_now_ms());
	txq_flush(&B.tx);
	rearm_timer();
	if (!B.setup_done && B.next == o.sessions && B.inflight == 0) {
		B.setup_done = true;
		B.t_done = now_s();
		ev_break(B.loop, EVBREAK_ALL);
	}
}

static void
phase_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

static void
run_for(double secs)
{
	ev_timer_set(&B.phase_w, secs, 0.0);
	ev_timer_start(B.loop, &B.phase_w);
	ev_run(B.loop, 0);
	ev_timer_stop(B.loop, &B.phase_w);
}

static void
fill_ids(void)
{
	for (unsigned i = 0; i < o.sessions; i++) {
		struct bsess *bs = &B.sess[i];
		struct l2tp_session_info si;
		struct l2tp_tunnel_info ti;

		if (bs->state != BS_UP || bs->s == NULL)
			continue;
		l2tp_session_get_info(bs->s, &si);
		l2tp_tunnel_get_info(l2tp_session_tunnel(bs->s), &ti);
		bs->peer_tunnel = ti.peer_id;
		bs->peer_session = si.peer_id;
		if (o.has_dst6 &&
		    bench6_udp_hdr(bs->v6, o.dst6.sin6_addr.s6_addr,
			ntohs(o.dst6.sin6_port), o.size) < 0)
			fatalx("IPv6 header of %u bytes", o.size);
		if (ti.local.ss.ss_family == AF_INET)
			bs->src = ((const struct sockaddr_in *)(const void *)&ti
				       .local.ss)
				      ->sin_addr.s_addr;
	}
}

static void
report_setup(const char *phase, double secs, FILE *csv)
{
	bench_report(&o, &B.t, phase, secs, csv);
}

/* --ipv6: the first session's address and delegated prefix, for the
 * bench script's downstream traffic and its note. */
static void
report_v6(void)
{
	char a[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < o.sessions; i++) {
		const struct bench6 *v6 = B.sess[i].v6;

		if (B.sess[i].state != BS_UP || v6 == NULL || !v6->ready)
			continue;
		if (inet_ntop(AF_INET6, v6->addr, a, sizeof(a)) != NULL)
			printf("ipv6.first=%s\n", a);
		if (v6->have_lease &&
		    inet_ntop(AF_INET6, v6->lease.prefix, a, sizeof(a)) != NULL)
			printf("ipv6.first_pd=%s/%u\n", a, v6->lease.plen);
		break;
	}
	fflush(stdout);
}

/* --ipv6: IPv6 packets delivered to the sessions over the whole run
 * (neither RA nor DHCPv6): the downstream traffic that reached them. */
static void
report_v6_rx(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < o.sessions; i++)
		if (B.sess[i].v6 != NULL)
			n += B.sess[i].v6->rx_data;
	printf("ipv6.rx=%llu\n", (unsigned long long)n);
	fflush(stdout);
}

static void
close_all_tunnels(uint64_t now)
{
	for (unsigned i = 0; i < o.tunnels; i++)
		if (B.tun[i] != NULL)
			l2tp_tunnel_close(B.tun[i], L2TP_STOPCCN_GENERAL, 0,
			    "bench storm", now);
}

static int
mode_l2tp(void)
{
	struct l2tp_host_config hc;
	FILE *csv = NULL;
	int fd;

	if (o.lns.sin_family != AF_INET || (o.has_dst6 && !o.ipv6))
		usage();
	signal(SIGPIPE, SIG_IGN);
	B.loop = EV_DEFAULT;
	heap_init(&B.timers);
	B.sess = calloc(o.sessions, sizeof(*B.sess));
	B.tun = calloc(o.tunnels, sizeof(struct l2tp_tunnel *));
	if (B.sess == NULL || B.tun == NULL)
		fatalx("out of memory");
	/* Every LAC address shares one socket bound to the wildcard: the
	 * LNS answers each at its own address, and each datagram leaves
	 * from its tunnel's address (IP_PKTINFO, txq_commit). */
	o.bind.sin_family = AF_INET;
	{
		struct sockaddr_in any = o.bind;

		any.sin_addr.s_addr = htonl(INADDR_ANY);
		fd = udp_socket(&any);
	}
	if (fd < 0)
		fatal("udp socket");
	B.tx.fd = fd;
	l2tp_host_config_defaults(&hc);
	strlcpy(hc.hostname, "vpdn-bench", sizeof(hc.hostname));
	strlcpy(hc.vendor_name, "vpdn", sizeof(hc.vendor_name));
	hc.receive_window = 1024;
	hc.max_tunnels = o.tunnels * 2 + 2;
	hc.max_sessions = o.sessions * 2 + 2;
	hc.hello_interval_ms = 0;
	hc.session_setup_ms = o.timeout_s * 1000;
	B.host = l2tp_host_new(&hc, &host_ops, NULL);
	if (B.host == NULL)
		fatalx("l2tp_host_new");
	if (o.csv != NULL && (csv = fopen(o.csv, "a")) == NULL)
		fatal("%s", o.csv);

	ev_io_init(&B.rx_w, rx_cb, fd, EV_READ);
	ev_io_start(B.loop, &B.rx_w);
	ev_init(&B.timer_w, timer_cb);
	ev_timer_init(&B.sample_w, sample_cb, 0.0, SAMPLE_MS / 1000.0);
	ev_init(&B.phase_w, phase_cb);
	ev_prepare_init(&B.prep_w, prepare_cb);
	ev_prepare_start(B.loop, &B.prep_w);
	ev_idle_init(&B.traffic_w, traffic_cb);

	B.t0 = now_s();
	ev_timer_start(B.loop, &B.sample_w);
	open_tunnels(time_now_ms());
	run_for(o.timeout_s);
	ev_timer_stop(B.loop, &B.sample_w);
	if (!B.setup_done) {
		B.t_done = now_s();
		count_cause("timeout");
		B.t.failed += o.sessions - B.t.up - B.t.failed;
		B.setup_done = true;
	}
	report_setup("setup", B.t_done - B.t0, csv);
	if (o.ipv6)
		report_v6();

	if (o.hold_s > 0) {
		printf("hold=ready\n");
		fflush(stdout);
		B.setup_done = true;
		run_for(o.hold_s);
		printf("hold.still_up=%u\n", B.t.up - B.down_after_up);
	}

	if (o.traffic_s > 0 && B.t.up > 0) {
		fill_ids();
		B.setup_done = true;
		B.traffic_t0 = now_s();
		ev_idle_start(B.loop, &B.traffic_w);
		ev_run(B.loop, 0);
		double secs = now_s() - B.traffic_t0;

		printf("traffic.size=%u\ntraffic.sent=%llu\ntraffic.tx_errors="
		       "%llu\ntraffic.tx_pps=%.0f\n",
		    o.size, (unsigned long long)B.traffic_pkts,
		    (unsigned long long)B.tx.errors,
		    (B.traffic_pkts - B.tx.errors) / secs);
		fflush(stdout);
	}

	if (o.storm) {
		unsigned prev_up = B.t.up;
		double t;

		/* Every session dropped at once (StopCCN on every tunnel),
		 * then every one redialled on fresh tunnels. */
		close_all_tunnels(time_now_ms());
		B.round = 1;
		B.next = B.inflight = B.t.up = B.t.failed = 0;
		memset(B.t.causes, 0, sizeof(B.t.causes));
		B.setup_done = false;
		reap();
		t = now_s();
		B.t0 = t;
		open_tunnels(time_now_ms());
		run_for(o.timeout_s);
		if (!B.setup_done) {
			B.t_done = now_s();
			count_cause("timeout");
			B.t.failed += o.sessions - B.t.up - B.t.failed;
			B.setup_done = true;
		}
		printf("storm.dropped=%u\n", prev_up);
		report_setup("storm", B.t_done - t, csv);
	}

	if (o.ipv6)
		report_v6_rx();
	bench_write_series(&o, &B.t, B.t_done - B.t0);
	if (csv != NULL)
		fclose(csv);
	/* Leave without CDNs: the LNS finds out by Hello/echo or is killed
	 * by the bench script; exit fast either way. */
	return B.t.failed == 0 ? 0 : 1;
}

/* ---- codec mode ---- */

static double
codec_round(unsigned tunnels, unsigned sessions)
{
	/* clang-format off */
	static const enum l2tp_msg_type tmsgs[] = {
		L2TP_MSG_SCCRQ, L2TP_MSG_SCCRP, L2TP_MSG_SCCCN,
	};
	/* clang-format on */
	/* clang-format off */
	static const enum l2tp_msg_type smsgs[] = {
		L2TP_MSG_ICRQ, L2TP_MSG_ICRP, L2TP_MSG_ICCN,
	};
	/* clang-format on */
	/* The PPP frames of one LCP/CHAP-MD5/IPCP exchange, both ways:
	 * LCP Req/Ack x2, CHAP Challenge/Response/Success, IPCP Req x2,
	 * Nak, Req, Ack x2 — each wrapped in a data header and parsed. */
	enum { PPP_FRAMES = 12 };
	uint8_t out[1024], frame[64 + DATA_HDR_MAX];
	struct l2tp_msg m, d;
	struct l2tp_err err;
	struct data_hdr dh;
	double t = now_s();
	size_t n;

	for (unsigned s = 0; s < sessions; s++) {
		bool new_tunnel = s < tunnels;

		for (unsigned k = 0; k < (new_tunnel ? 6u : 3u); k++) {
			enum l2tp_msg_type type = k < 3 && new_tunnel ?
			    tmsgs[k] :
			    smsgs[k % 3];

			l2tp_msg_init(&m, type, (uint16_t)(1 + s % 100),
			    type == L2TP_MSG_ICRQ ? 0 : (uint16_t)(s + 1));
			if (type == L2TP_MSG_SCCRQ || type == L2TP_MSG_SCCRP) {
				l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
				m.proto_ver = 1;
				l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
				strlcpy(m.host_name, "vpdn-bench",
				    sizeof(m.host_name));
				l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
				m.framing_cap = 3;
				l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
				m.assigned_tunnel_id = (uint16_t)(s + 1);
				l2tp_msg_set(&m, L2TP_AVP_RECEIVE_WINDOW_SIZE);
				m.receive_window = 1024;
			} else if (type == L2TP_MSG_ICRQ) {
				l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
				m.assigned_session_id = (uint16_t)(s + 1);
				l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
				m.call_serial = s;
				l2tp_msg_set(&m, L2TP_AVP_BEARER_TYPE);
				m.bearer_type = L2TP_BEARER_DIGITAL;
				l2tp_msg_set(&m, L2TP_AVP_CALLING_NUMBER);
				strlcpy(m.calling_number, "bench-1",
				    sizeof(m.calling_number));
			} else if (type == L2TP_MSG_ICRP) {
				l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
				m.assigned_session_id = (uint16_t)(s + 1);
			} else if (type == L2TP_MSG_ICCN) {
				l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
				m.tx_connect_speed = 100000000;
				l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
				m.framing_type = L2TP_FRAMING_SYNC;
			}
			n = l2tp_msg_encode(&m, NULL, false, out, sizeof(out));
			if (n == 0 ||
			    l2tp_msg_decode(out, n, NULL, &d, &err) != L2TP_OK)
				fatalx("codec: %s does not round-trip",
				    l2tp_msg_type_str(type));
		}
		for (unsigned k = 0; k < PPP_FRAMES; k++) {
			uint8_t *p = data_hdr_push(frame + DATA_HDR_MAX,
			    DATA_HDR_MAX, 1, (uint16_t)(s + 1), NULL, false);
			size_t len = (size_t)(frame + DATA_HDR_MAX - p) + 40;

			if (p == NULL ||
			    data_hdr_parse(p, len, &dh) != DATA_HDR_OK)
				fatalx("codec: data header");
		}
	}
	return now_s() - t;
}

static int
mode_codec(void)
{
	double secs = codec_round(o.tunnels, o.sessions);

	printf("codec.sessions=%u\ncodec.tunnels=%u\ncodec.seconds=%.4f\n"
	       "codec.rate=%.0f\n",
	    o.sessions, o.tunnels, secs, secs > 0 ? o.sessions / secs : 0.0);
	return 0;
}

/* ---- udp / sink / tunfwd ---- */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
mode_udp(void)
{
	struct txq *q = calloc(1, sizeof(*q));
	struct sockaddr_in dst = o.dst;
	uint32_t src = o.bind.sin_addr.s_addr;
	double t0, t;
	uint64_t n = 0;

	if (q == NULL || o.traffic_s == 0 || dst.sin_family != AF_INET)
		usage();
	o.bind.sin_family = AF_INET;
	if ((q->fd = udp_socket(&o.bind)) < 0)
		fatal("udp socket");
	/* Same IP datagram size as through the LNS: payload = size - 28. */
	t0 = now_s();
	while ((t = now_s()) - t0 < o.traffic_s) {
		for (int k = 0; k < TX_BATCH; k++) {
			uint8_t *p = txq_slot(q);

			memset(p, 0, 16);
			txq_commit(q, o.size - 28, &dst, 0);
			n++;
		}
		txq_flush(q);
	}
	(void)src;
	printf("udp.size=%u\nudp.sent=%llu\nudp.tx_errors=%llu\n"
	       "udp.tx_pps=%.0f\n",
	    o.size, (unsigned long long)n, (unsigned long long)q->errors,
	    (n - q->errors) / (t - t0));
	close(q->fd);
	free(q);
	return 0;
}

static int
mode_sink(void)
{
	static uint8_t bufs[64][2048];
	struct mmsghdr msg[64];
	struct iovec iov[64];
	double first = 0, last = 0;
	uint64_t n = 0, bytes = 0;
	int fd;

	o.bind.sin_family = AF_INET;
	fd = udp_socket(&o.bind);
	if (fd < 0)
		fatal("sink socket");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("sink=ready\n");
	fflush(stdout);
	while (!stop) {
		int r;

		for (int i = 0; i < 64; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&msg[i], 0, sizeof(msg[i]));
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(fd, msg, 64, MSG_DONTWAIT, NULL);
		if (r <= 0) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };

			(void)poll(&pf, 1, 100);
			continue;
		}
		last = now_s();
		if (n == 0)
			first = last;
		n += (unsigned)r;
		for (int i = 0; i < r; i++)
			bytes += msg[i].msg_len;
	}
	printf("sink.packets=%llu\nsink.bytes=%llu\nsink.seconds=%.3f\n"
	       "sink.pps=%.0f\nsink.gbps=%.3f\n",
	    (unsigned long long)n, (unsigned long long)bytes, last - first,
	    last > first ? n / (last - first) : 0.0,
	    last > first ? (bytes + n * 28.0) * 8 / (last - first) / 1e9 : 0);
	return 0;
}

static int
mode_tunfwd(void)
{
	static uint8_t bufs[64][2048];
	struct tun_pkt pkts[64];
	struct tun a, b;
	uint64_t n = 0;

	if (o.tun_a == NULL || o.tun_b == NULL)
		usage();
	if (tun_open(&a, o.tun_a) < 0 || tun_open(&b, o.tun_b) < 0 ||
	    tun_set_up(&a) < 0 || tun_set_up(&b) < 0)
		fatal("tun");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("tunfwd=ready\n");
	fflush(stdout);
	while (!stop) {
		int r;

		for (int i = 0; i < 64; i++) {
			pkts[i].buf = bufs[i];
			pkts[i].cap = sizeof(bufs[i]);
		}
		r = tun_read_batch(&a, pkts, 64);
		if (r <= 0) {
			struct pollfd pf = { .fd = a.fd, .events = POLLIN };

			(void)poll(&pf, 1, 100);
			continue;
		}
		for (int i = 0; i < r; i++)
			(void)tun_write(&b, pkts[i].buf, pkts[i].len);
		n += (unsigned)r;
	}
	printf("tunfwd.packets=%llu\n", (unsigned long long)n);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	log_init("vpdn-bench", LOG_LEVEL_WARN, false);
	parse_opts(argc, argv);
	if (strcmp(argv[1], "l2tp") == 0)
		return mode_l2tp();
	if (strcmp(argv[1], "pppoe") == 0) {
		if (o.interface == NULL)
			usage();
		return bench_pppoe(&o);
	}
	if (strcmp(argv[1], "codec") == 0)
		return mode_codec();
	if (strcmp(argv[1], "udp") == 0)
		return mode_udp();
	if (strcmp(argv[1], "sink") == 0)
		return mode_sink();
	if (strcmp(argv[1], "tunfwd") == 0)
		return mode_tunfwd();
	if (strcmp(argv[1], "udp6") == 0) {
		if (!o.has_dst6)
			usage();
		return bench6_mode_udp(&o.dst6, o.has_bind6 ? &o.bind6 : NULL,
		    o.traffic_s, o.size);
	}
	if (strcmp(argv[1], "sink6") == 0) {
		if (!o.has_bind6)
			usage();
		return bench6_mode_sink(&o.bind6);
	}
	usage();
	return 2;
}
