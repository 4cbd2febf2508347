/* Owns the pairing half of an off-CPU recording (sampler/offcpu.h): pending switch events in
 * time order, per-thread state, the summing of short waits, wall-clock ticks, and the
 * offcpu-time samples (and wakers' sched_waking samples) written for them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/sample.h"
#include "sampler/offcpu_int.h"
#include "util/array.h"
#include "util/hash.h"

#define AGG_FLUSH_NS	1000000000ULL

static int ev_cmp(const void *a, const void *b)
{
	const struct oc_ev *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	/* at one instant a switch-out comes before the switch-in it makes room for */
	return (int)x->kind - (int)y->kind;
}

static struct oc_thread *thread_get(struct offcpu *oc, uint32_t tid)
{
	uint64_t h = hash_u64(tid);
	struct htab_slot *s;
	size_t pos;

	s = htab__first(&oc->threads, h, &pos);
	if (s)
		return &oc->thr[s->val - 1];	/* hash_u64 is a bijection: equal hash, equal tid */
	if (ARRAY_GROW(oc->thr, oc->thr_cap, oc->nr_thr + 1) ||
	    htab__insert(&oc->threads, h, oc->nr_thr + 1))
		return NULL;
	memset(&oc->thr[oc->nr_thr], 0, sizeof(struct oc_thread));
	oc->thr[oc->nr_thr].tid = tid;
	return &oc->thr[oc->nr_thr++];
}

/* One offcpu-time sample: the file's layout up to CALLCHAIN, then struct offcpu_raw, then with
 * DWARF the user regs and stack of @ustk (@len bytes; 0: none, written as empty). */
static int write_sample(struct offcpu *oc, const struct oc_agg *a, uint64_t time,
			const uint8_t *ustk, uint32_t len, offcpu_emit_fn emit, void *arg)
{
	const struct oc_stack *stk = &oc->stk[a->stack];
	uint64_t t = oc->attr.sample_type, *q;
	struct offcpu_raw raw = { .state = a->state, .nr = a->nr, .waker = a->waker };
	uint32_t rawsz = sizeof(raw);
	size_t words;

	if ((16 + stk->nr + len / 8) * 8 > 0xfff8)
		len = 0;	/* a record is at most 64 KiB: this one keeps its kernel stack only */
	words = 18 + stk->nr + len / 8;
	if (ARRAY_GROW(oc->out, oc->out_cap, words))
		return -ENOMEM;
	q = oc->out + 1;
	if (t & PERF_SAMPLE_IDENTIFIER)
		*q++ = oc->id;
	if (t & PERF_SAMPLE_IP)
		*q++ = a->ip;
	if (t & PERF_SAMPLE_TID)
		*q++ = (uint64_t)a->tid << 32 | a->pid;
	if (t & PERF_SAMPLE_TIME)
		*q++ = time < oc->floor ? oc->floor : time;
	if (t & PERF_SAMPLE_CPU)
		*q++ = a->cpu;
	if (t & PERF_SAMPLE_PERIOD)
		*q++ = a->period;
	if (t & PERF_SAMPLE_CALLCHAIN) {
		*q++ = stk->nr;
		memcpy(q, oc->frames + stk->off, stk->nr * sizeof(*q));
		q += stk->nr;
	}
	memcpy(q, &rawsz, 4);
	memcpy((uint8_t *)q + 4, &raw, sizeof(raw));
	q += 2;
	if (oc->dwarf && len) {
		memcpy(q, ustk, len);
		q += len / 8;
	} else if (oc->dwarf) {
		*q++ = 0;	/* no regs */
		*q++ = 0;	/* no stack */
	}
	oc->out[0] = 0;
	{
		struct perf_event_header *h = (void *)oc->out;

		h->type = PERF_RECORD_SAMPLE;
		h->misc = a->misc;
		h->size = (uint16_t)((uint8_t *)q - (uint8_t *)oc->out);
	}
	oc->st.samples++;
	return emit(arg, oc->out, (uint8_t *)q - (uint8_t *)oc->out);
}

/* The sched_waking sample that ended a wait, weighted by the wait, at the switch-in time. */
static int write_waker(struct offcpu *oc, struct oc_thread *th, uint64_t wait, uint64_t t_in,
		       offcpu_emit_fn emit, void *arg)
{
	struct perf_event_header *h = (void *)th->waker;
	uint64_t type = oc->wk.attr.sample_type;
	uint8_t *p = (uint8_t *)(h + 1);

	if (type & PERF_SAMPLE_IDENTIFIER)
		p += 8;
	if (type & PERF_SAMPLE_IP)
		p += 8;
	if (type & PERF_SAMPLE_TID)
		p += 8;
	if (type & PERF_SAMPLE_TIME) {
		uint64_t t = t_in < oc->floor ? oc->floor : t_in;

		memcpy(p, &t, 8);
		p += 8;
	}
	if (type & PERF_SAMPLE_CPU)
		p += 8;
	if (type & PERF_SAMPLE_PERIOD)
		memcpy(p, &wait, 8);
	oc->st.wakers++;
	return emit(arg, h, h->size);
}

static int agg_add(struct offcpu *oc, const struct oc_thread *th, uint64_t wait)
{
	uint64_t h = hash_u64(hash_fold(hash_fold(hash_fold(th->tid, th->pid), th->stack), th->state));
	struct htab_slot *s;
	struct oc_agg *a;
	size_t pos;

	htab__for_each_hash(&oc->aggs, h, s, pos) {
		a = &oc->agg[s->val - 1];
		if (a->tid == th->tid && a->pid == th->pid && a->stack == th->stack && a->state == th->state) {
			a->period += wait;
			a->nr++;
			a->waker = th->waker_tid;
			return 0;
		}
	}
	if (ARRAY_GROW(oc->agg, oc->agg_cap, oc->nr_agg + 1) ||
	    ARRAY_GROW(oc->agg_ustk, oc->agg_ustk_cap, oc->agg_ustk_len + th->ustk_len) ||
	    htab__insert(&oc->aggs, h, oc->nr_agg + 1))
		return -ENOMEM;
	/* DWARF: the sum is shown under the user stack of its first wait */
	if (th->ustk_len)
		memcpy(oc->agg_ustk + oc->agg_ustk_len, th->ustk, th->ustk_len);
	oc->agg[oc->nr_agg++] = (struct oc_agg){ .pid = th->pid, .tid = th->tid, .stack = th->stack,
						 .state = th->state, .cpu = th->cpu, .nr = 1,
						 .waker = th->waker_tid, .misc = th->misc, .ip = th->ip,
						 .period = wait, .ustk = (uint32_t)oc->agg_ustk_len,
						 .ustk_len = th->ustk_len };
	oc->agg_ustk_len += th->ustk_len;
	return 0;
}

static int agg_flush(struct offcpu *oc, uint64_t time, offcpu_emit_fn emit, void *arg)
{
	int ret = 0;

	for (size_t i = 0; i < oc->nr_agg && !ret; i++)
		ret = write_sample(oc, &oc->agg[i], time, oc->agg_ustk + oc->agg[i].ustk,
				   oc->agg[i].ustk_len, emit, arg);
	oc->nr_agg = 0;
	oc->agg_ustk_len = 0;
	htab__clear(&oc->aggs);
	oc->last_agg_flush = time;
	return ret;
}

static struct oc_agg one_of(const struct oc_thread *th, uint64_t period)
{
	return (struct oc_agg){ .pid = th->pid, .tid = th->tid, .stack = th->stack, .state = th->state,
				.cpu = th->cpu, .nr = 1, .waker = th->waker_tid, .misc = th->misc,
				.ip = th->ip, .period = period };
}

/* Wall-clock: the ticks owed to an off-CPU thread up to @until, one sample of a period each. */
static int wall_ticks(struct offcpu *oc, struct oc_thread *th, uint64_t until,
		      offcpu_emit_fn emit, void *arg)
{
	uint64_t p = oc->o.wall_period_ns;
	struct oc_agg a = one_of(th, p);
	int ret = 0;

	while (th->wall_next <= until && !ret) {
		ret = write_sample(oc, &a, th->wall_next, th->ustk, th->ustk_len, emit, arg);
		th->wall_next += p;
	}
	return ret;
}

static int on_in(struct offcpu *oc, const struct oc_ev *e, offcpu_emit_fn emit, void *arg)
{
	struct oc_thread *th = thread_get(oc, e->tid);
	uint64_t wait;
	int ret = 0;

	if (!th)
		return -ENOMEM;
	if (!th->out) {
		oc->st.unmatched += th->pid != 0;	/* a thread already waiting when we started */
		return 0;
	}
	th->out = false;
	wait = e->time - th->out_time;
	if (oc->o.wall_period_ns) {
		ret = wall_ticks(oc, th, e->time, emit, arg);
		th->wall_carry = e->time + oc->o.wall_period_ns - th->wall_next;
	} else if (wait < oc->o.thresh_ns) {
		oc->st.short_waits++;
		return 0;
	} else if (wait >= OFFCPU_DIRECT_NS) {
		struct oc_agg a = one_of(th, wait);

		ret = write_sample(oc, &a, e->time, th->ustk, th->ustk_len, emit, arg);
	} else {
		ret = agg_add(oc, th, wait);
	}
	oc->st.waits++;
	if (!ret && th->waker_time && wait >= oc->o.thresh_ns)
		ret = write_waker(oc, th, wait, e->time, emit, arg);
	th->waker_time = 0;
	th->waker_tid = 0;
	return ret;
}

static int on_out(struct offcpu *oc, const struct oc_ev *e)
{
	struct oc_thread *th = thread_get(oc, e->tid);

	if (!th)
		return -ENOMEM;
	if (th->out)
		oc->st.unmatched++;	/* its switch-in was lost: the older wait is unknown */
	/* a task leaving the CPU dead (X) or as a zombie (Z) is not waiting: it is gone */
	th->out = !(e->state & (OFFCPU_DEAD | OFFCPU_ZOMBIE));
	th->pid = e->pid;
	th->out_time = e->time;
	th->stack = e->ref;
	th->state = e->state;
	th->cpu = e->cpu;
	th->ip = e->ip;
	th->misc = e->misc;
	th->ustk_len = 0;
	if (e->ustk_len) {
		if (ARRAY_GROW(th->ustk, th->ustk_cap, e->ustk_len))
			return -ENOMEM;
		memcpy(th->ustk, oc->arena + e->ustk, e->ustk_len);
		th->ustk_len = e->ustk_len;
	}
	th->waker_time = 0;
	th->waker_tid = 0;
	if (oc->o.wall_period_ns)
		th->wall_next = e->time + oc->o.wall_period_ns - th->wall_carry;
	return 0;
}

static int on_wake(struct offcpu *oc, const struct oc_ev *e)
{
	struct oc_thread *th = thread_get(oc, e->state);
	const struct perf_event_header *h = (const void *)(oc->arena + e->ref);

	if (!th)
		return -ENOMEM;
	if (!th->out)
		return 0;
	if (ARRAY_GROW(th->waker, th->waker_cap, h->size))
		return -ENOMEM;
	memcpy(th->waker, h, h->size);
	th->waker_time = e->time;
	th->waker_tid = e->tid;
	return 0;
}

/* Keep the events after the first @done: move them (and their record copies) to the front. */
static int keep_rest(struct offcpu *oc, size_t done)
{
	size_t len = 0;

	memmove(oc->evs, oc->evs + done, (oc->nr_evs - done) * sizeof(*oc->evs));
	oc->nr_evs -= done;
	for (size_t i = 0; i < oc->nr_evs; i++) {
		struct oc_ev *e = &oc->evs[i];
		const struct perf_event_header *h;

		if (e->kind == OC_OUT && e->ustk_len) {
			if (ARRAY_GROW(oc->arena2, oc->arena2_cap, len + e->ustk_len))
				return -ENOMEM;
			memcpy(oc->arena2 + len, oc->arena + e->ustk, e->ustk_len);
			e->ustk = (uint32_t)len;
			len += e->ustk_len;
		}
		if (e->kind != OC_WAKE)
			continue;
		h = (const void *)(oc->arena + e->ref);
		if (ARRAY_GROW(oc->arena2, oc->arena2_cap, len + h->size))
			return -ENOMEM;
		memcpy(oc->arena2 + len, h, h->size);
		e->ref = (uint32_t)len;
		len += (h->size + 7) & ~7u;
	}
	{
		uint8_t *t = oc->arena;
		size_t c = oc->arena_cap;

		oc->arena = oc->arena2;
		oc->arena_cap = oc->arena2_cap;
		oc->arena2 = t;
		oc->arena2_cap = c;
		oc->arena_len = len;
	}
	return 0;
}

/* The end: threads still off CPU wait until the last record seen. */
static int close_open(struct offcpu *oc, offcpu_emit_fn emit, void *arg)
{
	int ret = 0;

	for (size_t i = 0; i < oc->nr_thr && !ret; i++) {
		struct oc_thread *th = &oc->thr[i];

		if (!th->out || oc->max_seen < th->out_time)
			continue;
		oc->st.open_at_end++;
		th->waker_time = 0;
		ret = on_in(oc, &(struct oc_ev){ .time = oc->max_seen, .tid = th->tid, .kind = OC_IN },
			    emit, arg);
	}
	return ret;
}

int offcpu__round(struct offcpu *oc, bool final, offcpu_emit_fn emit, void *arg)
{
	uint64_t safe = final ? UINT64_MAX : oc->safe;
	size_t i;
	int ret = 0;

	array__sort(oc->evs, oc->nr_evs, sizeof(*oc->evs), ev_cmp);
	for (i = 0; i < oc->nr_evs && oc->evs[i].time <= safe && !ret; i++) {
		const struct oc_ev *e = &oc->evs[i];

		if (e->kind == OC_OUT)
			ret = on_out(oc, e);
		else if (e->kind == OC_IN)
			ret = on_in(oc, e, emit, arg);
		else
			ret = on_wake(oc, e);
	}
	if (!ret)
		ret = keep_rest(oc, i);
	if (!ret && final)
		ret = close_open(oc, emit, arg);
	for (size_t k = 0; !ret && oc->o.wall_period_ns && !final && k < oc->nr_thr; k++)
		if (oc->thr[k].out)
			ret = wall_ticks(oc, &oc->thr[k], oc->safe, emit, arg);
	if (!ret && oc->nr_agg && (final || oc->safe >= oc->last_agg_flush + AGG_FLUSH_NS))
		ret = agg_flush(oc, final ? oc->max_seen : oc->safe, emit, arg);
	/* perf has flushed what is older than the previous round's newest record */
	oc->floor = oc->safe;
	oc->safe = oc->max_seen;
	return ret;
}
