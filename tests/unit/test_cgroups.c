/* Unit tests of the cgroup names of a recording (report/session/cgroups.c: PERF_RECORD_CGROUP
 * bodies in, id -> path out, a later record of an id renaming it, short bodies refused) and
 * of preport's cgroup sort key (report/hist/sort.c: perf's cells "N/A" for a sample without a
 * cgroup and "unknown" for an id no record named, entries told apart by id). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "report/hist/sort.h"
#include "report/session/cgroups.h"

static size_t body(uint8_t *b, uint64_t id, const char *path)
{
	size_t n = strlen(path) + 1;

	memcpy(b, &id, 8);
	memcpy(b + 8, path, n);
	memset(b + 8 + n, 0, 8);	/* padding and a sample_id trailer after the NUL */
	return 8 + n + 8;
}

static void test_table(void **state)
{
	struct cgroups *c = cgroups__new();
	uint8_t b[256];

	(void)state;
	assert_non_null(c);
	assert_null(cgroups__name(c, 1));
	assert_int_equal(cgroups__add_record(c, b, body(b, 1, "/")), 0);
	assert_int_equal(cgroups__add_record(c, b, body(b, 329, "/system.slice/a.service")), 0);
	assert_string_equal(cgroups__name(c, 1), "/");
	assert_string_equal(cgroups__name(c, 329), "/system.slice/a.service");
	assert_null(cgroups__name(c, 2));
	assert_int_equal(cgroups__add_record(c, b, body(b, 329, "/renamed")), 0);
	assert_string_equal(cgroups__name(c, 329), "/renamed");
	assert_int_equal(cgroups__add_record(c, b, 8), -EINVAL);
	/* a path that runs to the end of the record without a NUL stops there */
	memcpy(b, &(uint64_t){ 7 }, 8);
	memcpy(b + 8, "/abc", 4);
	assert_int_equal(cgroups__add_record(c, b, 12), 0);
	assert_string_equal(cgroups__name(c, 7), "/abc");
	assert_null(cgroups__name(NULL, 1));
	cgroups__free(c);
	cgroups__free(NULL);
}

static void test_sort_key(void **state)
{
	struct sort_list l;
	struct hist_key none = { 0 }, named = { .cgroup_id = 329, .cgroup = "/a" },
			unnamed = { .cgroup_id = 5 }, same = { .cgroup_id = 329, .cgroup = "/a" };
	char buf[64], err[128];

	(void)state;
	assert_int_equal(sort_list__parse(&l, "cgroup", err, sizeof(err)), 0);
	assert_string_equal(sort_key__header(SK_CGROUP), "Cgroup");
	sort_key__snprintf(SK_CGROUP, &none, buf, sizeof(buf), 6, true, NULL);
	assert_string_equal(buf, "N/A");
	sort_key__snprintf(SK_CGROUP, &unnamed, buf, sizeof(buf), 6, true, NULL);
	assert_string_equal(buf, "unknown");
	sort_key__snprintf(SK_CGROUP, &named, buf, sizeof(buf), 6, true, NULL);
	assert_string_equal(buf, "/a");
	assert_int_equal(sort_key__len(SK_CGROUP, &unnamed, true), 7);
	assert_true(hist_key__equal(&l, &named, &same));
	assert_false(hist_key__equal(&l, &named, &unnamed));
	assert_int_equal(hist_key__hash(&l, &named), hist_key__hash(&l, &same));
	/* perf's comparator is right - left, and its output tree puts an entry first when the
	 * comparison with another is positive: ties in ascending id */
	assert_true(hist_key__cmp(&l, &unnamed, &named, true) < 0);
	assert_true(hist_key__cmp(&l, &named, &unnamed, true) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sort_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
