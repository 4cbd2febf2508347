/* Owns preport's host tid -> namespace tid table (--sort nspid). See report/hist/nspid.h. */
#include <stdlib.h>

#include "perfdata/format.h"
#include "perfdata/nspid.h"
#include "perfdata/reader.h"
#include "report/hist/nspid.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/log.h"

struct hist_nspids {
	struct pd_nspid *ents;
	struct htab tab;	/* hash_u64(tid) -> index + 1 */
};

struct hist_nspids *hist_nspids__new(struct pd_reader *r)
{
	struct hist_nspids *t = calloc(1, sizeof(*t));
	uint64_t size = 0;
	const void *sec = pd_reader__feature(r, PD_FEAT_NS_PIDS, &size);
	long nr;

	if (!t || !sec)
		return t;
	nr = pd_nspid__count(sec, (size_t)size);
	if (nr < 0) {
		pr_warn("the ns_pids section is malformed: pids inside namespaces not shown");
		return t;
	}
	if (!nr)
		return t;
	t->ents = calloc((size_t)nr, sizeof(*t->ents));
	if (!t->ents || htab__init(&t->tab, (size_t)nr))
		goto err;
	for (long i = 0; i < nr; i++) {
		pd_nspid__get(sec, (size_t)i, &t->ents[i]);
		if (htab__insert(&t->tab, hash_u64((uint32_t)t->ents[i].tid), (uintptr_t)i + 1))
			goto err;
	}
	return t;
err:
	hist_nspids__free(t);
	return NULL;
}

void hist_nspids__free(struct hist_nspids *t)
{
	if (!t)
		return;
	free(t->ents);
	htab__exit(&t->tab);
	free(t);
}

int32_t hist_nspids__nstid(const struct hist_nspids *t, int32_t tid)
{
	struct htab_slot *s;
	size_t pos;
	int32_t found = 0;

	if (!t || !t->tab.nr)
		return 0;
	/* the last entry of a tid wins (a task read anew) */
	htab__for_each_hash(&t->tab, hash_u64((uint32_t)tid), s, pos)
		if (t->ents[s->val - 1].tid == tid)
			found = t->ents[s->val - 1].nstid;
	return found;
}
