/*
 * timeout.c - sleeping for a time: schedule_timeout() and msleep().
 * A timer on this CPU wakes the sleeper at the deadline; if something
 * else wakes it first, del_timer_sync() removes the timer before its
 * stack frame (which holds it) goes away.
 */
#include "sched/sched.h"
#include "kernel/time.h"
#include "kernel/timer.h"

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleeper, timer)->task);
}

/*
 * The caller has set its state (TASK_UNINTERRUPTIBLE...). Sleep until
 * woken or until timeout_ns passed; return the ns left, 0 if timed out.
 */
long schedule_timeout(long timeout_ns)
{
	uint64_t expires = ktime_get_ns() + (uint64_t)timeout_ns;
	struct sleeper s = {
		.timer = { .expires_ns = expires, .fn = process_timeout },
		.task = current,
	};

	if (timeout_ns <= 0) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	INIT_LIST_HEAD(&s.timer.entry);
	add_timer(&s.timer);
	schedule();
	del_timer_sync(&s.timer);
	uint64_t now = ktime_get_ns();
	return now >= expires ? 0 : (long)(expires - now);
}

void msleep(unsigned int ms)
{
	long left = (long)(ms * NSEC_PER_MSEC);

	might_sleep();
	while (left > 0) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		left = schedule_timeout(left);
	}
}
