/* perf script's text output: one line (or one block with the callchain) per sample, in
 * perf 6.1's default layout, with -F field selection, source lines, inlined frames and
 * tracepoint fields decoded through libtraceevent. */
#ifndef REPORT_SCRIPT_SCRIPT_H
#define REPORT_SCRIPT_SCRIPT_H

#include <stdbool.h>
#include <stdio.h>

#include "perfdata/reader.h"

enum script_field {
	SCRIPT_F_COMM		= 1 << 0,
	SCRIPT_F_TID		= 1 << 1,
	SCRIPT_F_PID		= 1 << 2,
	SCRIPT_F_CPU		= 1 << 3,
	SCRIPT_F_TIME		= 1 << 4,
	SCRIPT_F_PERIOD		= 1 << 5,
	SCRIPT_F_EVENT		= 1 << 6,
	SCRIPT_F_IP		= 1 << 7,
	SCRIPT_F_SYM		= 1 << 8,
	SCRIPT_F_SYMOFF		= 1 << 9,
	SCRIPT_F_DSO		= 1 << 10,
	SCRIPT_F_SRCLINE	= 1 << 11,
	SCRIPT_F_ADDR		= 1 << 12,
	SCRIPT_F_TRACE		= 1 << 13,
	SCRIPT_F_BPF_OUTPUT	= 1 << 14,	/* RAW of bpf-output events (offcpu-time) as a hex dump */
};

struct script_opts {
	const char *input;		/* perf.data path */
	const char *fields;		/* -F: "a,b" replaces, "+a,-b" edits the defaults; NULL = defaults */
	bool inline_frames;		/* --inline: also frame-pointer chains' inlined functions */
	bool no_inline;			/* --no-inline: no inline chains at all (perf's default
					 * expands those of DWARF-unwound frames) */
	bool demangle;			/* C++/Rust names demangled */
	const char *progress;		/* a progress line on stderr under this name; NULL none */
	unsigned int threads;		/* -j: 2 or more reads the file on a second thread */
	bool full_source_path;		/* srcline with the full path, not the file name */
	bool show_ns;			/* time with nanoseconds */
	bool show_namespace_events;	/* PERF_RECORD_NAMESPACES lines, as perf script's option */
	bool show_cgroup_events;	/* PERF_RECORD_CGROUP lines */
	bool show_bpf_events;		/* PERF_RECORD_KSYMBOL and PERF_RECORD_BPF_EVENT lines */
	const char *time;		/* --time: only samples in this range (report/session/time_range.h) */
	bool reltime;			/* --reltime: times from the first sample */
	bool deltatime;			/* --deltatime: times from the previous sample shown */
	bool hide_call_graph;		/* -G: one line per sample, the sampled ip only */
	FILE *out;			/* where the lines go */
};

/* Parse -F into field bits: *set gets explicit fields, *add / *del the +/- edits.
 * 0 or -EINVAL with err naming the bad field. */
int script__parse_fields(const char *spec, unsigned int *set, unsigned int *add, unsigned int *del,
			 struct error *err);

/* Print every sample of opts->input. 0 or -errno with err filled. */
int script__run(const struct script_opts *opts, struct error *err);

#endif
