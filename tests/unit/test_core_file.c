/* test_core_file.c — file_read_all/file_read_fd: whole files, short reads,
 * bounds and errors that name the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/file.h"

static char dir[] = "/tmp/vpdn-test-file-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *name, const char *data, size_t len, char *path,
    size_t pathlen)
{
	FILE *f;

	snprintf(path, pathlen, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_reads_whole_file_nul_terminated(void **state)
{
	char path[256], err[256], *buf = NULL;
	size_t len = 0;

	(void)state;
	write_file("a", "key = value\n", 12, path, sizeof(path));
	assert_int_equal(file_read_all(path, 100, &buf, &len, err, sizeof(err)),
	    0);
	assert_int_equal(len, 12);
	assert_string_equal(buf, "key = value\n");
	free(buf);

	write_file("empty", "", 0, path, sizeof(path));
	assert_int_equal(file_read_all(path, 100, &buf, &len, err, sizeof(err)),
	    0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
}

/* Exactly max bytes is accepted; one more is refused, naming the file. */
static void
test_bounds_size(void **state)
{
	char path[256], want[300], err[256], *buf = NULL;
	size_t len = 0;

	(void)state;
	write_file("ten", "0123456789", 10, path, sizeof(path));
	assert_int_equal(file_read_all(path, 10, &buf, &len, err, sizeof(err)),
	    0);
	assert_int_equal(len, 10);
	free(buf);
	buf = NULL;
	assert_int_equal(file_read_all(path, 9, &buf, &len, err, sizeof(err)),
	    -1);
	assert_null(buf);
	snprintf(want, sizeof(want),
	    "%s: not a regular file of at most 9 "
	    "bytes",
	    path);
	assert_string_equal(err, want);
}

static void
test_missing_file_and_fifo(void **state)
{
	char path[256], want[300], err[256], *buf = NULL;
	size_t len = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(file_read_all(path, 100, &buf, &len, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);

	/* A FIFO is refused before anything blocks on it. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(file_read_all(path, 100, &buf, &len, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_null(buf);
}

/* A writer that delivers its data in pieces with pauses between them: each
 * read(2) returns one piece, so a reader that stops at the first short read
 * gets a prefix.  Sizes cross the first buffer (hint 4) several times. */
static pid_t
slow_writer(int *rfd, const char *const *pieces, size_t n)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		for (size_t i = 0; i < n; i++) {
			if (write(p[1], pieces[i], strlen(pieces[i])) < 0)
				_exit(1);
			usleep(20000);
		}
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void
test_short_reads_are_continued(void **state)
{
	static const char *const pieces[] = {
		"[global]\n",
		"hostname = a\n",
		"",
		"listen = 0.0.0.0:1701\n",
		"x",
	};
	char err[256], *buf = NULL;
	size_t len = 0;
	int fd, st;
	pid_t pid;

	(void)state;
	pid = slow_writer(&fd, pieces, sizeof(pieces) / sizeof(pieces[0]));
	assert_int_equal(file_read_fd(fd, "pipe", 1000, 4, &buf, &len, err,
			     sizeof(err)),
	    0);
	close(fd);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_string_equal(buf,
	    "[global]\nhostname = a\nlisten = 0.0.0.0:1701\nx");
	assert_int_equal(len, strlen(buf));
	free(buf);
}

/* A stream that turns out larger than the bound (a file that grew after
 * fstat) is refused, not cut. */
static void
test_stream_over_bound_refused(void **state)
{
	static const char *const pieces[] = { "0123", "4567", "89" };
	char err[256], *buf = NULL;
	size_t len = 0;
	int fd, st;
	pid_t pid;

	(void)state;
	pid = slow_writer(&fd, pieces, 3);
	assert_int_equal(file_read_fd(fd, "pipe", 9, 0, &buf, &len, err,
			     sizeof(err)),
	    -1);
	close(fd);
	(void)waitpid(pid, &st, 0);
	assert_null(buf);
	assert_string_equal(err, "pipe: larger than 9 bytes");

	pid = slow_writer(&fd, pieces, 3);
	assert_int_equal(file_read_fd(fd, "pipe", 10, 0, &buf, &len, err,
			     sizeof(err)),
	    0);
	close(fd);
	(void)waitpid(pid, &st, 0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "0123456789");
	free(buf);
}

static void
test_read_error_reported(void **state)
{
	char err[256], *buf = NULL;
	size_t len = 0;

	(void)state;
	/* A directory opens but read(2) fails with EISDIR. */
	int fd = open("/", O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(file_read_fd(fd, "/", 100, 0, &buf, &len, err,
			     sizeof(err)),
	    -1);
	close(fd);
	assert_string_equal(err, "/: Is a directory");
	assert_null(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_whole_file_nul_terminated),
		cmocka_unit_test(test_bounds_size),
		cmocka_unit_test(test_missing_file_and_fifo),
		cmocka_unit_test(test_short_reads_are_continued),
		cmocka_unit_test(test_stream_over_bound_refused),
		cmocka_unit_test(test_read_error_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
