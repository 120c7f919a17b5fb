/*
 * semaphore.c - counting semaphores (contract in semaphore.h).
 *
 * Everything happens under sem->lock, an irq-safe spinlock (up() may come
 * from an interrupt handler). down() takes a unit if count > 0; otherwise
 * it queues a waiter (on its own stack) at the tail and sleeps. up()
 * either adds a unit back or, if someone waits, hands the unit directly
 * to the first waiter: it dequeues it, sets its `up` flag and wakes it,
 * without ever raising count. So a woken waiter never has to compete
 * again (no barging, FIFO), and the count cannot be stolen in between.
 *
 * No lost wake-up: the waiter sets TASK_UNINTERRUPTIBLE before releasing
 * the lock, and up() sets `up` and wakes it while holding the lock; a
 * wake-up that arrives before the waiter's schedule() just makes
 * schedule() return. The waiter reads `up` under the lock, so up() is
 * done with the waiter's stack frame before the waiter can return.
 * A timed-out waiter removes itself under the lock - unless up() picked
 * it just before, in which case it got the semaphore after all.
 */
#include "sync/semaphore.h"
#include "sched/sched.h"
#include "kernel/errno.h"
#include "kernel/jitter.h"

struct sem_waiter {
	struct list_head list;
	struct task_struct *task;
	bool up;			/* up() handed us a unit */
};

void sema_init(struct semaphore *sem, unsigned int count)
{
	spin_lock_init(&sem->lock);
	sem->count = count;
	INIT_LIST_HEAD(&sem->wait_list);
}

/*
 * sem->lock held with interrupts off (they were on before). Sleep until
 * up() hands us a unit (returns 0), `timeout` jiffies passed (-ETIME; at
 * once for 0; MAX_SCHEDULE_TIMEOUT waits forever), or, sleeping in an
 * interruptible state, a signal (kthread_stop()) is pending (-EINTR). A
 * waiter leaving without a unit needs no hand-back: up() handed it none.
 */
static int down_wait(struct semaphore *sem, long timeout, long state)
{
	struct sem_waiter w = { .task = current, .up = false };

	list_add_tail(&w.list, &sem->wait_list);
	for (;;) {
		if (signal_pending_state(state, current)) {
			list_del(&w.list);
			return -EINTR;
		}
		if (timeout <= 0) {
			list_del(&w.list);
			return -ETIME;
		}
		set_current_state(state);
		spin_unlock_irq(&sem->lock);
		jitter_point();
		timeout = schedule_timeout(timeout);
		spin_lock_irq(&sem->lock);
		if (w.up)
			return 0;
	}
}

static int __down(struct semaphore *sem, long timeout, long state)
{
	unsigned long flags;
	int ret = 0;

	might_sleep();
	spin_lock_irqsave(&sem->lock, flags);
	if (likely(sem->count > 0))
		sem->count--;
	else
		ret = down_wait(sem, timeout, state);
	spin_unlock_irqrestore(&sem->lock, flags);
	return ret;
}

void down(struct semaphore *sem)
{
	__down(sem, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}

int down_interruptible(struct semaphore *sem)
{
	return __down(sem, MAX_SCHEDULE_TIMEOUT, TASK_INTERRUPTIBLE);
}

int down_timeout(struct semaphore *sem, long timeout)
{
	return __down(sem, timeout, TASK_UNINTERRUPTIBLE);
}

int down_trylock(struct semaphore *sem)
{
	unsigned long flags;
	int busy = 1;

	spin_lock_irqsave(&sem->lock, flags);
	if (sem->count > 0) {
		sem->count--;
		busy = 0;
	}
	spin_unlock_irqrestore(&sem->lock, flags);
	return busy;
}

void up(struct semaphore *sem)
{
	unsigned long flags;

	spin_lock_irqsave(&sem->lock, flags);
	if (list_empty(&sem->wait_list)) {
		sem->count++;
	} else {
		struct sem_waiter *w = list_first_entry(&sem->wait_list,
							struct sem_waiter, list);
		list_del(&w->list);
		WRITE_ONCE(w->up, true);
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&sem->lock, flags);
}
