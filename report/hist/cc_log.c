/* Owns the log of preport's call-graph appends (cc_log.h): its chains with their sums, each
 * chain's appends (a big report logs millions: 5 bytes each, see below), the trees appended
 * to with their state, and the replay that builds the trees asked for. */
#include <errno.h>
#include <stdlib.h>

#include "report/hist/cc_log.h"
#include "util/array.h"

/* A tree's state */
enum { LOG_NONE, LOG_WANT, LOG_BUILD, LOG_SKIP, LOG_DONE };

/* The appends are two streams read in step with the chains, in their order: the tree of
 * each (4 bytes, in root) and one step byte, which says the frame it starts from after the
 * chain's previous append (from the frame before the first): STEP_END closes the chain's
 * appends, 1 to STEP_FAR - 1 add that many frames (a chain goes into the trees of its
 * frames' entries in frame order, one frame after the other), STEP_FAR takes the frame
 * number from far. A 2.8M-sample -a -g recording logs 1.9M appends of 253K chains. */
#define STEP_END 0
#define STEP_FAR 255

struct log_chain {
	const struct cc_frame *const *run;
	uint64_t period;
	uint32_t nr, count;
};

struct cc_log {
	struct log_chain *c;
	size_t nr_c, cap_c;
	uint32_t *root;			/* each append's tree, in refs */
	size_t nr_add, cap_add;
	uint8_t *step;
	size_t nr_step, cap_step;
	uint32_t *far;			/* the frames of STEP_FAR steps */
	size_t nr_far, cap_far;
	uint32_t last_from;		/* the last chain's last append, + 1 (0: none yet) */
	struct cc_ref **refs;		/* by cc_ref.log_id - 1 */
	uint8_t *state;
	size_t nr_roots, cap_roots, cap_state;
};

/* Where a replay is in the streams: the next append's tree, step and far frame. */
struct log_pos {
	const uint32_t *root;
	const uint8_t *step;
	const uint32_t *far;
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
	ARRAY_FREE_BIG(l->root, l->cap_add);
	ARRAY_FREE_BIG(l->step, l->cap_step);
	ARRAY_FREE_BIG(l->far, l->cap_far);
	free(l->refs);
	free(l->state);
	free(l);
}

long cc_log__chain(struct cc_log *l, const struct cc_frame *const *run, uint32_t nr,
		   uint64_t period)
{
	/* (a chain's number + 1 is kept in 32 bits: chain_intern.h) */
	if (l->nr_c >= UINT32_MAX - 1 || ARRAY_GROW(l->c, l->cap_c, l->nr_c + 1) ||
	    ARRAY_GROW_BIG(l->step, l->cap_step, l->nr_step + 1))
		return -ENOMEM;
	/* the step that closes the last chain's appends (each chain has one) */
	if (l->nr_c)
		l->step[l->nr_step++] = STEP_END;
	l->c[l->nr_c] = (struct log_chain){ .run = run, .nr = nr, .period = period, .count = 1 };
	l->last_from = 0;
	return (long)l->nr_c++;
}

/* @ref's number in the log, given on its first append. */
static int root_id(struct cc_log *l, struct cc_ref *ref, uint32_t *id)
{
	if (!ref->log_id) {
		if (l->nr_roots >= UINT32_MAX - 1 ||
		    ARRAY_GROW(l->refs, l->cap_roots, l->nr_roots + 1) ||
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
	uint32_t id, step = STEP_FAR;

	/* from the frame after the previous append's (frame 0 for the first) to @from */
	if (from >= l->last_from && from - l->last_from < STEP_FAR - 1)
		step = from - l->last_from + 1;
	if (root_id(l, ref, &id) || ARRAY_GROW_BIG(l->root, l->cap_add, l->nr_add + 1) ||
	    ARRAY_GROW_BIG(l->step, l->cap_step, l->nr_step + 1) ||
	    (step == STEP_FAR && ARRAY_GROW_BIG(l->far, l->cap_far, l->nr_far + 1)))
		return -ENOMEM;
	l->root[l->nr_add++] = id;
	l->step[l->nr_step++] = (uint8_t)step;
	if (step == STEP_FAR)
		l->far[l->nr_far++] = from;
	l->last_from = from + 1;
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

	if (ref->log_id && l->state[id] == LOG_NONE)
		l->state[id] = LOG_WANT;
}

/* The next append of the chain the streams are at: 1 with its tree and frame, 0 at the
 * chain's end (past its closing step; the last chain has none). */
static int next_add(struct log_pos *p, const uint8_t *step_end, uint32_t *root, uint32_t *from)
{
	uint8_t st;

	if (p->step == step_end || (st = *p->step++) == STEP_END)
		return 0;
	*root = *p->root++;
	*from = st == STEP_FAR ? *p->far++ : *from + st;
	return 1;
}

static struct log_pos log_start(const struct cc_log *l)
{
	return (struct log_pos){ .root = l->root, .step = l->step, .far = l->far };
}

int cc_log__replay(struct cc_log *l, struct cc_arena *a, uint64_t min_hit, bool all)
{
	const struct log_chain *c, *cend = l->c + l->nr_c;
	const uint8_t *send = l->step + l->nr_step;
	uint8_t *st = l->state;
	struct log_pos p;
	uint64_t *total;
	uint32_t root, from;

	/* each tree's period: every append adds its chain's to the root (perf's total); the
	 * sums live only as long as the replay */
	total = calloc(l->nr_roots ? l->nr_roots : 1, sizeof(*total));
	if (!total)
		return -ENOMEM;
	p = log_start(l);
	for (c = l->c; c < cend; c++)
		for (from = UINT32_MAX; next_add(&p, send, &root, &from);)
			if (st[root] == LOG_WANT)
				total[root] += c->period;
	for (size_t i = 0; i < l->nr_roots; i++)
		if (st[i] == LOG_WANT)
			st[i] = all || total[i] >= min_hit ? LOG_BUILD : LOG_SKIP;
	free(total);
	p = log_start(l);
	for (c = l->c; c < cend; c++)
		for (from = UINT32_MAX; next_add(&p, send, &root, &from);) {
			struct cc_root *r;

			if (st[root] != LOG_BUILD)
				continue;
			r = cc_ref__root(l->refs[root], a);
			if (!r || cc_root__append_run(r, a, c->run + from, c->nr - from, c->period,
						      c->count))
				return -ENOMEM;
		}
	for (size_t i = 0; i < l->nr_roots; i++)
		if (st[i] == LOG_BUILD || st[i] == LOG_SKIP)
			st[i] = LOG_DONE;
	return 0;
}
