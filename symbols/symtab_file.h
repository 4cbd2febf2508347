/* A DSO's finished symbol table (sorted, aliases chosen: after dso__fixup_syms) kept in a
 * file and loaded back lazily: a small table is read whole, a big one a block at a time
 * through its index (symtab_lazy.h), and a symbol is built when a lookup first lands on it
 * (struct dso_lazy_sym), so a run builds only the symbols it meets. The caches of the kernel's symbols (kallsyms_cache.h) and of ELF
 * files' (elf_symcache.h) are such files, each under its own key.
 *
 * Layout:
 *	header { char magic[8]; u32 key_size; u32 every; u64 aux, nr, names_size; }
 *	key_size bytes of key, then zeros up to a multiple of 8
 *	ceil(nr / every) x u64: the start of entries 0, every, 2 * every, ... (every is
 *	SYMTAB_LAZY_EVERY)
 *	nr x struct dso_lazy_sym (sorted by start)
 *	names_size bytes of NUL-terminated names (the last byte a NUL)
 * A file is used only when all of it checks: magic, sizes, the key byte for byte. Internal
 * to symbols/. */
#ifndef SYMBOLS_SYMTAB_FILE_H
#define SYMBOLS_SYMTAB_FILE_H

#include <stddef.h>
#include <stdint.h>

struct dso;

/* The user's cache folder for these files, $XDG_CACHE_HOME/pstat (else ~/.cache/pstat),
 * into @dir. 0, or -ENOENT when there is neither variable or the name does not fit. */
int symtab_file__dir(char *dir, size_t size);

/* Give @dso (no symbols yet) the table of @path if its key is @key (@key_size bytes), and
 * *aux the number saved with it. 0, or -ENOENT when there is no usable file (nothing
 * changed then). */
int symtab_file__load(struct dso *dso, const char *path, const void *key, uint32_t key_size,
		      uint64_t *aux);

/* Write @dso's symbols (a table read the long way, not a lazy one) to @path with @key and
 * @aux, through a temporary file renamed over it (a reader sees the old file or the new
 * one). The folder is made if missing (and its parent). Failing is not an error: the next
 * run reads the symbols the long way again (debug message only). */
void symtab_file__save(const struct dso *dso, const char *path, const void *key,
		       uint32_t key_size, uint64_t aux);

#endif
