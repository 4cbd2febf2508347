/* Owns symbols from ELF files: finding the file to read (separate debug file by build-id
 * under /usr/lib/debug/.build-id, .gnu_debuglink, the file itself, perf's ~/.debug cache),
 * checking build-ids, reading .symtab or else .dynsym and minidebuginfo (.gnu_debugdata,
 * through libdwfl), synthesizing "name@plt" entries from the PLT relocations, and the
 * PT_LOAD segments that turn file offsets into addresses. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>

#include "symbols/dso.h"
#include "symbols/loaders.h"
#include "util/log.h"

struct elf_file {
	int fd;
	Elf *elf;
	void *image;		/* in-memory copy (vdso) */
	char *path;
};

static void elf_file__close(struct elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	free(f->image);
	free(f->path);
	f->elf = NULL;
	f->fd = -1;
	f->image = NULL;
	f->path = NULL;
}

static int elf_file__open(struct elf_file *f, const char *path)
{
	struct stat st;

	f->fd = -1;
	f->elf = NULL;
	f->image = NULL;
	f->path = NULL;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -ENOENT;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF) {
		elf_file__close(f);
		return -ENOEXEC;
	}
	f->path = strdup(path);
	return 0;
}

/* The vdso of this process: the same kernel as the recording when the build-ids agree. */
int vdso__own_image(const uint8_t **image, size_t *size)
{
	const uint8_t *img = (const void *)getauxval(AT_SYSINFO_EHDR);
	Elf64_Ehdr eh;
	size_t i;

	if (!img)
		return -ENOENT;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
		return -ENOEXEC;
	*size = eh.e_shoff + (size_t)eh.e_shnum * eh.e_shentsize;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + i * eh.e_phentsize, sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > *size)
			*size = ph.p_offset + ph.p_filesz;
	}
	if (*size > (16u << 20))
		return -E2BIG;
	*image = img;
	return 0;
}

static int elf_file__open_own_vdso(struct elf_file *f)
{
	const uint8_t *img;
	size_t size;
	int err;

	f->fd = -1;
	f->elf = NULL;
	f->path = NULL;
	f->image = NULL;
	err = vdso__own_image(&img, &size);
	if (err)
		return err;
	f->image = malloc(size);
	if (!f->image)
		return -ENOMEM;
	memcpy(f->image, img, size);
	elf_version(EV_CURRENT);
	f->elf = elf_memory(f->image, size);
	if (!f->elf) {
		elf_file__close(f);
		return -ENOEXEC;
	}
	f->path = strdup("[vdso]");
	return 0;
}

static size_t build_id_of(Elf *elf, uint8_t *id, size_t max)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)data->d_buf + noff, "GNU", 4)) {
				size_t n = nh.n_descsz < max ? nh.n_descsz : max;

				memcpy(id, (char *)data->d_buf + doff, n);
				return n;
			}
		}
	}
	return 0;
}

size_t elf__read_build_id(const char *path, uint8_t *id, size_t max)
{
	struct elf_file f;
	size_t n;

	if (elf_file__open(&f, path))
		return 0;
	n = build_id_of(f.elf, id, max);
	elf_file__close(&f);
	return n;
}

/* Does the file carry the build-id the recording saw (or we know none)? */
static bool build_id_ok(const struct dso *dso, Elf *elf)
{
	uint8_t id[20];
	size_t n;

	if (!dso->has_build_id)
		return true;
	n = build_id_of(elf, id, sizeof(id));
	return n == dso->build_id_size && !memcmp(id, dso->build_id, n);
}

static Elf_Scn *find_section(Elf *elf, const char *want, GElf_Shdr *out)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, out))
			continue;
		name = elf_strptr(elf, shstrndx, out->sh_name);
		if (name && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

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

	return find_section(elf, ".debug_info", &sh) && sh.sh_type != SHT_NOBITS;
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

/* name@plt for each PLT relocation: entry i lives in .plt.sec (IBT) or after .plt's header. */
static int synth_plt(struct dso *dso, Elf *elf)
{
	GElf_Shdr plt, relsh, dynsh, pltsec;
	Elf_Scn *relscn, *dynscn;
	Elf_Data *rel, *dyn;
	GElf_Ehdr eh;
	uint64_t base, entsz;
	size_t i, n;
	char name[512];
	bool is_rela;

	if (!gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64)
		return 0;
	if (!find_section(elf, ".plt", &plt))
		return 0;
	relscn = find_section(elf, ".rela.plt", &relsh);
	is_rela = true;
	if (!relscn) {
		relscn = find_section(elf, ".rel.plt", &relsh);
		is_rela = false;
	}
	if (!relscn || !relsh.sh_entsize || relsh.sh_type == SHT_NOBITS)
		return 0;
	dynscn = elf_getscn(elf, relsh.sh_link);
	if (!dynscn || !gelf_getshdr(dynscn, &dynsh) || !dynsh.sh_entsize)
		return 0;
	rel = elf_getdata(relscn, NULL);
	dyn = elf_getdata(dynscn, NULL);
	if (!rel || !dyn)
		return 0;
	entsz = 16;
	if (find_section(elf, ".plt.sec", &pltsec))
		base = pltsec.sh_addr;
	else
		base = plt.sh_addr + entsz;
	n = relsh.sh_size / relsh.sh_entsize;
	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		uint64_t info;
		const char *sname;

		if (is_rela) {
			GElf_Rela r;

			if (!gelf_getrela(rel, (int)i, &r))
				break;
			info = r.r_info;
		} else {
			GElf_Rel r;

			if (!gelf_getrel(rel, (int)i, &r))
				break;
			info = r.r_info;
		}
		if (!gelf_getsym(dyn, (int)GELF_R_SYM(info), &sym))
			continue;
		/* relocations without a symbol (IRELATIVE) become "@plt", as in perf */
		sname = elf_strptr(elf, dynsh.sh_link, sym.st_name);
		if (!sname)
			sname = "";
		snprintf(name, sizeof(name), "%s@plt", sname);
		if (dso__add_sym(dso, base + i * entsz, entsz, name, STB_GLOBAL))
			return -ENOMEM;
	}
	return 0;
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
	static const Dwfl_Callbacks cb = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	Dwfl *dwfl = dwfl_begin(&cb);
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

static char *cache_path(const struct dso *dso)
{
	char hex[41], path[600];
	const char *home = getenv("HOME");
	struct stat st;

	build_id__hex(dso->build_id, dso->build_id_size, hex);
	snprintf(path, sizeof(path), "%s/.debug/.build-id/%.2s/%s", home ? home : "/root", hex, hex + 2);
	if (stat(path, &st))
		return NULL;
	if (S_ISDIR(st.st_mode)) {
		size_t l = strlen(path);

		snprintf(path + l, sizeof(path) - l, "/%s", dso->kind == DSO_VDSO ? "vdso" : "elf");
	}
	return strdup(path);
}

/* Candidate separate debug files, in the order they are tried. */
static int debug_candidates(const struct dso *dso, Elf *runtime, const char *runtime_path,
			    char out[][600], int max)
{
	int n = 0;

	if (dso->has_build_id && n < max) {
		char hex[41];

		build_id__hex(dso->build_id, dso->build_id_size, hex);
		snprintf(out[n++], 600, "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2);
	}
	if (runtime && runtime_path && runtime_path[0] == '/') {
		GElf_Shdr sh;
		Elf_Scn *scn = find_section(runtime, ".gnu_debuglink", &sh);
		Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

		if (d && d->d_size > 1) {
			char link[256], dir[512], *dup = strdup(runtime_path);
			size_t l = strnlen(d->d_buf, d->d_size);

			if (dup && l < sizeof(link) && l > 0) {
				memcpy(link, d->d_buf, l);
				link[l] = '\0';
				snprintf(dir, sizeof(dir), "%s", dirname(dup));
				if (n < max)
					snprintf(out[n++], 600, "%s/%s", dir, link);
				if (n < max)
					snprintf(out[n++], 600, "%s/.debug/%s", dir, link);
				if (n < max)
					snprintf(out[n++], 600, "/usr/lib/debug%s/%s", dir, link);
			}
			free(dup);
		}
	}
	return n;
}

int elf__load(struct dso *dso)
{
	struct elf_file rt = { .fd = -1 }, dbg = { .fd = -1 };
	char cand[8][600];
	const char *why = "no such file";
	Elf *symelf = NULL;
	int i, n, ret = 0;

	/* the runtime image: the file itself, or perf's build-id cache copy */
	if (dso->kind == DSO_VDSO) {
		char *c = dso->has_build_id ? cache_path(dso) : NULL;

		if (!c || elf_file__open(&rt, c) || !build_id_ok(dso, rt.elf)) {
			elf_file__close(&rt);
			if (elf_file__open_own_vdso(&rt) == 0 && !build_id_ok(dso, rt.elf))
				elf_file__close(&rt);
		}
		free(c);
	} else if (!strstr(dso->name, " (deleted)") && elf_file__open(&rt, dso->name) == 0) {
		if (!build_id_ok(dso, rt.elf)) {
			why = "build-id mismatch";
			elf_file__close(&rt);
		}
	}
	if (!rt.elf && dso->has_build_id && dso->kind != DSO_VDSO) {
		char *c = cache_path(dso);

		if (c && elf_file__open(&rt, c) == 0 && !build_id_ok(dso, rt.elf))
			elf_file__close(&rt);
		free(c);
	}

	/* no build-id recorded (the DSO was only in callchains): take the file's own */
	if (rt.elf && !dso->has_build_id) {
		uint8_t id[20];
		size_t len = build_id_of(rt.elf, id, sizeof(id));

		if (len)
			dso__set_build_id(dso, id, len);
	}
	/* a file with .symtab: separate debug file first, then the runtime image */
	n = debug_candidates(dso, rt.elf, rt.path, cand, 8);
	for (i = 0; i < n && !symelf; i++) {
		if (elf_file__open(&dbg, cand[i]))
			continue;
		if (build_id_ok(dso, dbg.elf) && (has_symtab(dbg.elf) || has_debuginfo(dbg.elf))) {
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
	if (rt.elf && !dso->debugsrc && has_debuginfo(rt.elf) && rt.path && rt.path[0] == '/')
		dso->debugsrc = strdup(rt.path);
	if (!rt.elf && !symelf) {
		pr_debug("%s: cannot load symbols: %s", dso->name, why);
		return -ENOENT;
	}
	ret = load_segments(dso, rt.elf ? rt.elf : symelf);
	if (!ret && symelf) {
		ret = load_symtab(dso, symelf, SHT_SYMTAB);
		dso->symsrc = strdup(symelf == rt.elf ? rt.path : dbg.path);
	} else if (!ret) {
		GElf_Shdr sh;

		ret = load_symtab(dso, rt.elf, SHT_DYNSYM);
		if (!ret && find_section(rt.elf, ".gnu_debugdata", &sh) && rt.path[0] == '/')
			ret = minidebug_syms(dso, rt.path);
		dso->symsrc = strdup(rt.path);
	}
	if (!ret && rt.elf)
		ret = synth_plt(dso, rt.elf);
	if (!ret)
		dso__fixup_syms(dso, false);
	elf_file__close(&dbg);
	elf_file__close(&rt);
	return ret;
}
