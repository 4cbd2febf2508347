/* Folding a perf.data file into a stack tree with stackcollapse-perf.pl's naming rules:
 * the process name as the root frame (with --pid/--tid its ids), frames outermost first,
 * "+0x..." offsets dropped, names tidied, "[dso]" for frames without a symbol ("[unknown]"
 * without a map), "_[k]" on kernel frames with --kernel, inlined functions as frames of
 * their own on DWARF-unwound chains (as perf 6.1; --no-inline: not) and with --inline on all.
 * Callchains come from session__callchain(), so whatever unwinding the session offers
 * arrives here unchanged. */
#ifndef REPORT_FOLD_FROM_PERF_H
#define REPORT_FOLD_FROM_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include "perfdata/reader.h"
#include "report/fold/offcpu.h"
#include "report/fold/tree.h"

struct fold_perf_opts {
	const char *event;	/* -e: fold this event only; NULL = the first event sampled */
	bool pid, tid;		/* root frame "comm-PID" / "comm-PID/TID" */
	bool kernel;		/* "_[k]" suffix on kernel frames */
	bool inline_frames;	/* --inline: inlined functions as frames on every user frame (libdw) */
	bool no_inline;		/* --no-inline: not even on DWARF-unwound chains (perf 6.1's default) */
	bool addrs;		/* "[dso <addr>]" for frames without a symbol */
	bool demangle;		/* C++/Rust names demangled before tidying */
	enum fold_offcpu_mode offcpu;	/* without -e: off-CPU files folded by time */
};

struct fold_perf_stats {
	uint64_t folded;	/* samples folded */
	uint64_t skipped;	/* samples of other events */
	const char *event;	/* the event folded (valid until the next call) */
	bool by_time;		/* off-CPU data folded: the periods (ns) are what counts */
};

/* Fold every sample of @path's chosen event into @profile of @f. Sets f->event/unit the
 * first time. 0, or -errno with err filled (-ENOENT: no such event in the file). */
int fold_perf__read(struct fold *f, int profile, const char *path,
		    const struct fold_perf_opts *opts, struct fold_perf_stats *stats,
		    struct error *err);

/* Does evsel name @name answer to -e @want? Exact, or @want plus ":modifiers". */
bool fold_perf__event_matches(const char *name, const char *want);

#endif
