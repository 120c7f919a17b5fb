/*
 * stop_machine.c - every CPU stopped at once (contract in stop_machine.h).
 *
 * Each online CPU has a stopper thread, bound to it and asleep. To stop
 * the machine, wake them all: a woken thread preempts what its CPU runs
 * at the next preemption point (sched/core.c) - which a CPU holding a
 * spinlock does not reach until it releases it. The stoppers then move
 * through the states of Linux's multi_cpu_stop() together, each state
 * entered by all once all have acknowledged the previous one:
 *
 *   PREPARE      every CPU has arrived; interrupts still on, so that a
 *                CPU not yet here, waiting for a cross-CPU call, gets its
 *                answer and can arrive too;
 *   DISABLE_IRQ  every CPU turns interrupts off;
 *   RUN          fn runs on the CPUs asked for; the others wait;
 *   EXIT         every CPU restores interrupts and goes back.
 *
 * A stopper keeps preemption off from its first state to the last: a
 * stopper preempted after PREPARE could let a thread run that waits,
 * preemption off, for a CPU whose stopper has interrupts off already.
 */
#include "kernel/boot.h"
#include "kernel/stop_machine.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irqflags.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/mutex.h"

enum multi_stop_state { MS_NONE, MS_PREPARE, MS_DISABLE_IRQ, MS_RUN, MS_EXIT };

struct stopper {
	struct task_struct *thread;
	bool work;			/* a stop is on: run multi_cpu_stop() */
};

static DEFINE_PER_CPU(struct stopper, stoppers);
static bool stoppers_up;
static DEFINE_MUTEX(stop_mutex);	/* one stop_machine() at a time */

/* The stop in progress (under stop_mutex). */
static struct {
	int (*fn)(void *);
	void *data;
	const struct cpumask *cpus;	/* NULL: the first online CPU runs fn */
	int state;			/* enum multi_stop_state */
	atomic_t thread_ack;		/* CPUs still to acknowledge `state` */
	int nr;				/* CPUs taking part */
	int ret;
	atomic_t unfinished;
	struct completion done;
} ms;

static void set_state(int state)
{
	atomic_set(&ms.thread_ack, ms.nr);
	smp_store_release(&ms.state, state);
}

/* The last CPU to acknowledge a state moves everyone to the next. */
static void ack_state(int state)
{
	if (atomic_dec_and_test(&ms.thread_ack))
		set_state(state + 1);
}

static bool runs_fn(int cpu)
{
	if (!ms.cpus) {
		int first = 0;
		for_each_online_cpu(first)
			break;
		return cpu == first;
	}
	return cpumask_test_cpu(cpu, ms.cpus);
}

static void multi_cpu_stop(void)
{
	int cpu = smp_processor_id(), cur = MS_NONE;
	unsigned long flags;

	flags = arch_local_save_flags();
	do {
		cpu_relax();
		int state = smp_load_acquire(&ms.state);
		if (state == cur)
			continue;
		cur = state;
		if (cur == MS_DISABLE_IRQ) {
			local_irq_disable();
		} else if (cur == MS_RUN && runs_fn(cpu)) {
			int ret = ms.fn(ms.data);
			if (ret)
				cmpxchg(&ms.ret, 0, ret);
		}
		ack_state(cur);
	} while (cur != MS_EXIT);
	local_irq_restore(flags);
}

static int cpu_stopper_thread(void *arg)
{
	struct stopper *me = arg;

	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (!READ_ONCE(me->work)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		WRITE_ONCE(me->work, false);
		preempt_disable();		/* see the top of the file */
		multi_cpu_stop();
		preempt_enable();
		if (atomic_dec_and_test(&ms.unfinished))
			complete(&ms.done);
	}
	return 0;
}

int stop_machine(int (*fn)(void *), void *data, const struct cpumask *cpus)
{
	int cpu;

	might_sleep();
	if (!READ_ONCE(stoppers_up)) {
		/* Before the stoppers (early boot): one CPU runs. */
		unsigned long flags;
		WARN_ON(num_online_cpus() > 1);
		local_irq_save(flags);
		int ret = fn(data);
		local_irq_restore(flags);
		return ret;
	}
	mutex_lock(&stop_mutex);
	ms.fn = fn;
	ms.data = data;
	ms.cpus = cpus;
	ms.ret = 0;
	ms.nr = num_online_cpus();
	atomic_set(&ms.unfinished, ms.nr);
	init_completion(&ms.done);
	ms.state = MS_NONE;
	set_state(MS_PREPARE);
	/* Wake them all before our own CPU's stopper may run: woken, it
	 * preempts us, and once started it keeps the CPU until every other
	 * stopper has come - which we would never have woken (Linux's
	 * queue_stop_cpus_work() disables preemption for the same reason). */
	preempt_disable();
	for_each_online_cpu(cpu) {
		struct stopper *s = per_cpu_ptr(&stoppers, cpu);
		WRITE_ONCE(s->work, true);
		wake_up_process(s->thread);
	}
	preempt_enable();
	wait_for_completion(&ms.done);
	int ret = ms.ret;
	mutex_unlock(&stop_mutex);
	return ret;
}

void cpu_stop_init(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct stopper *s = per_cpu_ptr(&stoppers, cpu);
		s->thread = kthread_create(cpu_stopper_thread, s, "stopper/%d", cpu);
		if (IS_ERR(s->thread))
			panic("stop_machine: cannot create the stopper of CPU%d", cpu);
		kthread_bind(s->thread, cpu);
		wake_up_process(s->thread);
	}
	smp_store_release(&stoppers_up, true);
}
