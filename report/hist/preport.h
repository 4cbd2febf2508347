/* preport: perf report --stdio for a perf.data file: samples aggregated into histograms
 * by sort keys (self and children overhead), call graphs under each entry, filters, one
 * section per event, perf's text layout, -t SEP and JSON for scripts. */
#ifndef REPORT_HIST_PREPORT_H
#define REPORT_HIST_PREPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "perfdata/reader.h"

struct report_opts {
	const char *input;		/* perf.data path */
	const char *sort;		/* --sort list; NULL: comm,dso,sym */
	int children;			/* -1: when the file has call chains, 0: --no-children, 1 */
	/* -F: perf's column order, Overhead (self) first and Children after it only when
	 * fields_children (N/A without call chains); rows ordered by self */
	bool fields, fields_children;
	bool sort_from_fields;		/* -F gave the sort keys: the graphs keep the entry's own frame */
	const char *call_graph;		/* -g spec; NULL: graph,0.5,caller|callee */
	bool inverted;			/* -G: caller-based graph */
	const char *parent;		/* --parent regex; NULL: perf's default */
	bool exclude_other;		/* -x: only entries with a parent */
	const char *comms, *pids, *tids, *dsos, *symbols, *cpus;	/* filter lists (CSV) */
	const char *time;		/* --time START,END in seconds */
	double percent_limit;		/* hide entries under this percentage */
	bool percent_limit_set;
	bool relative;			/* --percentage relative */
	int group;			/* members of an event group as columns of one section: -1 when
					 * the file has groups (perf 6.1), 0 --no-group, 1 --group */
	bool header, header_only;	/* print the recorded features first / only */
	const char *field_sep;		/* -t SEP */
	bool show_nr_samples;		/* -n: a Samples column */
	bool show_total_period;		/* --show-total-period: a Period column */
	int time_ms;			/* a Time (ms) column for events counted in ns: -1 when the
					 * file has off-CPU data (precord --off-cpu), 0 --no-time-ms,
					 * 1 --time-ms */
	bool json;			/* --json */
	bool demangle;
	bool no_inline;			/* --no-inline: DWARF-unwound frames not expanded into inline chains */
	bool full_source_path;
	const char *progress;		/* a progress line on stderr under this name; NULL none */
	unsigned int threads;		/* -j: 2 or more reads the file on a second thread */
	bool no_intern;			/* every sample the whole way, none counted as alike
					 * (chain_intern.h): the same output, for comparisons */
	size_t intern_budget;		/* bytes for the records of interned keys; 0: the
					 * default (CHAIN_INTERN_KEY_BYTES), for comparisons */
	bool quiet;			/* -q: no header lines ('#'), as perf report -q */
	FILE *out;
};

/* Run the report. 0 or -errno with err filled (one line that says what is wrong). */
int report__run(const struct report_opts *opts, struct error *err);

/* --header/--header-only: the file's header and features in perf's layout. */
int report__print_header(struct pd_reader *r, FILE *out, struct error *err);

#endif
