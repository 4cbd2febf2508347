/* Reads of numbers at any address (records in mapped files and buffers need not be aligned). */
#ifndef UTIL_UNALIGNED_H
#define UTIL_UNALIGNED_H

#include <stdint.h>
#include <string.h>

static inline uint32_t unaligned_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t unaligned_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif
