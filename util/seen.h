/* Which hashes were seen before, in a fixed bitmap (one bit per hash, by its top bits): a
 * cache's doorkeeper that keeps a key only from its second sighting on. A bit shared by two
 * hashes answers "seen" early: harmless for a doorkeeper, which then keeps a key once more.
 * A zeroed struct is empty. */
#ifndef UTIL_SEEN_H
#define UTIL_SEEN_H

#include <stdbool.h>
#include <stdint.h>

#define SEEN_BITS_LOG2 22		/* 512 KB: one key in 40 taken for seen when 100K were */

struct seen {
	uint64_t *bits;			/* NULL until the first call */
};

/* @hash's bit: its top bits */
static inline uint64_t seen__bit(uint64_t hash)
{
	return hash >> (64 - SEEN_BITS_LOG2);
}

/* Mark @hash seen: 1 if it was already (or shared a bit), 0 if not, -ENOMEM. */
int seen__test_set(struct seen *s, uint64_t hash);
/* Start loading @hash's bit (a look-ahead; nothing before the first call). */
static inline void seen__prefetch(const struct seen *s, uint64_t hash)
{
	if (s->bits)
		__builtin_prefetch(&s->bits[seen__bit(hash) / 64]);
}
void seen__exit(struct seen *s);

#endif
