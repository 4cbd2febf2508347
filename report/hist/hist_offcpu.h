/* preport on precord --off-cpu files: whether a section gets the Time (ms) column. */
#ifndef REPORT_HIST_HIST_OFFCPU_H
#define REPORT_HIST_HIST_OFFCPU_H

#include <stdbool.h>

#include "perfdata/reader.h"
#include "report/session/session.h"

/* True for an event whose periods are nanoseconds (offcpu-time, cpu-clock, task-clock, and
 * sched_waking in off-CPU files) when @mode asks for the column: 1 always, -1 when the file
 * has off-CPU data, 0 never. */
bool hist_offcpu__time_column(struct session *s, int mode, const struct pd_evsel *e);

#endif
