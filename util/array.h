/* The growth helper of the tree: make room in a heap array, doubling its capacity, with
 * the size arithmetic checked once here. */
#ifndef UTIL_ARRAY_H
#define UTIL_ARRAY_H

#include <stddef.h>

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

#endif
