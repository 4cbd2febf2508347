/* The one way symbols/ and unwind/ open ELF files and check build-ids.
 *
 * An ELF file is opened from disk (libelf reads the parts asked for with pread), mapped
 * whole (the unwinders read its bytes), or copied from this process's own vdso. Opening may
 * check the file against a DSO's recorded build-id. Where a DSO's files may be found: perf's
 * build-id cache (~/.debug/.build-id/xx/rest, perhaps a directory holding "elf" or "vdso")
 * and the separate debug files (/usr/lib/debug/.build-id/xx/rest.debug, the .gnu_debuglink
 * name beside the file, in its .debug/ and under /usr/lib/debug), and perf's places for a
 * vmlinux.
 *
 *	struct elf_file f = ELF_FILE_INIT;
 *	if (elf_file__open(&f, path, dso) == 0)		(-ESTALE: another build-id)
 *		... f.elf ...
 *	elf_file__close(&f);
 */
#ifndef SYMBOLS_ELF_FILE_H
#define SYMBOLS_ELF_FILE_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdwfl.h>

#include "perfdata/buildid.h"

struct dso;

/* Room for a path in the candidate lists. */
#define ELF_FILE_PATH 4096

struct elf_file {
	Elf *elf;
	int fd;			/* -1 when the ELF is an image in memory */
	uint8_t *image;		/* the whole file in memory (mapping or vdso copy), else NULL */
	size_t size;		/* of image */
	bool mapped;		/* image is an mmap (else malloc) */
	char *path;		/* as opened; "[vdso]" for the own vdso */
};

#define ELF_FILE_INIT { .fd = -1 }

/* Open a regular file through libelf (read on demand, not mapped). With @want, only if it
 * carries @want's recorded build-id (any file when none was recorded). 0, -ENOENT (no such
 * regular file), -ENOEXEC (not ELF), -ESTALE (another build-id) or another -errno; *f is
 * closed on failure. */
int elf_file__open(struct elf_file *f, const char *path, const struct dso *want);
/* This process's vdso, copied; @want as above. 0, -ENOENT (no vdso), -ENOEXEC, -E2BIG,
 * -ESTALE or -ENOMEM. */
int elf_file__open_own_vdso(struct elf_file *f, const struct dso *want);
/* The whole file mapped private and writable (libelf may convert sections in place), its
 * bytes at f->image. 0, -ENOENT (not a regular file of ELF header size), -ENOEXEC or
 * another -errno. No build-id check. */
int elf_file__map(struct elf_file *f, const char *path);
/* NULL-safe; leaves *f as ELF_FILE_INIT. */
void elf_file__close(struct elf_file *f);

/* The GNU build-id of an open ELF (its SHT_NOTE sections). Size (> 0) or -ENOENT. */
int elf_file__build_id(Elf *elf, uint8_t id[PD_BUILD_ID_MAX]);
/* Does @f carry @dso's recorded build-id (true when none was recorded)? */
bool elf_file__matches(const struct elf_file *f, const struct dso *dso);
/* The section named @name (its header in *sh), or NULL. */
Elf_Scn *elf_file__section(Elf *elf, const char *name, GElf_Shdr *sh);

/* Lowercase hex of a build-id into buf (2*size+1 bytes). */
void build_id__hex(const uint8_t *id, size_t size, char *buf);
/* The directory holding perf's .debug cache: $HOME, else /root. */
const char *build_id__cache_home(void);
/* perf's build-id cache entry of @id: ~/.debug/.build-id/xx/rest, or @leaf ("elf", "vdso")
 * inside it when that is a directory. */
void build_id__cache_path(const uint8_t *id, size_t size, const char *leaf, char *out,
			  size_t len);
/* perf's copy of a kernel's kallsyms: ~/.debug/[kernel.kallsyms]/HEX/kallsyms. */
void build_id__cache_kallsyms(const uint8_t *id, size_t size, char *out, size_t len);
/* The separate debug files to try, in order: by build-id (when @id_size), then by the
 * .gnu_debuglink of @rt (when it is open from an absolute path), then, when none of those
 * exists and @rt has no DWARF, the one a debuginfod server has (symbols/debuginfod.h).
 * Returns how many. */
int elf_file__debug_candidates(const struct elf_file *rt, const uint8_t *id, size_t id_size,
			       char out[][ELF_FILE_PATH], int max);
/* perf's places for the vmlinux of kernel release @release, then its build-id cache entry
 * (when @id_size). Returns how many. */
int elf_file__vmlinux_candidates(const char *release, const uint8_t *id, size_t id_size,
				 char out[][ELF_FILE_PATH], int max);
/* A libdwfl session that finds ELF and debug files the standard way (build-id,
 * .gnu_debuglink, /usr/lib/debug); NULL on failure. */
Dwfl *elf_file__dwfl_begin(void);

#endif
