/* pfold --heatmap: a self-contained HTML page in the manner of FlameScope. Columns are
 * seconds of the recording's clock, rows fractions of a second (HEATMAP_ROWS a second),
 * colour the sample count (or summed periods, --period). Selecting a range of cells shows
 * the flame graph of just those samples, with the SVG's search and zoom; per-CPU and
 * per-process filters; the range is printed as the --time argument that makes the same
 * cut in pfold and preport.
 *
 * The page carries pre-aggregated data, not samples: one row per (cell, CPU, process,
 * stack) with its count, and the stack tree once. A recording of a million samples of a
 * steady program is a few thousand rows.
 *
 *	struct heatmap *h = heatmap__new();
 *	opts.sample_fn = heatmap__sample; opts.sample_ctx = h;   (report/fold/from_perf.h)
 *	fold_perf__read(f, 0, path, &opts, ...);
 *	heatmap__write(h, f, &hopts, out);
 *	heatmap__free(h);
 */
#ifndef REPORT_FOLD_HEATMAP_H
#define REPORT_FOLD_HEATMAP_H

#include <stdbool.h>
#include <stdio.h>

#include "report/fold/flame.h"
#include "report/fold/from_perf.h"
#include "report/fold/tree.h"

#define HEATMAP_ROWS 50		/* cells per second: 20 ms each, as FlameScope */

struct heatmap;

struct heatmap_opts {
	const char *title;	/* NULL: "Heat Map" */
	const char *subtitle;	/* event and file */
	const char *facts;	/* header facts line, or NULL */
	bool period;		/* colour and widths by summed periods */
	const char *unit;	/* what a value is: "samples" if NULL */
	enum flame_colors colors;
	int width;		/* the range graphs' width (1200) */
};

struct heatmap *heatmap__new(void);
void heatmap__free(struct heatmap *h);

/* The sample hook (fold_sample_fn): counts the sample in its cell. 0 or -ENOMEM. */
int heatmap__sample(void *ctx, const struct fold_sample *s);

/* Write the page. 0 or -errno (-ENODATA: no sample with a time, nothing written). */
int heatmap__write(const struct heatmap *h, const struct fold *f, const struct heatmap_opts *o,
		   FILE *out);

/* The page's script and style (report/fold/heatmap_js.c). */
extern const char heatmap__script[];
extern const char heatmap__style[];

#endif
