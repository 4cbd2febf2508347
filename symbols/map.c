/* Owns struct maps: the sorted, non-overlapping map array and its overlap cutting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/map.h"
#include "util/array.h"
#include "util/bsearch.h"

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

/* Let go of the array: freed by its last user. */
static void drop_array(struct maps *m)
{
	if (m->v_users && --*m->v_users) {
		m->v_users = NULL;
		return;
	}
	free(m->v_users);
	free(m->v);
	m->v_users = NULL;
}

void maps__put(struct maps *m)
{
	if (!m || --m->refcnt > 0)
		return;
	drop_array(m);
	free(m);
}

struct maps *maps__clone(struct maps *m)
{
	struct maps *c = maps__new();

	if (!c || !m->nr)
		return c;
	if (!m->v_users) {
		m->v_users = malloc(sizeof(*m->v_users));
		if (!m->v_users) {
			free(c);
			return NULL;
		}
		*m->v_users = 1;
	}
	++*m->v_users;
	c->v_users = m->v_users;
	c->v = m->v;
	c->nr = m->nr;
	c->cap = m->cap;
	return c;
}

/* Before a change: a private copy of a shared array, with room for @need maps. */
static int unshare(struct maps *m, size_t need)
{
	struct map *v;

	if (!m->v_users)
		return 0;
	if (*m->v_users == 1) {		/* the others are gone: it is ours */
		free(m->v_users);
		m->v_users = NULL;
		return 0;
	}
	v = malloc((need > m->nr ? need : m->nr) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, m->v, m->nr * sizeof(*v));
	--*m->v_users;
	m->v_users = NULL;
	m->v = v;
	m->cap = need > m->nr ? need : m->nr;
	return 0;
}

/* Index of the first map whose end > addr: the maps do not overlap, so their ends are
 * sorted as their starts are, and the maps ending at or before addr come first. */
static inline size_t first_ending_after(const struct maps *m, uint64_t addr)
{
	return bsearch__upper_u64(m->v, m->nr, sizeof(*m->v), offsetof(struct map, end), addr);
}

int maps__insert(struct maps *m, const struct map *map)
{
	size_t i = first_ending_after(m, map->start), j = i, keep = 0, need;
	struct map piece[2];

	if (map->end <= map->start)
		return 0;
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
	if (unshare(m, need) || ARRAY_GROW(m->v, m->cap, need))
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
	size_t i = first_ending_after(m, addr);

	if (i < m->nr && m->v[i].start <= addr)
		return &m->v[i];
	return NULL;
}
