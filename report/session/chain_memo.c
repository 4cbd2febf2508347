/* Owns the chain memo (see chain_memo.h): the keys and values in one array, found through
 * util's hash table (slot: the key's hash and its entry's index + 1), whose slot the
 * look-ahead prefetches. */
#include <stdlib.h>
#include <string.h>

#include "report/session/chain_memo.h"
#include "unwind/unwind.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

#define KEY_WORDS 5

struct memo_ent {
	struct chain_memo_val val;
	uint64_t key[KEY_WORDS];	/* chain number, the maps' two generations, x0, x1 */
};

/* What a key holds: its entry and its share of the table (which grows past half full) */
#define KEY_BYTES (sizeof(struct memo_ent) + 2 * sizeof(struct htab_slot))

struct chain_memo {
	struct htab tab;		/* key hash -> index + 1 into ent */
	struct memo_ent *ent;
	size_t nr, cap;
	struct chain_memo_val once;	/* the value given for a sample with no chain number */
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
	free(m->ent);
	free(m);
}

bool chain_memo__usable(const struct pd_sample *smp)
{
	return (smp->type & PERF_SAMPLE_CALLCHAIN) && !unwind__has_user_stack(smp) &&
	       smp->callchain_nr <= SESSION_MAX_STACK;
}

static uint64_t key_hash(const struct session *s, const struct thread *th, uint64_t x0,
			 uint64_t x1, const struct pd_sample *smp, uint64_t key[KEY_WORDS])
{
	uint64_t h = smp->chain_id;

	key[0] = smp->chain_id;
	session__map_gens(s, th, key + 1);
	key[3] = x0;
	key[4] = x1;
	for (int k = 1; k < KEY_WORDS; k++)
		h = hash_fold(h, key[k]);
	return hash_u64(h);
}

void chain_memo__prefetch(const struct chain_memo *m, const struct session *s,
			  const struct thread *th, uint64_t x0, uint64_t x1,
			  const struct pd_sample *smp)
{
	uint64_t key[KEY_WORDS];

	if (m && smp->chain_id)
		htab__prefetch(&m->tab, key_hash(s, th, x0, x1, smp, key));
}

struct chain_memo_val *chain_memo__get(struct chain_memo *m, const struct session *s,
				       const struct thread *th, uint64_t x0, uint64_t x1,
				       const struct pd_sample *smp, bool *fresh)
{
	uint64_t key[KEY_WORDS], h;
	struct htab_slot *sl;
	struct memo_ent *e;
	size_t i;

	*fresh = true;
	if (!smp->chain_id) {
		/* a first sighting (or no number): the value the caller fills is dropped */
		m->once = (struct chain_memo_val){ 0 };
		return &m->once;
	}
	h = key_hash(s, th, x0, x1, smp, key);
	htab__for_each_hash(&m->tab, h, sl, i) {
		e = &m->ent[sl->val - 1];
		if (!memcmp(e->key, key, sizeof(key))) {
			*fresh = false;
			return &e->val;
		}
	}
	if (ARRAY_GROW(m->ent, m->cap, m->nr + 1) || htab__insert(&m->tab, h, m->nr + 1))
		return NULL;
	e = &m->ent[m->nr++];
	e->val = (struct chain_memo_val){ 0 };
	memcpy(e->key, key, sizeof(key));
	return &e->val;
}

bool chain_memo__kept(const struct chain_memo *m, const struct chain_memo_val *v)
{
	return v != &m->once;
}

size_t chain_memo__bytes(const struct chain_memo *m)
{
	return m->nr * KEY_BYTES;
}

void chain_memo__clear(struct chain_memo *m)
{
	htab__clear(&m->tab);
	m->nr = 0;
}

bool chain_memo__bound(struct chain_memo *m, size_t extra)
{
	size_t keys = chain_memo__bytes(m) + KEY_BYTES;	/* with one more */

	if (keys <= CHAIN_MEMO_KEY_BYTES_MAX && keys + extra <= CHAIN_MEMO_BYTES_MAX)
		return false;
	chain_memo__clear(m);
	return true;
}
