/*
 * test_softirq.c - bottom halves keep Linux's contracts: softirqs run in
 * softirq context (never in a hard interrupt, never nested in themselves
 * on one CPU) on the CPU that raised them; local_bh_disable() holds them
 * back and local_bh_enable() runs them; a softirq that keeps raising
 * itself is handed to ksoftirqd/N, so threads still run; timers run in
 * the timer softirq; a tasklet never runs on two CPUs at once, runs after
 * every schedule, waits while disabled and is gone after tasklet_kill().
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/jiffies.h"
#include "kernel/smp.h"
#include "kernel/softirq.h"
#include "kernel/string.h"
#include "kernel/tasklet.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "arch/x86/irqflags.h"
#include "sched/sched.h"
#include "sync/atomic.h"

/* The tests borrow a softirq number nothing here uses. */
#define TEST_SOFTIRQ BLOCK_SOFTIRQ

static atomic_t depth[NR_CPUS];
static atomic_t runs, bad_context, nested, in_ksoftirqd;
static unsigned long raised_seq[NR_CPUS], ran_seq[NR_CPUS];
static atomic_t storm_stop;

static bool in_ksoftirqd_thread(void)
{
	return strncmp(current->comm, "ksoftirqd/", 10) == 0;
}

static void test_action(struct softirq_action *a)
{
	int cpu = raw_smp_processor_id();

	(void)a;
	if (!in_serving_softirq() || in_hardirq() || irqs_disabled())
		atomic_inc(&bad_context);
	if (atomic_inc_return(&depth[cpu]) != 1)
		atomic_inc(&nested);
	WRITE_ONCE(ran_seq[cpu], READ_ONCE(raised_seq[cpu]));
	udelay(5);			/* room for an interrupt to nest */
	atomic_dec(&depth[cpu]);
	atomic_inc(&runs);
	if (in_ksoftirqd_thread())
		atomic_inc(&in_ksoftirqd);
}

static void reset(void (*action)(struct softirq_action *))
{
	for (int i = 0; i < NR_CPUS; i++) {
		atomic_set(&depth[i], 0);
		raised_seq[i] = ran_seq[i] = 0;
	}
	atomic_set(&runs, 0);
	atomic_set(&bad_context, 0);
	atomic_set(&nested, 0);
	atomic_set(&in_ksoftirqd, 0);
	open_softirq(TEST_SOFTIRQ, action);
}

/* An IPI's handler is a hard interrupt: what it raises runs on its way
 * out, on that CPU. */
static void raise_from_hardirq(void *arg)
{
	int cpu = raw_smp_processor_id();

	(void)arg;
	WRITE_ONCE(raised_seq[cpu], raised_seq[cpu] + 1);
	raise_softirq_irqoff(TEST_SOFTIRQ);
}

static void raise_many(int idx, void *arg)
{
	int cpu = raw_smp_processor_id();
	int next = nth_online_cpu((idx + 1) % num_online_cpus());

	(void)arg;
	for (int i = 0; i < 2000; i++) {
		if (i % 8 == 0 && next != cpu) {
			smp_call_function_single(next, raise_from_hardirq, NULL, true);
			continue;
		}
		/* From a thread: ksoftirqd/N runs it (or an interrupt's exit). */
		local_irq_disable();
		raised_seq[cpu]++;
		raise_softirq_irqoff(TEST_SOFTIRQ);
		local_irq_enable();
		if (i % 64 == 0)
			cond_resched();
	}
}

/* Every CPU's last raise was followed by a run on that CPU. */
static bool all_caught_up(void)
{
	for (int i = 0; i < num_online_cpus(); i++) {
		int cpu = nth_online_cpu(i);
		if (READ_ONCE(ran_seq[cpu]) != READ_ONCE(raised_seq[cpu]))
			return false;
	}
	return true;
}

static bool wait_until(bool (*cond)(void), unsigned int ms)
{
	for (unsigned int i = 0; i < ms && !cond(); i++)
		msleep(1);
	return cond();
}

KTEST(softirq, runs_in_softirq_context_never_nested)
{
	reset(test_action);
	KASSERT_EQ(ktest_run_on_all_cpus(raise_many, NULL, true), num_online_cpus());
	KASSERT_MSG(wait_until(all_caught_up, 2000),
		    "a raised softirq never ran on its CPU");
	KASSERT_GT(atomic_read(&runs), 0);
	KASSERT_EQ(atomic_read(&bad_context), 0);
	KASSERT_EQ(atomic_read(&nested), 0);
	ktest_info("%d runs for %d raises on %d CPUs\n", atomic_read(&runs),
		   2000 * num_online_cpus(), num_online_cpus());
	open_softirq(TEST_SOFTIRQ, NULL);
}

KTEST(softirq, bh_disable_defers_and_enable_runs)
{
	reset(test_action);
	local_bh_disable();
	KASSERT(in_softirq() && !in_serving_softirq() && in_interrupt());
	raise_softirq(TEST_SOFTIRQ);
	/* Three ticks: each interrupt's exit sees bottom halves off. */
	udelay(3 * TICK_NSEC / NSEC_PER_USEC);
	KASSERT_EQ(atomic_read(&runs), 0);
	KASSERT(local_softirq_pending() & (1u << TEST_SOFTIRQ));
	local_bh_enable();			/* runs it, here and now */
	KASSERT_EQ(atomic_read(&runs), 1);
	KASSERT_EQ(atomic_read(&in_ksoftirqd), 0);
	KASSERT_EQ(atomic_read(&bad_context), 0);
	KASSERT(!in_softirq());
	/* Nested: only the outermost enable runs them. */
	local_bh_disable();
	local_bh_disable();
	raise_softirq(TEST_SOFTIRQ);
	local_bh_enable();
	KASSERT_EQ(atomic_read(&runs), 1);
	local_bh_enable();
	KASSERT_EQ(atomic_read(&runs), 2);
	open_softirq(TEST_SOFTIRQ, NULL);
}

/* Raises itself again until told to stop: a softirq storm. */
static void storm_action(struct softirq_action *a)
{
	(void)a;
	atomic_inc(&runs);
	if (in_ksoftirqd_thread())
		atomic_inc(&in_ksoftirqd);
	if (!atomic_read(&storm_stop))
		raise_softirq(TEST_SOFTIRQ);
}

/* Runs fn(arg) in a thread bound to cpu and waits for it. */
static int run_bound(int (*fn)(void *), void *arg, int cpu)
{
	struct task_struct *t = ktest_kthread_create(fn, arg, "bound/%d", cpu);

	if (!t)
		return -1;
	kthread_bind(t, cpu);
	wake_up_process(t);
	return ktest_join(t);
}

static int storm_on_this_cpu(void *arg)
{
	int cpu = smp_processor_id();	/* bound: it stays */
	unsigned long deferred = softirq_deferred(cpu);

	(void)arg;
	local_bh_disable();
	raise_softirq(TEST_SOFTIRQ);
	local_bh_enable();	/* ten rounds here, then ksoftirqd/cpu */
	/* This thread shares the CPU with the storm and still gets it. */
	for (int i = 0; i < 20; i++)
		msleep(1);
	atomic_set(&storm_stop, 1);
	msleep(20);
	return softirq_deferred(cpu) > deferred;
}

KTEST(softirq, storm_goes_to_ksoftirqd_and_threads_still_run)
{
	int cpu = nth_online_cpu(num_online_cpus() - 1);

	reset(storm_action);
	atomic_set(&storm_stop, 0);
	KASSERT_MSG(run_bound(storm_on_this_cpu, NULL, cpu) == 1,
		    "the storm was never handed to ksoftirqd/%d", cpu);
	KASSERT_GT(atomic_read(&in_ksoftirqd), 0);
	KASSERT_GT(atomic_read(&runs), MAX_SOFTIRQ_RESTART);
	ktest_info("storm: %d runs, %d in ksoftirqd/%d\n", atomic_read(&runs),
		   atomic_read(&in_ksoftirqd), cpu);
	open_softirq(TEST_SOFTIRQ, NULL);
}

/* ---- timers run in the timer softirq ---- */

static atomic_t timer_runs, timer_bad;

static unsigned long timer_softirq_runs(void)
{
	unsigned long n = 0;

	for (int i = 0; i < num_online_cpus(); i++)
		n += softirq_runs(nth_online_cpu(i), TIMER_SOFTIRQ);
	return n;
}

static void softirq_timer_fn(struct timer_list *t)
{
	if (!in_serving_softirq() || in_hardirq() || irqs_disabled())
		atomic_inc(&timer_bad);
	if (atomic_inc_return(&timer_runs) < 5)
		mod_timer(t, jiffies + 1);
}

KTEST(timer, callback_runs_in_softirq)
{
	struct timer_list t;
	unsigned long before = timer_softirq_runs();

	atomic_set(&timer_runs, 0);
	atomic_set(&timer_bad, 0);
	timer_setup(&t, softirq_timer_fn, 0);
	mod_timer(&t, jiffies + 1);
	for (int i = 0; i < 1000 && atomic_read(&timer_runs) < 5; i++)
		msleep(1);
	del_timer_sync(&t);
	KASSERT_EQ(atomic_read(&timer_runs), 5);
	KASSERT_EQ(atomic_read(&timer_bad), 0);
	KASSERT_GE(timer_softirq_runs(), before + 5);
}

/* ---- tasklets ---- */

static struct tasklet_struct shared_tasklet;
static atomic_t tl_running, tl_overlap, tl_runs, tl_bad, tl_scheduled, tl_seen;

static void shared_fn(struct tasklet_struct *t)
{
	(void)t;
	/* Read before anything: a schedule after this must run us again. */
	int seen = atomic_read(&tl_scheduled);
	if (atomic_xchg(&tl_running, 1))
		atomic_inc(&tl_overlap);
	if (!in_serving_softirq() || irqs_disabled())
		atomic_inc(&tl_bad);
	udelay(200);			/* a wide window for a second CPU */
	if (seen > atomic_read(&tl_seen))
		atomic_set(&tl_seen, seen);
	atomic_set(&tl_running, 0);
	atomic_inc(&tl_runs);
}

static void schedule_many(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int i = 0; i < 500; i++) {
		atomic_inc(&tl_scheduled);
		tasklet_schedule(&shared_tasklet);
		udelay(i % 7);
		if (i % 32 == 0)
			cond_resched();
	}
}

static void tasklet_reset(void)
{
	atomic_set(&tl_running, 0);
	atomic_set(&tl_overlap, 0);
	atomic_set(&tl_runs, 0);
	atomic_set(&tl_bad, 0);
	atomic_set(&tl_scheduled, 0);
	atomic_set(&tl_seen, 0);
	tasklet_setup(&shared_tasklet, shared_fn);
}

KTEST(tasklet, one_tasklet_never_runs_on_two_cpus)
{
	tasklet_reset();
	KASSERT_EQ(ktest_run_on_all_cpus(schedule_many, NULL, true), num_online_cpus());
	tasklet_kill(&shared_tasklet);
	int n = 500 * num_online_cpus();
	KASSERT_EQ(atomic_read(&tl_overlap), 0);
	KASSERT_EQ(atomic_read(&tl_bad), 0);
	KASSERT_GT(atomic_read(&tl_runs), 0);
	KASSERT_LE(atomic_read(&tl_runs), n);
	/* It ran after the last schedule: nothing scheduled was lost. */
	KASSERT_EQ(atomic_read(&tl_seen), n);
	ktest_info("%d runs for %d schedules\n", atomic_read(&tl_runs), n);
}

KTEST(tasklet, disabled_waits_until_enabled)
{
	tasklet_reset();
	tasklet_disable(&shared_tasklet);
	atomic_inc(&tl_scheduled);
	tasklet_schedule(&shared_tasklet);
	msleep(30);
	KASSERT_EQ(atomic_read(&tl_runs), 0);
	KASSERT(test_bit(TASKLET_STATE_SCHED, &shared_tasklet.state));
	tasklet_enable(&shared_tasklet);
	for (int i = 0; i < 1000 && !atomic_read(&tl_runs); i++)
		msleep(1);
	KASSERT_EQ(atomic_read(&tl_runs), 1);
	tasklet_kill(&shared_tasklet);
}

static atomic_t slow_started, slow_done;

static void slow_fn(struct tasklet_struct *t)
{
	(void)t;
	atomic_set(&slow_started, 1);
	udelay(20000);
	atomic_set(&slow_done, 1);
}

static int schedule_slow(void *arg)
{
	tasklet_schedule(arg);
	return 0;
}

static int disable_while_running(void *arg)
{
	struct tasklet_struct *t = arg;

	while (!atomic_read(&slow_started))
		cpu_relax();
	tasklet_disable(t);		/* returns only once slow_fn did */
	int done = atomic_read(&slow_done);
	tasklet_enable(t);
	return done;
}

KTEST(tasklet, disable_waits_for_the_running_callback)
{
	struct tasklet_struct t;

	if (num_online_cpus() < 2) {
		ktest_info("needs two CPUs\n");
		return;
	}
	atomic_set(&slow_started, 0);
	atomic_set(&slow_done, 0);
	tasklet_setup(&t, slow_fn);
	struct task_struct *k = ktest_kthread_create(schedule_slow, &t, "tl-sched");
	KASSERT(k);
	kthread_bind(k, nth_online_cpu(1));
	wake_up_process(k);
	KASSERT_EQ(run_bound(disable_while_running, &t, nth_online_cpu(0)), 1);
	tasklet_kill(&t);
	ktest_join(k);
}

static unsigned long old_data;

static void old_fn(unsigned long data)
{
	old_data = data;
}

KTEST(tasklet, old_interface_and_kill)
{
	struct tasklet_struct t;

	old_data = 0;
	tasklet_init(&t, old_fn, 42);
	tasklet_hi_schedule(&t);
	tasklet_kill(&t);		/* waits until it ran */
	KASSERT_EQ(old_data, 42);
	KASSERT(!test_bit(TASKLET_STATE_SCHED, &t.state));
	KASSERT(!test_bit(TASKLET_STATE_RUN, &t.state));
}

/* ---- sleeping in a softirq ---- */

static void sleepy_action(struct softirq_action *a)
{
	(void)a;
	msleep(1);
}

KTEST(softirq, sleeping_in_a_softirq_is_reported)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();
	open_softirq(TEST_SOFTIRQ, sleepy_action);
	local_bh_disable();
	raise_softirq(TEST_SOFTIRQ);
	local_bh_enable();		/* runs it here, in this thread */
	open_softirq(TEST_SOFTIRQ, NULL);
	KASSERT(ktest_log_contains(mark, "BUG: scheduling while atomic"));
	KASSERT(!in_softirq());
}
