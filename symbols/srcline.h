/* Source lines and inlined frames of DSO addresses, in-process through libdw (the DSO's
 * own DWARF or its separate debug file). Never forks addr2line. */
#ifndef SYMBOLS_SRCLINE_H
#define SYMBOLS_SRCLINE_H

#include <stdbool.h>
#include <stdint.h>

struct dso;

/* One level of an inline chain at an address, innermost first. Strings belong to the
 * DSO's DWARF and stay valid until the DSO is freed. */
struct srcline_frame {
	const char *func;	/* function whose code this is (inlined or not); may be NULL */
	const char *file;	/* source file of that code, NULL if unknown */
	const char *dir;	/* compilation directory when file is relative, else NULL */
	int line;
};

/* File and line of DSO address @vaddr (not a map address); *dir is the compilation
 * directory when the file name is relative (else NULL). 0, or -ENOENT (no DWARF/line). */
int srcline__find(struct dso *dso, uint64_t vaddr, const char **file, const char **dir,
		  int *line);
/* DWARF's discriminator of the line-table row of @vaddr (0: none or unknown). */
unsigned int srcline__discriminator(struct dso *dso, uint64_t vaddr);
/* Whether the DSO's own file has a .symtab function at or before @vaddr (binutils names
 * code by it where DWARF gives no linkage name). */
bool srcline__own_symtab_covers(struct dso *dso, uint64_t vaddr);
/* Inline chain at @vaddr: frames[0] is the innermost code (file:line of vaddr), each next
 * one the caller it was inlined into, at the call site; the last is the real function.
 * Returns the number of frames (1 when nothing is inlined), or -ENOENT. */
int srcline__inlines(struct dso *dso, uint64_t vaddr, struct srcline_frame *frames, int max);
/* Whether the DSO's code has DWARF to be had (its own or a separate debug file's). */
bool srcline__has_dwarf(struct dso *dso);
/* Release the DSO's DWARF state (called when the DSO is freed). */
void srcline__dso_free(struct dso *dso);

#endif
