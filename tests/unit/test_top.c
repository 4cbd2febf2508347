/* Unit tests of ptop's live model (report/top/model.h), fed rounds of records built here as
 * the kernel lays them out: a round is applied in time order (a COMM and an MMAP behind the
 * sample they name still name it), shares and their decay by 7/8 per refresh (-z: zeroed),
 * -K hiding kernel samples that still count in the total, --percent-limit, the s/d view
 * filters, the interval counters; annotating an entry without a symbol is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "perfdata/writer.h"
#include "report/hist/hist.h"
#include "report/top/model.h"
#include "util/error.h"

#define ST (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

static struct perf_event_attr attr = {
	.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr), .config = PERF_COUNT_SW_CPU_CLOCK,
	.sample_type = ST, .freq = 1, .sample_freq = 4000, .sample_id_all = 1,
};
static const struct pd_event_desc desc = { .attr = &attr, .name = "cpu-clock" };

struct round {
	uint64_t b[4096];
	size_t n;		/* in u64 */
};

static void u64(struct round *r, uint64_t v) { r->b[r->n++] = v; }
static void u32x2(struct round *r, uint32_t a, uint32_t b) { u64(r, (uint64_t)b << 32 | a); }

static size_t begin(struct round *r, uint32_t type, uint16_t misc)
{
	struct perf_event_header h = { .type = type, .misc = misc };
	size_t at = r->n;

	memcpy(&r->b[r->n++], &h, 8);
	return at;
}

static void finish(struct round *r, size_t at)
{
	((struct perf_event_header *)&r->b[at])->size = (uint16_t)((r->n - at) * 8);
}

static void trailer(struct round *r, uint32_t pid, uint64_t time)
{
	u32x2(r, pid, pid);
	u64(r, time);
	u32x2(r, 0, 0);		/* cpu, res */
}

static void sample(struct round *r, uint16_t mode, uint64_t ip, uint32_t pid, uint64_t time,
		   uint64_t period)
{
	size_t at = begin(r, PERF_RECORD_SAMPLE, mode);

	u64(r, ip);
	u32x2(r, pid, pid);
	u64(r, time);
	u32x2(r, 0, 0);
	u64(r, period);
	finish(r, at);
}

static void str(struct round *r, const char *s)
{
	char buf[64] = { 0 };
	size_t l = strlen(s) + 1;

	memcpy(buf, s, l);
	for (size_t i = 0; i < (l + 7) / 8; i++) {
		uint64_t v;

		memcpy(&v, buf + 8 * i, 8);
		u64(r, v);
	}
}

static void comm(struct round *r, uint32_t pid, const char *name, uint64_t time)
{
	size_t at = begin(r, PERF_RECORD_COMM, 0);

	u32x2(r, pid, pid);
	str(r, name);
	trailer(r, pid, time);
	finish(r, at);
}

static void mmap_rec(struct round *r, uint32_t pid, uint64_t start, const char *file, uint64_t time)
{
	size_t at = begin(r, PERF_RECORD_MMAP, PERF_RECORD_MISC_USER);

	u32x2(r, pid, pid);
	u64(r, start);
	u64(r, 0x10000);
	u64(r, 0);
	str(r, file);
	trailer(r, pid, time);
	finish(r, at);
}

static void feed(struct top_model *m, struct round *r)
{
	top_model__feed(m, &desc, 1, r->b, r->n * 8);
	assert_int_equal(top_model__error(m, NULL), 0);
	r->n = 0;
}

static struct top_model *model(const char *sort, bool zero)
{
	struct top_opts o = { .sort = sort, .zero = zero, .demangle = true };
	struct error err;
	struct top_model *m = top_model__new(&o, &err);

	assert_non_null(m);
	return m;
}

/* Two processes with a DSO each: 100 runs /x/liba.so, 200 /x/libb.so. */
static void setup_procs(struct top_model *m, struct round *r)
{
	comm(r, 100, "alpha", 1);
	mmap_rec(r, 100, 0x400000, "/nonexistent/liba.so", 2);
	comm(r, 200, "beta", 3);
	mmap_rec(r, 200, 0x500000, "/nonexistent/libb.so", 4);
	feed(m, r);
}

static void test_round_in_time_order(void **state)
{
	struct top_model *m = model("comm,dso", false);
	struct round r = { .n = 0 };
	const struct top_row *rows;
	size_t nr;

	(void)state;
	/* the sample comes first in the buffer (another CPU's ring), its task's records later */
	sample(&r, PERF_RECORD_MISC_USER, 0x401234, 300, 30, 1000);
	mmap_rec(&r, 300, 0x400000, "/nonexistent/libc3.so", 20);
	comm(&r, 300, "gamma", 10);
	feed(m, &r);
	assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, NULL), 0);
	assert_int_equal(nr, 1);
	assert_string_equal(rows[0].he->key.comm, "gamma");
	assert_string_equal(top_model__dso_name(rows[0].he), "libc3.so");
	top_model__free(m);
}

static void test_decay_and_zero(void **state)
{
	for (int zero = 0; zero < 2; zero++) {
		struct top_model *m = model("dso", zero);
		struct round r = { .n = 0 };
		const struct top_row *rows;
		struct top_stats st;
		size_t nr;

		(void)state;
		setup_procs(m, &r);
		for (int i = 0; i < 8; i++)
			sample(&r, PERF_RECORD_MISC_USER, 0x400100 + i, 100, 10 + i, 1000);
		feed(m, &r);
		assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, &st), 0);
		assert_int_equal(nr, 1);
		assert_true(fabs(rows[0].pct - 100.0) < 1e-9);
		assert_int_equal(st.samples, 8);
		assert_string_equal(st.event, "cpu-clock");
		top_model__decay(m);
		for (int i = 0; i < 8; i++)
			sample(&r, PERF_RECORD_MISC_USER, 0x500100 + i, 200, 30 + i, 1000);
		feed(m, &r);
		assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, &st), 0);
		assert_int_equal(st.samples, 8);	/* the interval's, counted anew */
		if (zero) {
			/* -z: what was not sampled again is gone */
			assert_int_equal(nr, 1);
			assert_string_equal(top_model__dso_name(rows[0].he), "libb.so");
			assert_true(fabs(rows[0].pct - 100.0) < 1e-9);
		} else {
			/* 8000 decayed to 7000 against 8000 new: 7/15 and 8/15 */
			assert_int_equal(nr, 2);
			assert_string_equal(top_model__dso_name(rows[0].he), "libb.so");
			assert_true(fabs(rows[0].pct - 800.0 / 15) < 1e-9);
			assert_true(fabs(rows[1].pct - 700.0 / 15) < 1e-9);
			assert_int_equal(rows[1].he->self, 7000);
		}
		top_model__free(m);
	}
}

static void test_filters_and_views(void **state)
{
	struct top_opts o = { .sort = "dso", .hide_kernel = true, .percent_limit = 20, .demangle = true };
	struct top_model *m = top_model__new(&o, NULL);
	struct round r = { .n = 0 };
	const struct top_row *rows;
	struct top_view v = { .dso_name = "libb.so" };
	struct top_stats st;
	size_t nr;

	(void)state;
	assert_non_null(m);
	setup_procs(m, &r);
	/* 2 kernel (hidden, counted), 5 in liba, 2 in libb, 1 in libb at another address */
	sample(&r, PERF_RECORD_MISC_KERNEL, 0xffffffff81000000, 100, 10, 1000);
	sample(&r, PERF_RECORD_MISC_KERNEL, 0xffffffff81000010, 100, 11, 1000);
	for (int i = 0; i < 5; i++)
		sample(&r, PERF_RECORD_MISC_USER, 0x400100, 100, 12 + i, 1000);
	sample(&r, PERF_RECORD_MISC_USER, 0x500100, 200, 20, 1000);
	sample(&r, PERF_RECORD_MISC_USER, 0x500100, 200, 21, 1000);
	sample(&r, PERF_RECORD_MISC_USER, 0x500200, 200, 22, 1000);
	feed(m, &r);
	assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, &st), 0);
	assert_int_equal(st.kernel_samples, 2);
	assert_int_equal(nr, 2);	/* no kernel row; both DSOs are over 20% of 10 samples */
	assert_true(fabs(rows[0].pct - 50.0) < 1e-9);
	assert_true(fabs(rows[1].pct - 30.0) < 1e-9);
	/* the d filter: only libb's entries */
	assert_int_equal(top_model__snapshot(m, &v, &rows, &nr, NULL), 0);
	assert_int_equal(nr, 1);
	assert_string_equal(top_model__dso_name(rows[0].he), "libb.so");
	assert_int_equal(top_model__annotate_start(m, rows[0].he), -ENOENT);	/* no symbols */
	/* a redraw (no stats taken) keeps the interval's counters; taking them restarts them */
	sample(&r, PERF_RECORD_MISC_USER, 0x500300, 200, 30, 1000);
	feed(m, &r);
	assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, NULL), 0);
	assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, &st), 0);
	assert_int_equal(st.samples, 1);
	assert_int_equal(st.total_samples, 11);
	assert_int_equal(top_model__snapshot(m, NULL, &rows, &nr, &st), 0);
	assert_int_equal(st.samples, 0);
	top_model__free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_in_time_order),
		cmocka_unit_test(test_decay_and_zero),
		cmocka_unit_test(test_filters_and_views),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
