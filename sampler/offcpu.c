/* Owns the data path of an off-CPU recording (sampler/offcpu.h): taking the sched records out of
 * the drained ring bytes, handling them in time order once no earlier record can still arrive
 * (perf's own rule for FINISHED_ROUND: what is older than the previous round's newest record),
 * pairing each switch-out with the thread's next switch-in, and writing offcpu-time samples.
 * Per record: one parse, one stack lookup (interned call chains) and one thread lookup; memory
 * grows with threads and distinct stacks, not with switches. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/sample.h"
#include "sampler/offcpu_int.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/unaligned.h"

static struct oc_ev *push_ev(struct offcpu *oc)
{
	if (ARRAY_GROW(oc->evs, oc->evs_cap, oc->nr_evs + 1))
		return NULL;
	return memset(&oc->evs[oc->nr_evs++], 0, sizeof(struct oc_ev));
}

/* The id of an interned chain (UINT32_MAX on ENOMEM). */
static uint32_t intern_stack(struct offcpu *oc, const uint64_t *ips, uint64_t nr)
{
	uint64_t h = hash_bytes(ips, nr * sizeof(*ips));
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&oc->stacks, h, s, pos) {
		const struct oc_stack *k = &oc->stk[s->val - 1];

		if (k->nr == nr && !memcmp(oc->frames + k->off, ips, nr * sizeof(*ips)))
			return (uint32_t)(s->val - 1);
	}
	if (ARRAY_GROW(oc->stk, oc->stk_cap, oc->nr_stk + 1) ||
	    ARRAY_GROW(oc->frames, oc->frames_cap, oc->nr_frames + nr) ||
	    htab__insert(&oc->stacks, h, oc->nr_stk + 1))
		return UINT32_MAX;
	memcpy(oc->frames + oc->nr_frames, ips, nr * sizeof(*ips));
	oc->stk[oc->nr_stk] = (struct oc_stack){ .hash = h, .off = (uint32_t)oc->nr_frames,
						 .nr = (uint32_t)nr };
	oc->nr_frames += nr;
	return (uint32_t)oc->nr_stk++;
}

/* DWARF: the sample's user regs and stack, as they are written in a sample (abi, regs, size,
 * bytes, dyn_size), the stack cut to the part in use, into the arena; its offset and length. */
static int keep_ustk(struct offcpu *oc, const struct pd_sample *s, struct oc_ev *e)
{
	uint64_t nregs = s->regs_user_abi ? (uint64_t)__builtin_popcountll(s->regs_user_mask) : 0;
	uint64_t size = s->stack_size ? (s->stack_dyn_size + 7) & ~7ULL : 0;
	size_t len;
	uint8_t *p;

	if (size > s->stack_size)
		size = s->stack_size & ~7ULL;
	len = (size_t)(8 + nregs * 8 + 8 + size + (s->stack_size ? 8 : 0));
	if (ARRAY_GROW(oc->arena, oc->arena_cap, oc->arena_len + len))
		return -ENOMEM;
	p = oc->arena + oc->arena_len;
	memcpy(p, &s->regs_user_abi, 8);
	if (nregs)
		memcpy(p + 8, s->regs_user, nregs * 8);
	p += 8 + nregs * 8;
	memcpy(p, &size, 8);
	if (s->stack_size) {
		memcpy(p + 8, s->stack, size);
		memcpy(p + 8 + size, &s->stack_dyn_size, 8);
	}
	e->ustk = (uint32_t)oc->arena_len;
	e->ustk_len = (uint32_t)len;
	oc->arena_len += len;
	return 0;
}

/* A switch-out, with its state and interned chain; -a: also the switch-in of the next task. */
static int take_switch(struct offcpu *oc, const struct perf_event_header *h)
{
	struct pd_sample s;
	struct oc_ev *e;
	const uint8_t *raw;
	uint32_t bad, next;

	if (pd_sample__parse(&oc->sw, h, &s, &bad) || s.raw_size < (uint32_t)oc->off_next_pid + 4)
		return 0;
	raw = s.raw;
	next = unaligned_u32(raw + oc->off_next_pid);
	/* the idle tasks (one per CPU, all tid 0) do not wait */
	if (s.tid != 0) {
		if (!(e = push_ev(oc)))
			return -ENOMEM;
		oc->st.switches++;
		*e = (struct oc_ev){ .time = s.time, .ip = s.ip, .tid = s.tid, .pid = s.pid,
				     .kind = OC_OUT, .state = (uint32_t)unaligned_u64(raw + oc->off_prev_state),
				     .cpu = s.cpu == (uint32_t)-1 ? 0 : s.cpu, .misc = s.cpumode };
		e->ref = intern_stack(oc, s.callchain, s.callchain_nr);
		if (e->ref == UINT32_MAX || (oc->dwarf && keep_ustk(oc, &s, e)))
			return -ENOMEM;
	}
	if (!oc->per_task && next) {
		/* system-wide every switch is seen: the next task runs from now */
		if (!(e = push_ev(oc)))
			return -ENOMEM;
		*e = (struct oc_ev){ .time = s.time, .tid = next, .kind = OC_IN };
	}
	return 0;
}

static int take_waking(struct offcpu *oc, const struct perf_event_header *h)
{
	struct pd_sample s;
	struct oc_ev *e;
	uint32_t bad;

	if (pd_sample__parse(&oc->wk, h, &s, &bad) || s.raw_size < (uint32_t)oc->off_wake_pid + 4)
		return 0;
	if (ARRAY_GROW(oc->arena, oc->arena_cap, oc->arena_len + h->size) || !(e = push_ev(oc)))
		return -ENOMEM;
	*e = (struct oc_ev){ .time = s.time, .tid = s.tid, .pid = s.pid, .kind = OC_WAKE,
			     .state = unaligned_u32((const uint8_t *)s.raw + oc->off_wake_pid),
			     .ref = (uint32_t)oc->arena_len };
	memcpy(oc->arena + oc->arena_len, h, h->size);
	oc->arena_len += (h->size + 7) & ~7u;
	return 0;
}

/* A context-switch record of ours: per task, the switch-ins. */
static int take_ctxsw(struct offcpu *oc, const struct perf_event_header *h)
{
	struct pd_sample s;
	struct oc_ev *e;
	uint32_t bad;

	if (h->misc & PERF_RECORD_MISC_SWITCH_OUT)
		return 0;
	if (pd_sample__parse_id(&oc->sw, h, &s, &bad))
		return 0;
	if (!(e = push_ev(oc)))
		return -ENOMEM;
	*e = (struct oc_ev){ .time = s.time, .tid = s.tid, .pid = s.pid, .kind = OC_IN };
	return 0;
}

static uint64_t record_id(const struct offcpu *oc, const struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_SAMPLE)
		return h->size >= 16 ? unaligned_u64(h + 1) : 0;
	if (h->type >= PERF_RECORD_MAX || h->size < sizeof(*h) + oc->trailer || !oc->trailer)
		return 0;
	return unaligned_u64((const uint8_t *)h + h->size - 8);
}

static uint64_t record_time(const struct offcpu *oc, const struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_SAMPLE)
		return h->size >= 40 ? unaligned_u64((const uint8_t *)h + 32) : 0;	/* id, ip, tid, time */
	if (h->type >= PERF_RECORD_MAX || oc->trailer_time < 0 || h->size < sizeof(*h) + oc->trailer)
		return 0;
	return unaligned_u64((const uint8_t *)h + h->size - oc->trailer + oc->trailer_time);
}

/* Which of our events a record belongs to (0: not ours). */
static uint64_t our_kind(const struct offcpu *oc, uint64_t id)
{
	size_t pos;
	const struct htab_slot *s = id ? htab__first(&oc->ids, hash_u64(id), &pos) : NULL;

	return s ? s->val : 0;
}

size_t offcpu__take(struct offcpu *oc, void *buf, size_t len)
{
	uint8_t *p = buf, *w = buf, *end = p + len;

	while (p + sizeof(struct perf_event_header) <= end) {
		const struct perf_event_header *h = (const void *)p;
		uint16_t size = h->size;
		uint64_t kind, t;
		int ret = 0;

		if (size < sizeof(*h) || p + size > end)
			break;
		t = record_time(oc, h);
		if (t > oc->max_seen)
			oc->max_seen = t;
		kind = our_kind(oc, record_id(oc, h));
		if (kind == OC_ID_SWITCH && h->type == PERF_RECORD_SAMPLE)
			ret = take_switch(oc, h);
		else if (kind == OC_ID_SWITCH && h->type == PERF_RECORD_SWITCH)
			ret = take_ctxsw(oc, h);
		else if (kind == OC_ID_WAKING && h->type == PERF_RECORD_SAMPLE)
			ret = take_waking(oc, h);
		if (ret)
			oc->st.unmatched++;	/* no memory for it: counted as lost to pairing */
		if (kind != OC_ID_SWITCH && !(kind == OC_ID_WAKING && h->type == PERF_RECORD_SAMPLE)) {
			if (w != p)
				memmove(w, p, size);	/* may overwrite *h: size was read before */
			w += size;
		}
		p += size;
	}
	return (size_t)(w - (uint8_t *)buf);
}
