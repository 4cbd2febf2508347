/* Owns the numbering of raw call chains (see chain_ids.h): a table of the chains seen twice
 * or more, each kept as [number, length, words...] in one array, and the bitmap of the chains
 * seen once. */
#include <stdlib.h>
#include <string.h>

#include "report/session/chain_ids.h"
#include "report/session/chain_memo.h"
#include "util/array.h"
#include "util/htab.h"
#include "util/seen.h"

#define ENT_HEAD 2			/* number, length */

struct chain_ids {
	struct htab tab;		/* chain hash -> the entry's first word in words + 1 */
	uint64_t *words;
	size_t nr_words, cap_words;
	struct seen seen;		/* the chains seen once */
	uint64_t next;			/* the next number to give */
};

struct chain_ids *chain_ids__new(void)
{
	struct chain_ids *c = calloc(1, sizeof(*c));

	if (c)
		c->next = 1;
	return c;
}

void chain_ids__free(struct chain_ids *c)
{
	if (!c)
		return;
	htab__exit(&c->tab);
	free(c->words);
	seen__exit(&c->seen);
	free(c);
}

size_t chain_ids__bytes(const struct chain_ids *c)
{
	/* the table grows past half full: two slots a chain */
	return c->nr_words * 8 + c->tab.nr * 2 * sizeof(struct htab_slot);
}

/* The number of the chain @chain[0..nr) hashing to @h: found, or given now (0: no memory). */
static uint64_t number(struct chain_ids *c, const uint64_t *chain, uint64_t nr, uint64_t h)
{
	struct htab_slot *sl;
	uint64_t *e;
	size_t i;

	htab__for_each_hash(&c->tab, h, sl, i) {
		e = c->words + sl->val - 1;
		if (e[1] == nr && (!nr || !memcmp(e + ENT_HEAD, chain, nr * 8)))
			return e[0];
	}
	if (chain_ids__bytes(c) + (ENT_HEAD + nr) * 8 > CHAIN_IDS_BYTES_MAX) {
		htab__clear(&c->tab);
		c->nr_words = 0;
	}
	if (ARRAY_GROW(c->words, c->cap_words, c->nr_words + ENT_HEAD + nr) ||
	    htab__insert(&c->tab, h, c->nr_words + 1))
		return 0;
	e = c->words + c->nr_words;
	e[0] = c->next++;
	e[1] = nr;
	if (nr)
		memcpy(e + ENT_HEAD, chain, nr * 8);
	c->nr_words += ENT_HEAD + nr;
	return e[0];
}

void chain_ids__prefetch(const struct chain_ids *c, const struct pd_sample *smp)
{
	uint64_t h = smp->chain_hash;

	if (h) {
		seen__prefetch(&c->seen, h);
		htab__prefetch(&c->tab, h);
	}
}

void chain_ids__number(struct chain_ids *c, struct pd_sample *smp)
{
	uint64_t h;

	smp->chain_id = 0;
	if (!chain_memo__usable(smp))
		return;
	h = pd_sample__chain_hash(smp);
	if (seen__test_set(&c->seen, h) > 0)
		smp->chain_id = number(c, smp->callchain, smp->callchain_nr, h);
}
