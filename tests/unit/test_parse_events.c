/* Unit tests of the event grammar (sampler/parse_events.c, event_names.c, pmu.c, cpumap.c). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <cmocka.h>

#include "sampler/cpumap.h"
#include "sampler/evlist.h"
#include "sampler/pmu.h"
#include "sampler/tracefs.h"
#include "util/cpulist.h"
#include "util/error.h"

static struct evlist *parse_ok(const char *spec)
{
	struct evlist *evlist = evlist__new();
	struct error err = { 0 };
	int ret;

	assert_non_null(evlist);
	ret = evlist__parse(evlist, spec, &err);
	if (ret)
		fail_msg("'%s' failed at %d: %s", spec, err.pos, err.msg);
	return evlist;
}

static int parse_err(const char *spec, struct error *err)
{
	struct evlist *evlist = evlist__new();
	int ret = evlist__parse(evlist, spec, err);

	evlist__free(evlist);
	return ret;
}

static void test_hardware_and_software(void **state)
{
	struct evlist *e = parse_ok("cycles,cpu-cycles,instructions,branches,task-clock,cs,faults");

	assert_int_equal(e->nr, 7);
	assert_int_equal(e->entries[0]->attr.type, PERF_TYPE_HARDWARE);
	assert_int_equal(e->entries[0]->attr.config, PERF_COUNT_HW_CPU_CYCLES);
	assert_int_equal(e->entries[1]->attr.config, PERF_COUNT_HW_CPU_CYCLES);
	assert_int_equal(e->entries[2]->attr.config, PERF_COUNT_HW_INSTRUCTIONS);
	assert_int_equal(e->entries[3]->attr.config, PERF_COUNT_HW_BRANCH_INSTRUCTIONS);
	assert_int_equal(e->entries[4]->attr.type, PERF_TYPE_SOFTWARE);
	assert_int_equal(e->entries[4]->attr.config, PERF_COUNT_SW_TASK_CLOCK);
	assert_string_equal(e->entries[4]->unit, "msec");
	assert_int_equal(e->entries[5]->attr.config, PERF_COUNT_SW_CONTEXT_SWITCHES);
	assert_int_equal(e->entries[6]->attr.config, PERF_COUNT_SW_PAGE_FAULTS);
	assert_string_equal(e->entries[6]->name, "faults");
	evlist__free(e);
}

static void test_modifiers(void **state)
{
	struct evlist *e = parse_ok("cycles:u,instructions:k,branch-misses:uk,cycles:ppp");

	assert_string_equal(e->entries[0]->name, "cycles:u");
	assert_int_equal(e->entries[0]->attr.exclude_kernel, 1);
	assert_int_equal(e->entries[0]->attr.exclude_hv, 1);
	assert_int_equal(e->entries[0]->attr.exclude_user, 0);
	assert_int_equal(e->entries[1]->attr.exclude_user, 1);
	assert_int_equal(e->entries[1]->attr.exclude_kernel, 0);
	assert_int_equal(e->entries[2]->attr.exclude_user, 0);
	assert_int_equal(e->entries[2]->attr.exclude_kernel, 0);
	assert_int_equal(e->entries[2]->attr.exclude_hv, 1);
	assert_int_equal(e->entries[3]->attr.precise_ip, 3);
	evlist__free(e);
}

static void test_cache_and_raw(void **state)
{
	struct evlist *e = parse_ok("L1-dcache-load-misses,dTLB-stores,LLC-prefetch-misses,L1-icache-loads,r003c,r1a2B");

	assert_int_equal(e->entries[0]->attr.type, PERF_TYPE_HW_CACHE);
	assert_int_equal(e->entries[0]->attr.config,
			 PERF_COUNT_HW_CACHE_L1D | PERF_COUNT_HW_CACHE_OP_READ << 8 |
			 PERF_COUNT_HW_CACHE_RESULT_MISS << 16);
	assert_int_equal(e->entries[1]->attr.config,
			 PERF_COUNT_HW_CACHE_DTLB | PERF_COUNT_HW_CACHE_OP_WRITE << 8 |
			 PERF_COUNT_HW_CACHE_RESULT_ACCESS << 16);
	assert_int_equal(e->entries[2]->attr.config,
			 PERF_COUNT_HW_CACHE_LL | PERF_COUNT_HW_CACHE_OP_PREFETCH << 8 |
			 PERF_COUNT_HW_CACHE_RESULT_MISS << 16);
	assert_int_equal(e->entries[3]->attr.config, PERF_COUNT_HW_CACHE_L1I);
	assert_int_equal(e->entries[4]->attr.type, PERF_TYPE_RAW);
	assert_int_equal(e->entries[4]->attr.config, 0x3c);
	assert_int_equal(e->entries[5]->attr.config, 0x1a2b);
	evlist__free(e);
}

static void test_groups(void **state)
{
	struct evlist *e = parse_ok("task-clock,{cycles,instructions}:u,page-faults");

	assert_int_equal(e->nr, 4);
	assert_int_equal(e->entries[1]->leader_idx, 1);
	assert_int_equal(e->entries[2]->leader_idx, 1);
	assert_int_equal(e->entries[1]->nr_members, 2);
	assert_int_equal(e->entries[3]->leader_idx, 3);
	assert_string_equal(e->entries[2]->name, "instructions:u");
	assert_int_equal(e->entries[2]->attr.exclude_kernel, 1);
	evlist__free(e);
}

static void test_errors_point_at_bad_part(void **state)
{
	struct error err;

	assert_int_not_equal(parse_err("foo", &err), 0);
	assert_int_equal(err.pos, 0);
	assert_non_null(strstr(err.msg, "foo"));
	assert_int_not_equal(parse_err("cycles,instructions,bogus-event", &err), 0);
	assert_int_equal(err.pos, 20);
	assert_int_not_equal(parse_err("cycles:x", &err), 0);
	assert_int_equal(err.pos, 7);
	assert_non_null(strstr(err.msg, "modifier"));
	assert_int_not_equal(parse_err("{cycles,instructions", &err), 0);
	assert_int_not_equal(parse_err("cycles,", &err), 0);
	assert_int_not_equal(parse_err("nopmu/event=1/", &err), 0);
	assert_non_null(strstr(err.msg, "nopmu"));
	assert_int_not_equal(parse_err("", &err), 0);
}

static void test_pmu_terms(void **state)
{
	struct evlist *e;
	struct error err;

	if (!pmu__exists("msr"))
		skip();
	e = parse_ok("msr/tsc/,msr/event=0x1/,msr/config=0x2,name=two/");
	assert_string_equal(e->entries[0]->name, "msr/tsc/");
	assert_int_equal(e->entries[0]->attr.config, 0);
	assert_int_equal(e->entries[1]->attr.config, 1);
	assert_int_equal(e->entries[2]->attr.config, 2);
	assert_string_equal(e->entries[2]->name, "two");
	assert_int_not_equal(e->entries[0]->attr.type, PERF_TYPE_HARDWARE);
	evlist__free(e);
	assert_int_not_equal(parse_err("msr/bogus=1/", &err), 0);
	assert_int_equal(err.pos, 4);
}

static void test_format_apply(void **state)
{
	struct perf_event_attr attr = { 0 };

	assert_int_equal(pmu__format_apply("config:0-7,32-35", 0x1ff, &attr), 0);
	assert_int_equal(attr.config, 0xffULL | (1ULL << 32));
	assert_int_equal(pmu__format_apply("config1:4", 1, &attr), 0);
	assert_int_equal(attr.config1, 16);
	assert_int_equal(pmu__format_apply("config:0-3", 0x10, &attr), -ERANGE);
	assert_int_equal(pmu__format_apply("bogus:0-3", 1, &attr), -EINVAL);
}

static void test_tracepoints(void **state)
{
	struct evlist *e;
	int id;

	if (!tracefs__mountpoint())
		skip();
	id = tracefs__event_id("syscalls", "sys_enter_write");
	assert_true(id > 0);
	e = parse_ok("syscalls:sys_enter_write,sched:sched_switch*");
	assert_int_equal(e->entries[0]->attr.type, PERF_TYPE_TRACEPOINT);
	assert_int_equal(e->entries[0]->attr.config, (uint64_t)id);
	assert_string_equal(e->entries[0]->name, "syscalls:sys_enter_write");
	assert_string_equal(e->entries[1]->name, "sched:sched_switch");
	evlist__free(e);
	e = parse_ok("syscalls:sys_enter_w*");
	/* every match is a real tracepoint with its own id, in sorted order */
	assert_true(e->nr >= 2);
	for (int i = 1; i < e->nr; i++)
		assert_true(strcmp(e->entries[i - 1]->name, e->entries[i]->name) < 0);
	evlist__free(e);
}

static int count_cb(const char *sys, const char *name, int id, void *arg)
{
	int *n = arg;

	(void)sys;
	assert_int_equal(id, tracefs__event_id(sys, name));
	(*n)++;
	return 0;
}

/* The glob walk keeps its listing of events/: a second walk, and one after the listing is
 * forgotten, find what a fresh readdir of events/sched finds. */
static void test_tracepoint_walk(void **state)
{
	char path[512];
	struct dirent *de;
	int n1 = 0, n2 = 0, n3 = 0, want = 0;
	DIR *d;

	if (!tracefs__mountpoint())
		skip();
	snprintf(path, sizeof(path), "%s/events/sched", tracefs__mountpoint());
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && tracefs__event_id("sched", de->d_name) > 0)
			want++;
	closedir(d);
	assert_true(want > 5);
	assert_int_equal(tracefs__for_each_event("sched", "*", count_cb, &n1), want);
	assert_int_equal(tracefs__for_each_event("s?hed", "sched_*", count_cb, &n2), want);
	tracefs__forget_events();
	assert_int_equal(tracefs__for_each_event("sched", "*", count_cb, &n3), want);
	assert_int_equal(n1, want);
	assert_int_equal(n2, want);
	assert_int_equal(n3, want);
	assert_int_equal(tracefs__for_each_event("sched", "no_such_event", count_cb, &n1), 0);
	assert_int_equal(tracefs__for_each_event("no_such_sys*", "*", count_cb, &n1), 0);
	assert_int_equal(tracefs__for_each_event("sched", "sched_switch", count_cb, &n1), 1);
}

/* -C goes through util/cpulist.h's parser into a cpu_map. */
static void test_cpu_list(void **state)
{
	struct cpu_map *map = cpu_map__new("0-3,7,2");
	int cpus[16];

	assert_non_null(map);
	assert_int_equal(map->nr, 5);
	assert_int_equal(map->cpu[3], 3);
	assert_int_equal(map->cpu[4], 7);
	cpu_map__free(map);
	errno = 0;
	assert_null(cpu_map__new("3-1"));
	assert_int_equal(errno, EINVAL);
	assert_null(cpu_map__new("a"));
	assert_int_equal(errno, EINVAL);
	map = cpu_map__new(NULL);	/* the online CPUs */
	assert_non_null(map);
	assert_true(map->nr >= 1);
	cpu_map__free(map);
	assert_int_equal(cpulist__parse("0-100", cpus, 16), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hardware_and_software),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_cache_and_raw),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_errors_point_at_bad_part),
		cmocka_unit_test(test_pmu_terms),
		cmocka_unit_test(test_format_apply),
		cmocka_unit_test(test_tracepoints),
		cmocka_unit_test(test_tracepoint_walk),
		cmocka_unit_test(test_cpu_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
