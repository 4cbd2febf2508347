/* Rewriting a perf.data (perf inject's core): every record of the input, COMPRESSED ones
 * decoded, into a new file or pipe stream with the same attrs, ids and features; optionally
 * the build-ids of the DSOs that were hit computed anew. Input and output may be "-" (pipe
 * format, as perf's). */
#ifndef PERFDATA_INJECT_H
#define PERFDATA_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "perfdata/format.h"
#include "util/error.h"

struct pd_inject;
struct pd_record;

/* A hook sees every record before it is written (--jit: the mmaps of jitdump files). It may
 * write records of its own first (pd_inject__write), and returns 1 to leave the record out,
 * 0 to keep it, or -errno with err set to stop. */
typedef int (*pd_inject_hook_fn)(void *ctx, struct pd_inject *in, const struct pd_record *rec,
				 struct error *err);

/* Told after each record read (a progress line): the records so far, and how far into the
 * data section (of @total bytes) they reach. */
typedef void (*pd_inject_progress_fn)(void *ctx, uint64_t records, uint64_t done, uint64_t total);

struct pd_inject_opts {
	const char *input;		/* path or "-" */
	const char *output;		/* path or "-" */
	bool build_ids;			/* -b: BUILD_ID of the DSOs hit, read from the files now */
	bool ordered;			/* records in perf's time order (-s), not file order */
	pd_inject_hook_fn hook;		/* NULL: none */
	void *hook_ctx;
	pd_inject_progress_fn progress;	/* NULL: none */
	void *progress_ctx;
};

struct pd_inject_result {
	uint64_t records, samples;
	uint64_t dropped;		/* AUXTRACE records, whose payload is not carried */
	bool decompressed;		/* the input had COMPRESSED records */
};

/* For hooks: write one record (a whole one, 8-aligned, with the sample_id trailer the file's
 * records carry) to the output. 0 or -errno. */
int pd_inject__write(struct pd_inject *in, const void *rec, size_t size);
struct pd_reader *pd_inject__reader(struct pd_inject *in);
/* The first attr, whose sample_type and sample_id_all say the trailer of non-sample records. */
const struct perf_event_attr *pd_inject__attr(struct pd_inject *in);

/* 0 or -errno with @err set. */
int pd_inject__run(const struct pd_inject_opts *o, struct pd_inject_result *res, struct error *err);

#endif
