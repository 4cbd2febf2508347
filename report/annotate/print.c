/* Owns the two layouts of an annotated symbol: perf annotate --stdio's (percent or sample
 * column, " : ", address, instruction; source and label lines with an empty column), the
 * terminal highlighting (perf's colour thresholds, hottest instruction in bold), and the
 * JSON document (one object per symbol, one line per instruction). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/annotate/print.h"
#include "symbols/demangle.h"
#include "util/array.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_BLUE "\033[34m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[m"

/* perf's thresholds for colouring a percentage */
#define MIN_RED 5.0
#define MIN_GREEN 0.5

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s && s[1] ? s + 1 : p;
}

static unsigned int hex_digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

/* "mnemonic ops" padded as objdump pads it, plus where a jump or call goes, and (perf's
 * layout) objdump's comment naming what a rip-relative operand reaches */
static void put_insn_text(const struct annotate_line *l, FILE *f)
{
	const struct disasm_insn *in = l->insn;

	if (in->ops[0])
		fprintf(f, "%-6s %s", in->mnemonic, in->ops);
	else
		fputs(in->mnemonic, f);
	if (in->has_ref && !l->target_label) {
		fprintf(f, "        # %" PRIx64, in->ref);
		if (l->ref_sym && l->ref_off)
			fprintf(f, " <%s+0x%" PRIx64 ">", l->ref_sym, l->ref_off);
		else if (l->ref_sym)
			fprintf(f, " <%s>", l->ref_sym);
		return;
	}
	if (l->target_label)
		fprintf(f, " <.L%u>", l->target_label);
	else if (l->target_sym && l->target_off)
		fprintf(f, " <%s+0x%" PRIx64 ">", l->target_sym, l->target_off);
	else if (l->target_sym)
		fprintf(f, " <%s>", l->target_sym);
}

/* Spaces after "ADDR:" up to the tab stop that follows this address's own digits (perf
 * expands objdump's tab with the line's leading spaces cut). */
static unsigned int tab_after_addr(uint64_t addr)
{
	return 8 - (hex_digits(addr) + 1) % 8;
}

/* objdump's byte column (x86: 7 bytes a line, the rest on lines of their own: put_raw_rest),
 * starting at column COL of objdump's line with its leading spaces cut, as perf reads it: the
 * text after it starts at the next tab stop */
#define OBJDUMP_RAW_BYTES 7
static void put_bytes(const struct annotate_line *l, unsigned int col, FILE *f)
{
	unsigned int i;

	for (i = 0; i < l->insn->size && i < OBJDUMP_RAW_BYTES; i++)
		fprintf(f, "%02x ", l->insn->bytes[i]);
	for (; i < OBJDUMP_RAW_BYTES; i++)
		fputs("   ", f);
	col += 3 * OBJDUMP_RAW_BYTES;
	fprintf(f, "%*s", (int)(8 - col % 8), "");
}

/* objdump's further lines of an instruction longer than its byte column, as perf prints
 * them: an instruction line of their own with the bytes for text; returns how many */
static unsigned int put_raw_rest(const struct annotate_line *l, unsigned int aw,
				 const struct annotate_opts *o, FILE *f)
{
	unsigned int size = l->insn->size < DISASM_MAX_BYTES ? l->insn->size : DISASM_MAX_BYTES;
	unsigned int i, n = 0;

	for (i = OBJDUMP_RAW_BYTES; i < size; i += OBJDUMP_RAW_BYTES, n++) {
		uint64_t addr = l->insn->addr + i;

		if (o->show_nr_samples)
			fprintf(f, "%8d :   ", 0);
		else
			fprintf(f, "%8.2f :   ", 0.0);
		fprintf(f, "%*" PRIx64 ":%*s", (int)aw, addr, (int)tab_after_addr(addr), "");
		for (unsigned int j = i; j < size && j < i + OBJDUMP_RAW_BYTES; j++)
			fprintf(f, j > i ? " %02x" : "%02x", l->insn->bytes[j]);
		fputc('\n', f);
	}
	return n;
}

static bool same_src(const struct annotate_line *a, const struct annotate_line *b)
{
	if (!a->file || !b->file)
		return a->file == b->file;
	return a->line == b->line && (a->file == b->file || !strcmp(a->file, b->file));
}

static void put_srcline(const struct annotate_line *l, const struct annotate_opts *o, FILE *f)
{
	fputs("         :   ", f);
	if (o->color)
		fputs(C_BLUE, f);
	if (o->full_paths && l->dir && l->file[0] != '/')
		fprintf(f, "%s/", l->dir);
	fprintf(f, "%s:%d", o->full_paths ? l->file : base_name(l->file), l->line);
	if (l->src)
		fprintf(f, "   %.*s", (int)l->src_len, l->src);
	if (o->color)
		fputs(C_RESET, f);
	fputc('\n', f);
}

/* perf's numbered line of objdump's output: the text without its indentation after perf's
 * line number (an empty line: the column alone) */
static void put_numbered(const char *t, size_t n, int nr, unsigned int w,
			 const struct annotate_opts *o, FILE *f)
{
	while (n && (*t == ' ' || *t == '\t'))
		t++, n--;
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r'))
		n--;
	if (!n) {
		fputs("         :\n", f);
		return;
	}
	fputs("         : ", f);
	if (o->color)
		fputs(C_BLUE, f);
	fprintf(f, "%-*d %.*s", (int)w, nr, (int)n, t);
	if (o->color)
		fputs(C_RESET, f);
	fputc('\n', f);
}

/* objdump -l's "name():" line where the function changes (a demangled name with its
 * parameters: "name:") */
static void put_func_line(const char *name, int nr, unsigned int w, const struct annotate_opts *o,
			  FILE *f)
{
	char buf[4096];
	char *dm = o->demangle ? demangle__sym_params(name) : NULL;

	if (dm)
		snprintf(buf, sizeof(buf), "%s:", dm);
	else
		snprintf(buf, sizeof(buf), strchr(name, '(') ? "%s:" : "%s():", name);
	free(dm);
	put_numbered(buf, strlen(buf), nr, w, o, f);
}

/* a source line as perf shows it: objdump's output goes through expand(1) (tabs to the
 * next column multiple of 8) before perf takes its indentation off */
static void put_expanded(const char *t, size_t n, int nr, unsigned int w,
			 const struct annotate_opts *o, FILE *f)
{
	char buf[8192];
	size_t k = 0;

	for (size_t i = 0; i < n && k < sizeof(buf) - 8; i++) {
		if (t[i] != '\t') {
			buf[k++] = t[i];
			continue;
		}
		do
			buf[k++] = ' ';
		while (k % 8);
	}
	put_numbered(buf, k, nr, w, o, f);
}

/* What objdump -S -l prints between instructions, as perf 6.1 shows it. objdump prints
 * "file:line" where the line changes (perf drops it but numbers the lines after it from
 * that line on, counting instructions too), and, where the line differs from the last
 * shown of its file, the source from up to five lines before it, or from after the last
 * line of that file already shown. */
struct objdump_ctx {
	int nr;				/* perf's number of the next line */
	const char *file;		/* the last file:line objdump printed */
	int line;
	unsigned int discr;
	const char *func;		/* the last "name():" line's */
	const char **seen;		/* functions objdump has named or been asked about */
	size_t nr_seen, seen_cap;
	struct ctx_file {
		const char *file, *dir;
		int last, max;		/* last line shown, highest line shown */
	} *files;
	size_t nr_files, cap;
};

#define OBJDUMP_CONTEXT 5

static struct ctx_file *ctx_file(struct objdump_ctx *c, const struct annotate_line *l)
{
	size_t i;

	/* a symbol's lines come from a handful of files */
	for (i = 0; i < c->nr_files; i++)
		if (c->files[i].file == l->file || !strcmp(c->files[i].file, l->file))
			return &c->files[i];
	if (ARRAY_GROW(c->files, c->cap, c->nr_files + 1))
		return NULL;
	c->files[c->nr_files] = (struct ctx_file){ .file = l->file, .dir = l->dir };
	return &c->files[c->nr_files++];
}

/* objdump's first instruction of an inlined function it names late keeps the name before */
static bool late_func(struct objdump_ctx *c, const struct annotate_line *l)
{
	for (size_t i = 0; i < c->nr_seen; i++)
		if (!strcmp(c->seen[i], l->func))
			return false;
	if (!ARRAY_GROW(c->seen, c->seen_cap, c->nr_seen + 1))
		c->seen[c->nr_seen++] = l->func;
	return l->func_late;
}

static void put_context(struct objdump_ctx *c, const struct annotate_doc *d,
			const struct annotate_line *l, unsigned int w,
			const struct annotate_opts *o, FILE *f)
{
	struct ctx_file *cf;
	int k, from;

	if (d->func_lines && l->func && c->func && l->func != c->func && strcmp(l->func, c->func) &&
	    !late_func(c, l)) {
		c->func = l->func;
		put_func_line(l->func, c->nr++, w, o, f);
		c->file = NULL;		/* objdump repeats file:line after a function's name */
	}
	if (!l->file || l->line < 1 || (c->file && c->line == l->line && c->discr == l->discr &&
					 (c->file == l->file || !strcmp(c->file, l->file))))
		return;
	c->file = l->file;
	c->line = l->line;
	c->discr = l->discr;
	if (l->file[0] != '/' && (!l->dir || l->dir[0] != '/')) {
		/* not "/...:N": perf shows objdump's line as it is, numbered */
		char buf[4200];
		int n = snprintf(buf, sizeof(buf), "%s%s%s:%d", l->dir ? l->dir : "", l->dir ? "/" : "",
				 l->file, l->line);

		if (l->discr && n > 0 && (size_t)n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - (size_t)n, " (discriminator %u)", l->discr);
		put_numbered(buf, strlen(buf), c->nr++, w, o, f);
	} else {
		c->nr = l->line;
	}
	if (!o->source || !d->src || !(cf = ctx_file(c, l)) || cf->last == l->line)
		return;
	from = l->line > OBJDUMP_CONTEXT ? l->line - OBJDUMP_CONTEXT : 1;
	if (cf->max >= from)
		from = cf->max < l->line ? cf->max + 1 : l->line;
	for (k = from; k <= l->line; k++) {
		size_t n = 0;
		const char *t = annotate_src__line_raw(d->src, l->dir, l->file, k, &n);

		if (t)
			put_expanded(t, n, c->nr++, w, o, f);
	}
	if (cf->max < l->line)
		cf->max = l->line;
	cf->last = l->line;
}

int annotate_print__stdio(const struct annotate_doc *d, const struct annotate_opts *o, FILE *f)
{
	unsigned int aw = hex_digits(d->end ? d->end - 1 : d->start);
	char head[1024];
	const struct annotate_line *prev = NULL;
	struct objdump_ctx ctx = { .nr = 7 };
	unsigned int nw = aw > 3 ? aw : 3;	/* perf's number column: the address's width, at least 3 (the vdso's b10) */
	int n;
	size_t i;

	n = snprintf(head, sizeof(head), " %s |\tSource code & Disassembly of %s for %s (%" PRIu64
		     " samples, percent: %s)", o->show_nr_samples ? "Samples" : "Percent",
		     base_name(d->dso_name), d->event, d->nr_samples, d->percent_type);
	fprintf(f, "%s\n", head);
	/* as long as the header (its tab counted as one) and five more, as perf draws it */
	for (i = 0; i < (size_t)n + 5 && i < sizeof(head) + 8; i++)
		fputc('-', f);
	fputc('\n', f);
	if (o->extended)
		fprintf(f, "         :   %016" PRIx64 " <%s>:\n", d->start, d->sym_name);
	else	/* the head of objdump's output, numbered as perf numbers its lines */
	{
		char sl[4096];

		fputs("         :\n         :\n         :\n", f);
		snprintf(sl, sizeof(sl), "Disassembly of section %s:", d->section ? d->section : ".text");
		put_numbered(sl, strlen(sl), 3, nw, o, f);
		fputs("         :\n", f);
		snprintf(sl, sizeof(sl), "%016" PRIx64 " <%s>:", d->start, d->sym_name);
		put_numbered(sl, strlen(sl), 5, nw, o, f);
		/* objdump names the first instruction's function (DWARF's or the symbol's) */
		ctx.func = d->nr_lines && d->lines[0].func ? d->lines[0].func : d->sym_name;
		if (d->func_lines)
			put_func_line(ctx.func, 6, nw, o, f);
		else
			ctx.nr = 6;
	}
	for (i = 0; i < d->nr_lines; i++) {
		const struct annotate_line *l = &d->lines[i];
		bool hot = o->color && l->nr_samples && l->percent >= MIN_RED;
		const char *pc = "";
		unsigned int tab;

		if (l->label)
			fprintf(f, "         :   .L%u:\n", l->label);
		if (!o->extended)
			put_context(&ctx, d, l, nw, o, f);
		else if (o->source && l->file && (!prev || !same_src(prev, l) || l->label))
			put_srcline(l, o, f);
		prev = l;
		ctx.nr++;
		if (o->color && l->nr_samples)
			pc = l->percent >= MIN_RED ? C_RED : l->percent >= MIN_GREEN ? C_GREEN : "";
		if (*pc)
			fputs(pc, f);
		if (o->show_nr_samples)
			fprintf(f, "%8" PRIu64, l->nr_samples);
		else
			fprintf(f, "%8.2f", l->percent);
		if (*pc && !hot)
			fputs(C_RESET, f);
		fputs(" :   ", f);
		if (hot && i == d->hottest)
			fputs(C_BOLD, f);
		/* perf: the instruction starts at the tab stop after this line's own address (every
		 * 8, as objdump's line expands with its leading spaces cut), while the address is
		 * right-aligned to the widest: _dl_fixup at fe10-100ab has "fe10:   " but "10014:  " */
		tab = o->extended ? 3 : tab_after_addr(l->insn->addr);
		fprintf(f, "%*" PRIx64 ":%*s", (int)aw, l->insn->addr, (int)tab, "");
		if (o->asm_raw)
			put_bytes(l, hex_digits(l->insn->addr) + 1 + tab, f);
		put_insn_text(l, f);
		if (hot)
			fputs(C_RESET, f);
		fputc('\n', f);
		if (o->asm_raw && !o->extended)
			ctx.nr += put_raw_rest(l, aw, o, f);
	}
	free(ctx.files);
	free(ctx.seen);
	return ferror(f) ? -EIO : 0;
}

static void json_str(FILE *f, const char *s, size_t len)
{
	static const char hx[] = "0123456789abcdef";

	fputc('"', f);
	for (size_t i = 0; i < len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u00%c%c", hx[c >> 4], hx[c & 15]);
		} else {
			fputc(c, f);
		}
	}
	fputc('"', f);
}

static void json_cstr(FILE *f, const char *s)
{
	if (s)
		json_str(f, s, strlen(s));
	else
		fputs("null", f);
}

int annotate_print__json(const struct annotate_doc *d, const struct annotate_opts *o, FILE *f,
			 bool first)
{
	size_t i;

	fputs(first ? "[\n" : ",\n", f);
	fputs("{\"dso\": ", f);
	json_cstr(f, d->dso_name);
	fputs(", \"symbol\": ", f);
	json_cstr(f, d->sym_name);
	fputs(", \"event\": ", f);
	json_cstr(f, d->event);
	fprintf(f, ", \"start\": \"0x%" PRIx64 "\", \"end\": \"0x%" PRIx64 "\", \"samples\": %" PRIu64
		", \"period\": %" PRIu64 ", \"percent_type\": ", d->start, d->end, d->nr_samples, d->period);
	json_cstr(f, d->percent_type);
	fputs(", \"code_file\": ", f);
	json_cstr(f, d->code_path);
	fputs(", \"instructions\": [", f);
	for (i = 0; i < d->nr_lines; i++) {
		const struct annotate_line *l = &d->lines[i];
		const struct disasm_insn *in = l->insn;

		fprintf(f, "%s\n  {\"addr\": \"0x%" PRIx64 "\", \"bytes\": \"", i ? "," : "", in->addr);
		for (unsigned int b = 0; b < in->size && b < DISASM_MAX_BYTES; b++)
			fprintf(f, "%s%02x", b ? " " : "", in->bytes[b]);
		fputs("\", \"mnemonic\": ", f);
		json_cstr(f, in->mnemonic);
		fputs(", \"ops\": ", f);
		json_cstr(f, in->ops);
		fprintf(f, ", \"samples\": %" PRIu64 ", \"period\": %" PRIu64 ", \"percent\": %.6f",
			l->nr_samples, l->period, l->percent);
		if (l->file) {
			char sl[4200];
			int sn;

			/* the full path as the line table gives it (what eu-addr2line prints) */
			if (l->dir && l->file[0] != '/')
				sn = snprintf(sl, sizeof(sl), "%s/%s:%d", l->dir, l->file, l->line);
			else
				sn = snprintf(sl, sizeof(sl), "%s:%d", l->file, l->line);
			fputs(", \"srcline\": ", f);
			json_str(f, sl, sn < 0 ? 0 : (size_t)sn);
			fputs(", \"source\": ", f);
			if (l->src)
				json_str(f, l->src, l->src_len);
			else
				fputs("null", f);
		}
		if (l->label)
			fprintf(f, ", \"label\": \".L%u\"", l->label);
		if (in->has_target)
			fprintf(f, ", \"target\": \"0x%" PRIx64 "\"", in->target);
		if (l->target_label)
			fprintf(f, ", \"target_label\": \".L%u\"", l->target_label);
		if (l->target_sym) {
			fputs(", \"target_sym\": ", f);
			json_cstr(f, l->target_sym);
			fprintf(f, ", \"target_off\": %" PRIu64, l->target_off);
		}
		fputs("}", f);
	}
	fputs("\n]}", f);
	(void)o;
	return ferror(f) ? -EIO : 0;
}

int annotate_print__json_end(FILE *f, bool any)
{
	fputs(any ? "\n]\n" : "[]\n", f);
	return ferror(f) ? -EIO : 0;
}
