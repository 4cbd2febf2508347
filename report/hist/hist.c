/* Owns the histogram table: entries found by their key's hash (util/htab.h, the full hash
 * in each slot, so a key is compared only on a full-hash match), block allocation, the
 * creation-order list, totals. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/hist.h"
#include "util/array.h"
#include "util/mem.h"

/* Each block holds twice the entries of the one before, within these bounds: a big
 * report's entries then fault in huge pages (util/mem.h) */
#define BLOCK_ENTRIES 4096
#define BLOCK_ENTRIES_MAX 65536
#define TAB_HINT 2048		/* entries before the first growth (one lookup per sample and frame) */

struct hist_block {
	struct hist_block *next;
	size_t cap;
	uint64_t data[];		/* cap entries of hists.entry_size bytes */
};

struct hists *hists__new(const struct sort_list *sort)
{
	struct hists *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->sort = sort;
	h->key_size = sort_list__uses_tail(sort) ? sizeof(struct hist_key) : HIST_KEY_HEAD_SIZE;
	h->entry_size = (offsetof(struct hist_entry, key) + h->key_size + 7) & ~(size_t)7;
	if (htab__init(&h->tab, TAB_HINT)) {
		free(h);
		return NULL;
	}
	return h;
}

void hists__free(struct hists *h)
{
	struct hist_block *b;

	if (!h)
		return;
	b = h->blocks;
	while (b) {
		struct hist_block *n = b->next;

		free(b);
		b = n;
	}
	htab__exit(&h->tab);
	free(h->v);
	free(h->free);
	free(h);
}

/* inlined in both callers: findnew runs per sample and per chain frame */
static inline struct hist_entry *lookup(const struct hists *h, const struct hist_key *k,
					uint64_t hash)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&h->tab, hash, s, pos) {
		struct hist_entry *e = (struct hist_entry *)s->val;

		if (hist_key__equal(h->sort, &e->key, k))
			return e;
	}
	return NULL;
}

struct hist_entry *hists__find(const struct hists *h, const struct hist_key *k, uint64_t hash)
{
	return lookup(h, k, hash);
}

struct hist_entry *hists__findnew(struct hists *h, const struct hist_key *k, uint64_t hash,
				  bool *created)
{
	struct hist_entry *e = lookup(h, k, hash);

	*created = false;
	if (e)
		return e;
	if (ARRAY_GROW(h->v, h->cap, h->nr + 1))
		return NULL;
	if (h->nr_free) {
		e = h->free[h->nr_free - 1];
		if (htab__insert(&h->tab, hash, (uintptr_t)e))
			return NULL;
		h->nr_free--;
		goto init;
	}
	if (!h->blocks || h->block_used == ((struct hist_block *)h->blocks)->cap) {
		struct hist_block *last = h->blocks;
		size_t cap = !last ? BLOCK_ENTRIES :
			     last->cap < BLOCK_ENTRIES_MAX ? last->cap * 2 : last->cap;
		struct hist_block *b = malloc(sizeof(*b) + cap * h->entry_size);

		if (!b)
			return NULL;
		mem__hint_huge(b, sizeof(*b) + cap * h->entry_size);
		b->cap = cap;
		b->next = h->blocks;
		h->blocks = b;
		h->block_used = 0;
	}
	e = (struct hist_entry *)((char *)((struct hist_block *)h->blocks)->data +
				  h->block_used * h->entry_size);
	if (htab__insert(&h->tab, hash, (uintptr_t)e))
		return NULL;
	h->block_used++;
init:
	memset(e, 0, h->entry_size);
	memcpy(&e->key, k, h->key_size);
	e->hash = hash;
	h->v[h->nr++] = e;
	*created = true;
	return e;
}

long hists__prune(struct hists *h, bool (*drop)(const struct hist_entry *e, void *ctx), void *ctx)
{
	size_t n = 0, nr_drop = 0;

	for (size_t i = 0; i < h->nr; i++)
		nr_drop += drop(h->v[i], ctx);
	if (!nr_drop)
		return 0;
	if (ARRAY_GROW(h->free, h->cap_free, h->nr_free + nr_drop))
		return -ENOMEM;
	/* the table is refilled with the kept entries: no growth, no failure */
	htab__clear(&h->tab);
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_entry *e = h->v[i];

		if (drop(e, ctx)) {
			h->free[h->nr_free++] = e;
			continue;
		}
		htab__insert(&h->tab, e->hash, (uintptr_t)e);
		h->v[n++] = e;
	}
	h->nr = n;
	return (long)nr_drop;
}

uint64_t hists__total_period(const struct hists *h, bool non_filtered_only)
{
	uint64_t t = 0;

	for (size_t i = 0; i < h->nr; i++)
		if (!non_filtered_only || !h->v[i]->filtered)
			t += h->v[i]->self;
	return t;
}

int hists__rehash(struct hists *h, int (*merge)(struct hist_entry *into, struct hist_entry *from,
						void *ctx), void *ctx)
{
	size_t n = 0;
	int err = 0;

	/* refilled in creation order: an entry whose key now equals an earlier one's merges
	 * into that one; no growth (the table held all of them before) */
	htab__clear(&h->tab);
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_entry *e = h->v[i], *d = lookup(h, &e->key, e->hash);

		if (d) {
			if (!err)
				err = merge(d, e, ctx);
			continue;	/* e leaves the table */
		}
		if (htab__insert(&h->tab, e->hash, (uintptr_t)e) && !err)
			err = -ENOMEM;
		h->v[n++] = e;
	}
	h->nr = n;
	return err;
}
