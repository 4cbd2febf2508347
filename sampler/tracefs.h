/* tracefs: where it is mounted, tracepoint ids, and glob expansion of "sys:name" patterns. */
#ifndef SAMPLER_TRACEFS_H
#define SAMPLER_TRACEFS_H

#include <stddef.h>

/* The mount point (/sys/kernel/tracing or /sys/kernel/debug/tracing), or NULL with errno ENOENT
 * (not mounted) or EACCES (mounted, but we may not enter it). */
const char *tracefs__mountpoint(void);
/* -EACCES with a one-line message naming the directory, its mode and the fix when tracefs is
 * there but not readable by us; 0 otherwise. */
int tracefs__denied(char *msg, size_t len);

/* The id of events/SYS/NAME/id, or -errno (-ENOENT: no such tracepoint). */
int tracefs__event_id(const char *sys, const char *name);

typedef int (*tracefs_event_cb)(const char *sys, const char *name, int id, void *arg);
/* Calls cb for every tracepoint whose system and name match the fnmatch patterns, in sorted
 * order. Returns the number matched, or -errno (a callback's negative return stops the walk). */
int tracefs__for_each_event(const char *sys_glob, const char *name_glob, tracefs_event_cb cb, void *arg);

/* Drops the listing of events/ that tracefs__for_each_event() keeps (after a probe is added or
 * deleted the next walk lists tracefs again). */
void tracefs__forget_events(void);

#endif
