/*
 * bench_pppoe.c — vpdn-bench pppoe: N emulated PPPoE hosts on one Ethernet
 * interface against an access concentrator (vpdnd as LAC).
 *
 * Host i has its own locally administered unicast MAC 02:b0:00:xx:xx:xx
 * (xx = i + 1; IEEE 802: bit 1 of the first octet set = local, bit 0 clear
 * = unicast), used as the Ethernet source of its frames.  All hosts share
 * the project's two AF_PACKET sockets (pppoe_sock) of the interface; a
 * packet socket also receives frames for other MACs (PACKET_OTHERHOST),
 * so what the AC sends to host i is handed to host i by its destination
 * MAC, an index, no search.  Each host runs the project's PPPoE discovery
 * client (RFC 2516 §5, pppoe_client) and then the project's ppp_link,
 * client side (LCP -> CHAP-MD5 -> IPCP), on one libev loop.  At most
 * --window hosts are in setup at once; deadlines of both state machines
 * sit in one heap (core/heap.h), one node per host.
 *
 * Leaves without PADT, like the l2tp mode leaves without CDN: the bench
 * script kills the daemons; --hangup sends a PADT from every host first.
 *
 * Users that come back (--redial, for the failover figure of
 * bench/cluster.sh): a host that loses its session (PADT from the AC, LCP
 * Terminate-Request, LCP echo failure) or fails a redial dials again after
 * the back-off of vpdnd's own client (bench_redial.h), outside the setup
 * window and tally.  Each outage is recorded (bench_redial.c): when the
 * session went down and when IPCP was open again.  SIGUSR1 starts a new
 * window of outages measured from that moment (the script sends it as it
 * kills an LNS) and prints the window it closes; the last one is printed
 * at the end (SIGTERM/SIGINT end the hold early).  --user/--password may
 * carry "%u", the host's number from 1: one user name per host.
 */
#include <errno.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "cmd/bench.h"
#include "cmd/bench_redial.h"
#include "core/heap.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "ppp/link.h"
#include "pppoe/pppoe_client.h"
#include "pppoe/pppoe_codec.h"
#include "pppoe/pppoe_sock.h"

#define SAMPLE_MS      50
#define STATUS_MS      250
#define RX_BUDGET      256	 /* frames per socket per wakeup */
#define MAX_HOSTS      0xfffffeu /* 24 bits of MAC, 0 not used */
#define SOCK_BUF       (8 << 20)
/* PPPoE header and the PPP protocol field inside the Ethernet MTU. */
#define PPP_OVER_PPPOE (PPPOE_HDR_LEN + 2)

static const uint8_t mac_prefix[3] = { 0x02, 0xb0, 0x00 };

enum ph_state {
	PH_IDLE,      /* not started yet */
	PH_DISCOVERY, /* PADI/PADO/PADR/PADS */
	PH_PPP,	      /* session up: LCP, CHAP, IPCP */
	PH_UP,	      /* IPCP opened */
	PH_DOWN,      /* failed or dropped */
	PH_WAIT,      /* --redial: waiting for the next attempt */
};

static const char *
ph_state_str(enum ph_state st)
{
	switch (st) {
	/* clang-format off */
	case PH_IDLE:		return "not started";
	case PH_DISCOVERY:	return "discovery";
	case PH_PPP:		return "ppp";
	case PH_UP:		return "up";
	case PH_DOWN:		return "down";
	case PH_WAIT:		return "waiting to redial";
		/* clang-format on */
	}
	return "unknown";
}

struct phost {
	enum ph_state state;
	struct pppoe_client *pc;
	struct ppp_link *link;
	struct heap_node hn;
	bool reaping;
	/* this attempt is a redial: outside the setup tally and window */
	bool redialing;
	unsigned backoff_ms;
	uint64_t redial_at;
	struct phost *next_dead;
};

struct pbench {
	const struct bench_opts *o;
	struct ev_loop *loop;
	struct pppoe_sock sock;
	ev_io disc_w, ses_w;
	ev_timer timer_w, sample_w, phase_w, status_w;
	ev_prepare prep_w;
	ev_signal term_w, int_w;
	ev_async usr1_w;
	struct heap timers;
	struct phost *hosts;
	struct phost *dead; /* pc/link to free outside callbacks */
	unsigned next, inflight, down_after_up;
	uint16_t mru;
	double t0, t_done;
	bool setup_done;
	uint64_t tx_errors;
	struct bench_tally t;
	/* --redial */
	bool per_host;	 /* %u in --user or --password */
	bool stopping;	 /* SIGTERM/SIGINT: no more redials */
	unsigned up_now; /* hosts with IPCP open now */
	unsigned window; /* SIGUSR1s so far */
	int64_t real_minus_mono_ms;
	struct bench_outages out;
};

static struct pbench P;

static unsigned
ph_index(const struct phost *ph)
{
	return (unsigned)(ph - P.hosts);
}

static void
ph_mac(unsigned idx, uint8_t mac[PPPOE_MAC_LEN])
{
	uint32_t n = idx + 1;

	memcpy(mac, mac_prefix, sizeof(mac_prefix));
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

/* The host a received frame is for (its destination MAC), or NULL. */
static struct phost *
ph_of_frame(const uint8_t *frame, size_t len)
{
	uint32_t n;

	if (len < PPPOE_ETH_HDR_LEN ||
	    memcmp(frame, mac_prefix, sizeof(mac_prefix)) != 0)
		return NULL;
	n = (uint32_t)frame[3] << 16 | (uint32_t)frame[4] << 8 | frame[5];
	if (n == 0 || n > P.next)
		return NULL;
	return &P.hosts[n - 1];
}

static void
ph_rearm(struct phost *ph)
{
	uint64_t d = TIME_NEVER;

	if (ph->state == PH_WAIT && !ph->reaping) {
		d = ph->redial_at;
	} else if (!ph->reaping) {
		if (ph->pc != NULL)
			d = time_min(d, pppoe_client_next_deadline(ph->pc));
		if (ph->link != NULL)
			d = time_min(d, ppp_link_next_deadline(ph->link));
	}
	if (d == TIME_NEVER) {
		if (heap_node_queued(&ph->hn))
			heap_remove(&P.timers, &ph->hn);
		return;
	}
	if (heap_set(&P.timers, &ph->hn, d) < 0)
		fatalx("out of memory");
}

/* Free pc and link from the loop: we may be inside their callbacks. */
static void
ph_kill(struct phost *ph)
{
	if (ph->reaping)
		return;
	ph->reaping = true;
	ph->next_dead = P.dead;
	P.dead = ph;
	if (heap_node_queued(&ph->hn))
		heap_remove(&P.timers, &ph->hn);
}

static void
reap(void)
{
	while (P.dead != NULL) {
		struct phost *ph = P.dead;

		P.dead = ph->next_dead;
		if (ph->link != NULL)
			ppp_link_free(ph->link);
		if (ph->pc != NULL)
			pppoe_client_free(ph->pc);
		ph->link = NULL;
		ph->pc = NULL;
		if (ph->state == PH_WAIT) {
			ph->reaping = false;
			ph_rearm(ph);
		}
	}
}

/* A host lost its session or its attempt failed (state already PH_DOWN;
 * was: the state before): with --redial it waits for its next attempt, an
 * outage open from now if it had IPCP open. */
static void
host_lost(struct phost *ph, enum ph_state was, uint64_t now)
{
	if (was == PH_UP && P.up_now > 0)
		P.up_now--;
	if (!P.o->redial || P.stopping)
		return;
	if (was == PH_UP && bench_outage_down(&P.out, ph_index(ph), now) < 0)
		fatalx("out of memory");
	ph->backoff_ms = bench_redial_backoff(ph->backoff_ms);
	ph->redial_at = now + ph->backoff_ms;
	ph->state = PH_WAIT;
}

/* A host left setup: success or failure. */
static void
setup_ended(struct phost *ph, bool ok, const char *why)
{
	/* After a timeout the stragglers were counted as failed: one that
	 * comes up during the hold must not count twice. */
	if (ph->redialing || P.setup_done ||
	    (ph->state != PH_DISCOVERY && ph->state != PH_PPP))
		return;
	P.inflight--;
	if (ok) {
		ph->state = PH_UP;
		P.t.up++;
	} else {
		ph->state = PH_DOWN;
		P.t.failed++;
		bench_cause(&P.t, why);
	}
}

/* ---- ppp_link, client side ---- */

/* The client of host number n (from 1): --user and --password with %u
 * replaced by n (checked to fit by bench_pppoe before any host starts). */
static void
host_ppp_config(struct ppp_link_config *lc, unsigned n)
{
	char pw[sizeof(lc->client.password) + 1];

	bench_ppp_client_config(lc, P.o, P.mru, true);
	if (bench_expand(P.o->user, n, lc->client.user,
		sizeof(lc->client.user)) < 0 ||
	    bench_expand(P.o->user, n, lc->our_name, sizeof(lc->our_name)) <
		0 ||
	    bench_expand(P.o->password, n, pw, sizeof(pw)) < 0)
		fatalx("pppoe: --user/--password of host %u too long", n);
	lc->client.password_len = strlen(pw);
	memcpy(lc->client.password, pw, lc->client.password_len);
	explicit_bzero(pw, sizeof(pw));
}

static int
link_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct phost *ph = ctx;

	return ph->pc != NULL ? pppoe_client_send(ph->pc, frame, len) : -1;
}

static void
link_network_up(void *ctx, uint32_t local, uint32_t peer, const uint32_t dns[2],
    unsigned dns_count, uint64_t now)
{
	struct phost *ph = ctx;

	(void)local;
	(void)peer;
	(void)dns;
	(void)dns_count;
	if (ph->redialing) {
		if (ph->state != PH_PPP)
			return;
		ph->state = PH_UP;
		bench_outage_up(&P.out, ph_index(ph), now);
	} else {
		if (ph->state == PH_UP)
			return; /* IPCP again after an LCP renegotiation */
		setup_ended(ph, true, NULL);
		if (ph->state != PH_UP)
			return; /* after the setup timeout: not counted */
	}
	ph->backoff_ms = 0;
	P.up_now++;
}

static void
link_down(void *ctx, const char *reason, uint64_t now)
{
	struct phost *ph = ctx;
	enum ph_state was = ph->state;
	char why[64];

	snprintf(why, sizeof(why), "ppp: %s", reason);
	if (ph->state == PH_UP)
		P.down_after_up++;
	setup_ended(ph, false, why);
	ph->state = PH_DOWN;
	/* RFC 2516 §5.5: PADT ends the session; no callback follows. */
	if (ph->pc != NULL)
		pppoe_client_close(ph->pc, "ppp down");
	host_lost(ph, was, now);
	ph_kill(ph);
}

static const struct ppp_link_ops link_ops = {
	.send = link_send,
	.network_up = link_network_up,
	.down = link_down,
};

/* ---- pppoe_client ---- */

static int
pc_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	if (pppoe_sock_send(&P.sock, frame, len) < 0) {
		/* ENOBUFS: lost, as on a congested segment; the state
		 * machines retransmit. */
		P.tx_errors++;
		return -1;
	}
	return 0;
}

static void
pc_up(void *ctx, uint16_t session_id, const uint8_t ac_mac[PPPOE_MAC_LEN],
    uint64_t now)
{
	/* Every host's client is alike: one configuration for all, as a
	 * role shares one among its links; kept until exit. */
	static struct ppp_link_conf *conf;
	struct phost *ph = ctx;
	const struct bench_opts *o = P.o;
	struct ppp_link_config lc;

	(void)session_id;
	(void)ac_mac;
	if (ph->state != PH_DISCOVERY)
		return;
	ph->state = PH_PPP;
	/* The same client as the l2tp mode's (vpdn-bench.c host_session_up),
	 * with RFC 2516 §7's LCP rules and MRU. */
	if (P.per_host) {
		/* One name per host: a configuration of its own, dropped
		 * once the link holds it. */
		struct ppp_link_conf *own;

		host_ppp_config(&lc, ph_index(ph) + 1);
		own = ppp_link_conf_new(&lc);
		explicit_bzero(&lc, sizeof(lc));
		ph->link = own != NULL ?
		    ppp_link_create(own, NULL, &link_ops, ph, NULL, now) :
		    NULL;
		ppp_link_conf_drop(own);
	} else {
		if (conf == NULL) {
			bench_ppp_client_config(&lc, o, P.mru, true);
			conf = ppp_link_conf_new(&lc);
			explicit_bzero(&lc, sizeof(lc));
		}
		ph->link = conf != NULL ?
		    ppp_link_create(conf, NULL, &link_ops, ph, NULL, now) :
		    NULL;
	}
	if (ph->link == NULL) {
		setup_ended(ph, false, "no memory for PPP");
		pppoe_client_close(ph->pc, "out of memory");
		ph_kill(ph);
		return;
	}
	/* The session exists once the PADS is sent (§5.4): the AC starts
	 * LCP then, and so do we. */
	ppp_link_start(ph->link, now);
}

static void
pc_down(void *ctx, const char *reason, uint64_t now)
{
	struct phost *ph = ctx;
	enum ph_state was = ph->state;
	char why[64];

	snprintf(why, sizeof(why), "pppoe: %s", reason);
	if (ph->state == PH_UP)
		P.down_after_up++;
	setup_ended(ph, false, why);
	ph->state = PH_DOWN;
	host_lost(ph, was, now);
	ph_kill(ph);
}

static void
pc_data(void *ctx, const uint8_t *ppp, size_t len, uint64_t now)
{
	struct phost *ph = ctx;

	if (ph->link != NULL && !ph->reaping)
		ppp_link_input(ph->link, ppp, len, now);
}

static const struct pppoe_client_ops pc_ops = {
	.send_frame = pc_send_frame,
	.up = pc_up,
	.down = pc_down,
	.data = pc_data,
};

/* ---- the loop ---- */

/* Starts discovery for ph; NULL, or why it could not. */
static const char *
host_dial(struct phost *ph, uint64_t now)
{
	struct pppoe_client_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	ph_mac(ph_index(ph), cfg.mac);
	cfg.service_name = ""; /* §5.1: any service */
	cfg.padi_tries = P.o->padi_tries;
	ph->state = PH_DISCOVERY;
	ph->pc = pppoe_client_new(&cfg, &pc_ops, ph);
	if (ph->pc == NULL)
		return "no memory for PPPoE";
	if (pppoe_client_start(ph->pc, now) < 0) {
		ph_kill(ph);
		return "pppoe: start refused";
	}
	ph_rearm(ph);
	return NULL;
}

static void
pump(uint64_t now)
{
	const struct bench_opts *o = P.o;

	while (P.inflight < o->window && P.next < o->sessions) {
		struct phost *ph = &P.hosts[P.next++];
		const char *why;

		memset(ph, 0, sizeof(*ph));
		heap_node_init(&ph->hn);
		P.inflight++;
		if ((why = host_dial(ph, now)) != NULL)
			setup_ended(ph, false, why);
	}
}

/* --redial: ph's wait is over. */
static void
host_redial(struct phost *ph, uint64_t now)
{
	ph->redialing = true;
	if (host_dial(ph, now) != NULL) {
		ph->state = PH_DOWN;
		host_lost(ph, PH_DOWN, now);
		if (!ph->reaping)
			ph_rearm(ph);
	}
}

/* Another frame is queued on fd. */
static bool
pending(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

static void drain_disc(void);

/* Up to `budget` frames from fd; false once it is drained. */
static bool
rx(int fd, uint8_t *buf, size_t cap, unsigned budget)
{
	for (unsigned k = 0; k < budget; k++) {
		ssize_t n = pppoe_sock_read(&P.sock, fd, buf, cap);
		struct phost *ph;

		if (n < 0 && errno == EMSGSIZE)
			continue; /* not PPPoE as we know it */
		if (n == 0 && pending(fd))
			continue; /* our own copy, more behind it */
		if (n <= 0)
			return false;
		ph = ph_of_frame(buf, (size_t)n);
		if (ph == NULL || ph->pc == NULL || ph->reaping)
			continue;
		if (fd == pppoe_sock_fd_ses(&P.sock) &&
		    ph->state == PH_DISCOVERY) {
			drain_disc(); /* its PADS is queued there */
			if (ph->reaping)
				continue;
		}
		pppoe_client_input(ph->pc, buf, (size_t)n, time_now_ms());
		ph_rearm(ph);
	}
	return true;
}

/*
 * The AC sends its PADS (discovery socket) before its first LCP
 * Configure-Request (session socket); a host that saw the LCP frame first
 * would drop it and wait 3 s for the retransmission.  With two queues the
 * order is kept by reading the discovery queue first, and again when a
 * session frame comes for a host still in discovery (the PADS arrived
 * after the last drain).  A real host's one interface sees them in order.
 */
static void
drain_disc(void)
{
	/* Not rx_cb's buffer: rx() of the session socket may call us
	 * while its frame is still in there. */
	static uint8_t buf[PPPOE_FRAME_MAX + 64];

	while (rx(pppoe_sock_fd_disc(&P.sock), buf, sizeof(buf), RX_BUDGET))
		;
}

static void
rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	static uint8_t buf[PPPOE_FRAME_MAX + 64];

	(void)loop;
	(void)w;
	(void)revents;
	drain_disc();
	(void)rx(pppoe_sock_fd_ses(&P.sock), buf, sizeof(buf), RX_BUDGET);
}

static void
timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	uint64_t now = time_now_ms();
	struct heap_node *m;

	(void)loop;
	(void)w;
	(void)revents;
	while ((m = heap_min(&P.timers)) != NULL && m->key <= now) {
		struct phost *ph = (struct phost *)(void *)((char *)m -
		    offsetof(struct phost, hn));

		heap_remove(&P.timers, m);
		if (ph->state == PH_WAIT) {
			if (P.stopping)
				continue;
			host_redial(ph, now);
			continue;
		}
		if (ph->pc != NULL)
			pppoe_client_timeout(ph->pc, now);
		if (ph->link != NULL && !ph->reaping)
			ppp_link_timeout(ph->link, now);
		ph_rearm(ph);
	}
}

static void
rearm_timer(void)
{
	struct heap_node *m = heap_min(&P.timers);
	uint64_t now = time_now_ms();

	ev_timer_stop(P.loop, &P.timer_w);
	if (m == NULL)
		return;
	ev_timer_set(&P.timer_w,
	    m->key > now ? (double)(m->key - now) / 1000.0 : 0.0, 0.0);
	ev_timer_start(P.loop, &P.timer_w);
}

static void
sample_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	bench_sample(&P.t, bench_now_s() - P.t0);
}

static void
prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	(void)w;
	(void)revents;
	reap();
	if (!P.setup_done)
		pump(time_now_ms());
	rearm_timer();
	if (!P.setup_done && P.next == P.o->sessions && P.inflight == 0) {
		P.setup_done = true;
		P.t_done = bench_now_s();
		ev_break(loop, EVBREAK_ALL);
	}
}

/* ---- --redial: the outage windows, the status file, the end ---- */

static void
print_dist(const char *prefix, const char *what, const struct bench_dist *d)
{
	printf("%s.%s_min=%.2f\n%s.%s_median=%.2f\n%s.%s_p90=%.2f\n"
	       "%s.%s_p99=%.2f\n%s.%s_max=%.2f\n",
	    prefix, what, d->min, prefix, what, d->median, prefix, what, d->p90,
	    prefix, what, d->p99, prefix, what, d->max);
}

/* windowK.* lines: the hosts that lost their session since the K-th
 * SIGUSR1 (0: since the start), when the first and the last of them lost
 * it, the times from the mark to IPCP open again ("since") and each
 * host's own outage. */
static void
print_window(size_t end)
{
	struct bench_window w;
	char prefix[32];

	if (bench_outages_window(&P.out, end, &w) < 0)
		fatalx("out of memory");
	snprintf(prefix, sizeof(prefix), "window%u", P.window);
	printf("%s.down=%u\n%s.back=%u\n%s.pending=%u\n%s.all_back_s=%.2f\n",
	    prefix, w.down, prefix, w.back, prefix, w.pending, prefix,
	    w.all_back_s);
	printf("%s.first_down_s=%.2f\n%s.last_down_s=%.2f\n", prefix,
	    w.first_down_s, prefix, w.last_down_s);
	print_dist(prefix, "since", &w.since);
	print_dist(prefix, "outage", &w.outage);
	fflush(stdout);
}

/* --status: "up=U down=D back=B pending=P window=K" of now, replaced
 * whole (rename) so that a reader never sees half a line. */
static void
write_status(void)
{
	struct bench_window w;
	char tmp[4096];
	FILE *f;

	if (P.o->status == NULL ||
	    bench_outages_window(&P.out, P.out.n, &w) < 0)
		return;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", P.o->status) >=
	    sizeof(tmp))
		return;
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fprintf(f, "up=%u down=%u back=%u pending=%u window=%u\n", P.up_now,
	    w.down, w.back, w.pending, P.window);
	if (fclose(f) == 0)
		(void)rename(tmp, P.o->status);
}

static void
status_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	write_status();
}

/*
 * SIGUSR1: a new window from the moment the signal arrived.  The handler
 * notes the time and wakes the loop; by the time the loop gets to it,
 * frames that arrived with the signal (a LAC stopped right after it: its
 * PADTs) may have been handled already, and bench_outages_mark moves
 * those outages into the new window by their time.
 */
static volatile sig_atomic_t usr1_seen;
static uint64_t usr1_at;

static void
usr1_handler(int sig)
{
	(void)sig;
	if (!usr1_seen) {
		usr1_at = time_now_ms();
		usr1_seen = 1;
	}
	ev_async_send(P.loop, &P.usr1_w);
}

static void
usr1_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	uint64_t at;

	(void)loop;
	(void)w;
	(void)revents;
	if (!usr1_seen)
		return;
	at = usr1_at;
	print_window(bench_outages_start_of(&P.out, at));
	P.window++;
	bench_outages_mark(&P.out, at);
	usr1_seen = 0;
	printf("window=%u\n", P.window);
	fflush(stdout);
	write_status();
}

static void
stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)w;
	(void)revents;
	P.stopping = true;
	ev_break(loop, EVBREAK_ALL);
}

/* A time of the monotonic clock as seconds since the epoch. */
static double
real_s(uint64_t mono_ms)
{
	return (double)((int64_t)mono_ms + P.real_minus_mono_ms) / 1000.0;
}

/* --records: "host user down up" a line for every outage, the times in
 * seconds since the epoch (up 0: not back). */
static void
write_records(void)
{
	FILE *f;
	char user[AUTH_MAX_NAME];

	if (P.o->records == NULL)
		return;
	if ((f = fopen(P.o->records, "w")) == NULL)
		fatal("%s", P.o->records);
	fprintf(f, "# host user down up\n");
	for (size_t i = 0; i < P.out.n; i++) {
		const struct bench_outage *r = &P.out.v[i];
		double down = real_s(r->down_ms);
		double up = r->up_ms == 0 ? 0.0 : real_s(r->up_ms);

		if (bench_expand(P.o->user, r->host + 1, user, sizeof(user)) <
		    0)
			strlcpy(user, "?", sizeof(user));
		fprintf(f, "%u %s %.3f %.3f\n", r->host + 1, user, down, up);
	}
	fclose(f);
}

/* --hangup: RFC 2516 §5.5, a PADT for every session a host holds. */
static void
hang_up(void)
{
	for (unsigned i = 0; i < P.next; i++) {
		struct phost *ph = &P.hosts[i];

		if (ph->pc != NULL && !ph->reaping)
			pppoe_client_close(ph->pc, "bench ends");
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
	ev_timer_set(&P.phase_w, secs, 0.0);
	ev_timer_start(P.loop, &P.phase_w);
	ev_run(P.loop, 0);
	ev_timer_stop(P.loop, &P.phase_w);
}

/* Setup did not finish in time: every host still in setup, or never
 * started, fails with the stage it was stuck in. */
static void
count_timeouts(void)
{
	const struct bench_opts *o = P.o;
	char why[64];

	for (unsigned i = 0; i < o->sessions; i++) {
		struct phost *ph = &P.hosts[i];
		enum ph_state st = i < P.next ? ph->state : PH_IDLE;

		if ((st != PH_IDLE && st != PH_DISCOVERY && st != PH_PPP) ||
		    (i < P.next && ph->redialing))
			continue;
		snprintf(why, sizeof(why), "timeout in %s", ph_state_str(st));
		P.t.failed++;
		bench_cause(&P.t, why);
	}
}

/* Big queues, and no copy of what we send ourselves (Linux >= 4.20;
 * older kernels: pppoe_sock_read skips them). */
static void
tune_socket(int fd)
{
	int sz = SOCK_BUF, one = 1;

	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

/* Frames the kernel dropped on our sockets (queue full) since the last
 * call: they cost a retransmission, so a figure with drops is ours. */
static unsigned
rx_drops(void)
{
	int fds[2] = { pppoe_sock_fd_disc(&P.sock),
		pppoe_sock_fd_ses(&P.sock) };
	unsigned drops = 0;

	for (int i = 0; i < 2; i++) {
		struct tpacket_stats st;
		socklen_t len = sizeof(st);

		memset(&st, 0, sizeof(st));
		if (getsockopt(fds[i], SOL_PACKET, PACKET_STATISTICS, &st,
			&len) == 0)
			drops += st.tp_drops;
	}
	return drops;
}

int
bench_pppoe(const struct bench_opts *o)
{
	FILE *csv = NULL;

	if (o->sessions > MAX_HOSTS)
		fatalx("pppoe: at most %u hosts (24 bits of MAC)", MAX_HOSTS);
	memset(&P, 0, sizeof(P));
	P.o = o;
	P.per_host = strchr(o->user, '%') != NULL ||
	    strchr(o->password, '%') != NULL;
	if (P.per_host) {
		struct ppp_link_config lc;

		/* the longest names are the last host's: refuse them now */
		host_ppp_config(&lc, o->sessions);
		explicit_bzero(&lc, sizeof(lc));
	}
	if (bench_outages_init(&P.out, o->sessions) < 0)
		fatalx("out of memory");
	{
		struct timespec rt;

		clock_gettime(CLOCK_REALTIME, &rt);
		P.real_minus_mono_ms = (int64_t)rt.tv_sec * 1000 +
		    rt.tv_nsec / 1000000 - (int64_t)time_now_ms();
	}
	signal(SIGPIPE, SIG_IGN);
	if (pppoe_sock_open(&P.sock, o->interface) < 0)
		fatal("pppoe: %s", o->interface);
	tune_socket(P.sock.fd_disc);
	tune_socket(P.sock.fd_ses);
	/* RFC 2516 §7: an MRU of 1492 at most, less on a smaller MTU. */
	if (P.sock.mtu < 576)
		fatalx("pppoe: %s: MTU %u too small", o->interface, P.sock.mtu);
	P.mru = P.sock.mtu - PPP_OVER_PPPOE < PPPOE_PPP_MRU ?
	    (uint16_t)(P.sock.mtu - PPP_OVER_PPPOE) :
	    PPPOE_PPP_MRU;
	P.hosts = calloc(o->sessions, sizeof(*P.hosts));
	if (P.hosts == NULL)
		fatalx("out of memory");
	heap_init(&P.timers);
	if (o->csv != NULL && (csv = fopen(o->csv, "a")) == NULL)
		fatal("%s", o->csv);

	P.loop = EV_DEFAULT;
	ev_io_init(&P.disc_w, rx_cb, pppoe_sock_fd_disc(&P.sock), EV_READ);
	ev_io_init(&P.ses_w, rx_cb, pppoe_sock_fd_ses(&P.sock), EV_READ);
	ev_io_start(P.loop, &P.disc_w);
	ev_io_start(P.loop, &P.ses_w);
	ev_init(&P.timer_w, timer_cb);
	ev_timer_init(&P.sample_w, sample_cb, 0.0, SAMPLE_MS / 1000.0);
	ev_init(&P.phase_w, phase_cb);
	ev_prepare_init(&P.prep_w, prepare_cb);
	ev_prepare_start(P.loop, &P.prep_w);
	ev_timer_init(&P.status_w, status_cb, 0.0, STATUS_MS / 1000.0);
	ev_signal_init(&P.term_w, stop_cb, SIGTERM);
	ev_signal_init(&P.int_w, stop_cb, SIGINT);
	ev_async_init(&P.usr1_w, usr1_cb);
	ev_signal_start(P.loop, &P.term_w);
	ev_signal_start(P.loop, &P.int_w);
	ev_async_start(P.loop, &P.usr1_w);
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = usr1_handler;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		if (sigaction(SIGUSR1, &sa, NULL) < 0)
			fatal("sigaction");
	}
	if (o->status != NULL)
		ev_timer_start(P.loop, &P.status_w);

	P.t0 = bench_now_s();
	ev_timer_start(P.loop, &P.sample_w);
	run_for(o->timeout_s);
	ev_timer_stop(P.loop, &P.sample_w);
	if (!P.setup_done) {
		P.t_done = bench_now_s();
		count_timeouts();
		P.setup_done = true;
	}
	bench_report(o, &P.t, "setup", P.t_done - P.t0, csv);
	printf("setup.tx_errors=%llu\nsetup.rx_drops=%u\n",
	    (unsigned long long)P.tx_errors, rx_drops());
	fflush(stdout);

	if (o->hold_s > 0 && !P.stopping) {
		printf("hold=ready\n");
		fflush(stdout);
		P.setup_done = true;
		write_status();
		run_for(o->hold_s);
		/* with --redial the hosts that went and came back count */
		printf("hold.still_up=%u\n",
		    o->redial ? P.up_now : P.t.up - P.down_after_up);
		fflush(stdout);
	}
	if (o->redial) {
		printf("redial.up_now=%u\n", P.up_now);
		print_window(P.out.n);
		write_records();
	}
	if (o->hangup)
		hang_up();
	P.stopping = true;
	write_status();
	bench_write_series(o, &P.t, P.t_done - P.t0);
	if (csv != NULL)
		fclose(csv);
	bench_outages_free(&P.out);
	return P.t.failed == 0 ? 0 : 1;
}
