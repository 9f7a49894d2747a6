/*
 * ctl_server.c — Unix stream control socket on the libev loop (see
 * ctl_server.h for the protocol and the safety rules).
 *
 * Each connection is a slot in a fixed array: reading the request (EV_READ),
 * then writing the reply (EV_WRITE), then closed.  One ev_timer per slot is
 * the idle timeout, restarted whenever the client makes progress.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "ctl/ctl_server.h"

struct ctl_client {
	struct ctl_server	*srv;
	int			 fd;		/* -1: slot free */
	uid_t			 uid;
	ev_io			 io;
	ev_timer		 timer;
	char			 req[CTL_MAX_REQUEST + 2];	/* line, "\n", NUL */
	size_t			 reqlen;
	struct strbuf		 out;
	size_t			 sent;
};

struct ctl_server {
	struct ev_loop		*loop;
	struct ctl_ctx		*ctx;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int			 fd;
	dev_t			 dev;		/* of the socket file we bound */
	ino_t			 ino;
	ev_io			 accept_io;
	unsigned		 nclients;
	struct ctl_client	 clients[CTL_MAX_CLIENTS];
};

static void	client_close(struct ctl_client *c);

/*
 * Sends a one-line refusal on a fresh connection and closes it.  The send
 * cannot block: the socket buffer of a new connection is empty.  Whatever
 * request already arrived is drained first, because closing an AF_UNIX socket
 * with unread data makes the peer's read fail with ECONNRESET before it sees
 * our answer.
 */
static void
refuse(int fd, const char *msg)
{
	char sink[CTL_MAX_REQUEST + 2];
	int i;

	(void)send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)shutdown(fd, SHUT_WR);
	for (i = 0; i < 4; i++)
		if (recv(fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
	close(fd);
}

static void
client_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_client *c = w->data;

	(void)loop;
	(void)revents;
	log_debug("ctl: client uid %u timed out", (unsigned)c->uid);
	if (c->out.len == 0)
		(void)send(c->fd, "ERR timeout\n", 12,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
	client_close(c);
}

static void
client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	ssize_t n;

	(void)revents;
	while (c->sent < c->out.len) {
		n = send(c->fd, c->out.p + c->sent, c->out.len - c->sent,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_timer_again(loop, &c->timer);
				return;
			}
			log_debug("ctl: send: %s", strerror(errno));
			client_close(c);
			return;
		}
		c->sent += (size_t)n;
	}
	client_close(c);
}

/* Runs the request in c->req and switches the connection to writing; from
 * now on the timeout restarts whenever part of the reply is taken. */
static void
client_dispatch(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;
	struct ctl_reply r;

	c->req[c->reqlen] = '\0';
	ctl_reply_init(&r);
	if (memchr(c->req, '\0', c->reqlen) != NULL) {
		strbuf_puts(&c->out, "ERR usage: NUL byte in request\n");
		goto reply;
	}
	log_debug("ctl: uid %u: %s", (unsigned)c->uid, c->req);
	if (ctl_cmd_exec(s->ctx, c->req, time_now_ms(), &r) < 0)
		strbuf_printf(&c->out, "ERR %s\n", r.error);
	else {
		strbuf_puts(&c->out, "OK\n");
		strbuf_append(&c->out, r.body.p != NULL ? r.body.p : "",
		    r.body.len);
	}
reply:
	ctl_reply_free(&r);
	if (c->out.err) {
		strbuf_free(&c->out);
		strbuf_puts(&c->out, "ERR out of memory\n");
	}
	ev_io_stop(s->loop, &c->io);
	ev_io_init(&c->io, client_write_cb, c->fd, EV_WRITE);
	c->io.data = c;
	ev_io_start(s->loop, &c->io);
	ev_timer_again(s->loop, &c->timer);
}

static void
client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	char *nl;
	ssize_t n;

	(void)revents;
	n = recv(c->fd, c->req + c->reqlen, sizeof(c->req) - 1 - c->reqlen,
	    MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		client_close(c);
		return;
	}
	if (n == 0) {
		/* EOF: a request without "\n" is still a request. */
		if (c->reqlen == 0)
			client_close(c);
		else
			client_dispatch(c);
		return;
	}
	c->reqlen += (size_t)n;
	c->req[c->reqlen] = '\0';
	if ((nl = memchr(c->req, '\n', c->reqlen)) != NULL) {
		c->reqlen = (size_t)(nl - c->req);
		client_dispatch(c);
		return;
	}
	if (c->reqlen > CTL_MAX_REQUEST) {
		/* Full buffer, no end of line: refuse instead of truncating
		 * into a different command. */
		strbuf_puts(&c->out, "ERR request too long\n");
		ev_io_stop(loop, &c->io);
		ev_io_init(&c->io, client_write_cb, c->fd, EV_WRITE);
		c->io.data = c;
		ev_io_start(loop, &c->io);
		return;
	}
	/* No timer restart here: the request must be complete within
	 * CTL_TIMEOUT_S of connecting, however slowly it trickles in. */
}

static void
client_close(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;

	char sink[CTL_MAX_REQUEST + 2];
	int i;

	ev_io_stop(s->loop, &c->io);
	ev_timer_stop(s->loop, &c->timer);
	/* Bytes after the request line (see refuse()) would turn our reply
	 * into ECONNRESET at the client.  Bounded: a client that keeps
	 * writing gets its reset. */
	for (i = 0; i < 4; i++)
		if (recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
	close(c->fd);
	c->fd = -1;
	strbuf_free(&c->out);
	s->nclients--;
}

static void
accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_server *s = w->data;
	struct ctl_client *c = NULL;
	struct ucred cred;
	socklen_t clen;
	unsigned i;
	int fd;

	(void)revents;
	for (;;) {
		fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("ctl: accept");
			return;
		}
		clen = sizeof(cred);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
			log_warn("ctl: SO_PEERCRED");
			close(fd);
			continue;
		}
		/* The 0600 mode already keeps others out; this holds even if
		 * someone loosens the mode or passes the fd around. */
		if (cred.uid != 0 && cred.uid != geteuid()) {
			log_info("ctl: refused uid %u pid %d", (unsigned)cred.uid,
			    (int)cred.pid);
			refuse(fd, "ERR permission denied\n");
			continue;
		}
		if (s->nclients == CTL_MAX_CLIENTS) {
			LOG_RL(LOG_LEVEL_WARN, "ctl: %u clients, refusing more",
			    s->nclients);
			refuse(fd, "ERR busy\n");
			continue;
		}
		for (i = 0; i < CTL_MAX_CLIENTS; i++)
			if (s->clients[i].fd < 0) {
				c = &s->clients[i];
				break;
			}
		c->fd = fd;
		c->uid = cred.uid;
		c->reqlen = 0;
		c->sent = 0;
		strbuf_init(&c->out);
		s->nclients++;
		ev_io_init(&c->io, client_read_cb, fd, EV_READ);
		c->io.data = c;
		ev_io_start(loop, &c->io);
		ev_timer_init(&c->timer, client_timeout_cb, CTL_TIMEOUT_S,
		    CTL_TIMEOUT_S);
		c->timer.data = c;
		ev_timer_again(loop, &c->timer);
	}
}

/* A socket file left at path: remove it if nobody listens there. */
static int
remove_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("ctl: %s exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		log_warnx("ctl: %s: another daemon is listening there", path);
		return -1;
	}
	if (errno != ECONNREFUSED && errno != ENOENT) {
		log_warn("ctl: %s", path);
		return -1;
	}
	log_info("ctl: removing stale socket %s", path);
	if (unlink(path) < 0 && errno != ENOENT) {
		log_warn("ctl: unlink %s", path);
		return -1;
	}
	return 0;
}

/* Creates the socket's directory (one level, e.g. /run/vpdn) if missing. */
static void
make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];

	strlcpy(dir, path, sizeof(dir));
	if (mkdir(dirname(dir), 0755) < 0 && errno != EEXIST)
		log_warn("ctl: mkdir %s", dir);
}

struct ctl_server *
ctl_server_new(struct ev_loop *loop, const char *path, struct ctl_ctx *ctx)
{
	struct ctl_server *s;
	struct sockaddr_un sun;
	struct stat st;
	mode_t old;
	unsigned i;
	int rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path[0] == '\0' ||
	    strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("ctl: bad control socket path \"%s\"", path);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("ctl: calloc");
		return NULL;
	}
	s->loop = loop;
	s->ctx = ctx;
	strlcpy(s->path, path, sizeof(s->path));
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		s->clients[i].fd = -1;
		s->clients[i].srv = s;
	}
	make_parent(path);
	if (remove_stale(path, &sun) < 0)
		goto fail;
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		log_warn("ctl: socket");
		goto fail;
	}
	/* Mode 0600 from the start: bind() creates the file under umask. */
	old = umask(0177);
	rc = bind(s->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0) {
		log_warn("ctl: bind %s", path);
		goto fail_fd;
	}
	if (chmod(path, 0600) < 0 || lstat(path, &st) < 0) {
		log_warn("ctl: %s", path);
		goto fail_unlink;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	if (listen(s->fd, CTL_MAX_CLIENTS) < 0) {
		log_warn("ctl: listen %s", path);
		goto fail_unlink;
	}
	ev_io_init(&s->accept_io, accept_cb, s->fd, EV_READ);
	s->accept_io.data = s;
	ev_io_start(loop, &s->accept_io);
	log_info("ctl: listening on %s", path);
	return s;

fail_unlink:
	unlink(path);
fail_fd:
	close(s->fd);
fail:
	free(s);
	return NULL;
}

void
ctl_server_free(struct ctl_server *s)
{
	struct stat st;
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (s->clients[i].fd >= 0)
			client_close(&s->clients[i]);
	ev_io_stop(s->loop, &s->accept_io);
	close(s->fd);
	/* Unlink only our own socket, not one a newer daemon put there. */
	if (lstat(s->path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		unlink(s->path);
	free(s);
}

unsigned
ctl_server_clients(const struct ctl_server *s)
{
	return s->nclients;
}
