/* Rewriting a perf.data (perf inject's core): every record of the input, COMPRESSED ones
 * decoded, into a new file or pipe stream with the same attrs, ids and features; optionally
 * the build-ids of the DSOs that were hit computed anew. Input and output may be "-" (pipe
 * format, as perf's). */
#ifndef PERFDATA_INJECT_H
#define PERFDATA_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

struct pd_inject_opts {
	const char *input;		/* path or "-" */
	const char *output;		/* path or "-" */
	bool build_ids;			/* -b: BUILD_ID of the DSOs hit, read from the files now */
};

struct pd_inject_result {
	uint64_t records, samples;
	uint64_t dropped;		/* AUXTRACE records, whose payload is not carried */
	bool decompressed;		/* the input had COMPRESSED records */
};

/* 0 or -errno with @err set. */
int pd_inject__run(const struct pd_inject_opts *o, struct pd_inject_result *res, struct error *err);

#endif
