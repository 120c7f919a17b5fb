/*
 * <asm/local.h> - local_t: a counter updated only by its own CPU (a
 * per-CPU variable's), so its read-modify-writes need no lock prefix -
 * one instruction cannot be split by an interrupt on this CPU - and other
 * CPUs may only read it. As Linux's x86 local.h.
 */
#pragma once
#include "sync/atomic.h"

typedef struct { atomic_long_t a; } local_t;

#define LOCAL_INIT(i) { ATOMIC_LONG_INIT(i) }
#define local_read(l)   atomic_long_read(&(l)->a)
#define local_set(l, i) atomic_long_set(&(l)->a, (i))

static inline void local_add(long i, local_t *l)
{
	__asm__ __volatile__("addq %1, %0" : "+m"(l->a.counter) : "er"(i) : "memory", "cc");
}

static inline void local_sub(long i, local_t *l)
{
	__asm__ __volatile__("subq %1, %0" : "+m"(l->a.counter) : "er"(i) : "memory", "cc");
}

static inline void local_inc(local_t *l) { local_add(1, l); }
static inline void local_dec(local_t *l) { local_sub(1, l); }

static inline long local_add_return(long i, local_t *l)
{
	long old = i;

	__asm__ __volatile__("xaddq %0, %1" : "+r"(old), "+m"(l->a.counter) : : "memory", "cc");
	return old + i;
}

#define local_inc_return(l) local_add_return(1, (l))
#define local_dec_return(l) local_add_return(-1, (l))
