/* Unit tests of the per-event terms (sampler/event_terms.c), the register names of
 * --user-regs/--intr-regs (sampler/regs.c) and --switch-output's file names and rotation
 * (sampler/switch_output.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/event_terms.h"
#include "sampler/regs.h"
#include "sampler/switch_output.h"
#include "util/error.h"

static void test_terms(void **state)
{
	struct evsel_cfg cfg = { 0 };
	struct error err = { 0 };
	char name[64] = "", rest[128];

	(void)state;
	assert_int_equal(event_terms__split("period=1000,max-stack=3,no-inherit,name=foo", &cfg, name,
					    sizeof(name), NULL, 0, &err), 0);
	assert_true(cfg.period_set && cfg.period == 1000 && !cfg.freq_set);
	assert_int_equal(cfg.max_stack, 3);
	assert_true(cfg.no_inherit);
	assert_string_equal(name, "foo");
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(event_terms__split("call-graph=dwarf,4096,freq=99", &cfg, NULL, 0, NULL, 0, &err), 0);
	assert_int_equal(cfg.call_graph, EVSEL_CG_DWARF);
	assert_int_equal(cfg.stack_size, 4096);
	assert_true(cfg.freq_set && cfg.freq == 99);
	assert_int_equal(event_terms__split("call-graph=no", &cfg, NULL, 0, NULL, 0, &err), 0);
	assert_int_equal(cfg.call_graph, EVSEL_CG_NONE);
	/* a PMU's own terms go to rest, in order */
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(event_terms__split("event=0x3c,period=5,umask=1", &cfg, NULL, 0, rest, sizeof(rest),
					    &err), 0);
	assert_string_equal(rest, "event=0x3c,umask=1");
	assert_true(cfg.period_set && cfg.period == 5);
	/* errors name the term and its place */
	assert_int_equal(event_terms__split("period=1,bogus=2", &cfg, NULL, 0, NULL, 0, &err), -EINVAL);
	assert_int_equal(err.pos, 9);
	assert_non_null(strstr(err.msg, "unknown term 'bogus=2'"));
	assert_int_equal(event_terms__split("max-stack=x", &cfg, NULL, 0, NULL, 0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'max-stack=x'"));
	assert_int_equal(event_terms__split("period=0", &cfg, NULL, 0, NULL, 0, &err), -EINVAL);
	assert_int_equal(event_terms__split("call-graph=lbr2", &cfg, NULL, 0, NULL, 0, &err), -EINVAL);
	assert_int_equal(event_terms__split("call-graph=dwarf,70000", &cfg, NULL, 0, NULL, 0, &err), -EINVAL);
}

static void test_regs(void **state)
{
	uint64_t m;
	char bad[16], list[256];

	(void)state;
	assert_int_equal(regs__default_mask(), 0xff0fffULL);
	assert_int_equal(regs__parse("ax,BX,r15", &m, bad, sizeof(bad)), 0);
	assert_int_equal(m, 0x800003ULL);
	assert_int_equal(regs__parse("ax,zz", &m, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "zz");
	regs__list(list, sizeof(list));
	assert_non_null(strstr(list, "AX BX CX"));
	assert_non_null(strstr(list, "R15"));
}

static void test_switch_files(void **state)
{
	struct switch_files f = { .max = 2 };
	char dir[] = "/tmp/test_switch.XXXXXX", base[64], name[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s/perf.data", dir);
	assert_int_equal(switch_output__name(base, name, sizeof(name)), 0);
	/* base, a dot, 14 digits of local time and 2 of hundredths */
	assert_int_equal(strlen(name), strlen(base) + 17);
	assert_int_equal(strspn(name + strlen(base) + 1, "0123456789"), 16);
	assert_int_equal(switch_output__name(base, name, 10), -ENAMETOOLONG);
	for (int i = 0; i < 3; i++) {
		FILE *fp;

		snprintf(name, sizeof(name), "%s.%d", base, i);
		fp = fopen(name, "w");
		assert_non_null(fp);
		fclose(fp);
		assert_int_equal(switch_files__add(&f, name), 0);
	}
	/* only the newest two are kept */
	snprintf(name, sizeof(name), "%s.0", base);
	assert_int_not_equal(access(name, F_OK), 0);
	snprintf(name, sizeof(name), "%s.1", base);
	assert_int_equal(access(name, F_OK), 0);
	assert_int_equal(f.nr, 2);
	for (size_t i = 0; i < f.nr; i++)
		unlink(f.names[i]);
	switch_files__free(&f);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_regs),
		cmocka_unit_test(test_switch_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
