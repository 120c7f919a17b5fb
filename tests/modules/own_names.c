// SPDX-License-Identifier: GPL-2.0
/*
 * own_names.c - a module may name its functions as Linux lets it: the
 * kernel's own start-up functions (kernel/boot.h) are internal, as in
 * Linux, so a timer example's `static void timer_init(void)` builds with
 * every usual header included. That it compiles is the test (make test
 * builds it); loading it checks the functions are its own.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/timer.h>
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/workqueue.h>
#include <linux/interrupt.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/cpumask.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#error "the API here is Linux 6.1's"
#endif

static int calls;

static void timer_init(void) { calls++; }
static void sched_init(void) { calls++; }
static void watchdog_init(void) { calls++; }
static void tsc_init(void) { calls++; }
static void printk_init(void) { calls++; }
static void jitter_init(void) { calls++; }
static void timer_start_cpu(void) { calls++; }
static void smp_call_init(void) { calls++; }
static void sched_init_ap(int cpu) { calls += cpu ? 0 : 1; }

static int __init own_names_init(void)
{
	timer_init();
	sched_init();
	watchdog_init();
	tsc_init();
	printk_init();
	jitter_init();
	timer_start_cpu();
	smp_call_init();
	sched_init_ap(0);
	pr_info("own_names: %d of my own functions ran\n", calls);
	return calls == 9 ? 0 : -EINVAL;
}

static void __exit own_names_exit(void)
{
}

module_init(own_names_init);
module_exit(own_names_exit);
MODULE_LICENSE("GPL");
