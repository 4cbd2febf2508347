/* A cache of the running kernel's own symbols as kallsyms lists them (the lines kept for
 * [kernel.kallsyms], before sorting and relocation), so that opening a recording does not
 * make the kernel format /proc/kallsyms (it expands every name on each read) each time.
 *
 * One file per boot and kernel: $XDG_CACHE_HOME (else ~/.cache)/pstat/kallsyms6-BOOTID-BUILDID.
 * Only core kernel lines are kept (modules and BPF programs come and go: their symbols are
 * always read afresh). A cache is used only while /proc/kallsyms's first address reads as it
 * did when the cache was written (so not when addresses are hidden from this user). Internal
 * to symbols/. */
#ifndef SYMBOLS_KALLSYMS_CACHE_H
#define SYMBOLS_KALLSYMS_CACHE_H

#include <stdint.h>

struct dso;

/* Fill @dso with the cached symbols (built on use from dso->table) and *text with _text's
 * address. 0, or -ENOENT when there is no usable cache (nothing added then). */
int kallsyms_cache__load(struct dso *dso, uint64_t *text);
/* Save @dso's symbols as just read from /proc/kallsyms (none sorted or relocated yet) and
 * _text's address. Failing to write is not an error (the next run reads kallsyms again). */
void kallsyms_cache__save(const struct dso *dso, uint64_t text);

#endif
