/*
 * counter_bh.c - the counter experiment with a bottom half (counter.bh=1).
 *
 * While the workers run, a timer on every CPU fires at each tick and adds
 * 1 to the counter, in softirq context, the way the mode's bh_op says -
 * with the same lock the workers take, when the mode has one. A softirq
 * runs on the CPU where it was raised, on the way out of an interrupt:
 * if that CPU's worker holds the lock right then with bottom halves on
 * (spin_lock), the softirq spins on a lock its own CPU will never release.
 * spin_lock_bh (no softirq on this CPU while held) or spin_lock_irqsave
 * (no interrupt at all) in the worker are the fixes. Lockdep says so before
 * it happens; the spinlock debug code names the deadlock when it does.
 */
#include "lab/counter.h"
#include "kernel/cpumask.h"
#include "kernel/jiffies.h"
#include "kernel/timer.h"
#include "sync/atomic.h"
#include "sync/percpu.h"

struct bh_timer {
	struct timer_list timer;
	const struct counter_mode *mode;
	long adds;			/* only its own CPU's softirq writes it */
};

static DEFINE_PER_CPU(struct bh_timer, bh_timers);
static bool bh_running;

static void bh_tick(struct timer_list *t)
{
	struct bh_timer *b = from_timer(b, t, timer);

	b->mode->bh_op();
	WRITE_ONCE(b->adds, b->adds + 1);
	if (READ_ONCE(bh_running))
		mod_timer(t, jiffies + 1);
}

void counter_bh_start(const struct counter_mode *m)
{
	int cpu;

	WRITE_ONCE(bh_running, true);
	for_each_online_cpu(cpu) {
		struct bh_timer *b = per_cpu_ptr(&bh_timers, cpu);
		b->mode = m;
		b->adds = 0;
		timer_setup(&b->timer, bh_tick, 0);
		b->timer.expires = jiffies + 1;
		add_timer_on(&b->timer, cpu);
	}
}

long counter_bh_stop(void)
{
	long adds = 0;
	int cpu;

	WRITE_ONCE(bh_running, false);
	for_each_online_cpu(cpu) {
		struct bh_timer *b = per_cpu_ptr(&bh_timers, cpu);
		del_timer_sync(&b->timer);
		adds += READ_ONCE(b->adds);
	}
	return adds;
}
