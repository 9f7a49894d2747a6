/* test_core.c — buf cursors (sticky errors) and idpool (random unique IDs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/idpool.h"
#include "core/log.h"

static void
test_rbuf_reads_big_endian(void **state)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct rbuf r;

	(void)state;
	rbuf_init(&r, b, sizeof(b));
	assert_int_equal(rd_u8(&r), 0x01);
	assert_int_equal(rd_be16(&r), 0x0203);
	assert_int_equal(rd_be32(&r), 0x04050607);
	assert_false(r.err);
	assert_int_equal(rbuf_left(&r), 0);
}

static void
test_rbuf_error_is_sticky(void **state)
{
	static const uint8_t b[] = { 0xaa, 0xbb, 0xcc };
	struct rbuf r;

	(void)state;
	rbuf_init(&r, b, sizeof(b));
	assert_int_equal(rd_be32(&r), 0); /* overrun: 4 > 3 */
	assert_true(r.err);
	/* Even a read that would fit now fails: the error sticks. */
	assert_int_equal(rd_u8(&r), 0);
	assert_null(rd_ptr(&r, 1));
	assert_int_equal(rbuf_left(&r), 0);
}

static void
test_rbuf_huge_length_does_not_wrap(void **state)
{
	static const uint8_t b[4];
	struct rbuf r;

	(void)state;
	rbuf_init(&r, b, sizeof(b));
	rd_skip(&r, 2);
	assert_null(rd_ptr(&r, SIZE_MAX));
	assert_true(r.err);
}

static void
test_wbuf_overflow_is_sticky(void **state)
{
	uint8_t out[5];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, out, sizeof(out));
	wr_be16(&w, 0x1234);
	wr_be16(&w, 0x5678);
	assert_false(w.err);
	wr_be16(&w, 0x9abc); /* 2 > 1 left */
	assert_true(w.err);
	wr_u8(&w, 0xff); /* would fit, but the error sticks */
	assert_int_equal(w.len, 4);
	assert_int_equal(out[0], 0x12);
	assert_int_equal(out[3], 0x78);
}

static void
test_wbuf_patch_length(void **state)
{
	uint8_t out[8];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, out, sizeof(out));
	wr_be16(&w, 0);
	wr_be32(&w, 0xdeadbeef);
	wr_be16_at(&w, 0, (uint16_t)w.len);
	assert_false(w.err);
	assert_int_equal(get_be16(out), 6);
	wr_be16_at(&w, 5, 1); /* beyond what was written */
	assert_true(w.err);
}

static void
test_idpool_unique_nonzero(void **state)
{
	struct idpool p;
	static uint8_t seen[65536];
	int objs[2000];

	(void)state;
	idpool_init(&p, 0);
	for (int i = 0; i < 2000; i++) {
		uint16_t id = idpool_alloc(&p, &objs[i]);

		assert_int_not_equal(id, 0);
		assert_int_equal(seen[id], 0);
		seen[id] = 1;
		assert_ptr_equal(idpool_get(&p, id), &objs[i]);
	}
	assert_int_equal(idpool_count(&p), 2000);
	idpool_free(&p);
}

static void
test_idpool_limit_and_release(void **state)
{
	struct idpool p;
	uint16_t ids[3];
	int o;

	(void)state;
	idpool_init(&p, 3);
	for (int i = 0; i < 3; i++)
		assert_int_not_equal(ids[i] = idpool_alloc(&p, &o), 0);
	assert_int_equal(idpool_alloc(&p, &o), 0); /* at the limit */
	idpool_release(&p, ids[1]);
	assert_null(idpool_get(&p, ids[1]));
	assert_ptr_equal(idpool_get(&p, ids[0]), &o);
	assert_int_not_equal(idpool_alloc(&p, &o), 0); /* room again */
	assert_int_equal(idpool_get(&p, 0), NULL);     /* 0 is never an ID */
	idpool_free(&p);
}

static void
test_idpool_insert_rejects_duplicates_and_zero(void **state)
{
	struct idpool p;
	int a, b;

	(void)state;
	idpool_init(&p, 0);
	assert_int_equal(idpool_insert(&p, 7, &a), 0);
	assert_int_equal(idpool_insert(&p, 7, &b), -1);
	assert_int_equal(idpool_insert(&p, 0, &b), -1);
	assert_ptr_equal(idpool_get(&p, 7), &a);
	/* Tombstones do not hide later entries of the same probe chain. */
	for (uint16_t id = 8; id < 200; id++)
		assert_int_equal(idpool_insert(&p, id, &b), 0);
	for (uint16_t id = 8; id < 200; id += 2)
		idpool_release(&p, id);
	for (uint16_t id = 9; id < 200; id += 2)
		assert_ptr_equal(idpool_get(&p, id), &b);
	idpool_free(&p);
}

static void
test_idpool_fills_to_65535(void **state)
{
	struct idpool p;
	int o;

	(void)state;
	idpool_init(&p, 0);
	for (unsigned i = 0; i < 65535; i++)
		assert_int_not_equal(idpool_alloc(&p, &o), 0);
	assert_int_equal(idpool_alloc(&p, &o), 0);
	idpool_free(&p);
}

/* The iterator visits each held ID exactly once, with its object, skips
 * released ones, and lets the walker release entries as it goes. */
static void
test_idpool_next_visits_each_once(void **state)
{
	static int objs[300];
	static uint8_t seen[65536];
	bool gone[300] = { false };
	struct idpool p;
	uint16_t ids[300], id;
	uint32_t cur = 0;
	int *o;

	(void)state;
	memset(seen, 0, sizeof(seen));
	idpool_init(&p, 0);
	assert_null(idpool_next(&p, &cur, &id)); /* empty, no table */
	for (unsigned i = 0; i < 300; i++)
		assert_int_not_equal(ids[i] = idpool_alloc(&p, &objs[i]), 0);
	for (unsigned i = 0; i < 300; i += 3) {
		idpool_release(&p, ids[i]);
		gone[i] = true;
	}
	cur = 0;
	while ((o = idpool_next(&p, &cur, &id)) != NULL) {
		unsigned i = (unsigned)(o - objs);

		assert_true(i < 300);
		assert_int_equal(ids[i], id);
		assert_false(gone[i]);
		assert_int_equal(seen[id]++, 0);
		/* Releasing the current and another entry mid-walk. */
		if (i % 3 == 1) {
			idpool_release(&p, id);
			idpool_release(&p, ids[i + 1]);
			gone[i + 1] = true;
		}
	}
	for (unsigned i = 1; i < 300; i += 3)
		assert_int_equal(seen[ids[i]], 1);
	assert_null(idpool_next(&p, &cur, NULL)); /* stays at the end */
	for (unsigned i = 2; i < 300; i += 3)
		if (!seen[ids[i]])
			assert_true(gone[i]);
		else
			idpool_release(&p, ids[i]);
	assert_int_equal(idpool_count(&p), 0);
	idpool_free(&p);
}

/* The walk order is the slot order, the same on every walk. */
static void
test_idpool_next_order_stable_and_id_optional(void **state)
{
	struct idpool p;
	int objs[50];
	void *first[50], *o;
	uint32_t cur = 0;
	unsigned n = 0;

	(void)state;
	idpool_init(&p, 0);
	for (unsigned i = 0; i < 50; i++)
		assert_int_not_equal(idpool_alloc(&p, &objs[i]), 0);
	while ((o = idpool_next(&p, &cur, NULL)) != NULL)
		first[n++] = o;
	assert_int_equal(n, 50);
	cur = 0;
	n = 0;
	while ((o = idpool_next(&p, &cur, NULL)) != NULL)
		assert_ptr_equal(o, first[n++]);
	assert_int_equal(n, 50);
	idpool_free(&p);
}

static void
test_idpool_set_limit(void **state)
{
	struct idpool p;
	int o;

	(void)state;
	idpool_init(&p, 0);
	assert_int_not_equal(idpool_alloc(&p, &o), 0);
	assert_int_not_equal(idpool_alloc(&p, &o), 0);
	idpool_set_limit(&p, 1); /* below what is held: both stay */
	assert_int_equal(idpool_count(&p), 2);
	assert_int_equal(idpool_alloc(&p, &o), 0);
	idpool_set_limit(&p, 3);
	assert_int_not_equal(idpool_alloc(&p, &o), 0);
	assert_int_equal(idpool_alloc(&p, &o), 0);
	idpool_free(&p);
}

/*
 * Runs one log_info("%s", arg) with stderr redirected to a temporary file
 * and returns what was written after the "info  " level column (without the
 * final newline), and the number of lines written.
 */
static int
log_capture(const char *arg, char *out, size_t outlen)
{
	FILE *tmp = tmpfile();
	int saved, lines = 0;
	size_t n;
	char buf[4096];
	char *p;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	log_init("test", LOG_LEVEL_INFO, false);
	log_info("peer said %s", arg);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	fclose(tmp);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n')
			lines++;
	p = strstr(buf, "peer said ");
	assert_non_null(p);
	p += strlen("peer said ");
	n = strcspn(p, "\n");
	assert_true(n < outlen);
	memcpy(out, p, n);
	out[n] = '\0';
	return lines;
}

/* A peer-supplied newline must not start a forged log line. */
static void
test_log_escapes_newline_one_line(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(log_capture("lac1\n12:00:00.000 info  forged", out,
			     sizeof(out)),
	    1);
	assert_string_equal(out, "lac1\\x0a12:00:00.000 info  forged");
}

/* Control characters, DEL, bytes that are not valid UTF-8 and the
 * backslash itself are escaped; printable ASCII and valid UTF-8 stay. */
static void
test_log_escapes_control_and_invalid_utf8(void **state)
{
	char out[512];

	(void)state;
	log_capture("a\x1b[31mb\tc\rd\x7f"
		    "e\\f",
	    out, sizeof(out));
	assert_string_equal(out, "a\\x1b[31mb\\x09c\\x0dd\\x7fe\\\\f");
	/* "é" (C3 A9) and "€" (E2 82 AC) are valid UTF-8 and kept. */
	log_capture("caf\xc3\xa9 \xe2\x82\xac", out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9 \xe2\x82\xac");
	/* A lone continuation byte, a truncated sequence, an overlong
	 * encoding of '/', a UTF-16 surrogate and a byte above F4. */
	log_capture("\x80|\xc3|\xc0\xaf|\xed\xa0\x80|\xff", out, sizeof(out));
	assert_string_equal(out,
	    "\\x80|\\xc3|\\xc0\\xaf|\\xed\\xa0\\x80|\\xff");
}

/* Escaping can grow a line fourfold; the result is still one bounded,
 * terminated line and never splits an escape. */
static void
test_log_escape_long_line_truncated(void **state)
{
	char arg[1500], out[4096];
	size_t n;

	(void)state;
	memset(arg, '\n', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	assert_int_equal(log_capture(arg, out, sizeof(out)), 1);
	n = strlen(out);
	assert_true(n > 0);
	assert_true(n % 4 == 0);
	for (size_t i = 0; i < n; i += 4)
		assert_memory_equal(out + i, "\\x0a", 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbuf_reads_big_endian),
		cmocka_unit_test(test_rbuf_error_is_sticky),
		cmocka_unit_test(test_rbuf_huge_length_does_not_wrap),
		cmocka_unit_test(test_wbuf_overflow_is_sticky),
		cmocka_unit_test(test_wbuf_patch_length),
		cmocka_unit_test(test_idpool_unique_nonzero),
		cmocka_unit_test(test_idpool_limit_and_release),
		cmocka_unit_test(
		    test_idpool_insert_rejects_duplicates_and_zero),
		cmocka_unit_test(test_idpool_fills_to_65535),
		cmocka_unit_test(test_idpool_next_visits_each_once),
		cmocka_unit_test(test_idpool_next_order_stable_and_id_optional),
		cmocka_unit_test(test_idpool_set_limit),
		cmocka_unit_test(test_log_escapes_newline_one_line),
		cmocka_unit_test(test_log_escapes_control_and_invalid_utf8),
		cmocka_unit_test(test_log_escape_long_line_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
