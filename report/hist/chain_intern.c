/* Owns the records of interned samples (see chain_intern.h): their tables, their keys' raw
 * chains (in a buffer of their own, emptied when the keys are dropped), their targets and
 * words (in the report's arena), handing their sums on, and dropping the keys. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/sample.h"
#include "report/hist/chain_intern.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/seen.h"

struct ci_ent {
	struct ci_key k;		/* (k.chain unused: the raw chain is at raw_off) */
	size_t raw_off;			/* in chain_intern.raw */
	uint64_t period;		/* sums of the samples after the first, since the last flush */
	uint64_t count;
	struct ci_target *tg;		/* shared with the records added like this one */
	uint32_t nr_tg;
	uint32_t chain;			/* in the log + 1, 0: none (shared likewise) */
	bool filtered;
	uint32_t nw;			/* the resolved words, when the record has them */
	const uint64_t *words;
};

struct chain_intern {
	struct htab tab;		/* ci_key__hash -> index + 1 into v */
	struct htab rtab;		/* ci_words__hash -> index + 1 into v */
	struct seen seen;		/* the keys met once (not in tab), and the resolved words
					 * met once (not in rtab): their hashes differ, a shared
					 * bit only keeps one of them earlier */
	struct seen seen_twice;		/* the keys met twice (a bit of the hash's hash) */
	struct ci_ent *v;
	size_t nr, cap;
	uint64_t *raw;			/* the keys' raw chains */
	size_t nr_raw, cap_raw;
	size_t key_bytes, key_budget;	/* what the records of keys took; chain_intern__full */
	struct cc_arena *a;
	struct cc_log *log;
	bool children;
};

struct chain_intern *chain_intern__new(struct cc_arena *a, struct cc_log *log, bool children)
{
	struct chain_intern *ci = calloc(1, sizeof(*ci));

	if (ci) {
		ci->a = a;
		ci->log = log;
		ci->children = children;
		ci->key_budget = CHAIN_INTERN_KEY_BYTES;
	}
	return ci;
}

void chain_intern__set_budget(struct chain_intern *ci, size_t key_bytes)
{
	ci->key_budget = key_bytes;
}

bool chain_intern__full(const struct chain_intern *ci)
{
	return ci->key_bytes >= ci->key_budget;
}

void chain_intern__free(struct chain_intern *ci)
{
	if (!ci)
		return;
	htab__exit(&ci->tab);
	htab__exit(&ci->rtab);
	seen__exit(&ci->seen);
	seen__exit(&ci->seen_twice);
	free(ci->v);
	free(ci->raw);
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
	if (k->chain_nr)
		h = hash_fold(h, k->chain_hash ? k->chain_hash : pd_chain__hash(k->chain, k->chain_nr));
	return hash_u64(h);
}

static bool key_equal(const struct chain_intern *ci, const struct ci_ent *e,
		      const struct ci_key *b)
{
	const struct ci_key *a = &e->k;

	return a->thread == b->thread && a->comm == b->comm && a->ip == b->ip &&
	       a->gen[0] == b->gen[0] && a->gen[1] == b->gen[1] && a->chain_nr == b->chain_nr &&
	       a->cpu == b->cpu && a->evidx == b->evidx && a->cpumode == b->cpumode &&
	       (!a->chain_nr || !memcmp(ci->raw + e->raw_off, b->chain, (size_t)a->chain_nr * 8));
}

struct ci_ent *chain_intern__find(struct chain_intern *ci, const struct ci_key *k, uint64_t hash)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&ci->tab, hash, s, pos)
		if (key_equal(ci, &ci->v[s->val - 1], k))
			return &ci->v[s->val - 1];
	return NULL;
}

void chain_intern__prefetch(const struct chain_intern *ci, uint64_t hash)
{
	htab__prefetch(&ci->tab, hash);
	seen__prefetch(&ci->seen, hash);
}

int chain_intern__met(struct chain_intern *ci, uint64_t hash)
{
	int met = seen__test_set(&ci->seen, hash);

	/* the second sighting is not enough either: on a busy machine most keys met twice are
	 * never met again (82 of 100 of a 2.8M-sample -a -g file's) */
	if (met <= 0)
		return met;
	return seen__test_set(&ci->seen_twice, hash_u64(hash));
}

/* A new record reaching @tg (not copied) and the log's chain @chain (+ 1), of @k (its raw
 * chain copied) unless @k is NULL (found by its resolved words alone). NULL on ENOMEM. */
static struct ci_ent *ent_new(struct chain_intern *ci, const struct ci_key *k, uint64_t hash,
			      struct ci_target *tg, uint32_t nr_tg, uint32_t chain, bool filtered)
{
	size_t nr_raw = k ? k->chain_nr : 0;
	struct ci_ent *e;

	if (ARRAY_GROW(ci->raw, ci->cap_raw, ci->nr_raw + nr_raw) ||
	    ARRAY_GROW(ci->v, ci->cap, ci->nr + 1) ||
	    (k && htab__insert(&ci->tab, hash, ci->nr + 1)))
		return NULL;
	e = &ci->v[ci->nr++];
	*e = (struct ci_ent){ .tg = tg, .nr_tg = nr_tg, .chain = chain, .filtered = filtered };
	if (k) {
		e->k = *k;
		e->k.chain = NULL;
		e->raw_off = ci->nr_raw;
		if (nr_raw)
			memcpy(ci->raw + ci->nr_raw, k->chain, nr_raw * 8);
		ci->nr_raw += nr_raw;
		/* the record, its chain and its table slots (the table grows past half full) */
		ci->key_bytes += sizeof(*e) + (size_t)k->chain_nr * 8 + 2 * sizeof(struct htab_slot);
	}
	return e;
}

int chain_intern__add(struct chain_intern *ci, const struct ci_key *k, uint64_t hash,
		      const struct ci_target *tg, uint32_t nr_tg, uint32_t chain, bool filtered,
		      const uint64_t *words, uint32_t nw, uint64_t rhash)
{
	struct ci_target *t = NULL;
	uint64_t *w = NULL;
	struct ci_ent *e;

	if (!k && !words)
		return 0;		/* nothing could find it */
	if (!k) {
		/* a record found by its words alone is kept from their second sighting on: on a
		 * busy machine most resolve so once (73 of 100 such records of a 290K-sample -a -g
		 * file were never found again) */
		int seen = seen__test_set(&ci->seen, rhash);

		if (seen <= 0)
			return seen;
	}
	if (nr_tg && !(t = cc_arena__alloc(ci->a, nr_tg * sizeof(*t))))
		return -ENOMEM;
	if (words && (!(w = cc_arena__alloc(ci->a, (size_t)nw * 8)) ||
		      htab__insert(&ci->rtab, rhash, ci->nr + 1)))
		return -ENOMEM;
	if (t)
		memcpy(t, tg, nr_tg * sizeof(*t));
	e = ent_new(ci, k, hash, t, nr_tg, chain, filtered);
	if (!e)
		return -ENOMEM;
	if (w) {
		memcpy(w, words, (size_t)nw * 8);
		e->words = w;
		e->nw = nw;
	}
	return 0;
}

uint64_t ci_words__hash(const uint64_t *words, uint32_t nw)
{
	uint64_t h = hash_fold(HASH_FNV_OFFSET, nw);

	for (uint32_t i = 0; i < nw; i++)
		h = hash_fold(h, words[i]);
	return hash_u64(h);
}

struct ci_ent *chain_intern__find_resolved(struct chain_intern *ci, const uint64_t *words,
					   uint32_t nw, uint64_t rhash)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&ci->rtab, rhash, s, pos) {
		struct ci_ent *e = &ci->v[s->val - 1];

		if (e->nw == nw && !memcmp(e->words, words, (size_t)nw * 8))
			return e;
	}
	return NULL;
}

int chain_intern__add_like(struct chain_intern *ci, const struct ci_key *k, uint64_t hash,
			   struct ci_ent *like, uint64_t period)
{
	/* @like lives in ci->v, which the new record may move */
	struct ci_target *tg = like->tg;
	uint32_t nr_tg = like->nr_tg, chain = like->chain;
	bool filtered = like->filtered;
	struct ci_ent *e = ent_new(ci, k, hash, tg, nr_tg, chain, filtered);

	if (!e)
		return -ENOMEM;
	return ci_ent__hit(e, period);
}

bool ci_ent__hit(struct ci_ent *e, uint64_t period)
{
	e->period += period;
	e->count++;
	return e->filtered;
}

void chain_intern__drop_keys(struct chain_intern *ci)
{
	size_t n = 0;

	chain_intern__flush(ci);
	htab__clear(&ci->tab);
	htab__clear(&ci->rtab);
	/* the records found by their words stay, in their order, as found by them alone; the
	 * table takes as many as it held (no growth, no failure) */
	for (size_t i = 0; i < ci->nr; i++) {
		struct ci_ent *e = &ci->v[i];

		if (!e->words)
			continue;
		e->k = (struct ci_key){ 0 };
		ci->v[n] = *e;
		(void)htab__insert(&ci->rtab, ci_words__hash(e->words, e->nw), n + 1);
		n++;
	}
	ci->nr = n;
	ci->nr_raw = 0;
	ci->key_bytes = 0;
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
		}
		if (e->chain)
			cc_log__hit(ci->log, e->chain - 1, e->period, (uint32_t)e->count);
		e->period = 0;
		e->count = 0;
	}
}
