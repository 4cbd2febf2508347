/* Owns CPU and thread lists: the CPUs of a list ("0-3,7", parsed by util/cpulist.h) or the
 * online ones, a pid's tasks from /proc, tid lists. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/cpumap.h"
#include "util/array.h"
#include "util/cpulist.h"
#include "util/error.h"
#include "util/sysfs.h"

/* CPU @cpu exists (possibly offline): sysfs has a directory for it. */
static bool access_cpu(int cpu)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d", cpu);
	return access(path, F_OK) == 0;
}

static struct cpu_map *cpu_map__alloc(int nr)
{
	struct cpu_map *map = malloc(sizeof(*map) + nr * sizeof(int));

	if (map)
		map->nr = nr;
	return map;
}

struct cpu_map *cpu_map__new(const char *list)
{
	char buf[4096];
	int cpus[CPULIST_MAX], n;
	struct cpu_map *map;

	if (!list) {
		n = sysfs__read_str("/sys/devices/system/cpu/online", buf, sizeof(buf));
		if (n) {
			errno = n == -ENODATA ? EIO : -n;
			return NULL;
		}
		list = buf;
	}
	n = cpulist__parse(list, cpus, CPULIST_MAX);
	if (n < 0) {
		errno = -n;
		return NULL;
	}
	map = cpu_map__alloc(n);
	if (!map)
		return NULL;
	memcpy(map->cpu, cpus, n * sizeof(int));
	return map;
}

int cpu_map__check(const struct cpu_map *map, struct error *err)
{
	char buf[4096];
	int online[CPULIST_MAX], n, i, k = 0;

	if (sysfs__read_str("/sys/devices/system/cpu/online", buf, sizeof(buf)))
		return 0;	/* nothing to check against: the open says what is wrong */
	n = cpulist__parse(buf, online, CPULIST_MAX);
	if (n <= 0)
		return 0;
	buf[strcspn(buf, "\n")] = 0;
	for (i = 0; i < map->nr; i++) {
		while (k < n && online[k] < map->cpu[i])
			k++;
		if (k < n && online[k] == map->cpu[i])
			continue;
		if (access_cpu(map->cpu[i]))
			return error__set(err, -ENODEV, "CPU %d is offline (online CPUs: %s)", map->cpu[i], buf);
		return error__set(err, -ENODEV, "CPU %d does not exist (this machine has CPUs %s)",
				  map->cpu[i], buf);
	}
	return 0;
}

struct cpu_map *cpu_map__dummy(void)
{
	struct cpu_map *map = cpu_map__alloc(1);

	if (map)
		map->cpu[0] = -1;
	return map;
}

void cpu_map__free(struct cpu_map *map)
{
	free(map);
}

static struct thread_map *thread_map__alloc(int nr)
{
	struct thread_map *map = malloc(sizeof(*map) + nr * sizeof(pid_t));

	if (map)
		map->nr = nr;
	return map;
}

struct thread_map *thread_map__dummy(void)
{
	return thread_map__new_one(-1);
}

struct thread_map *thread_map__new_one(pid_t pid)
{
	struct thread_map *map = thread_map__alloc(1);

	if (map)
		map->pid[0] = pid;
	return map;
}

/* Splits "1,2,3" into numbers; every item must be a positive integer. */
static int pid_list__parse(const char *list, pid_t *out, int max)
{
	const char *p = list;
	int n = 0;

	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p || v <= 0)
			return -EINVAL;
		if (n >= max)
			return -E2BIG;
		out[n++] = (pid_t)v;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	return n ? n : -EINVAL;
}

struct thread_map *thread_map__new_tids(const char *tids)
{
	pid_t buf[1024];
	int n = pid_list__parse(tids, buf, 1024);
	struct thread_map *map;

	if (n < 0) {
		errno = -n;
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d", buf[i]);
		if (access(path, F_OK)) {
			errno = ESRCH;
			return NULL;
		}
	}
	map = thread_map__alloc(n);
	if (map)
		memcpy(map->pid, buf, n * sizeof(pid_t));
	return map;
}

struct thread_map *thread_map__new_pids(const char *pids)
{
	pid_t buf[1024], *tids = NULL;
	int n = pid_list__parse(pids, buf, 1024);
	struct thread_map *map = NULL;
	size_t nr = 0, cap = 0;

	if (n < 0) {
		errno = -n;
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		char path[64];
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%d/task", buf[i]);
		d = opendir(path);
		if (!d) {
			errno = ESRCH;
			goto out;
		}
		while ((de = readdir(d))) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			if (ARRAY_GROW(tids, cap, nr + 1)) {
				closedir(d);
				errno = ENOMEM;
				goto out;
			}
			tids[nr++] = atoi(de->d_name);
		}
		closedir(d);
	}
	if (!nr) {
		errno = ESRCH;
		goto out;
	}
	map = thread_map__alloc((int)nr);
	if (map)
		memcpy(map->pid, tids, nr * sizeof(pid_t));
out:
	free(tids);
	return map;
}

void thread_map__free(struct thread_map *map)
{
	free(map);
}
