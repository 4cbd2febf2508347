/* Owns finding and reading the code bytes of a DSO: which file is trusted (build-id
 * checks, perf's ~/.debug cache, the vdso image), the vmlinux search and the /proc/kcore
 * fallback with their address translation (KASLR: the recorded _text against the image's),
 * and the address -> file offset layout (allocated sections, or PT_LOAD for core files). */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "symbols/disasm_code.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/symfs.h"

struct region {
	uint64_t vaddr, off, size;
	const char *name;	/* the section's (held by the open ELF), NULL for a PT_LOAD */
};

struct code_file {
	struct elf_file ef;	/* read by pread, or from its image (the vdso) */
	struct region *r;
	size_t nr;
	int64_t delta;		/* file address = DSO address + delta */
	bool dwarf;		/* the file has DWARF (.debug_info with contents) */
	unsigned int machine, elf_class;
};

void code_file__close(struct code_file *cf)
{
	if (!cf)
		return;
	elf_file__close(&cf->ef);
	free(cf->r);
	free(cf);
}

static int add_region(struct code_file *cf, uint64_t vaddr, uint64_t off, uint64_t size,
		      const char *name, size_t cap)
{
	if (!size || cf->nr >= cap)
		return 0;
	cf->r[cf->nr++] = (struct region){ vaddr, off, size, name };
	return 0;
}

/* Allocated sections with file bytes; a file without sections (a core file such as
 * /proc/kcore) by its PT_LOAD segments. */
static int load_layout(struct code_file *cf, Elf *elf)
{
	GElf_Ehdr eh;
	size_t nsec = 0, nph = 0, i, shstrndx;
	Elf_Scn *scn = NULL;

	if (!gelf_getehdr(elf, &eh))
		return -ENOEXEC;
	cf->machine = eh.e_machine;
	cf->elf_class = (unsigned int)gelf_getclass(elf);
	if (elf_getshdrnum(elf, &nsec))
		nsec = 0;
	if (elf_getphdrnum(elf, &nph))
		nph = 0;
	cf->r = calloc(nsec + nph + 1, sizeof(*cf->r));
	if (!cf->r)
		return -ENOMEM;
	if (elf_getshdrstrndx(elf, &shstrndx))
		shstrndx = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = shstrndx ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
		if (name && !strcmp(name, ".debug_info") && sh.sh_type != SHT_NOBITS && sh.sh_size)
			cf->dwarf = true;
		if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS)
			continue;
		add_region(cf, sh.sh_addr, sh.sh_offset, sh.sh_size, name, nsec + nph);
	}
	if (cf->nr)
		return 0;
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
			add_region(cf, ph.p_vaddr, ph.p_offset, ph.p_filesz, NULL, nsec + nph);
	}
	return cf->nr ? 0 : -ENOENT;
}

static bool same_build_id(const struct dso *dso, const uint8_t *id, size_t n)
{
	return n == dso->build_id_size && !memcmp(id, dso->build_id, n);
}

static void say(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* Open an ELF file from disk (@path), or this process's vdso (@path NULL); with @want, only
 * if it carries that DSO's build-id. Returns 0, -ENOENT (no file), -ESTALE (other
 * build-id), or another -errno. */
static int open_path(struct code_file **out, const char *path, const struct dso *want)
{
	struct code_file *cf = calloc(1, sizeof(*cf));
	int ret;

	*out = NULL;
	if (!cf)
		return -ENOMEM;
	ret = path ? elf_file__open(&cf->ef, path, want) : elf_file__open_own_vdso(&cf->ef, want);
	if (!ret)
		ret = load_layout(cf, cf->ef.elf);
	if (ret) {
		code_file__close(cf);
		return ret;
	}
	*out = cf;
	return 0;
}

static struct code_file *open_user(struct dso *dso, char *why, size_t whylen)
{
	struct code_file *cf = NULL;
	char path[ELF_FILE_PATH], hex[2 * PD_BUILD_ID_MAX + 1] = "";
	int ret = -ENOENT;

	if (dso->has_build_id)
		build_id__hex(dso->build_id, dso->build_id_size, hex);
	/* by build-id: the symbol directory, the cache, the path when it is the same file */
	ret = dso__find_binary(dso, path, sizeof(path));
	if (!ret && !open_path(&cf, path, dso))
		return cf;
	if (dso->kind == DSO_VDSO) {
		if (!open_path(&cf, NULL, dso))
			return cf;
		say(why, whylen, "%s: this machine's vdso is not the recorded one and ~/.debug has no "
		    "copy with build-id %s", dso->name, hex[0] ? hex : "(none recorded)");
		return NULL;
	}
	if (ret == -ESTALE)
		say(why, whylen, "%s: the file has changed since the recording (build-id is not %s) and "
		    "~/.debug has no copy; keep copies with 'parchive' or 'pbuildid-cache -a FILE' before rebuilding",
		    dso->name, hex);
	else if (ret == -ENOENT)
		say(why, whylen, "%s: no such file%s%s%s", dso->name,
		    hex[0] ? " and no copy with build-id " : "", hex, hex[0] ? " in ~/.debug" : "");
	else
		say(why, whylen, "%s: cannot read it: %s", dso->name, strerror(-ret));
	return NULL;
}

/* The value of symbol @name in an ELF file's .symtab; 0 if absent. */
static uint64_t elf_symbol_value(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	uint64_t val = 0;

	while (!val && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		n = d ? sh.sh_size / sh.sh_entsize : 0;
		for (i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(d, (int)i, &sym))
				break;
			s = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, name)) {
				val = sym.st_value;
				break;
			}
		}
	}
	return val;
}

/* A vmlinux's addresses are link-time ones; the recording saw them moved by KASLR. */
static void vmlinux_delta(struct code_file *cf, const struct dso *dso)
{
	uint64_t text = elf_symbol_value(cf->ef.elf, "_text");

	if (text && dso->kernel_reloc)
		cf->delta = (int64_t)(text - dso->kernel_reloc);
}

static struct code_file *open_kernel(struct dso *dso, const struct code_opts *o, char *why,
				     size_t whylen)
{
	struct code_file *cf = NULL;
	const char *kcore = o->kcore ? o->kcore : "/proc/kcore";
	char hex[2 * PD_BUILD_ID_MAX + 1] = "", rel[256], cand[10][ELF_FILE_PATH], kwhy[200];
	struct utsname un;
	int i, n = 0, ret;

	if (dso->has_build_id)
		build_id__hex(dso->build_id, dso->build_id_size, hex);
	if (o->vmlinux) {
		ret = open_path(&cf, o->vmlinux, dso);
		if (!cf) {
			if (ret == -ESTALE)
				say(why, whylen, "%s: not the recorded kernel (its build-id is not %s)",
				    o->vmlinux, hex);
			else
				say(why, whylen, "%s: cannot use it as vmlinux: %s", o->vmlinux,
				    strerror(-ret));
			return NULL;
		}
		if (dso->kind == DSO_KERNEL)
			vmlinux_delta(cf, dso);
		return cf;
	}
	if (o->osrelease && o->osrelease[0])
		snprintf(rel, sizeof(rel), "%s", o->osrelease);
	else if (!uname(&un))
		snprintf(rel, sizeof(rel), "%s", un.release);
	else
		rel[0] = '\0';
	if (dso->kind == DSO_KERNEL)
		n = elf_file__vmlinux_candidates(rel, dso->build_id,
						 dso->has_build_id ? dso->build_id_size : 0, cand, 10);
	for (i = 0; i < n; i++) {
		/* without a recorded build-id a vmlinux cannot be checked: do not guess */
		if (!dso->has_build_id)
			break;
		if (!open_path(&cf, cand[i], dso)) {
			vmlinux_delta(cf, dso);
			return cf;
		}
	}
	/* /proc/kcore: the running kernel's memory, good only if it is the recorded kernel */
	if (access(kcore, F_OK)) {
		say(kwhy, sizeof(kwhy), "%s does not exist (kernel without CONFIG_PROC_KCORE)", kcore);
	} else if (access(kcore, R_OK)) {
		say(kwhy, sizeof(kwhy), "%s is not readable (run as root)", kcore);
	} else {
		uint8_t id[PD_BUILD_ID_MAX];
		int idn = pd_buildid__kernel(id);

		if (dso->has_build_id && idn > 0 && !same_build_id(dso, id, (size_t)idn)) {
			say(kwhy, sizeof(kwhy), "the running kernel is not the recorded one, so %s "
			    "does not help", kcore);
		} else {
			ret = open_path(&cf, kcore, NULL);
			if (cf) {
				if (dso->kind == DSO_KERNEL)
					cf->delta = dso->kernel_delta;
				return cf;
			}
			say(kwhy, sizeof(kwhy), "%s: %s", kcore, strerror(-ret));
		}
	}
	if (dso->kind == DSO_KMODULE)
		say(why, whylen, "%s: kernel module code needs %s, and %s", dso->name, kcore, kwhy);
	else
		say(why, whylen, "%s: no vmlinux %s%s%s found (/boot, /usr/lib/debug, /lib/modules/%s/build, "
		    "~/.debug) and %s; give one with -k/--vmlinux", dso->name,
		    hex[0] ? "with build-id " : "", hex, hex[0] ? "" : "(no build-id recorded)", rel, kwhy);
	return NULL;
}

struct code_file *code_file__open(struct dso *dso, const struct code_opts *opts, char *why,
				  size_t whylen)
{
	static const struct code_opts none;

	if (whylen)
		why[0] = '\0';
	if (!opts)
		opts = &none;
	switch (dso->kind) {
	case DSO_USER:
	case DSO_VDSO:
		return open_user(dso, why, whylen);
	case DSO_KERNEL:
	case DSO_KMODULE:
		return open_kernel(dso, opts, why, whylen);
	case DSO_JIT:
		say(why, whylen, "%s: JIT code is gone with its process (perf.map files hold "
		    "names only)", dso->name);
		return NULL;
	case DSO_NOSYMS:
		break;
	}
	say(why, whylen, "%s: no code file", dso->name);
	return NULL;
}

static const struct region *find_region(const struct code_file *cf, uint64_t faddr)
{
	for (size_t i = 0; i < cf->nr; i++)
		if (faddr >= cf->r[i].vaddr && faddr - cf->r[i].vaddr < cf->r[i].size)
			return &cf->r[i];
	return NULL;
}

uint64_t code_file__avail(const struct code_file *cf, uint64_t addr)
{
	uint64_t fa = addr + (uint64_t)cf->delta;
	const struct region *r = find_region(cf, fa);

	return r ? r->size - (fa - r->vaddr) : 0;
}

const char *code_file__section(const struct code_file *cf, uint64_t addr)
{
	const struct region *r = find_region(cf, addr + (uint64_t)cf->delta);

	return r ? r->name : NULL;
}

int code_file__read(struct code_file *cf, uint64_t addr, uint8_t *buf, size_t len)
{
	uint64_t fa = addr + (uint64_t)cf->delta, off;
	const struct region *r = find_region(cf, fa);
	size_t done = 0;

	if (!r || len > r->size - (fa - r->vaddr))
		return -ENOENT;
	off = r->off + (fa - r->vaddr);
	if (cf->ef.image) {
		if (off > cf->ef.size || len > cf->ef.size - off)
			return -ENOENT;
		memcpy(buf, cf->ef.image + off, len);
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(cf->ef.fd, buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

unsigned int code_file__machine(const struct code_file *cf) { return cf->machine; }
int64_t code_file__delta(const struct code_file *cf) { return cf->delta; }
bool code_file__has_dwarf(const struct code_file *cf) { return cf->dwarf; }
unsigned int code_file__class(const struct code_file *cf) { return cf->elf_class; }
const char *code_file__path(const struct code_file *cf) { return cf->ef.path; }
