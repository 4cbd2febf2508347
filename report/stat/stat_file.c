/* Owns reading perf stat record files: STAT_CONFIG (aggregation), CPU_MAP (-A's CPUs), STAT
 * (summed per event and unit, scaled for multiplexing), STAT_ROUND (the elapsed time), and the
 * attrs' names and clocks. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "report/stat/stat_file.h"
#include "sampler/stat_record.h"
#include "util/error.h"

static bool attr_is_clock(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE &&
	       (a->config == PERF_COUNT_SW_CPU_CLOCK || a->config == PERF_COUNT_SW_TASK_CLOCK);
}

/* The units: one, or -A's CPUs from CPU_MAP (a list; a mask or range: CPU indexes). */
static int file_units(struct stat_file *f, const struct pd_record *cpumap)
{
	const uint16_t *p = cpumap ? (const uint16_t *)(cpumap->hdr + 1) : NULL;
	size_t room = cpumap ? (cpumap->hdr->size - sizeof(*cpumap->hdr)) / 2 : 0;
	int n = 1, first = -1;

	if (f->aggr == STAT_AGGR_NONE && p && room >= 2 && p[0] == 0 && p[1] && p[1] + 2u <= room) {
		n = p[1];		/* a list */
	} else if (f->aggr == STAT_AGGR_NONE && p && room >= 4 && p[0] == 2 && p[3] >= p[2]) {
		first = p[2];		/* a range: u8 any_cpu, u8 pad, u16 start, u16 end */
		n = p[3] - p[2] + 1;
	}
	f->table.nr_units = n;
	f->table.units = calloc(n, sizeof(*f->table.units));
	f->table.shadows = calloc(n, sizeof(*f->table.shadows));
	if (!f->table.units || !f->table.shadows)
		return -ENOMEM;
	for (int u = 0; u < n; u++) {
		if (f->aggr != STAT_AGGR_NONE)
			f->table.units[u].cpu = -1;
		else
			f->table.units[u].cpu = first >= 0 ? first + u : p && room >= 2u + n ? (int)p[2 + u] : u;
		f->table.units[u].nr_cpus = 1;
	}
	return 0;
}

static int file_rows(struct stat_file *f)
{
	size_t ne = pd_reader__nr_evsels(f->reader);

	f->table.nr_events = (int)ne;
	f->table.rows = calloc(ne * f->table.nr_units, sizeof(*f->table.rows));
	if (!f->table.rows)
		return -ENOMEM;
	for (size_t i = 0; i < ne; i++) {
		struct pd_evsel *ev = pd_reader__evsel(f->reader, i);

		for (int u = 0; u < f->table.nr_units; u++) {
			struct stat_row *r = &f->table.rows[i * f->table.nr_units + u];

			r->ev.name = ev->name;
			r->ev.type = ev->attr.type;
			r->ev.config = ev->attr.config;
			r->ev.is_clock = attr_is_clock(&ev->attr);
			r->ev.unit = r->ev.is_clock ? "msec" : "";
			r->cpu = f->table.units[u].cpu;
		}
	}
	return 0;
}

struct stat_rec {
	uint64_t id;
	uint32_t cpu, thread;
	uint64_t val, ena, run;
};

static void add_stat(struct stat_file *f, const struct pd_record *rec)
{
	const struct stat_rec *s = (const void *)(rec->hdr + 1);
	struct pd_evsel *ev;
	struct stat_row *r;
	int u;

	if (rec->hdr->size < sizeof(*rec->hdr) + sizeof(*s))
		return;
	ev = pd_reader__evsel_by_id(f->reader, s->id);
	if (!ev)
		return;
	u = f->aggr == STAT_AGGR_NONE && s->cpu < (uint32_t)f->table.nr_units ? (int)s->cpu : 0;
	r = &f->table.rows[ev->idx * f->table.nr_units + u];
	r->val += s->run && s->run < s->ena ? (double)s->val * (double)s->ena / (double)s->run : (double)s->val;
	r->ena += s->ena;
	r->run += s->run;
	r->supported = true;
	r->counted = r->run > 0;
}

/* First pass: STAT_CONFIG, CPU_MAP, the final time; second: the counts. */
static int file_scan(struct stat_file *f, struct error *e)
{
	struct pd_record rec, cpumap = { 0 };
	bool is_stat = false;
	int ret;

	while ((ret = pd_reader__next(f->reader, &rec, e)) > 0) {
		const uint64_t *b = (const uint64_t *)(rec.hdr + 1);

		if (rec.hdr->type == PD_RECORD_STAT_CONFIG && rec.hdr->size >= 16) {
			is_stat = true;
			for (uint64_t i = 0; i < b[0] && 16 + (i + 1) * 16 <= rec.hdr->size; i++)
				if (b[1 + 2 * i] == STAT_CONFIG_AGGR_MODE)
					f->aggr = b[2 + 2 * i] == PERF_AGGR_NONE ? STAT_AGGR_NONE : STAT_AGGR_GLOBAL;
		} else if (rec.hdr->type == PD_RECORD_CPU_MAP) {
			cpumap = rec;
		} else if (rec.hdr->type == PD_RECORD_STAT_ROUND && rec.hdr->size >= 24 && b[0] == STAT_ROUND_FINAL) {
			f->wall_ns = (double)b[1];
		}
	}
	if (ret < 0)
		return ret;
	if (!is_stat)
		return error__set(e, -EINVAL, "%s has no STAT_CONFIG record: not a perf stat record file (read it with preport)",
				  pd_reader__path(f->reader));
	ret = file_units(f, cpumap.hdr ? &cpumap : NULL);
	if (!ret)
		ret = file_rows(f);
	if (ret)
		return error__set(e, ret, "out of memory");
	pd_reader__rewind(f->reader);
	while ((ret = pd_reader__next(f->reader, &rec, e)) > 0)
		if (rec.hdr->type == PD_RECORD_STAT)
			add_stat(f, &rec);
	return ret;
}

int stat_file__read(const char *path, struct stat_file *f, struct error *e)
{
	const char *cmd;
	int err;

	memset(f, 0, sizeof(*f));
	f->aggr = STAT_AGGR_GLOBAL;
	f->reader = pd_reader__open(path, e);
	if (!f->reader)
		return e && e->code ? e->code : -EINVAL;
	err = file_scan(f, e);
	if (err)
		return err;
	for (int u = 0; u < f->table.nr_units; u++) {
		stat_shadow__reset(&f->table.shadows[u], f->wall_ns);
		for (int i = 0; i < f->table.nr_events; i++)
			stat_shadow__add(&f->table.shadows[u], &f->table.rows[i * f->table.nr_units + u]);
	}
	cmd = pd_reader__cmdline(f->reader);
	snprintf(f->target, sizeof(f->target), "'%s'", cmd ? cmd : "");
	return 0;
}

void stat_file__exit(struct stat_file *f)
{
	if (!f)
		return;
	free(f->table.rows);
	free(f->table.shadows);
	free(f->table.units);
	pd_reader__close(f->reader);
	memset(f, 0, sizeof(*f));
}
