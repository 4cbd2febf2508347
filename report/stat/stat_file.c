/* Owns reading perf stat record files and streams: the records gathered in order (through
 * perfdata/reader in file mode; from stdin in the pipe format: a 16-byte PERFILE2 header, ATTR
 * and EVENT_UPDATE records naming the events), then STAT_CONFIG (aggregation), CPU_MAP (-A's
 * CPUs), STAT (summed per event and unit, scaled for multiplexing), STAT_ROUND (the time). */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/reader.h"
#include "report/stat/stat_file.h"
#include "sampler/stat_record.h"
#include "util/array.h"
#include "util/error.h"

#define PIPE_ATTR 64	/* HEADER_ATTR: attr[attr.size], u64 ids[] */

static bool is_clock(const struct stat_file_event *ev)
{
	return ev->type == PERF_TYPE_SOFTWARE &&
	       (ev->config == PERF_COUNT_SW_CPU_CLOCK || ev->config == PERF_COUNT_SW_TASK_CLOCK);
}

static const struct stat_file_event *event_by_id(const struct stat_file *f, uint64_t id, int *idx)
{
	for (int i = 0; i < f->nr_events; i++)
		for (size_t k = 0; k < f->events[i].nr_ids; k++)
			if (f->events[i].ids[k] == id) {
				*idx = i;
				return &f->events[i];
			}
	return NULL;
}

static int add_event(struct stat_file *f, const char *name, uint32_t type, uint64_t config,
		     const uint64_t *ids, size_t nr_ids)
{
	struct stat_file_event *ev, *grown = realloc(f->events, (f->nr_events + 1) * sizeof(*f->events));

	if (!grown)
		return -ENOMEM;
	f->events = grown;
	ev = &f->events[f->nr_events];
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->name, sizeof(ev->name), "%s", name);
	ev->type = type;
	ev->config = config;
	ev->ids = calloc(nr_ids ? nr_ids : 1, sizeof(*ev->ids));
	if (!ev->ids)
		return -ENOMEM;
	memcpy(ev->ids, ids, nr_ids * sizeof(*ids));
	ev->nr_ids = nr_ids;
	f->nr_events++;
	return 0;
}

static int push_rec(struct stat_file *f, const struct perf_event_header *h, size_t *cap)
{
	if (ARRAY_GROW(f->recs, *cap, f->nr_recs + 1))
		return -ENOMEM;
	f->recs[f->nr_recs++] = h;
	return 0;
}

/* File mode: the attrs and every record, through the reader. */
static int load_file(struct stat_file *f, const char *path, struct error *e)
{
	struct pd_record rec;
	size_t cap = 0;
	int ret = 0;
	const char *cmd;

	f->reader = pd_reader__open(path, e);
	if (!f->reader)
		return e && e->code ? e->code : -EINVAL;
	for (size_t i = 0; i < pd_reader__nr_evsels(f->reader) && !ret; i++) {
		struct pd_evsel *ev = pd_reader__evsel(f->reader, i);

		ret = add_event(f, ev->name, ev->attr.type, ev->attr.config, ev->ids, ev->nr_ids);
	}
	while (!ret && (ret = pd_reader__next(f->reader, &rec, e)) > 0)
		ret = push_rec(f, rec.hdr, &cap);
	cmd = pd_reader__cmdline(f->reader);
	snprintf(f->target, sizeof(f->target), "'%s'", cmd ? cmd : "");
	return ret;
}

/* Pipe mode: the stream from stdin; ATTR records make the events, EVENT_UPDATE names them. */
static int load_pipe(struct stat_file *f, struct error *e)
{
	size_t len = 0, cap = 0, rcap = 0, off = 16;
	ssize_t n;

	for (;;) {
		if (ARRAY_GROW(f->buf, cap, len + 65536))
			return -ENOMEM;
		n = read(0, f->buf + len, cap - len);
		if (n < 0)
			return error__set(e, -errno, "cannot read stdin: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len < 16 || memcmp(f->buf, "PERFILE2", 8))
		return error__set(e, -EINVAL, "stdin is not a perf.data stream (no PERFILE2 header)");
	snprintf(f->target, sizeof(f->target), "'pipe'");
	while (off + sizeof(struct perf_event_header) <= len) {
		const struct perf_event_header *h = (const void *)(f->buf + off);

		if (h->size < sizeof(*h) || off + h->size > len || h->size % 8)
			return error__set(e, -EBADMSG, "stdin: corrupt at offset %zu: bad record size", off);
		if (h->type == PIPE_ATTR && h->size >= sizeof(*h) + 16) {
			const struct perf_event_attr *a = (const void *)(h + 1);
			size_t asz = a->size ? a->size : 64;

			if (sizeof(*h) + asz <= h->size &&
			    add_event(f, "", a->type, a->config, (const uint64_t *)((const char *)(h + 1) + asz),
				      (h->size - sizeof(*h) - asz) / 8))
				return -ENOMEM;
		} else if (h->type == PD_RECORD_EVENT_UPDATE && h->size > sizeof(*h) + 16) {
			const uint64_t *u = (const void *)(h + 1);
			int idx;

			if (u[0] == 2 && event_by_id(f, u[1], &idx))
				snprintf(f->events[idx].name, sizeof(f->events[idx].name), "%.*s",
					 (int)(h->size - sizeof(*h) - 16), (const char *)(u + 2));
		}
		if (push_rec(f, h, &rcap))
			return -ENOMEM;
		off += h->size;
	}
	return 0;
}

/* The units: one, or -A's CPUs from CPU_MAP (a list, or a range: u8 any, u8 pad, u16 start, end). */
static int file_units(struct stat_file *f, const struct perf_event_header *cpumap)
{
	const uint16_t *p = cpumap ? (const uint16_t *)(cpumap + 1) : NULL;
	size_t room = cpumap ? (cpumap->size - sizeof(*cpumap)) / 2 : 0;
	int n = 1, first = -1;

	if (f->aggr == STAT_AGGR_NONE && p && room >= 2 && p[0] == 0 && p[1] && p[1] + 2u <= room) {
		n = p[1];
	} else if (f->aggr == STAT_AGGR_NONE && p && room >= 4 && p[0] == 2 && p[3] >= p[2]) {
		first = p[2];
		n = p[3] - p[2] + 1;
	}
	f->table.nr_units = n;
	f->table.units = calloc(n, sizeof(*f->table.units));
	f->table.shadows = calloc(n, sizeof(*f->table.shadows));
	f->table.nr_events = f->nr_events;
	f->table.rows = calloc((size_t)(f->nr_events ? f->nr_events : 1) * n, sizeof(*f->table.rows));
	if (!f->table.units || !f->table.shadows || !f->table.rows)
		return -ENOMEM;
	for (int u = 0; u < n; u++) {
		f->table.units[u].nr_cpus = 1;
		if (f->aggr != STAT_AGGR_NONE)
			f->table.units[u].cpu = -1;
		else
			f->table.units[u].cpu = first >= 0 ? first + u : p && room >= 2u + n ? (int)p[2 + u] : u;
	}
	for (int i = 0; i < f->nr_events; i++)
		for (int u = 0; u < n; u++) {
			struct stat_row *r = &f->table.rows[i * n + u];

			r->ev.name = f->events[i].name;
			r->ev.type = f->events[i].type;
			r->ev.config = f->events[i].config;
			r->ev.is_clock = is_clock(&f->events[i]);
			r->ev.unit = r->ev.is_clock ? "msec" : "";
			r->cpu = f->table.units[u].cpu;
		}
	return 0;
}

struct stat_rec {
	uint64_t id;
	uint32_t cpu, thread;
	uint64_t val, ena, run;
};

static void add_stat(struct stat_file *f, const struct perf_event_header *h)
{
	const struct stat_rec *s = (const void *)(h + 1);
	struct stat_row *r;
	int idx, u;

	if (h->size < sizeof(*h) + sizeof(*s) || !event_by_id(f, s->id, &idx))
		return;
	u = f->aggr == STAT_AGGR_NONE && s->cpu < (uint32_t)f->table.nr_units ? (int)s->cpu : 0;
	r = &f->table.rows[idx * f->table.nr_units + u];
	r->val += s->run && s->run < s->ena ? (double)s->val * (double)s->ena / (double)s->run : (double)s->val;
	r->ena += s->ena;
	r->run += s->run;
	r->supported = true;
	r->counted = r->run > 0;
}

/* STAT_CONFIG, CPU_MAP and the final time first; then the counts. */
static int file_scan(struct stat_file *f, const char *path, struct error *e)
{
	const struct perf_event_header *cpumap = NULL;
	bool is_stat = false;
	int ret;

	for (size_t k = 0; k < f->nr_recs; k++) {
		const struct perf_event_header *h = f->recs[k];
		const uint64_t *b = (const uint64_t *)(h + 1);

		if (h->type == PD_RECORD_STAT_CONFIG && h->size >= 16) {
			is_stat = true;
			for (uint64_t i = 0; i < b[0] && 16 + (i + 1) * 16 <= h->size; i++)
				if (b[1 + 2 * i] == STAT_CONFIG_AGGR_MODE)
					f->aggr = b[2 + 2 * i] == PERF_AGGR_NONE ? STAT_AGGR_NONE : STAT_AGGR_GLOBAL;
		} else if (h->type == PD_RECORD_CPU_MAP) {
			cpumap = h;
		} else if (h->type == PD_RECORD_STAT_ROUND && h->size >= 24 && b[0] == STAT_ROUND_FINAL) {
			f->wall_ns = (double)b[1];
		}
	}
	if (!is_stat)
		return error__set(e, -EINVAL, "%s has no STAT_CONFIG record: not a perf stat record file (read it with preport)",
				  path);
	ret = file_units(f, cpumap);
	if (ret)
		return error__set(e, ret, "out of memory");
	for (size_t k = 0; k < f->nr_recs; k++)
		if (f->recs[k]->type == PD_RECORD_STAT)
			add_stat(f, f->recs[k]);
	return 0;
}

int stat_file__read(const char *path, struct stat_file *f, struct error *e)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->aggr = STAT_AGGR_GLOBAL;
	err = strcmp(path, "-") ? load_file(f, path, e) : load_pipe(f, e);
	if (err < 0)
		return err == -ENOMEM ? error__set(e, err, "out of memory") : err;
	err = file_scan(f, strcmp(path, "-") ? path : "stdin", e);
	if (err)
		return err;
	for (int u = 0; u < f->table.nr_units; u++) {
		stat_shadow__reset(&f->table.shadows[u], f->wall_ns);
		for (int i = 0; i < f->table.nr_events; i++)
			stat_shadow__add(&f->table.shadows[u], &f->table.rows[i * f->table.nr_units + u]);
	}
	return 0;
}

void stat_file__exit(struct stat_file *f)
{
	if (!f)
		return;
	free(f->table.rows);
	free(f->table.shadows);
	free(f->table.units);
	for (int i = 0; i < f->nr_events; i++)
		free(f->events[i].ids);
	free(f->events);
	free(f->recs);
	free(f->buf);
	pd_reader__close(f->reader);
	memset(f, 0, sizeof(*f));
}
