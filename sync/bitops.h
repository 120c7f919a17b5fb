/*
 * bitops.h - operations on bits in arrays of unsigned long, Linux names.
 *
 * Contract:
 *  - set_bit, clear_bit, change_bit: atomic (lock-prefixed bts/btr/btc), no
 *    value returned. Bits of the same word can be changed from several
 *    CPUs at once without losing any update.
 *  - test_and_set_bit, test_and_clear_bit, test_and_change_bit: atomic,
 *    return the old bit, and are full memory barriers.
 *  - __set_bit, __clear_bit, __change_bit: NOT atomic (plain read-modify-
 *    write): only for words no other CPU touches meanwhile.
 *  - test_bit: a plain read.
 * nr may exceed the bits of one word: the array continues in memory.
 */
#pragma once
#include "kernel/compiler.h"

#define BITS_PER_LONG 64
#define BIT_WORD(nr)  ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)  (1UL << ((nr) % BITS_PER_LONG))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock btsq %1, %0"
			     : "+m"(addr[BIT_WORD(nr)])
			     : "r"(nr % BITS_PER_LONG) : "memory", "cc");
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock btrq %1, %0"
			     : "+m"(addr[BIT_WORD(nr)])
			     : "r"(nr % BITS_PER_LONG) : "memory", "cc");
}

static inline void change_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock btcq %1, %0"
			     : "+m"(addr[BIT_WORD(nr)])
			     : "r"(nr % BITS_PER_LONG) : "memory", "cc");
}

/* The carry flag receives the old bit: "=@ccc" turns it into a bool. */
#define __TEST_AND_OP(name, insn)                                          \
static inline bool name(long nr, volatile unsigned long *addr)             \
{                                                                          \
	bool old;                                                          \
	__asm__ __volatile__("lock " insn " %2, %0"                        \
			     : "+m"(addr[BIT_WORD(nr)]), "=@ccc"(old)      \
			     : "r"(nr % BITS_PER_LONG) : "memory");        \
	return old;                                                        \
}
__TEST_AND_OP(test_and_set_bit, "btsq")
__TEST_AND_OP(test_and_clear_bit, "btrq")
__TEST_AND_OP(test_and_change_bit, "btcq")
#undef __TEST_AND_OP

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline void __change_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

/*
 * Bit locks, as Linux's: test_and_set_bit_lock() takes bit `nr` as a lock
 * (true if it was already taken: the caller did NOT get it), with acquire
 * ordering; clear_bit_unlock() releases it with release ordering. On x86
 * the locked bts is already a full barrier, and the release is a compiler
 * barrier then a locked btr; __clear_bit_unlock() may use a plain store
 * when no other bit of the word can change meanwhile.
 */
static inline bool test_and_set_bit_lock(long nr, volatile unsigned long *addr)
{
	return test_and_set_bit(nr, addr);
}

static inline void clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("" ::: "memory");
	clear_bit(nr, addr);
}

static inline void __clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("" ::: "memory");
	__clear_bit(nr, addr);
}

/* Number of set bits (by halves, quarters...; no libgcc, no popcnt). */
static inline int hweight_long(unsigned long w)
{
	w = w - ((w >> 1) & 0x5555555555555555UL);
	w = (w & 0x3333333333333333UL) + ((w >> 2) & 0x3333333333333333UL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (int)((w * 0x0101010101010101UL) >> 56);
}

/* The lowest set bit of a non-zero word. */
static inline unsigned long __ffs(unsigned long w)
{
	return (unsigned long)__builtin_ctzl(w);
}

/* The first set (or clear) bit at or after `offset`, or `size`. */
static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	for (unsigned long i = offset; i < size; i++)
		if (test_bit((long)i, addr))
			return i;
	return size;
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr,
					       unsigned long size, unsigned long offset)
{
	for (unsigned long i = offset; i < size; i++)
		if (!test_bit((long)i, addr))
			return i;
	return size;
}

#define find_first_bit(addr, size)      find_next_bit((addr), (size), 0)
#define find_first_zero_bit(addr, size) find_next_zero_bit((addr), (size), 0)
#define for_each_set_bit(bit, addr, size)                                 \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size);       \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_clear_bit(bit, addr, size)                               \
	for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size);  \
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))
