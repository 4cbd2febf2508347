/* Unit tests of the namespace-pids section (perfdata/nspid.c: written, read back from a file,
 * none written for no entry, a short or foreign section refused), of preport's table of it
 * (report/hist/nspid.c: host tid -> tid inside) and of the nspid sort key (report/hist/sort.c:
 * the tid inside when known, the host's otherwise). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "perfdata/format.h"
#include "perfdata/nspid.h"
#include "perfdata/reader.h"
#include "perfdata/writer.h"
#include "report/hist/nspid.h"
#include "report/hist/sort.h"
#include "util/error.h"

static struct pd_reader *write_file(char *path, const struct pd_nspid *e, size_t nr)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = 128,
					.sample_type = PERF_SAMPLE_IP };
	uint64_t id = 1;
	struct pd_event_desc desc = { &attr, &id, 1, "cpu-clock" };
	struct perf_event_header round = { .type = 68, .size = 8 };	/* FINISHED_ROUND */
	struct error err = { .code = 0 };
	struct pd_writer *w;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	w = pd_writer__new(path);
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, &desc, 1), 0);
	assert_int_equal(pd_writer__write(w, &round, sizeof(round)), 0);
	assert_int_equal(pd_nspid__write(w, e, nr), 0);
	assert_int_equal(pd_writer__finish(w), 0);
	pd_writer__free(w);
	return pd_reader__open(path, &err);
}

static void test_section(void **state)
{
	char path[] = "/tmp/test_nspid.XXXXXX";
	const struct pd_nspid in[] = {
		{ .pid = 4000, .tid = 4000, .nspid = 1, .nstid = 1, .pidns_ino = 4026532174ULL },
		{ .pid = 4000, .tid = 4003, .nspid = 1, .nstid = 2, .pidns_ino = 4026532174ULL },
	};
	struct pd_reader *r = write_file(path, in, 2);
	struct hist_nspids *t;
	struct pd_nspid out;
	uint64_t size = 0;
	const void *sec;

	(void)state;
	assert_non_null(r);
	sec = pd_reader__feature(r, PD_FEAT_NS_PIDS, &size);
	assert_non_null(sec);
	assert_int_equal(pd_nspid__count(sec, (size_t)size), 2);
	pd_nspid__get(sec, 1, &out);
	assert_memory_equal(&out, &in[1], sizeof(out));
	assert_int_equal(pd_nspid__count(sec, (size_t)size - 1), -EBADMSG);
	assert_int_equal(pd_nspid__count(sec, 8), -EBADMSG);
	t = hist_nspids__new(r);
	assert_non_null(t);
	assert_int_equal(hist_nspids__nstid(t, 4000), 1);
	assert_int_equal(hist_nspids__nstid(t, 4003), 2);
	assert_int_equal(hist_nspids__nstid(t, 4001), 0);
	hist_nspids__free(t);
	pd_reader__close(r);
	unlink(path);
}

static void test_none(void **state)
{
	char path[] = "/tmp/test_nspid.XXXXXX";
	struct pd_reader *r = write_file(path, NULL, 0);
	struct hist_nspids *t;
	uint64_t size = 0;

	(void)state;
	assert_non_null(r);
	assert_null(pd_reader__feature(r, PD_FEAT_NS_PIDS, &size));
	t = hist_nspids__new(r);
	assert_non_null(t);
	assert_int_equal(hist_nspids__nstid(t, 1), 0);
	hist_nspids__free(t);
	hist_nspids__free(NULL);
	pd_reader__close(r);
	unlink(path);
}

static void test_sort_key(void **state)
{
	struct hist_key inside = { .tid = 4000, .nstid = 1 }, host = { .tid = 812 };
	struct sort_list l;
	char buf[64], err[128];

	(void)state;
	assert_int_equal(sort_list__parse(&l, "pid,nspid", err, sizeof(err)), 0);
	assert_true(l.has[SK_NSPID]);
	assert_string_equal(sort_key__header(SK_NSPID), " NS-Pid:Command");
	sort_key__value(SK_NSPID, &inside, buf, sizeof(buf), true);
	assert_string_equal(buf, "1:");
	sort_key__value(SK_NSPID, &host, buf, sizeof(buf), true);
	assert_string_equal(buf, "812:");
	sort_key__snprintf(SK_NSPID, &inside, buf, sizeof(buf), 8, true, NULL);
	assert_string_equal(buf, "      1:");
	assert_true(hist_key__cmp(&l, &inside, &host, true) != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_section),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_sort_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
