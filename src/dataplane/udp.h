/*
 * udp.h — the L2TP UDP socket (port 1701 by default).
 *
 * One socket per `listen` address.  IP_PKTINFO / IPV6_RECVPKTINFO tell us
 * which local address each datagram reached, so replies leave from that very
 * address (INTERFACE.md: "The LNS answers from the address and port that the
 * SCCRQ reached") even on a wildcard socket.  Reads are batched with
 * recvmmsg(2).  No parsing happens here: datagrams go to a callback as bytes.
 */
#ifndef VPDN_DATAPLANE_UDP_H
#define VPDN_DATAPLANE_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "core/sockbuf.h"
#include "l2tp/l2tp.h"

#define UDP_BATCH	32
#define UDP_MAX_DGRAM	65535
#define UDP_SOCKBUF	SOCKBUF_BUSY	/* SO_RCVBUF/SO_SNDBUF we ask for */

struct udp_sock {
	int		 fd;
	int		 family;
	struct l2tp_addr bound;
	uint64_t	 rx_datagrams, tx_datagrams, tx_errors, rx_truncated;
};

/* Opens and binds; returns -1 with errno set (message logged). */
int	udp_open(struct udp_sock *u, const struct sockaddr *addr, socklen_t len)
	    __attribute__((warn_unused_result));
void	udp_close(struct udp_sock *u);

typedef void udp_recv_fn(void *ctx, const uint8_t *pkt, size_t len,
	    const struct l2tp_addr *local, const struct l2tp_addr *peer);
/* Reads up to UDP_BATCH datagrams without blocking; returns how many. */
int	udp_recv_batch(struct udp_sock *u, udp_recv_fn *fn, void *ctx);
/* Sends from `local` (if its family is set) to `peer`; -1 on error. */
int	udp_send(struct udp_sock *u, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);

#endif
