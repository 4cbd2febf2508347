/* Unit tests of pstat's aggregation units on a made-up sysfs CPU tree (sampler/stat_aggr.c
 * through stat_aggr__map_at): --per-cache's units of each level (the highest by default), their
 * order by id, a cache without an id file named by the first CPU sharing it, a level or a cache
 * directory that is not there refused with -ENOENT; --per-core and --per-socket on the same tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sampler/cpumap.h"
#include "sampler/stat_aggr.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void cache(int cpu, int index, int level, int id, const char *shared)
{
	char rel[128], val[16];

	snprintf(rel, sizeof(rel), "cpu%d/cache/index%d/level", cpu, index);
	snprintf(val, sizeof(val), "%d\n", level);
	put(rel, val);
	snprintf(rel, sizeof(rel), "cpu%d/cache/index%d/shared_cpu_list", cpu, index);
	put(rel, shared);
	if (id < 0)
		return;
	snprintf(rel, sizeof(rel), "cpu%d/cache/index%d/id", cpu, index);
	snprintf(val, sizeof(val), "%d\n", id);
	put(rel, val);
}

/* 6 CPUs, 3 cores of 2 threads. Socket 0: CPUs 0-3, L1d/L1i/L2 per core (index0-2, ids 0, 1),
 * L3 (index3): CPUs 0-1 id 1, CPUs 2-3 id 0 (the units go by id, not by CPU). Socket 1: CPUs
 * 4-5, core 2, an L3 without an id file (shared_cpu_list 4-5). */
static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_stat_aggr.XXXXXX");
	assert_non_null(mkdtemp(root));
	for (int c = 0; c < 6; c++) {
		char rel[128], val[16];
		const char *core_cpus = c < 2 ? "0-1\n" : c < 4 ? "2-3\n" : "4-5\n";

		snprintf(rel, sizeof(rel), "cpu%d/topology/physical_package_id", c);
		put(rel, c < 4 ? "0\n" : "1\n");
		snprintf(rel, sizeof(rel), "cpu%d/topology/die_id", c);
		put(rel, "0\n");
		snprintf(rel, sizeof(rel), "cpu%d/topology/core_id", c);
		snprintf(val, sizeof(val), "%d\n", c / 2);
		put(rel, val);
		cache(c, 0, 1, c / 2, core_cpus);	/* L1d */
		cache(c, 1, 1, c / 2, core_cpus);	/* L1i */
		cache(c, 2, 2, c / 2, core_cpus);
		cache(c, 3, 3, c < 2 ? 1 : c < 4 ? 0 : -1, c < 4 ? (c < 2 ? "0-1\n" : "2-3\n") : "4-5\n");
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static struct cpu_map *cpus(int n)
{
	struct cpu_map *m = malloc(sizeof(*m) + n * sizeof(int));

	m->nr = n;
	for (int i = 0; i < n; i++)
		m->cpu[i] = i;
	return m;
}

static struct thread_map any_task = { .nr = 1 };

static void check_unit(const struct stat_aggr_map *m, int u, int s, int d, int l, int id, int nr)
{
	assert_int_equal(m->units[u].id[0], s);
	assert_int_equal(m->units[u].id[1], d);
	assert_int_equal(m->units[u].id[2], l);
	assert_int_equal(m->units[u].id[3], id);
	assert_int_equal(m->units[u].nr_cpus, nr);
}

static void test_per_cache_levels(void **state)
{
	struct cpu_map *c = cpus(6);
	struct stat_aggr_map m;

	(void)state;
	/* the highest level: L3, units by (socket, die, level, id) */
	assert_int_equal(stat_aggr__map_at(root, STAT_AGGR_CACHE, 0, c, &any_task, &m), 0);
	assert_int_equal(m.nr_units, 3);
	check_unit(&m, 0, 0, 0, 3, 0, 2);	/* CPUs 2-3 */
	check_unit(&m, 1, 0, 0, 3, 1, 2);	/* CPUs 0-1 */
	check_unit(&m, 2, 1, 0, 3, 4, 2);	/* no id file: the first CPU sharing it, 4 */
	assert_int_equal(m.unit_of[0], 1);
	assert_int_equal(m.unit_of[1], 1);
	assert_int_equal(m.unit_of[2], 0);
	assert_int_equal(m.unit_of[5], 2);
	stat_aggr_map__exit(&m);
	/* --per-cache=L2 and =L1: per core */
	for (int lv = 1; lv <= 2; lv++) {
		assert_int_equal(stat_aggr__map_at(root, STAT_AGGR_CACHE, lv, c, &any_task, &m), 0);
		assert_int_equal(m.nr_units, 3);
		check_unit(&m, 0, 0, 0, lv, 0, 2);
		check_unit(&m, 1, 0, 0, lv, 1, 2);
		check_unit(&m, 2, 1, 0, lv, 2, 2);
		stat_aggr_map__exit(&m);
	}
	/* a level this tree has not */
	assert_int_equal(stat_aggr__map_at(root, STAT_AGGR_CACHE, 4, c, &any_task, &m), -ENOENT);
	free(c);
}

static void test_no_cache_dir(void **state)
{
	struct cpu_map *c = cpus(1);
	struct stat_aggr_map m;
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/bare/cpu0/topology'", root);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/bare", root);
	assert_int_equal(stat_aggr__map_at(cmd, STAT_AGGR_CACHE, 0, c, &any_task, &m), -ENOENT);
	/* the other modes do without it */
	assert_int_equal(stat_aggr__map_at(cmd, STAT_AGGR_SOCKET, 0, c, &any_task, &m), 0);
	assert_int_equal(m.nr_units, 1);
	stat_aggr_map__exit(&m);
	free(c);
}

static void test_core_socket(void **state)
{
	struct cpu_map *c = cpus(6);
	struct stat_aggr_map m;

	(void)state;
	assert_int_equal(stat_aggr__map_at(root, STAT_AGGR_CORE, 0, c, &any_task, &m), 0);
	assert_int_equal(m.nr_units, 3);
	assert_int_equal(m.units[2].id[0], 1);	/* socket 1 */
	assert_int_equal(m.units[2].id[2], 2);	/* core 2 */
	stat_aggr_map__exit(&m);
	assert_int_equal(stat_aggr__map_at(root, STAT_AGGR_SOCKET, 0, c, &any_task, &m), 0);
	assert_int_equal(m.nr_units, 2);
	assert_int_equal(m.units[0].nr_cpus, 4);
	assert_int_equal(m.units[1].nr_cpus, 2);
	stat_aggr_map__exit(&m);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_cache_levels),
		cmocka_unit_test(test_no_cache_dir),
		cmocka_unit_test(test_core_socket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
