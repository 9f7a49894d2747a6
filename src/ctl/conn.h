/*
 * conn.h — one-request, one-reply stream connections on the libev loop,
 * shared by the control socket (ctl_server.c) and the metrics listener
 * (metrics.c).
 *
 * A pool owns a listening socket and a fixed number of connection slots.
 * Each connection reads until ops->request_complete() says its request is
 * whole (at most ops->insize bytes), has ops->handle() render the reply into
 * c->out, writes it without blocking, then is closed.  One ev_timer per
 * connection (ops->timeout_s) bounds the request from the accept on, and is
 * restarted when the reply starts and whenever part of it is taken, so
 * nothing a client does can stall the loop or hold a slot for long.
 */
#ifndef VPDN_CTL_CONN_H
#define VPDN_CTL_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "ctl/strbuf.h"

/* What the bytes read so far amount to. */
enum conn_req {
	CONN_REQ_MORE,	/* keep reading */
	CONN_REQ_DONE,	/* a request (or one to refuse): handle it */
	CONN_REQ_CLOSE, /* close without a reply */
};
const char *conn_req_str(enum conn_req r);

struct conn;
struct conn_pool;

struct conn_ops {
	const char *name;     /* log prefix */
	unsigned max_clients; /* also the listen() backlog */
	size_t insize;	      /* request bytes read at most */
	double timeout_s;
	/* Sent to a client over the limit before closing; NULL: just close. */
	const char *busy_msg;
	/* Drain unread bytes before close: closing an AF_UNIX socket with
	 * unread data makes the peer's read fail with ECONNRESET before it
	 * sees our reply. */
	bool drain;
	/* Optional: vets a fresh fd before the client limit is applied;
	 * returns false after closing (or refusing) it itself.  *tag is kept
	 * in conn->tag. */
	bool (*admit)(struct conn_pool *p, int fd, unsigned long *tag);
	/* After each read (eof: the peer shut its side), looks at
	 * c->in[0..c->inlen).  Returning CONN_REQ_MORE with a full buffer
	 * closes the connection. */
	enum conn_req (*request_complete)(struct conn *c, bool eof);
	/* Renders the reply into c->out; false: close without one. */
	bool (*handle)(struct conn *c);
	/* Optional: the timer fired; the connection is closed afterwards. */
	void (*timeout)(struct conn *c);
};

struct conn {
	struct conn_pool *pool;
	int fd;		   /* -1: slot free */
	unsigned long tag; /* from ops->admit (ctl: peer uid) */
	ev_io io;
	ev_timer timer;
	char *in; /* ops->insize + 1, NUL-terminated */
	size_t inlen;
	struct strbuf out;
	size_t sent;
};

struct conn_pool {
	struct ev_loop *loop;
	const struct conn_ops *ops;
	void *arg; /* the owner's */
	int fd;	   /* listening, owned by the caller */
	ev_io accept_io;
	unsigned nclients;
	struct conn *conns; /* ops->max_clients slots */
	char *bufs;
};

/* Allocates the slots; returns -1 (after logging) on failure.  ops must
 * outlive the pool. */
int conn_pool_init(struct conn_pool *p, struct ev_loop *loop,
    const struct conn_ops *ops, void *arg);
/* Starts accepting on the listening socket fd (non-blocking). */
void conn_pool_start(struct conn_pool *p, int fd);
/* Closes every connection and stops accepting; the listening socket stays
 * open.  Safe on a pool that was initialised (or zeroed) but never started. */
void conn_pool_free(struct conn_pool *p);
void conn_close(struct conn *c);
/* Sends a one-line refusal on a fresh connection and closes it. */
void conn_refuse(int fd, const char *msg);

#endif
