/*
 * tun.h — a TUN device carrying raw IP packets between the kernel and vpdnd.
 *
 * IFF_TUN | IFF_NO_PI: each read(2) returns one IP packet, each write(2)
 * injects one, with no 4-byte packet-info prefix (the IP version nibble says
 * which protocol).  The descriptor is non-blocking for the event loop.  The
 * device lives as long as the descriptor: closing it removes the interface
 * and with it its addresses and routes.
 */
#ifndef VPDN_DATAPLANE_TUN_H
#define VPDN_DATAPLANE_TUN_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tun {
	int fd;
	int ifindex;
	char name[IFNAMSIZ];
	uint64_t rx_packets, rx_bytes; /* read from the kernel */
	uint64_t tx_packets, tx_bytes; /* written to the kernel */
	uint64_t tx_full;	       /* writes refused: EAGAIN, ENOBUFS */
	uint64_t tx_errors;	       /* other failed writes */
};

/* The kernel's drop counters of the device (/proc/net/dev, which shows the
 * reader's network namespace): rx_dropped counts packets the kernel gave up
 * on the way from vpdnd in, tx_dropped those routed to the device that did
 * not fit its queue (txqueuelen) before vpdnd read them. */
struct tun_kstats {
	uint64_t rx_dropped, tx_dropped;
};

/* Opens /dev/net/tun and creates the interface `name`, or a kernel-chosen
 * "tun%d" when name is NULL or "".  Returns -1 with errno set (logged). */
int tun_open(struct tun *t, const char *name)
    __attribute__((warn_unused_result));
void tun_close(struct tun *t);
/* SIOCSIFMTU / SIOCSIFFLAGS(IFF_UP) on the interface; -1 with errno. */
int tun_set_mtu(struct tun *t, unsigned mtu);
int tun_set_up(struct tun *t);
/* SIOCSIFTXQLEN: the device's transmit queue, in packets; -1 with errno. */
int tun_set_txqueuelen(struct tun *t, unsigned qlen);
/* Reads the device's kernel counters; -1 if it is not listed. */
int tun_kstats(const struct tun *t, struct tun_kstats *ks);
/* One packet: its length, 0 when none is waiting (EAGAIN), -1 on error. */
ssize_t tun_read(struct tun *t, uint8_t *buf, size_t cap);
/* 0, or -1 with errno (counted in tx_full or tx_errors). */
int tun_write(struct tun *t, const uint8_t *pkt, size_t len);

struct tun_pkt {
	uint8_t *buf; /* caller's buffer (with headroom before it) */
	size_t cap;
	size_t len; /* set by tun_read_batch */
};
/* Reads until EAGAIN or n packets; returns how many were read, -1 on an
 * error before the first one. */
int tun_read_batch(struct tun *t, struct tun_pkt *pkts, unsigned n);

#endif
