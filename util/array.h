/* The heap-array helpers of the tree: growth (doubling the capacity, with the size
 * arithmetic checked once here) and sorting an array that may be empty. */
#ifndef UTIL_ARRAY_H
#define UTIL_ARRAY_H

#include <stddef.h>
#include <stdlib.h>

#include "util/bigblock.h"

/* Ensure *cap >= @need elements of @elsz bytes in *v: the new capacity is the larger of
 * @need, twice *cap and 8. 0, or -ENOMEM with *v and *cap unchanged. */
int array__grow(void **v, size_t *cap, size_t need, size_t elsz);

/* ARRAY_GROW(ptr, cap, need): @cap must be a size_t lvalue. */
#define ARRAY_GROW(v, cap, need)						\
	({									\
		_Static_assert(__builtin_types_compatible_p(__typeof__(cap), size_t), \
			       "ARRAY_GROW: capacity must be size_t");		\
		size_t __need = (need);						\
		__need <= (cap) ? 0 :						\
			array__grow((void **)&(v), &(cap), __need, sizeof(*(v)));	\
	})

/* The same for an array that can grow large, in big blocks (util/bigblock.h): freed with
 * ARRAY_FREE_BIG, never free(). For the arrays a reading tool grows to the end and reads in
 * order (a freed half stays resident in its heap). */
int array__grow_big(void **v, size_t *cap, size_t need, size_t elsz);

#define ARRAY_GROW_BIG(v, cap, need)						\
	({									\
		_Static_assert(__builtin_types_compatible_p(__typeof__(cap), size_t), \
			       "ARRAY_GROW_BIG: capacity must be size_t");	\
		size_t __need = (need);						\
		__need <= (cap) ? 0 :						\
			array__grow_big((void **)&(v), &(cap), __need, sizeof(*(v))); \
	})
/* Free an array grown by ARRAY_GROW_BIG (@cap its capacity). */
#define ARRAY_FREE_BIG(v, cap) bigblock__free((v), (cap) * sizeof(*(v)))

/* qsort for an array that may be empty and NULL: glibc declares qsort's base nonnull, and
 * the sanitizer build stops on a NULL one even with no element. */
static inline void array__sort(void *v, size_t nr, size_t elsz,
			       int (*cmp)(const void *, const void *))
{
	if (nr > 1)
		qsort(v, nr, elsz, cmp);
}

#endif
