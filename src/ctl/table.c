/*
 * table.c — fixed-width text tables (see table.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/table.h"

const char *
table_align_str(enum table_align a)
{
	switch (a) {
	case TABLE_LEFT:
		return "left";
	case TABLE_RIGHT:
		return "right";
	}
	return "?";
}

void
table_init(struct table *t, const struct table_col *cols, unsigned ncols)
{
	memset(t, 0, sizeof(*t));
	if (ncols > TABLE_MAX_COLS) {
		t->err = true;
		ncols = TABLE_MAX_COLS;
	}
	t->ncols = ncols;
	memcpy(t->cols, cols, ncols * sizeof(cols[0]));
}

void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap_rows = 0;
}

void
table_row(struct table *t)
{
	size_t ncap, i;
	char **nc;

	if (t->err || t->ncols == 0)
		return;
	if (t->nrows == t->cap_rows) {
		ncap = t->cap_rows ? t->cap_rows * 2 : 16;
		nc = reallocarray(t->cells, ncap * t->ncols, sizeof(*nc));
		if (nc == NULL) {
			t->err = true;
			return;
		}
		t->cells = nc;
		t->cap_rows = ncap;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = NULL;
	t->nrows++;
	t->cur_col = 0;
}

void
table_cell(struct table *t, const char *s)
{
	char *c;
	size_t i, k, n, o;

	if (t->err)
		return;
	if (t->nrows == 0 || t->cur_col >= t->ncols) {
		t->err = true; /* no row, or more cells than columns */
		return;
	}
	if ((c = strdup(s)) == NULL) {
		t->err = true;
		return;
	}
	/* C0, DEL, C1 (U+0080..U+009F, which some terminals obey as CSI etc.)
	 * and each ill-formed UTF-8 byte become one '?'.  In place: the
	 * result is never longer. */
	n = strlen(c);
	for (i = 0, o = 0; i < n; i += k) {
		unsigned char b = (unsigned char)c[i];

		k = strbuf_utf8_len(c + i, n - i);
		if (k == 0 || b < 0x20 || b == 0x7f ||
		    (k == 2 && b == 0xc2 && (unsigned char)c[i + 1] < 0xa0)) {
			c[o++] = '?';
			if (k == 0)
				k = 1;
		} else {
			memmove(c + o, c + i, k);
			o += k;
		}
	}
	c[o] = '\0';
	t->cells[(t->nrows - 1) * t->ncols + t->cur_col++] = c;
}

void
table_cellf(struct table *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	table_cell(t, buf);
}

void
table_cell_u64(struct table *t, uint64_t v)
{
	table_cellf(t, "%" PRIu64, v);
}

/* Display width: UTF-8 characters, i.e. bytes that are not continuations. */
static size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void
pad(struct strbuf *out, size_t n)
{
	while (n-- > 0)
		strbuf_putc(out, ' ');
}

static void
render_line(const struct table *t, const size_t *width,
    const char *const *cells, struct strbuf *out)
{
	unsigned i, last;
	size_t w;

	/* Without columns there is no cells[0] to look at (clang-analyzer:
	 * the loop below would read it uninitialised). */
	if (t->ncols == 0)
		return;
	/* The last column with content: nothing is padded past it. */
	last = 0;
	for (i = 0; i < t->ncols; i++)
		if (cells[i] != NULL && cells[i][0] != '\0')
			last = i;
	for (i = 0; i <= last; i++) {
		const char *s = cells[i] != NULL ? cells[i] : "";

		if (i > 0)
			strbuf_puts(out, "  ");
		w = text_width(s);
		if (t->cols[i].align == TABLE_RIGHT)
			pad(out, width[i] - w);
		strbuf_puts(out, s);
		if (i < last && t->cols[i].align == TABLE_LEFT)
			pad(out, width[i] - w);
	}
	strbuf_putc(out, '\n');
}

bool
table_render(const struct table *t, struct strbuf *out)
{
	size_t width[TABLE_MAX_COLS], r, w;
	const char *hdr[TABLE_MAX_COLS];
	unsigned i;

	if (t->err)
		return false;
	for (i = 0; i < t->ncols; i++) {
		hdr[i] = t->cols[i].title;
		width[i] = text_width(hdr[i]);
		for (r = 0; r < t->nrows; r++) {
			const char *c = t->cells[r * t->ncols + i];

			if (c != NULL && (w = text_width(c)) > width[i])
				width[i] = w;
		}
	}
	render_line(t, width, hdr, out);
	for (r = 0; r < t->nrows; r++)
		render_line(t, width,
		    (const char *const *)&t->cells[r * t->ncols], out);
	return !out->err;
}
