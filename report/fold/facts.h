/* The recording's header facts as one line for the graphs: command line, host, date,
 * event, samples and lost events, from what fold_perf__read() kept in struct fold. */
#ifndef REPORT_FOLD_FACTS_H
#define REPORT_FOLD_FACTS_H

#include <stddef.h>

#include "report/fold/tree.h"

/* Write the line into buf (cap bytes, NUL-terminated, cut to fit); "" for folded text
 * input (nothing known). Returns buf. */
char *fold__facts(const struct fold *f, char *buf, size_t cap);

#endif
