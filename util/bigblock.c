/* Owns the big blocks (see bigblock.h): malloc's, or mappings from BIGBLOCK_MIN bytes on. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/bigblock.h"
#include "util/mem.h"

static bool use_maps;	/* bigblock__use_maps() was called */

static size_t page_round(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) & ~(page - 1);
}

/* From this size on a block is a mapping aligned to a huge page and asked to be made of
 * them (the heap it replaces was: its faults and its TLB misses cost that much less). A
 * smaller one is faulted in whole when made or grown, in one call: a page fault at a time
 * took preport's 283K-sample run 1100 more faults and a tenth more time. */
#define HUGE_SIZE (2u << 20)

static void *map(size_t size)
{
	size_t len = page_round(size), extra = len >= HUGE_SIZE ? HUGE_SIZE : 0;
	char *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (extra ? 0 : MAP_POPULATE), -1, 0);
	size_t head;

	if (p == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	if (extra) {
		head = (HUGE_SIZE - (uintptr_t)p % HUGE_SIZE) % HUGE_SIZE;
		if (head)
			munmap(p, head);
		munmap(p + head + len, extra - head);
		p += head;
		(void)madvise(p, len, MADV_HUGEPAGE);
	}
	return p;
}

/* Mapping @p of @old bytes grown to @size bytes: moved (its pages, not their bytes) to the
 * start of a fresh aligned mapping when that is big enough for huge pages, else by mremap
 * wherever the kernel finds room. */
static void *remap(void *p, size_t old, size_t size)
{
	void *q;

	if (page_round(size) < HUGE_SIZE) {
		q = mremap(p, page_round(old), page_round(size), MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			return NULL;
		(void)madvise((char *)q + page_round(old), page_round(size) - page_round(old),
			      MADV_POPULATE_WRITE);
		return q;
	}
	q = map(size);
	if (q && mremap(p, page_round(old), page_round(old), MREMAP_MAYMOVE | MREMAP_FIXED, q) ==
		 MAP_FAILED) {
		munmap(q, page_round(size));
		q = NULL;
	}
	return q;
}

void bigblock__use_maps(void)
{
	use_maps = true;
}

bool bigblock__is_map(size_t size)
{
	return use_maps && size >= BIGBLOCK_MIN;
}

/* A heap block of @size bytes, as malloc's blocks are hinted (util/mem.h). */
static void *heap_block(void *p, size_t size)
{
	if (p)
		mem__hint_huge(p, size);
	return p;
}

void *bigblock__zalloc(size_t size)
{
	return bigblock__is_map(size) ? map(size) : heap_block(calloc(1, size ? size : 1), size);
}

void *bigblock__realloc(void *p, size_t old_size, size_t new_size)
{
	void *q;

	if (!p)
		old_size = 0;
	if (!bigblock__is_map(old_size) && !bigblock__is_map(new_size))
		return heap_block(realloc(p, new_size ? new_size : 1), new_size);
	if (bigblock__is_map(old_size) && bigblock__is_map(new_size)) {
		q = remap(p, old_size, new_size);
		if (!q)
			errno = ENOMEM;
		return q;
	}
	/* across the line: moved between the heap and a mapping */
	q = bigblock__zalloc(new_size);
	if (!q)
		return NULL;
	memcpy(q, p, old_size < new_size ? old_size : new_size);
	bigblock__free(p, old_size);
	return q;
}

void bigblock__free(void *p, size_t size)
{
	if (p && bigblock__is_map(size))
		munmap(p, page_round(size));
	else
		free(p);
}
