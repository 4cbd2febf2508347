/* Unit tests of pfold's exports that do not need a recording: --time parsing, JSON strings,
 * the DOT call graph's totals (once per stack, recursion included) and edges, the heat map's
 * cells and the speedscope profile's merged samples. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/chrome_trace.h"
#include "report/fold/dot.h"
#include "report/fold/heatmap.h"
#include "report/fold/json.h"
#include "report/fold/speedscope.h"
#include "report/session/time_range.h"
#include "report/fold/timeline.h"

static uint32_t add(struct fold *f, const char *stack, uint64_t n)
{
	uint32_t ids[64];
	size_t k = 0;

	for (const char *p = stack;; k++) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		ids[k] = fold__name(f, p, len, k == 0 ? FOLD_K_COMM : FOLD_K_USER, FOLD_NONE, 0);
		if (!e) {
			k++;
			break;
		}
		p = e + 1;
	}
	return fold__add_path(f, ids, k, 0, n, n);
}

static FILE *capture(char **buf, size_t *len)
{
	FILE *m = open_memstream(buf, len);

	assert_non_null(m);
	return m;
}

static void test_time(void **state)
{
	struct time_range t;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(time_range__parse("12.5,13.000000001", NULL, &t, &err), 0);
	assert_int_equal(t.start, 12500000000ULL);
	assert_int_equal(t.end, 13000000001ULL);
	assert_int_equal(time_range__parse(",7", NULL, &t, &err), 0);
	assert_int_equal(t.start, 0);
	assert_int_equal(t.end, 7000000000ULL);
	assert_int_equal(time_range__parse("7,", NULL, &t, &err), 0);
	assert_true(t.end == UINT64_MAX);
	assert_true(time_range__has(&t, 7000000000ULL) && !time_range__has(&t, 6999999999ULL));
	assert_int_equal(time_range__parse("5", NULL, &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "expected START,END"));
	assert_int_equal(time_range__parse("8,7", NULL, &t, &err), -EINVAL);
	assert_int_equal(time_range__parse("1.x,2", NULL, &t, &err), -EINVAL);
	error__clear(&err);
	/* percentages need the file's sample times */
	assert_int_equal(time_range__parse("10%/2", NULL, &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "SAMPLE_TIME"));
}

static void test_json(void **state)
{
	FILE *m;
	size_t len;
	char *buf = NULL;
	const char in[] = "a\"b\\c<d\x01\xc3\xa9\xff";

	(void)state;
	m = capture(&buf, &len);
	fold_json__str(m, in, sizeof(in) - 1);
	fclose(m);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\u003cd\\u0001\xc3\xa9\\ufffd\"");
	free(buf);
}

static void test_dot(void **state)
{
	struct fold *f = fold__new();
	struct dot_opts o = DOT_OPTS_DEFAULTS;
	FILE *m;
	size_t len;
	char *buf;

	(void)state;
	add(f, "p;main;rec;rec;leaf", 2);	/* rec twice on one stack: counted once */
	add(f, "p;main;rec", 1);
	add(f, "p;main;other;leaf", 1);
	m = capture(&buf, &len);
	assert_int_equal(dot__write(f, &o, m), 0);
	fclose(m);
	assert_non_null(strstr(buf, "label=\"main\\n100.00%\\n(0.00%)\""));
	assert_non_null(strstr(buf, "label=\"rec\\n75.00%\\n(25.00%)\""));
	assert_non_null(strstr(buf, "label=\"leaf\\n75.00%\\n(75.00%)\""));
	assert_null(strstr(buf, "label=\"p\\n"));	/* the process is not a function */
	/* main -> rec 75%, rec -> leaf 50% (rec -> rec is a re-entry), other -> leaf 25% */
	assert_non_null(strstr(buf, "n1 -> n2 [label=\"75.00%\""));
	assert_non_null(strstr(buf, "n2 -> n3 [label=\"50.00%\""));
	assert_non_null(strstr(buf, "n4 -> n3 [label=\"25.00%\""));
	assert_null(strstr(buf, "n2 -> n2"));
	free(buf);
	o.node_thres = 30;
	m = capture(&buf, &len);
	assert_int_equal(dot__write(f, &o, m), 0);
	fclose(m);
	assert_null(strstr(buf, "label=\"other"));
	assert_null(strstr(buf, "n4 -> n3"));
	free(buf);
	fold__free(f);
}

static void test_heatmap(void **state)
{
	struct fold *f = fold__new();
	struct heatmap *h = heatmap__new();
	uint32_t a = add(f, "p;main;a", 0), b = add(f, "p;main;b", 0);
	struct fold_sample s = { .period = 1, .cpu = 0, .pid = 5, .tid = 5, .comm = "p" };
	FILE *m;
	size_t len;
	char *buf, *cells;

	(void)state;
	/* second 100: 3 samples of a in its first cell, one of b 30 ms later on CPU 1 */
	for (int i = 0; i < 3; i++) {
		s.time = 100000000000ULL + (uint64_t)i * 1000000;
		s.node = a;
		assert_int_equal(heatmap__sample(h, &s), 0);
	}
	s.time = 100030000000ULL;
	s.node = b;
	s.cpu = 1;
	assert_int_equal(heatmap__sample(h, &s), 0);
	m = capture(&buf, &len);
	assert_int_equal(heatmap__write(h, f, &(struct heatmap_opts){ .width = 1200 }, m), 0);
	fclose(m);
	assert_non_null(strstr(buf, "\"base_s\":100,\"rows\":50,\"row_ns\":20000000"));
	cells = strstr(buf, "\"cells\":[");
	assert_non_null(cells);
	/* cell, cpu, process, node in flame order (root 0, p 1, main 2, a 3, b 4), count */
	assert_true(!strncmp(cells, "\"cells\":[0,0,0,3,3,1,1,0,4,1]", 29));
	assert_non_null(strstr(buf, "\"ncols\":1"));
	assert_null(strstr(buf, "<script src"));
	free(buf);
	heatmap__free(h);
	fold__free(f);
}

static void test_speedscope(void **state)
{
	struct fold *f = fold__new();
	struct timeline *t = timeline__new();
	uint32_t a = add(f, "p;main;a", 0), b = add(f, "p;main;b", 0);
	uint32_t seq[] = { a, a, b, a };
	struct fold_sample s = { .period = 250, .cpu = 0, .pid = 5, .tid = 5, .comm = "p" };
	FILE *m;
	size_t len;
	char *buf;

	(void)state;
	f->unit = strdup("nanoseconds");
	for (int i = 0; i < 4; i++) {
		s.time = 1000 + (uint64_t)i;
		s.node = seq[i];
		assert_int_equal(timeline__sample(t, &s), 0);
	}
	m = capture(&buf, &len);
	assert_int_equal(speedscope__write(t, f, &(struct speedscope_opts){ .name = "x" }, m), 0);
	fclose(m);
	/* names: p 0, main 1, a 2, b 3; the process frame is the profile, not a frame */
	assert_non_null(strstr(buf, "\"name\":\"p 5/5\",\"unit\":\"nanoseconds\",\"startValue\":0,\"endValue\":1000"));
	assert_non_null(strstr(buf, "\"samples\":[[1,2],\n[1,3],\n[1,2]],\n\"weights\":[500,250,250]"));
	free(buf);
	timeline__free(t);
	fold__free(f);
}

/* an instant after a slice's end (its period) but before the next sample: the slice ends
 * first, every thread's events in time order */
static void test_chrome_trace_order(void **state)
{
	struct fold *f = fold__new();
	struct timeline *t = timeline__new();
	uint32_t a = add(f, "p;main;a", 0);
	struct fold_sample s = { .period = 100, .cpu = 0, .pid = 5, .tid = 5, .comm = "p",
				 .event = "cpu-clock" };
	FILE *m;
	size_t len;
	char *buf, *e_a, *inst;

	(void)state;
	f->unit = strdup("nanoseconds");
	s.time = 1000, s.node = a;
	assert_int_equal(timeline__sample(t, &s), 0);
	s.time = 1500, s.node = FOLD_NONE, s.event = "sched:sched_process_exit";
	assert_int_equal(timeline__sample(t, &s), 0);
	m = capture(&buf, &len);
	assert_int_equal(chrome_trace__write(t, f, NULL, m), 0);
	fclose(m);
	/* a's slice ends at 1100 ns (1.100 us), before the instant at 1.500 us */
	e_a = strstr(buf, "\"ph\":\"E\",\"ts\":1.100");
	inst = strstr(buf, "\"ph\":\"i\"");
	assert_non_null(e_a);
	assert_non_null(inst);
	assert_true(e_a < inst);
	free(buf);
	timeline__free(t);
	fold__free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_dot),
		cmocka_unit_test(test_heatmap),
		cmocka_unit_test(test_speedscope),
		cmocka_unit_test(test_chrome_trace_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
