/* A DSO's cache of recent lookups: map address -> symbol (or none) and offset, direct-mapped
 * by a hash of the address, so a frame seen before costs one probe instead of a binary
 * search over the symbol table. Sized by the table (64 to 4096 slots); emptied by itself
 * when the table it was filled from is replaced or grows (symbols added after loading). */
#ifndef SYMBOLS_SYMCACHE_H
#define SYMBOLS_SYMCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symbol;

struct symcache_slot {
	uint64_t addr;
	uint64_t off;
	uint32_t idx;		/* 0: empty, 1: no symbol, else syms[idx - 2] */
};

struct symcache {
	const struct symbol *syms;	/* the table the slots index */
	size_t nr_syms;
	size_t mask;
	struct symcache_slot slot[];
};

/* A cache for a table of nr_syms symbols; NULL on ENOMEM. */
struct symcache *symcache__new(size_t nr_syms);
void symcache__free(struct symcache *c);

/* The slot of @addr for the table (syms, nr): emptied first if the table changed. */
struct symcache_slot *symcache__slot(struct symcache *c, const struct symbol *syms, size_t nr,
				     uint64_t addr);

#endif
