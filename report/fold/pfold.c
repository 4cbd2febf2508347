/* Owns what pfold does with its inputs and outputs: opening each input once (files, pipes,
 * FIFOs, stdin) and telling perf.data from folded text by its first bytes,
 * folding one file or two (--diff), the notes on stderr about skipped events, and which
 * writer gets the tree. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/fold/chrome_trace.h"
#include "report/fold/facts.h"
#include "report/fold/heatmap.h"
#include "report/fold/pfold.h"
#include "report/fold/pprof.h"
#include "report/fold/speedscope.h"
#include "report/fold/timeline.h"
#include "util/log.h"

/* An input opened once and sniffed from what was read: the first bytes are kept and handed
 * back before the rest, so pipes, FIFOs and '-' work as well as files. */
struct input {
	const char *name;	/* for messages: the path, or "<stdin>" */
	int fd;
	bool regular;
	char head[16];
	size_t head_len, head_pos;
};

static ssize_t input_read(void *cookie, char *buf, size_t size)
{
	struct input *in = cookie;

	if (in->head_pos < in->head_len) {
		size_t n = in->head_len - in->head_pos;

		if (n > size)
			n = size;
		memcpy(buf, in->head + in->head_pos, n);
		in->head_pos += n;
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t n = read(in->fd, buf, size);

		if (n >= 0 || errno != EINTR)
			return n;
	}
}

/* Open @path ('-': stdin), refuse what pfold cannot read, and read its first bytes. */
static int input_open(struct input *in, const char *path, struct error *err)
{
	struct stat st;

	in->name = strcmp(path, "-") ? path : "<stdin>";
	in->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (in->fd < 0)
		return error__set(err, -errno, "cannot open %s: %s%s", path, strerror(errno),
				  errno == ENOENT ? " (record one with 'precord -g' or 'perf record -g')" : "");
	if (fstat(in->fd, &st))
		return error__set(err, -errno, "%s: %s", in->name, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return error__set(err, -EISDIR, "%s is a directory: give a perf.data file or folded text",
				  in->name);
	in->regular = S_ISREG(st.st_mode);
	if (!in->regular && !S_ISFIFO(st.st_mode))
		return error__set(err, -EINVAL, "%s is not a regular file, pipe or FIFO: give a perf.data "
				  "file or folded text", in->name);
	while (in->head_len < 8) {
		ssize_t n = read(in->fd, in->head + in->head_len, 8 - in->head_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error__set(err, -errno, "reading %s: %s", in->name, strerror(errno));
		if (n == 0)
			break;
		in->head_len += (size_t)n;
	}
	if (!in->head_len)
		return error__set(err, -ENODATA, "%s is empty: nothing to fold", in->name);
	return 0;
}

static void input_close(struct input *in)
{
	if (in->fd > 0)
		close(in->fd);
	in->fd = -1;
}

static bool is_perf_magic(const struct input *in)
{
	return in->head_len == 8 && (!memcmp(in->head, "PERFILE2", 8) ||
				     !memcmp(in->head, "2ELIFREP", 8) || !memcmp(in->head, "PERFFILE", 8));
}

/* perf.data coming through a pipe (a file, or a pipe-mode stream of perf record -o -): the
 * reader maps files, so it is copied into an anonymous memory file first (as big as the
 * stream, read once). */
static int spool(struct input *in, char *path, size_t cap, struct error *err)
{
	char buf[65536];
	int fd = memfd_create("pfold-input", MFD_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return error__set(err, -errno, "%s: memfd_create: %s", in->name, strerror(errno));
	while ((n = input_read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 || write(fd, buf, (size_t)n) != n) {
			int e = errno ? errno : EIO;

			close(fd);
			return error__set(err, -e, "reading %s: %s", in->name, strerror(e));
		}
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

static int load_perf(struct fold *f, int profile, struct input *in, const char *path,
		     struct fold_cmd_opts *o, struct error *err)
{
	struct fold_perf_stats st = { 0 };
	char spooled[64];
	int fd = -1, ret;

	if (in->regular && in->fd == 0)
		path = "/proc/self/fd/0";
	if (!in->regular) {
		fd = spool(in, spooled, sizeof(spooled), err);
		if (fd < 0)
			return fd;
		path = spooled;
	}
	ret = fold_perf__read(f, profile, path, &o->perf, &st, err);
	if (fd >= 0)
		close(fd);
	if (ret)
		return ret;
	o->period |= st.by_time;	/* off-CPU: widths are time, on and off CPU alike */
	if (st.skipped && !o->perf.event && !st.by_time)
		pr_warn("%s: folded only '%s'; %llu samples of other events were skipped (pick one with -e)",
			in->name, st.event, (unsigned long long)st.skipped);
	if (!st.folded)
		pr_warn("%s: no samples to fold", in->name);
	return 0;
}

static int load(struct fold *f, int profile, const char *path, struct fold_cmd_opts *o,
		struct error *err)
{
	struct input in = { .fd = -1 };
	FILE *text;
	int ret;

	ret = input_open(&in, path, err);
	if (ret)
		goto out;
	if (is_perf_magic(&in)) {
		ret = load_perf(f, profile, &in, path, o, err);
		goto out;
	}
	text = fopencookie(&in, "r", (cookie_io_functions_t){ .read = input_read });
	if (!text) {
		ret = error__nomem(err);
		goto out;
	}
	ret = fold__read_folded(f, text, in.name, profile, err);
	fclose(text);
out:
	input_close(&in);
	return ret;
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
