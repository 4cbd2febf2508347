/* preport's internal state shared by its aggregation (aggregate.c) and its output
 * (print.c). Not for other tools. */
#ifndef REPORT_HIST_PREPORT_INT_H
#define REPORT_HIST_PREPORT_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "report/hist/callchain.h"
#include "report/hist/parent.h"
#include "report/hist/hist.h"
#include "report/hist/preport.h"
#include "report/hist/sort.h"
#include "report/session/session.h"
#include "util/cpulist.h"
#include "util/strlist.h"
#include "util/htab.h"

#define REP_MAX_CPUS CPULIST_MAX

struct rep_dso {
	const struct dso *dso;
	const char *short_name;		/* interned */
	uint32_t idx;			/* creation order, from 1 */
};

struct rep_event {
	struct pd_evsel *evsel;
	struct hists *hists;
	bool has_chain;
	/* event groups (GROUP_DESC, or every event with --group on a file without groups) */
	size_t leader;			/* index of the group's leader (itself when alone) */
	size_t nr_members;		/* leaders: events in the group, else 0 */
	const char *group_name;		/* leaders of GROUP_DESC groups: the recorded name */
};

struct chain_intern;
struct ci_target;
struct dso;
struct hist_nspids;
struct srcline_cache;
struct strpool;

/* pointer -> pointer map: the pairs in an array, a htab from the key's hash to index + 1 */
struct ptrmap_ent {
	const void *k;
	const void *v;
};

struct ptrmap {
	struct htab tab;
	struct ptrmap_ent *e;
	size_t nr, cap;
};

struct rep {
	const struct report_opts *o;
	struct error *err;
	struct session *session;
	struct sort_list sort;
	struct cc_param cc;
	bool children, use_cc, need_chain;
	bool fields;			/* -F's columns (report_opts.fields) */
	struct hist_parent parent;	/* the parent key's matcher */
	struct rep_event *ev;
	size_t nr_ev;
	bool group_view;		/* a group's members as columns of one section */
	bool group_forced;		/* --group on a file without groups: every event in one */
	char *group_desc;		/* GROUP_DESC names, one buffer */
	struct hist_nspids *nspids;	/* --sort nspid: tids inside pid namespaces */
	struct strpool *strs;
	struct cc_arena *arena;
	struct cc_log *log;		/* the call-graph appends, replayed when printing */
	struct srcline_cache *srclines;
	struct htab dso_tab;		/* hash of the struct dso's address -> index + 1 */
	struct rep_dso *dsos;
	size_t nr_dsos, cap_dsos;
	struct ptrmap inl_names;	/* inline level -> "name (inlined)" (interned) */
	/* filters */
	struct strlist comms, dso_filter, sym_filter;
	int *pids, *tids;
	size_t nr_pids, nr_tids;
	uint8_t *cpu_bits;
	int32_t *sockets;		/* --sort socket: per CPU, INT32_MIN until read */
	bool time_set;
	uint64_t t0, t1;
	const char *last_comm, *last_comm_interned;	/* comm_of()'s cache */
	/* per-sample scratch */
	const struct addr_loc *locs[SESSION_MAX_STACK];
	struct cc_frame frames[SESSION_MAX_STACK];
	uint32_t chain;			/* the sample's chain in the log (cc_log.h) + 1, 0: none */
	struct hist_entry *cache[SESSION_MAX_STACK + 1];
	/* interning (chain_intern.h): NULL when the sort keys or the mode do not allow it */
	struct chain_intern *intern;
	size_t key_drops;		/* chain_intern__drop_keys calls (-v says how many) */
	struct ci_target *tg;		/* SESSION_MAX_STACK + 1 targets of the sample interned */
	uint32_t nr_tg;
	/* samples alike in what they resolved to share a record too (chain_intern.h): the words
	 * of the sample at hand (RWORDS_MAX), NULL when the sort keys or filters forbid it */
	uint64_t *rwords;
	bool tracking;			/* the sample goes the whole way and records its targets */
};

/* Print every event's section (or JSON). 0 or -errno with R->err filled. */
int rep__print(struct rep *R);

#endif
