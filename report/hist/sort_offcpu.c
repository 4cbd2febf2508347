/* Owns the values of preport's off-CPU sort keys (report/hist/sort_offcpu.h). */
#include <errno.h>
#include <stdio.h>

#include "report/hist/sort_offcpu.h"
#include "report/session/offcpu.h"
#include "report/session/thread.h"

static const char *comm_of_tid(struct session *s, uint32_t tid, char *buf, size_t sz)
{
	struct thread *th = tid ? session__thread(s, (int32_t)tid) : NULL;

	if (th && th->comm)
		return th->comm;
	snprintf(buf, sz, tid ? "[tid %u]" : "[unknown]", tid);
	return buf;
}

int sort_offcpu__fill(const struct sort_list *l, struct strpool *strs, struct session *s,
		      const struct pd_evsel *evsel, const struct pd_sample *smp, const char *comm,
		      struct hist_key *k)
{
	const char *state = "running", *waker = "-", *wakee = "-";
	char wbuf[32], cbuf[17];
	struct offcpu_raw raw;
	uint32_t pid;

	if (session_offcpu__is(evsel)) {
		session_offcpu__raw(smp, &raw);
		state = offcpu__state_name(raw.state);
		wakee = comm;
		waker = raw.waker ? comm_of_tid(s, raw.waker, wbuf, sizeof(wbuf)) : "[none]";
	} else if (session_offcpu__is_waking(evsel)) {
		state = "waking";
		waker = comm;
		wakee = session_offcpu__wakee(smp, cbuf, &pid) ? cbuf : "[unknown]";
	}
	if (l->has[SK_STATE] && !(k->state = strpool__add(strs, state)))
		return -ENOMEM;
	if (l->has[SK_WAKER] && !(k->waker = strpool__add(strs, waker)))
		return -ENOMEM;
	if (l->has[SK_WAKEE] && !(k->wakee = strpool__add(strs, wakee)))
		return -ENOMEM;
	return 0;
}
