/* The hash table of the tree: open addressing with linear probing over slots that hold a
 * 64-bit hash and a value (a pointer, or an index + 1 into the caller's array; 0 means an
 * empty slot). Keys live with the caller: a lookup walks the slots whose stored hash
 * matches and the caller compares its own key, so only a full-hash match costs a pointer
 * chase. A zeroed struct htab is an empty table; it grows past half full.
 *
 *	struct htab_slot *s;
 *	size_t pos;
 *	htab__for_each_hash(&t, h, s, pos)
 *		if (key_eq(ents + s->val - 1, key))
 *			return ents + s->val - 1;
 *	htab__insert(&t, h, idx + 1);
 *
 * Slot pointers stay valid until the next insert or remove. */
#ifndef UTIL_HTAB_H
#define UTIL_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab_slot {
	uint64_t hash;
	uintptr_t val;		/* 0: empty */
};

struct htab {
	struct htab_slot *slot;	/* NULL until the first insert (or htab__init) */
	size_t mask;		/* capacity - 1, capacity a power of two */
	size_t nr;
};

/* Room for @nr_hint values before the first growth. 0 or -ENOMEM. */
int htab__init(struct htab *t, size_t nr_hint);
void htab__exit(struct htab *t);
/* Empty the table, keeping its slots. */
void htab__clear(struct htab *t);

/* Add (@hash, @val), @val != 0, without looking for an equal key. 0 or -ENOMEM (the table
 * is unchanged then). */
int htab__insert(struct htab *t, uint64_t hash, uintptr_t val);
/* Remove the slot @s (found by a lookup); later slots move back to close the gap. */
void htab__remove(struct htab *t, struct htab_slot *s);

static inline struct htab_slot *htab__probe(const struct htab *t, uint64_t hash, size_t *pos)
{
	for (size_t i = *pos;; i = (i + 1) & t->mask) {
		struct htab_slot *s = &t->slot[i];

		if (!s->val)
			return NULL;
		if (s->hash == hash) {
			*pos = (i + 1) & t->mask;
			return s;
		}
	}
}

/* The first slot holding @hash (NULL if none); *pos remembers where to go on. */
static inline struct htab_slot *htab__first(const struct htab *t, uint64_t hash, size_t *pos)
{
	if (!t->slot)
		return NULL;
	*pos = hash & t->mask;
	return htab__probe(t, hash, pos);
}

static inline struct htab_slot *htab__next(const struct htab *t, uint64_t hash, size_t *pos)
{
	return htab__probe(t, hash, pos);
}

/* Start loading the slot where a lookup of @hash begins (a look-ahead; nothing while the
 * table has no slots). */
static inline void htab__prefetch(const struct htab *t, uint64_t hash)
{
	if (t->slot)
		__builtin_prefetch(&t->slot[hash & t->mask]);
}

#define htab__for_each_hash(t, h, s, pos) \
	for ((s) = htab__first((t), (h), &(pos)); (s); (s) = htab__next((t), (h), &(pos)))

/* Every occupied slot, in slot order (not insertion order). */
#define htab__for_each(t, s) \
	for ((s) = (t)->slot; (t)->slot && (s) <= (t)->slot + (t)->mask; (s)++) \
		if ((s)->val)

#endif
