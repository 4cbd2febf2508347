/* preport's call-graph sort on a second thread: while the caller puts a histogram's entries
 * in perf's printed order (three red-black tree walks), another thread sorts the trees of
 * the entries that will be printed, so that the printing loop finds them sorted. Graph
 * modes only: their sort touches nothing but each entry's own tree (flat and folded take
 * memory from the shared arena). */
#ifndef REPORT_HIST_PRESORT_H
#define REPORT_HIST_PRESORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/hist/callchain.h"
#include "report/hist/hist.h"

struct cc_presort {
	struct hist_entry **v;		/* the entries whose trees are sorted */
	size_t nr;
	const struct cc_param *param;
	uint64_t min_hit;
	int ret;			/* the thread's: 0 or -ENOMEM */
	bool running;
	pthread_t tid;
};

/* Whether a second thread is worth starting for @nr trees in @p's mode. */
bool cc_presort__wanted(const struct cc_param *p, size_t nr);
/* Sort the trees of @v[0..nr) (the array is the caller's; it stays untouched until the join)
 * on a new thread, as cc_root__sort(tree, NULL, p, min_hit) would. When the thread cannot
 * start, they are sorted here. 0 or -ENOMEM. */
int cc_presort__start(struct cc_presort *ps, struct hist_entry **v, size_t nr,
		      const struct cc_param *p, uint64_t min_hit);
/* Wait for the sort: 0 or -ENOMEM. */
int cc_presort__join(struct cc_presort *ps);

#endif
