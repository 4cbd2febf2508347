/* pstat report: the counts of a perf stat record file (perf's or pstat record's) as a table
 * the display prints, with the elapsed time and the recorded command line. */
#ifndef REPORT_STAT_STAT_FILE_H
#define REPORT_STAT_STAT_FILE_H

#include "sampler/stat.h"

struct error;
struct pd_reader;

struct stat_file {
	struct stat_table table;	/* event-major, one unit (global) or one per CPU (-A) */
	enum stat_aggr aggr;
	double wall_ns;			/* the final round's time */
	char target[1024];		/* "'CMDLINE'", as perf stat report shows it */
	struct pd_reader *reader;	/* owns the event names */
};

/* 0, or -errno with @err filled (-EINVAL: not a stat file). */
int stat_file__read(const char *path, struct stat_file *f, struct error *err);
void stat_file__exit(struct stat_file *f);

#endif
