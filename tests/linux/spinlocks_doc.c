// SPDX-License-Identifier: GPL-2.0
/*
 * spinlocks_doc.c - Documentation/locking/spinlocks.rst's first lesson,
 * as written there: a spinlock taken with spin_lock_irqsave(), and its
 * reader-writer form; here shared with a timer callback (interrupt
 * context), which is why the _irqsave form is the one to use.
 *
 * Invariants: the counter guarded by xxx_lock, incremented by threads on
 * every CPU and by the timer, loses no update; readers under read_lock()
 * never see the rwlock-guarded pair half written.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/completion.h>
#include <linux/atomic.h>

static long counter;
static struct { long a, b; } pair;

/* ---- from Documentation/locking/spinlocks.rst ---- */
static DEFINE_SPINLOCK(xxx_lock);

static void locked_increment(void)
{
	unsigned long flags;

	spin_lock_irqsave(&xxx_lock, flags);
	/* ... critical section here .. */
	counter++;
	spin_unlock_irqrestore(&xxx_lock, flags);
}

static DEFINE_RWLOCK(xxx_rwlock);

static bool reader(void)
{
	unsigned long flags;
	bool same;

	read_lock_irqsave(&xxx_rwlock, flags);
	/* .. critical section that only reads the info ... */
	same = READ_ONCE(pair.a) == READ_ONCE(pair.b);
	read_unlock_irqrestore(&xxx_rwlock, flags);
	return same;
}

static void writer(long v)
{
	unsigned long flags;

	write_lock_irqsave(&xxx_rwlock, flags);
	/* .. read and write exclusive access to the info ... */
	WRITE_ONCE(pair.a, v);
	WRITE_ONCE(pair.b, v);
	write_unlock_irqrestore(&xxx_rwlock, flags);
}
/* ---- end of the documentation's code ---- */

#define INCS 20000

static atomic_t left, torn, timer_runs;
static bool stop_timer;
static struct timer_list tick;
static DECLARE_COMPLETION(all_done);

static void tick_fn(struct timer_list *t)
{
	locked_increment();			/* in interrupt context */
	atomic_inc(&timer_runs);
	if (!READ_ONCE(stop_timer))
		mod_timer(t, jiffies + 1);
}

static int worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < INCS; i++) {
		locked_increment();
		if (id % 2)
			writer(i);
		else if (!reader())
			atomic_inc(&torn);
	}
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init spinlocks_doc_init(void)
{
	int threads = 2 * num_online_cpus();

	counter = 0;
	atomic_set(&torn, 0);
	atomic_set(&timer_runs, 0);
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	WRITE_ONCE(stop_timer, false);
	timer_setup(&tick, tick_fn, 0);
	mod_timer(&tick, jiffies + 1);
	for (long i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(worker, (void *)i, "spindoc%ld", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	WRITE_ONCE(stop_timer, true);
	del_timer_sync(&tick);
	long want = (long)threads * INCS + atomic_read(&timer_runs);
	pr_info("spinlocks_doc: counter %ld, expected %ld (%d from the timer); %d torn reads\n",
		counter, want, atomic_read(&timer_runs), atomic_read(&torn));
	return counter == want && !atomic_read(&torn) ? 0 : -EINVAL;
}

static void __exit spinlocks_doc_exit(void)
{
}

module_init(spinlocks_doc_init);
module_exit(spinlocks_doc_exit);
MODULE_LICENSE("GPL");
