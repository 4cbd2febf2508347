/* Where each process's main stack begins (/proc/PID/stat startstack: argc, then argv,
 * environment and auxv above it), read once per process while recording, so that DWARF
 * stack copies can be cut right above the outermost frame (_start). */
#ifndef SAMPLER_STACKTOP_H
#define SAMPLER_STACKTOP_H

#include <stdbool.h>
#include <stdint.h>

struct stacktop;

struct stacktop *stacktop__new(void);
void stacktop__free(struct stacktop *t);
/* pd_stack_top_fn: the main thread's stack start (where argc is), 0 for other threads and
 * unknown processes; exec reads it again. */
uint64_t stacktop__get(void *t, uint32_t pid, uint32_t tid, bool exec);

#endif
