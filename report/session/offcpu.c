/* Owns the decoding of off-CPU samples for the readers (report/session/offcpu.h). */
#include <string.h>

#include "report/session/offcpu.h"

bool session_offcpu__is(const struct pd_evsel *e)
{
	return e && e->name && !strcmp(e->name, OFFCPU_EVENT_NAME);
}

bool session_offcpu__is_waking(const struct pd_evsel *e)
{
	return e && e->name && e->attr.type == PERF_TYPE_TRACEPOINT &&
	       !strncmp(e->name, "sched:sched_waking", 18);
}

struct pd_evsel *session_offcpu__find(struct pd_reader *r)
{
	for (size_t i = 0; i < pd_reader__nr_evsels(r); i++)
		if (session_offcpu__is(pd_reader__evsel(r, i)))
			return pd_reader__evsel(r, i);
	return NULL;
}

bool session_offcpu__raw(const struct pd_sample *s, struct offcpu_raw *raw)
{
	memset(raw, 0, sizeof(*raw));
	if (!s->raw || s->raw_size < sizeof(*raw))
		return false;
	memcpy(raw, s->raw, sizeof(*raw));
	return true;
}

/* sched_waking's fields: comm[16] at 8 and pid at 24, after the 8 bytes of common fields,
 * as events/sched/sched_waking/format has them on every kernel that has the event */
bool session_offcpu__wakee(const struct pd_sample *s, char comm[17], uint32_t *pid)
{
	const char *raw = s->raw;

	if (!raw || s->raw_size < 28)
		return false;
	memcpy(comm, raw + 8, 16);
	comm[16] = '\0';
	memcpy(pid, raw + 24, 4);
	return true;
}
