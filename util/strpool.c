/* Owns interned strings: their bytes in a util/strarena (chunks that never move), an
 * id-indexed array of (pointer, length), and a htab from the string's hash to its id. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strarena.h"
#include "util/strpool.h"

struct strpool_ent {
	const char *s;
	size_t len;
};

struct strpool {
	struct strpool_ent *ents;
	size_t nr, cap;
	struct htab tab;		/* hash -> id + 1 */
	struct strarena arena;
};

struct strpool *strpool__new(void)
{
	return calloc(1, sizeof(struct strpool));
}

void strpool__free(struct strpool *p)
{
	if (!p)
		return;
	strarena__exit(&p->arena);
	htab__exit(&p->tab);
	free(p->ents);
	free(p);
}

int64_t strpool__id(struct strpool *p, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	struct htab_slot *slot;
	size_t pos;
	const char *copy;

	htab__for_each_hash(&p->tab, h, slot, pos) {
		const struct strpool_ent *e = &p->ents[slot->val - 1];

		if (e->len == len && !memcmp(e->s, s, len))
			return (int64_t)(slot->val - 1);
	}
	if (ARRAY_GROW(p->ents, p->cap, p->nr + 1))
		return -ENOMEM;
	copy = strarena__add(&p->arena, s, len);
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
