/* Source lines of histogram entries for --sort srcline/srcfile, with perf report 6.1's
 * rules: file:line of the DSO address when its DWARF knows it, else "sym+offset" (the
 * decimal offset from the entry's address) or "dso[addr]", "??:0" without a map; a DSO
 * whose first 123 lookups all fail is given up on. One lookup per distinct address. */
#ifndef REPORT_HIST_SORT_SRCLINE_H
#define REPORT_HIST_SORT_SRCLINE_H

#include <stdbool.h>
#include <stdint.h>

struct dso;
struct symbol;
struct strpool;

struct srcline_cache;

struct srcline_cache *srcline_cache__new(struct strpool *strs, bool full_path);
void srcline_cache__free(struct srcline_cache *c);
/* Interned srcline and srcfile of an entry: @ip is the entry's address (a map address
 * for sampled ips, @raw for call-chain frames, whose address perf looks up as is).
 * Returns 0 or -ENOMEM. */
int srcline_cache__get(struct srcline_cache *c, struct dso *dso, struct symbol *sym, uint64_t ip,
		       bool raw, const char **srcline, const char **srcfile);

#endif
