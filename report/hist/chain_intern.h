/* preport's interning of samples: samples that resolve, unwind and count alike (same event,
 * thread, comm, address and mode, CPU where it is a sort key, raw call chain, and maps
 * generations) share one record. The first of them goes the whole way and leaves there the
 * histogram entries and the call-graph log's chain (cc_log.h) it reached; each later one adds
 * only its period and count to the record, and chain_intern__flush() hands the sums to those
 * entries and that chain once, as if every sample had been added (the shapes of the trees
 * and the creation order of entries and nodes are the first samples', so the output is the
 * same byte for byte).
 * A second table finds a record by what its first sample resolved to (words the caller makes
 * of everything the entries and trees depend on): a sample with a new raw chain that
 * resolves like an earlier one (another process of the same program, the same functions at
 * other addresses) gets a record sharing that one's entries and nodes, without going the
 * whole way either. A key is kept in the first table from its third sighting on
 * (chain_intern__met): most keys of a busy machine's recording are met once (the chains of
 * short-lived processes), most of the others twice, and a table of the keys that recur
 * stays small. The words
 * of a record found by them alone: the second sample that resolves so goes the whole way
 * too (adding to the entries and nodes the first one made), and leaves the record. */
#ifndef REPORT_HIST_CHAIN_INTERN_H
#define REPORT_HIST_CHAIN_INTERN_H

#include <stdbool.h>
#include <stdint.h>

#include "report/hist/cc_log.h"
#include "report/hist/hist.h"

struct ci_key {
	const void *thread;
	const char *comm;
	uint64_t ip;
	uint64_t gen[2];		/* session__map_gens() */
	const uint64_t *chain;		/* raw callchain, context markers included (unaligned) */
	uint64_t chain_hash;		/* its pd_chain__hash() (0: made by ci_key__hash) */
	uint32_t chain_nr;
	int32_t cpu;			/* -1 unless CPU is sorted on */
	uint32_t evidx;
	uint8_t cpumode;
};

/* What the first sample reached: @he gets the period as self (first target) or as
 * children (the others). */
struct ci_target {
	struct hist_entry *he;
};

struct ci_ent;
struct chain_intern;

/* The memory the records of keys may take (CHAIN_INTERN_KEY_BYTES by default): a key is
 * one thread's raw chain under one maps generation, so a long recording of a machine that
 * starts processes all the time meets new keys to its end (a 2.8M-sample -a -g recording
 * made 51K, about 14 MB with their chains and slots; the same file 4 times over, 628K).
 * Once they take the budget (chain_intern__full) the caller drops them
 * (chain_intern__drop_keys): the memory stays bounded by the distinct resolved content. */
#define CHAIN_INTERN_KEY_BYTES (64u << 20)

/* @children: the first target counts into ->acc too (preport's children mode); @log: where
 * the records' chains are (NULL: no call graphs). */
struct chain_intern *chain_intern__new(struct cc_arena *a, struct cc_log *log, bool children);
void chain_intern__free(struct chain_intern *ci);

/* Another budget for the records of keys, in bytes (tests, comparisons). */
void chain_intern__set_budget(struct chain_intern *ci, size_t key_bytes);
/* Whether the records of keys took their budget. */
bool chain_intern__full(const struct chain_intern *ci);
/* Hand every record's sums on (chain_intern__flush), then forget the keys: a record found by
 * its resolved words stays, found by them alone; the others go, with the keys' raw chains.
 * A sample of a dropped key then counts as a new key's would. Records found before are
 * stale after it. */
void chain_intern__drop_keys(struct chain_intern *ci);

uint64_t ci_key__hash(const struct ci_key *k);
/* The record of @k, NULL if none yet. */
struct ci_ent *chain_intern__find(struct chain_intern *ci, const struct ci_key *k, uint64_t hash);
/* Start loading where chain_intern__find() and chain_intern__met() will look for a key of
 * @hash (a look-ahead, session_tool.ahead). */
void chain_intern__prefetch(const struct chain_intern *ci, uint64_t hash);
/* Whether a key of @hash was met twice before (1, or 0: now it is met once more), for a key
 * chain_intern__find did not find: a key met once or twice is not worth a record: of the
 * records a 2.8M-sample -a -g file made from the second sighting, 82 of 100 were never
 * found again (-ENOMEM). */
int chain_intern__met(struct chain_intern *ci, uint64_t hash);
/* Record @k with what its first sample reached (copied; @filtered: the sample was hidden by
 * a filter; @chain: its chain's number in the log + 1, 0 for none); with @words (@nw of
 * them, hashed to @rhash) findable by them too. @k NULL: by the words alone, from their
 * second sighting on (nothing when there are none). 0 or -ENOMEM. */
int chain_intern__add(struct chain_intern *ci, const struct ci_key *k, uint64_t hash,
		      const struct ci_target *tg, uint32_t nr_tg, uint32_t chain, bool filtered,
		      const uint64_t *words, uint32_t nw, uint64_t rhash);
uint64_t ci_words__hash(const uint64_t *words, uint32_t nw);
/* The record whose first sample resolved to @words, NULL if none. */
struct ci_ent *chain_intern__find_resolved(struct chain_intern *ci, const uint64_t *words,
					   uint32_t nw, uint64_t rhash);
/* Record @k as one more kind of @like's samples (its entries and nodes), with this first
 * sample of @period counted as a hit. Returns whether it was filtered; -ENOMEM. */
int chain_intern__add_like(struct chain_intern *ci, const struct ci_key *k, uint64_t hash,
			   struct ci_ent *like, uint64_t period);
/* One more sample of @e's kind with @period; returns whether it was filtered. */
bool ci_ent__hit(struct ci_ent *e, uint64_t period);
/* Hand every record's sums since the last flush to its entries and chain. */
void chain_intern__flush(struct chain_intern *ci);

#endif
