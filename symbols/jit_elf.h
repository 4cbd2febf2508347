/* One JIT'd function as a small ELF shared object (jitted-PID-N.so, as perf inject --jit
 * writes them): its code in .text at file offset and address JIT_ELF_TEXT_OFFSET, one FUNC
 * symbol over it, a GNU build-id note, and one PT_LOAD, so that every reader (ours and perf's)
 * resolves an address of the code through a map with pgoff JIT_ELF_TEXT_OFFSET. */
#ifndef SYMBOLS_JIT_ELF_H
#define SYMBOLS_JIT_ELF_H

#include <stdint.h>

#include "util/error.h"

#define JIT_ELF_TEXT_OFFSET 0x80u

/* Write @path (created or replaced, mode 0644). 0 or -errno with err set. */
int jit_elf__write(const char *path, uint16_t machine, const char *name, const uint8_t *code,
		   uint64_t size, uint64_t addr, struct error *err);

#endif
