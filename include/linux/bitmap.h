/*
 * <linux/bitmap.h> - arrays of bits. The non-atomic helpers below need the
 * caller's own exclusion, as in Linux; set_bit() & co are the atomic ones.
 */
#pragma once
#include "kernel/string.h"
#include "sync/bitops.h"
#include <linux/bits.h>

#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline void bitmap_zero(unsigned long *map, unsigned int nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_fill(unsigned long *map, unsigned int nbits)
{
	for (unsigned int i = 0; i < nbits; i++)
		__set_bit((long)i, map);
}

static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int n)
{
	for (unsigned int i = start; i < start + n; i++)
		__set_bit((long)i, map);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int n)
{
	for (unsigned int i = start; i < start + n; i++)
		__clear_bit((long)i, map);
}

static inline unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < nbits; i++)
		w += test_bit((long)i, map);
	return w;
}

static inline bool bitmap_empty(const unsigned long *map, unsigned int nbits)
{
	return find_first_bit(map, nbits) >= nbits;
}

static inline bool bitmap_full(const unsigned long *map, unsigned int nbits)
{
	return find_first_zero_bit(map, nbits) >= nbits;
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}
