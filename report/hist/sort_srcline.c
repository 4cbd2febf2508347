/* Owns the srcline/srcfile cells: the address perf hands to addr2line, its fallbacks and
 * give-up rule, and a cache so each (DSO, address) is looked up once (util/htab.h tables
 * over arrays of entries and of per-DSO states). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/sort_srcline.h"
#include "symbols/dso.h"
#include "symbols/srcline.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strpool.h"

#define FAIL_LIMIT 123
#define TAB_HINT 2048		/* addresses before the first growth (one lookup per sample) */

struct sl_ent {
	struct dso *dso;
	uint64_t ip;
	bool raw;
	const char *srcline, *srcfile;
};

struct sl_dso {
	struct dso *dso;
	int fails;		/* perf starts at 1; 0 after a success */
	bool off;
};

/* Both tables hold index + 1 into their array. */
struct srcline_cache {
	struct strpool *strs;
	bool full_path;
	struct htab tab;		/* (dso, ip, raw) -> v */
	struct sl_ent *v;
	size_t nr, cap;
	struct htab dtab;		/* dso -> d */
	struct sl_dso *d;
	size_t dnr, dcap;
};

struct srcline_cache *srcline_cache__new(struct strpool *strs, bool full_path)
{
	struct srcline_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->strs = strs;
	c->full_path = full_path;
	if (htab__init(&c->tab, TAB_HINT)) {
		srcline_cache__free(c);
		return NULL;
	}
	return c;
}

void srcline_cache__free(struct srcline_cache *c)
{
	if (!c)
		return;
	htab__exit(&c->tab);
	htab__exit(&c->dtab);
	free(c->v);
	free(c->d);
	free(c);
}

static inline uint64_t ent_hash(const struct dso *dso, uint64_t ip, bool raw)
{
	return hash_u64(hash_fold(hash_fold(hash_fold(0, (uintptr_t)dso), ip), raw));
}

static struct sl_dso *dso_state(struct srcline_cache *c, struct dso *dso)
{
	uint64_t h = hash_ptr(dso);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&c->dtab, h, s, pos)
		if (c->d[s->val - 1].dso == dso)
			return &c->d[s->val - 1];
	if (ARRAY_GROW(c->d, c->dcap, c->dnr + 1) || htab__insert(&c->dtab, h, c->dnr + 1))
		return NULL;
	c->d[c->dnr] = (struct sl_dso){ .dso = dso, .fails = 1 };
	return &c->d[c->dnr++];
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
		e->srcline = strpool__add_len(c->strs, "??:0", 4);
		e->srcfile = strpool__add_len(c->strs, "", 0);
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
		e->srcline = strpool__add_len(c->strs, buf, (size_t)n);
		e->srcfile = strpool__add_len(c->strs, buf, (size_t)(strrchr(buf, ':') - buf));
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
	e->srcline = strpool__add_len(c->strs, buf, (size_t)n);
	e->srcfile = strpool__add_len(c->strs, "", 0);
	return e->srcline && e->srcfile ? 0 : -ENOMEM;
}

int srcline_cache__get(struct srcline_cache *c, struct dso *dso, struct symbol *sym, uint64_t ip,
		       bool raw, const char **srcline, const char **srcfile)
{
	uint64_t h = ent_hash(dso, ip, raw);
	struct htab_slot *s;
	struct sl_ent *e;
	size_t pos;
	int ret;

	htab__for_each_hash(&c->tab, h, s, pos) {
		e = &c->v[s->val - 1];
		if (e->dso == dso && e->ip == ip && e->raw == raw) {
			*srcline = e->srcline;
			*srcfile = e->srcfile;
			return 0;
		}
	}
	if (ARRAY_GROW(c->v, c->cap, c->nr + 1) || htab__insert(&c->tab, h, c->nr + 1))
		return -ENOMEM;
	e = &c->v[c->nr++];
	*e = (struct sl_ent){ .dso = dso, .ip = ip, .raw = raw };
	ret = compute(c, e, sym);
	*srcline = e->srcline;
	*srcfile = e->srcfile;
	return ret;
}
