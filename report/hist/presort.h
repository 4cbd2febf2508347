/* preport's call-graph build and sort on a second thread: while the caller puts a
 * histogram's entries in perf's printed order (three red-black tree walks), another thread
 * builds the trees asked for from the log (cc_log.h) and sorts the trees of the entries
 * that will be printed, so that the printing loop finds them sorted. Graph modes only:
 * their sort touches nothing but each entry's own tree (flat and folded take memory from
 * the shared arena); the caller's walks read no tree (an entry's max_depth is set when its
 * appends are logged, and building leaves it as it is). */
#ifndef REPORT_HIST_PRESORT_H
#define REPORT_HIST_PRESORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/hist/callchain.h"
#include "report/hist/cc_log.h"
#include "report/hist/hist.h"

struct cc_presort {
	struct hist_entry **v;		/* the entries whose trees are sorted */
	size_t nr;
	const struct cc_param *param;
	uint64_t min_hit;
	struct cc_log *log;		/* NULL: the trees are built */
	struct cc_arena *arena;		/* the log's trees' */
	int ret;			/* the thread's: 0 or -ENOMEM */
	bool running;
	pthread_t tid;
};

/* Whether a second thread is worth starting for @nr trees in @p's mode. */
bool cc_presort__wanted(const struct cc_param *p, size_t nr);
/* On a new thread: build the trees asked for from @log in @a (unless @log is NULL) as
 * cc_log__replay(log, a, min_hit, fractal) would, then sort the trees of @v[0..nr) (the
 * array is the caller's; it stays untouched until the join) as cc_root__sort(tree, NULL, p,
 * min_hit) would. When the thread cannot start, it is done here. 0 or -ENOMEM. */
int cc_presort__start(struct cc_presort *ps, struct hist_entry **v, size_t nr,
		      const struct cc_param *p, uint64_t min_hit, struct cc_log *log,
		      struct cc_arena *a);
/* Wait for the sort: 0 or -ENOMEM. */
int cc_presort__join(struct cc_presort *ps);

#endif
