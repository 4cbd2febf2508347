/* Owns the name-to-address lookups probes need, straight from libelf and libdw: one ELF file
 * opened per question, which is fine for a command that asks a handful of them. */
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "symbols/elf_file.h"
#include "symbols/elf_lookup.h"

/* Calls cb for each FUNC/IFUNC symbol of .symtab (or .dynsym when there is no .symtab). */
static int for_each_func(Elf *elf, bool (*cb)(const GElf_Sym *, const char *, void *), void *arg)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			dynsym = scn;
	}
	scn = symtab ? symtab : dynsym;
	if (!scn || !gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return -ENOENT;
	{
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = sh.sh_size / sh.sh_entsize;

		for (size_t i = 0; data && i < n; i++) {
			GElf_Sym sym;
			const char *name;
			int type;

			if (!gelf_getsym(data, (int)i, &sym))
				continue;
			type = GELF_ST_TYPE(sym.st_info);
			if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && cb(&sym, name, arg))
				return 0;
		}
	}
	return -ENOENT;
}

struct by_name {
	const char *name;
	uint64_t vaddr;
};

static bool match_name(const GElf_Sym *sym, const char *name, void *arg)
{
	struct by_name *q = arg;

	if (strcmp(name, q->name))
		return false;
	q->vaddr = sym->st_value;
	return true;
}

int elf_lookup__func(const char *path, const char *name, uint64_t *vaddr)
{
	struct elf_file f;
	struct by_name q = { .name = name };
	int err = elf_file__open(&f, path, NULL);

	if (err)
		return err;
	err = for_each_func(f.elf, match_name, &q);
	elf_file__close(&f);
	if (!err)
		*vaddr = q.vaddr;
	return err;
}

struct by_addr {
	uint64_t vaddr;
	char *name;
	size_t len;
};

static bool match_addr(const GElf_Sym *sym, const char *name, void *arg)
{
	struct by_addr *q = arg;

	if (q->vaddr < sym->st_value || q->vaddr >= sym->st_value + (sym->st_size ? sym->st_size : 1))
		return false;
	snprintf(q->name, q->len, "%s", name);
	return true;
}

int elf_lookup__func_at(const char *path, uint64_t vaddr, char *name, size_t len)
{
	struct elf_file f;
	struct by_addr q = { .vaddr = vaddr, .name = name, .len = len };
	int err = elf_file__open(&f, path, NULL);

	if (err)
		return err;
	err = for_each_func(f.elf, match_addr, &q);
	elf_file__close(&f);
	return err;
}

int elf_lookup__file_offset(const char *path, uint64_t vaddr, uint64_t *offset)
{
	struct elf_file f;
	size_t n;
	int err = elf_file__open(&f, path, NULL), ret = -ENOENT;

	if (err)
		return err;
	if (elf_getphdrnum(f.elf, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(f.elf, (int)i, &ph) || ph.p_type != PT_LOAD)
				continue;
			if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
				*offset = vaddr - ph.p_vaddr + ph.p_offset;
				ret = 0;
				break;
			}
		}
	}
	elf_file__close(&f);
	return ret;
}

static bool path_tail_matches(const char *src, const char *file)
{
	size_t ls = strlen(src), lf = strlen(file);

	if (lf > ls || strcmp(src + ls - lf, file))
		return false;
	return lf == ls || src[ls - lf - 1] == '/';
}

int elf_lookup__line(const char *path, const char *file, int line, uint64_t *vaddr)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -ENOENT;
	Dwarf *dw;
	Dwarf_Off off = 0, next;
	size_t hsize;
	bool found = false;

	if (fd < 0)
		return -errno;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return -ENODATA;	/* no debug info */
	}
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Lines *lines;
		size_t nlines;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_getsrclines(&cu, &lines, &nlines) == 0) {
			for (size_t i = 0; i < nlines; i++) {
				Dwarf_Line *l = dwarf_onesrcline(lines, i);
				const char *src = dwarf_linesrc(l, NULL, NULL);
				int lineno;
				bool stmt;
				Dwarf_Addr addr;

				if (!src || dwarf_lineno(l, &lineno) || lineno != line ||
				    dwarf_linebeginstatement(l, &stmt) || !stmt || dwarf_lineaddr(l, &addr))
					continue;
				if (!path_tail_matches(src, file))
					continue;
				if (!found || addr < *vaddr)
					*vaddr = addr;
				found = true;
			}
		}
		off = next;
	}
	if (found)
		ret = 0;
	dwarf_end(dw);
	close(fd);
	return ret;
}
