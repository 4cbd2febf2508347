/* Owns pstat record's file: a stat_result encoded as perf stat record 6.1 writes it (record
 * layouts as perf report -D dumps them; see sampler/stat_record.h). */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/feature.h"
#include "perfdata/writer.h"
#include "sampler/evlist.h"
#include "sampler/stat_record.h"
#include "util/error.h"
#include "util/fdio.h"

struct rec_hdr {
	uint32_t type;
	uint16_t misc, size;
};

/* Where the records go: the file's writer, or stdout in the pipe format (-o -). */
struct sink {
	struct pd_writer *w;
	int fd;
};

static int sink_write(struct sink *k, const void *buf, size_t len)
{
	if (k->w)
		return pd_writer__write(k->w, buf, len);
	return fdio__write_all(k->fd, buf, len);
}

static int put(struct sink *w, uint32_t type, const void *body, size_t len)
{
	struct rec_hdr h = { .type = type, .size = (uint16_t)(sizeof(h) + len) };
	int err = sink_write(w, &h, sizeof(h));

	return err ? err : sink_write(w, body, len);
}

/* A clock's unit and scale, as perf names them for perf stat report. */
static int put_clock_updates(struct sink *w, uint64_t id)
{
	struct { uint64_t type, id; char unit[24]; } unit = { .type = 0, .id = id, .unit = "msec" };
	struct { uint64_t type, id; double scale; uint64_t pad[2]; } scale = { .type = 1, .id = id, .scale = 1e-6 };
	int err = put(w, PD_RECORD_EVENT_UPDATE, &unit, sizeof(unit));

	return err ? err : put(w, PD_RECORD_EVENT_UPDATE, &scale, sizeof(scale));
}

/* THREAD_MAP (one task or "any"), CPU_MAP (the units' CPUs for -A, else "any"), STAT_CONFIG. */
static int put_maps(struct sink *w, const struct stat_record_opts *ro, const struct stat_opts *o,
		    const struct stat_table *t)
{
	struct { uint64_t nr; uint64_t pid; char comm[16]; } thr = { .nr = 1, .pid = (uint64_t)(int64_t)ro->workload_pid };
	uint16_t cpus[2 + 4096 + 3] = { 0 };
	int n = o->aggr == STAT_AGGR_NONE ? t->nr_units : 1, err;
	struct { uint64_t nr; uint64_t tv[3][2]; } cfg = {
		.nr = 3,
		.tv = { { STAT_CONFIG_AGGR_MODE, o->aggr == STAT_AGGR_NONE ? PERF_AGGR_NONE : PERF_AGGR_GLOBAL },
			{ STAT_CONFIG_INTERVAL, (uint64_t)o->interval_ms }, { STAT_CONFIG_SCALE, 1 } },
	};

	err = put(w, PD_RECORD_THREAD_MAP, &thr, sizeof(thr));
	if (err)
		return err;
	cpus[0] = 0;			/* a list */
	cpus[1] = (uint16_t)n;
	for (int i = 0; i < n; i++)
		cpus[2 + i] = o->aggr == STAT_AGGR_NONE ? (uint16_t)t->units[i].cpu : 0xffff;
	err = put(w, PD_RECORD_CPU_MAP, cpus, ((2 + (size_t)n) * 2 + 7) / 8 * 8);
	return err ? err : put(w, PD_RECORD_STAT_CONFIG, &cfg, sizeof(cfg));
}

/* One STAT per event and unit (cpu: the CPU's index for -A, else -1), then the final round. */
static int put_counts(struct sink *w, const struct stat_opts *o, const struct stat_result *res,
		      const uint64_t *ids)
{
	const struct stat_table *t = &res->table;
	struct { uint64_t id; uint32_t cpu, thread; uint64_t val, ena, run; } st;
	struct { uint64_t type, time; } round = { STAT_ROUND_FINAL, (uint64_t)stats__mean(&res->wall) };
	int err = 0;

	for (int i = 0; i < t->nr_events && !err; i++)
		for (int u = 0; u < t->nr_units && !err; u++) {
			const struct stat_row *row = &t->rows[i * t->nr_units + u];

			if (!row->supported || row->absent)	/* a tool event: CPU 0 only */
				continue;
			st = (typeof(st)){
				.id = ids[i], .cpu = o->aggr == STAT_AGGR_NONE ? (uint32_t)u : UINT32_MAX,
				.thread = 0, .ena = row->ena, .run = row->run,
				/* the count as read: the scaled value back to its running share */
				.val = row->ena ? (uint64_t)(row->val * (double)row->run / (double)row->ena + 0.5) : 0,
			};
			err = put(w, PD_RECORD_STAT, &st, sizeof(st));
		}
	return err ? err : put(w, PD_RECORD_STAT_ROUND, &round, sizeof(round));
}

/* The pipe format's start: the 16-byte header, then per event an ATTR record (attr, id) and an
 * EVENT_UPDATE naming it (the pipe has no EVENT_DESC feature). */
static int put_pipe_header(struct sink *k, const struct pd_event_desc *descs, int n)
{
	struct { char magic[8]; uint64_t size; } ph = { .magic = { 'P', 'E', 'R', 'F', 'I', 'L', 'E', '2' }, .size = 16 };
	int err = sink_write(k, &ph, sizeof(ph));

	for (int i = 0; !err && i < n; i++) {
		struct { struct perf_event_attr attr; uint64_t id; } a = { *descs[i].attr, descs[i].ids[0] };
		struct { uint64_t type, id; char name[128]; } nm = { .type = 2, .id = descs[i].ids[0] };
		size_t nlen;

		err = put(k, 64, &a, sizeof(a));
		snprintf(nm.name, sizeof(nm.name), "%s", descs[i].name);
		nlen = (strlen(nm.name) + 1 + 7) / 8 * 8;
		if (!err)
			err = put(k, PD_RECORD_EVENT_UPDATE, &nm, 16 + nlen);
	}
	return err;
}

/* A tool event's unit, and its CPU map (CPU 0), as perf writes them. */
static int put_tool_updates(struct sink *w, uint64_t id)
{
	struct { uint64_t type, id; char unit[24]; } unit = { .type = 0, .id = id, .unit = "ns" };
	/* PERF_EVENT_UPDATE__CPUS: a cpu_map_data list {u16 type 0, u16 nr, u16 cpu[nr]} */
	struct { uint64_t type, id; uint16_t map[4]; } cpus = { .type = 3, .id = id, .map = { 0, 1, 0, 0 } };
	int err = put(w, PD_RECORD_EVENT_UPDATE, &unit, sizeof(unit));

	return err ? err : put(w, PD_RECORD_EVENT_UPDATE, &cpus, sizeof(cpus));
}

/* The records both formats share: clocks' units, maps, config, counts, the final round. */
static int put_body(struct sink *k, const struct stat_record_opts *ro, const struct stat_opts *o,
		    const struct stat_result *res, const uint64_t *ids)
{
	const struct evlist *el = res->evlist;
	int err = 0;

	for (int i = 0; !err && i < el->nr; i++)
		if (evsel__is_clock(el->entries[i]))
			err = put_clock_updates(k, ids[i]);
		else if (el->entries[i]->tool)
			err = put_tool_updates(k, ids[i]);
	if (!err)
		err = put_maps(k, ro, o, &res->table);
	return err ? err : put_counts(k, o, res, ids);
}

/* The file: header and attrs by the writer, the body, the features. */
static int write_file(const struct stat_record_opts *ro, const struct stat_opts *o, const struct stat_result *res,
		      const struct pd_event_desc *descs, const uint64_t *ids)
{
	int nr = res->evlist->nr, err;
	struct sink k = { .w = pd_writer__new(ro->path), .fd = -1 };

	if (!k.w)
		return -errno;
	err = pd_writer__start(k.w, descs, nr);
	if (!err)
		err = put_body(&k, ro, o, res, ids);
	if (!err)
		err = pd_feature__host(k.w, ro->version);
	if (!err)
		err = pd_feature__cmdline(k.w, ro->argc, ro->argv);
	if (!err)
		err = pd_feature__event_desc(k.w, descs, nr);
	if (!err)
		err = pd_writer__add_feature(k.w, PD_FEAT_STAT, "", 0);
	if (!err)
		err = pd_writer__finish(k.w);
	pd_writer__free(k.w);
	return err;
}

int stat_record__write(const struct stat_record_opts *ro, const struct stat_opts *o,
		       const struct stat_result *res, struct error *e)
{
	const struct evlist *el = res->evlist;
	struct pd_event_desc *descs = calloc(el->nr, sizeof(*descs));
	struct perf_event_attr *attrs = calloc(el->nr, sizeof(*attrs));
	uint64_t *ids = calloc(el->nr, sizeof(*ids));
	int err = -ENOMEM;

	if (!descs || !attrs || !ids)
		goto out;
	for (int i = 0; i < el->nr; i++) {
		const struct evsel *ev = el->entries[i];

		attrs[i] = ev->attr;
		attrs[i].size = sizeof(attrs[i]);
		attrs[i].sample_type |= PERF_SAMPLE_IDENTIFIER;
		attrs[i].read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		/* the kernel's id when one was read, else one of ours: ids only pair STAT with attr */
		ids[i] = ev->ids && ev->ids[0] ? ev->ids[0] : 1000000 + (uint64_t)i;
		descs[i] = (struct pd_event_desc){ .attr = &attrs[i], .ids = &ids[i], .nr_ids = 1, .name = ev->name };
	}
	if (strcmp(ro->path, "-")) {
		err = write_file(ro, o, res, descs, ids);
	} else {
		struct sink k = { .w = NULL, .fd = 1 };

		err = put_pipe_header(&k, descs, el->nr);
		if (!err)
			err = put_body(&k, ro, o, res, ids);
	}
out:
	if (err)
		error__set(e, err, "cannot write '%s': %s", ro->path, strerror(-err));
	free(descs);
	free(attrs);
	free(ids);
	return err;
}
