/* What pprobe asks an ELF file's DWARF and symbol table: a function's parameters and locals
 * (where each is at the function's entry, its type), its declaration file and line, the source
 * lines that have code, the probe-able symbol names, and an offset's function (for -l). */
#ifndef SAMPLER_PROBE_DWARF_H
#define SAMPLER_PROBE_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct probe_var {
	char name[64];
	char ctype[64];		/* the C type, as -V prints it ("int", "char*") */
	char reg[16];		/* where it is at the entry: "%di"; "" when not in a register */
	char fetch[8];		/* the fetch type of its size and sign: "s32", "u64", "x64" (pointers) */
	bool is_param;
	bool is_pointer;
};

struct probe_func {
	char name[128];
	char decl_file[512];	/* absolute (comp_dir joined) */
	char cu_name[512];	/* the CU's name as compiled ("tests/progs/probed.c") */
	int decl_line;
	uint64_t low_pc, high_pc;
	struct probe_var vars[32];
	int nr_vars;
};

/* The function FUNC of @path from its DWARF. 0, -ENODATA (no debug info), -ENOENT. */
int probe_dwarf__func(const char *path, const char *func, struct probe_func *out);
/* The same, the variables' registers where they are at address @pc of the function (a line
 * or FUNC+OFFS probe) instead of at its entry; @pc 0: the entry. */
int probe_dwarf__func_at(const char *path, const char *func, uint64_t pc, struct probe_func *out);
/* The source lines of [low_pc, high_pc) with a statement, ascending, and the lowest address of
 * each; *last: the last line with code, statement or not. The number, or -errno. */
int probe_dwarf__lines(const char *path, const struct probe_func *f, int *lines, uint64_t *addrs, int max,
		       int *last);
/* The lines of @f a probe can go on, relative to its declaration line (0 first: the entry), as
 * perf probe -L numbers them: a line whose address an earlier line already has is left out.
 * The number, or -errno. */
int probe_dwarf__probe_lines(const char *path, const struct probe_func *f, int *rel, int max);
/* The defined symbols of @path not starting with '_' whose names match the glob @filter (NULL:
 * all), sorted and once each, one per line on @out. The number, or -errno. */
int probe_dwarf__symbols(const char *path, const char *filter, FILE *out);
/* The function holding file offset @off of @path and the offset into it. 0 or -ENOENT. */
int probe_dwarf__func_at_offset(const char *path, uint64_t off, char *name, size_t len, uint64_t *delta);

#endif
