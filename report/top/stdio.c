/* Owns ptop --stdio: every delay seconds the header line and the table to stdout, -n times
 * or until stopped. The frame is formatted under the model's lock into a buffer and written
 * after it, so a slow reader never holds the sampling up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report/top/header.h"
#include "report/top/live.h"
#include "report/top/top.h"

#define STDIO_ROWS 50		/* rows per refresh when -E is not given */
#define TICK 0.05		/* seconds between looks at the stop flags while waiting */

static bool stopped(const struct top_run_opts *o, const struct top_live *l)
{
	return (o->stop && *o->stop) || l->done;
}

/* Wait until @until (monotonic seconds) or a stop. */
static void wait_until(const struct top_run_opts *o, const struct top_live *l, double until)
{
	for (;;) {
		double left = until - top__now();
		struct timespec ts;

		if (left <= 0 || stopped(o, l))
			return;
		if (left > TICK)
			left = TICK;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* One refresh into @f. 0 or -ENOMEM. */
static int frame(const struct top_run_opts *o, struct top_live *l, FILE *f, double interval,
		 double cpu)
{
	struct top_view v = { .max_rows = o->entries ? o->entries : STDIO_ROWS };
	struct top_header h = { .interval = interval, .freq = o->rec.freq, .period = o->rec.period,
				.target = o->target, .own_cpu = interval > 0 ? 100.0 * cpu / interval : 0 };
	const struct top_row *rows;
	char line[512];
	size_t nr;
	int ret;

	top_live__lock(l);
	ret = top_model__snapshot(l->model, &v, &rows, &nr, &h.st);
	if (!ret) {
		fprintf(f, "%s\n", top_header__format(&h, line, sizeof(line)));
		fputs("-------------------------------------------------------------------------------\n\n", f);
		top_model__print_rows(l->model, f, true, true);
		fputc('\n', f);
		top_model__decay(l->model);
	}
	top_live__unlock(l);
	return ret;
}

int top__stdio(const struct top_run_opts *o, struct top_live *l)
{
	double t0, c0;
	int ret = 0;

	/* the first interval starts with the samples (listing /proc may take a while) */
	top_live__wait_started(l, o->stop);
	t0 = top__now();
	c0 = top__cpu_time();
	for (long i = 0; !o->count || i < o->count; i++) {
		double t, c;
		char *buf = NULL;
		size_t len = 0;
		FILE *f;

		wait_until(o, l, t0 + o->delay);
		if (l->done && l->ret)
			break;		/* the recording failed: its error is the answer */
		t = top__now();
		c = top__cpu_time();
		f = open_memstream(&buf, &len);
		if (!f)
			return -ENOMEM;
		ret = frame(o, l, f, t - t0, c - c0);
		fclose(f);
		if (!ret && len && fwrite(buf, 1, len, stdout) != len)
			ret = -EPIPE;
		free(buf);
		if (!ret && fflush(stdout))
			ret = -EPIPE;
		if (ret || stopped(o, l))
			break;
		t0 = t;
		c0 = c;
	}
	return ret;
}
