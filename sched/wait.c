/*
 * wait.c - wait queues.
 * A waiter is an entry on the queue naming its task. prepare_to_wait()
 * adds the entry and sets the task state under the queue lock; a waker
 * walks the queue under the same lock and wakes the tasks. Entries stay
 * queued until finish_wait(), so a waiter woken spuriously (or woken
 * before it even slept) simply finds cond true or sleeps again.
 */
#include "sched/wait.h"
#include "sync/barrier.h"

void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

/* ---- what a wake-up does to an entry ---- */

int default_wake_function(struct wait_queue_entry *w, unsigned int mode, int flags, void *key)
{
	(void)flags;
	(void)key;
	return wake_up_state(w->private, mode);
}

/* Woken: off the queue too (DEFINE_WAIT's), so that finish_wait() need
 * not take the lock again. */
int autoremove_wake_function(struct wait_queue_entry *w, unsigned int mode, int flags,
			     void *key)
{
	int ret = default_wake_function(w, mode, flags, key);

	if (ret)
		list_del_init(&w->entry);
	return ret;
}

/* For wait_woken(): the mark is set before the wake-up, so a waiter that
 * looks at it after setting its state cannot miss both. */
int woken_wake_function(struct wait_queue_entry *w, unsigned int mode, int flags, void *key)
{
	smp_store_release(&w->flags, w->flags | WQ_FLAG_WOKEN);
	return default_wake_function(w, mode, flags, key);
}

long wait_woken(struct wait_queue_entry *w, unsigned int mode, long timeout)
{
	set_current_state(mode);		/* before the look at the mark */
	if (!(smp_load_acquire(&w->flags) & WQ_FLAG_WOKEN) && !kthread_should_stop())
		timeout = schedule_timeout(timeout);
	__set_current_state(TASK_RUNNING);
	/* Clear the mark before the caller looks at its condition again. */
	WRITE_ONCE(w->flags, w->flags & ~WQ_FLAG_WOKEN);
	smp_mb();
	return timeout;
}

/* ---- queueing ---- */

void add_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	w->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq->lock, flags);
	list_add(&w->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void add_wait_queue_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	w->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&w->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void remove_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_del(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void __prepare(wait_queue_head_t *wq, struct wait_queue_entry *w,
		      long state, bool exclusive)
{
	unsigned long flags;

	if (!w->func) {			/* a zeroed entry: make it DEFINE_WAIT's */
		w->private = current;
		w->func = autoremove_wake_function;
	}
	if (exclusive)
		w->flags |= WQ_FLAG_EXCLUSIVE;
	else
		w->flags &= ~WQ_FLAG_EXCLUSIVE;
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
 * to wake (0 = all). An entry's function may take it off the list
 * (autoremove): walk with a saved next. */
static void wake_up_common(wait_queue_head_t *wq, unsigned int mode, int nr_exclusive,
			   void *key)
{
	struct wait_queue_entry *w, *next;

	list_for_each_entry_safe(w, next, &wq->head, entry) {
		unsigned int flags = w->flags;
		int ret = w->func(w, mode, 0, key);
		if (ret < 0)
			break;
		/* A waiter that was already awake does not use up the
		 * exclusive wake-up: the next sleeping one gets it. */
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && nr_exclusive && --nr_exclusive == 0)
			break;
	}
}

void __wake_up_locked(wait_queue_head_t *wq, unsigned int mode, int nr_exclusive)
{
	wake_up_common(wq, mode, nr_exclusive, NULL);
}

void __wake_up(wait_queue_head_t *wq, unsigned int mode, int nr_exclusive, void *key)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	wake_up_common(wq, mode, nr_exclusive, key);
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool waitqueue_active(wait_queue_head_t *wq)
{
	return !list_empty(&wq->head);
}
