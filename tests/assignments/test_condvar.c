/*
 * test_condvar.c - grading tests for assignment 4, condition variables:
 * a bounded buffer with several producers and consumers on all CPUs.
 */
#include "tests/ktest.h"
#include "assignments/assignment.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/barrier.h"
#include "assignments/condvar.h"

#define SLOTS 4
#define ITEMS_PER_PRODUCER 2000

static DEFINE_MUTEX(buf_lock);
static struct condvar not_full, not_empty;
static long buf[SLOTS];
static int head, count;
static long consumed_sum;
static int consumed_items;
static bool producers_done;

static int producer(void *arg)
{
	long base = (long)(uintptr_t)arg * ITEMS_PER_PRODUCER;

	for (long i = 1; i <= ITEMS_PER_PRODUCER; i++) {
		mutex_lock(&buf_lock);
		while (count == SLOTS)
			cond_wait(&not_full, &buf_lock);
		buf[(head + count) % SLOTS] = base + i;
		count++;
		cond_signal(&not_empty);
		mutex_unlock(&buf_lock);
	}
	return 0;
}

static int consumer(void *arg)
{
	(void)arg;
	for (;;) {
		mutex_lock(&buf_lock);
		while (count == 0 && !producers_done)
			cond_wait(&not_empty, &buf_lock);
		if (count == 0) {		/* done and drained */
			mutex_unlock(&buf_lock);
			return 0;
		}
		consumed_sum += buf[head];
		consumed_items++;
		head = (head + 1) % SLOTS;
		count--;
		cond_signal(&not_full);
		mutex_unlock(&buf_lock);
	}
}

/* A thread that must finish within a generous time: a lost wake-up
 * leaves it asleep for ever, which this turns into a test failure. */
static bool finishes(struct task_struct *t, uint64_t ms)
{
	return wait_event_timeout(*t->exit_wait, smp_load_acquire(&t->exited),
				  msecs_to_jiffies(ms)) != 0;
}

KTEST(assignment_condvar, bounded_buffer)
{
	int np = MIN(num_online_cpus(), 4), nc = np;
	struct task_struct *p[4], *c[4];
	bool ok = true;

	cond_init(&not_full);
	cond_init(&not_empty);
	cond_signal(&not_empty);	/* nobody waits: must be harmless */
	KASSERT_IMPLEMENTED("condvar");
	head = count = consumed_items = 0;
	consumed_sum = 0;
	producers_done = false;
	for (int i = 0; i < nc; i++)
		c[i] = ktest_kthread_run(consumer, NULL, "consumer%d", i);
	for (int i = 0; i < np; i++)
		p[i] = ktest_kthread_run(producer, (void *)(uintptr_t)i, "producer%d", i);
	for (int i = 0; i < np; i++)
		ok &= finishes(p[i], 20000);
	mutex_lock(&buf_lock);
	producers_done = true;
	cond_broadcast(&not_empty);
	mutex_unlock(&buf_lock);
	for (int i = 0; i < nc; i++)
		ok &= finishes(c[i], 20000);
	KASSERT_MSG(ok, "a thread never finished: a wake-up was lost");
	for (int i = 0; i < np; i++)
		kthread_stop_put(p[i]);
	for (int i = 0; i < nc; i++)
		kthread_stop_put(c[i]);
	long n = (long)np * ITEMS_PER_PRODUCER;
	KASSERT_EQ(consumed_items, n);
	KASSERT_EQ(consumed_sum, n * (n + 1) / 2);	/* each item exactly once */
}

static atomic_t woken;
static bool gate_open;

static int gate_waiter(void *arg)
{
	(void)arg;
	mutex_lock(&buf_lock);
	while (!gate_open)
		cond_wait(&not_empty, &buf_lock);
	mutex_unlock(&buf_lock);
	atomic_inc(&woken);
	return 0;
}

KTEST(assignment_condvar, broadcast_wakes_everyone)
{
	struct task_struct *t[6];

	cond_init(&not_empty);
	cond_broadcast(&not_empty);
	KASSERT_IMPLEMENTED("condvar");
	atomic_set(&woken, 0);
	gate_open = false;
	for (int i = 0; i < 6; i++)
		t[i] = ktest_kthread_run(gate_waiter, NULL, "gate%d", i);
	msleep(30);
	KASSERT_EQ(atomic_read(&woken), 0);
	mutex_lock(&buf_lock);
	gate_open = true;
	cond_broadcast(&not_empty);
	mutex_unlock(&buf_lock);
	bool ok = true;
	for (int i = 0; i < 6; i++)
		ok &= finishes(t[i], 10000);
	for (int i = 0; i < 6; i++)
		kthread_stop_put(t[i]);
	KASSERT_MSG(ok, "broadcast left a waiter asleep");
	KASSERT_EQ(atomic_read(&woken), 6);
}
