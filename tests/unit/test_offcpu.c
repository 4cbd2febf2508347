/* Unit tests of the off-CPU recorder's data path (sampler/offcpu*.c) on records built here, as the
 * kernel lays them out for a per-task recording: sched_switch samples (switch-outs with a call
 * chain and prev_state) and context-switch records (switch-ins) mixed with the file's other
 * records, taken out of the ring bytes, paired in time order across rounds and written as
 * offcpu-time samples, which are then decoded with the file reader's sample parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "perfdata/sample.h"
#include "sampler/evlist.h"
#include "sampler/offcpu_int.h"

#define ON_ID	10		/* the on-CPU event's kernel id */
#define SW_ID	11		/* sched_switch's */
#define ST	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
		 PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN)

struct out {
	uint8_t buf[1 << 16];
	size_t len;
};

static int collect(void *arg, const void *rec, size_t len)
{
	struct out *o = arg;

	assert_true(o->len + len <= sizeof(o->buf));
	memcpy(o->buf + o->len, rec, len);
	o->len += len;
	return 0;
}

static struct evsel *fake_evsel(uint64_t type, uint64_t id, int idx)
{
	struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .sample_type = type,
				     .sample_id_all = 1 };
	struct evsel *e = evsel__new(&a, idx ? "sched:sched_switch" : "cpu-clock");

	e->idx = e->leader_idx = idx;
	e->nr_cpus = e->nr_threads = 1;
	e->fds = calloc(1, sizeof(int));
	e->ids = calloc(1, sizeof(uint64_t));
	e->ids[0] = id;
	return e;
}

static struct offcpu *setup(struct evlist **elp, const struct offcpu_opts *o)
{
	struct offcpu *oc = offcpu__new(o, true);
	struct evlist *el = evlist__new();

	evlist__add(el, fake_evsel(ST, ON_ID, 0));
	evlist__add(el, fake_evsel(ST | PERF_SAMPLE_RAW, SW_ID, 1));
	oc->first = 1;			/* what offcpu__config learns from tracefs */
	oc->off_prev_pid = 24;
	oc->off_prev_state = 32;
	oc->off_next_pid = 56;
	assert_int_equal(offcpu__opened(oc, el), 0);
	*elp = el;
	return oc;
}

/* A switch-out of tid at time t in state, its chain [KERNEL, 0xk, USER, ip]. */
static size_t put_out(uint8_t *p, uint32_t tid, uint64_t t, uint64_t state, uint64_t ip)
{
	uint64_t w[16] = { SW_ID, 0xffffffff81000000ULL, (uint64_t)tid << 32 | 7, t, 1, 4,
			   PERF_CONTEXT_KERNEL, 0xffffffff81000000ULL, PERF_CONTEXT_USER, ip };
	uint32_t rawsz = 68;
	uint8_t raw[68] = { 0 };
	struct perf_event_header h = { PERF_RECORD_SAMPLE, PERF_RECORD_MISC_KERNEL, 8 + 80 + 72 };

	memcpy(raw + 24, &tid, 4);
	memcpy(raw + 32, &state, 8);
	memcpy(p, &h, 8);
	memcpy(p + 8, w, 80);
	memcpy(p + 88, &rawsz, 4);
	memcpy(p + 92, raw, 68);
	return h.size;
}

/* A switch-in (context-switch record) of tid at t; other = a record of the on-CPU event. */
static size_t put_in(uint8_t *p, uint32_t tid, uint64_t t, uint64_t id, uint16_t type)
{
	uint64_t w[3] = { (uint64_t)tid << 32 | 7, t, id };
	struct perf_event_header h = { type, 0, 32 };

	memcpy(p, &h, 8);
	memcpy(p + 8, w, 24);
	return h.size;
}

struct got {
	uint64_t time, period, ip;
	uint32_t tid;
	struct offcpu_raw raw;
};

static int decode(struct offcpu *oc, const struct out *o, struct got *g, int max)
{
	struct pd_evsel ev = { .attr = oc->attr };
	int n = 0;

	for (size_t off = 0; off < o->len && n < max;) {
		const struct perf_event_header *h = (const void *)(o->buf + off);
		struct pd_sample s;
		uint32_t bad;

		assert_int_equal(h->type, PERF_RECORD_SAMPLE);
		assert_int_equal(pd_sample__parse(&ev, h, &s, &bad), 0);
		assert_int_equal(s.id, oc->id);
		assert_int_equal(s.raw_size, sizeof(struct offcpu_raw));
		g[n] = (struct got){ .time = s.time, .period = s.period, .ip = s.ip, .tid = s.tid };
		memcpy(&g[n].raw, s.raw, sizeof(g[n].raw));
		n++;
		off += h->size;
	}
	return n;
}

static void test_pairs_and_keeps_others(void **state)
{
	struct offcpu_opts o = { .enabled = true };
	struct evlist *el;
	struct offcpu *oc = setup(&el, &o);
	uint8_t buf[1024];
	struct out out = { .len = 0 };
	struct got g[4];
	size_t n = 0, left;

	(void)state;
	n += put_out(buf + n, 42, 1000, 1, 0x401000);		/* sleeps at 1000 */
	n += put_in(buf + n, 42, 900, ON_ID, PERF_RECORD_COMM);	/* not ours: stays */
	n += put_in(buf + n, 42, 5001000, SW_ID, PERF_RECORD_SWITCH);	/* back 5 ms later */
	left = offcpu__take(oc, buf, n);
	assert_int_equal(left, 32);
	assert_int_equal(((struct perf_event_header *)buf)->type, PERF_RECORD_COMM);
	assert_int_equal(offcpu__round(oc, true, collect, &out), 0);
	assert_int_equal(decode(oc, &out, g, 4), 1);
	assert_int_equal(g[0].period, 5000000);
	assert_int_equal(g[0].tid, 42);
	assert_int_equal(g[0].time, 5001000);
	assert_int_equal(g[0].ip, 0xffffffff81000000ULL);
	assert_int_equal(g[0].raw.state, 1);
	assert_int_equal(g[0].raw.nr, 1);
	assert_int_equal(offcpu__stats(oc)->waits, 1);
	offcpu__free(oc);
	evlist__free(el);
}

/* The switch-in is read (another ring) before its switch-out: time order decides. */
static void test_order_across_rounds(void **state)
{
	struct offcpu_opts o = { .enabled = true };
	struct evlist *el;
	struct offcpu *oc = setup(&el, &o);
	uint8_t buf[1024];
	struct out out = { .len = 0 };
	struct got g[4];
	size_t n;

	(void)state;
	n = put_in(buf, 7, 3000000, SW_ID, PERF_RECORD_SWITCH);
	offcpu__take(oc, buf, n);
	assert_int_equal(offcpu__round(oc, false, collect, &out), 0);
	n = put_out(buf, 7, 1000000, 2, 0x401000);
	n += put_in(buf + n, 1, 9000000, ON_ID, PERF_RECORD_COMM);
	offcpu__take(oc, buf, n);
	assert_int_equal(offcpu__round(oc, false, collect, &out), 0);
	assert_int_equal(offcpu__round(oc, true, collect, &out), 0);
	assert_int_equal(decode(oc, &out, g, 4), 1);
	assert_int_equal(g[0].period, 2000000);
	assert_int_equal(g[0].raw.state, 2);
	assert_int_equal(offcpu__stats(oc)->unmatched, 0);
	offcpu__free(oc);
	evlist__free(el);
}

/* Short waits are summed per (thread, stack, state); the threshold drops the shortest. */
static void test_short_waits_summed_and_thresh(void **state)
{
	struct offcpu_opts o = { .enabled = true, .thresh_ns = 1000 };
	struct evlist *el;
	struct offcpu *oc = setup(&el, &o);
	uint8_t buf[4096];
	struct out out = { .len = 0 };
	struct got g[4];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 10; i++) {
		uint64_t t = 1000000 + (uint64_t)i * 100000;

		n += put_out(buf + n, 5, t, 1, 0x401000);
		/* 20 us waits, and a 500 ns one the threshold drops */
		n += put_in(buf + n, 5, t + (i == 9 ? 500 : 20000), SW_ID, PERF_RECORD_SWITCH);
	}
	offcpu__take(oc, buf, n);
	assert_int_equal(offcpu__round(oc, true, collect, &out), 0);
	assert_int_equal(decode(oc, &out, g, 4), 1);
	assert_int_equal(g[0].period, 9 * 20000);
	assert_int_equal(g[0].raw.nr, 9);
	assert_int_equal(offcpu__stats(oc)->short_waits, 1);
	offcpu__free(oc);
	evlist__free(el);
}

/* Wall-clock: a wait becomes one sample per period, the remainder carried to the next. */
static void test_wall_ticks(void **state)
{
	struct offcpu_opts o = { .enabled = true, .wall = true, .wall_period_ns = 1000 };
	struct evlist *el;
	struct offcpu *oc = setup(&el, &o);
	uint8_t buf[1024];
	struct out out = { .len = 0 };
	struct got g[16];
	size_t n = 0;
	int k;

	(void)state;
	n += put_out(buf + n, 9, 10000, 1, 0x401000);
	n += put_in(buf + n, 9, 12500, SW_ID, PERF_RECORD_SWITCH);	/* 2 ticks, 500 carried */
	n += put_out(buf + n, 9, 20000, 1, 0x401000);
	n += put_in(buf + n, 9, 21600, SW_ID, PERF_RECORD_SWITCH);	/* 500 + 1600: 2 ticks */
	offcpu__take(oc, buf, n);
	assert_int_equal(offcpu__round(oc, true, collect, &out), 0);
	k = decode(oc, &out, g, 16);
	assert_int_equal(k, 4);
	assert_int_equal(g[0].time, 11000);
	assert_int_equal(g[1].time, 12000);
	assert_int_equal(g[2].time, 20500);
	assert_int_equal(g[3].time, 21500);
	for (int i = 0; i < k; i++)
		assert_int_equal(g[i].period, 1000);
	offcpu__free(oc);
	evlist__free(el);
}

/* --call-graph dwarf: a switch-out with user regs (3 of them) and a 64-byte stack copy of which
 * the first `dyn` bytes are in use, its bytes all `fill`. */
static size_t put_out_dwarf(uint8_t *p, uint32_t tid, uint64_t t, uint64_t dyn, uint8_t fill)
{
	size_t n = put_out(p, tid, t, 1, 0x401000);
	uint64_t regs[4] = { PERF_SAMPLE_REGS_ABI_64, 0x7ffd0000 + tid, 0x7ffd1000, 0x401000 };
	uint64_t size = 64;
	struct perf_event_header *h = (void *)p;

	memcpy(p + n, regs, 32);
	memcpy(p + n + 32, &size, 8);
	memset(p + n + 40, fill, 64);
	memcpy(p + n + 104, &dyn, 8);
	h->size = (uint16_t)(n + 112);
	return h->size;
}

/* DWARF: each sample carries the user regs and the used part of the stack of its switch-out;
 * summed short waits the first one's. */
static void test_dwarf_user_stacks(void **state)
{
	struct offcpu_opts o = { .enabled = true };
	struct offcpu *oc = offcpu__new(&o, true);
	struct evlist *el = evlist__new();
	struct evsel *sw = fake_evsel(ST | PERF_SAMPLE_RAW | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER,
				      SW_ID, 1);
	uint8_t buf[2048];
	struct out out = { .len = 0 };
	struct pd_evsel ev;
	size_t n = 0;
	int k = 0;

	(void)state;
	sw->attr.sample_regs_user = 0x7;
	sw->attr.sample_stack_user = 64;
	sw->attr.exclude_callchain_user = 1;
	evlist__add(el, fake_evsel(ST, ON_ID, 0));
	evlist__add(el, sw);
	oc->first = 1;			/* what offcpu__config learns from tracefs and the attrs */
	oc->dwarf = true;
	oc->off_prev_pid = 24;
	oc->off_prev_state = 32;
	oc->off_next_pid = 56;
	assert_int_equal(offcpu__opened(oc, el), 0);
	assert_true(oc->attr.sample_type & PERF_SAMPLE_STACK_USER);
	assert_int_equal(oc->attr.sample_regs_user, 0x7);
	n += put_out_dwarf(buf + n, 5, 1000000, 20, 0xaa);		/* a 2 ms wait */
	n += put_in(buf + n, 5, 3000000, SW_ID, PERF_RECORD_SWITCH);
	n += put_out_dwarf(buf + n, 6, 1000000, 64, 0xbb);		/* two 20 us waits */
	n += put_in(buf + n, 6, 1020000, SW_ID, PERF_RECORD_SWITCH);
	n += put_out_dwarf(buf + n, 6, 1100000, 8, 0xcc);
	n += put_in(buf + n, 6, 1120000, SW_ID, PERF_RECORD_SWITCH);
	offcpu__take(oc, buf, n);
	assert_int_equal(offcpu__round(oc, true, collect, &out), 0);
	ev = (struct pd_evsel){ .attr = oc->attr };
	for (size_t off = 0; off < out.len; k++) {
		const struct perf_event_header *h = (const void *)(out.buf + off);
		struct pd_sample s;
		uint32_t bad;

		assert_int_equal(pd_sample__parse(&ev, h, &s, &bad), 0);
		assert_int_equal(s.regs_user_abi, PERF_SAMPLE_REGS_ABI_64);
		assert_int_equal(s.regs_user[0], 0x7ffd0000 + s.tid);
		if (s.tid == 5) {
			assert_int_equal(s.period, 2000000);
			assert_int_equal(s.stack_size, 24);	/* 20 in use, rounded up to words */
			assert_int_equal(s.stack_dyn_size, 20);
			assert_int_equal(s.stack[23], 0xaa);
		} else {
			assert_int_equal(s.period, 40000);
			assert_int_equal(s.stack_size, 64);	/* the first wait's */
			assert_int_equal(s.stack[0], 0xbb);
		}
		off += h->size;
	}
	assert_int_equal(k, 2);
	offcpu__free(oc);
	evlist__free(el);
}

/* Short waits with one stack but different states (sleeping, preempted, uninterruptible) are
 * summed apart: one sample per state, each with its own count, total and state; long ones too. */
static void test_states_apart(void **state)
{
	static const uint32_t states[3] = { 1, OFFCPU_PREEMPTED, 2 };
	struct offcpu_opts o = { .enabled = true };
	struct evlist *el;
	struct offcpu *oc = setup(&el, &o);
	uint8_t buf[4096];
	struct out out = { .len = 0 };
	struct got g[8];
	uint64_t sum[3] = { 0 };
	int nr[3] = { 0 }, k;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 12; i++) {
		uint64_t t = 1000000 + (uint64_t)i * 100000;

		/* waits of 10, 20, 30 us in turn by state */
		n += put_out(buf + n, 5, t, states[i % 3], 0x401000);
		n += put_in(buf + n, 5, t + 10000 * (uint64_t)(i % 3 + 1), SW_ID, PERF_RECORD_SWITCH);
	}
	/* two long waits, same stack, sleeping then preempted */
	n += put_out(buf + n, 5, 5000000, 1, 0x401000);
	n += put_in(buf + n, 5, 7000000, SW_ID, PERF_RECORD_SWITCH);
	n += put_out(buf + n, 5, 8000000, OFFCPU_PREEMPTED, 0x401000);
	n += put_in(buf + n, 5, 11000000, SW_ID, PERF_RECORD_SWITCH);
	offcpu__take(oc, buf, n);
	assert_int_equal(offcpu__round(oc, true, collect, &out), 0);
	k = decode(oc, &out, g, 8);
	assert_int_equal(k, 5);
	assert_int_equal(g[0].period, 2000000);		/* the long ones, as they end */
	assert_int_equal(g[0].raw.state, 1);
	assert_int_equal(g[1].period, 3000000);
	assert_int_equal(g[1].raw.state, OFFCPU_PREEMPTED);
	for (int i = 2; i < k; i++)
		for (int s = 0; s < 3; s++)
			if (g[i].raw.state == states[s]) {
				nr[s] += (int)g[i].raw.nr;
				sum[s] += g[i].period;
				assert_int_equal(g[i].raw.nr, 4);
			}
	for (int s = 0; s < 3; s++) {
		assert_int_equal(nr[s], 4);
		assert_int_equal(sum[s], 4 * 10000 * (uint64_t)(s + 1));
	}
	assert_string_equal(offcpu__state_name(g[1].raw.state), "preempted");
	assert_int_equal(offcpu__stats(oc)->waits, 14);
	offcpu__free(oc);
	evlist__free(el);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_and_keeps_others),
		cmocka_unit_test(test_order_across_rounds),
		cmocka_unit_test(test_short_waits_summed_and_thresh),
		cmocka_unit_test(test_wall_ticks),
		cmocka_unit_test(test_dwarf_user_stacks),
		cmocka_unit_test(test_states_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
