/* Owns the huge-page hints: for big heap blocks and for the heap. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
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

void mem__heap_huge(size_t reserve)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), lo;
	char *before = sbrk(0), *after = before;
	void *blk[64];
	int n = 0;

	if (reserve > INT_MAX / 2)
		reserve = INT_MAX / 2;			/* mallopt takes an int, and twice it below */
	if (before == (void *)-1 || !mallopt(M_TOP_PAD, (int)reserve))
		return;
	mallopt(M_ARENA_MAX, 1);
	/* small blocks from the heap's top until malloc grows it, by @reserve more */
	while (n < 64 && after == before && (blk[n] = malloc(60 << 10))) {
		n++;
		after = sbrk(0);
	}
	mallopt(M_TOP_PAD, 128 << 10);			/* glibc's default again */
	if (after > before)
		mallopt(M_TRIM_THRESHOLD, (int)reserve * 2);	/* the freed pad stays */
	while (n)
		free(blk[--n]);
	lo = ((uintptr_t)before + page - 1) & ~(page - 1);
	if (after > before && (uintptr_t)after > lo)
		(void)madvise((void *)lo, (uintptr_t)after - lo, MADV_HUGEPAGE);
}

/* A look at the heap (mallinfo2()) walks every free chunk with malloc's lock held (the
 * allocating thread waits), and a heap that reuses what it freed instead of growing (pfold
 * and pscript, which free exited processes) has many of them and nothing to fault. After n
 * looks in a row that found nothing to do, the next 2^n - 1 calls do not look, n at most
 * this. */
#define PREFAULT_BACKOFF_MAX 5

void mem__heap_prefault(size_t ahead)
{
	static uintptr_t done;		/* faulted in up to here */
	static bool unsupported;	/* a kernel before 5.14 */
	static unsigned int skip, idle;	/* looks to skip; looks in a row with nothing to do */
	const uintptr_t step = 2u << 20;
	struct mallinfo2 mi;
	uintptr_t end, top, lo, hi;

	if (unsupported)
		return;
	if (skip) {
		skip--;
		return;
	}
	/* malloc's top chunk (main arena) ends where the heap does: its start is what has
	 * been handed out */
	mi = mallinfo2();
	end = (uintptr_t)sbrk(0);
	if (end == (uintptr_t)-1 || mi.keepcost > end)
		return;
	top = (end - mi.keepcost) & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);
	lo = top > done ? top : done;
	hi = (top + ahead) & ~(step - 1);	/* to a huge page's end */
	if (hi > end)
		hi = end;
	if (hi <= lo) {
		idle += idle < PREFAULT_BACKOFF_MAX;
		skip = (1u << idle) - 1;
		return;
	}
	idle = 0;
	if (!madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE))
		done = hi;
	else if (errno == EINVAL)
		unsupported = true;
}
