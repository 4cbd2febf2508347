/* Owns the arena's chunks: 64 KiB each, a bigger string gets a chunk of its own behind the
 * current one so the current chunk's free space is not wasted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/strarena.h"

#define STRARENA_CHUNK 65536

struct strarena_chunk {
	struct strarena_chunk *next;
	size_t used, size;
	char buf[];
};

const char *strarena__add(struct strarena *a, const char *s, size_t len)
{
	struct strarena_chunk *c = a->chunks;
	char *dst;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > STRARENA_CHUNK ? len + 1 : STRARENA_CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c) {
			errno = ENOMEM;
			return NULL;
		}
		c->used = 0;
		c->size = size;
		if (a->chunks && size > STRARENA_CHUNK) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	dst = c->buf + c->used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	c->used += len + 1;
	return dst;
}

void strarena__exit(struct strarena *a)
{
	if (!a)
		return;
	while (a->chunks) {
		struct strarena_chunk *c = a->chunks;

		a->chunks = c->next;
		free(c);
	}
}
