/* A buffered writer to a stdio stream for output made of many small pieces (pscript's
 * lines, preport's call graphs): pieces are copied into the caller's buffer, which goes to
 * the stream in one fwrite when full and at ob_flush(); numbers are formatted in place,
 * without printf. A write error is kept in ->err (-EIO). */
#ifndef UTIL_OBUF_H
#define UTIL_OBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct obuf {
	FILE *f;
	char *data;
	size_t cap;		/* of data; at least OBUF_MIN */
	size_t len;
	size_t flushes;		/* times the buffer went out: a piece is in data[] while equal */
	int err;
};

#define OBUF_MIN 256		/* room the in-place formatters need */

/* @data: @cap bytes (at least OBUF_MIN) of the caller's, for as long as @o is used. */
static inline void ob_init(struct obuf *o, FILE *f, char *data, size_t cap)
{
	*o = (struct obuf){ .f = f, .data = data, .cap = cap };
}

void ob_flush(struct obuf *o);
/* a piece too large for the buffer: straight to the stream */
void ob_big(struct obuf *o, const char *s, size_t n);

static inline void ob_room(struct obuf *o, size_t n)
{
	if (o->len + n > o->cap)
		ob_flush(o);
}

/* inlined: most pieces are a few bytes of known size (", ", " (", a name) */
static inline __attribute__((always_inline)) void ob_mem(struct obuf *o, const char *s, size_t n)
{
	if (__builtin_expect(n > o->cap / 2, 0)) {
		ob_big(o, s, n);
		return;
	}
	ob_room(o, n);
	memcpy(o->data + o->len, s, n);
	o->len += n;
}

/* the bytes written */
static inline size_t ob_str(struct obuf *o, const char *s)
{
	size_t n = strlen(s);

	ob_mem(o, s, n);
	return n;
}

static inline void ob_char(struct obuf *o, char c)
{
	ob_room(o, 1);
	o->data[o->len++] = c;
}

void ob_fill_slow(struct obuf *o, char c, size_t n);

/* @n copies of @c */
static inline void ob_fill(struct obuf *o, char c, size_t n)
{
	if (__builtin_expect(n > o->cap - o->len, 0)) {
		ob_fill_slow(o, c, n);
		return;
	}
	memset(o->data + o->len, c, n);
	o->len += n;
}

static inline void ob_pad(struct obuf *o, size_t n)
{
	ob_fill(o, ' ', n);
}

/* right-aligned in width (no truncation) */
static inline void ob_str_right(struct obuf *o, const char *s, size_t width)
{
	size_t l = strlen(s);

	if (l < width)
		ob_pad(o, width - l);
	ob_mem(o, s, l);
}

/* lower-case hex, right-aligned in width (at most 16 wide) */
static inline void ob_hex(struct obuf *o, uint64_t v, size_t width)
{
	static const char hx[] = "0123456789abcdef";
	size_t n = (size_t)(64 - __builtin_clzll(v | 1) + 3) / 4, pad = n < width ? width - n : 0;
	char *p;

	ob_room(o, 16);
	p = o->data + o->len;
	memset(p, ' ', pad);
	p += pad + n;
	for (size_t i = 0; i < n; i++, v >>= 4)
		*--p = hx[v & 15];
	o->len += pad + n;
}

/* v's decimal digits at the end of tmp[24]: their count */
static inline int ob__digits(uint64_t v, char tmp[24])
{
	int n = 0;

	do {
		tmp[23 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return n;
}

/* unsigned decimal, right-aligned (width) or zero-padded (zeros); the bytes written */
static inline size_t ob_udec(struct obuf *o, uint64_t v, size_t width, bool zeros)
{
	char tmp[24];
	size_t n = (size_t)ob__digits(v, tmp);

	if (n < width)
		ob_fill(o, zeros ? '0' : ' ', width - n);
	ob_mem(o, tmp + 24 - n, n);
	return n < width ? width : n;
}

/* signed decimal, right- or (left) left-aligned in width */
static inline void ob_sdec(struct obuf *o, int64_t v, size_t width, bool left)
{
	char tmp[24];
	int n = ob__digits(v < 0 ? -(uint64_t)v : (uint64_t)v, tmp);

	if (v < 0)
		tmp[23 - n++] = '-';
	if (!left && (size_t)n < width)
		ob_pad(o, width - (size_t)n);
	ob_mem(o, tmp + 24 - n, (size_t)n);
	if (left && (size_t)n < width)
		ob_pad(o, width - (size_t)n);
}
/* @v as printf's "%.2f" writes it (the same digits, rounded the same way); the bytes
 * written. */
size_t ob_fixed2(struct obuf *o, double v);
/* The same into @out (NUL-terminated) for a non-negative @v below 1e15: its length; 0 for
 * other values, which the caller hands to printf. */
size_t ob_fmt_fixed2(char out[32], double v);

#endif
