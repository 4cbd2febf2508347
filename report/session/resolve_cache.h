/* What session__resolve found for an address under a maps generation (the map, the symbol and
 * the offset into it, or that no map covers it), kept in a direct-mapped table: a frame
 * resolved before costs one slot, not a map search and a symbol lookup. A slot is keyed by
 * (generation, address) exactly. Sound because a generation names one maps contents, unique
 * over the session (0: empty, never kept), the map structs found under a generation stay where
 * they are while it lives (a FORK that clones, and may move, a maps gives both a new one) and a
 * DSO's symbol table is fixed once loaded. */
#ifndef REPORT_SESSION_RESOLVE_CACHE_H
#define REPORT_SESSION_RESOLVE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "symbols/dso.h"
#include "symbols/map.h"
#include "util/hash.h"

/* 32 bytes: two to a cache line. A generation or an offset past 32 bits is not kept. */
struct resolve_slot {
	uint64_t ip;
	uint32_t gen;		/* 0: empty */
	uint32_t symoff;
	const struct map *map;
	struct symbol *sym;
};

/* 8192 slots (256 KB): pfold found 73% of the frames it resolved in it on a 290K-sample
 * -a -g recording, 75% on a 2.8M-sample one (preport: 78%, 82%); 2048 slots find 68%, 32768
 * 75%. */
#define RESOLVE_CACHE_BITS 13

struct resolve_cache {
	struct resolve_slot *slot;
};

/* The table (zeroed: every slot empty). 0 or -ENOMEM. */
int resolve_cache__init(struct resolve_cache *c);
void resolve_cache__exit(struct resolve_cache *c);

/* The slot of (@gen, @ip) in an initialized cache: holding them if resolve_slot__is() says
 * so, else the one to fill. */
static inline struct resolve_slot *resolve_cache__slot(const struct resolve_cache *c,
						       uint64_t gen, uint64_t ip)
{
	return &c->slot[hash_u64(hash_fold(ip, gen)) & (((size_t)1 << RESOLVE_CACHE_BITS) - 1)];
}

static inline bool resolve_slot__is(const struct resolve_slot *s, uint64_t gen, uint64_t ip)
{
	return s->gen == gen && s->ip == ip;
}

/* Keep what was found, if it fits (generation and offset within 32 bits): a map, or NULL
 * when no map covers @ip (on a busy machine's 290K-sample -a -g file, a third of the
 * addresses pfold did not find in the cache were such, each searched for again). */
static inline void resolve_slot__fill(struct resolve_slot *s, uint64_t gen, uint64_t ip,
				      const struct map *map, struct symbol *sym, uint64_t symoff)
{
	if (!gen || gen > UINT32_MAX || symoff > UINT32_MAX)
		return;
	*s = (struct resolve_slot){ .ip = ip, .gen = (uint32_t)gen, .symoff = (uint32_t)symoff,
				    .map = map, .sym = sym };
}

#endif
