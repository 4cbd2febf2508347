/* Owns the records of interned samples (see chain_intern.h): their table, their keys' raw
 * chains and targets (in the report's arena), and handing their sums on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/chain_intern.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

struct ci_ent {
	struct ci_key k;
	uint64_t period;		/* sums of the samples after the first, since the last flush */
	uint64_t count;
	struct ci_target *tg;
	uint32_t nr_tg;
	bool filtered;
};

struct chain_intern {
	struct htab tab;		/* ci_key__hash -> index + 1 into v */
	struct ci_ent *v;
	size_t nr, cap;
	struct cc_arena *a;
	bool children;
};

struct chain_intern *chain_intern__new(struct cc_arena *a, bool children)
{
	struct chain_intern *ci = calloc(1, sizeof(*ci));

	if (ci) {
		ci->a = a;
		ci->children = children;
	}
	return ci;
}

void chain_intern__free(struct chain_intern *ci)
{
	if (!ci)
		return;
	htab__exit(&ci->tab);
	free(ci->v);
	free(ci);
}

uint64_t ci_key__hash(const struct ci_key *k)
{
	uint64_t h = HASH_FNV_OFFSET;

	h = hash_fold(h, (uint64_t)(uintptr_t)k->thread);
	h = hash_fold(h, (uint64_t)(uintptr_t)k->comm);
	h = hash_fold(h, k->ip);
	h = hash_fold(h, k->gen[0]);
	h = hash_fold(h, k->gen[1]);
	h = hash_fold(h, ((uint64_t)k->chain_nr << 32) ^ (uint32_t)k->cpu);
	h = hash_fold(h, ((uint64_t)k->evidx << 8) | k->cpumode);
	for (uint32_t i = 0; i < k->chain_nr; i++) {
		uint64_t ip;

		memcpy(&ip, &k->chain[i], 8);
		h = hash_fold(h, ip);
	}
	return hash_u64(h);
}

static bool key_equal(const struct ci_key *a, const struct ci_key *b)
{
	return a->thread == b->thread && a->comm == b->comm && a->ip == b->ip &&
	       a->gen[0] == b->gen[0] && a->gen[1] == b->gen[1] && a->chain_nr == b->chain_nr &&
	       a->cpu == b->cpu && a->evidx == b->evidx && a->cpumode == b->cpumode &&
	       (!a->chain_nr || !memcmp(a->chain, b->chain, (size_t)a->chain_nr * 8));
}

struct ci_ent *chain_intern__find(struct chain_intern *ci, const struct ci_key *k, uint64_t hash)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&ci->tab, hash, s, pos)
		if (key_equal(&ci->v[s->val - 1].k, k))
			return &ci->v[s->val - 1];
	return NULL;
}

int chain_intern__add(struct chain_intern *ci, const struct ci_key *k, uint64_t hash,
		      const struct ci_target *tg, uint32_t nr_tg, bool filtered)
{
	struct ci_ent *e;
	uint64_t *chain = NULL;
	struct ci_target *t = NULL;

	if (k->chain_nr && !(chain = cc_arena__alloc(ci->a, (size_t)k->chain_nr * 8)))
		return -ENOMEM;
	if (nr_tg && !(t = cc_arena__alloc(ci->a, nr_tg * sizeof(*t))))
		return -ENOMEM;
	if (ARRAY_GROW(ci->v, ci->cap, ci->nr + 1) || htab__insert(&ci->tab, hash, ci->nr + 1))
		return -ENOMEM;
	if (chain)
		memcpy(chain, k->chain, (size_t)k->chain_nr * 8);
	if (t)
		memcpy(t, tg, nr_tg * sizeof(*t));
	e = &ci->v[ci->nr++];
	*e = (struct ci_ent){ .k = *k, .tg = t, .nr_tg = nr_tg, .filtered = filtered };
	e->k.chain = chain;
	return 0;
}

bool ci_ent__hit(struct ci_ent *e, uint64_t period)
{
	e->period += period;
	e->count++;
	return e->filtered;
}

void chain_intern__flush(struct chain_intern *ci)
{
	for (size_t i = 0; i < ci->nr; i++) {
		struct ci_ent *e = &ci->v[i];

		if (!e->count)
			continue;
		for (uint32_t j = 0; j < e->nr_tg; j++) {
			struct hist_entry *he = e->tg[j].he;

			if (!j) {
				he->self += e->period;
				he->nr_events += e->count;
			}
			if (j || ci->children)
				he->acc += e->period;
			if (e->tg[j].end)
				cc_node__add_hits(e->tg[j].end, e->period, (uint32_t)e->count);
		}
		e->period = 0;
		e->count = 0;
	}
}
