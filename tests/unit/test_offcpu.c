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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_and_keeps_others),
		cmocka_unit_test(test_order_across_rounds),
		cmocka_unit_test(test_short_waits_summed_and_thresh),
		cmocka_unit_test(test_wall_ticks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
