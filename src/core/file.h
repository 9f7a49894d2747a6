/*
 * file.h — reading a whole file into memory, for the configuration and the
 * users file.
 *
 * read(2) may return less than asked, and a file may change between fstat()
 * and read(); so the reader loops until end of file, counts what it really
 * got, and refuses a file that turns out larger than its bound instead of
 * silently taking a prefix.
 */
#ifndef VPDN_CORE_FILE_H
#define VPDN_CORE_FILE_H

#include <stddef.h>

/*
 * Reads the regular file at path, at most max bytes (max < SIZE_MAX / 2).
 * On success returns 0 with *buf a malloc'ed copy followed by a NUL and
 * *len its length; the caller frees it (after explicit_bzero when it may
 * hold secrets).  On failure returns -1 with "PATH: problem" in err.
 */
int file_read_all(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen);

/*
 * The same for an open descriptor (a pipe too), read until end of file;
 * name is used in messages.  size_hint (0 if unknown) sizes the first
 * buffer.  Does not close fd.
 */
int file_read_fd(int fd, const char *name, size_t max, size_t size_hint,
    char **buf, size_t *len, char *err, size_t errlen);

#endif
