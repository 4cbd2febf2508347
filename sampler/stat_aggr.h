/* pstat's aggregation units: which unit each counter (CPU x thread) adds into under -A,
 * --per-thread, --per-core, --per-die, --per-socket, --per-node and --per-cache, the units'
 * topology ids (from sysfs) and their order as perf prints them. */
#ifndef SAMPLER_STAT_AGGR_H
#define SAMPLER_STAT_AGGR_H

#include "sampler/stat.h"

struct cpu_map;
struct thread_map;

struct stat_aggr_map {
	int nr_units;
	int nr_threads;
	int *unit_of;			/* [cpu_idx * nr_threads + thread_idx] */
	struct stat_unit *units;	/* [unit], sorted by topology id */
};

/* The units of @mode for counters on @cpus x @threads. 0, or -errno: -ENOENT when sysfs lacks
 * the topology the mode needs (no cache/indexN of level @cache_level for --per-cache). */
int stat_aggr__map(enum stat_aggr mode, int cache_level, const struct cpu_map *cpus,
		   const struct thread_map *threads, struct stat_aggr_map *map);
/* The same with the CPUs' sysfs directory at @cpu_dir instead of /sys/devices/system/cpu
 * (cpuN/topology/, cpuN/nodeM, cpuN/cache/indexK/): a made-up topology, in the tests. */
int stat_aggr__map_at(const char *cpu_dir, enum stat_aggr mode, int cache_level, const struct cpu_map *cpus,
		      const struct thread_map *threads, struct stat_aggr_map *map);
void stat_aggr_map__exit(struct stat_aggr_map *map);

/* Every task of every process in /proc: --per-thread -a. NULL with errno. */
struct thread_map *stat_aggr__all_threads(void);

#endif
