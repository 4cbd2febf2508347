/* Owns the speedscope export (report/fold/speedscope.h): threads in order of first sample,
 * each thread's samples in time order, the frame table from the tree's names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/json.h"
#include "report/fold/speedscope.h"
#include "util/array.h"

#define MAX_DEPTH 1024

struct ss_ctx {
	const struct timeline *t;
	const struct fold *f;
	FILE *out;
	bool ns;		/* weights are time */
	bool period;
	uint32_t stack[MAX_DEPTH];
};

static uint64_t weight(const struct ss_ctx *c, const struct tl_sample *s)
{
	return c->ns || c->period ? s->period : 1;
}

/* samples idx[a..b) of one thread as a profile */
static void put_profile(struct ss_ctx *c, const uint32_t *idx, size_t a, size_t b)
{
	const struct tl_thread *th = &c->t->threads[c->t->s[idx[a]].thread];
	char name[300];
	uint64_t total = 0;
	size_t i, k;
	bool first = true;

	for (i = a; i < b; i++)
		total += weight(c, &c->t->s[idx[i]]);
	snprintf(name, sizeof(name), "%s %d/%d", th->comm, th->pid, th->tid);
	fputs("{\"type\":\"sampled\",\"name\":", c->out);
	fold_json__str(c->out, name, strlen(name));
	fprintf(c->out, ",\"unit\":\"%s\",\"startValue\":0,\"endValue\":%llu,\n\"samples\":[",
		c->ns ? "nanoseconds" : "none", (unsigned long long)total);
	for (i = a; i < b; i = k) {
		uint32_t node = c->t->s[idx[i]].node;
		size_t n = timeline__stack(c->f, node, c->stack, MAX_DEPTH);

		for (k = i + 1; k < b && c->t->s[idx[k]].node == node; k++)
			;
		fputs(first ? "[" : ",\n[", c->out);
		for (size_t j = 0; j < n; j++)
			fprintf(c->out, "%s%u", j ? "," : "", c->stack[j]);
		putc(']', c->out);
		first = false;
	}
	fputs("],\n\"weights\":[", c->out);
	first = true;
	for (i = a; i < b; i = k) {
		uint32_t node = c->t->s[idx[i]].node;
		uint64_t w = 0;

		for (k = i; k < b && c->t->s[idx[k]].node == node; k++)
			w += weight(c, &c->t->s[idx[k]]);
		fprintf(c->out, "%s%llu", first ? "" : ",", (unsigned long long)w);
		first = false;
	}
	fputs("]}", c->out);
}

/* the profile speedscope opens first: the thread with the most weight */
static size_t heaviest(const struct ss_ctx *c, const uint32_t *idx, size_t n)
{
	size_t best = 0, k = 0, a, b;
	uint64_t max = 0;

	for (a = 0; a < n; a = b, k++) {
		uint64_t w = 0;

		for (b = a; b < n && c->t->s[idx[b]].thread == c->t->s[idx[a]].thread; b++)
			w += weight(c, &c->t->s[idx[b]]);
		if (w > max) {
			max = w;
			best = k;
		}
	}
	return best;
}

int speedscope__write(const struct timeline *t, const struct fold *f,
		      const struct speedscope_opts *o, FILE *out)
{
	struct ss_ctx *c = calloc(1, sizeof(*c));
	uint32_t *idx = malloc((t->nr ? t->nr : 1) * sizeof(*idx));
	size_t n = 0, a, b;
	bool first = true;
	int ret = -ENOMEM;

	if (!c || !idx)
		goto out;
	*c = (struct ss_ctx){ .t = t, .f = f, .out = out, .period = o->period,
			      .ns = f->unit && !strcmp(f->unit, "nanoseconds") };
	for (size_t i = 0; i < t->nr; i++)
		if (t->s[i].node != FOLD_NONE)
			idx[n++] = (uint32_t)i;
	timeline__sort_by_thread(t, idx, n);
	fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\n"
	      "\"exporter\":\"pfold\",\"name\":", out);
	fold_json__str(out, o->name ? o->name : "pfold", strlen(o->name ? o->name : "pfold"));
	fprintf(out, ",\"activeProfileIndex\":%zu,\n\"shared\":{\"frames\":[", heaviest(c, idx, n));
	for (size_t i = 0; i < f->nr_names; i++) {
		fputs(i ? ",\n{\"name\":" : "{\"name\":", out);
		fold_json__str(out, f->names[i].s, f->names[i].len);
		putc('}', out);
	}
	fputs("]},\n\"profiles\":[", out);
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && t->s[idx[b]].thread == t->s[idx[a]].thread; b++)
			;
		if (!first)
			fputs(",\n", out);
		put_profile(c, idx, a, b);
		first = false;
	}
	fputs("]}\n", out);
	ret = fflush(out) || ferror(out) ? -EIO : 0;
out:
	free(c);
	free(idx);
	return ret;
}
