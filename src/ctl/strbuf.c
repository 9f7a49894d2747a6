/*
 * strbuf.c — growable text buffer for control replies.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/strbuf.h"

void
strbuf_init(struct strbuf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->err = false;
}

void
strbuf_free(struct strbuf *b)
{
	free(b->p);
	strbuf_init(b);
}

void
strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	b->err = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

/* Makes room for n more bytes plus the NUL; false (and err) if impossible. */
static bool
strbuf_reserve(struct strbuf *b, size_t n)
{
	size_t need, ncap;
	char *np;

	if (b->err)
		return false;
	if (n > STRBUF_MAX || b->len + n + 1 > STRBUF_MAX) {
		b->err = true;
		return false;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->err = true;
		return false;
	}
	b->p = np;
	b->cap = ncap;
	return true;
}

void
strbuf_append(struct strbuf *b, const char *s, size_t n)
{
	if (!strbuf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_append(b, s, strlen(s));
}

void
strbuf_putc(struct strbuf *b, char c)
{
	strbuf_append(b, &c, 1);
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = true;
		return;
	}
	if (!strbuf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *
strbuf_str(const struct strbuf *b)
{
	return b->p != NULL ? b->p : "";
}
