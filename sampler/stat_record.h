/* pstat record: a measurement written as perf stat record writes it (perf.data, file mode):
 * the attrs with their ids, EVENT_UPDATE unit/scale of the clocks, THREAD_MAP, CPU_MAP,
 * STAT_CONFIG, one STAT per event and unit, a final STAT_ROUND with the elapsed time, and the
 * STAT feature flag. perf stat report reads it; so does pstat report (report/stat/stat_file.h). */
#ifndef SAMPLER_STAT_RECORD_H
#define SAMPLER_STAT_RECORD_H

#include "sampler/stat.h"

struct error;

/* perf's aggr_mode numbers in STAT_CONFIG (perf 6.1). */
enum { PERF_AGGR_NONE = 0, PERF_AGGR_GLOBAL = 1 };
/* STAT_CONFIG tags and STAT_ROUND types. */
enum { STAT_CONFIG_AGGR_MODE = 0, STAT_CONFIG_INTERVAL = 1, STAT_CONFIG_SCALE = 2 };
enum { STAT_ROUND_INTERVAL = 0, STAT_ROUND_FINAL = 1 };

struct stat_record_opts {
	const char *path;
	const char *version;	/* for the VERSION feature */
	int argc;		/* the command line, for CMDLINE */
	char *const *argv;
	int workload_pid;	/* THREAD_MAP's task; -1 for CPU-wide */
};

/* Write @res (the final counts of @o) to the file. 0 or -errno with @err filled. */
int stat_record__write(const struct stat_record_opts *ro, const struct stat_opts *o,
		       const struct stat_result *res, struct error *err);

#endif
