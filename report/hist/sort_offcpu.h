/* The off-CPU sort keys of preport (precord --off-cpu files): state (how an offcpu-time
 * sample's thread was off CPU, "running" for on-CPU samples), waker and wakee (who woke whom:
 * from a weighted sched:sched_waking sample, or an offcpu-time sample's waker tid). */
#ifndef REPORT_HIST_SORT_OFFCPU_H
#define REPORT_HIST_SORT_OFFCPU_H

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "report/hist/sort.h"
#include "report/session/session.h"
#include "util/strpool.h"

/* Fill k->state, waker, wakee for the keys in l (interned in strs). 0 or -ENOMEM. */
int sort_offcpu__fill(const struct sort_list *l, struct strpool *strs, struct session *s,
		      const struct pd_evsel *evsel, const struct pd_sample *smp, const char *comm,
		      struct hist_key *k);

#endif
