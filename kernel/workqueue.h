/*
 * workqueue.h - work items run later by kernel threads, as in Linux.
 *
 *   static void my_fn(struct work_struct *w) { ... may sleep ... }
 *   static DECLARE_WORK(my_work, my_fn);
 *   schedule_work(&my_work);                 from anywhere, irqs included
 *   cancel_work_sync(&my_work);              before freeing what it uses
 *
 * Contract (Linux's):
 *  - The function runs in process context, in a worker thread of a CPU's
 *    pool (kworker/N:M in `ps`): it may sleep. Queueing an item that is
 *    already pending does nothing and returns false; an item that is
 *    running may be queued again (it will run again).
 *  - One work item never runs concurrently with itself on a workqueue:
 *    queued again while it runs, it runs again after, on the same pool.
 *  - flush_work(w) waits until the last queueing of w has finished;
 *    returns whether it had to wait. cancel_work_sync(w) returns whether w
 *    was pending, and on return w is neither pending nor running (queueing
 *    it meanwhile fails). Neither from w's own function.
 *  - Delayed work: queued after `delay` jiffies (a timer); mod_delayed_work
 *    changes the delay of a pending one (returns whether it was pending);
 *    cancel_delayed_work_sync as cancel_work_sync.
 *  - flush_workqueue(wq) waits for every item queued on wq before the
 *    call; destroy_workqueue(wq) drains it and frees it.
 *  - Per-CPU pools start more workers (up to WQ_MAX_WORKERS_PER_POOL) so
 *    that one always waits idle while items are queued: an item that
 *    sleeps, or waits for another item, does not hold the others up.
 *    An ordered workqueue (alloc_ordered_workqueue) runs its items one at
 *    a time, in order, on a worker of its own.
 *  - All queueing and cancelling calls but the _sync ones and flushes may
 *    be called from any context.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "kernel/timer.h"
#include "sync/bitops.h"
#include "sync/lockdep.h"

struct work_struct;
struct worker_pool;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

#define WORK_STRUCT_PENDING_BIT	0	/* queued, or a delayed work's timer armed */
#define WORK_STRUCT_LINKED_BIT	1	/* a flush barrier: runs right after the item before */
#define WORK_CPU_UNBOUND	(-1)

struct work_struct {
	unsigned long data;		/* WORK_STRUCT_* bits */
	struct list_head entry;		/* on a worklist while pending */
	work_func_t func;
	struct worker_pool *pool;	/* where it was last queued */
	struct workqueue_struct *wq;
	int color;			/* flush_workqueue()'s, when queued */
	struct lockdep_map lockdep_map;	/* "held" while it runs, "taken" by flushes */
};

#define __WORK_INITIALIZER(n, f) { .entry = LIST_HEAD_INIT((n).entry), .func = (f), \
		.color = -1, .lockdep_map = LOCKDEP_MAP_INIT(n) }
#define DECLARE_WORK(n, f) struct work_struct n = __WORK_INITIALIZER(n, f)
void __init_work(struct work_struct *work, work_func_t func, const char *name,
		 const void *key);
#define INIT_WORK(w, f) __init_work((w), (f), #w, LOCKDEP_SITE_KEY)
#define INIT_WORK_ONSTACK(w, f) INIT_WORK(w, f)
#define destroy_work_on_stack(w) do { (void)(w); } while (0)
#define work_pending(w) test_bit(WORK_STRUCT_PENDING_BIT, &(w)->data)

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;	/* where the timer will queue it */
	int cpu;
};

void delayed_work_timer_fn(struct timer_list *t);
#define __DELAYED_WORK_INITIALIZER(n, f, tflags) {                        \
		.work = __WORK_INITIALIZER((n).work, (f)),                 \
		.timer = __TIMER_INITIALIZER((n).timer, delayed_work_timer_fn, \
					     (tflags) | TIMER_IRQSAFE) }
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)
/* The timer is TIMER_IRQSAFE, as in Linux: it queues the item with
 * interrupts still off, so a cancel from an interrupt never waits on it. */
#define INIT_DELAYED_WORK(dw, f)                                          \
	do {                                                              \
		INIT_WORK(&(dw)->work, (f));                              \
		timer_setup(&(dw)->timer, delayed_work_timer_fn, TIMER_IRQSAFE); \
	} while (0)
#define INIT_DEFERRABLE_WORK(dw, f) INIT_DELAYED_WORK(dw, f)
#define to_delayed_work(w) container_of(w, struct delayed_work, work)
#define delayed_work_pending(dw) work_pending(&(dw)->work)

/* Workqueue flags (Linux's; the per-CPU pools serve them all here). */
enum {
	WQ_UNBOUND = 1 << 1,
	WQ_FREEZABLE = 1 << 2,
	WQ_MEM_RECLAIM = 1 << 3,
	WQ_HIGHPRI = 1 << 4,
	WQ_CPU_INTENSIVE = 1 << 5,
	WQ_SYSFS = 1 << 6,
	WQ_POWER_EFFICIENT = 1 << 7,
	__WQ_ORDERED = 1 << 17,
	WQ_MAX_ACTIVE = 512,
	WQ_DFL_ACTIVE = WQ_MAX_ACTIVE / 2,
};
#define WQ_MAX_WORKERS_PER_POOL 16

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...) __printf(1, 4);
#define alloc_ordered_workqueue(fmt, flags, args...) \
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED | (flags), 1, ##args)
#define create_workqueue(name) alloc_workqueue("%s", WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name) \
	alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, (name))
void destroy_workqueue(struct workqueue_struct *wq);
void flush_workqueue(struct workqueue_struct *wq);
void drain_workqueue(struct workqueue_struct *wq);

extern struct workqueue_struct *system_wq, *system_highpri_wq, *system_long_wq,
	*system_unbound_wq, *system_freezable_wq, *system_power_efficient_wq;

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dw,
			   unsigned long delay);
bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dw,
			 unsigned long delay);
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dw);
bool cancel_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dw);
bool cancel_delayed_work_sync(struct delayed_work *dw);

#define queue_work(wq, w) queue_work_on(WORK_CPU_UNBOUND, (wq), (w))
#define queue_delayed_work(wq, dw, d) queue_delayed_work_on(WORK_CPU_UNBOUND, (wq), (dw), (d))
#define mod_delayed_work(wq, dw, d) mod_delayed_work_on(WORK_CPU_UNBOUND, (wq), (dw), (d))
#define schedule_work(w) queue_work(system_wq, (w))
#define schedule_work_on(cpu, w) queue_work_on((cpu), system_wq, (w))
#define schedule_delayed_work(dw, d) queue_delayed_work(system_wq, (dw), (d))
#define schedule_delayed_work_on(cpu, dw, d) queue_delayed_work_on((cpu), system_wq, (dw), (d))
#define flush_scheduled_work() flush_workqueue(system_wq)

/* The work item the calling worker is running, or NULL. */
struct work_struct *current_work(void);
/* A CPU's pool: its workers, and how many of them are idle. */
void workqueue_stats(int cpu, int *workers, int *idle);
