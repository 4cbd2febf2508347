/* Owns printing ptop's snapshot: perf top's table (preport's columns: overhead, then one per
 * sort key, widths fitted to the rows shown) and an entry's call graph as preport prints it. */
#include <string.h>

#include "report/top/model_int.h"

#define LINE_MAX_LEN 4096

struct top_cols {
	int width[SK_NR];
};

static void fit_columns(const struct top_model *m, struct top_cols *c)
{
	for (int i = 0; i < m->sort.nr; i++) {
		enum sort_key_id id = m->sort.keys[i];
		size_t w = strlen(sort_key__header(id));

		for (size_t j = 0; j < m->nr_rows; j++) {
			size_t l = sort_key__len(id, &m->rows[j].he->key, m->o.demangle);

			if (l > w)
				w = l;
		}
		if (id == SK_DSO && w < 16)
			w = 16;		/* room for a raw address, as perf gives it */
		c->width[i] = (int)w;
	}
}

static void print_header(const struct top_model *m, const struct top_cols *c, FILE *f)
{
	if (m->o.children)
		fprintf(f, "# %8s  %8s", "Children", "Self");
	else
		fprintf(f, "# %8s", "Overhead");
	for (int i = 0; i < m->sort.nr; i++)
		fprintf(f, "  %-*.*s", c->width[i], c->width[i], sort_key__header(m->sort.keys[i]));
	fputs(m->o.children ? "\n# ........  ........" : "\n# ........", f);
	for (int i = 0; i < m->sort.nr; i++) {
		fputs("  ", f);
		for (int j = 0; j < c->width[i]; j++)
			fputc('.', f);
	}
	fputs("\n#\n", f);
}

static void print_row(const struct top_model *m, const struct top_cols *c, const struct top_row *r,
		      FILE *f)
{
	char line[LINE_MAX_LEN];
	size_t pos = m->o.children
		? (size_t)snprintf(line, sizeof(line), "  %7.2f%%  %7.2f%%", r->acc_pct, r->pct)
		: (size_t)snprintf(line, sizeof(line), "  %7.2f%%", r->pct);

	for (int i = 0; i < m->sort.nr && pos + 2 < sizeof(line); i++) {
		int n;

		line[pos++] = ' ';
		line[pos++] = ' ';
		n = sort_key__snprintf(m->sort.keys[i], &r->he->key, line + pos, sizeof(line) - pos,
				       c->width[i], m->o.demangle, NULL);
		if (n < 0)
			n = 0;
		if (i + 1 < m->sort.nr && n < c->width[i] && pos + (size_t)c->width[i] < sizeof(line))
			n += snprintf(line + pos + n, sizeof(line) - pos - (size_t)n, "%-*s", c->width[i] - n, " ");
		pos += (size_t)n;
		if (pos >= sizeof(line)) {
			pos = sizeof(line) - 1;
			break;
		}
	}
	line[pos] = '\0';
	/* the last column is not padded: no trailing blanks */
	while (pos && line[pos - 1] == ' ')
		line[--pos] = '\0';
	fputs(line, f);
	fputc('\n', f);
}

void top_model__print_graph(struct top_model *m, FILE *f, const struct hist_entry *he)
{
	struct cc_arena *tmp;
	struct cc_print pp = {
		.param = &m->cc, .total = m->total, .parent_samples = m->o.children ? he->acc : he->self,
		.demangle = m->o.demangle,
	};

	if (!m->o.call_graph || !m->total || !he->cc.root)
		return;
	/* the sorted child lists live in a scratch arena: the trees keep no garbage per refresh */
	tmp = cc_arena__new();
	if (!tmp)
		return;
	if (!cc_root__sort(he->cc.root, tmp, &m->cc,
			   (uint64_t)((double)m->total * m->cc.min_percent / 100.0)))
		cc_root__fprintf(f, he->cc.root, &pp);
	cc_arena__free(tmp);
}

void top_model__print_rows(struct top_model *m, FILE *f, bool header, bool graphs)
{
	struct top_cols c;

	fit_columns(m, &c);
	if (header)
		print_header(m, &c, f);
	for (size_t i = 0; i < m->nr_rows; i++) {
		print_row(m, &c, &m->rows[i], f);
		if (graphs && m->o.call_graph) {
			top_model__print_graph(m, f, m->rows[i].he);
			fputc('\n', f);
		}
	}
}

const char *top_model__sym_name(const struct top_model *m, const struct hist_entry *he)
{
	return he->key.sym ? symbol__name(he->key.sym, m->o.demangle) : NULL;
}

const char *top_model__dso_name(const struct hist_entry *he)
{
	return he->key.dso_name;
}

bool top_model__sym_of(const struct hist_entry *he, const char **dso_path, uint64_t *start,
		       uint64_t *end, const char **name)
{
	if (!he->key.sym || !he->key.dso)
		return false;
	*dso_path = he->key.dso->name;
	*start = he->key.sym->start;
	*end = he->key.sym->end;
	*name = he->key.sym->name;
	return true;
}
