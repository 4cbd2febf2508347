/* Owns struct dso and struct dsos: the name table, the sorted symbol array and its
 * lookup, perf's rules for duplicate symbols and zero-sized ones, and the name arena. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "symbols/demangle.h"
#include "symbols/dso.h"
#include "symbols/embed.h"
#include "symbols/symcache.h"
#include "symbols/symtab_lazy.h"
#include "symbols/loaders.h"
#include "symbols/srcline.h"
#include "util/array.h"
#include "util/bsearch.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strarena.h"
#include "util/log.h"

struct dsos {
	bool raw_aliases;		/* new DSOs choose among aliases by mangled names */
	struct htab by_name;		/* hash_str(name) -> struct dso * */
	struct dso **all;		/* creation order: all[seq - 1] */
	size_t nr, cap;
};

struct dsos *dsos__new(void)
{
	return calloc(1, sizeof(struct dsos));
}

static void dso__free(struct dso *dso)
{
	size_t i;

	if (!dso)
		return;
	srcline__dso_free(dso);
	for (i = 0; i < dso->nr_syms; i++) {
		if (dso->lazy && !(dso->lazy_built[i / 64] & 1ULL << (i % 64)))
			continue;	/* never built: nothing of its own (its page never touched) */
		if (dso->syms[i].dname && dso->syms[i].dname != dso->syms[i].name)
			free((char *)dso->syms[i].dname);
	}
	if (dso->syms_mapped)
		munmap(dso->syms, dso->syms_cap * sizeof(*dso->syms));
	else
		free(dso->syms);
	free(dso->lazy_built);
	symcache__free(dso->symcache);
	free(dso->segs);
	free(dso->symsrc);
	free(dso->debugsrc);
	free(dso->binary);
	free(dso->name);
	strarena__exit(&dso->names);
	symtab_lazy__free(dso->table);
	free(dso);
}

void dsos__free(struct dsos *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nr; i++)
		dso__free(d->all[i]);
	free(d->all);
	htab__exit(&d->by_name);
	free(d);
}

static struct dso *dsos__find_hashed(struct dsos *d, const char *name, uint64_t h)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&d->by_name, h, s, pos) {
		struct dso *dso = (struct dso *)s->val;

		if (!strcmp(dso->name, name))
			return dso;
	}
	return NULL;
}

struct dso *dsos__find(struct dsos *d, const char *name)
{
	return dsos__find_hashed(d, name, hash_str(name));
}

struct dso *dsos__findnew(struct dsos *d, const char *name, enum dso_kind kind)
{
	uint64_t h = hash_str(name);
	struct dso *dso = dsos__find_hashed(d, name, h);

	if (dso)
		return dso;
	if (ARRAY_GROW(d->all, d->cap, d->nr + 1))
		return NULL;
	dso = calloc(1, sizeof(*dso));
	if (!dso)
		return NULL;
	dso->name = strdup(name);
	dso->name_len = strlen(name);
	if (!dso->name || htab__insert(&d->by_name, h, (uintptr_t)dso)) {
		free(dso->name);
		free(dso);
		return NULL;
	}
	dso->kind = kind;
	dso->raw_aliases = d->raw_aliases;
	dso->identity = kind == DSO_KERNEL || kind == DSO_KMODULE || kind == DSO_JIT;
	d->all[d->nr++] = dso;
	dso->seq = (uint32_t)d->nr;
	return dso;
}

void dsos__set_raw_aliases(struct dsos *d, bool raw)
{
	d->raw_aliases = raw;
}

struct dso *dsos__next(struct dsos *d, struct dso *prev)
{
	size_t i = prev ? prev->seq : 0;	/* all[seq - 1] is prev */

	return i < d->nr ? d->all[i] : NULL;
}

void dso__set_build_id(struct dso *dso, const uint8_t *id, size_t size)
{
	if (size > sizeof(dso->build_id))
		size = sizeof(dso->build_id);
	memcpy(dso->build_id, id, size);
	dso->build_id_size = (uint8_t)size;
	dso->has_build_id = size > 0;
	/* the file found for another build-id is not this one's */
	free(dso->binary);
	dso->binary = NULL;
	dso->binary_state = 0;
}

int dsos__add_build_id(struct dsos *d, const char *name, const uint8_t *id, size_t size,
		       bool kernel)
{
	enum dso_kind kind = DSO_USER;
	struct dso *dso;

	if (!strcmp(name, "[kernel.kallsyms]"))
		kind = DSO_KERNEL;
	else if (!strcmp(name, "[vdso]"))
		kind = DSO_VDSO;
	else if (kernel)
		kind = DSO_KMODULE;
	dso = dsos__findnew(d, name, kind);
	if (!dso)
		return -ENOMEM;
	if (!dso->has_build_id)
		dso__set_build_id(dso, id, size);
	return 0;
}

/* A mapped table (from a lazy load) moved to the heap, so that it can grow. */
static int syms_unmap(struct dso *dso)
{
	struct symbol *v;

	dso__syms_all(dso);
	v = malloc((dso->syms_cap ? dso->syms_cap : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, dso->syms, dso->nr_syms * sizeof(*v));
	munmap(dso->syms, dso->syms_cap * sizeof(*dso->syms));
	dso->syms = v;
	dso->syms_mapped = false;
	return 0;
}

int dso__add_sym(struct dso *dso, uint64_t start, uint64_t size, const char *name, uint8_t binding)
{
	struct symbol *s;

	dso__syms_all(dso);	/* a lazy table takes no more symbols: built whole first */
	if ((dso->syms_mapped && syms_unmap(dso)) ||
	    ARRAY_GROW(dso->syms, dso->syms_cap, dso->nr_syms + 1))
		return -ENOMEM;
	s = &dso->syms[dso->nr_syms];
	s->name = strarena__add(&dso->names, name, strlen(name));
	if (!s->name)
		return -ENOMEM;
	s->dname = NULL;
	s->start = start;
	s->end = start + size;
	s->binding = binding;
	dso->nr_syms++;
	return 0;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct symbol *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* keep insertion order among equals: compare addresses of the array slots */
	return x < y ? -1 : x > y;
}

static size_t leading_underscores(const char *s)
{
	size_t n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

/* The name perf compares aliases by: it demangles at load time, so the demangled one unless
 * the user asked for raw names (then perf never demangles). */
static const char *alias_name(const struct dso *dso, struct symbol *s)
{
	return dso->raw_aliases ? s->name : symbol__name(s, true);
}

/* Of two symbols at one address, is b the better one to keep? perf's preferences:
 * a real size, not weak, global, fewer leading underscores, the longer name; else the first.
 * The names are compared as perf holds them: demangled ("operator new[]" over "operator new",
 * "operator delete[]" over "cfree"). */
static bool second_is_better(const struct dso *dso, struct symbol *a, struct symbol *b)
{
	uint64_t la = a->end - a->start, lb = b->end - b->start;
	const char *an, *bn;
	size_t na, nb;

	if (!la != !lb)
		return la == 0;
	if ((a->binding == STB_WEAK) != (b->binding == STB_WEAK))
		return a->binding == STB_WEAK;
	if ((a->binding == STB_GLOBAL) != (b->binding == STB_GLOBAL))
		return b->binding == STB_GLOBAL;
	an = alias_name(dso, a);
	bn = alias_name(dso, b);
	na = leading_underscores(an);
	nb = leading_underscores(bn);
	if (na != nb)
		return nb < na;
	return strlen(bn) > strlen(an);
}

static void symbol__drop_dname(struct symbol *s)
{
	if (s->dname && s->dname != s->name)
		free((char *)s->dname);
	s->dname = NULL;
}

void dso__fixup_syms(struct dso *dso, bool kallsyms)
{
	size_t i, out = 0;
	bool sorted = true;

	if (!dso->nr_syms)
		return;
	dso__syms_all(dso);
	/* /proc/kallsyms comes sorted: nothing to do then */
	for (i = 1; i < dso->nr_syms && sorted; i++)
		sorted = dso->syms[i - 1].start <= dso->syms[i].start;
	/* a stable sort: qsort with the slot address as tie-breaker is only stable if the
	 * array does not move during the sort, which glibc's merge sort does not promise;
	 * so tag the original order in dname (unused until demangling) first */
	for (i = 0; i < dso->nr_syms && !sorted; i++)
		dso->syms[i].dname = (const char *)(uintptr_t)i;
	if (!sorted)
		array__sort(dso->syms, dso->nr_syms, sizeof(*dso->syms), cmp_sym);
	for (i = 1; i < dso->nr_syms && !sorted; i++) {
		/* restore order among equal starts by original index (insertion sort, tiny runs) */
		size_t j = i;

		while (j > 0 && dso->syms[j - 1].start == dso->syms[j].start &&
		       (uintptr_t)dso->syms[j - 1].dname > (uintptr_t)dso->syms[j].dname) {
			struct symbol t = dso->syms[j - 1];

			dso->syms[j - 1] = dso->syms[j];
			dso->syms[j] = t;
			j--;
		}
	}
	/* perf's order: extend zero sizes to the next symbol first (so an alias that sits
	 * right before another at the same address stays zero-sized), then keep the best
	 * of the symbols sharing an address */
	for (i = 0; i < dso->nr_syms; i++) {
		struct symbol *sy = &dso->syms[i];

		sy->dname = NULL;
		if (i + 1 < dso->nr_syms &&
		    (sy->end == sy->start || (kallsyms && sy->end != dso->syms[i + 1].start)))
			sy->end = dso->syms[i + 1].start;
	}
	if (dso->syms[dso->nr_syms - 1].end == dso->syms[dso->nr_syms - 1].start)
		dso->syms[dso->nr_syms - 1].end = ((dso->syms[dso->nr_syms - 1].start + 4095) & ~4095ULL) + 4096;
	for (i = 0; i < dso->nr_syms; i++) {
		if (out && dso->syms[out - 1].start == dso->syms[i].start) {
			if (second_is_better(dso, &dso->syms[out - 1], &dso->syms[i])) {
				symbol__drop_dname(&dso->syms[out - 1]);
				dso->syms[out - 1] = dso->syms[i];
			} else {
				symbol__drop_dname(&dso->syms[i]);
			}
			continue;
		}
		dso->syms[out++] = dso->syms[i];
	}
	dso->nr_syms = out;
}

uint64_t dso__map_to_vaddr(const struct dso *dso, uint64_t addr)
{
	size_t i;

	if (dso->identity)
		return addr;
	for (i = 0; i < dso->nr_segs; i++) {
		const struct dso_seg *s = &dso->segs[i];

		if (addr >= s->offset && addr - s->offset < s->filesz)
			return addr - s->offset + s->vaddr;
	}
	return addr;
}

/* syms[i] of a lazily loaded table, built on first use; NULL when its file cannot be read
 * (debug message). */
static struct symbol *lazy_sym(struct dso *dso, size_t i)
{
	struct symbol *s = &dso->syms[i];
	struct dso_lazy_sym l;
	const char *name;

	if (dso->lazy_built[i / 64] & 1ULL << (i % 64))
		return s;
	if (symtab_lazy__sym(dso->table, i, &l, &name))
		return NULL;
	*s = (struct symbol){ .start = l.start, .end = l.end, .binding = l.binding, .name = name };
	dso->lazy_built[i / 64] |= 1ULL << (i % 64);
	return s;
}

void dso__syms_all(struct dso *dso)
{
	size_t i;

	if (!dso->lazy)
		return;
	/* one read of the table, not one for each symbol; a symbol that cannot be read is
	 * left out */
	(void)symtab_lazy__read_all(dso->table);
	for (i = 0; i < dso->nr_syms && lazy_sym(dso, i); i++)
		;
	if (i < dso->nr_syms) {
		pr_warn("%s: its cached symbol table cannot be read: %zu of %zu symbols kept",
			dso->name, i, dso->nr_syms);
		for (size_t j = i; j < dso->nr_syms; j++)
			if (dso->lazy_built[j / 64] & 1ULL << (j % 64))
				symbol__drop_dname(&dso->syms[j]);
		dso->nr_syms = i;
	}
	dso->lazy = false;
}

static const struct symbol *find_sym(struct dso *dso, uint64_t addr, uint64_t *off)
{
	const struct symbol *s;
	uint64_t va = dso__map_to_vaddr(dso, addr);
	size_t i;

	if (dso->lazy) {
		s = symtab_lazy__find(dso->table, va, &i) ? lazy_sym(dso, i) : NULL;
	} else {
		s = BSEARCH_LAST_LE(dso->syms, dso->nr_syms, start, va);
	}
	if (!s)
		return NULL;
	if (va < s->end || va == s->start) {
		*off = va - s->start;
		return s;
	}
	return NULL;
}

const struct symbol *dso__find_sym(struct dso *dso, uint64_t addr, uint64_t *off)
{
	const struct symbol *s;
	struct symcache_slot *slot;
	uint64_t o = 0;

	if (!dso->loaded)
		dso__load(dso);
	if (!dso->nr_syms)
		return NULL;
	if (!dso->symcache)
		dso->symcache = symcache__new(dso->nr_syms);
	if (!dso->symcache)
		return find_sym(dso, addr, off ? off : &o);
	slot = symcache__slot(dso->symcache, dso->syms, dso->nr_syms, addr);
	if (!slot->idx || slot->addr != addr) {
		s = find_sym(dso, addr, &o);
		*slot = (struct symcache_slot){ .addr = addr, .off = o,
						.idx = s ? (uint32_t)(s - dso->syms) + 2 : 1 };
	}
	if (slot->idx == 1)
		return NULL;
	if (off)
		*off = slot->off;
	return &dso->syms[slot->idx - 2];
}

const char *symbol__name(struct symbol *sym, bool demangle)
{
	if (!demangle)
		return sym->name;
	if (!sym->dname) {
		size_t l = strlen(sym->name);
		char *d;

		if (l > 4 && !strcmp(sym->name + l - 4, "@plt")) {
			/* perf demangles the target's name, then appends @plt */
			char *raw = strndup(sym->name, l - 4);

			d = raw ? demangle__sym(raw) : NULL;
			free(raw);
			if (d) {
				char *full = malloc(strlen(d) + 5);

				if (full) {
					strcpy(full, d);
					strcat(full, "@plt");
				}
				free(d);
				d = full;
			}
		} else {
			d = demangle__sym(sym->name);
		}
		sym->dname = d ? d : sym->name;
		l = strlen(sym->dname);
		sym->dname_len = l < UINT32_MAX ? (uint32_t)l : UINT32_MAX;
	}
	return sym->dname;
}

const char *symbol__name_len(struct symbol *sym, bool demangle, size_t *len)
{
	const char *n;

	if (!demangle) {
		*len = strlen(sym->name);
		return sym->name;
	}
	n = symbol__name(sym, true);
	*len = sym->dname_len < UINT32_MAX ? sym->dname_len : strlen(n);
	return n;
}

int dso__load(struct dso *dso)
{
	int ret = 0;

	if (dso->loaded)
		return 0;
	dso->loaded = true;
	switch (dso->kind) {
	case DSO_KERNEL:
	case DSO_KMODULE:
		ret = kallsyms__load(dso);
		break;
	case DSO_USER:
	case DSO_VDSO:
		ret = elf__load(dso);
		break;
	case DSO_JIT:
		ret = jitmap__load(dso);
		break;
	case DSO_NOSYMS:
		break;
	}
	/* no file here gives it symbols: those the recording embedded, if any */
	if (!dso->nr_syms && dso->embedded)
		ret = symembed__load(dso);
	if (ret)
		pr_debug("%s: no symbols (%s)", dso->name, strerror(-ret));
	return ret;
}
