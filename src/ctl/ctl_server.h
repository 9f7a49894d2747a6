/*
 * ctl_server.h — the daemon's Unix control socket (`vpdnctl`'s peer).
 *
 * Protocol: the client sends one line of words (at most CTL_MAX_REQUEST
 * bytes, then "\n" or EOF) and receives one reply, after which the server
 * closes the connection.  The reply's first line is "OK" or "ERR <message>";
 * the body (a table or one JSON document) follows an "OK" line.
 *
 * Safety: the socket is created mode 0600 (under umask 0177, so there is no
 * window where it is wider); SO_PEERCRED admits only uid 0 and the daemon's
 * own uid.  At most CTL_MAX_CLIENTS connections are served at once (more get
 * "ERR busy"), and a client that neither finishes its request nor reads its
 * reply for CTL_TIMEOUT_S seconds is dropped, so nothing a client does can
 * stall the loop.  All I/O is non-blocking on the daemon's libev loop.
 *
 * Lifetime: ctl_server_new() removes a stale socket left by a dead daemon
 * (one that refuses connections; a live one makes it fail) and creates the
 * parent directory if missing; ctl_server_free() closes every client and
 * unlinks the socket if it is still ours.  `ctx` is the daemon's: it must
 * outlive the server, and the daemon may change its fields (host, hooks) at
 * any time between loop iterations.
 */
#ifndef VPDN_CTL_CTL_SERVER_H
#define VPDN_CTL_CTL_SERVER_H

#include <ev.h>

#include "ctl/ctl_cmds.h"

#define CTL_MAX_CLIENTS 16
#define CTL_TIMEOUT_S	5.0

struct ctl_server;

/* Returns NULL (after logging why) if the socket cannot be set up. */
struct ctl_server *ctl_server_new(struct ev_loop *loop, const char *path,
    struct ctl_ctx *ctx);
void ctl_server_free(struct ctl_server *s);
/* Number of connections being served (for tests and `show stats`). */
unsigned ctl_server_clients(const struct ctl_server *s);

#endif
