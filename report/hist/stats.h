/* preport --stats: how many records of each type a perf.data file holds (COMPRESSED ones and
 * those inside them), and the samples of each event, in perf report --stats' layout. */
#ifndef REPORT_HIST_STATS_H
#define REPORT_HIST_STATS_H

#include <stdio.h>

#include "util/error.h"

int hist_stats__print(const char *path, FILE *out, struct error *err);

#endif
