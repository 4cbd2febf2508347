/* Owns preport's output: perf report --stdio's header lines, column widths, entry order,
 * the rows (also with -t SEP) and the call graphs under them; and the JSON document. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/cc_log.h"
#include "report/hist/hist_offcpu.h"
#include "report/hist/preport_int.h"
#include "report/hist/presort.h"
#include "report/hist/resort.h"
#include "report/hist/missing.h"
#include "report/hist/unwind_report.h"
#include "util/obuf.h"
#include "util/strfmt.h"

#define LINE_MAX_LEN 8192
#define REP_MAX_MEMBERS 64	/* events of a group shown as columns (more: one section each) */

enum { COL_SAMPLES = -3, COL_PERIOD = -4, COL_TIME = -5 };	/* -n, --show-total-period, --time-ms */

struct col {
	int kind;			/* -1 children, -2 self, COL_*, else enum sort_key_id */
	int width;
};

struct printer {
	struct rep *R;
	struct rep_event *const *mem;	/* the section's events: the leader, then group members */
	size_t nm;
	uint64_t tot[REP_MAX_MEMBERS];	/* each member's percentage base */
	FILE *f;
	const char *sep;
	struct col cols[SK_NR + 5];
	int nr_cols;
	uint64_t total;			/* base of the overhead percentages */
	uint64_t total_all;		/* base of the call-graph percentages */
};

static bool elided(const struct rep *R, enum sort_key_id id)
{
	switch (id) {
	case SK_COMM: return R->comms.nr == 1;
	case SK_DSO: return R->dso_filter.nr == 1;
	case SK_SYM: return R->sym_filter.nr == 1;
	default: return false;
	}
}

/* perf hides a key column whose filter names one value, unless that hides them all */
static bool elide_any(const struct rep *R)
{
	int shown = 0;

	for (int i = 0; i < R->sort.nr; i++)
		shown += !elided(R, R->sort.keys[i]);
	return shown > 0;
}

static unsigned long convert_unit(unsigned long v, char *unit)
{
	*unit = ' ';
	if (v > 1000) { v /= 1000; *unit = 'K'; }
	if (v > 1000) { v /= 1000; *unit = 'M'; }
	if (v > 1000) { v /= 1000; *unit = 'G'; }
	return v;
}

static const struct rep *cmp_rep;
static struct rep_event *const *cmp_mem;	/* group members after the leader */
static size_t cmp_nm;

/* The entry of group member j with the key of the leader's entry he (NULL: none). */
static const struct hist_entry *member_entry(struct rep_event *const *mem, size_t j,
					     const struct hist_entry *he)
{
	return j ? hists__find(mem[j]->hists, &he->key, he->hash) : he;
}

/* perf orders a group's rows by the leader's self, then by each member's in turn */
static int members_cmp(const struct hist_entry *a, const struct hist_entry *b)
{
	for (size_t j = 1; j < cmp_nm; j++) {
		const struct hist_entry *x = member_entry(cmp_mem, j, a), *y = member_entry(cmp_mem, j, b);
		uint64_t vx = x ? x->self : 0, vy = y ? y->self : 0;

		if (vx != vy)
			return vx > vy ? -1 : 1;
	}
	return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct hist_entry *a = *(struct hist_entry *const *)pa, *b = *(struct hist_entry *const *)pb;
	const struct rep *R = cmp_rep;
	int c;

	/* -F overhead,overhead_children: by self first, then as children mode */
	if (R->fields && R->children && R->o->fields_children && a->self != b->self)
		return a->self > b->self ? -1 : 1;
	if (R->children && (!R->fields || R->o->fields_children)) {
		/* perf 6.1 orders a group's rows by the leader's children only */
		if (a->acc != b->acc)
			return a->acc > b->acc ? -1 : 1;
		/* perf puts callers above callees of equal period within one thread */
		if (a->key.thread == b->key.thread && R->use_cc && a->cc.max_depth != b->cc.max_depth) {
			bool deeper_first = R->cc.order == CC_ORDER_CALLER;

			return (a->cc.max_depth > b->cc.max_depth) == deeper_first ? -1 : 1;
		}
	}
	if (a->self != b->self)
		return a->self > b->self ? -1 : 1;
	if ((c = members_cmp(a, b)))
		return c;
	return hist_key__cmp(&R->sort, &a->key, &b->key, R->o->demangle);
}

static int tree_cmp(const void *pa, const void *pb)
{
	const struct hist_entry *a = *(struct hist_entry *const *)pa, *b = *(struct hist_entry *const *)pb;

	return hist_key__tree_cmp(&cmp_rep->sort, &a->key, &b->key, cmp_rep->o->demangle);
}

/* The rows of h in perf's printed order (see resort.c), filtered ones left out: a new array
 * of *nr entries, or NULL on ENOMEM. */
static struct hist_entry **ordered_entries(const struct rep *R, struct rep_event *const *mem,
					   size_t nm, const struct hists *h, size_t *nr)
{
	struct hist_entry **v = malloc((h->nr ? h->nr : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	memcpy(v, h->v, h->nr * sizeof(*v));
	cmp_rep = R;
	cmp_mem = mem;
	cmp_nm = nm;
	/* h->v is in creation order, the order perf inserts into its entry tree; with comm a
	 * key perf moves them into a second tree (the collapsed one) in that tree's order; the
	 * output tree takes them from there. Filtered entries are in the trees too. */
	if (resort__tree((void **)v, h->nr, tree_cmp) ||
	    (R->sort.has[SK_COMM] && resort__tree((void **)v, h->nr, tree_cmp)) ||
	    resort__tree((void **)v, h->nr, entry_cmp)) {
		free(v);
		v = NULL;
	}
	cmp_nm = 0;
	for (size_t i = 0; v && i < h->nr; i++)
		if (!v[i]->filtered)
			v[n++] = v[i];
	*nr = n;
	return v;
}

static void setup_columns(struct printer *p, struct hist_entry **v, size_t nr)
{
	struct rep *R = p->R;
	bool use_elide = elide_any(R);
	bool unres = false;

	p->nr_cols = 0;
	if (R->children && !R->fields)
		p->cols[p->nr_cols++] = (struct col){ .kind = -1, .width = 8 * (int)p->nm };
	p->cols[p->nr_cols++] = (struct col){ .kind = -2, .width = 8 * (int)p->nm };
	if (R->fields && R->o->fields_children)
		p->cols[p->nr_cols++] = (struct col){ .kind = -1, .width = 8 * (int)p->nm };
	if (R->o->show_nr_samples)
		p->cols[p->nr_cols++] = (struct col){ .kind = COL_SAMPLES, .width = 12 * (int)p->nm };
	if (R->o->show_total_period)
		p->cols[p->nr_cols++] = (struct col){ .kind = COL_PERIOD, .width = 12 * (int)p->nm };
	if (hist_offcpu__time_column(R->session, R->o->time_ms, p->mem[0]->evsel))
		p->cols[p->nr_cols++] = (struct col){ .kind = COL_TIME, .width = 12 * (int)p->nm };
	for (int i = 0; i < R->sort.nr; i++) {
		enum sort_key_id id = R->sort.keys[i];
		size_t w = strlen(sort_key__header(id));

		if (use_elide && elided(R, id))
			continue;
		for (size_t j = 0; j < nr; j++) {
			size_t l = sort_key__len(id, &v[j]->key, R->o->demangle);

			if (l > w)
				w = l;
		}
		p->cols[p->nr_cols++] = (struct col){ .kind = (int)id, .width = (int)w };
	}
	for (size_t j = 0; j < nr && !unres; j++)
		unres = !v[j]->key.sym;
	/* room for a raw address in the DSO column, as perf gives it */
	if (unres && !p->sep && !R->dso_filter.nr)
		for (int i = 0; i < p->nr_cols; i++)
			if (p->cols[i].kind == SK_DSO && p->cols[i].width < 16)
				p->cols[i].width = 16;
}

static void print_headers(struct printer *p)
{
	FILE *f = p->f;
	const char *self_name = p->R->children && !p->R->fields ? "Self" : "Overhead";

	if (p->R->o->quiet)
		return;
	fprintf(f, "#\n# ");
	for (int i = 0; i < p->nr_cols; i++) {
		const struct col *c = &p->cols[i];

		if (i)
			fputs(p->sep ? p->sep : "  ", f);
		if (c->kind == -1)
			fprintf(f, "%*s", c->width, "Children");
		else if (c->kind == -2)
			fprintf(f, "%*s", c->width, self_name);
		else if (c->kind == COL_SAMPLES)
			fprintf(f, "%*s", c->width, "Samples");
		else if (c->kind == COL_PERIOD)
			fprintf(f, "%*s", c->width, "Period");
		else if (c->kind == COL_TIME)
			fprintf(f, "%*s", c->width, "Time (ms)");
		else
			fprintf(f, "%-*.*s", c->width, c->width, sort_key__header((enum sort_key_id)c->kind));
	}
	fputc('\n', f);
	if (p->sep)
		return;
	fputs("# ", f);
	for (int i = 0; i < p->nr_cols; i++) {
		if (i)
			fputs("  ", f);
		for (int j = 0; j < p->cols[i].width; j++)
			fputc('.', f);
	}
	fputs("\n#\n", f);
}

/* snprintf(buf, sz, " %*.2f%%", width, pct) */
static int pct_cell(char *buf, size_t sz, int width, double pct)
{
	char num[32];
	size_t k = ob_fmt_fixed2(num, pct), at = 0;

	if (!k)
		return snprintf(buf, sz, " %*.2f%%", width, pct);
	strfmt__put(buf, sz, at++, " ", 0, 1);
	if ((int)k < width) {
		strfmt__put(buf, sz, at, NULL, ' ', (size_t)width - k);
		at += (size_t)width - k;
	}
	strfmt__put(buf, sz, at, num, 0, k);
	strfmt__put(buf, sz, at + k, "%", 0, 1);
	return strfmt__end(buf, sz, at + k + 1);
}

static void print_row(struct printer *p, const struct hist_entry *he)
{
	char line[LINE_MAX_LEN];
	size_t pos = 0;

	for (int i = 0; i < p->nr_cols; i++) {
		const struct col *c = &p->cols[i];
		int n;

		if (!p->sep || i)
			pos += (size_t)strfmt__str(line + pos, sizeof(line) - pos, p->sep ? p->sep : "  ");
		if (pos >= sizeof(line))
			break;
		if (c->kind == COL_TIME) {
			n = 0;
			for (size_t j = 0; j < p->nm && pos + (size_t)n < sizeof(line); j++) {
				const struct hist_entry *me = member_entry(p->mem, j, he);
				uint64_t v = !me ? 0 : p->R->children ? me->acc : me->self;

				n += snprintf(line + pos + n, sizeof(line) - pos - (size_t)n, " %*.3f",
					      p->sep ? 1 : 11, v / 1e6);
			}
		} else if (c->kind == COL_SAMPLES || c->kind == COL_PERIOD) {
			n = 0;
			for (size_t j = 0; j < p->nm && pos + (size_t)n < sizeof(line); j++) {
				const struct hist_entry *me = member_entry(p->mem, j, he);
				uint64_t v = !me ? 0 : c->kind == COL_SAMPLES ? me->nr_events : me->self;

				n += snprintf(line + pos + n, sizeof(line) - pos - (size_t)n, " %*llu",
					      p->sep ? 1 : 11, (unsigned long long)v);
			}
		} else if (c->kind < 0) {
			n = 0;
			for (size_t j = 0; j < p->nm && pos + (size_t)n < sizeof(line); j++) {
				const struct hist_entry *me = member_entry(p->mem, j, he);
				uint64_t v = !me ? 0 : c->kind == -1 ? me->acc : me->self;
				double pct = p->tot[j] ? 100.0 * v / p->tot[j] : 0.0;

				if (c->kind == -1 && !p->R->children)	/* -F overhead_children, no chains */
					n += snprintf(line + pos + n, sizeof(line) - pos - (size_t)n, " %*s",
						      p->sep ? 1 : 7, "N/A");
				else
					n += pct_cell(line + pos + n, sizeof(line) - pos - (size_t)n,
						      p->sep ? 1 : 6, pct);
			}
		} else {
			n = sort_key__snprintf((enum sort_key_id)c->kind, &he->key, line + pos,
					       sizeof(line) - pos, c->width, p->R->o->demangle, p->sep);
		}
		if (n < 0)
			n = 0;
		/* perf pads every column but the last to its width */
		if (i + 1 < p->nr_cols && n < c->width && pos + (size_t)c->width < sizeof(line))
			n += strfmt__spaces(line + pos + n, sizeof(line) - pos - (size_t)n, c->width - n);
		pos += (size_t)n;
		if (pos >= sizeof(line)) {
			pos = sizeof(line) - 1;
			break;
		}
	}
	line[pos] = '\0';
	fputs(line, p->f);
	fputc('\n', p->f);
}

/* The section's event name as perf prints it: a group's "name { a, b }" ("anon group"
 * when recorded without a name; with --group on a file without groups just "a, b"). */
static void print_event_name(struct printer *p)
{
	struct rep *R = p->R;
	const char *gn = p->mem[0]->group_name;

	if (p->nm == 1) {
		/* perf 6.1 says "events" for a group's leader, and for the first event with
		 * an explicit --no-group */
		fprintf(p->f, " of event%s '%s'", p->mem[0]->nr_members > 1 ||
			(R->o->group == 0 && p->mem[0] == &R->ev[0]) ? "s" : "", p->mem[0]->evsel->name);
		return;
	}
	fputs(" of events '", p->f);
	if (!R->group_forced)
		fprintf(p->f, "%s { ", gn && *gn && strcmp(gn, "{anon_group}") ? gn : "anon group");
	for (size_t j = 0; j < p->nm; j++)
		fprintf(p->f, "%s%s", j ? ", " : "", p->mem[j]->evsel->name);
	fputs(R->group_forced ? "'" : " }'", p->f);
}

/* Rows of members that the leader lacks join the leader's histogram with zero periods
 * (perf's dummy entries), so that every row of the group is printed once. */
static int add_member_rows(struct printer *p)
{
	struct hists *lh = p->mem[0]->hists;

	for (size_t j = 1; j < p->nm; j++) {
		struct hists *h = p->mem[j]->hists;

		for (size_t i = 0; i < h->nr; i++) {
			struct hist_entry *e = h->v[i], *d;
			bool created;

			if (hists__find(lh, &e->key, e->hash))
				continue;
			d = hists__findnew(lh, &e->key, e->hash, &created);
			if (!d)
				return -ENOMEM;
			d->filtered = e->filtered;
		}
	}
	return 0;
}

/* Whether --percent-limit lets @he's row be printed. */
static bool row_shown(const struct printer *p, const struct hist_entry *he)
{
	uint64_t val = p->R->children ? he->acc : he->self;	/* perf: also under -F */

	return !p->R->o->percent_limit_set ||
	       (p->total ? val * 100.0 / p->total : 0.0) >= p->R->o->percent_limit;
}

/* Ask the log (cc_log.h) for the call-graph trees of the rows to be printed: in graph mode
 * only those that hold at least @min_hit will be built (the others print nothing);
 * fractal's threshold is each node's own. */
static void want_trees(const struct printer *p, const struct hists *h)
{
	for (size_t i = 0; i < h->nr; i++)
		if (!h->v[i]->filtered && row_shown(p, h->v[i]))
			cc_log__want(p->R->log, &h->v[i]->cc);
}

/* The trees of the rows to be printed built and sorted on a second thread (ps->v the rows,
 * to be freed after the join) while this one orders the rows. 0 or -ENOMEM. */
static int presort(const struct printer *p, const struct hists *h, uint64_t min_hit,
		   struct cc_presort *ps)
{
	struct hist_entry **v = malloc((h->nr ? h->nr : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return error__nomem(p->R->err);
	for (size_t i = 0; i < h->nr; i++)
		if (!h->v[i]->filtered && row_shown(p, h->v[i]))
			v[n++] = h->v[i];
	if (cc_presort__start(ps, v, n, &p->R->cc, min_hit, p->R->log, p->R->arena)) {
		free(v);
		return error__nomem(p->R->err);
	}
	return 0;
}

/* One section: an event, or a group's leader with its members as extra columns. */
static int print_section(struct rep *R, struct rep_event *const *mem, size_t nm)
{
	const struct report_opts *o = R->o;
	struct hists *h = mem[0]->hists;
	struct printer p = { .R = R, .f = o->out, .sep = o->field_sep, .mem = mem, .nm = nm };
	struct hist_entry **v;
	size_t nr = 0;
	unsigned long nsamples = 0;
	uint64_t count = 0;
	char unit;
	uint64_t min_hit;
	struct cc_presort ps = { 0 };
	/* perf leaves the entry's own frame out of its graph when --sort starts with sym, not
	 * when -F gave the keys */
	bool skip_first = o->sort && !o->sort_from_fields && !strncmp(o->sort, "sym", 3);

	if (nm > 1 && add_member_rows(&p))
		return error__nomem(R->err);
	for (size_t j = 0; j < nm; j++) {
		struct hists *mh = mem[j]->hists;

		p.tot[j] = hists__total_period(mh, o->relative);
		count += p.tot[j];
		nsamples += (unsigned long)(o->relative ? mh->nr_non_filtered_samples : mh->nr_samples);
	}
	p.total_all = hists__total_period(h, false);
	p.total = p.tot[0];
	nsamples = convert_unit(nsamples, &unit);
	if (!o->quiet) {
		fprintf(p.f, "# Samples: %lu%c", nsamples, unit);
		print_event_name(&p);
		if (o->time)
			fprintf(p.f, " (time slices: %s)", o->time);
		fprintf(p.f, "\n# Event count (approx.): %llu\n", (unsigned long long)count);
	}

	min_hit = (uint64_t)(p.total * (R->cc.min_percent / 100));
	if (R->use_cc && mem[0]->has_chain) {
		want_trees(&p, h);
		if (o->threads > 1 && cc_presort__wanted(&R->cc, h->nr)) {
			int ret = presort(&p, h, min_hit, &ps);

			if (ret)
				return ret;
		} else if (cc_log__replay(R->log, R->arena, min_hit, R->cc.mode == CC_GRAPH_REL)) {
			return error__nomem(R->err);
		}
	}
	v = ordered_entries(R, mem, nm, h, &nr);
	if (ps.v) {
		int ret = cc_presort__join(&ps);

		free(ps.v);
		if (ret) {
			free(v);
			return error__nomem(R->err);
		}
	}
	if (!v)
		return error__nomem(R->err);
	setup_columns(&p, v, nr);
	print_headers(&p);
	for (size_t i = 0; i < nr; i++) {
		struct hist_entry *he = v[i];

		if (!row_shown(&p, he))
			continue;
		print_row(&p, he);
		/* (an entry without a tree prints no call graph: nothing went into it, or too
		 * little to print, cc_log.h) */
		if (R->use_cc && mem[0]->has_chain && he->cc.root) {
			struct cc_print pp = {
				.param = &R->cc, .total = p.total_all,
				.parent_samples = R->children ? he->acc : he->self,
				.skip_first = skip_first, .demangle = o->demangle, .sep = o->field_sep,
			};

			if (!ps.v && cc_root__sort(he->cc.root, R->arena, &R->cc, min_hit)) {
				free(v);
				return error__nomem(R->err);
			}
			cc_root__fprintf(p.f, he->cc.root, &pp);
		}
	}
	fputs("\n\n", p.f);
	free(v);
	return 0;
}

/* ---- JSON --------------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int print_json(struct rep *R)
{
	const struct report_opts *o = R->o;
	FILE *f = o->out;
	const struct session_stats *st = session__stats(R->session);
	bool first_ev = true;

	fprintf(f, "{\"lost_samples\": %llu, \"children\": %s, \"sort\": [",
		(unsigned long long)st->nr_lost_samples, R->children ? "true" : "false");
	for (int i = 0; i < R->sort.nr; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, sort_key__name(R->sort.keys[i]));
	}
	fputs("], \"events\": [", f);
	for (size_t e = 0; e < R->nr_ev; e++) {
		struct hists *h = R->ev[e].hists;
		uint64_t total_all = hists__total_period(h, false);
		uint64_t total = o->relative ? hists__total_period(h, true) : total_all;
		struct hist_entry **v;
		size_t nr = 0;
		bool first = true;

		if (!h->nr_samples)
			continue;
		struct rep_event *one = &R->ev[e];

		v = ordered_entries(R, &one, 1, h, &nr);
		if (!v)
			return error__nomem(R->err);
		fprintf(f, "%s\n {\"event\": ", first_ev ? "" : ",");
		json_str(f, R->ev[e].evsel->name);
		fprintf(f, ", \"samples\": %llu, \"event_count\": %llu, \"entries\": [",
			(unsigned long long)(o->relative ? h->nr_non_filtered_samples : h->nr_samples),
			(unsigned long long)total);
		for (size_t i = 0; i < nr; i++) {
			struct hist_entry *he = v[i];
			uint64_t val = R->children ? he->acc : he->self;
			char buf[4096];

			if (o->percent_limit_set && (total ? val * 100.0 / total : 0.0) < o->percent_limit)
				continue;
			fprintf(f, "%s\n  {", first ? "" : ",");
			first = false;
			if (R->children)
				fprintf(f, "\"children\": %.4f, ", total ? 100.0 * he->acc / total : 0.0);
			fprintf(f, "\"self\": %.4f, \"period\": %llu, \"samples\": %llu", total ? 100.0 * he->self / total : 0.0,
				(unsigned long long)he->self, (unsigned long long)he->nr_events);
			for (int k = 0; k < R->sort.nr; k++) {
				enum sort_key_id id = R->sort.keys[k];

				fputs(", ", f);
				json_str(f, sort_key__name(id));
				fputs(": ", f);
				sort_key__value(id, &he->key, buf, sizeof(buf), o->demangle);
				json_str(f, buf);
				if (id == SK_SYM || id == SK_SYMOFF)
					fprintf(f, ", \"level\": \"%c\"", he->key.level);
			}
			fputc('}', f);
		}
		fputs("]}", f);
		first_ev = false;
		free(v);
	}
	fputs("\n]}\n", f);
	return 0;
}

/* One section per event (a group's members with their leader). */
static int print_sections(struct rep *R)
{
	int ret = 0;

	for (size_t i = 0; i < R->nr_ev && !ret; i++) {
		struct rep_event *mem[REP_MAX_MEMBERS];
		size_t nm = 1;
		uint64_t samples;

		mem[0] = &R->ev[i];
		if (R->group_view && !R->ev[i].nr_members)
			continue;	/* a member: printed with its leader */
		samples = R->ev[i].hists->nr_samples;
		if (R->group_view && R->ev[i].nr_members <= REP_MAX_MEMBERS) {
			for (; nm < R->ev[i].nr_members; nm++) {
				mem[nm] = &R->ev[i + nm];
				samples += mem[nm]->hists->nr_samples;
			}
		}
		if (samples)
			ret = print_section(R, mem, nm);
	}
	return ret;
}

int rep__print(struct rep *R)
{
	const struct report_opts *o = R->o;
	FILE *f = o->out;
	const struct session_stats *st = session__stats(R->session);
	int ret = 0;

	if (o->json)
		return print_json(R);
	if (o->quiet)
		return print_sections(R);
	if (!o->header)
		fputs("# To display the perf.data header info, please use --header/--header-only options.\n#\n", f);
	if (elide_any(R)) {
		for (int i = 0; i < R->sort.nr; i++) {
			enum sort_key_id id = R->sort.keys[i];

			if (elided(R, id))
				fprintf(f, "# %s: %s\n", id == SK_SYM ? "symbol" : sort_key__name(id),
					id == SK_COMM ? R->comms.v[0] : id == SK_DSO ? R->dso_filter.v[0] : R->sym_filter.v[0]);
		}
	}
	fprintf(f, "#\n# Total Lost Samples: %llu\n#\n", (unsigned long long)st->nr_lost_samples);
	/* a sampled DSO without any symbol: one line saying where to look (nothing otherwise) */
	missing_report__header(R->session, f);
	/* DWARF files: how completely the user stacks unwound (-g files: nothing, as perf) */
	if (unwind_stats__samples(session__unwind_stats(R->session))) {
		unwind_report__header(session__unwind_stats(R->session), f);
		fputs("#\n", f);
	}
	ret = print_sections(R);
	if (!ret)
		fputs("#\n# (Tip: preport --sort comm,dso shows where the time goes per program and library)\n#\n", f);
	return ret;
}
