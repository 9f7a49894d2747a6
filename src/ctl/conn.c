/*
 * conn.c — the per-connection machinery of the control socket and the
 * metrics listener (see conn.h).
 *
 * Each connection is a slot in a fixed array: reading the request (EV_READ),
 * then writing the reply (EV_WRITE), then closed.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "ctl/conn.h"

const char *
conn_req_str(enum conn_req r)
{
	switch (r) {
	/* clang-format off */
	case CONN_REQ_MORE:	return "more";
	case CONN_REQ_DONE:	return "done";
	case CONN_REQ_CLOSE:	return "close";
		/* clang-format on */
	}
	return "?";
}

/* Reads and discards what the peer already sent (bounded: a client that
 * keeps writing gets its reset). */
static void
drain(int fd)
{
	char sink[1024];
	int i;

	for (i = 0; i < 4; i++)
		if (recv(fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
}

/* The send cannot block: the socket buffer of a new connection is empty.
 * Whatever request already arrived is drained first (see conn_ops.drain). */
void
conn_refuse(int fd, const char *msg)
{
	(void)send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)shutdown(fd, SHUT_WR);
	drain(fd);
	close(fd);
}

void
conn_close(struct conn *c)
{
	struct conn_pool *p = c->pool;

	ev_io_stop(p->loop, &c->io);
	ev_timer_stop(p->loop, &c->timer);
	if (p->ops->drain)
		drain(c->fd);
	close(c->fd);
	c->fd = -1;
	strbuf_free(&c->out);
	p->nclients--;
}

static void
timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;

	(void)loop;
	(void)revents;
	if (c->pool->ops->timeout != NULL)
		c->pool->ops->timeout(c);
	conn_close(c);
}

static void
write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;
	ssize_t n;

	(void)revents;
	while (c->sent < c->out.len) {
		n = send(c->fd, c->out.p + c->sent, c->out.len - c->sent,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				/* Progress restarts the clock. */
				ev_timer_again(loop, &c->timer);
				return;
			}
			log_debug("%s: send: %s", c->pool->ops->name,
			    strerror(errno));
			break;
		}
		c->sent += (size_t)n;
	}
	conn_close(c);
}

/* Switches the connection to writing its reply; from now on the timeout
 * restarts whenever part of the reply is taken. */
static void
reply(struct conn *c)
{
	struct ev_loop *loop = c->pool->loop;

	if (!c->pool->ops->handle(c)) {
		conn_close(c);
		return;
	}
	ev_io_stop(loop, &c->io);
	ev_io_init(&c->io, write_cb, c->fd, EV_WRITE);
	c->io.data = c;
	ev_io_start(loop, &c->io);
	ev_timer_again(loop, &c->timer);
}

static void
read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;
	const struct conn_ops *ops = c->pool->ops;
	ssize_t n;

	(void)loop;
	(void)revents;
	n = recv(c->fd, c->in + c->inlen, ops->insize - c->inlen, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		conn_close(c);
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	switch (ops->request_complete(c, n == 0)) {
	case CONN_REQ_MORE:
		/* No timer restart here: the request must be complete within
		 * the timeout of connecting, however slowly it trickles in. */
		if (n == 0 || c->inlen == ops->insize)
			conn_close(c);
		return;
	case CONN_REQ_DONE:
		reply(c);
		return;
	case CONN_REQ_CLOSE:
		conn_close(c);
		return;
	}
}

static struct conn *
free_slot(struct conn_pool *p)
{
	unsigned i;

	for (i = 0; i < p->ops->max_clients; i++)
		if (p->conns[i].fd < 0)
			return &p->conns[i];
	return NULL;
}

static void
accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn_pool *p = w->data;
	const struct conn_ops *ops = p->ops;
	struct conn *c;
	unsigned long tag = 0;
	int fd;

	(void)revents;
	for (;;) {
		fd = accept4(p->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				LOG_RL(LOG_LEVEL_WARN, "%s: accept: %s",
				    ops->name, strerror(errno));
			return;
		}
		if (ops->admit != NULL && !ops->admit(p, fd, &tag))
			continue;
		if ((c = free_slot(p)) == NULL) {
			LOG_RL(LOG_LEVEL_WARN, "%s: %u clients, refusing more",
			    ops->name, p->nclients);
			if (ops->busy_msg != NULL)
				conn_refuse(fd, ops->busy_msg);
			else
				close(fd);
			continue;
		}
		c->fd = fd;
		c->tag = tag;
		c->inlen = 0;
		c->sent = 0;
		strbuf_init(&c->out);
		p->nclients++;
		ev_io_init(&c->io, read_cb, fd, EV_READ);
		c->io.data = c;
		ev_io_start(loop, &c->io);
		ev_timer_init(&c->timer, timeout_cb, ops->timeout_s,
		    ops->timeout_s);
		c->timer.data = c;
		ev_timer_again(loop, &c->timer);
	}
}

int
conn_pool_init(struct conn_pool *p, struct ev_loop *loop,
    const struct conn_ops *ops, void *arg)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->loop = loop;
	p->ops = ops;
	p->arg = arg;
	p->fd = -1;
	p->conns = calloc(ops->max_clients, sizeof(*p->conns));
	p->bufs = calloc(ops->max_clients, ops->insize + 1);
	if (p->conns == NULL || p->bufs == NULL) {
		log_warn("%s: calloc", ops->name);
		free(p->conns);
		free(p->bufs);
		p->conns = NULL;
		p->bufs = NULL;
		return -1;
	}
	for (i = 0; i < ops->max_clients; i++) {
		p->conns[i].pool = p;
		p->conns[i].fd = -1;
		p->conns[i].in = p->bufs + (size_t)i * (ops->insize + 1);
	}
	return 0;
}

void
conn_pool_start(struct conn_pool *p, int fd)
{
	p->fd = fd;
	ev_io_init(&p->accept_io, accept_cb, fd, EV_READ);
	p->accept_io.data = p;
	ev_io_start(p->loop, &p->accept_io);
}

void
conn_pool_free(struct conn_pool *p)
{
	unsigned i;

	if (p->conns != NULL)
		for (i = 0; i < p->ops->max_clients; i++)
			if (p->conns[i].fd >= 0)
				conn_close(&p->conns[i]);
	if (p->loop != NULL)
		ev_io_stop(p->loop, &p->accept_io);
	free(p->conns);
	free(p->bufs);
	p->conns = NULL;
	p->bufs = NULL;
}
