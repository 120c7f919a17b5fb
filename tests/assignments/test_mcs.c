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
