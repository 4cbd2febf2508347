/* pannotate's library side: the samples of a perf.data file summed per symbol and per
 * instruction, each chosen symbol disassembled (capstone) with its share of the samples,
 * source lines interleaved (libdw), jump targets labelled; printed in perf annotate
 * --stdio's layout (optionally coloured) or as JSON.
 *
 * Usage:
 *	struct annotate_result res;
 *	ret = annotate__run(&(struct annotate_opts){ .input = "perf.data", .out = stdout, ... },
 *			    &res, &err);
 */
#ifndef REPORT_ANNOTATE_ANNOTATE_H
#define REPORT_ANNOTATE_ANNOTATE_H

#include <stdbool.h>
#include <stdio.h>

#include "perfdata/reader.h"
#include "symbols/disasm.h"

enum annotate_format {
	ANNOTATE_STDIO,
	ANNOTATE_JSON,
};

/* perf's --percent-type: the base of the percentages */
enum annotate_percent {
	ANNOTATE_LOCAL_PERIOD,		/* the symbol's period (perf's default) */
	ANNOTATE_LOCAL_HITS,		/* the symbol's sample count */
	ANNOTATE_GLOBAL_PERIOD,		/* the event's period over the whole file */
	ANNOTATE_GLOBAL_HITS,		/* the event's sample count over the whole file */
};

struct annotate_opts {
	const char *input;		/* perf.data path */
	const char *symbol;		/* NULL: every symbol with samples, hottest first */
	const char *dsos;		/* -d: comma list of DSOs (path or base name); NULL = all */
	enum annotate_format format;
	enum annotate_percent percent_type;
	enum disasm_syntax syntax;
	bool show_nr_samples;		/* -n: sample counts instead of percentages */
	bool source;			/* interleave source lines */
	bool asm_raw;			/* show the instruction bytes */
	bool full_paths;		/* source files with their full path */
	bool color;			/* highlight hot instructions (terminal) */
	bool demangle;			/* C++/Rust names demangled */
	const char *progress;		/* a progress line on stderr under this name; NULL none */
	bool progress_symbols;		/* and one while the symbols are annotated (the caller's
					 * choice: not when they print on that terminal) */
	unsigned int threads;		/* -j: 2 or more reads the file on a second thread */
	bool extended;			/* our layout: capstone's text, .L labels, file:line
					 * source headers (else perf annotate's text) */
	double percent_limit;		/* skip symbols below this share of their event */
	const char *vmlinux;		/* -k: kernel image */
	FILE *out;
};

struct annotate_result {
	unsigned int nr_entries;	/* (event, symbol) pairs with samples */
	unsigned int nr_matched;	/* of those, chosen by symbol/dsos/percent-limit */
	unsigned int nr_printed;
	unsigned int nr_failed;		/* chosen but their code could not be read */
	char reason[512];		/* why the first failed one failed */
};

/* Parse --percent-type ("local-period", "global-hits", ...). 0 or -EINVAL. */
int annotate__parse_percent_type(const char *s, enum annotate_percent *type);

/* Annotate opts->input. 0 (see res for what was printed), or -errno with err filled. */
int annotate__run(const struct annotate_opts *opts, struct annotate_result *res, struct error *err);

/* One symbol annotated from samples gathered elsewhere (ptop's live view): @e as
 * annotate_hist gives it (its addresses sorted by offset), opts->input unused, only the local
 * percent types. 0, -ENOENT when its code cannot be read (the reason in @why), or -errno. */
struct annotate_entry;
int annotate__entry(const struct annotate_opts *opts, const struct annotate_entry *e, char *why,
		    size_t whysz);

#endif
