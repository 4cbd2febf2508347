/* The address space of a process (or of the kernel): non-overlapping maps sorted by start,
 * found by binary search. Inserting a map cuts away whatever it overlaps, as a new mmap
 * does in the kernel. Shared by the threads of a process (reference counted). A fork's
 * clone copies nothing: the parent's maps are frozen into a layer both then look through
 * (a forked shell that execs at once never copies its parent's maps, and a process's new
 * maps land in its own small array). No map of one layer overlaps one of another, so a
 * lookup's answer is the one map holding the address. Map pointers returned by lookups
 * stay valid until the next insert. */
#ifndef SYMBOLS_MAP_H
#define SYMBOLS_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso;

struct map {
	uint64_t start, end;	/* [start, end) */
	uint64_t pgoff;		/* file offset of start */
	struct dso *dso;
	uint32_t prot, flags;
	bool identity;		/* map address == ip (kernel, JIT maps, anonymous memory) */
};

/* ip -> the address the DSO is asked about: its file offset, or ip for identity maps. */
static inline uint64_t map__map_ip(const struct map *m, uint64_t ip)
{
	return m->identity ? ip : ip - m->start + m->pgoff;
}

struct maps_layer;

struct maps {
	struct map *v;		/* the maps added since the last freeze, private */
	size_t nr, cap;
	struct maps_layer *below;	/* frozen maps beneath (shared with clones), or NULL */
	int refcnt;
	/* set by the owner on each change (report/session: unique over a session, 0 while
	 * empty), so that equal generations mean equal contents; maps__* leave it alone */
	uint64_t gen;
};

struct maps *maps__new(void);
struct maps *maps__get(struct maps *m);
void maps__put(struct maps *m);
/* A new maps with @m's maps (refcount 1), sharing them with @m: NULL on ENOMEM. */
struct maps *maps__clone(struct maps *m);
/* Whether maps__clone(@m) moves @m's map structs (merging its layers into one): pointers
 * maps__find() gave before are then stale. Otherwise they stay where they are. */
bool maps__clone_moves(const struct maps *m);
/* Insert, cutting overlapped parts of existing maps. 0 or -ENOMEM. */
int maps__insert(struct maps *m, const struct map *map);
const struct map *maps__find(const struct maps *m, uint64_t addr);
/* How many maps @m holds, in every layer. */
size_t maps__nr(const struct maps *m);
/* How many frozen layers a lookup may walk beneath @m's own maps. */
unsigned int maps__layers(const struct maps *m);

#endif
