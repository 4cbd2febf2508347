/* Owns the sample sums behind annotation: two open-addressing hash tables (entries by
 * (event, symbol); address counters by (entry, offset)), per-event totals, and the final
 * ordering (event, then period, hottest first) with each entry's addresses made contiguous. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "report/annotate/hist.h"
#include "symbols/dso.h"

struct slot_addr {
	uint32_t entry;			/* entry index + 1; 0 = empty */
	struct annotate_addr a;
};

struct event_total {
	const struct pd_evsel *evsel;
	uint64_t nr_samples, period;
};

struct annotate_hist {
	struct annotate_entry *e;	/* entries in arrival order, sorted by finish() */
	size_t nr, cap;
	uint32_t *eslot;		/* entry hash: index + 1, 0 = empty */
	size_t eslots;
	struct slot_addr *aslot;
	size_t aslots, nr_addrs;
	struct annotate_addr *addrs;	/* finish(): grouped by entry */
	struct event_total *tot;
	size_t nr_tot;
};

static inline uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline uint64_t entry_hash(const struct pd_evsel *ev, const struct symbol *sym)
{
	return mix((uint64_t)(uintptr_t)sym ^ ((uint64_t)(uintptr_t)ev << 17));
}

static inline uint64_t addr_hash(uint32_t entry, uint64_t off)
{
	return mix(off * 0x9e3779b97f4a7c15ULL ^ entry);
}

struct annotate_hist *annotate_hist__new(void)
{
	struct annotate_hist *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->eslots = 256;
	h->aslots = 4096;
	h->eslot = calloc(h->eslots, sizeof(*h->eslot));
	h->aslot = calloc(h->aslots, sizeof(*h->aslot));
	if (!h->eslot || !h->aslot) {
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
	free(h->eslot);
	free(h->aslot);
	free(h->addrs);
	free(h->tot);
	free(h);
}

static int grow_entries(struct annotate_hist *h)
{
	size_t n = h->eslots * 2, i;
	uint32_t *t = calloc(n, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < h->nr; i++) {
		size_t j = entry_hash(h->e[i].evsel, h->e[i].sym) & (n - 1);

		while (t[j])
			j = (j + 1) & (n - 1);
		t[j] = (uint32_t)i + 1;
	}
	free(h->eslot);
	h->eslot = t;
	h->eslots = n;
	return 0;
}

static int grow_addrs(struct annotate_hist *h)
{
	size_t n = h->aslots * 2, i;
	struct slot_addr *t = calloc(n, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < h->aslots; i++) {
		const struct slot_addr *s = &h->aslot[i];
		size_t j;

		if (!s->entry)
			continue;
		j = addr_hash(s->entry, s->a.off) & (n - 1);
		while (t[j].entry)
			j = (j + 1) & (n - 1);
		t[j] = *s;
	}
	free(h->aslot);
	h->aslot = t;
	h->aslots = n;
	return 0;
}

static struct event_total *total_of(struct annotate_hist *h, const struct pd_evsel *ev)
{
	size_t i;

	/* a file has a handful of events: the last one used is nearly always the answer */
	for (i = h->nr_tot; i > 0; i--)
		if (h->tot[i - 1].evsel == ev)
			return &h->tot[i - 1];
	{
		struct event_total *n = realloc(h->tot, (h->nr_tot + 1) * sizeof(*n));

		if (!n)
			return NULL;
		h->tot = n;
		n[h->nr_tot] = (struct event_total){ .evsel = ev };
		return &n[h->nr_tot++];
	}
}

int annotate_hist__add(struct annotate_hist *h, struct pd_evsel *evsel, struct dso *dso,
		       struct symbol *sym, uint64_t off, uint64_t period)
{
	size_t j;
	uint32_t ei;

	j = entry_hash(evsel, sym) & (h->eslots - 1);
	while (h->eslot[j]) {
		struct annotate_entry *e = &h->e[h->eslot[j] - 1];

		if (e->sym == sym && e->evsel == evsel)
			break;
		j = (j + 1) & (h->eslots - 1);
	}
	if (!h->eslot[j]) {
		if (h->nr == h->cap) {
			size_t nc = h->cap ? h->cap * 2 : 64;
			struct annotate_entry *n = realloc(h->e, nc * sizeof(*n));

			if (!n)
				return -ENOMEM;
			h->e = n;
			h->cap = nc;
		}
		h->e[h->nr] = (struct annotate_entry){ .evsel = evsel, .dso = dso, .sym = sym };
		h->eslot[j] = (uint32_t)++h->nr;
		if (h->nr * 2 > h->eslots && grow_entries(h))
			return -ENOMEM;
		j = entry_hash(evsel, sym) & (h->eslots - 1);
		while (h->e[h->eslot[j] - 1].sym != sym || h->e[h->eslot[j] - 1].evsel != evsel)
			j = (j + 1) & (h->eslots - 1);
	}
	ei = h->eslot[j];
	h->e[ei - 1].nr_samples++;
	h->e[ei - 1].period += period;

	j = addr_hash(ei, off) & (h->aslots - 1);
	while (h->aslot[j].entry && (h->aslot[j].entry != ei || h->aslot[j].a.off != off))
		j = (j + 1) & (h->aslots - 1);
	if (!h->aslot[j].entry) {
		h->aslot[j].entry = ei;
		h->aslot[j].a = (struct annotate_addr){ .off = off };
		h->nr_addrs++;
	}
	h->aslot[j].a.nr_samples++;
	h->aslot[j].a.period += period;
	if (h->nr_addrs * 2 > h->aslots)
		return grow_addrs(h);
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

static int cmp_slot(const void *a, const void *b)
{
	const struct slot_addr *x = a, *y = b;

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
	/* ties as perf breaks them: by DSO file name, then symbol name */
	nx = strrchr(x->dso->name, '/');
	ny = strrchr(y->dso->name, '/');
	c = strcmp(nx ? nx + 1 : x->dso->name, ny ? ny + 1 : y->dso->name);
	if (!c)
		c = strcmp(x->sym->name, y->sym->name);
	if (!c)
		c = strcmp(x->dso->name, y->dso->name);
	return c ? c : (x->sym->start > y->sym->start) - (x->sym->start < y->sym->start);
}

int annotate_hist__finish(struct annotate_hist *h)
{
	size_t i, k = 0;

	/* pack the address slots, sort by (entry, offset): each entry's run is contiguous */
	for (i = 0; i < h->aslots; i++)
		if (h->aslot[i].entry)
			h->aslot[k++] = h->aslot[i];
	qsort(h->aslot, k, sizeof(*h->aslot), cmp_slot);
	h->addrs = malloc((k ? k : 1) * sizeof(*h->addrs));
	if (!h->addrs)
		return -ENOMEM;
	for (i = 0; i < k; i++) {
		struct annotate_entry *e = &h->e[h->aslot[i].entry - 1];

		h->addrs[i] = h->aslot[i].a;
		if (!e->nr_addrs)
			e->addrs = &h->addrs[i];
		e->nr_addrs++;
	}
	/* the slot table is no longer a hash table: drop it so nobody adds to it */
	free(h->aslot);
	h->aslot = NULL;
	h->aslots = 0;
	free(h->eslot);
	h->eslot = NULL;
	qsort(h->e, h->nr, sizeof(*h->e), cmp_entry);
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
