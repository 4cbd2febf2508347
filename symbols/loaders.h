/* The symbol sources behind dso__load(), one per kind of DSO (internal to symbols/). */
#ifndef SYMBOLS_LOADERS_H
#define SYMBOLS_LOADERS_H

#include <stddef.h>
#include <stdint.h>

struct dso;

/* Kernel and modules from kallsyms (the running kernel's, or perf's ~/.debug copy). */
int kallsyms__load(struct dso *dso);
/* ELF files: .symtab (own or separate debug file), else .dynsym + minidebuginfo; PLT. */
int elf__load(struct dso *dso);
/* /tmp/perf-PID.map: "START SIZE name" lines, hex. */
int jitmap__load(struct dso *dso);

#endif
