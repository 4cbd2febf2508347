/* Name -> address questions about one ELF file, for probes: a function's address, the file
 * offset of an address, the function containing an address, the address of FILE:LINE (libdw). */
#ifndef SYMBOLS_ELF_LOOKUP_H
#define SYMBOLS_ELF_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

/* The address (st_value) of function NAME from .symtab, else .dynsym. 0 or -errno (-ENOENT). */
int elf_lookup__func(const char *path, const char *name, uint64_t *vaddr);
/* The name of the function whose [start, start+size) holds vaddr. 0 or -ENOENT. */
int elf_lookup__func_at(const char *path, uint64_t vaddr, char *name, size_t len);
/* The file offset at which vaddr is loaded (through the PT_LOAD program headers). */
int elf_lookup__file_offset(const char *path, uint64_t vaddr, uint64_t *offset);
/* The lowest statement address of FILE:LINE (FILE matches a source path's tail). 0 or -errno. */
int elf_lookup__line(const char *path, const char *file, int line, uint64_t *vaddr);

#endif
