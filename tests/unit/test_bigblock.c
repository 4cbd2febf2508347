/* Unit tests of util/bigblock.h: blocks stay malloc's until the process asks for mappings;
 * then a big block is a mapping that goes back to the kernel when freed, keeps its bytes
 * through growth within mappings, to a huge-page aligned one and across the line between the
 * heap and a mapping both ways, and comes zeroed; an array grown big keeps its values. Its
 * own program: the switch is for the whole process. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/array.h"
#include "util/bigblock.h"
#include "util/mem.h"

/* Whether the page at @p is mapped in this process. */
static bool page_mapped(const void *p)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char vec;

	return mincore((void *)((uintptr_t)p & ~(page - 1)), page, &vec) == 0;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

static bool same(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + seed))
			return false;
	return true;
}

static bool zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_heap_until_asked(void **state)
{
	unsigned char *p, *keep;

	(void)state;
	mem__heap_huge(32u << 20);		/* as the reading tools' heap is */
	p = bigblock__zalloc(1u << 20);
	keep = malloc(64);
	assert_non_null(p);
	assert_true(zero(p, 1u << 20));
	bigblock__free(p, 1u << 20);
	/* a heap block freed stays in the heap's pages (malloc keeps them) */
	assert_true(page_mapped(p + (512u << 10)));
	free(keep);
}

static void test_maps(void **state)
{
	const size_t small = 100u << 10, mid = 300u << 10, big = 3u << 20;
	unsigned char *p, *q;

	(void)state;
	bigblock__use_maps();
	/* a big block is its own mapping, zeroed, gone when freed */
	p = bigblock__zalloc(mid);
	assert_non_null(p);
	assert_true(zero(p, mid));
	fill(p, mid, 1);
	bigblock__free(p, mid);
	assert_false(page_mapped(p));
	/* a small block is malloc's */
	p = bigblock__zalloc(small);
	assert_non_null(p);
	fill(p, small, 2);
	/* heap -> mapping -> bigger mapping (huge-page aligned) -> heap, bytes kept */
	q = bigblock__realloc(p, small, mid);
	assert_non_null(q);
	assert_true(same(q, small, 2));
	fill(q, mid, 3);
	p = bigblock__realloc(q, mid, big);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % (2u << 20), 0);
	assert_true(same(p, mid, 3));
	assert_true(zero(p + mid, big - mid));
	if (p != q)
		assert_false(page_mapped(q));	/* the old mapping's pages moved over */
	fill(p, big, 4);
	q = bigblock__realloc(p, big, small);
	assert_non_null(q);
	assert_true(same(q, small, 4));
	assert_false(page_mapped(p));
	bigblock__free(q, small);
	bigblock__free(NULL, big);
}

static void test_array_big(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0, n = 1u << 20;

	(void)state;
	bigblock__use_maps();
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ARRAY_GROW_BIG(v, cap, i + 1), 0);
		v[i] = i * 3;
	}
	assert_true(bigblock__is_map(cap * sizeof(*v)));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], i * 3);
	ARRAY_FREE_BIG(v, cap);
	assert_false(page_mapped(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_until_asked),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_array_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
