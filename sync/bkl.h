/*
 * bkl.h - the big kernel lock, as Linux had it from 2.0 to 2.6.38.
 *
 *   lock_kernel();
 *   ... code that assumes no other CPU runs kernel code under the BKL ...
 *   unlock_kernel();
 *
 * One lock for the whole kernel: the first SMP Linux (2.0) put all kernel
 * code under it, so that code written for one CPU kept working on two.
 * Linux spent 2.2 to 2.6.39 replacing it with fine-grained locks, and
 * removed it in 2.6.39 (2011). It is here for the history lesson; see
 * docs/bottom-halves-bkl.md and the `bkl` counter mode.
 *
 * Contract (Linux 2.6.26 - 2.6.38's):
 *  - Process context only. The first lock_kernel() may spin (with
 *    preemption off while it holds the lock): it is a spinlock.
 *  - Recursive for its holder: nested lock_kernel() calls only count
 *    (current->lock_depth: -1 when not held, 0 when held once...), and
 *    the lock is released by the outermost unlock_kernel().
 *  - The holder may sleep: schedule() releases the lock when the holder
 *    leaves the CPU and takes it back before the holder returns from
 *    schedule(). So the BKL excludes others only between two sleeps: code
 *    that sleeps under it must re-check what it saw. Sleeping under it is
 *    not "scheduling while atomic", although it holds preemption off.
 *  - kernel_locked(): does the current task hold it?
 *  - A thread that exits holding it is reported ("BUG: ... exited holding
 *    the big kernel lock") and the lock released.
 */
#pragma once
#include "sched/sched.h"

void lock_kernel(void);
void unlock_kernel(void);

static inline bool kernel_locked(void)
{
	struct task_struct *t = current;

	return t && t->lock_depth >= 0;
}

/* For the scheduler: drop the lock across schedule(), and take it back. */
void release_kernel_lock(struct task_struct *t);
void reacquire_kernel_lock(struct task_struct *t);
/* For kthread exit. */
void exit_kernel_lock(struct task_struct *t);

/* The part of preempt_count() that is not the BKL's: atomic-context checks
 * compare this with 0, so that sleeping under the BKL is allowed. */
static inline int preempt_count_outside_bkl(void)
{
	return preempt_count() - (kernel_locked() ? PREEMPT_OFFSET : 0);
}
