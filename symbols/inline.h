/* Inline chains of user frames, as perf 6.1 expands DWARF-unwound callchain entries: the
 * code at an address is replaced by its inline chain (innermost first, ending with the
 * function it was inlined into), names from DWARF (symbols/srcline.h, libdw). A level whose
 * name is not the frame's symbol's (an inlined function, or a clone such as
 * "f.constprop.0" that DWARF calls "f") is "inlined": perf prints it "name+off (inlined)"
 * with the symbol's offset. Chains are looked up once per (DSO, address) and cached. */
#ifndef SYMBOLS_INLINE_H
#define SYMBOLS_INLINE_H

#include <stdbool.h>
#include <stdint.h>

struct dso;
struct symbol;

/* One level of a chain. */
struct inline_frame {
	const char *name;	/* function of this level (demangled as asked), "??" if DWARF names none */
	const char *file;	/* source at this level (the call site for outer levels), NULL if unknown */
	const char *dir;	/* compilation directory when file is relative, else NULL */
	int line;
	bool inlined;		/* name is not the symbol's: printed as perf's "(inlined)" */
};

struct inline_cache;

struct inline_cache *inline_cache__new(bool demangle);
void inline_cache__free(struct inline_cache *c);

/* The chain at map address @addr of @dso, whose symbol there is @sym: *chain gets the levels
 * (valid until inline_cache__free()). Returns their number, 0 when DWARF has nothing to say
 * (the frame stays as it is), -ENOMEM. Kernel frames and frames without a symbol get 0. */
int inline_cache__find(struct inline_cache *c, struct dso *dso, struct symbol *sym,
		       uint64_t addr, const struct inline_frame **chain);

#endif
