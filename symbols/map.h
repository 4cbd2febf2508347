/* The address space of a process (or of the kernel): non-overlapping maps sorted by start,
 * found by binary search. Inserting a map cuts away whatever it overlaps, as a new mmap
 * does in the kernel. Shared by the threads of a process (reference counted); fork
 * clones it. Map pointers returned by lookups stay valid until the next insert. */
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

struct maps {
	struct map *v;		/* shared with clones until one of them changes it */
	size_t nr, cap;
	unsigned int *v_users;	/* the maps sharing v (NULL: this one alone) */
	int refcnt;
	/* set by the owner on each change (report/session: unique over a session, 0 while
	 * empty), so that equal generations mean equal contents; maps__* leave it alone */
	uint64_t gen;
};

struct maps *maps__new(void);
struct maps *maps__get(struct maps *m);
void maps__put(struct maps *m);
/* A new maps with @m's maps (refcount 1): the array is shared, copied by whichever of the
 * two changes first (a forked process that execs at once never copies it). */
struct maps *maps__clone(struct maps *m);
/* Insert, cutting overlapped parts of existing maps. 0 or -ENOMEM. */
int maps__insert(struct maps *m, const struct map *map);
const struct map *maps__find(const struct maps *m, uint64_t addr);

#endif
