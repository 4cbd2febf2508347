/* Owns the parent key's matcher (report/hist/parent.h): the compiled regex and, per symbol
 * or inlined level seen, whether its name matched. */
#include <errno.h>
#include <stdlib.h>

#include "report/hist/parent.h"
#include "report/session/session.h"
#include "symbols/dso.h"
#include "util/array.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/strpool.h"

static const char no_match;

int hist_parent__init(struct hist_parent *p, const char *regex, struct strpool *strs,
		      bool demangle, struct error *err)
{
	*p = (struct hist_parent){ .strs = strs, .demangle = demangle };
	if (regcomp(&p->re, regex ? regex : HIST_PARENT_DEFAULT, REG_EXTENDED | REG_NOSUB))
		return error__set(err, -EINVAL, "bad --parent regex '%s'", regex);
	p->re_ok = true;
	return 0;
}

void hist_parent__exit(struct hist_parent *p)
{
	if (p->re_ok)
		regfree(&p->re);
	htab__exit(&p->tab);
	free(p->e);
	p->re_ok = false;
	p->e = NULL;
	p->nr = p->cap = 0;
}

/* The cached answer for @k (its name @name matched once): the interned name or &no_match;
 * NULL on ENOMEM. */
static const char *match(struct hist_parent *p, const void *k, const char *name)
{
	uint64_t h = hash_ptr(k);
	struct htab_slot *s;
	size_t pos;
	const char *v = &no_match;

	htab__for_each_hash(&p->tab, h, s, pos)
		if (p->e[s->val - 1].k == k)
			return p->e[s->val - 1].v;
	if (!regexec(&p->re, name, 0, NULL, 0) && !(v = strpool__add(p->strs, name)))
		return NULL;
	if (ARRAY_GROW(p->e, p->cap, p->nr + 1) || htab__insert(&p->tab, h, p->nr + 1))
		return NULL;
	p->e[p->nr++] = (struct hist_parent_ent){ .k = k, .v = v };
	return v;
}

const char *hist_parent__of(struct hist_parent *p, const struct addr_loc *const *locs, int nf,
			    bool *oom)
{
	for (int i = 0; i < nf; i++) {
		const struct addr_loc *l = locs[i];
		bool inlined = l->inl && l->inl->inlined;
		const char *v;

		if (!l->sym)
			continue;
		/* an inlined level is matched by its own name */
		v = inlined ? match(p, l->inl, l->inl->name)
			    : match(p, l->sym, symbol__name(l->sym, p->demangle));
		if (!v) {
			*oom = true;
			return NULL;
		}
		if (v != &no_match)
			return v;
	}
	return NULL;
}
