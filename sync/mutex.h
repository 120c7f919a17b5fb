/*
 * mutex.h - sleeping mutual exclusion with an owner.
 *
 *   DEFINE_MUTEX(m);            or  mutex_init(&m);
 *   mutex_lock(&m); ... mutex_unlock(&m);
 *
 * Contract (as in Linux):
 *  - mutex_lock() may sleep: process context only, never with a spinlock
 *    held, preemption or interrupts disabled, or in an interrupt handler
 *    (might_sleep() reports "BUG: sleeping function called from invalid
 *    context"). The holder may sleep (msleep, wait_event...) inside.
 *  - Only the owner unlocks, exactly once. No recursion: a task locking a
 *    mutex it holds deadlocks.
 *  - mutex_trylock() returns 1 if it took the mutex, 0 otherwise, and never
 *    sleeps (it is the opposite of down_trylock(), which returns 0 on
 *    success).
 *  - mutex_is_locked() is a snapshot.
 *  - Ordering: acquire on lock, release on unlock (everything written by
 *    the previous owner inside is visible to the next).
 *  - Sleeping waiters queue in FIFO order and only the first competes.
 *    A running contender may take the mutex before a just-woken waiter
 *    (that keeps the mutex busy while the waiter is being scheduled), but
 *    only once: a waiter that lost reserves the next release for itself
 *    (hand-off). So nobody starves.
 *  - Before sleeping, a contender spins while the owner runs on another
 *    CPU ("optimistic spinning"): a short critical section then costs no
 *    sleep and no wake-up, about as cheap as a spinlock. Spinners line up
 *    in an OSQ (osq_lock.h): only the first one polls the owner.
 *  - Uncontended, lock and unlock are one cmpxchg each (plus the debug
 *    work below in debug builds).
 *
 * Debug builds (the default; RELEASE=1 removes them):
 *  - unlock by a task that is not the owner: "BUG: mutex unlock by
 *    non-owner", naming both tasks; the mutex is released anyway;
 *  - unlock of an unlocked mutex: "BUG: mutex unlock of unlocked mutex";
 *  - recursion: lockdep's "possible recursive locking detected", then a
 *    panic "BUG: mutex recursion" instead of a silent deadlock;
 *  - lock order against other mutexes and rw_semaphores (lockdep).
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "sync/atomic.h"
#include "sync/lockdep.h"
#include "sync/osq_lock.h"
#include "sync/spinlock.h"

struct task_struct;

/* owner: the owning struct task_struct * (0 when free) | flags in the low bits. */
#define MUTEX_FLAG_WAITERS	1UL	/* wait_list not empty: unlock slowly */
#define MUTEX_FLAG_HANDOFF	2UL	/* next release is for the first waiter */
#define MUTEX_FLAGS		3UL

struct mutex {
	atomic_long_t owner;
	struct optimistic_spin_queue osq;	/* spinners line up (osq_lock.h) */
	spinlock_t wait_lock;		/* guards wait_list */
	struct list_head wait_list;	/* sleeping waiters, FIFO */
	struct lockdep_map dep_map;	/* name and class (debug builds) */
	struct lockstat_map stat;	/* statistics, trace (sync/lockstat.h) */
};

#define __MUTEX_INITIALIZER(n) {                                          \
		.owner = ATOMIC_LONG_INIT(0),                             \
		.osq = OSQ_LOCK_UNLOCKED,                                 \
		.wait_lock = __SPIN_LOCK_UNLOCKED(n.wait_lock),           \
		.wait_list = LIST_HEAD_INIT(n.wait_list),                 \
		.dep_map = LOCKDEP_MAP_INIT(n),                           \
		.stat = LOCKSTAT_MAP_INIT_SLEEPING(n) }
#define DEFINE_MUTEX(n) struct mutex n = __MUTEX_INITIALIZER(n)

void __mutex_init(struct mutex *lock, const char *name, const void *key);
/* Every mutex initialized by one mutex_init() line is one lockdep class. */
#define mutex_init(m) __mutex_init((m), #m, LOCKDEP_SITE_KEY)

void mutex_lock(struct mutex *lock);
int mutex_trylock(struct mutex *lock);		/* 1 = taken */
void mutex_unlock(struct mutex *lock);
/* Lockdep nesting annotation, as spin_lock_nested(). */
void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
/* 0 with the mutex, or -EINTR without it when a signal (kthread_stop(),
 * sched/sched.h) is pending while it waits, as in Linux. Nothing is
 * fatal here: killable is mutex_lock(). */
int mutex_lock_interruptible(struct mutex *lock);
int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass);
static inline int mutex_lock_killable(struct mutex *m) { mutex_lock(m); return 0; }
static inline int mutex_lock_killable_nested(struct mutex *m, unsigned int subclass)
{
	mutex_lock_nested(m, subclass);
	return 0;
}
/* The mutex will not be used again: debug builds check it is free. */
static inline void mutex_destroy(struct mutex *m)
{
	WARN_ON(IS_ENABLED(CONFIG_DEBUG_MUTEXES) && (atomic_long_read(&m->owner) & ~MUTEX_FLAGS));
}

static inline bool mutex_is_locked(struct mutex *lock)
{
	return (atomic_long_read(&lock->owner) & ~MUTEX_FLAGS) != 0;
}

/* The owner now (a snapshot; NULL when free). */
static inline struct task_struct *mutex_owner(struct mutex *lock)
{
	return (struct task_struct *)(atomic_long_read(&lock->owner) & ~MUTEX_FLAGS);
}

/*
 * How contended acquisitions ended, summed over CPUs since boot: by
 * optimistic spinning, or by sleeping on the wait list. Per-CPU counters
 * (no shared cache line) in every build.
 */
struct mutex_stats {
	unsigned long spin_acquired;	/* got it while spinning on the owner */
	unsigned long slept;		/* queued and slept until handed it */
};
void mutex_get_stats(struct mutex_stats *s);
