/* Hints about big heap blocks to the kernel. */
#ifndef UTIL_MEM_H
#define UTIL_MEM_H

#include <stddef.h>

/* Ask for transparent huge pages over the whole 2 MB pages inside [@p, @p + @bytes): a
 * block of many megabytes then faults in 2 MB at a time, not 4 KB (a fresh 4 KB page costs
 * microseconds in a VM). Only blocks of MEM_HUGE_MIN bytes or more are worth it; errors
 * are ignored (a hint). */
#define MEM_HUGE_MIN (4u << 20)
void mem__hint_huge(void *p, size_t bytes);

#endif
