/* The string arena of the tree: copies of strings in large chunks that never move, freed
 * all at once. For names that are stored many times and never freed one by one (symbol
 * names of a DSO); util/strpool.h adds deduplication and ids on top of it. */
#ifndef UTIL_STRARENA_H
#define UTIL_STRARENA_H

#include <stddef.h>

struct strarena_chunk;

struct strarena {
	struct strarena_chunk *chunks;	/* NULL: empty (a zeroed arena is ready) */
};

/* A NUL-terminated copy of the @len bytes at @s; NULL + errno ENOMEM. */
const char *strarena__add(struct strarena *a, const char *s, size_t len);
void strarena__exit(struct strarena *a);

#endif
