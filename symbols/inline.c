/* Owns the (DSO, address) -> inline chain cache: a htab over an array of entries whose
 * chains live in blocks that never move (frames handed out keep pointing at them), and the
 * demangled names it made. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/inline.h"
#include "symbols/dso.h"
#include "symbols/srcline.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/log.h"

#define INL_MAX 16		/* deepest chain kept (srcline.h's callers use the same) */
#define INL_BLOCK 4096		/* frames per block */

/* A cached chain: the key and the levels (in a block). */
struct inl_ent {
	const struct dso *dso;
	uint64_t addr;
	const struct inline_frame *chain;
	int n;
};

struct inl_block {
	struct inl_block *next;
	size_t used;
	struct inline_frame f[INL_BLOCK];
};

struct inline_cache {
	bool demangle;
	struct htab tab;	/* hash of (dso, addr) -> index + 1 into ents */
	struct inl_ent *ents;
	size_t nr, cap;
	struct inl_block *blocks;
	char **names;		/* demangled names owned here */
	size_t nr_names, names_cap;
	bool warned_cut;	/* a chain deeper than INL_MAX was cut (said once) */
};

struct inline_cache *inline_cache__new(bool demangle)
{
	struct inline_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->demangle = demangle;
	return c;
}

void inline_cache__free(struct inline_cache *c)
{
	if (!c)
		return;
	while (c->blocks) {
		struct inl_block *b = c->blocks;

		c->blocks = b->next;
		free(b);
	}
	for (size_t i = 0; i < c->nr_names; i++)
		free(c->names[i]);
	free(c->names);
	htab__exit(&c->tab);
	free(c->ents);
	free(c);
}

static inline uint64_t ent_hash(const struct dso *dso, uint64_t addr)
{
	return hash_combine((uintptr_t)dso, addr);
}

static const struct inl_ent *ent_find(const struct inline_cache *c, const struct dso *dso,
				      uint64_t addr, uint64_t h)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&c->tab, h, s, pos) {
		const struct inl_ent *e = &c->ents[s->val - 1];

		if (e->dso == dso && e->addr == addr)
			return e;
	}
	return NULL;
}

static int ent_add(struct inline_cache *c, const struct dso *dso, uint64_t addr, uint64_t h,
		   const struct inline_frame *chain, int n)
{
	if (ARRAY_GROW(c->ents, c->cap, c->nr + 1) || htab__insert(&c->tab, h, c->nr + 1))
		return -ENOMEM;
	c->ents[c->nr++] = (struct inl_ent){ .dso = dso, .addr = addr, .chain = chain, .n = n };
	return 0;
}

static struct inline_frame *frames_alloc(struct inline_cache *c, int n)
{
	struct inl_block *b = c->blocks;

	if (!b || b->used + (size_t)n > INL_BLOCK) {
		b = malloc(sizeof(*b));
		if (!b)
			return NULL;
		b->used = 0;
		b->next = c->blocks;
		c->blocks = b;
	}
	b->used += (size_t)n;
	return &b->f[b->used - (size_t)n];
}

/* The name a level shows: DWARF's, demangled when asked (kept until the cache goes). */
static const char *level_name(struct inline_cache *c, const char *raw)
{
	struct symbol tmp = { .name = raw };
	const char *d;

	if (!raw)
		return "??";
	if (!c->demangle)
		return raw;
	d = symbol__name(&tmp, true);
	if (d == raw)
		return raw;
	if (ARRAY_GROW(c->names, c->names_cap, c->nr_names + 1)) {
		free((char *)d);
		return NULL;
	}
	c->names[c->nr_names++] = (char *)d;
	return d;
}

int inline_cache__find(struct inline_cache *c, struct dso *dso, struct symbol *sym,
		       uint64_t addr, const struct inline_frame **chain)
{
	struct srcline_frame fr[INL_MAX + 1];
	struct inline_frame *out = NULL;
	const struct inl_ent *e;
	const char *sname;
	bool cut = false;
	uint64_t h;
	int n;

	*chain = NULL;
	if (!dso || !sym || dso->kind == DSO_KERNEL || dso->kind == DSO_KMODULE)
		return 0;
	h = ent_hash(dso, addr);
	e = ent_find(c, dso, addr, h);
	if (e) {
		*chain = e->chain;
		return e->n;
	}
	n = srcline__inlines(dso, dso__map_to_vaddr(dso, addr), fr, INL_MAX + 1);
	if (n < 0)
		n = 0;
	if (n > INL_MAX) {
		/* too deep (hostile or generated code): the innermost levels and the function */
		n = INL_MAX;
		cut = true;
		fr[n - 1] = (struct srcline_frame){ .func = NULL };	/* where in it: unknown */
		if (!c->warned_cut)
			pr_warn("%s: inline chains deeper than %d levels are cut to the %d innermost and the"
				" function (first at %s+%#llx)", dso->name, INL_MAX, INL_MAX - 1,
				symbol__name(sym, c->demangle), (unsigned long long)(addr - sym->start));
		c->warned_cut = true;
	}
	/* DWARF covers the address but names no function there (assembly such as crti's _fini):
	 * the outermost level is the symbol itself, and a chain of that level alone says nothing
	 * (no bogus "??+0x0 (inlined)" frame in place of the symbol) */
	if (n == 1 && !cut && !fr[0].func)
		n = 0;
	if (n) {
		out = frames_alloc(c, n);
		if (!out)
			return -ENOMEM;
		sname = symbol__name(sym, c->demangle);
		for (int i = 0; i < n; i++) {
			const char *nm = i == n - 1 && (cut || !fr[i].func) ? sname : level_name(c, fr[i].func);

			if (!nm)
				return -ENOMEM;
			out[i] = (struct inline_frame){
				.name = nm, .file = fr[i].file, .dir = fr[i].dir, .line = fr[i].line,
				.inlined = strcmp(nm, sname) != 0,
			};
		}
	}
	if (ent_add(c, dso, addr, h, out, n))
		return -ENOMEM;
	*chain = out;
	return n;
}
