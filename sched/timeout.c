/*
 * timeout.c - sleeping for a time: schedule_timeout() and msleep().
 *
 * A timer on the stack wakes the sleeper at the deadline; if something
 * else wakes it first, del_timer_sync() removes the timer before its
 * stack frame goes away. Times are in jiffies, as in Linux.
 */
#include "sched/sched.h"
#include "kernel/jiffies.h"
#include "kernel/panic.h"
#include "kernel/timer.h"

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct sleeper *s = from_timer(s, t, timer);

	wake_up_process(s->task);
}

/*
 * The caller has set its state (TASK_UNINTERRUPTIBLE...). Sleep until
 * woken or until `timeout` jiffies passed; return the jiffies left, 0 if
 * the time ran out. MAX_SCHEDULE_TIMEOUT: no limit (plain schedule()).
 * Without a sleeping state set first it returns at once, as in Linux.
 */
long schedule_timeout(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return MAX_SCHEDULE_TIMEOUT;
	}
	if (timeout < 0) {
		printk(KERN_ERR "schedule_timeout: wrong timeout value %lx\n",
		       (unsigned long)timeout);
		dump_stack();
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	/* jiffies moves at ticks, which a busy host delays: bring it up to
	 * the clock first, or the sleep would be short by the lag. */
	jiffies_update();
	unsigned long expire = jiffies + (unsigned long)timeout;
	struct sleeper s = { .task = current };

	timer_setup_on_stack(&s.timer, process_timeout, 0);
	mod_timer(&s.timer, expire);
	schedule();
	del_timer_sync(&s.timer);
	destroy_timer_on_stack(&s.timer);
	jiffies_update();
	long left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_idle(long timeout)
{
	return schedule_timeout_uninterruptible(timeout);
}

/* At least `ms` milliseconds: the first jiffy may be nearly over. */
void msleep(unsigned int ms)
{
	unsigned long timeout = msecs_to_jiffies(ms) + 1;

	might_sleep();
	while (timeout)
		timeout = (unsigned long)schedule_timeout_uninterruptible((long)timeout);
}

/* The same, but a pending signal (kthread_stop()) ends it: returns the
 * milliseconds left, as in Linux. */
unsigned long msleep_interruptible(unsigned int ms)
{
	unsigned long timeout = msecs_to_jiffies(ms) + 1;

	might_sleep();
	while (timeout && !signal_pending(current))
		timeout = (unsigned long)schedule_timeout_interruptible((long)timeout);
	return jiffies_to_msecs(timeout);
}
