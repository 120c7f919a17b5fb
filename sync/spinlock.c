/*
 * spinlock.c - test-and-test-and-set spinlock on xchg.
 *
 * Taking the lock is one atomic exchange: write 1, get the old value; if
 * the old value was 0 we own the lock. While it is held we do not keep
 * exchanging (every xchg pulls the cache line over to our CPU and slows
 * the owner down); we only *read* it, which lets all waiters share the
 * line, and we `pause` so the spinning CPU yields resources to its
 * hyperthread. When the read sees 0, we try the exchange again.
 *
 * Unlocking is a plain store of 0: on x86 a store is a release, so every
 * write made inside the critical section is visible before the lock looks
 * free. The compiler barrier keeps the compiler from sinking writes past it.
 *
 * Lock statistics and the trace (sync/lockstat.h) hear of a wait, an
 * acquisition and a release: a branch each while they are off.
 *
 * Debug builds tell lockdep before spinning (so a deadlock is reported
 * before it happens) and after unlocking, and make the checks of
 * spinlock_debug.h around each step.
 */
#include "sync/spinlock.h"
#include "sync/atomic.h"

#define spin_debug_held(l) (READ_ONCE((l)->locked) != 0)

void __spin_lock_init(spinlock_t *lock, const char *name, const void *key)
{
	lock->locked = 0;
	spin_debug_init(&lock->debug, "spinlock");
	lockdep_init_map(&lock->dep_map, name, key);
	lockstat_init_map(&lock->stat, name, key);
}

static void spin_wait(spinlock_t *lock)
{
	struct spin_watch w = SPIN_WATCH_INIT;

	while (READ_ONCE(lock->locked)) {
		cpu_relax();
		if (spin_watch_expired(&w))
			spin_debug_report_lockup(lock);
	}
}

/* Out of line: the uncontended path stays a leaf, with no registers to
 * save for a call it does not make. */
static __noinline void spin_lock_contended(spinlock_t *lock, unsigned long ip)
{
	uint64_t wait_start = lockstat_contended(&lock->stat);
	unsigned long flags = 0;

	(void)ip;
	for (;;) {
		spin_wait(lock);
		spin_debug_irq_save(flags);	/* taken and recorded at once */
		if (xchg(&lock->locked, 1) == 0)
			break;
		spin_debug_irq_restore(flags);
	}
	debug_spin_lock_after(lock, ip);
	spin_debug_irq_restore(flags);
	lockstat_acquired(&lock->stat, wait_start);
}

static __always_inline void __raw_spin_lock(spinlock_t *lock, int subclass,
					    unsigned long ip)
{
	unsigned long flags = 0;

	(void)subclass;			/* unused without lockdep */
	(void)ip;
	debug_spin_lock_before(lock, subclass, ip);
	spin_debug_irq_save(flags);	/* taken and recorded at once */
	if (likely(xchg(&lock->locked, 1) == 0)) {
		debug_spin_lock_after(lock, ip);
		spin_debug_irq_restore(flags);
		lockstat_acquired(&lock->stat, 0);
	} else {
		spin_debug_irq_restore(flags);
		spin_lock_contended(lock, ip);
	}
}

void do_raw_spin_lock(spinlock_t *lock)
{
	__raw_spin_lock(lock, 0, _RET_IP_);
}

void do_raw_spin_lock_nested(spinlock_t *lock, int subclass)
{
	__raw_spin_lock(lock, subclass, _RET_IP_);
}

int do_raw_spin_trylock(spinlock_t *lock)
{
	unsigned long flags = 0;

	if (READ_ONCE(lock->locked))
		return 0;
	spin_debug_irq_save(flags);	/* taken and recorded at once */
	if (xchg(&lock->locked, 1) != 0) {
		spin_debug_irq_restore(flags);
		return 0;
	}
	debug_spin_trylock_after(lock, _RET_IP_);
	spin_debug_irq_restore(flags);
	lockstat_acquired(&lock->stat, 0);
	return 1;
}

#ifndef CONFIG_INLINE_SPIN_UNLOCK	/* else inline, in spinlock.h */
void do_raw_spin_unlock(spinlock_t *lock)
{
	unsigned long flags;

	lockstat_release(&lock->stat);
	spin_debug_irq_save(flags);	/* forgotten and released at once */
	debug_spin_unlock(lock);
	barrier();
	WRITE_ONCE(lock->locked, 0);
	spin_debug_irq_restore(flags);
}
#endif
