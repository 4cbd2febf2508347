/* The events this machine offers, as perf list prints them: hardware, software and hw-cache
 * events the kernel accepts here, PMU events from sysfs, tracepoints from available_events. */
#ifndef SAMPLER_EVENT_LIST_H
#define SAMPLER_EVENT_LIST_H

#include <stdbool.h>
#include <stdio.h>

/* FILTER: NULL (everything), a kind (hw, sw, cache, pmu, tracepoint), a glob on the event name
 * ('sched:*'), or a plain word matched anywhere in the name ('syscalls'). Returns the number of
 * events printed, or -errno. */
int event_list__print(FILE *out, const char *filter);
/* perf list --raw-dump: the names of @kind (NULL: every kind), each followed by a space, no
 * newline. The number printed, or -errno (-EINVAL: not a kind). */
int event_list__raw_dump(FILE *out, const char *kind);
/* True when FILTER names a kind of event (hw, sw, cache, pmu, tracepoint) rather than events. */
bool event_list__is_kind(const char *filter);

#endif
