/* Demangling C++ (Itanium) and Rust symbol names through libiberty, as perf shows them. */
#ifndef SYMBOLS_DEMANGLE_H
#define SYMBOLS_DEMANGLE_H

/* malloc'd demangled name, or NULL if @name is not mangled (or cannot be demangled). */
char *demangle__sym(const char *name);

#endif
