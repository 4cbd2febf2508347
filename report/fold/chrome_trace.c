/* Owns the trace event export (report/fold/chrome_trace.h): per thread, the difference
 * between one sample's stack and the next as E and B events, instants for other events. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/chrome_trace.h"
#include "report/fold/json.h"

#define MAX_DEPTH 1024
#define DEFAULT_SPAN_NS 1000000ULL

struct ct {
	const struct timeline *t;
	const struct fold *f;
	FILE *out;
	bool ns;
	uint32_t open[MAX_DEPTH], stack[MAX_DEPTH];
	size_t nopen;
	bool any;		/* an event was written: the next one needs a comma */
};

static void sep(struct ct *c)
{
	if (c->any)
		fputs(",\n", c->out);
	c->any = true;
}

static void put_ev(struct ct *c, char ph, uint32_t name, uint64_t ns, const struct tl_thread *th)
{
	const struct fold_name *nm = &c->f->names[name];

	sep(c);
	fputs("{\"name\":", c->out);
	fold_json__str(c->out, nm->s, nm->len);
	fprintf(c->out, ",\"cat\":\"%s\",\"ph\":\"%c\",\"ts\":%llu.%03u,\"pid\":%d,\"tid\":%d}",
		c->f->event ? c->f->event : "sample", ph, (unsigned long long)(ns / 1000),
		(unsigned)(ns % 1000), th->pid, th->tid);
}

/* close open frames down to @keep at @ns */
static void close_to(struct ct *c, size_t keep, uint64_t ns, const struct tl_thread *th)
{
	while (c->nopen > keep)
		put_ev(c, 'E', c->open[--c->nopen], ns, th);
}

static void put_instant(struct ct *c, const struct tl_sample *s, const struct tl_thread *th)
{
	const char *ev = timeline__str(c->t, s->event);

	sep(c);
	fputs("{\"name\":", c->out);
	fold_json__str(c->out, ev, strlen(ev));
	fprintf(c->out, ",\"cat\":\"event\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%llu.%03u,\"pid\":%d,"
		"\"tid\":%d,\"args\":{\"cpu\":%d", (unsigned long long)(s->time / 1000),
		(unsigned)(s->time % 1000), th->pid, th->tid, s->cpu);
	if (s->sym != FOLD_NONE) {
		const char *sym = timeline__str(c->t, s->sym);

		fputs(",\"function\":", c->out);
		fold_json__str(c->out, sym, strlen(sym));
	}
	fputs("}}", c->out);
}

/* samples idx[a..b) of one thread */
static void put_thread(struct ct *c, const uint32_t *idx, size_t a, size_t b)
{
	const struct tl_thread *th = &c->t->threads[c->t->s[idx[a]].thread];
	uint64_t end = 0;

	c->nopen = 0;
	sep(c);
	fprintf(c->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
		th->pid, th->tid);
	fold_json__str(c->out, th->comm, strlen(th->comm));
	fputs("}}", c->out);
	for (size_t i = a; i < b; i++) {
		const struct tl_sample *s = &c->t->s[idx[i]];
		size_t n, k = 0;

		/* slices that ended before this event end first (an instant too: time order) */
		if (c->nopen && s->time > end)
			close_to(c, 0, end, th);
		if (s->node == FOLD_NONE) {
			put_instant(c, s, th);
			continue;
		}
		n = timeline__stack(c->f, s->node, c->stack, MAX_DEPTH);
		while (k < n && k < c->nopen && c->open[k] == c->stack[k])
			k++;
		close_to(c, k, s->time, th);
		for (; k < n; k++) {
			put_ev(c, 'B', c->stack[k], s->time, th);
			c->open[c->nopen++] = c->stack[k];
		}
		end = s->time + (c->ns && s->period ? s->period : DEFAULT_SPAN_NS);
	}
	close_to(c, 0, end, th);
}

static void put_processes(struct ct *c)
{
	for (size_t i = 0; i < c->t->nr_threads; i++) {
		const struct tl_thread *th = &c->t->threads[i];
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)	/* once per process; few threads */
			seen = c->t->threads[j].pid == th->pid;
		if (seen)
			continue;
		sep(c);
		fprintf(c->out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,"
			"\"args\":{\"name\":", th->pid, th->pid);
		fold_json__str(c->out, th->comm, strlen(th->comm));
		fputs("}}", c->out);
	}
}

int chrome_trace__write(const struct timeline *t, const struct fold *f, const char *facts,
			FILE *out)
{
	struct ct *c = calloc(1, sizeof(*c));
	uint32_t *idx = malloc((t->nr ? t->nr : 1) * sizeof(*idx));
	size_t a, b;
	int ret = -ENOMEM;

	if (!c || !idx)
		goto out;
	*c = (struct ct){ .t = t, .f = f, .out = out,
			  .ns = f->unit && !strcmp(f->unit, "nanoseconds") };
	for (size_t i = 0; i < t->nr; i++)
		idx[i] = (uint32_t)i;
	timeline__sort_by_thread(t, idx, t->nr);
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"exporter\":\"pfold\",\"facts\":", out);
	fold_json__str(out, facts ? facts : "", facts ? strlen(facts) : 0);
	fputs("},\n\"traceEvents\":[\n", out);
	put_processes(c);
	for (a = 0; a < t->nr; a = b) {
		for (b = a + 1; b < t->nr && t->s[idx[b]].thread == t->s[idx[a]].thread; b++)
			;
		put_thread(c, idx, a, b);
	}
	fputs("]}\n", out);
	ret = fflush(out) || ferror(out) ? -EIO : 0;
out:
	free(c);
	free(idx);
	return ret;
}
