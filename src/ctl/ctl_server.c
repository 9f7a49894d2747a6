/*
 * ctl_server.c — Unix stream control socket on the libev loop (see
 * ctl_server.h for the protocol and the safety rules).
 *
 * The connection machinery (client slots, request reading, timeouts, the
 * non-blocking reply) is conn.c's; what is the control socket's own is here:
 * the socket file, the peer-credential check and the command dispatch.
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
#include "ctl/conn.h"
#include "ctl/ctl_server.h"

struct ctl_server {
	struct ctl_ctx *ctx;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int fd;
	dev_t dev; /* of the socket file we bound */
	ino_t ino;
	struct conn_pool pool;
};

/* The 0600 mode already keeps others out; this holds even if someone
 * loosens the mode or passes the fd around. */
static bool
client_admit(struct conn_pool *p, int fd, unsigned long *tag)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);

	(void)p;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
		log_warn("ctl: SO_PEERCRED");
		close(fd);
		return false;
	}
	if (cred.uid != 0 && cred.uid != geteuid()) {
		log_info("ctl: refused uid %u pid %d", (unsigned)cred.uid,
		    (int)cred.pid);
		conn_refuse(fd, "ERR permission denied\n");
		return false;
	}
	*tag = cred.uid;
	return true;
}

static enum conn_req
client_request_complete(struct conn *c, bool eof)
{
	char *nl;

	if (eof) /* a request without "\n" is still a request */
		return c->inlen == 0 ? CONN_REQ_CLOSE : CONN_REQ_DONE;
	if ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		c->inlen = (size_t)(nl - c->in);
		c->in[c->inlen] = '\0';
		return CONN_REQ_DONE;
	}
	/* Full buffer, no end of line: refused in client_handle(). */
	return c->inlen > CTL_MAX_REQUEST ? CONN_REQ_DONE : CONN_REQ_MORE;
}

/* Runs the request line in c->in. */
static bool
client_handle(struct conn *c)
{
	struct ctl_server *s = c->pool->arg;
	struct ctl_reply r;

	if (c->inlen > CTL_MAX_REQUEST) {
		/* Refuse instead of truncating into a different command. */
		strbuf_puts(&c->out, "ERR request too long\n");
		return true;
	}
	ctl_reply_init(&r);
	if (memchr(c->in, '\0', c->inlen) != NULL) {
		strbuf_puts(&c->out, "ERR usage: NUL byte in request\n");
		goto reply;
	}
	log_debug("ctl: uid %lu: %s", c->tag, c->in);
	if (ctl_cmd_exec(s->ctx, c->in, time_now_ms(), &r) < 0)
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
	return true;
}

static void
client_timeout(struct conn *c)
{
	log_debug("ctl: client uid %lu timed out", c->tag);
	if (c->out.len == 0)
		(void)send(c->fd, "ERR timeout\n", 12,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
}

static const struct conn_ops client_ops = {
	.name = "ctl",
	.max_clients = CTL_MAX_CLIENTS,
	.insize = CTL_MAX_REQUEST + 1, /* line and "\n" */
	.timeout_s = CTL_TIMEOUT_S,
	.busy_msg = "ERR busy\n",
	.drain = true,
	.admit = client_admit,
	.request_complete = client_request_complete,
	.handle = client_handle,
	.timeout = client_timeout,
};

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
	s->ctx = ctx;
	strlcpy(s->path, path, sizeof(s->path));
	if (conn_pool_init(&s->pool, loop, &client_ops, s) < 0)
		goto fail;
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
	conn_pool_start(&s->pool, s->fd);
	log_info("ctl: listening on %s", path);
	return s;

fail_unlink:
	unlink(path);
fail_fd:
	close(s->fd);
fail:
	conn_pool_free(&s->pool);
	free(s);
	return NULL;
}

void
ctl_server_free(struct ctl_server *s)
{
	struct stat st;

	if (s == NULL)
		return;
	conn_pool_free(&s->pool);
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
	return s->pool.nclients;
}
