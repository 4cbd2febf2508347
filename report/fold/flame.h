/* pfold's own flame graph: an interactive SVG drawn from a stack tree (report/fold/tree.h),
 * with hover details, click to zoom, search with highlight and the matched share, and
 * reset; icicle layout; palettes by name hash, DSO or kernel/user; and the differential
 * form (widths from the second profile, red where a frame's share grew, blue where it
 * shrank, shares normalized by each profile's total). */
#ifndef REPORT_FOLD_FLAME_H
#define REPORT_FOLD_FLAME_H

#include <stdbool.h>
#include <stdio.h>

#include "report/fold/tree.h"

enum flame_colors {
	FLAME_C_HASH,		/* warm colors from a hash of the name (same name, same color) */
	FLAME_C_DSO,		/* one hue per DSO */
	FLAME_C_KERNEL,		/* kernel orange, user red/yellow, JIT green, inlined aqua */
};

struct flame_opts {
	const char *title;	/* NULL: "Flame Graph", "Icicle Graph" or "Differential Flame Graph" */
	const char *subtitle;	/* second line (event, file), NULL for none */
	int width;		/* image width in pixels (default 1200) */
	int frame_height;	/* pixels per frame (default 16) */
	double minwidth;	/* frames narrower than this many pixels are left out (0.1) */
	bool icicle;		/* root at the top */
	bool period;		/* widths from summed periods instead of sample counts */
	bool diff;		/* profile 0 = before, 1 = after */
	enum flame_colors colors;
	const char *unit;	/* what a count is, for the hover text: "samples" if NULL */
	const char *facts;	/* the recording's header facts (a line under the subtitle), or NULL */
};

/* 0 and *c set, or -EINVAL for an unknown palette name (hash, dso, kernel). */
int flame__parse_colors(const char *s, enum flame_colors *c);

/* Write the SVG. 0 or -errno (-ENOMEM, -EIO). */
int flame__write(const struct fold *f, const struct flame_opts *opts, FILE *out);

/* A frame's colour in a (non-differential) palette as 0xRRGGBB: the heat map page paints
 * its range graphs with the SVG's colours. */
uint32_t flame__rgb(const struct fold *f, uint32_t node, enum flame_colors colors);

/* The script and style embedded in every graph (report/fold/flame_js.c). */
extern const char flame__script[];
extern const char flame__style[];

#endif
