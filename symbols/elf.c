/* Owns symbols from ELF files: which files to read (the file itself or perf's build-id
 * cache copy, found by build-id through symbols/symfs.c; a separate debug file with .symtab),
 * reading .symtab or else .dynsym and minidebuginfo (.gnu_debugdata, through libdwfl),
 * "name@plt" entries (symbols/plt.c), and the PT_LOAD segments that
 * turn file offsets into addresses. Opening files and build-ids: symbols/elf_file.c. */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elfutils/libdwfl.h>

#include "symbols/debuginfod.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/elf_symcache.h"
#include "symbols/loaders.h"
#include "symbols/symfs.h"
#include "util/log.h"

static Elf_Scn *find_type(Elf *elf, uint32_t type, GElf_Shdr *out)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, out) && out->sh_type == type)
			return scn;
	return NULL;
}

static bool has_symtab(Elf *elf)
{
	GElf_Shdr sh;

	return find_type(elf, SHT_SYMTAB, &sh) != NULL;
}

static bool has_debuginfo(Elf *elf)
{
	GElf_Shdr sh;

	return elf_file__section(elf, ".debug_info", &sh) && sh.sh_type != SHT_NOBITS;
}

/* Function symbols (and labels) that live in executable sections, as perf keeps them. */
static int load_symtab(struct dso *dso, Elf *elf, uint32_t type)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_type(elf, type, &sh);
	Elf_Data *data;
	size_t i, n, nsec;
	uint8_t *exec = NULL;
	int ret = 0;

	if (!scn || !sh.sh_entsize)
		return 0;
	data = elf_getdata(scn, NULL);
	if (!data)
		return 0;
	if (elf_getshdrnum(elf, &nsec))
		return 0;
	exec = calloc(nsec ? nsec : 1, 1);
	if (!exec)
		return -ENOMEM;
	for (i = 1; i < nsec; i++) {
		GElf_Shdr s;
		Elf_Scn *sc = elf_getscn(elf, i);

		if (sc && gelf_getshdr(sc, &s))
			exec[i] = !!(s.sh_flags & SHF_EXECINSTR);
	}
	n = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		int st;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		st = GELF_ST_TYPE(sym.st_info);
		if (st != STT_FUNC && st != STT_GNU_IFUNC && st != STT_NOTYPE && st != STT_OBJECT)
			continue;
		if (!sym.st_name || sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    sym.st_shndx >= nsec || !exec[sym.st_shndx])
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || !name[0] || name[0] == '$')
			continue;
		ret = dso__add_sym(dso, sym.st_value, sym.st_size, name, GELF_ST_BIND(sym.st_info));
		if (ret)
			break;
	}
	free(exec);
	return ret;
}

static int load_segments(struct dso *dso, Elf *elf)
{
	size_t i, n;

	if (elf_getphdrnum(elf, &n) || n == 0)
		return 0;
	dso->segs = calloc(n, sizeof(*dso->segs));
	if (!dso->segs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		dso->segs[dso->nr_segs++] = (struct dso_seg){ ph.p_offset, ph.p_vaddr, ph.p_filesz };
	}
	return 0;
}

static int minidebug_syms(struct dso *dso, const char *path)
{
	Dwfl *dwfl = elf_file__dwfl_begin();
	Dwfl_Module *mod;
	int i, n, ret = 0;

	if (!dwfl)
		return 0;
	mod = dwfl_report_offline(dwfl, "", path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	n = mod ? dwfl_module_getsymtab(mod) : -1;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf;
		Dwarf_Addr bias;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, &elf, &bias);
		int st;

		if (!name || !name[0] || !sym.st_name)
			continue;
		st = GELF_ST_TYPE(sym.st_info);
		if (st != STT_FUNC && st != STT_GNU_IFUNC)
			continue;
		if (sym.st_shndx == SHN_UNDEF)
			continue;
		ret = dso__add_sym(dso, sym.st_value, sym.st_size, name, GELF_ST_BIND(sym.st_info));
		if (ret)
			break;
	}
	dwfl_end(dwfl);
	return ret;
}

/* The image the recording ran, found by build-id (symbols/symfs.h), or for the vdso this
 * process's own when none is cached; NULL reason in *why. */
static void open_runtime(struct elf_file *rt, struct dso *dso, const char **why)
{
	char path[ELF_FILE_PATH];
	int ret = dso__open_binary(dso, rt);

	if (!ret)
		return;
	if (dso->kind == DSO_VDSO)
		elf_file__open_own_vdso(rt, dso);
	else if (ret == -ESTALE)
		*why = "build-id mismatch";
	if (!rt->elf && dso->kind != DSO_VDSO &&
	    !debuginfod__find("executable", dso->build_id, dso->has_build_id ? dso->build_id_size : 0,
			      NULL, dso->name, path, sizeof(path)))
		elf_file__open(rt, path, dso);	/* (deleted, not cached: the server's copy) */
}

int elf__load(struct dso *dso)
{
	struct elf_file rt = ELF_FILE_INIT, dbg = ELF_FILE_INIT;
	char cand[12][ELF_FILE_PATH];
	const char *why = "no such file";
	const struct elf_file *symfile;
	Elf *symelf = NULL;
	int i, n, ret = 0;

	open_runtime(&rt, dso, &why);
	/* no build-id recorded (the DSO was only in callchains): take the file's own */
	if (rt.elf && !dso->has_build_id) {
		uint8_t id[PD_BUILD_ID_MAX];
		int len = elf_file__build_id(rt.elf, id);

		if (len > 0)
			dso__set_build_id(dso, id, (size_t)len);
	}
	/* a file with .symtab: separate debug file first, then the runtime image */
	n = elf_file__debug_candidates(&rt, dso->build_id, dso->has_build_id ? dso->build_id_size : 0,
				       cand, 12);
	n = symfs__debug_candidates(dso, cand, n, 12);
	for (i = 0; i < n && !symelf; i++) {
		if (elf_file__open(&dbg, cand[i], dso))
			continue;
		if (has_symtab(dbg.elf) || has_debuginfo(dbg.elf)) {
			if (has_debuginfo(dbg.elf) && !dso->debugsrc)
				dso->debugsrc = strdup(cand[i]);
			if (has_symtab(dbg.elf)) {
				symelf = dbg.elf;
				break;
			}
		}
		elf_file__close(&dbg);
	}
	if (!symelf && rt.elf && has_symtab(rt.elf))
		symelf = rt.elf;
	if (rt.elf && !dso->debugsrc && has_debuginfo(rt.elf) && rt.path[0] == '/')
		dso->debugsrc = strdup(rt.path);
	if (!rt.elf && !symelf) {
		pr_debug("%s: cannot load symbols: %s", dso->name, why);
		return -ENOENT;
	}
	ret = load_segments(dso, rt.elf ? rt.elf : symelf);
	if (ret)
		goto out;
	/* the file whose .symtab is read, else the runtime image's .dynsym */
	symfile = !symelf ? NULL : symelf == rt.elf ? &rt : &dbg;
	dso->symsrc = strdup(symfile ? symfile->path : rt.path);
	if (!elf_symcache__load(dso, &rt, symfile))
		goto out;
	if (symelf) {
		ret = load_symtab(dso, symelf, SHT_SYMTAB);
	} else {
		GElf_Shdr sh;

		ret = load_symtab(dso, rt.elf, SHT_DYNSYM);
		if (!ret && elf_file__section(rt.elf, ".gnu_debugdata", &sh) && rt.path[0] == '/')
			ret = minidebug_syms(dso, rt.path);
	}
	if (!ret && rt.elf)
		ret = plt__synth(dso, rt.elf);
	if (!ret) {
		dso__fixup_syms(dso, false);
		elf_symcache__save(dso, &rt, symfile);
	}
out:
	elf_file__close(&dbg);
	elf_file__close(&rt);
	return ret;
}
