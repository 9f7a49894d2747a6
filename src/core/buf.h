/*
 * buf.h — bounds-checked cursors over byte buffers.
 *
 * A reader (struct rbuf) and a writer (struct wbuf) whose errors are sticky:
 * reading past the end or writing past the capacity sets ->err and returns
 * zeros / writes nothing from then on, so a codec performs a whole sequence
 * of reads or writes and checks ->err once at the end.  All multi-byte
 * integers are big-endian (network order), as in every protocol vpdn speaks.
 */
#ifndef VPDN_CORE_BUF_H
#define VPDN_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rbuf {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool err;
};

static inline void
rbuf_init(struct rbuf *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = false;
}

static inline size_t
rbuf_left(const struct rbuf *r)
{
	return r->err ? 0 : r->len - r->off;
}

/* Returns a pointer to the next n bytes and advances, or NULL (and sets err). */
static inline const uint8_t *
rd_ptr(struct rbuf *r, size_t n)
{
	const uint8_t *q;

	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static inline uint8_t
rd_u8(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 1);

	return q ? q[0] : 0;
}

static inline uint16_t
rd_be16(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 2);

	return q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}

static inline uint32_t
rd_be32(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 4);

	return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		(uint32_t)q[2] << 8 | q[3] :
		   0;
}

static inline void
rd_bytes(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *q = rd_ptr(r, n);

	if (q != NULL)
		memcpy(dst, q, n);
}

static inline void
rd_skip(struct rbuf *r, size_t n)
{
	(void)rd_ptr(r, n);
}

static inline void
wbuf_init(struct wbuf *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->err = false;
}

/* Reserves n bytes and returns them, or NULL (and sets err). */
static inline uint8_t *
wr_ptr(struct wbuf *w, size_t n)
{
	uint8_t *q;

	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return NULL;
	}
	q = w->p + w->len;
	w->len += n;
	return q;
}

static inline void
wr_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *q = wr_ptr(w, 1);

	if (q != NULL)
		q[0] = v;
}

static inline void
put_be16(uint8_t *q, uint16_t v)
{
	q[0] = (uint8_t)(v >> 8);
	q[1] = (uint8_t)v;
}

static inline uint16_t
get_be16(const uint8_t *q)
{
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t
get_be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

static inline void
wr_be16(struct wbuf *w, uint16_t v)
{
	uint8_t *q = wr_ptr(w, 2);

	if (q != NULL)
		put_be16(q, v);
}

static inline void
wr_be32(struct wbuf *w, uint32_t v)
{
	uint8_t *q = wr_ptr(w, 4);

	if (q != NULL) {
		q[0] = (uint8_t)(v >> 24);
		q[1] = (uint8_t)(v >> 16);
		q[2] = (uint8_t)(v >> 8);
		q[3] = (uint8_t)v;
	}
}

static inline void
wr_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *q = wr_ptr(w, n);

	if (q != NULL && n > 0)
		memcpy(q, src, n);
}

/* Overwrites a 16-bit field already written at offset off (length fields). */
static inline void
wr_be16_at(struct wbuf *w, size_t off, uint16_t v)
{
	if (w->err || off + 2 > w->len) {
		w->err = true;
		return;
	}
	put_be16(w->p + off, v);
}

#endif
