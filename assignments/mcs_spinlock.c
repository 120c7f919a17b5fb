/*
 * mcs_spinlock.c - MCS lock: a queue of waiters linked through their nodes.
 *
 * Lock: prepare our node (next = NULL, locked = 0), swap it into
 * lock->tail with xchg. If the old tail was NULL the lock was free: ours.
 * Otherwise link ourselves behind the old tail (old->next = node) and spin
 * on node->locked until our predecessor sets it.
 *
 * Unlock: if nobody is linked behind us, try to swing lock->tail from our
 * node back to NULL with cmpxchg; if that succeeds the lock is free. If it
 * fails, a new waiter has swapped itself in but not yet linked to us:
 * wait for node->next to appear. Then hand over: next->locked = 1 (a
 * release store).
 */
#include "assignments/mcs_spinlock.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sched/preempt.h"
#include "arch/x86/cpu.h"
#include "assignments/assignment.h"

void mcs_spin_lock(struct mcs_spinlock *lock, struct mcs_node *node)
{
	preempt_disable();
	/* BEGIN SOLUTION */
	node->next = NULL;
	node->locked = 0;
	struct mcs_node *prev = xchg(&lock->tail, node);
	if (!prev)
		return;				/* the lock was free */
	WRITE_ONCE(prev->next, node);
	while (!smp_load_acquire(&node->locked))
		cpu_relax();
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("mcs"); (void)lock; (void)node; */
}

void mcs_spin_unlock(struct mcs_spinlock *lock, struct mcs_node *node)
{
	/* BEGIN SOLUTION */
	struct mcs_node *next = READ_ONCE(node->next);

	if (!next) {
		if (cmpxchg(&lock->tail, node, NULL) == node)
			goto out;		/* nobody waiting */
		while (!(next = READ_ONCE(node->next)))
			cpu_relax();		/* a waiter is linking itself */
	}
	smp_store_release(&next->locked, 1);
out:
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("mcs"); (void)lock; (void)node; */
	preempt_enable();
}
