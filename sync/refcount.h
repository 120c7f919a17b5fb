/*
 * refcount.h - reference counters that refuse to wrap: refcount_t, with
 * Linux's names, semantics and messages.
 *
 * An object lives while its count is above zero; whoever drops the count
 * to zero frees it:
 *
 *   refcount_set(&obj->ref, 1);                     creation: one user
 *   refcount_inc(&obj->ref);                        another user
 *   if (refcount_dec_and_test(&obj->ref)) free(obj); last user frees
 *
 * An atomic_t would do the counting; refcount_t adds the checks. A count
 * that goes 0 -> 1 means someone used an object that was already being
 * freed; one that goes below 0 means one put too many; one that wraps past
 * INT_MAX would reach 0 early and free a live object. In each case the
 * count is set to REFCOUNT_SATURATED (INT_MIN / 2), far from both 0 and
 * the wrap, where it then stays: the object is leaked - never freed while
 * still in use - and one warning is printed with a backtrace:
 *
 *   refcount_t: increment on 0; use-after-free.     refcount_inc() on 0
 *   refcount_t: addition on 0; use-after-free.      refcount_add() on 0
 *   refcount_t: saturated; leaking memory.          past INT_MAX
 *   refcount_t: underflow; use-after-free.          below 0
 *   refcount_t: decrement hit 0; leaking memory.    refcount_dec() to 0
 *
 * Contract:
 *  - Every operation is one atomic instruction (a cmpxchg loop for the
 *    _not_zero forms): any context, interrupts included; never sleeps.
 *  - refcount_dec_and_test/sub_and_test are full barriers (locked xadd):
 *    everything the other holders did to the object happens before the
 *    freeing that follows a true result. refcount_inc orders nothing
 *    (on x86 it is a full barrier anyway).
 *  - refcount_inc_not_zero() is for lookups that may race with the last
 *    put (e.g. under rcu_read_lock()): it takes a reference only if the
 *    object is not already on its way out.
 *  - refcount_dec() must never drop the last reference (use
 *    refcount_dec_and_test() for that): it warns if it does.
 *  - A saturated count stays saturated; warnings are printed on the way
 *    into saturation, not again for every later use.
 */
#pragma once
#include "sync/atomic.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)   { .refs = ATOMIC_INIT(n) }
#define REFCOUNT_MAX       __INT_MAX__
#define REFCOUNT_SATURATED ((-__INT_MAX__ - 1) / 2)	/* INT_MIN / 2 */

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_INC_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)atomic_read(&r->refs);
}

/* Out of the fast paths: saturate, and say why (once per saturation). */
static __attribute__((__noinline__, __unused__)) void
refcount_warn_saturate(refcount_t *r, int old,
					      enum refcount_saturation_type t)
{
	static const char *const msg[] = {
		[REFCOUNT_ADD_NOT_ZERO_OVF] = "saturated; leaking memory.",
		[REFCOUNT_ADD_OVF] = "saturated; leaking memory.",
		[REFCOUNT_ADD_UAF] = "addition on 0; use-after-free.",
		[REFCOUNT_INC_UAF] = "increment on 0; use-after-free.",
		[REFCOUNT_SUB_UAF] = "underflow; use-after-free.",
		[REFCOUNT_DEC_LEAK] = "decrement hit 0; leaking memory.",
	};

	refcount_set(r, REFCOUNT_SATURATED);
	if (old < 0)
		return;			/* was saturated already: reported then */
	WARN(1, "refcount_t: %s\n", msg[t]);	/* a WARNING: tests fail on it */
}

/* old + i as the CPU computes it (wrapping), without C's signed overflow. */
static inline int __refcount_wrap(int old, int i)
{
	return (int)((unsigned int)old + (unsigned int)i);
}

static inline bool refcount_add_not_zero(int i, refcount_t *r)
{
	int old = atomic_read(&r->refs);

	do {
		if (!old)
			return false;
	} while (!atomic_try_cmpxchg(&r->refs, &old, __refcount_wrap(old, i)));
	if (unlikely(old < 0 || __refcount_wrap(old, i) < 0))
		refcount_warn_saturate(r, old, REFCOUNT_ADD_NOT_ZERO_OVF);
	return true;
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	return refcount_add_not_zero(1, r);
}

static inline void refcount_add(int i, refcount_t *r)
{
	int old = atomic_fetch_add(i, &r->refs);

	if (unlikely(!old))
		refcount_warn_saturate(r, old, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || __refcount_wrap(old, i) < 0))
		refcount_warn_saturate(r, old, REFCOUNT_ADD_OVF);
}

static inline void refcount_inc(refcount_t *r)
{
	int old = atomic_fetch_add(1, &r->refs);

	if (unlikely(!old))
		refcount_warn_saturate(r, old, REFCOUNT_INC_UAF);
	else if (unlikely(old < 0 || __refcount_wrap(old, 1) < 0))
		refcount_warn_saturate(r, old, REFCOUNT_ADD_OVF);
}

/* True when this dropped the count to 0: the caller frees the object. */
static inline bool refcount_sub_and_test(int i, refcount_t *r)
{
	int old = atomic_fetch_sub(i, &r->refs);

	if (old == i)
		return true;
	if (unlikely(old < 0 || __refcount_wrap(old, -i) < 0))
		refcount_warn_saturate(r, old, REFCOUNT_SUB_UAF);
	return false;
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

static inline void refcount_dec(refcount_t *r)
{
	int old = atomic_fetch_sub(1, &r->refs);

	if (unlikely(old <= 1))
		refcount_warn_saturate(r, old, REFCOUNT_DEC_LEAK);
}

/* 1 -> 0 only: true if this took the last reference, false (and no
 * change) if there were others. */
static inline bool refcount_dec_if_one(refcount_t *r)
{
	int one = 1;

	return atomic_try_cmpxchg(&r->refs, &one, 0);
}

/* Decrement unless the count is 1 (the last reference is left for a
 * caller that takes a lock first): false if it was 1, true otherwise. */
static inline bool refcount_dec_not_one(refcount_t *r)
{
	int old = atomic_read(&r->refs);

	do {
		if (unlikely(old == REFCOUNT_SATURATED || old < 0))
			return true;		/* saturated: stays so */
		if (old == 1)
			return false;
		if (unlikely(old == 0)) {
			refcount_warn_saturate(r, old, REFCOUNT_SUB_UAF);
			return true;
		}
	} while (!atomic_try_cmpxchg(&r->refs, &old, old - 1));
	return true;
}
