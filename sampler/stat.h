/* Counting mode (pstat): open the events on the target, run the workload or wait, read,
 * scale, aggregate, repeat (-r). The counts come back as tables of rows: each -I interval's
 * through a callback while counting, the final one (means over the runs) in struct
 * stat_result. Printing them is report/stat/'s job. */
#ifndef SAMPLER_STAT_H
#define SAMPLER_STAT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/stats.h"

struct error;
struct evlist;

/* What identifies a row's event for the metrics. */
struct stat_event {
	const char *name;
	const char *unit;	/* "msec" for the clocks, sysfs unit, or "" */
	uint32_t type;
	uint64_t config;
	bool is_clock;
	const char *cgroup;	/* -G, --for-each-cgroup: the cgroup counted, or NULL */
};

/* How counts are aggregated: all together, per CPU (-A), per thread, per topology unit. */
enum stat_aggr {
	STAT_AGGR_GLOBAL,
	STAT_AGGR_NONE,		/* -A: one unit per CPU */
	STAT_AGGR_THREAD,
	STAT_AGGR_CORE,
	STAT_AGGR_DIE,
	STAT_AGGR_SOCKET,
	STAT_AGGR_NODE,
	STAT_AGGR_CACHE,
};

/* One aggregation unit: its topology ids (socket, die, core or cache level, cache id; node;
 * CPU; thread id), the CPUs it sums, and for a thread its comm. */
struct stat_unit {
	int id[4];
	int nr_cpus;
	int cpu;		/* -A: the CPU; else -1 */
	char comm[24];		/* --per-thread */
};

/* One event's count on one aggregation unit (all CPUs, one CPU with -A, a core, a thread...). */
struct stat_row {
	struct stat_event ev;
	bool supported;
	bool counted;		/* time_running > 0 */
	double val;		/* scaled count; nanoseconds for the clocks */
	uint64_t ena, run;
	double noise_pct;	/* relative stddev over -r runs, 0 if none */
	int cpu;		/* -1 when aggregated */
	double ts;		/* interval timestamp in seconds */
};

/* The counters a row's metric may divide by, for one aggregation unit. */
struct stat_shadow {
	double clock_ns;	/* task-clock or cpu-clock */
	double cycles, instructions, branches, cache_refs;
	double cache_access[8];	/* hw-cache reads by cache id */
	bool has_clock, has_cycles, has_branches, has_cache_refs;
	bool has_cache_access[8];
	double wall_ns;		/* the run's (or interval's) wall time */
};

/* The fields of a PERF_TYPE_HW_CACHE config. */
static inline int hw_cache__id(uint64_t config) { return (int)(config & 0xff); }
static inline int hw_cache__op(uint64_t config) { return (int)((config >> 8) & 0xff); }
static inline int hw_cache__result(uint64_t config) { return (int)((config >> 16) & 0xff); }

void stat_shadow__reset(struct stat_shadow *sh, double wall_ns);
/* Take what the unit's metrics need from @row (the first clock, cycles, ... of the unit). */
void stat_shadow__add(struct stat_shadow *sh, const struct stat_row *row);

/* The counts of one measurement or interval, event-major as perf prints them: every unit of
 * event 0, then every unit of event 1, ... */
struct stat_table {
	int nr_events, nr_units;
	struct stat_row *rows;		/* [event * nr_units + unit] */
	struct stat_shadow *shadows;	/* [unit] */
	struct stat_unit *units;	/* [unit] */
};

/* -I: each interval's table (rows carry their timestamp), the last, partial one included. */
typedef void (*stat_interval_fn)(void *arg, const struct stat_table *t);

struct stat_opts {
	const char **events;	/* -e specs, each may hold several events */
	const char **filters;	/* --filter of events[i] (its tracepoints), or NULL */
	/* -G of events[i]: "NAME[,NAME...]", the names given in turn to the events of the specs
	 * sharing that list (the last name for the rest); NULL: none */
	const char **cgroups;
	const char *each_cgroup;	/* --for-each-cgroup: "A,B": every event once per cgroup */
	int nr_events;
	bool syscalls;		/* --syscalls: count every syscall by name */
	bool system_wide;	/* -a */
	const char *cpu_list;	/* -C */
	const char *pid;	/* -p */
	const char *tid;	/* -t */
	enum stat_aggr aggr;	/* -A, --per-thread, --per-core, ... */
	int cache_level;	/* --per-cache=LN; 0: the highest level */
	int repeat;		/* -r */
	int interval_ms;	/* -I */
	int interval_count;	/* --interval-count: stop counting after N intervals; 0: no limit */
	int timeout_ms;		/* --timeout: stop (SIGTERM the command) after MS; 0: none */
	int delay_ms;		/* -D: enable the counters MS after the start; 0: at once */
	bool all_user;		/* --all-user: every event counts user space only */
	bool all_kernel;	/* --all-kernel: kernel space only */
	/* -D: called once the counters are disabled at the start and once enabled (may be NULL) */
	void (*on_enable)(void *arg, bool enabled);
	stat_interval_fn on_interval;
	void *arg;		/* for on_interval */
	char **argv;		/* the command, or NULL */
	/* Set (to the signal number) by the caller's signal handler: stop, print, exit. */
	volatile sig_atomic_t *stop;
};

/* --syscalls: the calls of one syscall (syscalls:sys_enter_NAME), mean over the runs. */
struct stat_syscall {
	const char *name;
	uint64_t calls;
};

struct stat_result {
	/* means over the runs, -r noise; shadows of the means. With -I: the totals of the whole
	 * measurement (--summary). */
	struct stat_table table;
	struct stat_syscall *syscalls;	/* --syscalls, in event order */
	int nr_syscalls;
	struct stats wall;		/* wall time of each run, ns */
	bool have_rusage;		/* the command was the target: its user and sys time */
	double user_s, sys_s;
	int status;			/* the command's wait status, 0 without one */
	bool timed_out;			/* --timeout stopped the command (SIGTERM) */
	int workload_pid;		/* the command's pid (its last run), -1 without one */
	struct evlist *evlist;		/* owns the event names the rows point to */
};

/* struct error's kind for stat__run. */
enum stat_error_kind {
	STAT_ERR_NONE,
	STAT_ERR_PARSE,		/* what: the spec; pos, msg: where and what is wrong */
	STAT_ERR_OPEN,		/* what: the event */
	STAT_ERR_EXEC,		/* what: the command */
	STAT_ERR_TARGET,	/* what: "CPU list '...'", "process '...'" or "thread '...'" */
	STAT_ERR_USAGE,		/* nothing to count */
	STAT_ERR_FILTER,	/* what: the filter (refused: "FILTER' on 'EVENT"); no tracepoint, or
				 * the kernel refused it (-EBADMSG) */
	STAT_ERR_AGGR,		/* what: "cache" or "topology": sysfs lacks what the mode needs */
	STAT_ERR_CGROUP,	/* what: the cgroup's directory */
};

/* 0 with the counts in *res (free with stat_result__exit, also after an error), or -errno
 * with *err filled (may be NULL). */
int stat__run(const struct stat_opts *opts, struct stat_result *res, struct error *err);
void stat_result__exit(struct stat_result *res);

#endif
