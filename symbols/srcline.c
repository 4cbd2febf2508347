/* Owns the libdwfl session of each DSO used for source lines: opened on first use from
 * dso->debugsrc (the file symbols/elf.c chose and checked; libdwfl set up by
 * symbols/elf_file.c), addresses translated by the module bias, line table and scope
 * lookups, and a unit index by address for files without .debug_aranges (clang). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/elf_names.h"
#include "symbols/srcline.h"
#include "symbols/embed.h"
#include "util/array.h"
#include "util/bsearch.h"

/* A compilation unit's address range, for files without .debug_aranges (clang's), where
 * libdw (0.188) finds no unit for an address. */
struct cu_range {
	Dwarf_Addr lo, hi;	/* DWARF addresses, [lo, hi) */
	Dwarf_Die die;
};

/* srcline__inlines' last answer from the scopes: the same for every address of [lo, hi)
 * (the innermost scope's range less its children's), all but the first frame's line. */
#define INL_MEMO_MAX 17
struct inl_memo {
	uint64_t lo, hi;	/* DSO addresses; lo == hi: none */
	int max, n;
	struct srcline_frame fr[INL_MEMO_MAX];
};

struct srcline_state {
	struct inl_memo memo;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	bool failed;
	struct cu_range *cus;	/* sorted by lo; built on the first miss */
	size_t nr_cus, cap_cus;
	bool cus_done;
	struct elf_names *funcs;	/* the DSO file's own .symtab functions */
	bool funcs_tried;
};

static struct srcline_state *state_of(struct dso *dso)
{
	struct srcline_state *st = dso->srcline;

	if (st)
		return st->failed ? NULL : st;
	st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	dso->srcline = st;
	if (!dso->loaded)
		dso__load(dso);
	st->failed = true;
	if (!dso->debugsrc)
		return NULL;
	st->dwfl = elf_file__dwfl_begin();
	if (!st->dwfl)
		return NULL;
	st->mod = dwfl_report_elf(st->dwfl, "", dso->debugsrc, -1, 0, false);
	dwfl_report_end(st->dwfl, NULL, NULL);
	if (!st->mod || !dwfl_module_getelf(st->mod, &st->bias))
		return NULL;
	st->failed = false;
	return st;
}

void srcline__dso_free(struct dso *dso)
{
	struct srcline_state *st = dso->srcline;

	if (!st)
		return;
	if (st->dwfl)
		dwfl_end(st->dwfl);
	free(st->cus);
	elf_names__close(st->funcs);
	free(st);
	dso->srcline = NULL;
}

static int cmp_cu(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

static void build_cus(struct srcline_state *st)
{
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;

	st->cus_done = true;
	while ((cu = dwfl_module_nextcu(st->mod, cu, &bias))) {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;

		while ((off = dwarf_ranges(cu, off, &base, &lo, &hi)) > 0) {
			if (hi <= lo)
				continue;
			if (ARRAY_GROW(st->cus, st->cap_cus, st->nr_cus + 1))
				return;
			st->cus[st->nr_cus++] = (struct cu_range){ .lo = lo, .hi = hi, .die = *cu };
		}
	}
	if (st->nr_cus)	/* (qsort of NULL, 0: undefined) */
		array__sort(st->cus, st->nr_cus, sizeof(*st->cus), cmp_cu);
}

/* The unit holding DWARF address @a when libdw's own lookup found none. */
static Dwarf_Die *cu_of(struct srcline_state *st, Dwarf_Addr a)
{
	struct cu_range *r;

	if (!st->cus_done)
		build_cus(st);
	r = BSEARCH_LAST_LE(st->cus, st->nr_cus, lo, a);
	/* ranges of units may nest or overlap: look back a little for one that holds a */
	for (int k = 0; r && k < 8 && r >= st->cus; k++, r--)
		if (a >= r->lo && a < r->hi)
			return &r->die;
	return NULL;
}

/* The line table row of @vaddr through the unit index (no .debug_aranges). */
static int find_by_cu(struct srcline_state *st, uint64_t vaddr, const char **file, const char **dir,
		      int *line)
{
	Dwarf_Die *cu = cu_of(st, vaddr);
	Dwarf_Line *l = cu ? dwarf_getsrc_die(cu, vaddr) : NULL;
	Dwarf_Attribute attr;
	const char *f;

	if (!l || !(f = dwarf_linesrc(l, NULL, NULL)) || dwarf_lineno(l, line))
		return -ENOENT;
	*file = f;
	*dir = f[0] != '/' ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr)) : NULL;
	return 0;
}

int srcline__find(struct dso *dso, uint64_t vaddr, const char **file, const char **dir, int *line)
{
	struct srcline_state *st = state_of(dso);
	Dwfl_Line *l;
	Dwarf_Addr a;
	int ln = 0;
	const char *f;

	if (!st)	/* no DWARF here: the lines the recording embedded, if any */
		return symembed__srcline(dso, vaddr, file, dir, line);
	l = dwfl_module_getsrc(st->mod, vaddr + st->bias);
	if (!l)
		return find_by_cu(st, vaddr, file, dir, line);
	f = dwfl_lineinfo(l, &a, &ln, NULL, NULL, NULL);
	if (!f)
		return -ENOENT;
	*file = f;
	*dir = f[0] != '/' ? dwfl_line_comp_dir(l) : NULL;
	*line = ln;
	return 0;
}

unsigned int srcline__discriminator(struct dso *dso, uint64_t vaddr)
{
	struct srcline_state *st = state_of(dso);
	Dwfl_Line *l = st ? dwfl_module_getsrc(st->mod, vaddr + st->bias) : NULL;
	Dwarf_Addr bias;
	Dwarf_Line *dl = l ? dwfl_dwarf_line(l, &bias) : NULL;
	unsigned int d = 0;

	if (!dl || dwarf_linediscriminator(dl, &d))
		return 0;
	return d;
}

/* binutils' addr2line, which perf runs, names the innermost function of an address after
 * the file's own symbol table (.symtab: not a separate debug file's, none for a stripped
 * file) when DWARF gives no linkage name (C, extern "C") and a function symbol starts
 * where the function's first range does: the first such symbol in the table, so an alias
 * ("operator new[]") rather than DWARF's "xalloc". */
static const struct elf_names *own_funcs(struct dso *dso, struct srcline_state *st)
{
	if (!st->funcs_tried) {
		st->funcs_tried = true;
		if (dso->kind == DSO_USER && dso->name[0] == '/')
			st->funcs = elf_names__open_funcs(dso->name);
	}
	return st->funcs;
}

static const char *symtab_name(struct dso *dso, struct srcline_state *st, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Addr base, lo, hi;

	if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
	    dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr))
		return NULL;
	if (dwarf_ranges(die, 0, &base, &lo, &hi) <= 0)
		return NULL;
	return elf_names__exact(own_funcs(dso, st), lo);
}

bool srcline__has_dwarf(struct dso *dso)
{
	struct srcline_state *st = state_of(dso);
	Dwarf_Addr bias;

	return st && dwfl_module_getdwarf(st->mod, &bias) != NULL;
}

bool srcline__own_symtab_covers(struct dso *dso, uint64_t vaddr)
{
	struct srcline_state *st = state_of(dso);
	uint64_t off;

	return st && elf_names__at(own_funcs(dso, st), vaddr, &off) != NULL;
}

static const char *die_func_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name;

	name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
	if (!name)
		name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
	if (!name)
		name = dwarf_diename(die);
	if (!name)
		name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
	return name;
}

/* Scope DIEs among a DIE's children: those libdw descends into for an address (with or
 * without a range of their own). Types, variables and the like are not. */
static bool scope_tag(int tag)
{
	switch (tag) {
	case DW_TAG_lexical_block: case DW_TAG_inlined_subroutine: case DW_TAG_subprogram:
	case DW_TAG_entry_point: case DW_TAG_try_block: case DW_TAG_catch_block:
	case DW_TAG_with_stmt: case DW_TAG_module: case DW_TAG_namespace:
	case DW_TAG_call_site: case DW_TAG_GNU_call_site:
		return true;
	default:
		return false;
	}
}

/* Narrow [*lo, *hi) (around @pc, DWARF addresses) to stay clear of every range under @die:
 * its scope children's, or their children's where they have none. False when one holds
 * @pc (the answer is not @die's alone) or the walk fails. */
static bool clear_of_children(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Addr *lo, Dwarf_Addr *hi,
			      int depth)
{
	Dwarf_Die c;
	int r;

	if (depth > 64)
		return false;
	for (r = dwarf_child(die, &c); r == 0; r = dwarf_siblingof(&c, &c)) {
		Dwarf_Addr base, clo, chi;
		ptrdiff_t off = 0;
		bool any = false;

		if (!scope_tag(dwarf_tag(&c)))
			continue;
		while ((off = dwarf_ranges(&c, off, &base, &clo, &chi)) > 0) {
			any = true;
			if (chi <= pc) {
				if (chi > *lo)
					*lo = chi;
			} else if (clo > pc) {
				if (clo < *hi)
					*hi = clo;
			} else {
				return false;
			}
		}
		if (off < 0)
			return false;
		if (!any && dwarf_haschildren(&c) && !clear_of_children(&c, pc, lo, hi, depth + 1))
			return false;
	}
	return r >= 0;
}

/* Remember frames[1..n) and every name for the addresses that share @inner (the innermost
 * scope of @dpc) with @vaddr. */
static void memo_keep(struct srcline_state *st, Dwarf_Die *inner, Dwarf_Addr dpc,
		      uint64_t vaddr, const struct srcline_frame *frames, int n, int max)
{
	Dwarf_Addr base, lo = 0, hi = 0, plo, phi;
	ptrdiff_t off = 0;

	st->memo.lo = st->memo.hi = 0;
	if (n > INL_MEMO_MAX)
		return;
	while ((off = dwarf_ranges(inner, off, &base, &plo, &phi)) > 0)
		if (plo <= dpc && dpc < phi) {
			lo = plo;
			hi = phi;
			break;
		}
	if (lo == hi || !clear_of_children(inner, dpc, &lo, &hi, 0))
		return;
	st->memo.lo = vaddr - (dpc - lo);
	st->memo.hi = vaddr + (hi - dpc);
	st->memo.max = max;
	st->memo.n = n;
	memcpy(st->memo.fr, frames, (size_t)n * sizeof(*frames));
}

int srcline__inlines(struct dso *dso, uint64_t vaddr, struct srcline_frame *frames, int max)
{
	struct srcline_state *st = state_of(dso);
	Dwarf_Die *cudie, *scopes = NULL, first;
	Dwarf_Addr bias, dpc;
	Dwarf_Files *files = NULL;
	Dwarf_Attribute cattr;
	const char *comp_dir;
	int n = 0, nscopes, i;

	if (!st || max < 1)
		return -ENOENT;
	if (srcline__find(dso, vaddr, &frames[0].file, &frames[0].dir, &frames[0].line))
		return -ENOENT;
	/* an address of the last answer's scope (annotate asks for each instruction) */
	if (st->memo.lo <= vaddr && vaddr < st->memo.hi && st->memo.max == max) {
		frames[0].func = st->memo.fr[0].func;
		memcpy(frames + 1, st->memo.fr + 1, (size_t)(st->memo.n - 1) * sizeof(*frames));
		return st->memo.n;
	}
	frames[0].func = NULL;
	n = 1;
	cudie = dwfl_module_addrdie(st->mod, vaddr + st->bias, &bias);
	if (!cudie) {
		cudie = cu_of(st, vaddr);
		bias = st->bias;
	}
	if (!cudie)
		return n;
	dpc = vaddr + st->bias - bias;
	nscopes = dwarf_getscopes(cudie, dpc, &scopes);
	if (nscopes <= 0) {
		free(scopes);
		return n;
	}
	first = scopes[0];
	/* the innermost scope's nesting by DIE (concrete inlined instances, outward) */
	{
		Dwarf_Die inner = scopes[0], sib = scopes[0];
		Dwarf_Addr lo, hi, slo, shi;

		/* Aliases of one function (glibc's assembly: __mprotect, __GI_mprotect, ...) are
		 * sibling DIEs of one range: binutils' addr2line, which perf runs, names the last. */
		if (dwarf_tag(&inner) == DW_TAG_subprogram && !dwarf_lowpc(&inner, &lo) &&
		    !dwarf_highpc(&inner, &hi))
			while (dwarf_siblingof(&sib, &sib) == 0 && dwarf_tag(&sib) == DW_TAG_subprogram &&
			       !dwarf_lowpc(&sib, &slo) && !dwarf_highpc(&sib, &shi) && slo == lo && shi == hi)
				inner = sib;
		free(scopes);
		scopes = NULL;
		nscopes = dwarf_getscopes_die(&inner, &scopes);
		if (nscopes <= 0) {
			free(scopes);
			return n;
		}
	}
	comp_dir = dwarf_formstring(dwarf_attr(cudie, DW_AT_comp_dir, &cattr));
	dwarf_getsrcfiles(cudie, &files, NULL);
	for (i = 0; i < nscopes; i++) {
		Dwarf_Die *s = &scopes[i];
		int tag = dwarf_tag(s);
		Dwarf_Attribute attr;
		Dwarf_Word cf = 0, cl = 0;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		frames[n - 1].func = n == 1 ? symtab_name(dso, st, s) : NULL;
		if (!frames[n - 1].func)
			frames[n - 1].func = die_func_name(s);
		if (tag == DW_TAG_subprogram || n >= max)
			break;
		/* the caller: code at the call site */
		if (dwarf_formudata(dwarf_attr(s, DW_AT_call_file, &attr), &cf) ||
		    dwarf_formudata(dwarf_attr(s, DW_AT_call_line, &attr), &cl))
			break;
		frames[n].file = files ? dwarf_filesrc(files, cf, NULL, NULL) : NULL;
		frames[n].dir = frames[n].file && frames[n].file[0] != '/' ? comp_dir : NULL;
		frames[n].line = (int)cl;
		frames[n].func = NULL;
		n++;
	}
	free(scopes);
	memo_keep(st, &first, dpc, vaddr, frames, n, max);
	return n;
}
