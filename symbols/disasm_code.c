/* Owns finding and reading the code bytes of a DSO: which file is trusted (build-id
 * checks, perf's ~/.debug cache, the vdso image), the vmlinux search and the /proc/kcore
 * fallback with their address translation (KASLR: the recorded _text against the image's),
 * and the address -> file offset layout (allocated sections, or PT_LOAD for core files). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "symbols/disasm_code.h"
#include "symbols/dso.h"
#include "symbols/loaders.h"

struct region {
	uint64_t vaddr, off, size;
};

struct code_file {
	int fd;
	uint8_t *image;		/* in-memory ELF (the vdso), else NULL */
	size_t image_size;
	struct region *r;
	size_t nr;
	int64_t delta;		/* file address = DSO address + delta */
	bool dwarf;		/* the file has DWARF (.debug_info with contents) */
	unsigned int machine, elf_class;
	char *path;
};

void code_file__close(struct code_file *cf)
{
	if (!cf)
		return;
	if (cf->fd >= 0)
		close(cf->fd);
	free(cf->image);
	free(cf->r);
	free(cf->path);
	free(cf);
}

static struct code_file *code_file__alloc(void)
{
	struct code_file *cf = calloc(1, sizeof(*cf));

	if (cf)
		cf->fd = -1;
	return cf;
}

static int add_region(struct code_file *cf, uint64_t vaddr, uint64_t off, uint64_t size, size_t cap)
{
	if (!size || cf->nr >= cap)
		return 0;
	cf->r[cf->nr++] = (struct region){ vaddr, off, size };
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
		add_region(cf, sh.sh_addr, sh.sh_offset, sh.sh_size, nsec + nph);
	}
	if (cf->nr)
		return 0;
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
			add_region(cf, ph.p_vaddr, ph.p_offset, ph.p_filesz, nsec + nph);
	}
	return cf->nr ? 0 : -ENOENT;
}

static bool same_build_id(const struct dso *dso, const uint8_t *id, size_t n)
{
	return n == dso->build_id_size && !memcmp(id, dso->build_id, n);
}

/* Does the ELF carry the DSO's recorded build-id (true when none was recorded)? */
static bool build_id_matches(const struct dso *dso, Elf *elf)
{
	Elf_Scn *scn = NULL;

	if (!dso->has_build_id)
		return true;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *data;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(data = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0)
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)data->d_buf + noff, "GNU", 4))
				return same_build_id(dso, (uint8_t *)data->d_buf + doff,
						     nh.n_descsz < 20 ? nh.n_descsz : 20);
	}
	return false;
}

static void say(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* Open an ELF file from disk; with check_id, only if it carries the DSO's build-id.
 * Returns 0, -ENOENT (no file), -ESTALE (other build-id), or another -errno. */
static int open_path(struct code_file **out, const char *path, const struct dso *dso, bool check_id)
{
	struct code_file *cf;
	struct stat st;
	Elf *elf;
	int ret;

	*out = NULL;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -ENOENT;
	cf = code_file__alloc();
	if (!cf)
		return -ENOMEM;
	cf->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (cf->fd < 0) {
		ret = -errno;
		goto err;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(cf->fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		ret = -ENOEXEC;
		goto err;
	}
	if (check_id && !build_id_matches(dso, elf)) {
		elf_end(elf);
		ret = -ESTALE;
		goto err;
	}
	ret = load_layout(cf, elf);
	elf_end(elf);
	if (ret)
		goto err;
	cf->path = strdup(path);
	if (!cf->path) {
		ret = -ENOMEM;
		goto err;
	}
	*out = cf;
	return 0;
err:
	code_file__close(cf);
	return ret;
}

/* This process's vdso: the recorded one when the build-ids agree (or none was recorded). */
static int open_own_vdso(struct code_file **out, const struct dso *dso)
{
	const uint8_t *img;
	struct code_file *cf;
	size_t size;
	Elf *elf;
	int ret;

	*out = NULL;
	ret = vdso__own_image(&img, &size);
	if (ret)
		return ret;
	ret = -ENOEXEC;
	cf = code_file__alloc();
	if (!cf)
		return -ENOMEM;
	cf->image = malloc(size);
	cf->path = strdup("[vdso]");
	if (!cf->image || !cf->path) {
		ret = -ENOMEM;
		goto err;
	}
	memcpy(cf->image, img, size);
	cf->image_size = size;
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)cf->image, size);
	if (!elf)
		goto err;
	if (!build_id_matches(dso, elf)) {
		elf_end(elf);
		ret = -ESTALE;
		goto err;
	}
	ret = load_layout(cf, elf);
	elf_end(elf);
	if (ret)
		goto err;
	*out = cf;
	return 0;
err:
	code_file__close(cf);
	return ret;
}

static const char *home_dir(void)
{
	const char *h = getenv("HOME");

	return h && *h ? h : "/root";
}

/* perf's build-id cache: ~/.debug/.build-id/xx/rest is the file, or a directory holding
 * "elf" (or "vdso", or "kallsyms" for the kernel). */
static void cache_path(const struct dso *dso, const char *leaf, char *out, size_t len)
{
	char hex[41];
	struct stat st;

	build_id__hex(dso->build_id, dso->build_id_size, hex);
	snprintf(out, len, "%s/.debug/.build-id/%.2s/%s", home_dir(), hex, hex + 2);
	if (!stat(out, &st) && S_ISDIR(st.st_mode)) {
		size_t l = strlen(out);

		snprintf(out + l, len - l, "/%s", leaf);
	}
}

static struct code_file *open_user(struct dso *dso, char *why, size_t whylen)
{
	struct code_file *cf = NULL;
	char path[4200], hex[41] = "";
	int ret = -ENOENT;

	if (dso->has_build_id)
		build_id__hex(dso->build_id, dso->build_id_size, hex);
	if (dso->kind != DSO_VDSO && dso->name[0] == '/' && !strstr(dso->name, " (deleted)"))
		ret = open_path(&cf, dso->name, dso, true);
	if (cf)
		return cf;
	if (dso->has_build_id) {
		cache_path(dso, dso->kind == DSO_VDSO ? "vdso" : "elf", path, sizeof(path));
		if (!open_path(&cf, path, dso, true))
			return cf;
	}
	if (dso->kind == DSO_VDSO) {
		if (!open_own_vdso(&cf, dso))
			return cf;
		say(why, whylen, "%s: this machine's vdso is not the recorded one and ~/.debug has no "
		    "copy with build-id %s", dso->name, hex[0] ? hex : "(none recorded)");
		return NULL;
	}
	if (ret == -ESTALE)
		say(why, whylen, "%s: the file has changed since the recording (build-id is not %s) and "
		    "~/.debug has no copy; keep copies with 'perf buildid-cache -a FILE' before rebuilding",
		    dso->name, hex);
	else if (ret == -ENOENT)
		say(why, whylen, "%s: no such file%s%s%s", dso->name,
		    hex[0] ? " and no copy with build-id " : "", hex, hex[0] ? " in ~/.debug" : "");
	else
		say(why, whylen, "%s: cannot read it: %s", dso->name, strerror(-ret));
	return NULL;
}

/* The value of symbol @name in an ELF file's .symtab; 0 if absent. */
static uint64_t elf_symbol_value(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	uint64_t val = 0;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && !val && (scn = elf_nextscn(elf, scn))) {
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
	if (elf)
		elf_end(elf);
	close(fd);
	return val;
}

/* A vmlinux's addresses are link-time ones; the recording saw them moved by KASLR. */
static void vmlinux_delta(struct code_file *cf, const struct dso *dso)
{
	uint64_t text = elf_symbol_value(cf->path, "_text");

	if (text && dso->kernel_reloc)
		cf->delta = (int64_t)(text - dso->kernel_reloc);
}

static struct code_file *open_kernel(struct dso *dso, const struct code_opts *o, char *why,
				     size_t whylen)
{
	struct code_file *cf = NULL;
	const char *kcore = o->kcore ? o->kcore : "/proc/kcore";
	char hex[41] = "", rel[256], cand[10][4200], kwhy[200];
	struct utsname un;
	int i, n = 0, ret;

	if (dso->has_build_id)
		build_id__hex(dso->build_id, dso->build_id_size, hex);
	if (o->vmlinux) {
		ret = open_path(&cf, o->vmlinux, dso, true);
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
	/* perf's places for a vmlinux, then its build-id cache */
	if (dso->kind == DSO_KERNEL) {
		snprintf(cand[n++], sizeof(cand[0]), "vmlinux");
		snprintf(cand[n++], sizeof(cand[0]), "/boot/vmlinux");
		snprintf(cand[n++], sizeof(cand[0]), "/boot/vmlinux-%s", rel);
		snprintf(cand[n++], sizeof(cand[0]), "/usr/lib/debug/boot/vmlinux-%s", rel);
		snprintf(cand[n++], sizeof(cand[0]), "/lib/modules/%s/build/vmlinux", rel);
		snprintf(cand[n++], sizeof(cand[0]), "/usr/lib/debug/lib/modules/%s/vmlinux", rel);
		snprintf(cand[n++], sizeof(cand[0]), "/usr/lib/debug/boot/vmlinux-%s.debug", rel);
		if (dso->has_build_id)
			cache_path(dso, "elf", cand[n++], sizeof(cand[0]));
	}
	for (i = 0; i < n; i++) {
		/* without a recorded build-id a vmlinux cannot be checked: do not guess */
		if (!dso->has_build_id)
			break;
		if (!open_path(&cf, cand[i], dso, true)) {
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
		uint8_t id[20];
		size_t idn = kallsyms__running_build_id(id, sizeof(id));

		if (dso->has_build_id && idn && !same_build_id(dso, id, idn)) {
			say(kwhy, sizeof(kwhy), "the running kernel is not the recorded one, so %s "
			    "does not help", kcore);
		} else {
			ret = open_path(&cf, kcore, dso, false);
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

int code_file__read(struct code_file *cf, uint64_t addr, uint8_t *buf, size_t len)
{
	uint64_t fa = addr + (uint64_t)cf->delta, off;
	const struct region *r = find_region(cf, fa);
	size_t done = 0;

	if (!r || len > r->size - (fa - r->vaddr))
		return -ENOENT;
	off = r->off + (fa - r->vaddr);
	if (cf->image) {
		if (off > cf->image_size || len > cf->image_size - off)
			return -ENOENT;
		memcpy(buf, cf->image + off, len);
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(cf->fd, buf + done, len - done, (off_t)(off + done));

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
const char *code_file__path(const struct code_file *cf) { return cf->path; }
