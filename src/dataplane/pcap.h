/*
 * pcap.h — a packet trace of the L2TP socket in the classic pcap format.
 *
 * `vpdnctl trace start FILE` makes the daemon write every datagram it reads
 * from or writes to its L2TP UDP socket.  The socket only sees UDP payloads,
 * so each record gets a synthesized IPv4 or IPv6 header and a UDP header
 * built from the datagram's real local and peer addresses and ports; the file
 * uses LINKTYPE_RAW (the record starts with the IP header, its version nibble
 * tells v4 from v6).  Wireshark and tshark then dissect port 1701 as L2TP
 * without any "decode as".
 *
 * The file is created by the daemon itself with O_CREAT|O_EXCL|O_NOFOLLOW and
 * mode 0600: it may contain PPP authentication exchanges, and an existing file
 * or a symbolic link planted at the path is never followed or overwritten.
 * Its size is bounded: a record that would take it past max_bytes is not
 * written and the trace reports itself full.
 */
#ifndef VPDN_DATAPLANE_PCAP_H
#define VPDN_DATAPLANE_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tp/l2tp.h"

#define PCAP_LINKTYPE_RAW      101 /* tcpdump.org link-layer header types */
#define PCAP_SNAPLEN	       65535
#define PCAP_DEFAULT_MAX_BYTES ((uint64_t)100 * 1024 * 1024)

struct pcap_trace;

/* Creates the file and writes the global header; NULL with errno set. */
struct pcap_trace *pcap_trace_open(const char *path, uint64_t max_bytes);
/* Closes the file (whatever was written stays valid). */
void pcap_trace_close(struct pcap_trace *p);

/*
 * One datagram from src to dst (both AF_INET, or both AF_INET6 / IPv4-mapped
 * IPv6), timestamped ts_us microseconds since the epoch.  Returns 0, 1 when
 * the trace is full (nothing written; every later call returns 1 too), or -1
 * on a write error or unusable addresses (errno set).
 */
int pcap_trace_write(struct pcap_trace *p, const struct l2tp_addr *src,
    const struct l2tp_addr *dst, const uint8_t *pkt, size_t len,
    uint64_t ts_us);

uint64_t pcap_trace_bytes(const struct pcap_trace *p);
uint64_t pcap_trace_packets(const struct pcap_trace *p);
bool pcap_trace_full(const struct pcap_trace *p);

/*
 * The Tunnel ID field of an L2TP header (RFC 2661 §3.1: after the flags and
 * the optional Length field), or -1 if the datagram is too short or not
 * L2TPv2.  Used to filter a trace by tunnel.
 */
int pcap_l2tp_tunnel_id(const uint8_t *pkt, size_t len);

#endif
