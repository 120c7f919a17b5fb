/*
 * test_time.c - jiffies, timeouts and timers keep Linux's units and
 * contracts: every timeout in jiffies, timer callbacks that may re-arm
 * themselves (no lock held while they run), del_timer() that does not
 * wait and del_timer_sync() that does; smp_processor_id() in preemptible
 * code reported as CONFIG_DEBUG_PREEMPT does.
 */
#include "tests/ktest.h"
#include "arch/x86/irqflags.h"
#include "kernel/delay_hook.h"
#include "kernel/cpumask.h"
#include "kernel/jiffies.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "kernel/smp.h"
#include "sync/barrier.h"
#include "sched/preempt.h"

KTEST(jiffies, compare_across_the_wrap)
{
	unsigned long before_wrap = ~0UL - 5, after_wrap = 10;

	/* < would say the opposite: the signed difference is what counts. */
	KASSERT(time_after(after_wrap, before_wrap));
	KASSERT(time_before(before_wrap, after_wrap));
	KASSERT(time_after_eq(after_wrap, after_wrap));
	/* Equal times: neither after nor before, and both _eq. */
	for (unsigned long x = ~0UL - 2; x != 3; x++) {
		KASSERT(!time_after(x, x));
		KASSERT(!time_before(x, x));
		KASSERT(time_after_eq(x, x));
		KASSERT(time_before_eq(x, x));
		KASSERT(time_after(x + 1, x) && time_before(x, x + 1));
		KASSERT(!time_after_eq(x, x + 1) && !time_before_eq(x + 1, x));
	}
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
	int started, go, finished;
};

/* Runs until the test says go (at most 5 s): not for a fixed 30 ms,
 * which a host that pauses the test's vCPU longer turned into "finished
 * before del_timer() looked" on a busy host. */
static void slow_fn(struct timer_list *t)
{
	struct slow_timer *s = from_timer(s, t, timer);
	uint64_t end = ktime_get_ns() + 5 * NSEC_PER_SEC;

	WRITE_ONCE(s->started, 1);
	while (!READ_ONCE(s->go) && ktime_get_ns() < end)
		cpu_relax();
	mdelay(10);			/* del_timer_sync() has to wait this */
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
	WRITE_ONCE(s.go, 1);
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

/* ---- when and where a timer runs ---- */

/*
 * A timer armed for jiffies + 1 runs on the first tick it can: never
 * before jiffies reaches that value, and at the first tick of its CPU
 * that sees it reached: the tick before the one it ran at saw jiffies
 * still short of it. (Not "within 2 ticks": ticks of different CPUs are
 * not in step, and a host that holds a vCPU back delivers the ticks it
 * missed back to back.) A tick hook of this test notes what each tick
 * saw.
 */
struct when {
	struct timer_list timer;
	unsigned long jiffies_seen, prev_tick_jiffies;
	int cpu;
	bool ran;
};

static DEFINE_PER_CPU(unsigned long, tick_jiffies_prev);
static DEFINE_PER_CPU(unsigned long, tick_jiffies_now);

static void note_tick_jiffies(void)
{
	this_cpu_write(tick_jiffies_prev, this_cpu_read(tick_jiffies_now));
	this_cpu_write(tick_jiffies_now, jiffies);
}

static void when_fn(struct timer_list *t)
{
	struct when *w = from_timer(w, t, timer);

	w->jiffies_seen = jiffies;
	w->prev_tick_jiffies = this_cpu_read(tick_jiffies_prev);
	w->cpu = raw_smp_processor_id();
	smp_store_release(&w->ran, true);
}

KTEST(timer, jiffies_plus_one_runs_at_the_first_tick_it_can)
{
	static bool hooked;

	if (!hooked) {
		register_tick_hook(note_tick_jiffies);
		hooked = true;
		msleep(5);		/* every CPU's hook has run twice */
	}
	for (int i = 0; i < 20; i++) {
		struct when w = { 0 };
		unsigned long flags;
		timer_setup(&w.timer, when_fn, 0);
		local_irq_save(flags);		/* no tick between the two */
		unsigned long j0 = jiffies;
		int cpu = smp_processor_id();
		mod_timer(&w.timer, j0 + 1);
		local_irq_restore(flags);
		while (!smp_load_acquire(&w.ran))
			msleep(1);
		KASSERT_EQ(w.cpu, cpu);
		KASSERT_MSG(time_after_eq(w.jiffies_seen, j0 + 1),
			    "ran early: at jiffies %lu, armed for %lu", w.jiffies_seen, j0 + 1);
		KASSERT_MSG(time_before(w.prev_tick_jiffies, j0 + 1), "ran late: the tick before "
			    "already saw jiffies %lu, armed for %lu", w.prev_tick_jiffies, j0 + 1);
	}
}

/*
 * A callback that re-arms its timer for the current jiffy runs again at
 * the next tick, not again and again in the same one: one pass of the
 * timer softirq runs what had expired when it began (Linux's wheel
 * runs a tick's bucket). Before: 45 000 runs in 100 jiffies, the CPU
 * starved.
 */
static atomic_t now_runs;
static bool now_stop;

static void rearm_now_fn(struct timer_list *t)
{
	atomic_inc(&now_runs);
	if (!READ_ONCE(now_stop))
		mod_timer(t, jiffies);
}

KTEST(timer, rearmed_for_now_runs_at_the_next_tick)
{
	struct timer_list t;

	atomic_set(&now_runs, 0);
	WRITE_ONCE(now_stop, false);
	timer_setup(&t, rearm_now_fn, 0);
	unsigned long j0 = jiffies;
	mod_timer(&t, j0);
	msleep(50);
	WRITE_ONCE(now_stop, true);
	del_timer_sync(&t);
	long ticks = (long)(jiffies - j0);
	int runs = atomic_read(&now_runs);
	KASSERT_GT(runs, 0);
	/* At most once per tick of its CPU (ticks come at HZ, jiffies
	 * follow the clock: a tick swallowed by the host catches up). */
	KASSERT_MSG(runs <= ticks + 2, "%d runs in %ld jiffies", runs, ticks);
	ktest_info("%d runs in %ld jiffies\n", runs, ticks);
}

/*
 * add_timer_on(t, cpu) runs the callback on `cpu`, wherever t ran before;
 * mod_timer() of a pinned timer from another CPU moves it there (Linux:
 * the calling CPU's base, TIMER_PINNED or not, when it is not running).
 * Before: once armed, a timer stayed on its first CPU for ever.
 */
static void add_on_pinned_ipi(void *arg)
{
	struct when *w = arg;

	w->ran = false;
	mod_timer(&w->timer, jiffies + 1);	/* from this CPU: here */
}

KTEST(timer, add_timer_on_and_mod_timer_move_the_timer)
{
	struct when w = { 0 };
	int n = num_online_cpus();

	timer_setup(&w.timer, when_fn, TIMER_PINNED);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < n; i++) {
			int cpu = nth_online_cpu(round ? n - 1 - i : i);
			w.ran = false;
			w.timer.expires = jiffies + 1;
			add_timer_on(&w.timer, cpu);
			while (!smp_load_acquire(&w.ran))
				msleep(1);
			KASSERT_MSG(w.cpu == cpu, "add_timer_on(t, %d) ran on CPU%d", cpu, w.cpu);
		}
	for (int i = 0; i < n; i++) {
		int cpu = nth_online_cpu(i);
		KASSERT_EQ(smp_call_function_single(cpu, add_on_pinned_ipi, &w, true), 0);
		while (!smp_load_acquire(&w.ran))
			msleep(1);
		KASSERT_MSG(w.cpu == cpu, "mod_timer() on CPU%d ran on CPU%d", cpu, w.cpu);
	}
	del_timer_sync(&w.timer);
}

/*
 * del_timer_sync() of a TIMER_IRQSAFE timer may be called from a hard
 * interrupt, as in Linux: its callback runs with interrupts off, so the
 * interrupted code is never that callback. Before: a WARNING for any
 * timer. (A plain timer there is still reported: its callback may be
 * the softirq this interrupt interrupted.)
 */
static void del_sync_ipi(void *arg)
{
	struct when *w = arg;

	w->ran = in_hardirq();
	del_timer_sync(&w->timer);
}

KTEST(timer, del_timer_sync_from_a_hard_irq_for_an_irqsafe_timer)
{
	struct when w = { 0 };
	int other = nth_online_cpu(num_online_cpus() - 1);

	if (num_online_cpus() < 2) {
		ktest_info("needs a second CPU to interrupt\n");
		return;
	}
	if (other == raw_smp_processor_id())
		other = nth_online_cpu(0);
	timer_setup(&w.timer, when_fn, TIMER_IRQSAFE);
	mod_timer(&w.timer, jiffies + 10 * HZ);
	KASSERT_EQ(smp_call_function_single(other, del_sync_ipi, &w, true), 0);
	KASSERT(w.ran);				/* it ran in a hard interrupt */
	KASSERT(!timer_pending(&w.timer));
}

/*
 * Moving timers stay consistent: threads on every CPU re-arm and delete
 * one timer for 300 ms while its callback re-arms it too, each mod_timer()
 * from another CPU moving it there, and each move is held on neither list
 * for 50 us (timer_migrating). The callback never runs twice at once
 * (mod_timer() leaves a running timer where it is), del_timer_sync()
 * leaves it idle, and it ran at least once per CPU that armed it last.
 */
static struct timer_list mig_timer;
static atomic_t mig_inside, mig_overlap, mig_runs;
static bool mig_stop;

static void mig_fn(struct timer_list *t)
{
	if (atomic_xchg(&mig_inside, 1))
		atomic_inc(&mig_overlap);
	udelay(20);
	atomic_inc(&mig_runs);
	atomic_set(&mig_inside, 0);
	if (!READ_ONCE(mig_stop))
		mod_timer(t, jiffies + 1);
}

static void mig_hammer(int idx, void *arg)
{
	(void)arg;
	for (int i = 0; !READ_ONCE(mig_stop); i++) {
		if ((i + idx) % 3 == 0)
			del_timer(&mig_timer);
		else
			mod_timer(&mig_timer, jiffies + 1 + (i % 2));
		udelay(50 + 10 * idx);
		if (i % 8 == 0)
			cond_resched();
	}
}

/* At least 300 ms, then until the callback ran a few times and (on SMP)
 * the timer moved: hammers that re-arm it faster than it expires, on a
 * busy host, may keep it from running for a while (up to 20 s). */
static int mig_stopper(void *arg)
{
	uint64_t t0 = ktime_get_ns();

	(void)arg;
	msleep(300);
	while (ktime_get_ns() - t0 < 20 * NSEC_PER_SEC &&
	       (atomic_read(&mig_runs) < 5 ||
		(num_online_cpus() > 1 && delay_hook_hits(&delay_hook_timer_migrating) == 0)))
		msleep(10);
	WRITE_ONCE(mig_stop, true);
	return 0;
}

KTEST(timer, moving_timers_stay_consistent)
{
	atomic_set(&mig_inside, 0);
	atomic_set(&mig_overlap, 0);
	atomic_set(&mig_runs, 0);
	WRITE_ONCE(mig_stop, false);
	timer_setup(&mig_timer, mig_fn, 0);
	delay_hook_set(&delay_hook_timer_migrating, 50, &mig_timer);
	struct task_struct *s = ktest_kthread_run(mig_stopper, NULL, "mig-stop");
	KASSERT(s != NULL);
	int n = ktest_run_on_all_cpus(mig_hammer, NULL, true);
	ktest_join(s);
	int moves = delay_hook_hits(&delay_hook_timer_migrating);
	delay_hook_set(&delay_hook_timer_migrating, 0, NULL);
	del_timer_sync(&mig_timer);
	KASSERT_EQ(n, num_online_cpus());
	KASSERT(!timer_pending(&mig_timer));
	KASSERT_EQ(atomic_read(&mig_inside), 0);
	KASSERT_EQ(atomic_read(&mig_overlap), 0);
	KASSERT_GT(atomic_read(&mig_runs), 0);
	if (n > 1)
		KASSERT_GT(moves, 0);
	ktest_info("%d runs, %d moves between CPUs\n", atomic_read(&mig_runs), moves);
}
