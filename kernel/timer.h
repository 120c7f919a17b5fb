/*
 * timer.h - the periodic tick, and timers with Linux's API.
 *
 * Every CPU ticks HZ times a second (the tick is an hrtimer,
 * kernel/hrtimer.h, firing at multiples of TICK_NSEC). The tick
 * counts per CPU, advances jiffies (kernel/jiffies.h), runs the tick
 * hooks (scheduler, test watchdog, soft-lockup detector) and expires
 * timers.
 *
 *   struct timer_list t;
 *   timer_setup(&t, my_fn, 0);           once
 *   mod_timer(&t, jiffies + HZ / 10);    (re)arm: my_fn(&t) in ~100 ms
 *   del_timer_sync(&t);                  gone, and my_fn not running
 *
 *   static void my_fn(struct timer_list *t)
 *   {
 *           struct foo *f = from_timer(f, t, timer);
 *           ...                          may mod_timer(t, ...) itself
 *   }
 *
 * Contract (Linux's):
 *  - The callback runs once per arming, at the first tick on or after
 *    `expires` (jiffies) - a callback that re-arms for the current jiffy
 *    runs again at the next tick - on the CPU whose timer list holds the
 *    timer: the one that last armed it with mod_timer() or add_timer()
 *    (a timer whose callback is running stays where it is), or the one
 *    add_timer_on() names; in the
 *    timer softirq (kernel/softirq.h): in_serving_softirq() is true,
 *    interrupts are on, it must not sleep. Data it shares with threads is
 *    locked with spin_lock_bh() there. The timer lock is NOT held while it
 *    runs: it may re-arm its own timer, or arm and delete others.
 *  - mod_timer() arms or re-arms, returns 1 if the timer was pending;
 *    add_timer() arms a timer that is not pending (expires set before).
 *  - del_timer() (timer_delete()) disarms without waiting: the callback
 *    may still be running on another CPU when it returns. Returns 1 if
 *    it was pending.
 *  - del_timer_sync() (timer_delete_sync()) disarms and waits until the
 *    callback is not running anywhere; afterwards the timer may be freed
 *    - unless the callback re-arms it: stop that first, or use
 *    timer_shutdown_sync(), after which arming it does nothing. Never
 *    call it from the callback itself, nor holding a lock the callback
 *    takes (it would wait for ever): lockdep treats the timer as a lock
 *    the callback holds, so that order is reported as the circular
 *    dependency it is, even when the timing never makes it hang.
 *  - All of them may be called from any context, interrupts included,
 *    but del_timer_sync() from a hard interrupt only for a TIMER_IRQSAFE
 *    timer (whose callback runs with interrupts off), as in Linux.
 */
#pragma once
#include <stdint.h>
#include "kernel/compiler.h"
#include "kernel/jiffies.h"
#include "kernel/list.h"
#include "sync/percpu.h"

DECLARE_PER_CPU(uint64_t, tick_count);

typedef void (*tick_hook_t)(void);
void register_tick_hook(tick_hook_t fn);

#include "sync/lockdep.h"

struct timer_list {
	struct list_head entry;		/* on its CPU's list while pending */
	unsigned long expires;		/* jiffies */
	void (*function)(struct timer_list *t);
	unsigned int flags;		/* TIMER_* */
	int cpu;			/* whose list: -1 until first armed,
					 * -2 while moving to another */
	bool shutdown;			/* timer_shutdown_sync(): never again */
	struct lockdep_map lockdep_map;	/* "held" while the callback runs */
};

/* Linux's flags. DEFERRABLE and PINNED change nothing here (no idle
 * tickless mode: mod_timer() always uses the calling CPU's list, as
 * Linux does for a PINNED timer).
 * IRQSAFE: the callback runs with interrupts off, as in Linux. */
#define TIMER_DEFERRABLE	0x1
#define TIMER_PINNED		0x2
#define TIMER_IRQSAFE		0x4

#define __TIMER_INITIALIZER(name, fn, fl) {                               \
		.entry = LIST_HEAD_INIT(name.entry), .function = (fn),     \
		.flags = (fl), .cpu = -1, .lockdep_map = LOCKDEP_MAP_INIT(fn) }
#define DEFINE_TIMER(name, fn) \
	struct timer_list name = __TIMER_INITIALIZER(name, fn, 0)

void __timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags,
		   const char *name, const void *key);
/* Timers set up on one line are one lockdep class, named for the callback. */
#define timer_setup(t, fn, flags) \
	__timer_setup((t), (fn), (flags), #fn, LOCKDEP_SITE_KEY)
#define timer_setup_on_stack(t, fn, flags) timer_setup((t), (fn), (flags))
#define destroy_timer_on_stack(t) do { (void)(t); } while (0)
#define from_timer(var, callback_timer, field) \
	container_of(callback_timer, __typeof__(*var), field)

static inline int timer_pending(const struct timer_list *t)
{
	return !list_empty(&t->entry);
}

int mod_timer(struct timer_list *t, unsigned long expires);
void add_timer(struct timer_list *t);
void add_timer_on(struct timer_list *t, int cpu);
int del_timer(struct timer_list *t);
int del_timer_sync(struct timer_list *t);
int timer_shutdown_sync(struct timer_list *t);
#define timer_delete(t)      del_timer(t)
#define timer_delete_sync(t) del_timer_sync(t)

void timer_print_pending(void);
/* The interrupted context of the tick being handled (for reports): set
 * while any hrtimer callback runs (kernel/hrtimer.c). */
struct pt_regs *get_irq_regs(void);
