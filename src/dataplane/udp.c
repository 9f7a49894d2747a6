#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/sockbuf.h"
#include "dataplane/udp.h"

#define UDP_CTL_SPACE CMSG_SPACE(sizeof(struct in6_pktinfo))

struct udp_txq {
	unsigned n;
	struct mmsghdr msg[UDP_TXQ];
	struct iovec iov[UDP_TXQ];
	struct sockaddr_storage to[UDP_TXQ];
	uint8_t ctl[UDP_TXQ][UDP_CTL_SPACE];
};

int
udp_open(struct udp_sock *u, const struct sockaddr *addr, socklen_t len)
{
	int one = 1, zero = 0;

	memset(u, 0, sizeof(*u));
	u->family = addr->sa_family;
	u->fd = socket(u->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0) {
		log_warn("udp: socket");
		return -1;
	}
	if (u->family == AF_INET) {
		if (setsockopt(u->fd, IPPROTO_IP, IP_PKTINFO, &one,
			sizeof(one)) < 0)
			goto fail;
	} else {
		if (setsockopt(u->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			sizeof(one)) < 0)
			goto fail;
		/* "[::]:1701" is dual-stack: IPv4 peers appear as ::ffff:a.b.c.d. */
		if (setsockopt(u->fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
			sizeof(zero)) < 0)
			goto fail;
	}
	if (setsockopt(u->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	/* One socket carries every tunnel's control and data traffic: a
	 * reconnect storm must not cost RFC 2661 §5.8 retransmissions. */
	sockbuf_grow(u->fd, UDP_SOCKBUF);
	if (bind(u->fd, addr, len) < 0)
		goto fail;
	u->bound.len = sizeof(u->bound.ss);
	if (getsockname(u->fd, (struct sockaddr *)&u->bound.ss, &u->bound.len) <
	    0)
		goto fail;
	/* Without memory for the queue, udp_queue() sends at once. */
	u->txq = calloc(1, sizeof(*u->txq));
	return 0;
fail:
	log_warn("udp: cannot set up socket");
	close(u->fd);
	u->fd = -1;
	return -1;
}

void
udp_close(struct udp_sock *u)
{
	udp_flush(u);
	free(u->txq);
	u->txq = NULL;
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

/* Fills local from the IP_PKTINFO / IPV6_PKTINFO ancillary data. */
static void
udp_local_from_cmsg(const struct udp_sock *u, struct msghdr *mh,
    struct l2tp_addr *local)
{
	struct cmsghdr *c;

	memset(local, 0, sizeof(*local));
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *sin =
			    (struct sockaddr_in *)&local->ss;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			sin->sin_family = AF_INET;
			sin->sin_addr = pi.ipi_addr;
			sin->sin_port =
			    ((const struct sockaddr_in *)&u->bound.ss)
				->sin_port;
			local->len = sizeof(*sin);
			local->ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *sin6 =
			    (struct sockaddr_in6 *)&local->ss;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			sin6->sin6_family = AF_INET6;
			sin6->sin6_addr = pi.ipi6_addr;
			sin6->sin6_port =
			    ((const struct sockaddr_in6 *)&u->bound.ss)
				->sin6_port;
			local->len = sizeof(*sin6);
			local->ifindex = (int)pi.ipi6_ifindex;
		}
	}
}

int
udp_recv_batch(struct udp_sock *u, udp_recv_fn *fn, void *ctx)
{
	/* Static: one daemon thread, and 2 MiB does not belong on a stack. */
	static uint8_t bufs[UDP_BATCH][UDP_MAX_DGRAM];
	static uint8_t ctl[UDP_BATCH][CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct mmsghdr msgs[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	struct l2tp_addr peers[UDP_BATCH];
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < UDP_BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &peers[i].ss;
		msgs[i].msg_hdr.msg_namelen = sizeof(peers[i].ss);
		msgs[i].msg_hdr.msg_control = ctl[i];
		msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
	}
	n = recvmmsg(u->fd, msgs, UDP_BATCH, MSG_DONTWAIT, NULL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			LOG_RL(LOG_LEVEL_WARN, "udp: recvmmsg: %s",
			    strerror(errno));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		struct l2tp_addr local;

		if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
			u->rx_truncated++;
			continue;
		}
		peers[i].len = msgs[i].msg_hdr.msg_namelen;
		peers[i].ifindex = 0;
		udp_local_from_cmsg(u, &msgs[i].msg_hdr, &local);
		u->rx_datagrams++;
		fn(ctx, bufs[i], msgs[i].msg_len, &local, &peers[i]);
	}
	return n;
}

/* One datagram's msghdr: to `peer`, from `local` when set. */
static void
udp_fill_msg(const struct udp_sock *u, const struct l2tp_addr *local,
    const struct sockaddr_storage *to, socklen_t tolen, struct iovec *iov,
    uint8_t *ctl, struct msghdr *m)
{
	struct msghdr mh = {
		.msg_name = (void *)(uintptr_t)to,
		.msg_namelen = tolen,
		.msg_iov = iov,
		.msg_iovlen = 1,
	};
	struct cmsghdr *c;

	memset(ctl, 0, UDP_CTL_SPACE);
	/* Answer from the address the peer reached (IP_PKTINFO as source). */
	if (local != NULL && local->ss.ss_family == AF_INET &&
	    u->family == AF_INET) {
		struct in_pktinfo pi;

		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst =
		    ((const struct sockaddr_in *)&local->ss)->sin_addr;
		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else if (local != NULL && local->ss.ss_family == AF_INET6 &&
	    u->family == AF_INET6) {
		struct in6_pktinfo pi;

		memset(&pi, 0, sizeof(pi));
		pi.ipi6_addr =
		    ((const struct sockaddr_in6 *)&local->ss)->sin6_addr;
		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	*m = mh;
}

int
udp_send(struct udp_sock *u, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	uint8_t ctl[UDP_CTL_SPACE];
	struct iovec iov = { .iov_base = (void *)(uintptr_t)pkt,
		.iov_len = len };
	struct msghdr mh;

	udp_fill_msg(u, local, &peer->ss, peer->len, &iov, ctl, &mh);
	if (sendmsg(u->fd, &mh, MSG_DONTWAIT) < 0) {
		u->tx_errors++;
		LOG_RL(LOG_LEVEL_WARN, "udp: sendmsg: %s", strerror(errno));
		return -1;
	}
	u->tx_datagrams++;
	return 0;
}

void
udp_queue(struct udp_sock *u, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct udp_txq *q = u->txq;
	unsigned i;

	if (q == NULL) {
		(void)udp_send(u, local, peer, pkt, len);
		return;
	}
	if (q->n == UDP_TXQ)
		udp_flush(u);
	i = q->n++;
	memcpy(&q->to[i], &peer->ss, peer->len);
	q->iov[i].iov_base = (void *)(uintptr_t)pkt;
	q->iov[i].iov_len = len;
	udp_fill_msg(u, local, &q->to[i], peer->len, &q->iov[i], q->ctl[i],
	    &q->msg[i].msg_hdr);
}

void
udp_flush(struct udp_sock *u)
{
	struct udp_txq *q = u->txq;
	unsigned done = 0;
	int r;

	if (q == NULL)
		return;
	while (done < q->n) {
		r = sendmmsg(u->fd, q->msg + done, q->n - done, MSG_DONTWAIT);
		u->tx_batches++;
		if (r <= 0) {
			/* The first datagram failed; as with sendmsg it is
			 * lost and counted, the rest get their own try. */
			u->tx_errors++;
			LOG_RL(LOG_LEVEL_WARN, "udp: sendmmsg: %s",
			    strerror(errno));
			done++;
			continue;
		}
		u->tx_datagrams += (unsigned)r;
		done += (unsigned)r;
	}
	q->n = 0;
}
