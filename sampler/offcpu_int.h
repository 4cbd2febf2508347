/* The state of an off-CPU recording shared by sampler/offcpu_setup.c (events, attrs, ids) and
 * sampler/offcpu.c (taking records out of the rings, pairing, writing samples). */
#ifndef SAMPLER_OFFCPU_INT_H
#define SAMPLER_OFFCPU_INT_H

#include <linux/perf_event.h>

#include "perfdata/reader.h"
#include "sampler/offcpu.h"
#include "util/htab.h"

enum oc_kind { OC_OUT, OC_IN, OC_WAKE };
enum oc_ev_id { OC_ID_SWITCH = 1, OC_ID_WAKING = 2 };

/* A switch-out, switch-in or wakeup waiting to be handled in time order. */
struct oc_ev {
	uint64_t time;
	uint64_t ip;		/* OUT: the sample's ip */
	uint32_t tid, pid;
	uint32_t kind;		/* enum oc_kind */
	uint32_t state;		/* OUT: prev_state; WAKE: the wakee's tid */
	uint32_t ref;		/* OUT: stack id; WAKE: offset of the record copy in the arena */
	uint32_t cpu;
	uint16_t misc;		/* OUT: the sample's cpumode */
};

/* An interned call chain. */
struct oc_stack {
	uint64_t hash;
	uint32_t off, nr;	/* into frames */
};

/* What is known of one thread. */
struct oc_thread {
	uint32_t tid, pid;
	bool out;		/* switched out, not yet back */
	uint16_t misc;
	uint32_t state, stack, cpu;
	uint64_t out_time, ip;
	uint64_t wall_next;	/* wall-clock: time of the next tick owed while off CPU */
	uint64_t wall_carry;	/* wall-clock: off-CPU ns since the last tick, carried over */
	uint8_t *waker;		/* copy of the sched_waking record that woke it last */
	size_t waker_cap;
	uint64_t waker_time;	/* 0: none since it went out */
	uint32_t waker_tid;
};

/* Short waits summed per (thread, stack, state). */
struct oc_agg {
	uint32_t pid, tid, stack, state, cpu, nr, waker;
	uint16_t misc;
	uint64_t ip, period;
};

struct offcpu {
	struct offcpu_opts o;
	bool per_task;
	int first;			/* index of our first evsel in the evlist */
	struct htab ids;		/* kernel id -> enum oc_ev_id */
	struct pd_evsel sw, wk;		/* layouts of our events, for the sample parser */
	int off_prev_state, off_prev_pid, off_next_pid, off_wake_pid;
	struct perf_event_attr attr;	/* offcpu-time */
	uint64_t id;			/* its id in the file */
	unsigned int trailer;		/* sample_id trailer bytes of the file's records */
	int trailer_time;		/* offset of the time in it from its start, -1: none */
	/* pending events and the record copies they refer to (two arenas, swapped per round) */
	struct oc_ev *evs;
	size_t nr_evs, evs_cap;
	uint8_t *arena, *arena2;
	size_t arena_len, arena_cap, arena2_cap;
	uint64_t max_seen;		/* latest time of any record taken so far */
	uint64_t safe;			/* events up to here are handled */
	uint64_t floor;			/* no sample is written with a time below this */
	uint64_t last_agg_flush;
	struct htab stacks;		/* hash -> index + 1 */
	struct oc_stack *stk;
	size_t nr_stk, stk_cap;
	uint64_t *frames;
	size_t nr_frames, frames_cap;
	struct htab threads;		/* hash_u64(tid) -> index + 1 */
	struct oc_thread *thr;
	size_t nr_thr, thr_cap;
	struct htab aggs;		/* key hash -> index + 1 */
	struct oc_agg *agg;
	size_t nr_agg, agg_cap;
	uint64_t *out;			/* the sample being built */
	size_t out_cap;
	struct offcpu_stats st;
};

#endif
