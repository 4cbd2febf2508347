/* Owns the chain memo (see chain_memo.h): its table, one array of words holding each entry
 * as [value a, value b, gen0, gen1, x0, x1, nr, chain...] (a lookup that finds its slot
 * reads key and value from one place: two cache misses, not three), and the bitmap of
 * keys seen once. Most keys of a busy machine's recording are seen once (a short-lived
 * process's chains: 96 of every 100 keys of a 302K-sample -a -g file, the ones hit again
 * are 5000 at most); they set a bit and are not stored, so the table holds the keys that
 * recur and stays small enough to be found in the cache. */
#include <stdlib.h>
#include <string.h>

#include "report/session/chain_memo.h"
#include "unwind/unwind.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/seen.h"

#define KEY_HEAD 5
#define VAL_WORDS 2			/* struct chain_memo_val, before the key */

struct chain_memo {
	struct htab tab;		/* key hash -> the entry's first word in words + 1 */
	uint64_t *words;
	size_t nr_words, cap_words;
	struct seen seen;		/* the keys seen once */
	struct chain_memo_val once;	/* the value given for a key seen the first time */
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
	free(m->words);
	seen__exit(&m->seen);
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

/* The key's hash: the head's words folded into the chain's hash (made where the sample was
 * parsed: with two threads, by the reader). */
static uint64_t key_hash(const struct session *s, const struct thread *th, uint64_t x0,
			 uint64_t x1, const struct pd_sample *smp, uint64_t head[KEY_HEAD])
{
	uint64_t h = pd_sample__chain_hash(smp);

	session__map_gens(s, th, head);
	head[2] = x0;
	head[3] = x1;
	head[4] = smp->callchain_nr;
	for (int k = 0; k < KEY_HEAD; k++)
		h = hash_fold(h, head[k]);
	return hash_u64(h);
}

void chain_memo__prefetch(const struct chain_memo *m, const struct session *s,
			  const struct thread *th, uint64_t x0, uint64_t x1,
			  const struct pd_sample *smp)
{
	uint64_t head[KEY_HEAD], h;

	if (!m || !chain_memo__usable(smp))
		return;
	h = key_hash(s, th, x0, x1, smp, head);
	htab__prefetch(&m->tab, h);
	seen__prefetch(&m->seen, h);
}

struct chain_memo_val *chain_memo__get(struct chain_memo *m, const struct session *s,
				       const struct thread *th, uint64_t x0, uint64_t x1,
				       const struct pd_sample *smp, bool *fresh)
{
	uint64_t head[KEY_HEAD], h = key_hash(s, th, x0, x1, smp, head);
	size_t nr = smp->callchain_nr, i;
	struct htab_slot *sl;
	uint64_t *e;
	int seen;

	htab__for_each_hash(&m->tab, h, sl, i) {
		e = m->words + sl->val - 1;
		if (key_equal(e + VAL_WORDS, head, smp)) {
			*fresh = false;
			return (struct chain_memo_val *)e;
		}
	}
	/* the first time: remembered by a bit, the value the caller fills is dropped */
	seen = seen__test_set(&m->seen, h);
	if (seen < 0)
		return NULL;
	if (!seen) {
		m->once = (struct chain_memo_val){ 0 };
		*fresh = true;
		return &m->once;
	}
	if (ARRAY_GROW(m->words, m->cap_words, m->nr_words + VAL_WORDS + KEY_HEAD + nr) ||
	    htab__insert(&m->tab, h, m->nr_words + 1))
		return NULL;
	e = m->words + m->nr_words;
	e[0] = e[1] = 0;
	memcpy(e + VAL_WORDS, head, sizeof(head));
	if (nr)
		memcpy(e + VAL_WORDS + KEY_HEAD, smp->callchain, nr * 8);
	m->nr_words += VAL_WORDS + KEY_HEAD + nr;
	*fresh = true;
	return (struct chain_memo_val *)e;
}

bool chain_memo__kept(const struct chain_memo *m, const struct chain_memo_val *v)
{
	return v != &m->once;
}

size_t chain_memo__bytes(const struct chain_memo *m)
{
	/* the table grows past half full: two slots a key */
	return m->nr_words * 8 + m->tab.nr * 2 * sizeof(struct htab_slot);
}

void chain_memo__clear(struct chain_memo *m)
{
	htab__clear(&m->tab);
	m->nr_words = 0;
}

bool chain_memo__bound(struct chain_memo *m, size_t extra)
{
	if (chain_memo__bytes(m) + extra <= CHAIN_MEMO_BYTES_MAX)
		return false;
	chain_memo__clear(m);
	return true;
}
