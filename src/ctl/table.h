/*
 * table.h — fixed-width text tables for `vpdnctl show ...` without --json.
 *
 * Columns have a header and an alignment; each column is as wide as its
 * widest cell (header included, counted in UTF-8 characters), columns are
 * separated by two spaces and lines carry no trailing blanks.  Cells are
 * copied; control characters in them become '?', so a peer's Host Name
 * cannot send escape sequences to an operator's terminal.
 */
#ifndef VPDN_CTL_TABLE_H
#define VPDN_CTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/strbuf.h"

#define TABLE_MAX_COLS 24

enum table_align {
	TABLE_LEFT,
	TABLE_RIGHT,
};
const char *table_align_str(enum table_align a);

struct table_col {
	const char *title;
	enum table_align align;
};

struct table {
	unsigned ncols;
	struct table_col cols[TABLE_MAX_COLS];
	char **cells; /* nrows * ncols, row-major */
	size_t nrows, cap_rows;
	unsigned cur_col; /* next cell of the last row */
	bool err;	  /* out of memory / misuse */
};

/* ncols <= TABLE_MAX_COLS; titles must outlive the table. */
void table_init(struct table *t, const struct table_col *cols, unsigned ncols);
void table_free(struct table *t);
/* Starts a new row; its cells are filled left to right, missing ones are
 * empty. */
void table_row(struct table *t);
void table_cell(struct table *t, const char *s);
void table_cellf(struct table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void table_cell_u64(struct table *t, uint64_t v);
/* Appends header and rows to out.  Returns false on an earlier error. */
bool table_render(const struct table *t, struct strbuf *out);

#endif
