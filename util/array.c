/* Owns array growth: overflow-checked capacity doubling, in malloc's heap or in big blocks. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/array.h"
#include "util/bigblock.h"
#include "util/mem.h"

/* The capacity that holds @need elements of @elsz bytes after @cap: doubled, at least 8;
 * 0 on overflow. */
static size_t next_cap(size_t cap, size_t need, size_t elsz)
{
	size_t ncap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;

	if (ncap < need)
		ncap = need;
	if (ncap < 8)
		ncap = 8;
	return elsz && ncap > SIZE_MAX / elsz ? 0 : ncap;
}

/* Grow *v to hold @need elements: a malloc block, or a big block (util/bigblock.h). */
static int grow(void **v, size_t *cap, size_t need, size_t elsz, bool big)
{
	size_t ncap = next_cap(*cap, need, elsz);
	void *p;

	if (need <= *cap)
		return 0;
	if (!ncap)
		return -ENOMEM;
	/* (a big block is hinted there) */
	p = big ? bigblock__realloc(*v, *cap * elsz, ncap * elsz) : realloc(*v, ncap * elsz);
	if (!p)
		return -ENOMEM;
	if (!big)
		mem__hint_huge(p, ncap * elsz);
	*v = p;
	*cap = ncap;
	return 0;
}

int array__grow(void **v, size_t *cap, size_t need, size_t elsz)
{
	return grow(v, cap, need, elsz, false);
}

int array__grow_big(void **v, size_t *cap, size_t need, size_t elsz)
{
	return grow(v, cap, need, elsz, true);
}
