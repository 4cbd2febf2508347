/* Blocks that can grow large (arrays that double), taken straight from the kernel once they
 * reach BIGBLOCK_MIN bytes rather than from malloc's heap, in a process that asked for it
 * (bigblock__use_maps). A reading tool's heap is one region of huge pages (mem__heap_huge)
 * that never shrinks, so a block freed in it (the old half of an array that doubled) stays
 * resident around whatever lives beside it: on a 283K-sample -a -g preport the heap held
 * 6.4 MB of such holes at the end of the reading. A mapped block goes back to the kernel when
 * freed, and grows without copying (mremap). But below 2 MB it is made of small pages: for
 * arrays read in order (appended to, replayed, merged), not for those read at random, whose
 * TLB misses cost more than the holes (preport's hash tables and records as mappings: 7 MB
 * less at the peak for a fifth more time). Smaller blocks, and all of them in the other
 * processes, are malloc's, so the caller passes the size a block was made with to each
 * call. */
#ifndef UTIL_BIGBLOCK_H
#define UTIL_BIGBLOCK_H

#include <stdbool.h>
#include <stddef.h>

#define BIGBLOCK_MIN (256u << 10)

/* Big blocks are mappings from now on: for a process whose memory grows to its end
 * (preport). Streaming tools reuse what they free, and a mapping costs them time (pfold 5%).
 * Call it once, before any block is made. */
void bigblock__use_maps(void);

/* Whether a block of @size bytes is a mapping (else malloc's). */
bool bigblock__is_map(size_t size);
/* @size zeroed bytes; NULL + errno ENOMEM. */
void *bigblock__zalloc(size_t size);
/* @p (made with @old_size bytes, NULL with 0) grown or shrunk to @new_size bytes, its
 * first min(old, new) bytes kept; NULL + errno ENOMEM, @p unchanged then. */
void *bigblock__realloc(void *p, size_t old_size, size_t new_size);
/* Free @p, made with @size bytes (NULL is fine). */
void bigblock__free(void *p, size_t size);

#endif
