/* --time for preport, pscript and pfold, in perf's spellings: "START,END" in seconds of the recording's clock
 * (either side may be empty), "A%-B%" (a share of the recording from its first to its last
 * sample) and "P%/N" (the N-th slice of P% each). Percentages need the file's SAMPLE_TIME
 * feature (first and last sample time), which file-mode recordings of perf and precord have. */
#ifndef REPORT_SESSION_TIME_RANGE_H
#define REPORT_SESSION_TIME_RANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "perfdata/reader.h"

struct time_range {
	uint64_t start, end;	/* nanoseconds, both included */
};

/* Parse @s into @t; the reader gives percentages their base. 0, or -EINVAL with err saying
 * what is expected. */
int time_range__parse(const char *s, struct pd_reader *r, struct time_range *t, struct error *err);

static inline bool time_range__has(const struct time_range *t, uint64_t time)
{
	return time >= t->start && time <= t->end;
}

#endif
