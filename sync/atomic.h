/*
 * atomic.h - atomic integers and operations, Linux names and semantics.
 *
 * Contract:
 *  - atomic_read/atomic_set are plain (single, untorn) loads and stores:
 *    no ordering beyond what x86 gives every access.
 *  - atomic_add/sub/inc/dec return nothing; they are `lock`-prefixed, so
 *    the read-modify-write is indivisible even against other CPUs.
 *  - Every operation that returns a value (add_return, fetch_add,
 *    dec_and_test, xchg, cmpxchg, ...) is a full memory barrier; on x86
 *    every locked instruction already is one.
 *  - Never sleeps, usable in any context, interrupts included.
 *
 * Algorithm: the `lock` prefix makes the CPU own the cache line for the
 * whole instruction, so no other CPU can slip a write in between the
 * read and the write. xadd returns the old value; cmpxchg writes only if
 * memory still holds the expected value and reports what it found.
 */
#pragma once
#include "kernel/compiler.h"

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic64_t;
typedef atomic64_t atomic_long_t;

#define ATOMIC_INIT(i)   { (i) }
#define ATOMIC64_INIT(i) { (i) }
#define ATOMIC_LONG_INIT(i) { (i) }

/* ---- generic xchg/cmpxchg on any 4- or 8-byte object ---- */
#define xchg(ptr, v)                                                     \
	({                                                               \
		__typeof__(*(ptr)) r__ = (v);                            \
		_Static_assert(sizeof(*(ptr)) == 4 || sizeof(*(ptr)) == 8, \
			       "xchg: 4 or 8 bytes");                    \
		/* xchg with memory is always locked: no prefix needed */ \
		__asm__ __volatile__("xchg %0, %1"                       \
				     : "+r"(r__), "+m"(*(ptr))           \
				     : : "memory");                      \
		r__;                                                     \
	})

#define cmpxchg(ptr, old, new)                                           \
	({                                                               \
		__typeof__(*(ptr)) o__ = (old);                          \
		__typeof__(*(ptr)) n__ = (new);                          \
		_Static_assert(sizeof(*(ptr)) == 4 || sizeof(*(ptr)) == 8, \
			       "cmpxchg: 4 or 8 bytes");                 \
		__asm__ __volatile__("lock cmpxchg %2, %1"               \
				     : "+a"(o__), "+m"(*(ptr))           \
				     : "r"(n__) : "memory", "cc");       \
		o__;                                                     \
	})

/* try_cmpxchg: true if *ptr held *oldp and now holds new; otherwise
 * false, and *oldp gets what *ptr held - ready for the next try:
 *     long old = READ_ONCE(x);
 *     while (!try_cmpxchg(&x, &old, old + 1))
 *             ;
 */
#define try_cmpxchg(ptr, oldp, new)                                      \
	({                                                               \
		/* names of their own: cmpxchg() has an o__ inside */    \
		__typeof__(*(ptr)) *tc_oldp__ = (oldp);                  \
		__typeof__(*(ptr)) tc_old__ = *tc_oldp__;                \
		__typeof__(*(ptr)) tc_seen__ = cmpxchg((ptr), tc_old__, (new)); \
		if (tc_seen__ != tc_old__)                               \
			*tc_oldp__ = tc_seen__;                          \
		tc_seen__ == tc_old__;                                   \
	})

/* ---- the operations, written once for int (l) and long (q) ---- */
#define ATOMIC_OPS(pfx, atype, ctype, sfx)                                  \
static inline ctype pfx##_read(const atype *v)                              \
{ return READ_ONCE(v->counter); }                                           \
static inline void pfx##_set(atype *v, ctype i)                             \
{ WRITE_ONCE(v->counter, i); }                                              \
static inline void pfx##_add(ctype i, atype *v)                             \
{ __asm__ __volatile__("lock add" sfx " %1, %0"                             \
		       : "+m"(v->counter) : "er"(i) : "memory", "cc"); }    \
static inline void pfx##_sub(ctype i, atype *v)                             \
{ __asm__ __volatile__("lock sub" sfx " %1, %0"                             \
		       : "+m"(v->counter) : "er"(i) : "memory", "cc"); }    \
static inline void pfx##_inc(atype *v)                                      \
{ __asm__ __volatile__("lock inc" sfx " %0"                                 \
		       : "+m"(v->counter) : : "memory", "cc"); }            \
static inline void pfx##_dec(atype *v)                                      \
{ __asm__ __volatile__("lock dec" sfx " %0"                                 \
		       : "+m"(v->counter) : : "memory", "cc"); }            \
static inline ctype pfx##_fetch_add(ctype i, atype *v)                      \
{ __asm__ __volatile__("lock xadd" sfx " %0, %1"                            \
		       : "+r"(i), "+m"(v->counter) : : "memory", "cc");     \
  return i; }                                                               \
static inline ctype pfx##_fetch_sub(ctype i, atype *v)                      \
{ return pfx##_fetch_add(-i, v); }                                          \
static inline ctype pfx##_add_return(ctype i, atype *v)                     \
{ return pfx##_fetch_add(i, v) + i; }                                       \
static inline ctype pfx##_sub_return(ctype i, atype *v)                     \
{ return pfx##_fetch_add(-i, v) - i; }                                      \
static inline ctype pfx##_inc_return(atype *v)                              \
{ return pfx##_add_return(1, v); }                                          \
static inline ctype pfx##_dec_return(atype *v)                              \
{ return pfx##_sub_return(1, v); }                                          \
static inline bool pfx##_dec_and_test(atype *v)                             \
{ return pfx##_sub_return(1, v) == 0; }                                     \
static inline bool pfx##_inc_and_test(atype *v)                             \
{ return pfx##_add_return(1, v) == 0; }                                     \
static inline bool pfx##_sub_and_test(ctype i, atype *v)                    \
{ return pfx##_sub_return(i, v) == 0; }                                     \
static inline ctype pfx##_xchg(atype *v, ctype n)                           \
{ return xchg(&v->counter, n); }                                            \
static inline ctype pfx##_cmpxchg(atype *v, ctype o, ctype n)               \
{ return cmpxchg(&v->counter, o, n); }                                      \
/* On failure *old is updated to the value found, ready for a retry. */     \
static inline bool pfx##_try_cmpxchg(atype *v, ctype *old, ctype n)         \
{ ctype seen = cmpxchg(&v->counter, *old, n);                               \
  if (seen == *old) return true;                                            \
  *old = seen; return false; }                                              \
/* Add a to v unless v == u; returns true if it added. */                   \
static inline bool pfx##_add_unless(atype *v, ctype a, ctype u)             \
{ ctype c = pfx##_read(v);                                                  \
  do { if (c == u) return false; }                                          \
  while (!pfx##_try_cmpxchg(v, &c, c + a));                                 \
  return true; }                                                            \
static inline bool pfx##_inc_not_zero(atype *v)                             \
{ return pfx##_add_unless(v, 1, 0); }

ATOMIC_OPS(atomic, atomic_t, int, "l")
ATOMIC_OPS(atomic64, atomic64_t, long, "q")
ATOMIC_OPS(atomic_long, atomic_long_t, long, "q")
#undef ATOMIC_OPS
