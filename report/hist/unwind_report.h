/* The unwind-quality report: `preport --unwind-stats` replays a perf.data file, unwinds every
 * sample's user stack and prints the table of unwind/stats.h's counts instead of a histogram;
 * preport's header carries the one-line summary. */
#ifndef REPORT_HIST_UNWIND_REPORT_H
#define REPORT_HIST_UNWIND_REPORT_H

#include <stdio.h>

#include "perfdata/reader.h"

/* 0, or -errno with err filled (a file without user stacks prints a one-line hint). */
int unwind_report__run(const char *path, FILE *out, struct error *err);

struct unwind_stats;
/* One "# ..." line for a report header (nothing when no stack was unwound). */
void unwind_report__header(const struct unwind_stats *st, FILE *out);
/* The per-DSO table with the fixes. */
void unwind_report__table(const struct unwind_stats *st, FILE *out);

#endif
