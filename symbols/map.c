/* Owns struct maps: the sorted, non-overlapping map arrays (a private one on top of frozen,
 * shared layers), their overlap cutting and the freezing a fork does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/map.h"
#include "util/array.h"
#include "util/bsearch.h"

/* Layers deeper than this are merged into one at the next freeze: a process that maps and
 * forks in turn would otherwise make every lookup walk a long list. */
#define MAX_DEPTH 4

struct maps_layer {
	struct map *v;		/* sorted, overlapping no map of another layer of the stack */
	size_t nr;
	struct maps_layer *below;
	unsigned int refcnt;
	unsigned int depth;	/* 1 + below's */
};

static void layer__put(struct maps_layer *l)
{
	while (l && --l->refcnt == 0) {
		struct maps_layer *below = l->below;

		free(l->v);
		free(l);
		l = below;
	}
}

struct maps *maps__new(void)
{
	struct maps *m = calloc(1, sizeof(*m));

	if (m)
		m->refcnt = 1;
	return m;
}

struct maps *maps__get(struct maps *m)
{
	if (m)
		m->refcnt++;
	return m;
}

void maps__put(struct maps *m)
{
	if (!m || --m->refcnt > 0)
		return;
	layer__put(m->below);
	free(m->v);
	free(m);
}

size_t maps__nr(const struct maps *m)
{
	size_t nr = m->nr;

	for (const struct maps_layer *l = m->below; l; l = l->below)
		nr += l->nr;
	return nr;
}

unsigned int maps__layers(const struct maps *m)
{
	return m->below ? m->below->depth : 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct map *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* One sorted array of @m's own maps and every layer's (they overlap nowhere), with room
 * for @extra more. NULL on ENOMEM. */
static struct map *flatten(const struct maps *m, size_t extra, size_t *nr)
{
	size_t n = maps__nr(m), k = m->nr;
	struct map *v = malloc((n + extra) * sizeof(*v));

	if (!v)
		return NULL;
	if (m->nr)
		memcpy(v, m->v, m->nr * sizeof(*v));
	for (const struct maps_layer *l = m->below; l; l = l->below) {
		if (l->nr)
			memcpy(v + k, l->v, l->nr * sizeof(*v));
		k += l->nr;
	}
	array__sort(v, n, sizeof(*v), cmp_start);
	*nr = n;
	return v;
}

bool maps__clone_moves(const struct maps *m)
{
	return m->nr && m->below && m->below->depth >= MAX_DEPTH;
}

/* Make @m's own maps a layer beneath it, to be shared with a clone. */
static int freeze(struct maps *m)
{
	struct maps_layer *l;

	if (!m->nr)
		return 0;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	if (maps__clone_moves(m)) {
		l->v = flatten(m, 0, &l->nr);
		if (!l->v) {
			free(l);
			return -ENOMEM;
		}
		layer__put(m->below);
		free(m->v);
	} else {
		l->v = m->v;
		l->nr = m->nr;
		l->below = m->below;
	}
	l->refcnt = 1;
	l->depth = l->below ? l->below->depth + 1 : 1;
	m->below = l;
	m->v = NULL;
	m->nr = m->cap = 0;
	return 0;
}

struct maps *maps__clone(struct maps *m)
{
	struct maps *c = maps__new();

	if (!c)
		return NULL;
	if (freeze(m)) {
		free(c);
		return NULL;
	}
	c->below = m->below;
	if (c->below)
		c->below->refcnt++;
	return c;
}

/* Index of the first of @nr maps whose end > addr: the maps do not overlap, so their ends
 * are sorted as their starts are, and the maps ending at or before addr come first. */
static inline size_t first_ending_after(const struct map *v, size_t nr, uint64_t addr)
{
	return bsearch__upper_u64(v, nr, sizeof(*v), offsetof(struct map, end), addr);
}

static const struct map *find_in(const struct map *v, size_t nr, uint64_t addr)
{
	size_t i = first_ending_after(v, nr, addr);

	return i < nr && v[i].start <= addr ? &v[i] : NULL;
}

/* Whether a frozen map overlaps [start, end). */
static bool below_overlaps(const struct maps *m, uint64_t start, uint64_t end)
{
	for (const struct maps_layer *l = m->below; l; l = l->below) {
		size_t i = first_ending_after(l->v, l->nr, start);

		if (i < l->nr && l->v[i].start < end)
			return true;
	}
	return false;
}

int maps__insert(struct maps *m, const struct map *map)
{
	size_t i, j, keep = 0, need;
	struct map piece[2];

	if (map->end <= map->start)
		return 0;
	if (below_overlaps(m, map->start, map->end)) {
		/* a frozen map gets cut: this one takes a private copy of them all */
		size_t nr;
		struct map *v = flatten(m, 3, &nr);

		if (!v)
			return -ENOMEM;
		free(m->v);
		layer__put(m->below);
		m->below = NULL;
		m->v = v;
		m->nr = nr;
		m->cap = nr + 3;
	}
	i = first_ending_after(m->v, m->nr, map->start);
	j = i;
	/* maps [i, j) overlap the new one; at most the first and last survive in part */
	while (j < m->nr && m->v[j].start < map->end)
		j++;
	if (i < j && m->v[i].start < map->start) {
		piece[keep] = m->v[i];
		piece[keep].end = map->start;
		keep++;
	}
	if (i < j && m->v[j - 1].end > map->end) {
		struct map *p = &piece[keep++];

		*p = m->v[j - 1];
		if (!p->identity)
			p->pgoff += map->end - p->start;
		p->start = map->end;
	}
	need = m->nr - (j - i) + 1 + keep;
	if (ARRAY_GROW(m->v, m->cap, need))
		return -ENOMEM;
	/* replace [i, j) with: piece before, new map, piece after */
	memmove(&m->v[i + 1 + keep], &m->v[j], (m->nr - j) * sizeof(*m->v));
	m->nr = need;
	if (keep && piece[0].start < map->start) {
		m->v[i++] = piece[0];
		m->v[i++] = *map;
		if (keep == 2)
			m->v[i] = piece[1];
	} else {
		m->v[i++] = *map;
		if (keep)
			m->v[i] = piece[0];
	}
	return 0;
}

const struct map *maps__find(const struct maps *m, uint64_t addr)
{
	const struct map *f = find_in(m->v, m->nr, addr);

	for (const struct maps_layer *l = m->below; !f && l; l = l->below)
		f = find_in(l->v, l->nr, addr);
	return f;
}
