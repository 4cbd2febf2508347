/* Owns a ptop run (report/top/top.h): the model, the sampling thread, then the --stdio loop
 * or the screen, and the error of whichever failed first. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "report/top/live.h"
#include "report/top/top.h"
#include "util/error.h"

double top__cpu_time(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

double top__now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int top__run(const struct top_run_opts *o, struct error *err)
{
	struct top_live live;
	struct top_model *m;
	int ret, ret2;

	error__clear(err);
	m = top_model__new(&o->model, err);
	if (!m) {
		if (err)
			err->kind = TOP_MODEL;
		return err && err->code ? err->code : -ENOMEM;
	}
	ret = top_live__start(&live, &o->rec, m);
	if (ret) {
		top_model__free(m);
		return error__set(err, ret, "cannot start the sampling thread: %s", strerror(-ret));
	}
	ret = o->stdio ? top__stdio(o, &live) : top__screen(o, &live, err);
	ret2 = top_live__finish(&live);
	/* without --record the file is /dev/null, which cannot be cut to size at the end */
	if (ret2 && live.err.kind == RECORD_WRITE && !strcmp(o->rec.output, "/dev/null"))
		ret2 = 0;
	if (ret2) {
		/* the recording's error explains the rest */
		if (err)
			*err = live.err;
		ret = ret2;
	} else if (!ret && (ret = top_model__error(m, err)) && err) {
		err->kind = TOP_MODEL;
	}
	top_model__free(m);
	return ret;
}
