/* Owns ptop's full-screen view (ncurses): the header line, the table with a selected row,
 * call graphs expanded under entries (Enter), the live annotation of a symbol (a), the s/d
 * filters, P (the view to a file), resize, and giving the terminal back on every way out
 * (q, a signal through o->stop, the recording's end or an error). */
#include <errno.h>
#include <ncurses.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/hist/hist.h"
#include "report/top/header.h"
#include "report/top/live.h"
#include "report/top/top.h"

#define MAX_EXPANDED 32
#define KEY_WAIT_MS 100
#define HELP "q quit  Enter call graph  a annotate  s/d this symbol/DSO only  P save view  z zero/decay"

struct scr_line {
	const char *text;
	struct hist_entry *he;		/* the entry's own row; NULL for graph and header lines */
};

struct scr_graph {
	size_t row;			/* the row it belongs under */
	char *text;
};

struct scr {
	const struct top_run_opts *o;
	struct top_live *l;
	char header[512];
	char *buf;			/* the text of the table, lines cut at '\n' */
	size_t buf_len;
	struct scr_line *lines;
	size_t nr, cap, nr_head;	/* nr_head: column header lines at the start */
	size_t sel, top;		/* selected line, first line shown (after the headers) */
	struct hist_entry *sel_he;
	struct hist_entry *expanded[MAX_EXPANDED];
	size_t nr_expanded;
	struct scr_graph graphs[MAX_EXPANDED];
	size_t nr_graphs;
	char *sym_filter, *dso_filter;
	bool annotating;
	bool zero;			/* z: zeroing instead of decaying */
	char *ann_buf;
	size_t ann_len, ann_top;
	/* the annotated symbol (copied: its entry may be dropped once its share decays) */
	struct dso *ann_dso;
	struct symbol *ann_sym;
	char status[256];
	double t0, c0;
};

static bool is_expanded(const struct scr *s, const struct hist_entry *he)
{
	for (size_t i = 0; i < s->nr_expanded; i++)
		if (s->expanded[i] == he)
			return true;
	return false;
}

static void toggle_expanded(struct scr *s, struct hist_entry *he)
{
	for (size_t i = 0; i < s->nr_expanded; i++) {
		if (s->expanded[i] == he) {
			s->expanded[i] = s->expanded[--s->nr_expanded];
			return;
		}
	}
	if (s->nr_expanded < MAX_EXPANDED)
		s->expanded[s->nr_expanded++] = he;
}

static int add_line(struct scr *s, const char *text, struct hist_entry *he)
{
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct scr_line *v = realloc(s->lines, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->lines = v;
		s->cap = cap;
	}
	s->lines[s->nr++] = (struct scr_line){ .text = text, .he = he };
	return 0;
}

/* The table text (column header, then one line per row) into s->buf, and the call graph
 * of each expanded row into its own buffer. */
static int write_table(struct scr *s, const struct top_row *rows, size_t nr)
{
	struct top_model *m = s->l->model;
	FILE *f = open_memstream(&s->buf, &s->buf_len);

	if (!f)
		return -ENOMEM;
	top_model__print_rows(m, f, true, false);
	if (fclose(f))
		return -ENOMEM;
	s->nr_graphs = 0;
	for (size_t i = 0; i < nr && s->nr_graphs < MAX_EXPANDED; i++) {
		struct scr_graph *g = &s->graphs[s->nr_graphs];
		size_t len;

		if (!is_expanded(s, rows[i].he))
			continue;
		g->row = i;
		g->text = NULL;
		f = open_memstream(&g->text, &len);
		if (!f)
			return -ENOMEM;
		top_model__print_graph(m, f, rows[i].he);
		if (fclose(f))
			return -ENOMEM;
		s->nr_graphs++;
	}
	return 0;
}

static void free_graphs(struct scr *s)
{
	for (size_t i = 0; i < s->nr_graphs; i++)
		free(s->graphs[i].text);
	s->nr_graphs = 0;
}

/* Each '\n'-ended line of @text as a line of the view. */
static int add_lines(struct scr *s, char *text, struct hist_entry *he)
{
	while (text && *text) {
		char *nl = strchr(text, '\n');

		if (nl)
			*nl = '\0';
		if (add_line(s, text, he))
			return -ENOMEM;
		text = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The view's lines: the column header, then each row with its graph under it. */
static int index_lines(struct scr *s, const struct top_row *rows, size_t nr)
{
	char *line = s->buf;
	size_t row = 0, g = 0;

	s->nr = 0;
	s->nr_head = 0;
	while (line && *line) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (s->nr_head < 2) {
			line[0] = ' ';		/* "# Overhead": aligned with the rows, no '#' */
			if (add_line(s, line, NULL))
				return -ENOMEM;
			s->nr_head++;
		} else if (strcmp(line, "#") && row < nr) {
			if (add_line(s, line, rows[row].he))
				return -ENOMEM;
			if (g < s->nr_graphs && s->graphs[g].row == row &&
			    add_lines(s, s->graphs[g++].text, NULL))
				return -ENOMEM;
			row++;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* At a refresh: expansions of entries no longer shown are forgotten (the model drops
 * entries whose share decayed to ~0, and reuses their storage). */
static void forget_hidden(struct scr *s, const struct top_row *rows, size_t nr)
{
	for (size_t i = 0; i < s->nr_expanded;) {
		bool shown = false;

		for (size_t r = 0; r < nr && !shown; r++)
			shown = rows[r].he == s->expanded[i];
		if (shown)
			i++;
		else
			s->expanded[i] = s->expanded[--s->nr_expanded];
	}
}

/* Rebuild the view from the model; @tick: a refresh (header stats taken, then decay). */
static int rebuild(struct scr *s, bool tick)
{
	struct top_model *m = s->l->model;
	struct top_view v = { .sym_name = s->sym_filter, .dso_name = s->dso_filter,
			      .max_rows = s->o->entries ? s->o->entries : (size_t)(LINES > 4 ? LINES : 4) };
	struct top_header h = { .freq = s->o->rec.freq, .period = s->o->rec.period,
				.target = s->o->target };
	const struct top_row *rows;
	size_t nr;
	int ret;

	free(s->buf);
	s->buf = NULL;
	free_graphs(s);
	top_live__lock(s->l);
	ret = top_model__snapshot(m, &v, &rows, &nr, tick ? &h.st : NULL);
	if (!ret)
		ret = write_table(s, rows, nr);
	if (!ret && tick) {
		double t = top__now(), c = top__cpu_time();

		h.interval = t - s->t0;
		h.own_cpu = h.interval > 0 ? 100.0 * (c - s->c0) / h.interval : 0;
		s->t0 = t;
		s->c0 = c;
		top_header__format(&h, s->header, sizeof(s->header));
	}
	if (!ret)
		ret = index_lines(s, rows, nr);
	if (!ret && tick) {
		forget_hidden(s, rows, nr);
		top_model__decay(m);	/* may drop entries of ~0 share: rows are not used after */
	}
	top_live__unlock(s->l);
	if (ret)
		return ret;
	/* keep the selection on its entry */
	s->sel = s->nr_head;
	for (size_t i = s->nr_head; i < s->nr; i++) {
		if (s->lines[i].he && s->lines[i].he == s->sel_he) {
			s->sel = i;
			break;
		}
	}
	if (s->sel < s->nr && s->lines[s->sel].he)
		s->sel_he = s->lines[s->sel].he;
	return 0;
}

/* The annotation of the chosen symbol, as now. */
static void rebuild_annotation(struct scr *s)
{
	const struct top_hit *hits;
	struct top_hit *copy = NULL;
	uint64_t ns = 0, np = 0;
	size_t nr = 0;
	FILE *f;

	free(s->ann_buf);
	s->ann_buf = NULL;
	f = open_memstream(&s->ann_buf, &s->ann_len);
	if (!f)
		return;
	top_live__lock(s->l);
	hits = top_model__annotate_hits(s->l->model, &nr, &ns, &np);
	copy = nr ? malloc(nr * sizeof(*copy)) : NULL;
	if (copy)
		memcpy(copy, hits, nr * sizeof(*copy));
	top_live__unlock(s->l);
	if (!s->o->annotate)
		fputs("annotation is not available in this build\n", f);
	else if (!ns)
		fputs("no samples in this symbol yet since annotating began: waiting for some\n", f);
	else
		s->o->annotate(s->o->annotate_ctx, f, NULL, s->ann_dso, s->ann_sym,
			       copy, copy ? nr : 0, ns, np);
	free(copy);
	fclose(f);
}

static void draw_text_line(int y, const char *text, size_t len, attr_t attr)
{
	attron(attr);
	mvaddnstr(y, 0, text, (int)(len < (size_t)COLS ? len : (size_t)COLS));
	for (int x = (int)(len < (size_t)COLS ? len : (size_t)COLS); x < COLS; x++)
		addch(' ');
	attroff(attr);
}

static void draw_status(struct scr *s)
{
	const char *msg = s->status[0] ? s->status : HELP;

	draw_text_line(LINES - 1, msg, strlen(msg), A_REVERSE);
}

static void draw_annotation(struct scr *s)
{
	const char *p = s->ann_buf ? s->ann_buf : "";
	size_t skip = s->ann_top;
	int y = 1;

	erase();
	draw_text_line(0, s->header, strlen(s->header), A_BOLD);
	while (*p && skip) {
		const char *nl = strchr(p, '\n');

		p = nl ? nl + 1 : p + strlen(p);
		skip--;
	}
	while (*p && y < LINES - 1) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		draw_text_line(y++, p, len, A_NORMAL);
		p = nl ? nl + 1 : p + len;
	}
	draw_status(s);
	refresh();
}

static void draw(struct scr *s)
{
	int body = LINES - 2 - (int)(s->nr_head ? 1 : 0);
	int y = 0;

	if (s->annotating) {
		draw_annotation(s);
		return;
	}
	erase();
	draw_text_line(y++, s->header, strlen(s->header), A_BOLD);
	if (s->nr_head)
		draw_text_line(y++, s->lines[0].text, strlen(s->lines[0].text), A_UNDERLINE);
	/* scroll so that the selection is shown */
	if (s->sel < s->nr_head + s->top)
		s->top = s->sel - s->nr_head;
	if (body > 0 && s->sel >= s->nr_head + s->top + (size_t)body)
		s->top = s->sel - s->nr_head - (size_t)body + 1;
	for (size_t i = s->nr_head + s->top; i < s->nr && y < LINES - 1; i++)
		draw_text_line(y++, s->lines[i].text, strlen(s->lines[i].text),
			       i == s->sel ? A_REVERSE : A_NORMAL);
	if (s->nr == s->nr_head && y < LINES - 1)
		draw_text_line(y, "  (no samples yet)", 18, A_NORMAL);
	draw_status(s);
	refresh();
}

/* Move the selection by @d rows (entry rows only). */
static void move_sel(struct scr *s, long d)
{
	size_t i = s->sel;

	while (d > 0 && i + 1 < s->nr) {
		i++;
		if (s->lines[i].he) {
			s->sel = i;
			d--;
		}
	}
	while (d < 0 && i > s->nr_head) {
		i--;
		if (s->lines[i].he) {
			s->sel = i;
			d++;
		}
	}
	if (s->sel < s->nr)
		s->sel_he = s->lines[s->sel].he;
}

static void set_filter(char **slot, const char *value, char *status, size_t sz, const char *what)
{
	if (*slot || !value) {
		free(*slot);
		*slot = NULL;
		snprintf(status, sz, "showing every %s", what);
		return;
	}
	*slot = strdup(value);
	snprintf(status, sz, "only %s %s (press again for all)", what, value);
}

/* P: the header and the table as shown (all rows, graphs included) to o->dump_path. */
static void dump(struct scr *s)
{
	FILE *f = fopen(s->o->dump_path, "w");

	if (!f) {
		snprintf(s->status, sizeof(s->status), "cannot write %s: %s", s->o->dump_path, strerror(errno));
		return;
	}
	fprintf(f, "%s\n", s->header);
	for (size_t i = 0; i < s->nr; i++)
		fprintf(f, "%s\n", s->lines[i].text);
	if (fclose(f))
		snprintf(s->status, sizeof(s->status), "writing %s failed: %s", s->o->dump_path, strerror(errno));
	else
		snprintf(s->status, sizeof(s->status), "view written to %s", s->o->dump_path);
}

static void start_annotation(struct scr *s)
{
	struct hist_entry *he = s->sel < s->nr ? s->lines[s->sel].he : NULL;
	int ret;

	if (!he)
		return;
	top_live__lock(s->l);
	ret = top_model__annotate_start(s->l->model, he);
	top_live__unlock(s->l);
	if (ret) {
		snprintf(s->status, sizeof(s->status), "this entry has no symbol to annotate");
		return;
	}
	s->annotating = true;
	s->ann_dso = he->key.dso;
	s->ann_sym = he->key.sym;
	s->ann_top = 0;
	snprintf(s->status, sizeof(s->status), "annotating live (samples since now)  q/Left back  arrows scroll");
	rebuild_annotation(s);
}

/* One key. false: quit. */
static bool on_key(struct scr *s, int ch)
{
	int page = LINES > 4 ? LINES - 4 : 1;

	if (s->annotating) {
		switch (ch) {
		case 'q': case KEY_LEFT: case 'a':
			s->annotating = false;
			s->status[0] = '\0';
			break;
		case KEY_DOWN: s->ann_top++; break;
		case KEY_UP: if (s->ann_top) s->ann_top--; break;
		case KEY_NPAGE: s->ann_top += (size_t)page; break;
		case KEY_PPAGE: s->ann_top = s->ann_top > (size_t)page ? s->ann_top - (size_t)page : 0; break;
		}
		return true;
	}
	s->status[0] = '\0';
	switch (ch) {
	case 'q': case 'Q':
		return false;	/* not Esc: a key sequence the terminfo does not know starts with it */
	case KEY_DOWN: case 'j': move_sel(s, 1); break;
	case KEY_UP: case 'k': move_sel(s, -1); break;
	case KEY_NPAGE: case ' ': move_sel(s, page); break;
	case KEY_PPAGE: move_sel(s, -page); break;
	case KEY_HOME: move_sel(s, -(long)s->nr); break;
	case KEY_END: move_sel(s, (long)s->nr); break;
	case '\n': case '\r': case KEY_ENTER: case '+':
		if (s->sel < s->nr && s->lines[s->sel].he) {
			if (!s->o->model.call_graph)
				snprintf(s->status, sizeof(s->status), "no call graphs: start ptop with -g");
			toggle_expanded(s, s->lines[s->sel].he);
			rebuild(s, false);
		}
		break;
	case 'a': start_annotation(s); break;
	case 's':
		set_filter(&s->sym_filter, s->sel < s->nr && s->lines[s->sel].he ?
			   top_model__sym_name(s->l->model, s->lines[s->sel].he) : NULL,
			   s->status, sizeof(s->status), "symbol");
		rebuild(s, false);
		break;
	case 'd':
		set_filter(&s->dso_filter, s->sel < s->nr && s->lines[s->sel].he ?
			   top_model__dso_name(s->lines[s->sel].he) : NULL,
			   s->status, sizeof(s->status), "DSO");
		rebuild(s, false);
		break;
	case 'P': dump(s); break;
	case 'z':
		s->zero = !s->zero;
		top_live__lock(s->l);
		top_model__set_zero(s->l->model, s->zero);
		top_live__unlock(s->l);
		snprintf(s->status, sizeof(s->status), s->zero ? "zeroing at each refresh (z: decay again)" :
			 "decaying by 1/8 at each refresh (z: zero instead)");
		break;
	case KEY_RESIZE: rebuild(s, false); break;
	}
	return true;
}

static int loop(struct scr *s)
{
	const struct top_run_opts *o = s->o;
	double next = top__now() + o->delay;
	long refreshes = 0;
	int ret = 0;

	snprintf(s->header, sizeof(s->header), "   PTop: starting: listing the running processes ...");
	draw(s);
	/* the first interval starts with the samples (listing /proc may take a while) */
	top_live__wait_started(s->l, o->stop);
	next = top__now() + o->delay;
	s->t0 = top__now();
	snprintf(s->header, sizeof(s->header), "   PTop: collecting samples for %.1f s ...", o->delay);
	draw(s);
	while (!(o->stop && *o->stop)) {
		int ch = getch();

		if (s->l->done) {
			ret = s->l->ret;
			break;
		}
		bool redraw = ch != ERR;

		if (ch != ERR && !on_key(s, ch))
			break;
		if (top__now() >= next) {
			redraw = true;
			next += o->delay;
			if (top__now() > next)
				next = top__now() + o->delay;
			ret = rebuild(s, true);
			if (ret)
				break;
			if (s->annotating)
				rebuild_annotation(s);
			if (o->count && ++refreshes >= o->count) {
				draw(s);
				break;
			}
		}
		if (redraw)
			draw(s);
	}
	return ret;
}

/* Messages written to stderr while the screen is up (the recording's warnings) would land in
 * the middle of it: they are kept in a file and shown once the terminal is back. */
static int hold_stderr(FILE **held)
{
	int saved;

	*held = tmpfile();
	if (!*held)
		return -1;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved < 0 || dup2(fileno(*held), STDERR_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		fclose(*held);
		*held = NULL;
		return -1;
	}
	return saved;
}

static void release_stderr(FILE *held, int saved)
{
	char buf[4096];
	size_t n;

	if (!held)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(held);
	while ((n = fread(buf, 1, sizeof(buf), held)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(held);
}

int top__screen(const struct top_run_opts *o, struct top_live *l, struct error *err)
{
	struct scr s = { .o = o, .l = l, .t0 = top__now(), .c0 = top__cpu_time(),
			 .zero = o->model.zero };
	FILE *held = NULL;
	int saved = hold_stderr(&held);
	int ret;

	if (!newterm(NULL, stdout, stdin)) {
		error__set(err, -ENOTTY, "the terminal (TERM=%s) cannot be used full-screen: use --stdio",
			   getenv("TERM") ? getenv("TERM") : "unset");
		if (err)
			err->kind = TOP_SCREEN;
		release_stderr(held, saved);
		return -ENOTTY;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	timeout(KEY_WAIT_MS);
	curs_set(0);
	ret = loop(&s);
	endwin();	/* the terminal back, on every way out of the loop */
	release_stderr(held, saved);
	free(s.buf);
	free_graphs(&s);
	free(s.lines);
	free(s.ann_buf);
	free(s.sym_filter);
	free(s.dso_filter);
	return ret;
}
