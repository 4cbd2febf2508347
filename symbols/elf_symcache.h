/* A cache of the symbol tables read from ELF files (issue 22): reading a large library's
 * .symtab, synthesizing its PLT entries and sorting costs milliseconds per DSO on every run
 * (a fifth of pfold's instructions on a 100K-sample -a -g recording); a run that meets the
 * same files again loads the finished table instead (symtab_file.h), and builds a symbol only
 * when a lookup lands on it.
 *
 * One file per table: $XDG_CACHE_HOME (else ~/.cache)/pstat/elfsyms2-HASH, keyed by the
 * identity (device, inode, size, modification and change times) of the runtime image and of
 * the file whose .symtab was read, by whether aliases are chosen by raw names, and by
 * ELF_SYMCACHE_VERSION (raise it when what elf__load puts in a table changes). Images in
 * memory (this process's vdso) are not cached. Internal to symbols/. */
#ifndef SYMBOLS_ELF_SYMCACHE_H
#define SYMBOLS_ELF_SYMCACHE_H

struct dso;
struct elf_file;

#define ELF_SYMCACHE_VERSION 1

/* Give @dso (no symbols yet) the cached table read from @rt (the runtime image, for its
 * .dynsym, PLT and minidebug symbols; not open when there is none) and @symtab (the file whose
 * .symtab was read, perhaps @rt; NULL when none was). 0, or -ENOENT when none is cached. */
int elf_symcache__load(struct dso *dso, const struct elf_file *rt, const struct elf_file *symtab);
/* Save @dso's table, just read from those files (and fixed up). Failing is not an error. */
void elf_symcache__save(const struct dso *dso, const struct elf_file *rt,
			const struct elf_file *symtab);

#endif
