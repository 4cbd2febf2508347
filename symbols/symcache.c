/* Owns the per-DSO lookup cache (see symcache.h). */
#include <stdlib.h>
#include <string.h>

#include "symbols/symcache.h"
#include "util/hash.h"

struct symcache *symcache__new(size_t nr_syms)
{
	size_t n = 64;
	struct symcache *c;

	while (n < 4096 && n < nr_syms / 8)
		n *= 2;
	c = calloc(1, sizeof(*c) + n * sizeof(c->slot[0]));
	if (c)
		c->mask = n - 1;
	return c;
}

void symcache__free(struct symcache *c)
{
	free(c);
}

struct symcache_slot *symcache__slot(struct symcache *c, const struct symbol *syms, size_t nr,
				     uint64_t addr)
{
	if (c->syms != syms || c->nr_syms != nr) {
		memset(c->slot, 0, (c->mask + 1) * sizeof(c->slot[0]));
		c->syms = syms;
		c->nr_syms = nr;
	}
	return &c->slot[hash_u64(addr) & c->mask];
}
