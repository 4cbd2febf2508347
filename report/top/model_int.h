/* ptop's model state shared by its aggregation (model.c) and its printing (print.c). Not
 * for other tools. */
#ifndef REPORT_TOP_MODEL_INT_H
#define REPORT_TOP_MODEL_INT_H

#include "report/hist/callchain.h"
#include "report/hist/hist.h"
#include "report/hist/parent.h"
#include "report/hist/sort.h"
#include "report/session/session.h"
#include "report/top/filter.h"
#include "report/top/model.h"
#include "util/error.h"
#include "util/htab.h"

#define DECAY_NUM 7		/* perf top keeps 7/8 of each entry at every refresh */
#define DECAY_DEN 8
/* An entry whose share of the total fell under 1/PRUNE_SHARE (0.001%, shown as 0.00%) is
 * dropped at the refresh, and so is one whose period decayed to 0 (perf top's rule). */
#define PRUNE_SHARE 100000
/* The call-graph trees are rebuilt into a new arena (decayed nodes left out) when the arena
 * holds more than twice what it held after the last rebuild, and at least this much. */
#define ARENA_REBUILD_MIN (1u << 20)

struct top_dso {
	const struct dso *dso;
	const char *short_name;		/* interned */
};

/* A record of a round: its time and where it is in the round. */
struct top_ord {
	uint64_t time;
	size_t off;
};

struct top_model {
	struct top_opts o;
	struct sort_list sort;
	struct cc_param cc;
	struct session *session;
	struct session_tool tool;
	struct error err;
	int failed;
	/* the recording's events */
	const struct pd_event_desc *descs;
	struct pd_evsel *evsels;
	size_t nr_evsels;
	struct htab ids;		/* kernel id -> evsel index + 1 */
	/* the histogram */
	struct hists *hists;
	struct cc_arena *arena;
	size_t arena_kept;		/* the arena's bytes after its last rebuild */
	bool key_thread;		/* entries keep their thread (comm, pid, tid keys) */
	uint64_t prune_total;		/* the total the entries were pruned against */
	struct htab used_threads;	/* at a refresh: threads entries refer to (pointer hash) */
	struct strpool *strs;
	struct hist_parent parent;	/* --sort parent: preport's matcher */
	struct srcline_cache *srclines;	/* --sort srcline/srcfile; NULL otherwise */
	struct htab dso_tab;		/* hash of the struct dso's address -> index + 1 */
	struct top_dso *dsos;
	size_t nr_dsos, cap_dsos;
	const char *last_comm, *last_comm_interned;
	struct top_filter filter;
	uint64_t filtered_period;	/* samples counted in the total but not shown (decayed too) */
	/* counters */
	uint64_t samples, kernel_samples, total_samples;
	/* the last snapshot */
	struct top_row *rows;
	size_t nr_rows, cap_rows;
	uint64_t total;
	/* the symbol being annotated: its samples per offset */
	const struct symbol *annot_sym;
	struct htab annot_tab;		/* hash of offset -> index + 1 */
	struct top_hit *hits;
	size_t nr_hits, cap_hits;
	uint64_t annot_samples, annot_period;
	/* the records of a round, in time order */
	struct top_ord *ord;
	size_t ord_cap;
	/* per-sample scratch */
	struct cc_frame frames[SESSION_MAX_STACK];
	const struct addr_loc *locs[SESSION_MAX_STACK];	/* the chain in the graphs' order */
	struct hist_entry *seen[SESSION_MAX_STACK + 1];	/* entries given this sample's period */
};

#endif
