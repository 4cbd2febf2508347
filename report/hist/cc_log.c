/* Owns the log of preport's call-graph appends (cc_log.h): its chains with their sums, each
 * followed by its appends (8 bytes each: a big report logs millions), the trees appended to
 * with their state, and the replay that builds the trees asked for. */
#include <errno.h>
#include <stdlib.h>

#include "report/hist/cc_log.h"
#include "util/array.h"

/* A tree's state */
enum { LOG_NONE, LOG_WANT, LOG_BUILD, LOG_SKIP, LOG_DONE };

struct log_chain {
	const struct cc_frame *const *run;
	uint64_t period;
	uint32_t nr, count;
	size_t first;			/* its appends: add[first] up to the next chain's first */
};

struct log_add {
	uint32_t root;			/* in refs */
	uint32_t from;
};

struct cc_log {
	struct log_chain *c;
	size_t nr_c, cap_c;
	struct log_add *add;
	size_t nr_add, cap_add;
	struct cc_ref **refs;		/* by cc_ref.log_id - 1 */
	uint64_t *total;		/* a wanted tree's period, during a replay */
	uint8_t *state;
	size_t nr_roots, cap_roots, cap_total, cap_state;
};

struct cc_log *cc_log__new(void)
{
	return calloc(1, sizeof(struct cc_log));
}

void cc_log__free(struct cc_log *l)
{
	if (!l)
		return;
	free(l->c);
	free(l->add);
	free(l->refs);
	free(l->total);
	free(l->state);
	free(l);
}

long cc_log__chain(struct cc_log *l, const struct cc_frame *const *run, uint32_t nr,
		   uint64_t period)
{
	/* (a chain's number + 1 is kept in 32 bits: chain_intern.h) */
	if (l->nr_c >= UINT32_MAX - 1 || ARRAY_GROW(l->c, l->cap_c, l->nr_c + 1))
		return -ENOMEM;
	l->c[l->nr_c] = (struct log_chain){ .run = run, .nr = nr, .period = period, .count = 1,
					    .first = l->nr_add };
	return (long)l->nr_c++;
}

/* @ref's number in the log, given on its first append. */
static int root_id(struct cc_log *l, struct cc_ref *ref, uint32_t *id)
{
	if (!ref->log_id) {
		if (l->nr_roots >= UINT32_MAX - 1 ||
		    ARRAY_GROW(l->refs, l->cap_roots, l->nr_roots + 1) ||
		    ARRAY_GROW(l->total, l->cap_total, l->nr_roots + 1) ||
		    ARRAY_GROW(l->state, l->cap_state, l->nr_roots + 1))
			return -ENOMEM;
		l->refs[l->nr_roots] = ref;
		l->state[l->nr_roots] = LOG_NONE;
		ref->log_id = (uint32_t)++l->nr_roots;
	}
	*id = ref->log_id - 1;
	return 0;
}

int cc_log__add(struct cc_log *l, struct cc_ref *ref, uint32_t from)
{
	const struct log_chain *c = &l->c[l->nr_c - 1];
	uint32_t id;

	if (root_id(l, ref, &id) || ARRAY_GROW(l->add, l->cap_add, l->nr_add + 1))
		return -ENOMEM;
	l->add[l->nr_add++] = (struct log_add){ .root = id, .from = from };
	if (c->nr - from > ref->max_depth)
		ref->max_depth = c->nr - from;	/* the entry order reads it before */
	return 0;
}

void cc_log__hit(struct cc_log *l, uint32_t c, uint64_t period, uint32_t count)
{
	l->c[c].period += period;
	l->c[c].count += count;
}

void cc_log__want(struct cc_log *l, const struct cc_ref *ref)
{
	uint32_t id = ref->log_id - 1;

	if (ref->log_id && l->state[id] == LOG_NONE) {
		l->state[id] = LOG_WANT;
		l->total[id] = 0;
	}
}

/* One past chain @c's last append. */
static const struct log_add *adds_end(const struct cc_log *l, const struct log_chain *c)
{
	return c + 1 < l->c + l->nr_c ? l->add + c[1].first : l->add + l->nr_add;
}

int cc_log__replay(struct cc_log *l, struct cc_arena *a, uint64_t min_hit, bool all)
{
	const struct log_chain *c, *cend = l->c + l->nr_c;
	const struct log_add *ad, *aend;
	uint8_t *st = l->state;

	/* each tree's period: every append adds its chain's to the root (perf's total) */
	for (c = l->c; c < cend; c++)
		for (ad = l->add + c->first, aend = adds_end(l, c); ad < aend; ad++)
			if (st[ad->root] == LOG_WANT)
				l->total[ad->root] += c->period;
	for (size_t i = 0; i < l->nr_roots; i++)
		if (st[i] == LOG_WANT)
			st[i] = all || l->total[i] >= min_hit ? LOG_BUILD : LOG_SKIP;
	for (c = l->c; c < cend; c++)
		for (ad = l->add + c->first, aend = adds_end(l, c); ad < aend; ad++) {
			struct cc_root *r;

			if (st[ad->root] != LOG_BUILD)
				continue;
			r = cc_ref__root(l->refs[ad->root], a);
			if (!r || cc_root__append_run(r, a, c->run + ad->from, c->nr - ad->from,
						      c->period, c->count))
				return -ENOMEM;
		}
	for (size_t i = 0; i < l->nr_roots; i++)
		if (st[i] == LOG_BUILD || st[i] == LOG_SKIP)
			st[i] = LOG_DONE;
	return 0;
}
