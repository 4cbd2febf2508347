/* Numbers for raw call chains, given where the samples are parsed (with two threads, on the
 * reader thread: report/session/pipeline.h), so that the chain memo (chain_memo.h) keys a
 * chain by its number instead of its words: the thread that replays the samples neither
 * compares nor keeps chains, and a memo entry has a fixed size. Two samples get the same
 * number only when their chains are the same words (compared, not only hashed). A chain seen
 * for the first time gets none (0): most chains of a busy machine's recording are seen once
 * (a short-lived process's), and a number is worth something only to a chain that recurs.
 * Memory: the chains seen twice, up to CHAIN_IDS_BYTES_MAX, then they are forgotten and get
 * new numbers from their next sighting; a number is never given twice. */
#ifndef REPORT_SESSION_CHAIN_IDS_H
#define REPORT_SESSION_CHAIN_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "perfdata/sample.h"

/* On a 2.8M-sample -a -g recording pfold took 0.6% more samples the whole way with 4 MB than
 * with 8 MB (a chain renumbered after a start over is a new key to the memo). */
#define CHAIN_IDS_BYTES_MAX (4u << 20)

struct chain_ids;

struct chain_ids *chain_ids__new(void);
void chain_ids__free(struct chain_ids *c);
/* Set smp->chain_id: the number of its raw chain, or 0 when the chain is seen for the first
 * time, when the memo cannot use the sample (chain_memo__usable) or when memory ran out (the
 * sample is then taken the whole way: slower, the same result). */
void chain_ids__number(struct chain_ids *c, struct pd_sample *smp);
/* Start loading what chain_ids__number(@smp) will look at first (a look-ahead). */
void chain_ids__prefetch(const struct chain_ids *c, const struct pd_sample *smp);
/* The bytes the kept chains hold (their words and their share of the table). */
size_t chain_ids__bytes(const struct chain_ids *c);

#endif
