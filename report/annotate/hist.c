/* Owns the sample sums behind annotation: two util/htab.h tables (entries by (event,
 * symbol); address counters by (entry, offset)) over arrays in arrival order, per-event
 * totals, and the final ordering (event, then period, hottest first) with each entry's
 * addresses made contiguous. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "report/annotate/hist.h"
#include "symbols/dso.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

struct addr_ent {
	uint32_t entry;			/* entry index + 1 */
	struct annotate_addr a;
};

struct event_total {
	const struct pd_evsel *evsel;
	uint64_t nr_samples, period;
};

/* Both tables hold index + 1 into their array. */
struct annotate_hist {
	struct annotate_entry *e;	/* entries in arrival order, sorted by finish() */
	size_t nr, cap;
	struct htab etab;
	uint32_t last;			/* the entry of the previous sample (index + 1), 0: none */
	struct addr_ent *ae;		/* address counters in arrival order */
	size_t nr_ae, cap_ae;
	struct htab atab;
	struct annotate_addr *addrs;	/* finish(): grouped by entry */
	struct event_total *tot;
	size_t nr_tot, cap_tot;
};

static inline uint64_t entry_hash(const struct pd_evsel *ev, const struct symbol *sym)
{
	return hash_u64(hash_fold(hash_fold(0, (uintptr_t)sym), (uintptr_t)ev));
}

static inline uint64_t addr_hash(uint32_t entry, uint64_t off)
{
	return hash_u64(hash_fold(hash_fold(0, entry), off));
}

struct annotate_hist *annotate_hist__new(void)
{
	struct annotate_hist *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	/* sized as the tables were before their first growth: per sample, two lookups */
	if (htab__init(&h->etab, 128) || htab__init(&h->atab, 2048)) {
		annotate_hist__free(h);
		return NULL;
	}
	return h;
}

void annotate_hist__free(struct annotate_hist *h)
{
	if (!h)
		return;
	free(h->e);
	htab__exit(&h->etab);
	free(h->ae);
	htab__exit(&h->atab);
	free(h->addrs);
	free(h->tot);
	free(h);
}

static struct event_total *total_of(struct annotate_hist *h, const struct pd_evsel *ev)
{
	size_t i;

	/* a file has a handful of events: the last one used is nearly always the answer */
	for (i = h->nr_tot; i > 0; i--)
		if (h->tot[i - 1].evsel == ev)
			return &h->tot[i - 1];
	if (ARRAY_GROW(h->tot, h->cap_tot, h->nr_tot + 1))
		return NULL;
	h->tot[h->nr_tot] = (struct event_total){ .evsel = ev };
	return &h->tot[h->nr_tot++];
}

/* The index + 1 of (@evsel, @sym)'s entry, added if new; 0 on ENOMEM. */
static uint32_t entry_of(struct annotate_hist *h, struct pd_evsel *evsel, struct dso *dso,
			 struct symbol *sym)
{
	uint64_t hash;
	struct htab_slot *s;
	size_t pos;

	/* samples come in runs from one symbol (a hot loop): the previous entry first */
	if (h->last && h->e[h->last - 1].sym == sym && h->e[h->last - 1].evsel == evsel)
		return h->last;
	hash = entry_hash(evsel, sym);
	htab__for_each_hash(&h->etab, hash, s, pos) {
		const struct annotate_entry *e = &h->e[s->val - 1];

		if (e->sym == sym && e->evsel == evsel)
			return (uint32_t)s->val;
	}
	if (h->nr >= UINT32_MAX || ARRAY_GROW(h->e, h->cap, h->nr + 1) ||
	    htab__insert(&h->etab, hash, h->nr + 1))
		return 0;
	h->e[h->nr] = (struct annotate_entry){ .evsel = evsel, .dso = dso, .sym = sym };
	return (uint32_t)++h->nr;
}

/* The counter of offset @off in entry @ei (index + 1), added if new; NULL on ENOMEM. */
static struct annotate_addr *addr_of(struct annotate_hist *h, uint32_t ei, uint64_t off)
{
	uint64_t hash = addr_hash(ei, off);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&h->atab, hash, s, pos) {
		struct addr_ent *a = &h->ae[s->val - 1];

		if (a->entry == ei && a->a.off == off)
			return &a->a;
	}
	if (ARRAY_GROW(h->ae, h->cap_ae, h->nr_ae + 1) || htab__insert(&h->atab, hash, h->nr_ae + 1))
		return NULL;
	h->ae[h->nr_ae] = (struct addr_ent){ .entry = ei, .a = { .off = off } };
	return &h->ae[h->nr_ae++].a;
}

int annotate_hist__add(struct annotate_hist *h, struct pd_evsel *evsel, struct dso *dso,
		       struct symbol *sym, uint64_t off, uint64_t period)
{
	uint32_t ei = entry_of(h, evsel, dso, sym);
	struct annotate_addr *a;

	if (!ei)
		return -ENOMEM;
	h->last = ei;
	h->e[ei - 1].nr_samples++;
	h->e[ei - 1].period += period;
	a = addr_of(h, ei, off);
	if (!a)
		return -ENOMEM;
	a->nr_samples++;
	a->period += period;
	return 0;
}

int annotate_hist__add_total(struct annotate_hist *h, const struct pd_evsel *evsel, uint64_t period)
{
	struct event_total *t = total_of(h, evsel);

	if (!t)
		return -ENOMEM;
	t->nr_samples++;
	t->period += period;
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct addr_ent *x = a, *y = b;

	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return x->a.off < y->a.off ? -1 : x->a.off > y->a.off;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct annotate_entry *x = a, *y = b;
	const char *nx, *ny;
	int c;

	if (x->evsel->idx != y->evsel->idx)
		return x->evsel->idx < y->evsel->idx ? -1 : 1;
	if (x->period != y->period)
		return x->period > y->period ? -1 : 1;
	/* ties as perf breaks them: by DSO file name, then symbol name as shown (demangled:
	 * "_cpp_lex_direct" before "ggc_internal_alloc", whose raw name is _Z18ggc_...) */
	nx = strrchr(x->dso->name, '/');
	ny = strrchr(y->dso->name, '/');
	c = strcmp(nx ? nx + 1 : x->dso->name, ny ? ny + 1 : y->dso->name);
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->dso->name, y->dso->name);
	return c ? c : (x->sym->start > y->sym->start) - (x->sym->start < y->sym->start);
}

int annotate_hist__finish(struct annotate_hist *h, bool demangle)
{
	size_t i, k = h->nr_ae;

	/* sort the counters by (entry, offset): each entry's run is contiguous (none: a file
	 * without samples, where h->ae is NULL, which qsort may not be given) */
	if (k)
		array__sort(h->ae, k, sizeof(*h->ae), cmp_addr);
	h->addrs = malloc((k ? k : 1) * sizeof(*h->addrs));
	if (!h->addrs)
		return -ENOMEM;
	for (i = 0; i < k; i++) {
		struct annotate_entry *e = &h->e[h->ae[i].entry - 1];

		h->addrs[i] = h->ae[i].a;
		if (!e->nr_addrs)
			e->addrs = &h->addrs[i];
		e->nr_addrs++;
	}
	/* the tables no longer index the arrays: drop them so nobody adds */
	free(h->ae);
	h->ae = NULL;
	h->nr_ae = h->cap_ae = 0;
	htab__exit(&h->atab);
	htab__exit(&h->etab);
	h->last = 0;
	for (i = 0; i < h->nr; i++)
		h->e[i].name = symbol__name(h->e[i].sym, demangle);
	array__sort(h->e, h->nr, sizeof(*h->e), cmp_entry);
	return 0;
}

size_t annotate_hist__nr(const struct annotate_hist *h) { return h->nr; }

const struct annotate_entry *annotate_hist__entry(const struct annotate_hist *h, size_t i)
{
	return i < h->nr ? &h->e[i] : NULL;
}

void annotate_hist__event_total(const struct annotate_hist *h, const struct pd_evsel *evsel,
				uint64_t *nr_samples, uint64_t *period)
{
	*nr_samples = *period = 0;
	for (size_t i = 0; i < h->nr_tot; i++) {
		if (h->tot[i].evsel == evsel) {
			*nr_samples = h->tot[i].nr_samples;
			*period = h->tot[i].period;
		}
	}
}
