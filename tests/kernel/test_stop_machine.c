/*
 * test_stop_machine.c - stop_machine() stops every CPU: while fn runs, no
 * other thread runs anywhere; fn runs on the CPUs asked for, once each,
 * interrupts off, and its value comes back; a CPU is stopped only where
 * it schedules, so CPUs that hold locks, spin for them with interrupts
 * off, or wait for cross-CPU calls are never deadlocked by a stop.
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/smp.h"
#include "kernel/stop_machine.h"
#include "kernel/time.h"
#include "arch/x86/irqflags.h"
#include "sched/sched.h"
#include "sched/preempt.h"
#include "sync/atomic.h"
#include "sync/percpu.h"
#include "sync/spinlock.h"

static DEFINE_PER_CPU(unsigned long, busy_count);
static bool busy_stop;
static atomic_t fn_calls, fn_irqs_on, fn_moved;
static int fn_cpus[NR_CPUS];

static void busy(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	while (!READ_ONCE(busy_stop)) {
		this_cpu_inc(busy_count);	/* anywhere but in a stop */
		cpu_relax();
	}
}

static unsigned long sum_busy(void)
{
	unsigned long s = 0;
	int cpu;

	for_each_online_cpu(cpu)
		s += READ_ONCE(per_cpu(busy_count, cpu));
	return s;
}

/* While it runs, nothing else runs: the counters stand still. */
static int still_fn(void *arg)
{
	(void)arg;
	unsigned long before = sum_busy();

	udelay(2000);
	if (sum_busy() != before)
		atomic_inc(&fn_moved);
	if (!irqs_disabled())
		atomic_inc(&fn_irqs_on);
	fn_cpus[atomic_inc_return(&fn_calls) - 1] = smp_processor_id();
	return smp_processor_id() == nth_online_cpu(num_online_cpus() - 1) ? -EIO : 0;
}

static int stop_runner(void *arg)
{
	int *ret = arg;

	for (int i = 0; i < 10; i++) {
		atomic_set(&fn_calls, 0);
		ret[i] = stop_machine(still_fn, NULL, i % 2 ? cpu_online_mask : NULL);
		ret[i] = ret[i] * 100 + atomic_read(&fn_calls);
	}
	WRITE_ONCE(busy_stop, true);
	return 0;
}

KTEST(stop_machine, nothing_else_runs_and_fn_runs_where_asked)
{
	int ret[10], n = num_online_cpus();

	atomic_set(&fn_moved, 0);
	atomic_set(&fn_irqs_on, 0);
	WRITE_ONCE(busy_stop, false);
	struct task_struct *t = ktest_kthread_run(stop_runner, ret, "stop-runner");
	KASSERT(t != NULL);
	KASSERT_EQ(ktest_run_on_all_cpus(busy, NULL, true), n);
	ktest_join(t);
	KASSERT_EQ(atomic_read(&fn_moved), 0);
	KASSERT_EQ(atomic_read(&fn_irqs_on), 0);
	for (int i = 0; i < 10; i++) {
		if (i % 2) {	/* on every CPU, once; the last one says -EIO */
			KASSERT_MSG(ret[i] == -EIO * 100 + n, "round %d: %d", i, ret[i]);
		} else {	/* on one CPU, the first online */
			int want = n == 1 ? -EIO * 100 + 1 : 1;
			KASSERT_MSG(ret[i] == want, "round %d: %d, want %d", i, ret[i], want);
		}
	}
}

/*
 * CPUs that hold a lock with interrupts on, spin for it with interrupts
 * off, or wait (preemption off) for cross-CPU calls while stops come one
 * after another: every stop ends. (Interrupts go off only once every CPU
 * has stopped: a stopped CPU still answers the calls others wait for;
 * with interrupts off from the start, this hung at -smp 4.)
 */
static DEFINE_SPINLOCK(sm_lock);
static bool sm_stop;
static atomic_t sm_calls;

static void noop_ipi(void *arg)
{
	(void)arg;
	atomic_inc(&sm_calls);
}

static int nop_fn(void *arg)
{
	(void)arg;
	return 0;
}

static void contender(int idx, void *arg)
{
	(void)arg;
	for (int i = 0; !READ_ONCE(sm_stop); i++) {
		if (idx == 0) {
			for (int k = 0; k < 40; k++)
				KASSERT_EQ(stop_machine(nop_fn, NULL, NULL), 0);
			WRITE_ONCE(sm_stop, true);
		} else if (idx % 3 == 1) {
			spin_lock(&sm_lock);
			udelay(200);
			spin_unlock(&sm_lock);
		} else if (idx % 3 == 2) {
			unsigned long flags;
			spin_lock_irqsave(&sm_lock, flags);
			udelay(5);
			spin_unlock_irqrestore(&sm_lock, flags);
		} else {
			/* Preemption off for a while, then a call that waits
			 * for every other CPU: a stop that began meanwhile must
			 * still let them answer. */
			preempt_disable();
			udelay(300);
			smp_call_function(noop_ipi, NULL, true);
			preempt_enable();
		}
		cpu_relax();
	}
}

KTEST(stop_machine, never_deadlocks_with_locks_and_cross_cpu_calls)
{
	WRITE_ONCE(sm_stop, false);
	atomic_set(&sm_calls, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(contender, NULL, true), num_online_cpus());
	KASSERT(READ_ONCE(sm_stop));
	ktest_info("40 stops; %d cross-CPU calls answered meanwhile\n", atomic_read(&sm_calls));
}
