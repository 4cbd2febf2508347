/* Owns the DOT call graph (report/fold/dot.h): per-function totals counted once per stack
 * (a walk of the tree that knows which names are on the current path), caller -> callee
 * edges, thresholds, heat colours, and handing the text to Graphviz. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/fold/dot.h"
#include "report/fold/facts.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

struct dot_edge {
	uint32_t from, to;	/* name ids */
	uint64_t w;
};

struct dot {
	const struct fold *f;
	const struct dot_opts *o;
	uint64_t *tot;		/* inclusive value per node */
	uint64_t *self, *total;	/* per name */
	uint32_t *onpath;	/* per name: how many times it is on the path being walked */
	struct dot_edge *edges;
	size_t nr_edges, edges_cap;
	struct htab edge_tab;
	uint64_t all;
};

static int add_edge(struct dot *d, uint32_t from, uint32_t to, uint64_t w)
{
	uint64_t h = hash_combine(from, to);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&d->edge_tab, h, s, pos) {
		struct dot_edge *e = &d->edges[s->val - 1];

		if (e->from == from && e->to == to) {
			e->w += w;
			return 0;
		}
	}
	if (ARRAY_GROW(d->edges, d->edges_cap, d->nr_edges + 1) ||
	    htab__insert(&d->edge_tab, h, d->nr_edges + 1))
		return -ENOMEM;
	d->edges[d->nr_edges++] = (struct dot_edge){ from, to, w };
	return 0;
}

/* Depth-first over the tree with an explicit stack: a node is pushed for its entry and
 * again (marked) for its exit, when its name leaves the path. Depth 1 is the process. */
static int walk(struct dot *d)
{
	const struct fold *f = d->f;
	uint32_t *st = malloc(2 * f->nr_nodes * sizeof(*st));
	size_t sp = 0;
	int ret = 0;

	if (!st)
		return -ENOMEM;
	for (uint32_t c = f->nodes[FOLD_ROOT].child; c != FOLD_NONE; c = f->nodes[c].sibling)
		for (uint32_t g = f->nodes[c].child; g != FOLD_NONE; g = f->nodes[g].sibling)
			st[sp++] = g << 1;
	while (sp && !ret) {
		uint32_t v = st[--sp], node = v >> 1, name = f->nodes[node].name;
		uint32_t parent = f->nodes[node].parent;

		if (v & 1) {
			d->onpath[name]--;
			continue;
		}
		d->self[name] += fold__value(&f->nodes[node], 0, d->o->period);
		if (!d->onpath[name]) {
			d->total[name] += d->tot[node];
			if (f->nodes[parent].parent != FOLD_ROOT)
				ret = add_edge(d, f->nodes[parent].name, name, d->tot[node]);
		}
		d->onpath[name]++;
		st[sp++] = node << 1 | 1;
		for (uint32_t c = f->nodes[node].child; c != FOLD_NONE; c = f->nodes[c].sibling)
			st[sp++] = c << 1;
	}
	free(st);
	return ret;
}

/* gprof2dot's idea of heat: cold blue through green and yellow to hot red */
static void heat(double w, char out[8])
{
	double h = (1.0 - sqrt(w < 0 ? 0 : w > 1 ? 1 : w)) * (2.0 / 3.0), s = 0.85, v = 0.72;
	double c = v * s, x = c * (1 - fabs(fmod(h * 6, 2) - 1)), m = v - c, r, g, b;

	switch ((int)(h * 6) % 6) {
	case 0: r = c; g = x; b = 0; break;
	case 1: r = x; g = c; b = 0; break;
	case 2: r = 0; g = c; b = x; break;
	case 3: r = 0; g = x; b = c; break;
	case 4: r = x; g = 0; b = c; break;
	default: r = c; g = 0; b = x; break;
	}
	snprintf(out, 8, "#%02x%02x%02x", (int)lround((r + m) * 255), (int)lround((g + m) * 255),
		 (int)lround((b + m) * 255));
}

static void put_label_text(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			putc('\\', out);
		putc(c < 0x20 ? '?' : c, out);
	}
}

static double pct(const struct dot *d, uint64_t v)
{
	return d->all ? 100.0 * (double)v / (double)d->all : 0;
}

static void put_graph(const struct dot *d, FILE *out)
{
	const struct fold *f = d->f;
	const struct dot_opts *o = d->o;
	char col[8], facts[1024];

	fputs("digraph \"call graph\" {\n", out);
	fputs("  graph [fontname=\"Helvetica\", nodesep=0.25, ranksep=0.3, labelloc=t, label=\"", out);
	if (o->title)
		put_label_text(out, o->title, strlen(o->title));
	if (o->facts || f->path) {
		const char *fl = o->facts ? o->facts : fold__facts(f, facts, sizeof(facts));

		fputs("\\n", out);
		put_label_text(out, fl, strlen(fl));
	}
	fputs("\"];\n  node [fontname=\"Helvetica\", shape=box, style=filled, fontcolor=white];\n"
	      "  edge [fontname=\"Helvetica\"];\n", out);
	for (size_t i = 0; i < f->nr_names; i++) {
		double t = pct(d, d->total[i]);

		if (!d->total[i] || t < o->node_thres)
			continue;
		heat(t / 100.0, col);
		fprintf(out, "  n%zu [label=\"", i);
		put_label_text(out, f->names[i].s, f->names[i].len);
		fprintf(out, "\\n%.2f%%\\n(%.2f%%)\", fillcolor=\"%s\", color=\"%s\", fontsize=%.1f];\n",
			t, pct(d, d->self[i]), col, col, 9.0 + 6.0 * sqrt(t / 100.0));
	}
	for (size_t i = 0; i < d->nr_edges; i++) {
		const struct dot_edge *e = &d->edges[i];
		double w = pct(d, e->w);

		if (w < o->edge_thres || pct(d, d->total[e->from]) < o->node_thres ||
		    pct(d, d->total[e->to]) < o->node_thres)
			continue;
		heat(w / 100.0, col);
		fprintf(out, "  n%u -> n%u [label=\"%.2f%%\", color=\"%s\", fontcolor=\"%s\", "
			"penwidth=%.2f, arrowsize=%.2f];\n", e->from, e->to, w, col, col,
			0.5 + 3.5 * w / 100.0, 0.5 + 0.5 * sqrt(w / 100.0));
	}
	fputs("}\n", out);
}

int dot__write(const struct fold *f, const struct dot_opts *o, FILE *out)
{
	struct dot d = { .f = f, .o = o };
	size_t nn = f->nr_names ? f->nr_names : 1;
	int ret = -ENOMEM;

	d.tot = malloc(f->nr_nodes * sizeof(*d.tot));
	d.self = calloc(nn, sizeof(*d.self));
	d.total = calloc(nn, sizeof(*d.total));
	d.onpath = calloc(nn, sizeof(*d.onpath));
	if (!d.tot || !d.self || !d.total || !d.onpath)
		goto out;
	for (size_t i = 0; i < f->nr_nodes; i++)
		d.tot[i] = fold__value(&f->nodes[i], 0, o->period);
	for (size_t i = f->nr_nodes; i-- > 1;)
		d.tot[f->nodes[i].parent] += d.tot[i];
	d.all = d.tot[FOLD_ROOT];
	ret = walk(&d);
	if (ret)
		goto out;
	put_graph(&d, out);
	ret = fflush(out) || ferror(out) ? -EIO : 0;
out:
	free(d.tot);
	free(d.self);
	free(d.total);
	free(d.onpath);
	free(d.edges);
	htab__exit(&d.edge_tab);
	return ret;
}

const char *dot__format_of(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (!dot)
		return NULL;
	if (!strcmp(dot, ".svg"))
		return "svg";
	if (!strcmp(dot, ".png"))
		return "png";
	if (!strcmp(dot, ".pdf"))
		return "pdf";
	return NULL;
}

int dot__render(const struct fold *f, const struct dot_opts *o, const char *fmt,
		const char *path, struct error *err)
{
	char tflag[16];
	int fd[2], status, ret;
	FILE *w;
	pid_t pid;

	if (pipe(fd))
		return error__set(err, -errno, "pipe: %s", strerror(errno));
	snprintf(tflag, sizeof(tflag), "-T%s", fmt);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(fd[0]);
		close(fd[1]);
		return error__set(err, ret, "fork: %s", strerror(-ret));
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execlp("dot", "dot", tflag, "-o", path, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	w = fdopen(fd[1], "w");
	if (!w) {
		close(fd[1]);
		ret = -ENOMEM;
	} else {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		ret = dot__write(f, o, w);
		if (fclose(w) && !ret)
			ret = -EIO;
		signal(SIGPIPE, old);
	}
	if (waitpid(pid, &status, 0) < 0)
		return error__set(err, -errno, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return error__set(err, -ENOENT, "Graphviz's dot is not installed (apt-get install "
				     "graphviz), or write DOT text: -o FILE.dot");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return error__set(err, -EIO, "dot -%s -o %s failed (exit %d)", tflag + 1, path,
				     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return ret ? error__set(err, ret, "cannot write the graph: %s", strerror(-ret)) : 0;
}

int dot__run(const char *path, const struct fold_perf_opts *perf, const struct dot_opts *o,
	     const char *out, struct error *err)
{
	struct fold *f = fold__new();
	struct fold_perf_stats st = { 0 };
	const char *fmt = dot__format_of(out);
	FILE *w = stdout;
	int ret;

	if (!f)
		return error__nomem(err);
	ret = fold_perf__read(f, 0, path, perf, &st, err);
	if (ret)
		goto done;
	if (fmt) {
		ret = dot__render(f, o, fmt, out, err);
		goto done;
	}
	if (out && strcmp(out, "-") && !(w = fopen(out, "w"))) {
		ret = error__set(err, -errno, "cannot write %s: %s", out, strerror(errno));
		goto done;
	}
	ret = dot__write(f, o, w);
	if (w != stdout && fclose(w) && !ret)
		ret = -EIO;
	if (ret && ret != -EPIPE)
		error__set(err, ret, "cannot write %s: %s", out ? out : "the output", strerror(-ret));
done:
	fold__free(f);
	return ret;
}
