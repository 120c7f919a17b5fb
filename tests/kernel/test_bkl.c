/*
 * test_bkl.c - the big kernel lock keeps Linux 2.6's contract: recursive
 * for its holder, excludes every other CPU, released while its holder
 * sleeps (another thread takes it meanwhile) and held again when the
 * holder runs on; sleeping under it is no bug; a thread that exits
 * holding it is reported and the lock freed.
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/bkl.h"

KTEST(bkl, recursive_for_its_holder)
{
	KASSERT(!kernel_locked());
	KASSERT_EQ(current->lock_depth, -1);
	lock_kernel();
	KASSERT(kernel_locked());
	KASSERT_EQ(preempt_count(), PREEMPT_OFFSET);	/* a spinlock: no preemption */
	lock_kernel();				/* its holder: only counts */
	KASSERT_EQ(current->lock_depth, 1);
	KASSERT_EQ(preempt_count(), PREEMPT_OFFSET);
	unlock_kernel();
	KASSERT(kernel_locked());
	unlock_kernel();
	KASSERT(!kernel_locked());
	KASSERT_EQ(preempt_count(), 0);
}

static atomic_t inside, overlaps;
static long bkl_counter;

static void bkl_rounds(int idx, void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		lock_kernel();
		if (i % 3 == 0)
			lock_kernel();		/* nested: still one holder */
		if (atomic_inc_return(&inside) != 1)
			atomic_inc(&overlaps);
		bkl_counter++;
		udelay((unsigned int)(idx + i) % 3);
		atomic_dec(&inside);
		if (i % 3 == 0)
			unlock_kernel();
		unlock_kernel();
	}
}

KTEST(bkl, excludes_every_other_cpu)
{
	atomic_set(&inside, 0);
	atomic_set(&overlaps, 0);
	bkl_counter = 0;
	int n = ktest_run_on_all_cpus(bkl_rounds, NULL, true);
	KASSERT_EQ(n, num_online_cpus());
	KASSERT_EQ(atomic_read(&overlaps), 0);
	KASSERT_EQ(bkl_counter, 2000L * n);
}

/*
 * The sleeper takes the BKL and sleeps; the other thread gets it while
 * the sleeper sleeps. After waking, the sleeper holds it again: the
 * other's second attempt waits until the sleeper lets go.
 */
static atomic_t s_holding, s_woke, s_released, o_got_while_asleep, o_second_after_release;
static atomic_t s_relocked;

static int sleeper(void *arg)
{
	(void)arg;
	lock_kernel();
	lock_kernel();				/* nested, across the sleep too */
	atomic_set(&s_holding, 1);
	msleep(50);				/* schedule() lets go of it */
	atomic_set(&s_relocked, kernel_locked() && current->lock_depth == 1 &&
				preempt_count() == PREEMPT_OFFSET);
	atomic_set(&s_woke, 1);
	udelay(20000);				/* held: the other must wait */
	atomic_set(&s_released, 1);
	unlock_kernel();
	unlock_kernel();
	return 0;
}

static int other(void *arg)
{
	(void)arg;
	while (!atomic_read(&s_holding))
		msleep(1);
	lock_kernel();				/* while the sleeper sleeps */
	atomic_set(&o_got_while_asleep, !atomic_read(&s_woke));
	unlock_kernel();
	while (!atomic_read(&s_woke))
		msleep(1);
	lock_kernel();
	atomic_set(&o_second_after_release, atomic_read(&s_released));
	unlock_kernel();
	return 0;
}

KTEST(bkl, released_across_sleep_and_retaken)
{
	atomic_set(&s_holding, 0);
	atomic_set(&s_woke, 0);
	atomic_set(&s_released, 0);
	atomic_set(&s_relocked, 0);
	atomic_set(&o_got_while_asleep, 0);
	atomic_set(&o_second_after_release, 0);
	struct task_struct *a = ktest_kthread_create(sleeper, NULL, "bkl-sleeper");
	struct task_struct *b = ktest_kthread_create(other, NULL, "bkl-other");
	KASSERT(a && b);
	kthread_bind(a, nth_online_cpu(0));
	kthread_bind(b, nth_online_cpu(num_online_cpus() - 1));
	wake_up_process(a);
	wake_up_process(b);
	ktest_join(a);
	ktest_join(b);
	KASSERT_MSG(atomic_read(&o_got_while_asleep), "the BKL stayed held while its holder slept");
	KASSERT_MSG(atomic_read(&s_relocked), "the sleeper woke without the BKL");
	KASSERT_MSG(atomic_read(&o_second_after_release),
		    "another thread took the BKL from its holder");
}

static int exit_holding(void *arg)
{
	(void)arg;
	lock_kernel();
	return 0;
}

KTEST(bkl, exit_holding_it_is_reported_and_released)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();
	struct task_struct *t = ktest_kthread_run(exit_holding, NULL, "bkl-leaker");
	KASSERT(t);
	ktest_join(t);
	KASSERT(ktest_log_contains(mark, "exited holding the big kernel lock"));
	lock_kernel();				/* free again */
	unlock_kernel();
}
