/*
 * ticket_lock.c - the ticket spinlock (contract in ticket_lock.h).
 *
 * Algorithm: two counters, like the number dispenser and the "now
 * serving" display at a counter. To lock, take a ticket: one locked
 * fetch-and-add on `tail` returns our number. Then wait until `head`
 * (now serving) shows it. To unlock, serve the next number: head + 1,
 * a plain store, since only the holder ever writes head.
 *
 * Why it is fair: tickets are handed out in the order the fetch-and-adds
 * hit the cache line, and served in ticket order, so every waiter gets
 * the lock after exactly the waiters ahead of it. Why waiters do not slow
 * the holder much: they only read head (the line is shared by all of
 * them) until the holder's store invalidates it once.
 *
 * The debug checks are those of every spinning lock (spinlock_debug.h):
 * recursion and unlocking a free lock panic, a waiter stuck for a second
 * prints who holds the lock, and here also which ticket is served.
 */
#include "sync/ticket_lock.h"

#define spin_debug_held(l) ticket_word_is_locked(&(l)->t)

void __ticket_spin_lock_init(ticket_spinlock_t *lock, const char *name, const void *key)
{
	atomic_set(&lock->t.val, 0);
	spin_debug_init(&lock->debug, "spinlock");
	lockdep_init_map(&lock->dep_map, name, key);
	lockstat_init_map(&lock->stat, name, key);
}

/* Our ticket is not served yet: wait for it (out of line, so that the
 * uncontended path stays a leaf), with the lockup report. */
static __noinline void ticket_wait(ticket_spinlock_t *lock, uint16_t me)
{
	struct spin_watch w = SPIN_WATCH_INIT;
	uint64_t wait_start = lockstat_contended(&lock->stat);

	while (smp_load_acquire(&lock->t.head) != me) {
		cpu_relax();
		if (spin_watch_expired(&w)) {
			spin_debug_report_lockup(lock);
			printk(KERN_ERR "ticket lock: serving %u, our ticket %u\n",
			       READ_ONCE(lock->t.head), me);
		}
	}
	lockstat_acquired(&lock->stat, wait_start);
}

/* ticket_word_lock(), with the hooks. */
void do_raw_ticket_spin_lock(ticket_spinlock_t *lock)
{
	debug_spin_lock_before(lock, 0, _RET_IP_);
	uint16_t me = (uint16_t)((unsigned int)atomic_fetch_add(TICKET_TAIL_ONE,
							       &lock->t.val) >> 16);
	if (likely(smp_load_acquire(&lock->t.head) == me))
		lockstat_acquired(&lock->stat, 0);
	else
		ticket_wait(lock, me);
	debug_spin_lock_after(lock, _RET_IP_);
}

int do_raw_ticket_spin_trylock(ticket_spinlock_t *lock)
{
	if (!ticket_word_trylock(&lock->t))
		return 0;
	lockstat_acquired(&lock->stat, 0);
	debug_spin_trylock_after(lock, _RET_IP_);
	return 1;
}

#ifndef CONFIG_INLINE_SPIN_UNLOCK	/* else inline, in ticket_lock.h */
void do_raw_ticket_spin_unlock(ticket_spinlock_t *lock)
{
	unsigned long flags;

	lockstat_release(&lock->stat);
	spin_debug_irq_save(flags);	/* forgotten and released at once */
	debug_spin_unlock(lock);
	ticket_word_unlock(&lock->t);
	spin_debug_irq_restore(flags);
}
#endif
