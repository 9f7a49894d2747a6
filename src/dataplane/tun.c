/*
 * tun.c — TUN device setup and packet I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "dataplane/tun.h"

int
tun_open(struct tun *t, const char *name)
{
	struct ifreq ifr;
	int fd, e;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (name != NULL && strlen(name) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		log_msg(LOG_LEVEL_ERROR, "tun: interface name %s too long",
		    name);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		log_msg(LOG_LEVEL_ERROR, "tun: open /dev/net/tun: %s",
		    strerror(e));
		errno = e;
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* IFF_NO_PI: the packet starts at the IP header; there is no
	 * protocol prefix to strip or forge on every packet. */
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (name != NULL && name[0] != '\0')
		memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		e = errno;
		log_msg(LOG_LEVEL_ERROR, "tun: create %s: %s",
		    name && name[0] ? name : "tun%d", strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	t->ifindex = (int)if_nametoindex(t->name);
	if (t->ifindex == 0) {
		e = errno;
		log_msg(LOG_LEVEL_ERROR, "tun: %s: no ifindex: %s", t->name,
		    strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	t->fd = fd;
	return 0;
}

void
tun_close(struct tun *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->ifindex = 0;
}

/* Interface ioctls go through any socket of the right namespace. */
static int
tun_ifreq(struct tun *t, unsigned long req, struct ifreq *ifr, const char *what)
{
	int s, rc, e;

	memcpy(ifr->ifr_name, t->name, IFNAMSIZ);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	rc = ioctl(s, req, ifr);
	e = errno;
	close(s);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, "tun: %s %s: %s", t->name, what,
		    strerror(e));
		errno = e;
	}
	return rc;
}

int
tun_set_mtu(struct tun *t, unsigned mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	return tun_ifreq(t, SIOCSIFMTU, &ifr, "set mtu");
}

int
tun_set_txqueuelen(struct tun *t, unsigned qlen)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_qlen = (int)qlen;
	return tun_ifreq(t, SIOCSIFTXQLEN, &ifr, "set txqueuelen");
}

/*
 * /proc/net/dev: after two header lines, "NAME: " then 8 receive counters
 * (bytes packets errs drop fifo frame compressed multicast) and 8 transmit
 * ones (bytes packets errs drop fifo colls carrier compressed).
 */
int
tun_kstats(const struct tun *t, struct tun_kstats *ks)
{
	char line[512];
	uint64_t v[16];
	FILE *f;
	int rc = -1;

	memset(ks, 0, sizeof(*ks));
	if (t->fd < 0 || (f = fopen("/proc/net/dev", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *colon, *end;
		unsigned n;

		while (*p == ' ')
			p++;
		if ((colon = strchr(p, ':')) == NULL)
			continue;
		*colon = '\0';
		if (strcmp(p, t->name) != 0)
			continue;
		p = colon + 1;
		for (n = 0; n < 16; n++, p = end) {
			errno = 0;
			v[n] = strtoull(p, &end, 10);
			if (end == p || errno != 0)
				break;
		}
		if (n == 16) {
			ks->rx_dropped = v[3];
			ks->tx_dropped = v[11];
			rc = 0;
		}
		break;
	}
	fclose(f);
	return rc;
}

int
tun_set_up(struct tun *t)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (tun_ifreq(t, SIOCGIFFLAGS, &ifr, "get flags") < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return tun_ifreq(t, SIOCSIFFLAGS, &ifr, "set up");
}

ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t cap)
{
	ssize_t n;

	do
		n = read(t->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	t->rx_packets++;
	t->rx_bytes += (uint64_t)n;
	return n;
}

int
tun_write(struct tun *t, const uint8_t *pkt, size_t len)
{
	ssize_t n;

	do
		n = write(t->fd, pkt, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		if (n >= 0)
			errno = EIO;
		/* The kernel would not take the packet now (its backlog or
		 * memory is full): a drop under load, not a broken device. */
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			t->tx_full++;
		else
			t->tx_errors++;
		return -1;
	}
	t->tx_packets++;
	t->tx_bytes += len;
	return 0;
}

int
tun_read_batch(struct tun *t, struct tun_pkt *pkts, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		ssize_t r = tun_read(t, pkts[i].buf, pkts[i].cap);

		if (r < 0)
			return i > 0 ? (int)i : -1;
		if (r == 0)
			break;
		pkts[i].len = (size_t)r;
	}
	return (int)i;
}
