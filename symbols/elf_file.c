/* Owns opening ELF files for symbols/ and unwind/ (from disk, mapped whole, or this
 * process's own vdso image), their GNU build-ids (note blocks parsed by perfdata/buildid.c)
 * and the check against a recorded one, perf's build-id cache paths, the lists of separate
 * debug files and vmlinux images to try, and the libdwfl callbacks that find ELF and debug
 * files. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbols/dso.h"
#include "symbols/buildid_cache.h"
#include "symbols/debuginfod.h"
#include "symbols/elf_file.h"
#include "symbols/symfs.h"

static void add_path(char out[][ELF_FILE_PATH], int *n, int max, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add_path(char out[][ELF_FILE_PATH], int *n, int max, const char *fmt, ...)
{
	va_list ap;

	int len;

	if (*n >= max)
		return;
	va_start(ap, fmt);
	len = vsnprintf(out[*n], ELF_FILE_PATH, fmt, ap);
	va_end(ap);
	if (len >= 0 && len < ELF_FILE_PATH)	/* a cut path would name another file */
		(*n)++;
}

void elf_file__close(struct elf_file *f)
{
	if (!f)
		return;
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	if (f->image) {
		if (f->mapped)
			munmap(f->image, f->size);
		else
			free(f->image);
	}
	free(f->path);
	*f = (struct elf_file)ELF_FILE_INIT;
}

/* The last step of every open: the path, and the build-id check. */
static int elf_file__finish(struct elf_file *f, const char *path, const struct dso *want)
{
	int ret = -ENOEXEC;

	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
		goto err;
	ret = -ENOMEM;
	f->path = strdup(path);
	if (!f->path)
		goto err;
	ret = -ESTALE;
	if (want && !elf_file__matches(f, want))
		goto err;
	return 0;
err:
	elf_file__close(f);
	return ret;
}

int elf_file__open(struct elf_file *f, const char *path, const struct dso *want)
{
	struct stat st;

	*f = (struct elf_file)ELF_FILE_INIT;
	/* not a FIFO or a device, which could block or go on forever */
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -ENOENT;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	/* read, not mapped: what the callers look at (headers, notes, a symbol table) is a
	 * small part of the file, and unmapping a file costs every core that runs one of this
	 * process's threads an interrupt (shooting down its TLB). With the pipeline's reader
	 * running, the 57 DSOs of a 290K-sample -a -g file took 15-30 ms to load mapped, 6-9 ms
	 * read. */
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	return elf_file__finish(f, path, want);
}

/* The vdso of this process and the bytes that hold its sections and loaded segments: the
 * same kernel as the recording's when the build-ids agree. */
static int own_vdso_image(const uint8_t **image, size_t *size)
{
	const uint8_t *img = (const void *)getauxval(AT_SYSINFO_EHDR);
	Elf64_Ehdr eh;
	size_t n;

	if (!img)
		return -ENOENT;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
		return -ENOEXEC;
	n = eh.e_shoff + (size_t)eh.e_shnum * eh.e_shentsize;
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + i * eh.e_phentsize, sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > n)
			n = ph.p_offset + ph.p_filesz;
	}
	if (n > (16u << 20))
		return -E2BIG;
	*image = img;
	*size = n;
	return 0;
}

int elf_file__open_own_vdso(struct elf_file *f, const struct dso *want)
{
	const uint8_t *img;
	size_t size;
	int ret;

	*f = (struct elf_file)ELF_FILE_INIT;
	ret = own_vdso_image(&img, &size);
	if (ret)
		return ret;
	f->image = malloc(size);
	if (!f->image)
		return -ENOMEM;
	memcpy(f->image, img, size);
	f->size = size;
	elf_version(EV_CURRENT);
	f->elf = elf_memory((char *)f->image, size);
	return elf_file__finish(f, "[vdso]", want);
}

int elf_file__map(struct elf_file *f, const char *path)
{
	struct stat st;
	void *p;
	int fd;

	*f = (struct elf_file)ELF_FILE_INIT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return -ENOENT;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	f->image = p;
	f->size = (size_t)st.st_size;
	f->mapped = true;
	elf_version(EV_CURRENT);
	f->elf = elf_memory((char *)f->image, f->size);
	return elf_file__finish(f, path, NULL);
}

int elf_file__build_id(Elf *elf, uint8_t id[PD_BUILD_ID_MAX])
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		int n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			continue;
		/* libelf has the note headers in host byte order already */
		n = pd_buildid__from_notes(data->d_buf, data->d_size,
					   data->d_type == ELF_T_NHDR8 ? 8 : 4, id);
		if (n > 0)
			return n;
	}
	return -ENOENT;
}

bool elf_file__matches(const struct elf_file *f, const struct dso *dso)
{
	uint8_t id[PD_BUILD_ID_MAX];
	int n;

	if (!dso->has_build_id)
		return true;
	n = elf_file__build_id(f->elf, id);
	return n == (int)dso->build_id_size && !memcmp(id, dso->build_id, (size_t)n);
}

Elf_Scn *elf_file__section(Elf *elf, const char *want, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh->sh_name);
		if (name && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

void build_id__hex(const uint8_t *id, size_t size, char *buf)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < size; i++) {
		buf[2 * i] = hx[id[i] >> 4];
		buf[2 * i + 1] = hx[id[i] & 15];
	}
	buf[2 * size] = '\0';
}

const char *build_id__cache_home(void)
{
	const char *h = getenv("HOME");

	return h && *h ? h : "/root";
}

void build_id__cache_path(const uint8_t *id, size_t size, const char *leaf, char *out,
			  size_t len)
{
	char hex[2 * PD_BUILD_ID_MAX + 1];
	char rel[2 * PD_BUILD_ID_MAX + 16];
	struct stat st;

	build_id__hex(id, size, hex);
	snprintf(rel, sizeof(rel), ".build-id/%.2s/%s", hex, hex + 2);
	snprintf(out, len, "%s/%s", symfs__cache_root(rel), rel);
	if (!stat(out, &st) && S_ISDIR(st.st_mode)) {
		size_t l = strlen(out);

		snprintf(out + l, len - l, "/%s", leaf);
	}
}

void build_id__cache_kallsyms(const uint8_t *id, size_t size, char *out, size_t len)
{
	char hex[2 * PD_BUILD_ID_MAX + 1], rel[2 * PD_BUILD_ID_MAX + 32];

	build_id__hex(id, size, hex);
	snprintf(rel, sizeof(rel), "[kernel.kallsyms]/%s/kallsyms", hex);
	snprintf(out, len, "%s/%s", symfs__cache_root(rel), rel);
}

/* The .gnu_debuglink file name of @elf into @link; false if none. */
static bool debuglink(Elf *elf, char *link, size_t len)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf_file__section(elf, ".gnu_debuglink", &sh);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	size_t l;

	if (!d || !d->d_buf || d->d_size <= 1)
		return false;
	l = strnlen(d->d_buf, d->d_size);
	if (l == 0 || l >= len)
		return false;
	memcpy(link, d->d_buf, l);
	link[l] = '\0';
	return true;
}

static bool any_file(char out[][ELF_FILE_PATH], int n)
{
	struct stat st;

	for (int i = 0; i < n; i++)
		if (!stat(out[i], &st) && S_ISREG(st.st_mode))
			return true;
	return false;
}

static bool has_dwarf(const struct elf_file *f)
{
	GElf_Shdr sh;

	return f->elf && elf_file__section(f->elf, ".debug_info", &sh) && sh.sh_type != SHT_NOBITS;
}

int elf_file__debug_candidates(const struct elf_file *rt, const uint8_t *id, size_t id_size,
			       char out[][ELF_FILE_PATH], int max)
{
	char link[256], dir[ELF_FILE_PATH], *dup;
	int n = 0;

	if (id_size) {
		char hex[2 * PD_BUILD_ID_MAX + 1];

		build_id__hex(id, id_size, hex);
		add_path(out, &n, max, "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2);
	}
	if (rt->elf && rt->path && rt->path[0] == '/' && debuglink(rt->elf, link, sizeof(link)) &&
	    (dup = strdup(rt->path))) {
		snprintf(dir, sizeof(dir), "%s", dirname(dup));
		free(dup);
		add_path(out, &n, max, "%s/%s", dir, link);
		add_path(out, &n, max, "%s/.debug/%s", dir, link);
		add_path(out, &n, max, "/usr/lib/debug%s/%s", dir, link);
	}
	/* none here and no DWARF in the file itself: the servers of $DEBUGINFOD_URLS */
	if (n < max && !any_file(out, n) && !has_dwarf(rt) &&
	    !debuginfod__find("debuginfo", id, id_size, NULL, rt->path, out[n], ELF_FILE_PATH))
		n++;
	return n;
}

int elf_file__vmlinux_candidates(const char *release, const uint8_t *id, size_t id_size,
				 char out[][ELF_FILE_PATH], int max)
{
	int n = 0;

	add_path(out, &n, max, "vmlinux");
	add_path(out, &n, max, "/boot/vmlinux");
	add_path(out, &n, max, "/boot/vmlinux-%s", release);
	add_path(out, &n, max, "/usr/lib/debug/boot/vmlinux-%s", release);
	add_path(out, &n, max, "/lib/modules/%s/build/vmlinux", release);
	add_path(out, &n, max, "/usr/lib/debug/lib/modules/%s/vmlinux", release);
	add_path(out, &n, max, "/usr/lib/debug/boot/vmlinux-%s.debug", release);
	if (id_size && n < max)
		build_id__cache_path(id, id_size, "elf", out[n++], ELF_FILE_PATH);
	return n;
}

Dwfl *elf_file__dwfl_begin(void)
{
	static const Dwfl_Callbacks cb = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};

	return dwfl_begin(&cb);
}
