// SPDX-License-Identifier: GPL-2.0
/*
 * waitqueue_doc.c - the explicit wait-queue API in the three shapes
 * course code uses, around a small pipe (a ring of PIPE_SIZE slots):
 *
 *   writers: DEFINE_WAIT + prepare_to_wait() / schedule() / finish_wait(),
 *            the "advanced sleeping" loop of LDD3 ch. 6 (its scull pipe's
 *            getwritespace), rewritten for a spinlock-protected ring;
 *   readers: DEFINE_WAIT_FUNC(woken_wake_function) + wait_woken(), the
 *            loop kernel/sched/wait.c's comment above wait_woken() shows;
 *            and DECLARE_WAITQUEUE + add_wait_queue_exclusive() +
 *            set_current_state() / schedule(), the oldest form.
 *
 * Writers and readers on every CPU. Invariants: the ring never holds
 * more than PIPE_SIZE or fewer than 0 items; every value written is read
 * exactly once (the sums match); and everyone finishes - a lost wake-up
 * leaves a sleeper behind, and the test's wait for the module's threads
 * times out.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/completion.h>
#include <linux/atomic.h>

#define PIPE_SIZE 4
#define ITEMS 3000			/* per writer */

static struct {
	spinlock_t lock;
	long ring[PIPE_SIZE];
	int head, count;
	wait_queue_head_t inq, outq;	/* readers wait on inq, writers on outq */
} pipe;

static atomic_long_t written_sum, read_sum;
static atomic_t bad_count, to_read, left;
static DECLARE_COMPLETION(all_done);

/* ---- the sleeping loops (see the top of the file for their sources) ---- */

/* Writer: wait for a free slot; returns with pipe.lock held. */
static int pipe_get_write_space(void)
{
	spin_lock(&pipe.lock);
	while (pipe.count == PIPE_SIZE) {	/* full */
		DEFINE_WAIT(wait);

		spin_unlock(&pipe.lock);
		prepare_to_wait(&pipe.outq, &wait, TASK_INTERRUPTIBLE);
		if (READ_ONCE(pipe.count) == PIPE_SIZE)
			schedule();
		finish_wait(&pipe.outq, &wait);
		if (signal_pending(current))
			return -ERESTARTSYS;
		spin_lock(&pipe.lock);
	}
	return 0;
}

/* Reader, wait_woken() form: returns with pipe.lock held and an item. */
static int pipe_wait_data_woken(void)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(&pipe.inq, &wait);
	for (;;) {
		spin_lock(&pipe.lock);
		if (pipe.count > 0)
			break;
		spin_unlock(&pipe.lock);
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
		if (signal_pending(current)) {
			remove_wait_queue(&pipe.inq, &wait);
			return -ERESTARTSYS;
		}
	}
	remove_wait_queue(&pipe.inq, &wait);
	return 0;
}

/* Reader, the oldest form: an exclusive waiter (one woken per item). */
static int pipe_wait_data_exclusive(void)
{
	DECLARE_WAITQUEUE(wait, current);

	add_wait_queue_exclusive(&pipe.inq, &wait);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		spin_lock(&pipe.lock);
		if (pipe.count > 0)
			break;
		spin_unlock(&pipe.lock);
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			remove_wait_queue(&pipe.inq, &wait);
			return -ERESTARTSYS;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	remove_wait_queue(&pipe.inq, &wait);
	return 0;
}
/* ---- end of the sleeping loops ---- */

static void check_count(void)
{
	if (pipe.count < 0 || pipe.count > PIPE_SIZE)
		atomic_inc(&bad_count);
}

static void done_one(void)
{
	if (atomic_dec_and_test(&left))
		complete(&all_done);
}

static int writer(void *arg)
{
	long base = (long)arg * ITEMS;

	for (long i = 1; i <= ITEMS; i++) {
		if (pipe_get_write_space())
			break;
		pipe.ring[(pipe.head + pipe.count) % PIPE_SIZE] = base + i;
		pipe.count++;
		check_count();
		spin_unlock(&pipe.lock);
		atomic_long_add(base + i, &written_sum);
		wake_up_interruptible(&pipe.inq);	/* one exclusive, all woken-waiters */
	}
	done_one();
	return 0;
}

static int reader(void *arg)
{
	bool woken_form = (long)arg % 4 == 1;

	/* Each reader takes items until every writer's items are read. */
	while (atomic_dec_if_positive(&to_read) >= 0) {
		if (woken_form ? pipe_wait_data_woken() : pipe_wait_data_exclusive())
			break;
		long v = pipe.ring[pipe.head];
		pipe.head = (pipe.head + 1) % PIPE_SIZE;
		pipe.count--;
		check_count();
		spin_unlock(&pipe.lock);
		atomic_long_add(v, &read_sum);
		wake_up_interruptible(&pipe.outq);
	}
	done_one();
	return 0;
}

static int __init waitqueue_doc_init(void)
{
	int ncpu = num_online_cpus(), threads = 2 * ncpu;

	spin_lock_init(&pipe.lock);
	init_waitqueue_head(&pipe.inq);
	init_waitqueue_head(&pipe.outq);
	pipe.head = pipe.count = 0;
	atomic_long_set(&written_sum, 0);
	atomic_long_set(&read_sum, 0);
	atomic_set(&bad_count, 0);
	atomic_set(&to_read, ncpu * ITEMS);	/* ncpu writers */
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	for (int i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(i % 2 ? reader : writer, (void *)(long)(i / 2 * 2 + i % 2),
				       "wqdoc%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	pr_info("waitqueue_doc: %d writers x %d items through %d slots to %d readers: "
		"written %ld, read %ld, bad counts %d\n", ncpu, ITEMS, PIPE_SIZE, ncpu,
		atomic_long_read(&written_sum), atomic_long_read(&read_sum),
		atomic_read(&bad_count));
	if (atomic_read(&bad_count) || atomic_long_read(&written_sum) != atomic_long_read(&read_sum))
		return -EINVAL;
	return 0;
}

static void __exit waitqueue_doc_exit(void)
{
}

module_init(waitqueue_doc_init);
module_exit(waitqueue_doc_exit);
MODULE_LICENSE("GPL");
