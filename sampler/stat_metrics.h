/* pstat -M: the metrics this machine can compute, defined from the events it has (software
 * events: no PMU needed), their groups, and the events a metric list needs. */
#ifndef SAMPLER_STAT_METRICS_H
#define SAMPLER_STAT_METRICS_H

#include <stddef.h>
#include <stdio.h>

struct stat_metric_def {
	const char *name;
	const char *groups;	/* ';'-separated */
	const char *num;	/* the event divided */
	const char *den;	/* the event divided by, or NULL: the elapsed time in ns */
	double scale;
	const char *unit;	/* printed after the value */
	const char *fmt;	/* "%8.3f" */
	const char *desc;
};

/* The metrics, in name order. */
const struct stat_metric_def *stat_metrics__table(size_t *n);

/* Resolve "NAME_OR_GROUP[,...]" (case-insensitive) into @out (at most @max), without
 * duplicates. The number, or -ENOENT with @bad pointing at the unknown name's copy in @badbuf. */
int stat_metrics__resolve(const char *list, const struct stat_metric_def **out, int max,
			  char *badbuf, size_t badlen);

/* The events the metrics need, comma-separated and each once, into @buf. */
void stat_metrics__events(const struct stat_metric_def *const *m, int n, char *buf, size_t len);

/* plist --raw-dump metrics / metricgroups: names each followed by a space. */
void stat_metrics__raw_dump(FILE *out, int groups);

#endif
