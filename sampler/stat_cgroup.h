/* pstat -G and --for-each-cgroup: finding a cgroup's directory (v1's perf_event hierarchy,
 * else cgroup v2) and opening it for perf_event_open's PERF_FLAG_PID_CGROUP; precord
 * --all-cgroups walks the same hierarchy. */
#ifndef SAMPLER_STAT_CGROUP_H
#define SAMPLER_STAT_CGROUP_H

#include <stddef.h>

/* The directory of cgroup @name ("a/b", relative to the hierarchy's root; "/" the root) into
 * @path, opened: an fd, or -errno (-ENODEV: no cgroup v2 or perf_event hierarchy mounted). */
int stat_cgroup__open(const char *name, char *path, size_t len);
/* That hierarchy's mount point into @root: 0 or -ENODEV. */
int stat_cgroup__root(char *root, size_t len);

#endif
