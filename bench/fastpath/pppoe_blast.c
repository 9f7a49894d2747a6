/*
 * pppoe_blast.c — a PPPoE session frame sender for the LAC relay
 * measurement: one inner IPv4/UDP packet in a PPPoE session frame (RFC 2516
 * §4, protocol 0x0021) of an established call, from the user's MAC to the
 * LAC's, sent on a packet socket with sendmmsg for SECS seconds.  Prints
 * tx.pps=.
 *
 *   pppoe_blast IFNAME DST_MAC SRC_MAC SID INNER_SRC INNER_DST DST_PORT SIZE SECS
 *
 * SIZE is the inner UDP payload, as for fp_blast.  SID "ip": the same
 * inner packet as a plain IPv4 frame (EtherType 0x0800), the baseline of
 * kernel routing.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static uint16_t
csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
mac(const char *s, uint8_t *out)
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		&v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t pkt[2048], *ip;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	struct mmsghdr m[BATCH];
	struct iovec iov;
	size_t len, size, hl;
	double secs, t0, t;
	unsigned long long sent = 0;
	uint32_t a;
	int fd, i;

	if (argc != 10) {
		fprintf(stderr, "usage: see pppoe_blast.c\n");
		return 2;
	}
	size = (size_t)atoi(argv[8]);
	secs = atof(argv[9]);
	if (size > 1400) {
		fprintf(stderr, "pppoe_blast: size too big\n");
		return 2;
	}
	memset(pkt, 0, sizeof(pkt));
	if (mac(argv[2], pkt) != 0 || mac(argv[3], pkt + 6) != 0) {
		fprintf(stderr, "pppoe_blast: bad MAC\n");
		return 2;
	}
	if (strcmp(argv[4], "ip") == 0) {
		pkt[12] = 0x08;
		pkt[13] = 0x00;
		hl = 14;
	} else {
		pkt[12] = 0x88;
		pkt[13] = 0x64;
		pkt[14] = 0x11;
		pkt[15] = 0;
		pkt[16] = (uint8_t)(atoi(argv[4]) >> 8);
		pkt[17] = (uint8_t)atoi(argv[4]);
		pkt[18] = (uint8_t)((2 + 28 + size) >> 8);
		pkt[19] = (uint8_t)(2 + 28 + size);
		pkt[20] = 0x00;
		pkt[21] = 0x21;
		hl = 22;
	}
	ip = pkt + hl;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((28 + size) >> 8);
	ip[3] = (uint8_t)(28 + size);
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, argv[5], &a);
	memcpy(ip + 12, &a, 4);
	inet_pton(AF_INET, argv[6], &a);
	memcpy(ip + 16, &a, 4);
	ip[10] = (uint8_t)(csum(ip, 20) >> 8);
	ip[11] = (uint8_t)csum(ip, 20);
	ip[20] = 0x13;
	ip[21] = 0x88;
	ip[22] = (uint8_t)(atoi(argv[7]) >> 8);
	ip[23] = (uint8_t)atoi(argv[7]);
	ip[24] = (uint8_t)((8 + size) >> 8);
	ip[25] = (uint8_t)(8 + size);
	memset(ip + 28, 0x5a, size);
	len = hl + 28 + size;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	ll.sll_ifindex = (int)if_nametoindex(argv[1]);
	ll.sll_protocol = htons(0x8864);
	if (fd < 0 || ll.sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)&ll, sizeof(ll)) != 0) {
		perror("pppoe_blast: socket");
		return 1;
	}
	iov.iov_base = pkt;
	iov.iov_len = len;
	memset(m, 0, sizeof(m));
	for (i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now();
	do {
		int n = sendmmsg(fd, m, BATCH, 0);

		if (n > 0)
			sent += (unsigned)n;
		t = now();
	} while (t - t0 < secs);
	printf("tx.pps=%.0f\n", (double)sent / (t - t0));
	(void)close(fd);
	return 0;
}
