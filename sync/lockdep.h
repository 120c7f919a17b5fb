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
 *  - Compiled out by CONFIG_RELEASE (RELEASE=1, kernel/config.h): every
 *    call is then a macro that does not even evaluate its arguments, and
 *    struct lockdep_map has no bytes.
 *  - lockdep_assert_held(lock) warns when this CPU (spinning locks) or
 *    task (sleeping locks) does not hold the lock: a rule stated in a
 *    comment becomes a check.
 *  - Limits: MAX_LOCKDEP_CLASSES classes, MAX_LOCK_DEPTH locks held by one
 *    CPU (or one task) at once. Running out prints one message and turns
 *    the validator off (lockdep_enabled() becomes false).
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/panic.h"

#define MAX_LOCK_DEPTH		16
#define MAX_LOCKDEP_CLASSES	512
#define MAX_LOCKDEP_SUBCLASSES	8
#define SINGLE_DEPTH_NESTING	1

/* Where a lock was initialized, as a string unique to that source line:
 * the key of its class. */
#define LOCKDEP_SITE_KEY __FILE__ ":" __stringify(__LINE__)

/* Which set of held locks a lock joins (see the contract). */
enum lockdep_ctx { LOCKDEP_SPIN, LOCKDEP_SLEEP };

/*
 * Embedded in every lock as `dep_map`: its name and class. Empty (no
 * bytes at all) when no lock debugging is built in (config.h).
 */
struct lockdep_map {
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	const void *key;		/* the class key: an init site */
	const char *name;		/* the lock's name, for reports */
	unsigned short class_idx;	/* cached class (subclass 0); 0 = unknown */
#endif
};

#ifdef CONFIG_DEBUG_LOCK_ALLOC
/* For static initializers: the site plus the lock's name, so two locks
 * initialized on one line (a mutex and its inner spinlock) differ. */
#define LOCKDEP_MAP_INIT(n) { .key = LOCKDEP_SITE_KEY " " #n, .name = #n }
static inline void lockdep_init_map(struct lockdep_map *map, const char *name,
				    const void *key)
{
	map->key = key;
	map->name = name;
	map->class_idx = 0;
}
static inline const char *lockdep_map_name(const struct lockdep_map *map)
{
	return map->name ? map->name : "(unnamed)";
}
#else
#define LOCKDEP_MAP_INIT(n) { }
#define lockdep_init_map(map, n, k) do { (void)(n); (void)(k); } while (0)
#define lockdep_map_name(map) "(unnamed)"
#endif

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#ifdef CONFIG_LOCKDEP
/* Before taking the lock (after, for a trylock that succeeded). */
void lock_acquire(struct lockdep_map *map, int subclass, bool trylock,
		  enum lockdep_ctx ctx, unsigned long ip);
/* When releasing it (any order; by another task for a sleeping lock). */
void lock_release(struct lockdep_map *map, enum lockdep_ctx ctx);
/* 1 if the current CPU (spinning locks) or task (sleeping locks) holds
 * it, 0 if not, -1 when the validator is off and cannot tell. */
int lock_is_held(const struct lockdep_map *map);

bool lockdep_enabled(void);
/* Locks held now: the current task's sleeping ones plus this CPU's
 * spinning ones (for "leaked a lock" checks). */
int lockdep_depth(void);
/* Warnings printed so far, and those no self-test planted. */
unsigned int lockdep_warning_count(void);
unsigned int lockdep_unexpected_count(void);
/* Self-tests: warnings printed by the calling task between begin and end
 * were planted on purpose and do not count as unexpected. */
void lockdep_expect_begin(void);
void lockdep_expect_end(void);
/* Called after each unexpected warning (e.g. to fail the running test). */
void lockdep_set_unexpected_hook(void (*fn)(void));

/* Warn (once per call site: no flood) unless this CPU or task holds
 * lock l (a pointer to any lock). */
#define lockdep_assert_held(l)  WARN_ON_ONCE(lock_is_held(&(l)->dep_map) == 0)
#define lockdep_assert_not_held(l) WARN_ON_ONCE(lock_is_held(&(l)->dep_map) == 1)
#else
/* As in Linux, the arguments are not evaluated: no code, no cost. */
#define lock_acquire(map, sub, try, ctx, ip) do { } while (0)
#define lock_release(map, ctx) do { } while (0)
#define lockdep_enabled() false
#define lockdep_depth() 0
#define lockdep_warning_count() 0u
#define lockdep_unexpected_count() 0u
#define lockdep_expect_begin() do { } while (0)
#define lockdep_expect_end() do { } while (0)
#define lockdep_set_unexpected_hook(fn) do { (void)(fn); } while (0)
#define lock_is_held(map) (-1)
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#define lockdep_assert_not_held(l) do { (void)(l); } while (0)
#endif

/* What each kind of lock tells the validator: map is &lock->dep_map. */
#define spin_acquire(map, sub, try, ip)  lock_acquire(map, sub, try, LOCKDEP_SPIN, ip)
#define spin_release(map, ip)            lock_release(map, LOCKDEP_SPIN)
#define mutex_acquire(map, sub, try, ip) lock_acquire(map, sub, try, LOCKDEP_SLEEP, ip)
#define mutex_release(map, ip)           lock_release(map, LOCKDEP_SLEEP)
#define rwsem_acquire(map, sub, try, ip) lock_acquire(map, sub, try, LOCKDEP_SLEEP, ip)
#define rwsem_release(map, ip)           lock_release(map, LOCKDEP_SLEEP)
