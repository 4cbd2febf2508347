/* Unit tests of pstat --metric-only (report/stat/metrics.c) on tables fed through the real
 * code: perf's own metrics of hardware events (GHz, insn per cycle, branch-misses of all
 * branches: this VM has no PMU to count them), the rates and CPUs utilized left out, an event
 * that counted nothing an empty column; -M metrics computed per CPU with -A in CSV, JSON lines
 * keyed by unit and metric name, the time column of -I. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/stat/display.h"
#include "sampler/stat_metrics.h"
#include <linux/perf_event.h>

static struct stat_row row_of(const char *name, uint32_t type, uint64_t config, double val)
{
	struct stat_row r = {
		.ev = { .name = name, .unit = "", .type = type, .config = config },
		.supported = true, .counted = true, .val = val, .ena = 1000, .run = 1000, .cpu = -1,
	};

	if (type == PERF_TYPE_SOFTWARE && config == PERF_COUNT_SW_TASK_CLOCK) {
		r.ev.unit = "msec";
		r.ev.is_clock = true;
	}
	return r;
}

/* @t's text with @d (its shadows made from the rows, wall time @wall_ns per unit). */
static char *render(struct stat_display *d, struct stat_table *t, double wall_ns)
{
	char *buf = NULL;
	size_t len = 0;

	for (int u = 0; u < t->nr_units; u++) {
		stat_shadow__reset(&t->shadows[u], wall_ns);
		for (int i = 0; i < t->nr_events; i++)
			stat_shadow__add(&t->shadows[u], &t->rows[i * t->nr_units + u]);
	}
	d->out = open_memstream(&buf, &len);
	stat_display__table(d, t);
	fclose(d->out);
	return buf;
}

static void test_perf_metrics_std_csv(void **state)
{
	struct stat_row rows[] = {
		row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1e9),
		row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 100),
		row_of("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 3e9),
		row_of("instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 6e9),
		row_of("branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 1e9),
		row_of("branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 2e7),
	};
	struct stat_shadow sh;
	struct stat_unit unit = { .cpu = -1, .nr_cpus = 1 };
	struct stat_table t = { .nr_events = 6, .nr_units = 1, .rows = rows, .shadows = &sh, .units = &unit };
	struct stat_display d = { .mode = STAT_OUT_STD, .metric_only = true, .run_count = 1 };
	char *out;

	(void)state;
	/* 3 GHz, 2 insn per cycle, 2% of the branches missed; CPUs utilized and the rates left out.
	 * perf's widths: a header 20 wide, a value as wide as a longer unit + 1 (30 here) */
	out = render(&d, &t, 1e9);
	assert_string_equal(out,
		"                 GHz       insn per cycle branch-misses of all branches \n"
		"               3.000                2.00                           2.00% \n");
	free(out);
	d.mode = STAT_OUT_CSV;
	d.sep = ";";
	out = render(&d, &t, 1e9);
	assert_string_equal(out, "GHz;insn per cycle;branch-misses of all branches;\n3.000;2.00;2.00;\n");
	free(out);
	/* a PMU event not counted: an empty column of its own, headed or not (perf 6.1's) */
	rows[3].supported = rows[4].supported = false;
	out = render(&d, &t, 1e9);
	assert_string_equal(out, "GHz;insn per cycle;branch-misses of all branches;\n3.000;;;;\n");
	free(out);
}

static void test_M_per_cpu_csv_json_interval(void **state)
{
	const struct stat_metric_def *m[4];
	char bad[64];
	int n = stat_metrics__resolve("cpus_utilized,page_faults_per_sec", m, 4, bad, sizeof(bad));
	struct stat_row rows[4] = {
		row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 500e6),
		row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 250e6),
		row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1000),
		row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 10),
	};
	struct stat_shadow sh[2];
	struct stat_unit units[2] = { { .cpu = 0, .nr_cpus = 1 }, { .cpu = 1, .nr_cpus = 1 } };
	struct stat_table t = { .nr_events = 2, .nr_units = 2, .rows = rows, .shadows = sh, .units = units };
	struct stat_display d = { .mode = STAT_OUT_CSV, .sep = ",", .aggr = STAT_AGGR_NONE, .metric_only = true,
				  .metrics = m, .nr_metrics = n, .run_count = 1 };
	char *out;

	(void)state;
	assert_int_equal(n, 2);
	for (int u = 0; u < 2; u++)
		rows[u].cpu = rows[2 + u].cpu = u;
	/* 0.5 s of 1 s on CPU0: 0.500, 1000 faults / 0.5 s of task-clock = 2000/sec */
	out = render(&d, &t, 1e9);
	assert_string_equal(out, "cpu,cpus_utilized,page_faults_per_sec,\n"
				 "CPU0,0.500,2000.00,\nCPU1,0.250,40.00,\n");
	free(out);
	d.mode = STAT_OUT_JSON;
	out = render(&d, &t, 1e9);
	assert_string_equal(out, "{\"cpu\" : \"0\", \"cpus_utilized\" : \"0.500\", \"page_faults_per_sec\" : \"2000.00\"}\n"
				 "{\"cpu\" : \"1\", \"cpus_utilized\" : \"0.250\", \"page_faults_per_sec\" : \"40.00\"}\n");
	free(out);
	/* -I: the time first, the header once per 25 intervals */
	d.mode = STAT_OUT_CSV;
	d.interval = true;
	for (int i = 0; i < 4; i++)
		rows[i].ts = 1.5;
	out = render(&d, &t, 1e9);
	assert_string_equal(out, " time,cpu,cpus_utilized,page_faults_per_sec,\n"
				 "     1.500000000,CPU0,0.500,2000.00,\n     1.500000000,CPU1,0.250,40.00,\n");
	free(out);
	out = render(&d, &t, 1e9);
	assert_null(strstr(out, " time,"));
	free(out);
	/* a metric without its events' counts: an empty field (CSV), "none" (JSON) */
	d.interval = false;
	rows[1].counted = false;
	out = render(&d, &t, 1e9);
	assert_non_null(strstr(out, "\nCPU1,,,\n"));
	free(out);
	d.mode = STAT_OUT_JSON;
	out = render(&d, &t, 1e9);
	assert_non_null(strstr(out, "{\"cpu\" : \"1\", \"cpus_utilized\" : \"none\", \"page_faults_per_sec\" : \"none\"}\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_metrics_std_csv),
		cmocka_unit_test(test_M_per_cpu_csv_json_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
