/* Owns CPU and thread lists: parsing "0-3,7", the online CPUs, a pid's tasks from /proc. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/cpumap.h"

#define CPU_MAX 4096

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int cpu_list__parse(const char *list, int *out, int max)
{
	const char *p = list;
	int n = 0;

	while (*p) {
		char *end;
		long lo, hi;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		lo = strtol(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			hi = strtol(p, &end, 10);
			p = end;
		}
		if (hi < lo || hi >= CPU_MAX)
			return -EINVAL;
		for (long c = lo; c <= hi; c++) {
			if (n >= max)
				return -E2BIG;
			out[n++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
		else
			break;
	}
	if (!n)
		return -EINVAL;
	qsort(out, n, sizeof(*out), cmp_int);
	int u = 0;
	for (int i = 0; i < n; i++)
		if (!u || out[u - 1] != out[i])
			out[u++] = out[i];
	return u;
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
	int cpus[CPU_MAX], n;
	struct cpu_map *map;

	if (!list) {
		FILE *f = fopen("/sys/devices/system/cpu/online", "r");

		if (!f)
			return NULL;
		if (!fgets(buf, sizeof(buf), f)) {
			fclose(f);
			errno = EIO;
			return NULL;
		}
		fclose(f);
		list = buf;
	}
	n = cpu_list__parse(list, cpus, CPU_MAX);
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
	pid_t buf[1024];
	int n = pid_list__parse(pids, buf, 1024);
	struct thread_map *map = NULL;
	int nr = 0, alloc = 0;

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
			free(map);
			errno = ESRCH;
			return NULL;
		}
		while ((de = readdir(d))) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			if (nr == alloc) {
				struct thread_map *m;

				alloc = alloc ? alloc * 2 : 16;
				m = realloc(map, sizeof(*map) + alloc * sizeof(pid_t));
				if (!m) {
					closedir(d);
					free(map);
					return NULL;
				}
				map = m;
			}
			map->pid[nr++] = atoi(de->d_name);
		}
		closedir(d);
	}
	if (!map) {
		errno = ESRCH;
		return NULL;
	}
	map->nr = nr;
	return map;
}

void thread_map__free(struct thread_map *map)
{
	free(map);
}
