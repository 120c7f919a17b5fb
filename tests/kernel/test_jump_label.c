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
