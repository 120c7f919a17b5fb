/*
 * locktest.h - a small exclusion checker shared by the assignment tests:
 * threads on every CPU take a lock through callbacks, check that nobody
 * else is inside, update a plain counter, and count their acquisitions.
 */
#pragma once
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sched/completion.h"
#include "sync/atomic.h"
#include "sync/barrier.h"

struct locktest {
	void (*lock)(void *arg, void *node);
	void (*unlock)(void *arg, void *node);
	void *arg;
	int duration_ms;		/* how long the threads hammer the lock */
	volatile bool stop;
	struct completion start;	/* all threads begin together */
	/* results */
	atomic_t inside, violations, waiting, contended;
	long plain;			/* updated only under the lock */
	long per_thread[16];
};

static inline long locktest_total(struct locktest *lt, int n)
{
	long sum = 0;

	for (int i = 0; i < n; i++)
		sum += lt->per_thread[i];
	return sum;
}

struct locktest_thread {
	struct locktest *lt;
	int id;
};

static int locktest_fn(void *p)
{
	struct locktest_thread *th = p;
	struct locktest *lt = th->lt;
	char node[64] __aligned(16);		/* room for any queue node */

	wait_for_completion(&lt->start);
	while (!READ_ONCE(lt->stop)) {
		/* Someone else trying at the same time: the test overlaps. */
		if (atomic_inc_return(&lt->waiting) > 1)
			atomic_inc(&lt->contended);
		lt->lock(lt->arg, node);
		atomic_dec(&lt->waiting);
		if (atomic_inc_return(&lt->inside) != 1)
			atomic_inc(&lt->violations);
		long v = READ_ONCE(lt->plain);
		barrier();
		WRITE_ONCE(lt->plain, v + 1);	/* a lost update if not exclusive */
		atomic_dec(&lt->inside);
		lt->unlock(lt->arg, node);
		lt->per_thread[th->id]++;
	}
	return 0;
}

/* Runs 2 threads per CPU (max 16), released together, for duration_ms
 * (time-bounded, not count-bounded: a fair lock handing over to a vCPU the
 * host is not running is slow under emulation); returns how many.
 * lt->contended counts acquisitions attempted while another thread was
 * also trying: on several CPUs it must be > 0, or nothing overlapped. */
static inline int locktest_run(struct locktest *lt)
{
	struct locktest_thread th[16];
	struct task_struct *t[16];
	int n = MIN(2 * num_online_cpus(), 16);

	atomic_set(&lt->inside, 0);
	atomic_set(&lt->violations, 0);
	atomic_set(&lt->waiting, 0);
	atomic_set(&lt->contended, 0);
	init_completion(&lt->start);
	lt->plain = 0;
	lt->stop = false;
	for (int i = 0; i < n; i++) {
		th[i] = (struct locktest_thread){ lt, i };
		lt->per_thread[i] = 0;
		t[i] = ktest_kthread_run(locktest_fn, &th[i], "locktest%d", i);
	}
	complete_all(&lt->start);
	/* KCSAN=1 runs everything 3-5 times slower: hammer as many times as
	 * without it, so that a racy handover is watched often enough. */
	msleep(lt->duration_ms * (IS_ENABLED(CONFIG_KCSAN) ? 5 : 1));
	WRITE_ONCE(lt->stop, true);
	for (int i = 0; i < n; i++) {
		wait_event(*t[i]->exit_wait, smp_load_acquire(&t[i]->exited));
		kthread_stop_put(t[i]);
	}
	return n;
}
