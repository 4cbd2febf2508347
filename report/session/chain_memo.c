/* Owns the chain memo (see chain_memo.h): its table, its keys (one array of words, each key
 * [gen0, gen1, x0, x1, nr, chain...]) and its values. */
#include <stdlib.h>
#include <string.h>

#include "report/session/chain_memo.h"
#include "unwind/unwind.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

#define KEY_HEAD 5

struct memo_ent {
	size_t off;			/* the key's first word in words */
	struct chain_memo_val v;
};

struct chain_memo {
	struct htab tab;		/* key hash -> index + 1 into ents */
	struct memo_ent *ents;
	size_t nr, cap;
	uint64_t *words;
	size_t nr_words, cap_words;
};

struct chain_memo *chain_memo__new(void)
{
	return calloc(1, sizeof(struct chain_memo));
}

void chain_memo__free(struct chain_memo *m)
{
	if (!m)
		return;
	htab__exit(&m->tab);
	free(m->ents);
	free(m->words);
	free(m);
}

bool chain_memo__usable(const struct pd_sample *smp)
{
	return (smp->type & PERF_SAMPLE_CALLCHAIN) && !unwind__has_user_stack(smp) &&
	       smp->callchain_nr <= SESSION_MAX_STACK;
}

static bool key_equal(const uint64_t *k, const uint64_t *head, const struct pd_sample *smp)
{
	return !memcmp(k, head, KEY_HEAD * 8) &&
	       (!smp->callchain_nr || !memcmp(k + KEY_HEAD, smp->callchain, smp->callchain_nr * 8));
}

struct chain_memo_val *chain_memo__get(struct chain_memo *m, const struct session *s,
				       const struct thread *th, uint64_t x0, uint64_t x1,
				       const struct pd_sample *smp, bool *fresh)
{
	uint64_t head[KEY_HEAD], h = HASH_FNV_OFFSET, ip;
	size_t nr = smp->callchain_nr, pos;
	struct htab_slot *sl;
	struct memo_ent *e;

	session__map_gens(s, th, head);
	head[2] = x0;
	head[3] = x1;
	head[4] = nr;
	for (int i = 0; i < KEY_HEAD; i++)
		h = hash_fold(h, head[i]);
	for (size_t i = 0; i < nr; i++) {
		memcpy(&ip, &smp->callchain[i], 8);	/* the record may leave it unaligned */
		h = hash_fold(h, ip);
	}
	h = hash_u64(h);
	htab__for_each_hash(&m->tab, h, sl, pos) {
		e = &m->ents[sl->val - 1];
		if (key_equal(m->words + e->off, head, smp)) {
			*fresh = false;
			return &e->v;
		}
	}
	if (ARRAY_GROW(m->ents, m->cap, m->nr + 1) ||
	    ARRAY_GROW(m->words, m->cap_words, m->nr_words + KEY_HEAD + nr) ||
	    htab__insert(&m->tab, h, m->nr + 1))
		return NULL;
	e = &m->ents[m->nr++];
	e->off = m->nr_words;
	e->v = (struct chain_memo_val){ 0, 0 };
	memcpy(m->words + m->nr_words, head, sizeof(head));
	if (nr)
		memcpy(m->words + m->nr_words + KEY_HEAD, smp->callchain, nr * 8);
	m->nr_words += KEY_HEAD + nr;
	*fresh = true;
	return &e->v;
}

size_t chain_memo__bytes(const struct chain_memo *m)
{
	return m->cap * sizeof(*m->ents) + m->cap_words * 8 +
	       (m->tab.slot ? (m->tab.mask + 1) * sizeof(*m->tab.slot) : 0);
}

void chain_memo__clear(struct chain_memo *m)
{
	htab__clear(&m->tab);
	m->nr = 0;
	m->nr_words = 0;
}
