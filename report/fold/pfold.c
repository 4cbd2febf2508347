/* Owns what pfold does with its inputs and outputs: telling perf.data from folded text,
 * folding one file or two (--diff), the notes on stderr about skipped events, and which
 * writer gets the tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/pfold.h"
#include "report/fold/pprof.h"
#include "util/log.h"

/* perf.data starts with "PERFILE2" (file mode) or the same magic in a 16-byte pipe
 * header; anything else is taken for folded text. */
static int is_perf_data(const char *path, struct error *err)
{
	char magic[8];
	FILE *f;
	size_t n;

	if (!strcmp(path, "-"))
		return 0;
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

static int write_out(const struct fold *f, const struct fold_cmd_opts *o, bool diff,
		     const char *subtitle, struct error *err)
{
	FILE *out = stdout;
	int ret;

	if (o->output && strcmp(o->output, "-")) {
		out = fopen(o->output, "w");
		if (!out)
			return error__set(err, -errno, "cannot write %s: %s", o->output,
					     strerror(errno));
	}
	if (o->svg) {
		struct flame_opts fo = o->flame;

		fo.period = o->period;
		fo.diff = diff;
		if (!fo.subtitle)
			fo.subtitle = subtitle;
		if (!fo.unit)
			fo.unit = o->period ? (f->unit ? f->unit : "count") : "samples";
		ret = flame__write(f, &fo, out);
	} else {
		ret = fold__write_folded(f, out, o->period, diff);
	}
	if (out != stdout) {
		if (fclose(out) && !ret)
			ret = -EIO;
	} else if (fflush(out) && !ret) {
		ret = -EIO;
	}
	if (ret == -EIO && errno == EPIPE)
		ret = -EPIPE;
	if (ret && ret != -EPIPE)
		error__set(err, ret, "cannot write %s: %s", o->output ? o->output : "the output",
			      strerror(-ret));
	return ret;
}

int fold_cmd__run(const struct fold_cmd_opts *opts, struct error *err)
{
	struct fold_cmd_opts oc = *opts, *o = &oc;
	struct fold *f = fold__new();
	bool diff = o->before && o->after;
	char subtitle[512];
	int ret;

	if (!f)
		return error__nomem(err);
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
	if (o->pprof) {
		ret = pprof__write(f, &(struct pprof_opts){ .period = o->period, .comment = o->input },
				   o->pprof, err);
		if (ret || (!o->svg && !o->output))
			goto out;
	}
	ret = write_out(f, o, diff, subtitle, err);
out:
	fold__free(f);
	return ret;
}
