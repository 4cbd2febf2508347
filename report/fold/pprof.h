/* pprof export of a stack tree: a gzip'd perftools.profiles.Profile (report/fold/pprof.proto)
 * that go tool pprof, Pyroscope, Parca and Grafana read. Encoded with protobuf-c (the
 * generated report/fold/gen/pprof.pb-c.c) and compressed with zlib.
 *
 * One pprof sample per distinct stack (its location ids leaf first), one location and one
 * function per distinct frame name, one mapping per DSO (with its build-id). The process
 * name at the root of each stack becomes the label "comm". Values: samples/count, and with
 * period the event's summed periods in its unit (e.g. cpu-clock/nanoseconds), which is
 * then the default sample type. */
#ifndef REPORT_FOLD_PPROF_H
#define REPORT_FOLD_PPROF_H

#include <stdbool.h>

#include "perfdata/reader.h"
#include "report/fold/tree.h"

struct pprof_opts {
	bool period;		/* add the event's summed periods as a second value */
	const char *comment;	/* a comment string (e.g. the input file), NULL for none */
};

/* Write profile 0 of @f to @path ("-" for stdout). 0 or -errno with err filled. */
int pprof__write(const struct fold *f, const struct pprof_opts *opts, const char *path,
		 struct error *err);

#endif
