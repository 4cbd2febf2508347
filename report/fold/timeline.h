/* The samples in time order, kept for the exports that show time: speedscope (one sampled
 * profile per thread) and trace events (chrome://tracing, Perfetto). 32 bytes a sample: the
 * stack is a node of the tree (report/fold/tree.h), not a copy. Samples of other events
 * (tracepoints, uprobes) are kept as instants with their event and function names. */
#ifndef REPORT_FOLD_TIMELINE_H
#define REPORT_FOLD_TIMELINE_H

#include <stdint.h>

#include "report/fold/from_perf.h"
#include "report/fold/tree.h"

struct tl_sample {
	uint64_t time, period;
	uint32_t node;		/* FOLD_NONE: an instant of another event */
	uint32_t thread;	/* index into threads */
	uint32_t event, sym;	/* instants: string ids (sym FOLD_NONE when unknown) */
	int32_t cpu;
	uint32_t pad;
};

struct tl_thread {
	int pid, tid;
	const char *comm;	/* the name it had last */
};

struct timeline {
	struct tl_sample *s;
	size_t nr, cap;
	struct tl_thread *threads;
	size_t nr_threads, threads_cap;
	struct htab thread_tab;		/* hash_u64(tid) -> index + 1 */
	struct strpool *strs;		/* comms, event and function names */
};

struct timeline *timeline__new(void);
void timeline__free(struct timeline *t);

/* The sample hook (fold_sample_fn), with from_perf's all_events for instants. */
int timeline__sample(void *ctx, const struct fold_sample *s);

/* The stack of @node outermost first, without the root's process frame: name ids into
 * buf (cap entries); returns how many (at most cap, the innermost kept). */
size_t timeline__stack(const struct fold *f, uint32_t node, uint32_t *buf, size_t cap);

/* Sorts @idx (n indexes into t->s) by thread, then time; equal times keep index order. */
void timeline__sort_by_thread(const struct timeline *t, uint32_t *idx, size_t n);

const char *timeline__str(const struct timeline *t, uint32_t id);

#endif
