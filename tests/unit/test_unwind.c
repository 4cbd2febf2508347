/* Unit tests for unwind/ and compact recordings: this process's own stack unwound offline
 * from a register and stack snapshot by both backends (the chain must name the known
 * functions, in order, down to the outermost frame), the per-DSO file table, the stop
 * statistics and their fixes, and stack copies cut in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "perfdata/compact.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "report/hist/unwind_report.h"
#include "symbols/map.h"
#include "symbols/dso.h"
#include "unwind/stats.h"
#include "unwind/udso.h"
#include "unwind/unwind.h"

#define MASK 0xff0fffULL	/* perf's x86_64 user register mask */

struct snap {
	uint64_t regs[20];	/* perf order for MASK: ax bx cx dx si di bp sp ip flags cs ss r8..r15 */
	uint8_t stack[65536];
	uint64_t size;
};

static struct snap g_snap;

static uint64_t stack_end(uint64_t sp)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long long s, e;
	char line[512];
	uint64_t end = sp;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 && sp >= s && sp < e)
			end = e;
	if (f)
		fclose(f);
	return end;
}

/* copies this thread's live stack: outside any object as far as ASan is concerned */
__attribute__((noinline, no_sanitize_address)) static void take_snapshot(struct snap *sn)
{
	uint64_t ip, sp, bp, bx, r12, r13, r14, r15;

	__asm__ volatile("lea 0(%%rip), %0\n\t"
			 "mov %%rsp, %1\n\t"
			 "mov %%rbp, %2\n\t"
			 "mov %%rbx, %3\n\t"
			 "mov %%r12, %4\n\t"
			 "mov %%r13, %5\n\t"
			 "mov %%r14, %6\n\t"
			 "mov %%r15, %7\n\t"
			 : "=&r"(ip), "=&r"(sp), "=&r"(bp), "=&r"(bx), "=&r"(r12), "=&r"(r13), "=&r"(r14), "=&r"(r15));
	memset(sn->regs, 0, sizeof(sn->regs));
	sn->regs[1] = bx;
	sn->regs[6] = bp;
	sn->regs[7] = sp;
	sn->regs[8] = ip;
	/* r8..r15 follow ss: r12 is index 12 + 4 */
	sn->regs[16] = r12;
	sn->regs[17] = r13;
	sn->regs[18] = r14;
	sn->regs[19] = r15;
	sn->size = stack_end(sp) - sp;
	if (sn->size > sizeof(sn->stack))
		sn->size = sizeof(sn->stack);
	for (uint64_t i = 0; i < sn->size; i += 8)
		*(uint64_t *)(sn->stack + i) = *(const volatile uint64_t *)(uintptr_t)(sp + i);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void level3(void) { take_snapshot(&g_snap); __asm__ volatile(""); }
__attribute__((noinline)) static void level2(void) { level3(); __asm__ volatile(""); }
__attribute__((noinline)) static void level1(void) { level2(); __asm__ volatile(""); }

/* this process's executable mappings as a struct maps */
static struct maps *own_maps(struct dsos *dsos)
{
	struct maps *m = maps__new();
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];

	assert_non_null(m);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e, off;
		char perms[8], path[800] = "";
		struct map map = { 0 };

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %799s", &s, &e, perms, &off, path) < 4)
			continue;
		map.start = s;
		map.end = e;
		map.pgoff = off;
		map.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[2] == 'x' ? PROT_EXEC : 0);
		if (path[0] == '/')
			map.dso = dsos__findnew(dsos, path, DSO_USER);
		else if (!strcmp(path, "[vdso]"))
			map.dso = dsos__findnew(dsos, path, DSO_VDSO);
		else
			continue;
		assert_int_equal(maps__insert(m, &map), 0);
	}
	fclose(f);
	return m;
}

static void unwind_self(enum unwind_backend backend)
{
	struct dsos *dsos = dsos__new();
	struct maps *maps;
	struct pd_sample s = { 0 };
	struct unwind_result res;
	struct unwinder *u;
	uint64_t ips[64];
	const char *want[] = { "take_snapshot", "level3", "level2", "level1" };
	int n, w = 0;

	level1();
	maps = own_maps(dsos);
	s.type = PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	s.regs_user_abi = 2;
	s.regs_user_mask = MASK;
	s.regs_user = g_snap.regs;
	s.stack = g_snap.stack;
	s.stack_size = sizeof(g_snap.stack);
	s.stack_dyn_size = g_snap.size;
	u = unwinder__new(backend);
	if (!u && backend == UNWIND_LIBUNWIND) {
		maps__put(maps);
		dsos__free(dsos);
		skip();
	}
	assert_non_null(u);
	n = unwinder__unwind(u, maps, &s, ips, 64, &res);
	assert_true(n >= 6);
	for (int i = 0; i < n && w < 4; i++) {
		const struct map *m = maps__find(maps, ips[i]);
		const struct symbol *sym = m ? dso__find_sym(m->dso, map__map_ip(m, ips[i]), NULL) : NULL;

		if (getenv("UNWIND_DEBUG"))
			fprintf(stderr, "%d %#llx %s\n", i, (unsigned long long)ips[i], sym ? sym->name : "?");
		if (sym && !strncmp(sym->name, want[w], strlen(want[w])))
			w++;
	}
	if (getenv("UNWIND_DEBUG"))
		fprintf(stderr, "stop %s, %llu bytes\n", unwind__stop_name(res.stop), (unsigned long long)g_snap.size);
	assert_int_equal(w, 4);
	assert_int_equal(res.stop, UNWIND_COMPLETE);
	assert_int_equal(res.nr, n);
	/* cut the copy in the middle: the unwind must say so */
	s.stack_dyn_size = s.stack_size = 64;
	unwinder__unwind(u, maps, &s, ips, 64, &res);
	assert_int_equal(res.stop, UNWIND_CUT);
	unwinder__free(u);
	maps__put(maps);
	dsos__free(dsos);
}

static void test_self_libdw(void **state) { unwind_self(UNWIND_LIBDW); }
static void test_self_libunwind(void **state) { unwind_self(UNWIND_LIBUNWIND); }

static void test_stats(void **state)
{
	struct unwind_stats *st = unwind_stats__new();
	struct dso fake = { .name = (char *)"/opt/x/libfoo.so", .kind = DSO_USER };
	struct unwind_result r = { .nr = 5, .stop = UNWIND_COMPLETE };
	char buf[4096] = "";
	FILE *f;

	for (int i = 0; i < 97; i++)
		unwind_stats__add(st, &r, 8192);
	r.stop = UNWIND_CUT;
	r.stop_dso = &fake;
	unwind_stats__add(st, &r, 8192);
	unwind_stats__add(st, &r, 8192);
	r.stop = UNWIND_NO_CFI;
	unwind_stats__add(st, &r, 8192);
	assert_int_equal(unwind_stats__samples(st), 100);
	assert_int_equal(unwind_stats__count(st, UNWIND_CUT), 2);
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	unwind_report__table(st, f);
	unwind_report__header(st, f);
	fclose(f);
	assert_non_null(strstr(buf, "complete 97.00%"));
	assert_non_null(strstr(buf, "raise --call-graph dwarf,16384"));
	assert_non_null(strstr(buf, "/opt/x/libfoo.so"));
	assert_non_null(strstr(buf, "97.0% of 100 user stacks complete"));
	unwind_stats__free(st);
}

/* many DSOs: the table grows; each row found again and printed in the order of its count */
static void test_stats_many(void **state)
{
	struct unwind_stats *st = unwind_stats__new();
	static struct dso fake[40];
	static char names[40][32];
	struct unwind_result r = { .nr = 3, .stop = UNWIND_NO_CFI };
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *f;

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "/opt/lib%02d.so", i);
		fake[i] = (struct dso){ .name = names[i], .kind = DSO_JIT };
	}
	/* lib<i> ends (i % 20) + 1 stacks; ties broken by name */
	for (int k = 0; k < 20; k++)
		for (int i = 0; i < 40; i++)
			if (k <= i % 20) {
				r.stop_dso = &fake[i];
				unwind_stats__add(st, &r, 4096);
			}
	assert_int_equal(unwind_stats__samples(st), 2 * (20 * 21 / 2));
	f = open_memstream(&buf, &len);
	unwind_report__table(st, f);
	fclose(f);
	p = buf;
	for (int c = 20; c >= 1; c--) {
		for (int j = 0; j < 2; j++) {
			char want[32];

			snprintf(want, sizeof(want), "/opt/lib%02d.so", c - 1 + 20 * j);
			p = strstr(p, want);
			assert_non_null(p);
		}
	}
	free(buf);
	unwind_stats__free(st);
	unwind_stats__free(NULL);
}

/* the unwinders' file per DSO: one entry per DSO pointer, the vdso's bytes readable */
static void test_udsos(void **state)
{
	struct udsos t = { 0 };
	static struct dso fake[300];
	struct dsos *ds = dsos__new();
	struct dso *vdso = dsos__findnew(ds, "[vdso]", DSO_VDSO);
	struct udso *u, *v;
	uint8_t magic[4];

	(void)state;
	for (int i = 0; i < 300; i++) {
		fake[i] = (struct dso){ .name = (char *)"[anon]", .kind = DSO_NOSYMS };
		u = udsos__get(&t, &fake[i]);
		assert_non_null(u);
		assert_ptr_equal(u->dso, &fake[i]);
		assert_false(u->ok);		/* nothing to open */
	}
	for (int i = 0; i < 300; i++)
		assert_ptr_equal(udsos__get(&t, &fake[i])->dso, &fake[i]);
	v = udsos__get(&t, vdso);
	assert_non_null(v);
	if (!getauxval(AT_SYSINFO_EHDR)) {
		assert_false(v->ok);	/* no vdso here (valgrind) */
		goto out;
	}
	assert_true(v->ok);
	assert_ptr_equal(udsos__get(&t, vdso), v);
	assert_null(v->dbg.elf);
	/* the vdso's first PT_LOAD starts at address 0 with the ELF header */
	assert_true(udso__read(v, 0, magic, sizeof(magic)));
	assert_memory_equal(magic, ELFMAG, SELFMAG);
	assert_false(udso__read(v, 1ULL << 40, magic, sizeof(magic)));
out:
	udsos__exit(&t);
	dsos__free(ds);
}

/* a SAMPLE with IP|TID|REGS_USER|STACK_USER: 20 registers, a 64-byte copy of which dyn used */
static size_t make_sample(uint8_t *b, uint64_t dyn)
{
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE };
	uint64_t v, *p = (uint64_t *)(b + 8);

	*p++ = 0x401000;		/* ip */
	*p++ = 7ULL << 32 | 7;		/* pid, tid */
	*p++ = 2;			/* abi */
	for (int i = 0; i < 20; i++)
		*p++ = 100 + i;
	*p++ = 64;			/* stack size */
	for (int i = 0; i < 8; i++)
		*p++ = 0x1111111111111111ULL * (i + 1);
	v = dyn;
	*p++ = v;			/* dyn_size */
	h.size = (uint16_t)((uint8_t *)p - b);
	memcpy(b, &h, sizeof(h));
	return h.size;
}

static void test_compact(void **state)
{
	struct pd_evsel ev = { 0 };
	uint8_t buf[2048];
	size_t len, full, n;
	uint64_t saved = 0;
	struct pd_sample s;
	uint32_t bad;

	ev.attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	ev.attr.sample_regs_user = MASK;
	full = make_sample(buf, 20);
	len = full + make_sample(buf + full, 0);
	n = pd_compact__stacks(&ev, buf, len, NULL, NULL, &saved);
	/* 20 used bytes keep 24; an empty copy loses its data and dyn_size */
	assert_int_equal(saved, (64 - 24) + (64 + 8));
	assert_int_equal(n, len - saved);
	assert_int_equal(pd_sample__parse(&ev, (void *)buf, &s, &bad), 0);
	assert_int_equal(s.stack_size, 24);
	assert_int_equal(s.stack_dyn_size, 20);
	assert_int_equal(s.regs_user[19], 119);
	assert_memory_equal(s.stack, "\x11\x11\x11\x11\x11\x11\x11\x11", 8);
	assert_int_equal(pd_sample__parse(&ev, (void *)(buf + full - 40), &s, &bad), 0);
	assert_int_equal(s.stack_size, 0);
	assert_int_equal(s.ip, 0x401000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_libdw),
		cmocka_unit_test(test_self_libunwind),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_stats_many),
		cmocka_unit_test(test_udsos),
		cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
