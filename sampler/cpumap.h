/* CPU lists ("0-3,7") and thread lists (a pid's tasks, a tid list): what counters are opened on. */
#ifndef SAMPLER_CPUMAP_H
#define SAMPLER_CPUMAP_H

#include <sys/types.h>

struct cpu_map {
	int nr;
	int cpu[];		/* -1 alone means "any CPU" (per-task counting) */
};

struct thread_map {
	int nr;
	pid_t pid[];		/* -1 alone means "any task" (per-CPU counting) */
};

/* The CPUs of "0-3,7" (sorted, unique); NULL list: the online CPUs. Returns NULL with errno
 * (EINVAL for a bad list). */
struct cpu_map *cpu_map__new(const char *list);
/* 0 when every CPU of @map is online; else -ENODEV with "CPU 99 does not exist (this machine
 * has CPUs 0-1)" or "CPU 3 is offline (...)" in @err. */
struct error;
int cpu_map__check(const struct cpu_map *map, struct error *err);
struct cpu_map *cpu_map__dummy(void);
void cpu_map__free(struct cpu_map *map);

struct thread_map *thread_map__dummy(void);
/* Every task of each pid in "123,456" (from /proc/PID/task). */
struct thread_map *thread_map__new_pids(const char *pids);
/* Exactly the tids in "123,456". */
struct thread_map *thread_map__new_tids(const char *tids);
struct thread_map *thread_map__new_one(pid_t pid);
void thread_map__free(struct thread_map *map);

#endif
