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

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629 §4 table), or 0 if
 * the bytes there are not one.
 */
size_t
strbuf_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c;
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* > U+10FFFF */
	} else
		return 0; /* continuation, C0/C1, F5..FF */
	if (n < len)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}
