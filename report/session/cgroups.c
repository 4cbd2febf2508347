/* Owns the id -> path table of a recording's cgroups (report/session/cgroups.h): the paths
 * interned in a util/strpool, found through a util/htab index on the id. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/session/cgroups.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strpool.h"

struct cgroup_ent {
	uint64_t id;
	const char *name;
};

struct cgroups {
	struct cgroup_ent *ents;
	size_t nr, cap;
	struct htab tab;	/* hash_u64(id) -> index + 1 */
	struct strpool *names;
};

struct cgroups *cgroups__new(void)
{
	struct cgroups *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->names = strpool__new();
	if (!c->names) {
		free(c);
		return NULL;
	}
	return c;
}

void cgroups__free(struct cgroups *c)
{
	if (!c)
		return;
	strpool__free(c->names);
	htab__exit(&c->tab);
	free(c->ents);
	free(c);
}

static struct cgroup_ent *find(const struct cgroups *c, uint64_t id)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&c->tab, hash_u64(id), s, pos)
		if (c->ents[s->val - 1].id == id)
			return &c->ents[s->val - 1];
	return NULL;
}

int cgroups__add_record(struct cgroups *c, const void *body, size_t len)
{
	struct cgroup_ent *e;
	const char *name;
	uint64_t id;

	if (len < 9)
		return -EINVAL;
	memcpy(&id, body, 8);
	name = strpool__add_len(c->names, (const char *)body + 8, strnlen((const char *)body + 8,
									   len - 8));
	if (!name)
		return -ENOMEM;
	if ((e = find(c, id))) {
		e->name = name;
		return 0;
	}
	if (ARRAY_GROW(c->ents, c->cap, c->nr + 1) ||
	    htab__insert(&c->tab, hash_u64(id), (uintptr_t)c->nr + 1))
		return -ENOMEM;
	c->ents[c->nr++] = (struct cgroup_ent){ id, name };
	return 0;
}

const char *cgroups__name(const struct cgroups *c, uint64_t id)
{
	const struct cgroup_ent *e = c ? find(c, id) : NULL;

	return e ? e->name : NULL;
}
