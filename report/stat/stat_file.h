/* pstat report: the counts of a perf stat record file (perf's or pstat record's; a file, or
 * the pipe format on stdin with "-") as a table the display prints, with the elapsed time and
 * the recorded command line. */
#ifndef REPORT_STAT_STAT_FILE_H
#define REPORT_STAT_STAT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "sampler/stat.h"

struct error;
struct pd_reader;

/* An event of the file: from its attrs (file) or ATTR and EVENT_UPDATE records (pipe). */
struct stat_file_event {
	char name[128];
	uint32_t type;
	uint64_t config;
	uint64_t *ids;
	size_t nr_ids;
};

struct stat_file {
	struct stat_table table;	/* event-major, one unit (global) or one per CPU (-A) */
	enum stat_aggr aggr;
	double wall_ns;			/* the final round's time */
	char target[1024];		/* "'CMDLINE'" ('pipe' for the pipe format), as perf shows it */
	struct stat_file_event *events;
	int nr_events;
	struct pd_reader *reader;	/* file mode: owns the records */
	char *buf;			/* pipe mode: the whole stream */
	const struct perf_event_header **recs;	/* the records, in order */
	size_t nr_recs;
};

/* 0, or -errno with @err filled (-EINVAL: not a stat file). */
int stat_file__read(const char *path, struct stat_file *f, struct error *err);
void stat_file__exit(struct stat_file *f);

#endif
