/* Owns how pstat -M's metrics are computed from a table's rows and printed: beside their first
 * event's count, or alone with --metric-only. */
#include <string.h>

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

void stat_display__metric_only(struct stat_display *d, const struct stat_table *t)
{
	FILE *o = d->out;

	for (int u = 0; u < t->nr_units; u++) {
		if (d->mode == STAT_OUT_STD && u == 0) {
			for (int i = 0; i < d->nr_metrics; i++) {
				const char *name = d->metrics[i]->name;

				fprintf(o, " %*s", (int)(strlen(name) > 14 ? strlen(name) : 14), name);
			}
			fputc('\n', o);
		}
		for (int i = 0; i < d->nr_metrics; i++) {
			const struct stat_metric_def *def = d->metrics[i];
			int w = (int)(strlen(def->name) > 14 ? strlen(def->name) : 14);
			double v = 0;
			bool has = metric_value(def, t, u, &t->shadows[u], &v);

			if (d->mode == STAT_OUT_CSV)
				has ? fprintf(o, "%.3f%s%s\n", v, d->sep, def->name)
				    : fprintf(o, "%s%s\n", d->sep, def->name);
			else if (d->mode == STAT_OUT_JSON)
				fprintf(o, "{\"metric-value\" : \"%f\", \"metric-unit\" : \"%s\"}\n", has ? v : 0, def->name);
			else
				has ? fprintf(o, " %*.3f", w, v) : fprintf(o, " %*s", w, "");
		}
		if (d->mode == STAT_OUT_STD)
			fputc('\n', o);
	}
}
