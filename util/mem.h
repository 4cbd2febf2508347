/* Huge pages for big heap blocks and for the heap itself. */
#ifndef UTIL_MEM_H
#define UTIL_MEM_H

#include <stddef.h>
#include <sys/mman.h>

/* madvise(2)'s fault-in of writable pages (Linux 5.14), for headers older than it */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Ask for transparent huge pages over the pages of [@p, @p + @bytes): a block of many
 * megabytes then faults in 2 MB at a time, not 4 KB (a fresh 4 KB page costs microseconds
 * in a VM). Blocks under MEM_HUGE_MIN bytes are left alone; errors are ignored (a hint). */
#define MEM_HUGE_MIN (4u << 20)
void mem__hint_huge(void *p, size_t bytes);

/* For a process that will allocate tens of megabytes in small pieces (a reading tool's
 * maps, threads and trees): grow malloc's heap once by @reserve bytes (address space only
 * until touched) in huge pages, and keep it from shrinking back. A 302K-sample pfold takes
 * 2.5 times fewer page faults and a quarter less time. Every thread then allocates from this
 * one heap (M_ARENA_MAX 1), so that what one thread frees another reuses: preport's tree
 * sorting thread took 23 MB of fresh pages on a 2.8M-sample recording while the main thread
 * had as much free. Call it before the work and before any thread, once; it changes
 * malloc's settings for the whole process (M_TOP_PAD for the one growth, then
 * M_TRIM_THRESHOLD, M_ARENA_MAX). Nothing happens where the heap cannot grow so (an
 * address-space limit, another allocator). */
void mem__heap_huge(size_t reserve);

/* From a thread with time to spare, while another allocates: fault in the heap's next
 * @ahead bytes past what malloc has handed out (its top chunk), up to the end of a 2 MB huge
 * page and only what an earlier call did not, so that the allocating thread finds them ready
 * instead of zeroing them itself (a fresh huge page costs 1-4 ms in this VM, and the caller
 * waits that long). While there is nothing to fault, it looks less and less often (a look
 * holds malloc's lock). One thread at a time calls it; a hint, errors ignored. */
void mem__heap_prefault(size_t ahead);

#endif
