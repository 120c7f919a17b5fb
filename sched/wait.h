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
 *  - wait_event*() may sleep: never in atomic context.
 */
#pragma once
#include "sched/sched.h"
#include "kernel/errno.h"

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
	bool exclusive;
};

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
void __wake_up(wait_queue_head_t *wq, int nr_exclusive);
void __wake_up_locked(wait_queue_head_t *wq, int nr_exclusive);	/* lock held */
#define wake_up(wq)     __wake_up((wq), 1)
#define wake_up_all(wq) __wake_up((wq), 0)
#define wake_up_nr(wq, nr) __wake_up((wq), (nr))
#define wake_up_interruptible(wq)     __wake_up((wq), 1)
#define wake_up_interruptible_all(wq) __wake_up((wq), 0)
bool waitqueue_active(wait_queue_head_t *wq);

#define DEFINE_WAIT(name) struct wait_queue_entry name = { .task = current }

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
#define init_wait(w) (*(w) = (struct wait_queue_entry){ .task = current })
