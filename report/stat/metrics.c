/* Owns how pstat -M's metrics are computed from a table's rows and printed: beside their first
 * event's count, or alone with --metric-only. */
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "report/stat/display.h"
#include "sampler/stat_metrics.h"

/* The value of @name on unit @u of the table; false when it is not there or counted nothing. */
static bool event_val(const struct stat_table *t, const char *name, int u, double *val)
{
	for (int i = 0; i < t->nr_events; i++) {
		const struct stat_row *r = &t->rows[i * t->nr_units + u];

		if (!strcmp(r->ev.name, name)) {
			*val = r->val;
			return r->supported && r->counted;
		}
	}
	return false;
}

static bool metric_value(const struct stat_metric_def *def, const struct stat_table *t, int u,
			 const struct stat_shadow *sh, double *val)
{
	double num, den;

	if (!event_val(t, def->num, u, &num))
		return false;
	if (def->den) {
		if (!event_val(t, def->den, u, &den))
			return false;
	} else {
		den = sh->wall_ns;
	}
	*val = den ? num / den * def->scale : 0;
	return true;
}

bool stat_display__metric(const struct stat_display *d, const struct stat_row *row,
			  const struct stat_shadow *sh, struct stat_metric *m)
{
	const struct stat_table *t = d->table;
	int u;

	if (!t || row < t->rows || row >= t->rows + (size_t)t->nr_events * t->nr_units)
		return false;
	u = (int)((row - t->rows) % t->nr_units);
	for (int i = 0; i < d->nr_metrics; i++) {
		const struct stat_metric_def *def = d->metrics[i];

		if (strcmp(def->num, row->ev.name))
			continue;
		memset(m, 0, sizeof(*m));
		if (!metric_value(def, t, u, sh, &m->val))
			return true;	/* no value: an empty metric column */
		m->has = true;
		m->fmt = def->fmt;
		snprintf(m->unit, sizeof(m->unit), "%s", def->name);
		return true;
	}
	return false;
}

/* --metric-only: one column per metric, one line per unit (per interval with -I). With -M the
 * columns are the metrics asked for, headed by their names. Without, perf 6.1's: each event's
 * own metric (GHz, insn per cycle, misses "of all ..."), the CPUs-utilized and rate metrics
 * left out; and as perf 6.1 does, an event that counted nothing prints an empty column of its
 * own, headed or not. */
struct only_col {
	const struct stat_metric_def *def;	/* -M's metric, or NULL: event @ev's */
	int ev;
	bool headed;				/* a metric perf shows in this mode */
	char head[96];
};

static bool table_has(const struct stat_table *t, uint32_t type, uint64_t config)
{
	for (int i = 0; i < t->nr_events; i++) {
		const struct stat_event *e = &t->rows[i * t->nr_units].ev;

		if (e->type == type && e->config == config)
			return true;
	}
	return false;
}

static bool table_has_clock(const struct stat_table *t)
{
	for (int i = 0; i < t->nr_events; i++)
		if (t->rows[i * t->nr_units].ev.is_clock)
			return true;
	return false;
}

/* The header of the metric perf computes for event @e of @t in this mode; false when it has
 * none or one perf leaves out (a rate, CPUs utilized). */
static bool only_head(const struct stat_table *t, const struct stat_event *e, char *buf, size_t len)
{
	static const char *const caches[] = { "L1-dcache", "L1-icache", "LL-cache", "dTLB", "iTLB" };

	if (e->type == PERF_TYPE_HARDWARE) {
		switch (e->config) {
		case PERF_COUNT_HW_CPU_CYCLES:
			return table_has_clock(t) && snprintf(buf, len, "GHz") > 0;
		case PERF_COUNT_HW_INSTRUCTIONS:
			return table_has(t, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES) &&
			       snprintf(buf, len, "insn per cycle") > 0;
		case PERF_COUNT_HW_BRANCH_MISSES:
			return table_has(t, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS) &&
			       snprintf(buf, len, "%s of all branches", e->name) > 0;
		case PERF_COUNT_HW_CACHE_MISSES:
			return table_has(t, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES) &&
			       snprintf(buf, len, "%s of all cache refs", e->name) > 0;
		}
		return false;
	}
	if (e->type == PERF_TYPE_HW_CACHE && hw_cache__id(e->config) < 5 &&
	    hw_cache__op(e->config) == PERF_COUNT_HW_CACHE_OP_READ &&
	    hw_cache__result(e->config) == PERF_COUNT_HW_CACHE_RESULT_MISS)
		return table_has(t, PERF_TYPE_HW_CACHE, e->config & ~(0xffULL << 16)) &&
		       snprintf(buf, len, "%s of all %s accesses", e->name, caches[hw_cache__id(e->config)]) > 0;
	return false;
}

static int only_cols(const struct stat_display *d, const struct stat_table *t, struct only_col *c)
{
	int n = 0;

	if (d->nr_metrics) {
		for (int i = 0; i < d->nr_metrics; i++, n++) {
			c[n] = (struct only_col){ .def = d->metrics[i], .headed = true };
			snprintf(c[n].head, sizeof(c[n].head), "%s", d->metrics[i]->name);
		}
		return n;
	}
	for (int i = 0; i < t->nr_events; i++, n++) {
		c[n] = (struct only_col){ .ev = i };
		c[n].headed = only_head(t, &t->rows[i * t->nr_units].ev, c[n].head, sizeof(c[n].head));
	}
	return n;
}

/* Column @c's value on unit @u: 1 with @m set, 0 for an empty column, -1 for no column. */
static int only_value(const struct stat_table *t, const struct only_col *c, int u, struct stat_metric *m)
{
	const struct stat_row *row;
	size_t hl, ul;

	memset(m, 0, sizeof(*m));
	if (c->def) {
		m->fmt = c->def->fmt;
		return metric_value(c->def, t, u, &t->shadows[u], &m->val) ? 1 : 0;
	}
	row = &t->rows[c->ev * t->nr_units + u];
	if (!row->supported || !row->counted)
		return 0;
	if (!c->headed)
		return -1;
	stat_metric__compute(row, &t->shadows[u], m);
	/* the column's metric, not a rate the counts fell back to (the divisor not counted) */
	hl = strlen(c->head);
	ul = strlen(m->unit);
	return m->has && ul <= hl && !strcmp(c->head + hl - ul, m->unit) ? 1 : 0;
}

/* The header's unit columns: perf's widths, observed (table: spaces; -I: the names). */
static void header_prefix(const struct stat_display *d)
{
	static const char *const std_i[] = {
		[STAT_AGGR_NONE] = "CPU     ", [STAT_AGGR_CORE] = "core            cpus ",
		[STAT_AGGR_DIE] = "die          cpus ", [STAT_AGGR_SOCKET] = "socket cpus ",
		[STAT_AGGR_NODE] = "node   cpus ", [STAT_AGGR_CACHE] = "cache             cpus ",
		[STAT_AGGR_GLOBAL] = "", [STAT_AGGR_THREAD] = "",
	};
	static const int std_w[] = {
		[STAT_AGGR_NONE] = 6, [STAT_AGGR_CORE] = 24, [STAT_AGGR_DIE] = 18,
		[STAT_AGGR_SOCKET] = 12, [STAT_AGGR_NODE] = 6, [STAT_AGGR_CACHE] = 30,
	};
	static const char *const csv[] = {
		[STAT_AGGR_NONE] = "cpu", [STAT_AGGR_CORE] = "core", [STAT_AGGR_DIE] = "die",
		[STAT_AGGR_SOCKET] = "socket", [STAT_AGGR_NODE] = "node", [STAT_AGGR_CACHE] = "cache",
	};
	bool ts = d->interval && !d->in_summary;

	if (d->mode == STAT_OUT_STD) {
		if (ts)
			fprintf(d->out, "#           time %s", std_i[d->aggr]);
		else
			fprintf(d->out, "%*s", std_w[d->aggr], "");
		return;
	}
	if (ts)
		fprintf(d->out, " time%s", d->sep);
	else if (d->in_summary && !d->no_csv_summary)	/* the rows' first field */
		fprintf(d->out, "%16s%s", "summary", d->sep);
	if (d->aggr == STAT_AGGR_GLOBAL)
		return;
	fprintf(d->out, "%s%s", csv[d->aggr], d->sep);
	if (d->aggr != STAT_AGGR_NONE)
		fprintf(d->out, "cpus%s", d->sep);
}

static void only_header(struct stat_display *d, const struct only_col *c, int n)
{
	header_prefix(d);
	for (int i = 0; i < n; i++) {
		if (!c[i].headed)
			continue;
		if (d->mode == STAT_OUT_CSV)
			fprintf(d->out, "%s%s", c[i].head, d->sep);
		else
			fprintf(d->out, "%20s ", c[i].head);	/* perf: the metric width, not wider */
	}
	fputc('\n', d->out);
}

/* One metric value as perf writes it in each layout. */
static void only_print(struct stat_display *d, const struct only_col *c, int has, const struct stat_metric *m,
		       bool *first)
{
	char num[64] = "", *s = num, *e;
	size_t hl = c->headed ? strlen(c->head) : 0;

	if (has > 0)
		snprintf(num, sizeof(num), m->fmt, m->val);
	if (!has && !c->def)
		hl = 0;		/* perf: an event that counted nothing, a column without a unit */
	if (d->mode == STAT_OUT_STD) {
		fprintf(d->out, "%*s ", (int)(hl > 20 ? hl + 1 : 20), num);
		return;
	}
	while (*s == ' ')
		s++;
	for (e = s; (*e >= '0' && *e <= '9') || *e == '.' || *e == '-'; e++)
		;
	*e = 0;
	if (d->mode == STAT_OUT_CSV) {
		fprintf(d->out, "%s%s", s, d->sep);
	} else if (hl) {
		fprintf(d->out, "%s\"%s\" : \"%s\"", *first ? "" : ", ", c->head, *s ? s : "none");
		*first = false;
	}
}

/* The unit's JSON keys, without the ", " the counts' layout puts after them. */
static void json_unit(struct stat_display *d, const struct stat_row *row, const struct stat_unit *u, bool *first)
{
	FILE *o = d->out;
	char *buf = NULL;
	size_t len = 0;

	d->out = open_memstream(&buf, &len);
	if (d->out) {
		stat_display__json_unit(d, row, u);
		fclose(d->out);
		if (len >= 2) {
			fprintf(o, "%s%.*s", *first ? "" : ", ", (int)len - 2, buf);
			*first = false;
		}
	}
	free(buf);
	d->out = o;
}

static void only_line(struct stat_display *d, const struct stat_table *t, const struct only_col *c, int n, int u)
{
	const struct stat_row *row0 = &t->rows[u];
	bool ts = d->interval && !d->in_summary, first = true;
	struct stat_metric m;
	FILE *o = d->out;

	if (d->mode == STAT_OUT_JSON) {
		fputc('{', o);
		if (ts) {
			fprintf(o, "\"interval\" : %.9f", row0->ts);
			first = false;
		}
		json_unit(d, row0, &t->units[u], &first);
	} else if (d->mode == STAT_OUT_CSV) {
		if (ts)
			fprintf(o, "%16.9f%s", row0->ts, d->sep);
		else if (d->in_summary && !d->no_csv_summary)
			fprintf(o, "%16s%s", "summary", d->sep);
		stat_display__csv_unit(d, row0, &t->units[u]);
	} else {
		if (ts)
			fprintf(o, "%16.9f ", row0->ts);
		stat_display__std_unit(d, row0, &t->units[u]);
	}
	for (int i = 0; i < n; i++) {
		int has = only_value(t, &c[i], u, &m);

		if (has >= 0)
			only_print(d, &c[i], has, &m, &first);
	}
	fputs(d->mode == STAT_OUT_JSON ? "}\n" : "\n", o);
}

void stat_display__metric_only(struct stat_display *d, const struct stat_table *t)
{
	int max = d->nr_metrics ? d->nr_metrics : t->nr_events;
	struct only_col *c = calloc(max ? max : 1, sizeof(*c));
	int n;

	if (!c)
		return;
	n = only_cols(d, t, c);
	if (d->mode != STAT_OUT_JSON) {
		if (!d->interval || d->in_summary) {
			only_header(d, c, n);
		} else if (d->interval_clear || d->interval_lines++ % 25 == 0) {
			if (d->interval_clear && d->mode == STAT_OUT_STD)
				fputs("\033[H\033[2J", d->out);
			only_header(d, c, n);
		}
	}
	for (int u = 0; u < t->nr_units; u++)
		only_line(d, t, c, n, u);
	free(c);
}
