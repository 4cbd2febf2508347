/* pfold --chrome-trace: the trace event format (JSON object form) that chrome://tracing and
 * Perfetto open. Each thread's samples become nested B/E slices, one per frame: a frame
 * stays open while consecutive samples keep it on their stack, and a stack is taken to last
 * one period (clock events, off-CPU) or 1 ms (other events) unless the next sample comes
 * sooner. Samples of the other events in the file (tracepoints, uprobes) are instant
 * events ("ph":"i") with their CPU and function. Processes and threads are named by
 * metadata events; the header facts go in "otherData". Times are microseconds. */
#ifndef REPORT_FOLD_CHROME_TRACE_H
#define REPORT_FOLD_CHROME_TRACE_H

#include <stdio.h>

#include "report/fold/timeline.h"

/* 0 or -errno (-ENOMEM, -EIO). @facts may be NULL. */
int chrome_trace__write(const struct timeline *t, const struct fold *f, const char *facts,
			FILE *out);

#endif
