/* Where a recording's files are found on the machine that reads it, build-id first.
 *
 * A DSO with a recorded build-id is looked up, in order: in the symbol directory (--symfs DIR,
 * or the unpacked --archive: DIR/.build-id/xx/rest, perf's cache layout), in the build-id
 * cache ($PERF_BUILDID_DIR, else ~/.debug), at DIR/PATH, and last at PATH itself. A file is
 * taken only when it carries the recorded build-id; a file at PATH with another build-id (the
 * binary was rebuilt) is never used, and one warning says so.
 *
 * The symbol directory is $PSYMFS (the readers' --symfs and --archive set it). */
#ifndef SYMBOLS_SYMFS_H
#define SYMBOLS_SYMFS_H

#include <stddef.h>

#include "symbols/elf_file.h"

struct dso;

/* The symbol directory, or NULL when none is set. */
const char *symfs__dir(void);
/* The root under which @rel (".build-id/xx/rest", "[kernel.kallsyms]/HEX/kallsyms") is
 * looked up: the symbol directory when it holds @rel, else the build-id cache. */
const char *symfs__cache_root(const char *rel);

/* The file with @dso's recorded build-id (any file at its path when none was recorded), into
 * @out. 0; -ENOENT (none found: deleted and not cached), -ESTALE (only a file with another
 * build-id, which was warned about once). The vdso ([vdso]) is looked up in the caches only:
 * -ENOENT means "try this process's own". The answer is kept in the DSO. */
int dso__find_binary(struct dso *dso, char *out, size_t len);
/* That file opened into @f (the search's own open of it, the first time: a DSO's file is
 * opened once to load its symbols, not once to check it and once to read it). 0, the errors
 * of dso__find_binary(), or elf_file__open()'s; @f is closed on failure. */
int dso__open_binary(struct dso *dso, struct elf_file *f);
/* perf's cache copies of @dso's separate debug file (DIR/.build-id/xx/rest/debug) and the
 * symbol directory's copies of the usual candidates, appended to @out after @n. Returns the
 * new count. */
int symfs__debug_candidates(const struct dso *dso, char out[][ELF_FILE_PATH], int n, int max);

#endif
