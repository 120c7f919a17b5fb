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
#include "sync/barrier.h"

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
{ return pfx##_add_unless(v, 1, 0); }                                       \
/* Add a unless v == u; returns the old value either way. */                \
static inline ctype pfx##_fetch_add_unless(atype *v, ctype a, ctype u)      \
{ ctype c = pfx##_read(v);                                                  \
  do { if (c == u) break; }                                                 \
  while (!pfx##_try_cmpxchg(v, &c, c + a));                                 \
  return c; }                                                               \
/* Decrement unless that would go below 0; returns old value - 1 (so a     \
 * negative result means "not decremented"). */                             \
static inline ctype pfx##_dec_if_positive(atype *v)                         \
{ ctype c = pfx##_read(v);                                                  \
  do { if (c <= 0) break; }                                                 \
  while (!pfx##_try_cmpxchg(v, &c, c - 1));                                 \
  return c - 1; }                                                           \
/* The bitwise operations. With no result, one locked instruction; the     \
 * fetch_ forms need the old value, which x86 has no single instruction    \
 * for (xadd only adds): a cmpxchg loop, a full barrier like the rest. */   \
ATOMIC_BITOP(pfx, atype, ctype, sfx, and, &)                                \
ATOMIC_BITOP(pfx, atype, ctype, sfx, or, |)                                 \
ATOMIC_BITOP(pfx, atype, ctype, sfx, xor, ^)                                \
static inline void pfx##_andnot(ctype i, atype *v) { pfx##_and(~i, v); }   \
static inline ctype pfx##_fetch_andnot(ctype i, atype *v)                   \
{ return pfx##_fetch_and(~i, v); }                                          \
/* acquire/release on plain loads and stores: x86 gives them for free       \
 * (sync/barrier.h); only the compiler must keep its order. */              \
static inline ctype pfx##_read_acquire(const atype *v)                      \
{ return smp_load_acquire(&v->counter); }                                   \
static inline void pfx##_set_release(atype *v, ctype i)                     \
{ smp_store_release(&v->counter, i); }

#define ATOMIC_BITOP(pfx, atype, ctype, sfx, op, c_op)                       \
static inline void pfx##_##op(ctype i, atype *v)                            \
{ __asm__ __volatile__("lock " #op sfx " %1, %0"                            \
		       : "+m"(v->counter) : "er"(i) : "memory", "cc"); }    \
static inline ctype pfx##_fetch_##op(ctype i, atype *v)                     \
{ ctype c = pfx##_read(v);                                                  \
  while (!pfx##_try_cmpxchg(v, &c, c c_op i))                               \
	;                                                                   \
  return c; }

ATOMIC_OPS(atomic, atomic_t, int, "l")
ATOMIC_OPS(atomic64, atomic64_t, long, "q")
ATOMIC_OPS(atomic_long, atomic_long_t, long, "q")
#undef ATOMIC_OPS
#undef ATOMIC_BITOP

/*
 * Linux's ordering variants: _relaxed (no ordering), _acquire, _release.
 * On x86 a locked instruction is a full barrier whatever was asked for,
 * so each is the fully ordered operation: stronger, never weaker, which
 * is what the variants promise ("at least this much order").
 */
/*
 * Linux's ordering variants: _relaxed (no ordering), _acquire, _release.
 * On x86 a locked instruction is a full barrier whatever was asked for,
 * so each is the fully ordered operation: stronger, never weaker, which
 * is all the variants promise ("at least this much order"). Code written
 * with them stays correct on Linux's weakly ordered CPUs too.
 */
#define atomic_fetch_add_relaxed(i, v) atomic_fetch_add(i, v)
#define atomic_fetch_add_acquire(i, v) atomic_fetch_add(i, v)
#define atomic_fetch_add_release(i, v) atomic_fetch_add(i, v)
#define atomic_fetch_sub_relaxed(i, v) atomic_fetch_sub(i, v)
#define atomic_fetch_sub_acquire(i, v) atomic_fetch_sub(i, v)
#define atomic_fetch_sub_release(i, v) atomic_fetch_sub(i, v)
#define atomic_fetch_and_relaxed(i, v) atomic_fetch_and(i, v)
#define atomic_fetch_and_acquire(i, v) atomic_fetch_and(i, v)
#define atomic_fetch_and_release(i, v) atomic_fetch_and(i, v)
#define atomic_fetch_or_relaxed(i, v) atomic_fetch_or(i, v)
#define atomic_fetch_or_acquire(i, v) atomic_fetch_or(i, v)
#define atomic_fetch_or_release(i, v) atomic_fetch_or(i, v)
#define atomic_fetch_xor_relaxed(i, v) atomic_fetch_xor(i, v)
#define atomic_fetch_xor_acquire(i, v) atomic_fetch_xor(i, v)
#define atomic_fetch_xor_release(i, v) atomic_fetch_xor(i, v)
#define atomic_fetch_andnot_relaxed(i, v) atomic_fetch_andnot(i, v)
#define atomic_fetch_andnot_acquire(i, v) atomic_fetch_andnot(i, v)
#define atomic_fetch_andnot_release(i, v) atomic_fetch_andnot(i, v)
#define atomic_add_return_relaxed(i, v) atomic_add_return(i, v)
#define atomic_add_return_acquire(i, v) atomic_add_return(i, v)
#define atomic_add_return_release(i, v) atomic_add_return(i, v)
#define atomic_sub_return_relaxed(i, v) atomic_sub_return(i, v)
#define atomic_sub_return_acquire(i, v) atomic_sub_return(i, v)
#define atomic_sub_return_release(i, v) atomic_sub_return(i, v)
#define atomic_inc_return_relaxed(v) atomic_inc_return(v)
#define atomic_inc_return_acquire(v) atomic_inc_return(v)
#define atomic_inc_return_release(v) atomic_inc_return(v)
#define atomic_dec_return_relaxed(v) atomic_dec_return(v)
#define atomic_dec_return_acquire(v) atomic_dec_return(v)
#define atomic_dec_return_release(v) atomic_dec_return(v)
#define atomic_xchg_relaxed(v, n) atomic_xchg(v, n)
#define atomic_xchg_acquire(v, n) atomic_xchg(v, n)
#define atomic_xchg_release(v, n) atomic_xchg(v, n)
#define atomic_cmpxchg_relaxed(v, o, n) atomic_cmpxchg(v, o, n)
#define atomic_cmpxchg_acquire(v, o, n) atomic_cmpxchg(v, o, n)
#define atomic_cmpxchg_release(v, o, n) atomic_cmpxchg(v, o, n)
#define atomic_try_cmpxchg_relaxed(v, o, n) atomic_try_cmpxchg(v, o, n)
#define atomic_try_cmpxchg_acquire(v, o, n) atomic_try_cmpxchg(v, o, n)
#define atomic_try_cmpxchg_release(v, o, n) atomic_try_cmpxchg(v, o, n)
#define atomic64_fetch_add_relaxed(i, v) atomic64_fetch_add(i, v)
#define atomic64_fetch_add_acquire(i, v) atomic64_fetch_add(i, v)
#define atomic64_fetch_add_release(i, v) atomic64_fetch_add(i, v)
#define atomic64_fetch_sub_relaxed(i, v) atomic64_fetch_sub(i, v)
#define atomic64_fetch_sub_acquire(i, v) atomic64_fetch_sub(i, v)
#define atomic64_fetch_sub_release(i, v) atomic64_fetch_sub(i, v)
#define atomic64_fetch_and_relaxed(i, v) atomic64_fetch_and(i, v)
#define atomic64_fetch_and_acquire(i, v) atomic64_fetch_and(i, v)
#define atomic64_fetch_and_release(i, v) atomic64_fetch_and(i, v)
#define atomic64_fetch_or_relaxed(i, v) atomic64_fetch_or(i, v)
#define atomic64_fetch_or_acquire(i, v) atomic64_fetch_or(i, v)
#define atomic64_fetch_or_release(i, v) atomic64_fetch_or(i, v)
#define atomic64_fetch_xor_relaxed(i, v) atomic64_fetch_xor(i, v)
#define atomic64_fetch_xor_acquire(i, v) atomic64_fetch_xor(i, v)
#define atomic64_fetch_xor_release(i, v) atomic64_fetch_xor(i, v)
#define atomic64_fetch_andnot_relaxed(i, v) atomic64_fetch_andnot(i, v)
#define atomic64_fetch_andnot_acquire(i, v) atomic64_fetch_andnot(i, v)
#define atomic64_fetch_andnot_release(i, v) atomic64_fetch_andnot(i, v)
#define atomic64_add_return_relaxed(i, v) atomic64_add_return(i, v)
#define atomic64_add_return_acquire(i, v) atomic64_add_return(i, v)
#define atomic64_add_return_release(i, v) atomic64_add_return(i, v)
#define atomic64_sub_return_relaxed(i, v) atomic64_sub_return(i, v)
#define atomic64_sub_return_acquire(i, v) atomic64_sub_return(i, v)
#define atomic64_sub_return_release(i, v) atomic64_sub_return(i, v)
#define atomic64_inc_return_relaxed(v) atomic64_inc_return(v)
#define atomic64_inc_return_acquire(v) atomic64_inc_return(v)
#define atomic64_inc_return_release(v) atomic64_inc_return(v)
#define atomic64_dec_return_relaxed(v) atomic64_dec_return(v)
#define atomic64_dec_return_acquire(v) atomic64_dec_return(v)
#define atomic64_dec_return_release(v) atomic64_dec_return(v)
#define atomic64_xchg_relaxed(v, n) atomic64_xchg(v, n)
#define atomic64_xchg_acquire(v, n) atomic64_xchg(v, n)
#define atomic64_xchg_release(v, n) atomic64_xchg(v, n)
#define atomic64_cmpxchg_relaxed(v, o, n) atomic64_cmpxchg(v, o, n)
#define atomic64_cmpxchg_acquire(v, o, n) atomic64_cmpxchg(v, o, n)
#define atomic64_cmpxchg_release(v, o, n) atomic64_cmpxchg(v, o, n)
#define atomic64_try_cmpxchg_relaxed(v, o, n) atomic64_try_cmpxchg(v, o, n)
#define atomic64_try_cmpxchg_acquire(v, o, n) atomic64_try_cmpxchg(v, o, n)
#define atomic64_try_cmpxchg_release(v, o, n) atomic64_try_cmpxchg(v, o, n)
#define atomic_long_fetch_add_relaxed(i, v) atomic_long_fetch_add(i, v)
#define atomic_long_fetch_add_acquire(i, v) atomic_long_fetch_add(i, v)
#define atomic_long_fetch_add_release(i, v) atomic_long_fetch_add(i, v)
#define atomic_long_fetch_sub_relaxed(i, v) atomic_long_fetch_sub(i, v)
#define atomic_long_fetch_sub_acquire(i, v) atomic_long_fetch_sub(i, v)
#define atomic_long_fetch_sub_release(i, v) atomic_long_fetch_sub(i, v)
#define atomic_long_fetch_and_relaxed(i, v) atomic_long_fetch_and(i, v)
#define atomic_long_fetch_and_acquire(i, v) atomic_long_fetch_and(i, v)
#define atomic_long_fetch_and_release(i, v) atomic_long_fetch_and(i, v)
#define atomic_long_fetch_or_relaxed(i, v) atomic_long_fetch_or(i, v)
#define atomic_long_fetch_or_acquire(i, v) atomic_long_fetch_or(i, v)
#define atomic_long_fetch_or_release(i, v) atomic_long_fetch_or(i, v)
#define atomic_long_fetch_xor_relaxed(i, v) atomic_long_fetch_xor(i, v)
#define atomic_long_fetch_xor_acquire(i, v) atomic_long_fetch_xor(i, v)
#define atomic_long_fetch_xor_release(i, v) atomic_long_fetch_xor(i, v)
#define atomic_long_fetch_andnot_relaxed(i, v) atomic_long_fetch_andnot(i, v)
#define atomic_long_fetch_andnot_acquire(i, v) atomic_long_fetch_andnot(i, v)
#define atomic_long_fetch_andnot_release(i, v) atomic_long_fetch_andnot(i, v)
#define atomic_long_add_return_relaxed(i, v) atomic_long_add_return(i, v)
#define atomic_long_add_return_acquire(i, v) atomic_long_add_return(i, v)
#define atomic_long_add_return_release(i, v) atomic_long_add_return(i, v)
#define atomic_long_sub_return_relaxed(i, v) atomic_long_sub_return(i, v)
#define atomic_long_sub_return_acquire(i, v) atomic_long_sub_return(i, v)
#define atomic_long_sub_return_release(i, v) atomic_long_sub_return(i, v)
#define atomic_long_inc_return_relaxed(v) atomic_long_inc_return(v)
#define atomic_long_inc_return_acquire(v) atomic_long_inc_return(v)
#define atomic_long_inc_return_release(v) atomic_long_inc_return(v)
#define atomic_long_dec_return_relaxed(v) atomic_long_dec_return(v)
#define atomic_long_dec_return_acquire(v) atomic_long_dec_return(v)
#define atomic_long_dec_return_release(v) atomic_long_dec_return(v)
#define atomic_long_xchg_relaxed(v, n) atomic_long_xchg(v, n)
#define atomic_long_xchg_acquire(v, n) atomic_long_xchg(v, n)
#define atomic_long_xchg_release(v, n) atomic_long_xchg(v, n)
#define atomic_long_cmpxchg_relaxed(v, o, n) atomic_long_cmpxchg(v, o, n)
#define atomic_long_cmpxchg_acquire(v, o, n) atomic_long_cmpxchg(v, o, n)
#define atomic_long_cmpxchg_release(v, o, n) atomic_long_cmpxchg(v, o, n)
#define atomic_long_try_cmpxchg_relaxed(v, o, n) atomic_long_try_cmpxchg(v, o, n)
#define atomic_long_try_cmpxchg_acquire(v, o, n) atomic_long_try_cmpxchg(v, o, n)
#define atomic_long_try_cmpxchg_release(v, o, n) atomic_long_try_cmpxchg(v, o, n)
#define xchg_relaxed(p, v) xchg(p, v)
#define cmpxchg_relaxed(p, o_, n) cmpxchg(p, o_, n)
#define try_cmpxchg_relaxed(p, op, n) try_cmpxchg(p, op, n)
#define xchg_acquire(p, v) xchg(p, v)
#define cmpxchg_acquire(p, o_, n) cmpxchg(p, o_, n)
#define try_cmpxchg_acquire(p, op, n) try_cmpxchg(p, op, n)
#define xchg_release(p, v) xchg(p, v)
#define cmpxchg_release(p, o_, n) cmpxchg(p, o_, n)
#define try_cmpxchg_release(p, op, n) try_cmpxchg(p, op, n)

/* Spin until cond (about VAL, the counter's value) holds; returns VAL. */
#define atomic_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))
#define atomic64_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic64_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))
