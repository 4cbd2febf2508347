/* DSOs (an executable, a library, the kernel, the vdso, a JIT map) and their symbols.
 *
 * A DSO is found or created by name in a struct dsos, and its symbols are loaded once, on
 * first lookup: kallsyms for the kernel, the ELF symbol table (.symtab, else .dynsym plus
 * minidebuginfo, plus synthesized name@plt entries) for files, /tmp/perf-PID.map for JIT
 * code. Symbols are kept sorted by start, duplicates resolved and zero sizes extended to
 * the next symbol as perf does, so a lookup is one binary search.
 *
 * Addresses: a map hands a DSO the "map address" (ip - map start + pgoff, i.e. the file
 * offset for files; the ip itself for identity DSOs such as the kernel and JIT maps).
 * dso__find_sym() converts that to the DSO's own address space through the ELF program
 * headers and returns the symbol and the offset into it.
 */
#ifndef SYMBOLS_DSO_H
#define SYMBOLS_DSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strarena.h"

struct symtab_lazy;

struct symcache;
struct pd_embed_dso;

enum dso_kind {
	DSO_USER,		/* an ELF file on disk */
	DSO_KERNEL,		/* [kernel.kallsyms] */
	DSO_KMODULE,		/* a kernel module, symbols from kallsyms */
	DSO_VDSO,		/* [vdso] */
	DSO_JIT,		/* /tmp/perf-PID.map */
	DSO_NOSYMS,		/* [heap], [stack], deleted files, ...: a name, no symbols */
};

struct symbol {
	uint64_t start, end;	/* DSO addresses, [start, end) (end == start: only start) */
	const char *name;	/* raw (mangled) name */
	const char *dname;	/* demangled name, filled on first use; == name if none */
	uint8_t binding;	/* STB_* */
	uint32_t dname_len;	/* strlen(dname) once it is filled */
};

/* An entry of a symbol-table file (symtab_file.h's layout): dso->syms[i] is built from
 * entry i when a lookup first lands on it. */
struct dso_lazy_sym {
	uint64_t start, end;
	uint32_t name;		/* offset into dso->lazy_names */
	uint8_t binding, pad[3];
};

struct dso_seg {
	uint64_t offset, vaddr, filesz;
};

struct dso {
	char *name;		/* as perf prints it: path, [kernel.kallsyms], [vdso], ... */
	size_t name_len;
	enum dso_kind kind;
	bool loaded;
	bool identity;		/* map address == DSO address */
	bool raw_aliases;	/* aliases chosen by mangled names (--no-demangle) */
	uint32_t seq;		/* creation order (1, 2, ...): the build-id table's, then the records' */
	bool has_build_id;
	uint8_t build_id[20];
	uint8_t build_id_size;
	int64_t kernel_delta;	/* kernel: running _text - recorded _text */
	uint64_t kernel_reloc;	/* kernel: recorded address of the ref reloc symbol, 0 = unknown */
	struct symbol *syms;	/* sorted; walked only after dso__syms_all() (a lazy table) */
	size_t nr_syms, syms_cap;
	bool syms_mapped;	/* syms is an anonymous mapping of syms_cap entries, not malloc's */
	bool lazy;		/* syms[i] is built from table's entry i on first use */
	struct symtab_lazy *table;	/* a symbol-table file's entries and the names that
					 * syms point into (symtab_lazy.h), or NULL */
	uint64_t *lazy_built;	/* a bit per entry: syms[i] built */
	struct dso_seg *segs;
	size_t nr_segs;
	char *symsrc;		/* file the symbols came from */
	char *debugsrc;		/* file with DWARF (for srcline), NULL if none found */
	char *binary;		/* the file with the recorded build-id (symbols/symfs.h) */
	int binary_state;	/* dso__find_binary: 0 not asked yet, 1 found, or -errno */
	const struct pd_embed_dso *embedded;	/* the file's own copy of the symbols of its
						 * sampled addresses (symbols/embed.h), or NULL */
	void *srcline;		/* symbols/srcline.c state */
	struct symcache *symcache;	/* recent dso__find_sym answers, made on first use */
	struct strarena names;	/* the symbols' names (or table's) */
};

/* The set of DSOs of a session, by name. */
struct dsos;

struct dsos *dsos__new(void);
void dsos__free(struct dsos *d);
/* Choose among symbols sharing an address by their mangled names (perf with --no-demangle)
 * rather than by their demangled ones (the default): for DSOs created afterwards. */
void dsos__set_raw_aliases(struct dsos *d, bool raw);
/* Find or create. kind is used only on creation. NULL on ENOMEM. */
struct dso *dsos__findnew(struct dsos *d, const char *name, enum dso_kind kind);
struct dso *dsos__find(struct dsos *d, const char *name);
/* Iterate every DSO in creation order: pass NULL to get the first. */
struct dso *dsos__next(struct dsos *d, struct dso *prev);

/* A build-id the recording saw (an entry of the file's BUILD_ID feature) for the DSO
 * @name, found or created; one that has a build-id keeps it. @kernel: recorded in kernel
 * mode, so a module unless it is [kernel.kallsyms]. 0 or -ENOMEM. */
int dsos__add_build_id(struct dsos *d, const char *name, const uint8_t *id, size_t size,
		       bool kernel);

void dso__set_build_id(struct dso *dso, const uint8_t *id, size_t size);
/* Load symbols now (idempotent); 0 or -errno. A DSO that has no symbols is still "loaded". */
int dso__load(struct dso *dso);
/* Build every symbol of a lazily loaded table (dso->lazy): for code that walks dso->syms
 * itself. Lookups through dso__find_sym need not. */
void dso__syms_all(struct dso *dso);
/* Symbol containing the map address @addr; *off gets addr - symbol start in DSO space. */
const struct symbol *dso__find_sym(struct dso *dso, uint64_t addr, uint64_t *off);
/* Map address -> DSO address (ELF vaddr; identity for the kernel and JIT maps). */
uint64_t dso__map_to_vaddr(const struct dso *dso, uint64_t addr);
/* Display name: demangled (C++, Rust) unless !demangle. */
const char *symbol__name(struct symbol *sym, bool demangle);
/* The same with its length in *len (kept with the symbol once demangled: pscript's frames). */
const char *symbol__name_len(struct symbol *sym, bool demangle, size_t *len);

/* Add a symbol to a DSO being built (kallsyms, JIT maps, KSYMBOL records). */
int dso__add_sym(struct dso *dso, uint64_t start, uint64_t size, const char *name, uint8_t binding);
/* Sort, drop duplicates, extend zero sizes; after dso__add_sym calls. */
void dso__fixup_syms(struct dso *dso, bool kallsyms);

#endif
