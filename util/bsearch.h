/* The binary search of the tree, over arrays sorted by a uint64_t field (maps by start,
 * symbols by address, ranges by begin). Inlined, so the element size and the field offset
 * are constants in each caller. */
#ifndef UTIL_BSEARCH_H
#define UTIL_BSEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Number of leading elements whose key is <= @key (the upper bound). */
static inline size_t bsearch__upper_u64(const void *base, size_t n, size_t size, size_t off,
					 uint64_t key)
{
	const char *b = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;

		memcpy(&k, b + mid * size + off, sizeof(k));
		if (k <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Number of leading elements whose key is < @key (the lower bound). */
static inline size_t bsearch__lower_u64(const void *base, size_t n, size_t size, size_t off,
					 uint64_t key)
{
	const char *b = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;

		memcpy(&k, b + mid * size + off, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last element of @arr[0..n) whose uint64_t @field is <= @key, or NULL. */
#define BSEARCH_LAST_LE(arr, n, field, key)					\
	({									\
		size_t __i = bsearch__upper_u64((arr), (n), sizeof(*(arr)),	\
						offsetof(__typeof__(*(arr)), field), (key)); \
		__i ? (arr) + __i - 1 : NULL;					\
	})

/* The first element whose @field is >= @key, as an index (n when none). */
#define BSEARCH_FIRST_GE(arr, n, field, key)					\
	bsearch__lower_u64((arr), (n), sizeof(*(arr)), offsetof(__typeof__(*(arr)), field), (key))

#endif
