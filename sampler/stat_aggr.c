/* Owns pstat's aggregation units: the topology ids of each CPU read from sysfs (package, die,
 * core, NUMA node, the cache of a level), the grouping of counters into units, the units'
 * order (by id, as perf prints them), and the list of every task for --per-thread -a. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler/cpumap.h"
#include "sampler/stat_aggr.h"
#include "util/array.h"
#include "util/cpulist.h"
#include "util/sysfs.h"

#define CPU_DIR "/sys/devices/system/cpu"

/* The sort key of a CPU's unit, and the CPU's index in the map. */
struct cpu_key {
	int id[4];
	int idx;
};

static int topo_int(const char *dir, int cpu, const char *file, int dflt)
{
	char path[4200];
	int v;

	snprintf(path, sizeof(path), "%s/cpu%d/topology/%s", dir, cpu, file);
	return sysfs__read_int(path, &v) ? dflt : v;
}

/* The NUMA node of @cpu: its cpuN/nodeM link; 0 on a kernel without NUMA. */
static int cpu_node(const char *dir, int cpu)
{
	char path[4200];
	struct dirent *de;
	DIR *d;
	int node = 0;

	snprintf(path, sizeof(path), "%s/cpu%d", dir, cpu);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "node", 4) && isdigit((unsigned char)de->d_name[4])) {
			node = atoi(de->d_name + 4);
			break;
		}
	}
	closedir(d);
	return node;
}

/* The lowest CPU of the list @s; @dflt when it is not a CPU list. */
static int first_cpu(const char *s, int dflt)
{
	int *all = malloc(CPULIST_MAX * sizeof(*all)), n, first = dflt;

	if (all && (n = cpulist__parse(s, all, CPULIST_MAX)) > 0)
		first = all[0];
	free(all);
	return first;
}

/* The id of @cpu's cache of @level (0: the highest level), and that level; -ENOENT without
 * a cache topology in sysfs. */
static int cpu_cache(const char *dir, int cpu, int level, int *id, int *got_level)
{
	char path[4200], buf[4096];
	int best = -1;

	for (int i = 0; i < 16; i++) {
		int lv, cid;

		snprintf(path, sizeof(path), "%s/cpu%d/cache/index%d/level", dir, cpu, i);
		if (sysfs__read_int(path, &lv))
			break;
		if (level ? lv != level : lv <= best)
			continue;
		snprintf(path, sizeof(path), "%s/cpu%d/cache/index%d/id", dir, cpu, i);
		if (sysfs__read_int(path, &cid)) {
			/* no id file: the first CPU sharing it names it */
			snprintf(path, sizeof(path), "%s/cpu%d/cache/index%d/shared_cpu_list", dir, cpu, i);
			cid = sysfs__read_str(path, buf, sizeof(buf)) ? cpu : first_cpu(buf, cpu);
		}
		best = lv;
		*id = cid;
		if (level)
			break;
	}
	if (best < 0)
		return -ENOENT;
	*got_level = best;
	return 0;
}

static int cpu_key__fill(const char *dir, struct cpu_key *k, enum stat_aggr mode, int cache_level, int cpu)
{
	int socket = topo_int(dir, cpu, "physical_package_id", 0), die = topo_int(dir, cpu, "die_id", 0);

	memset(k->id, 0, sizeof(k->id));
	switch (mode) {
	case STAT_AGGR_NONE:
		k->id[0] = cpu;
		break;
	case STAT_AGGR_SOCKET:
		k->id[0] = socket;
		break;
	case STAT_AGGR_DIE:
		k->id[0] = socket, k->id[1] = die;
		break;
	case STAT_AGGR_CORE:
		k->id[0] = socket, k->id[1] = die, k->id[2] = topo_int(dir, cpu, "core_id", cpu);
		break;
	case STAT_AGGR_NODE:
		k->id[0] = cpu_node(dir, cpu);
		break;
	case STAT_AGGR_CACHE:
		k->id[0] = socket, k->id[1] = die;
		if (cpu_cache(dir, cpu, cache_level, &k->id[3], &k->id[2]))
			return -ENOENT;
		break;
	case STAT_AGGR_GLOBAL:
	case STAT_AGGR_THREAD:
		break;
	}
	return 0;
}

static int cpu_key__cmp(const void *a, const void *b)
{
	const struct cpu_key *x = a, *y = b;

	for (int i = 0; i < 4; i++)
		if (x->id[i] != y->id[i])
			return x->id[i] < y->id[i] ? -1 : 1;
	return x->idx - y->idx;
}

static void thread_comm(pid_t tid, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	if (sysfs__read_str(path, buf, len))
		snprintf(buf, len, "<unknown>");
}

static int map_threads(const struct thread_map *threads, int nr_cpus, struct stat_aggr_map *map)
{
	map->nr_units = threads->nr;
	map->units = calloc(threads->nr, sizeof(*map->units));
	if (!map->units)
		return -ENOMEM;
	for (int t = 0; t < threads->nr; t++) {
		map->units[t].id[0] = threads->pid[t];
		map->units[t].cpu = -1;
		thread_comm(threads->pid[t], map->units[t].comm, sizeof(map->units[t].comm));
		for (int c = 0; c < nr_cpus; c++)
			map->unit_of[c * threads->nr + t] = t;
	}
	return 0;
}

static int map_cpus(const char *dir, enum stat_aggr mode, int cache_level, const struct cpu_map *cpus,
		    struct stat_aggr_map *map)
{
	struct cpu_key *keys = calloc(cpus->nr, sizeof(*keys));
	int err = -ENOMEM;

	if (!keys)
		return -ENOMEM;
	map->units = calloc(cpus->nr, sizeof(*map->units));
	if (!map->units)
		goto out;
	for (int c = 0; c < cpus->nr; c++) {
		keys[c].idx = c;
		err = cpu_key__fill(dir, &keys[c], mode, cache_level, cpus->cpu[c] < 0 ? 0 : cpus->cpu[c]);
		if (err)
			goto out;
	}
	array__sort(keys, cpus->nr, sizeof(*keys), cpu_key__cmp);
	for (int k = 0; k < cpus->nr; k++) {
		struct stat_unit *u;

		if (k == 0 || memcmp(keys[k].id, keys[k - 1].id, sizeof(keys[k].id))) {
			u = &map->units[map->nr_units++];
			memcpy(u->id, keys[k].id, sizeof(u->id));
			u->cpu = mode == STAT_AGGR_NONE ? cpus->cpu[keys[k].idx] : -1;
		}
		u = &map->units[map->nr_units - 1];
		u->nr_cpus++;
		for (int t = 0; t < map->nr_threads; t++)
			map->unit_of[keys[k].idx * map->nr_threads + t] = map->nr_units - 1;
	}
	err = 0;
out:
	free(keys);
	return err;
}

int stat_aggr__map(enum stat_aggr mode, int cache_level, const struct cpu_map *cpus,
		   const struct thread_map *threads, struct stat_aggr_map *map)
{
	return stat_aggr__map_at(CPU_DIR, mode, cache_level, cpus, threads, map);
}

int stat_aggr__map_at(const char *cpu_dir, enum stat_aggr mode, int cache_level, const struct cpu_map *cpus,
		      const struct thread_map *threads, struct stat_aggr_map *map)
{
	int err;

	*map = (struct stat_aggr_map){ .nr_threads = threads->nr };
	map->unit_of = calloc((size_t)cpus->nr * threads->nr, sizeof(*map->unit_of));
	if (!map->unit_of)
		return -ENOMEM;
	if (mode == STAT_AGGR_THREAD)
		err = map_threads(threads, cpus->nr, map);
	else
		err = map_cpus(cpu_dir, mode, cache_level, cpus, map);
	if (err)
		stat_aggr_map__exit(map);
	return err;
}

void stat_aggr_map__exit(struct stat_aggr_map *map)
{
	if (!map)
		return;
	free(map->unit_of);
	free(map->units);
	*map = (struct stat_aggr_map){ 0 };
}

/* The tasks of /proc/@pid/task appended to @pids. */
static int add_tasks(const char *pid, pid_t **pids, size_t *cap, int *n)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	d = opendir(path);
	if (!d)
		return 0;	/* gone meanwhile */
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (ARRAY_GROW(*pids, *cap, (size_t)*n + 1)) {
			closedir(d);
			return -ENOMEM;
		}
		(*pids)[(*n)++] = atoi(de->d_name);
	}
	closedir(d);
	return 0;
}

struct thread_map *stat_aggr__all_threads(void)
{
	struct thread_map *map = NULL;
	struct dirent *de;
	pid_t *pids = NULL;
	size_t cap = 0;
	int n = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (isdigit((unsigned char)de->d_name[0]) && add_tasks(de->d_name, &pids, &cap, &n))
			goto out;
	}
	map = malloc(sizeof(*map) + (size_t)n * sizeof(pid_t));
	if (map) {
		map->nr = n;
		if (n)
			memcpy(map->pid, pids, (size_t)n * sizeof(pid_t));
	}
out:
	closedir(d);
	free(pids);
	if (!map)
		errno = ENOMEM;
	return map;
}
