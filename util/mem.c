/* Owns the huge-page hint for big heap blocks. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/mem.h"

void mem__hint_huge(void *p, size_t bytes)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + bytes + page - 1) & ~(page - 1);

	/* the whole pages of the block: an mmapped block stays one mapping (madvise on part
	 * of it would split it, and realloc could no longer move it with mremap) */
	if (bytes >= MEM_HUGE_MIN)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}
