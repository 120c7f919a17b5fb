/*
 * test_hrtimer.c - high-resolution timers keep Linux's contract
 * (kernel/hrtimer.h), on every CPU at once: never early, sub-tick
 * resolution, hard-irq context on the starting CPU, periodic timers that
 * count their overruns, expiry order, try_to_cancel's -1, a running timer
 * that stays on its CPU, and hrtimer_cancel() that no self-re-arming
 * callback can outlive.
 *
 * The host may deschedule a vCPU for a second at any time: "never early"
 * is asserted for every timer, "on time" only statistically.
 */
#include "tests/ktest.h"
#include "arch/x86/irqflags.h"
#include "kernel/cpumask.h"
#include "kernel/delay_hook.h"
#include "kernel/hrtimer.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "sched/preempt.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/barrier.h"

/* One shot, remembering where, when and how its callback ran. */
struct shot {
	struct hrtimer timer;
	ktime_t fired_at;
	int cpu;
	bool hardirq, irqs_off;
	bool fired;
};

static enum hrtimer_restart shot_fn(struct hrtimer *t)
{
	struct shot *s = container_of(t, struct shot, timer);

	s->fired_at = (ktime_t)ktime_get_ns();
	s->cpu = smp_processor_id();
	s->hardirq = in_hardirq();
	s->irqs_off = irqs_disabled();
	smp_store_release(&s->fired, true);
	return HRTIMER_NORESTART;
}

/* Wait for the shot, at most 5 s (a descheduled vCPU is slow, not lost). */
static bool wait_shot(struct shot *s)
{
	uint64_t t0 = ktime_get_ns();

	while (!smp_load_acquire(&s->fired))
		if (ktime_get_ns() - t0 > 5 * NSEC_PER_SEC)
			return false;
	return true;
}

/* ---- never early, and sub-tick ---- */

#define SHOTS 100
#define SHOT_NS (100 * NSEC_PER_USEC)
/* Lateness buckets, in us: <10 <25 <50 <100 <250 <500 <1000 >=1000. */
static const unsigned int bucket_us[] = { 10, 25, 50, 100, 250, 500, 1000 };
#define NBUCKETS 8
static atomic_t late_hist[NBUCKETS];
static atomic_t sub_tick, shots_done;

static void note_lateness(ktime_t late)
{
	int b = 0;

	while (b < NBUCKETS - 1 && late >= (ktime_t)bucket_us[b] * 1000)
		b++;
	atomic_inc(&late_hist[b]);
}

/*
 * Each shot is armed just after this CPU's tick, for 100 us. Ticks come
 * at multiples of TICK_NSEC (kernel/timer.c), so a timer that waits for
 * a tick never runs before the next multiple; an hrtimer runs about
 * 100 us after arming. "A quarter tick before the next multiple" then
 * tells them apart, even if the APIC runs a little fast.
 */
static void shots_on_cpu(int idx, void *arg)
{
	(void)arg;
	for (int i = 0; i < SHOTS && !ktest_failed(); i++) {
		struct shot s = { 0 };
		hrtimer_init(&s.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		s.timer.function = shot_fn;
		uint64_t tick0 = this_cpu_read(tick_count);
		while (this_cpu_read(tick_count) == tick0)
			cpu_relax();
		int cpu = smp_processor_id();
		ktime_t armed = (ktime_t)ktime_get_ns();
		hrtimer_start(&s.timer, SHOT_NS, HRTIMER_MODE_REL);
		ktime_t due = hrtimer_get_expires(&s.timer);
		if (due < armed + (ktime_t)SHOT_NS) {
			KTEST_FAIL("CPU%d: REL 100 us set the expiry %lld ns after arming", cpu,
				   (long long)(due - armed));
			return;
		}
		if (!wait_shot(&s)) {
			KTEST_FAIL("CPU%d: a 100 us hrtimer did not fire in 5 s", cpu);
			hrtimer_cancel(&s.timer);
			return;
		}
		if (s.fired_at < due)
			KTEST_FAIL("CPU%d: fired %lld ns early", cpu, (long long)(due - s.fired_at));
		if (s.cpu != cpu || !s.hardirq || !s.irqs_off)
			KTEST_FAIL("CPU%d: callback on CPU%d, in_hardirq %d, irqs_disabled %d", cpu,
				   s.cpu, s.hardirq, s.irqs_off);
		if (hrtimer_active(&s.timer))
			KTEST_FAIL("CPU%d: still active after a NORESTART callback", cpu);
		note_lateness(s.fired_at - due);
		ktime_t next_tick = (armed / (ktime_t)TICK_NSEC + 1) * (ktime_t)TICK_NSEC;
		if (s.fired_at < next_tick - (ktime_t)TICK_NSEC / 4)
			atomic_inc(&sub_tick);
		atomic_inc(&shots_done);
		(void)idx;
	}
}

KTEST(hrtimer, never_early_and_sub_tick)
{
	for (int b = 0; b < NBUCKETS; b++)
		atomic_set(&late_hist[b], 0);
	atomic_set(&sub_tick, 0);
	atomic_set(&shots_done, 0);
	KASSERT(ktest_run_on_all_cpus(shots_on_cpu, NULL, true) > 0);
	if (ktest_failed())
		return;
	int n = atomic_read(&shots_done), fast = atomic_read(&sub_tick);
	ktest_info("%d shots of 100 us armed after a tick: %d fired over a quarter tick "
		   "before the next (HZ=%d); lateness us <10:%d <25:%d <50:%d <100:%d <250:%d <500:%d "
		   "<1000:%d more:%d\n", n, fast, HZ,
		   atomic_read(&late_hist[0]), atomic_read(&late_hist[1]),
		   atomic_read(&late_hist[2]), atomic_read(&late_hist[3]),
		   atomic_read(&late_hist[4]), atomic_read(&late_hist[5]),
		   atomic_read(&late_hist[6]), atomic_read(&late_hist[7]));
	/* A timer run by the tick never does. One in 20 is a low bar for a
	 * real hrtimer even when the host deschedules vCPUs often (8 vCPUs
	 * on 2 busy cores: a third of them). */
	KASSERT_MSG(fast >= n / 20 && fast > 0, "only %d of %d 100 us timers fired over a "
		    "quarter tick before the next tick: expiry rounded to ticks?", fast, n);
}

/* ---- context: from any context, on the starting CPU, hard irq ---- */

static void start_shot_ipi(void *arg)
{
	struct shot *s = arg;

	hrtimer_start(&s->timer, 50 * NSEC_PER_USEC, HRTIMER_MODE_REL_PINNED);
}

KTEST(hrtimer, callback_in_hard_irq_on_the_starting_cpu)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct shot s = { 0 };
		hrtimer_setup(&s.timer, shot_fn, CLOCK_BOOTTIME, HRTIMER_MODE_REL_PINNED_HARD);
		/* Started from an interrupt on that CPU. */
		KASSERT_EQ(smp_call_function_single(cpu, start_shot_ipi, &s, true), 0);
		KASSERT_MSG(wait_shot(&s), "CPU%d: no callback in 5 s", cpu);
		KASSERT_MSG(s.cpu == cpu, "started on CPU%d, ran on CPU%d", cpu, s.cpu);
		KASSERT(s.hardirq);
		KASSERT(s.irqs_off);
		KASSERT_EQ(hrtimer_cancel(&s.timer), 0);	/* idle: 0 */
	}
	/* ABS in the past runs at once; cancel of a queued timer returns 1. */
	struct shot s = { 0 };
	hrtimer_init(&s.timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	s.timer.function = shot_fn;
	hrtimer_start(&s.timer, 10 * NSEC_PER_SEC + (ktime_t)ktime_get_ns(), HRTIMER_MODE_ABS);
	KASSERT(hrtimer_is_queued(&s.timer));
	KASSERT(hrtimer_active(&s.timer));
	KASSERT_GT(hrtimer_get_remaining(&s.timer), 9 * (ktime_t)NSEC_PER_SEC);
	KASSERT_EQ(hrtimer_try_to_cancel(&s.timer), 1);
	KASSERT_EQ(hrtimer_try_to_cancel(&s.timer), 0);
	KASSERT(!hrtimer_active(&s.timer));
	hrtimer_start(&s.timer, (ktime_t)ktime_get_ns() - 1000, HRTIMER_MODE_ABS);
	KASSERT(wait_shot(&s));
	KASSERT_EQ(hrtimer_cancel(&s.timer), 0);
}

/* ---- periodic: hrtimer_forward_now() counts the periods ---- */

#define PERIOD_NS (200 * NSEC_PER_USEC)

struct periodic {
	struct hrtimer timer;
	ktime_t first;			/* the first expiry */
	unsigned long long periods;	/* sum of hrtimer_forward_now() */
	unsigned long calls;
	int stall_at;			/* this call stalls 3 periods */
	unsigned long long stall_overruns;
	bool bad_forward;
	ktime_t bad_now, bad_exp;
};

static enum hrtimer_restart periodic_fn(struct hrtimer *t)
{
	struct periodic *p = container_of(t, struct periodic, timer);

	if (++p->calls == (unsigned long)p->stall_at)
		udelay(3 * PERIOD_NS / NSEC_PER_USEC);	/* interrupts off: 3 missed */
	ktime_t before = hrtimer_cb_get_time(t);
	unsigned long long n = hrtimer_forward_now(t, PERIOD_NS);
	ktime_t after = hrtimer_cb_get_time(t);
	ktime_t exp = hrtimer_get_expires(t);
	/* Forwarded to the first period boundary after the time it read
	 * (between before and after), no further. */
	if (n == 0 || exp <= before || exp - (ktime_t)PERIOD_NS > after) {
		p->bad_forward = true;
		p->bad_now = before;
		p->bad_exp = exp;
	}
	if (p->calls == (unsigned long)p->stall_at)
		p->stall_overruns = n;
	p->periods += n;
	return HRTIMER_RESTART;
}

static void periodic_on_cpu(int idx, void *arg)
{
	struct periodic p = { .stall_at = 10 + idx };

	(void)arg;
	hrtimer_setup(&p.timer, periodic_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	/* Interrupts off: the timer (queued on this CPU) cannot fire and be
	 * forwarded before its first expiry is read - a host that pauses this
	 * vCPU right after the start would otherwise make `first` late. */
	local_irq_disable();
	hrtimer_start(&p.timer, PERIOD_NS, HRTIMER_MODE_REL);
	p.first = hrtimer_get_expires(&p.timer);
	local_irq_enable();
	msleep(50);
	/* A paused vCPU takes one call for many periods: wait for a few. */
	for (int i = 0; i < 5000 && READ_ONCE(p.calls) <= (unsigned long)p.stall_at + 2; i++)
		msleep(1);
	KASSERT_EQ(hrtimer_cancel(&p.timer), 1);	/* it was queued */
	KASSERT(!hrtimer_active(&p.timer));
	KASSERT_MSG(!p.bad_forward, "CPU%d: forward from %lld put the expiry at %lld",
		    smp_processor_id(), (long long)p.bad_now, (long long)p.bad_exp);
	/* Every period between the first expiry and the last is counted
	 * exactly once, overruns included. */
	KASSERT_EQ(hrtimer_get_expires(&p.timer) - p.first,
		   (ktime_t)(p.periods * PERIOD_NS));
	KASSERT_LE(p.calls, p.periods);
	KASSERT_GT(p.calls, (unsigned long)p.stall_at);
	/* 600 us late with a 200 us period: 3 missed + the next = 4 or more. */
	KASSERT_MSG(p.stall_overruns >= 4, "CPU%d: a 3-period stall returned %llu",
		    smp_processor_id(), p.stall_overruns);
}

KTEST(hrtimer, periodic_forward_counts_overruns)
{
	KASSERT(ktest_run_on_all_cpus(periodic_on_cpu, NULL, true) > 0);
}

/* ---- many timers per CPU run in expiry order ---- */

#define MANY 64

struct ordered {
	struct hrtimer timer;
	int idx;
};

static struct {
	struct ordered t[MANY];
	ktime_t due[MANY];		/* in the order they ran */
	ktime_t fired[MANY];
	int cpu[MANY];
	int n;
} order_log[NR_CPUS];

static enum hrtimer_restart ordered_fn(struct hrtimer *t)
{
	struct ordered *o = container_of(t, struct ordered, timer);
	typeof(order_log[0]) *log = &order_log[o->idx];
	int i = log->n;

	log->due[i] = hrtimer_get_softexpires(t);
	log->fired[i] = (ktime_t)ktime_get_ns();
	log->cpu[i] = smp_processor_id();
	smp_store_release(&log->n, i + 1);
	return HRTIMER_NORESTART;
}

static void ordered_on_cpu(int idx, void *arg)
{
	typeof(order_log[0]) *log = &order_log[idx];
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(idx + 1);
	int cpu = smp_processor_id();

	(void)arg;
	log->n = 0;
	/* Random expiries within 2 ms, a few equal ones, started in random
	 * order relative to expiry; some restarted to a new time. */
	for (int i = 0; i < MANY; i++) {
		hrtimer_init(&log->t[i].timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
		log->t[i].timer.function = ordered_fn;
		log->t[i].idx = idx;
	}
	/* Interrupts off while arming: a host pause here must not let the
	 * first timers run before later-armed, earlier ones are queued. */
	unsigned long flags;
	local_irq_save(flags);
	ktime_t base = (ktime_t)ktime_get_ns() + 300 * (ktime_t)NSEC_PER_USEC;
	for (int i = 0; i < MANY; i++) {
		ktime_t at = base + (ktime_t)(ktest_rand(&seed) % (2 * NSEC_PER_MSEC));
		if (i % 8 == 1)
			at = hrtimer_get_expires(&log->t[i - 1].timer);	/* a tie */
		hrtimer_start(&log->t[i].timer, at, HRTIMER_MODE_ABS);
		if (i % 5 == 4)			/* restart an earlier one */
			hrtimer_start(&log->t[i - 2].timer,
				      base + (ktime_t)(ktest_rand(&seed) % (2 * NSEC_PER_MSEC)),
				      HRTIMER_MODE_ABS);
	}
	local_irq_restore(flags);
	uint64_t t0 = ktime_get_ns();
	while (smp_load_acquire(&log->n) < MANY && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC)
		cpu_relax();
	KASSERT_MSG(log->n == MANY, "CPU%d: %d of %d timers fired in 5 s", cpu, log->n, MANY);
	for (int i = 0; i < MANY; i++) {
		KASSERT_MSG(log->cpu[i] == cpu, "CPU%d's timer ran on CPU%d", cpu, log->cpu[i]);
		KASSERT_MSG(log->fired[i] >= log->due[i], "CPU%d: fired %lld ns early", cpu,
			    (long long)(log->due[i] - log->fired[i]));
		if (i)
			KASSERT_MSG(log->due[i] >= log->due[i - 1],
				    "CPU%d: a timer due at %lld ran after one due at %lld", cpu,
				    (long long)log->due[i - 1], (long long)log->due[i]);
	}
}

KTEST(hrtimer, many_timers_fire_in_expiry_order_per_cpu)
{
	KASSERT(ktest_run_on_all_cpus(ordered_on_cpu, NULL, true) > 0);
}

/* ---- a running callback: try_to_cancel is -1, start keeps it there ---- */

static struct {
	struct hrtimer timer;
	int inside, release, runs;
	int cpu[2];
	int self_cancel;		/* try_to_cancel from the callback */
} busy;

static enum hrtimer_restart busy_fn(struct hrtimer *t)
{
	int run = busy.runs;

	if (run < 2)
		busy.cpu[run] = smp_processor_id();
	busy.self_cancel = hrtimer_try_to_cancel(t);
	smp_store_release(&busy.inside, 1);
	uint64_t t0 = ktime_get_ns();
	while (run == 0 && !smp_load_acquire(&busy.release) &&
	       ktime_get_ns() - t0 < 2 * NSEC_PER_SEC)
		cpu_relax();
	WRITE_ONCE(busy.inside, 0);
	smp_store_release(&busy.runs, run + 1);
	return HRTIMER_NORESTART;
}

static void busy_start_ipi(void *arg)
{
	(void)arg;
	hrtimer_start(&busy.timer, 20 * NSEC_PER_USEC, HRTIMER_MODE_REL);
}

/*
 * The callback on CPU B holds still; from CPU A: hrtimer_try_to_cancel()
 * is -1, the timer is active and its callback running; hrtimer_start()
 * leaves it on B (it is running there: Linux's rule), so its next run is
 * on B. From its own callback, try_to_cancel is -1 too.
 */
KTEST(hrtimer, running_callback_try_to_cancel_and_restart)
{
	int me = raw_smp_processor_id(), other = me;
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu != me)
			other = cpu;
	memset(&busy, 0, sizeof(busy));
	hrtimer_setup(&busy.timer, busy_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	if (other == me) {		/* one CPU: only the callback's own view */
		busy.release = 1;
		hrtimer_start(&busy.timer, 20 * NSEC_PER_USEC, HRTIMER_MODE_REL);
		while (!smp_load_acquire(&busy.runs))
			cpu_relax();
		KASSERT_EQ(busy.self_cancel, -1);
		return;
	}
	preempt_disable();		/* stay on `me` while the other CPU holds */
	KASSERT_EQ(smp_call_function_single(other, busy_start_ipi, NULL, true), 0);
	uint64_t t0 = ktime_get_ns();
	while (!smp_load_acquire(&busy.inside) && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC)
		cpu_relax();
	int try = hrtimer_try_to_cancel(&busy.timer);
	bool running = hrtimer_callback_running(&busy.timer);
	bool active = hrtimer_active(&busy.timer);
	hrtimer_start(&busy.timer, 20 * NSEC_PER_USEC, HRTIMER_MODE_REL);	/* from me */
	smp_store_release(&busy.release, 1);
	preempt_enable();
	t0 = ktime_get_ns();
	while (smp_load_acquire(&busy.runs) < 2 && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC)
		cpu_relax();
	KASSERT_EQ(busy.runs, 2);
	KASSERT_EQ(busy.self_cancel, -1);
	KASSERT_EQ(try, -1);
	KASSERT(running);
	KASSERT(active);
	KASSERT_MSG(busy.cpu[0] == other && busy.cpu[1] == other,
		    "restarted while running on CPU%d, it ran next on CPU%d (started from CPU%d)",
		    busy.cpu[0], busy.cpu[1], me);
	KASSERT_EQ(hrtimer_cancel(&busy.timer), 0);
}

/* ---- hrtimer_cancel() vs a callback that re-arms itself ---- */

#define CANCEL_ROUNDS 150

struct rearm {
	struct hrtimer timer;
	int cancelled;			/* hrtimer_cancel() has returned */
	atomic_t runs;
	uint64_t seed;
};
static struct rearm rearms[NR_CPUS];

static enum hrtimer_restart rearm_fn(struct hrtimer *t)
{
	struct rearm *r = container_of(t, struct rearm, timer);

	if (READ_ONCE(r->cancelled))
		KTEST_FAIL("a callback started after hrtimer_cancel() returned");
	atomic_inc(&r->runs);
	udelay(ktest_rand(&r->seed) % 8);
	hrtimer_forward_now(t, (20 + ktest_rand(&r->seed) % 30) * NSEC_PER_USEC);
	if (READ_ONCE(r->cancelled))
		KTEST_FAIL("a callback was still running after hrtimer_cancel() returned");
	return HRTIMER_RESTART;
}

static void rearm_start_ipi(void *arg)
{
	struct rearm *r = arg;

	hrtimer_start(&r->timer, 10 * NSEC_PER_USEC, HRTIMER_MODE_REL);
}

/* Thread idx: its timer runs on the next CPU (started there by an IPI);
 * it cancels it from here, at random moments of its cycle. */
static void cancel_on_cpu(int idx, void *arg)
{
	struct rearm *r = &rearms[idx];
	int n = num_online_cpus(), target = nth_online_cpu((idx + 1) % n);
	uint64_t seed = 77 + (uint64_t)idx;

	(void)arg;
	r->seed = 1234567 + (uint64_t)idx;
	hrtimer_setup(&r->timer, rearm_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	for (int round = 0; round < CANCEL_ROUNDS && !ktest_failed(); round++) {
		WRITE_ONCE(r->cancelled, 0);
		smp_mb();
		if (smp_call_function_single(target, rearm_start_ipi, r, true)) {
			KTEST_FAIL("IPI to CPU%d failed", target);
			return;
		}
		udelay(20 + ktest_rand(&seed) % 300);
		hrtimer_cancel(&r->timer);
		WRITE_ONCE(r->cancelled, 1);
		smp_mb();
		int runs = atomic_read(&r->runs);
		if (hrtimer_active(&r->timer))
			KTEST_FAIL("active after hrtimer_cancel() returned");
		udelay(150);		/* several periods: it would have run */
		if (atomic_read(&r->runs) != runs)
			KTEST_FAIL("ran %d times after hrtimer_cancel() returned",
				   atomic_read(&r->runs) - runs);
	}
}

/*
 * The window that matters: the callback has returned HRTIMER_RESTART and
 * its CPU has not yet re-queued it. A cancel that looks then must see it
 * as running and wait. The window is widened to 20 us for every timer
 * (hrtimer_callback_done). Clearing "running" before the re-queue (a
 * mutant of run_hrtimer) fails this test.
 */
KTEST(hrtimer, cancel_beats_a_self_rearming_callback)
{
	memset(rearms, 0, sizeof(rearms));
	delay_hook_set(&delay_hook_hrtimer_callback_done, 20, NULL);
	int ok = ktest_run_on_all_cpus(cancel_on_cpu, NULL, true);
	int hits = delay_hook_hits(&delay_hook_hrtimer_callback_done);
	delay_hook_set(&delay_hook_hrtimer_callback_done, 0, NULL);
	KASSERT(ok > 0);
	long total = 0;
	for (int i = 0; i < ok; i++)
		total += atomic_read(&rearms[i].runs);
	ktest_info("%d cancels of self-re-arming timers, %ld callbacks, %d widened windows\n",
		   ok * CANCEL_ROUNDS, total, hits);
	KASSERT_GT(hits, 0);
}
