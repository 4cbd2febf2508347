/* Samples per symbol and per address inside it, for annotation: one entry per (event,
 * symbol) with its sample count and period, and per (entry, offset in the symbol) the
 * same two sums. Adding a sample is two hash lookups and no allocation except when a
 * table grows.
 *
 * Usage:
 *	struct annotate_hist *h = annotate_hist__new();
 *	annotate_hist__add_total(h, evsel, period);		(per sample)
 *	annotate_hist__add(h, evsel, dso, sym, off, period);	(per sample with a symbol)
 *	annotate_hist__finish(h);		(entries hottest first, addresses grouped)
 *	for (i = 0; i < annotate_hist__nr(h); i++) e = annotate_hist__entry(h, i); ...
 *	annotate_hist__free(h);
 */
#ifndef REPORT_ANNOTATE_HIST_H
#define REPORT_ANNOTATE_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso;
struct symbol;
struct pd_evsel;

struct annotate_addr {
	uint64_t off;			/* offset into the symbol */
	uint64_t nr_samples, period;
};

struct annotate_entry {
	struct pd_evsel *evsel;
	struct dso *dso;
	struct symbol *sym;
	uint64_t nr_samples, period;
	/* after annotate_hist__finish(): the symbol's name as shown (ties are ordered by it) and
	 * this entry's addresses, by offset */
	const char *name;
	const struct annotate_addr *addrs;
	size_t nr_addrs;
};

struct annotate_hist;

struct annotate_hist *annotate_hist__new(void);
void annotate_hist__free(struct annotate_hist *h);
/* Count one sample of @period at @off into @sym. 0 or -ENOMEM. */
int annotate_hist__add(struct annotate_hist *h, struct pd_evsel *evsel, struct dso *dso,
		       struct symbol *sym, uint64_t off, uint64_t period);
/* Count one sample of an event, with or without a symbol (the global percent types'
 * base). 0 or -ENOMEM. */
int annotate_hist__add_total(struct annotate_hist *h, const struct pd_evsel *evsel, uint64_t period);
/* Order the entries: by event (file order), then period, hottest first; group each
 * entry's addresses. 0 or -ENOMEM. No adds after this. */
int annotate_hist__finish(struct annotate_hist *h, bool demangle);
size_t annotate_hist__nr(const struct annotate_hist *h);
const struct annotate_entry *annotate_hist__entry(const struct annotate_hist *h, size_t i);
/* Sums over every sample of an event (for the global percent types). */
void annotate_hist__event_total(const struct annotate_hist *h, const struct pd_evsel *evsel,
				uint64_t *nr_samples, uint64_t *period);

#endif
