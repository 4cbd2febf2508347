/* The live view's model (ptop): records handed over while they are sampled, applied to a
 * live session (threads, maps, symbols loaded once per DSO as they are first hit), samples
 * aggregated into one histogram by preport's sort keys with a call graph per entry, decayed
 * (or zeroed) at each refresh as perf top does; a sorted snapshot of what is shown, printed
 * in perf top's table layout.
 *
 * Not thread-safe: the caller serializes top_model__feed (the sampling thread) against
 * everything else (the screen). */
#ifndef REPORT_TOP_MODEL_H
#define REPORT_TOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct error;
struct hist_entry;
struct pd_event_desc;

struct top_opts {
	const char *sort;		/* --sort keys as preport takes them; NULL: dso,sym */
	const char *parent;		/* --parent regex (adds the parent key, as preport's); NULL:
					 * perf's default for --sort parent */
	bool zero;			/* -z: zero the histogram at each refresh instead of decaying */
	double percent_limit;		/* rows under this share are not shown */
	bool hide_kernel, hide_user;	/* -K, -U */
	const char *comms, *dsos, *symbols;	/* --comm/--dso/--symbols: CSV lists */
	bool uid_set;			/* -u: only this user's processes count */
	uid_t uid;
	bool demangle;
	bool call_graph;		/* keep each entry's call graph (-g) */
	bool children;			/* with call_graph: the Children column (accumulated period of
					 * the entries of every chain frame), graphs in caller order */
};

/* What a view shows of the model beyond the options: the screen's s/d filters. */
struct top_view {
	const char *sym_name;		/* only entries of this symbol (demangled as shown); NULL: all */
	const char *dso_name;		/* only entries of this DSO (short name); NULL: all */
	size_t max_rows;		/* 0: no limit */
};

struct top_row {
	struct hist_entry *he;
	double pct;			/* self share */
	double acc_pct;			/* children share (with the Children column) */
};

/* Numbers of the last refresh interval and of the whole run, for the header line. */
struct top_stats {
	uint64_t samples, kernel_samples;	/* in the interval */
	uint64_t total_samples;			/* whole run */
	uint64_t lost;				/* samples lost (LOST records), whole run */
	const char *event;			/* the first event's name; NULL before any record */
	size_t nr_events;
};

struct top_model;

struct top_model *top_model__new(const struct top_opts *o, struct error *err);
void top_model__free(struct top_model *m);

/* A round of records from the recording (whole records; report/top/live.c gathers them),
 * applied in time order. Errors (ENOMEM, a corrupt record) are kept: top_model__error(). */
void top_model__feed(struct top_model *m, const struct pd_event_desc *descs, size_t nr_descs,
		     const void *buf, size_t len);
/* The first error met while feeding: 0 or -errno with its message in err. */
int top_model__error(const struct top_model *m, struct error *err);

/* Sort the entries for showing (by share, then preport's key order) and take the interval's
 * stats into @st (counters restart; @st NULL: a redraw, the interval goes on). The rows stay valid until the next call. 0 or -ENOMEM. */
int top_model__snapshot(struct top_model *m, const struct top_view *v, const struct top_row **rows,
			size_t *nr, struct top_stats *st);
/* The screen's z: zero at each refresh (true) or decay (false) from now on. */
void top_model__set_zero(struct top_model *m, bool zero);
/* After showing: decay every entry to 7/8 (perf top), or to zero with -z. */
void top_model__decay(struct top_model *m);

/* The rows of the last snapshot as perf top --stdio prints them (column header, then one
 * line per row; with @graphs each row's call graph under it as preport prints it). */
void top_model__print_rows(struct top_model *m, FILE *f, bool header, bool graphs);
/* The call graph of one entry (callee order: who calls it), as preport prints it under it. */
void top_model__print_graph(struct top_model *m, FILE *f, const struct hist_entry *he);
/* Samples at each offset of one symbol, for annotating it live. */
struct top_hit {
	uint64_t off;			/* from the symbol's start */
	uint64_t nr_samples, period;
};

/* From now on, collect the samples of @he's symbol (the previous symbol's are dropped).
 * -ENOENT when the entry has no symbol; 0 or -ENOMEM. */
int top_model__annotate_start(struct top_model *m, const struct hist_entry *he);
/* The symbol's samples since then (by offset, unsorted), valid until the next feed. */
const struct top_hit *top_model__annotate_hits(const struct top_model *m, size_t *nr,
					       uint64_t *nr_samples, uint64_t *period);

/* An entry's symbol name as shown and its DSO's short name (NULL when unknown). */
const char *top_model__sym_name(const struct top_model *m, const struct hist_entry *he);
const char *top_model__dso_name(const struct hist_entry *he);
/* Where the entry's symbol is: DSO path and the symbol (for annotating); false when unknown. */
bool top_model__sym_of(const struct hist_entry *he, const char **dso_path, uint64_t *start,
		       uint64_t *end, const char **name);

#endif
