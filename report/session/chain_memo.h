/* What a tool made of a sample's call chain, kept per distinct chain so that identical
 * chains are resolved and turned into the tool's result once (pfold's tree node, pscript's
 * frame lines). The key: the raw chain's number (smp->chain_id, chain_ids.h: equal numbers,
 * equal words; the session gives them with session_opts.number_chains), the generations of
 * the maps it resolves under (session__map_gens: equal generations, equal maps) and two words
 * of the tool's own (whatever else its result depends on). The value: two words the tool
 * chooses. Only samples whose frames are a function of that key qualify
 * (chain_memo__usable): a call chain, no user stack to unwind, none cut past
 * SESSION_MAX_STACK (a cut is counted per sample). Memory: 88 bytes a key (entry and table
 * slots), up to CHAIN_MEMO_BYTES_MAX. */
#ifndef REPORT_SESSION_CHAIN_MEMO_H
#define REPORT_SESSION_CHAIN_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/sample.h"
#include "report/session/session.h"

struct chain_memo;

struct chain_memo_val {
	uint64_t a, b;
};

struct chain_memo *chain_memo__new(void);
void chain_memo__free(struct chain_memo *m);
/* Whether session__callchain(@smp) depends on nothing but the key. */
bool chain_memo__usable(const struct pd_sample *smp);
/* The value of @smp's key in @th with the tool's words @x0, @x1: the one found (*fresh
 * false) or a new one, zeroed (*fresh true). Valid until the next call. A sample whose chain
 * has no number (seen for the first time) gets a value that is not kept
 * (chain_memo__kept): the tool computes a chain that recurs twice, one that does not once.
 * NULL on ENOMEM. */
struct chain_memo_val *chain_memo__get(struct chain_memo *m, const struct session *s,
				       const struct thread *th, uint64_t x0, uint64_t x1,
				       const struct pd_sample *smp, bool *fresh);
/* Start loading where chain_memo__get() with the same arguments will look (the session's
 * look-ahead, session_tool.ahead, calls it a few records early: if @th changes before then,
 * it only loaded for nothing). Nothing if the sample does not qualify. */
void chain_memo__prefetch(const struct chain_memo *m, const struct session *s,
			  const struct thread *th, uint64_t x0, uint64_t x1,
			  const struct pd_sample *smp);
/* What a tool lets its memo (and what it keeps beside it for the memo's keys) hold before it
 * starts over (chain_memo__clear): the streaming tools' memory stays flat however long the
 * recording, and the recurring chains are kept again from their next sighting. On a
 * 3.18M-sample -a -g recording pscript had kept 95 MB of chains; with this bound its peak RSS
 * is 40 MB and it is faster (memory reused, not first touched); a 302K-sample one stays
 * under it. The keys alone take at most CHAIN_MEMO_KEY_BYTES_MAX (47K keys, their entries
 * and the table's free half): on a 2.8M-sample -a -g recording pfold with 8 MB of keys took
 * 2% fewer samples the whole way (935K, not 952K, of 2.8M), and 6-9 MB more memory. */
#define CHAIN_MEMO_BYTES_MAX (8u << 20)
#define CHAIN_MEMO_KEY_BYTES_MAX (4u << 20)

/* The bytes the kept keys hold (their words and their share of the table); 0 after
 * chain_memo__clear(), which forgets every key and keeps the memory for the next. */
size_t chain_memo__bytes(const struct chain_memo *m);
void chain_memo__clear(struct chain_memo *m);
/* Before a lookup: start over (chain_memo__clear) when the kept keys and the tool's @extra
 * bytes kept for them pass CHAIN_MEMO_BYTES_MAX, or the keys CHAIN_MEMO_KEY_BYTES_MAX. True when it did: the tool drops its
 * @extra too. */
bool chain_memo__bound(struct chain_memo *m, size_t extra);
/* Whether @v (from chain_memo__get) is kept, not a first sighting's value to be dropped. */
bool chain_memo__kept(const struct chain_memo *m, const struct chain_memo_val *v);

#endif
