/*
 * pppoe_sock.h — the two AF_PACKET sockets of one PPPoE interface: one for
 * the Discovery stage (ETH_P_PPP_DISC, 0x8863) and one for the Session
 * stage (ETH_P_PPP_SES, 0x8864), RFC 2516 §4.  SOCK_RAW: frames are read
 * and written whole, Ethernet header included (no FCS).  Non-blocking; the
 * daemon's loop watches pppoe_sock_fd_disc() and pppoe_sock_fd_ses().
 */
#ifndef VPDN_PPPOE_SOCK_H
#define VPDN_PPPOE_SOCK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pppoe/pppoe_codec.h"

struct pppoe_sock {
	int fd_disc, fd_ses;
	int ifindex;
	unsigned mtu;
	uint8_t mac[PPPOE_MAC_LEN];
	char ifname[IFNAMSIZ];
};

/* Opens both sockets bound to ifname and learns its MAC, index and MTU.
 * 0, or -1 with errno set (and a log line). */
int pppoe_sock_open(struct pppoe_sock *s, const char *ifname);
void pppoe_sock_close(struct pppoe_sock *s);
/* Reads one frame from fd (one of the two): its length, 0 when nothing is
 * pending (or the frame was our own outgoing copy), -1 on error.  A frame
 * longer than cap is truncated by the kernel and reported as -1/EMSGSIZE. */
ssize_t pppoe_sock_read(struct pppoe_sock *s, int fd, uint8_t *buf, size_t cap);
/* What pppoe_sock_drain() hands each frame to; false stops the draining
 * (say, the frame ended what the reader was for). */
typedef bool pppoe_sock_frame_fn(void *arg, const uint8_t *frame, size_t len);
/* Reads up to max frames from fd into buf[0..cap) and gives each to fn.
 * Stops early when nothing is pending (or on our own outgoing copy), when
 * fn returns false, or on a receive error other than EMSGSIZE (an
 * oversize frame is dropped and reading goes on).  Bounded so that the
 * daemon's other watchers get their turn: they are level-triggered, and
 * what is left is read on the next pass.  Returns the number of receive
 * errors met, with errno that of the last one when there were any. */
unsigned pppoe_sock_drain(struct pppoe_sock *s, int fd, uint8_t *buf,
    size_t cap, unsigned max, pppoe_sock_frame_fn *fn, void *arg);
/* Sends a whole Ethernet frame on the socket its ethertype belongs to.
 * 0, or -1 with errno set. */
int pppoe_sock_send(struct pppoe_sock *s, const uint8_t *frame, size_t len);

static inline int
pppoe_sock_fd_disc(const struct pppoe_sock *s)
{
	return s->fd_disc;
}

static inline int
pppoe_sock_fd_ses(const struct pppoe_sock *s)
{
	return s->fd_ses;
}

#endif
