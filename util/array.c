/* Owns array growth: overflow-checked capacity doubling. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/array.h"
#include "util/mem.h"

int array__grow(void **v, size_t *cap, size_t need, size_t elsz)
{
	size_t ncap = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
	void *p;

	if (need <= *cap)
		return 0;
	if (ncap < need)
		ncap = need;
	if (ncap < 8)
		ncap = 8;
	if (elsz && ncap > SIZE_MAX / elsz)
		return -ENOMEM;
	p = realloc(*v, ncap * elsz);
	if (!p)
		return -ENOMEM;
	mem__hint_huge(p, ncap * elsz);
	*v = p;
	*cap = ncap;
	return 0;
}
