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

void ob_fill_slow(struct obuf *o, char c, size_t n)
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
		k = ob__digits(n / 100, tmp);
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
