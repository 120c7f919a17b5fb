/*
 * lockdep.h - the lock-order validator, after Linux's lockdep.
 *
 * A deadlock between locks needs a cycle: CPU 0 holds A and waits for B
 * while CPU 1 holds B and waits for A. Lockdep catches the cycle the first
 * time the two orders are *seen*, even if the timing never made them
 * collide, by remembering every order it observes:
 *
 *  - locks are grouped in classes: all locks initialized at one place in
 *    the source (one spin_lock_init() line, one DEFINE_SPINLOCK, one
 *    mutex_init() call site...) form one class. "rq->lock of CPU 3" and
 *    "rq->lock of CPU 5" are one class, as in Linux;
 *  - taking B while holding A records the dependency A -> B;
 *  - a new dependency A -> B that closes a path B -> ... -> A is reported:
 *        WARNING: possible circular locking dependency detected
 *    with both lock names and the existing chain. Each dependency is
 *    checked (and so reported) once;
 *  - taking a lock whose class is already held is reported as
 *        WARNING: possible recursive locking detected
 *    except when two locks of one class are nested in increasing address
 *    order: that is the classic way to take two locks of one kind without
 *    deadlock (the scheduler's load balancer does it with run queues), and
 *    any inversion of it necessarily nests them decreasingly, which IS
 *    reported. Other orders need an annotation: spin_lock_nested(l, 1)
 *    (and do_raw_spin_lock_nested) gives the inner lock a subclass, which
 *    lockdep treats as a class of its own.
 *
 * Contract:
 *  - Reports are printk + backtrace; the kernel carries on (lock code that
 *    is about to deadlock, like a recursive spinlock, panics right after).
 *  - Spinning locks (spinlock_t, ticket_spinlock_t, rwlock_t writers) are
 *    tracked per CPU (they are held with preemption off); sleeping locks
 *    (mutex, rw_semaphore) per task. Semaphores and rwlock_t readers are not
 *    tracked (a semaphore has no owner; rwlock readers may recurse).
 *  - Callable from any context, interrupts included; never sleeps. Its own
 *    state sits under two internal raw locks taken with interrupts off.
 *  - Compiled out by CONFIG_RELEASE (RELEASE=1): every call is then empty.
 *  - Limits: MAX_LOCKDEP_CLASSES classes, MAX_LOCK_DEPTH locks held by one
 *    CPU (or one task) at once. Running out prints one message and turns
 *    the validator off (lockdep_enabled() becomes false).
 */
#pragma once
#include "kernel/compiler.h"

#ifndef CONFIG_RELEASE
#define CONFIG_LOCKDEP 1
#endif

#define MAX_LOCK_DEPTH		16
#define MAX_LOCKDEP_CLASSES	512
#define MAX_LOCKDEP_SUBCLASSES	8
#define SINGLE_DEPTH_NESTING	1

/* Where a lock was initialized, as a string unique to that source line:
 * the key of its class. */
#define LOCKDEP_SITE_KEY __FILE__ ":" __stringify(__LINE__)

/* Which set of held locks a lock joins (see the contract). */
enum lockdep_ctx { LOCKDEP_SPIN, LOCKDEP_SLEEP };

/* Embedded in every validated lock. */
struct lockdep_map {
	const void *key;		/* the class key: an init site */
	unsigned short class_idx;	/* cached class (subclass 0); 0 = unknown */
};

/* For static initializers: the site plus the lock's name, so two locks
 * initialized on one line (a mutex and its inner spinlock) differ. */
#define LOCKDEP_MAP_INIT(n) { .key = LOCKDEP_SITE_KEY " " #n, .class_idx = 0 }

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#ifdef CONFIG_LOCKDEP
void lockdep_init_map(struct lockdep_map *map, const void *key);
/* Before taking the lock (after, for a trylock that succeeded). */
void lock_acquire(struct lockdep_map *map, const char *name, int subclass,
		  bool trylock, enum lockdep_ctx ctx, unsigned long ip);
/* When releasing it (any order; by another task for a sleeping lock). */
void lock_release(struct lockdep_map *map, enum lockdep_ctx ctx);

bool lockdep_enabled(void);
/* Warnings printed so far, and those no self-test planted. */
unsigned int lockdep_warning_count(void);
unsigned int lockdep_unexpected_count(void);
/* Self-tests: warnings printed by the calling task between begin and end
 * were planted on purpose and do not count as unexpected. */
void lockdep_expect_begin(void);
void lockdep_expect_end(void);
/* Called after each unexpected warning (e.g. to fail the running test). */
void lockdep_set_unexpected_hook(void (*fn)(void));
#else
static inline void lockdep_init_map(struct lockdep_map *map, const void *key)
{ (void)map; (void)key; }
static inline void lock_acquire(struct lockdep_map *map, const char *name,
				int subclass, bool trylock, enum lockdep_ctx ctx,
				unsigned long ip)
{ (void)map; (void)name; (void)subclass; (void)trylock; (void)ctx; (void)ip; }
static inline void lock_release(struct lockdep_map *map, enum lockdep_ctx ctx)
{ (void)map; (void)ctx; }
static inline bool lockdep_enabled(void) { return false; }
static inline unsigned int lockdep_warning_count(void) { return 0; }
static inline unsigned int lockdep_unexpected_count(void) { return 0; }
static inline void lockdep_expect_begin(void) { }
static inline void lockdep_expect_end(void) { }
static inline void lockdep_set_unexpected_hook(void (*fn)(void)) { (void)fn; }
#endif
