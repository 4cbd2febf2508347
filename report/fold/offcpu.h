/* pfold on precord --off-cpu files: which events are folded together (the on-CPU event and
 * offcpu-time, or offcpu-time alone, or the weighted sched_waking samples for --wakers), the
 * frames that mark an off-CPU stack ("[off-cpu:STATE]" at the leaf) or a waker stack
 * ("WAKEE;[woken-by]" at the root), and which nodes of a flame graph are off-CPU only (drawn
 * in blues). Every off-CPU fold is weighted by time: the periods are nanoseconds. */
#ifndef REPORT_FOLD_OFFCPU_H
#define REPORT_FOLD_OFFCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "report/fold/tree.h"

enum fold_offcpu_mode {
	FOLD_OFFCPU_AUTO,	/* a file with offcpu-time: on-CPU and off-CPU in one graph */
	FOLD_OFFCPU_ONLY,	/* --off-cpu-only */
	FOLD_OFFCPU_WAKERS,	/* --wakers: the stacks that woke waiting threads */
};

#define FOLD_OFFCPU_MARK	"[off-cpu"

/* Choose the events for @mode: *on (NULL for none) and *off (the time-weighted one). 0 with
 * *off NULL when the file has no off-CPU data and mode is AUTO (fold as usual); -ENOENT with
 * err filled when ONLY/WAKERS find nothing to fold. */
int fold_offcpu__pick(struct pd_reader *r, enum fold_offcpu_mode mode, struct pd_evsel **on,
		      struct pd_evsel **off, struct error *err);
/* The leaf frame "[off-cpu:STATE]" of an offcpu-time sample; FOLD_NONE on ENOMEM. */
uint32_t fold_offcpu__state_frame(struct fold *f, const struct pd_sample *smp);
/* "WAKEE" and "[woken-by]", the first frames of a waker stack, into ids[2]; -ENOMEM. */
int fold_offcpu__wakee_frames(struct fold *f, const struct pd_sample *smp, uint32_t ids[2]);
/* Per node: 1 when all of its value is off-CPU (under "[off-cpu" leaves), else 0. NULL when
 * the tree has no off-CPU frame (or on ENOMEM: drawn as usual). Free with free(). */
uint8_t *fold_offcpu__cold(const struct fold *f, int profile, bool period);

#endif
