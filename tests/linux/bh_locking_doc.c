// SPDX-License-Identifier: GPL-2.0
/*
 * bh_locking_doc.c - the rules of Documentation/kernel-hacking/locking.rst,
 * "Locking Between User Context and Softirqs" and "... Tasklets", written
 * as Linux code: user context takes the lock with spin_lock_bh() (a
 * softirq on the same CPU would otherwise spin on it forever), the tasklet
 * and the timer - both softirq context - take it with plain spin_lock();
 * work that must sleep is deferred from the tasklet to a work item.
 *
 * Invariants: the counter guarded by the lock, incremented by threads on
 * every CPU, by a timer and by a tasklet, loses no update; the tasklet
 * never runs on two CPUs at once; the work item runs in process context,
 * after the tasklet queued it, and may sleep.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/spinlock.h>
#include <linux/interrupt.h>
#include <linux/workqueue.h>
#include <linux/timer.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/delay.h>

#define INCS 5000

static DEFINE_SPINLOCK(counter_lock);
static long counter;
static atomic_t tasklet_runs, tasklet_inside, tasklet_overlaps, timer_runs, work_runs;
static atomic_t left, work_bad;
static bool stopping;
static struct timer_list tick;
static DECLARE_COMPLETION(all_done);

static void slow_work_fn(struct work_struct *w)
{
	if (in_interrupt() || !preemptible())
		atomic_inc(&work_bad);
	msleep(1);				/* process context: it may sleep */
	atomic_inc(&work_runs);
}
static DECLARE_WORK(slow_work, slow_work_fn);

static void bh_fn(struct tasklet_struct *t)
{
	if (atomic_inc_return(&tasklet_inside) != 1)
		atomic_inc(&tasklet_overlaps);
	spin_lock(&counter_lock);		/* softirq: bottom halves are off */
	counter++;
	spin_unlock(&counter_lock);
	atomic_inc(&tasklet_runs);
	atomic_dec(&tasklet_inside);
	schedule_work(&slow_work);		/* what must sleep goes there */
}
static DECLARE_TASKLET(bh_tasklet, bh_fn);

static void tick_fn(struct timer_list *t)
{
	spin_lock(&counter_lock);
	counter++;
	spin_unlock(&counter_lock);
	atomic_inc(&timer_runs);
	tasklet_schedule(&bh_tasklet);
	if (!READ_ONCE(stopping))
		mod_timer(t, jiffies + 1);
}

static int worker(void *arg)
{
	for (int i = 0; i < INCS; i++) {
		spin_lock_bh(&counter_lock);	/* user context */
		counter++;
		spin_unlock_bh(&counter_lock);
		if (i % 64 == 0)
			tasklet_schedule(&bh_tasklet);	/* from every CPU */
	}
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init bh_locking_doc_init(void)
{
	int threads = 2 * num_online_cpus();

	counter = 0;
	atomic_set(&tasklet_runs, 0);
	atomic_set(&tasklet_inside, 0);
	atomic_set(&tasklet_overlaps, 0);
	atomic_set(&timer_runs, 0);
	atomic_set(&work_runs, 0);
	atomic_set(&work_bad, 0);
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	WRITE_ONCE(stopping, false);
	timer_setup(&tick, tick_fn, 0);
	mod_timer(&tick, jiffies + 1);
	for (long i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(worker, (void *)i, "bhdoc%ld", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	WRITE_ONCE(stopping, true);
	del_timer_sync(&tick);
	tasklet_kill(&bh_tasklet);
	cancel_work_sync(&slow_work);
	long want = (long)threads * INCS + atomic_read(&timer_runs) + atomic_read(&tasklet_runs);
	pr_info("bh_locking_doc: counter %ld, expected %ld (%d from the timer, %d from the "
		"tasklet); %d tasklet overlaps; %d work runs, %d outside process context\n",
		counter, want, atomic_read(&timer_runs), atomic_read(&tasklet_runs),
		atomic_read(&tasklet_overlaps), atomic_read(&work_runs), atomic_read(&work_bad));
	return counter == want && !atomic_read(&tasklet_overlaps) && atomic_read(&tasklet_runs) &&
	       !atomic_read(&work_bad) ? 0 : -EINVAL;
}

static void __exit bh_locking_doc_exit(void)
{
}

module_init(bh_locking_doc_init);
module_exit(bh_locking_doc_exit);
MODULE_LICENSE("GPL");
