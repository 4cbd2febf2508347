/* Unwind quality: for every user stack unwound, why it ended (complete, cut by the stack
 * copy, missing CFI, ...), counted per DSO where it ended, and printed as a table with the
 * fix for each DSO (`preport --unwind-stats`) or as one header line. */
#ifndef UNWIND_STATS_H
#define UNWIND_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "unwind/unwind.h"

struct unwind_stats;

struct unwind_stats *unwind_stats__new(void);
void unwind_stats__free(struct unwind_stats *st);
/* Count one unwound sample (stack_size: the copy size the sample asked for). NULL-safe. */
void unwind_stats__add(struct unwind_stats *st, const struct unwind_result *r, uint64_t stack_size);
/* Samples counted, in total and per stop reason. */
uint64_t unwind_stats__samples(const struct unwind_stats *st);
uint64_t unwind_stats__count(const struct unwind_stats *st, enum unwind_stop stop);
/* Set the unwinder name shown in the output. */
void unwind_stats__set_backend(struct unwind_stats *st, const char *name);

/* One "# ..." line for a report header (nothing when no stack was unwound). */
void unwind_stats__header(const struct unwind_stats *st, FILE *out);
/* The per-DSO table with the fixes. */
void unwind_stats__print(const struct unwind_stats *st, FILE *out);

#endif
