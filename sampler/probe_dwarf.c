/* Owns pprobe's DWARF and symbol questions (sampler/probe_dwarf.h), straight from libdw and
 * libelf: one file opened per question, which suits a command asking a handful. x86-64 DWARF
 * register numbers are mapped to the names uprobe fetch args use. */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/probe_dwarf.h"
#include "symbols/elf_lookup.h"
#include "util/array.h"

static const char *const x86_64_regs[] = {
	"%ax", "%dx", "%cx", "%bx", "%si", "%di", "%bp", "%sp",
	"%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14", "%r15",
};

/* The C type of @die's DW_AT_type (as -V prints it: a typedef's name, '*'s for pointers) and
 * its fetch type (the base type's size and sign; x64 for pointers). */
static void var_type(Dwarf_Die *die, struct probe_var *v)
{
	Dwarf_Attribute at;
	Dwarf_Die t;
	const char *named = NULL;
	int stars = 0, size;
	Dwarf_Word enc = 0;
	bool has = dwarf_attr_integrate(die, DW_AT_type, &at) && dwarf_formref_die(&at, &t);

	snprintf(v->fetch, sizeof(v->fetch), "u64");
	while (has) {
		int tag = dwarf_tag(&t);

		if (tag == DW_TAG_pointer_type)
			stars++;
		else if (tag == DW_TAG_typedef && !named)
			named = dwarf_diename(&t);
		else if (tag != DW_TAG_const_type && tag != DW_TAG_volatile_type)
			break;
		has = dwarf_attr_integrate(&t, DW_AT_type, &at) && dwarf_formref_die(&at, &t);
	}
	if (!named)
		named = has && dwarf_diename(&t) ? dwarf_diename(&t) : "void";
	snprintf(v->ctype, sizeof(v->ctype), "%s%.*s", named, stars, "********");
	v->is_pointer = stars > 0;
	if (v->is_pointer) {
		snprintf(v->fetch, sizeof(v->fetch), "x64");
		return;
	}
	if (!has)
		return;
	size = dwarf_bytesize(&t);
	if (dwarf_attr_integrate(&t, DW_AT_encoding, &at))
		dwarf_formudata(&at, &enc);
	if (size == 1 || size == 2 || size == 4 || size == 8)
		snprintf(v->fetch, sizeof(v->fetch), "%c%d",
			 enc == DW_ATE_signed || enc == DW_ATE_signed_char ? 's' : 'u', size * 8);
}

/* Where @die is at @pc: a register name, or "" (on the stack, optimized out). */
static void var_reg(Dwarf_Die *die, Dwarf_Addr pc, struct probe_var *v)
{
	Dwarf_Attribute at;
	Dwarf_Op *expr;
	size_t len;

	if (!dwarf_attr_integrate(die, DW_AT_location, &at))
		return;
	if (dwarf_getlocation_addr(&at, pc, &expr, &len, 1) != 1 || len != 1)
		return;
	if (expr[0].atom >= DW_OP_reg0 && expr[0].atom <= DW_OP_reg15)
		snprintf(v->reg, sizeof(v->reg), "%s", x86_64_regs[expr[0].atom - DW_OP_reg0]);
}

static void collect_vars(Dwarf_Die *sub, struct probe_func *f, Dwarf_Addr pc)
{
	Dwarf_Die child;

	if (dwarf_child(sub, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		struct probe_var *v;

		if ((tag != DW_TAG_formal_parameter && tag != DW_TAG_variable) || !dwarf_diename(&child) ||
		    f->nr_vars >= (int)(sizeof(f->vars) / sizeof(f->vars[0])))
			continue;
		v = &f->vars[f->nr_vars++];
		memset(v, 0, sizeof(*v));
		snprintf(v->name, sizeof(v->name), "%s", dwarf_diename(&child));
		v->is_param = tag == DW_TAG_formal_parameter;
		var_type(&child, v);
		var_reg(&child, pc ? pc : f->low_pc, v);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static bool find_sub(Dwarf_Die *die, const char *name, Dwarf_Die *out)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child) != 0)
		return false;
	do {
		Dwarf_Addr lo;

		if (dwarf_tag(&child) == DW_TAG_subprogram && dwarf_diename(&child) &&
		    !strcmp(dwarf_diename(&child), name) && dwarf_lowpc(&child, &lo) == 0) {
			*out = child;
			return true;
		}
		if (dwarf_tag(&child) == DW_TAG_namespace && find_sub(&child, name, out))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

static void fill_func(Dwarf_Die *cu, Dwarf_Die *sub, const char *name, uint64_t pc, struct probe_func *out)
{
	Dwarf_Attribute at;
	Dwarf_Addr lo = 0, hi = 0;
	const char *file = dwarf_decl_file(sub), *dir = NULL;

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	dwarf_lowpc(sub, &lo);
	dwarf_highpc(sub, &hi);
	out->low_pc = lo;
	out->high_pc = hi;
	dwarf_decl_line(sub, &out->decl_line);
	if (dwarf_attr(cu, DW_AT_comp_dir, &at))
		dir = dwarf_formstring(&at);
	snprintf(out->cu_name, sizeof(out->cu_name), "%s", dwarf_diename(cu) ? dwarf_diename(cu) : "");
	if (file && file[0] != '/' && dir)
		snprintf(out->decl_file, sizeof(out->decl_file), "%s/%s", dir, file);
	else
		snprintf(out->decl_file, sizeof(out->decl_file), "%s", file ? file : "");
	collect_vars(sub, out, pc);
}

int probe_dwarf__func(const char *path, const char *func, struct probe_func *out)
{
	return probe_dwarf__func_at(path, func, 0, out);
}

int probe_dwarf__func_at(const char *path, const char *func, uint64_t pc, struct probe_func *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = -ENOENT;
	Dwarf *dw;
	Dwarf_Off off = 0, next;
	size_t hsize;

	if (fd < 0)
		return -errno;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return -ENODATA;
	}
	while (err && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, sub;

		if (dwarf_offdie(dw, off + hsize, &cu) && find_sub(&cu, func, &sub)) {
			fill_func(&cu, &sub, func, pc, out);
			err = 0;
		}
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	return err;
}

int probe_dwarf__lines(const char *path, const struct probe_func *f, int *lines, uint64_t *addrs, int max,
		       int *last)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0;
	Dwarf *dw;
	Dwarf_Die cu;
	Dwarf_Lines *lt;
	size_t nl;

	*last = 0;
	if (fd < 0)
		return -errno;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return -ENODATA;
	}
	if (dwarf_addrdie(dw, f->low_pc, &cu) && dwarf_getsrclines(&cu, &lt, &nl) == 0) {
		for (size_t i = 0; i < nl; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lt, i);
			Dwarf_Addr a;
			bool stmt = false;
			int ln, k;

			if (!l || dwarf_lineaddr(l, &a) || a < f->low_pc || a >= f->high_pc || dwarf_lineno(l, &ln))
				continue;
			if (ln > *last)
				*last = ln;
			if (dwarf_linebeginstatement(l, &stmt) || !stmt)
				continue;
			for (k = 0; k < n && lines[k] != ln; k++)
				;
			if (k < n) {
				if (a < addrs[k])
					addrs[k] = a;
				continue;
			}
			if (n < max) {
				lines[n] = ln;
				addrs[n++] = a;
			}
		}
	}
	dwarf_end(dw);
	close(fd);
	/* ascending by line (a handful: insertion sort) */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && lines[j - 1] > lines[j]; j--) {
			int tl = lines[j];
			uint64_t ta = addrs[j];

			lines[j] = lines[j - 1], addrs[j] = addrs[j - 1];
			lines[j - 1] = tl, addrs[j - 1] = ta;
		}
	return n;
}

int probe_dwarf__probe_lines(const char *path, const struct probe_func *f, int *rel, int max)
{
	int lines[512], n, k = 0;
	uint64_t addrs[512], claimed[512];
	int nclaimed = 0;

	int last;

	n = probe_dwarf__lines(path, f, lines, addrs, 512, &last);
	if (n < 0)
		return n;
	if (max < 1)
		return 0;
	rel[k++] = 0;
	claimed[nclaimed++] = f->low_pc;
	for (int i = 0; i < n && k < max; i++) {
		bool taken = lines[i] <= f->decl_line;

		for (int j = 0; j < nclaimed && !taken; j++)
			taken = claimed[j] == addrs[i];
		if (taken)
			continue;
		claimed[nclaimed++] = addrs[i];
		rel[k++] = lines[i] - f->decl_line;
	}
	return k;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The symbol table: .symtab, else .dynsym. */
static Elf_Scn *symtab_of(Elf *elf, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL, *dyn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, sh))
			continue;
		if (sh->sh_type == SHT_SYMTAB)
			return scn;
		if (sh->sh_type == SHT_DYNSYM)
			dyn = scn;
	}
	if (dyn)
		gelf_getshdr(dyn, sh);
	return dyn;
}

int probe_dwarf__symbols(const char *path, const char *filter, FILE *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0, printed = 0;
	Elf *elf;
	Elf_Scn *scn;
	GElf_Shdr sh;
	char **names = NULL;

	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	scn = elf ? symtab_of(elf, &sh) : NULL;
	if (scn && sh.sh_entsize) {
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t nsym = sh.sh_size / sh.sh_entsize;

		names = calloc(nsym + 1, sizeof(*names));
		for (size_t i = 0; names && data && i < nsym; i++) {
			GElf_Sym sym;
			const char *name;
			int type;

			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
				continue;
			type = GELF_ST_TYPE(sym.st_info);
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (type == STT_SECTION || type == STT_FILE || !name || !name[0] || name[0] == '_' ||
			    (filter && fnmatch(filter, name, 0)))
				continue;
			names[n++] = (char *)name;
		}
	}
	if (names) {
		array__sort(names, n, sizeof(*names), cmp_str);
		for (int i = 0; i < n; i++)
			if (i == 0 || strcmp(names[i], names[i - 1])) {
				fprintf(out, "%s\n", names[i]);
				printed++;
			}
	}
	free(names);
	if (elf)
		elf_end(elf);
	close(fd);
	return scn ? printed : -ENOENT;
}

int probe_dwarf__func_at_offset(const char *path, uint64_t off, char *name, size_t len, uint64_t *delta)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = -ENOENT;
	Elf *elf;
	size_t nph = 0;
	uint64_t vaddr = 0;

	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_getphdrnum(elf, &nph) == 0) {
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && off >= ph.p_offset &&
			    off < ph.p_offset + ph.p_filesz) {
				vaddr = off - ph.p_offset + ph.p_vaddr;
				err = 0;
				break;
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (!err)
		err = elf_lookup__func_at(path, vaddr, name, len);
	if (!err) {
		uint64_t start;

		err = elf_lookup__func(path, name, &start);
		*delta = err ? 0 : vaddr - start;
	}
	return err;
}
