/*
 * vpdnctl — command-line client of vpdnd's control socket.
 *
 * A pipe with exit codes: joins its arguments into one request line, sends it,
 * and prints the reply body.  Everything else (tables, JSON, validation)
 * happens in the daemon (src/ctl/ctl_cmds.c).  Exit status (INTERFACE.md):
 * 0 success, 1 refused/failed command or no daemon, 2 usage error.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/version.h"

#define DEFAULT_SOCKET "/run/vpdn/vpdnd.sock"
#define MAX_REQUEST    1024 /* CTL_MAX_REQUEST in src/ctl/ctl_cmds.h */
#define USAGE_PREFIX   "usage: "

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vpdnctl [-s SOCKET] COMMAND [ARG...]\n"
	    "  -s, --socket SOCKET  control socket (default " DEFAULT_SOCKET
	    ")\n"
	    "  -h, --help           this text\n"
	    "      --version        print the version and exit\n"
	    "commands:\n"
	    "  show tunnels|sessions|stats|pool|clients [--json]\n"
	    "  disconnect tunnel ID | session ID | user NAME\n"
	    "  set session ID rate-plan NAME|none [--json]\n"
	    "  reload\n"
	    "  log-level error|warn|info|debug|trace\n"
	    "  help\n");
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_SOCKET;
	char req[MAX_REQUEST + 2], *reply = NULL, *nl, *np;
	size_t len = 0, cap = 0, rlen = 0;
	struct sockaddr_un sun;
	ssize_t n;
	int ch, fd, i;

	/* "+": stop at the first word, so "show tunnels --json" keeps --json. */
	while ((ch = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vpdnctl %s\n", VPDN_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		size_t al = strlen(argv[i]);

		if (strpbrk(argv[i], "\r\n") != NULL || al == 0) {
			fprintf(stderr,
			    "vpdnctl: empty or multi-line argument\n");
			return 2;
		}
		if (len + al + 2 > MAX_REQUEST + 1) {
			fprintf(stderr,
			    "vpdnctl: command longer than %d bytes\n",
			    MAX_REQUEST);
			return 2;
		}
		if (len > 0)
			req[len++] = ' ';
		memcpy(req + len, argv[i], al);
		len += al;
	}
	req[len++] = '\n';

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "vpdnctl: socket path too long: %s\n", path);
		return 2;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr,
		    "vpdnctl: cannot connect to %s: %s "
		    "(is vpdnd running?)\n",
		    path, strerror(errno));
		return 1;
	}
	/* A refusal ("ERR permission denied") may arrive before we write and
	 * make the write fail; the reply is still there to read. */
	if (write_all(fd, req, len) == 0)
		(void)shutdown(fd, SHUT_WR);

	for (;;) {
		if (cap - rlen < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((np = realloc(reply, cap + 1)) == NULL) {
				fprintf(stderr, "vpdnctl: out of memory\n");
				return 1;
			}
			reply = np;
		}
		n = read(fd, reply + rlen, cap - rlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* A reset after the reply still leaves the reply. */
			if (errno == ECONNRESET && rlen > 0)
				break;
			fprintf(stderr, "vpdnctl: reading from %s: %s\n", path,
			    strerror(errno));
			free(reply);
			return 1;
		}
		if (n == 0)
			break;
		rlen += (size_t)n;
	}
	close(fd);
	if (reply == NULL || (nl = memchr(reply, '\n', rlen)) == NULL) {
		fprintf(stderr, "vpdnctl: no reply from %s\n", path);
		free(reply);
		return 1;
	}
	*nl = '\0';
	if (strcmp(reply, "OK") == 0) {
		size_t blen = rlen - (size_t)(nl + 1 - reply);

		if (fwrite(nl + 1, 1, blen, stdout) != blen ||
		    fflush(stdout) != 0) {
			perror("vpdnctl: stdout");
			return 1;
		}
		free(reply);
		return 0;
	}
	if (strncmp(reply, "ERR ", 4) == 0) {
		const char *msg = reply + 4;
		int rc = 1;

		/* The daemon marks bad commands "usage: ..." (exit 2). */
		if (strncmp(msg, USAGE_PREFIX, strlen(USAGE_PREFIX)) == 0)
			rc = 2;
		fprintf(stderr, "vpdnctl: %s\n", msg);
		free(reply);
		return rc;
	}
	fprintf(stderr, "vpdnctl: malformed reply from %s\n", path);
	free(reply);
	return 1;
}
