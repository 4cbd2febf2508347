/* Unit tests of the util/ building blocks: the open-addressing hash table (lookups through
 * colliding hashes, backward-shift removal also across the end of the slot array, growth,
 * clear), array growth, the string interner, the binary searches, CPU lists, one-line
 * /proc and sysfs values, struct error and the running statistics. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/array.h"
#include "util/bsearch.h"
#include "util/cpulist.h"
#include "util/error.h"
#include "util/fdio.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/mem.h"
#include "util/obuf.h"
#include "util/seen.h"
#include "util/stats.h"
#include "util/strpool.h"
#include "util/strfmt.h"
#include "util/sysfs.h"

/* --- htab ------------------------------------------------------------------------------ */

/* The values stored under @h, as a bit set of vals (1..63). */
static uint64_t htab_vals(const struct htab *t, uint64_t h)
{
	struct htab_slot *s;
	uint64_t set = 0;
	size_t pos;

	htab__for_each_hash(t, h, s, pos)
		set |= 1ULL << s->val;
	return set;
}

/* The slot holding @val (which must be there). */
static struct htab_slot *htab_slot_of(const struct htab *t, uint64_t h, uintptr_t val)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(t, h, s, pos)
		if (s->val == val)
			return s;
	fail_msg("value %lu not found under hash %llx", (unsigned long)val, (unsigned long long)h);
	return NULL;
}

static void test_htab_empty(void **state)
{
	struct htab t = { 0 };
	struct htab_slot *s;
	size_t n = 0;

	(void)state;
	/* a zeroed table: lookups and iteration find nothing, exit is fine */
	assert_int_equal(htab_vals(&t, 0), 0);
	assert_int_equal(htab_vals(&t, 12345), 0);
	htab__for_each(&t, s)
		n++;
	assert_int_equal(n, 0);
	htab__clear(&t);
	assert_int_equal(t.nr, 0);
	htab__exit(&t);
	htab__exit(NULL);
}

static void test_htab_colliding_hashes(void **state)
{
	struct htab t = { 0 };
	struct htab_slot *s;
	size_t n = 0;

	(void)state;
	/* five values under one hash, two under another homing on the same slot (the low bits
	 * agree), one elsewhere */
	for (uintptr_t v = 1; v <= 5; v++)
		assert_int_equal(htab__insert(&t, 7, v), 0);
	assert_int_equal(htab__insert(&t, 0x1000000000000007ULL, 6), 0);
	assert_int_equal(htab__insert(&t, 0x1000000000000007ULL, 7), 0);
	assert_int_equal(htab__insert(&t, 3, 8), 0);
	assert_int_equal(t.nr, 8);
	assert_int_equal(t.mask, 15);
	assert_int_equal(htab_vals(&t, 7), 0x3e);
	assert_int_equal(htab_vals(&t, 0x1000000000000007ULL), 0xc0);
	assert_int_equal(htab_vals(&t, 3), 0x100);
	/* same home slot, no value stored: the walk passes the others and stops at a hole */
	assert_int_equal(htab_vals(&t, 0x2000000000000007ULL), 0);
	assert_int_equal(htab_vals(&t, 8), 0);
	htab__for_each(&t, s)
		n++;
	assert_int_equal(n, 8);
	htab__exit(&t);
	assert_null(t.slot);
	assert_int_equal(t.nr, 0);
}

static void test_htab_remove_backward_shift(void **state)
{
	struct htab t = { 0 };

	(void)state;
	/* slots 7..9: A(home 7) B(home 8) C(home 7); removing A moves C back into slot 7 and
	 * leaves B, which sits at its home */
	assert_int_equal(htab__insert(&t, 7, 1), 0);
	assert_int_equal(htab__insert(&t, 8, 2), 0);
	assert_int_equal(htab__insert(&t, 7, 3), 0);
	assert_int_equal(t.slot[7].val, 1);
	assert_int_equal(t.slot[8].val, 2);
	assert_int_equal(t.slot[9].val, 3);
	htab__remove(&t, htab_slot_of(&t, 7, 1));
	assert_int_equal(t.nr, 2);
	assert_int_equal(t.slot[7].val, 3);
	assert_int_equal(t.slot[8].val, 2);
	assert_int_equal(t.slot[9].val, 0);
	assert_int_equal(htab_vals(&t, 7), 1 << 3);
	assert_int_equal(htab_vals(&t, 8), 1 << 2);

	/* a chain A(7) B(7) C(8): removing A moves both back one slot */
	htab__clear(&t);
	assert_int_equal(htab__insert(&t, 7, 1), 0);
	assert_int_equal(htab__insert(&t, 7, 2), 0);
	assert_int_equal(htab__insert(&t, 8, 3), 0);
	assert_int_equal(t.slot[9].val, 3);
	htab__remove(&t, htab_slot_of(&t, 7, 1));
	assert_int_equal(t.slot[7].val, 2);
	assert_int_equal(t.slot[8].val, 3);
	assert_int_equal(t.slot[9].val, 0);
	assert_int_equal(htab_vals(&t, 8), 1 << 3);

	/* the last of a run: nothing moves */
	htab__remove(&t, htab_slot_of(&t, 8, 3));
	assert_int_equal(t.slot[7].val, 2);
	assert_int_equal(t.slot[8].val, 0);
	assert_int_equal(t.nr, 1);
	htab__exit(&t);
}

static void test_htab_remove_wraps(void **state)
{
	struct htab t = { 0 };

	(void)state;
	/* 16 slots: A and B home at 15 (B wraps to 0), C homes at 0 and is pushed to 1,
	 * D homes at 14 and stays there */
	assert_int_equal(htab__insert(&t, 14, 4), 0);
	assert_int_equal(htab__insert(&t, 0xff0f, 1), 0);
	assert_int_equal(htab__insert(&t, 0xff0f, 2), 0);
	assert_int_equal(htab__insert(&t, 0x10, 3), 0);
	assert_int_equal(t.mask, 15);
	assert_int_equal(t.slot[15].val, 1);
	assert_int_equal(t.slot[0].val, 2);
	assert_int_equal(t.slot[1].val, 3);
	/* removing A: B moves from 0 back across the end to 15, C from 1 to its home 0 */
	htab__remove(&t, htab_slot_of(&t, 0xff0f, 1));
	assert_int_equal(t.slot[14].val, 4);
	assert_int_equal(t.slot[15].val, 2);
	assert_int_equal(t.slot[0].val, 3);
	assert_int_equal(t.slot[1].val, 0);
	assert_int_equal(htab_vals(&t, 0xff0f), 1 << 2);
	assert_int_equal(htab_vals(&t, 0x10), 1 << 3);
	assert_int_equal(htab_vals(&t, 14), 1 << 4);
	/* removing D at 14: B (home 15) and C (home 0) are at their homes and stay */
	htab__remove(&t, htab_slot_of(&t, 14, 4));
	assert_int_equal(t.slot[14].val, 0);
	assert_int_equal(t.slot[15].val, 2);
	assert_int_equal(t.slot[0].val, 3);
	/* removing B: C is at home in 0, so the hole at 15 stays empty */
	htab__remove(&t, htab_slot_of(&t, 0xff0f, 2));
	assert_int_equal(t.slot[15].val, 0);
	assert_int_equal(t.slot[0].val, 3);
	assert_int_equal(t.nr, 1);
	htab__exit(&t);
}

#define MANY 20000

static void test_htab_growth_and_clear(void **state)
{
	struct htab t = { 0 };
	struct htab_slot *s, *slots;
	size_t n = 0, pos, mask;

	(void)state;
	/* half of the keys share their hash with the next one: runs of duplicates everywhere */
	for (size_t i = 0; i < MANY; i++) {
		assert_int_equal(htab__insert(&t, hash_u64(i / 2), i + 1), 0);
		/* never more than half full */
		assert_true(t.nr * 2 <= t.mask + 1);
	}
	assert_int_equal(t.nr, MANY);
	assert_int_equal((t.mask + 1) & t.mask, 0);
	for (size_t i = 0; i < MANY; i += 2) {
		uintptr_t got[2] = { 0 };
		int k = 0;

		htab__for_each_hash(&t, hash_u64(i / 2), s, pos) {
			assert_true(k < 2);
			got[k++] = s->val;
		}
		assert_int_equal(k, 2);
		assert_true((got[0] == i + 1 && got[1] == i + 2) || (got[0] == i + 2 && got[1] == i + 1));
	}
	/* remove the second of each pair: the first ones are all still found */
	for (size_t i = 1; i < MANY; i += 2)
		htab__remove(&t, htab_slot_of(&t, hash_u64(i / 2), i + 1));
	assert_int_equal(t.nr, MANY / 2);
	for (size_t i = 0; i < MANY; i += 2)
		assert_non_null(htab_slot_of(&t, hash_u64(i / 2), i + 1));
	htab__for_each(&t, s) {
		assert_int_equal(s->val % 2, 1);
		n++;
	}
	assert_int_equal(n, MANY / 2);

	/* clear keeps the slots and empties the table */
	slots = t.slot;
	mask = t.mask;
	htab__clear(&t);
	assert_ptr_equal(t.slot, slots);
	assert_int_equal(t.mask, mask);
	assert_int_equal(t.nr, 0);
	assert_int_equal(htab_vals(&t, hash_u64(0)), 0);
	assert_int_equal(htab__insert(&t, hash_u64(0), 9), 0);
	assert_int_equal(htab_vals(&t, hash_u64(0)), 1 << 9);
	htab__exit(&t);
}

static void test_htab_init_hint(void **state)
{
	struct htab t;
	struct htab_slot *slots;

	(void)state;
	assert_int_equal(htab__init(&t, 100), 0);
	assert_int_equal(t.mask + 1, 256);
	assert_int_equal(t.nr, 0);
	slots = t.slot;
	/* room for the hint: no growth (no new slot array) up to it */
	for (uintptr_t v = 1; v <= 100; v++)
		assert_int_equal(htab__insert(&t, hash_u64(v), v), 0);
	assert_ptr_equal(t.slot, slots);
	htab__exit(&t);
	assert_int_equal(htab__init(&t, 0), 0);
	assert_int_equal(t.mask + 1, 16);
	htab__exit(&t);
}

/* --- array ----------------------------------------------------------------------------- */

/* The doorkeeper's bitmap: a hash is new once, seen after; hashes apart in their top bits
 * do not meet; the low bits do not count. */
static void test_seen(void **state)
{
	struct seen s = { 0 };
	uint64_t top = 1ull << (64 - SEEN_BITS_LOG2);	/* the step of the top bits */

	(void)state;
	assert_int_equal(seen__test_set(&s, 0x1234 * top), 0);
	assert_int_equal(seen__test_set(&s, 0x1234 * top), 1);
	assert_int_equal(seen__test_set(&s, 0x1234 * top + 77), 1);	/* same bit */
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(seen__test_set(&s, (0x5000 + i) * top), 0);
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(seen__test_set(&s, (0x5000 + i) * top), 1);
	assert_int_equal(seen__test_set(&s, 0x1235 * top), 0);
	seen__exit(&s);
	assert_null(s.bits);
	assert_int_equal(seen__test_set(&s, 0x1234 * top), 0);	/* empty again */
	seen__exit(&s);
}

/* How many lines of /proc/self/maps overlap [p, p + n). */
static int mappings_over(const void *p, size_t n)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)p, b = a + n;
	char line[512];
	int k = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo < b && hi > a)
			k++;
	fclose(f);
	return k;
}

#ifndef __SANITIZE_ADDRESS__	/* (test_mem_heap_huge's, which ASan's allocator skips) */
/* Whether the mapping holding @p has @flag among its VmFlags (/proc/self/smaps). */
static bool vm_flag(const void *p, const char *flag)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long lo, hi, a = (unsigned long)p;
	bool in = false, found = false;
	char line[512];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && strchr(line, ' ') > strchr(line, '-'))
			in = lo <= a && a < hi;
		else if (in && !strncmp(line, "VmFlags:", 8))
			found = strstr(line, flag) != NULL;
	}
	fclose(f);
	return found;
}

/* Whether @p lies in the brk heap ("[heap]" in /proc/self/maps, however its flags split it). */
static bool in_brk_heap(const void *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)p;
	bool in = false;
	char line[512];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[heap]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= a && a < hi)
			in = true;
	fclose(f);
	return in;
}

static void *thread_malloc(void *arg)
{
	*(void **)arg = malloc(1000);
	return NULL;
}
#endif

/* The heap grows once by the reserve, in huge pages, and blocks freed at its top do not
 * give it back; another thread allocates from it too. */

static void test_mem_heap_huge(void **state)
{
#ifdef __SANITIZE_ADDRESS__
	(void)state;
	skip();			/* ASan's allocator: no brk heap to tune */
#else
	char *before = sbrk(0), *after;
	pthread_t t;
	void *p;

	(void)state;
	mem__heap_huge(32u << 20);
	after = sbrk(0);
	assert_true(after - before >= (32 << 20));
	assert_true(vm_flag(after - 4096, " hg"));
	p = malloc(100 << 10);
	free(p);
	assert_ptr_equal(sbrk(0), after);
	/* another thread allocates from the same heap, not an arena of its own */
	assert_int_equal(pthread_create(&t, NULL, thread_malloc, &p), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(in_brk_heap(p));
	free(p);
#endif
}

#ifndef __SANITIZE_ADDRESS__	/* (test_mem_heap_prefault's) */
/* Resident pages of [lo, hi), counted by mincore. */
static size_t resident(uintptr_t lo, uintptr_t hi)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = (hi - lo) / page, k = 0;
	unsigned char *v = malloc(n);

	assert_non_null(v);
	assert_int_equal(mincore((void *)lo, hi - lo, v), 0);
	for (size_t i = 0; i < n; i++)
		k += v[i] & 1;
	free(v);
	return k;
}
#endif

/* The heap past malloc's top is faulted in by mem__heap_prefault, two huge-page steps of
 * it here, and not before; what malloc hands out later lies in it. */
static void test_mem_heap_prefault(void **state)
{
#ifdef __SANITIZE_ADDRESS__
	(void)state;
	skip();			/* ASan's allocator: no brk heap */
#else
	const uintptr_t step = 2u << 20;
	uintptr_t top, lo;
	char *p;

	(void)state;
	mem__heap_huge(32u << 20);
	top = (uintptr_t)sbrk(0) - mallinfo2().keepcost;
	lo = (top + step - 1) & ~(step - 1);		/* the first whole step past the top */
	assert_true((uintptr_t)sbrk(0) >= lo + 2 * step);
	/* free memory, maybe touched by the tests before: given back to start from nothing */
	assert_int_equal(madvise((void *)lo, 2 * step, MADV_DONTNEED), 0);
	assert_int_equal(resident(lo, lo + 2 * step), 0);
	mem__heap_prefault(3 * step);
	assert_int_equal(resident(lo, lo + 2 * step), 2 * step / (size_t)sysconf(_SC_PAGESIZE));
	p = malloc(lo + step - top);			/* carved from the top: in the faulted part */
	assert_non_null(p);
	assert_true((uintptr_t)p >= top - 64 && (uintptr_t)p < lo);
	free(p);
#endif
}

/* A big block keeps its contents and can still grow in place (the hint covers whole pages,
 * so realloc's mremap still sees one mapping). */
static void test_mem_hint_huge(void **state)
{
	size_t cap = 0;
	uint64_t *v = NULL;

	(void)state;
	for (size_t n = 1; n <= (64u << 20) / 8; n *= 2) {
		assert_int_equal(array__grow((void **)&v, &cap, n, 8), 0);
		v[n - 1] = n;
	}
	for (size_t n = 2; n <= (64u << 20) / 8; n *= 2)
		assert_int_equal(v[n - 1], n);
	assert_int_equal(mappings_over(v, cap * 8), 1);
	mem__hint_huge(v, 100);				/* too small: nothing to do */
	free(v);
}

static void test_array_grow(void **state)
{
	int *v = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ARRAY_GROW(v, cap, 0), 0);
	assert_null(v);
	assert_int_equal(cap, 0);
	/* at least 8, then doubling, or the need when it is larger */
	assert_int_equal(ARRAY_GROW(v, cap, 1), 0);
	assert_non_null(v);
	assert_int_equal(cap, 8);
	for (int i = 0; i < 8; i++)
		v[i] = i * 11;
	assert_int_equal(ARRAY_GROW(v, cap, 9), 0);
	assert_int_equal(cap, 16);
	for (int i = 0; i < 8; i++)
		assert_int_equal(v[i], i * 11);
	assert_int_equal(ARRAY_GROW(v, cap, 100), 0);
	assert_int_equal(cap, 100);
	assert_int_equal(ARRAY_GROW(v, cap, 101), 0);
	assert_int_equal(cap, 200);
	/* enough room: nothing moves */
	before = v;
	assert_int_equal(ARRAY_GROW(v, cap, 200), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 200);
	for (int i = 0; i < 8; i++)
		assert_int_equal(v[i], i * 11);
	/* a size that overflows: -ENOMEM, array and capacity unchanged */
	assert_int_equal(array__grow((void **)&v, &cap, SIZE_MAX / 2, 16), -ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 200);
	free(v);
}

/* --- strpool --------------------------------------------------------------------------- */

static void test_strpool_basics(void **state)
{
	struct strpool *p = strpool__new();
	const char *a, *b, *c;
	char buf[16];

	(void)state;
	assert_non_null(p);
	assert_int_equal(strpool__count(p), 0);
	a = strpool__add(p, "alpha");
	strcpy(buf, "alpha");
	/* the same string from another buffer: the same copy and id */
	assert_ptr_equal(strpool__add(p, buf), a);
	assert_ptr_not_equal(a, buf);
	assert_string_equal(a, "alpha");
	assert_int_equal(strpool__id(p, "alpha", 5), 0);
	/* ids dense, in first-seen order */
	b = strpool__add(p, "beta");
	assert_int_equal(strpool__id(p, "gamma", 5), 2);
	assert_int_equal(strpool__id(p, "beta", 4), 1);
	assert_int_equal(strpool__count(p), 3);
	assert_ptr_equal(strpool__str(p, 1), b);
	assert_string_equal(strpool__str(p, 2), "gamma");
	assert_int_equal(strpool__len(p, 2), 5);
	/* a length picks a prefix, terminated in the pool */
	c = strpool__add_len(p, "alphabet", 5);
	assert_ptr_equal(c, a);
	c = strpool__add_len(p, "alphabet", 3);
	assert_string_equal(c, "alp");
	assert_int_equal(strpool__id(p, "alp", 3), 3);
	/* embedded NUL: a string of its own, length kept */
	assert_int_equal(strpool__id(p, "a\0b", 3), 4);
	assert_int_equal(strpool__id(p, "a\0c", 3), 5);
	assert_int_equal(strpool__id(p, "a", 1), 6);
	assert_int_equal(strpool__len(p, 4), 3);
	assert_memory_equal(strpool__str(p, 4), "a\0b", 4);
	/* the empty string */
	assert_int_equal(strpool__id(p, "", 0), 7);
	assert_string_equal(strpool__add(p, ""), "");
	assert_int_equal(strpool__len(p, 7), 0);
	assert_int_equal(strpool__count(p), 8);
	strpool__free(p);
	strpool__free(NULL);
}

#define NSTR 30000

static void test_strpool_many_and_big(void **state)
{
	struct strpool *p = strpool__new();
	const char **ptr = calloc(NSTR, sizeof(*ptr));
	char buf[64], *big;
	const char *bigcopy = NULL, *before, *after, *first_big;
	size_t biglen = 100000;

	(void)state;
	assert_non_null(p);
	assert_non_null(ptr);
	/* a string bigger than a chunk as the very first */
	big = malloc(biglen + 1);
	assert_non_null(big);
	memset(big, 'x', biglen);
	big[biglen] = '\0';
	first_big = strpool__add(p, big);
	assert_non_null(first_big);
	/* ~1 MB of strings: many chunks; every copy stays where it was */
	for (int i = 0; i < NSTR; i++) {
		snprintf(buf, sizeof(buf), "string number %d of the test", i);
		ptr[i] = strpool__add(p, buf);
		assert_non_null(ptr[i]);
		if (i == NSTR / 2) {
			/* another big one in the middle: the chunk being filled goes on after it */
			big[0] = 'y';
			before = ptr[i];
			bigcopy = strpool__add(p, big);
			assert_non_null(bigcopy);
			assert_int_equal(strlen(bigcopy), biglen);
			after = strpool__add(p, "right after the big one");
			assert_ptr_equal(after, before + strlen(before) + 1);
		}
	}
	assert_int_equal(strpool__count(p), NSTR + 3);
	for (int i = 0; i < NSTR; i++) {
		snprintf(buf, sizeof(buf), "string number %d of the test", i);
		assert_string_equal(ptr[i], buf);
		assert_ptr_equal(strpool__add(p, buf), ptr[i]);
		assert_int_equal(strpool__id(p, buf, strlen(buf)), i < NSTR / 2 + 1 ? i + 1 :
				 i + 3);
	}
	assert_ptr_equal(strpool__add(p, big), bigcopy);
	big[0] = 'x';
	assert_ptr_equal(strpool__add(p, big), first_big);
	assert_int_equal(strpool__len(p, 0), biglen);
	assert_int_equal(strpool__count(p), NSTR + 3);
	free(big);
	free(ptr);
	strpool__free(p);
}

/* --- bsearch --------------------------------------------------------------------------- */

struct keyed {
	int tag;
	uint64_t key;	/* not at offset 0 */
};

static void test_bsearch_edges(void **state)
{
	struct keyed a[] = { { 0, 10 }, { 1, 20 }, { 2, 20 }, { 3, 20 }, { 4, 30 }, { 5, UINT64_MAX } };
	size_t n = 5;	/* without the UINT64_MAX one, except where said */
	struct keyed *e;

	(void)state;
	/* empty */
	assert_null(BSEARCH_LAST_LE(a, 0, key, 10));
	assert_int_equal(BSEARCH_FIRST_GE(a, 0, key, 10), 0);
	/* before the first */
	assert_null(BSEARCH_LAST_LE(a, n, key, 9));
	assert_null(BSEARCH_LAST_LE(a, n, key, 0));
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 0), 0);
	/* equal to the first */
	e = BSEARCH_LAST_LE(a, n, key, 10);
	assert_ptr_equal(e, &a[0]);
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 10), 0);
	/* between */
	e = BSEARCH_LAST_LE(a, n, key, 15);
	assert_int_equal(e->tag, 0);
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 15), 1);
	/* duplicates: the last of them for LE, the first for GE */
	e = BSEARCH_LAST_LE(a, n, key, 20);
	assert_int_equal(e->tag, 3);
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 20), 1);
	e = BSEARCH_LAST_LE(a, n, key, 29);
	assert_int_equal(e->tag, 3);
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 21), 4);
	/* the last, and after it */
	e = BSEARCH_LAST_LE(a, n, key, 30);
	assert_int_equal(e->tag, 4);
	e = BSEARCH_LAST_LE(a, n, key, 31);
	assert_int_equal(e->tag, 4);
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 30), 4);
	assert_int_equal(BSEARCH_FIRST_GE(a, n, key, 31), n);
	/* the largest key */
	e = BSEARCH_LAST_LE(a, 6, key, UINT64_MAX);
	assert_int_equal(e->tag, 5);
	e = BSEARCH_LAST_LE(a, 6, key, UINT64_MAX - 1);
	assert_int_equal(e->tag, 4);
	assert_int_equal(BSEARCH_FIRST_GE(a, 6, key, UINT64_MAX), 5);
	/* one element */
	assert_null(BSEARCH_LAST_LE(a, 1, key, 9));
	assert_ptr_equal(BSEARCH_LAST_LE(a, 1, key, 11), &a[0]);
	assert_int_equal(bsearch__upper_u64(a, n, sizeof(a[0]), offsetof(struct keyed, key), 20), 4);
	assert_int_equal(bsearch__lower_u64(a, n, sizeof(a[0]), offsetof(struct keyed, key), 20), 1);
}

/* --- cpulist --------------------------------------------------------------------------- */

static void test_cpulist(void **state)
{
	int out[CPULIST_MAX];

	(void)state;
	assert_int_equal(cpulist__parse("0-3,7", out, CPULIST_MAX), 5);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[3], 3);
	assert_int_equal(out[4], 7);
	/* sorted, duplicates and overlapping ranges once */
	assert_int_equal(cpulist__parse("9,3,1-4,2,9", out, CPULIST_MAX), 5);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 3);
	assert_int_equal(out[3], 4);
	assert_int_equal(out[4], 9);
	/* a range of one, and the newline of a sysfs file */
	assert_int_equal(cpulist__parse("5-5", out, CPULIST_MAX), 1);
	assert_int_equal(out[0], 5);
	assert_int_equal(cpulist__parse("0-1\n", out, CPULIST_MAX), 2);
	assert_int_equal(out[1], 1);
	/* syntax */
	assert_int_equal(cpulist__parse("", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("\n", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("a", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("1-", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("-1", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("3-1", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("1,,2", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("1 2", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("1;2", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse(",1", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("1-2-3", out, CPULIST_MAX), -EINVAL);
	/* CPU numbers below CPULIST_MAX */
	assert_int_equal(cpulist__parse("4095", out, CPULIST_MAX), 1);
	assert_int_equal(out[0], 4095);
	assert_int_equal(cpulist__parse("4096", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("0-4096", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("99999999999999999999", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("0-4095", out, CPULIST_MAX), CPULIST_MAX);
	assert_int_equal(out[CPULIST_MAX - 1], 4095);
	/* more than @max */
	assert_int_equal(cpulist__parse("0-3", out, 3), -E2BIG);
	assert_int_equal(cpulist__parse("0-2", out, 3), 3);
	assert_int_equal(cpulist__parse("7", out, 0), -E2BIG);
	/* the limit counts distinct CPUs; a trailing comma or text after the newline is bad */
	assert_int_equal(cpulist__parse("1,1,1", out, 2), 1);
	assert_int_equal(cpulist__parse("2-3,3,2", out, 2), 2);
	assert_int_equal(cpulist__parse("0,", out, CPULIST_MAX), -EINVAL);
	assert_int_equal(cpulist__parse("0\n1", out, CPULIST_MAX), -EINVAL);
}

/* --- sysfs ----------------------------------------------------------------------------- */

static char sysfs_path[64];

static void put_file(const char *text)
{
	FILE *f = fopen(sysfs_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_sysfs(void **state)
{
	char buf[32];
	uint64_t u;
	long l;
	int i, fd;

	(void)state;
	strcpy(sysfs_path, "/tmp/test_util_sysfs.XXXXXX");
	fd = mkstemp(sysfs_path);
	assert_true(fd >= 0);
	close(fd);

	put_file("42\n");
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), 0);
	assert_int_equal(u, 42);
	assert_int_equal(sysfs__read_long(sysfs_path, &l), 0);
	assert_int_equal(l, 42);
	assert_int_equal(sysfs__read_int(sysfs_path, &i), 0);
	assert_int_equal(i, 42);
	assert_int_equal(sysfs__read_str(sysfs_path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "42");

	put_file("0x1f\n");
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), 0);
	assert_int_equal(u, 31);
	assert_int_equal(sysfs__read_int(sysfs_path, &i), 0);
	assert_int_equal(i, 31);

	put_file("18446744073709551615\n");
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), 0);
	assert_true(u == UINT64_MAX);

	put_file("-1\n");	/* perf_event_paranoid */
	assert_int_equal(sysfs__read_int(sysfs_path, &i), 0);
	assert_int_equal(i, -1);
	assert_int_equal(sysfs__read_long(sysfs_path, &l), 0);
	assert_int_equal(l, -1);
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), -EINVAL);

	put_file("3000000000\n");
	assert_int_equal(sysfs__read_long(sysfs_path, &l), 0);
	assert_int_equal(l, 3000000000L);
	assert_int_equal(sysfs__read_int(sysfs_path, &i), -ERANGE);

	/* decimal unless 0x: a leading zero is not octal; blanks around, nothing else */
	put_file("010\n");
	assert_int_equal(sysfs__read_int(sysfs_path, &i), 0);
	assert_int_equal(i, 10);
	put_file("08\n");
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), 0);
	assert_int_equal(u, 8);
	put_file(" 7 \n");
	assert_int_equal(sysfs__read_int(sysfs_path, &i), 0);
	assert_int_equal(i, 7);
	put_file("12abc\n");
	assert_int_equal(sysfs__read_int(sysfs_path, &i), -EINVAL);
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), -EINVAL);
	put_file(" -1\n");
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), -EINVAL);
	put_file("99999999999999999999\n");
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), -ERANGE);

	put_file("abc\n");
	assert_int_equal(sysfs__read_int(sysfs_path, &i), -EINVAL);
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), -EINVAL);

	/* the first line only, without its newline; a short buffer gets what fits */
	put_file("first line\nsecond\n");
	assert_int_equal(sysfs__read_str(sysfs_path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "first line");
	assert_int_equal(sysfs__read_str(sysfs_path, buf, 6), 0);
	assert_string_equal(buf, "first");
	put_file("no newline");
	assert_int_equal(sysfs__read_str(sysfs_path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "no newline");

	put_file("");
	assert_int_equal(sysfs__read_str(sysfs_path, buf, sizeof(buf)), -ENODATA);
	assert_int_equal(sysfs__read_int(sysfs_path, &i), -ENODATA);
	put_file("\n");
	assert_int_equal(sysfs__read_int(sysfs_path, &i), -EINVAL);

	unlink(sysfs_path);
	assert_int_equal(sysfs__read_str(sysfs_path, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sysfs__read_u64(sysfs_path, &u), -ENOENT);
	/* a directory opens but cannot be read */
	assert_int_equal(sysfs__read_int("/proc/self", &i), -EISDIR);
}

/* --- error ----------------------------------------------------------------------------- */

static void test_error(void **state)
{
	struct error e;
	char longer[1200];

	(void)state;
	error__clear(&e);
	assert_int_equal(e.code, 0);
	assert_int_equal(e.kind, 0);
	assert_int_equal(e.pos, -1);
	assert_string_equal(e.msg, "");
	assert_string_equal(e.what, "");
	assert_int_equal(error__set(&e, -EINVAL, "bad %s at %d", "thing", 7), -EINVAL);
	assert_int_equal(e.code, -EINVAL);
	assert_string_equal(e.msg, "bad thing at 7");
	assert_string_equal(e.what, "");
	assert_int_equal(e.pos, -1);
	assert_int_equal(error__what(&e, "cpu-%s", "clock"), -EINVAL);
	assert_string_equal(e.what, "cpu-clock");
	assert_string_equal(e.msg, "bad thing at 7");
	assert_int_equal(error__nomem(&e), -ENOMEM);
	assert_int_equal(e.code, -ENOMEM);
	assert_string_equal(e.msg, "out of memory");
	assert_string_equal(e.what, "cpu-clock");
	/* long messages are cut, still terminated */
	memset(longer, 'm', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	error__set(&e, -E2BIG, "%s", longer);
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
	error__what(&e, "%s", longer);
	assert_int_equal(strlen(e.what), sizeof(e.what) - 1);
	/* a NULL error: the code still comes back */
	assert_int_equal(error__set(NULL, -EPERM, "x"), -EPERM);
	assert_int_equal(error__what(NULL, "x"), 0);
	assert_int_equal(error__nomem(NULL), -ENOMEM);
	error__clear(NULL);
	error__clear(&e);
	assert_int_equal(e.code, 0);
	assert_string_equal(e.msg, "");
}

/* --- stats ----------------------------------------------------------------------------- */

static void test_stats(void **state)
{
	double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct stats s;

	(void)state;
	stats__init(&s);
	assert_true(stats__mean(&s) == 0);
	assert_true(stats__stddev(&s) == 0);
	assert_true(stats__rel_stddev(&s) == 0);
	stats__update(&s, 3);
	assert_true(stats__mean(&s) == 3);
	assert_true(stats__stddev(&s) == 0);	/* one value */
	stats__init(&s);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		stats__update(&s, v[i]);
	/* mean 5, sum of squares 32: sample variance 32/7, of the mean 32/7/8 */
	assert_true(fabs(stats__mean(&s) - 5) < 1e-12);
	assert_true(fabs(stats__stddev(&s) - sqrt(32.0 / 7 / 8)) < 1e-12);
	assert_true(fabs(stats__rel_stddev(&s) - 100 * sqrt(32.0 / 7 / 8) / 5) < 1e-9);
	/* a mean of 0: no relative spread */
	stats__init(&s);
	stats__update(&s, -1);
	stats__update(&s, 1);
	assert_true(stats__rel_stddev(&s) == 0);
	assert_true(fabs(stats__stddev(&s) - 1) < 1e-12);
}

/* whole writes: at the offset and at a given offset; a pipe's closed end gives -EPIPE; whole
 * reads, across a pipe's short reads, and -EIO when the data ends before */
static void test_fdio(void **state)
{
	char path[] = "/tmp/test_fdio.XXXXXX", buf[16] = { 0 };
	int fd = mkstemp(path), pfd[2];
	static char big[1 << 20];

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(fdio__write_all(fd, "hello world", 11), 0);
	assert_int_equal(fdio__pwrite_all(fd, "W", 1, 6), 0);
	assert_int_equal(fdio__write_all(fd, "!", 1), 0);	/* the file offset is after "d" */
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), 12);
	assert_string_equal(buf, "hello World!");
	assert_int_equal(fdio__pwrite_all(fd, big, sizeof(big), 100), 0);
	assert_int_equal(lseek(fd, 0, SEEK_END), 100 + (off_t)sizeof(big));
	assert_int_equal(fdio__pwrite_all(fd, "x", 1, UINT64_MAX), -EINVAL);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(fdio__read_all(fd, buf, 12), 0);
	assert_string_equal(buf, "hello World!");
	assert_int_equal(lseek(fd, -4, SEEK_END), 100 + (off_t)sizeof(big) - 4);
	assert_int_equal(fdio__read_all(fd, buf, 8), -EIO);
	close(fd);
	assert_int_equal(fdio__write_all(fd, "x", 1), -EBADF);
	assert_int_equal(pipe(pfd), 0);
	close(pfd[0]);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(fdio__write_all(pfd[1], "x", 1), -EPIPE);
	close(pfd[1]);
	/* two writes, one read of both (the first read(2) returns the first only) */
	assert_int_equal(pipe(pfd), 0);
	if (fork() == 0) {
		(void)!write(pfd[1], "ab", 2);
		usleep(20000);
		(void)!write(pfd[1], "cd", 2);
		_exit(0);
	}
	close(pfd[1]);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(fdio__read_all(pfd[0], buf, 4), 0);
	assert_string_equal(buf, "abcd");
	close(pfd[0]);
	wait(NULL);
}

/* ob_fixed2 writes what printf's "%.2f" writes: exact ties (v * 100 ending in .5 exactly)
 * to the even digit, ratios as the reports compute them, random doubles, and the values
 * it hands to printf. */
static void check_fixed2(struct obuf *o, double v)
{
	char want[512];
	size_t n;

	snprintf(want, sizeof(want), "%.2f", v);
	o->len = 0;
	n = ob_fixed2(o, v);
	assert_int_equal(n, o->len);
	o->data[o->len] = '\0';
	assert_string_equal(o->data, want);
}

static void test_obuf_fixed2(void **state)
{
	static char mem[1024];
	struct obuf o;
	uint64_t x = 88172645463325252ULL;

	(void)state;
	ob_init(&o, stdout, mem, sizeof(mem) - 1);
	for (int j = 0; j < 20000; j++)
		check_fixed2(&o, j / 8.0);
	for (int i = 0; i < 200000; i++) {
		double v;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_fixed2(&o, (double)(x % 1000003) * 100.0 / (double)(x % 1000003 + x % 977 + 1));
		memcpy(&v, &x, 8);
		check_fixed2(&o, fabs(v) < 1e16 ? fabs(v) : (double)(x >> 20) / 1024.0);
		check_fixed2(&o, (double)(x % 100000) / 100.0 + 0.005);
	}
	check_fixed2(&o, 0.0);
	check_fixed2(&o, 99.995);
	check_fixed2(&o, 0.125);
	check_fixed2(&o, 0.375);
	check_fixed2(&o, 999999999999999.9);
	check_fixed2(&o, 1e15);
	check_fixed2(&o, 1e300);
	check_fixed2(&o, -0.0);
	check_fixed2(&o, -2.5);
	check_fixed2(&o, INFINITY);
	check_fixed2(&o, NAN);
}

/* Pieces past the buffer go out in order; fill and numbers land as printf would. */
static void test_obuf_pieces(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	char mem[OBUF_MIN];
	char big[1000];
	struct obuf o;

	(void)state;
	assert_non_null(f);
	memset(big, 'x', sizeof(big));
	ob_init(&o, f, mem, sizeof(mem));
	ob_str(&o, "a");
	ob_fill(&o, '-', 600);
	ob_mem(&o, big, sizeof(big));
	ob_udec(&o, 42, 5, true);
	ob_sdec(&o, -7, 4, true);
	ob_hex(&o, 0xbeef, 6);
	ob_str_right(&o, "r", 3);
	ob_flush(&o);
	fclose(f);
	assert_int_equal(len, 1 + 600 + 1000 + 5 + 4 + 6 + 3);
	assert_int_equal(strspn(text + 1, "-"), 600);
	assert_int_equal(strspn(text + 601, "x"), 1000);
	assert_string_equal(text + 1601, "00042-7    beef  r");
	assert_int_equal(o.err, 0);
	free(text);
}

/* strfmt answers and writes what snprintf does, buffers too small included. */
static void test_strfmt(void **state)
{
	static const char *strs[] = { "", "a", "python3", "[kernel.kallsyms]", "x y z" };
	char a[40], b[40];

	(void)state;
	for (size_t si = 0; si < sizeof(strs) / sizeof(strs[0]); si++)
		for (int prec = -1; prec < 20; prec++)
			for (int width = 0; width < 22; width++)
				for (size_t sz = 0; sz < 24; sz++) {
					memset(a, 'Q', sizeof(a));
					memset(b, 'Q', sizeof(b));
					assert_int_equal(strfmt__left(a, sz, strs[si], prec, width),
							 snprintf(b, sz, "%-*.*s", width, prec, strs[si]));
					assert_memory_equal(a, b, sizeof(a));
					memset(a, 'Q', sizeof(a));
					memset(b, 'Q', sizeof(b));
					assert_int_equal(strfmt__spaces(a, sz, width),
							 snprintf(b, sz, "%*s", width, ""));
					assert_memory_equal(a, b, sizeof(a));
				}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_htab_empty),
		cmocka_unit_test(test_htab_colliding_hashes),
		cmocka_unit_test(test_htab_remove_backward_shift),
		cmocka_unit_test(test_htab_remove_wraps),
		cmocka_unit_test(test_htab_growth_and_clear),
		cmocka_unit_test(test_htab_init_hint),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_seen),
		cmocka_unit_test(test_mem_hint_huge),
		cmocka_unit_test(test_mem_heap_huge),
		cmocka_unit_test(test_mem_heap_prefault),
		cmocka_unit_test(test_strpool_basics),
		cmocka_unit_test(test_strpool_many_and_big),
		cmocka_unit_test(test_bsearch_edges),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_sysfs),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_fdio),
		cmocka_unit_test(test_obuf_fixed2),
		cmocka_unit_test(test_obuf_pieces),
		cmocka_unit_test(test_strfmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
