/* Owns what pfold does with its inputs and outputs: telling perf.data from folded text,
 * folding one file or two (--diff), the notes on stderr about skipped events, and which
 * writer gets the tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/pipe_reader.h"
#include "report/fold/chrome_trace.h"
#include "report/fold/facts.h"
#include "report/fold/heatmap.h"
#include "report/fold/pfold.h"
#include "report/fold/pprof.h"
#include "report/fold/speedscope.h"
#include "report/fold/timeline.h"
#include "util/log.h"

/* perf.data starts with "PERFILE2" (file mode) or the same magic in a 16-byte pipe
 * header; anything else is taken for folded text. */
static int is_perf_data(const char *path, struct error *err)
{
	char magic[8];
	FILE *f;
	size_t n;

	if (!strcmp(path, "-")) {
		/* a pipe may bring either: it is kept in a file to be read again */
		if (pd_pipe__stdin_seekable(err))
			return err->code;
		n = (size_t)(pread(STDIN_FILENO, magic, sizeof(magic), 0) > 0 ? 1 : 0) * sizeof(magic);
		return n && !memcmp(magic, "PERFILE2", 8);
	}
	f = fopen(path, "rb");
	if (!f)
		return error__set(err, -errno, "cannot open %s: %s%s", path, strerror(errno),
				     errno == ENOENT ? " (record one with 'precord -g' or 'perf record -g')" : "");
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	if (n == 0)
		return error__set(err, -EBADMSG, "%s is empty", path);
	return n == sizeof(magic) && (!memcmp(magic, "PERFILE2", 8) || !memcmp(magic, "2ELIFREP", 8) ||
				      !memcmp(magic, "PERFFILE", 8));
}

static int load(struct fold *f, int profile, const char *path, struct fold_cmd_opts *o,
		struct error *err)
{
	struct fold_perf_stats st = { 0 };
	int perf = is_perf_data(path, err), ret;
	FILE *in;

	if (perf < 0)
		return perf;
	if (!perf) {
		in = strcmp(path, "-") ? fopen(path, "r") : stdin;
		if (!in)
			return error__set(err, -errno, "cannot open %s: %s", path, strerror(errno));
		ret = fold__read_folded(f, in, strcmp(path, "-") ? path : "<stdin>", profile, err);
		if (in != stdin)
			fclose(in);
		return ret;
	}
	ret = fold_perf__read(f, profile, path, &o->perf, &st, err);
	if (ret)
		return ret;
	o->period |= st.by_time;	/* off-CPU: widths are time, on and off CPU alike */
	if (st.skipped && !o->perf.event && !st.by_time)
		pr_warn("%s: folded only '%s'; %llu samples of other events were skipped (pick one with -e)",
			path, st.event, (unsigned long long)st.skipped);
	if (!st.folded)
		pr_warn("%s: no samples to fold", path);
	return 0;
}

/* What the time-keeping exports collected while the file was read. */
struct fold_extra {
	struct heatmap *heat;
	struct timeline *tl;
	char facts[1024];
};

static struct dot_opts dot_opts_of(const struct fold_cmd_opts *o, const char *subtitle,
				   const struct fold_extra *x)
{
	struct dot_opts d = o->dot_opts;

	d.period = o->period;
	d.title = o->flame.title ? o->flame.title : subtitle;
	d.facts = x->facts[0] ? x->facts : NULL;
	return d;
}

static int write_format(const struct fold *f, const struct fold_cmd_opts *o, bool diff,
			const char *subtitle, struct fold_extra *x, FILE *out)
{
	const char *unit = o->period ? (f->unit ? f->unit : "count") : "samples";

	if (o->heatmap)
		return heatmap__write(x->heat, f, &(struct heatmap_opts){
			.title = o->flame.title, .subtitle = subtitle, .facts = x->facts,
			.period = o->period, .unit = unit, .colors = o->flame.colors,
			.width = o->flame.width }, out);
	if (o->speedscope)
		return speedscope__write(x->tl, f, &(struct speedscope_opts){
			.name = o->flame.title ? o->flame.title : subtitle, .period = o->period }, out);
	if (o->chrome_trace)
		return chrome_trace__write(x->tl, f, x->facts, out);
	if (o->dot) {
		struct dot_opts d = dot_opts_of(o, subtitle, x);

		return dot__write(f, &d, out);
	}
	if (o->svg) {
		struct flame_opts fo = o->flame;

		fo.period = o->period;
		fo.diff = diff;
		if (!fo.subtitle)
			fo.subtitle = subtitle;
		if (!fo.unit)
			fo.unit = unit;
		if (!fo.facts && x->facts[0])
			fo.facts = x->facts;
		return flame__write(f, &fo, out);
	}
	return fold__write_folded(f, out, o->period, diff);
}

static int write_out(const struct fold *f, const struct fold_cmd_opts *o, bool diff,
		     const char *subtitle, struct fold_extra *x, struct error *err)
{
	const char *fmt = o->dot ? dot__format_of(o->output) : NULL;
	FILE *out = stdout;
	int ret;

	if (fmt) {	/* -o graph.svg: Graphviz draws it */
		struct dot_opts d = dot_opts_of(o, subtitle, x);

		return dot__render(f, &d, fmt, o->output, err);
	}
	if (o->output && strcmp(o->output, "-")) {
		out = fopen(o->output, "w");
		if (!out)
			return error__set(err, -errno, "cannot write %s: %s", o->output,
					     strerror(errno));
	}
	ret = write_format(f, o, diff, subtitle, x, out);
	if (out != stdout) {
		if (fclose(out) && !ret)
			ret = -EIO;
	} else if (fflush(out) && !ret) {
		ret = -EIO;
	}
	if (ret == -EIO && errno == EPIPE)
		ret = -EPIPE;
	if (ret == -ENODATA)
		error__set(err, ret, "--heatmap: no sample of %s has a time (nothing to draw; "
			   "record with times, as precord and perf record do by default)", o->input);
	else if (ret && ret != -EPIPE)
		error__set(err, ret, "cannot write %s: %s", o->output ? o->output : "the output",
			      strerror(-ret));
	return ret;
}

/* Hook the collectors of the time-keeping exports into the perf.data reader (into @oc, a
 * copy of the options). */
static int setup_extra(struct fold_cmd_opts *oc, struct fold_extra *x, struct error *err)
{
	if (oc->heatmap) {
		x->heat = heatmap__new();
		oc->perf.sample_fn = heatmap__sample;
		oc->perf.sample_ctx = x->heat;
		if (!x->heat)
			return error__nomem(err);
	} else if (oc->speedscope || oc->chrome_trace) {
		x->tl = timeline__new();
		oc->perf.sample_fn = timeline__sample;
		oc->perf.sample_ctx = x->tl;
		oc->perf.all_events = oc->chrome_trace;
		if (!x->tl)
			return error__nomem(err);
	}
	return 0;
}

static const char *timed_option(const struct fold_cmd_opts *o)
{
	return o->heatmap ? "--heatmap" : o->speedscope ? "--speedscope" :
	       o->chrome_trace ? "--chrome-trace" : o->perf.time ? "--time" : NULL;
}

int fold_cmd__run(const struct fold_cmd_opts *opts, struct error *err)
{
	struct fold *f = fold__new();
	struct fold_cmd_opts oc = *opts;
	struct fold_cmd_opts *o = &oc;		/* load() learns whether the fold is by time */
	bool diff = o->before && o->after;
	struct fold_extra x = { 0 };
	char subtitle[512];
	int ret;

	if (!f)
		return error__nomem(err);
	ret = setup_extra(&oc, &x, err);
	if (ret)
		goto out;
	if (diff) {
		ret = load(f, 0, o->before, o, err);
		if (!ret)
			ret = load(f, 1, o->after, o, err);
		snprintf(subtitle, sizeof(subtitle), "%s%s%s -> %s, widths: after, red: share grew, blue: shrank",
			 f->event ? f->event : "", f->event ? ": " : "", o->before, o->after);
	} else {
		ret = load(f, 0, o->input, o, err);
		snprintf(subtitle, sizeof(subtitle), "%s%s%s", f->event ? f->event : "",
			 f->event ? " samples of " : "", o->input);
	}
	if (ret)
		goto out;
	if (timed_option(o) && !f->path) {
		ret = error__set(err, -EINVAL, "%s needs a perf.data file: folded text has no times",
				 timed_option(o));
		goto out;
	}
	fold__facts(f, x.facts, sizeof(x.facts));
	if (o->pprof) {
		ret = pprof__write(f, &(struct pprof_opts){ .period = o->period, .comment = o->input },
				   o->pprof, err);
		if (ret || (!o->svg && !o->output))
			goto out;
	}
	ret = write_out(f, o, diff, subtitle, &x, err);
out:
	heatmap__free(x.heat);
	timeline__free(x.tl);
	fold__free(f);
	return ret;
}
