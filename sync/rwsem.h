/*
 * rwsem.h - reader-writer semaphores: sleeping reader-writer locks.
 *
 *   DECLARE_RWSEM(sem);            or  init_rwsem(&sem);
 *   down_read(&sem);  ... up_read(&sem);
 *   down_write(&sem); ... up_write(&sem);
 *
 * Contract (as in Linux):
 *  - Many readers at once, or one writer. Waiters sleep.
 *  - down_read/down_write may sleep: process context only (might_sleep()
 *    reports violations). Holders may sleep.
 *  - Writers are not starved: once a writer waits, new readers queue
 *    behind it instead of joining the readers inside. Waiters are served
 *    in FIFO order; consecutive readers at the head of the queue are let
 *    in together.
 *  - Hence down_read() is not recursive: a task that read-holds the rwsem
 *    and calls down_read() again deadlocks if a writer queued in between
 *    (lockdep reports "possible recursive locking detected" at once).
 *  - down_read_trylock()/down_write_trylock() return 1 on success, 0
 *    otherwise, and never sleep.
 *  - up_read/up_write: by the task that locked (no owner check here).
 *  - Ordering: acquire on down, release on up.
 *  - Lockdep (debug builds) validates the order against mutexes and other
 *    rwsems, reads and writes alike.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "sync/lockdep.h"
#include "sync/spinlock.h"

struct rw_semaphore {
	spinlock_t wait_lock;		/* guards everything below */
	int readers;			/* readers inside */
	bool writer;			/* a writer inside */
	struct list_head wait_list;	/* FIFO of sleeping waiters */
	struct lockdep_map dep_map;	/* name and class (debug builds) */
};

#define __RWSEM_INITIALIZER(n) {                                          \
		.wait_lock = __SPIN_LOCK_UNLOCKED(n.wait_lock),           \
		.readers = 0, .writer = false,                            \
		.wait_list = LIST_HEAD_INIT(n.wait_list),                 \
		.dep_map = LOCKDEP_MAP_INIT(n) }
#define DECLARE_RWSEM(n) struct rw_semaphore n = __RWSEM_INITIALIZER(n)

void __init_rwsem(struct rw_semaphore *sem, const char *name, const void *key);
#define init_rwsem(s) __init_rwsem((s), #s, LOCKDEP_SITE_KEY)

void down_read(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);	/* 1 = taken */
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);	/* 1 = taken */
void up_write(struct rw_semaphore *sem);
/* Keep holding it, as a reader now (lets queued readers in). */
void downgrade_write(struct rw_semaphore *sem);
/* 0, or -EINTR without the lock when a signal (kthread_stop(),
 * sched/sched.h) is pending while it waits, as in Linux. Nothing is fatal
 * here: the killable forms are the plain ones. */
int down_read_interruptible(struct rw_semaphore *sem);
static inline int down_read_killable(struct rw_semaphore *s) { down_read(s); return 0; }
static inline int down_write_killable(struct rw_semaphore *s) { down_write(s); return 0; }

/* Snapshots, for tests. */
static inline int rwsem_readers(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->readers);
}

static inline bool rwsem_is_write_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->writer);
}

static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->writer) || READ_ONCE(sem->readers) > 0;
}
