/*
 * timer.c - the tick interrupt: count it, run the hooks, expire timers.
 *
 * Timers wait on a per-CPU list sorted by expiry time, under a per-CPU
 * lock. Expired timers run with that lock held, which is what lets
 * del_timer_sync() guarantee the callback has finished: it takes the
 * same lock. (Lock order: timer base, then whatever fn takes.)
 */
#include "kernel/timer.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "arch/x86/apic.h"
#include "arch/x86/irq.h"
#include "sync/spinlock.h"

#define MAX_TICK_HOOKS 8

struct timer_base {
	spinlock_t lock;
	struct list_head pending;	/* sorted, earliest first */
};

DEFINE_PER_CPU(uint64_t, tick_count);
static DEFINE_PER_CPU(struct timer_base, timer_bases);
static DEFINE_PER_CPU(struct pt_regs *, irq_regs);
static tick_hook_t tick_hooks[MAX_TICK_HOOKS];
static int nr_tick_hooks;

void register_tick_hook(tick_hook_t fn)
{
	BUG_ON(nr_tick_hooks == MAX_TICK_HOOKS);
	tick_hooks[nr_tick_hooks] = fn;
	WRITE_ONCE(nr_tick_hooks, nr_tick_hooks + 1);
}

struct pt_regs *get_irq_regs(void)
{
	return this_cpu_read(irq_regs);
}

static void run_timers(void)
{
	struct timer_base *base = this_cpu_ptr(&timer_bases);
	uint64_t now = ktime_get_ns();

	spin_lock(&base->lock);
	while (!list_empty(&base->pending)) {
		struct timer_list *t = list_first_entry(&base->pending,
							struct timer_list, entry);
		if (t->expires_ns > now)
			break;
		list_del_init(&t->entry);
		t->pending = false;
		t->fn(t);
	}
	spin_unlock(&base->lock);
}

static void timer_interrupt(struct pt_regs *regs)
{
	this_cpu_write(irq_regs, regs);
	this_cpu_inc(tick_count);
	for (int i = 0; i < READ_ONCE(nr_tick_hooks); i++)
		tick_hooks[i]();
	run_timers();
	this_cpu_write(irq_regs, NULL);
}

void add_timer(struct timer_list *t)
{
	unsigned long flags;
	struct timer_list *pos;

	local_irq_save(flags);
	struct timer_base *base = this_cpu_ptr(&timer_bases);
	spin_lock(&base->lock);
	BUG_ON(t->pending);
	t->cpu = smp_processor_id();
	t->pending = true;
	list_for_each_entry(pos, &base->pending, entry)
		if (pos->expires_ns > t->expires_ns)
			break;
	list_add_tail(&t->entry, &pos->entry);	/* before pos */
	spin_unlock(&base->lock);
	local_irq_restore(flags);
}

bool del_timer_sync(struct timer_list *t)
{
	unsigned long flags;
	struct timer_base *base = per_cpu_ptr(&timer_bases, t->cpu);
	bool was_pending;

	spin_lock_irqsave(&base->lock, flags);
	was_pending = t->pending;
	if (was_pending) {
		list_del_init(&t->entry);
		t->pending = false;
	}
	spin_unlock_irqrestore(&base->lock, flags);
	return was_pending;
}

static void init_timer_base(int cpu)
{
	struct timer_base *base = per_cpu_ptr(&timer_bases, cpu);

	spin_lock_init(&base->lock);
	INIT_LIST_HEAD(&base->pending);
}

void timer_init(void)
{
	init_timer_base(0);
	set_vector_handler(LOCAL_TIMER_VECTOR, timer_interrupt);
	lapic_timer_calibrate();
}

void timer_start_cpu(void)
{
	if (smp_processor_id() != 0)
		init_timer_base(smp_processor_id());
	lapic_timer_start();
}

/* For hung-test reports: what each CPU's timer list holds. */
void timer_print_pending(void)
{
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!__per_cpu_offset[cpu] && cpu != 0)
			continue;
		struct timer_base *base = per_cpu_ptr(&timer_bases, cpu);
		struct timer_list *t;
		if (!base->pending.next)
			continue;
		list_for_each_entry(t, &base->pending, entry)
			printk(KERN_INFO "timer on cpu%d: expires %llu ms, fn %pS\n", cpu,
			       (unsigned long long)(t->expires_ns / NSEC_PER_MSEC), (void *)t->fn);
	}
}
