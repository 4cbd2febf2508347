/* Owns the chain memo (see chain_memo.h): one open-addressing table whose entries are a
 * cache line each, [hash, value a, value b, chain number, gen0, gen1, x0, x1], so that a
 * lookup the look-ahead prefetched finds key and value in one load. */
#include <stdlib.h>
#include <string.h>

#include "report/session/chain_memo.h"
#include "unwind/unwind.h"
#include "util/hash.h"

#define KEY_WORDS 5
#define MIN_ENTS 1024

struct memo_ent {
	uint64_t hash;			/* 0: a free entry */
	struct chain_memo_val val;
	uint64_t key[KEY_WORDS];	/* chain number, the maps' two generations, x0, x1 */
};

_Static_assert(sizeof(struct memo_ent) == 64, "an entry is a cache line");

struct chain_memo {
	struct memo_ent *ent;		/* mask + 1 of them, 64-aligned; NULL until the first */
	size_t mask, nr;
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
	return hash_u64(h) | 1;
}

void chain_memo__prefetch(const struct chain_memo *m, const struct session *s,
			  const struct thread *th, uint64_t x0, uint64_t x1,
			  const struct pd_sample *smp)
{
	uint64_t key[KEY_WORDS];

	if (m && m->ent && smp->chain_id)
		__builtin_prefetch(&m->ent[key_hash(s, th, x0, x1, smp, key) & m->mask]);
}

/* Double the table (from MIN_ENTS); false on ENOMEM (the table is unchanged then). */
static bool grow(struct chain_memo *m)
{
	size_t cap = m->ent ? 2 * (m->mask + 1) : MIN_ENTS;
	struct memo_ent *ent = aligned_alloc(64, cap * sizeof(*ent));

	if (!ent)
		return false;
	memset(ent, 0, cap * sizeof(*ent));
	for (size_t i = 0; m->ent && i <= m->mask; i++) {
		size_t j = m->ent[i].hash & (cap - 1);

		if (!m->ent[i].hash)
			continue;
		while (ent[j].hash)
			j = (j + 1) & (cap - 1);
		ent[j] = m->ent[i];
	}
	free(m->ent);
	m->ent = ent;
	m->mask = cap - 1;
	return true;
}

struct chain_memo_val *chain_memo__get(struct chain_memo *m, const struct session *s,
				       const struct thread *th, uint64_t x0, uint64_t x1,
				       const struct pd_sample *smp, bool *fresh)
{
	uint64_t key[KEY_WORDS], h;
	struct memo_ent *e;
	size_t i;

	*fresh = true;
	if (!smp->chain_id) {
		/* a first sighting (or no number): the value the caller fills is dropped */
		m->once = (struct chain_memo_val){ 0 };
		return &m->once;
	}
	h = key_hash(s, th, x0, x1, smp, key);
	for (i = h & m->mask; m->ent && (e = &m->ent[i])->hash; i = (i + 1) & m->mask) {
		if (e->hash == h && !memcmp(e->key, key, sizeof(key))) {
			*fresh = false;
			return &e->val;
		}
	}
	if ((!m->ent || 2 * (m->nr + 1) > m->mask + 1) && !grow(m))
		return NULL;
	for (i = h & m->mask; m->ent[i].hash; i = (i + 1) & m->mask)
		;
	e = &m->ent[i];
	e->hash = h;
	e->val = (struct chain_memo_val){ 0 };
	memcpy(e->key, key, sizeof(key));
	m->nr++;
	return &e->val;
}

bool chain_memo__kept(const struct chain_memo *m, const struct chain_memo_val *v)
{
	return v != &m->once;
}

size_t chain_memo__bytes(const struct chain_memo *m)
{
	/* the table grows past half full: two entries a key */
	return m->nr * 2 * sizeof(struct memo_ent);
}

void chain_memo__clear(struct chain_memo *m)
{
	if (m->ent)
		memset(m->ent, 0, (m->mask + 1) * sizeof(*m->ent));
	m->nr = 0;
}

bool chain_memo__bound(struct chain_memo *m, size_t extra)
{
	size_t keys = chain_memo__bytes(m) + 2 * sizeof(struct memo_ent);	/* one more */

	if (keys <= CHAIN_MEMO_KEY_BYTES_MAX && keys + extra <= CHAIN_MEMO_BYTES_MAX)
		return false;
	chain_memo__clear(m);
	return true;
}
