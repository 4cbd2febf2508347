/* Register lists for --user-regs/--intr-regs, in perf's names (x86_64: AX BX CX DX SI DI BP SP
 * IP FLAGS CS SS R8..R15), into a sample_regs mask with the kernel's bit numbers
 * (<asm/perf_regs.h>). */
#ifndef SAMPLER_REGS_H
#define SAMPLER_REGS_H

#include <stddef.h>
#include <stdint.h>

/* The mask perf uses when no list is given: every register above. */
uint64_t regs__default_mask(void);
/* "ax,bx,r8" (any case) into *mask. 0, or -EINVAL with the bad name copied to @bad. */
int regs__parse(const char *list, uint64_t *mask, char *bad, size_t bad_size);
/* The names, space-separated, as perf lists them for "?" */
void regs__list(char *buf, size_t size);

#endif
