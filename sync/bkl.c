/*
 * bkl.c - the big kernel lock (contract in bkl.h).
 *
 * A spinlock plus a per-task depth. Only the transitions between "not
 * held" (lock_depth -1) and "held" (0) touch the spinlock; nesting only
 * counts. The spinlock keeps preemption off while held, as every
 * spinlock does, which is why the holder is never preempted - but it may
 * sleep: schedule() calls release_kernel_lock() before switching away and
 * reacquire_kernel_lock() once the holder runs again, leaving its depth
 * alone, so the holder finds the lock held after every sleep, as it left
 * it.
 */
#include "sync/bkl.h"
#include "sync/spinlock.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static DEFINE_SPINLOCK(kernel_flag);

static void __lock_kernel(void)
{
	preempt_disable();
	do_raw_spin_lock(&kernel_flag);
}

static void __unlock_kernel(void)
{
	do_raw_spin_unlock(&kernel_flag);
	preempt_enable();
}

void lock_kernel(void)
{
	struct task_struct *t = current;
	int depth = t->lock_depth + 1;

	if (likely(depth == 0)) {
		might_sleep();
		__lock_kernel();
	}
	t->lock_depth = depth;
}

void unlock_kernel(void)
{
	struct task_struct *t = current;

	BUG_ON(t->lock_depth < 0);	/* not held: a bug, as in Linux */
	if (--t->lock_depth < 0)
		__unlock_kernel();
}

/* From schedule(), before the atomic-context check: the count it leaves
 * is the caller's own. No preemption point here: we are switching. */
void release_kernel_lock(struct task_struct *t)
{
	(void)t;
	do_raw_spin_unlock(&kernel_flag);
	preempt_enable_no_resched();
}

void reacquire_kernel_lock(struct task_struct *t)
{
	(void)t;
	__lock_kernel();
}

void exit_kernel_lock(struct task_struct *t)
{
	if (likely(t->lock_depth < 0))
		return;
	count_warning();
	printk(KERN_ERR "BUG: %s/%d exited holding the big kernel lock (lock_depth %d)\n",
	       t->comm, t->pid, t->lock_depth);
	t->lock_depth = -1;
	__unlock_kernel();
}
