// SPDX-License-Identifier: GPL-2.0
/*
 * modtest.c - a loadable module for tests/kernel/test_module.c, written
 * as for Linux, to check what Linux promises about a module's life:
 *
 *   - each load is a fresh copy: `loads` (.bss) and `seed` (.data) read
 *     1 and 43 at every init, `tag` its compiled-in value unless given;
 *   - pin_ms=N: a thread holds a reference on the module for N ms
 *     (try_module_get(THIS_MODULE)), then drops it as it ends
 *     (module_put_and_kthread_exit()): rmmod refuses meanwhile;
 *   - leak_timer=1: the init arms a timer that re-arms itself, and the
 *     exit "forgets" del_timer_sync(): after rmmod the callback runs in
 *     memory the module no longer has, and the fault names the module
 *     (debug builds: debugobjects reports the armed timer first);
 *   - leak_work=1: the same with a delayed work item and a forgotten
 *     cancel_delayed_work_sync();
 *   - pin_ms < 0: the init refuses (-EINVAL).
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/timer.h>
#include <linux/delay.h>
#include <linux/workqueue.h>

static int pin_ms;
static bool leak_timer, leak_work;
static char *tag = "none";
module_param(pin_ms, int, 0444);
MODULE_PARM_DESC(pin_ms, "hold a reference on the module for this many ms");
module_param(leak_timer, bool, 0444);
MODULE_PARM_DESC(leak_timer, "leave a timer armed at rmmod (a bug, on purpose)");
module_param(leak_work, bool, 0444);
MODULE_PARM_DESC(leak_work, "leave a delayed work item pending at rmmod (a bug, on purpose)");
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "a word to print");

static int loads;		/* .bss: 0 at every load */
static int seed = 42;		/* .data: 42 at every load */
static struct timer_list late_timer;

static void late_work_fn(struct work_struct *w)
{
	(void)w;
	pr_info("modtest: the work ran\n");
}
static DECLARE_DELAYED_WORK(late_work, late_work_fn);

static void late_fn(struct timer_list *t)
{
	pr_info("modtest: the timer ran\n");
	mod_timer(t, jiffies + 1);
}

static int pinner(void *arg)
{
	msleep(pin_ms);
	module_put_and_kthread_exit(0);
}

static int __init modtest_init(void)
{
	loads++;
	seed++;
	pr_info("modtest: init: loads=%d seed=%d tag=%s\n", loads, seed, tag);
	if (pin_ms < 0)
		return -EINVAL;
	if (pin_ms > 0) {
		if (!try_module_get(THIS_MODULE))
			return -ENODEV;
		struct task_struct *t = kthread_run(pinner, NULL, "modtest_pin");
		if (IS_ERR(t)) {
			module_put(THIS_MODULE);
			return PTR_ERR(t);
		}
	}
	if (leak_timer) {
		timer_setup(&late_timer, late_fn, 0);
		mod_timer(&late_timer, jiffies + HZ / 10);
	}
	if (leak_work)
		schedule_delayed_work(&late_work, HZ / 10);
	return 0;
}

static void __exit modtest_exit(void)
{
	pr_info("modtest: exit: loads=%d tag=%s\n", loads, tag);
	/* leak_timer=1: del_timer_sync(&late_timer) belongs here;
	 * leak_work=1: cancel_delayed_work_sync(&late_work). */
}

module_init(modtest_init);
module_exit(modtest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("the module tests' module");
