/*
 * strbuf.h — a growable, always NUL-terminated text buffer.
 *
 * The control server renders every reply (tables, JSON, messages) into one of
 * these.  Allocation failure and the size cap are sticky in ->err, so a
 * renderer appends freely and the caller checks ->err once at the end.
 */
#ifndef VPDN_CTL_STRBUF_H
#define VPDN_CTL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/* A reply larger than this is refused rather than grown without bound. */
#define STRBUF_MAX ((size_t)64 * 1024 * 1024)

struct strbuf {
	char *p;
	size_t len;
	size_t cap;
	bool err;
};

void strbuf_init(struct strbuf *b);
void strbuf_free(struct strbuf *b);
void strbuf_reset(struct strbuf *b);
void strbuf_append(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The contents, NUL-terminated; "" when empty. */
const char *strbuf_str(const struct strbuf *b);
/* Length of the well-formed UTF-8 sequence starting at s (RFC 3629 §4), or
 * 0 if the bytes there are not one (overlong, surrogate, > U+10FFFF,
 * truncated, stray continuation). */
size_t strbuf_utf8_len(const char *s, size_t n);

#endif
