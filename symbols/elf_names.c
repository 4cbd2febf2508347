/* Owns the address -> name table of one ELF file's symbols as objdump names addresses in
 * its disassembly: every named defined symbol but sections, files and TLS; at one address a
 * function before an object before anything else, a global (or weak) before a local, then
 * the first name in byte order (_Znam, operator new[], before _Znwm and xalloc), as objdump
 * chooses; dynamic symbols with their version ("f@@GLIBC_2.2.5"), absolute
 * ones (version names at 0) included. */
#include <errno.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/elf_file.h"
#include "symbols/elf_names.h"
#include "util/array.h"
#include "util/bsearch.h"

struct file_sym {
	uint64_t addr;
	const char *name;	/* in names->strs */
	int rank;		/* higher wins among symbols at one address */
};

struct elf_names {
	struct file_sym *syms;	/* sorted by addr, one per address */
	size_t nr;
	char *strs;		/* the names, copied */
};

/* objdump's order among symbols at one address: functions (not ifuncs), then objects, then
 * non-locals, then globals (weak ones are neither local nor global). */
static int rank_of(const GElf_Sym *sym)
{
	int t = GELF_ST_TYPE(sym->st_info), b = GELF_ST_BIND(sym->st_info);

	return 8 * (t == STT_FUNC) + 4 * (t == STT_OBJECT) + 2 * (b != STB_LOCAL) + (b == STB_GLOBAL);
}

static int cmp_fsym(const void *a, const void *b)
{
	const struct file_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	/* names that may be sections' after the others, then byte order */
	if ((x->name[0] == '.') != (y->name[0] == '.'))
		return x->name[0] == '.' ? 1 : -1;
	return strcmp(x->name, y->name);
}

static Elf_Scn *symtab_of(Elf *elf, GElf_Shdr *out, bool symtab_only)
{
	Elf_Scn *scn = NULL, *pick = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_entsize &&
		    (sh.sh_type == SHT_SYMTAB || (sh.sh_type == SHT_DYNSYM && !pick && !symtab_only))) {
			pick = scn;
			*out = sh;
			if (sh.sh_type == SHT_SYMTAB)
				break;
		}
	return pick;
}

/* Version names of a .dynsym's definitions by index (SHT_GNU_verdef), for objdump's
 * "name@@VERSION" (the default) and "name@VERSION" (hidden) spelling of dynamic symbols;
 * binutils 2.40 spells index 1 (global) "Base" in a file with version sections whose first
 * definition is the base one, or that has none ("xmalloc@@Base" in bash). */
struct versions {
	Elf_Data *versym;
	const char *names[64];
	bool base;	/* index 1 (global) is spelled "Base": no definitions, or the first is the base */
};

static void load_versions(Elf *elf, struct versions *v)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	bool have_verdef = false;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_GNU_versym) {
			v->versym = elf_getdata(scn, NULL);
		} else if (sh.sh_type == SHT_GNU_verneed) {
			if (!have_verdef)
				v->base = true;
		} else if (sh.sh_type == SHT_GNU_verdef) {
			Elf_Data *d = elf_getdata(scn, NULL);
			size_t off = 0;
			GElf_Verdef vd;
			GElf_Verdaux va;

			have_verdef = true;
			v->base = false;
			for (size_t k = 0; d && k < sh.sh_info && gelf_getverdef(d, off, &vd); k++) {
				if (k == 0)
					v->base = (vd.vd_flags & VER_FLG_BASE) != 0;
				if (vd.vd_ndx < 64 && !(vd.vd_flags & VER_FLG_BASE) &&
				    gelf_getverdaux(d, off + vd.vd_aux, &va))
					v->names[vd.vd_ndx] = elf_strptr(elf, sh.sh_link, va.vda_name);
				if (!vd.vd_next)
					break;
				off += vd.vd_next;
			}
		}
	}
}

/* The versioned name of dynamic symbol i into buf (or name as it is). */
static const char *versioned(const struct versions *v, size_t i, const char *name, char *buf,
			     size_t len)
{
	GElf_Versym vs;
	const char *vn;

	if (!v->versym || !gelf_getversym(v->versym, (int)i, &vs) || (vs & 0x7fff) >= 64)
		return name;
	vn = (vs & 0x7fff) == 1 && v->base ? "Base" : v->names[vs & 0x7fff];
	if (!vn || !strcmp(vn, name))
		return name;
	snprintf(buf, len, "%s%s%s", name, (vs & 0x8000) ? "@" : "@@", vn);
	return buf;
}

/* funcs: only sized function symbols of .symtab, the first in table order kept at an
 * address (binutils' choice); else every kind, objdump's ranking. */
static int load(struct elf_names *n, Elf *elf, bool funcs)
{
	GElf_Shdr sh = { 0 };
	Elf_Scn *scn = symtab_of(elf, &sh, funcs);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	size_t cnt, total = 0, out = 0, pos = 0;
	struct versions ver = { 0 };
	char vbuf[1024];

	if (!data)
		return 0;
	cnt = sh.sh_size / sh.sh_entsize;
	if (sh.sh_type == SHT_DYNSYM)
		load_versions(elf, &ver);
	n->syms = calloc(cnt ? cnt : 1, sizeof(*n->syms));
	if (!n->syms)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 1; i < cnt; i++) {
			GElf_Sym sym;
			const char *name;
			int t;

			if (!gelf_getsym(data, (int)i, &sym) || !sym.st_name ||
			    sym.st_shndx == SHN_UNDEF ||
			    (sym.st_shndx >= SHN_LORESERVE && sym.st_shndx != SHN_ABS))
				continue;
			t = GELF_ST_TYPE(sym.st_info);
			if (t == STT_SECTION || t == STT_FILE || t == STT_TLS)
				continue;
			if (funcs && ((t != STT_FUNC && t != STT_GNU_IFUNC) || !sym.st_size))
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !name[0] || name[0] == '$')
				continue;
			if (funcs && sym.st_shndx == SHN_ABS)
				continue;
			name = versioned(&ver, i, name, vbuf, sizeof(vbuf));
			if (!pass) {
				total += strlen(name) + 1;
				continue;
			}
			strcpy(n->strs + pos, name);
			n->syms[n->nr++] = (struct file_sym){
				.addr = sym.st_value, .name = n->strs + pos,
				.rank = funcs ? -(int)i : rank_of(&sym),
			};
			pos += strlen(name) + 1;
		}
		if (!pass && !(n->strs = malloc(total ? total : 1)))
			return -ENOMEM;
	}
	array__sort(n->syms, n->nr, sizeof(*n->syms), cmp_fsym);
	for (size_t i = 0; i < n->nr; i++)
		if (!out || n->syms[out - 1].addr != n->syms[i].addr)
			n->syms[out++] = n->syms[i];
	n->nr = out;
	return 0;
}

static struct elf_names *open_names(const char *path, bool funcs)
{
	struct elf_file f = ELF_FILE_INIT;
	struct elf_names *n;
	int ret;

	ret = elf_file__open(&f, path, NULL);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n || load(n, f.elf, funcs)) {
		elf_names__close(n);
		elf_file__close(&f);
		errno = ENOMEM;
		return NULL;
	}
	elf_file__close(&f);
	return n;
}

struct elf_names *elf_names__open(const char *path)
{
	return open_names(path, false);
}

struct elf_names *elf_names__open_funcs(const char *path)
{
	return open_names(path, true);
}

void elf_names__close(struct elf_names *n)
{
	if (!n)
		return;
	free(n->syms);
	free(n->strs);
	free(n);
}

size_t elf_names__count(const struct elf_names *n)
{
	return n ? n->nr : 0;
}

const char *elf_names__at(const struct elf_names *n, uint64_t addr, uint64_t *off)
{
	const struct file_sym *s;

	if (!n)
		return NULL;
	s = BSEARCH_LAST_LE(n->syms, n->nr, addr, addr);
	if (!s)
		return NULL;
	*off = addr - s->addr;
	return s->name;
}

const char *elf_names__exact(const struct elf_names *n, uint64_t addr)
{
	const struct file_sym *s;

	if (!n)
		return NULL;
	s = BSEARCH_LAST_LE(n->syms, n->nr, addr, addr);
	return s && s->addr == addr ? s->name : NULL;
}
