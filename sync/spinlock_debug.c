/*
 * spinlock_debug.c - the debug checks of spinning locks (contract in
 * spinlock_debug.h).
 *
 * Each lock records which CPU took it and from where. That is enough to
 * name three bugs at the moment they happen instead of as a hang or a
 * corrupted structure later: taking a lock this CPU already holds (it
 * would spin forever on itself), unlocking a free lock, and unlocking a
 * lock another CPU holds. A waiter that spins for over a second prints
 * who holds the lock and where it was taken, once, and goes on waiting:
 * under a hypervisor the holder may merely be descheduled.
 */
#include "sync/spinlock_debug.h"
#include "kernel/panic.h"
#include "kernel/time.h"

#ifdef CONFIG_DEBUG_SPINLOCK

#define LOCKUP_NS (1000ULL * NSEC_PER_MSEC)

void spin_debug_init(struct spin_debug *d, const char *kind)
{
	d->kind = kind;
	d->owner_cpu = -1;
	d->owner_pc = NULL;
}

void spin_debug_bug(const struct spin_debug *d, const struct lockdep_map *map,
		    const void *lock, const char *what)
{
	panic("BUG: %s %s on CPU#%d, lock %s (%p), owner CPU#%d, taken at %pS",
	      d->kind, what, raw_smp_processor_id(), lockdep_map_name(map), lock,
	      READ_ONCE(d->owner_cpu), READ_ONCE(d->owner_pc));
}

void spin_debug_check_unlock(struct spin_debug *d, const struct lockdep_map *map,
			     const void *lock, bool held)
{
	if (!held)
		spin_debug_bug(d, map, lock, "already unlocked");
	if (d->owner_cpu != raw_smp_processor_id())
		spin_debug_bug(d, map, lock, "wrong CPU");
	WRITE_ONCE(d->owner_cpu, -1);	/* waiters read them (recursion check) */
	WRITE_ONCE(d->owner_pc, NULL);
}

void spin_debug_lockup(const struct spin_debug *d, const struct lockdep_map *map,
		       const void *lock)
{
	int owner = READ_ONCE(d->owner_cpu);

	if (owner >= 0)
		printk(KERN_ERR "BUG: %s lockup suspected on CPU#%d, lock %s (%p), "
		       "held by CPU#%d since %pS\n", d->kind, raw_smp_processor_id(),
		       lockdep_map_name(map), lock, owner, READ_ONCE(d->owner_pc));
	else	/* a ticket or rwlock waiter, served but not yet recorded */
		printk(KERN_ERR "BUG: %s lockup suspected on CPU#%d, lock %s (%p), "
		       "held, holder not recorded yet (a CPU between taking the "
		       "lock and recording itself; if an interrupt there wants "
		       "the lock again, the lock needs its _irqsave variant)\n",
		       d->kind, raw_smp_processor_id(), lockdep_map_name(map), lock);
	dump_stack();
}

/* Read the clock only now and then: spinning must stay cheap. */
bool spin_watch_expired(struct spin_watch *w)
{
	if ((++w->spins & 0xffff) || w->reported)
		return false;
	uint64_t now = ktime_get_ns();
	if (!w->start) {
		w->start = now;
		return false;
	}
	if (now - w->start <= LOCKUP_NS)
		return false;
	w->reported = true;
	return true;
}
#endif
