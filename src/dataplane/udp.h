/*
 * udp.h — the L2TP UDP socket (port 1701 by default).
 *
 * One socket per `listen` address.  IP_PKTINFO / IPV6_RECVPKTINFO tell us
 * which local address each datagram reached, so replies leave from that very
 * address (INTERFACE.md: "The LNS answers from the address and port that the
 * SCCRQ reached") even on a wildcard socket.  Reads are batched with
 * recvmmsg(2).  No parsing happens here: datagrams go to a callback as bytes.
 * Data messages may be queued and sent in batches with sendmmsg(2)
 * (udp_queue, udp_flush): one system call for up to UDP_TXQ datagrams.
 */
#ifndef VPDN_DATAPLANE_UDP_H
#define VPDN_DATAPLANE_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "core/sockbuf.h"
#include "l2tp/l2tp.h"

#define UDP_BATCH     32
#define UDP_MAX_DGRAM 65535
#define UDP_SOCKBUF   SOCKBUF_BUSY /* SO_RCVBUF/SO_SNDBUF we ask for */
#define UDP_TXQ	      64	   /* datagrams per sendmmsg(2) */

struct udp_txq;

struct udp_sock {
	int fd;
	int family;
	struct l2tp_addr bound;
	uint64_t rx_datagrams, tx_datagrams, tx_errors, rx_truncated;
	uint64_t tx_batches; /* sendmmsg calls */
	struct udp_txq *txq; /* NULL: udp_queue sends at once */
};

/* Opens and binds; returns -1 with errno set (message logged). */
int udp_open(struct udp_sock *u, const struct sockaddr *addr, socklen_t len)
    __attribute__((warn_unused_result));
void udp_close(struct udp_sock *u);

typedef void udp_recv_fn(void *ctx, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer);
/* Reads up to UDP_BATCH datagrams without blocking; returns how many. */
int udp_recv_batch(struct udp_sock *u, udp_recv_fn *fn, void *ctx);
/* Sends from `local` (if its family is set) to `peer`; -1 on error. */
int udp_send(struct udp_sock *u, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
/*
 * Queues a datagram for the next udp_flush() (the addresses are copied,
 * pkt is not: it must stay unchanged until then); a full queue is flushed
 * first.  Whoever also calls udp_send() flushes before it, so datagrams
 * leave in the order they were handed over.
 */
void udp_queue(struct udp_sock *u, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
/* Sends everything queued (sendmmsg); errors are counted per datagram. */
void udp_flush(struct udp_sock *u);

#endif
