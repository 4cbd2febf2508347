/* Owns interned strings: bytes in chunks that never move, an id-indexed array of
 * (pointer, length), and a htab from the string's hash to its id. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strpool.h"

#define STRPOOL_CHUNK 65536

struct strpool_ent {
	const char *s;
	size_t len;
};

struct strpool_chunk {
	struct strpool_chunk *next;
	size_t used, size;
	char buf[];
};

struct strpool {
	struct strpool_ent *ents;
	size_t nr, cap;
	struct htab tab;		/* hash -> id + 1 */
	struct strpool_chunk *chunks;
};

struct strpool *strpool__new(void)
{
	return calloc(1, sizeof(struct strpool));
}

void strpool__free(struct strpool *p)
{
	if (!p)
		return;
	while (p->chunks) {
		struct strpool_chunk *c = p->chunks;

		p->chunks = c->next;
		free(c);
	}
	htab__exit(&p->tab);
	free(p->ents);
	free(p);
}

static char *strpool__store(struct strpool *p, const char *s, size_t len)
{
	struct strpool_chunk *c = p->chunks;
	char *dst;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > STRPOOL_CHUNK ? len + 1 : STRPOOL_CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		/* a big string gets a chunk of its own behind the current one */
		if (p->chunks && size > STRPOOL_CHUNK) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
	}
	dst = c->buf + c->used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	c->used += len + 1;
	return dst;
}

int64_t strpool__id(struct strpool *p, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	struct htab_slot *slot;
	size_t pos;
	char *copy;

	htab__for_each_hash(&p->tab, h, slot, pos) {
		const struct strpool_ent *e = &p->ents[slot->val - 1];

		if (e->len == len && !memcmp(e->s, s, len))
			return (int64_t)(slot->val - 1);
	}
	if (ARRAY_GROW(p->ents, p->cap, p->nr + 1))
		return -ENOMEM;
	copy = strpool__store(p, s, len);
	if (!copy)
		return -ENOMEM;
	if (htab__insert(&p->tab, h, p->nr + 1))
		return -ENOMEM;	/* the copy stays in its chunk, unused */
	p->ents[p->nr] = (struct strpool_ent){ copy, len };
	return (int64_t)p->nr++;
}

const char *strpool__add_len(struct strpool *p, const char *s, size_t len)
{
	int64_t id = strpool__id(p, s, len);

	if (id < 0) {
		errno = ENOMEM;
		return NULL;
	}
	return p->ents[id].s;
}

const char *strpool__add(struct strpool *p, const char *s)
{
	return strpool__add_len(p, s, strlen(s));
}

const char *strpool__str(const struct strpool *p, uint32_t id)
{
	return p->ents[id].s;
}

size_t strpool__len(const struct strpool *p, uint32_t id)
{
	return p->ents[id].len;
}

size_t strpool__count(const struct strpool *p)
{
	return p->nr;
}
