/*
 * pcap.c — see pcap.h.  The classic libpcap file format: a 24-byte global
 * header, then per packet a 16-byte record header and the bytes.  Both are
 * written in host byte order with the magic 0xa1b2c3d4, which readers use to
 * tell the byte order.  Each record goes out in one write(2), so a file read
 * while the trace runs ends at a record boundary (short of a crash).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include "dataplane/pcap.h"

#define PCAP_MAGIC_US  0xa1b2c3d4u /* microsecond timestamps */
#define IP4_HDR_LEN    20
#define IP6_HDR_LEN    40
#define UDP_HDR_LEN    8
#define REC_HDR_LEN    16
#define GLOBAL_HDR_LEN 24
#define MAX_HDRS       (REC_HDR_LEN + IP6_HDR_LEN + UDP_HDR_LEN)

struct pcap_trace {
	int fd;
	uint64_t max_bytes, bytes, packets;
	uint16_t ip_id;
	bool full;
};

/* An address as the trace writes it: family, 4 or 16 address bytes, port. */
struct pcap_ep {
	int family;
	uint8_t addr[16];
	uint16_t port; /* host order */
};

static int
pcap_write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

struct pcap_trace *
pcap_trace_open(const char *path, uint64_t max_bytes)
{
	struct pcap_trace *p;
	uint8_t hdr[GLOBAL_HDR_LEN];
	uint32_t magic = PCAP_MAGIC_US, snaplen = PCAP_SNAPLEN,
		 linktype = PCAP_LINKTYPE_RAW, zero = 0;
	uint16_t major = 2, minor = 4;
	int saved;

	if (max_bytes < GLOBAL_HDR_LEN) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	/* O_EXCL|O_NOFOLLOW: never truncate an existing file nor write
	 * through a symbolic link someone placed at the path; 0600 because
	 * PPP authentication (PAP passwords) may be in the trace. */
	p->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (p->fd < 0) {
		saved = errno;
		free(p);
		errno = saved;
		return NULL;
	}
	p->max_bytes = max_bytes;
	memcpy(hdr, &magic, 4);
	memcpy(hdr + 4, &major, 2);
	memcpy(hdr + 6, &minor, 2);
	memcpy(hdr + 8, &zero, 4);  /* thiszone: timestamps are UTC */
	memcpy(hdr + 12, &zero, 4); /* sigfigs */
	memcpy(hdr + 16, &snaplen, 4);
	memcpy(hdr + 20, &linktype, 4);
	if (pcap_write_all(p->fd, hdr, sizeof(hdr)) < 0) {
		saved = errno;
		close(p->fd);
		(void)unlink(path);
		free(p);
		errno = saved;
		return NULL;
	}
	p->bytes = sizeof(hdr);
	return p;
}

void
pcap_trace_close(struct pcap_trace *p)
{
	if (p == NULL)
		return;
	close(p->fd);
	free(p);
}

uint64_t
pcap_trace_bytes(const struct pcap_trace *p)
{
	return p->bytes;
}

uint64_t
pcap_trace_packets(const struct pcap_trace *p)
{
	return p->packets;
}

bool
pcap_trace_full(const struct pcap_trace *p)
{
	return p->full;
}

/* IPv4-mapped IPv6 addresses (a dual-stack socket's IPv4 peers) are written
 * as IPv4, as they were on the wire. */
static int
pcap_ep_from(const struct l2tp_addr *a, struct pcap_ep *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *sin =
		    (const struct sockaddr_in *)(const void *)&a->ss;

		ep->family = AF_INET;
		memcpy(ep->addr, &sin->sin_addr, 4);
		ep->port = ntohs(sin->sin_port);
		return 0;
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)(const void *)&a->ss;

		ep->port = ntohs(sin6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			ep->family = AF_INET;
			memcpy(ep->addr, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			ep->family = AF_INET6;
			memcpy(ep->addr, &sin6->sin6_addr, 16);
		}
		return 0;
	}
	return -1;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071 one's complement sum, folded later. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
pcap_trace_write(struct pcap_trace *p, const struct l2tp_addr *src,
    const struct l2tp_addr *dst, const uint8_t *pkt, size_t len, uint64_t ts_us)
{
	uint8_t hdr[MAX_HDRS], *ip = hdr + REC_HDR_LEN, *udp, pseudo[40];
	struct pcap_ep s, d;
	size_t iplen, alen, reclen, psl;
	uint32_t sum, tsec, tusec, caplen;

	if (p->full)
		return 1;
	if (pcap_ep_from(src, &s) < 0 || pcap_ep_from(dst, &d) < 0 ||
	    s.family != d.family) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	iplen = s.family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN;
	alen = s.family == AF_INET ? 4 : 16;
	if (len > 65535 - UDP_HDR_LEN - (s.family == AF_INET ? iplen : 0)) {
		errno = EMSGSIZE;
		return -1;
	}
	reclen = REC_HDR_LEN + iplen + UDP_HDR_LEN + len;
	if (p->bytes + reclen > p->max_bytes) {
		p->full = true;
		return 1;
	}

	udp = ip + iplen;
	memset(ip, 0, iplen + UDP_HDR_LEN);
	if (s.family == AF_INET) {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(iplen + UDP_HDR_LEN + len));
		put16(ip + 4, p->ip_id++);
		put16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, s.addr, 4);
		memcpy(ip + 16, d.addr, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, IP4_HDR_LEN)));
	} else {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)(UDP_HDR_LEN + len));
		ip[6] = IPPROTO_UDP;
		ip[7] = 64;
		memcpy(ip + 8, s.addr, 16);
		memcpy(ip + 24, d.addr, 16);
	}
	put16(udp, s.port);
	put16(udp + 2, d.port);
	put16(udp + 4, (uint16_t)(UDP_HDR_LEN + len));
	/* A correct UDP checksum (mandatory over IPv6, RFC 8200 §8.1) keeps
	 * Wireshark's checksum validation, when enabled, quiet. */
	memcpy(pseudo, s.addr, alen);
	memcpy(pseudo + alen, d.addr, alen);
	psl = 2 * alen;
	pseudo[psl++] = 0;
	pseudo[psl++] = IPPROTO_UDP;
	put16(pseudo + psl, (uint16_t)(UDP_HDR_LEN + len));
	psl += 2;
	sum = csum_add(0, pseudo, psl);
	sum = csum_add(sum, udp, UDP_HDR_LEN);
	sum = csum_add(sum, pkt, len);
	put16(udp + 6, csum_fold(sum) == 0 ? 0xffff : csum_fold(sum));

	tsec = (uint32_t)(ts_us / 1000000);
	tusec = (uint32_t)(ts_us % 1000000);
	caplen = (uint32_t)(iplen + UDP_HDR_LEN + len);
	memcpy(hdr, &tsec, 4);
	memcpy(hdr + 4, &tusec, 4);
	memcpy(hdr + 8, &caplen, 4);
	memcpy(hdr + 12, &caplen, 4); /* orig_len: nothing is cut */

	{
		struct iovec iov[2] = {
			{ hdr, REC_HDR_LEN + iplen + UDP_HDR_LEN },
			{ (void *)(uintptr_t)pkt, len },
		};
		ssize_t n;

		do
			n = writev(p->fd, iov, 2);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -1;
		/* Short only when the disk is full: stop, the file stays
		 * readable up to the last whole record but this one. */
		if ((size_t)n != reclen) {
			p->full = true;
			errno = ENOSPC;
			return -1;
		}
	}
	p->bytes += reclen;
	p->packets++;
	return 0;
}

int
pcap_l2tp_tunnel_id(const uint8_t *pkt, size_t len)
{
	size_t off = 2;

	/* RFC 2661 §3.1: T L x x S x O P x x x x Ver(4); Ver must be 2. */
	if (len < 2 || (pkt[1] & 0x0f) != 2)
		return -1;
	if (pkt[0] & 0x40) /* L: a Length field follows */
		off += 2;
	if (len < off + 2)
		return -1;
	return (int)((unsigned)pkt[off] << 8 | pkt[off + 1]);
}
