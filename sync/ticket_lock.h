/*
 * ticket_lock.h - the fair spinlock: CPUs get the lock in the order they
 * asked for it (FIFO), like customers taking numbered tickets.
 *
 * Contract (the same as spinlock_t, see spinlock.h, except fairness):
 *  - ticket_spin_lock() disables preemption, then spins until its turn;
 *    ticket_spin_unlock() releases, then re-enables preemption.
 *  - Never sleep while holding it. Not recursive (debug builds report
 *    "BUG: spinlock recursion", and lockdep reports lock-order problems).
 *  - If an interrupt handler takes it, everyone else must use the _irq or
 *    _irqsave variants.
 *  - ticket_spin_trylock() returns 1 if it took the lock, 0 otherwise; it
 *    never waits, so it only succeeds when nobody holds or waits.
 *  - Ordering: acquire on lock, release on unlock, as every lock.
 *  - Fairness: a waiter is served after at most the waiters that came
 *    before it: no starvation. The price: if the next waiter in line is
 *    not running (its virtual CPU was descheduled by the host, say) every
 *    waiter behind it waits too, even while the lock is free. The TTAS
 *    spinlock_t has no such convoy, but no bound on waiting either.
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/lock_api.h"
#include "sync/lockdep.h"
#include "sync/lockstat.h"
#include "sync/spinlock_debug.h"

/*
 * The bare ticket lock, no debugging: also the internal queue of rwlock_t.
 * `head` is the ticket being served, `tail` the next one to hand out. They
 * share one 32-bit word so that taking a ticket (a locked add to the tail
 * half) and looking at the whole lock are single accesses. Little-endian:
 * head is the low half.
 */
struct ticket_word {
	union {
		atomic_t val;
		struct {
			uint16_t head;
			uint16_t tail;
		};
	};
};

#define TICKET_TAIL_ONE (1 << 16)
#define __TICKET_WORD_INIT { .val = ATOMIC_INIT(0) }

static inline void ticket_word_lock(struct ticket_word *t)
{
	/* Take a ticket: the old tail is ours. The carry out of the tail
	 * half falls off the 32-bit word; head is never touched. */
	uint16_t me = (uint16_t)((unsigned int)atomic_fetch_add(TICKET_TAIL_ONE, &t->val) >> 16);

	while (smp_load_acquire(&t->head) != me)
		cpu_relax();
}

static inline bool ticket_word_trylock(struct ticket_word *t)
{
	int old = atomic_read(&t->val);
	unsigned int u = (unsigned int)old;

	if ((uint16_t)u != (uint16_t)(u >> 16))
		return false;		/* held, or waiters in line */
	return atomic_cmpxchg(&t->val, old, (int)(u + TICKET_TAIL_ONE)) == old;
}

static inline void ticket_word_unlock(struct ticket_word *t)
{
	/* Only the holder writes head: a plain release store serves the
	 * next ticket. */
	smp_store_release(&t->head, (uint16_t)(t->head + 1));
}

static inline bool ticket_word_is_locked(struct ticket_word *t)
{
	unsigned int u = (unsigned int)atomic_read(&t->val);

	return (uint16_t)u != (uint16_t)(u >> 16);
}

/* ---- the lock ---- */

typedef struct ticket_spinlock {
	struct ticket_word t;
	struct spin_debug debug;	/* owner CPU and caller (debug builds) */
	struct lockdep_map dep_map;	/* name and class (debug builds) */
	struct lockstat_map stat;	/* statistics, trace (sync/lockstat.h) */
} ticket_spinlock_t;

#define __TICKET_SPIN_LOCK_UNLOCKED(n) { .t = __TICKET_WORD_INIT, \
		.debug = SPIN_DEBUG_INIT("spinlock"), .dep_map = LOCKDEP_MAP_INIT(n), \
		.stat = LOCKSTAT_MAP_INIT(n) }
#define DEFINE_TICKET_SPINLOCK(n) ticket_spinlock_t n = __TICKET_SPIN_LOCK_UNLOCKED(n)

void __ticket_spin_lock_init(ticket_spinlock_t *lock, const char *name, const void *key);
#define ticket_spin_lock_init(l) __ticket_spin_lock_init((l), #l, LOCKDEP_SITE_KEY)

/* Without preemption handling. */
void do_raw_ticket_spin_lock(ticket_spinlock_t *lock);
int do_raw_ticket_spin_trylock(ticket_spinlock_t *lock);
#ifndef CONFIG_INLINE_SPIN_UNLOCK
void do_raw_ticket_spin_unlock(ticket_spinlock_t *lock);
#else
static inline void do_raw_ticket_spin_unlock(ticket_spinlock_t *lock)
{
	lockstat_release(&lock->stat);
	ticket_word_unlock(&lock->t);
}
#endif

/* ticket_spin_lock, _trylock, _unlock, _lock_irq, _unlock_irq,
 * _lock_irqsave, _unlock_irqrestore (lock_api.h). */
DEFINE_LOCK_API(ticket_spin, ticket_spinlock_t)
#define ticket_spin_lock_irqsave(lock, flags) \
	((flags) = _ticket_spin_lock_irqsave(lock))

static inline bool ticket_spin_is_locked(ticket_spinlock_t *lock)
{
	return ticket_word_is_locked(&lock->t);
}
