/* Owns the resolution cache's table (see resolve_cache.h). */
#include <errno.h>
#include <stdlib.h>

#include "report/session/resolve_cache.h"

int resolve_cache__init(struct resolve_cache *c)
{
	c->slot = calloc((size_t)1 << RESOLVE_CACHE_BITS, sizeof(*c->slot));
	return c->slot ? 0 : -ENOMEM;
}

void resolve_cache__exit(struct resolve_cache *c)
{
	free(c->slot);
	c->slot = NULL;
}
