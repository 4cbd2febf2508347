/* Every named symbol of an ELF file (objects, functions, labels), for naming an address
 * as objdump does in its disassembly comments ("# 4060 <sink>"): the nearest symbol at or
 * before it. */
#ifndef SYMBOLS_ELF_NAMES_H
#define SYMBOLS_ELF_NAMES_H

#include <stdint.h>

struct elf_names;

/* The symbols of @path (.symtab, else .dynsym). NULL with errno when the file cannot be
 * read as ELF. */
struct elf_names *elf_names__open(const char *path);
/* Only the sized function symbols of @path's .symtab, the first in table order at each
 * address: the symbols binutils' addr2line names functions after. */
struct elf_names *elf_names__open_funcs(const char *path);
void elf_names__close(struct elf_names *n);
/* How many symbols @n holds (0 for a stripped file's .symtab: there is none) */
size_t elf_names__count(const struct elf_names *n);
/* The raw name of the symbol at or before @addr, *off the distance; NULL when none.
 * Valid until elf_names__close(). */
const char *elf_names__at(const struct elf_names *n, uint64_t addr, uint64_t *off);

/* The name at exactly @addr, or NULL. */
const char *elf_names__exact(const struct elf_names *n, uint64_t addr);

#endif
