/* Counting mode (pstat): open the events on the target, run the workload or wait, read,
 * scale, aggregate, repeat (-r), print per interval (-I) and the final table. */
#ifndef SAMPLER_STAT_H
#define SAMPLER_STAT_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "report/stat/display.h"
#include "sampler/evlist.h"

struct stat_opts {
	const char **events;	/* -e specs, each may hold several events */
	const char **filters;	/* --filter of events[i] (its tracepoints), or NULL */
	int nr_events;
	bool syscalls;		/* --syscalls: count every syscall by name */
	bool system_wide;	/* -a */
	const char *cpu_list;	/* -C */
	const char *pid;	/* -p */
	const char *tid;	/* -t */
	bool no_aggr;		/* -A */
	int repeat;		/* -r */
	int interval_ms;	/* -I */
	enum stat_output mode;
	const char *csv_sep;
	bool big_num;
	FILE *out;
	char **argv;		/* the command, or NULL */
	/* Set (to the signal number) by the caller's signal handler: stop, print, exit. */
	volatile sig_atomic_t *stop;
};

/* What went wrong, for the command to turn into one message. */
struct stat_error {
	int err;		/* -errno */
	enum {
		STAT_ERR_NONE,
		STAT_ERR_PARSE,		/* parse holds where */
		STAT_ERR_OPEN,		/* event holds which */
		STAT_ERR_EXEC,		/* the command could not run */
		STAT_ERR_TARGET,	/* -C/-p/-t did not name anything */
		STAT_ERR_USAGE,
		STAT_ERR_FILTER,	/* event holds the filter; --filter without a tracepoint or refused */
	} kind;
	struct parse_error parse;
	char event[256];
};

/* Returns 0 and the command's wait status in *status (0 without a command), or -errno with err filled. */
int stat__run(const struct stat_opts *opts, int *status, struct stat_error *err);

#endif
