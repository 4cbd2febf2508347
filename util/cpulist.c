/* Owns CPU-list parsing: ranges expanded, then sorted and deduplicated. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "util/cpulist.h"

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int cpulist__parse(const char *list, int *out, int max)
{
	const char *p = list;
	int n = 0, u = 0;

	while (*p) {
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
		if (hi < lo || hi >= CPULIST_MAX)
			return -EINVAL;
		for (long c = lo; c <= hi; c++) {
			if (n >= max)
				return -E2BIG;
			out[n++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
		else
			break;
	}
	if (!n)
		return -EINVAL;
	qsort(out, n, sizeof(*out), cmp_int);
	for (int i = 0; i < n; i++)
		if (!u || out[u - 1] != out[i])
			out[u++] = out[i];
	return u;
}
