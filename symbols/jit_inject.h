/* pinject --jit (perf inject --jit): a hook for perfdata/inject.h that sees the mmap of each
 * jitdump file (jit-PID.dump, mapped by the JIT to mark it in the recording), writes every
 * function loaded in it as jitted-PID-N.so beside it (symbols/jit_elf.h), and puts an MMAP2 of
 * that file over the code, at the time the code was loaded, in place of the marker. Readers
 * then resolve JIT'd frames to the functions' names. The jitdump's times must be those of the
 * samples: the recording needs CLOCK_MONOTONIC (precord -k 1). */
#ifndef SYMBOLS_JIT_INJECT_H
#define SYMBOLS_JIT_INJECT_H

#include <stdint.h>

#include "perfdata/inject.h"

struct jit_inject {
	uint64_t dumps;			/* jitdump files merged */
	uint64_t functions;		/* code loads written as .so files */
	uint64_t moves;			/* code moves mapped again */
	char **seen;			/* dump paths already merged (a JIT may map one twice) */
	size_t nr_seen, cap_seen;
};

/* The hook (pd_inject_hook_fn); ctx is a zeroed struct jit_inject. */
int jit_inject__hook(void *ctx, struct pd_inject *in, const struct pd_record *rec, struct error *err);
/* Frees what the hook kept; the struct itself is the caller's. NULL-safe. */
void jit_inject__exit(struct jit_inject *j);

#endif
