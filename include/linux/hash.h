/*
 * <linux/hash.h> - multiplicative hashing (Linux's hash_32/hash_64):
 * multiply by a constant near 2^N/phi and keep the top `bits` bits, which
 * depend on every input bit.
 */
#pragma once
#include <linux/types.h>

#define GOLDEN_RATIO_32 0x61C88647u
#define GOLDEN_RATIO_64 0x61C8864680B583EBull

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}

#define hash_long(val, bits) hash_64((u64)(val), (bits))
#define hash_ptr(ptr, bits) hash_long((unsigned long)(ptr), (bits))
