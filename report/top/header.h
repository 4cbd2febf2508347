/* ptop's header line, as perf top's: samples per second of the last refresh interval, the
 * kernel's share, lost samples, the rate and event, the target, and ptop's own CPU use. */
#ifndef REPORT_TOP_HEADER_H
#define REPORT_TOP_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "report/top/model.h"

struct top_header {
	struct top_stats st;
	double interval;		/* seconds the stats cover */
	uint64_t freq, period;		/* -F (or the default) and -c; period wins when set */
	const char *target;		/* "all, 2 CPUs", "pid 123", ... */
	double own_cpu;			/* ptop's CPU time over the interval, percent of one CPU */
};

/* The line (no newline) into buf; returns buf. */
char *top_header__format(const struct top_header *h, char *buf, size_t size);

#endif
