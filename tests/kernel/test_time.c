/*
 * test_time.c - jiffies, timeouts and timers keep Linux's units and
 * contracts: every timeout in jiffies, timer callbacks that may re-arm
 * themselves (no lock held while they run), del_timer() that does not
 * wait and del_timer_sync() that does; smp_processor_id() in preemptible
 * code reported as CONFIG_DEBUG_PREEMPT does.
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/jiffies.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/atomic.h"

KTEST(jiffies, compare_across_the_wrap)
{
	unsigned long before_wrap = ~0UL - 5, after_wrap = 10;

	/* < would say the opposite: the signed difference is what counts. */
	KASSERT(time_after(after_wrap, before_wrap));
	KASSERT(time_before(before_wrap, after_wrap));
	KASSERT(time_after_eq(after_wrap, after_wrap));
	KASSERT(time_in_range(0UL, before_wrap, after_wrap));
	/* As in Linux, the count starts 5 minutes before its low 32 bits
	 * wrap: code that keeps jiffies in an int breaks early, not in 49 days. */
	KASSERT_EQ((unsigned int)(INITIAL_JIFFIES + 300 * HZ), 0);
	KASSERT(time_after_eq(jiffies, INITIAL_JIFFIES));
}

KTEST(jiffies, conversions_round_up)
{
	KASSERT_EQ(msecs_to_jiffies(1000), HZ);
	KASSERT_EQ(msecs_to_jiffies(0), 0);
	KASSERT_GE(msecs_to_jiffies(1), 1);		/* never shorter than asked */
	KASSERT_EQ(jiffies_to_msecs(HZ), 1000);
	KASSERT_EQ(usecs_to_jiffies(1), 1);
	KASSERT_EQ(jiffies_to_usecs(HZ / 2), 500000);
}

KTEST(jiffies, follow_the_clock)
{
	unsigned long j0 = jiffies;
	uint64_t t0 = ktime_get_ns();

	msleep(200);
	long ticks = (long)(jiffies - j0);
	uint64_t ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	/* HZ a second, give or take the tick in progress at each end. */
	KASSERT_GE(ticks, (long)msecs_to_jiffies((unsigned int)ms) - 2);
	KASSERT_LE(ticks, (long)msecs_to_jiffies((unsigned int)ms) + 2);
}

/* ---- schedule_timeout and the waits: jiffies in, jiffies out ---- */

static struct task_struct *sleeper;

static void wake_sleeper(struct timer_list *t)
{
	(void)t;
	wake_up_process(sleeper);
}

KTEST(timeout, schedule_timeout_returns_jiffies_left)
{
	struct timer_list early;

	/* Runs out: 0, after at least timeout - 1 ticks. */
	uint64_t t0 = ktime_get_ns();
	set_current_state(TASK_UNINTERRUPTIBLE);
	KASSERT_EQ(schedule_timeout(HZ / 20), 0);
	KASSERT_GE(ktime_get_ns() - t0, (HZ / 20 - 1) * TICK_NSEC);
	/* Woken early (a timer after ~10 ms): what was left of one second. */
	sleeper = current;
	timer_setup(&early, wake_sleeper, 0);
	mod_timer(&early, jiffies + msecs_to_jiffies(10));
	set_current_state(TASK_UNINTERRUPTIBLE);
	long left = schedule_timeout(HZ);
	del_timer_sync(&early);
	KASSERT_GT(left, HZ / 2);
	KASSERT_LT(left, HZ);
	/* Without a sleeping state it returns at once, as in Linux. */
	KASSERT_GT(schedule_timeout(HZ), HZ - 2);
}

static DECLARE_COMPLETION(later);

static void complete_later(struct timer_list *t)
{
	(void)t;
	complete(&later);
}

KTEST(timeout, wait_for_completion_timeout_in_jiffies)
{
	struct timer_list t;
	uint64_t t0 = ktime_get_ns();

	reinit_completion(&later);
	KASSERT_EQ(wait_for_completion_timeout(&later, HZ / 10), 0);
	uint64_t waited = ktime_get_ns() - t0;
	KASSERT_GE(waited, (HZ / 10 - 1) * TICK_NSEC);	/* ~100 ms, not 100 ns */
	timer_setup(&t, complete_later, 0);
	mod_timer(&t, jiffies + 2);
	unsigned long left = wait_for_completion_timeout(&later, 10 * HZ);
	del_timer_sync(&t);
	KASSERT_GT(left, 9 * HZ);
	KASSERT_LE(left, 10 * HZ);
	complete(&later);
	KASSERT_GE(wait_for_completion_timeout(&later, 0), 1);	/* done: at least 1 */
}

/* ---- timers ---- */

struct rearming {
	struct timer_list timer;
	atomic_t runs;
	int cpu;
};

/* Re-arms itself: would deadlock (or panic with "spinlock recursion") if
 * the timer lock were held while it runs. */
static void rearm_fn(struct timer_list *t)
{
	struct rearming *r = from_timer(r, t, timer);

	r->cpu = raw_smp_processor_id();
	if (atomic_add_return(1, &r->runs) < 5)
		mod_timer(t, jiffies + 1);
}

KTEST(timer, callback_may_rearm_itself)
{
	struct rearming r = { .runs = ATOMIC_INIT(0) };

	timer_setup(&r.timer, rearm_fn, 0);
	KASSERT_EQ(mod_timer(&r.timer, jiffies + 1), 0);	/* was not pending */
	for (int i = 0; i < 1000 && atomic_read(&r.runs) < 5; i++)
		msleep(1);
	del_timer_sync(&r.timer);
	KASSERT_EQ(atomic_read(&r.runs), 5);
	KASSERT(!timer_pending(&r.timer));
}

KTEST(timer, pending_and_delete_return_values)
{
	struct rearming r = { .runs = ATOMIC_INIT(0) };

	timer_setup(&r.timer, rearm_fn, 0);
	KASSERT_EQ(del_timer(&r.timer), 0);			/* never armed */
	KASSERT_EQ(mod_timer(&r.timer, jiffies + HZ), 0);
	KASSERT(timer_pending(&r.timer));
	KASSERT_EQ(mod_timer(&r.timer, jiffies + 2 * HZ), 1);	/* re-armed */
	KASSERT_EQ(timer_delete(&r.timer), 1);
	KASSERT_EQ(timer_delete_sync(&r.timer), 0);
	KASSERT_EQ(atomic_read(&r.runs), 0);
	r.timer.expires = jiffies + HZ;
	add_timer(&r.timer);
	KASSERT(timer_pending(&r.timer));
	KASSERT_EQ(timer_shutdown_sync(&r.timer), 1);
	KASSERT_EQ(mod_timer(&r.timer, jiffies + 1), 0);	/* shut down: no effect */
	KASSERT(!timer_pending(&r.timer));
}

/* del_timer_sync() returns only once a running callback has finished;
 * del_timer() does not wait. */
struct slow_timer {
	struct timer_list timer;
	int started, finished;
};

static void slow_fn(struct timer_list *t)
{
	struct slow_timer *s = from_timer(s, t, timer);

	WRITE_ONCE(s->started, 1);
	mdelay(30);
	WRITE_ONCE(s->finished, 1);
}

KTEST(timer, del_timer_sync_waits_for_the_callback)
{
	struct slow_timer s = { 0 };

	if (num_online_cpus() < 2) {
		ktest_info("needs a second CPU to run the callback on\n");
		return;
	}
	/* We stay on this CPU (preemption off), the callback runs on another. */
	preempt_disable();
	int me = smp_processor_id(), other = nth_online_cpu(0);
	if (other == me)
		other = nth_online_cpu(1);
	timer_setup(&s.timer, slow_fn, 0);
	s.timer.expires = jiffies + 1;
	add_timer_on(&s.timer, other);
	while (!READ_ONCE(s.started))
		cpu_relax();
	int pending = del_timer(&s.timer);
	bool finished_early = READ_ONCE(s.finished);
	int sync_pending = del_timer_sync(&s.timer);
	preempt_enable();
	KASSERT_EQ(pending, 0);				/* running, not pending */
	KASSERT(!finished_early);			/* del_timer() did not wait */
	KASSERT_EQ(sync_pending, 0);
	KASSERT(READ_ONCE(s.finished));				/* waited */
}

/* ---- CONFIG_DEBUG_PREEMPT ---- */

static int bound_cpu_fn(void *arg)
{
	(void)arg;
	return smp_processor_id();		/* bound: fine */
}

KTEST(debug_preempt, smp_processor_id_in_preemptible_code)
{
	unsigned long mark = ktest_log_mark();
	unsigned int before = warn_count();

	if (!IS_ENABLED(CONFIG_DEBUG_PREEMPT)) {
		ktest_info("RELEASE build: smp_processor_id() is not checked\n");
		return;
	}
	preempt_disable();
	(void)smp_processor_id();		/* fine: cannot migrate */
	preempt_enable();
	struct task_struct *t = ktest_kthread_create(bound_cpu_fn, NULL, "bound");
	KASSERT(t);
	kthread_bind(t, nth_online_cpu(0));
	wake_up_process(t);
	ktest_join(t);
	KASSERT_EQ(warn_count(), before);
	ktest_expect_warnings();
	(void)smp_processor_id();		/* planted: may migrate */
	KASSERT(ktest_log_contains(mark, "BUG: using smp_processor_id() in preemptible "
				   "[00000000] code: init/"));
	KASSERT_EQ(warn_count(), before + 1);
}
