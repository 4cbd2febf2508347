/* perf stat's output: the table (std), CSV (-x SEP) and JSON lines (-j), with derived metrics
 * (CPUs utilized, GHz, insn per cycle, % of all branches, /sec rates), -r noise and the
 * multiplexing share. Pure formatting: values come in, text goes out to one FILE. */
#ifndef REPORT_STAT_DISPLAY_H
#define REPORT_STAT_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum stat_output { STAT_OUT_STD, STAT_OUT_CSV, STAT_OUT_JSON };

struct stat_display {
	enum stat_output mode;
	const char *sep;	/* CSV separator */
	FILE *out;
	bool per_cpu;		/* -A: rows carry a CPU column */
	bool interval;		/* -I: rows carry a timestamp */
	int run_count;		/* -r */
	bool big_num;		/* thousands grouping from the locale */
	int interval_lines;	/* header repetition in interval mode */
};

/* What identifies a row's event for the metrics. */
struct stat_event {
	const char *name;
	const char *unit;	/* "msec" for the clocks, sysfs unit, or "" */
	uint32_t type;
	uint64_t config;
	bool is_clock;
};

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

/* The counters a row's metric may divide by, for one aggregation unit (all, or one CPU). */
struct stat_shadow {
	double clock_ns;	/* task-clock or cpu-clock */
	double cycles, instructions, branches, cache_refs;
	double cache_access[8];	/* hw-cache reads by cache id */
	bool has_clock, has_cycles, has_branches, has_cache_refs;
	bool has_cache_access[8];
	double wall_ns;		/* the run's (or interval's) wall time */
};

void stat_shadow__reset(struct stat_shadow *sh, double wall_ns);
void stat_shadow__add(struct stat_shadow *sh, const struct stat_row *row);

struct stat_metric {
	bool has;
	double val;
	const char *fmt;	/* e.g. "%8.3f" */
	char unit[32];		/* e.g. "CPUs utilized", "K/sec" */
};
void stat_metric__compute(const struct stat_row *row, const struct stat_shadow *sh,
			  struct stat_metric *m);

/* " Performance counter stats for 'TARGET' (N runs):" and the interval column header. */
void stat_display__header(struct stat_display *d, const char *target);
void stat_display__interval_header(struct stat_display *d);
void stat_display__row(struct stat_display *d, const struct stat_row *row, const struct stat_shadow *sh);
/* pstat --syscalls: calls per syscall, busiest first (rows are sorted in place), then a total. */
struct syscall_count {
	const char *name;
	uint64_t calls;
};
void stat_display__syscalls(struct stat_display *d, const char *target, struct syscall_count *rows, int n);

/* Elapsed time (mean and stddev over runs) and, when measured, user and sys time. */
void stat_display__footer(struct stat_display *d, double wall_mean_s, double wall_stddev_s,
			  bool show_rusage, double user_s, double sys_s);

#endif
