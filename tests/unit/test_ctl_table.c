/*
 * test_ctl_table.c — text tables: widths from content (headers included,
 * UTF-8 counted as characters), alignment, no trailing blanks, control
 * characters neutralised, misuse reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctl/table.h"

static const struct table_col cols[] = {
	{ "ID", TABLE_RIGHT },
	{ "PEER", TABLE_LEFT },
	{ "STATE", TABLE_LEFT },
	{ "RX", TABLE_RIGHT },
};

static void
render_expect(struct table *t, const char *want)
{
	struct strbuf b;

	strbuf_init(&b);
	assert_true(table_render(t, &b));
	assert_string_equal(strbuf_str(&b), want);
	strbuf_free(&b);
}

static void
test_header_only(void **state)
{
	struct table t;

	(void)state;
	table_init(&t, cols, 4);
	render_expect(&t, "ID  PEER  STATE  RX\n");
	table_free(&t);
}

static void
test_widths_and_alignment(void **state)
{
	struct table t;

	(void)state;
	table_init(&t, cols, 4);
	table_row(&t);
	table_cell_u64(&t, 7);
	table_cell(&t, "192.0.2.1:1701");
	table_cell(&t, "established");
	table_cell_u64(&t, 123456);
	table_row(&t);
	table_cell_u64(&t, 65535);
	table_cell(&t, "[2001:db8::1]:1701");
	table_cell(&t, "wait-ctl-reply");
	table_cell_u64(&t, 0);
	render_expect(&t,
	    "   ID  PEER                STATE               RX\n"
	    "    7  192.0.2.1:1701      established     123456\n"
	    "65535  [2001:db8::1]:1701  wait-ctl-reply       0\n");
	table_free(&t);
}

/* A left-aligned last column (or empty trailing cells) leaves no blanks. */
static void
test_no_trailing_blanks(void **state)
{
	static const struct table_col c2[] = {
		{ "NAME", TABLE_LEFT },
		{ "USER", TABLE_LEFT },
	};
	struct table t;

	(void)state;
	table_init(&t, c2, 2);
	table_row(&t);
	table_cell(&t, "a");
	table_cell(&t, "alice@corp.example");
	table_row(&t);
	table_cell(&t, "longer-name");
	table_cell(&t, "");
	table_row(&t);
	table_cell(&t, "b"); /* missing second cell */
	render_expect(&t,
	    "NAME         USER\n"
	    "a            alice@corp.example\n"
	    "longer-name\n"
	    "b\n");
	table_free(&t);
}

static void
test_utf8_width(void **state)
{
	static const struct table_col c2[] = {
		{ "H", TABLE_LEFT },
		{ "N", TABLE_RIGHT },
	};
	struct table t;

	(void)state;
	table_init(&t, c2, 2);
	table_row(&t);
	table_cell(&t, "caf\xc3\xa9"); /* 4 characters, 5 bytes */
	table_cell(&t, "1");
	table_row(&t);
	table_cell(&t, "abcd");
	table_cell(&t, "22");
	render_expect(&t,
	    "H      N\n"
	    "caf\xc3\xa9   1\n"
	    "abcd  22\n");
	table_free(&t);
}

static void
test_control_chars_replaced(void **state)
{
	static const struct table_col c1[] = { { "HOSTNAME", TABLE_LEFT } };
	struct table t;

	(void)state;
	table_init(&t, c1, 1);
	table_row(&t);
	table_cell(&t, "evil\x1b[2J\nhost\x7f");
	table_row(&t);
	table_cell(&t,
	    "c1\xc2\x9b"
	    "31m bad\xff\xc3 ok\xc3\xa9");
	render_expect(&t,
	    "HOSTNAME\nevil?[2J?host?\nc1?31m bad?? ok\xc3\xa9\n");
	table_free(&t);
}

static void
test_cellf(void **state)
{
	static const struct table_col c1[] = { { "X", TABLE_RIGHT } };
	struct table t;

	(void)state;
	table_init(&t, c1, 1);
	table_row(&t);
	table_cellf(&t, "%s-%d", "a", 42);
	render_expect(&t, "   X\na-42\n");
	table_free(&t);
}

static void
test_misuse(void **state)
{
	struct strbuf b;
	struct table t;

	(void)state;
	strbuf_init(&b);
	/* A cell before any row. */
	table_init(&t, cols, 4);
	table_cell(&t, "x");
	assert_false(table_render(&t, &b));
	table_free(&t);
	/* More cells than columns. */
	table_init(&t, cols, 2);
	table_row(&t);
	table_cell(&t, "1");
	table_cell(&t, "2");
	table_cell(&t, "3");
	assert_false(table_render(&t, &b));
	table_free(&t);
	strbuf_free(&b);
}

static void
test_many_rows(void **state)
{
	static const struct table_col c1[] = { { "N", TABLE_RIGHT } };
	struct strbuf b;
	struct table t;
	unsigned i;

	(void)state;
	table_init(&t, c1, 1);
	for (i = 0; i < 1000; i++) {
		table_row(&t);
		table_cell_u64(&t, i);
	}
	strbuf_init(&b);
	assert_true(table_render(&t, &b));
	/* Header + 1000 lines, each 3 characters wide plus "\n". */
	assert_int_equal(b.len, 1001 * 4);
	assert_string_equal(b.p + b.len - 4, "999\n");
	assert_memory_equal(b.p, "  N\n  0\n", 8);
	strbuf_free(&b);
	table_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_widths_and_alignment),
		cmocka_unit_test(test_no_trailing_blanks),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_control_chars_replaced),
		cmocka_unit_test(test_cellf),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_many_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
