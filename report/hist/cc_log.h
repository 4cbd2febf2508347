/* preport's call graphs, built late: while the file is read, a sample that goes the whole
 * way (not one counted into an interned record: chain_intern.h) leaves in this log its chain
 * (a run of interned frames) and the trees the chain goes into (an entry's root, and the
 * frame the chain starts from there), not nodes in the trees; a record's later samples add
 * their period and count to the chain's sums. When the report prints, the trees that can
 * show a line are built from the log, each with its appends in the order they came: the
 * same trees, node for node and in the same birth order, as appending each sample as it
 * came (a tree's shape does not depend on the hits). The others are never built: in graph
 * mode, a tree whose whole period is under the threshold prints nothing (189 of the 36782
 * entries of a 290K-sample -a -g file print a graph line). */
#ifndef REPORT_HIST_CC_LOG_H
#define REPORT_HIST_CC_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "report/hist/callchain.h"

struct cc_log;

struct cc_log *cc_log__new(void);
void cc_log__free(struct cc_log *l);

/* A chain of @nr frames (@run from cc_arena__run, in the arena the trees will be built in)
 * with its first sample's @period: its number, or -ENOMEM. */
long cc_log__chain(struct cc_log *l, const struct cc_frame *const *run, uint32_t nr,
		   uint64_t period);
/* The last chain logged, from its frame @from on, goes into @ref's tree (after what went
 * there before; @ref's max_depth counts it now). 0 or -ENOMEM. */
int cc_log__add(struct cc_log *l, struct cc_ref *ref, uint32_t from);
/* @count more samples of @period in all with chain @c (each of its trees gets them). */
void cc_log__hit(struct cc_log *l, uint32_t c, uint64_t period, uint32_t count);

/* Ask the next cc_log__replay() for @ref's tree (nothing if it was built or passed over
 * by a replay before, or if nothing goes into it). */
void cc_log__want(struct cc_log *l, const struct cc_ref *ref);
/* Build the trees asked for whose period in the log is at least @min_hit (all of them
 * with @all): each is made (cc_ref__root) and gets its appends, in their order, in arena @a.
 * The others are not made; a tree asked for is final after this (later replays leave it
 * alone). 0 or -ENOMEM. */
int cc_log__replay(struct cc_log *l, struct cc_arena *a, uint64_t min_hit, bool all);

#endif
