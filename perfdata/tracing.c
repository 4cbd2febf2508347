/* Owns decoding the TRACING_DATA feature: magic, version, endianness, sizes, the
 * header_page/header_event files, ftrace and event format files, kallsyms, printk formats
 * and saved cmdlines, each length-checked before it is handed to libtraceevent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "perfdata/tracing.h"

struct tracing {
	struct tep_handle *tep;
};

struct tcur {
	const char *p, *end, *base;
	uint64_t file_off;
};

static int need(struct tcur *c, uint64_t n)
{
	return (uint64_t)(c->end - c->p) >= n ? 0 : -1;
}

static int get_u32(struct tcur *c, uint32_t *v)
{
	if (need(c, 4))
		return -1;
	memcpy(v, c->p, 4);
	c->p += 4;
	return 0;
}

static int get_u64(struct tcur *c, uint64_t *v)
{
	if (need(c, 8))
		return -1;
	memcpy(v, c->p, 8);
	c->p += 8;
	return 0;
}

static const char *get_str(struct tcur *c)
{
	const char *s = c->p;
	const char *nul = memchr(c->p, '\0', (size_t)(c->end - c->p));

	if (!nul)
		return NULL;
	c->p = nul + 1;
	return s;
}

/* A copy with a terminating NUL (libtraceevent wants C strings for some parts). */
static char *get_blob(struct tcur *c, uint64_t size)
{
	char *b;

	if (need(c, size))
		return NULL;
	b = malloc(size + 1);
	if (!b)
		return NULL;
	memcpy(b, c->p, size);
	b[size] = '\0';
	c->p += size;
	return b;
}

#define BAD(what) do { why = what; goto bad; } while (0)

int tracing__open(struct pd_reader *r, struct tracing **out, struct error *err)
{
	uint64_t size, off;
	const void *data = pd_reader__feature(r, PD_FEAT_TRACING_DATA, &size);
	struct tracing *t;
	struct tcur c;
	const char *why = "", *ver;
	char *blob = NULL;
	uint32_t n, i, k, nsys;
	uint64_t sz;
	int long_size, page_size;

	*out = NULL;
	if (!data)
		return error__set(err, -ENOENT, "%s: tracepoint events but no tracing data (TRACING_DATA)",
				     pd_reader__path(r));
	t = calloc(1, sizeof(*t));
	if (!t)
		return error__nomem(err);
	t->tep = tep_alloc();
	if (!t->tep) {
		free(t);
		return error__nomem(err);
	}
	c.base = c.p = data;
	c.end = c.p + size;
	if (need(&c, 10) || memcmp(c.p, "\027\010\104tracing", 10))
		BAD("bad tracing data magic");
	c.p += 10;
	ver = get_str(&c);
	if (!ver)
		BAD("bad tracing data version");
	if (need(&c, 6))
		BAD("tracing data truncated");
	tep_set_file_bigendian(t->tep, c.p[0] ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(t->tep, TEP_LITTLE_ENDIAN);
	long_size = (unsigned char)c.p[1];
	memcpy(&page_size, c.p + 2, 4);
	c.p += 6;
	tep_set_long_size(t->tep, long_size);
	tep_set_page_size(t->tep, page_size);
	/* header_page, header_event */
	for (i = 0; i < 2; i++) {
		const char *name = get_str(&c);

		if (!name || get_u64(&c, &sz) || need(&c, sz))
			BAD("bad tracing header file");
		blob = get_blob(&c, sz);
		if (!blob)
			BAD("tracing header file truncated");
		if (i == 0)
			tep_parse_header_page(t->tep, blob, sz, long_size);
		free(blob);
		blob = NULL;
	}
	/* ftrace formats */
	if (get_u32(&c, &n))
		BAD("tracing data truncated (ftrace formats)");
	for (i = 0; i < n; i++) {
		if (get_u64(&c, &sz) || !(blob = get_blob(&c, sz)))
			BAD("ftrace format truncated");
		tep_parse_event(t->tep, blob, sz, "ftrace");
		free(blob);
		blob = NULL;
	}
	/* event formats by system */
	if (get_u32(&c, &nsys))
		BAD("tracing data truncated (event systems)");
	for (i = 0; i < nsys; i++) {
		const char *sys = get_str(&c);

		if (!sys || get_u32(&c, &n))
			BAD("event system truncated");
		for (k = 0; k < n; k++) {
			if (get_u64(&c, &sz) || !(blob = get_blob(&c, sz)))
				BAD("event format truncated");
			tep_parse_event(t->tep, blob, sz, sys);
			free(blob);
			blob = NULL;
		}
	}
	/* kallsyms, printk formats (u32 sizes), saved cmdlines (u64, version >= 0.6) */
	if (get_u32(&c, &n) || !(blob = get_blob(&c, n)))
		BAD("kallsyms in tracing data truncated");
	if (n)
		tep_parse_kallsyms(t->tep, blob);
	free(blob);
	if (get_u32(&c, &n) || !(blob = get_blob(&c, n)))
		BAD("printk formats in tracing data truncated");
	if (n)
		tep_parse_printk_formats(t->tep, blob);
	free(blob);
	blob = NULL;
	if (strcmp(ver, "0.6") >= 0 && c.p < c.end) {
		if (get_u64(&c, &sz) || !(blob = get_blob(&c, sz)))
			BAD("saved cmdlines in tracing data truncated");
		if (sz)
			tep_parse_saved_cmdlines(t->tep, blob);
		free(blob);
		blob = NULL;
	}
	*out = t;
	return 0;
bad:
	free(blob);
	off = (uint64_t)(c.p - c.base);
	tracing__close(t);
	off += pd_reader__feature_offset(r, PD_FEAT_TRACING_DATA);
	return error__set(err, -EBADMSG, "%s: corrupt at offset %llu: %s", pd_reader__path(r),
			     (unsigned long long)off, why);
}

void tracing__close(struct tracing *t)
{
	if (!t)
		return;
	if (t->tep)
		tep_free(t->tep);
	free(t);
}

int tracing__format(struct tracing *t, const struct pd_evsel *evsel, const struct pd_sample *s,
		    char *buf, size_t len)
{
	struct tep_event *ev = tep_find_event(t->tep, (int)evsel->attr.config);
	struct tep_record rec = { 0 };
	struct trace_seq seq;
	size_t n;

	if (!ev || !len)
		return -ENOENT;
	rec.data = (void *)s->raw;
	rec.size = (int)s->raw_size;
	rec.cpu = (int)s->cpu;
	rec.ts = s->time;
	trace_seq_init(&seq);
	tep_print_event(t->tep, &seq, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&seq);
	n = seq.len < len - 1 ? seq.len : len - 1;
	memcpy(buf, seq.buffer, n);
	buf[n] = '\0';
	trace_seq_destroy(&seq);
	return (int)n;
}

int tracing__field(struct tracing *t, const struct pd_evsel *evsel, const char *name,
		   unsigned int *offset, unsigned int *size)
{
	struct tep_event *ev = tep_find_event(t->tep, (int)evsel->attr.config);
	struct tep_format_field *f = ev ? tep_find_field(ev, name) : NULL;

	if (!f)
		return -ENOENT;
	*offset = (unsigned int)f->offset;
	*size = (unsigned int)f->size;
	return 0;
}

const char *tracing__event_name(struct tracing *t, unsigned long long id, char *buf, size_t len)
{
	struct tep_event *ev = tep_find_event(t->tep, (int)id);

	if (!ev)
		return NULL;
	snprintf(buf, len, "%s:%s", ev->system, ev->name);
	return buf;
}
