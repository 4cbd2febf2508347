/* preport --task: the recording's processes and threads as perf report --task prints them,
 * a tree by parent (FORK records), each line "pid tid ppid |comm" with the last comm. */
#ifndef REPORT_HIST_TASKS_H
#define REPORT_HIST_TASKS_H

#include <stdio.h>

#include "util/error.h"

int hist_tasks__print(const char *path, FILE *out, struct error *err);

#endif
