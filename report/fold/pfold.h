/* pfold's one entry point: read a perf.data file (or folded text, or two of either for
 * --diff) into a stack tree and write folded text, an SVG flame graph or a pprof profile.
 * cmd/pfold.c only parses options into struct fold_cmd_opts. */
#ifndef REPORT_FOLD_PFOLD_H
#define REPORT_FOLD_PFOLD_H

#include <stdbool.h>
#include <stdio.h>

#include "perfdata/reader.h"
#include "report/fold/dot.h"
#include "report/fold/flame.h"
#include "report/fold/from_perf.h"

struct fold_cmd_opts {
	const char *input;		/* -i: perf.data or folded text ("-": folded text on stdin) */
	const char *before, *after;	/* --diff BEFORE AFTER (input unused) */
	const char *output;		/* -o: NULL = stdout */
	const char *pprof;		/* --pprof FILE.pb.gz */
	bool svg;			/* --svg */
	bool heatmap;			/* --heatmap: the HTML page (report/fold/heatmap.h) */
	bool speedscope;		/* --speedscope: speedscope's JSON */
	bool chrome_trace;		/* --chrome-trace: trace event JSON */
	bool dot;			/* --dot: Graphviz call graph */
	struct dot_opts dot_opts;	/* --node-thres, --edge-thres */
	bool period;			/* --period: sum periods, not samples */
	struct fold_perf_opts perf;	/* naming and event choice */
	struct flame_opts flame;	/* title, width, icicle, colors, minwidth */
};

/* --time (perf.time), --heatmap, --speedscope and --chrome-trace need a perf.data input:
 * -EINVAL with err saying so for folded text. */
/* 0, or -errno with err filled (-EPIPE: the reader of stdout went away). */
int fold_cmd__run(const struct fold_cmd_opts *o, struct error *err);

#endif
