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
/* name@plt for each x86-64 PLT slot, from the relocation of the GOT entry it jumps through
 * (symbols/plt.c); @elf is a libelf handle (Elf *). */
int plt__synth(struct dso *dso, void *elf);
/* Each such slot: its address, size, the relocation's symbol ("" for IRELATIVE) and addend.
 * A non-zero return from @cb stops the walk and is returned. */
typedef int (*plt_slot_cb)(void *ctx, uint64_t addr, uint64_t size, const char *name,
			   uint64_t addend);
int plt__walk(void *elf, plt_slot_cb cb, void *ctx);
/* /tmp/perf-PID.map: "START SIZE name" lines, hex. */
int jitmap__load(struct dso *dso);

#endif
