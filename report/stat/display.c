/* Owns perf stat's three output layouts, the derived metrics printed beside the counts, and
 * how a measurement's tables are laid out (intervals, the final table, --syscalls, footer).
 * Column widths follow perf 6.1's output as observed on this machine. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/stat/display.h"
#include "util/array.h"
#include <linux/perf_event.h>

#define METRIC_PAD	28	/* blank metric column after the event name */

static void set_metric(struct stat_metric *m, double val, const char *fmt, const char *unit)
{
	m->has = true;
	m->val = val;
	m->fmt = fmt;
	snprintf(m->unit, sizeof(m->unit), "%s", unit);
}

static void rate_metric(const struct stat_row *row, const struct stat_shadow *sh, struct stat_metric *m)
{
	double ratio = 0;
	char unit = ' ';
	char buf[16] = "/sec";

	if (sh->clock_ns)
		ratio = 1e9 * row->val / sh->clock_ns;
	if (ratio > 1e9)
		ratio /= 1e9, unit = 'G';
	else if (ratio > 1e6)
		ratio /= 1e6, unit = 'M';
	else if (ratio > 1e3)
		ratio /= 1e3, unit = 'K';
	if (unit != ' ')
		snprintf(buf, sizeof(buf), "%c/sec", unit);
	set_metric(m, ratio, "%8.3f", buf);
}

static const char *const cache_miss_units[] = {
	"of all L1-dcache accesses", "of all L1-icache accesses", "of all LL-cache accesses",
	"of all dTLB cache accesses", "of all iTLB cache accesses",
};

void stat_metric__compute(const struct stat_row *row, const struct stat_shadow *sh, struct stat_metric *m)
{
	memset(m, 0, sizeof(*m));
	if (!row->supported || !row->counted)
		return;
	if (row->ev.is_clock) {
		set_metric(m, sh->wall_ns ? row->val / sh->wall_ns : 0, "%8.3f", "CPUs utilized");
		return;
	}
	if (row->ev.type == PERF_TYPE_HARDWARE) {
		switch (row->ev.config) {
		case PERF_COUNT_HW_CPU_CYCLES:
			if (sh->has_clock)
				set_metric(m, sh->clock_ns ? row->val / sh->clock_ns : 0, "%8.3f", "GHz");
			return;
		case PERF_COUNT_HW_INSTRUCTIONS:
			if (sh->has_cycles)
				set_metric(m, sh->cycles ? row->val / sh->cycles : 0, "%7.2f ", "insn per cycle");
			return;
		case PERF_COUNT_HW_BRANCH_MISSES:
			if (sh->has_branches) {
				set_metric(m, sh->branches ? 100.0 * row->val / sh->branches : 0, "%7.2f%%",
					   "of all branches");
				return;
			}
			break;
		case PERF_COUNT_HW_CACHE_MISSES:
			if (sh->has_cache_refs) {
				set_metric(m, sh->cache_refs ? 100.0 * row->val / sh->cache_refs : 0,
					   "%7.2f%%", "of all cache refs");
				return;
			}
			break;
		}
	} else if (row->ev.type == PERF_TYPE_HW_CACHE) {
		int id = hw_cache__id(row->ev.config);

		if (id < 5 && hw_cache__op(row->ev.config) == PERF_COUNT_HW_CACHE_OP_READ &&
		    hw_cache__result(row->ev.config) == PERF_COUNT_HW_CACHE_RESULT_MISS &&
		    sh->has_cache_access[id]) {
			set_metric(m, sh->cache_access[id] ? 100.0 * row->val / sh->cache_access[id] : 0,
				   "%7.2f%%", cache_miss_units[id]);
			return;
		}
	}
	if (sh->has_clock)
		rate_metric(row, sh, m);
}

static const char *target_prefix_header(const struct stat_display *d)
{
	switch (d->aggr) {
	case STAT_AGGR_NONE:
		return "#           time CPU                    counts unit events\n";
	case STAT_AGGR_THREAD:
		return "#           time             comm-pid                  counts unit events\n";
	case STAT_AGGR_CORE:
		return "#           time core            cpus             counts unit events\n";
	case STAT_AGGR_DIE:
		return "#           time die          cpus             counts unit events\n";
	case STAT_AGGR_SOCKET:
		return "#           time socket cpus             counts unit events\n";
	case STAT_AGGR_NODE:
		return "#           time node   cpus             counts unit events\n";
	case STAT_AGGR_CACHE:
		return "#           time cache             cpus             counts unit events\n";
	case STAT_AGGR_GLOBAL:
		break;
	}
	return "#           time             counts unit events\n";
}

/* The unit's name as perf writes it in CSV and JSON: S0, S0-D0, S0-D0-C1, N0, S0-D0-L3-ID0. */
static void unit_label(const struct stat_display *d, const struct stat_unit *u, char *buf, size_t len)
{
	switch (d->aggr) {
	case STAT_AGGR_NONE: snprintf(buf, len, "CPU%d", u->cpu); break;
	case STAT_AGGR_THREAD: snprintf(buf, len, "%s-%d", u->comm, u->id[0]); break;
	case STAT_AGGR_CORE: snprintf(buf, len, "S%d-D%d-C%d", u->id[0], u->id[1], u->id[2]); break;
	case STAT_AGGR_DIE: snprintf(buf, len, "S%d-D%d", u->id[0], u->id[1]); break;
	case STAT_AGGR_SOCKET: snprintf(buf, len, "S%d", u->id[0]); break;
	case STAT_AGGR_NODE: snprintf(buf, len, "N%d", u->id[0]); break;
	case STAT_AGGR_CACHE:
		snprintf(buf, len, "S%d-D%d-L%d-ID%d", u->id[0], u->id[1], u->id[2], u->id[3]);
		break;
	case STAT_AGGR_GLOBAL: buf[0] = 0; break;
	}
}

/* The table's unit columns: padded as perf pads them (the id, then the number of CPUs). */
/* perf's tool events (a dummy by name): their ns are never scaled, they count on the first CPU. */
static bool is_tool(const struct stat_row *row)
{
	return row->ev.type == PERF_TYPE_SOFTWARE && row->ev.config == PERF_COUNT_SW_DUMMY;
}

/* The aggregate number: the unit's CPUs; a tool event's, 1 on the unit of the first CPU. */
static int aggr_number(const struct stat_row *row, const struct stat_unit *u)
{
	return is_tool(row) ? row->tool_cpu : u->nr_cpus;
}

void stat_display__std_unit(const struct stat_display *d, const struct stat_row *row, const struct stat_unit *u)
{
	FILE *o = d->out;
	char id[64];

	switch (d->aggr) {
	case STAT_AGGR_GLOBAL:
		return;
	case STAT_AGGR_NONE:
		fprintf(o, "CPU%-7d ", u->cpu);
		return;
	case STAT_AGGR_THREAD:
		fprintf(o, "%16s-%-8d ", u->comm, u->id[0]);
		return;
	case STAT_AGGR_SOCKET: snprintf(id, sizeof(id), "S%-5d", u->id[0]); break;
	case STAT_AGGR_NODE: snprintf(id, sizeof(id), "N%-5d", u->id[0]); break;
	case STAT_AGGR_DIE: snprintf(id, sizeof(id), "S%d-D%-8d", u->id[0], u->id[1]); break;
	case STAT_AGGR_CORE: snprintf(id, sizeof(id), "S%d-D%d-C%-8d", u->id[0], u->id[1], u->id[2]); break;
	case STAT_AGGR_CACHE:
		snprintf(id, sizeof(id), "S%d-D%d-L%d-ID%-8d", u->id[0], u->id[1], u->id[2], u->id[3]);
		break;
	}
	fprintf(o, "%s %4d ", id, aggr_number(row, u));
}

/* JSON: the unit's key and, for topology units, "aggregate-number". */
void stat_display__json_unit(const struct stat_display *d, const struct stat_row *row, const struct stat_unit *u)
{
	static const char *const keys[] = {
		[STAT_AGGR_THREAD] = "thread", [STAT_AGGR_CORE] = "core", [STAT_AGGR_DIE] = "die",
		[STAT_AGGR_SOCKET] = "socket", [STAT_AGGR_NODE] = "node", [STAT_AGGR_CACHE] = "cache",
	};
	char id[64];

	if (d->aggr == STAT_AGGR_GLOBAL)
		return;
	if (d->aggr == STAT_AGGR_NONE) {
		fprintf(d->out, "\"cpu\" : \"%d\", ", u->cpu);
		return;
	}
	unit_label(d, u, id, sizeof(id));
	fprintf(d->out, "\"%s\" : \"%s\", ", keys[d->aggr], id);
	if (d->aggr != STAT_AGGR_THREAD)
		fprintf(d->out, "\"aggregate-number\" : %d, ", aggr_number(row, u));
}

void stat_display__header(struct stat_display *d, const char *target)
{
	if (d->mode != STAT_OUT_STD || (d->interval && !d->in_summary))
		return;
	fprintf(d->out, "\n Performance counter stats for %s", target);
	if (d->run_count > 1)
		fprintf(d->out, " (%d runs)", d->run_count);
	fprintf(d->out, ":\n\n");
}

void stat_display__interval_header(struct stat_display *d)
{
	if (d->mode != STAT_OUT_STD || d->metric_only)	/* --metric-only: its own header */
		return;
	if (d->interval_clear) {
		fputs("\033[H\033[2J", d->out);
		fputs(target_prefix_header(d), d->out);
		return;
	}
	if (d->interval_lines++ % 25 == 0)
		fputs(target_prefix_header(d), d->out);
}

/* The count as perf prints it: msec for clocks, grouped integers, 2 decimals when scaled. */
static void format_value(const struct stat_display *d, const struct stat_row *row, char *buf, size_t len,
			 int width)
{
	double v = row->ev.is_clock ? row->val / 1e6 : row->val;
	/* perf: 2 decimals for the clocks and scaled (sysfs unit) events; a mean over -r runs of
	 * any other, tool events' ns included, is rounded */
	bool frac = row->ev.is_clock || (row->ev.unit[0] && !is_tool(row) && floor(v) != v);

	if (d->big_num && d->mode == STAT_OUT_STD)
		snprintf(buf, len, frac ? "%'*.2f" : "%'*.0f", width, v);
	else
		snprintf(buf, len, frac ? "%*.2f" : "%*.0f", width, v);
}

static double pcnt_running(const struct stat_row *row)
{
	if (!row->ena || !row->run)
		return 100.0;
	return 100.0 * (double)row->run / (double)row->ena;
}

static void print_std(struct stat_display *d, const struct stat_row *row, const struct stat_metric *m,
		      const struct stat_unit *unit)
{
	char val[64];
	FILE *o = d->out;

	if (d->interval && !d->in_summary)
		fprintf(o, "%16.9f ", row->ts);
	stat_display__std_unit(d, row, unit);
	if (!row->supported)
		snprintf(val, sizeof(val), "%18s", "<not supported>");
	else if (!row->counted)
		snprintf(val, sizeof(val), "%18s", "<not counted>");
	else
		format_value(d, row, val, sizeof(val), 18);
	if (row->ev.cgroup && !m->has) {
		/* perf 6.1's columns on a cgroup row without a metric (observed) */
		fprintf(o, "%s %-4s %-25s %s%35s", val, row->ev.unit, row->ev.name, row->ev.cgroup, "");
	} else {
		fprintf(o, "%s %-4s %-32s", val, row->ev.unit, row->ev.name);
		if (row->ev.cgroup)
			fprintf(o, " %s", row->ev.cgroup);
	}
	if (m->has) {
		char mv[32];

		snprintf(mv, sizeof(mv), m->fmt, m->val);
		fprintf(o, " # %s %-23s", mv, m->unit);
	} else if (!row->ev.cgroup) {	/* a cgroup row has its padding already */
		/* perf: a counted row's blank metric is as wide as " # VALUE UNIT" */
		fprintf(o, "%*s", row->supported && row->counted ? METRIC_PAD + 7 : METRIC_PAD, "");
	}
	if (d->run_count > 1 && row->noise_pct && row->supported && row->counted)
		fprintf(o, "  ( +-%6.2f%% )", row->noise_pct);
	if (row->supported && row->counted && row->run != row->ena && row->ena)
		fprintf(o, "  (%.2f%%)", pcnt_running(row));
	fputc('\n', o);
}

void stat_display__csv_unit(const struct stat_display *d, const struct stat_row *row, const struct stat_unit *u)
{
	char id[64];

	if (d->aggr == STAT_AGGR_GLOBAL)
		return;
	unit_label(d, u, id, sizeof(id));
	fprintf(d->out, "%s%s", id, d->sep);
	if (d->aggr != STAT_AGGR_NONE && d->aggr != STAT_AGGR_THREAD)
		fprintf(d->out, "%d%s", aggr_number(row, u), d->sep);
}

/* CSV metric values: the formatted number without padding or a trailing '%'. */
static void metric_number(const struct stat_metric *m, char *buf, size_t len)
{
	char tmp[64], *s = tmp, *e;

	snprintf(tmp, sizeof(tmp), m->fmt, m->val);
	while (*s == ' ')
		s++;
	for (e = s; isdigit((unsigned char)*e) || *e == '.' || *e == '-'; e++)
		;
	*e = 0;
	snprintf(buf, len, "%s", s);
}

static void print_csv(struct stat_display *d, const struct stat_row *row, const struct stat_metric *m,
		      const struct stat_unit *unit)
{
	const char *sep = d->sep;
	char val[64];
	FILE *o = d->out;

	if (d->interval && !d->in_summary)
		fprintf(o, "%16.9f%s", row->ts, sep);
	else if (d->in_summary && !d->no_csv_summary)
		fprintf(o, "%16s%s", "summary", sep);
	stat_display__csv_unit(d, row, unit);
	if (!row->supported)
		snprintf(val, sizeof(val), "<not supported>");
	else if (!row->counted)
		snprintf(val, sizeof(val), "<not counted>");
	else
		format_value(d, row, val, sizeof(val), 0);
	fprintf(o, "%s%s%s%s%s", val, sep, row->ev.unit, sep, row->ev.name);
	if (row->ev.cgroup)
		fprintf(o, "%s%s", sep, row->ev.cgroup);
	if (d->run_count > 1)
		fprintf(o, "%s%.2f%%", sep, row->noise_pct);
	fprintf(o, "%s%llu%s%.2f%s", sep, (unsigned long long)row->run, sep, pcnt_running(row), sep);
	if (m->has) {
		char mv[64];

		metric_number(m, mv, sizeof(mv));
		fprintf(o, "%s%s%s", mv, sep, m->unit);
	} else {
		fputs(sep, o);
	}
	fputc('\n', o);
}

static void json_string(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(o, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(o, "\\u%04x", *s);
		else
			fputc(*s, o);
	}
	fputc('"', o);
}

static void print_json(struct stat_display *d, const struct stat_row *row, const struct stat_metric *m,
		       const struct stat_unit *unit)
{
	FILE *o = d->out;

	fputc('{', o);
	if (d->interval && !d->in_summary)
		fprintf(o, "\"interval\" : %.9f, ", row->ts);
	stat_display__json_unit(d, row, unit);
	if (!row->supported)
		fprintf(o, "\"counter-value\" : \"<not supported>\", ");
	else if (!row->counted)
		fprintf(o, "\"counter-value\" : \"<not counted>\", ");
	else
		fprintf(o, "\"counter-value\" : \"%f\", ", row->ev.is_clock ? row->val / 1e6 : row->val);
	fputs("\"unit\" : ", o);
	json_string(o, row->ev.unit);
	fputs(", \"event\" : ", o);
	json_string(o, row->ev.name);
	if (row->ev.cgroup) {
		fputs(", \"cgroup\" : ", o);
		json_string(o, row->ev.cgroup);
	}
	if (d->run_count > 1)
		fprintf(o, ", \"variance\" : %.2f", row->noise_pct);
	fprintf(o, ", \"event-runtime\" : %llu, \"pcnt-running\" : %.2f, \"metric-value\" : %f, \"metric-unit\" : ",
		(unsigned long long)row->run, pcnt_running(row), m->has ? m->val : 0.0);
	json_string(o, m->has ? m->unit : "");
	fputs("}\n", o);
}

void stat_display__row(struct stat_display *d, const struct stat_row *row, const struct stat_shadow *sh,
		       const struct stat_unit *unit)
{
	struct stat_metric m;

	if (!d->nr_metrics || !stat_display__metric(d, row, sh, &m))
		stat_metric__compute(row, sh, &m);
	switch (d->mode) {
	case STAT_OUT_STD:
		print_std(d, row, &m, unit);
		break;
	case STAT_OUT_CSV:
		print_csv(d, row, &m, unit);
		break;
	case STAT_OUT_JSON:
		print_json(d, row, &m, unit);
		break;
	}
}

/* Busiest first; equal counts (0 and <not counted> alike) in thread order, as perf sorts. */
static int cmp_busiest(const void *a, const void *b, void *rowsp)
{
	const struct stat_row *rows = rowsp;
	const struct stat_row *x = &rows[*(const int *)a], *y = &rows[*(const int *)b];
	double vx = x->counted ? x->val : 0, vy = y->counted ? y->val : 0;

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return *(const int *)a - *(const int *)b;
}

/* --per-thread: each event's threads, busiest first. */
static void table_by_thread(struct stat_display *d, const struct stat_table *t)
{
	int *order = malloc(t->nr_units * sizeof(*order));

	for (int i = 0; i < t->nr_events; i++) {
		const struct stat_row *rows = &t->rows[i * t->nr_units];

		for (int u = 0; u < t->nr_units; u++)
			if (order)
				order[u] = u;
		if (order)
			qsort_r(order, t->nr_units, sizeof(*order), cmp_busiest, (void *)rows);
		for (int k = 0; k < t->nr_units; k++) {
			int u = order ? order[k] : k;

			if (d->skip_zero && (!rows[u].counted || rows[u].val == 0))
				continue;
			stat_display__row(d, &rows[u], &t->shadows[u], &t->units[u]);
		}
	}
	free(order);
}

void stat_display__table(struct stat_display *d, const struct stat_table *t)
{
	d->table = t;
	if (d->metric_only) {
		stat_display__metric_only(d, t);
		return;
	}
	switch (d->aggr) {
	case STAT_AGGR_GLOBAL:
	case STAT_AGGR_NONE:
		for (int i = 0; i < t->nr_events; i++)
			for (int u = 0; u < t->nr_units; u++)
				if (!t->rows[i * t->nr_units + u].absent)
					stat_display__row(d, &t->rows[i * t->nr_units + u], &t->shadows[u], &t->units[u]);
		break;
	case STAT_AGGR_THREAD:
		table_by_thread(d, t);
		break;
	default:
		for (int u = 0; u < t->nr_units; u++)
			for (int i = 0; i < t->nr_events; i++)
				stat_display__row(d, &t->rows[i * t->nr_units + u], &t->shadows[u], &t->units[u]);
		break;
	}
}

static int precision_for(double sd)
{
	if (sd > 1 || sd <= 0)
		return 0;
	return (int)lround(ceil(-log10(sd)));
}

void stat_display__footer(struct stat_display *d, double wall_mean_s, double wall_stddev_s,
			  bool show_rusage, double user_s, double sys_s)
{
	FILE *o = d->out;

	if (d->mode != STAT_OUT_STD || (d->interval && !d->in_summary))
		return;
	fputc('\n', o);
	if (d->run_count > 1) {
		int prec = precision_for(wall_stddev_s) + 2;

		fprintf(o, " %17.*f +- %.*f seconds time elapsed", prec, wall_mean_s, prec, wall_stddev_s);
		if (wall_mean_s)
			fprintf(o, "  ( +-%6.2f%% )", 100.0 * wall_stddev_s / wall_mean_s);
		fputc('\n', o);
	} else {
		fprintf(o, " %17.9f seconds time elapsed\n", wall_mean_s);
	}
	fputc('\n', o);
	if (show_rusage && d->run_count <= 1) {
		fprintf(o, " %17.9f seconds user\n", user_s);
		fprintf(o, " %17.9f seconds sys\n\n\n", sys_s);
	}
}

static int cmp_syscall(const void *a, const void *b)
{
	const struct stat_syscall *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

void stat_display__syscalls(struct stat_display *d, const char *target, struct stat_syscall *rows, int n)
{
	FILE *o = d->out;
	uint64_t total = 0;

	array__sort(rows, n, sizeof(*rows), cmp_syscall);
	if (d->mode == STAT_OUT_STD)
		fprintf(o, "\n Syscall counts for %s%s:\n\n   %-24s %12s\n   %-24s %12s\n", target,
			d->run_count > 1 ? " (mean of runs)" : "", "syscall", "calls",
			"------------------------", "------------");
	for (int i = 0; i < n && rows[i].calls; i++) {
		total += rows[i].calls;
		if (d->mode == STAT_OUT_CSV)
			fprintf(o, "%s%s%llu\n", rows[i].name, d->sep, (unsigned long long)rows[i].calls);
		else if (d->mode == STAT_OUT_JSON)
			fprintf(o, "{\"syscall\" : \"%s\", \"calls\" : %llu}\n", rows[i].name,
				(unsigned long long)rows[i].calls);
		else
			fprintf(o, "   %-24s %12llu\n", rows[i].name, (unsigned long long)rows[i].calls);
	}
	if (d->mode == STAT_OUT_STD)
		fprintf(o, "   %-24s %12s\n   %-24s %12llu\n", "", "------------", "total",
			(unsigned long long)total);
}

void stat_display__target(const struct stat_opts *o, char *buf, size_t len)
{
	size_t n;

	if (o->cpu_list)
		snprintf(buf, len, "'CPU(s) %s'", o->cpu_list);
	else if (o->system_wide)
		snprintf(buf, len, "'system wide'");
	else if (o->pid)
		snprintf(buf, len, "process id '%s'", o->pid);
	else if (o->tid)
		snprintf(buf, len, "thread id '%s'", o->tid);
	else {
		n = (size_t)snprintf(buf, len, "'%s", o->argv[0]);
		for (int i = 1; o->argv[i] && n + 2 < len; i++)
			n += (size_t)snprintf(buf + n, len - n, " %s", o->argv[i]);
		if (n + 2 > len)
			n = len - 2;
		snprintf(buf + n, len - n, "'");
	}
}

void stat_display__interval(void *arg, const struct stat_table *t)
{
	struct stat_display *d = arg;

	stat_display__interval_header(d);
	stat_display__table(d, t);
}

void stat_display__result(struct stat_display *d, const struct stat_opts *o, struct stat_result *res)
{
	char target[512];

	if (d->interval && !d->summary)
		return;		/* every interval was printed as it ended */
	d->in_summary = d->interval;
	stat_display__target(o, target, sizeof(target));
	if (o->syscalls) {
		stat_display__syscalls(d, target, res->syscalls, res->nr_syscalls);
	} else {
		stat_display__header(d, target);
		stat_display__table(d, &res->table);
	}
	stat_display__footer(d, stats__mean(&res->wall) / 1e9, stats__stddev(&res->wall) / 1e9,
			     res->have_rusage, res->user_s, res->sys_s);
}
