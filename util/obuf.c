/* Owns the buffered writer's flushing and its number formatting (obuf.h). */
#include <errno.h>
#include <float.h>
#include <math.h>

#include "util/obuf.h"

void ob_flush(struct obuf *o)
{
	if (o->len && fwrite(o->data, 1, o->len, o->f) != o->len)
		o->err = -EIO;
	o->len = 0;
	o->flushes++;
}

void ob_big(struct obuf *o, const char *s, size_t n)
{
	ob_flush(o);
	if (fwrite(s, 1, n, o->f) != n)
		o->err = -EIO;
}

void ob_fill(struct obuf *o, char c, size_t n)
{
	while (n) {
		size_t k;

		ob_room(o, n < o->cap ? n : o->cap);
		k = o->cap - o->len < n ? o->cap - o->len : n;
		memset(o->data + o->len, c, k);
		o->len += k;
		n -= k;
	}
}

void ob_str_right(struct obuf *o, const char *s, size_t width)
{
	size_t l = strlen(s);

	if (l < width)
		ob_pad(o, width - l);
	ob_mem(o, s, l);
}

void ob_hex(struct obuf *o, uint64_t v, size_t width)
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
static int digits(uint64_t v, char tmp[24])
{
	int n = 0;

	do {
		tmp[23 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return n;
}

void ob_udec(struct obuf *o, uint64_t v, size_t width, bool zeros)
{
	char tmp[24];
	int n = digits(v, tmp);

	if ((size_t)n < width)
		ob_fill(o, zeros ? '0' : ' ', width - (size_t)n);
	ob_mem(o, tmp + 24 - n, (size_t)n);
}

void ob_sdec(struct obuf *o, int64_t v, size_t width, bool left)
{
	char tmp[24];
	int n = digits(v < 0 ? -(uint64_t)v : (uint64_t)v, tmp);

	if (v < 0)
		tmp[23 - n++] = '-';
	if (!left && (size_t)n < width)
		ob_pad(o, width - (size_t)n);
	ob_mem(o, tmp + 24 - n, (size_t)n);
	if (left && (size_t)n < width)
		ob_pad(o, width - (size_t)n);
}

/*
 * printf rounds to the nearest of the two-decimal numbers, a tie to the even one, from
 * the double's exact value. With a 64-bit mantissa, v * 100 is exact (53 + 7 bits), and so
 * are its integer part and the fraction left: the rounding can be decided exactly.
 */
size_t ob_fmt_fixed2(char out[32], double v)
{
#if LDBL_MANT_DIG >= 64
	if (!signbit(v) && v < 1e15) {
		long double x = (long double)v * 100.0L, ip = floorl(x), frac = x - ip;
		uint64_t n = (uint64_t)ip;
		char tmp[24];
		int k;

		if (frac > 0.5L || (frac == 0.5L && (n & 1)))
			n++;
		k = digits(n / 100, tmp);
		memcpy(out, tmp + 24 - k, (size_t)k);
		out[k] = '.';
		out[k + 1] = (char)('0' + n % 100 / 10);
		out[k + 2] = (char)('0' + n % 10);
		out[k + 3] = '\0';
		return (size_t)k + 3;
	}
#endif
	(void)v;
	return 0;
}

size_t ob_fixed2(struct obuf *o, double v)
{
	char num[32], buf[512];
	size_t k = ob_fmt_fixed2(num, v);
	int n;

	if (k) {
		ob_mem(o, num, k);
		return k;
	}
	/* negative, huge or not finite: as printf writes them */
	n = snprintf(buf, sizeof(buf), "%.2f", v);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	ob_mem(o, buf, (size_t)n);
	return (size_t)n;
}
