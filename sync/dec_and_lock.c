/*
 * dec_and_lock.c - the last reference is dropped under the lock.
 *
 * Algorithm: first try to decrement without the lock, which is allowed
 * as long as the count is not 1 (another holder remains, so this cannot
 * be the last put). If it is 1, take the lock, then decrement: if that
 * reached 0 the caller gets the lock held; if not (a lookup under the
 * lock took a reference in between), unlock and report "not the last".
 *
 * The order matters: decrementing to 0 first and locking after leaves a
 * moment where the object is still listed with a count of 0, and a lookup
 * under the lock finds it and fails refcount_inc_not_zero() - or worse,
 * with a plain inc, revives an object about to be freed. The delay hook
 * dec_and_lock_last widens the moment before the lock is taken, where a
 * wrong order would have already decremented (tests/kernel/test_names.c).
 */
#include "sync/dec_and_lock.h"
#include "kernel/delay_hook.h"

DEFINE_DELAY_HOOK(dec_and_lock_last);

bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;		/* others remain: no lock needed */
	delay_hook(dec_and_lock_last, r);
	spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		spin_unlock(lock);	/* a lookup took one meanwhile */
		return false;
	}
	return true;
}

bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock, unsigned long *flags)
{
	if (refcount_dec_not_one(r))
		return false;
	delay_hook(dec_and_lock_last, r);
	spin_lock_irqsave(lock, *flags);
	if (!refcount_dec_and_test(r)) {
		spin_unlock_irqrestore(lock, *flags);
		return false;
	}
	return true;
}

bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	delay_hook(dec_and_lock_last, r);
	mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		mutex_unlock(lock);
		return false;
	}
	return true;
}

/* atomic_add_unless(a, -1, 1): decrement unless this may be the last. */
int atomic_dec_and_lock(atomic_t *a, spinlock_t *lock)
{
	if (atomic_add_unless(a, -1, 1))
		return 0;
	delay_hook(dec_and_lock_last, a);
	spin_lock(lock);
	if (atomic_dec_and_test(a))
		return 1;
	spin_unlock(lock);
	return 0;
}

int _atomic_dec_and_lock_irqsave(atomic_t *a, spinlock_t *lock, unsigned long *flags)
{
	if (atomic_add_unless(a, -1, 1))
		return 0;
	delay_hook(dec_and_lock_last, a);
	spin_lock_irqsave(lock, *flags);
	if (atomic_dec_and_test(a))
		return 1;
	spin_unlock_irqrestore(lock, *flags);
	return 0;
}

int atomic_dec_and_mutex_lock(atomic_t *a, struct mutex *lock)
{
	if (atomic_add_unless(a, -1, 1))
		return 0;
	delay_hook(dec_and_lock_last, a);
	mutex_lock(lock);
	if (atomic_dec_and_test(a))
		return 1;
	mutex_unlock(lock);
	return 0;
}
