/*
 * sockbuf.h — grow a socket's kernel buffers, best effort.
 *
 * A socket that carries many users (the L2TP socket, the LAC's PPPoE
 * sockets) overflows the default ~200 KiB queue in a burst of call setups,
 * and each frame lost there costs the peer a retransmission timeout.  The
 * *FORCE variants pass rmem_max/wmem_max when we have CAP_NET_ADMIN; the
 * plain ones are capped by them otherwise.  Failure is not an error: the
 * socket keeps the default size.
 */
#ifndef VPDN_CORE_SOCKBUF_H
#define VPDN_CORE_SOCKBUF_H

/* Receive and send buffers of this size for the sockets above. */
#define SOCKBUF_BUSY (4 << 20)

void sockbuf_grow(int fd, int bytes);

#endif
