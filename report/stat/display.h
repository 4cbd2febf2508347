/* perf stat's output: the table (std), CSV (-x SEP) and JSON lines (-j), with derived metrics
 * (CPUs utilized, GHz, insn per cycle, % of all branches, /sec rates), -r noise and the
 * multiplexing share. Pure formatting: sampler/stat.h's tables and results come in, text goes
 * out to one FILE. */
#ifndef REPORT_STAT_DISPLAY_H
#define REPORT_STAT_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sampler/stat.h"

struct stat_metric_def;

enum stat_output { STAT_OUT_STD, STAT_OUT_CSV, STAT_OUT_JSON };

struct stat_display {
	enum stat_output mode;
	const char *sep;	/* CSV separator */
	FILE *out;
	enum stat_aggr aggr;	/* -A, --per-X: rows carry their unit's columns */
	bool skip_zero;		/* --per-thread -a: threads that counted nothing are left out */
	bool interval;		/* -I: rows carry a timestamp */
	int run_count;		/* -r */
	bool big_num;		/* thousands grouping from the locale */
	int interval_lines;	/* header repetition in interval mode */
	bool interval_clear;	/* --interval-clear: clear the screen, header, each interval */
	bool summary;		/* --summary: with -I, the totals at the end too */
	bool no_csv_summary;	/* no "summary" first column on the CSV totals */
	bool in_summary;	/* printing the totals now */
	const struct stat_metric_def *const *metrics;	/* -M */
	int nr_metrics;
	bool metric_only;	/* --metric-only: the metrics' values alone */
	const struct stat_table *table;	/* the table being printed (the metrics' other events) */
};

struct stat_metric {
	bool has;
	double val;
	const char *fmt;	/* e.g. "%8.3f" */
	char unit[32];		/* e.g. "CPUs utilized", "K/sec" */
};
void stat_metric__compute(const struct stat_row *row, const struct stat_shadow *sh,
			  struct stat_metric *m);

/* -M: the metric whose first event is @row's, computed from the unit's other rows in
 * d->table; false when none. (report/stat/metrics.c) */
bool stat_display__metric(const struct stat_display *d, const struct stat_row *row,
			  const struct stat_shadow *sh, struct stat_metric *m);
/* --metric-only: each unit's metric values, no counts. */
void stat_display__metric_only(struct stat_display *d, const struct stat_table *t);

/* A row's unit columns (CPU3, S0 2, ...) in the table, CSV and JSON layouts; nothing when
 * the counts are aggregated over everything. */
void stat_display__std_unit(const struct stat_display *d, const struct stat_row *row,
			    const struct stat_unit *u);
void stat_display__csv_unit(const struct stat_display *d, const struct stat_row *row,
			    const struct stat_unit *u);
void stat_display__json_unit(const struct stat_display *d, const struct stat_row *row,
			     const struct stat_unit *u);

/* " Performance counter stats for 'TARGET' (N runs):" and the interval column header. */
void stat_display__header(struct stat_display *d, const char *target);
void stat_display__interval_header(struct stat_display *d);
void stat_display__row(struct stat_display *d, const struct stat_row *row, const struct stat_shadow *sh,
		       const struct stat_unit *unit);
/* Every row of @t, each with its unit's shadow, in perf's order: event-major (-A, no
 * aggregation), unit-major (--per-core, ...), each event's threads busiest first. */
void stat_display__table(struct stat_display *d, const struct stat_table *t);
/* pstat --syscalls: calls per syscall, busiest first (rows are sorted in place), then a total. */
void stat_display__syscalls(struct stat_display *d, const char *target, struct stat_syscall *rows, int n);

/* Elapsed time (mean and stddev over runs) and, when measured, user and sys time. */
void stat_display__footer(struct stat_display *d, double wall_mean_s, double wall_stddev_s,
			  bool show_rusage, double user_s, double sys_s);

/* 'COMMAND ARGS', 'system wide', process id 'PID', ...: what the counts are for. */
void stat_display__target(const struct stat_opts *o, char *buf, size_t len);
/* -I: one interval's lines (a stat_interval_fn, @arg a struct stat_display). */
void stat_display__interval(void *arg, const struct stat_table *t);
/* The end of a measurement without -I: header, final rows (or --syscalls' table), footer. */
void stat_display__result(struct stat_display *d, const struct stat_opts *o, struct stat_result *res);

#endif
