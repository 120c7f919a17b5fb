/*
 * completion.c - a counter plus a wait queue.
 * The count (done) and the wait queue share the wait queue's lock: a
 * waiter checks and consumes `done` under it, and complete() increments
 * and wakes under it, so a completion can never slip between a waiter's
 * check and its sleep. Waiters are exclusive, so complete() wakes one
 * (the one it let through) instead of the whole herd.
 *
 * The wake-up happens before the lock is released: a waiter that sees
 * `done` may return and free a completion that lives on its stack, so the
 * completer must not touch the completion after unlocking.
 */
#include "sched/completion.h"
#include "kernel/errno.h"

#define COMPLETE_ALL 0xffffffffu

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void reinit_completion(struct completion *c)
{
	WRITE_ONCE(c->done, 0);
}

void complete(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done != COMPLETE_ALL)
		c->done++;
	__wake_up_locked(&c->wait, TASK_NORMAL, 1);	/* under the lock: see the top */
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = COMPLETE_ALL;
	__wake_up_locked(&c->wait, TASK_NORMAL, 0);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

/* Consume one completion if there is one (caller holds the lock). */
static bool take_one(struct completion *c)
{
	if (!c->done)
		return false;
	if (c->done != COMPLETE_ALL)
		c->done--;
	return true;
}

bool try_wait_for_completion(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	bool ok = take_one(c);
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ok;
}

/* Linux's contract: timeout in jiffies; 0 if it timed out, else the
 * jiffies left (at least 1); -ERESTARTSYS if `state` is interruptible
 * and a signal (kthread_stop()) came first. */
static long wait_common(struct completion *c, unsigned long timeout, long state)
{
	DEFINE_WAIT_FUNC(w, default_wake_function);	/* finish_wait() dequeues */
	long left = (long)MIN(timeout, (unsigned long)MAX_SCHEDULE_TIMEOUT);

	might_sleep();
	for (;;) {
		prepare_to_wait_exclusive(&c->wait, &w, state);
		if (try_wait_for_completion(c)) {
			left = MAX(left, 1);
			break;
		}
		if (signal_pending_state(state, current)) {
			left = -ERESTARTSYS;
			break;
		}
		left = schedule_timeout(left);
		if (!left) {
			left = try_wait_for_completion(c) ? 1 : 0;
			break;
		}
	}
	finish_wait(&c->wait, &w);
	return left;
}

unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout)
{
	return (unsigned long)wait_common(c, timeout, TASK_UNINTERRUPTIBLE);
}

long wait_for_completion_interruptible_timeout(struct completion *c, unsigned long timeout)
{
	return wait_common(c, timeout, TASK_INTERRUPTIBLE);
}

void wait_for_completion(struct completion *c)
{
	wait_for_completion_timeout(c, MAX_SCHEDULE_TIMEOUT);
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) != 0;
}
