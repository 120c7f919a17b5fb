/*
 * wait.h - wait queues: sleep until a condition becomes true.
 *
 *   DECLARE_WAIT_QUEUE_HEAD(wq);
 *   wait_event(wq, cond);                  sleeper
 *   cond = true; wake_up(&wq);             waker
 *
 * Contract:
 *  - wait_event() returns once cond is true; it re-checks cond after every
 *    wake-up, so spurious wake-ups are harmless. wait_event_timeout(wq,
 *    cond, timeout) takes jiffies (kernel/jiffies.h) and returns, as in
 *    Linux, 0 if cond was still false when the time ran out, else the
 *    jiffies left (at least 1).
 *  - No wake-up is lost: the sleeper queues itself and sets its state
 *    *before* testing cond (with a full barrier between), and the waker
 *    changes cond *before* calling wake_up(). Either the sleeper sees the
 *    new cond, or the waker finds the sleeper on the queue.
 *  - wake_up() wakes every non-exclusive waiter and one exclusive one;
 *    wake_up_all() wakes everyone. Both may be called from interrupts.
 *    wake_up_interruptible*() wake only TASK_INTERRUPTIBLE sleepers.
 *  - wait_event*() may sleep: never in atomic context.
 *
 * The explicit API is Linux's too (LDD3's and older course code's): an
 * entry names its task (`private`) and what a wake-up does to it
 * (`func`: default_wake_function wakes it, autoremove_wake_function also
 * takes it off the queue, woken_wake_function marks it for wait_woken());
 * DECLARE_WAITQUEUE(name, tsk) + add_wait_queue()/remove_wait_queue(),
 * or DEFINE_WAIT(name) + prepare_to_wait()/finish_wait().
 */
#pragma once
#include "sched/sched.h"
#include "kernel/errno.h"

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode,
				 int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01	/* one of these per wake_up() */
#define WQ_FLAG_WOKEN		0x02	/* woken_wake_function() was here */

struct wait_queue_entry {
	unsigned int flags;		/* WQ_FLAG_* */
	void *private;			/* the task */
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int flags,
			  void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int flags, void *key);
int woken_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int flags,
			void *key);

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(wait_queue_head_t *wq);
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w, long state);
void prepare_to_wait_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w,
			       long state);
void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w);
/* mode: which sleepers (TASK_NORMAL, TASK_INTERRUPTIBLE); nr_exclusive:
 * how many exclusive waiters to wake (0 = all); key: for the entries'
 * functions. */
void __wake_up(wait_queue_head_t *wq, unsigned int mode, int nr_exclusive, void *key);
void __wake_up_locked(wait_queue_head_t *wq, unsigned int mode, int nr_exclusive); /* lock held */
#define wake_up(wq)     __wake_up((wq), TASK_NORMAL, 1, NULL)
#define wake_up_all(wq) __wake_up((wq), TASK_NORMAL, 0, NULL)
#define wake_up_nr(wq, nr) __wake_up((wq), TASK_NORMAL, (nr), NULL)
#define wake_up_interruptible(wq)     __wake_up((wq), TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(wq) __wake_up((wq), TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_interruptible_nr(wq, nr) __wake_up((wq), TASK_INTERRUPTIBLE, (nr), NULL)
bool waitqueue_active(wait_queue_head_t *wq);

/* The explicit entries. */
#define __WAITQUEUE_INITIALIZER(name, tsk) \
	{ .private = (tsk), .func = default_wake_function, .entry = { NULL, NULL } }
#define DECLARE_WAITQUEUE(name, tsk) \
	struct wait_queue_entry name = __WAITQUEUE_INITIALIZER(name, tsk)
#define DEFINE_WAIT_FUNC(name, function)                                  \
	struct wait_queue_entry name = { .private = current, .func = (function), \
					 .entry = LIST_HEAD_INIT((name).entry) }
#define DEFINE_WAIT(name) DEFINE_WAIT_FUNC(name, autoremove_wake_function)
static inline void init_waitqueue_entry(struct wait_queue_entry *w, struct task_struct *p)
{
	w->flags = 0;
	w->private = p;
	w->func = default_wake_function;
	w->entry.next = w->entry.prev = NULL;
}
static inline void init_wait_entry(struct wait_queue_entry *w, int flags)
{
	w->flags = (unsigned int)flags;
	w->private = current;
	w->func = autoremove_wake_function;
	INIT_LIST_HEAD(&w->entry);
}
#define init_wait(w) init_wait_entry((w), 0)
void add_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w);
void add_wait_queue_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w);
void remove_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w);
/* Sleep (state `mode`) until woken_wake_function() marks this entry or
 * `timeout` jiffies pass; returns the jiffies left. Linux's. */
long wait_woken(struct wait_queue_entry *w, unsigned int mode, long timeout);

#define wait_event(wq, cond)                                              \
	do {                                                              \
		might_sleep();                                            \
		if (cond)                                                 \
			break;                                            \
		DEFINE_WAIT(w__);                                         \
		for (;;) {                                                \
			prepare_to_wait(&(wq), &w__, TASK_UNINTERRUPTIBLE); \
			if (cond)                                         \
				break;                                    \
			schedule();                                       \
		}                                                         \
		finish_wait(&(wq), &w__);                                 \
	} while (0)

/* Evaluates to the jiffies left (>= 1) if cond came true, or 0 on
 * time-out. */
#define wait_event_timeout(wq, cond, timeout)                             \
	({                                                                \
		long left__ = (long)(timeout);                            \
		might_sleep();                                            \
		if (cond) {                                               \
			left__ = left__ ? left__ : 1;                     \
		} else {                                                  \
			DEFINE_WAIT(w__);                                 \
			for (;;) {                                        \
				prepare_to_wait(&(wq), &w__, TASK_UNINTERRUPTIBLE); \
				if (cond)                                 \
					break;                            \
				left__ = schedule_timeout(left__);        \
				if (!left__) {                            \
					left__ = (cond) ? 1 : 0;          \
					break;                            \
				}                                         \
			}                                                 \
			finish_wait(&(wq), &w__);                         \
		}                                                         \
		left__;                                                   \
	})

/*
 * The interruptible waits end early, returning -ERESTARTSYS, when a
 * signal is pending - here only kthread_stop()'s (sched.h), as in Linux
 * since 6.1 - unless cond is true by then. wait_event_interruptible()
 * returns 0 or -ERESTARTSYS; _timeout returns the jiffies left (>= 1),
 * 0 on time-out or -ERESTARTSYS. Nothing is fatal here (no SIGKILL): the
 * killable waits are the plain ones. The _idle waits do not count as load
 * in Linux; here there is no load average: the plain ones again.
 */
#define wait_event_interruptible_timeout(wq, cond, timeout)               \
	({                                                                \
		long ret__ = (long)(timeout);                             \
		might_sleep();                                            \
		if (cond) {                                               \
			ret__ = ret__ ? ret__ : 1;                        \
		} else {                                                  \
			DEFINE_WAIT(w__);                                 \
			for (;;) {                                        \
				prepare_to_wait(&(wq), &w__, TASK_INTERRUPTIBLE); \
				if (cond)                                 \
					break;                            \
				if (signal_pending(current)) {            \
					ret__ = -ERESTARTSYS;             \
					break;                            \
				}                                         \
				ret__ = schedule_timeout(ret__);          \
				if (!ret__) {                             \
					ret__ = (cond) ? 1 : 0;           \
					break;                            \
				}                                         \
			}                                                 \
			finish_wait(&(wq), &w__);                         \
		}                                                         \
		ret__;                                                    \
	})
#define wait_event_interruptible(wq, cond)                                \
	({                                                                \
		long r__ = wait_event_interruptible_timeout(wq, cond, MAX_SCHEDULE_TIMEOUT); \
		r__ < 0 ? (int)r__ : 0;                                   \
	})
#define wait_event_killable(wq, cond)      ({ wait_event(wq, cond); 0; })
#define wait_event_idle(wq, cond)          wait_event(wq, cond)
#define wait_event_freezable(wq, cond)     wait_event_interruptible(wq, cond)
#define wait_event_killable_timeout(wq, cond, t)      wait_event_timeout(wq, cond, t)
#define wait_event_idle_timeout(wq, cond, t)          wait_event_timeout(wq, cond, t)

