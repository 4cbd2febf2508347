/* pfold --speedscope: speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * the frames shared, one "sampled" profile per thread whose samples are its stacks in time
 * order (consecutive equal stacks merged, their weights summed), so the time-order,
 * left-heavy and sandwich views all work. Weights are nanoseconds for clock events (the
 * sample periods) and off-CPU time, else sample counts (periods with --period). */
#ifndef REPORT_FOLD_SPEEDSCOPE_H
#define REPORT_FOLD_SPEEDSCOPE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/fold/timeline.h"

struct speedscope_opts {
	const char *name;	/* the file's name in speedscope's title bar */
	bool period;		/* weights: periods even when they are not time */
};

/* 0 or -errno (-ENOMEM, -EIO). */
int speedscope__write(const struct timeline *t, const struct fold *f,
		      const struct speedscope_opts *o, FILE *out);

#endif
