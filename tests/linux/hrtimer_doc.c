// SPDX-License-Identifier: GPL-2.0
/*
 * hrtimer_doc.c - the periodic hrtimer of a Linux module, in its usual
 * shape: hrtimer_init() + .function at load, hrtimer_start() with a
 * relative time, a callback that does its work, hrtimer_forward_now()s
 * by the period and returns HRTIMER_RESTART, and hrtimer_cancel() at
 * unload. Documentation/timers/hrtimers.rst describes this in prose only
 * and the Linux Kernel Module Programming Guide has no hrtimer example,
 * so the code between the markers is that shape as the kernel-doc of
 * hrtimer_forward()/hrtimer_cancel() and Linux's own per-CPU periodic
 * user (the soft-lockup watchdog's timer, kernel/watchdog.c) use it:
 * written for this file, one timer per CPU, started on its CPU.
 *
 * Invariants, checked at load on every CPU: each CPU's callback runs on
 * that CPU, in hard irq with interrupts off; the periods it counts
 * (hrtimer_forward_now()'s return values, overruns included) add up to
 * exactly how far its expiry moved; it never runs before its expiry.
 * The timers keep running until rmmod, whose hrtimer_cancel() leaves
 * none queued or running: a callback left behind would run in unmapped
 * module text and fault (the module loader unmaps it).
 */
#include <linux/module.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/delay.h>

#define PERIOD_US 250

struct tick_stats {
	ktime_t first;			/* the first expiry */
	u64 periods;			/* sum of hrtimer_forward_now() */
	unsigned long calls;
	int bad_cpu, bad_context, early;
};

/* ---- the periodic hrtimer, one per CPU (the usual module shape) ---- */
static DEFINE_PER_CPU(struct hrtimer, my_timer);
static ktime_t my_period;

static void my_periodic_work(struct hrtimer *timer, u64 periods);

static enum hrtimer_restart my_timer_fn(struct hrtimer *timer)
{
	u64 periods = hrtimer_forward_now(timer, my_period);	/* 1, or more if late */

	my_periodic_work(timer, periods);	/* hard irq: must not sleep */
	return HRTIMER_RESTART;
}

static void my_timer_start(void *unused)	/* on each CPU */
{
	struct hrtimer *timer = this_cpu_ptr(&my_timer);

	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	timer->function = my_timer_fn;
	hrtimer_start(timer, my_period, HRTIMER_MODE_REL_PINNED);
}

static void my_timer_stop(void)
{
	int cpu;

	for_each_online_cpu(cpu)
		hrtimer_cancel(per_cpu_ptr(&my_timer, cpu));
}
/* ---- end ---- */

static DEFINE_PER_CPU(struct tick_stats, stats);
static DEFINE_PER_CPU(int, check_result);

/* The module's own check, called from the documented callback (after
 * the forward: the expiry it ran for is one forward back). */
static void my_periodic_work(struct hrtimer *timer, u64 periods)
{
	struct tick_stats *s = this_cpu_ptr(&stats);
	ktime_t was_due = hrtimer_get_expires(timer) - (ktime_t)periods * my_period;

	if (timer != this_cpu_ptr(&my_timer))
		s->bad_cpu++;
	if (!in_hardirq() || !irqs_disabled())
		s->bad_context++;
	if (ktime_get() < was_due)
		s->early++;
	s->calls++;
	s->periods += periods;
}

/* Start this CPU's timer, and note its first expiry before it can run
 * (interrupts are off here). */
static void start_on_cpu(void *unused)
{
	my_timer_start(unused);
	this_cpu_ptr(&stats)->first = hrtimer_get_expires(this_cpu_ptr(&my_timer));
}

/* On the CPU, interrupts off: its callback cannot run meanwhile, so the
 * count and the expiry agree exactly. */
static void check_on_cpu(void *unused)
{
	struct tick_stats *s = this_cpu_ptr(&stats);
	ktime_t moved = hrtimer_get_expires(this_cpu_ptr(&my_timer)) - s->first;
	int cpu = smp_processor_id();

	this_cpu_write(check_result, 0);
	if (s->bad_cpu || s->bad_context || s->early) {
		pr_err("hrtimer_doc: CPU%d: %d off its CPU, %d outside hard irq, %d early\n",
		       cpu, s->bad_cpu, s->bad_context, s->early);
		this_cpu_write(check_result, -EINVAL);
	} else if (s->calls < 4 || moved != (ktime_t)s->periods * my_period) {
		pr_err("hrtimer_doc: CPU%d: %lu calls, %llu periods counted, expiry moved %lld ns\n",
		       cpu, s->calls, s->periods, moved);
		this_cpu_write(check_result, -EINVAL);
	}
}

static int __init hrtimer_doc_init(void)
{
	int cpu, ret = 0;

	my_period = ktime_set(0, PERIOD_US * NSEC_PER_USEC);
	on_each_cpu(start_on_cpu, NULL, 1);
	/* At least a few calls everywhere (a paused vCPU takes longer). */
	for (int i = 0; i < 5000; i++) {
		bool all = true;
		for_each_online_cpu(cpu)
			all &= READ_ONCE(per_cpu_ptr(&stats, cpu)->calls) >= 4;
		if (all)
			break;
		msleep(1);
	}
	msleep(20);
	on_each_cpu(check_on_cpu, NULL, 1);
	for_each_online_cpu(cpu)
		if ((ret = per_cpu(check_result, cpu)))
			break;
	if (ret) {
		my_timer_stop();		/* no exit after a failed init */
		return ret;
	}
	pr_info("hrtimer_doc: a %d us periodic hrtimer on each of %d CPUs, each on its CPU, "
		"in hard irq, never early\n", PERIOD_US, num_online_cpus());
	return 0;
}

static void __exit hrtimer_doc_exit(void)
{
	my_timer_stop();
}

module_init(hrtimer_doc_init);
module_exit(hrtimer_doc_exit);
MODULE_LICENSE("GPL");
