/* `preport --unwind-stats`: replay a perf.data file, unwind every sample's user stack and
 * print the unwind-quality table (unwind/stats.h) instead of a histogram. */
#ifndef REPORT_HIST_UNWIND_REPORT_H
#define REPORT_HIST_UNWIND_REPORT_H

#include <stdio.h>

#include "perfdata/reader.h"

/* 0, or -errno with err filled (a file without user stacks prints a one-line hint). */
int unwind__report_stats(const char *path, FILE *out, struct error *err);

#endif
