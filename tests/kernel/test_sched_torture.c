/*
 * test_sched_torture.c - the scheduler's lifetimes under torture, in the
 * spirit of Linux's locktorture and rcutorture.
 *
 * On every CPU a driver thread creates victim threads over and over:
 * bound to a random CPU or free to move, woken again and again from other
 * CPUs while they go to sleep (a waker per CPU hammers the victims it can
 * see), then stopped with kthread_stop_put() or left to return on their own
 * (right after unlocking a mutex others spin on: the spinners look at the
 * exiting owner's on_cpu).
 * Hogs on every other CPU keep the loads uneven, so wake-ups move victims
 * between CPUs. Jitter is on for the run (the boot's jitter=SEED, or a
 * fixed seed): finish_task_switch() then waits at random in the window
 * after it let go of the previous thread - where the TASK_DEAD race of
 * 2015 lives (sched/core.c).
 *
 * Checked: each victim's function ran at most once, and kthread_stop_put()
 * returned what it returned (or -EINTR when it never ran); afterwards,
 * once an RCU grace period has passed, the heap (objects and bytes), the
 * kernel stacks and the task list are back where they started - every
 * task and stack freed exactly once (a second free panics in kfree or
 * kstack_free), none leaked; and no WARNING (a refcount underflow, a
 * freed task still queued...) was printed. A write to a freed task is
 * caught by kmalloc's poison check when its block is handed out again.
 *
 * Duration: sched_torture.ms= (default 1500).
 */
#include "tests/ktest.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/jitter.h"
#include "kernel/mm.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/mutex.h"
#include "sync/rcu.h"

CMDLINE_OPTION("sched_torture.ms", "scheduler torture: milliseconds (default 1500)");

#define VICTIM_VALUE	4242
#define TORTURE_SEED	0x5eed
#define MAX_HOGS	(2 * NR_CPUS)

struct driver {
	int cpu;
	struct task_struct *victim;		/* RCU-published for the wakers */
	uint64_t rnd;
	long created, ran, unrun, returned_alone;
	atomic_t victim_runs;		/* the current victim's function calls */
	bool bad_value;
};

static struct {
	struct driver drivers[NR_CPUS];
	struct task_struct *driver_tasks[NR_CPUS], *wakers[NR_CPUS], *hogs[MAX_HOGS];
	int nr_drivers;
	uint64_t deadline;
	atomic_long_t wakeups;
} tt;

/* ---- victims ---- */

struct victim_args {
	struct driver *d;
	int sleeps;		/* returns on its own after this many, if >= 0 */
	bool dawdle;		/* a few microseconds between sleeps */
};

/* Victims that return on their own unlock this just before: the mutex's
 * spinners look at owner->on_cpu of tasks that are exiting. */
static DEFINE_MUTEX(victims_mutex);

static int victim_fn(void *arg)
{
	struct victim_args *a = arg;

	atomic_inc(&a->d->victim_runs);
	for (int i = 0; !kthread_should_stop(); i++) {
		if (i == a->sleeps) {
			mutex_lock(&victims_mutex);
			udelay(1);
			mutex_unlock(&victims_mutex);
			return VICTIM_VALUE;		/* on its own */
		}
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();			/* woken by a waker, or stopped */
		if (a->dawdle)
			udelay(i % 4);
	}
	return VICTIM_VALUE;
}

/* ---- drivers: create, publish, wake, stop ---- */

static void one_victim(struct driver *d)
{
	struct victim_args a = { .d = d };
	uint64_t r = ktest_rand(&d->rnd);

	a.sleeps = (r & 1) ? (int)((r >> 1) % 12) : -1;
	a.dawdle = (r >> 8) & 1;
	atomic_set(&d->victim_runs, 0);
	struct task_struct *v = ktest_kthread_create(victim_fn, &a, "victim%d", d->cpu);
	if (!v)
		return;
	if (((r >> 12) & 3) == 0)
		kthread_bind(v, nth_online_cpu((int)((r >> 16) % num_online_cpus())));
	rcu_assign_pointer(d->victim, v);
	d->created++;
	if (((r >> 20) & 7) != 0)		/* one in 8 is stopped unwoken */
		wake_up_process(v);
	for (int i = (int)((r >> 24) % 8); i > 0; i--) {
		udelay((r >> 28) % 8);
		wake_up_process(v);		/* mostly while it switches out */
	}
	if ((r >> 32) & 1)
		udelay((r >> 33) % 50);		/* time to sleep or to return */
	/* Unpublish first: after kthread_stop_put() the task may be freed once
	 * the wakers' RCU readers are done. */
	RCU_INIT_POINTER(d->victim, NULL);
	int ret = kthread_stop_put(v);
	int runs = atomic_read(&d->victim_runs);
	if (ret == -EINTR && runs == 0)
		d->unrun++;
	else if (ret == VICTIM_VALUE && runs == 1)
		d->ran++;
	else
		d->bad_value = true;
	d->returned_alone += a.sleeps >= 0;
}

static int driver_fn(void *arg)
{
	struct driver *d = arg;

	while (ktime_get_ns() < tt.deadline)
		one_victim(d);
	return 0;
}

/* ---- wakers and hogs ---- */

static int waker_fn(void *arg)
{
	uint64_t rnd = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 1;

	while (!kthread_should_stop()) {
		struct driver *d = &tt.drivers[ktest_rand(&rnd) % tt.nr_drivers];
		rcu_read_lock();
		struct task_struct *v = rcu_dereference(d->victim);
		if (v) {
			wake_up_process(v);
			atomic_long_inc(&tt.wakeups);
		}
		rcu_read_unlock();
		udelay(ktest_rand(&rnd) % 4);
		if ((ktest_rand(&rnd) & 63) == 0)
			yield();
	}
	return 0;
}

/* Busy, then briefly asleep: the load of its CPU comes and goes. */
static int hog_fn(void *arg)
{
	uint64_t rnd = (uintptr_t)arg + 7;

	while (!kthread_should_stop()) {
		udelay(50 + ktest_rand(&rnd) % 300);
		if ((ktest_rand(&rnd) & 3) == 0)
			msleep(1);
	}
	return 0;
}

/* ---- the test ---- */

struct census {
	struct kmalloc_stats heap;
	unsigned long stacks;
	int tasks;
};

static int count_tasks(void)
{
	struct task_struct *t;
	int n = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &all_tasks, tasks)
		n++;
	spin_unlock(&tasklist_lock);
	return n;
}

/* Everything freed that will be: RCU callbacks run, stacks reclaimed. */
static void take_census(struct census *c, const struct census *want)
{
	uint64_t t0 = ktime_get_ns();

	do {
		ktest_quiesce();
		kstack_reclaim();
		kmalloc_get_stats(&c->heap);
		c->stacks = kstack_in_use();
		c->tasks = count_tasks();
	} while (want && (c->stacks != want->stacks || c->tasks != want->tasks ||
			  c->heap.allocations != want->heap.allocations) &&
		 ktime_get_ns() - t0 < NSEC_PER_SEC);
}

static struct task_struct *start_bound(int (*fn)(void *), void *arg, int cpu, const char *what)
{
	struct task_struct *t = ktest_kthread_create(fn, arg, "%s%d", what, cpu);

	if (t) {
		kthread_bind(t, cpu);
		wake_up_process(t);
	}
	return t;
}

KTEST(sched, torture_lifetimes)
{
	long ms = cmdline_get_int("sched_torture.ms", 1500, 10, 600000);
	struct task_struct **drivers = tt.driver_tasks, **wakers = tt.wakers, **hogs = tt.hogs;
	struct census before, after;
	uint64_t old_seed = jitter_seed();
	int n = num_online_cpus(), nhogs = 0;

	take_census(&before, NULL);
	memset(&tt, 0, sizeof(tt));
	tt.nr_drivers = n;
	tt.deadline = ktime_get_ns() + (uint64_t)ms * NSEC_PER_MSEC;
	if (!old_seed)
		jitter_set(TORTURE_SEED);
	for (int i = 0; i < n; i++) {
		int cpu = nth_online_cpu(i);
		tt.drivers[i] = (struct driver){ .cpu = cpu, .rnd = (uint64_t)cpu * 77 + 1 };
		drivers[i] = start_bound(driver_fn, &tt.drivers[i], cpu, "driver");
		wakers[i] = start_bound(waker_fn, (void *)(uintptr_t)(cpu + 1), cpu, "waker");
		for (int h = 0; n > 1 && i % 2 == 1 && h < 2; h++)
			hogs[nhogs++] = start_bound(hog_fn, (void *)(uintptr_t)(cpu * 2 + h), cpu, "hog");
	}
	for (int i = 0; i < n; i++)
		if (drivers[i])
			ktest_join(drivers[i]);		/* they end at the deadline */
	for (int i = 0; i < n; i++)
		if (wakers[i])
			kthread_stop_put(wakers[i]);
	for (int i = 0; i < nhogs; i++)
		if (hogs[i])
			kthread_stop_put(hogs[i]);
	jitter_set(old_seed);

	long created = 0, ran = 0, unrun = 0, alone = 0;
	for (int i = 0; i < n; i++) {
		struct driver *d = &tt.drivers[i];
		KASSERT(drivers[i] && wakers[i]);
		KASSERT_MSG(!d->bad_value, "a victim of CPU%d ran twice, or kthread_stop_put() "
			    "returned something it did not return", d->cpu);
		created += d->created;
		ran += d->ran;
		unrun += d->unrun;
		alone += d->returned_alone;
	}
	take_census(&after, &before);
	ktest_info("sched torture: %ld victims on %d CPUs in %ld ms (%ld ran, %ld stopped "
		   "before running, %ld meant to return alone), %ld wake-ups\n", created, n,
		   ms, ran, unrun, alone, atomic_long_read(&tt.wakeups));
	KASSERT_EQ(created, ran + unrun);
	KASSERT_GT(ran, 0);
	KASSERT_EQ(after.tasks, before.tasks);
	KASSERT_EQ(after.stacks, before.stacks);
	KASSERT_EQ(after.heap.allocations, before.heap.allocations);
	KASSERT_EQ(after.heap.bytes_in_use, before.heap.bytes_in_use);
}
