/*
 * test_sched.c - threads, preemption, sleeping, waking, balancing, and
 * the scheduler's bug reports. Each concurrency test runs real threads on
 * the CPUs and checks an invariant that a broken scheduler would violate.
 */
#include "tests/ktest.h"
#include "arch/x86/irqflags.h"
#include "sync/rwsem.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"
#include "kernel/delay_hook.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "sched/wait.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "sync/atomic.h"
#include "sync/barrier.h"

/* The highest-numbered online CPU (CPU numbers may have holes). */
static int last_cpu(void)
{
	return nth_online_cpu(num_online_cpus() - 1);
}

static int return_cpu_fn(void *arg)
{
	(void)arg;
	return smp_processor_id();
}

/* Binding to a CPU that is not online is refused with a warning, and the
 * thread still runs (on an online CPU) instead of crashing the scheduler. */
KTEST(sched, bind_to_offline_cpu_refused)
{
	int off = nr_cpu_ids;		/* never online; or a CPU that failed */

	ktest_expect_warnings();
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (!cpu_online(cpu)) {
			off = cpu;
			break;
		}
	struct task_struct *t = ktest_kthread_create(return_cpu_fn, NULL, "bind-off");
	KASSERT(t);
	unsigned long mark = ktest_log_mark();
	kthread_bind(t, off);
	KASSERT(ktest_log_contains(mark, "which is not online"));
	wake_up_process(t);
	int ran_on = ktest_join(t);
	KASSERT(cpu_online(ran_on));
}

/* ---- preemption ---- */

struct spinner {
	volatile unsigned long count;
	volatile bool stop;
};

static int spin_fn(void *arg)
{
	struct spinner *s = arg;

	while (!s->stop)
		s->count++;		/* never yields, never sleeps */
	return 0;
}

/* Two CPU-bound threads on one CPU both run: only the timer can have
 * taken the CPU from one to give it to the other. */
KTEST(sched, timer_preempts_cpu_hogs)
{
	struct spinner a = { 0 }, b = { 0 };
	struct task_struct *ta = ktest_kthread_create(spin_fn, &a, "hog-a");
	struct task_struct *tb = ktest_kthread_create(spin_fn, &b, "hog-b");

	KASSERT(ta && tb);
	kthread_bind(ta, last_cpu());
	kthread_bind(tb, last_cpu());
	wake_up_process(ta);
	wake_up_process(tb);
	msleep(300);
	unsigned long ca = a.count, cb = b.count;
	a.stop = b.stop = true;
	kthread_stop_put(ta);
	kthread_stop_put(tb);
	KASSERT_GT(ca, 0);
	KASSERT_GT(cb, 0);
}

/*
 * Wake-up preemption: a woken thread runs next, ahead of the threads
 * already queued. On one CPU two hogs take turns by time slice while a
 * third thread sleeps 1 ms at a time. Woken, it must run before the queued
 * hog gets its turn: across one sleep, both hogs advance only when a slice
 * boundary happened to fall inside that millisecond. Queued at the tail
 * instead, it would always wait for the other hog's whole slice.
 */
struct wake_first {
	struct spinner *a, *b;
	int rounds, both_ran;
};

static int wake_first_fn(void *arg)
{
	struct wake_first *w = arg;

	for (int i = 0; i < w->rounds; i++) {
		unsigned long a0 = w->a->count, b0 = w->b->count;
		msleep(1);
		if (w->a->count != a0 && w->b->count != b0)
			w->both_ran++;
	}
	return 0;
}

KTEST(sched, woken_thread_runs_before_queued_ones)
{
	struct spinner a = { 0 }, b = { 0 };
	struct wake_first w = { .a = &a, .b = &b, .rounds = 20 };
	struct task_struct *ta = ktest_kthread_create(spin_fn, &a, "hog-a");
	struct task_struct *tb = ktest_kthread_create(spin_fn, &b, "hog-b");
	struct task_struct *ts = ktest_kthread_create(wake_first_fn, &w, "sleeper");

	KASSERT(ta && tb && ts);
	kthread_bind(ta, last_cpu());
	kthread_bind(tb, last_cpu());
	kthread_bind(ts, last_cpu());
	wake_up_process(ta);
	wake_up_process(tb);
	msleep(30);			/* both hogs have had slices */
	wake_up_process(ts);
	ktest_join(ts);
	a.stop = b.stop = true;
	kthread_stop_put(ta);
	kthread_stop_put(tb);
	KASSERT_GT(a.count, 0);
	KASSERT_GT(b.count, 0);
	KASSERT_MSG(w.both_ran < w.rounds / 2,
		    "both hogs ran during %d of %d 1-ms sleeps: the woken thread "
		    "waited behind the queued hog", w.both_ran, w.rounds);
}

struct nopreempt {
	struct spinner victim;
	int violations, rounds;
};

static int nopreempt_fn(void *arg)
{
	struct nopreempt *np = arg;

	for (int i = 0; i < 5; i++) {
		preempt_disable();
		unsigned long before = np->victim.count;
		uint64_t t0 = ktime_get_ns();
		while (ktime_get_ns() - t0 < 30 * NSEC_PER_MSEC)
			cpu_relax();		/* several ticks go by */
		if (np->victim.count != before)
			np->violations++;
		preempt_enable();
		np->rounds++;
		msleep(5);			/* let the victim run */
	}
	return 0;
}

/* With preemption disabled, a thread on the same CPU never gets a turn. */
KTEST(sched, preempt_disable_blocks_preemption)
{
	struct nopreempt np = { 0 };
	struct task_struct *victim = ktest_kthread_create(spin_fn, &np.victim, "victim");
	struct task_struct *holder = ktest_kthread_create(nopreempt_fn, &np, "holder");

	KASSERT(victim && holder);
	kthread_bind(victim, last_cpu());
	kthread_bind(holder, last_cpu());
	wake_up_process(victim);
	wake_up_process(holder);
	ktest_join(holder);				/* after its 5 rounds */
	np.victim.stop = true;
	kthread_stop_put(victim);
	KASSERT_EQ(np.rounds, 5);
	KASSERT_EQ(np.violations, 0);
	KASSERT_GT(np.victim.count, 0);		/* it did run in between */
}

/* ---- kthread lifetime ---- */

static bool stoppee_runs;

static int until_stopped(void *arg)
{
	WRITE_ONCE(stoppee_runs, true);
	while (!kthread_should_stop())
		msleep(1);
	return 42 + (int)(uintptr_t)arg;
}

static int returns_at_once(void *arg)
{
	return (int)(uintptr_t)arg;
}

KTEST(kthread, stop_returns_exit_value)
{
	/* Stopped while it runs: kthread_stop() alone is enough. (Wait
	 * until it runs: a busy host may take a while, and a thread stopped
	 * before it ran never runs its function.) */
	WRITE_ONCE(stoppee_runs, false);
	struct task_struct *t = kthread_run(until_stopped, (void *)7, "stoppee");

	KASSERT(!IS_ERR(t));
	while (!READ_ONCE(stoppee_runs))
		msleep(1);
	KASSERT_EQ(kthread_stop(t), 49);
	/* A thread that may return first: hold a reference from the start,
	 * as Linux requires; kthread_stop() then collects its value. */
	t = kthread_create(returns_at_once, (void *)5, "quick");
	KASSERT(!IS_ERR(t));
	get_task_struct(t);
	wake_up_process(t);
	for (int ms = 0; ms < 5000 && READ_ONCE(t->state) != TASK_DEAD; ms++)
		msleep(1);
	KASSERT_EQ(t->state, TASK_DEAD);		/* returned already */
	KASSERT_EQ(kthread_stop(t), 5);
	put_task_struct(t);
	/* Stopped before it ever ran: the function is not called. */
	t = kthread_create(returns_at_once, (void *)5, "never");
	KASSERT(!IS_ERR(t));
	KASSERT_EQ(kthread_stop(t), -EINTR);
}

/*
 * A thread that returns while TASK_INTERRUPTIBLE - the loop "set the
 * state; if (kthread_should_stop()) break; ..." leaves it so, legally -
 * must die even when kthread_stop()'s wake-up, which found it still on
 * its CPU, lands as it dies: no wake-up may turn TASK_DEAD back into
 * TASK_RUNNING (Linux: set_special_state() under pi_lock). Widened:
 * wake_up_process() waits 5 ms between reading the state and writing
 * TASK_RUNNING (wake_running_task), while the thread returns. Before the
 * fix: "kernel BUG at sched/kthread.c", the dead thread requeued.
 */
static int returns_interruptible(void *arg)
{
	WRITE_ONCE(*(bool *)arg, true);		/* it runs */
	for (;;) {
		/* Spin "about to sleep" (legal: a preemption keeps it queued),
		 * so that the stop's wake-up finds it TASK_INTERRUPTIBLE and
		 * still on its CPU. */
		set_current_state(TASK_INTERRUPTIBLE);
		for (int i = 0; i < 10000 && !kthread_should_stop(); i++)
			cpu_relax();
		if (kthread_should_stop())
			break;
		__set_current_state(TASK_RUNNING);
	}
	return 0;				/* still TASK_INTERRUPTIBLE */
}

KTEST(kthread, a_wake_up_never_revives_a_dying_thread)
{
	int windows = 0;

	for (int round = 0; round < 20; round++) {
		bool started = false;
		struct task_struct *t = ktest_kthread_run(returns_interruptible, &started,
							  "dying%d", round);
		KASSERT(t != NULL);
		/* Until it runs, a stop would end it before its function (a
		 * busy host may take a while to run it). */
		while (!READ_ONCE(started))
			msleep(1);
		delay_hook_set(&delay_hook_wake_running_task, 5000, t);
		KASSERT_EQ(kthread_stop(t), 0);
		windows += delay_hook_hits(&delay_hook_wake_running_task);
		delay_hook_set(&delay_hook_wake_running_task, 0, NULL);
		/* It returned; it must now die and be buried, once. */
		for (int ms = 0; ms < 5000 && READ_ONCE(t->stack); ms++)
			msleep(1);
		KASSERT_MSG(!READ_ONCE(t->stack), "round %d: the thread returned but never "
			    "died (state %ld)", round, READ_ONCE(t->state));
		KASSERT_EQ(READ_ONCE(t->state), TASK_DEAD);
		put_task_struct(t);
	}
	if (num_online_cpus() > 1)
		KASSERT_GT(windows, 0);		/* the window was crossed */
	ktest_info("%d of 20 stops woke the thread on its CPU\n", windows);
}

/*
 * kthread_stop() interrupts interruptible sleeps, as in Linux since 6.1
 * (TIF_NOTIFY_SIGNAL): a thread waiting in any of them returns at once -
 * the waits with -ERESTARTSYS, the locks with -EINTR, the sleeps with the
 * time left - and sees kthread_should_stop(). Every wait below asks for
 * 20 s: before, kthread_stop() waited for all of it. A condition already
 * true, or a lock already free, still wins over the signal; and the
 * plain (uninterruptible) waits are not interrupted.
 */
enum { W_MSLEEP, W_SCHED_TIMEOUT, W_EVENT, W_EVENT_TIMEOUT, W_COMPLETION,
       W_COMPLETION_TIMEOUT, W_DOWN, W_MUTEX, W_RWSEM, W_KINDS };
static const char *const wait_names[W_KINDS] = {
	"msleep_interruptible", "schedule_timeout_interruptible",
	"wait_event_interruptible", "wait_event_interruptible_timeout",
	"wait_for_completion_interruptible", "wait_for_completion_interruptible_timeout",
	"down_interruptible", "mutex_lock_interruptible", "down_read_interruptible",
};

struct stopped_waiter {
	int kind;
	long ret, again;		/* the wait's result; a second sleep's */
	int cond_true, lock_free;	/* after the stop: true cond, free lock */
	bool waiting;
};

static DECLARE_WAIT_QUEUE_HEAD(never_wq);
static DECLARE_COMPLETION(never_done);
static DEFINE_SEMAPHORE(never_sem, 0);
static DEFINE_MUTEX(held_mutex);
static DEFINE_MUTEX(free_mutex);
static DECLARE_RWSEM(held_rwsem);

static int interruptible_waiter(void *arg)
{
	struct stopped_waiter *w = arg;

	WRITE_ONCE(w->waiting, true);
	switch (w->kind) {
	case W_MSLEEP: w->ret = (long)msleep_interruptible(20000); break;
	case W_SCHED_TIMEOUT: w->ret = schedule_timeout_interruptible(20 * HZ); break;
	case W_EVENT: w->ret = wait_event_interruptible(never_wq, false); break;
	case W_EVENT_TIMEOUT:
		w->ret = wait_event_interruptible_timeout(never_wq, false, 20 * HZ); break;
	case W_COMPLETION: w->ret = wait_for_completion_interruptible(&never_done); break;
	case W_COMPLETION_TIMEOUT:
		w->ret = wait_for_completion_interruptible_timeout(&never_done, 20 * HZ); break;
	case W_DOWN: w->ret = down_interruptible(&never_sem); break;
	case W_MUTEX: w->ret = mutex_lock_interruptible(&held_mutex); break;
	case W_RWSEM: w->ret = down_read_interruptible(&held_rwsem); break;
	}
	/* The signal stays pending: a second sleep ends at once too... */
	w->again = (long)msleep_interruptible(20000);
	/* ...but a true condition and a free lock win over it. */
	w->cond_true = wait_event_interruptible(never_wq, true);
	w->lock_free = mutex_lock_interruptible(&free_mutex);
	if (!w->lock_free)
		mutex_unlock(&free_mutex);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

KTEST(kthread, stop_interrupts_interruptible_sleeps)
{
	for (int kind = 0; kind < W_KINDS; kind++) {
		struct stopped_waiter w = { .kind = kind };
		if (kind == W_MUTEX)
			mutex_lock(&held_mutex);
		if (kind == W_RWSEM)
			down_write(&held_rwsem);
		struct task_struct *t = ktest_kthread_run(interruptible_waiter, &w, "waiter%d", kind);
		KASSERT(t != NULL);
		while (!READ_ONCE(w.waiting))
			msleep(1);
		msleep(20);			/* asleep in its wait by now */
		KASSERT_EQ(kthread_stop_put(t), 0);
		if (kind == W_MUTEX)
			mutex_unlock(&held_mutex);
		if (kind == W_RWSEM) {
			KASSERT_EQ(rwsem_readers(&held_rwsem), 0);	/* not let in */
			up_write(&held_rwsem);
		}
		long want = kind >= W_DOWN ? -EINTR : -ERESTARTSYS;
		if (kind == W_MSLEEP || kind == W_SCHED_TIMEOUT)
			KASSERT_MSG(w.ret > 0, "%s returned %ld: not interrupted", wait_names[kind], w.ret);
		else
			KASSERT_MSG(w.ret == want, "%s returned %ld, not %ld", wait_names[kind],
				    w.ret, want);
		KASSERT_MSG(w.again > 0, "after %s, a second msleep_interruptible() slept to "
			    "the end", wait_names[kind]);
		KASSERT_EQ(w.cond_true, 0);
		KASSERT_EQ(w.lock_free, 0);
	}
	KASSERT_EQ(sema_count(&never_sem), 0);
	KASSERT(!mutex_is_locked(&held_mutex));
}

/* The plain waits are not interrupted: kthread_stop() waits for them. */
static bool plain_go;
static DECLARE_WAIT_QUEUE_HEAD(plain_wq);

static bool plain_started;

static int plain_waiter(void *arg)
{
	(void)arg;
	WRITE_ONCE(plain_started, true);
	wait_event(plain_wq, READ_ONCE(plain_go));
	return 7;
}

static int plain_stopper(void *arg)
{
	return kthread_stop(arg);
}

KTEST(kthread, stop_leaves_uninterruptible_sleeps_alone)
{
	WRITE_ONCE(plain_go, false);
	WRITE_ONCE(plain_started, false);
	struct task_struct *t = ktest_kthread_run(plain_waiter, NULL, "plain");
	KASSERT(t != NULL);
	while (!READ_ONCE(plain_started))
		msleep(1);
	struct task_struct *s = ktest_kthread_run(plain_stopper, t, "stopper");
	KASSERT(s != NULL);
	while (!READ_ONCE(t->should_stop))
		msleep(1);
	msleep(50);
	/* Stopped, flagged, woken: and still in its wait. */
	KASSERT(READ_ONCE(t->should_stop));
	KASSERT(!READ_ONCE(t->exited));
	WRITE_ONCE(plain_go, true);
	wake_up(&plain_wq);
	KASSERT_EQ(ktest_join(s), 7);
	put_task_struct(t);
}

/* A thread that returns is freed without anyone reaping it (Linux's
 * behaviour; before, it stayed a zombie until kthread_stop()). */
static DECLARE_COMPLETION(returned);

static int signal_and_return(void *arg)
{
	complete(&returned);
	return (int)(uintptr_t)arg;
}

KTEST(kthread, returning_thread_is_freed_unreaped)
{
	struct kmalloc_stats before, after;
	int tasks = 0, tasks_after = 0;
	struct task_struct *t;

	ktest_quiesce();
	kmalloc_get_stats(&before);
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &all_tasks, tasks)
		tasks++;
	spin_unlock(&tasklist_lock);
	reinit_completion(&returned);
	for (int i = 0; i < 100; i++)
		KASSERT(!IS_ERR(kthread_run(signal_and_return, NULL, "free%d", i)));
	for (int i = 0; i < 100; i++)
		wait_for_completion(&returned);
	ktest_quiesce();		/* their last switches, then RCU */
	kmalloc_get_stats(&after);
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &all_tasks, tasks)
		tasks_after++;
	spin_unlock(&tasklist_lock);
	KASSERT_EQ(tasks_after, tasks);
	KASSERT_EQ(after.allocations, before.allocations);
	KASSERT_EQ(after.bytes_in_use, before.bytes_in_use);
}

/* An errno in a pointer: the last MAX_ERRNO addresses, never NULL. */
KTEST(err, pointer_encoding)
{
	KASSERT(IS_ERR(ERR_PTR(-ENOMEM)));
	KASSERT_EQ(PTR_ERR(ERR_PTR(-ENOMEM)), -ENOMEM);
	KASSERT(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	KASSERT(!IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
	KASSERT(!IS_ERR(NULL) && IS_ERR_OR_NULL(NULL));
	KASSERT(!IS_ERR(current) && !IS_ERR_OR_NULL(current));
	KASSERT_EQ(PTR_ERR_OR_ZERO(current), 0);
	KASSERT_EQ(PTR_ERR_OR_ZERO(ERR_CAST(ERR_PTR(-EINVAL))), -EINVAL);
}

KTEST(kthread, create_exit_10000_cycles_leak_nothing)
{
	struct kmalloc_stats before, after;

	/* Each reclaim frees at most a batch: drain what earlier tests left. */
	msleep(10);
	for (int i = 0; i < 64; i++)
		kstack_reclaim();
	kmalloc_get_stats(&before);
	unsigned long stacks = kstack_in_use();
	for (int i = 0; i < 10000; i++) {
		/* On every CPU in turn: a thread exiting on another CPU than
		 * ours finishes its last switch while we are already running. */
		struct task_struct *t = ktest_kthread_create(returns_at_once, (void *)(uintptr_t)i, "c%d", i);
		KASSERT(t);
		kthread_bind(t, nth_online_cpu(i));
		wake_up_process(t);
		KASSERT_EQ(ktest_join(t), i);
	}
	/* Each thread's task and wait queue go after its last switch and an
	 * RCU grace period (put_task_struct): ktest_quiesce() waits for both. */
	ktest_quiesce();
	kmalloc_get_stats(&after);
	KASSERT_EQ(after.allocations, before.allocations);
	KASSERT_EQ(after.bytes_in_use, before.bytes_in_use);
	/* Stacks are reclaimed in batches, after a TLB flush on every CPU. */
	uint64_t t0 = ktime_get_ns();
	do {
		msleep(1);
		kstack_reclaim();
	} while (kstack_in_use() != stacks && ktime_get_ns() - t0 < NSEC_PER_SEC);
	KASSERT_EQ(kstack_in_use(), stacks);
}

/* ---- sleeping and waking ---- */

KTEST(sched, msleep_sleeps_about_right)
{
	uint64_t t0 = ktime_get_ns();

	msleep(100);
	uint64_t ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	KASSERT_GE(ms, 100);
	KASSERT_LT(ms, 2000);		/* loose: a loaded host is slow */
}

static DECLARE_WAIT_QUEUE_HEAD(pingpong_wq);
static volatile long pingpong;
#define PINGPONG_ROUNDS 20000

struct pp_arg {
	int parity;
	int lost;
};

/* Each side waits for its turn, takes it, and wakes the other. A lost
 * wake-up leaves both asleep: the time-out turns that into a failure. */
static int pingpong_fn(void *arg)
{
	struct pp_arg *a = arg;

	for (;;) {
		long left = wait_event_timeout(pingpong_wq,
			pingpong >= PINGPONG_ROUNDS || pingpong % 2 == a->parity,
			5 * HZ);
		if (!left) {
			a->lost = 1;
			return -1;
		}
		if (pingpong >= PINGPONG_ROUNDS)
			return 0;
		pingpong++;
		wake_up(&pingpong_wq);
	}
}

KTEST(waitqueue, pingpong_loses_no_wakeup)
{
	struct pp_arg even = { 0, 0 }, odd = { 1, 0 };

	pingpong = 0;
	struct task_struct *a = ktest_kthread_create(pingpong_fn, &even, "ping");
	struct task_struct *b = ktest_kthread_create(pingpong_fn, &odd, "pong");
	KASSERT(a && b);
	/* On different CPUs when there are several: cross-CPU wake-ups. */
	kthread_bind(a, 0);
	kthread_bind(b, last_cpu());
	wake_up_process(a);
	wake_up_process(b);
	KASSERT_EQ(ktest_join(a), 0);
	KASSERT_EQ(ktest_join(b), 0);
	KASSERT_EQ(even.lost + odd.lost, 0);
	KASSERT_EQ(pingpong, PINGPONG_ROUNDS);
}

KTEST(waitqueue, wait_event_timeout_values)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	volatile int cond = 0;
	uint64_t t0 = ktime_get_ns();

	/* Jiffies in and out, as in Linux: 0 when the time ran out... */
	KASSERT_EQ(wait_event_timeout(wq, cond, msecs_to_jiffies(20)), 0);
	/* It ends at the 20th tick from now, the first one a fraction of a
	 * tick away: at least 19 ticks' time. */
	KASSERT_GE(ktime_get_ns() - t0, 19 * TICK_NSEC);
	/* ...else what was left, at least 1 (all of it: cond was true). */
	cond = 1;
	KASSERT_EQ(wait_event_timeout(wq, cond, HZ), HZ);
	KASSERT_EQ(wait_event_timeout(wq, cond, 0), 1);
}

/* Many waiters and many completers on every CPU: every complete() lets
 * exactly one wait through; nobody is left sleeping. */
#define COMP_EACH 200
static struct completion stress_done;
static atomic_t waits_done;

static int comp_waiter(void *arg)
{
	(void)arg;
	for (int i = 0; i < COMP_EACH; i++) {
		if (!wait_for_completion_timeout(&stress_done, 10 * HZ))
			return -1;
		atomic_inc(&waits_done);
	}
	return 0;
}

static int comp_completer(void *arg)
{
	(void)arg;
	for (int i = 0; i < COMP_EACH; i++) {
		complete(&stress_done);
		if (i % 16 == 0)
			yield();
	}
	return 0;
}

KTEST(completion, stress_many_waiters_and_completers)
{
	int n = 2 * num_online_cpus();
	struct task_struct *w[2 * NR_CPUS], *c[2 * NR_CPUS];

	if (n > 16)
		n = 16;
	init_completion(&stress_done);
	atomic_set(&waits_done, 0);
	for (int i = 0; i < n; i++) {
		w[i] = ktest_kthread_run(comp_waiter, NULL, "waiter%d", i);
		c[i] = ktest_kthread_run(comp_completer, NULL, "completer%d", i);
		KASSERT(w[i] && c[i]);
	}
	int failed = 0;
	for (int i = 0; i < n; i++) {
		failed += ktest_join(w[i]) != 0;
		ktest_join(c[i]);
	}
	KASSERT_EQ(failed, 0);
	KASSERT_EQ(atomic_read(&waits_done), n * COMP_EACH);
	KASSERT(!try_wait_for_completion(&stress_done));	/* none left over */
}

static struct completion gate;
static atomic_t through_gate;

static int gate_waiter(void *arg)
{
	(void)arg;
	wait_for_completion(&gate);
	atomic_inc(&through_gate);
	return 0;
}

KTEST(completion, complete_all_and_reinit)
{
	struct task_struct *t[8];

	init_completion(&gate);
	atomic_set(&through_gate, 0);
	KASSERT(!completion_done(&gate));
	KASSERT(!try_wait_for_completion(&gate));
	for (int i = 0; i < 8; i++)
		KASSERT((t[i] = ktest_kthread_run(gate_waiter, NULL, "gate%d", i)) != NULL);
	msleep(20);
	KASSERT_EQ(atomic_read(&through_gate), 0);	/* all still waiting */
	complete_all(&gate);
	for (int i = 0; i < 8; i++)
		ktest_join(t[i]);
	KASSERT_EQ(atomic_read(&through_gate), 8);
	KASSERT(completion_done(&gate));
	KASSERT(try_wait_for_completion(&gate));	/* stays open */
	reinit_completion(&gate);
	KASSERT(!completion_done(&gate));
	complete(&gate);
	KASSERT(try_wait_for_completion(&gate));
	KASSERT(!try_wait_for_completion(&gate));	/* one only */
}

/* ---- balancing ---- */

#define MAX_HOGS 16
struct hog {
	volatile int cpu;
	volatile bool stop;
};

static int hog_fn(void *arg)
{
	struct hog *h = arg;

	while (!h->stop)
		h->cpu = raw_smp_processor_id();	/* where it runs now: may move */
	return 0;
}

/* N CPU-bound threads end up one per CPU (placement, then balancing). */
KTEST(sched, load_balance_spreads_hogs)
{
	int n = MIN(num_online_cpus(), MAX_HOGS);
	struct hog hogs[MAX_HOGS] = { 0 };
	struct task_struct *t[MAX_HOGS];
	bool spread = false;

	for (int i = 0; i < n; i++) {
		hogs[i].cpu = -1;
		KASSERT((t[i] = ktest_kthread_run(hog_fn, &hogs[i], "hog%d", i)) != NULL);
	}
	uint64_t t0 = ktime_get_ns();
	while (!spread && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC) {
		msleep(50);
		unsigned long seen[BITS_TO_LONGS(NR_CPUS)] = { 0 };
		int distinct = 0;
		for (int i = 0; i < n; i++) {
			int c = hogs[i].cpu;
			if (c >= 0 && !test_bit(c, seen)) {
				__set_bit(c, seen);
				distinct++;
			}
		}
		spread = distinct == n;
	}
	for (int i = 0; i < n; i++)
		hogs[i].stop = true;
	for (int i = 0; i < n; i++)
		kthread_stop_put(t[i]);
	KASSERT_MSG(spread, "%d CPU-bound threads did not spread over %d CPUs", n, n);
}

/* ---- bug reports ---- */

KTEST(sched, sleep_in_atomic_is_reported)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	preempt_disable();
	msleep(1);			/* the planted bug */
	preempt_enable();
	KASSERT(ktest_log_contains(mark, "BUG: sleeping function called from invalid context"));
	KASSERT(ktest_log_contains(mark, "BUG: scheduling while atomic: "));
	/* ... and the kernel carries on: */
	msleep(1);
	KASSERT_EQ(preempt_count(), 0);
}

static int exit_atomic_fn(void *arg)
{
	(void)arg;
	preempt_disable();		/* the planted bug: never re-enabled */
	return 0;
}

KTEST(sched, exit_while_atomic_is_reported)
{
	unsigned long mark = ktest_log_mark();
	struct task_struct *t = ktest_kthread_run(exit_atomic_fn, NULL, "leaky");

	ktest_expect_warnings();		/* planted */
	KASSERT(t);
	ktest_join(t);
	KASSERT(ktest_log_contains(mark, "exited with preempt_count 0x1"));
}

/*
 * A long atomic spin is reported. How long it must spin in guest time
 * depends on the host: time the host does not run this vCPU is a pause,
 * not a lockup (below). So spin until the report comes, up to 20 s.
 */
KTEST(watchdog, soft_lockup_is_reported)
{
	unsigned long mark = ktest_log_mark();

	watchdog_set_threshold_ms(200);
	preempt_disable();
	uint64_t t0 = ktime_get_ns();
	while (!ktest_log_contains(mark, "BUG: soft lockup - CPU#") &&
	       ktime_get_ns() - t0 < 20 * NSEC_PER_SEC)
		cpu_relax();		/* the planted bug: a long atomic spin */
	preempt_enable();
	watchdog_set_threshold_ms(20000);
	KASSERT(ktest_log_contains(mark, "BUG: soft lockup - CPU#"));
	KASSERT(ktest_log_contains(mark, "preempt_count: 0x"));
}

/*
 * A vCPU that the host does not run for a while is not stuck: the first
 * check after a gap of over 50 ms touches instead of reporting, as
 * Linux's watchdog does for a paused guest. Interrupts off for 300 ms
 * look the same to the tick (no tick meanwhile, the clock went on): the
 * threshold is 200 ms, and before, this was a "soft lockup".
 */
KTEST(watchdog, a_paused_cpu_is_not_reported)
{
	unsigned long mark = ktest_log_mark(), flags;
	uint64_t pauses = watchdog_pauses();

	watchdog_set_threshold_ms(200);
	local_irq_save(flags);
	mdelay(300);			/* no tick: as if the host paused us */
	local_irq_restore(flags);
	msleep(20);			/* the ticks after it */
	watchdog_set_threshold_ms(20000);
	KASSERT(!ktest_log_contains(mark, "soft lockup"));
	KASSERT_GT(watchdog_pauses(), pauses);
}

KTEST(watchdog, preemptible_hog_is_not_reported)
{
	struct spinner s = { 0 };
	unsigned long mark = ktest_log_mark();
	struct task_struct *t = ktest_kthread_create(spin_fn, &s, "fine-hog");

	KASSERT(t);
	kthread_bind(t, last_cpu());
	watchdog_set_threshold_ms(200);
	wake_up_process(t);
	msleep(700);
	s.stop = true;
	kthread_stop_put(t);
	watchdog_set_threshold_ms(20000);
	KASSERT_GT(s.count, 0);
	KASSERT(!ktest_log_contains(mark, "soft lockup"));
}
