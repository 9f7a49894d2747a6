/*
 * fp_blast.c — a UDP sender for the fast-path measurement: the same inner
 * IPv4/UDP packet either as itself (plain routing baseline) or wrapped as
 * an L2TP data message (RFC 2661 §3.1 compact header, PPP FF 03 00 21) of
 * the session fp_drive entered, sent from a connected UDP socket with
 * sendmmsg for SECS seconds.  Prints tx.pps=.
 *
 *   fp_blast plain DST_IP DST_PORT SIZE SECS
 *   fp_blast l2tp  LNS_IP SRC_PORT TID SID INNER_SRC INNER_DST DST_PORT SIZE SECS
 */

#include <arpa/inet.h>
#include <netinet/in.h>
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

int
main(int argc, char **argv)
{
	uint8_t pkt[2048], *ip;
	struct sockaddr_in dst = { .sin_family = AF_INET }, src = {
		.sin_family = AF_INET };
	struct mmsghdr m[BATCH];
	struct iovec iov;
	size_t len, size;
	double secs, t0, t;
	unsigned long long sent = 0;
	int fd, i, l2tp;

	if (argc < 2)
		return 2;
	l2tp = strcmp(argv[1], "l2tp") == 0;
	if ((l2tp && argc != 11) || (!l2tp && argc != 6)) {
		fprintf(stderr, "usage: see fp_blast.c\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (l2tp) {
		uint32_t a;

		inet_pton(AF_INET, argv[2], &dst.sin_addr);
		dst.sin_port = htons(1701);
		src.sin_port = htons((uint16_t)atoi(argv[3]));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
			perror("bind");
			return 1;
		}
		size = (size_t)atoi(argv[9]);
		secs = atof(argv[10]);
		memset(pkt, 0, sizeof(pkt));
		pkt[1] = 2;
		pkt[2] = (uint8_t)(atoi(argv[4]) >> 8);
		pkt[3] = (uint8_t)atoi(argv[4]);
		pkt[4] = (uint8_t)(atoi(argv[5]) >> 8);
		pkt[5] = (uint8_t)atoi(argv[5]);
		pkt[6] = 0xff;
		pkt[7] = 0x03;
		pkt[8] = 0x00;
		pkt[9] = 0x21;
		ip = pkt + 10;
		/* size is the inner UDP payload, as for the plain sender */
		ip[0] = 0x45;
		ip[2] = (uint8_t)((28 + size) >> 8);
		ip[3] = (uint8_t)(28 + size);
		ip[8] = 64;
		ip[9] = 17;
		inet_pton(AF_INET, argv[6], &a);
		memcpy(ip + 12, &a, 4);
		inet_pton(AF_INET, argv[7], &a);
		memcpy(ip + 16, &a, 4);
		ip[10] = (uint8_t)(csum(ip, 20) >> 8);
		ip[11] = (uint8_t)csum(ip, 20);
		ip[20] = 0x13;
		ip[21] = 0x88;
		ip[22] = (uint8_t)(atoi(argv[8]) >> 8);
		ip[23] = (uint8_t)atoi(argv[8]);
		ip[24] = (uint8_t)((8 + size) >> 8);
		ip[25] = (uint8_t)(8 + size);
		len = 10 + 28 + size;
	} else {
		inet_pton(AF_INET, argv[2], &dst.sin_addr);
		dst.sin_port = htons((uint16_t)atoi(argv[3]));
		size = (size_t)atoi(argv[4]);
		secs = atof(argv[5]);
		memset(pkt, 0x5a, size);
		len = size;
	}
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) != 0) {
		perror("connect");
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
	return 0;
}
