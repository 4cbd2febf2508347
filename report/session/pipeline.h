/* Two threads over one perf.data walk: a reader thread reads, decompresses, puts in perf's
 * order (pd_reader__for_each_ordered) and parses the records; the calling thread takes them
 * in the same order and does the rest (the session's replay, the tool's aggregation). The
 * records go across in batches through a bounded ring (one producer, one consumer) whose
 * batches are reused from start to end: nothing is allocated per record. */
#ifndef REPORT_SESSION_PIPELINE_H
#define REPORT_SESSION_PIPELINE_H

#include <stdint.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "report/session/chain_ids.h"
#include "util/error.h"

/* One record on the calling thread, in perf's order. For a SAMPLE, @parse_ret is
 * pd_sample__parse()'s return (with *smp and @bad_at filled); for other records 0 and @smp
 * NULL. Non-zero stops the walk and is returned by pipeline__run(). */
typedef int (*pipeline_fn)(void *ctx, const struct pd_record *rec, const struct pd_sample *smp,
			   int parse_ret, uint32_t bad_at);

/* A look at a sample PIPELINE_AHEAD records before @fn gets it (in the same batch), on the
 * calling thread: time to start loading what @fn will need for it. */
typedef void (*pipeline_ahead_fn)(void *ctx, const struct pd_record *rec,
				  const struct pd_sample *smp);
#define PIPELINE_AHEAD 4

struct pipeline_opts {
	/* The reader faults in this many bytes of the heap past what malloc has handed out,
	 * every few batches (mem__heap_prefault): the pages the calling thread's allocations
	 * will take are zeroed on the reader's core, not on this one's. 0: none. */
	size_t heap_ahead;
	/* The reader numbers the samples' chains with these (chain_ids__number). NULL: none. */
	struct chain_ids *ids;
	/* No second thread: the records are read, parsed and numbered a batch at a time, and
	 * each batch goes to @fn (with the look-ahead) before the next is read. */
	bool one_thread;
};

/* Walk @r on a reader thread, calling @fn on this one for each record (and @ahead, when not
 * NULL, on the samples coming). 0, @fn's non-zero return, the walk's -errno (err filled), or
 * -errno when the thread cannot start (err filled). Records stay valid until their batch is
 * done: the reader's releases wait for it. */
int pipeline__run(struct pd_reader *r, pipeline_fn fn, pipeline_ahead_fn ahead, void *ctx,
		  const struct pipeline_opts *opts, struct error *err);

#endif
