/*
 * test_lockstat.c - lock statistics count exactly on planted scenarios:
 * N acquisitions, a known number of contentions forced by a holder that
 * keeps the lock until every waiter has been seen waiting, sleeps counted
 * for waiters known to be asleep, nothing counted while off.
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "lab/shell.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/lockstat.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

#define WAIT_LIMIT_NS (10 * NSEC_PER_SEC)

static bool was_on;

static void stat_begin(void)
{
	was_on = lockstat_enabled();
	lockstat_enable(true);
	lockstat_reset();
}

static void stat_end(void)
{
	lockstat_enable(was_on);
}

static struct lockstat_counts counts(struct lockstat_map *m)
{
	struct lockstat_counts c;

	lockstat_read(lockstat_class_of(m), &c);
	return c;
}

/* ---- spinlock ---- */

static spinlock_t ls_spin;

static int spin_waiter(void *arg)
{
	(void)arg;
	spin_lock(&ls_spin);		/* held: counted as one contention */
	spin_unlock(&ls_spin);
	return 0;
}

KTEST(lockstat, spinlock_counts_exactly)
{
	spin_lock_init(&ls_spin);
	stat_begin();
	int cls = lockstat_class_of(&ls_spin.stat);
	KASSERT_GT(cls, 0);
	KASSERT_STREQ(lockstat_class_name(cls), "&ls_spin");

	for (int i = 0; i < 1000; i++) {
		spin_lock(&ls_spin);
		spin_unlock(&ls_spin);
	}
	KASSERT(spin_trylock(&ls_spin));	/* counted: it took the lock */
	KASSERT(!spin_trylock(&ls_spin));	/* not counted: it did not */
	spin_unlock(&ls_spin);
	struct lockstat_counts c = counts(&ls_spin.stat);
	stat_end();
	KASSERT_EQ(c.acquisitions, 1001);
	KASSERT_EQ(c.contentions, 0);
	KASSERT_EQ(c.waits, 0);
	KASSERT_EQ(c.holds, 1001);
	KASSERT_GT(c.hold_min, 0);
	KASSERT_LE(c.hold_min, c.hold_max);
	KASSERT_EQ(c.spun + c.spin_won + c.slept, 0);
}

/*
 * One holder, a waiter bound to each other CPU: the holder keeps the
 * lock until lockstat has counted every waiter's contention (it cannot
 * count one before it happens), so exactly that many acquisitions
 * waited. Which CPU the holder is on is known only once it holds the
 * lock (preemption is then off): the waiter bound to that CPU is woken
 * last, alone, and does not wait.
 */
KTEST(lockstat, spinlock_planted_contentions)
{
	struct task_struct *w[NR_CPUS];
	int n = num_online_cpus();

	if (n < 2) {
		ktest_info("lockstat.spinlock_planted_contentions: needs 2 CPUs, skipped\n");
		return;
	}
	spin_lock_init(&ls_spin);
	stat_begin();
	int cls = lockstat_class_of(&ls_spin.stat);
	for (int i = 0; i < n; i++) {
		w[i] = ktest_kthread_create(spin_waiter, NULL, "ls_waiter/%d", i);
		if (!w[i]) {
			stat_end();
			return;
		}
		kthread_bind(w[i], nth_online_cpu(i));
	}
	spin_lock(&ls_spin);
	int mine = -1, me = smp_processor_id();
	for (int i = 0; i < n; i++)
		if (nth_online_cpu(i) == me)
			mine = i;
		else
			wake_up_process(w[i]);
	struct lockstat_counts c = { 0 };
	uint64_t start = ktime_get_ns();
	while (lockstat_read(cls, &c), c.contentions < (unsigned long)(n - 1) &&
	       ktime_get_ns() - start < WAIT_LIMIT_NS)
		cpu_relax();
	unsigned long seen = c.contentions;	/* while we held it */
	spin_unlock(&ls_spin);
	for (int i = 0; i < n; i++)
		if (i != mine)
			ktest_join(w[i]);
	wake_up_process(w[mine]);
	ktest_join(w[mine]);
	c = counts(&ls_spin.stat);
	stat_end();
	KASSERT_MSG(seen == (unsigned long)(n - 1), "the holder saw %lu contentions "
		    "counted while it held the lock, not %d", seen, n - 1);
	KASSERT_EQ(c.contentions, n - 1);
	KASSERT_EQ(c.waits, n - 1);
	KASSERT_EQ(c.acquisitions, 1 + n);
	KASSERT_EQ(c.holds, 1 + n);
	KASSERT_GT(c.wait_min, 0);
	KASSERT_LE(c.wait_min, c.wait_max);
	KASSERT_LE(c.wait_max, c.wait_total);
}

KTEST(lockstat, off_counts_nothing)
{
	spin_lock_init(&ls_spin);
	stat_begin();
	lockstat_enable(false);
	for (int i = 0; i < 100; i++) {
		spin_lock(&ls_spin);
		spin_unlock(&ls_spin);
	}
	lockstat_enable(true);
	spin_lock(&ls_spin);
	spin_unlock(&ls_spin);
	struct lockstat_counts c = counts(&ls_spin.stat);
	stat_end();
	KASSERT_EQ(c.acquisitions, 1);
}

/* ---- mutex ---- */

static struct mutex ls_mutex;

static int mutex_waiter(void *arg)
{
	(void)arg;
	mutex_lock(&ls_mutex);
	mutex_unlock(&ls_mutex);
	return 0;
}

static int asleep_on_mutex(struct task_struct **w, int k)
{
	int n = 0;

	for (int i = 0; i < k; i++)
		n += READ_ONCE(w[i]->state) == TASK_UNINTERRUPTIBLE && !READ_ONCE(w[i]->on_cpu);
	return n;
}

/*
 * K waiters find the mutex held by a holder that sleeps (so they stop
 * spinning on it: its owner is not running) until all K are asleep.
 * Each then contended once, spun (and gave up) once, slept, and took
 * the mutex after sleeping.
 */
KTEST(lockstat, mutex_planted_sleeps)
{
	struct task_struct *w[3];
	const int k = 3;

	mutex_init(&ls_mutex);
	stat_begin();
	for (int i = 0; i < k; i++) {
		w[i] = ktest_kthread_create(mutex_waiter, NULL, "lsm_waiter/%d", i);
		if (!w[i]) {
			stat_end();
			return;
		}
	}
	mutex_lock(&ls_mutex);
	for (int i = 0; i < k; i++)
		wake_up_process(w[i]);
	uint64_t start = ktime_get_ns();
	while (asleep_on_mutex(w, k) < k && ktime_get_ns() - start < WAIT_LIMIT_NS)
		msleep(1);
	int asleep = asleep_on_mutex(w, k);
	mutex_unlock(&ls_mutex);
	for (int i = 0; i < k; i++)
		ktest_join(w[i]);
	struct lockstat_counts c = counts(&ls_mutex.stat);
	stat_end();
	KASSERT_EQ(asleep, k);
	KASSERT_EQ(c.acquisitions, 1 + k);
	KASSERT_EQ(c.contentions, k);
	KASSERT_EQ(c.spun, k);
	KASSERT_EQ(c.spin_won, 0);
	KASSERT_EQ(c.slept, k);
	KASSERT_EQ(c.holds, 1 + k);
	KASSERT_GT(c.hold_min, 0);
	KASSERT_LE(c.hold_min, c.hold_max);
}

/* The table names the class and its numbers. */
KTEST(lockstat, print_shows_the_class)
{
	mutex_init(&ls_mutex);
	stat_begin();
	for (int i = 0; i < 7; i++) {
		mutex_lock(&ls_mutex);
		mutex_unlock(&ls_mutex);
	}
	unsigned long mark = ktest_log_mark();
	lockstat_print("lstest: ", 100);
	stat_end();
	KASSERT(ktest_log_contains(mark, "lstest: class"));
	KASSERT(ktest_log_contains(mark, "lstest: &ls_mutex                      7         0"));
}

/* The shell switches it; the counter experiment prints each mode's table
 * (2 workers x 1000 iterations: exactly 2000 acquisitions). */
KTEST(lockstat, shell_and_counter_table)
{
	char on[] = "lockstat on", off[] = "lockstat off", bad[] = "lockstat sideways";
	char run[] = "counter workers=2 iters=1000 modes=spinlock";
	char row[64];
	bool before = lockstat_enabled();
	unsigned long mark = ktest_log_mark();

	shell_execute(on);
	KASSERT(lockstat_enabled());
	shell_execute(run);
	shell_execute(bad);
	shell_execute(off);
	lockstat_enable(before);
	snprintf(row, sizeof(row), "counter: %-22s %9d ", "&counter_spinlock", 2000);
	KASSERT(ktest_log_contains(mark, "counter: spinlock: lock statistics"));
	KASSERT(ktest_log_contains(mark, row));
	KASSERT(ktest_log_contains(mark, "lockstat: unknown 'sideways'"));
}
