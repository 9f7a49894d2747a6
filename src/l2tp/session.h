/*
 * session.h — private to src/l2tp: the session FSM entry points the tunnel
 * and the host use (RFC 2661 §7.4, §7.5).  struct l2tp_session itself is in
 * tunnel.h, next to the tunnel that owns it.
 */
#ifndef VPDN_L2TP_SESSION_H
#define VPDN_L2TP_SESSION_H

#include "l2tp/tunnel.h"

/* The tunnel reached ESTABLISHED: WAIT_TUNNEL sessions send their ICRQ. */
void session_tunnel_up(struct l2tp_tunnel *t, uint64_t now);
/* The xport moved queued control messages into flight (an ack opened the
 * window): calls whose ICCN/OCCN has now left are established. */
void session_connect_sent(struct l2tp_tunnel *t);
/* A decoded session message (ICRQ..SLI) on an ESTABLISHED tunnel. */
void session_recv(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    uint64_t now);
/* l2tp_msg_decode() said REJECT_SESSION. */
void session_reject(struct l2tp_tunnel *t, const struct l2tp_msg *m,
    const struct l2tp_err *err, uint64_t now);
/* The tunnel is going away: every session down, no CDN (§5.7: StopCCN
 * clears them all). */
void session_all_down(struct l2tp_tunnel *t);
void session_run_timers(struct l2tp_tunnel *t, uint64_t now);
uint64_t session_next_deadline(const struct l2tp_tunnel *t);
/* A data message (T=0) for this tunnel. */
void session_data_input(struct l2tp_tunnel *t, const struct data_hdr *h,
    const uint8_t *pkt, size_t len);
/* Frees a closed session (from the host's graveyard). */
void session_free(struct l2tp_session *s);

#endif
