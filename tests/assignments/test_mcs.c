/*
 * test_mcs.c - grading tests for assignment 1, the MCS lock.
 */
#include "tests/assignments/locktest.h"
#include "assignments/assignment.h"
#include "assignments/mcs_spinlock.h"

static struct mcs_spinlock mcs = MCS_SPINLOCK_UNLOCKED;

static void mcs_lock_cb(void *arg, void *node)
{
	mcs_spin_lock(arg, node);
}

static void mcs_unlock_cb(void *arg, void *node)
{
	mcs_spin_unlock(arg, node);
}

/* Lock and unlock once: the stub (if still there) records itself. */
static void try_once(void)
{
	struct mcs_node node;

	mcs_spin_lock(&mcs, &node);
	mcs_spin_unlock(&mcs, &node);
}

KTEST(assignment_mcs, basic)
{
	struct mcs_node node;

	mcs_spin_lock(&mcs, &node);
	bool whole_queue = mcs.tail == &node;
	int count = preempt_count();
	mcs_spin_unlock(&mcs, &node);
	KASSERT_IMPLEMENTED("mcs");
	KASSERT(whole_queue);			/* we were the whole queue */
	KASSERT_EQ(count & PREEMPT_MASK, 1);	/* preemption was off */
	KASSERT(mcs.tail == NULL);		/* free again */
	KASSERT_EQ(preempt_count(), 0);
}

KTEST(assignment_mcs, mutual_exclusion)
{
	struct locktest lt = { .lock = mcs_lock_cb, .unlock = mcs_unlock_cb,
			       .arg = &mcs, .duration_ms = 200 };

	try_once();
	KASSERT_IMPLEMENTED("mcs");
	int n = locktest_run(&lt);
	KASSERT_EQ(atomic_read(&lt.violations), 0);
	KASSERT_EQ(lt.plain, locktest_total(&lt, n));	/* no lost update */
	for (int i = 0; i < n; i++)
		KASSERT_MSG(lt.per_thread[i] > 0, "thread %d starved", i);
	KASSERT(mcs.tail == NULL);
	if (num_online_cpus() > 1)
		KASSERT_GT(atomic_read(&lt.contended), 0);	/* it overlapped */
}

/*
 * FIFO: a holder keeps the lock while waiters arrive one after another
 * (each only once the one before is queued: lock->tail is its node), then
 * lets go. They must get the lock in the order they arrived. Every waiter
 * spins on a CPU of its own, preemption off: one CPU each.
 */
#define FIFO_WAITERS 3
static struct mcs_node fifo_nodes[FIFO_WAITERS + 1];
static atomic_t fifo_pos;
static int fifo_order[FIFO_WAITERS];
static int fifo_waiters;

static int fifo_waiter(void *arg)
{
	int i = (int)(long)arg;		/* 1..fifo_waiters */

	while (READ_ONCE(mcs.tail) != &fifo_nodes[i - 1])
		cpu_relax();
	mcs_spin_lock(&mcs, &fifo_nodes[i]);
	fifo_order[atomic_fetch_add(1, &fifo_pos)] = i;
	mcs_spin_unlock(&mcs, &fifo_nodes[i]);
	return 0;
}

static int fifo_holder(void *arg)
{
	(void)arg;
	mcs_spin_lock(&mcs, &fifo_nodes[0]);
	while (READ_ONCE(mcs.tail) != &fifo_nodes[fifo_waiters])
		cpu_relax();			/* all queued behind us */
	mcs_spin_unlock(&mcs, &fifo_nodes[0]);
	return 0;
}

KTEST(assignment_mcs, fifo_order)
{
	struct task_struct *t[FIFO_WAITERS + 1];

	try_once();
	KASSERT_IMPLEMENTED("mcs");
	fifo_waiters = MIN(num_online_cpus() - 1, FIFO_WAITERS);
	if (fifo_waiters < 2) {
		ktest_info("FIFO order needs 3 CPUs (a holder, two waiters): checked at -smp 4\n");
		return;
	}
	atomic_set(&fifo_pos, 0);
	for (int i = 0; i <= fifo_waiters; i++) {
		t[i] = ktest_kthread_create(i ? fifo_waiter : fifo_holder, (void *)(long)i,
					    "mcs-fifo/%d", i);
		KASSERT(t[i]);
		kthread_bind(t[i], nth_online_cpu(i));
	}
	for (int i = 0; i <= fifo_waiters; i++)
		wake_up_process(t[i]);
	for (int i = 0; i <= fifo_waiters; i++)
		ktest_join(t[i]);
	KASSERT_EQ(atomic_read(&fifo_pos), fifo_waiters);
	for (int i = 0; i < fifo_waiters; i++)
		KASSERT_MSG(fifo_order[i] == i + 1, "the %d%s to get the lock arrived %d%s",
			    i + 1, i ? "th" : "st", fifo_order[i], fifo_order[i] == 1 ? "st" : "th");
	KASSERT(mcs.tail == NULL);
}
