/* Owns struct dso and struct dsos: the name table, the sorted symbol array and its
 * lookup, perf's rules for duplicate symbols and zero-sized ones, and the name arena. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "symbols/demangle.h"
#include "symbols/dso.h"
#include "symbols/loaders.h"
#include "symbols/srcline.h"
#include "util/log.h"

#define DSOS_BUCKETS 1024

struct dsos {
	struct dso *bucket[DSOS_BUCKETS];
	uint32_t nr;			/* DSOs created so far */
};

struct str_pool {
	struct str_pool *next;
	size_t used, cap;
	char data[];
};

const char *str_pool__add(struct str_pool **pool, const char *s, size_t len)
{
	struct str_pool *p = *pool;
	char *out;

	if (!p || p->cap - p->used < len + 1) {
		size_t cap = len + 1 > 65536 ? len + 1 : 65536;

		p = malloc(sizeof(*p) + cap);
		if (!p)
			return NULL;
		p->used = 0;
		p->cap = cap;
		p->next = *pool;
		*pool = p;
	}
	out = p->data + p->used;
	memcpy(out, s, len);
	out[len] = '\0';
	p->used += len + 1;
	return out;
}

void str_pool__free(struct str_pool *pool)
{
	while (pool) {
		struct str_pool *n = pool->next;

		free(pool);
		pool = n;
	}
}

static unsigned int hash_name(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % DSOS_BUCKETS;
}

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
	for (i = 0; i < dso->nr_syms; i++)
		if (dso->syms[i].dname && dso->syms[i].dname != dso->syms[i].name)
			free((char *)dso->syms[i].dname);
	free(dso->syms);
	free(dso->segs);
	free(dso->symsrc);
	free(dso->debugsrc);
	free(dso->name);
	str_pool__free(dso->pool);
	free(dso);
}

void dsos__free(struct dsos *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < DSOS_BUCKETS; i++) {
		while (d->bucket[i]) {
			struct dso *n = d->bucket[i]->hnext;

			dso__free(d->bucket[i]);
			d->bucket[i] = n;
		}
	}
	free(d);
}

struct dso *dsos__find(struct dsos *d, const char *name)
{
	struct dso *dso;

	for (dso = d->bucket[hash_name(name)]; dso; dso = dso->hnext)
		if (!strcmp(dso->name, name))
			return dso;
	return NULL;
}

struct dso *dsos__findnew(struct dsos *d, const char *name, enum dso_kind kind)
{
	struct dso *dso = dsos__find(d, name);
	unsigned int h;

	if (dso)
		return dso;
	dso = calloc(1, sizeof(*dso));
	if (!dso)
		return NULL;
	dso->name = strdup(name);
	if (!dso->name) {
		free(dso);
		return NULL;
	}
	dso->kind = kind;
	dso->identity = kind == DSO_KERNEL || kind == DSO_KMODULE || kind == DSO_JIT;
	dso->seq = ++d->nr;
	h = hash_name(name);
	dso->hnext = d->bucket[h];
	d->bucket[h] = dso;
	return dso;
}

struct dso *dsos__next(struct dsos *d, struct dso *prev)
{
	unsigned int i = 0;

	if (prev) {
		if (prev->hnext)
			return prev->hnext;
		i = hash_name(prev->name) + 1;
	}
	for (; i < DSOS_BUCKETS; i++)
		if (d->bucket[i])
			return d->bucket[i];
	return NULL;
}

void dso__set_build_id(struct dso *dso, const uint8_t *id, size_t size)
{
	if (size > sizeof(dso->build_id))
		size = sizeof(dso->build_id);
	memcpy(dso->build_id, id, size);
	dso->build_id_size = (uint8_t)size;
	dso->has_build_id = size > 0;
}

void dsos__set_build_ids(struct dsos *d, const struct pd_reader *r)
{
	size_t i, n = pd_reader__nr_build_ids(r);

	for (i = 0; i < n; i++) {
		const struct pd_reader_build_id *b = pd_reader__build_id(r, i);
		struct dso *dso;
		enum dso_kind kind = DSO_USER;

		if (!strcmp(b->filename, "[kernel.kallsyms]"))
			kind = DSO_KERNEL;
		else if (!strcmp(b->filename, "[vdso]"))
			kind = DSO_VDSO;
		else if ((b->misc & 7) == 1 /* kernel cpumode: a module */)
			kind = DSO_KMODULE;
		dso = dsos__findnew(d, b->filename, kind);
		if (dso && !dso->has_build_id)
			dso__set_build_id(dso, b->id, b->size);
	}
}

int dso__add_sym(struct dso *dso, uint64_t start, uint64_t size, const char *name, uint8_t binding)
{
	struct symbol *s;

	if (dso->nr_syms == dso->syms_cap) {
		size_t cap = dso->syms_cap ? dso->syms_cap * 2 : 64;
		struct symbol *n = realloc(dso->syms, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		dso->syms = n;
		dso->syms_cap = cap;
	}
	s = &dso->syms[dso->nr_syms];
	s->name = str_pool__add(&dso->pool, name, strlen(name));
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

/* Of two symbols at one address, is b the better one to keep? perf's preferences:
 * a real size, not weak, global, fewer leading underscores, the longer name; else the first. */
static bool second_is_better(const struct symbol *a, const struct symbol *b)
{
	uint64_t la = a->end - a->start, lb = b->end - b->start;
	size_t na, nb;

	if (!la != !lb)
		return la == 0;
	if ((a->binding == STB_WEAK) != (b->binding == STB_WEAK))
		return a->binding == STB_WEAK;
	if ((a->binding == STB_GLOBAL) != (b->binding == STB_GLOBAL))
		return b->binding == STB_GLOBAL;
	na = leading_underscores(a->name);
	nb = leading_underscores(b->name);
	if (na != nb)
		return nb < na;
	na = strlen(a->name);
	nb = strlen(b->name);
	return nb > na;
}

void dso__fixup_syms(struct dso *dso, bool kallsyms)
{
	size_t i, out = 0;
	bool sorted = true;

	if (!dso->nr_syms)
		return;
	/* /proc/kallsyms comes sorted: nothing to do then */
	for (i = 1; i < dso->nr_syms && sorted; i++)
		sorted = dso->syms[i - 1].start <= dso->syms[i].start;
	/* a stable sort: qsort with the slot address as tie-breaker is only stable if the
	 * array does not move during the sort, which glibc's merge sort does not promise;
	 * so tag the original order in dname (unused until demangling) first */
	for (i = 0; i < dso->nr_syms && !sorted; i++)
		dso->syms[i].dname = (const char *)(uintptr_t)i;
	if (!sorted)
		qsort(dso->syms, dso->nr_syms, sizeof(*dso->syms), cmp_sym);
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
			if (second_is_better(&dso->syms[out - 1], &dso->syms[i]))
				dso->syms[out - 1] = dso->syms[i];
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

const struct symbol *dso__find_sym(struct dso *dso, uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi;
	const struct symbol *s;
	uint64_t va;

	if (!dso->loaded)
		dso__load(dso);
	if (!dso->nr_syms)
		return NULL;
	va = dso__map_to_vaddr(dso, addr);
	hi = dso->nr_syms;
	/* last symbol with start <= va */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dso->syms[mid].start <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	s = &dso->syms[lo - 1];
	if (va < s->end || va == s->start) {
		if (off)
			*off = va - s->start;
		return s;
	}
	return NULL;
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
	}
	return sym->dname;
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
	if (ret)
		pr_debug("%s: no symbols (%s)", dso->name, strerror(-ret));
	return ret;
}
