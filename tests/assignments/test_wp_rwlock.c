/*
 * test_wp_rwlock.c - grading tests for assignment 3, the writer-preferring
 * reader-writer spinlock.
 */
#include "tests/ktest.h"
#include "assignments/assignment.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sync/barrier.h"
#include "assignments/wp_rwlock.h"

static wp_rwlock_t rw = WP_RWLOCK_UNLOCKED;
static atomic_t readers_in, writers_in, max_readers, broken;
static volatile bool stop;

static void try_once(void)
{
	wp_read_lock(&rw);
	wp_read_unlock(&rw);
	wp_write_lock(&rw);
	wp_write_unlock(&rw);
}

static int reader(void *arg)
{
	(void)arg;
	while (!READ_ONCE(stop)) {
		wp_read_lock(&rw);
		int r = atomic_inc_return(&readers_in);
		if (atomic_read(&writers_in))
			atomic_inc(&broken);
		int m = atomic_read(&max_readers);
		if (r > m)
			atomic_cmpxchg(&max_readers, m, r);
		udelay(20);			/* readers overlap constantly */
		atomic_dec(&readers_in);
		wp_read_unlock(&rw);
	}
	return 0;
}

KTEST(assignment_wp_rwlock, writer_not_starved)
{
	int n = MIN(num_online_cpus() + 1, 4);
	struct task_struct *t[8];
	uint64_t worst = 0;

	try_once();
	KASSERT_IMPLEMENTED("wp_rwlock");
	stop = false;
	atomic_set(&broken, 0);
	atomic_set(&max_readers, 0);
	for (int i = 0; i < n; i++)
		t[i] = ktest_kthread_run(reader, NULL, "reader%d", i);
	msleep(20);
	for (int i = 0; i < 10; i++) {
		uint64_t t0 = ktime_get_ns();
		wp_write_lock(&rw);
		uint64_t waited = ktime_get_ns() - t0;
		atomic_inc(&writers_in);
		if (atomic_read(&readers_in))
			atomic_inc(&broken);		/* a reader inside with us */
		udelay(50);
		atomic_dec(&writers_in);
		wp_write_unlock(&rw);
		worst = MAX(worst, waited);
		msleep(2);
	}
	WRITE_ONCE(stop, true);
	for (int i = 0; i < n; i++)
		ktest_join(t[i]);
	KASSERT_EQ(atomic_read(&broken), 0);
	/* Generous: a starved writer waits for ever, a preferred one for
	 * about one reader's section. */
	KASSERT_MSG(worst < 500 * NSEC_PER_MSEC, "a writer waited %llu ms",
		    (unsigned long long)(worst / NSEC_PER_MSEC));
	if (num_online_cpus() > 1)
		KASSERT_GE(atomic_read(&max_readers), 2);	/* readers shared it */
}
