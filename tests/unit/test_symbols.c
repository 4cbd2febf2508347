/* Unit tests of symbol tables and address spaces: perf's rules for aliases and zero-sized
 * symbols, binary-search lookup at the edges, JIT maps, demangling (C++ and PLT names),
 * map insertion cutting overlapped maps, and sample decoding bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "symbols/map.h"
#include "symbols/demangle.h"
#include "symbols/dso.h"

static struct dso *mkdso(struct dsos **ds, const char *name, enum dso_kind kind)
{
	struct dso *d;

	*ds = dsos__new();
	assert_non_null(*ds);
	d = dsos__findnew(*ds, name, kind);
	assert_non_null(d);
	d->loaded = true;
	return d;
}

static const char *name_at(struct dso *d, uint64_t addr, uint64_t *off)
{
	const struct symbol *s = dso__find_sym(d, addr, off);

	return s ? s->name : NULL;
}

static void test_kallsyms_aliases(void **state)
{
	struct dsos *ds;
	struct dso *d = mkdso(&ds, "[test.kallsyms]", DSO_JIT);
	uint64_t off;

	(void)state;
	/* kallsyms: no sizes; three aliases at one address, as memset on this kernel */
	dso__add_sym(d, 0x1000, 0, "a_first", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0, "memset", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0, "__memset", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0, "__pi_memset", STB_GLOBAL);
	dso__add_sym(d, 0x3000, 0, "z_last", STB_LOCAL);
	dso__fixup_syms(d, true);
	/* only the last alias keeps a size after end fix-up, so perf prints it */
	assert_string_equal(name_at(d, 0x200b, &off), "__pi_memset");
	assert_int_equal(off, 0xb);
	assert_string_equal(name_at(d, 0x1fff, &off), "a_first");
	assert_int_equal(off, 0xfff);
	assert_null(name_at(d, 0xfff, &off));
	assert_string_equal(name_at(d, 0x3fff, &off), "z_last");
	assert_null(name_at(d, 0x5000, &off));	/* last one ends at the next page + 4096 */
	dsos__free(ds);
}

static void test_elf_duplicate_rules(void **state)
{
	struct dsos *ds;
	struct dso *d = mkdso(&ds, "/x", DSO_JIT);
	uint64_t off;

	(void)state;
	dso__add_sym(d, 0x100, 0x10, "weak_one", STB_WEAK);
	dso__add_sym(d, 0x100, 0x10, "strong", STB_GLOBAL);
	dso__add_sym(d, 0x200, 0x10, "local_sym", STB_LOCAL);
	dso__add_sym(d, 0x200, 0x10, "global_sym", STB_GLOBAL);
	dso__add_sym(d, 0x300, 0x10, "__under", STB_GLOBAL);
	dso__add_sym(d, 0x300, 0x10, "plain", STB_GLOBAL);
	dso__add_sym(d, 0x400, 0x10, "short", STB_GLOBAL);
	dso__add_sym(d, 0x400, 0x10, "longer_name", STB_GLOBAL);
	dso__add_sym(d, 0x500, 0x10, "first", STB_GLOBAL);
	dso__add_sym(d, 0x500, 0x10, "secnd", STB_GLOBAL);
	dso__add_sym(d, 0x600, 0, "label", STB_GLOBAL);
	dso__add_sym(d, 0x700, 0x8, "after_gap", STB_GLOBAL);
	dso__fixup_syms(d, false);
	assert_string_equal(name_at(d, 0x105, &off), "strong");
	assert_string_equal(name_at(d, 0x205, &off), "global_sym");
	assert_string_equal(name_at(d, 0x305, &off), "plain");
	assert_string_equal(name_at(d, 0x405, &off), "longer_name");
	assert_string_equal(name_at(d, 0x505, &off), "first");
	assert_null(name_at(d, 0x510, &off));		/* a gap after a sized symbol */
	assert_string_equal(name_at(d, 0x6ff, &off), "label");	/* zero size reaches the next */
	assert_int_equal(off, 0xff);
	assert_null(name_at(d, 0x708, &off));
	dsos__free(ds);
}

static void test_demangle(void **state)
{
	struct symbol s = { .name = "_ZN2ns3AccIlE3addEl" };
	struct symbol p = { .name = "_ZNKSt5ctypeIwE19_M_initialize_ctypeEv@plt" };
	struct symbol c = { .name = "main" };
	char *d;

	(void)state;
	assert_string_equal(symbol__name(&s, true), "ns::Acc<long>::add");
	assert_string_equal(symbol__name(&s, false), "_ZN2ns3AccIlE3addEl");
	assert_string_equal(symbol__name(&p, true), "std::ctype<wchar_t>::_M_initialize_ctype@plt");
	assert_string_equal(symbol__name(&c, true), "main");
	free((char *)s.dname);
	free((char *)p.dname);
	d = demangle__sym("not_mangled");
	assert_null(d);
}

static void test_jit_map(void **state)
{
	char path[64];
	struct dsos *ds;
	struct dso *d;
	uint64_t off;
	FILE *f;
	int fd;

	(void)state;
	strcpy(path, "/tmp/perf-unit.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "7f0000001000 40 jitted_add\n0x7f0000002000 0x20 Interp::run(int)\nbroken line\n");
	fclose(f);
	ds = dsos__new();
	d = dsos__findnew(ds, path, DSO_JIT);
	assert_string_equal(name_at(d, 0x7f0000001010, &off), "jitted_add");
	assert_int_equal(off, 0x10);
	assert_string_equal(name_at(d, 0x7f000000201f, &off), "Interp::run(int)");
	assert_null(name_at(d, 0x7f0000001040, &off));
	dsos__free(ds);
	unlink(path);
}

static struct map mk(uint64_t s, uint64_t e, uint64_t pgoff)
{
	return (struct map){ .start = s, .end = e, .pgoff = pgoff };
}

static void test_maps_cut(void **state)
{
	struct maps *m = maps__new(), *c;
	struct map a = mk(0x1000, 0x5000, 0), b = mk(0x2000, 0x3000, 0x10000);
	const struct map *f;

	(void)state;
	assert_int_equal(maps__insert(m, &a), 0);
	assert_int_equal(maps__insert(m, &b), 0);	/* splits a in two */
	assert_int_equal(m->nr, 3);
	f = maps__find(m, 0x1fff);
	assert_int_equal(f->start, 0x1000);
	assert_int_equal(f->end, 0x2000);
	f = maps__find(m, 0x2800);
	assert_int_equal(f->pgoff, 0x10000);
	assert_int_equal(map__map_ip(f, 0x2800), 0x10800);
	f = maps__find(m, 0x3000);
	assert_int_equal(f->start, 0x3000);
	assert_int_equal(f->pgoff, 0x2000);	/* the tail keeps its file offsets */
	assert_int_equal(map__map_ip(f, 0x3010), 0x2010);
	assert_null(maps__find(m, 0x5000));
	assert_null(maps__find(m, 0xfff));
	/* a map covering everything replaces all three */
	a = mk(0x0, 0x10000, 0);
	c = maps__clone(m);
	assert_int_equal(maps__insert(m, &a), 0);
	assert_int_equal(m->nr, 1);
	assert_int_equal(c->nr, 3);			/* the clone is independent */
	maps__put(c);
	maps__put(m);
}

static void test_sample_bounds(void **state)
{
	struct pd_evsel e = { .attr = { .sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
					PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_RAW | PERF_SAMPLE_REGS_USER |
					PERF_SAMPLE_STACK_USER, .sample_regs_user = 0x7 } };
	uint64_t buf[32] = { 0 };
	struct perf_event_header *h = (void *)buf;
	struct pd_sample s;
	uint32_t bad;
	int i = 1;

	(void)state;
	buf[i++] = 0x1234;			/* ip */
	buf[i++] = 5 | (6ULL << 32);		/* pid, tid */
	buf[i++] = 2;				/* callchain nr */
	buf[i++] = PERF_CONTEXT_USER;
	buf[i++] = 0x1234;
	buf[i++] = 4;				/* raw size 4 + 4 bytes */
	buf[i++] = 0;				/* abi 0: no regs */
	buf[i++] = 0;				/* stack size 0: nothing more */
	h->type = PERF_RECORD_SAMPLE;
	h->size = (uint16_t)(i * 8);
	assert_int_equal(pd_sample__parse(&e, h, &s, &bad), 0);
	assert_int_equal(s.ip, 0x1234);
	assert_int_equal(s.tid, 6);
	assert_int_equal(s.callchain_nr, 2);
	assert_int_equal(s.raw_size, 4);
	assert_null(s.regs_user);
	assert_int_equal(s.stack_size, 0);
	/* a callchain claiming more entries than the record holds */
	buf[3] = 1000;
	assert_int_equal(pd_sample__parse(&e, h, &s, &bad), -EBADMSG);
	assert_int_equal(bad, 32);
	buf[3] = 2;
	/* abi 2 needs 3 registers that are not there */
	buf[7] = 2;
	assert_int_equal(pd_sample__parse(&e, h, &s, &bad), -EBADMSG);
	/* cut short inside pid/tid */
	buf[7] = 0;
	h->size = 20;
	assert_int_equal(pd_sample__parse(&e, h, &s, &bad), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kallsyms_aliases),
		cmocka_unit_test(test_elf_duplicate_rules),
		cmocka_unit_test(test_demangle),
		cmocka_unit_test(test_jit_map),
		cmocka_unit_test(test_maps_cut),
		cmocka_unit_test(test_sample_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
