/*
 * test_workqueue.c - work items keep Linux's contracts: they run in
 * process context in kworker/N:M on the CPU asked for, may sleep, never
 * run concurrently with themselves however many CPUs queue them; queueing
 * a pending item does nothing; flush_work() waits for the last queueing,
 * cancel_work_sync() leaves the item idle even when it re-queues itself;
 * delayed work waits its delay and mod_delayed_work() changes it;
 * flush_workqueue() waits for all that was queued before; an ordered
 * workqueue runs its items one at a time, in order; an item that sleeps
 * or waits for another item does not hold the pool up; an item that
 * leaks a lock or preemption count is reported by name.
 */
#include "tests/ktest.h"
#include "kernel/delay_hook.h"
#include "kernel/cpumask.h"
#include "kernel/jiffies.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "kernel/workqueue.h"
#include "arch/x86/irqflags.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/atomic.h"

static bool wait_atomic_ge(atomic_t *v, int n, unsigned int ms)
{
	for (unsigned int i = 0; i < ms && atomic_read(v) < n; i++)
		msleep(1);
	return atomic_read(v) >= n;
}

/* ---- context ---- */

struct ctx_work {
	struct work_struct work;
	int cpu;			/* where it was queued */
	bool ok;
	char comm[TASK_COMM_LEN];
};

static void ctx_fn(struct work_struct *w)
{
	struct ctx_work *c = container_of(w, struct ctx_work, work);
	char want[TASK_COMM_LEN];

	snprintf(want, sizeof(want), "kworker/%d:", c->cpu);
	memcpy(c->comm, current->comm, TASK_COMM_LEN);
	c->ok = in_task() && !irqs_disabled() && preempt_count() == 0 &&
		raw_smp_processor_id() == c->cpu && current_work() == w &&
		strncmp(current->comm, want, strlen(want)) == 0;
	msleep(2);			/* it may sleep */
}

KTEST(workqueue, runs_in_a_kworker_of_the_cpu_asked)
{
	static struct ctx_work c[NR_CPUS];
	int n = num_online_cpus();

	for (int i = 0; i < n; i++) {
		c[i] = (struct ctx_work){ .cpu = nth_online_cpu(i) };
		INIT_WORK(&c[i].work, ctx_fn);
		KASSERT(schedule_work_on(c[i].cpu, &c[i].work));
	}
	for (int i = 0; i < n; i++) {
		flush_work(&c[i].work);
		KASSERT_MSG(c[i].ok, "item for CPU %d ran in %s", c[i].cpu, c[i].comm);
		KASSERT(!flush_work(&c[i].work));	/* idle: nothing to wait for */
	}
	KASSERT(current_work() == NULL);
}

/* ---- queueing a pending item does nothing ---- */

static DECLARE_COMPLETION(gate);
static atomic_t gate_runs, plain_runs;

static void gate_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&gate);
	atomic_inc(&gate_runs);
}

static void plain_fn(struct work_struct *w)
{
	(void)w;
	atomic_inc(&plain_runs);
}

KTEST(workqueue, queueing_a_pending_item_does_nothing)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("test_ordered", 0);
	struct work_struct g, p;

	KASSERT(wq);
	reinit_completion(&gate);
	atomic_set(&gate_runs, 0);
	atomic_set(&plain_runs, 0);
	INIT_WORK(&g, gate_fn);
	INIT_WORK(&p, plain_fn);
	KASSERT(queue_work(wq, &g));
	KASSERT(queue_work(wq, &p));		/* waits behind g */
	KASSERT(!queue_work(wq, &p));		/* pending: false, no second run */
	KASSERT(work_pending(&p));
	msleep(10);
	KASSERT_EQ(atomic_read(&plain_runs), 0);	/* ordered: after g */
	complete(&gate);
	flush_workqueue(wq);
	KASSERT_EQ(atomic_read(&gate_runs), 1);
	KASSERT_EQ(atomic_read(&plain_runs), 1);
	KASSERT(!work_pending(&p));
	destroy_workqueue(wq);
}

/* ---- one item never runs twice at once ---- */

static struct work_struct shared_work;
static atomic_t sw_running, sw_overlap, sw_runs, sw_queued, sw_seen, sw_wrong;

static void shared_work_fn(struct work_struct *w)
{
	int seen = atomic_read(&sw_queued);	/* later queueings run us again */

	if (atomic_xchg(&sw_running, 1))
		atomic_inc(&sw_overlap);
	if (current_work() != w || !in_task())
		atomic_inc(&sw_wrong);
	udelay(100);			/* a wide window for a second CPU */
	if (seen > atomic_read(&sw_seen))
		atomic_set(&sw_seen, seen);
	atomic_set(&sw_running, 0);
	atomic_inc(&sw_runs);
}

static void queue_shared(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int i = 0; i < 300; i++) {
		atomic_inc(&sw_queued);
		/* Each on its own CPU's pool: the item runs on another one. */
		queue_work_on(raw_smp_processor_id(), system_wq, &shared_work);
		udelay(i % 50);
		if (i % 16 == 0)
			cond_resched();
	}
}

KTEST(workqueue, one_item_never_runs_twice_at_once)
{
	INIT_WORK(&shared_work, shared_work_fn);
	atomic_set(&sw_running, 0);
	atomic_set(&sw_overlap, 0);
	atomic_set(&sw_runs, 0);
	atomic_set(&sw_queued, 0);
	atomic_set(&sw_seen, 0);
	atomic_set(&sw_wrong, 0);
	int n = ktest_run_on_all_cpus(queue_shared, NULL, true);
	KASSERT_EQ(n, num_online_cpus());
	flush_work(&shared_work);
	KASSERT_EQ(atomic_read(&sw_overlap), 0);
	KASSERT_EQ(atomic_read(&sw_wrong), 0);
	KASSERT_GT(atomic_read(&sw_runs), 0);
	/* It ran after the last queueing: none was lost. */
	KASSERT_EQ(atomic_read(&sw_seen), 300 * n);
	ktest_info("%d runs for %d queueings on %d CPUs\n", atomic_read(&sw_runs),
		   300 * n, n);
}

/* ---- flush_work ---- */

static atomic_t slow_runs;

static void slow_fn(struct work_struct *w)
{
	(void)w;
	msleep(20);
	atomic_inc(&slow_runs);
}

/*
 * The items below wait for `gate` as well, which a helper opens only once
 * the test sleeps in flush_work(): so flush_work() has something to wait
 * for however long a busy host holds the test back before it gets there
 * (with a plain 20 ms item, a 20 ms pause made it "already idle").
 */
static DECLARE_COMPLETION(flush_gate);

static void gated_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&flush_gate);
	atomic_inc(&slow_runs);
}

static int open_gate_when_asleep(void *arg)
{
	struct task_struct *waiter = arg;

	while (READ_ONCE(waiter->state) == TASK_RUNNING)
		msleep(1);
	complete_all(&flush_gate);
	return 0;
}

KTEST(workqueue, flush_work_waits_for_the_last_queueing)
{
	struct work_struct w;
	struct task_struct *h;

	atomic_set(&slow_runs, 0);
	INIT_WORK(&w, gated_fn);
	reinit_completion(&flush_gate);
	KASSERT(schedule_work(&w));
	h = ktest_kthread_run(open_gate_when_asleep, current, "gate");
	KASSERT(h != NULL);
	KASSERT(flush_work(&w));
	ktest_join(h);
	KASSERT_EQ(atomic_read(&slow_runs), 1);
	/* Running and queued again: flush waits for the second run. */
	INIT_WORK(&w, slow_fn);
	KASSERT(schedule_work(&w));
	while (work_pending(&w))
		msleep(1);			/* it started */
	KASSERT(schedule_work(&w));		/* queued while it runs */
	flush_work(&w);
	KASSERT_EQ(atomic_read(&slow_runs), 3);
	KASSERT(!flush_work(&w));
}

/* ---- cancel_work_sync ---- */

static struct work_struct requeue_work;
static atomic_t rq_runs, rq_running;

static void requeue_fn(struct work_struct *w)
{
	atomic_set(&rq_running, 1);
	atomic_inc(&rq_runs);
	udelay(200);
	atomic_set(&rq_running, 0);
	schedule_work(w);		/* again and again */
}

static int cancel_rounds(void *arg)
{
	(void)arg;
	for (int round = 0; round < 20; round++) {
		atomic_set(&rq_runs, 0);
		if (!schedule_work(&requeue_work))
			return -4;
		if (!wait_atomic_ge(&rq_runs, 1 + round % 3, 2000))
			return -1;
		udelay(round * 37 % 300);	/* catch it running, or pending */
		cancel_work_sync(&requeue_work);
		/* Neither pending nor running, and it stays so. */
		int runs = atomic_read(&rq_runs);
		if (work_pending(&requeue_work) || atomic_read(&rq_running))
			return -2;
		msleep(5);
		if (atomic_read(&rq_runs) != runs)
			return -3;
	}
	return 0;
}

KTEST(workqueue, cancel_work_sync_stops_a_self_requeueing_item)
{
	INIT_WORK(&requeue_work, requeue_fn);
	KASSERT_EQ(cancel_rounds(NULL), 0);
	KASSERT(!cancel_work_sync(&requeue_work));	/* idle: false */
}

/* ---- delayed work ---- */

static atomic_t delayed_runs;
static unsigned long delayed_ran_at;

static void delayed_fn(struct work_struct *w)
{
	(void)w;
	delayed_ran_at = jiffies;
	atomic_inc(&delayed_runs);
}

KTEST(workqueue, delayed_work_waits_its_delay)
{
	struct delayed_work dw;
	unsigned long t0;

	INIT_DELAYED_WORK(&dw, delayed_fn);
	atomic_set(&delayed_runs, 0);
	t0 = jiffies;
	KASSERT(schedule_delayed_work(&dw, HZ / 10));
	KASSERT(!schedule_delayed_work(&dw, 1));	/* pending already */
	KASSERT(wait_atomic_ge(&delayed_runs, 1, 2000));
	KASSERT_GE((long)(delayed_ran_at - t0), HZ / 10);

	/* Cancelled while its timer runs: never runs. */
	KASSERT(schedule_delayed_work(&dw, HZ));
	KASSERT(cancel_delayed_work_sync(&dw));
	KASSERT(!delayed_work_pending(&dw));
	msleep(20);
	KASSERT_EQ(atomic_read(&delayed_runs), 1);

	/* A long delay cut short by mod_delayed_work. */
	t0 = jiffies;
	KASSERT(schedule_delayed_work(&dw, 100 * HZ));
	KASSERT(mod_delayed_work(system_wq, &dw, 1));	/* was pending */
	KASSERT(wait_atomic_ge(&delayed_runs, 2, 2000));
	KASSERT_LT((long)(jiffies - t0), 10 * HZ);
	KASSERT(!mod_delayed_work(system_wq, &dw, 1));	/* idle: queues, false */
	KASSERT(wait_atomic_ge(&delayed_runs, 3, 2000));

	/* flush_delayed_work runs it now and waits. (Its value says whether
	 * it still had to wait once the item was queued: a busy host may
	 * have run the item in between, as in Linux - not checked.) */
	KASSERT(schedule_delayed_work(&dw, 100 * HZ));
	flush_delayed_work(&dw);
	KASSERT_EQ(atomic_read(&delayed_runs), 4);
	cancel_delayed_work_sync(&dw);
}

/* ---- flush_workqueue, destroy ---- */

#define NR_ITEMS 48

struct counted {
	struct work_struct work;
	int i;
};

static atomic_t counted_runs;

static void counted_fn(struct work_struct *w)
{
	struct counted *c = container_of(w, struct counted, work);

	if (c->i % 3 == 0)
		msleep(1 + c->i % 5);
	atomic_inc(&counted_runs);
}

KTEST(workqueue, flush_workqueue_waits_for_all_queued_before)
{
	static struct counted items[NR_ITEMS];
	struct workqueue_struct *wq = alloc_workqueue("test_wq%d", 0, 0, 1);

	KASSERT(wq);
	atomic_set(&counted_runs, 0);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < NR_ITEMS; i++) {
			items[i].i = i;
			INIT_WORK(&items[i].work, counted_fn);
			KASSERT(queue_work_on(nth_online_cpu(i % num_online_cpus()), wq,
					      &items[i].work));
		}
		flush_workqueue(wq);
		KASSERT_EQ(atomic_read(&counted_runs), (round + 1) * NR_ITEMS);
	}
	destroy_workqueue(wq);
}

/* ---- ordered workqueues ---- */

static int order_next;
static atomic_t order_bad, order_running;

static void ordered_fn(struct work_struct *w)
{
	struct counted *c = container_of(w, struct counted, work);

	if (atomic_xchg(&order_running, 1))
		atomic_inc(&order_bad);		/* two at once */
	if (c->i != order_next)
		atomic_inc(&order_bad);		/* out of order */
	order_next = c->i + 1;
	if (c->i % 8 == 0)
		msleep(1);
	atomic_set(&order_running, 0);
}

KTEST(workqueue, ordered_runs_one_at_a_time_in_order)
{
	static struct counted items[NR_ITEMS];
	struct workqueue_struct *wq = alloc_ordered_workqueue("test_ordered%d", 0, 2);

	KASSERT(wq);
	order_next = 0;
	atomic_set(&order_bad, 0);
	atomic_set(&order_running, 0);
	for (int i = 0; i < NR_ITEMS; i++) {
		items[i].i = i;
		INIT_WORK(&items[i].work, ordered_fn);
		KASSERT(queue_work_on(nth_online_cpu(i % num_online_cpus()), wq,
				      &items[i].work));
	}
	flush_workqueue(wq);
	KASSERT_EQ(order_next, NR_ITEMS);
	KASSERT_EQ(atomic_read(&order_bad), 0);
	destroy_workqueue(wq);
}

/* ---- a waiting item does not hold the pool up ---- */

static DECLARE_COMPLETION(b_done);
static struct work_struct wa, wb;
static long a_waited;

static void a_fn(struct work_struct *w)
{
	(void)w;
	/* wb is queued on this same CPU after us: another worker runs it. */
	schedule_work_on(raw_smp_processor_id(), &wb);
	a_waited = wait_for_completion_timeout(&b_done, 5 * HZ);
}

static void b_fn(struct work_struct *w)
{
	(void)w;
	complete(&b_done);
}

KTEST(workqueue, an_item_waiting_for_another_does_not_block_the_pool)
{
	int workers, idle;

	reinit_completion(&b_done);
	INIT_WORK(&wa, a_fn);
	INIT_WORK(&wb, b_fn);
	a_waited = 0;
	KASSERT(schedule_work_on(nth_online_cpu(0), &wa));
	flush_work(&wa);
	flush_work(&wb);
	KASSERT_MSG(a_waited > 0, "the item queued behind a sleeping one never ran");
	workqueue_stats(nth_online_cpu(0), &workers, &idle);
	KASSERT_GE(workers, 2);
	KASSERT_LE(workers, WQ_MAX_WORKERS_PER_POOL);
	KASSERT_GE(idle, 1);
	/* The rush over, the extra workers retire: two idle ones stay. */
	for (int i = 0; i < 1000 && (workers != 2 || idle != 2); i++) {
		msleep(1);
		workqueue_stats(nth_online_cpu(0), &workers, &idle);
	}
	KASSERT_EQ(workers, 2);
	KASSERT_EQ(idle, 2);
}

/* ---- leaks are reported ---- */

static void leaky_fn(struct work_struct *w)
{
	(void)w;
	preempt_disable();		/* and never enabled */
}

KTEST(workqueue, an_item_that_leaks_preemption_is_reported)
{
	struct work_struct w;
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();
	INIT_WORK(&w, leaky_fn);
	schedule_work(&w);
	flush_work(&w);
	KASSERT(ktest_log_contains(mark, "BUG: workqueue leaked atomic, lock or RCU"));
	KASSERT(ktest_log_contains(mark, "workfn=leaky_fn"));
	/* Repaired, so the worker goes on: the pools still run items. */
	atomic_set(&plain_runs, 0);
	struct work_struct p;
	INIT_WORK(&p, plain_fn);
	for (int i = 0; i < num_online_cpus(); i++) {
		KASSERT(schedule_work_on(nth_online_cpu(i), &p));
		flush_work(&p);
	}
	KASSERT_EQ(atomic_read(&plain_runs), num_online_cpus());
}

/* ---- destroy_workqueue() and an idle worker ---- */

/*
 * destroy_workqueue() stops an ordered workqueue's worker with
 * kthread_stop(): set the stop flag, wake the thread. An idle worker
 * looks at the flag and goes to sleep; if the flag and the wake-up come
 * between its look and its sleep, the wake-up must not be lost (the
 * worker must already be TASK_INTERRUPTIBLE when it looks, as every
 * kthread loop in Linux is written). Widened: the worker waits 3 ms after
 * its look (wq_worker_idle), kthread_stop() waits 6 ms before it sets the
 * flag (kthread_stop_flag), and meanwhile this test keeps waking the
 * worker, until the flag is set, so that it is inside its window when the
 * flag and the wake-up come. Before the fix, destroy_workqueue() hung in
 * the first round at -smp 2 and 4.
 */
static struct task_struct *idle_worker;
static DECLARE_COMPLETION(idle_destroyed);

static void note_worker_fn(struct work_struct *w)
{
	(void)w;
	idle_worker = current;
}

static int destroyer_fn(void *wq)
{
	destroy_workqueue(wq);
	complete(&idle_destroyed);
	return 0;
}

KTEST(workqueue, destroy_never_loses_the_stop_of_an_idle_worker)
{
	struct work_struct note;

	int windows_seen = 0;

	INIT_WORK(&note, note_worker_fn);
	for (int round = 0; round < 3; round++) {
		struct workqueue_struct *wq = alloc_ordered_workqueue("idlerace%d", 0, round);
		KASSERT(wq != NULL);
		queue_work(wq, &note);
		flush_work(&note);
		struct task_struct *t = get_task_struct(idle_worker);
		delay_hook_set(&delay_hook_wq_worker_idle, 3000, t);
		delay_hook_set(&delay_hook_kthread_stop_flag, 6000, t);
		reinit_completion(&idle_destroyed);
		struct task_struct *d = ktest_kthread_run(destroyer_fn, wq, "destroyer");
		KASSERT(d != NULL);
		/* Until kthread_stop() sets the flag, keep the worker cycling
		 * through its window; then leave it alone (a wake-up of ours
		 * after the flag would hide a lost one). */
		while (!READ_ONCE(t->should_stop) && !completion_done(&idle_destroyed)) {
			wake_up_process(t);
			udelay(20);
			if (num_online_cpus() == 1)
				cond_resched();
		}
		bool done = wait_for_completion_timeout(&idle_destroyed, 3 * HZ);
		int windows = delay_hook_hits(&delay_hook_wq_worker_idle);
		delay_hook_set(&delay_hook_wq_worker_idle, 0, NULL);
		delay_hook_set(&delay_hook_kthread_stop_flag, 0, NULL);
		if (!done) {
			wake_up_process(t);	/* rescue it, so the rest can run */
			wait_for_completion(&idle_destroyed);
		}
		kthread_stop_put(d);
		put_task_struct(t);
		KASSERT_MSG(done, "round %d: destroy_workqueue() hung: the worker slept through "
			    "kthread_stop()'s wake-up (%d passes through its window)", round, windows);
		windows_seen += windows;
	}
	/* The window was really crossed (not a test that cannot fail). One
	 * CPU cannot run the worker and the stopper at once. */
	if (num_online_cpus() > 1)
		KASSERT_GT(windows_seen, 0);
	ktest_info("%d passes of the worker through its window\n", windows_seen);
}

/*
 * An item that sleeps, queued again while it runs - on its own CPU, then
 * from another CPU - runs exactly once more, after the first run: never
 * twice at once. While it sleeps, its pool starts another worker (so that
 * the rest of the queue moves), and that worker must not take it: the
 * second queueing goes to the worker already running it (Linux's rule,
 * non-reentrant since 3.7). An item that never sleeps hardly ever lets a
 * second worker run, so the exclusion test above could miss this.
 */
static atomic_t sleepy_running, sleepy_overlap, sleepy_runs, sleepy_started;

static void sleepy_fn(struct work_struct *w)
{
	(void)w;
	if (atomic_xchg(&sleepy_running, 1))
		atomic_inc(&sleepy_overlap);
	atomic_inc(&sleepy_started);
	msleep(20);
	atomic_inc(&sleepy_runs);
	atomic_set(&sleepy_running, 0);
}

KTEST(workqueue, a_sleeping_item_queued_again_runs_once_more_never_alongside)
{
	struct work_struct w;
	int n = num_online_cpus();

	INIT_WORK(&w, sleepy_fn);
	for (int i = 0; i < n; i++) {
		int cpu = nth_online_cpu(i), other = nth_online_cpu(i + 1);
		for (int from_other = 0; from_other < 2; from_other++) {
			atomic_set(&sleepy_running, 0);
			atomic_set(&sleepy_overlap, 0);
			atomic_set(&sleepy_runs, 0);
			atomic_set(&sleepy_started, 0);
			KASSERT(queue_work_on(cpu, system_wq, &w));
			KASSERT(wait_atomic_ge(&sleepy_started, 1, 5000));
			/* It runs (asleep): queueing it again is allowed. */
			KASSERT(queue_work_on(from_other ? other : cpu, system_wq, &w));
			flush_work(&w);
			KASSERT_MSG(atomic_read(&sleepy_runs) == 2, "CPU%d (again from CPU%d): "
				    "%d runs, not 2", cpu, from_other ? other : cpu,
				    atomic_read(&sleepy_runs));
			KASSERT_MSG(atomic_read(&sleepy_overlap) == 0, "CPU%d: the item ran "
				    "twice at once", cpu);
		}
	}
}

/*
 * A work item outlives the workqueue it last ran on: queueing it on
 * another, flushing and cancelling it must not touch the destroyed
 * workqueue's pool (freed). Linux finds an item's last pool by ID, and a
 * destroyed pool's ID is gone; the old code here kept a pointer and
 * locked the freed pool (KASAN: slab-use-after-free in __queue_work;
 * without KASAN the lock word was kfree's poison: a spinlock lockup).
 */
static atomic_t outlive_runs;

static void outlive_fn(struct work_struct *w)
{
	(void)w;
	atomic_inc(&outlive_runs);
}

KTEST(workqueue, an_item_outlives_its_workqueue)
{
	struct work_struct item;

	INIT_WORK(&item, outlive_fn);
	atomic_set(&outlive_runs, 0);
	for (int round = 0; round < 3; round++) {
		struct workqueue_struct *wq = alloc_ordered_workqueue("outlive%d", 0, round);
		KASSERT(wq != NULL);
		KASSERT(queue_work(wq, &item));
		flush_work(&item);
		destroy_workqueue(wq);		/* its pool is freed */
		KASSERT(!flush_work(&item));	/* nothing pending, nothing to wait for */
		KASSERT(!cancel_work_sync(&item));
		KASSERT(queue_work(system_wq, &item));
		flush_work(&item);
	}
	KASSERT_EQ(atomic_read(&outlive_runs), 6);
}
