/* Unwind quality: for every user stack unwound, why it ended (complete, cut by the stack
 * copy, missing CFI, ...), counted per DSO where it ended. The counts are read by
 * report/hist/unwind_report.c, which prints them (`preport --unwind-stats`, header line). */
#ifndef UNWIND_STATS_H
#define UNWIND_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "unwind/unwind.h"
#include "util/htab.h"

struct dso;

/* Read-only outside unwind/stats.c. */
struct unwind_stats_row {
	struct dso *dso;		/* NULL: no mapping */
	uint64_t samples, fp;
	uint64_t n[UNWIND_NR_STOPS];
};

struct unwind_stats {
	uint64_t samples, fp, frames;
	uint64_t n[UNWIND_NR_STOPS];
	uint64_t stack_size;		/* largest copy size seen */
	const char *backend;
	struct unwind_stats_row *rows;	/* in the order first seen */
	size_t nr, cap;
	struct htab by_dso;		/* hash_ptr(dso) -> index + 1 in rows */
};

struct unwind_stats *unwind_stats__new(void);
void unwind_stats__free(struct unwind_stats *st);
/* Count one unwound sample (stack_size: the copy size the sample asked for). NULL-safe. */
void unwind_stats__add(struct unwind_stats *st, const struct unwind_result *r, uint64_t stack_size);
/* Samples counted, in total and per stop reason. */
uint64_t unwind_stats__samples(const struct unwind_stats *st);
uint64_t unwind_stats__count(const struct unwind_stats *st, enum unwind_stop stop);
/* Set the unwinder name shown in the output. */
void unwind_stats__set_backend(struct unwind_stats *st, const char *name);

#endif
