/* Owns perf inject -s's merge of sched_switch and sched_stat_* samples (perfdata/sched_stat.h).
 * The kept switch samples are copied into one buffer per task, reused as the task switches
 * again, found by tid through a hash table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "perfdata/sched_stat.h"
#include "perfdata/tracing.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

enum role { ROLE_NONE, ROLE_SWITCH, ROLE_EXIT, ROLE_STAT };

struct kept {
	uint32_t tid;
	uint32_t size;		/* 0: nothing kept (the task exited) */
	size_t cap;
	uint8_t *buf;
};

struct pd_sched_stat {
	bool ready;
	enum role *roles;	/* by evsel idx */
	unsigned int *pid_off, *pid_size;	/* stat events: the "pid" field in the raw data */
	size_t nr_evsels;
	int time_at, period_at;	/* byte offsets in a sample, -1 if absent */
	struct kept *kept;
	size_t nr_kept, cap_kept;
	struct htab by_tid;
	uint64_t merged, unmatched;
};

struct pd_sched_stat *pd_sched_stat__new(void)
{
	return calloc(1, sizeof(struct pd_sched_stat));
}

void pd_sched_stat__free(struct pd_sched_stat *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nr_kept; i++)
		free(st->kept[i].buf);
	free(st->kept);
	htab__exit(&st->by_tid);
	free(st->roles);
	free(st->pid_off);
	free(st->pid_size);
	free(st);
}

uint64_t pd_sched_stat__merged(const struct pd_sched_stat *st)
{
	return st->merged;
}

uint64_t pd_sched_stat__unmatched(const struct pd_sched_stat *st)
{
	return st->unmatched;
}

static enum role role_of(const char *name)
{
	if (!strcmp(name, "sched:sched_switch"))
		return ROLE_SWITCH;
	if (!strcmp(name, "sched:sched_process_exit"))
		return ROLE_EXIT;
	if (!strncmp(name, "sched:sched_stat_", 17))
		return ROLE_STAT;
	return ROLE_NONE;
}

/* Where TIME and PERIOD sit in a sample of this type: after the fixed fields before them. */
static void field_offsets(struct pd_sched_stat *st, uint64_t type)
{
	int off = 8;

	off += (type & PERF_SAMPLE_IDENTIFIER) ? 8 : 0;
	off += (type & PERF_SAMPLE_IP) ? 8 : 0;
	off += (type & PERF_SAMPLE_TID) ? 8 : 0;
	st->time_at = (type & PERF_SAMPLE_TIME) ? off : -1;
	off += (type & PERF_SAMPLE_TIME) ? 8 : 0;
	off += (type & PERF_SAMPLE_ADDR) ? 8 : 0;
	off += (type & PERF_SAMPLE_ID) ? 8 : 0;
	off += (type & PERF_SAMPLE_STREAM_ID) ? 8 : 0;
	off += (type & PERF_SAMPLE_CPU) ? 8 : 0;
	st->period_at = (type & PERF_SAMPLE_PERIOD) ? off : -1;
}

/* The events' roles, the stat events' pid fields; the checks perf makes, as messages. */
static int setup(struct pd_sched_stat *st, struct pd_reader *r, struct error *err)
{
	struct tracing *t = NULL;
	uint64_t type = 0;
	bool any_type = false;
	int ret = 0;

	st->nr_evsels = pd_reader__nr_evsels(r);
	st->roles = calloc(st->nr_evsels, sizeof(*st->roles));
	st->pid_off = calloc(st->nr_evsels, sizeof(*st->pid_off));
	st->pid_size = calloc(st->nr_evsels, sizeof(*st->pid_size));
	if (!st->roles || !st->pid_off || !st->pid_size)
		return error__nomem(err);
	for (size_t i = 0; i < st->nr_evsels && !ret; i++) {
		struct pd_evsel *e = pd_reader__evsel(r, i);

		st->roles[i] = role_of(e->name);
		if (st->roles[i] == ROLE_NONE)
			continue;
		if (st->roles[i] == ROLE_SWITCH && !(e->attr.sample_type & PERF_SAMPLE_TID))
			ret = error__set(err, -EINVAL, "%s: sched:sched_switch was recorded without TID:"
					 " -s cannot tell the tasks apart", pd_reader__path(r));
		else if (any_type && e->attr.sample_type != type && st->roles[i] != ROLE_EXIT)
			ret = error__set(err, -EINVAL, "%s: sched_switch and the sched_stat events were"
					 " recorded with different sample fields: record them in one"
					 " precord/perf record", pd_reader__path(r));
		if (st->roles[i] == ROLE_EXIT)
			continue;
		type = e->attr.sample_type;
		any_type = true;
		if (st->roles[i] != ROLE_STAT || ret)
			continue;
		if (!t && (ret = tracing__open(r, &t, err)))
			break;
		if (tracing__field(t, e, "pid", &st->pid_off[i], &st->pid_size[i]) ||
		    (st->pid_size[i] != 4 && st->pid_size[i] != 8))
			ret = error__set(err, -EINVAL, "%s: %s has no pid field in its format",
					 pd_reader__path(r), e->name);
	}
	tracing__close(t);
	field_offsets(st, type);
	st->ready = true;
	return ret;
}

static struct kept *find(struct pd_sched_stat *st, uint32_t tid)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&st->by_tid, hash_u64(tid), s, pos)
		if (st->kept[s->val - 1].tid == tid)
			return &st->kept[s->val - 1];
	return NULL;
}

/* Keep a copy of the switch sample @h of task @tid in place of the one kept before. */
static int keep(struct pd_sched_stat *st, uint32_t tid, const struct perf_event_header *h)
{
	struct kept *k = find(st, tid);

	if (!k) {
		if (ARRAY_GROW(st->kept, st->cap_kept, st->nr_kept + 1) ||
		    htab__insert(&st->by_tid, hash_u64(tid), st->nr_kept + 1))
			return -ENOMEM;
		k = &st->kept[st->nr_kept++];
		memset(k, 0, sizeof(*k));
		k->tid = tid;
	}
	if (ARRAY_GROW(k->buf, k->cap, h->size))
		return -ENOMEM;
	memcpy(k->buf, h, h->size);
	k->size = h->size;
	return 0;
}

/* The stat sample @s (for the task in its pid field) as the task's kept switch sample. */
static int merge(struct pd_sched_stat *st, struct pd_inject *in, const struct pd_record *rec,
		 const struct pd_sample *s)
{
	unsigned int i = rec->evsel->idx, off = st->pid_off[i];
	uint64_t pid = 0;
	struct kept *k;

	if (!s->raw || off + st->pid_size[i] > s->raw_size)
		return 0;
	memcpy(&pid, (const uint8_t *)s->raw + off, st->pid_size[i]);	/* little-endian */
	k = find(st, (uint32_t)pid);
	if (!k || !k->size) {
		st->unmatched++;
		return 0;
	}
	if (st->time_at >= 0 && (unsigned int)st->time_at + 8 <= k->size)
		memcpy(k->buf + st->time_at, &s->time, 8);
	if (st->period_at >= 0 && (unsigned int)st->period_at + 8 <= k->size)
		memcpy(k->buf + st->period_at, &s->period, 8);
	st->merged++;
	return pd_inject__write(in, k->buf, k->size);
}

int pd_sched_stat__hook(void *ctx, struct pd_inject *in, const struct pd_record *rec, struct error *err)
{
	struct pd_sched_stat *st = ctx;
	struct pd_sample s;
	struct kept *k;
	uint32_t bad;
	int ret;

	if (!st->ready && (ret = setup(st, pd_inject__reader(in), err)))
		return ret;
	if (rec->hdr->type != PERF_RECORD_SAMPLE || !rec->evsel || rec->evsel->idx >= st->nr_evsels ||
	    st->roles[rec->evsel->idx] == ROLE_NONE)
		return 0;
	if (pd_sample__parse(rec->evsel, rec->hdr, &s, &bad))
		return 0;	/* the readers skip it and say so */
	switch (st->roles[rec->evsel->idx]) {
	case ROLE_SWITCH:
		ret = keep(st, s.tid, rec->hdr);
		break;
	case ROLE_EXIT:
		if ((k = find(st, s.tid)))
			k->size = 0;
		ret = 0;
		break;
	default:
		ret = merge(st, in, rec, &s);
		break;
	}
	if (ret == -ENOMEM)
		return error__nomem(err);
	if (ret)
		return error__set(err, ret, "writing the merged sample: %s", strerror(-ret));
	return 1;
}
