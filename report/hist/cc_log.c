/* Owns the log of preport's call-graph appends (cc_log.h): its chains with their sums, its
 * appends in the order they came, and the replay that builds the trees asked for. */
#include <errno.h>
#include <stdlib.h>

#include "report/hist/cc_log.h"
#include "util/array.h"

/* cc_root.log_state */
enum { LOG_NONE, LOG_WANT, LOG_BUILD, LOG_SKIP, LOG_DONE };

struct log_chain {
	const struct cc_frame *const *run;
	uint64_t period;
	uint32_t nr, count;
};

struct log_add {
	struct cc_root *root;
	uint32_t chain, from;
};

struct cc_log {
	struct log_chain *c;
	size_t nr_c, cap_c;
	struct log_add *add;
	size_t nr_add, cap_add;
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
	free(l);
}

long cc_log__chain(struct cc_log *l, const struct cc_frame *const *run, uint32_t nr,
		   uint64_t period)
{
	if (l->nr_c >= UINT32_MAX || ARRAY_GROW(l->c, l->cap_c, l->nr_c + 1))
		return -ENOMEM;
	l->c[l->nr_c] = (struct log_chain){ .run = run, .nr = nr, .period = period, .count = 1 };
	return (long)l->nr_c++;
}

int cc_log__add(struct cc_log *l, uint32_t c, struct cc_root *root, uint32_t from)
{
	if (ARRAY_GROW(l->add, l->cap_add, l->nr_add + 1))
		return -ENOMEM;
	l->add[l->nr_add++] = (struct log_add){ .root = root, .chain = c, .from = from };
	if (l->c[c].nr - from > root->max_depth)
		root->max_depth = l->c[c].nr - from;	/* the entry order reads it before */
	return 0;
}

void cc_log__hit(struct cc_log *l, uint32_t c, uint64_t period, uint32_t count)
{
	l->c[c].period += period;
	l->c[c].count += count;
}

void cc_log__want(struct cc_root *root)
{
	if (root->log_state == LOG_NONE) {
		root->log_state = LOG_WANT;
		root->log_total = 0;
	}
}

int cc_log__replay(struct cc_log *l, struct cc_arena *a, uint64_t min_hit, bool all)
{
	const struct log_add *ad, *end = l->add + l->nr_add;

	/* each tree's period: every append adds its chain's to the root (perf's total) */
	for (ad = l->add; ad < end; ad++)
		if (ad->root->log_state == LOG_WANT)
			ad->root->log_total += l->c[ad->chain].period;
	for (ad = l->add; ad < end; ad++) {
		struct cc_root *r = ad->root;
		const struct log_chain *c = &l->c[ad->chain];

		if (r->log_state == LOG_WANT)
			r->log_state = all || r->log_total >= min_hit ? LOG_BUILD : LOG_SKIP;
		if (r->log_state == LOG_BUILD &&
		    cc_root__append_run(r, a, c->run + ad->from, c->nr - ad->from, c->period,
					c->count))
			return -ENOMEM;
	}
	for (ad = l->add; ad < end; ad++)
		if (ad->root->log_state == LOG_BUILD || ad->root->log_state == LOG_SKIP)
			ad->root->log_state = LOG_DONE;
	return 0;
}
