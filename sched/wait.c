/*
 * wait.c - wait queues.
 * A waiter is an entry on the queue naming its task. prepare_to_wait()
 * adds the entry and sets the task state under the queue lock; a waker
 * walks the queue under the same lock and wakes the tasks. Entries stay
 * queued until finish_wait(), so a waiter woken spuriously (or woken
 * before it even slept) simply finds cond true or sleeps again.
 */
#include "sched/wait.h"

void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

static void __prepare(wait_queue_head_t *wq, struct wait_queue_entry *w,
		      long state, bool exclusive)
{
	unsigned long flags;

	w->task = current;
	w->exclusive = exclusive;
	spin_lock_irqsave(&wq->lock, flags);
	if (!w->entry.next || list_empty(&w->entry)) {
		/* Exclusive waiters queue at the tail, others at the head. */
		if (exclusive)
			list_add_tail(&w->entry, &wq->head);
		else
			list_add(&w->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w, long state)
{
	__prepare(wq, w, state, false);
}

void prepare_to_wait_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w,
			       long state)
{
	__prepare(wq, w, state, true);
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&wq->lock, flags);
	if (w->entry.next && !list_empty(&w->entry))
		list_del_init(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* The caller holds wq->lock. nr_exclusive: how many exclusive waiters
 * to wake (0 = all). */
void __wake_up_locked(wait_queue_head_t *wq, int nr_exclusive)
{
	struct wait_queue_entry *w;

	list_for_each_entry(w, &wq->head, entry) {
		/* A waiter that was already awake does not use up the
		 * exclusive wake-up: the next sleeping one gets it. */
		if (wake_up_process(w->task) && w->exclusive &&
		    nr_exclusive && --nr_exclusive == 0)
			break;
	}
}

void __wake_up(wait_queue_head_t *wq, int nr_exclusive)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	__wake_up_locked(wq, nr_exclusive);
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool waitqueue_active(wait_queue_head_t *wq)
{
	return !list_empty(&wq->head);
}
