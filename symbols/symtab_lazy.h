/* A symbol-table file's entries and names (symtab_file.h's layout) for a DSO that builds its
 * symbols on first use: a small file read whole into memory; a big one (the kernel's, 6 MB)
 * read on demand: an index of every SYMTAB_LAZY_EVERY-th entry's start in memory, the starts
 * of a block of entries read when a lookup first lands in it, an entry and its name when its
 * symbol is built. A run then keeps only the index (25 KB for the kernel), the blocks its
 * lookups met and the names of its symbols, where a mapping of the file took megabytes: the
 * kernel maps 64 KB of page cache around each page fault, and the binary searches of a few
 * thousand kernel symbols fault on most of the file's pages. Internal to symbols/. */
#ifndef SYMBOLS_SYMTAB_LAZY_H
#define SYMBOLS_SYMTAB_LAZY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso_lazy_sym;
struct symtab_lazy;

/* Entries an index entry stands for in a file read on demand (its block). */
#define SYMTAB_LAZY_EVERY 64u

/* A table in memory: @nr entries at @ents and @names_size bytes of names at @names (the
 * last a NUL), all within @buf, which the table now owns (freed with it, also on failure).
 * NULL + errno ENOMEM. */
struct symtab_lazy *symtab_lazy__new_mem(char *buf, const struct dso_lazy_sym *ents,
					 uint64_t nr, const char *names, uint64_t names_size);
/* A table read from @fd on demand: @nr entries at @ents_off, @names_size bytes of names at
 * @names_off, and @index, the start of entries 0, EVERY, 2 * EVERY, ... (the table owns
 * @fd and @index from here on, also on failure). NULL + errno ENOMEM. */
struct symtab_lazy *symtab_lazy__new_file(int fd, uint64_t nr, uint64_t ents_off,
					  uint64_t names_off, uint64_t names_size,
					  uint64_t *index);
void symtab_lazy__free(struct symtab_lazy *t);

/* The last entry whose start is <= @addr: true with its number in *i; false when there is
 * none (or the file cannot be read: debug message). */
bool symtab_lazy__find(struct symtab_lazy *t, uint64_t addr, size_t *i);
/* Entry @i (< nr) into *e and its name into *name, good for the table's life; a name
 * offset past the names (a damaged file) reads as the empty last string. 0 or -errno. */
int symtab_lazy__sym(struct symtab_lazy *t, size_t i, struct dso_lazy_sym *e, const char **name);
/* Read all the entries and names at once, for building every symbol: later ones cost no
 * reads. 0 or -errno (nothing changed then). */
int symtab_lazy__read_all(struct symtab_lazy *t);

#endif
