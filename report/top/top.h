/* ptop: the live view of the hottest entries, as perf top: sampling (report/top/live.h) into
 * the model (report/top/model.h), refreshed every delay seconds on a full-screen terminal
 * (report/top/screen.h) or printed to stdout (--stdio). */
#ifndef REPORT_TOP_TOP_H
#define REPORT_TOP_TOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/top/model.h"
#include "sampler/record.h"

struct error;

/* Annotating a symbol for the screen's `a` key, supplied by the command (which composes the
 * annotate room): @sym of @dso disassembled with each instruction's share of the @nr hits,
 * in pannotate's layout, written to @out. 0 or -errno with a reason written to @out. */
struct dso;
struct symbol;
typedef int (*top_annotate_fn)(void *ctx, FILE *out, const char *event, struct dso *dso,
			       struct symbol *sym, const struct top_hit *hits, size_t nr,
			       uint64_t nr_samples, uint64_t period);

struct top_run_opts {
	struct record_opts rec;		/* what to sample; output: --record FILE or /dev/null */
	struct top_opts model;
	double delay;			/* -d: seconds between refreshes */
	long count;			/* -n: refreshes, then exit; 0: until q or a signal */
	bool stdio;
	size_t entries;			/* -E: rows shown (0: the screen's height, or 50 in --stdio) */
	const char *target;		/* for the header: "all, 2 CPUs", "pid 123", ... */
	const char *dump_path;		/* where the screen's P writes (default ptop.snapshot) */
	volatile sig_atomic_t *stop;	/* set by the command's signal handler */
	top_annotate_fn annotate;
	void *annotate_ctx;
};

/* What ends ptop besides the recording's own errors (struct error's kind, after the
 * record_stage values). */
enum top_stage {
	TOP_MODEL = 100,	/* bad --sort, or the model failed (ENOMEM) */
	TOP_SCREEN,		/* the terminal cannot be used full-screen */
};

/* 0 or -errno with err filled (kind: a record_stage or a top_stage). */
int top__run(const struct top_run_opts *o, struct error *err);
/* The --stdio loop and the screen, each over a started sampling (internal to the room). */
struct top_live;
int top__stdio(const struct top_run_opts *o, struct top_live *l);
int top__screen(const struct top_run_opts *o, struct top_live *l, struct error *err);
/* ptop's CPU time (all threads) in seconds. */
double top__cpu_time(void);
double top__now(void);

#endif
