/*
 * dec_and_lock.h - drop a reference, and take a lock only for the last.
 *
 *   if (refcount_dec_and_lock(&obj->ref, &list_lock)) {
 *           list_del(&obj->node);          lock held, count is 0
 *           spin_unlock(&list_lock);
 *           kfree(obj);
 *   }
 *
 * Why: a lookup that finds obj in a list under list_lock and takes a
 * reference (refcount_inc_not_zero) must never meet an object whose
 * count reached 0 but which is still listed. So the last decrement and
 * the removal from the list happen under one lock - while every other
 * decrement stays a lock-free atomic (the lock is taken only when the
 * count may be going 1 -> 0).
 *
 * Contract (Linux's):
 *  - Return true with the lock HELD if the count dropped to 0 (the caller
 *    unlocks); false with the lock not held otherwise.
 *  - The spinlock forms never sleep; the _irqsave ones leave interrupts
 *    off with the lock (flags by address for refcount_/by name for
 *    atomic_, as Linux). The mutex forms may sleep: process context only.
 */
#pragma once
#include "sync/refcount.h"
#include "sync/spinlock.h"
#include "sync/mutex.h"

bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock);
bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock, unsigned long *flags);
bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock);

/* The atomic_t forms: the same, without refcount_t's saturation checks. */
int atomic_dec_and_lock(atomic_t *a, spinlock_t *lock);
int _atomic_dec_and_lock_irqsave(atomic_t *a, spinlock_t *lock, unsigned long *flags);
#define atomic_dec_and_lock_irqsave(a, lock, flags) \
	_atomic_dec_and_lock_irqsave((a), (lock), &(flags))
int atomic_dec_and_mutex_lock(atomic_t *a, struct mutex *lock);
