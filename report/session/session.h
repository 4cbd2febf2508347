/* Session replay: a perf.data file's records applied in perf's time order to a model of
 * the recorded machine (threads, comms, process maps, the kernel map and modules), with
 * every SAMPLE handed to the tool together with its thread, and address resolution
 * (ip -> map -> DSO -> symbol) for the tools: pscript, preport, pfold, pannotate.
 *
 * Usage:
 *	struct session *s = session__open(path, &(struct session_opts){ .demangle = true }, &err);
 *	session__process(s, &(struct session_tool){ .sample = fn, .ctx = me }, &err);
 *	session__close(s);
 * Inside the sample callback, session__resolve() and session__callchain() turn addresses
 * into struct addr_loc. Nothing is allocated per sample.
 */
#ifndef REPORT_SESSION_SESSION_H
#define REPORT_SESSION_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "symbols/inline.h"
#include "symbols/map.h"
#include "report/session/thread.h"
#include "symbols/dso.h"
#include "unwind/stats.h"
#include "unwind/unwind.h"

/* Most frames a callchain yields (perf's default max stack). */
#define SESSION_MAX_STACK 127

struct session_opts {
	bool demangle;		/* C++/Rust names demangled (perf's default) */
	bool inline_frames;	/* DWARF-unwound user frames expanded into their inline chains,
				 * as perf 6.1 does by default (its --no-inline turns it off) */
	/* session__process(): 2 or more reads, decompresses and parses the file on a second
	 * thread while this one replays (report/session/pipeline.h); 0 or 1 one thread. The
	 * output is the same either way. */
	unsigned int threads;
	/* session__process(): a progress line on stderr under this name (the command's) for
	 * walks over a second; NULL none. The command sets it only when stderr is a terminal. */
	const char *progress;
	bool reclaim_threads;	/* long live sessions: threads are freed some time after their
				 * EXIT by session__reclaim() (thread.h); off: kept to the end */
	/* With reclaim_threads, session__process() itself: a session__reclaim() (no thread in
	 * use) each time the samples' clock has gone this far, so that a thread is freed
	 * once this much recorded time has passed since its EXIT (SESSION_RECLAIM_ROUND_NS);
	 * 0: only the caller's calls */
	uint64_t reclaim_round_ns;
	/* With reclaim_round_ns: the rounds free only the exited threads' maps, the threads
	 * stay (threads__reclaim_maps), for tools that keep thread pointers (preport) */
	bool reclaim_maps_only;
	/* With threads: the reader keeps this many bytes of the heap faulted in ahead of the
	 * replay's allocations (pipeline.h), which the replay then finds ready; 0 none. For
	 * tools whose memory stays small: the ahead is memory not yet needed. */
	size_t heap_ahead;
	/* The samples' raw call chains numbered where they are parsed (smp->chain_id,
	 * chain_ids.h; with threads, on the reader thread), for tools that key a chain memo
	 * (chain_memo.h) by them */
	bool number_chains;
};

/* The streaming tools' heap_ahead (pfold, pscript): two huge pages. On a 290K-sample -a -g
 * recording pfold's replay thread spent 7% of its time zeroing fresh heap pages without it,
 * and its CPU time went down 3% with it (2.8M samples: wall 7% less). */
#define SESSION_HEAP_AHEAD (4u << 20)

/* The streaming tools' reclaim_round_ns (pfold, pscript, pannotate): one second of recorded
 * time. A task runs on for microseconds after its EXIT record (the rest of its exit and the
 * last switch away), and the file's records are replayed in time order, so no sample of the
 * exited thread comes that late: the output is what keeping it would give. A thread whose tid
 * is reused comes with its FORK, which replaces the old one either way. On a 4-minute -a -g
 * recording of a busy machine (945K samples, 34K processes started and gone) the peak RSS
 * went from 66.7 to 54.6 MB (pfold), from 60.6 to 44.9 MB (pscript) and from 148 to 129 MB
 * (pannotate), the output the same. */
#define SESSION_RECLAIM_ROUND_NS 1000000000ull

/* Where an address landed. */
struct addr_loc {
	uint64_t ip;			/* the address as sampled */
	uint64_t addr;			/* map address (file offset; ip for identity maps), ip if no map */
	const struct map *map;		/* NULL if no map covers ip (valid until the next MMAP) */
	struct dso *dso;		/* NULL if no map */
	struct symbol *sym;		/* NULL if no symbol */
	uint64_t symoff;		/* DSO address - sym->start */
	uint8_t cpumode;		/* PERF_RECORD_MISC_KERNEL / _USER / ... */
	/* A level of an inline chain (session_opts.inline_frames): its name, source line and
	 * whether perf calls it "(inlined)"; NULL for a frame as resolved. */
	const struct inline_frame *inl;
};

struct session;

struct session_stats {
	uint64_t nr_records, nr_samples, nr_lost, nr_lost_samples, nr_unknown_records;
	uint64_t nr_bad_records;	/* records with bad fields, left out */
	uint64_t nr_cut_chains;		/* samples whose chain went past SESSION_MAX_STACK frames */
	uint64_t nr_threads_freed;	/* by session__reclaim() (reclaim_threads) */
	uint64_t nr_maps_freed;		/* exited threads' maps freed (reclaim_maps_only) */
};

/* Sample callback: non-zero stops the replay and is returned by session__process(). */
typedef int (*session_sample_fn)(void *ctx, struct session *s, const struct pd_sample *sample,
				 struct pd_evsel *evsel, struct thread *thread);
/* Called for every record after the session applied it (optional). */
typedef int (*session_record_fn)(void *ctx, struct session *s, const struct pd_record *rec);

/* A sample a few records before the sample callback gets it, to start loading what it will
 * need (optional; only when two threads walk the file, report/session/pipeline.h). @thread is
 * its thread as the records so far know it (NULL if none yet): it may change before the
 * sample's turn. Read-only: nothing may be created or counted here. */
typedef void (*session_ahead_fn)(void *ctx, const struct session *s,
				 const struct pd_sample *sample, const struct pd_evsel *evsel,
				 const struct thread *thread);

struct session_tool {
	session_sample_fn sample;
	session_record_fn record;
	session_ahead_fn ahead;
	void *ctx;
};

struct session *session__open(const char *path, const struct session_opts *opts,
			      struct error *err);
/* A session without a file, fed record by record as they are sampled (ptop):
 * session__reader() is NULL. NULL + err on ENOMEM. */
struct session *session__new_live(const struct session_opts *opts, struct error *err);
void session__close(struct session *s);
struct pd_reader *session__reader(struct session *s);
struct dsos *session__dsos(struct session *s);
/* The thread @tid as the records processed so far know it, or NULL. */
struct thread *session__thread(struct session *s, int32_t tid);
const struct session_stats *session__stats(const struct session *s);

/* Replay every record. 0, a tool's non-zero return, or -errno with err filled. */
int session__process(struct session *s, const struct session_tool *tool, struct error *err);

/* Apply one record (live sessions; the caller keeps perf's order): the tool's sample
 * callback runs for samples. 0, the tool's non-zero return, or -errno with err filled. */
int session__feed(struct session *s, const struct session_tool *tool, const struct pd_record *rec,
		  struct error *err);

/* Resolve one address seen in @thread in @cpumode. Returns 0 if a map was found. */
int session__resolve(struct session *s, struct thread *thread, uint8_t cpumode, uint64_t ip,
		     struct addr_loc *al);
/* Resolve a sample's callchain (context markers applied and dropped, at most
 * SESSION_MAX_STACK frames, leaf first). *frames points into the session and is valid
 * until the next call. Returns the number of frames (0 when the chain is empty or was
 * discarded for an unknown marker); -ENOENT when the sample has no callchain.
 * Samples with user registers and a stack copy (--call-graph dwarf) get the kernel part of
 * their chain followed by the DWARF-unwound user part, as perf splices them; where DWARF
 * stops early, a longer kernel-walked user chain continues it (hybrid). With
 * session_opts.inline_frames, each of those user frames becomes its inline chain (frames
 * with ->inl set, same ip), within the SESSION_MAX_STACK frames. */
int session__callchain(struct session *s, struct thread *thread, const struct pd_sample *sample,
		       const struct addr_loc **frames);
bool session__demangle(const struct session *s);
/* The path a PERF_RECORD_CGROUP gave cgroup @id, or NULL. */
const char *session__cgroup(const struct session *s, uint64_t id);
/* With session_opts.reclaim_threads: free the threads (with their maps) that exited before
 * the previous call and for which @in_use (NULL: none is) says false; thread pointers the
 * tool kept of those are then invalid. Returns how many were freed (0 without the option). */
size_t session__reclaim(struct session *s, bool (*in_use)(void *ctx, const struct thread *th),
			void *ctx);
/* The generations of the maps that resolve @thread's addresses now: gen[0] the kernel's,
 * gen[1] the thread's process's. Equal generations (with the same thread) mean every address
 * resolves as it did then: a tool may keep what it resolved under them. */
void session__map_gens(const struct session *s, const struct thread *thread, uint64_t gen[2]);

/* How the user part of the last session__callchain() was unwound: NULL when it was not
 * DWARF-unwound; else ->stop tells whether the stack is complete or truncated (and why). */
const struct unwind_result *session__last_unwind(const struct session *s);
/* Unwind quality over the samples whose chains were resolved so far (each sample counted
 * once); printed by report/hist/unwind_report.h. */
const struct unwind_stats *session__unwind_stats(const struct session *s);

#endif
