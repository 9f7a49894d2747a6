/*
 * pppoe_sock.c — AF_PACKET sockets for PPPoE discovery and session frames.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/sockbuf.h"
#include "pppoe/pppoe_sock.h"

/* Our own transmitted frames skipped in one pppoe_sock_read(). */
#define PPPOE_SOCK_MAX_SKIP 64

static int
open_one(struct pppoe_sock *s, uint16_t proto)
{
	struct sockaddr_ll sll;
	int fd, e;

	/* Protocol 0 until bound: no frame of another interface can be
	 * queued between socket() and bind(). */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = s->ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* An access concentrator's two sockets carry every user's discovery
	 * and session frames: a dial-in storm must not overflow them. */
	sockbuf_grow(fd, SOCKBUF_BUSY);
	return fd;
}

int
pppoe_sock_open(struct pppoe_sock *s, const char *ifname)
{
	struct ifreq ifr;
	int e;

	memset(s, 0, sizeof(*s));
	s->fd_disc = s->fd_ses = -1;
	if (strlen(ifname) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		log_msg(LOG_LEVEL_ERROR, "pppoe: interface name %s too long",
		    ifname);
		return -1;
	}
	memcpy(s->ifname, ifname, strlen(ifname) + 1);
	s->ifindex = (int)if_nametoindex(ifname);
	if (s->ifindex == 0)
		goto fail;
	if ((s->fd_disc = open_one(s, ETH_P_PPP_DISC)) < 0 ||
	    (s->fd_ses = open_one(s, ETH_P_PPP_SES)) < 0)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, s->ifname, IFNAMSIZ);
	if (ioctl(s->fd_disc, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		errno = EPROTONOSUPPORT;
		goto fail;
	}
	memcpy(s->mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, s->ifname, IFNAMSIZ);
	if (ioctl(s->fd_disc, SIOCGIFMTU, &ifr) < 0)
		goto fail;
	s->mtu = (unsigned)ifr.ifr_mtu;
	return 0;
fail:
	e = errno;
	log_msg(LOG_LEVEL_ERROR, "pppoe: %s: %s", ifname, strerror(e));
	pppoe_sock_close(s);
	errno = e;
	return -1;
}

void
pppoe_sock_close(struct pppoe_sock *s)
{
	if (s->fd_disc >= 0)
		close(s->fd_disc);
	if (s->fd_ses >= 0)
		close(s->fd_ses);
	s->fd_disc = s->fd_ses = -1;
}

ssize_t
pppoe_sock_read(struct pppoe_sock *s, int fd, uint8_t *buf, size_t cap)
{
	(void)s;
	/* A packet socket also sees frames this host transmits: skipped
	 * here, so that one of them does not end a caller's read burst (a
	 * bounded number, so a sending flood cannot keep us here). */
	for (int skipped = 0; skipped < PPPOE_SOCK_MAX_SKIP; skipped++) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n;

		/* MSG_TRUNC: the real length, so an oversize frame is
		 * noticed instead of being parsed truncated. */
		n = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&from,
		    &fl);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
				errno == EINTR ?
			    0 :
			    -1;
		if ((size_t)n > cap) {
			errno = EMSGSIZE;
			return -1;
		}
		if (from.sll_pkttype != PACKET_OUTGOING)
			return n;
	}
	return 0;
}

unsigned
pppoe_sock_drain(struct pppoe_sock *s, int fd, uint8_t *buf, size_t cap,
    unsigned max, pppoe_sock_frame_fn *fn, void *arg)
{
	unsigned errors = 0;
	int last = 0;

	for (unsigned i = 0; i < max; i++) {
		ssize_t n = pppoe_sock_read(s, fd, buf, cap);

		if (n == 0)
			break;
		if (n < 0) {
			errors++;
			last = errno;
			if (last == EMSGSIZE)
				continue; /* oversize: dropped */
			break;
		}
		if (!fn(arg, buf, (size_t)n))
			break;
	}
	if (errors > 0)
		errno = last;
	return errors;
}

int
pppoe_sock_send(struct pppoe_sock *s, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll to;
	uint16_t et;
	ssize_t n;
	int fd;

	if (len < PPPOE_ETH_HDR_LEN) {
		errno = EINVAL;
		return -1;
	}
	et = (uint16_t)(frame[12] << 8 | frame[13]);
	if (et == PPPOE_ETHERTYPE_DISC)
		fd = s->fd_disc;
	else if (et == PPPOE_ETHERTYPE_SES)
		fd = s->fd_ses;
	else {
		errno = EINVAL;
		return -1;
	}
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(et);
	to.sll_ifindex = s->ifindex;
	to.sll_halen = PPPOE_MAC_LEN;
	memcpy(to.sll_addr, frame, PPPOE_MAC_LEN);
	n = sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}
