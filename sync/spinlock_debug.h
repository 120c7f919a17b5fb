/*
 * spinlock_debug.h - the checks every spinning lock shares (spinlock_t,
 * ticket_spinlock_t, the writer side of rwlock_t), in debug builds
 * (CONFIG_DEBUG_SPINLOCK, kernel/config.h).
 *
 * A lock embeds `struct spin_debug debug` and `struct lockdep_map dep_map`
 * (no bytes in RELEASE builds) and calls, around its own algorithm, one
 * hook per step, which does the lock debugging and tells lockdep:
 *
 *   debug_spin_lock_before(l, subclass, ip)   before waiting: lockdep
 *                     checks the order (a deadlock is reported before it
 *                     happens); "BUG: spinlock recursion" if this CPU
 *                     already holds the lock
 *   debug_spin_lock_after(l, ip)     it owns the lock: record CPU and caller
 *   debug_spin_trylock_after(l, ip)  the same for a trylock that took it
 *                     (and only now lockdep: a trylock never waits)
 *   debug_spin_unlock(l)   before releasing: "BUG: spinlock already
 *                     unlocked" / "wrong CPU"; lockdep forgets it
 *   spin_watch_expired(&w)  in the waiting loop: true once, after a second
 *                     of spinning; then spin_debug_report_lockup(l) prints
 *                     "BUG: spinlock lockup suspected", the holder, and
 *                     this CPU's backtrace
 *
 * `l` is the lock itself, and the lock's file says how to tell whether
 * it is held, before using the hooks:
 *   #define spin_debug_held(l) <is l locked by anybody?>
 * In RELEASE builds every hook is empty and evaluates nothing.
 *
 * Contract: callable in any context; the reports of a real deadlock
 * (recursion) and of a corrupted lock (bad unlock) panic, the lockup
 * report does not (the holder may just be slow: a preempted vCPU).
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/lockdep.h"
#include "sync/percpu.h"
#include "arch/x86/irqflags.h"

struct spin_debug {
#ifdef CONFIG_DEBUG_SPINLOCK
	const char *kind;	/* "spinlock", "rwlock": the word after BUG: */
	int owner_cpu;		/* -1 when free */
	void *owner_pc;		/* where it was taken */
#endif
};

/* Waiting for a lock: how long, and whether it was reported. */
struct spin_watch {
	unsigned long spins;
	uint64_t start;
	bool reported;
};
#define SPIN_WATCH_INIT { 0, 0, false }

#ifdef CONFIG_DEBUG_SPINLOCK
#define SPIN_DEBUG_INIT(k) { .kind = (k), .owner_cpu = -1, .owner_pc = NULL }

void spin_debug_init(struct spin_debug *d, const char *kind);
__noreturn void spin_debug_bug(const struct spin_debug *d, const struct lockdep_map *map,
			       const void *lock, const char *what);
void spin_debug_check_unlock(struct spin_debug *d, const struct lockdep_map *map,
			     const void *lock, bool held);
void spin_debug_lockup(const struct spin_debug *d, const struct lockdep_map *map,
		       const void *lock);
bool spin_watch_expired(struct spin_watch *w);

static inline void spin_debug_record(struct spin_debug *d, void *pc)
{
	WRITE_ONCE(d->owner_cpu, raw_smp_processor_id());	/* read by waiters' */
	WRITE_ONCE(d->owner_pc, pc);				/* recursion checks */
}

/*
 * The lock word and the owner fields change together, with interrupts
 * off in between: an interrupt that came after the lock was taken but
 * before the owner was recorded (or after it was forgotten but before the
 * release) would find the lock held by nobody known. If its handler then
 * took the same lock - the bug of a lock shared with an interrupt and
 * taken without _irqsave - the recursion check would miss this CPU, and
 * the handler would spin on its own lock, reported as a lockup "held by
 * CPU#-1" instead of "BUG: spinlock recursion". Debug builds only.
 */
#define spin_debug_irq_save(f) local_irq_save(f)
#define spin_debug_irq_restore(f) local_irq_restore(f)

#define spin_debug_recursion(l)                                             \
	do {                                                                \
		if (spin_debug_held(l) &&                                   \
		    READ_ONCE((l)->debug.owner_cpu) == raw_smp_processor_id()) \
			spin_debug_bug(&(l)->debug, &(l)->dep_map, (l), "recursion"); \
	} while (0)
#define spin_debug_check_unlock_of(l) \
	spin_debug_check_unlock(&(l)->debug, &(l)->dep_map, (l), spin_debug_held(l))
#define spin_debug_report_lockup(l) spin_debug_lockup(&(l)->debug, &(l)->dep_map, (l))
#else
#define SPIN_DEBUG_INIT(k) { }
#define spin_debug_init(d, kind) do { (void)(kind); } while (0)
#define spin_debug_bug(d, map, lock, what) panic("BUG: lock %s", (what))
#define spin_debug_record(d, pc) do { } while (0)
#define spin_debug_irq_save(f) ((void)(f))
#define spin_debug_irq_restore(f) ((void)(f))
#define spin_debug_recursion(l) do { } while (0)
#define spin_debug_check_unlock_of(l) do { } while (0)
#define spin_debug_report_lockup(l) do { } while (0)
#define spin_watch_expired(w) ((void)(w), false)
#endif

/* The hooks, on the lock itself (see above). */
#define debug_spin_lock_before(l, subclass, ip)                             \
	do {                                                                \
		spin_acquire(&(l)->dep_map, (subclass), false, (ip));       \
		spin_debug_recursion(l);                                    \
	} while (0)
#define debug_spin_lock_after(l, ip) spin_debug_record(&(l)->debug, (void *)(ip))
#define debug_spin_trylock_after(l, ip)                                     \
	do {                                                                \
		spin_debug_record(&(l)->debug, (void *)(ip));               \
		spin_acquire(&(l)->dep_map, 0, true, (ip));                 \
	} while (0)
#define debug_spin_unlock(l)                                                \
	do {                                                                \
		spin_debug_check_unlock_of(l);                              \
		spin_release(&(l)->dep_map, 0);                             \
	} while (0)
