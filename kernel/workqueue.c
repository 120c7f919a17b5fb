/*
 * workqueue.c - work items run by pools of kernel threads (contract in
 * workqueue.h).
 *
 * Each CPU has a pool: a list of pending items under a lock, and worker
 * threads bound to the CPU (kworker/N:M). An ordered workqueue has a pool
 * of its own with at most one worker, which runs its items in order.
 *
 * Ownership of an item is its PENDING bit: who sets it queues the item,
 * and only one of them can. A worker clears it when the function starts,
 * so the function (or anyone) may queue the item again while it runs.
 *
 * A worker takes the first item off its pool's list. If another worker of
 * the pool is running that same item, the item goes to that worker's own
 * `scheduled` list instead: an item never runs twice at once. Queueing
 * goes to the pool where the item runs, if it runs, for the same reason.
 *
 * flush_work() puts a barrier - a work item of its own, on its stack,
 * that completes a completion - right after the item (marking the item
 * LINKED, so that moving the item moves its barrier too), or first on
 * the scheduled list of the worker running it, and waits for it.
 * flush_workqueue() counts each queued item in one of two colors: a
 * flush switches new items to the other color and waits until the old
 * one counts zero.
 *
 * A pool keeps one worker idle while it has items: the worker that takes
 * the last idle one's place starts another (up to a cap) before running
 * its item, so an item that sleeps or waits for another item leaves a
 * worker for the rest. Once the rush is over, a per-CPU pool keeps
 * POOL_IDLE_WORKERS idle workers; those beyond retire at once (Linux lets
 * them idle five minutes first): a quiet pool always has the same two.
 */
#include "kernel/workqueue.h"
#include "kernel/debugobjects.h"
#include "kernel/delay_hook.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/gfp.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "arch/x86/irqflags.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sync/lockdep.h"
#include "sync/mutex.h"
#include "sync/percpu.h"
#include "sync/spinlock.h"

#define WORK_NO_COLOR (-1)
#define POOL_IDLE_WORKERS 2

struct worker_pool {
	spinlock_t lock;
	int cpu;			/* -1: an ordered workqueue's own pool */
	int id;				/* in worker names */
	int max_workers;
	struct list_head worklist;	/* pending items, in order */
	struct list_head idle;		/* idle workers */
	struct list_head busy;		/* workers running an item */
	int nr_workers, nr_idle;
	bool creating;			/* a worker is starting another */
	int next_worker_id;
	struct list_head all;		/* on all_pools while it exists */
};

struct worker {
	struct task_struct *task;
	struct worker_pool *pool;
	struct list_head node;		/* on pool->idle or pool->busy */
	struct list_head scheduled;	/* items only this worker may run */
	struct work_struct *current_work;
	work_func_t current_func;
	int id;
};

struct workqueue_struct {
	char name[24];
	unsigned int flags;
	struct worker_pool *own_pool;	/* ordered workqueues: their pool */
	spinlock_t lock;		/* color, in_flight, draining */
	int color;			/* of items queued now */
	int in_flight[2];		/* queued or running, by color */
	bool draining;
	wait_queue_head_t flushed;
	struct mutex flush_mutex;	/* one flush_workqueue() at a time */
	struct lockdep_map lockdep_map;	/* "held" by its running items */
};

static DEFINE_PER_CPU(struct worker_pool, cpu_pools);
static atomic_t next_pool_id;

struct workqueue_struct *system_wq, *system_highpri_wq, *system_long_wq,
	*system_unbound_wq, *system_freezable_wq, *system_power_efficient_wq;

/* debugobjects: a work item is active while it is queued. */
static void *work_debug_hint(void *addr)
{
	return (void *)((struct work_struct *)addr)->func;
}

static void work_fixup_active(void *addr)
{
	cancel_work(addr);		/* off the queue, before its memory goes */
}

static const struct debug_obj_descr work_debug_descr = {
	.name = "work_struct",
	.debug_hint = work_debug_hint,
	.fixup_active = work_fixup_active,
};

void __init_work(struct work_struct *work, work_func_t func, const char *name,
		 const void *key)
{
	debug_object_init(work, &work_debug_descr);	/* before: queued still? */
	work->data = 0;
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->pool = NULL;
	work->wq = NULL;
	work->color = WORK_NO_COLOR;
	lockdep_init_map(&work->lockdep_map, name, key);
}

/* ---- colors: what flush_workqueue() waits for ---- */

static void get_color(struct workqueue_struct *wq, struct work_struct *work)
{
	spin_lock(&wq->lock);
	work->color = wq->color;
	wq->in_flight[wq->color]++;
	spin_unlock(&wq->lock);
}

static void put_color(struct workqueue_struct *wq, int color)
{
	unsigned long flags;

	if (!wq || color == WORK_NO_COLOR)
		return;
	spin_lock_irqsave(&wq->lock, flags);
	if (--wq->in_flight[color] == 0)
		wake_up_all(&wq->flushed);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* ---- pools and workers ---- */

/* pool->lock held. The worker of this pool running `work`, if one is. */
static struct worker *find_worker_executing(struct worker_pool *pool,
					    struct work_struct *work)
{
	struct worker *w;

	list_for_each_entry(w, &pool->busy, node)
		if (w->current_work == work && w->current_func == work->func)
			return w;
	return NULL;
}

/* pool->lock held. Move work, and the barriers linked after it, to the
 * tail of head. */
static void move_linked_works(struct work_struct *work, struct list_head *head)
{
	for (;;) {
		struct work_struct *next = list_next_entry(work, entry);
		bool linked = test_bit(WORK_STRUCT_LINKED_BIT, &work->data);
		list_move_tail(&work->entry, head);
		if (!linked)
			return;
		work = next;
	}
}

static void wake_idle_worker(struct worker_pool *pool)
{
	if (!list_empty(&pool->idle))
		wake_up_process(list_first_entry(&pool->idle, struct worker, node)->task);
}

static int worker_thread(void *arg);
DEFINE_DELAY_HOOK(wq_worker_idle);

/* Process context, no lock held. Returns the new worker (asleep, idle). */
static struct worker *create_worker(struct worker_pool *pool)
{
	struct worker *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int id;

	if (!w)
		return NULL;
	spin_lock_irq(&pool->lock);
	id = pool->next_worker_id++;
	spin_unlock_irq(&pool->lock);
	INIT_LIST_HEAD(&w->scheduled);
	INIT_LIST_HEAD(&w->node);
	w->pool = pool;
	w->id = id;
	if (pool->cpu >= 0)
		w->task = kthread_create(worker_thread, w, "kworker/%d:%d", pool->cpu, id);
	else
		w->task = kthread_create(worker_thread, w, "kworker/u%d:%d", pool->id, id);
	if (IS_ERR(w->task)) {
		kfree(w);
		return NULL;
	}
	get_task_struct(w->task);	/* an ordered pool's destroy stops it */
	w->task->flags |= PF_WQ_WORKER;
	if (pool->cpu >= 0)
		kthread_bind(w->task, pool->cpu);
	spin_lock_irq(&pool->lock);
	pool->nr_workers++;
	pool->nr_idle++;
	list_add(&w->node, &pool->idle);
	spin_unlock_irq(&pool->lock);
	wake_up_process(w->task);
	return w;
}

/*
 * pool->lock held, irqs off; may drop it. The caller just left the idle
 * list: if it was the last idle worker and items wait, start another
 * one, so that an item that sleeps does not hold the rest up.
 */
static void maybe_create_worker(struct worker *me)
{
	struct worker_pool *pool = me->pool;

	if (pool->nr_idle || pool->creating || pool->nr_workers >= pool->max_workers ||
	    list_empty(&pool->worklist))
		return;
	pool->creating = true;
	spin_unlock_irq(&pool->lock);
	if (!create_worker(pool))
		printk(KERN_WARNING "workqueue: cannot start a worker for pool %d\n",
		       pool->id);
	spin_lock_irq(&pool->lock);
	pool->creating = false;
}

/*
 * Every pool that exists. A work item remembers the pool it was last
 * queued on (work->pool), and outlives it when that was an ordered
 * workqueue's own pool, freed by destroy_workqueue(): Linux keeps a pool
 * ID in the item and looks it up (get_work_pool(), a freed pool's ID is
 * gone), here the pointer is looked up in this list before it is used.
 * (KASAN found the old code locking a freed pool: queue_work() of an
 * item whose last workqueue had been destroyed.) pools_lock nests
 * outside each pool's lock.
 */
static LIST_HEAD(all_pools);
static DEFINE_SPINLOCK(pools_lock);

static void init_pool(struct worker_pool *pool, int cpu, int max_workers)
{
	unsigned long flags;

	spin_lock_init(&pool->lock);
	pool->cpu = cpu;
	pool->id = atomic_inc_return(&next_pool_id) - 1;
	pool->max_workers = max_workers;
	INIT_LIST_HEAD(&pool->worklist);
	INIT_LIST_HEAD(&pool->idle);
	INIT_LIST_HEAD(&pool->busy);
	spin_lock_irqsave(&pools_lock, flags);
	list_add(&pool->all, &all_pools);
	spin_unlock_irqrestore(&pools_lock, flags);
}

/* Before freeing a pool: nobody finds it any more, nobody holds it. */
static void retire_pool(struct worker_pool *pool)
{
	spin_lock_irq(&pools_lock);
	list_del(&pool->all);
	spin_unlock_irq(&pools_lock);
	spin_lock_irq(&pool->lock);
	spin_unlock_irq(&pool->lock);
}

/* The pool work was last queued on, locked, if it still exists (Linux's
 * get_work_pool() and its lock); NULL otherwise. Interrupts off. */
static struct worker_pool *lock_last_pool(struct work_struct *work)
{
	struct worker_pool *last = READ_ONCE(work->pool), *p;

	if (!last)
		return NULL;
	spin_lock(&pools_lock);
	list_for_each_entry(p, &all_pools, all) {
		if (p == last) {
			spin_lock(&p->lock);
			spin_unlock(&pools_lock);
			return p;
		}
	}
	spin_unlock(&pools_lock);
	return NULL;
}

/* ---- running items ---- */

static void check_leaks(struct worker *w, work_func_t fn, int depth)
{
	if (likely(preempt_count() == 0 && lockdep_depth() == depth &&
		   current->rcu_read_depth == 0))
		return;
	printk(KERN_ERR "BUG: workqueue leaked atomic, lock or RCU: %s\n"
	       "     preempt=0x%08x lock=%d->%d RCU=%d workfn=%pS\n", current->comm,
	       preempt_count(), depth, lockdep_depth(), current->rcu_read_depth, (void *)fn);
	dump_stack();
	count_warning();
	/* Repair what can be, so that the worker goes on (a leaked mutex
	 * stays leaked: its waiters will show who holds it). */
	this_cpu_write(__preempt_count, 0);
	current->rcu_read_depth = 0;
	(void)w;
}

/*
 * pool->lock held, irqs off; drops it around the function. The item is
 * first on this worker's scheduled list.
 */
static void process_one_work(struct worker *w, struct work_struct *work)
{
	struct worker_pool *pool = w->pool;
	struct worker *collision = find_worker_executing(pool, work);

	if (collision) {		/* it runs: run it after, on that worker */
		move_linked_works(work, &collision->scheduled);
		return;
	}
	list_del_init(&work->entry);
	debug_object_deactivate(work, &work_debug_descr);
	work_func_t fn = work->func;
	struct workqueue_struct *wq = work->wq;
	int color = work->color;
	w->current_work = work;
	w->current_func = fn;
	/* Not pending any more: it may be queued again from now on. The
	 * barrier linked after it stays first on our scheduled list. */
	clear_bit(WORK_STRUCT_LINKED_BIT, &work->data);
	clear_bit_unlock(WORK_STRUCT_PENDING_BIT, &work->data);
	spin_unlock_irq(&pool->lock);

	/* The item's lockdep map, copied: after fn() returns, `work` may be
	 * freed (its function's business) - a flush barrier always is. */
	struct lockdep_map work_map __maybe_unused = work->lockdep_map;
	int depth = lockdep_depth();
	if (wq)
		lock_acquire(&wq->lockdep_map, 0, false, LOCKDEP_SLEEP, (unsigned long)fn);
	lock_acquire(&work_map, 0, false, LOCKDEP_SLEEP, (unsigned long)fn);
	fn(work);
	lock_release(&work_map, LOCKDEP_SLEEP);
	if (wq)
		lock_release(&wq->lockdep_map, LOCKDEP_SLEEP);
	check_leaks(w, fn, depth);
	cond_resched();

	spin_lock_irq(&pool->lock);
	w->current_work = NULL;
	w->current_func = NULL;
	put_color(wq, color);
}

static void process_scheduled_works(struct worker *w)
{
	while (!list_empty(&w->scheduled))
		process_one_work(w, list_first_entry(&w->scheduled, struct work_struct, entry));
}

static int worker_thread(void *arg)
{
	struct worker *w = arg;
	struct worker_pool *pool = w->pool;

	spin_lock_irq(&pool->lock);
	for (;;) {
		if (list_empty(&pool->worklist)) {
			/* Asleep-to-be before the last look at the stop flag:
			 * kthread_stop() sets it, then wakes us, so a stop that
			 * comes after the look finds us TASK_INTERRUPTIBLE and
			 * its wake-up is not lost. */
			set_current_state(TASK_INTERRUPTIBLE);
			if (kthread_should_stop()) {
				__set_current_state(TASK_RUNNING);
				break;
			}
			spin_unlock_irq(&pool->lock);
			delay_hook(wq_worker_idle, current);
			schedule();
			spin_lock_irq(&pool->lock);
			continue;
		}
		/* Leave the idle list; perhaps start a worker to take our place. */
		list_move(&w->node, &pool->busy);
		pool->nr_idle--;
		maybe_create_worker(w);
		while (!list_empty(&pool->worklist)) {
			move_linked_works(list_first_entry(&pool->worklist,
							   struct work_struct, entry),
					  &w->scheduled);
			process_scheduled_works(w);
		}
		if (pool->cpu >= 0 && pool->nr_idle >= POOL_IDLE_WORKERS)
			break;			/* enough idle ones: retire */
		list_move(&w->node, &pool->idle);
		pool->nr_idle++;
	}
	if (pool->cpu >= 0) {			/* retiring from a per-CPU pool */
		list_del(&w->node);
		pool->nr_workers--;
		spin_unlock_irq(&pool->lock);
		put_task_struct(w->task);
		kfree(w);
		return 0;
	}
	list_del(&w->node);
	pool->nr_idle--;
	pool->nr_workers--;
	spin_unlock_irq(&pool->lock);
	return 0;
}

/* ---- queueing ---- */

static struct worker_pool *target_pool(struct workqueue_struct *wq, int cpu)
{
	if (wq->own_pool)
		return wq->own_pool;
	if (cpu == WORK_CPU_UNBOUND || !cpu_online(cpu))
		cpu = raw_smp_processor_id();
	return per_cpu_ptr(&cpu_pools, cpu);
}

/*
 * Irqs off; the caller owns PENDING. If the item runs in the pool where
 * it last went, it goes there again (no two runs at once); else to the
 * pool asked for.
 */
static void __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	struct worker_pool *pool = target_pool(wq, cpu);
	struct worker_pool *last = READ_ONCE(work->pool);

	if (WARN(wq->draining && !(current->flags & PF_WQ_WORKER),
		      "workqueue %s: queueing while it is destroyed or drained\n", wq->name)) {
		clear_bit(WORK_STRUCT_PENDING_BIT, &work->data);
		return;
	}
	if (last && last != pool && (last = lock_last_pool(work))) {
		if (find_worker_executing(last, work))
			pool = last;
		spin_unlock(&last->lock);
	}
	spin_lock(&pool->lock);
	WRITE_ONCE(work->pool, pool);	/* lock_last_pool() reads it unlocked */
	work->wq = wq;
	get_color(wq, work);
	list_add_tail(&work->entry, &pool->worklist);
	debug_object_activate(work, &work_debug_descr);
	wake_idle_worker(pool);
	spin_unlock(&pool->lock);
}

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	unsigned long flags;
	bool queued = false;

	if (WARN(!wq, "queue_work: no workqueue (before workqueue_init?)\n"))
		return false;
	local_irq_save(flags);
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, &work->data)) {
		__queue_work(cpu, wq, work);
		queued = true;
	}
	local_irq_restore(flags);
	return queued;
}

/* ---- delayed work ---- */

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dw = from_timer(dw, t, timer);

	__queue_work(dw->cpu, dw->wq, &dw->work);	/* irqs off: TIMER_IRQSAFE */
}

/* Irqs off, PENDING owned. */
static void __queue_delayed_work(int cpu, struct workqueue_struct *wq,
				 struct delayed_work *dw, unsigned long delay)
{
	dw->wq = wq;
	dw->cpu = cpu;
	if (!delay) {
		__queue_work(cpu, wq, &dw->work);
		return;
	}
	dw->timer.expires = jiffies + delay;
	if (cpu == WORK_CPU_UNBOUND)
		add_timer(&dw->timer);
	else
		add_timer_on(&dw->timer, cpu);
}

bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dw,
			   unsigned long delay)
{
	unsigned long flags;
	bool queued = false;

	if (WARN(!wq, "queue_delayed_work: no workqueue\n"))
		return false;
	WARN_ON_ONCE(dw->timer.function != delayed_work_timer_fn);
	local_irq_save(flags);
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, &dw->work.data)) {
		__queue_delayed_work(cpu, wq, dw, delay);
		queued = true;
	}
	local_irq_restore(flags);
	return queued;
}

/*
 * Irqs off. Take PENDING away from whoever has it: 1 if the item was
 * pending (its timer stopped, or taken off its list), 0 if it was idle;
 * both leave PENDING ours. -EAGAIN: it is on its way onto a list (a
 * queue_work on another CPU, a timer firing): try again.
 */
static int try_to_grab_pending(struct work_struct *work, bool is_dwork)
{
	if (is_dwork && del_timer(&to_delayed_work(work)->timer))
		return 1;
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, &work->data))
		return 0;
	struct worker_pool *pool = lock_last_pool(work);
	if (!pool)
		return -EAGAIN;
	if (work->pool == pool && !list_empty(&work->entry) &&
	    test_bit(WORK_STRUCT_PENDING_BIT, &work->data)) {
		/* A barrier linked after it stays where it is: it runs on
		 * its own, and its flusher returns. */
		list_del_init(&work->entry);
		debug_object_deactivate(work, &work_debug_descr);
		clear_bit(WORK_STRUCT_LINKED_BIT, &work->data);
		spin_unlock(&pool->lock);
		put_color(work->wq, work->color);
		return 1;
	}
	spin_unlock(&pool->lock);
	return -EAGAIN;
}

/* Grab PENDING, however long the item takes to land (irqs on). */
static int grab_pending(struct work_struct *work, bool is_dwork, unsigned long *flags)
{
	for (;;) {
		local_irq_save(*flags);
		int ret = try_to_grab_pending(work, is_dwork);
		if (ret >= 0)
			return ret;
		local_irq_restore(*flags);
		cpu_relax();
	}
}

bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dw,
			 unsigned long delay)
{
	unsigned long flags;
	int ret = grab_pending(&dw->work, true, &flags);

	__queue_delayed_work(cpu, wq, dw, delay);
	local_irq_restore(flags);
	return ret == 1;
}

/* ---- flushing ---- */

struct wq_barrier {
	struct work_struct work;
	struct completion done;
};

static void wq_barrier_func(struct work_struct *work)
{
	complete(&container_of(work, struct wq_barrier, work)->done);
}

/* Queue a barrier behind the last queueing of work. false: nothing to
 * wait for (neither pending nor running). */
static bool start_flush_work(struct work_struct *work, struct wq_barrier *barr)
{
	struct list_head *before;
	bool linked = false;

	local_irq_disable();
	struct worker_pool *pool = lock_last_pool(work);
	if (!pool) {			/* never queued, or its pool is gone */
		local_irq_enable();
		return false;
	}
	struct worker *w = find_worker_executing(pool, work);
	if (work->pool == pool && !list_empty(&work->entry)) {
		before = &work->entry;		/* pending: right after it */
		linked = test_bit(WORK_STRUCT_LINKED_BIT, &work->data);
		set_bit(WORK_STRUCT_LINKED_BIT, &work->data);
	} else if (w) {
		before = &w->scheduled;		/* running: next on its worker */
	} else {
		spin_unlock_irq(&pool->lock);
		return false;
	}
	INIT_WORK_ONSTACK(&barr->work, wq_barrier_func);
	init_completion(&barr->done);
	barr->work.data = (1UL << WORK_STRUCT_PENDING_BIT) |
			  (linked ? 1UL << WORK_STRUCT_LINKED_BIT : 0);
	barr->work.pool = pool;
	/* Whoever takes the item, or runs it, finds the barrier next. */
	list_add(&barr->work.entry, before);
	spin_unlock_irq(&pool->lock);
	return true;
}

static bool __flush_work(struct work_struct *work)
{
	struct wq_barrier barr;

	might_sleep();
	if (WARN(current_work() == work, "flush_work: %pS flushes itself\n",
		      (void *)work->func))
		return false;
	/* For lockdep: waiting for work is like taking it. */
	lock_acquire(&work->lockdep_map, 0, false, LOCKDEP_SLEEP, _RET_IP_);
	lock_release(&work->lockdep_map, LOCKDEP_SLEEP);
	if (!start_flush_work(work, &barr))
		return false;
	wait_for_completion(&barr.done);
	return true;
}

bool flush_work(struct work_struct *work)
{
	return __flush_work(work);
}

bool flush_delayed_work(struct delayed_work *dw)
{
	unsigned long flags;

	local_irq_save(flags);
	if (del_timer(&dw->timer))	/* PENDING stays ours: queue it now */
		__queue_work(dw->cpu, dw->wq, &dw->work);
	local_irq_restore(flags);
	return flush_work(&dw->work);
}

void flush_workqueue(struct workqueue_struct *wq)
{
	int color;

	might_sleep();
	lock_acquire(&wq->lockdep_map, 0, false, LOCKDEP_SLEEP, _RET_IP_);
	lock_release(&wq->lockdep_map, LOCKDEP_SLEEP);
	mutex_lock(&wq->flush_mutex);
	spin_lock_irq(&wq->lock);
	color = wq->color;
	wq->color ^= 1;			/* later items: the other color */
	spin_unlock_irq(&wq->lock);
	wait_event(wq->flushed, READ_ONCE(wq->in_flight[color]) == 0);
	mutex_unlock(&wq->flush_mutex);
}

/* Flush until empty: items that queue items (chains) finish too. */
void drain_workqueue(struct workqueue_struct *wq)
{
	spin_lock_irq(&wq->lock);
	wq->draining = true;
	spin_unlock_irq(&wq->lock);
	for (;;) {
		flush_workqueue(wq);
		spin_lock_irq(&wq->lock);
		bool empty = !wq->in_flight[0] && !wq->in_flight[1];
		spin_unlock_irq(&wq->lock);
		if (empty)
			break;
	}
	spin_lock_irq(&wq->lock);
	wq->draining = false;
	spin_unlock_irq(&wq->lock);
}

/* ---- cancelling ---- */

static bool __cancel_work(struct work_struct *work, bool is_dwork, bool sync)
{
	unsigned long flags;
	int ret;

	if (sync) {
		might_sleep();
		WARN(current_work() == work, "cancel_work_sync: %pS cancels itself\n",
			  (void *)work->func);
	}
	ret = grab_pending(work, is_dwork, &flags);
	local_irq_restore(flags);
	/* PENDING is ours: nobody can queue it. Wait for a running one. */
	if (sync)
		__flush_work(work);
	clear_bit(WORK_STRUCT_PENDING_BIT, &work->data);
	return ret == 1;
}

bool cancel_work(struct work_struct *work)
{
	return __cancel_work(work, false, false);
}

bool cancel_work_sync(struct work_struct *work)
{
	return __cancel_work(work, false, true);
}

bool cancel_delayed_work(struct delayed_work *dw)
{
	return __cancel_work(&dw->work, true, false);
}

bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	return __cancel_work(&dw->work, true, true);
}

struct work_struct *current_work(void)
{
	struct task_struct *t = current;

	if (!t || !(t->flags & PF_WQ_WORKER) || in_interrupt())
		return NULL;
	return ((struct worker *)t->data)->current_work;
}

/* ---- workqueues ---- */

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;

	(void)max_active;		/* the pools' own limit applies */
	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	wq->flags = flags;
	spin_lock_init(&wq->lock);
	init_waitqueue_head(&wq->flushed);
	mutex_init(&wq->flush_mutex);
	lockdep_init_map(&wq->lockdep_map, wq->name, LOCKDEP_SITE_KEY);
	if (flags & __WQ_ORDERED) {
		wq->own_pool = kzalloc(sizeof(*wq->own_pool), GFP_KERNEL);
		if (!wq->own_pool) {
			kfree(wq);
			return NULL;
		}
		init_pool(wq->own_pool, -1, 1);
		if (!create_worker(wq->own_pool)) {
			retire_pool(wq->own_pool);
			kfree(wq->own_pool);
			kfree(wq);
			return NULL;
		}
	}
	return wq;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct worker_pool *pool = wq->own_pool;

	drain_workqueue(wq);
	if (pool) {
		/* Drained and idle: stop its worker (the list cannot change:
		 * an ordered pool never starts a second one). */
		spin_lock_irq(&pool->lock);
		struct worker *w = list_first_entry_or_null(&pool->idle, struct worker, node);
		spin_unlock_irq(&pool->lock);
		if (w) {
			kthread_stop_put(w->task);
			kfree(w);
		}
		retire_pool(pool);
		kfree(pool);
	}
	kfree(wq);
}

/* Which worker pools exist and how busy they are: `workqueues` in the
 * shell, and tests. */
void workqueue_stats(int cpu, int *workers, int *idle)
{
	struct worker_pool *pool = per_cpu_ptr(&cpu_pools, cpu);

	spin_lock_irq(&pool->lock);
	*workers = pool->nr_workers;
	*idle = pool->nr_idle;
	spin_unlock_irq(&pool->lock);
}

static int workqueue_init(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct worker_pool *pool = per_cpu_ptr(&cpu_pools, cpu);
		init_pool(pool, cpu, WQ_MAX_WORKERS_PER_POOL);
		for (int i = 0; i < POOL_IDLE_WORKERS; i++)
			if (!create_worker(pool))
				panic("workqueue: cannot start kworker/%d:%d", cpu, i);
	}
	system_wq = alloc_workqueue("events", 0, 0);
	system_highpri_wq = alloc_workqueue("events_highpri", WQ_HIGHPRI, 0);
	system_long_wq = alloc_workqueue("events_long", 0, 0);
	system_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, WQ_MAX_ACTIVE);
	system_freezable_wq = alloc_workqueue("events_freezable", WQ_FREEZABLE, 0);
	system_power_efficient_wq = alloc_workqueue("events_power_efficient",
						    WQ_POWER_EFFICIENT, 0);
	if (!system_wq || !system_highpri_wq || !system_long_wq || !system_unbound_wq ||
	    !system_freezable_wq || !system_power_efficient_wq)
		panic("workqueue: cannot allocate the system workqueues");
	return 0;
}
core_initcall(workqueue_init);
