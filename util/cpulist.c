/* Owns CPU-list parsing: ranges marked in a bitmap, read back sorted and deduplicated. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "util/cpulist.h"

int cpulist__parse(const char *list, int *out, int max)
{
	static const int bits = 8 * sizeof(unsigned long);
	unsigned long seen[CPULIST_MAX / (8 * sizeof(unsigned long))] = { 0 };
	const char *p = list;
	int n = 0;

	for (;;) {
		char *end;
		long lo, hi;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		lo = strtol(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			hi = strtol(p, &end, 10);
			p = end;
		}
		if (lo < 0 || hi < lo || hi >= CPULIST_MAX)
			return -EINVAL;
		for (long c = lo; c <= hi; c++)
			seen[c / bits] |= 1UL << (c % bits);
		if (*p != ',')
			break;
		p++;
	}
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	for (int c = 0; c < CPULIST_MAX; c++) {
		if (!(seen[c / bits] & (1UL << (c % bits))))
			continue;
		if (n >= max)
			return -E2BIG;
		out[n++] = c;
	}
	return n;
}
