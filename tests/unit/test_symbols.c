/* Unit tests of symbol tables and address spaces: perf's rules for aliases (chosen by demangled
 * names, raw ones under --no-demangle) and zero-sized
 * symbols, binary-search lookup at the edges, JIT maps, demangling (C++ and PLT names),
 * map insertion cutting overlapped maps, sample decoding bounds; the DSO table (build-ids
 * from the recording, creation order), and ELF files: opening from disk, mapped and the own
 * vdso, build-ids and their check, note blocks of both alignments, perf's build-id cache
 * paths and the separate debug files to try. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "symbols/map.h"
#include "symbols/demangle.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/srcline.h"
#include "symbols/symfs.h"
#include "symbols/symtab_file.h"

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

/* Aliases at one address chosen as perf chooses: by their demangled names ("operator new[]"
 * is longer than "operator new"; "operator delete[]" than "cfree"), by the raw ones under
 * --no-demangle (_Znwm and _Znam are as long: the first; cfree is longer than free and
 * _ZdlPv/_ZdaPv have a leading underscore more). */
static void alias_case(bool raw, const char *want_new, const char *want_delete)
{
	struct dsos *ds = dsos__new();
	struct dso *d;
	const struct symbol *s;
	uint64_t off;

	assert_non_null(ds);
	dsos__set_raw_aliases(ds, raw);
	d = dsos__findnew(ds, "/big/cxx", DSO_JIT);
	assert_non_null(d);
	d->loaded = true;
	dso__add_sym(d, 0x1000, 0x40, "_Znwm", STB_GLOBAL);
	dso__add_sym(d, 0x1000, 0x40, "_Znam", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0x80, "free", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0x80, "cfree", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0x80, "_ZdlPv", STB_GLOBAL);
	dso__add_sym(d, 0x2000, 0x80, "_ZdaPv", STB_GLOBAL);
	dso__fixup_syms(d, false);
	s = dso__find_sym(d, 0x1010, &off);
	assert_non_null(s);
	assert_string_equal(symbol__name((struct symbol *)s, !raw), want_new);
	assert_int_equal(off, 0x10);
	s = dso__find_sym(d, 0x2000, &off);
	assert_non_null(s);
	assert_string_equal(symbol__name((struct symbol *)s, !raw), want_delete);
	/* one symbol left at each address */
	assert_int_equal(d->nr_syms, 2);
	dsos__free(ds);
}

static void test_aliases_demangled(void **state)
{
	(void)state;
	alias_case(false, "operator new[]", "operator delete[]");
	alias_case(true, "_Znwm", "cfree");
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
	assert_int_equal(maps__nr(m), 3);
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
	assert_int_equal(maps__nr(m), 1);
	assert_int_equal(maps__nr(c), 3);		/* the clone is independent */
	maps__put(c);
	maps__put(m);
}

/* Clones share the frozen maps: each change is seen by its maps alone, whichever changes
 * first and whichever is freed first (ASan's leak check in make check); a change that cuts
 * a frozen map copies them; a long chain of layers is merged. */
static void test_maps_clone_shares(void **state)
{
	struct maps *m = maps__new(), *c1, *c2, *c3, *gen[8];
	struct map a = mk(0x1000, 0x2000, 0), b = mk(0x3000, 0x4000, 0), x = mk(0x8000, 0x9000, 0);

	(void)state;
	assert_int_equal(maps__insert(m, &a), 0);
	assert_int_equal(maps__insert(m, &b), 0);
	c1 = maps__clone(m);
	c2 = maps__clone(m);
	c3 = maps__clone(c1);
	assert_non_null(m->below);
	assert_ptr_equal(c1->below, m->below);		/* shared, not copied */
	assert_ptr_equal(c3->below, m->below);
	assert_int_equal(maps__nr(c3), 2);
	assert_int_equal(maps__insert(c1, &x), 0);	/* a clone changes first */
	assert_ptr_equal(c1->below, m->below);		/* beside the frozen maps: no copy */
	assert_int_equal(maps__nr(c1), 3);
	assert_int_equal(maps__nr(m), 2);
	assert_null(maps__find(m, 0x8800));
	assert_null(maps__find(c2, 0x8800));
	assert_non_null(maps__find(c1, 0x8800));
	assert_int_equal(maps__find(c1, 0x1800)->start, 0x1000);	/* found beneath */
	assert_int_equal(maps__insert(m, &x), 0);	/* then the original */
	assert_int_equal(maps__nr(m), 3);
	assert_int_equal(maps__nr(c2), 2);
	assert_null(maps__find(c2, 0x8800));
	assert_null(maps__find(c3, 0x8800));
	maps__put(c2);
	/* c3 cuts two frozen maps: it takes a copy, the others keep theirs */
	x = mk(0x1800, 0x3800, 0x500);
	assert_int_equal(maps__insert(c3, &x), 0);
	assert_null(c3->below);
	assert_int_equal(maps__nr(c3), 3);
	assert_int_equal(maps__find(c3, 0x2000)->pgoff, 0x500);
	assert_int_equal(maps__find(c3, 0x1700)->end, 0x1800);
	assert_int_equal(maps__find(c3, 0x3900)->start, 0x3800);
	assert_int_equal(map__map_ip(maps__find(c3, 0x3900), 0x3900), 0x900);
	assert_int_equal(maps__find(m, 0x3000)->pgoff, 0);
	assert_int_equal(maps__find(m, 0x1800)->end, 0x2000);
	assert_int_equal(maps__find(c1, 0x3900)->start, 0x3000);
	maps__put(m);
	maps__put(c3);
	maps__put(c1);
	m = maps__new();
	c1 = maps__clone(m);				/* an empty one: nothing to share */
	assert_int_equal(maps__nr(c1), 0);
	assert_null(c1->below);
	maps__put(c1);
	/* a process that maps and forks in turn: the layers stay few, every map is found */
	for (int i = 0, moved = 0; i < 8; i++) {
		const struct map *was;
		bool moves;

		x = mk(0x10000 * (i + 1), 0x10000 * (i + 1) + 0x1000, i);
		assert_int_equal(maps__insert(m, &x), 0);
		was = maps__find(m, 0x10800);
		moves = maps__clone_moves(m);		/* said before, as the session asks */
		gen[i] = maps__clone(m);
		assert_int_equal(maps__find(m, 0x10800) != was, moves);
		moved += moves;
		if (i == 7)
			assert_true(moved > 0);		/* the merge happened, and was foretold */
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(maps__nr(gen[i]), i + 1);
		for (int k = 0; k < 8; k++) {
			const struct map *f = maps__find(gen[i], 0x10000 * (k + 1) + 0x800);

			if (k <= i)
				assert_int_equal(f ? f->pgoff : 99, k);
			else
				assert_null(f);
		}
	}
	assert_true(maps__layers(m) <= 4);
	for (int i = 0; i < 8; i++)
		maps__put(gen[i]);
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
	/* the chain's hash, made by the parse: of its words, never 0 */
	{
		uint64_t ch = s.chain_hash;

		assert_int_not_equal(ch, 0);
		assert_int_equal(ch, pd_chain__hash(s.callchain, 2));
		buf[5] = 0x1235;
		assert_int_equal(pd_sample__parse(&e, h, &s, &bad), 0);
		assert_int_not_equal(s.chain_hash, ch);
		buf[5] = 0x1234;
		assert_int_equal(pd_sample__parse(&e, h, &s, &bad), 0);
		assert_int_equal(s.chain_hash, ch);
	}
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

static void test_dsos_build_ids(void **state)
{
	struct dsos *ds = dsos__new();
	uint8_t a[20], b[20];
	struct dso *d, *k;
	char name[64];
	int i;

	(void)state;
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	assert_int_equal(dsos__add_build_id(ds, "[kernel.kallsyms]", a, 20, true), 0);
	assert_int_equal(dsos__add_build_id(ds, "/lib/modules/x/kvm.ko", a, 20, true), 0);
	assert_int_equal(dsos__add_build_id(ds, "[vdso]", a, 20, false), 0);
	assert_int_equal(dsos__add_build_id(ds, "/usr/bin/x", a, 20, false), 0);
	/* the first build-id stays */
	assert_int_equal(dsos__add_build_id(ds, "/usr/bin/x", b, 20, false), 0);
	k = dsos__find(ds, "[kernel.kallsyms]");
	assert_non_null(k);
	assert_int_equal(k->kind, DSO_KERNEL);
	assert_int_equal(dsos__find(ds, "/lib/modules/x/kvm.ko")->kind, DSO_KMODULE);
	assert_int_equal(dsos__find(ds, "[vdso]")->kind, DSO_VDSO);
	d = dsos__find(ds, "/usr/bin/x");
	assert_int_equal(d->kind, DSO_USER);
	assert_true(d->has_build_id);
	assert_int_equal(d->build_id_size, 20);
	assert_memory_equal(d->build_id, a, 20);
	/* many more: the table grows, every name still found, creation order kept */
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "/lib/lib%d.so", i);
		assert_non_null(dsos__findnew(ds, name, DSO_USER));
	}
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "/lib/lib%d.so", i);
		d = dsos__find(ds, name);
		assert_non_null(d);
		assert_string_equal(d->name, name);
		assert_int_equal(d->seq, 5 + i);
		assert_ptr_equal(dsos__findnew(ds, name, DSO_KERNEL), d);
		assert_int_equal(d->kind, DSO_USER);
	}
	assert_null(dsos__find(ds, "/lib/lib3000.so"));
	i = 0;
	for (d = dsos__next(ds, NULL); d; d = dsos__next(ds, d))
		assert_int_equal(d->seq, ++i);
	assert_int_equal(i, 3004);
	assert_ptr_equal(dsos__next(ds, NULL), k);
	dsos__free(ds);
	dsos__free(NULL);
}

/* srcline__inlines asked for every address of a function in a row (as pannotate does, where
 * it reuses the last answer's scopes) answers as it does for each address asked alone: on
 * this test's own srcline__inlines, compiled -O2 -g with its static helpers inlined. */
static void test_inlines_in_a_row(void **state)
{
	enum { MAX = 8 };
	struct srcline_frame (*row)[MAX], f[MAX], g[MAX - 1];
	struct dsos *ds = dsos__new();
	const struct symbol *sym = NULL;
	char path[4096];
	ssize_t len = readlink("/proc/self/exe", path, sizeof(path) - 1);
	struct dso *d;
	int *nrow, inlined = 0;
	uint64_t size;

	(void)state;
	assert_true(len > 0);
	path[len] = 0;
	assert_non_null(ds);
	d = dsos__findnew(ds, path, DSO_USER);
	assert_non_null(d);
	dso__load(d);
	dso__syms_all(d);	/* a table from the symbol cache is built on use: all of it here */
	for (size_t i = 0; i < d->nr_syms && !sym; i++)
		if (!strcmp(d->syms[i].name, "srcline__inlines"))
			sym = &d->syms[i];
	assert_non_null(sym);
	size = sym->end - sym->start;
	row = calloc(size, sizeof(*row));
	nrow = calloc(size, sizeof(*nrow));
	assert_non_null(row);
	assert_non_null(nrow);
	for (uint64_t a = 0; a < size; a++)
		nrow[a] = srcline__inlines(d, sym->start + a, row[a], MAX);
	for (uint64_t a = 0; a < size; a++) {
		int n;

		srcline__inlines(d, sym->start + a, g, MAX - 1);	/* the next is asked afresh */
		n = srcline__inlines(d, sym->start + a, f, MAX);
		assert_int_equal(n, nrow[a]);
		for (int k = 0; k < n; k++) {
			assert_ptr_equal(f[k].func, row[a][k].func);
			assert_ptr_equal(f[k].file, row[a][k].file);
			assert_int_equal(f[k].line, row[a][k].line);
		}
		inlined += n > 1;
	}
	assert_true(inlined > 0);
	free(row);
	free(nrow);
	dsos__free(ds);
}

/* A fresh DSO of @path, loaded; in *ds (the caller frees it). */
static struct dso *load_user(struct dsos **ds, const char *path)
{
	struct dso *d;

	*ds = dsos__new();
	assert_non_null(*ds);
	d = dsos__findnew(*ds, path, DSO_USER);
	assert_non_null(d);
	assert_int_equal(dso__load(d), 0);
	return d;
}

/* How many files of the ELF symbol cache there are in @dir/pstat; with @cut, each cut to
 * half its size. */
static int cache_files(const char *dir, bool cut)
{
	char cmd[1024], line[512];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "ls %s/pstat/ 2>/dev/null | grep '^elfsyms2-'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (cut) {
			snprintf(cmd, sizeof(cmd), "f=%s/pstat/%s; head -c $(($(stat -c %%s $f) / 2)) $f > $f.x && mv $f.x $f",
				 dir, line);
			assert_int_equal(system(cmd), 0);
		}
		n++;
	}
	pclose(p);
	return n;
}

/* The ELF symbol cache (elf_symcache.h): the first load of a file reads it and writes the
 * table, the next maps that table (built on use) and finds the same symbols; a changed file
 * or a damaged table is read the long way again. */
static void test_elf_symcache(void **state)
{
	char dir[] = "/tmp/test_symcache.XXXXXX", bin[256], cmd[600];
	char *old = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	struct dsos *ds1, *ds2, *ds3;
	struct dso *d1, *d2, *d3;
	uint64_t off = 0;
	size_t mid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(bin, sizeof(bin), "%s/prog", dir);
	snprintf(cmd, sizeof(cmd), "cp /proc/%d/exe %s", (int)getpid(), bin);
	assert_int_equal(system(cmd), 0);
	setenv("XDG_CACHE_HOME", dir, 1);
	d1 = load_user(&ds1, bin);
	assert_false(d1->lazy);				/* read the long way */
	assert_true(d1->nr_syms > 100);
	assert_int_equal(cache_files(dir, false), 1);
	d2 = load_user(&ds2, bin);
	assert_true(d2->lazy);				/* read from the cache */
	assert_int_equal(d2->nr_syms, d1->nr_syms);
	assert_string_equal(d2->symsrc, d1->symsrc);
	/* a lookup builds the one symbol it lands on */
	mid = d1->nr_syms / 2;
	assert_ptr_equal(dso__find_sym(d2, d1->syms[mid].start, &off), &d2->syms[mid]);
	assert_int_equal(off, 0);
	assert_null(d2->syms[mid + 1].name);
	dso__syms_all(d2);
	for (size_t i = 0; i < d1->nr_syms; i++) {
		assert_int_equal(d2->syms[i].start, d1->syms[i].start);
		assert_int_equal(d2->syms[i].end, d1->syms[i].end);
		assert_int_equal(d2->syms[i].binding, d1->syms[i].binding);
		assert_string_equal(d2->syms[i].name, d1->syms[i].name);
	}
	dsos__free(ds2);
	/* a symbol added to a cached table (an embedded or JIT one): the table is built whole
	 * first, then grows */
	d2 = load_user(&ds2, bin);
	assert_true(d2->lazy);
	assert_int_equal(dso__add_sym(d2, 0x7fff0000, 16, "added", 1), 0);
	assert_false(d2->lazy);
	assert_int_equal(d2->nr_syms, d1->nr_syms + 1);
	assert_string_equal(d2->syms[mid].name, d1->syms[mid].name);
	assert_string_equal(d2->syms[d1->nr_syms].name, "added");
	dsos__free(ds2);
	/* the file changed (its times): read again, and cached anew */
	snprintf(cmd, sizeof(cmd), "touch -d '2001-01-01' %s", bin);
	assert_int_equal(system(cmd), 0);
	d3 = load_user(&ds3, bin);
	assert_false(d3->lazy);
	assert_int_equal(d3->nr_syms, d1->nr_syms);
	dsos__free(ds3);
	assert_int_equal(cache_files(dir, false), 2);
	/* damaged tables are not used */
	assert_int_equal(cache_files(dir, true), 2);
	d3 = load_user(&ds3, bin);
	assert_false(d3->lazy);
	assert_int_equal(d3->nr_syms, d1->nr_syms);
	dsos__free(ds3);
	dsos__free(ds1);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	if (old)
		setenv("XDG_CACHE_HOME", old, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	free(old);
}

/* Whether this process maps @path (a line of /proc/self/maps names it). */
static bool maps_file(const char *path)
{
	char line[4608];
	bool found = false;
	FILE *m = fopen("/proc/self/maps", "r");

	assert_non_null(m);
	while (!found && fgets(line, sizeof(line), m)) {
		char *name = strchr(line, '/');

		line[strcspn(line, "\n")] = '\0';
		found = name && !strcmp(name, path);
	}
	fclose(m);
	return found;
}

/* A symbol table file over 1 MB (the kernel's is 6 MB) is read a block of entries at a time
 * through its index, never mapped: each lookup finds what the table read whole finds, names
 * longer than one read's piece included; building every symbol gives the same table; a file
 * cut short is not used. */
static void test_symtab_file_big(void **state)
{
	char dir[] = "/tmp/test_symtab_big.XXXXXX", path[300], name[600], cmd[400];
	const uint64_t key = 0x1234, base = 0xffffffff81000000ull;
	const size_t n = 40000;
	struct dsos *ds1, *ds2;
	struct dso *d1, *d2;
	const struct symbol *a, *b;
	uint64_t aux = 0, off1, off2;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/table", dir);
	d1 = mkdso(&ds1, "[kernel.kallsyms]", DSO_KERNEL);
	for (i = 0; i < n; i++) {
		/* every 1000th name longer than a piece read at once (256 bytes) */
		int len = snprintf(name, sizeof(name), "function_number_%zu_", i);

		for (; i % 1000 == 7 && len < 540; len++)
			name[len] = (char)('a' + len % 26);
		name[len] = '\0';
		/* a gap after every 3rd symbol: addresses that belong to none */
		assert_int_equal(dso__add_sym(d1, base + i * 64, i % 3 ? 64 : 32, name, STB_GLOBAL), 0);
	}
	dso__fixup_syms(d1, false);
	symtab_file__save(d1, path, &key, sizeof(key), 77);
	d2 = mkdso(&ds2, "[kernel.kallsyms]", DSO_KERNEL);
	assert_int_equal(symtab_file__load(d2, path, &key, sizeof(key), &aux), 0);
	assert_int_equal(aux, 77);
	assert_true(d2->lazy);
	assert_int_equal(d2->nr_syms, d1->nr_syms);
	assert_false(maps_file(path));
	/* every symbol's first byte, its middle, the gaps, and the edges of the table */
	for (i = 0; i < n * 64 + 128; i += 13) {
		uint64_t addr = base - 64 + i;

		off1 = off2 = ~0ull;
		a = dso__find_sym(d1, addr, &off1);
		b = dso__find_sym(d2, addr, &off2);
		if (!a) {
			assert_null(b);
			continue;
		}
		assert_non_null(b);
		assert_int_equal(b->start, a->start);
		assert_int_equal(b->end, a->end);
		assert_int_equal(off2, off1);
		assert_string_equal(b->name, a->name);
	}
	assert_true(strlen(d2->syms[1007].name) > 500);
	dso__syms_all(d2);
	assert_false(d2->lazy);
	for (i = 0; i < n; i++) {
		assert_int_equal(d2->syms[i].start, d1->syms[i].start);
		assert_string_equal(d2->syms[i].name, d1->syms[i].name);
	}
	dsos__free(ds2);
	/* an entry whose name lies outside its block's stretch of names (the file says so): the
	 * block's other names still come from the block, that one is read alone */
	{
		const size_t ents = 40 + sizeof(key) + (n + 63) / 64 * 8, field = 16;
		uint32_t far_name;
		int fd = open(path, O_RDWR);

		assert_true(fd >= 0);
		assert_int_equal(pread(fd, &far_name, 4, (off_t)(ents + 1000 * 24 + field)), 4);
		assert_int_equal(pwrite(fd, &far_name, 4, (off_t)(ents + 5 * 24 + field)), 4);
		close(fd);
	}
	d2 = mkdso(&ds2, "[kernel.kallsyms]", DSO_KERNEL);
	assert_int_equal(symtab_file__load(d2, path, &key, sizeof(key), &aux), 0);
	b = dso__find_sym(d2, d1->syms[5].start, &off2);
	assert_non_null(b);
	assert_string_equal(b->name, d1->syms[1000].name);
	b = dso__find_sym(d2, d1->syms[6].start, &off2);
	assert_non_null(b);
	assert_string_equal(b->name, d1->syms[6].name);
	dsos__free(ds2);
	/* a damaged file: the last byte of its names cut off */
	snprintf(cmd, sizeof(cmd), "truncate -s -1 %s", path);
	assert_int_equal(system(cmd), 0);
	d2 = mkdso(&ds2, "[kernel.kallsyms]", DSO_KERNEL);
	assert_int_equal(symtab_file__load(d2, path, &key, sizeof(key), &aux), -ENOENT);
	assert_false(d2->lazy);
	assert_int_equal(d2->nr_syms, 0);
	dsos__free(ds2);
	dsos__free(ds1);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* An ELF opened for its headers, notes and symbols is read, not mapped: unmapping a file
 * interrupts every core that runs one of the process's threads (a TLB shootdown), and the
 * reports open one file or more for each DSO while the reader thread runs. */
static void test_elf_file_open_reads(void **state)
{
	struct elf_file f = ELF_FILE_INIT;
	char path[PATH_MAX];
	GElf_Shdr sh;
	Elf_Scn *scn;
	uint8_t id[PD_BUILD_ID_MAX];

	(void)state;
	if (!realpath("/bin/true", path))
		skip();
	assert_false(maps_file(path));
	assert_int_equal(elf_file__open(&f, path, NULL), 0);
	assert_false(maps_file(path));
	assert_true(elf_file__build_id(f.elf, id) > 0);
	scn = elf_file__section(f.elf, ".dynsym", &sh);
	assert_non_null(scn);
	assert_non_null(elf_getdata(scn, NULL));	/* a section's bytes, read */
	assert_false(maps_file(path));
	elf_file__close(&f);
	/* mapped whole when asked */
	assert_int_equal(elf_file__map(&f, path), 0);
	assert_true(maps_file(path));
	elf_file__close(&f);
	assert_false(maps_file(path));
}

/* dso__open_binary() hands over the file the search opened to check (one open per DSO),
 * then opens the path found; its answers are dso__find_binary()'s. */
static void test_open_binary(void **state)
{
	struct dso d = { .name = (char *)"", .kind = DSO_USER };
	struct elf_file f = ELF_FILE_INIT;
	char path[PATH_MAX], found[ELF_FILE_PATH];
	uint8_t id[PD_BUILD_ID_MAX];

	(void)state;
	if (!realpath("/bin/true", path))
		skip();
	d.name = path;
	assert_int_equal(dso__open_binary(&d, &f), 0);		/* the search's own open */
	assert_non_null(f.elf);
	assert_string_equal(f.path, path);
	assert_true(elf_file__build_id(f.elf, id) > 0);
	elf_file__close(&f);
	assert_int_equal(d.binary_state, 1);
	assert_int_equal(dso__find_binary(&d, found, sizeof(found)), 0);
	assert_string_equal(found, path);
	assert_int_equal(dso__open_binary(&d, &f), 0);		/* the answer kept: opened again */
	assert_string_equal(f.path, path);
	elf_file__close(&f);
	free(d.binary);

	/* recorded with another build-id: the file at the path is not taken */
	d = (struct dso){ .name = path, .kind = DSO_USER };
	id[0] ^= 0xff;
	dso__set_build_id(&d, id, 20);
	assert_int_equal(dso__open_binary(&d, &f), -ESTALE);
	assert_null(f.elf);
	assert_int_equal(dso__open_binary(&d, &f), -ESTALE);
	assert_null(f.elf);
	d = (struct dso){ .name = (char *)"/nonexistent/lib.so", .kind = DSO_USER };
	assert_int_equal(dso__open_binary(&d, &f), -ENOENT);
	assert_null(f.elf);
}

static void test_elf_file_open(void **state)
{
	uint8_t raw[PD_BUILD_ID_MAX], id[PD_BUILD_ID_MAX];
	struct elf_file f = ELF_FILE_INIT;
	struct dso want = { .name = (char *)"x" };
	int n;

	(void)state;
	/* the raw reader of perfdata/ and libelf agree on this test's own build-id */
	n = pd_buildid__from_elf("/proc/self/exe", raw);
	assert_true(n > 0);
	assert_int_equal(elf_file__open(&f, "/proc/self/exe", NULL), 0);
	assert_true(f.fd >= 0);
	assert_null(f.image);
	assert_string_equal(f.path, "/proc/self/exe");
	assert_int_equal(elf_file__build_id(f.elf, id), n);
	assert_memory_equal(id, raw, (size_t)n);
	assert_true(elf_file__matches(&f, &want));	/* nothing recorded: any file */
	elf_file__close(&f);
	assert_null(f.elf);
	assert_int_equal(f.fd, -1);
	elf_file__close(&f);				/* twice is fine */
	elf_file__close(NULL);
	/* checked against a recorded build-id */
	dso__set_build_id(&want, raw, (size_t)n);
	assert_int_equal(elf_file__open(&f, "/proc/self/exe", &want), 0);
	elf_file__close(&f);
	want.build_id[3] ^= 1;
	assert_int_equal(elf_file__open(&f, "/proc/self/exe", &want), -ESTALE);
	assert_null(f.elf);
	assert_null(f.path);
	assert_int_equal(elf_file__open(&f, "/nonexistent", NULL), -ENOENT);
	assert_int_equal(elf_file__open(&f, "/dev/null", NULL), -ENOENT);	/* not a regular file */
	assert_int_equal(elf_file__open(&f, "/etc/passwd", NULL), -ENOEXEC);
	/* mapped whole: the bytes are at hand */
	assert_int_equal(elf_file__map(&f, "/proc/self/exe"), 0);
	assert_true(f.mapped);
	assert_memory_equal(f.image, ELFMAG, SELFMAG);
	assert_int_equal(elf_file__build_id(f.elf, id), n);
	assert_memory_equal(id, raw, (size_t)n);
	assert_non_null(elf_file__section(f.elf, ".text", &(GElf_Shdr){ 0 }));
	assert_null(elf_file__section(f.elf, ".no_such_section", &(GElf_Shdr){ 0 }));
	elf_file__close(&f);
	assert_int_equal(elf_file__map(&f, "/etc/passwd"), -ENOEXEC);
	assert_int_equal(elf_file__map(&f, "/nonexistent"), -ENOENT);
}

static void test_elf_file_vdso(void **state)
{
	struct elf_file f = ELF_FILE_INIT;
	struct dso want = { .name = (char *)"[vdso]", .kind = DSO_VDSO };
	uint8_t id[PD_BUILD_ID_MAX];
	int n;

	(void)state;
	n = elf_file__open_own_vdso(&f, NULL);
	if (n == -ENOENT && !getauxval(AT_SYSINFO_EHDR))
		skip();		/* no vdso here (valgrind) */
	assert_int_equal(n, 0);
	assert_string_equal(f.path, "[vdso]");
	assert_int_equal(f.fd, -1);
	assert_false(f.mapped);
	assert_memory_equal(f.image, ELFMAG, SELFMAG);
	n = elf_file__build_id(f.elf, id);
	assert_true(n > 0);
	elf_file__close(&f);
	dso__set_build_id(&want, id, (size_t)n);
	assert_int_equal(elf_file__open_own_vdso(&f, &want), 0);
	elf_file__close(&f);
	want.build_id[0] ^= 0xff;
	assert_int_equal(elf_file__open_own_vdso(&f, &want), -ESTALE);
	assert_null(f.image);
}

/* One note: 12-byte header, name, descriptor, each padded to @align from the block start. */
static size_t put_note(uint8_t *b, size_t off, size_t align, uint32_t type, const char *name,
		       const void *desc, uint32_t descsz)
{
	uint32_t h[3] = { (uint32_t)strlen(name) + 1, descsz, type };

	memcpy(b + off, h, sizeof(h));
	memcpy(b + off + 12, name, h[0]);
	off = (off + 12 + h[0] + align - 1) & ~(align - 1);
	memcpy(b + off, desc, descsz);
	return (off + descsz + align - 1) & ~(align - 1);
}

static void test_build_id_notes(void **state)
{
	uint8_t b[256] = { 0 }, id[PD_BUILD_ID_MAX], want[20];
	size_t len;

	(void)state;
	for (int i = 0; i < 20; i++)
		want[i] = (uint8_t)(i * 7 + 1);
	/* an odd-sized name first: 4- and 8-byte layouts differ after it */
	len = put_note(b, 0, 8, 1, "Linux", "\1\2\3", 3);
	assert_int_equal(len, 32);
	len = put_note(b, len, 8, NT_GNU_BUILD_ID, "GNU", want, 20);
	assert_int_equal(pd_buildid__from_notes(b, len, 8, id), 20);
	assert_memory_equal(id, want, 20);
	assert_int_equal(pd_buildid__from_notes(b, len, 4, id), -ENOENT);
	memset(b, 0, sizeof(b));
	len = put_note(b, 0, 4, 1, "Linux", "\1\2\3", 3);
	assert_int_equal(len, 24);
	len = put_note(b, len, 4, NT_GNU_BUILD_ID, "GNU", want, 20);
	assert_int_equal(pd_buildid__from_notes(b, len, 4, id), 20);
	assert_memory_equal(id, want, 20);
	/* cut inside the descriptor: not found */
	assert_int_equal(pd_buildid__from_notes(b, len - 1, 4, id), -ENOENT);
}

static void test_build_id_paths(void **state)
{
	char home[] = "/tmp/test_symbols.XXXXXX", dir[512], path[ELF_FILE_PATH];
	char cand[8][ELF_FILE_PATH], *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	struct elf_file f = ELF_FILE_INIT;
	uint8_t id[20];
	char hex[41];
	int n;

	(void)state;
	for (int i = 0; i < 20; i++)
		id[i] = (uint8_t)(0xa0 + i);
	build_id__hex(id, 20, hex);
	assert_string_equal(hex, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
	assert_non_null(mkdtemp(home));
	setenv("HOME", home, 1);
	assert_string_equal(build_id__cache_home(), home);
	build_id__cache_path(id, 20, "elf", path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/.debug/.build-id/a0/%s", home, hex + 2);
	assert_string_equal(path, dir);
	/* perf's newer layout: a directory holding the file */
	snprintf(path, sizeof(path), "mkdir -p %s", dir);
	assert_int_equal(system(path), 0);
	build_id__cache_path(id, 20, "vdso", path, sizeof(path));
	assert_int_equal(strlen(path), strlen(dir) + 5);
	assert_string_equal(path + strlen(dir), "/vdso");
	build_id__cache_kallsyms(id, 20, path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/.debug/[kernel.kallsyms]/%s/kallsyms", home, hex);
	assert_string_equal(path, dir);
	/* perf's places for a vmlinux, the cache last */
	n = elf_file__vmlinux_candidates("6.1.0-x", id, 20, cand, 8);
	assert_int_equal(n, 8);
	assert_string_equal(cand[0], "vmlinux");
	assert_string_equal(cand[2], "/boot/vmlinux-6.1.0-x");
	assert_string_equal(cand[6], "/usr/lib/debug/boot/vmlinux-6.1.0-x.debug");
	snprintf(dir, sizeof(dir), "%s/.debug/.build-id/a0/%s/elf", home, hex + 2);
	assert_string_equal(cand[7], dir);
	assert_int_equal(elf_file__vmlinux_candidates("6.1.0-x", NULL, 0, cand, 8), 7);
	assert_int_equal(elf_file__vmlinux_candidates("6.1.0-x", id, 20, cand, 3), 3);
	snprintf(path, sizeof(path), "rm -rf %s", home);
	assert_int_equal(system(path), 0);
	setenv("HOME", "", 1);
	assert_string_equal(build_id__cache_home(), "/root");
	if (old)
		setenv("HOME", old, 1);
	else
		unsetenv("HOME");
	free(old);

	/* the debug files: by build-id, and by .gnu_debuglink when the file has one */
	n = elf_file__debug_candidates(&f, id, 20, cand, 8);
	assert_int_equal(n, 1);
	assert_string_equal(cand[0], "/usr/lib/debug/.build-id/a0/a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3.debug");
	assert_int_equal(elf_file__debug_candidates(&f, NULL, 0, cand, 8), 0);
	if (elf_file__open(&f, "/usr/bin/ls", NULL) == 0 &&
	    elf_file__section(f.elf, ".gnu_debuglink", &(GElf_Shdr){ 0 })) {
		const char *link;

		n = elf_file__debug_candidates(&f, id, 20, cand, 8);
		assert_int_equal(n, 4);
		assert_int_equal(strncmp(cand[1], "/usr/bin/", 9), 0);
		link = cand[1] + 9;
		snprintf(path, sizeof(path), "/usr/bin/.debug/%s", link);
		assert_string_equal(cand[2], path);
		snprintf(path, sizeof(path), "/usr/lib/debug/usr/bin/%s", link);
		assert_string_equal(cand[3], path);
		assert_int_equal(elf_file__debug_candidates(&f, NULL, 0, cand, 2), 2);
		assert_int_equal(strncmp(cand[0], "/usr/bin/", 9), 0);
	} else {
		print_message("# /usr/bin/ls has no .gnu_debuglink: its candidates not checked\n");
	}
	elf_file__close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dsos_build_ids),
		cmocka_unit_test(test_inlines_in_a_row),
		cmocka_unit_test(test_elf_file_open),
		cmocka_unit_test(test_elf_file_open_reads),
		cmocka_unit_test(test_open_binary),
		cmocka_unit_test(test_elf_file_vdso),
		cmocka_unit_test(test_build_id_notes),
		cmocka_unit_test(test_build_id_paths),
		cmocka_unit_test(test_kallsyms_aliases),
		cmocka_unit_test(test_elf_duplicate_rules),
		cmocka_unit_test(test_demangle),
		cmocka_unit_test(test_aliases_demangled),
		cmocka_unit_test(test_jit_map),
		cmocka_unit_test(test_maps_cut),
		cmocka_unit_test(test_maps_clone_shares),
		cmocka_unit_test(test_sample_bounds),
		cmocka_unit_test(test_elf_symcache),
		cmocka_unit_test(test_symtab_file_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
