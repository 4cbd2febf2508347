/* Owns the (DSO, address) -> inline chain cache: an open-addressing table whose chains live
 * in blocks that never move (frames handed out keep pointing at them), and the demangled
 * names it made. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/inline.h"
#include "symbols/dso.h"
#include "symbols/srcline.h"
#include "util/log.h"

#define INL_MAX 16		/* deepest chain kept (srcline.h's callers use the same) */
#define INL_BLOCK 4096		/* frames per block */

struct inl_slot {
	const struct dso *dso;	/* NULL: empty */
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
	struct inl_slot *slots;
	size_t nr, cap;		/* cap: a power of two */
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
	c->cap = 1024;
	c->slots = calloc(c->cap, sizeof(*c->slots));
	if (!c->slots) {
		inline_cache__free(c);
		return NULL;
	}
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
	free(c->slots);
	free(c);
}

static size_t slot_hash(const struct dso *dso, uint64_t addr)
{
	uint64_t h = ((uintptr_t)dso >> 4) * 0x9e3779b97f4a7c15ULL ^ addr * 0xff51afd7ed558ccdULL;

	return (size_t)(h ^ (h >> 29));
}

static struct inl_slot *slot_find(struct inline_cache *c, const struct dso *dso, uint64_t addr)
{
	size_t i = slot_hash(dso, addr) & (c->cap - 1);

	while (c->slots[i].dso && (c->slots[i].dso != dso || c->slots[i].addr != addr))
		i = (i + 1) & (c->cap - 1);
	return &c->slots[i];
}

static int grow(struct inline_cache *c)
{
	struct inl_slot *old = c->slots;
	size_t ocap = c->cap;

	c->slots = calloc(ocap * 2, sizeof(*c->slots));
	if (!c->slots) {
		c->slots = old;
		return -ENOMEM;
	}
	c->cap = ocap * 2;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].dso)
			*slot_find(c, old[i].dso, old[i].addr) = old[i];
	free(old);
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
	if (c->nr_names == c->names_cap) {
		size_t cap = c->names_cap ? c->names_cap * 2 : 64;
		char **p = realloc(c->names, cap * sizeof(*p));

		if (!p) {
			free((char *)d);
			return NULL;
		}
		c->names = p;
		c->names_cap = cap;
	}
	c->names[c->nr_names++] = (char *)d;
	return d;
}

int inline_cache__find(struct inline_cache *c, struct dso *dso, struct symbol *sym,
		       uint64_t addr, const struct inline_frame **chain)
{
	struct srcline_frame fr[INL_MAX + 1];
	struct inline_frame *out = NULL;
	struct inl_slot *sl;
	const char *sname;
	bool cut = false;
	int n;

	*chain = NULL;
	if (!dso || !sym || dso->kind == DSO_KERNEL || dso->kind == DSO_KMODULE)
		return 0;
	sl = slot_find(c, dso, addr);
	if (sl->dso) {
		*chain = sl->chain;
		return sl->n;
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
	if (n) {
		out = frames_alloc(c, n);
		if (!out)
			return -ENOMEM;
		sname = symbol__name(sym, c->demangle);
		for (int i = 0; i < n; i++) {
			const char *nm = cut && i == n - 1 ? sname : level_name(c, fr[i].func);

			if (!nm)
				return -ENOMEM;
			out[i] = (struct inline_frame){
				.name = nm, .file = fr[i].file, .dir = fr[i].dir, .line = fr[i].line,
				.inlined = strcmp(nm, sname) != 0,
			};
		}
	}
	if (c->nr + 1 > c->cap / 2) {
		if (grow(c))
			return -ENOMEM;
		sl = slot_find(c, dso, addr);
	}
	*sl = (struct inl_slot){ .dso = dso, .addr = addr, .chain = out, .n = n };
	c->nr++;
	*chain = out;
	return n;
}
