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
 * The debug checks mirror spinlock.c: recursion and unlocking a free lock
 * panic, a waiter stuck for a second prints who holds the lock.
 */
#include "sync/ticket_lock.h"
#include "kernel/panic.h"
#include "kernel/time.h"

#define LOCKUP_NS (1000ULL * NSEC_PER_MSEC)

void __ticket_spin_lock_init(ticket_spinlock_t *lock, const char *name, const void *key)
{
	atomic_set(&lock->t.val, 0);
#ifdef CONFIG_DEBUG_SPINLOCK
	lock->owner_cpu = -1;
	lock->name = name;
	lock->owner_pc = NULL;
#else
	(void)name;
#endif
#ifdef CONFIG_LOCKDEP
	lockdep_init_map(&lock->dep_map, key);
#else
	(void)key;
#endif
}

#ifdef CONFIG_DEBUG_SPINLOCK
static const char *lock_name(ticket_spinlock_t *lock)
{
	return lock->name ? lock->name : "(unnamed)";
}

static void ticket_bug(ticket_spinlock_t *lock, const char *what)
{
	panic("BUG: spinlock %s on CPU#%d, ticket lock %s (%p), owner CPU#%d, taken at %pS",
	      what, raw_smp_processor_id(), lock_name(lock), (void *)lock,
	      READ_ONCE(lock->owner_cpu), lock->owner_pc);
}

static void debug_lock_before(ticket_spinlock_t *lock)
{
	if (ticket_word_is_locked(&lock->t) &&
	    READ_ONCE(lock->owner_cpu) == raw_smp_processor_id())
		ticket_bug(lock, "recursion");
}

static void debug_lock_after(ticket_spinlock_t *lock, void *pc)
{
	lock->owner_cpu = raw_smp_processor_id();
	lock->owner_pc = pc;
}

static void debug_unlock(ticket_spinlock_t *lock)
{
	if (!ticket_word_is_locked(&lock->t))
		ticket_bug(lock, "already unlocked");
	if (lock->owner_cpu != raw_smp_processor_id())
		ticket_bug(lock, "wrong CPU");
	lock->owner_cpu = -1;
	lock->owner_pc = NULL;
}

static void report_lockup(ticket_spinlock_t *lock, uint16_t me)
{
	printk(KERN_ERR "BUG: spinlock lockup suspected on CPU#%d, ticket lock %s (%p), "
	       "held by CPU#%d since %pS, serving %u, our ticket %u\n",
	       raw_smp_processor_id(), lock_name(lock), (void *)lock,
	       READ_ONCE(lock->owner_cpu), READ_ONCE(lock->owner_pc),
	       READ_ONCE(lock->t.head), me);
	dump_stack();
}
#else
static inline void debug_lock_before(ticket_spinlock_t *lock) { (void)lock; }
static inline void debug_lock_after(ticket_spinlock_t *lock, void *pc)
{ (void)lock; (void)pc; }
static inline void debug_unlock(ticket_spinlock_t *lock) { (void)lock; }
static inline void report_lockup(ticket_spinlock_t *lock, uint16_t me)
{ (void)lock; (void)me; }
#endif

/* The same as ticket_word_lock(), plus the lockup report. */
static void ticket_wait(ticket_spinlock_t *lock)
{
	uint16_t me = (uint16_t)((unsigned int)atomic_fetch_add(TICKET_TAIL_ONE,
							       &lock->t.val) >> 16);
	uint64_t start = 0;
	bool reported = false;

	for (unsigned long spins = 1; smp_load_acquire(&lock->t.head) != me; spins++) {
		cpu_relax();
		if ((spins & 0xffff) || reported)
			continue;
		uint64_t now = ktime_get_ns();
		if (!start)
			start = now;
		else if (now - start > LOCKUP_NS) {
			report_lockup(lock, me);
			reported = true;
		}
	}
}

void do_raw_ticket_spin_lock(ticket_spinlock_t *lock)
{
#ifdef CONFIG_LOCKDEP
	lock_acquire(&lock->dep_map, lock->name, 0, false, LOCKDEP_SPIN, _RET_IP_);
#endif
	debug_lock_before(lock);
	ticket_wait(lock);
	debug_lock_after(lock, __builtin_return_address(0));
}

int do_raw_ticket_spin_trylock(ticket_spinlock_t *lock)
{
	if (!ticket_word_trylock(&lock->t))
		return 0;
	debug_lock_after(lock, __builtin_return_address(0));
#ifdef CONFIG_LOCKDEP
	lock_acquire(&lock->dep_map, lock->name, 0, true, LOCKDEP_SPIN, _RET_IP_);
#endif
	return 1;
}

#ifndef CONFIG_INLINE_SPIN_UNLOCK	/* else inline, in ticket_lock.h */
void do_raw_ticket_spin_unlock(ticket_spinlock_t *lock)
{
	debug_unlock(lock);
#ifdef CONFIG_LOCKDEP
	lock_release(&lock->dep_map, LOCKDEP_SPIN);
#endif
	ticket_word_unlock(&lock->t);
}
#endif
