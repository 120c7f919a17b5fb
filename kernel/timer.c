/*
 * timer.c - the tick: count it, advance jiffies, run the hooks, expire
 * timers.
 *
 * The tick is a per-CPU hrtimer (kernel/hrtimer.c), as Linux's
 * tick_sched_timer: it fires on multiples of TICK_NSEC of ktime_get() -
 * every CPU at the same instants, just after jiffies moves - and forwards
 * itself by one period each time. A tick the host swallowed is skipped,
 * not delivered late in a burst; jiffies follow the clock regardless.
 *
 * Each CPU has a list of pending timers sorted by expiry, under a lock.
 * A timer is on at most one list; t->cpu says whose (-1: never armed).
 * mod_timer() and add_timer() put it on the calling CPU's list, and
 * add_timer_on() on the CPU asked for, moving it if it was elsewhere:
 * the move first marks it TIMER_CPU_MIGRATING under the old list's lock,
 * then takes the new one, so that anyone who wants "the timer's lock"
 * (lock_timer_base) waits for the move and locks the right list (Linux's
 * TIMER_MIGRATING). mod_timer() leaves a timer whose callback is running
 * where it is, as Linux does.
 *
 * The tick only looks whether the first timer has expired and raises the
 * timer softirq. There, every timer that has expired is first taken off
 * the list, then each is run with the lock dropped and interrupts on, so
 * a callback may re-arm its own timer: re-armed for now, it waits for
 * the next tick (Linux runs one tick's timers per pass; taking the head
 * again while it had expired ran such a timer thousands of times in one
 * tick). The base remembers which timer runs (running), which is how
 * del_timer_sync() knows to wait. For lockdep a running callback holds
 * its timer as a lock, and del_timer_sync() takes it for an instant: a
 * caller holding a lock the callback takes closes a cycle, reported as
 * one.
 */
#include "kernel/boot.h"
#include "kernel/timer.h"
#include "kernel/debugobjects.h"
#include "kernel/cpumask.h"
#include "kernel/delay_hook.h"
#include "kernel/hrtimer.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "arch/x86/apic.h"
#include "sched/preempt.h"
#include "kernel/softirq.h"
#include "sync/atomic.h"
#include "sync/spinlock.h"

#define MAX_TICK_HOOKS 8

struct timer_base {
	spinlock_t lock;
	struct list_head pending;	/* sorted, earliest first */
	struct timer_list *running;	/* its callback runs now */
};

volatile unsigned long jiffies = INITIAL_JIFFIES;
DEFINE_PER_CPU(uint64_t, tick_count);
static DEFINE_PER_CPU(struct timer_base, timer_bases);
static DEFINE_PER_CPU(struct hrtimer, tick_timer);
static tick_hook_t tick_hooks[MAX_TICK_HOOKS];
static int nr_tick_hooks;

void register_tick_hook(tick_hook_t fn)
{
	BUG_ON(nr_tick_hooks == MAX_TICK_HOOKS);
	tick_hooks[nr_tick_hooks] = fn;
	WRITE_ONCE(nr_tick_hooks, nr_tick_hooks + 1);
}

/* Every CPU's tick moves jiffies up to the clock's count: never back,
 * and ticks a busy host swallowed are caught up. */
void jiffies_update(void)
{
	unsigned long now = INITIAL_JIFFIES + (unsigned long)(ktime_get_ns() / TICK_NSEC);
	unsigned long old = jiffies;

	while (time_after(now, old)) {
		unsigned long seen = cmpxchg((unsigned long *)&jiffies, old, now);
		if (seen == old)
			break;
		old = seen;
	}
}

/* debugobjects: a timer is active while it is on a list. */
static void *timer_debug_hint(void *addr)
{
	return (void *)((struct timer_list *)addr)->function;
}

static void timer_fixup_active(void *addr)
{
	del_timer(addr);		/* off the list, before its memory goes */
}

static const struct debug_obj_descr timer_debug_descr = {
	.name = "timer_list",
	.debug_hint = timer_debug_hint,
	.fixup_active = timer_fixup_active,
};

/* Every removal from a list goes through here. */
static void detach_timer(struct timer_list *t)
{
	list_del_init(&t->entry);
	debug_object_deactivate(t, &timer_debug_descr);
}

/* ---- the timer lists ---- */

/* Insert in expiry order (base->lock held). */
static void enqueue_timer(struct timer_base *base, struct timer_list *t)
{
	struct timer_list *pos;

	list_for_each_entry(pos, &base->pending, entry)
		if (time_after(pos->expires, t->expires))
			break;
	list_add_tail(&t->entry, &pos->entry);		/* before pos */
	debug_object_activate(t, &timer_debug_descr);
}

DEFINE_DELAY_HOOK(timer_migrating);



#define TIMER_CPU_NONE		(-1)	/* never armed */
#define TIMER_CPU_MIGRATING	(-2)	/* moving between two lists */

static struct timer_base *cpu_base(int cpu)
{
	return per_cpu_ptr(&timer_bases, cpu);
}

/*
 * Lock the list the timer is on and return it. A timer being moved is on
 * none for a moment: wait for the move, then lock the list it went to,
 * and check it is still there. Not for a timer never armed.
 */
static struct timer_base *lock_timer_base(struct timer_list *t, unsigned long *flags)
{
	for (;;) {
		int cpu = READ_ONCE(t->cpu);
		if (cpu >= 0) {
			struct timer_base *base = cpu_base(cpu);
			spin_lock_irqsave(&base->lock, *flags);
			if (READ_ONCE(t->cpu) == cpu)
				return base;
			spin_unlock_irqrestore(&base->lock, *flags);
		}
		cpu_relax();
	}
}

/* base locked, t on no list: move t to cpu's list (locked on return). */
static struct timer_base *move_timer(struct timer_list *t, struct timer_base *base, int cpu)
{
	struct timer_base *new = cpu_base(cpu);

	if (new == base)
		return base;
	WRITE_ONCE(t->cpu, TIMER_CPU_MIGRATING);
	spin_unlock(&base->lock);
	delay_hook(timer_migrating, t);	/* on no list, under no lock */
	spin_lock(&new->lock);
	WRITE_ONCE(t->cpu, cpu);
	return new;
}

/*
 * (Re)arm on cpu's list; `force`: even if the callback is running now
 * (add_timer_on()). Returns whether it was pending.
 */
static int arm(struct timer_list *t, unsigned long expires, int cpu, bool force)
{
	unsigned long flags;

	cmpxchg(&t->cpu, TIMER_CPU_NONE, cpu);	/* first arming: one wins */
	struct timer_base *base = lock_timer_base(t, &flags);
	int was_pending = timer_pending(t);

	if (was_pending)
		detach_timer(t);
	if (!t->shutdown) {
		t->expires = expires;
		if (force || base->running != t)
			base = move_timer(t, base, cpu);
		enqueue_timer(base, t);
	}
	spin_unlock_irqrestore(&base->lock, flags);
	return was_pending;
}

void __timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags,
		   const char *name, const void *key)
{
	debug_object_init(t, &timer_debug_descr);	/* before: armed still? */
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->flags = flags;
	t->expires = 0;
	t->cpu = TIMER_CPU_NONE;
	t->shutdown = false;
	lockdep_init_map(&t->lockdep_map, name, key);
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	return arm(t, expires, raw_smp_processor_id(), false);
}

void add_timer(struct timer_list *t)
{
	BUG_ON(timer_pending(t));
	arm(t, t->expires, raw_smp_processor_id(), false);
}

void add_timer_on(struct timer_list *t, int cpu)
{
	BUG_ON(timer_pending(t));
	if (WARN(!cpu_online(cpu), "add_timer_on: CPU%d is not online\n", cpu))
		cpu = raw_smp_processor_id();
	arm(t, t->expires, cpu, true);
}

int del_timer(struct timer_list *t)
{
	unsigned long flags;

	if (READ_ONCE(t->cpu) == TIMER_CPU_NONE)
		return 0;			/* never armed */
	struct timer_base *base = lock_timer_base(t, &flags);
	int was_pending = timer_pending(t);
	if (was_pending)
		detach_timer(t);
	spin_unlock_irqrestore(&base->lock, flags);
	return was_pending;
}

/* Is t's callback running on some CPU? (add_timer_on() may have moved t
 * while it ran: look at every list, not only t's.) */
static bool callback_running(struct timer_list *t)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (READ_ONCE(cpu_base(cpu)->running) == t)
			return true;
	return false;
}

/* Disarm, then wait while the callback runs (it may re-arm meanwhile:
 * take it off again). */
int del_timer_sync(struct timer_list *t)
{
	unsigned long flags;
	int ret = 0;

	if (READ_ONCE(t->cpu) == TIMER_CPU_NONE)
		return 0;
	/* It may wait for a softirq: never from a hard interrupt, unless the
	 * callback runs with interrupts off (TIMER_IRQSAFE), as in Linux. */
	WARN_ON_ONCE(in_hardirq() && !(t->flags & TIMER_IRQSAFE));
	/* "Take" the timer: the callback holds it while it runs. */
	local_irq_save(flags);
	lock_acquire(&t->lockdep_map, 0, false, LOCKDEP_SPIN, _RET_IP_);
	lock_release(&t->lockdep_map, LOCKDEP_SPIN);
	local_irq_restore(flags);
	for (;;) {
		struct timer_base *base = lock_timer_base(t, &flags);
		if (timer_pending(t)) {
			detach_timer(t);
			ret = 1;
		}
		bool mine = base == this_cpu_ptr(&timer_bases) && base->running == t;
		spin_unlock_irqrestore(&base->lock, flags);
		if (!callback_running(t))
			return ret;
		if (WARN(mine && in_serving_softirq(),
			 "del_timer_sync: %pS waits for itself\n", (void *)t->function))
			return ret;
		cpu_relax();
	}
}

int timer_shutdown_sync(struct timer_list *t)
{
	unsigned long flags;

	if (READ_ONCE(t->cpu) != TIMER_CPU_NONE) {
		struct timer_base *base = lock_timer_base(t, &flags);
		t->shutdown = true;
		spin_unlock_irqrestore(&base->lock, flags);
	} else {
		t->shutdown = true;
	}
	return del_timer_sync(t);
}

static void call_timer_fn(struct timer_list *t, void (*fn)(struct timer_list *))
{
	lock_acquire(&t->lockdep_map, 0, false, LOCKDEP_SPIN, (unsigned long)fn);
	fn(t);
	lock_release(&t->lockdep_map, LOCKDEP_SPIN);
}

/* The timer softirq: run what expired, each callback with the lock
 * dropped and interrupts on. */
static void run_timer_softirq(struct softirq_action *h)
{
	struct timer_base *base = this_cpu_ptr(&timer_bases);
	unsigned long now = jiffies;

	LIST_HEAD(expired);

	(void)h;
	spin_lock_irq(&base->lock);
	/* This pass runs what had expired when it began. The taken timers
	 * stay pending (del_timer() and mod_timer() take them off `expired`,
	 * under the same lock); one re-armed meanwhile waits on the list. */
	while (!list_empty(&base->pending)) {
		struct timer_list *t = list_first_entry(&base->pending,
							struct timer_list, entry);
		if (time_after(t->expires, now))
			break;
		list_move_tail(&t->entry, &expired);
	}
	while (!list_empty(&expired)) {
		struct timer_list *t = list_first_entry(&expired, struct timer_list, entry);
		detach_timer(t);
		void (*fn)(struct timer_list *) = t->function;
		WRITE_ONCE(base->running, t);	/* del_timer_sync() reads it */
		if (t->flags & TIMER_IRQSAFE) {	/* unlocked (callback_running) */	/* interrupts stay off */
			spin_unlock(&base->lock);
			call_timer_fn(t, fn);
			spin_lock(&base->lock);
		} else {
			spin_unlock_irq(&base->lock);
			call_timer_fn(t, fn);
			spin_lock_irq(&base->lock);
		}
		WRITE_ONCE(base->running, NULL);
	}
	spin_unlock_irq(&base->lock);
}

/* From the tick: has the first timer expired? (A peek: the softirq
 * checks again under the lock.) */
static bool timers_expired(void)
{
	struct timer_base *base = this_cpu_ptr(&timer_bases);
	bool expired = false;

	spin_lock(&base->lock);
	if (!list_empty(&base->pending))
		expired = !time_after(list_first_entry(&base->pending, struct timer_list,
						       entry)->expires, jiffies);
	spin_unlock(&base->lock);
	return expired;
}

/* The tick: an hrtimer callback, so hard irq with interrupts off, and
 * get_irq_regs() is the interrupted context. */
static enum hrtimer_restart tick_sched_timer(struct hrtimer *t)
{
	this_cpu_inc(tick_count);
	jiffies_update();
	for (int i = 0; i < READ_ONCE(nr_tick_hooks); i++)
		tick_hooks[i]();
	if (timers_expired())
		raise_softirq_irqoff(TIMER_SOFTIRQ);
	hrtimer_forward_now(t, TICK_NSEC);
	return HRTIMER_RESTART;
}

/* This CPU's tick, from the next multiple of TICK_NSEC on. */
static void tick_start_cpu(void)
{
	struct hrtimer *t = this_cpu_ptr(&tick_timer);
	ktime_t now = (ktime_t)ktime_get_ns();

	hrtimer_setup(t, tick_sched_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_HARD);
	hrtimer_start(t, (now / TICK_NSEC + 1) * TICK_NSEC, HRTIMER_MODE_ABS_PINNED_HARD);
}

static void init_timer_base(int cpu)
{
	struct timer_base *base = per_cpu_ptr(&timer_bases, cpu);

	spin_lock_init(&base->lock);
	INIT_LIST_HEAD(&base->pending);
	base->running = NULL;
}

void init_timers(void)
{
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
	init_timer_base(0);
	lapic_timer_calibrate();
}

void timer_start_cpu(void)
{
	if (smp_processor_id() != 0)
		init_timer_base(smp_processor_id());
	hrtimers_init_cpu();
	tick_start_cpu();
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
			printk(KERN_INFO "timer on cpu%d: expires in %ld jiffies, fn %pS\n",
			       cpu, (long)(t->expires - jiffies), (void *)t->function);
	}
	hrtimer_print_pending();
}
