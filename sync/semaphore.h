/*
 * semaphore.h - counting semaphores (Dijkstra's P and V: down and up).
 *
 *   DEFINE_SEMAPHORE(slots, 4);     or  sema_init(&slots, 4);
 *   down(&slots); ... up(&slots);
 *
 * Contract (as in Linux):
 *  - The count is how many more down()s may pass without waiting. down()
 *    takes one, sleeping until one is available; up() gives one back, or
 *    hands it straight to the longest waiting task (FIFO, no starvation).
 *  - down(), down_timeout() may sleep: process context only, no spinlocks
 *    held, preemption and interrupts enabled.
 *  - up() never sleeps and may be called from any context, interrupts
 *    included, by any task: a semaphore has no owner (so, unlike a mutex,
 *    there is no owner check and no lockdep validation).
 *  - down_trylock() returns 0 on SUCCESS and 1 if it would have to wait:
 *    the OPPOSITE of mutex_trylock() and spin_trylock(). It never sleeps,
 *    so it may be called from interrupts.
 *  - down_timeout(sem, jiffies) returns 0 once it got the semaphore, or
 *    -ETIME if that many jiffies passed first (at once for 0).
 *  - Ordering: down() acquires and up() releases, as a lock; everything
 *    done before an up() is visible after the down() it lets through.
 *  - sema_init(sem, 1) gives a "binary semaphore": a lock without an owner.
 *    Prefer a mutex for mutual exclusion (owner checks, lockdep, spinning).
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "sync/spinlock.h"

struct semaphore {
	spinlock_t lock;		/* guards count and wait_list */
	unsigned int count;
	struct list_head wait_list;	/* FIFO of sleeping down()s */
};

#define __SEMAPHORE_INITIALIZER(name, n) {                               \
		.lock = __SPIN_LOCK_UNLOCKED(name.lock),                 \
		.count = (n),                                            \
		.wait_list = LIST_HEAD_INIT(name.wait_list) }
/* DEFINE_SEMAPHORE(name) is a binary semaphore (count 1), as before Linux
 * 6.4; DEFINE_SEMAPHORE(name, n) starts at n, as since. */
#define __DEFINE_SEMAPHORE(name, n, ...) \
	struct semaphore name = __SEMAPHORE_INITIALIZER(name, n)
#define DEFINE_SEMAPHORE(...) __DEFINE_SEMAPHORE(__VA_ARGS__, 1)

void sema_init(struct semaphore *sem, unsigned int count);
void down(struct semaphore *sem);
int down_trylock(struct semaphore *sem);		/* 0 = taken! */
int down_timeout(struct semaphore *sem, long timeout);	/* jiffies; 0 or -ETIME */
void up(struct semaphore *sem);
/* 0, or -EINTR when a signal (kthread_stop(), sched.h) is pending while
 * it waits, as in Linux. Nothing is fatal here: killable is down(). */
int down_interruptible(struct semaphore *sem);
static inline int down_killable(struct semaphore *s) { down(s); return 0; }

/* A snapshot of the count, for tests. */
static inline unsigned int sema_count(struct semaphore *sem)
{
	return READ_ONCE(sem->count);
}
