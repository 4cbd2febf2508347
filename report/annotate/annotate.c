/* Owns pannotate's flow: replay the file summing samples per symbol and instruction
 * address, choose the symbols (name, DSOs, percent limit), and for each one read its
 * bytes, disassemble them, give every instruction its samples (a sample counts for the
 * instruction whose bytes hold its address), find source lines and jump targets, and hand
 * the result to a printer. Unreadable code is reported once per DSO, with the reason. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "report/annotate/hist.h"
#include "report/annotate/print.h"
#include "report/annotate/source.h"
#include "report/annotate/annotate.h"
#include "report/session/progress.h"
#include "report/session/session.h"
#include "symbols/demangle.h"
#include "symbols/disasm_code.h"
#include "symbols/disasm_plt.h"
#include "symbols/dso.h"
#include "symbols/symfs.h"
#include "symbols/elf_names.h"
#include "symbols/srcline.h"
#include "util/bsearch.h"
#include "util/log.h"
#include "util/strpool.h"

/* A symbol larger than this is cut (kallsyms sizes reach to the next symbol). */
#define ANNOTATE_MAX_BYTES (4u << 20)

/* What is known about a DSO's code: its file, or why there is none. */
struct code_cache {
	struct code_cache *next;
	struct dso *dso;
	struct code_file *cf;
	struct elf_names *names;	/* perf layout: the symbols objdump names addresses by */
	struct plt_names *plts;		/* and its names of the PLT slots */
	bool names_tried;
	signed char symtab;		/* its file has a .symtab: 1, none: -1, unknown: 0 */
	char why[400];
	unsigned int nr_failed;
};

struct annotate {
	const struct annotate_opts *o;
	struct annotate_result *res;
	struct annotate_hist *hist;
	struct annotate_src *src;
	struct code_cache *codes;
	struct code_opts copts;
	struct disasm *dis;
	unsigned int dis_machine, dis_class;
	bool json_started;
	struct strpool *names;		/* objdump-style symbol names (perf layout) */
};

static const char *const percent_names[] = {
	[ANNOTATE_LOCAL_PERIOD] = "local period",
	[ANNOTATE_LOCAL_HITS] = "local hits",
	[ANNOTATE_GLOBAL_PERIOD] = "global period",
	[ANNOTATE_GLOBAL_HITS] = "global hits",
};

int annotate__parse_percent_type(const char *s, enum annotate_percent *type)
{
	static const char *const opt[] = {
		[ANNOTATE_LOCAL_PERIOD] = "local-period",
		[ANNOTATE_LOCAL_HITS] = "local-hits",
		[ANNOTATE_GLOBAL_PERIOD] = "global-period",
		[ANNOTATE_GLOBAL_HITS] = "global-hits",
	};

	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		if (s && !strcmp(s, opt[i])) {
			*type = (enum annotate_percent)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct annotate *a = ctx;
	uint64_t period = (smp->type & PERF_SAMPLE_PERIOD) ? smp->period : evsel->attr.sample_period;
	struct addr_loc al;
	int ret;

	ret = annotate_hist__add_total(a->hist, evsel, period);
	if (ret)
		return ret;
	if (session__resolve(s, th, smp->cpumode, smp->ip, &al) || !al.sym || !al.dso)
		return 0;
	return annotate_hist__add(a->hist, evsel, al.dso, al.sym, al.symoff, period);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s && s[1] ? s + 1 : p;
}

static bool dso_chosen(const char *list, const struct dso *dso)
{
	const char *p = list;

	if (!list)
		return true;
	while (*p) {
		size_t l = strcspn(p, ",");

		if ((strlen(dso->name) == l && !strncmp(dso->name, p, l)) ||
		    (strlen(base_name(dso->name)) == l && !strncmp(base_name(dso->name), p, l)))
			return true;
		p += l;
		if (*p == ',')
			p++;
	}
	return false;
}

static bool name_chosen(const struct annotate_opts *o, const struct annotate_entry *e)
{
	if (o->symbol && strcmp(o->symbol, e->sym->name) &&
	    strcmp(o->symbol, symbol__name(e->sym, o->demangle)))
		return false;
	return dso_chosen(o->dsos, e->dso);
}

static bool chosen(struct annotate *a, const struct annotate_entry *e)
{
	const struct annotate_opts *o = a->o;

	if (!name_chosen(o, e))
		return false;
	if (o->percent_limit > 0) {
		uint64_t n, p;

		annotate_hist__event_total(a->hist, e->evsel, &n, &p);
		if (!p || 100.0 * (double)e->period / (double)p < o->percent_limit)
			return false;
	}
	return true;
}

/* The global percent types' base: every sample of the event, or, when a symbol or DSOs
 * are named, only the samples of the symbols named (perf counts only those). */
static void event_base(struct annotate *a, const struct pd_evsel *evsel, uint64_t *n, uint64_t *p)
{
	if (!a->o->symbol && !a->o->dsos) {
		annotate_hist__event_total(a->hist, evsel, n, p);
		return;
	}
	*n = *p = 0;
	for (size_t i = 0; i < annotate_hist__nr(a->hist); i++) {
		const struct annotate_entry *e = annotate_hist__entry(a->hist, i);

		if (e->evsel == evsel && name_chosen(a->o, e)) {
			*n += e->nr_samples;
			*p += e->period;
		}
	}
}

static struct code_cache *code_of(struct annotate *a, struct dso *dso)
{
	struct code_cache *c;

	for (c = a->codes; c; c = c->next)
		if (c->dso == dso)
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->dso = dso;
	c->cf = code_file__open(dso, &a->copts, c->why, sizeof(c->why));
	c->next = a->codes;
	a->codes = c;
	return c;
}

static struct disasm *disasm_for(struct annotate *a, const struct code_file *cf, int *err)
{
	unsigned int m = code_file__machine(cf), k = code_file__class(cf);

	if (a->dis && a->dis_machine == m && a->dis_class == k)
		return a->dis;
	disasm__free(a->dis);
	a->dis = disasm__new(m, k, a->o->syntax == DISASM_ATT && !a->o->extended ? DISASM_ATT_OBJDUMP :
			     a->o->syntax, err);
	a->dis_machine = m;
	a->dis_class = k;
	return a->dis;
}

/* The symbol of @dso holding DSO address @va (syms are sorted by start). */
static struct symbol *sym_at(struct dso *dso, uint64_t va)
{
	struct symbol *s;

	dso__syms_all(dso);	/* a lazily loaded table (the kernel's) walked directly */
	s = BSEARCH_LAST_LE(dso->syms, dso->nr_syms, start, va);

	if (s && (va < s->end || va == s->start))
		return s;
	return NULL;
}

/* Index of the instruction whose bytes hold @va, or -1. */
static ssize_t insn_at(const struct disasm_insn *in, size_t n, uint64_t va)
{
	const struct disasm_insn *i = BSEARCH_LAST_LE(in, n, addr, va);

	if (!i || va - i->addr >= i->size)
		return -1;
	return i - in;
}

/* A raw symbol name as objdump -C prints it (perf annotate's text): with the parameters;
 * interned. NULL on ENOMEM. */
static const char *objdump_name(struct annotate *a, const char *raw)
{
	const char *at = strchr(raw, '@');
	char *base = at && at > raw ? strndup(raw, (size_t)(at - raw)) : NULL;
	char *d = a->o->demangle ? demangle__sym_params(base ? base : raw) : NULL;
	char buf[4096];
	const char *r;

	/* a versioned name: the name demangled, its "@@VERSION" kept */
	if (d && base)
		snprintf(buf, sizeof(buf), "%s%s", d, at);
	r = strpool__add(a->names, d && base ? buf : d ? d : raw);
	free(d);
	free(base);
	return r;
}

static bool is_plt_sym(const struct symbol *s)
{
	size_t l = s ? strlen(s->name) : 0;

	return l >= 4 && !strcmp(s->name + l - 4, "@plt");
}

/* What objdump names an address with: the nearest symbol at or before it among the file's
 * symbols (those of the file our symbols came from: functions and data) and objdump's
 * synthetic name@plt ones (ours); else the DSO's symbol there (JIT maps, kallsyms). */
static const char *objdump_name_at(struct annotate *a, struct code_cache *c, uint64_t va,
				   uint64_t *off)
{
	const struct symbol *ts = sym_at(c->dso, va);
	const struct symbol *near = BSEARCH_LAST_LE(c->dso->syms, c->dso->nr_syms, start, va);
	const char *raw;
	uint64_t eoff = 0;

	if (!c->names_tried) {
		const char *path = c->dso->symsrc ? c->dso->symsrc : code_file__path(c->cf);

		c->names_tried = true;
		c->names = path && path[0] == '/' ? elf_names__open(path) : NULL;
		/* the slots' bytes and relocations: in the code's file, not a debug file */
		path = code_file__path(c->cf);
		c->plts = path && path[0] == '/' ? plt_names__open(path) : NULL;
	}
	raw = elf_names__at(c->names, va, &eoff);
	if (is_plt_sym(near) && (!raw || near->start > va - eoff)) {
		const char *pn = near->name[0] == '@' ? plt_names__exact(c->plts, near->start) : NULL;

		*off = va - near->start;
		/* ours and perf's "@plt" of an IRELATIVE slot is objdump's "*ABS*+0x9d670@plt" */
		return pn ? strpool__add(a->names, pn) : objdump_name(a, near->name);
	}
	if (raw) {
		*off = eoff;
		return objdump_name(a, raw);
	}
	if (!ts)
		return NULL;
	*off = va - ts->start;
	return objdump_name(a, ts->name);
}

/* The symbol's name in its head line: ours, or (perf's layout) objdump's for its address
 * (objdump's choice among aliases, versioned names). NULL on ENOMEM. */
static const char *head_name(struct annotate *a, struct code_cache *c, const struct annotate_entry *e)
{
	const char *n;
	uint64_t off = 0;

	if (a->o->extended)
		return symbol__name(e->sym, a->o->demangle);
	n = objdump_name_at(a, c, e->sym->start, &off);
	return n && !off ? n : objdump_name(a, e->sym->name);
}

/* perf's layout: every target and rip-relative reference named as objdump names it */
static void find_targets_perf(struct annotate *a, struct code_cache *c, struct annotate_doc *d)
{
	for (size_t i = 0; i < d->nr_lines; i++) {
		struct annotate_line *l = &d->lines[i];

		if (l->insn->has_target)
			l->target_sym = objdump_name_at(a, c, l->insn->target, &l->target_off);
		if (l->insn->has_ref)
			l->ref_sym = objdump_name_at(a, c, l->insn->ref, &l->ref_off);
	}
}

static void find_targets(struct annotate *a, const struct annotate_entry *e, struct annotate_doc *d)
{
	struct annotate_line *l = d->lines;
	const struct disasm_insn *in0 = d->lines[0].insn;
	size_t i, n = d->nr_lines;
	unsigned int next = 0;

	/* mark jump targets inside the symbol (instruction starts only), number them in
	 * address order, then point the jumps at their labels */
	for (i = 0; i < n; i++) {
		const struct disasm_insn *in = l[i].insn;
		ssize_t t;

		if (!in->has_target || in->kind != DISASM_JUMP)
			continue;
		t = insn_at(in0, n, in->target);
		if (t >= 0 && in0[t].addr == in->target)
			l[t].label = 1;
	}
	for (i = 0; i < n; i++)
		if (l[i].label)
			l[i].label = ++next;
	for (i = 0; i < n; i++) {
		const struct disasm_insn *in = l[i].insn;
		const struct symbol *ts;
		ssize_t t;

		if (!in->has_target)
			continue;
		t = in->kind == DISASM_JUMP ? insn_at(in0, n, in->target) : -1;
		if (t >= 0 && in0[t].addr == in->target) {
			l[i].target_label = l[t].label;
			continue;
		}
		ts = sym_at(e->dso, in->target);
		if (ts) {
			l[i].target_sym = symbol__name((struct symbol *)ts, a->o->demangle);
			l[i].target_off = in->target - ts->start;
		}
	}
}

/* objdump -l names functions by DWARF or by the file's own .symtab */
static bool has_symtab(struct code_cache *c)
{
	struct elf_names *n;
	char path[ELF_FILE_PATH];

	if (!c->symtab) {
		/* the recorded file, found by build-id */
		n = c->dso->kind == DSO_USER && !dso__find_binary(c->dso, path, sizeof(path)) ?
			elf_names__open_funcs(path) : NULL;
		c->symtab = elf_names__count(n) ? 1 : -1;	/* a stripped file: none */
		elf_names__close(n);
	}
	return c->symtab > 0;
}

static void find_sources(struct annotate *a, const struct annotate_entry *e, struct code_cache *c,
			 struct annotate_doc *d)
{
	const struct code_file *cf = c->cf;
	uint64_t delta = 0;

	/* perf's layout shows objdump -l's function and file:line lines even with --no-source */
	if (!d->nr_lines || (!a->o->source && (a->o->extended || a->o->format == ANNOTATE_JSON)))
		return;
	/* kernel code has no DWARF of its own (kallsyms); a vmlinux with debug info does,
	 * at its link addresses */
	if (e->dso->kind == DSO_KERNEL || e->dso->kind == DSO_KMODULE) {
		if (!code_file__has_dwarf(cf))
			return;
		if (!e->dso->debugsrc)
			e->dso->debugsrc = strdup(code_file__path(cf));
		delta = (uint64_t)code_file__delta(cf);
	}
	annotate_src__set_build_id(a->src, e->dso->build_id,
				   e->dso->has_build_id ? e->dso->build_id_size : 0);
	for (size_t i = 0; i < d->nr_lines; i++) {
		struct annotate_line *l = &d->lines[i];
		struct srcline_frame fr[2];

		if (srcline__find(e->dso, l->insn->addr + delta, &l->file, &l->dir, &l->line)) {
			l->file = NULL;
			continue;
		}
		if (!a->o->extended) {	/* objdump -l's lines, in perf's layout */
			l->discr = srcline__discriminator(e->dso, l->insn->addr + delta);
			int nf = srcline__inlines(e->dso, l->insn->addr + delta, fr, 2);

			if (nf > 0)
				l->func = fr[0].func;
			/* binutils answers its first question about an inlined function that DWARF
			 * names without a linkage name with the file's .symtab symbol (the
			 * addr2line-first class of compat_cmp.py): objdump -l too */
			l->func_late = nf > 1 && l->func && strncmp(l->func, "_Z", 2) &&
				       srcline__own_symtab_covers(e->dso, l->insn->addr + delta);
		}
		l->src = annotate_src__line(a->src, l->dir, l->file, l->line, &l->src_len);
	}
	/* objdump -l names a function from DWARF, else from the .symtab of the file or of the
	 * separate debug file its lines came from: a stripped file without debug info gets none */
	d->func_lines = d->nr_lines && (d->lines[0].func || srcline__has_dwarf(e->dso) || has_symtab(c));
}

/* Annotate one entry: 0 printed, -ENOENT its code is not to be had (c->why says why),
 * another -errno on failure. */
/* Each line's percent of the base --percent-type names, and the hottest line. */
static void line_percents(struct annotate *a, const struct annotate_entry *e, struct annotate_doc *d)
{
	uint64_t base_n, base_p, ev_n, ev_p;

	event_base(a, e->evsel, &ev_n, &ev_p);
	switch (a->o->percent_type) {
	case ANNOTATE_LOCAL_HITS: base_n = e->nr_samples; base_p = 0; break;
	case ANNOTATE_GLOBAL_PERIOD: base_n = 0; base_p = ev_p; break;
	case ANNOTATE_GLOBAL_HITS: base_n = ev_n; base_p = 0; break;
	default: base_n = 0; base_p = e->period; break;
	}
	for (size_t i = 0; i < d->nr_lines; i++) {
		struct annotate_line *l = &d->lines[i];

		if (base_p)
			l->percent = 100.0 * (double)l->period / (double)base_p;
		else if (base_n)
			l->percent = 100.0 * (double)l->nr_samples / (double)base_n;
		if (l->period > d->lines[d->hottest].period ||
		    (base_n && l->nr_samples > d->lines[d->hottest].nr_samples))
			d->hottest = i;
	}
}

static int annotate_entry(struct annotate *a, const struct annotate_entry *e, struct code_cache **cp)
{
	const struct annotate_opts *o = a->o;
	struct code_cache *c = code_of(a, e->dso);
	struct annotate_doc d = { 0 };
	struct disasm_insn *insns = NULL;
	struct disasm *dis;
	uint8_t *code = NULL;
	uint64_t len, avail;
	ssize_t n;
	size_t i, k;
	int ret;

	*cp = c;
	if (!c)
		return -ENOMEM;
	if (!c->cf)
		return -ENOENT;
	len = e->sym->end > e->sym->start ? e->sym->end - e->sym->start : 1;
	avail = code_file__avail(c->cf, e->sym->start);
	if (!avail) {
		snprintf(c->why, sizeof(c->why), "%s: address %#llx of %s is not in %s", e->dso->name,
			 (unsigned long long)e->sym->start, e->sym->name, code_file__path(c->cf));
		return -ENOENT;
	}
	if (len > avail)
		len = avail;
	if (len > ANNOTATE_MAX_BYTES)
		len = ANNOTATE_MAX_BYTES;
	code = malloc(len);
	if (!code)
		return -ENOMEM;
	ret = code_file__read(c->cf, e->sym->start, code, len);
	if (ret) {
		snprintf(c->why, sizeof(c->why), "%s: cannot read %s's bytes: %s", code_file__path(c->cf),
			 e->sym->name, strerror(-ret));
		free(code);
		return -ENOENT;
	}
	dis = disasm_for(a, c->cf, &ret);
	if (!dis) {
		snprintf(c->why, sizeof(c->why), "%s: %s", code_file__path(c->cf),
			 ret == -EPROTONOSUPPORT ? "no disassembler for this machine type" : strerror(-ret));
		free(code);
		return -ENOENT;
	}
	n = disasm__decode(dis, code, len, e->sym->start, &insns);
	free(code);
	if (n < 0)
		return (int)n;
	d.lines = calloc(n ? (size_t)n : 1, sizeof(*d.lines));
	if (!d.lines) {
		free(insns);
		return -ENOMEM;
	}
	d.nr_lines = (size_t)n;
	for (i = 0; i < d.nr_lines; i++)
		d.lines[i].insn = &insns[i];
	/* samples to instructions: both are sorted by address */
	for (i = 0, k = 0; i < e->nr_addrs && d.nr_lines; i++) {
		uint64_t va = e->sym->start + e->addrs[i].off;

		while (k + 1 < d.nr_lines && insns[k + 1].addr <= va)
			k++;
		if (va < insns[k].addr || va - insns[k].addr >= insns[k].size)
			continue;	/* past the code that was read */
		d.lines[k].nr_samples += e->addrs[i].nr_samples;
		d.lines[k].period += e->addrs[i].period;
	}
	line_percents(a, e, &d);
	if (d.nr_lines && o->extended)
		find_targets(a, e, &d);
	else if (d.nr_lines)
		find_targets_perf(a, c, &d);
	find_sources(a, e, c, &d);
	d.dso_name = e->dso->name;
	d.sym_name = head_name(a, c, e);
	if (!d.sym_name) {
		ret = -ENOMEM;
		goto out;
	}
	d.event = e->evsel->name;
	d.start = e->sym->start;
	d.end = e->sym->start + len;
	d.nr_samples = e->nr_samples;
	d.period = e->period;
	d.percent_type = percent_names[o->percent_type];
	d.code_path = code_file__path(c->cf);
	d.section = code_file__section(c->cf, e->sym->start);
	d.src = a->src;
	if (o->format == ANNOTATE_JSON) {
		ret = annotate_print__json(&d, o, o->out, !a->json_started);
		a->json_started = true;
	} else {
		ret = annotate_print__stdio(&d, o, o->out);
	}
out:
	free(d.lines);
	free(insns);
	return ret;
}

static void free_codes(struct annotate *a)
{
	while (a->codes) {
		struct code_cache *n = a->codes->next;

		code_file__close(a->codes->cf);
		elf_names__close(a->codes->names);
		plt_names__close(a->codes->plts);
		free(a->codes);
		a->codes = n;
	}
}

int annotate__entry(const struct annotate_opts *opts, const struct annotate_entry *e, char *why,
		    size_t whysz)
{
	struct annotate a = { .o = opts };
	struct code_cache *c = NULL;
	int ret;

	a.hist = annotate_hist__new();		/* empty: the local percent types need none */
	a.src = annotate_src__new();
	a.names = strpool__new();
	if (!a.hist || !a.src || !a.names) {
		ret = -ENOMEM;
		goto out;
	}
	a.copts.vmlinux = opts->vmlinux;
	ret = annotate_entry(&a, e, &c);
	if (ret == -ENOENT && c && why)
		snprintf(why, whysz, "%s", c->why);
out:
	free_codes(&a);
	disasm__free(a.dis);
	strpool__free(a.names);
	annotate_src__free(a.src);
	annotate_hist__free(a.hist);
	return ret;
}

int annotate__run(const struct annotate_opts *opts, struct annotate_result *res, struct error *err)
{
	struct session_opts so = { .demangle = opts->demangle, .threads = opts->threads,
				   .progress = opts->progress, .reclaim_threads = true,
				   .reclaim_round_ns = SESSION_RECLAIM_ROUND_NS };
	struct annotate a = { .o = opts, .res = res };
	struct progress prog = { .width = 0 };
	bool show = opts->progress && opts->progress_symbols;
	struct session *s;
	struct code_cache *c;
	size_t i;
	int ret;

	memset(res, 0, sizeof(*res));
	s = session__open(opts->input, &so, err);
	if (!s)
		return err && err->code ? err->code : -EINVAL;
	a.hist = annotate_hist__new();
	a.src = annotate_src__new();
	a.names = strpool__new();
	if (!a.hist || !a.src || !a.names) {
		ret = error__nomem(err);
		goto out;
	}
	a.copts.vmlinux = opts->vmlinux;
	a.copts.osrelease = pd_reader__osrelease(session__reader(s));
	ret = session__process(s, &(struct session_tool){ .sample = on_sample, .ctx = &a }, err);
	if (ret) {
		if (ret == -ENOMEM)
			error__nomem(err);
		goto out;
	}
	ret = annotate_hist__finish(a.hist, opts->demangle);
	if (ret) {
		error__nomem(err);
		goto out;
	}
	res->nr_entries = (unsigned int)annotate_hist__nr(a.hist);
	if (show)
		progress__init(&prog, opts->progress, 0, progress__now());
	for (i = 0; i < annotate_hist__nr(a.hist); i++) {
		const struct annotate_entry *e = annotate_hist__entry(a.hist, i);

		if (show)
			progress__items(&prog, i, annotate_hist__nr(a.hist), "symbols");
		if (!chosen(&a, e))
			continue;
		res->nr_matched++;
		ret = annotate_entry(&a, e, &c);
		if (ret == -ENOENT) {
			if (!res->nr_failed)
				snprintf(res->reason, sizeof(res->reason), "%s", c->why);
			res->nr_failed++;
			c->nr_failed++;
			ret = 0;
			continue;
		}
		if (ret) {
			error__set(err, ret, ret == -EIO ? "write error: %s" : "%s", strerror(-ret));
			goto out;
		}
		res->nr_printed++;
	}
	progress__end(&prog);
	if (opts->format == ANNOTATE_JSON) {
		ret = annotate_print__json_end(opts->out, a.json_started);
		if (ret)
			error__set(err, ret, "write error: %s", strerror(-ret));
	}
	/* one line per DSO whose code could not be had (when nothing else was printed for a
	 * named symbol, the caller reports the reason as its error) */
	if (!opts->symbol || res->nr_printed)
		for (c = a.codes; c; c = c->next)
			if (c->nr_failed)
				pr_warn("%u symbol%s with samples not annotated: %s", c->nr_failed,
					c->nr_failed == 1 ? "" : "s", c->why);
out:
	progress__end(&prog);
	free_codes(&a);
	disasm__free(a.dis);
	annotate_src__free(a.src);
	annotate_hist__free(a.hist);
	strpool__free(a.names);
	session__close(s);
	return ret;
}
