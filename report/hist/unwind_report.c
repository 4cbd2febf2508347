/* Owns the --unwind-stats replay: every sample's chain resolved once through the session
 * (which counts how each user stack ended), then the table with its header line. */
#include "report/session/session.h"
#include "report/hist/unwind_report.h"
#include "unwind/stats.h"

static int on_sample(void *ctx, struct session *s, const struct pd_sample *sample,
		     struct pd_evsel *evsel, struct thread *thread)
{
	const struct addr_loc *frames;

	session__callchain(s, thread, sample, &frames);
	return 0;
}

int unwind__report_stats(const char *path, FILE *out, struct error *err)
{
	struct session *s = session__open(path, &(struct session_opts){ .demangle = true }, err);
	int ret;

	if (!s)
		return err && err->code ? err->code : -1;
	ret = session__process(s, &(struct session_tool){ .sample = on_sample }, err);
	if (!ret) {
		unwind_stats__header(session__unwind_stats(s), out);
		unwind_stats__print(session__unwind_stats(s), out);
	}
	session__close(s);
	return ret;
}
