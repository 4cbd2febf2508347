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

/* One sample as the exports that keep time see it (heat map, speedscope, trace events). */
struct fold_sample {
	uint64_t time, period;	/* time 0 when the file has no PERF_SAMPLE_TIME */
	uint32_t node;		/* the stack's node in the tree; FOLD_NONE: another event's sample */
	int cpu;		/* -1 when the file has no PERF_SAMPLE_CPU */
	int pid, tid;
	const char *comm;	/* the thread's name at the time (valid during the call) */
	const char *event;	/* the sample's event name */
	const char *sym;	/* for another event's sample: its resolved function, or NULL */
};

/* Called after each folded sample (and, with all_events, each sample of another event);
 * non-zero stops the read and is returned. */
typedef int (*fold_sample_fn)(void *ctx, const struct fold_sample *s);

struct fold_perf_opts {
	const char *event;	/* -e: fold this event only; NULL = the first event sampled */
	bool pid, tid;		/* root frame "comm-PID" / "comm-PID/TID" */
	bool kernel;		/* "_[k]" suffix on kernel frames */
	bool inline_frames;	/* --inline: inlined functions as frames on every user frame (libdw) */
	bool no_inline;		/* --no-inline: not even on DWARF-unwound chains (perf 6.1's default) */
	bool addrs;		/* "[dso <addr>]" for frames without a symbol */
	bool demangle;		/* C++/Rust names demangled before tidying */
	const char *progress;	/* a progress line on stderr under this name; NULL none */
	unsigned int threads;	/* -j: 2 or more reads the file on a second thread */
	enum fold_offcpu_mode offcpu;	/* without -e: off-CPU files folded by time */
	const char *time;	/* --time: only samples in this window (report/fold/time_range.h) */
	fold_sample_fn sample_fn;	/* NULL, or called for each sample folded */
	void *sample_ctx;
	bool all_events;	/* sample_fn also gets other events' samples (node FOLD_NONE) */
};

struct fold_perf_stats {
	uint64_t folded;	/* samples folded */
	uint64_t skipped;	/* samples of other events (not handed to an all_events hook) */
	uint64_t outside;	/* samples outside --time */
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
