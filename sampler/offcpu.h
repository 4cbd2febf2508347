/* precord --off-cpu: where threads wait. The recorder adds sched:sched_switch (with call chains
 * and the previous task's state) and, per task, context-switch records for the switch-ins; it
 * takes their records out of the ring data as they are drained, pairs every switch-out with the
 * next switch-in of the same thread in time order, and writes the wait as a sample of a
 * synthetic event "offcpu-time" whose period is the nanoseconds spent off CPU and whose stack is
 * the switch-out stack. perf reads it as an ordinary software event (named in EVENT_DESC).
 *
 * The sample's RAW data (struct offcpu_raw) says the state at switch-out, how many waits it
 * sums and who woke the thread. Waits of OFFCPU_DIRECT_NS or more are written one sample each,
 * at the time the thread ran again; shorter ones are summed per (thread, stack, state) and
 * written at most once a second of recording and at the end: a context-switch-heavy program
 * costs a table update per switch, not a record. With wakers, the sched:sched_waking sample
 * that ended a wait is written too, its period set to that wait and its time to the switch-in.
 * With wall-clock mode, every wait is cut into samples of the on-CPU sampling period. */
#ifndef SAMPLER_OFFCPU_H
#define SAMPLER_OFFCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/offcpu.h"

#define OFFCPU_DIRECT_NS	1000000ULL	/* waits this long get a sample of their own */

struct offcpu_opts {
	bool enabled;			/* --off-cpu (or --wall) */
	bool wakers;			/* --off-cpu=wakers: also sched:sched_waking with stacks */
	bool wall;			/* --wall */
	uint64_t thresh_ns;		/* --off-cpu-thresh: waits shorter than this are dropped */
	uint64_t wall_period_ns;	/* --wall: cut waits into samples of this period; 0: off */
};

struct evlist;
struct evsel;
struct pd_event_desc;
struct offcpu;

struct offcpu_stats {
	uint64_t switches;		/* switch-out records seen */
	uint64_t waits;			/* waits paired and kept */
	uint64_t short_waits;		/* dropped by the threshold */
	uint64_t unmatched;		/* switch-outs without a switch-in, or the other way round */
	uint64_t samples;		/* offcpu-time samples written */
	uint64_t wakers;		/* sched_waking samples written */
	uint64_t open_at_end;		/* threads still off CPU when the recording ended */
};

typedef int (*offcpu_emit_fn)(void *arg, const void *rec, size_t len);

/* The events to append to the -e list: "sched:sched_switch[,sched:sched_waking]". */
const char *offcpu__spec(const struct offcpu_opts *o);
struct offcpu *offcpu__new(const struct offcpu_opts *o, bool per_task);
void offcpu__free(struct offcpu *oc);
/* After the attrs are configured: entries [first, nr) of el are ours; set their attrs (period
 * 1, switch records per task); first < 0: the same as the last call. 0 or -errno (-ENOENT: no
 * sched tracepoints here). */
int offcpu__config(struct offcpu *oc, struct evlist *el, int first);
/* After opening: the ids of our events, and the offcpu-time attr made from entries[0]'s. */
int offcpu__opened(struct offcpu *oc, struct evlist *el);
/* Whether an evsel of el stays out of the file (sched_switch does; sched_waking does not). */
bool offcpu__hidden(const struct offcpu *oc, const struct evsel *e);
/* The offcpu-time attr for the file's attrs and EVENT_DESC. */
void offcpu__desc(const struct offcpu *oc, struct pd_event_desc *d);
/* Take our records out of len bytes of whole records (in place); returns the bytes left. */
size_t offcpu__take(struct offcpu *oc, void *buf, size_t len);
/* Pair what is safe to pair (all of it when final) and write the samples through emit. */
int offcpu__round(struct offcpu *oc, bool final, offcpu_emit_fn emit, void *arg);
const struct offcpu_stats *offcpu__stats(const struct offcpu *oc);

#endif
