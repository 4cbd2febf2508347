/* Owns the srcline/srcfile cells: the address perf hands to addr2line, its fallbacks and
 * give-up rule, and a cache so each (DSO, address) is looked up once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/sort.h"
#include "report/hist/sort_srcline.h"
#include "symbols/dso.h"
#include "symbols/srcline.h"

#define FAIL_LIMIT 123

struct sl_ent {
	struct dso *dso;
	uint64_t ip;
	bool raw, used;
	const char *srcline, *srcfile;
};

struct sl_dso {
	struct dso *dso;
	int fails;		/* perf starts at 1; 0 after a success */
	bool off;
};

struct srcline_cache {
	struct strtab *strs;
	bool full_path;
	struct sl_ent *v;
	size_t nb, nr;
	struct sl_dso *d;
	size_t dnb, dnr;
};

struct srcline_cache *srcline_cache__new(struct strtab *strs, bool full_path)
{
	struct srcline_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->strs = strs;
	c->full_path = full_path;
	c->nb = 4096;
	c->dnb = 256;
	c->v = calloc(c->nb, sizeof(*c->v));
	c->d = calloc(c->dnb, sizeof(*c->d));
	if (!c->v || !c->d) {
		srcline_cache__free(c);
		return NULL;
	}
	return c;
}

void srcline_cache__free(struct srcline_cache *c)
{
	if (!c)
		return;
	free(c->v);
	free(c->d);
	free(c);
}

static inline size_t hptr(const void *p, uint64_t ip, bool raw)
{
	uint64_t h = (uintptr_t)p * 0x9e3779b97f4a7c15ULL ^ ip * 0xbf58476d1ce4e5b9ULL ^ raw;

	return (size_t)(h ^ (h >> 31));
}

static struct sl_dso *dso_state(struct srcline_cache *c, struct dso *dso)
{
	size_t i;

	if (c->dnr * 2 >= c->dnb) {
		size_t nb = c->dnb * 2;
		struct sl_dso *d = calloc(nb, sizeof(*d));

		if (!d)
			return NULL;
		for (i = 0; i < c->dnb; i++) {
			size_t j;

			if (!c->d[i].dso)
				continue;
			for (j = hptr(c->d[i].dso, 0, 0) & (nb - 1); d[j].dso; j = (j + 1) & (nb - 1))
				;
			d[j] = c->d[i];
		}
		free(c->d);
		c->d = d;
		c->dnb = nb;
	}
	for (i = hptr(dso, 0, 0) & (c->dnb - 1); c->d[i].dso; i = (i + 1) & (c->dnb - 1))
		if (c->d[i].dso == dso)
			return &c->d[i];
	c->d[i] = (struct sl_dso){ .dso = dso, .fails = 1 };
	c->dnr++;
	return &c->d[i];
}

static int grow(struct srcline_cache *c)
{
	size_t nb = c->nb * 2, i;
	struct sl_ent *v = calloc(nb, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->nb; i++) {
		size_t j;

		if (!c->v[i].used)
			continue;
		for (j = hptr(c->v[i].dso, c->v[i].ip, c->v[i].raw) & (nb - 1); v[j].used;
		     j = (j + 1) & (nb - 1))
			;
		v[j] = c->v[i];
	}
	free(c->v);
	c->v = v;
	c->nb = nb;
	return 0;
}

/* The ELF address perf's addr2line is given: map addresses are file offsets, turned into
 * vaddrs; raw chain addresses are used as they are, shifted like a file offset would be. */
static uint64_t lookup_addr(const struct dso *dso, uint64_t ip, bool raw)
{
	if (!raw)
		return dso__map_to_vaddr(dso, ip);
	if (dso->nr_segs)
		return ip + dso->segs[0].vaddr - dso->segs[0].offset;
	return ip;
}

static int compute(struct srcline_cache *c, struct sl_ent *e, struct symbol *sym)
{
	struct dso *dso = e->dso;
	const char *file = NULL, *dir = NULL;
	char buf[4096];
	int line = 0, n;
	struct sl_dso *st;
	uint64_t addr, start;

	if (!dso) {
		e->srcline = strtab__intern(c->strs, "??:0", 4);
		e->srcfile = strtab__intern(c->strs, "", 0);
		return e->srcline && e->srcfile ? 0 : -ENOMEM;
	}
	st = dso_state(c, dso);
	if (!st)
		return -ENOMEM;
	addr = dso->kind == DSO_KERNEL || dso->kind == DSO_KMODULE ? e->ip : lookup_addr(dso, e->ip, e->raw);
	if (!st->off && dso->kind != DSO_KERNEL && dso->kind != DSO_KMODULE &&
	    !srcline__find(dso, addr, &file, &dir, &line) && file) {
		const char *base = strrchr(file, '/');
		const char *shown = c->full_path ? file : base ? base + 1 : file;

		st->fails = 0;
		if (c->full_path && dir && file[0] != '/')
			n = snprintf(buf, sizeof(buf), "%s/%s:%u", dir, file, (unsigned int)line);
		else
			n = snprintf(buf, sizeof(buf), "%s:%u", shown, (unsigned int)line);
		if (n >= (int)sizeof(buf))
			n = sizeof(buf) - 1;
		e->srcline = strtab__intern(c->strs, buf, (size_t)n);
		e->srcfile = strtab__intern(c->strs, buf, (size_t)(strrchr(buf, ':') - buf));
		return e->srcline && e->srcfile ? 0 : -ENOMEM;
	}
	if (st->fails && ++st->fails > FAIL_LIMIT)
		st->off = true;
	if (sym) {
		/* perf subtracts the symbol start in its own address space from the entry's
		 * address: a map address or a raw one, whatever the entry holds */
		start = dso->identity ? sym->start : sym->start - (dso->nr_segs ? dso->segs[0].vaddr -
								   dso->segs[0].offset : 0);
		n = snprintf(buf, sizeof(buf), "%s+%llu", sym->name, (unsigned long long)(e->ip - start));
	} else {
		const char *b = strrchr(dso->name, '/');

		n = snprintf(buf, sizeof(buf), "%s[%llx]", dso->kind == DSO_USER && b ? b + 1 : dso->name,
			     (unsigned long long)addr);
	}
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	e->srcline = strtab__intern(c->strs, buf, (size_t)n);
	e->srcfile = strtab__intern(c->strs, "", 0);
	return e->srcline && e->srcfile ? 0 : -ENOMEM;
}

int srcline_cache__get(struct srcline_cache *c, struct dso *dso, struct symbol *sym, uint64_t ip,
		       bool raw, const char **srcline, const char **srcfile)
{
	size_t i;
	int ret;

	if (c->nr * 2 >= c->nb && grow(c))
		return -ENOMEM;
	for (i = hptr(dso, ip, raw) & (c->nb - 1); c->v[i].used; i = (i + 1) & (c->nb - 1)) {
		if (c->v[i].dso == dso && c->v[i].ip == ip && c->v[i].raw == raw) {
			*srcline = c->v[i].srcline;
			*srcfile = c->v[i].srcfile;
			return 0;
		}
	}
	c->v[i] = (struct sl_ent){ .dso = dso, .ip = ip, .raw = raw, .used = true };
	c->nr++;
	ret = compute(c, &c->v[i], sym);
	*srcline = c->v[i].srcline;
	*srcfile = c->v[i].srcfile;
	return ret;
}
