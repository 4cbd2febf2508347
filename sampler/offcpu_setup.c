/* Owns the setup of an off-CPU recording (sampler/offcpu.h): the events it adds, their attrs,
 * the offsets of the tracepoint fields it reads (from tracefs, not assumed), the ids that mark
 * its records, and the attr of the synthetic offcpu-time event. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/sample.h"
#include "perfdata/writer.h"
#include "sampler/evlist.h"
#include "sampler/offcpu_int.h"
#include "sampler/tracefs.h"
#include "util/hash.h"

const char *offcpu__spec(const struct offcpu_opts *o)
{
	return o->wakers ? "sched:sched_switch,sched:sched_waking" : "sched:sched_switch";
}

struct offcpu *offcpu__new(const struct offcpu_opts *o, bool per_task)
{
	struct offcpu *oc = calloc(1, sizeof(*oc));

	if (!oc)
		return NULL;
	oc->o = *o;
	oc->per_task = per_task;
	oc->trailer_time = -1;
	return oc;
}

void offcpu__free(struct offcpu *oc)
{
	if (!oc)
		return;
	htab__exit(&oc->ids);
	htab__exit(&oc->stacks);
	htab__exit(&oc->threads);
	htab__exit(&oc->aggs);
	for (size_t i = 0; i < oc->nr_thr; i++)
		free(oc->thr[i].waker);
	free(oc->thr);
	free(oc->stk);
	free(oc->frames);
	free(oc->agg);
	free(oc->evs);
	free(oc->arena);
	free(oc->arena2);
	free(oc->out);
	free(oc);
}

/* Offset of field @name in events/sched/@ev/format, or -errno. */
static int field_offset(const char *ev, const char *name)
{
	const char *dir = tracefs__mountpoint();
	char path[512], line[512], want[80];
	int off = -ENOENT;
	FILE *f;

	if (!dir)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/events/sched/%s/format", dir, ev);
	snprintf(want, sizeof(want), " %s;", name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, want), *o;

		if (!p || !strstr(line, "field:") || !(o = strstr(p, "offset:")))
			continue;
		off = atoi(o + 7);
		break;
	}
	fclose(f);
	return off;
}

int offcpu__config(struct offcpu *oc, struct evlist *el, int first)
{
	if (first >= 0)
		oc->first = first;
	first = oc->first;
	oc->off_prev_state = field_offset("sched_switch", "prev_state");
	oc->off_prev_pid = field_offset("sched_switch", "prev_pid");
	oc->off_next_pid = field_offset("sched_switch", "next_pid");
	oc->off_wake_pid = oc->o.wakers ? field_offset("sched_waking", "pid") : 0;
	if (oc->off_prev_state < 0 || oc->off_prev_pid < 0 || oc->off_next_pid < 0 || oc->off_wake_pid < 0)
		return -ENOENT;
	for (int i = first; i < el->nr; i++) {
		struct perf_event_attr *a = &el->entries[i]->attr;

		a->freq = 0;
		a->sample_period = 1;
		a->sample_type |= PERF_SAMPLE_RAW | PERF_SAMPLE_CALLCHAIN;
		/* the kernel walks the user stack too: a stack copy per switch would cost too much */
		a->sample_type &= ~(uint64_t)(PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER);
		a->sample_regs_user = 0;
		a->sample_stack_user = 0;
		a->exclude_callchain_user = 0;
		/* per task only the task's own switch-outs fire the tracepoint: the switch-ins come
		 * from the context-switch records */
		a->context_switch = oc->per_task && i == first;
	}
	return 0;
}

static int add_ids(struct offcpu *oc, const struct evsel *e, uint64_t kind, uint64_t *max)
{
	for (int k = 0; k < e->nr_cpus * e->nr_threads; k++) {
		if (e->fds[k] < 0 || !e->ids[k])
			continue;
		if (e->ids[k] > *max)
			*max = e->ids[k];
		if (htab__insert(&oc->ids, hash_u64(e->ids[k]), kind))
			return -ENOMEM;
	}
	return 0;
}

int offcpu__opened(struct offcpu *oc, struct evlist *el)
{
	const struct perf_event_attr *a0 = &el->entries[0]->attr;
	uint64_t max = 0, t;
	int ret;

	for (int i = 0; i < el->nr; i++) {
		const struct evsel *e = el->entries[i];
		uint64_t kind = i < oc->first ? 0 : i == oc->first ? OC_ID_SWITCH : OC_ID_WAKING;

		if (kind && (ret = add_ids(oc, e, kind, &max)))
			return ret;
		for (int k = 0; !kind && k < e->nr_cpus * e->nr_threads; k++)
			if (e->fds[k] >= 0 && e->ids[k] > max)
				max = e->ids[k];
	}
	oc->id = max + 1;		/* unique among the file's ids */
	oc->sw.attr = el->entries[oc->first]->attr;
	oc->sw.trailer_size = pd_sample__trailer_size(oc->sw.attr.sample_type);
	if (oc->o.wakers) {
		oc->wk.attr = el->entries[oc->first + 1]->attr;
		oc->wk.trailer_size = pd_sample__trailer_size(oc->wk.attr.sample_type);
	}
	/* the trailer of every record: all attrs of a precord file share its fields */
	t = a0->sample_type;
	oc->trailer = pd_sample__trailer_size(t);
	if (t & PERF_SAMPLE_TIME)
		oc->trailer_time = t & PERF_SAMPLE_TID ? 8 : 0;

	memset(&oc->attr, 0, sizeof(oc->attr));
	oc->attr.size = sizeof(oc->attr);
	oc->attr.type = PERF_TYPE_SOFTWARE;
	oc->attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	oc->attr.sample_period = 1;
	oc->attr.sample_type = (t & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
				     PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
				     PERF_SAMPLE_CALLCHAIN)) |
			       PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_PERIOD | PERF_SAMPLE_RAW;
	oc->attr.sample_id_all = a0->sample_id_all;
	oc->attr.disabled = 1;
	oc->attr.inherit = a0->inherit;
	oc->attr.exclude_callchain_user = 0;
	return 0;
}

bool offcpu__hidden(const struct offcpu *oc, const struct evsel *e)
{
	return oc && e->idx == oc->first;
}

void offcpu__desc(const struct offcpu *oc, struct pd_event_desc *d)
{
	d->attr = &oc->attr;
	d->ids = &oc->id;
	d->nr_ids = 1;
	d->name = OFFCPU_EVENT_NAME;
}

const struct offcpu_stats *offcpu__stats(const struct offcpu *oc)
{
	return &oc->st;
}
