/* objdump's names of an ELF file's x86-64 PLT slots, as its disassembly prints call targets:
 * "puts@plt", and for a slot whose relocation has no symbol (R_X86_64_IRELATIVE, an ifunc
 * called inside the file that defines it) "*ABS*+0x9d670@plt", the resolver's address.
 *
 *	struct plt_names *p = plt_names__open("/lib/x86_64-linux-gnu/libc.so.6");
 *	const char *n = plt_names__exact(p, 0x26150);
 *	plt_names__close(p);
 */
#ifndef SYMBOLS_DISASM_PLT_H
#define SYMBOLS_DISASM_PLT_H

#include <stdint.h>

struct plt_names;

/* The slots of @path (the file holding the code: a separate debug file has no PLT bytes).
 * A file without PLT slots gives an empty table; NULL with errno when @path cannot be read
 * as ELF. */
struct plt_names *plt_names__open(const char *path);
void plt_names__close(struct plt_names *p);
/* The name of the slot starting at @addr, or NULL. Valid until plt_names__close(). */
const char *plt_names__exact(const struct plt_names *p, uint64_t addr);

#endif
