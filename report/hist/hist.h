/* Histograms of one event: entries keyed by the active sort keys, with self and
 * children (accumulated) periods, sample counts and a call-graph tree each. Lookup is
 * one hash probe; entries are allocated in blocks, never one per sample. */
#ifndef REPORT_HIST_HIST_H
#define REPORT_HIST_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/hist/callchain.h"
#include "report/hist/sort.h"
#include "util/htab.h"

/* The key comes last: an entry of a table whose sort keys leave the key's tail unread is
 * allocated without it (hists.entry_size). */
struct hist_entry {
	uint64_t self, acc;		/* periods: own samples, and samples under it (children) */
	uint64_t nr_events;		/* own samples */
	uint64_t hash;			/* hist_key__hash of key */
	struct cc_ref cc;		/* its call graph */
	bool filtered;			/* hidden by --comm/--dso/... but counted in totals */
	struct hist_key key;
};

struct hists {
	const struct sort_list *sort;
	struct htab tab;		/* key hash -> entry pointer */
	struct hist_entry **v;		/* every entry, in creation order */
	size_t nr, cap;
	void *blocks;			/* entry storage */
	size_t entry_size, key_size;	/* of each entry, and of its key: the head alone when no
					 * sort key reads the tail */
	size_t block_used;
	struct hist_entry **free;	/* pruned entries' storage, reused first */
	size_t nr_free, cap_free;
	uint64_t nr_samples, nr_non_filtered_samples;
};

struct hists *hists__new(const struct sort_list *sort);
void hists__free(struct hists *h);
/* The entry for @k (hash from hist_key__hash), created zeroed with the key if new
 * (*created set). NULL on ENOMEM. */
struct hist_entry *hists__findnew(struct hists *h, const struct hist_key *k, uint64_t hash,
				  bool *created);
/* The entry for @k if there is one (no creation), else NULL. */
struct hist_entry *hists__find(const struct hists *h, const struct hist_key *k, uint64_t hash);
/* After keys were changed in place (hash updated by the caller): rebuild the table, entries
 * that now share a key merged into the earliest one by merge(into, from, ctx) and dropped.
 * 0 or merge's first error. */
int hists__rehash(struct hists *h, int (*merge)(struct hist_entry *into, struct hist_entry *from,
						void *ctx), void *ctx);
/* Drop the entries for which @drop says true (long live histograms: ptop): they leave the
 * table and the list (the others keep their order and their addresses) and their storage is
 * reused by later entries; their call-graph trees are the caller's to forget. Returns how
 * many were dropped, or -ENOMEM (nothing dropped). */
long hists__prune(struct hists *h, bool (*drop)(const struct hist_entry *e, void *ctx), void *ctx);
/* Sum of self periods of all entries (filtered: only the shown ones). */
uint64_t hists__total_period(const struct hists *h, bool non_filtered_only);

#endif
