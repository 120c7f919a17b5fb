/*
 * kref.h - a reference count embedded in an object, with the release
 * function called exactly once, by whoever drops the last reference
 * (Linux's struct kref).
 *
 *   struct thing { struct kref ref; ... };
 *   static void thing_release(struct kref *k)
 *   { kfree(container_of(k, struct thing, ref)); }
 *
 *   kref_init(&t->ref);                 count 1: the creator's reference
 *   kref_get(&t->ref);                  one more (the caller already has one)
 *   kref_put(&t->ref, thing_release);   one less; at 0, release runs
 *
 * Contract:
 *  - Built on refcount_t (sync/refcount.h): the same saturation and
 *    warnings on misuse (a get after the last put, a put too many).
 *  - kref_get() only by someone who already holds a reference; a lookup
 *    that may race with the last put uses kref_get_unless_zero().
 *  - kref_put() returns 1 if it released the object. It is a full barrier:
 *    release() sees every change the other holders made. release() runs
 *    in the caller's context, so it may sleep only if every caller of
 *    kref_put() may.
 *  - No sleeping inside, any context.
 */
#pragma once
#include "sync/refcount.h"
#include "sync/dec_and_lock.h"

struct kref {
	refcount_t refcount;
};

#define KREF_INIT(n) { .refcount = REFCOUNT_INIT(n) }

static inline void kref_init(struct kref *kref)
{
	refcount_set(&kref->refcount, 1);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return refcount_read(&kref->refcount);
}

static inline void kref_get(struct kref *kref)
{
	refcount_inc(&kref->refcount);
}

static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (refcount_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

/* Take a reference only if the object is not already being released. */
static inline bool kref_get_unless_zero(struct kref *kref)
{
	return refcount_inc_not_zero(&kref->refcount);
}

/*
 * kref_put_mutex/kref_put_lock: for objects a lookup finds under a lock
 * (kref_get_unless_zero() in the lookup). The last put takes the lock
 * first, so the lookup never finds an object being released; release()
 * is called with the lock HELD and must unlock it (after unlisting).
 */
static inline int kref_put_mutex(struct kref *kref, void (*release)(struct kref *kref),
				 struct mutex *lock)
{
	if (refcount_dec_and_mutex_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}

static inline int kref_put_lock(struct kref *kref, void (*release)(struct kref *kref),
				spinlock_t *lock)
{
	if (refcount_dec_and_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}
