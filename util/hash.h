/* The hash functions of the tree: FNV-1a over bytes and strings, a 64-bit mixer for
 * integers and pointers, and a combiner for keys made of several parts. */
#ifndef UTIL_HASH_H
#define UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_OFFSET 0xcbf29ce484222325ULL
#define HASH_FNV_PRIME  0x100000001b3ULL

/* FNV-1a, continuing from @h (start with HASH_FNV_OFFSET). */
static inline uint64_t hash_bytes_from(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * HASH_FNV_PRIME;
	return h;
}

static inline uint64_t hash_bytes(const void *p, size_t n)
{
	return hash_bytes_from(HASH_FNV_OFFSET, p, n);
}

static inline uint64_t hash_str(const char *s)
{
	uint64_t h = HASH_FNV_OFFSET;

	while (*s)
		h = (h ^ (unsigned char)*s++) * HASH_FNV_PRIME;
	return h;
}

/* splitmix64's finalizer: every input bit moves every output bit, so the low bits (the
 * ones a power-of-two table uses) are good even for aligned pointers and small ints. It is a
 * bijection (xor-shifts and odd multipliers are invertible): equal hashes mean equal inputs,
 * which report/fold/from_perf.c relies on to keep pointer-keyed caches without the keys. */
static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static inline uint64_t hash_ptr(const void *p)
{
	return hash_u64((uint64_t)(uintptr_t)p);
}

/* A key of several parts hashed on a hot path: fold each part in (no mixing, two
 * instructions), then finish once with hash_u64, instead of a hash_combine per part. */
static inline uint64_t hash_fold(uint64_t h, uint64_t v)
{
	return (h ^ v) * HASH_FNV_PRIME;
}

/* A hash of (a, b): order matters. */
static inline uint64_t hash_combine(uint64_t a, uint64_t b)
{
	return hash_u64(a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)));
}

#endif
