/*
 * softirq.c - softirqs, bottom halves and ksoftirqd (contract in
 * softirq.h).
 *
 * Each CPU has a pending mask. Raising sets a bit. Running
 * (handle_softirqs) takes the whole mask with interrupts off, clears it,
 * turns interrupts on and calls each raised handler, lowest number first,
 * with SOFTIRQ_OFFSET added to preempt_count: that is what makes
 * in_serving_softirq() true, keeps the handlers from being preempted or
 * re-entered on this CPU (a nested interrupt's exit sees in_interrupt()
 * and leaves them to us), and makes sleeping in one a reported bug.
 * Handlers that raise again get another round, up to a limit in rounds
 * and time; past it the rest goes to ksoftirqd/N, a thread the scheduler
 * can weigh against the others - so a softirq storm cannot starve the
 * CPU's threads.
 */
#include "kernel/softirq.h"
#include "kernel/init.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/cpumask.h"
#include "arch/x86/irqflags.h"
#include "sched/sched.h"
#include "sync/bitops.h"

const char *const softirq_names[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET",
	"SCHED", "HRTIMER", "RCU",
};

static struct softirq_action softirq_vec[NR_SOFTIRQS];
static DEFINE_PER_CPU(unsigned int, softirq_pending);
static DEFINE_PER_CPU(struct task_struct *, ksoftirqd);
static DEFINE_PER_CPU(unsigned long [NR_SOFTIRQS], softirq_stat);
static DEFINE_PER_CPU(unsigned long, softirq_to_ksoftirqd);

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	softirq_vec[nr].action = action;
}

unsigned int local_softirq_pending(void)
{
	return this_cpu_read(softirq_pending);
}

void __raise_softirq_irqoff(unsigned int nr)
{
	this_cpu_or(softirq_pending, 1u << nr);
}

static void wakeup_softirqd(void)
{
	struct task_struct *t = this_cpu_read(ksoftirqd);

	if (t && READ_ONCE(t->state) != TASK_RUNNING)
		wake_up_process(t);
}

/* In an interrupt (or with bottom halves off) it will run on the way out
 * (or at local_bh_enable); from a thread, ksoftirqd runs it. */
void raise_softirq_irqoff(unsigned int nr)
{
	__raise_softirq_irqoff(nr);
	if (!in_interrupt())
		wakeup_softirqd();
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

/* Interrupts off on entry and on exit. */
static void handle_softirqs(void)
{
	uint64_t end = ktime_get_ns() + MAX_SOFTIRQ_TIME_NS;
	int restart = MAX_SOFTIRQ_RESTART;
	unsigned int pending;

	preempt_count_add(SOFTIRQ_OFFSET);
again:
	pending = this_cpu_read(softirq_pending);
	this_cpu_write(softirq_pending, 0);
	local_irq_enable();
	for (unsigned int nr = 0; pending; nr++, pending >>= 1) {
		if (!(pending & 1))
			continue;
		int count = preempt_count();
		if (!softirq_vec[nr].action)
			continue;		/* raised before it was opened */
		this_cpu_inc(softirq_stat[nr]);
		softirq_vec[nr].action(&softirq_vec[nr]);
		if (WARN(preempt_count() != count, "softirq %s: %pS left preempt_count "
			 "%#x, was %#x\n", softirq_names[nr], (void *)softirq_vec[nr].action,
			 preempt_count(), count))
			this_cpu_write(__preempt_count, count);
	}
	local_irq_disable();
	if (this_cpu_read(softirq_pending)) {
		if (ktime_get_ns() < end && !need_resched() && --restart)
			goto again;
		this_cpu_inc(softirq_to_ksoftirqd);
		wakeup_softirqd();
	}
	preempt_count_sub(SOFTIRQ_OFFSET);
}

void irq_exit_softirq(void)
{
	if (!in_interrupt() && this_cpu_read(softirq_pending))
		handle_softirqs();
}

void do_softirq(void)
{
	unsigned long flags;

	if (in_interrupt())
		return;
	local_irq_save(flags);
	if (this_cpu_read(softirq_pending))
		handle_softirqs();
	local_irq_restore(flags);
}

void local_bh_disable(void)
{
	preempt_count_add(SOFTIRQ_DISABLE_OFFSET);
}

void _local_bh_enable(void)
{
	WARN_ON_ONCE(in_hardirq());
	preempt_count_sub(SOFTIRQ_DISABLE_OFFSET);
}

/*
 * Leave all but one unit of preemption counted while the pending softirqs
 * run (as Linux does), then drop it: a preemption point, where a thread
 * woken by those softirqs gets the CPU.
 */
void local_bh_enable(void)
{
	WARN_ON_ONCE(in_hardirq() || irqs_disabled());
	preempt_count_sub(SOFTIRQ_DISABLE_OFFSET - PREEMPT_OFFSET);
	if (unlikely(!in_interrupt() && this_cpu_read(softirq_pending)))
		do_softirq();
	preempt_enable();
}

unsigned long softirq_runs(int cpu, int nr)
{
	return per_cpu(softirq_stat, cpu)[nr];
}

unsigned long softirq_deferred(int cpu)
{
	return per_cpu(softirq_to_ksoftirqd, cpu);
}

/* ---- ksoftirqd/N ---- */

static int run_ksoftirqd(void *unused)
{
	(void)unused;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!local_softirq_pending()) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		local_irq_disable();
		if (local_softirq_pending())
			handle_softirqs();
		local_irq_enable();
		cond_resched();
	}
	return 0;
}

static int spawn_ksoftirqd(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *t = kthread_create(run_ksoftirqd, NULL, "ksoftirqd/%d", cpu);
		if (IS_ERR(t)) {
			printk(KERN_ERR "softirq: cannot start ksoftirqd/%d\n", cpu);
			continue;
		}
		kthread_bind(t, cpu);
		per_cpu(ksoftirqd, cpu) = t;
		wake_up_process(t);
	}
	return 0;
}
core_initcall(spawn_ksoftirqd);
