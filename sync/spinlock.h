/*
 * spinlock.h - spinlocks: busy-waiting mutual exclusion between CPUs.
 *
 * Contract:
 *  - spin_lock() disables preemption, then waits (spinning) until it owns
 *    the lock. spin_unlock() releases it, then re-enables preemption,
 *    which may reschedule at that point.
 *  - Never sleep while holding a spinlock (the CPU's other threads cannot
 *    run, and another CPU may be spinning on you): might_sleep() reports it.
 *  - Not recursive: taking a lock you hold deadlocks; debug builds report
 *    "BUG: spinlock recursion" instead.
 *  - If an interrupt handler takes the lock, every other user must take it
 *    with spin_lock_irqsave() (or _irq), or the handler may interrupt the
 *    holder on its own CPU and spin forever (debug builds catch it as
 *    recursion: lockdep's warning, then "BUG: spinlock recursion").
 *  - spin_trylock() returns 1 if it took the lock, 0 otherwise.
 *  - Ordering: everything done inside the critical section is visible to
 *    the next owner (acquire on lock, release on unlock).
 *
 * Debug builds (the default; RELEASE=1 removes the checks) also report
 * unlocking a lock that is not held, or held by another CPU, and a lock
 * spun on for over a second ("BUG: spinlock lockup suspected") with its
 * holder (sync/spinlock_debug.h); and they check the order locks are
 * taken in (sync/lockdep.h).
 * Two locks initialized at the same place (one class) may be nested in
 * increasing address order; any other nesting of one class needs
 * spin_lock_nested(inner, SINGLE_DEPTH_NESTING).
 *
 * This is the test-and-test-and-set lock: fast, but not fair (a CPU can
 * lose the race for the lock again and again). See ticket_lock.h for the
 * fair (FIFO) variant.
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/lock_api.h"
#include "sync/lockdep.h"
#include "sync/lockstat.h"
#include "sync/spinlock_debug.h"

typedef struct spinlock {
	int locked;			/* 0 = free, 1 = held */
	struct spin_debug debug;	/* owner CPU and caller (debug builds) */
	struct lockdep_map dep_map;	/* name and class (debug builds) */
	struct lockstat_map stat;	/* statistics, trace (sync/lockstat.h) */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(n) \
	{ .locked = 0, .debug = SPIN_DEBUG_INIT("spinlock"), .dep_map = LOCKDEP_MAP_INIT(n), \
	  .stat = LOCKSTAT_MAP_INIT(n) }
#define DEFINE_SPINLOCK(n) spinlock_t n = __SPIN_LOCK_UNLOCKED(n)

/* key: what identifies the lock's class for lockdep (an init site). */
void __spin_lock_init(spinlock_t *lock, const char *name, const void *key);
/* Every lock initialized by one spin_lock_init() line is one class. */
#define spin_lock_init(l) __spin_lock_init((l), #l, LOCKDEP_SITE_KEY)
/* Locks initialized with one name string are one class. */
#define spin_lock_init_named(l, name) __spin_lock_init((l), (name), (name))

/* The raw lock: no preemption handling (the scheduler uses these). */
void do_raw_spin_lock(spinlock_t *lock);
int do_raw_spin_trylock(spinlock_t *lock);
#ifndef CONFIG_INLINE_SPIN_UNLOCK
void do_raw_spin_unlock(spinlock_t *lock);
#else
static inline void do_raw_spin_unlock(spinlock_t *lock)
{
	lockstat_release(&lock->stat);
	barrier();
	WRITE_ONCE(lock->locked, 0);
}
#endif
/* Nesting annotation: subclass 1.. makes lockdep see a separate class. */
void do_raw_spin_lock_nested(spinlock_t *lock, int subclass);

/* spin_lock, spin_trylock, spin_unlock, spin_lock_irq, spin_unlock_irq,
 * spin_lock_irqsave, spin_unlock_irqrestore (lock_api.h). */
DEFINE_LOCK_API(spin, spinlock_t)
#define spin_lock_irqsave(lock, flags) ((flags) = _spin_lock_irqsave(lock))
#define spin_trylock_irqsave(lock, flags) _spin_trylock_irqsave((lock), &(flags))

/*
 * smp_mb__after_spinlock(): make the lock acquisition just done a full
 * barrier (Linux needs it where a store before spin_lock() must be seen
 * before a load inside, e.g. the scheduler's wake-up). On x86 the lock's
 * xchg already is a full barrier: only the compiler must be held.
 */
#define smp_mb__after_spinlock() barrier()

static inline void spin_lock_nested(spinlock_t *lock, int subclass)
{
	preempt_disable();
	do_raw_spin_lock_nested(lock, subclass);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return READ_ONCE(lock->locked) != 0;
}

/* The rule "this lock is held here", checked: held by someone (every
 * build, as Linux's), by this CPU (lockdep_assert_held, debug builds). */
#define assert_spin_locked(lock) BUG_ON(!spin_is_locked(lock))
