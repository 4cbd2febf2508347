/* The call graph as Graphviz DOT, in the manner of gprof2dot: one node per function with
 * its total share (samples with the function anywhere on the stack, counted once) and
 * self share (samples where it is the leaf), one edge per caller -> callee with the share
 * of samples that went through that call, nodes and edges coloured by heat (blue for cold,
 * red for hot) and edges drawn wider as they carry more. Nodes under node_thres percent
 * and edges under edge_thres percent are left out. Drawn from the stack tree
 * (report/fold/tree.h); the process name at the root of each stack is not a function and
 * is left out. pfold --dot and preport --dot write it; with an output file named .svg,
 * .png or .pdf it is rendered by Graphviz's dot. */
#ifndef REPORT_FOLD_DOT_H
#define REPORT_FOLD_DOT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/fold/from_perf.h"
#include "report/fold/tree.h"

struct dot_opts {
	double node_thres;	/* percent (gprof2dot's default 0.5) */
	double edge_thres;	/* percent (default 0.1) */
	bool period;		/* shares of summed periods (preport's), not of samples */
	const char *title;	/* graph label (first line), NULL for none */
	const char *facts;	/* header facts (second line), NULL for none */
};

#define DOT_OPTS_DEFAULTS { .node_thres = 0.5, .edge_thres = 0.1 }

/* Write DOT text. 0 or -errno (-ENOMEM, -EIO). */
int dot__write(const struct fold *f, const struct dot_opts *o, FILE *out);

/* The Graphviz output format for a file name (.svg, .png, .pdf), NULL for DOT text. */
const char *dot__format_of(const char *path);

/* Write the graph rendered by `dot -T@fmt -o @path`. 0, or -errno with err filled
 * (-ENOENT: Graphviz is not installed). */
int dot__render(const struct fold *f, const struct dot_opts *o, const char *fmt,
		const char *path, struct error *err);

/* preport --dot / pfold --dot on a perf.data file: fold @path with @perf's choices and
 * write DOT to @out (a file named .svg/.png/.pdf is rendered; NULL or "-": stdout).
 * 0 or -errno with err filled. */
int dot__run(const char *path, const struct fold_perf_opts *perf, const struct dot_opts *o,
	     const char *out, struct error *err);

#endif
