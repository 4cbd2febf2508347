/* Owns the seen-hash bitmap (see seen.h). */
#include <errno.h>
#include <stdlib.h>

#include "util/seen.h"

int seen__test_set(struct seen *s, uint64_t hash)
{
	uint64_t bit = seen__bit(hash), mask = 1ull << (bit % 64);

	if (!s->bits && !(s->bits = calloc((1u << SEEN_BITS_LOG2) / 64, sizeof(*s->bits))))
		return -ENOMEM;
	if (s->bits[bit / 64] & mask)
		return 1;
	s->bits[bit / 64] |= mask;
	return 0;
}

void seen__exit(struct seen *s)
{
	free(s->bits);
	s->bits = NULL;
}
