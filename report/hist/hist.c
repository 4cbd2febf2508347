/* Owns the histogram table: hashing entries by their key, block allocation, totals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/hist.h"

#define BLOCK_ENTRIES 4096

struct hist_block {
	struct hist_block *next;
	struct hist_entry e[BLOCK_ENTRIES];
};

struct hists *hists__new(const struct sort_list *sort)
{
	struct hists *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->sort = sort;
	h->nb = 4096;
	h->buckets = calloc(h->nb, sizeof(*h->buckets));
	if (!h->buckets) {
		free(h);
		return NULL;
	}
	h->block_used = BLOCK_ENTRIES;
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
	free(h->buckets);
	free(h->v);
	free(h);
}

static void grow(struct hists *h)
{
	size_t nb = h->nb * 4;
	struct hist_entry **b = calloc(nb, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_entry *e = h->v[i];

		e->hnext = b[e->hash & (nb - 1)];
		b[e->hash & (nb - 1)] = e;
	}
	free(h->buckets);
	h->buckets = b;
	h->nb = nb;
}

struct hist_entry *hists__findnew(struct hists *h, const struct hist_key *k, uint64_t hash,
				  bool *created)
{
	struct hist_entry *e;

	*created = false;
	for (e = h->buckets[hash & (h->nb - 1)]; e; e = e->hnext)
		if (e->hash == hash && hist_key__equal(h->sort, &e->key, k))
			return e;
	if (h->nr == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		struct hist_entry **v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		h->v = v;
		h->cap = cap;
	}
	if (h->block_used == BLOCK_ENTRIES) {
		struct hist_block *b = malloc(sizeof(*b));

		if (!b)
			return NULL;
		b->next = h->blocks;
		h->blocks = b;
		h->block_used = 0;
	}
	e = &((struct hist_block *)h->blocks)->e[h->block_used++];
	memset(e, 0, sizeof(*e));
	e->key = *k;
	e->hash = hash;
	e->hnext = h->buckets[hash & (h->nb - 1)];
	h->buckets[hash & (h->nb - 1)] = e;
	h->v[h->nr++] = e;
	*created = true;
	if (h->nr > h->nb)
		grow(h);
	return e;
}

struct hist_entry *hists__find(const struct hists *h, const struct hist_key *k, uint64_t hash)
{
	for (struct hist_entry *e = h->buckets[hash & (h->nb - 1)]; e; e = e->hnext)
		if (e->hash == hash && hist_key__equal(h->sort, &e->key, k))
			return e;
	return NULL;
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

	memset(h->buckets, 0, h->nb * sizeof(*h->buckets));
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_entry *e = h->v[i], *d = NULL;

		for (struct hist_entry *x = h->buckets[e->hash & (h->nb - 1)]; x && !d; x = x->hnext)
			if (x->hash == e->hash && hist_key__equal(h->sort, &x->key, &e->key))
				d = x;
		if (d) {
			if (!err)
				err = merge(d, e, ctx);
			continue;	/* e leaves the table */
		}
		e->hnext = h->buckets[e->hash & (h->nb - 1)];
		h->buckets[e->hash & (h->nb - 1)] = e;
		h->v[n++] = e;
	}
	h->nr = n;
	return err;
}
