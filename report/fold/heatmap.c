/* Owns the heat map's data: cells counted per (20 ms bucket, CPU, process, stack) as
 * samples arrive (one hash lookup, no allocation but amortized growth), and the page:
 * the stack tree in flame-graph order (pre-order, children by name, so the script lays a
 * range graph out in one pass), names with their SVG colours, processes, CPUs, the rows
 * sorted by cell, and the header facts. The interactive part is report/fold/heatmap_js.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/heatmap.h"
#include "report/fold/json.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

#define ROW_NS (1000000000ULL / HEATMAP_ROWS)

struct hm_cell {
	uint64_t bucket;	/* time / ROW_NS */
	uint32_t node, proc;
	int32_t cpu;
	uint64_t n, period;
};

struct hm_proc {
	int pid;
	char *comm;
};

struct heatmap {
	struct hm_cell *cells;
	size_t nr_cells, cells_cap;
	struct htab cell_tab;		/* hash of the key -> index + 1 */
	struct hm_proc *procs;
	size_t nr_procs, procs_cap;
	struct htab proc_tab;		/* hash_u64(pid) -> index + 1 */
	uint64_t untimed;		/* samples without a time (not on the map) */
};

struct heatmap *heatmap__new(void)
{
	return calloc(1, sizeof(struct heatmap));
}

void heatmap__free(struct heatmap *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nr_procs; i++)
		free(h->procs[i].comm);
	free(h->procs);
	free(h->cells);
	htab__exit(&h->cell_tab);
	htab__exit(&h->proc_tab);
	free(h);
}

static int proc_of(struct heatmap *h, int pid, const char *comm, uint32_t *idx)
{
	uint64_t hash = hash_u64((uint64_t)(uint32_t)pid);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&h->proc_tab, hash, s, pos)
		if (h->procs[s->val - 1].pid == pid) {
			*idx = (uint32_t)(s->val - 1);
			return 0;
		}
	if (ARRAY_GROW(h->procs, h->procs_cap, h->nr_procs + 1))
		return -ENOMEM;
	h->procs[h->nr_procs] = (struct hm_proc){ pid, strdup(comm) };
	if (!h->procs[h->nr_procs].comm || htab__insert(&h->proc_tab, hash, h->nr_procs + 1)) {
		free(h->procs[h->nr_procs].comm);
		return -ENOMEM;
	}
	*idx = (uint32_t)h->nr_procs++;
	return 0;
}

int heatmap__sample(void *ctx, const struct fold_sample *fs)
{
	struct heatmap *h = ctx;
	uint64_t bucket = fs->time / ROW_NS, hash;
	struct htab_slot *s;
	struct hm_cell *c;
	uint32_t proc;
	size_t pos;

	if (fs->node == FOLD_NONE)
		return 0;
	if (!fs->time) {
		h->untimed++;
		return 0;
	}
	if (proc_of(h, fs->pid, fs->comm, &proc))
		return -ENOMEM;
	hash = hash_fold(hash_fold(hash_fold(bucket, fs->node), (uint64_t)proc << 32 | (uint32_t)fs->cpu), 0);
	hash = hash_u64(hash);
	htab__for_each_hash(&h->cell_tab, hash, s, pos) {
		c = &h->cells[s->val - 1];
		if (c->bucket == bucket && c->node == fs->node && c->proc == proc && c->cpu == fs->cpu) {
			c->n++;
			c->period += fs->period;
			return 0;
		}
	}
	if (ARRAY_GROW(h->cells, h->cells_cap, h->nr_cells + 1) ||
	    htab__insert(&h->cell_tab, hash, h->nr_cells + 1))
		return -ENOMEM;
	h->cells[h->nr_cells++] = (struct hm_cell){ bucket, fs->node, proc, fs->cpu, 1, fs->period };
	return 0;
}

/* ---- writing ------------------------------------------------------------------------- */

static int cmp_cell(const void *a, const void *b)
{
	const struct hm_cell *x = a, *y = b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

/* The tree in pre-order with children by name: order[i] is the i-th node, pos[node] its
 * place. 0 or -ENOMEM. */
static int flame_order(const struct fold *f, uint32_t *order, uint32_t *pos)
{
	uint32_t *stack = malloc(f->nr_nodes * sizeof(*stack));
	size_t sp = 0, k = 0;

	if (!stack)
		return -ENOMEM;
	stack[sp++] = FOLD_ROOT;
	while (sp) {
		uint32_t node = stack[--sp], *kids;
		size_t n;

		pos[node] = (uint32_t)k;
		order[k++] = node;
		kids = fold__children_by_name(f, node, &n);
		if (!kids && n) {
			free(stack);
			return -ENOMEM;
		}
		for (size_t i = n; i-- > 0;)	/* first child by name popped first */
			stack[sp++] = kids[i];
		free(kids);
	}
	free(stack);
	return 0;
}

static void put_names(const struct fold *f, const uint32_t *order, const struct heatmap_opts *o,
		      FILE *out)
{
	uint32_t *color = calloc(f->nr_names ? f->nr_names : 1, sizeof(*color));

	fputs("\"names\":[", out);
	for (size_t i = 0; i < f->nr_names; i++) {
		if (i)
			putc(',', out);
		fold_json__str(out, f->names[i].s, f->names[i].len);
	}
	fputs("],\n\"colors\":[", out);
	if (color)
		for (size_t i = 1; i < f->nr_nodes; i++)
			color[f->nodes[order[i]].name] = flame__rgb(f, order[i], o->colors);
	for (size_t i = 0; i < f->nr_names; i++)
		fprintf(out, "%s%u", i ? "," : "", color ? color[i] : 0xdc8c3cU);
	fputs("],\n", out);
	free(color);
}

static void put_tree(const struct fold *f, const uint32_t *order, const uint32_t *pos, FILE *out)
{
	/* node i (i >= 1), in pre-order: how many places back its parent is (a short number:
	 * mostly 1, the node before it) and its name id */
	fputs("\"tree\":[", out);
	for (size_t i = 1; i < f->nr_nodes; i++) {
		const struct fold_node *n = &f->nodes[order[i]];

		fprintf(out, "%s%u,%u", i > 1 ? "," : "", (uint32_t)i - pos[n->parent], n->name);
		if ((i & 31) == 31)
			putc('\n', out);
	}
	fputs("],\n", out);
}

static void put_procs(const struct heatmap *h, FILE *out)
{
	fputs("\"procs\":[", out);
	for (size_t i = 0; i < h->nr_procs; i++) {
		fprintf(out, "%s[%d,", i ? "," : "", h->procs[i].pid);
		fold_json__str(out, h->procs[i].comm, strlen(h->procs[i].comm));
		putc(']', out);
	}
	fputs("],\n", out);
}

static void put_str_field(FILE *out, const char *key, const char *v)
{
	fprintf(out, "\"%s\":", key);
	if (v)
		fold_json__str(out, v, strlen(v));
	else
		fputs("null", out);
	fputs(",\n", out);
}

/* rows: cell (bucket - first second's first bucket), CPU, process, node position, value */
static uint64_t put_cells(const struct heatmap *h, const struct hm_cell *cells, const uint32_t *pos,
			  uint64_t base, bool period, FILE *out)
{
	uint64_t last = base;

	fputs("\"cells\":[", out);
	for (size_t i = 0; i < h->nr_cells; i++) {
		const struct hm_cell *c = &cells[i];

		fprintf(out, "%s%llu,%d,%u,%u,%llu", i ? "," : "",
			(unsigned long long)(c->bucket - base), c->cpu, c->proc, pos[c->node],
			(unsigned long long)(period ? c->period : c->n));
		if ((i & 15) == 15)
			putc('\n', out);
		last = c->bucket;
	}
	fputs("],\n", out);
	return last;
}

static void put_page_head(const struct heatmap_opts *o, FILE *out)
{
	const char *title = o->title ? o->title : "Heat Map";

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>", out);
	for (const char *p = title; *p; p++)
		if (*p == '<')
			fputs("&lt;", out);
		else if (*p == '&')
			fputs("&amp;", out);
		else
			putc(*p, out);
	fputs("</title>\n<!-- drawn by pfold --heatmap: click a cell and another (or drag) to "
	      "select a time range; its flame graph is drawn below. ?range=A,B&cpu=N&pid=P "
	      "in the URL selects on load; window.heatmap is the page's API -->\n", out);
	fprintf(out, "<style>%s%s</style>\n</head><body>\n", flame__style, heatmap__style);
}

int heatmap__write(const struct heatmap *h, const struct fold *f, const struct heatmap_opts *o,
		   FILE *out)
{
	uint32_t *order = malloc(f->nr_nodes * sizeof(*order));
	uint32_t *pos = malloc(f->nr_nodes * sizeof(*pos));
	struct hm_cell *cells = malloc((h->nr_cells ? h->nr_cells : 1) * sizeof(*cells));
	uint64_t base = 0, last;
	int ret = -ENOMEM;

	if (!h->nr_cells) {
		ret = -ENODATA;
		goto out;
	}
	if (!order || !pos || !cells || flame_order(f, order, pos))
		goto out;
	memcpy(cells, h->cells, h->nr_cells * sizeof(*cells));
	array__sort(cells, h->nr_cells, sizeof(*cells), cmp_cell);
	/* column 0 is the whole second the first sample fell in */
	base = cells[0].bucket / HEATMAP_ROWS * HEATMAP_ROWS;
	put_page_head(o, out);
	/* JSON the browser does not run as script: its integer arrays are read by the page's
	 * own scanner (report/fold/heatmap_js.c), many times faster than parsing a literal */
	fputs("<div id=\"page\"></div>\n<script type=\"application/json\" id=\"hmdata\">\n{\n", out);
	fprintf(out, "\"base_s\":%llu,\"rows\":%d,\"row_ns\":%llu,\"width\":%d,\"untimed\":%llu,\n",
		(unsigned long long)(base / HEATMAP_ROWS), HEATMAP_ROWS, (unsigned long long)ROW_NS,
		o->width > 100 ? o->width : 1200, (unsigned long long)h->untimed);
	put_str_field(out, "title", o->title ? o->title : "Heat Map");
	put_str_field(out, "subtitle", o->subtitle);
	put_str_field(out, "facts", o->facts);
	put_str_field(out, "unit", o->unit ? o->unit : "samples");
	put_names(f, order, o, out);
	put_tree(f, order, pos, out);
	put_procs(h, out);
	last = put_cells(h, cells, pos, base, o->period, out);
	fprintf(out, "\"ncols\":%llu\n}\n</script>\n",
		(unsigned long long)((last - base) / HEATMAP_ROWS + 1));
	fprintf(out, "<script>%s</script>\n<script>%s</script>\n</body></html>\n", flame__script,
		heatmap__script);
	ret = fflush(out) || ferror(out) ? -EIO : 0;
out:
	free(order);
	free(pos);
	free(cells);
	return ret;
}
