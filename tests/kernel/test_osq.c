/*
 * test_osq.c - the optimistic spin queue (sync/osq_lock.c).
 *
 * One thread per CPU joins the queue over and over. Every fourth try it
 * first raises its own need_resched(), so that it gives up as soon as it
 * is queued behind someone: leavers race with hand-overs and with each
 * other (with 3+ CPUs, neighbours leave at once). The invariants: at most
 * one head at a time, every try ends as "head" or "left", nobody stops
 * making progress (a lost hand-over leaves the queue stuck), and the
 * queue is empty at the end (a leaver that is the tail gives it back).
 */
#include "tests/ktest.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "sync/atomic.h"
#include "sync/osq_lock.h"
#include "arch/x86/cpu.h"

#define OSQ_MAX_THREADS 64
#define OSQ_MIN_HEADS 200	/* per thread, before it may stop */
#define OSQ_RUN_NS (300 * NSEC_PER_MSEC)
/* A fair queue hands over to a vCPU the host may not be running: on a
 * busy host with more vCPUs than cores a hand-over can take a host time
 * slice, so 200 heads each may take many seconds. Past this much longer
 * the threads stop anyway, and only "no progress at all" is a failure. */
#define OSQ_MAX_NS (20 * NSEC_PER_SEC)

static struct {
	struct optimistic_spin_queue q;
	struct completion start;
	atomic_t inside, violations;
	long heads[OSQ_MAX_THREADS], left[OSQ_MAX_THREADS], tries[OSQ_MAX_THREADS];
	uint64_t end_ns;
} osq_t;

static int osq_thread(void *arg)
{
	int id = (int)(long)arg;
	uint32_t x = 2463534242u + id;	/* xorshift: which tries give up */

	wait_for_completion(&osq_t.start);
	while (osq_t.heads[id] < OSQ_MIN_HEADS || ktime_get_ns() < osq_t.end_ns) {
		if (ktime_get_ns() > osq_t.end_ns + OSQ_MAX_NS)
			break;		/* starved: the test reports it */
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		preempt_disable();
		if ((x & 3) == 0)
			set_need_resched();
		osq_t.tries[id]++;
		if (osq_lock(&osq_t.q)) {
			if (atomic_inc_return(&osq_t.inside) != 1)
				atomic_inc(&osq_t.violations);
			for (int k = 0; k < 20; k++)
				cpu_relax();
			atomic_dec(&osq_t.inside);
			osq_unlock(&osq_t.q);
			osq_t.heads[id]++;
		} else {
			osq_t.left[id]++;
		}
		preempt_enable();	/* runs the scheduler if we asked */
	}
	return 0;
}

KTEST(osq, one_head_leavers_never_lose_the_queue)
{
	static struct task_struct *t[OSQ_MAX_THREADS];
	int n = MIN(num_online_cpus(), OSQ_MAX_THREADS);
	long heads = 0, left = 0, tries = 0, min_heads = -1;

	osq_lock_init(&osq_t.q);
	init_completion(&osq_t.start);
	atomic_set(&osq_t.inside, 0);
	atomic_set(&osq_t.violations, 0);
	for (int i = 0; i < n; i++) {
		osq_t.heads[i] = osq_t.left[i] = osq_t.tries[i] = 0;
		t[i] = ktest_kthread_create(osq_thread, (void *)(long)i, "osq%d", i);
		KASSERT(t[i]);
		kthread_bind(t[i], nth_online_cpu(i));
		wake_up_process(t[i]);
	}
	osq_t.end_ns = ktime_get_ns() + OSQ_RUN_NS;
	complete_all(&osq_t.start);
	for (int i = 0; i < n; i++)
		ktest_join(t[i]);
	for (int i = 0; i < n; i++) {
		heads += osq_t.heads[i];
		left += osq_t.left[i];
		tries += osq_t.tries[i];
		if (min_heads < 0 || osq_t.heads[i] < min_heads)
			min_heads = osq_t.heads[i];
	}
	ktest_info("osq: %d CPUs, %ld tries: %ld heads (at least %ld each), %ld left the queue\n",
		   n, tries, heads, min_heads, left);
	KASSERT_EQ(atomic_read(&osq_t.violations), 0);
	KASSERT_EQ(heads + left, tries);
	KASSERT_MSG(min_heads > 0, "a CPU never became the head in %lu s",
		    (unsigned long)((OSQ_RUN_NS + OSQ_MAX_NS) / NSEC_PER_SEC));
	KASSERT_MSG(!osq_is_locked(&osq_t.q), "the queue is not empty at the end (tail %d)",
		    atomic_read(&osq_t.q.tail));
	if (n >= 2)
		KASSERT_MSG(left > 0, "nobody ever left the queue: the test did not test leaving");
}

/* The uncontended path: alone, we are the head at once, and unlock empties it. */
KTEST(osq, alone_is_head_at_once)
{
	struct optimistic_spin_queue q;

	osq_lock_init(&q);
	KASSERT(!osq_is_locked(&q));
	preempt_disable();
	bool head = osq_lock(&q);
	bool locked = osq_is_locked(&q);
	osq_unlock(&q);
	preempt_enable();
	KASSERT(head);
	KASSERT(locked);
	KASSERT(!osq_is_locked(&q));
}
