/*
 * bench_ipv6.c — vpdn-bench's IPv6: one session's IPv6CP → RA → DHCPv6-PD
 * and the udp6/sink6 baselines (see bench_ipv6.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cmd/bench_ipv6.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "ipv6/dhcpv6_codec.h"
#include "ipv6/ra.h"

#define BENCH6_SPORT 40000
#define BENCH6_BATCH 64
#define BENCH6_BUF   1600

/* ---- one session ---- */

void
bench6_init(struct bench6 *b, enum bench6_pd pd, const struct bench6_ops *ops,
    void *ctx)
{
	memset(b, 0, sizeof(*b));
	b->pd = pd;
	b->ops = ops;
	b->ctx = ctx;
}

static void
check_ready(struct bench6 *b, uint64_t now)
{
	if (b->ready || !b->up || !b->have_addr)
		return;
	if (b->pd != BENCH6_PD_NONE && !b->have_lease)
		return;
	b->ready = true;
	if (b->ops->ready != NULL)
		b->ops->ready(b->ctx, now);
}

/* The DHCPv6 client's messages: from our link-local address, port 546, to
 * All_DHCP_Relay_Agents_and_Servers port 547 (RFC 8415 §7.1, §7.2), as
 * the client role sends them (roles/client_dhcpv6.c). */
static void
pd_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct bench6 *b = ctx;
	uint8_t src[16], pkt[UDP6_HDR_LEN + 1024];
	size_t n;

	ipv6_link_local(src, b->local_id);
	n = udp6_build(src, ipv6_all_dhcp_servers, DHCPV6_CLIENT_PORT,
	    DHCPV6_SERVER_PORT, 255, msg, len, pkt, sizeof(pkt));
	if (n > 0)
		(void)b->ops->send(b->ctx, pkt, n);
}

static void
pd_event(void *ctx, enum dhcpv6_client_event ev,
    const struct dhcpv6_pd_lease *l)
{
	struct bench6 *b = ctx;

	switch (ev) {
	case DHCPV6_EV_BOUND:
	case DHCPV6_EV_RENEWED:
		b->lease = *l;
		b->have_lease = true;
		check_ready(b, b->now);
		break;
	case DHCPV6_EV_LOST:
		b->have_lease = false;
		break;
	}
}

static const struct dhcpv6_client_ops pd_ops = {
	.send = pd_send,
	.event = pd_event,
};

int
bench6_up(struct bench6 *b, const uint8_t local_id[8], uint64_t now)
{
	struct dhcpv6_client_config cfg;

	bench6_down(b);
	memcpy(b->local_id, local_id, 8);
	b->up = true;
	b->now = now;
	if (b->pd == BENCH6_PD_NONE)
		return 0;
	if ((b->dc = calloc(1, sizeof(*b->dc))) == NULL)
		return -1;
	memset(&cfg, 0, sizeof(cfg));
	/* DUID-LL over the IPv6CP identifier, unique on the link by
	 * negotiation (RFC 5072 §4.1), as the client role does; one IA_PD. */
	dhcpv6_duid_ll(&cfg.duid, 0, local_id, 8);
	cfg.iaid = 1;
	cfg.rapid_commit = b->pd == BENCH6_PD_RAPID;
	dhcpv6_client_init(b->dc, &cfg, &pd_ops, b);
	/*
	 * RFC 8415 §18.2.1 delays the first Solicit by up to SOL_MAX_DELAY so
	 * that CPEs powered up together do not all ask at once; the bench
	 * paces its sessions with its window instead, and measures the LNS,
	 * not that wait.  Started as if the link had come up SOL_MAX_DELAY
	 * ago, the Solicit is due now and leaves at once; every later timer
	 * (retransmission, collection of Advertises) is the RFC's.
	 */
	dhcpv6_client_start(b->dc,
	    now > DHCPV6_SOL_MAX_DELAY ? now - DHCPV6_SOL_MAX_DELAY : 0);
	dhcpv6_client_timer(b->dc, now);
	return 0;
}

void
bench6_down(struct bench6 *b)
{
	free(b->dc);
	b->dc = NULL;
	b->up = b->have_addr = b->ready = b->have_lease = false;
	memset(b->addr, 0, sizeof(b->addr));
}

/* RFC 4862 §5.5.3: a Prefix Information option with the A flag and a /64
 * (our interface identifier is 64 bits, RFC 5072 §5) forms
 * prefix + identifier; a valid lifetime of 0 forms nothing (§5.5.3 e). */
static void
ra_input(struct bench6 *b, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct ra_info ri;

	if (ra_parse(pkt, len, &ri) < 0 || !ri.has_prefix || !ri.autonomous ||
	    ri.prefix_len != 64 || ri.valid_lifetime == 0 ||
	    ri.preferred_lifetime > ri.valid_lifetime ||
	    ipv6_is_link_local(ri.prefix))
		return;
	memcpy(b->addr, ri.prefix, 8);
	memcpy(b->addr + 8, b->local_id, 8);
	b->have_addr = true;
	check_ready(b, now);
}

void
bench6_input(struct bench6 *b, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct udp6_view u;

	if (!b->up)
		return;
	b->now = now;
	if (ra_is_icmp6(pkt, len, ICMP6_RA)) {
		ra_input(b, pkt, len, now);
		return;
	}
	/* §7.2: DHCPv6 to our port 546 from the server's 547, checksum
	 * good (udp6_parse), goes to the DHCPv6 client. */
	if (b->dc != NULL && udp6_parse(pkt, len, &u) &&
	    u.dport == DHCPV6_CLIENT_PORT && u.sport == DHCPV6_SERVER_PORT) {
		dhcpv6_client_input(b->dc, u.payload, u.plen, now);
		return;
	}
	b->rx_data++;
}

void
bench6_timer(struct bench6 *b, uint64_t now)
{
	b->now = now;
	if (b->dc != NULL && dhcpv6_client_next_deadline(b->dc) <= now)
		dhcpv6_client_timer(b->dc, now);
}

uint64_t
bench6_next_deadline(const struct bench6 *b)
{
	return b->dc != NULL ? dhcpv6_client_next_deadline(b->dc) : TIME_NEVER;
}

int
bench6_udp_hdr(struct bench6 *b, const uint8_t dst[16], uint16_t dport,
    unsigned size)
{
	static const uint8_t zeros[BENCH6_BUF];
	uint8_t pkt[UDP6_HDR_LEN + BENCH6_BUF];
	size_t plen;

	if (size < UDP6_HDR_LEN || size - UDP6_HDR_LEN > sizeof(zeros))
		return -1;
	plen = size - UDP6_HDR_LEN;
	if (udp6_build(b->addr, dst, BENCH6_SPORT, dport, 64, zeros, plen, pkt,
		sizeof(pkt)) != size)
		return -1;
	memcpy(b->hdr, pkt, UDP6_HDR_LEN);
	return 0;
}

int
bench6_parse_addr(const char *s, struct sockaddr_in6 *sin6, uint16_t defport)
{
	char host[INET6_ADDRSTRLEN];
	const char *h = s, *end;
	long port = defport;
	size_t n;

	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	if (*s == '[') {
		h = s + 1;
		if ((end = strchr(h, ']')) == NULL)
			return -1;
		if (end[1] == ':') {
			char *e;

			errno = 0;
			port = strtol(end + 2, &e, 10);
			if (errno != 0 || *e != '\0' || end[2] == '\0' ||
			    port < 1 || port > 65535)
				return -1;
		} else if (end[1] != '\0') {
			return -1;
		}
	} else {
		end = s + strlen(s);
	}
	n = (size_t)(end - h);
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	sin6->sin6_port = htons((uint16_t)port);
	return inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1 ? 0 : -1;
}

/* ---- udp6 / sink6 ---- */

static volatile sig_atomic_t stop6;

static void
on_signal6(int sig)
{
	(void)sig;
	stop6 = 1;
}

static double
secs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
udp6_socket(const struct sockaddr_in6 *bind_to)
{
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int sz = 8 << 20, on = 1;

	if (fd < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
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

int
bench6_mode_udp(const struct sockaddr_in6 *dst, const struct sockaddr_in6 *bind,
    unsigned secs, unsigned size)
{
	static uint8_t payload[BENCH6_BUF];
	struct mmsghdr msg[BENCH6_BATCH];
	struct iovec iov;
	uint64_t sent = 0, errors = 0;
	double t0, t;
	int fd;

	/* The same IPv6 packet size as through the LNS: payload = size - 48. */
	if (secs == 0 || size < UDP6_HDR_LEN ||
	    size - UDP6_HDR_LEN > sizeof(payload)) {
		fprintf(stderr,
		    "vpdn-bench udp6: --traffic S and --size %u..%zu"
		    " wanted\n",
		    (unsigned)UDP6_HDR_LEN, UDP6_HDR_LEN + sizeof(payload));
		return 2;
	}
	if ((fd = udp6_socket(bind)) < 0)
		fatal("udp6 socket");
	/* Connected: the route is looked up once, not per datagram, so
	 * that the sender costs little next to the forwarding measured. */
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) < 0)
		fatal("udp6 connect");
	iov.iov_base = payload;
	iov.iov_len = size - UDP6_HDR_LEN;
	memset(msg, 0, sizeof(msg));
	for (int i = 0; i < BENCH6_BATCH; i++) {
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = secs_now();
	while ((t = secs_now()) - t0 < secs) {
		unsigned off = 0;

		while (off < BENCH6_BATCH) {
			int r = sendmmsg(fd, msg + off, BENCH6_BATCH - off, 0);

			if (r < 0) {
				if (errno == EINTR)
					continue;
				/* ENOBUFS/EAGAIN: lost, as on a congested
				 * link (vpdn-bench udp does the same). */
				errors += BENCH6_BATCH - off;
				break;
			}
			off += (unsigned)r;
		}
		sent += BENCH6_BATCH;
	}
	printf("udp.size=%u\nudp.sent=%llu\nudp.tx_errors=%llu\n"
	       "udp.tx_pps=%.0f\n",
	    size, (unsigned long long)sent, (unsigned long long)errors,
	    (double)(sent - errors) / (t - t0));
	close(fd);
	return 0;
}

int
bench6_mode_sink(const struct sockaddr_in6 *bind)
{
	static uint8_t bufs[64][2048];
	struct mmsghdr msg[64];
	struct iovec iov[64];
	double first = 0, last = 0;
	uint64_t n = 0, bytes = 0;
	int fd;

	if ((fd = udp6_socket(bind)) < 0)
		fatal("sink6 socket");
	signal(SIGINT, on_signal6);
	signal(SIGTERM, on_signal6);
	printf("sink=ready\n");
	fflush(stdout);
	while (!stop6) {
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
		last = secs_now();
		if (n == 0)
			first = last;
		n += (unsigned)r;
		for (int i = 0; i < r; i++)
			bytes += msg[i].msg_len;
	}
	/* Gbit/s counts the IPv6 packet: payload + 48 header bytes. */
	printf("sink.packets=%llu\nsink.bytes=%llu\nsink.seconds=%.3f\n"
	       "sink.pps=%.0f\nsink.gbps=%.3f\n",
	    (unsigned long long)n, (unsigned long long)bytes, last - first,
	    last > first ? (double)n / (last - first) : 0.0,
	    last > first ? ((double)bytes + (double)n * UDP6_HDR_LEN) * 8 /
		    (last - first) / 1e9 :
			   0);
	close(fd);
	return 0;
}
