/*
 * test_jump_label.c - static keys: a site is false until the key is
 * enabled, true on every CPU after, false again after disabling; and
 * rewriting the sites while other CPUs run through them in a loop never
 * lets one execute a torn instruction (it would crash or see garbage).
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/jump_label.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/spinlock.h"
#include "kernel/time.h"

static DEFINE_STATIC_KEY_FALSE(test_key);

static __noinline bool probe(void)
{
	if (static_branch_unlikely(&test_key))
		return true;
	return false;
}

static atomic_t wrong;

static void expect_on(int idx, void *arg)
{
	(void)idx;
	if (probe() != (bool)(uintptr_t)arg)
		atomic_inc(&wrong);
}

KTEST(jump_label, enable_disable_on_every_cpu)
{
	KASSERT(!probe());
	KASSERT(!static_key_enabled(&test_key));
	static_branch_enable(&test_key);
	KASSERT(probe());
	KASSERT(static_key_enabled(&test_key));
	atomic_set(&wrong, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(expect_on, (void *)1, true), num_online_cpus());
	KASSERT_EQ(atomic_read(&wrong), 0);
	static_branch_enable(&test_key);	/* not counted: */
	static_branch_disable(&test_key);	/* one disable turns it off */
	KASSERT(!probe());
	KASSERT_EQ(ktest_run_on_all_cpus(expect_on, (void *)0, true), num_online_cpus());
	KASSERT_EQ(atomic_read(&wrong), 0);
}

static int stop_hammer;
static atomic_t seen_true, seen_false;

static void hammer(int idx, void *arg)
{
	(void)arg;
	if (idx == 0) {			/* the flipper */
		for (int i = 0; i < 40; i++) {
			static_branch_enable(&test_key);
			if (!probe())
				atomic_inc(&wrong);
			static_branch_disable(&test_key);
			if (probe())
				atomic_inc(&wrong);
		}
		WRITE_ONCE(stop_hammer, 1);
		return;
	}
	while (!READ_ONCE(stop_hammer)) {	/* the others run the site */
		if (probe())
			atomic_inc(&seen_true);
		else
			atomic_inc(&seen_false);
	}
}

KTEST(jump_label, rewrite_while_other_cpus_run_the_site)
{
	atomic_set(&wrong, 0);
	WRITE_ONCE(stop_hammer, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(hammer, NULL, true), num_online_cpus());
	KASSERT_EQ(atomic_read(&wrong), 0);
	KASSERT(!probe());
	if (num_online_cpus() > 1)
		KASSERT_GT(atomic_read(&seen_false), 0);
}

/*
 * Changing a key must not wait for a CPU that cannot answer: CPU 1 holds
 * a lock taken with spin_lock() (interrupts on) and CPU 2 spins for it in
 * spin_lock_irqsave() (interrupts off). Both uses are legal. A rewrite
 * that held every other CPU in an interrupt handler until it was done
 * held CPU 1, lock and all, while CPU 2 never took the interrupt: the
 * machine stopped ("BUG: soft lockup ... arch_jump_label_transform").
 * A CPU must be stopped only where it schedules (stop_machine()), never
 * inside a spinlock section. Needs three CPUs to show.
 */
static DEFINE_SPINLOCK(contended_lock);
static bool lock_users_stop;
static atomic_t lock_rounds;

static void lock_user(int idx, void *arg)
{
	(void)arg;
	while (!READ_ONCE(lock_users_stop)) {
		if (idx == 1) {			/* holds it, interrupts on */
			spin_lock(&contended_lock);
			udelay(300);
			spin_unlock(&contended_lock);
		} else if (idx >= 2) {		/* waits for it, interrupts off */
			unsigned long flags;
			spin_lock_irqsave(&contended_lock, flags);
			udelay(5);
			spin_unlock_irqrestore(&contended_lock, flags);
		} else {			/* the flipper */
			for (int i = 0; i < 30; i++) {
				static_branch_enable(&test_key);
				if (!probe())
					atomic_inc(&wrong);
				static_branch_disable(&test_key);
				if (probe())
					atomic_inc(&wrong);
				atomic_inc(&lock_rounds);
			}
			WRITE_ONCE(lock_users_stop, true);
		}
		cpu_relax();
	}
}

KTEST(jump_label, rewrite_while_cpus_hold_and_wait_for_a_lock)
{
	atomic_set(&wrong, 0);
	atomic_set(&lock_rounds, 0);
	WRITE_ONCE(lock_users_stop, false);
	if (num_online_cpus() < 3)
		ktest_info("needs 3 CPUs to hold the lock, wait for it and flip the key; "
			   "runs anyway\n");
	KASSERT_EQ(ktest_run_on_all_cpus(lock_user, NULL, true), num_online_cpus());
	KASSERT_EQ(atomic_read(&lock_rounds), 30);
	KASSERT_EQ(atomic_read(&wrong), 0);
	KASSERT(!static_key_enabled(&test_key));
}
