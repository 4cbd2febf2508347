/* Owns preport's choice of the Time (ms) column (report/hist/hist_offcpu.h). */
#include "report/hist/hist_offcpu.h"
#include "report/session/offcpu.h"

bool hist_offcpu__time_column(struct session *s, int mode, const struct pd_evsel *e)
{
	bool offcpu_file;
	const struct perf_event_attr *a;

	if (!mode || !e)
		return false;
	offcpu_file = session_offcpu__find(session__reader(s)) != NULL;
	if (mode < 0 && !offcpu_file)
		return false;
	a = &e->attr;
	return session_offcpu__is(e) || (offcpu_file && session_offcpu__is_waking(e)) ||
	       (a->type == PERF_TYPE_SOFTWARE &&
		(a->config == PERF_COUNT_SW_CPU_CLOCK || a->config == PERF_COUNT_SW_TASK_CLOCK));
}
