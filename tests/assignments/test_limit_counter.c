/*
 * test_limit_counter.c - grading tests for assignment 2, the limit counter.
 */
#include "tests/ktest.h"
#include "assignments/assignment.h"
#include "kernel/cpumask.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sched/completion.h"
#include "sync/barrier.h"
#include "assignments/limit_counter.h"

static struct limit_counter lc;

KTEST(assignment_limit_counter, single_cpu)
{
	limit_counter_init(&lc, 1000);
	bool first = limit_counter_add(&lc, 1);
	KASSERT_IMPLEMENTED("limit_counter");
	KASSERT(first);
	long added = 1;
	while (limit_counter_add(&lc, 1))
		added++;
	KASSERT_LE(added, 1000);		/* never past the limit */
	KASSERT_GE(added, 500);			/* at most limit/2 held back */
	KASSERT_EQ(limit_counter_read(&lc), added);
	limit_counter_sub(&lc, 10);
	KASSERT_EQ(limit_counter_read(&lc), added - 10);
	KASSERT(limit_counter_add(&lc, 10));	/* the room came back */
}

#define LIMIT 50000
static atomic_long_t successes;

static DECLARE_COMPLETION(go);

static int adder(void *arg)
{
	(void)arg;
	wait_for_completion(&go);
	for (int i = 0; i < LIMIT; i++) {
		if (!limit_counter_add(&lc, 1))
			break;
		atomic_long_inc(&successes);
		if (i % 3 == 0) {		/* some churn: sub, add again */
			limit_counter_sub(&lc, 1);
			atomic_long_dec(&successes);
		}
	}
	return 0;
}

/* Every CPU adds until refused: nothing past the limit, nothing lost. */
KTEST(assignment_limit_counter, all_cpus)
{
	int n = MIN(2 * num_online_cpus(), 16);
	struct task_struct *t[16];

	limit_counter_init(&lc, LIMIT);
	limit_counter_add(&lc, 0);
	KASSERT_IMPLEMENTED("limit_counter");
	atomic_long_set(&successes, 0);
	reinit_completion(&go);
	for (int i = 0; i < n; i++)
		t[i] = ktest_kthread_run(adder, NULL, "adder%d", i);
	complete_all(&go);		/* all at once: they really compete */
	for (int i = 0; i < n; i++)
		ktest_join(t[i]);
	long total = limit_counter_read(&lc);
	KASSERT_EQ(total, atomic_long_read(&successes));	/* exact */
	KASSERT_LE(total, LIMIT);				/* never over */
	KASSERT_GE(total, LIMIT / 2);		/* approximate, not useless */
}
