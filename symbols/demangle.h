/* Demangling C++ (Itanium) and Rust symbol names through libiberty, as perf shows them. */
#ifndef SYMBOLS_DEMANGLE_H
#define SYMBOLS_DEMANGLE_H

/* malloc'd demangled name, or NULL if @name is not mangled (or cannot be demangled). */
char *demangle__sym(const char *name);

/* As objdump -C (and so perf annotate's disassembly) prints a C++ name: with the parameter
 * list and clone suffixes ("f(int) [clone .constprop.0]"). malloc'd, NULL if not mangled. */
char *demangle__sym_params(const char *name);

#endif
