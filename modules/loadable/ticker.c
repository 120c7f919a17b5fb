// SPDX-License-Identifier: GPL-2.0
/*
 * ticker.c - a loadable module, written as for Linux: every .c file in
 * modules/loadable/ is built as one (obj-m), not started at boot.
 *
 *   smpkern> insmod ticker period_ms=200     a timer and a thread start
 *   smpkern> lsmod                           ticker: live
 *   smpkern> rmmod ticker                    both stop, its memory goes
 *   smpkern> insmod ticker                   a fresh copy: ticks from 0
 *
 * What a module must undo in its exit, in the order Linux requires: stop
 * what can re-arm what (the thread), then the timer (del_timer_sync()
 * waits for a running callback), so that nothing runs the module's code
 * once rmmod has taken it away. Forget one, and the next run of it
 * faults: "the address is in module ticker, which is not loaded".
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/timer.h>
#include <linux/delay.h>
#include <linux/atomic.h>

static int period_ms = 500;
module_param(period_ms, int, 0444);
MODULE_PARM_DESC(period_ms, "timer period in ms (1-10000)");

static struct timer_list tick_timer;
static struct task_struct *reporter;
static atomic_t ticks;			/* 0 at each load: a fresh copy */

static void tick(struct timer_list *t)
{
	atomic_inc(&ticks);
	mod_timer(t, jiffies + msecs_to_jiffies(period_ms));
}

static int report(void *arg)
{
	while (!kthread_should_stop()) {
		/* Interruptible: kthread_stop() ends the sleep at once. */
		msleep_interruptible(2000);
		pr_info("ticker: %d ticks\n", atomic_read(&ticks));
	}
	return 0;
}

static int __init ticker_init(void)
{
	if (period_ms < 1 || period_ms > 10000)
		return -EINVAL;
	timer_setup(&tick_timer, tick, 0);
	mod_timer(&tick_timer, jiffies + msecs_to_jiffies(period_ms));
	reporter = kthread_run(report, NULL, "ticker");
	if (IS_ERR(reporter)) {
		del_timer_sync(&tick_timer);
		return PTR_ERR(reporter);
	}
	pr_info("ticker: every %d ms\n", period_ms);
	return 0;
}

static void __exit ticker_exit(void)
{
	kthread_stop(reporter);
	del_timer_sync(&tick_timer);
	pr_info("ticker: stopped after %d ticks\n", atomic_read(&ticks));
}

module_init(ticker_init);
module_exit(ticker_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a timer and a thread, started and stopped cleanly");
