/*
 * rcu.c - grace periods and callbacks for non-preemptible RCU.
 *
 * Quiescent states. Every CPU has a counter, rcu_qs_count, that it alone
 * increments each time it is certainly outside any reader: at every
 * context switch (__schedule), each time round the idle loop, and at a
 * tick that interrupted preemptible code (a reader has preemption off, so
 * the interrupted code was not one). Other CPUs only read it.
 *
 * A grace period (wait_for_readers):
 *   1. full barrier: the caller's removal of the old pointer is visible
 *      before we look at any CPU;
 *   2. snapshot every other online CPU's counter;
 *   3. sleep 1 ms at a time until each counter moved: that CPU has since
 *      left whatever reader it was in at the snapshot (an idle CPU's counter
 *      moves at its next tick, at the latest);
 *   4. full barrier: the caller's frees come after all of that.
 * The calling CPU needs no check: it is running the caller, who may sleep,
 * so it was not in a reader at the snapshot. Readers that begin after the
 * snapshot started after the removal and cannot find the old pointer.
 *
 * synchronize_rcu() runs one grace period of its own. call_rcu() appends
 * the callback to this CPU's list (a FIFO under a per-CPU lock, so CPUs do
 * not contend), tagged with the number of the first grace period that will
 * *start* after it: gp_started + 1. One kernel thread, rcu_gp, loops:
 * sleep until some list is non-empty; run a grace period (gp_started++,
 * wait_for_readers, gp_completed = gp_started); take from each list the
 * callbacks whose tag <= gp_completed (a prefix: tags only grow along a
 * list) and run them, in order. Callbacks queued meanwhile wait for the
 * next round, so one grace period serves a whole batch.
 *
 * rcu_barrier() queues one marker callback at the tail of every CPU's list
 * and waits until all markers ran: lists run in order, by one thread, so
 * everything queued before a marker has finished by then.
 */
#include "sync/rcu.h"
#include "kernel/debugobjects.h"
#include "sync/atomic.h"
#include "sync/spinlock.h"
#include "sched/completion.h"
#include "sched/wait.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/trace.h"

DEFINE_PER_CPU(unsigned long, rcu_qs_count);

/* One CPU's callbacks, oldest first. */
struct rcu_cblist {
	spinlock_t lock;
	struct rcu_head *head, *tail;	/* NULL, NULL when empty */
	unsigned long len;
};
static DEFINE_PER_CPU_ALIGNED(struct rcu_cblist, rcu_cbs) = {
	.lock = __SPIN_LOCK_UNLOCKED(rcu_cbs.lock),
};

static unsigned long gp_started, gp_completed;	/* written by rcu_gp only */
static DECLARE_WAIT_QUEUE_HEAD(rcu_gp_wq);	/* rcu_gp sleeps here */
static struct task_struct *rcu_gp_task;
static unsigned long stall_timeout_ns = 10 * NSEC_PER_SEC;
static atomic_long_t n_sync, n_queued, n_invoked, n_stalls;

/* ---- readers' bookkeeping and checks ---- */

void rcu_read_unlock_imbalance(void)
{
	printk(KERN_ERR "BUG: rcu_read_unlock() without rcu_read_lock(): %s/%d\n",
	       current->comm, current->pid);
	dump_stack();
}

void rcu_suspicious_usage(const char *file, int line, const char *what)
{
	printk(KERN_WARNING "WARNING: suspicious RCU usage: %s:%d: %s\n", file, line, what);
	dump_stack();
}

void rcu_sleep_check(void)
{
	struct task_struct *t = current;

	if (!t || t->rcu_read_depth <= 0)
		return;
	printk(KERN_ERR "BUG: sleeping function called inside an RCU read-side "
	       "critical section: %s/%d, rcu_read_lock() depth %d\n",
	       t->comm, t->pid, t->rcu_read_depth);
}

void rcu_report_qs(void)
{
	if (WARN_ON_ONCE(preempt_count() != 0 || rcu_read_lock_held()))
		return;		/* not quiescent: reporting would end a reader */
	rcu_qs();
}

/* The tick: a count of exactly HARDIRQ_OFFSET means the interrupted code
 * had preemption enabled, so it was not inside a reader. */
static void rcu_tick(void)
{
	if (preempt_count() == HARDIRQ_OFFSET)
		rcu_qs();
}

/* ---- grace periods ---- */

static void report_stall(const struct cpumask *pending, const unsigned long *snap,
			 uint64_t waited_ns)
{
	int cpu;

	atomic_long_inc(&n_stalls);
	printk(KERN_ERR "rcu: INFO: rcu_sched detected stalls on CPUs: a grace period "
	       "has waited %llu ms\n", (unsigned long long)(waited_ns / NSEC_PER_MSEC));
	for_each_cpu(cpu, pending)
		printk(KERN_ERR "rcu:   CPU#%d: no quiescent state (count %lu), "
		       "preempt_count %#x, running %s\n", cpu, snap[cpu],
		       READ_ONCE(per_cpu(__preempt_count, cpu)),
		       READ_ONCE(per_cpu(current_task, cpu))->comm);
}

/* Steps 1-4 of the comment at the top. Sleeps; never in a reader. */
static void wait_for_readers(void)
{
	unsigned long snap[NR_CPUS];
	struct cpumask pending = { { 0 } };
	bool stall_reported = false;
	int me, cpu, left = 0;

	smp_mb();						/* 1 */
	me = raw_smp_processor_id();
	for_each_online_cpu(cpu) {				/* 2 */
		if (cpu == me)
			continue;
		snap[cpu] = READ_ONCE(per_cpu(rcu_qs_count, cpu));
		cpumask_set_cpu(cpu, &pending);
		left++;
	}
	uint64_t start = ktime_get_ns();
	while (left) {						/* 3 */
		msleep(1);
		for_each_cpu(cpu, &pending)
			if (READ_ONCE(per_cpu(rcu_qs_count, cpu)) != snap[cpu]) {
				cpumask_clear_cpu(cpu, &pending);
				left--;
			}
		uint64_t waited = ktime_get_ns() - start;
		unsigned long limit = READ_ONCE(stall_timeout_ns);
		if (left && limit && waited > limit && !stall_reported) {
			report_stall(&pending, snap, waited);
			stall_reported = true;
		}
	}
	smp_mb();						/* 4 */
}

void synchronize_rcu(void)
{
	might_sleep();
	if (rcu_read_lock_held()) {
		printk(KERN_ERR "BUG: synchronize_rcu() called inside an RCU "
		       "read-side critical section: %s/%d\n", current->comm, current->pid);
		dump_stack();
	}
	wait_for_readers();
	atomic_long_inc(&n_sync);
}

/* ---- callbacks ---- */

static void enqueue(int cpu, struct rcu_head *head, rcu_callback_t func)
{
	struct rcu_cblist *l = per_cpu_ptr(&rcu_cbs, cpu);
	unsigned long flags;
	bool was_empty;

	head->func = func;
	head->next = NULL;
	/* The caller's removal is visible before we read gp_started: a grace
	 * period that starts after this read also starts after the removal. */
	smp_mb();
	spin_lock_irqsave(&l->lock, flags);
	head->gp = READ_ONCE(gp_started) + 1;
	was_empty = l->head == NULL;
	if (was_empty)
		WRITE_ONCE(l->head, head);
	else
		l->tail->next = head;
	l->tail = head;
	l->len++;
	spin_unlock_irqrestore(&l->lock, flags);
	atomic_long_inc(&n_queued);
	if (was_empty)
		wake_up(&rcu_gp_wq);	/* rcu_gp may be asleep: all lists were empty */
}

/* debugobjects: an rcu_head is active from call_rcu() until its
 * callback is invoked. */
static const struct debug_obj_descr rcuhead_debug_descr = {
	.name = "rcu_head",
};

static void rcu_leak_callback(struct rcu_head *head)
{
	(void)head;
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	if (debug_object_activate(head, &rcuhead_debug_descr)) {
		/* Queued already: a double call_rcu(). Queuing it twice
		 * would corrupt the list; leak this callback instead, as
		 * Linux does (the report said which head). */
		WRITE_ONCE(head->func, rcu_leak_callback);
		return;
	}
	/* Any CPU's list would do; this one's lock is the least contended.
	 * The CPU may change right after the read: harmless. */
	enqueue(raw_smp_processor_id(), head, func);
}

/*
 * kfree_rcu: `func` holds the offset of the rcu_head in the object instead
 * of a function. Offsets are below 4096 and no function lives there
 * (the kernel is linked at 0xffffffff80000000), so the two cannot be
 * confused.
 */
#define KFREE_RCU_MAX_OFFSET 4096
void __kfree_rcu(struct rcu_head *head, unsigned long offset)
{
	BUG_ON(offset >= KFREE_RCU_MAX_OFFSET);
	call_rcu(head, (rcu_callback_t)offset);
}

static void invoke(struct rcu_head *head)
{
	uintptr_t f = (uintptr_t)head->func;

	debug_object_deactivate(head, &rcuhead_debug_descr);	/* it may free it */
	preempt_disable();		/* a callback that sleeps is reported */
	if (f < KFREE_RCU_MAX_OFFSET)
		kfree((char *)head - f);
	else
		head->func(head);
	preempt_enable();		/* a preemption point between callbacks */
	atomic_long_inc(&n_invoked);
}

static bool callbacks_queued(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (READ_ONCE(per_cpu(rcu_cbs, cpu).head))
			return true;
	return false;
}

/* Run every callback whose grace period has completed, list by list. */
static void invoke_ready_callbacks(void)
{
	unsigned long done = READ_ONCE(gp_completed);
	unsigned long flags;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rcu_cblist *l = per_cpu_ptr(&rcu_cbs, cpu);
		struct rcu_head *ready = NULL, *last = NULL;

		spin_lock_irqsave(&l->lock, flags);
		while (l->head && (long)(done - l->head->gp) >= 0) {
			struct rcu_head *h = l->head;
			WRITE_ONCE(l->head, h->next);
			if (!h->next)
				l->tail = NULL;
			l->len--;
			h->next = NULL;
			if (last)
				last->next = h;
			else
				ready = h;
			last = h;
		}
		spin_unlock_irqrestore(&l->lock, flags);
		while (ready) {
			struct rcu_head *next = ready->next;
			invoke(ready);		/* may free `ready` */
			ready = next;
		}
	}
}

static int rcu_gp_kthread(void *unused)
{
	(void)unused;
	for (;;) {
		wait_event(rcu_gp_wq, callbacks_queued());
		WRITE_ONCE(gp_started, gp_started + 1);
		trace_event(TRACE_GP_START, gp_started, 0);
		wait_for_readers();
		WRITE_ONCE(gp_completed, gp_started);
		trace_event(TRACE_GP_END, gp_started, 0);
		invoke_ready_callbacks();
	}
	return 0;
}

/* ---- rcu_barrier ---- */

static DEFINE_PER_CPU(struct rcu_head, barrier_head);
static atomic_t barrier_pending;
static struct completion barrier_done;
static atomic_t barrier_busy;			/* one rcu_barrier() at a time */
static DECLARE_WAIT_QUEUE_HEAD(barrier_wq);

static void barrier_callback(struct rcu_head *head)
{
	(void)head;
	if (atomic_dec_and_test(&barrier_pending))
		complete(&barrier_done);
}

void rcu_barrier(void)
{
	int cpu;

	might_sleep();
	if (WARN_ON(!READ_ONCE(rcu_gp_task)))
		return;			/* before rcu_init(): nothing would run */
	wait_event(barrier_wq, atomic_cmpxchg(&barrier_busy, 0, 1) == 0);
	init_completion(&barrier_done);
	atomic_set(&barrier_pending, 1);	/* our own, dropped below */
	for_each_possible_cpu(cpu) {
		atomic_inc(&barrier_pending);
		enqueue(cpu, per_cpu_ptr(&barrier_head, cpu), barrier_callback);
	}
	if (atomic_dec_and_test(&barrier_pending))
		complete(&barrier_done);
	wait_for_completion(&barrier_done);
	atomic_set(&barrier_busy, 0);
	wake_up(&barrier_wq);
}

/* ---- setup and diagnostics ---- */

void rcu_init(void)
{
	register_tick_hook(rcu_tick);
	struct task_struct *t = kthread_run(rcu_gp_kthread, NULL, "rcu_gp");
	if (IS_ERR(t))
		panic("rcu: cannot start the rcu_gp thread");
	WRITE_ONCE(rcu_gp_task, t);
	pr_info("rcu: non-preemptible RCU, grace periods and callbacks by rcu_gp\n");
}

unsigned long rcu_set_stall_timeout_ms(unsigned long ms)
{
	unsigned long old = READ_ONCE(stall_timeout_ns) / NSEC_PER_MSEC;

	WRITE_ONCE(stall_timeout_ns, ms * NSEC_PER_MSEC);
	return old;
}

void rcu_get_stats(struct rcu_stats *st)
{
	st->gp_completed = READ_ONCE(gp_completed);
	st->sync_calls = (unsigned long)atomic_long_read(&n_sync);
	st->cbs_queued = (unsigned long)atomic_long_read(&n_queued);
	st->cbs_invoked = (unsigned long)atomic_long_read(&n_invoked);
	st->stalls = (unsigned long)atomic_long_read(&n_stalls);
}

void rcu_print_stats(void)
{
	struct rcu_stats st;
	int cpu;

	rcu_get_stats(&st);
	printk(KERN_INFO "rcu: %lu grace periods (rcu_gp), %lu synchronize_rcu, "
	       "%lu callbacks queued, %lu run, %lu stall warnings\n", st.gp_completed,
	       st.sync_calls, st.cbs_queued, st.cbs_invoked, st.stalls);
	for_each_online_cpu(cpu)
		printk(KERN_INFO "rcu: CPU#%d: %lu quiescent states, %lu callbacks waiting\n",
		       cpu, READ_ONCE(per_cpu(rcu_qs_count, cpu)),
		       READ_ONCE(per_cpu(rcu_cbs, cpu).len));
}
