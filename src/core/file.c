#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"

/* Frees a buffer that may hold passwords without leaving them in the heap. */
static void
wipe_free(char *b, size_t len)
{
	if (b == NULL)
		return;
	explicit_bzero(b, len);
	free(b);
}

int
file_read_fd(int fd, const char *name, size_t max, size_t size_hint, char **buf,
    size_t *len, char *err, size_t errlen)
{
	/* One byte beyond max shows an oversized file, one more is the NUL. */
	size_t cap = (size_hint < max ? size_hint : max) + 2;
	size_t got = 0;
	char *b;
	ssize_t n;

	if ((b = malloc(cap)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (;;) {
		if (got + 1 == cap) {
			/* Not realloc(): it could leave a copy of the
			 * secrets read so far in freed memory. */
			size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			char *nb = malloc(ncap);

			if (nb == NULL) {
				snprintf(err, errlen, "%s: out of memory",
				    name);
				wipe_free(b, got);
				return -1;
			}
			memcpy(nb, b, got);
			wipe_free(b, got);
			b = nb;
			cap = ncap;
		}
		n = read(fd, b + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			wipe_free(b, got);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > max) {
			snprintf(err, errlen, "%s: larger than %zu bytes", name,
			    max);
			wipe_free(b, got);
			return -1;
		}
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

int
file_read_all(const char *path, size_t max, char **buf, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* A FIFO or device would block or never end (O_NONBLOCK keeps
	 * open() itself from waiting for a FIFO's writer). */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > max) {
		snprintf(err, errlen,
		    "%s: not a regular file of at most %zu "
		    "bytes",
		    path, max);
		close(fd);
		return -1;
	}
	r = file_read_fd(fd, path, max, (size_t)st.st_size, buf, len, err,
	    errlen);
	close(fd);
	return r;
}
