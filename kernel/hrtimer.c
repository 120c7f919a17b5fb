/*
 * hrtimer.c - high-resolution timers: per-CPU queues in expiry order, and
 * the local APIC timer in one-shot mode, programmed for the first one.
 *
 * Each CPU has a base: a lock, the queued timers sorted by expiry, the
 * timer whose callback runs now (running), and the time its APIC was last
 * programmed for (expires_next). The tick is one of these timers
 * (kernel/timer.c), so the APIC is only ever one-shot: every interrupt
 * runs what has expired and asks for the next one.
 *
 * The queue is a sorted list, not Linux's red-black tree (timerqueue):
 * insertion is O(n), but a CPU holds the tick and a handful of others,
 * and the list reads like the invariant it keeps. The first entry is the
 * next to expire; the interrupt takes entries from the front.
 *
 * The interrupt (hrtimer_interrupt) reads the clock once, then runs each
 * timer whose time has come, in order: it takes the timer off the queue
 * and records it as running in one step under the lock, so that anyone
 * looking (hrtimer_try_to_cancel) sees it queued or running, never
 * neither; drops the lock, calls it; relocks, re-queues it if it asked,
 * and only then clears running. Callbacks thus run with interrupts off
 * (we are in the interrupt) but without the lock, so they may start and
 * cancel timers, their own included.
 *
 * Only the CPU itself programs its APIC. A timer is queued on the CPU
 * that starts it, so a start that becomes the CPU's first timer
 * reprograms at once - except inside the interrupt, which programs once
 * at its end. The only remote queueing is a timer whose callback runs on
 * another CPU: it stays there (moving it would hide "running" from
 * cancel), and that CPU is inside its interrupt, which will program it.
 *
 * A timer moving from one CPU's queue to another is on neither for a
 * moment; its base pointer then names migration_base, and whoever wants
 * its lock (lock_hrtimer_base) waits for the move to end, as Linux does.
 */
#include "kernel/hrtimer.h"
#include "kernel/boot.h"
#include "kernel/cpumask.h"
#include "kernel/delay_hook.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "arch/x86/apic.h"
#include "arch/x86/irq.h"
#include "sched/preempt.h"
#include "sync/percpu.h"
#include "sync/spinlock.h"

struct hrtimer_cpu_base {
	spinlock_t lock;
	struct list_head active;	/* queued timers, earliest expiry first */
	struct hrtimer *running;	/* its callback runs now, on this CPU */
	ktime_t expires_next;		/* the APIC is set for this (KTIME_MAX: not) */
	bool in_hrtirq;			/* inside hrtimer_interrupt() */
	int cpu;
};

const unsigned int hrtimer_resolution = 1;

static DEFINE_PER_CPU(struct hrtimer_cpu_base, hrtimer_bases);
static DEFINE_PER_CPU(struct pt_regs *, irq_regs);
static struct hrtimer_cpu_base migration_base;	/* never locked */

/* kernel/delay_hook.h: the callback has returned, its base not yet
 * relocked (obj: the timer). */
DEFINE_DELAY_HOOK(hrtimer_callback_done);

struct pt_regs *get_irq_regs(void)
{
	return this_cpu_read(irq_regs);
}

/* ---- the queues ---- */

/* Insert in expiry order, after timers with the same expiry (FIFO). */
static void enqueue_hrtimer(struct hrtimer_cpu_base *base, struct hrtimer *t)
{
	struct hrtimer *pos;

	list_for_each_entry(pos, &base->active, node)
		if (pos->expires > t->expires)
			break;
	list_add_tail(&t->node, &pos->node);		/* before pos */
	WRITE_ONCE(t->state, HRTIMER_STATE_ENQUEUED);
}

static void dequeue_hrtimer(struct hrtimer *t)
{
	list_del_init(&t->node);
	WRITE_ONCE(t->state, HRTIMER_STATE_INACTIVE);
}

static ktime_t first_expiry(struct hrtimer_cpu_base *base)
{
	if (list_empty(&base->active))
		return KTIME_MAX;
	return list_first_entry(&base->active, struct hrtimer, node)->expires;
}

/*
 * Lock the base the timer is on and return it. A timer being moved
 * names migration_base: wait for the move to end, then lock its new
 * base, and check it is still there.
 */
static struct hrtimer_cpu_base *lock_hrtimer_base(const struct hrtimer *t,
						  unsigned long *flags)
{
	for (;;) {
		struct hrtimer_cpu_base *base = READ_ONCE(t->base);
		if (base != &migration_base) {
			spin_lock_irqsave(&base->lock, *flags);
			if (READ_ONCE(t->base) == base)
				return base;
			spin_unlock_irqrestore(&base->lock, *flags);
		}
		cpu_relax();
	}
}

/* ---- the APIC ---- */

/*
 * Ask for an interrupt at `expires` (base locked, on its own CPU). If it
 * has passed already, ask for one at once: the interrupt runs it.
 */
static void program_event(struct hrtimer_cpu_base *base, ktime_t expires)
{
	ktime_t delta = expires - (ktime_t)ktime_get_ns();

	base->expires_next = expires;
	lapic_next_event(delta > 0 ? (uint64_t)delta : 0);
}

/* A timer was queued on this CPU's base: is it now first, and earlier
 * than what the APIC is set for? The interrupt reprograms at its end. */
static void reprogram_if_first(struct hrtimer_cpu_base *base, struct hrtimer *t)
{
	if (base != this_cpu_ptr(&hrtimer_bases) || base->in_hrtirq)
		return;
	if (t->expires < base->expires_next && first_expiry(base) == t->expires)
		program_event(base, t->expires);
}

/* ---- the API ---- */

static void check_clock(clockid_t clock_id, enum hrtimer_mode mode)
{
	WARN(clock_id != CLOCK_MONOTONIC && clock_id != CLOCK_BOOTTIME,
	     "hrtimer: clock %d: only CLOCK_MONOTONIC and CLOCK_BOOTTIME exist here\n",
	     clock_id);
	WARN(mode & 0x04, "hrtimer: soft mode %#x: callbacks run in hard irq only\n", mode);
}

void hrtimer_init(struct hrtimer *timer, clockid_t clock_id, enum hrtimer_mode mode)
{
	check_clock(clock_id, mode);
	INIT_LIST_HEAD(&timer->node);
	timer->expires = 0;
	timer->_softexpires = 0;
	timer->function = NULL;
	timer->state = HRTIMER_STATE_INACTIVE;
	timer->is_rel = 0;
	timer->is_soft = 0;
	timer->is_hard = 1;
	/* Any base will do until it is started; this one exists. */
	timer->base = raw_cpu_ptr(&hrtimer_bases);
}

void hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*function)(struct hrtimer *),
		   clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}

/*
 * The base a start puts the timer on: this CPU's - unless its callback is
 * running (on the old base's CPU): then it stays, because "running" lives
 * in that base, where hrtimer_cancel() and the re-queueing after the
 * callback look for it (Linux's switch_hrtimer_base). Old base locked,
 * interrupts off; the base returned is locked.
 */
static struct hrtimer_cpu_base *switch_hrtimer_base(struct hrtimer *t,
						    struct hrtimer_cpu_base *base)
{
	struct hrtimer_cpu_base *new = this_cpu_ptr(&hrtimer_bases);

	if (new == base || base->running == t)
		return base;
	WRITE_ONCE(t->base, &migration_base);
	spin_unlock(&base->lock);
	spin_lock(&new->lock);
	WRITE_ONCE(t->base, new);
	return new;
}

static ktime_t add_safe(ktime_t a, ktime_t b)
{
	ktime_t res;

	if (__builtin_add_overflow(a, b, &res) || res < 0)
		return KTIME_MAX;
	return res;
}

void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, unsigned long long range_ns,
			    enum hrtimer_mode mode)
{
	unsigned long flags;

	check_clock(CLOCK_MONOTONIC, mode);
	struct hrtimer_cpu_base *base = lock_hrtimer_base(timer, &flags);

	if (timer->state & HRTIMER_STATE_ENQUEUED)
		dequeue_hrtimer(timer);
	if (mode & HRTIMER_MODE_REL)
		tim = add_safe(tim, (ktime_t)ktime_get_ns());
	timer->is_rel = !!(mode & HRTIMER_MODE_REL);
	timer->_softexpires = tim;
	timer->expires = add_safe(tim, (ktime_t)range_ns);
	base = switch_hrtimer_base(timer, base);
	enqueue_hrtimer(base, timer);
	reprogram_if_first(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
}

/* Not queued on return, if it was (1); -1 without touching it while its
 * callback runs. The APIC is left as it is: an interrupt that finds
 * nothing to run just asks for the next. */
int hrtimer_try_to_cancel(struct hrtimer *timer)
{
	unsigned long flags;
	int ret = 0;

	struct hrtimer_cpu_base *base = lock_hrtimer_base(timer, &flags);
	if (base->running == timer) {
		ret = -1;
	} else if (timer->state & HRTIMER_STATE_ENQUEUED) {
		dequeue_hrtimer(timer);
		ret = 1;
	}
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}

/* Try until the callback is not running. It cannot slip away meanwhile:
 * a re-queue happens before "running" is cleared, and the next try
 * finds it queued and takes it off. */
int hrtimer_cancel(struct hrtimer *timer)
{
	for (;;) {
		int ret = hrtimer_try_to_cancel(timer);
		if (ret >= 0)
			return ret;
		if (WARN(in_hardirq() && READ_ONCE(timer->base) == raw_cpu_ptr(&hrtimer_bases),
			 "hrtimer_cancel: %pS waits for itself\n", (void *)timer->function))
			return 0;
		cpu_relax();
	}
}

/*
 * Move the expiry forward by whole intervals until it is after `now`;
 * return how many (0 if it already was). Only while not queued: from the
 * callback, or on an idle timer.
 */
unsigned long long hrtimer_forward(struct hrtimer *timer, ktime_t now, ktime_t interval)
{
	ktime_t late = now - timer->expires;

	if (late < 0)
		return 0;
	if (WARN_ON(timer->state & HRTIMER_STATE_ENQUEUED))
		return 0;
	if (interval < (ktime_t)hrtimer_resolution)
		interval = hrtimer_resolution;
	unsigned long long n = (unsigned long long)(late / interval) + 1;
	hrtimer_add_expires_ns(timer, n * (unsigned long long)interval);
	return n;
}

unsigned long long hrtimer_forward_now(struct hrtimer *timer, ktime_t interval)
{
	return hrtimer_forward(timer, hrtimer_cb_get_time(timer), interval);
}

bool hrtimer_active(const struct hrtimer *timer)
{
	unsigned long flags;

	struct hrtimer_cpu_base *base = lock_hrtimer_base(timer, &flags);
	bool active = (timer->state & HRTIMER_STATE_ENQUEUED) || base->running == timer;
	spin_unlock_irqrestore(&base->lock, flags);
	return active;
}

bool hrtimer_callback_running(const struct hrtimer *timer)
{
	return READ_ONCE(READ_ONCE(timer->base)->running) == timer;
}

/* ---- the interrupt ---- */

/* Run one expired timer (base locked; unlocked around the callback). */
static void run_hrtimer(struct hrtimer_cpu_base *base, struct hrtimer *t)
{
	enum hrtimer_restart (*fn)(struct hrtimer *) = t->function;

	/* With the dequeue, in one locked step; hrtimer_callback_running()
	 * reads it without the lock, hence WRITE_ONCE. */
	WRITE_ONCE(base->running, t);
	dequeue_hrtimer(t);
	spin_unlock(&base->lock);
	enum hrtimer_restart restart = fn(t);
	delay_hook(hrtimer_callback_done, t);
	spin_lock(&base->lock);
	/* It may have been started meanwhile (by itself or another CPU):
	 * then it is queued already, for the time that start gave. */
	if (restart != HRTIMER_NORESTART && !(t->state & HRTIMER_STATE_ENQUEUED))
		enqueue_hrtimer(base, t);
	WRITE_ONCE(base->running, NULL);	/* only now: cancel saw it all along */
}

/* Everything due by `now`, earliest first. A timer re-queued for a time
 * not after `now` runs again in this pass - as in Linux, where a callback
 * that returns HRTIMER_RESTART without moving its expiry forward hangs
 * its CPU. */
static void run_queue(struct hrtimer_cpu_base *base, ktime_t now)
{
	while (!list_empty(&base->active)) {
		struct hrtimer *t = list_first_entry(&base->active, struct hrtimer, node);
		if (now < t->_softexpires)
			break;
		run_hrtimer(base, t);
	}
}

#define MAX_RETRIES	3
#define MAX_HANG_NS	(100 * NSEC_PER_MSEC)

/*
 * LOCAL_TIMER_VECTOR: run what is due, then program the next expiry. If
 * that has passed too (the callbacks took long, or the host paused us),
 * run again, up to MAX_RETRIES times; then give the rest of the system a
 * moment - as long as we spent here, at most 100 ms - before the next
 * interrupt, so that timers cannot starve the CPU (Linux's "hang").
 */
static void hrtimer_interrupt(struct pt_regs *regs)
{
	static int hang_reported;
	struct hrtimer_cpu_base *base = this_cpu_ptr(&hrtimer_bases);
	ktime_t entry = (ktime_t)ktime_get_ns(), now = entry, hang = 0;

	this_cpu_write(irq_regs, regs);
	spin_lock(&base->lock);
	base->in_hrtirq = true;
	for (int tries = 0;; tries++) {
		run_queue(base, now);
		ktime_t next = first_expiry(base);
		now = (ktime_t)ktime_get_ns();
		if (next > now) {
			base->in_hrtirq = false;
			if (next != KTIME_MAX)
				program_event(base, next);
			else
				base->expires_next = KTIME_MAX;
			break;
		}
		if (tries == MAX_RETRIES) {
			ktime_t pause = now - entry < (ktime_t)MAX_HANG_NS ? now - entry
									  : (ktime_t)MAX_HANG_NS;
			base->in_hrtirq = false;
			program_event(base, now + pause);
			hang = now - entry;
			break;
		}
	}
	spin_unlock(&base->lock);
	if (hang && !xchg(&hang_reported, 1))
		pr_warn("hrtimer: interrupt took %llu ns\n", (unsigned long long)hang);
	this_cpu_write(irq_regs, NULL);
}

/* ---- start-up and reports ---- */

/* Every CPU, before its interrupts are on: its base, its APIC timer in
 * one-shot mode; the first CPU also takes the vector. */
void hrtimers_init_cpu(void)
{
	struct hrtimer_cpu_base *base = this_cpu_ptr(&hrtimer_bases);

	spin_lock_init(&base->lock);
	INIT_LIST_HEAD(&base->active);
	base->running = NULL;
	base->expires_next = KTIME_MAX;
	base->in_hrtirq = false;
	base->cpu = smp_processor_id();
	if (base->cpu == 0)
		set_vector_handler(LOCAL_TIMER_VECTOR, hrtimer_interrupt);
	lapic_timer_start();
}

void hrtimer_print_pending(void)
{
	ktime_t now = (ktime_t)ktime_get_ns();
	int cpu;

	for_each_online_cpu(cpu) {
		struct hrtimer_cpu_base *base = per_cpu_ptr(&hrtimer_bases, cpu);
		struct hrtimer *t;
		if (!base->active.next)
			continue;
		list_for_each_entry(t, &base->active, node)
			printk(KERN_INFO "hrtimer on cpu%d: expires in %lld ns, fn %pS\n", cpu,
			       (long long)(t->expires - now), (void *)t->function);
	}
}
