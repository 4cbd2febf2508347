/* Unit tests of counting arithmetic and perf stat's layouts (report/stat/display.c, util/stats.c,
 * counts__scaled, the shadows of sampler/stat.c): hardware-counter metrics fed through the real
 * code, since this VM has no PMU. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/stat/display.h"
#include "util/stats.h"
#include "sampler/evlist.h"

static struct stat_row row_of(const char *name, uint32_t type, uint64_t config, double val)
{
	struct stat_row r = {
		.ev = { .name = name, .unit = "", .type = type, .config = config },
		.supported = true, .counted = true, .val = val, .ena = 1000, .run = 1000, .cpu = -1,
	};

	if (type == PERF_TYPE_SOFTWARE && (config == PERF_COUNT_SW_TASK_CLOCK || config == PERF_COUNT_SW_CPU_CLOCK)) {
		r.ev.unit = "msec";
		r.ev.is_clock = true;
	}
	return r;
}

/* Print rows[] as one unit (shared shadow) and return the text. */
static char *render(struct stat_display *d, struct stat_row *rows, int n, double wall_ns)
{
	struct stat_shadow sh;
	char *buf = NULL;
	size_t len = 0;

	d->out = open_memstream(&buf, &len);
	stat_shadow__reset(&sh, wall_ns);
	for (int i = 0; i < n; i++)
		stat_shadow__add(&sh, &rows[i]);
	for (int i = 0; i < n; i++) {
		struct stat_unit u = { .cpu = rows[i].cpu, .nr_cpus = 1 };

		stat_display__row(d, &rows[i], &sh, &u);
	}
	fclose(d->out);
	return buf;
}

static void test_ipc_ghz_branch_miss(void **state)
{
	struct stat_display d = { .mode = STAT_OUT_STD };
	struct stat_row rows[] = {
		row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 619000),
		row_of("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 2186529),
		row_of("instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 1725283),
		row_of("branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 353453),
		row_of("branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 12939),
	};
	char *out = render(&d, rows, 5, 932000);

	/* 619000 / 932000 = 0.664; 2186529 / 619000 ns = 3.532 GHz; 353453 / 0.619 ms = 571.006 M/sec; IPC 0.789; 3.661% */
	assert_non_null(strstr(out, "              0.62 msec task-clock                       #    0.664 CPUs utilized          \n"));
	assert_non_null(strstr(out, "           2186529      cycles                           #    3.532 GHz                    \n"));
	assert_non_null(strstr(out, "           1725283      instructions                     #    0.79  insn per cycle         \n"));
	assert_non_null(strstr(out, "            353453      branches                         #  571.006 M/sec                  \n"));
	assert_non_null(strstr(out, "             12939      branch-misses                    #    3.66% of all branches        \n"));
	free(out);
}

static void test_not_supported_and_not_counted(void **state)
{
	struct stat_display d = { .mode = STAT_OUT_STD };
	struct stat_row rows[] = {
		row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0),
		row_of("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0),
	};
	char *out;

	rows[0].counted = false;
	rows[0].run = 0;
	rows[1].supported = false;
	out = render(&d, rows, 2, 1e6);
	assert_string_equal(out,
		"     <not counted> msec task-clock                                                  \n"
		"   <not supported>      cycles                                                      \n");
	free(out);
}

static void test_multiplexing_scale_and_share(void **state)
{
	struct counts c = { .val = 1000, .ena = 400, .run = 100 };
	struct stat_display d = { .mode = STAT_OUT_STD };
	struct stat_row r = row_of("instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0);
	char *out;

	assert_true(fabs(counts__scaled(&c) - 4000.0) < 1e-9);
	c.run = 0;
	assert_true(counts__scaled(&c) == 0);
	c.run = c.ena = 400;
	assert_true(counts__scaled(&c) == 1000);

	r.val = 4000;
	r.ena = 400;
	r.run = 100;
	out = render(&d, &r, 1, 1e6);
	assert_non_null(strstr(out, "              4000      instructions"));
	assert_non_null(strstr(out, "  (25.00%)\n"));
	free(out);
}

static void test_stddev_and_noise(void **state)
{
	struct stats s;
	struct stat_display d = { .mode = STAT_OUT_STD, .run_count = 4 };
	struct stat_row r = row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 0);
	char *out;

	stats__init(&s);
	for (int i = 1; i <= 4; i++)
		stats__update(&s, i);
	assert_true(fabs(stats__mean(&s) - 2.5) < 1e-12);
	/* sample variance 5/3, of the mean (5/3)/4 */
	assert_true(fabs(stats__stddev(&s) - sqrt(5.0 / 12.0)) < 1e-12);
	assert_true(fabs(stats__rel_stddev(&s) - 100.0 * sqrt(5.0 / 12.0) / 2.5) < 1e-9);

	r.val = stats__mean(&s);
	r.noise_pct = stats__rel_stddev(&s);
	out = render(&d, &r, 1, 1e6);
	assert_non_null(strstr(out, "              2.50      page-faults"));
	assert_non_null(strstr(out, "  ( +- 25.82% )\n"));
	free(out);
}

static void test_csv_and_json(void **state)
{
	struct stat_display d = { .mode = STAT_OUT_CSV, .sep = ";" };
	struct stat_row rows[] = {
		row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1454051),
		row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 47),
		row_of("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0),
	};
	char *out;

	rows[0].run = rows[0].ena = 1454051;
	rows[2].supported = false;
	out = render(&d, rows, 3, 2653000);
	assert_string_equal(out,
		"1.45;msec;task-clock;1454051;100.00;0.548;CPUs utilized\n"
		"47;;page-faults;1000;100.00;32.323;K/sec\n"
		"<not supported>;;cycles;1000;100.00;;\n");
	free(out);

	d.mode = STAT_OUT_JSON;
	d.aggr = STAT_AGGR_NONE;
	rows[1].cpu = 1;
	out = render(&d, &rows[1], 1, 2653000);
	assert_string_equal(out,
		"{\"cpu\" : \"1\", \"counter-value\" : \"47.000000\", \"unit\" : \"\", \"event\" : \"page-faults\", "
		"\"event-runtime\" : 1000, \"pcnt-running\" : 100.00, \"metric-value\" : 0.000000, \"metric-unit\" : \"\"}\n");
	free(out);
}

static void test_footer(void **state)
{
	struct stat_display d = { .mode = STAT_OUT_STD, .run_count = 3 };
	char *buf = NULL;
	size_t len = 0;

	d.out = open_memstream(&buf, &len);
	stat_display__footer(&d, 0.002859, 0.000362, false, 0, 0);
	fclose(d.out);
	/* precision follows the stddev's magnitude: 4 digits + 2 */
	assert_string_equal(buf, "\n          0.002859 +- 0.000362 seconds time elapsed  ( +- 12.66% )\n\n");
	free(buf);
}

/* A -A table: event-major rows, each unit's metrics from its own shadow. */
static void test_table_per_cpu(void **state)
{
	struct stat_display d = { .mode = STAT_OUT_CSV, .sep = ",", .aggr = STAT_AGGR_NONE };
	struct stat_row rows[4] = {
		row_of("cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 100e6),
		row_of("cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 50e6),
		row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1000),
		row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1000),
	};
	struct stat_shadow sh[2];
	struct stat_unit units[2] = { { .cpu = 0, .nr_cpus = 1 }, { .cpu = 1, .nr_cpus = 1 } };
	struct stat_table t = { .nr_events = 2, .nr_units = 2, .rows = rows, .shadows = sh, .units = units };
	char *buf = NULL;
	size_t len = 0;

	for (int u = 0; u < 2; u++) {
		rows[u].cpu = rows[2 + u].cpu = u;
		stat_shadow__reset(&sh[u], 200e6);
		stat_shadow__add(&sh[u], &rows[u]);
		stat_shadow__add(&sh[u], &rows[2 + u]);
	}
	d.out = open_memstream(&buf, &len);
	stat_display__table(&d, &t);
	fclose(d.out);
	assert_string_equal(buf,
		"CPU0,100.00,msec,cpu-clock,1000,100.00,0.500,CPUs utilized\n"
		"CPU1,50.00,msec,cpu-clock,1000,100.00,0.250,CPUs utilized\n"
		"CPU0,1000,,page-faults,1000,100.00,10.000,K/sec\n"
		"CPU1,1000,,page-faults,1000,100.00,20.000,K/sec\n");
	free(buf);
}

/* -I: the column header before the first interval and again every 25 lines of intervals. */
static void test_interval_header(void **state)
{
	struct stat_display d = { .mode = STAT_OUT_STD, .interval = true, .run_count = 1 };
	struct stat_row r = row_of("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 5);
	struct stat_shadow sh;
	struct stat_unit unit = { .cpu = -1, .nr_cpus = 1 };
	struct stat_table t = { .nr_events = 1, .nr_units = 1, .rows = &r, .shadows = &sh, .units = &unit };
	char *buf = NULL, *p;
	size_t len = 0;
	int headers = 0;

	stat_shadow__reset(&sh, 1e8);
	r.ts = 0.1;
	d.out = open_memstream(&buf, &len);
	for (int i = 0; i < 26; i++)
		stat_display__interval(&d, &t);
	fclose(d.out);
	for (p = buf; (p = strstr(p, "#           time             counts unit events\n")); p++)
		headers++;
	assert_int_equal(headers, 2);
	assert_non_null(strstr(buf, "     0.100000000                  5      page-faults"));
	free(buf);
}

/* The end of a run: the target line, the rows, the footer; --syscalls busiest first. */
static void test_result(void **state)
{
	char *argv[] = { "sh", "-c", "exit 3", NULL };
	struct stat_opts o = { .argv = argv };
	struct stat_display d = { .mode = STAT_OUT_STD, .run_count = 1 };
	struct stat_row r = row_of("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 2e6);
	struct stat_shadow sh;
	struct stat_syscall sc[] = { { "read", 3 }, { "write", 7 }, { "close", 0 } };
	struct stat_result res = {
		.table = { .nr_events = 1, .nr_units = 1, .rows = &r, .shadows = &sh },
		.syscalls = sc, .nr_syscalls = 3, .have_rusage = true, .user_s = 0.001, .sys_s = 0.002,
	};
	char *buf = NULL;
	size_t len = 0;

	stats__init(&res.wall);
	stats__update(&res.wall, 4e6);
	stat_shadow__reset(&sh, 4e6);
	stat_shadow__add(&sh, &r);
	d.out = open_memstream(&buf, &len);
	stat_display__result(&d, &o, &res);
	fclose(d.out);
	assert_string_equal(buf,
		"\n Performance counter stats for 'sh -c exit 3':\n\n"
		"              2.00 msec task-clock                       #    0.500 CPUs utilized          \n"
		"\n       0.004000000 seconds time elapsed\n\n"
		"       0.001000000 seconds user\n       0.002000000 seconds sys\n\n\n");
	free(buf);

	o.syscalls = true;
	d.mode = STAT_OUT_CSV;
	d.sep = ";";
	buf = NULL;
	d.out = open_memstream(&buf, &len);
	stat_display__result(&d, &o, &res);
	fclose(d.out);
	assert_string_equal(buf, "write;7\nread;3\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipc_ghz_branch_miss),
		cmocka_unit_test(test_not_supported_and_not_counted),
		cmocka_unit_test(test_multiplexing_scale_and_share),
		cmocka_unit_test(test_stddev_and_noise),
		cmocka_unit_test(test_csv_and_json),
		cmocka_unit_test(test_footer),
		cmocka_unit_test(test_table_per_cpu),
		cmocka_unit_test(test_interval_header),
		cmocka_unit_test(test_result),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
