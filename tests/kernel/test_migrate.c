/*
 * test_migrate.c - migrate_disable()/migrate_enable(): the thread stays
 * on its CPU while preemptible, sleeping and competing with more threads
 * than CPUs (wake-up placement and the balancer would move it otherwise);
 * smp_processor_id() there is not reported.
 */
#include "tests/ktest.h"
#include "sched/sched.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "sync/atomic.h"

#define MIG_THREADS_PER_CPU 3
#define MIG_ROUNDS 30

static atomic_t moved, moved_when_enabled, checks;

static void stay_put(int idx, void *arg)
{
	(void)idx, (void)arg;
	for (int r = 0; r < MIG_ROUNDS; r++) {
		migrate_disable();
		int cpu = smp_processor_id();	/* no report: cannot move */
		migrate_disable();		/* nests */
		for (int k = 0; k < 4; k++) {
			if (k & 1)
				msleep(1);	/* sleeps: wakes on the same CPU */
			else
				for (int spin = 0; spin < 20000; spin++)
					cond_resched();	/* preemptible */
			if (smp_processor_id() != cpu)
				atomic_inc(&moved);
			atomic_inc(&checks);
		}
		migrate_enable();
		if (smp_processor_id() != cpu)
			atomic_inc(&moved);
		migrate_enable();
		msleep(1);			/* free to move now */
		preempt_disable();
		if (smp_processor_id() != cpu)
			atomic_inc(&moved_when_enabled);
		preempt_enable();
	}
}


static int stay_thread(void *arg)
{
	stay_put(0, arg);
	return 0;
}

KTEST(migrate, migrate_disable_keeps_the_cpu)
{
	struct task_struct *t[NR_CPUS * MIG_THREADS_PER_CPU];
	int n = num_online_cpus() * MIG_THREADS_PER_CPU;

	atomic_set(&moved, 0);
	atomic_set(&moved_when_enabled, 0);
	atomic_set(&checks, 0);
	for (int i = 0; i < n; i++) {
		t[i] = ktest_kthread_run(stay_thread, NULL, "stay%d", i);
		KASSERT(t[i] != NULL);
	}
	for (int i = 0; i < n; i++)
		ktest_join(t[i]);
	ktest_info("migrate: %d threads on %d CPUs, %d checks, %d moves once enabled\n",
		   n, num_online_cpus(), atomic_read(&checks), atomic_read(&moved_when_enabled));
	KASSERT_EQ(atomic_read(&checks), n * MIG_ROUNDS * 4);
	KASSERT_MSG(atomic_read(&moved) == 0, "%d times a thread ran on another CPU inside "
		    "migrate_disable()", atomic_read(&moved));
}
