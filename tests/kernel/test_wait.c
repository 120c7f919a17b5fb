/*
 * test_wait.c - the explicit wait-queue API keeps Linux's contract (the
 * LDD3 and course-code shapes): DECLARE_WAITQUEUE + add_wait_queue() and
 * a sleep woken by wake_up(); wake_up_interruptible() wakes only
 * TASK_INTERRUPTIBLE sleepers; one wake_up() wakes every non-exclusive
 * waiter and one exclusive one; wait_woken()/woken_wake_function() lose
 * no wake-up that comes between the condition check and the sleep.
 */
#include "tests/ktest.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sync/atomic.h"

static DECLARE_WAIT_QUEUE_HEAD(wq);
static bool flag;
static atomic_t woke;

/* LDD3: queue yourself, set the state, test, schedule, dequeue. */
static int ldd3_sleeper(void *arg)
{
	long state = (long)arg;
	DECLARE_WAITQUEUE(entry, current);

	add_wait_queue(&wq, &entry);
	for (;;) {
		set_current_state(state);
		if (READ_ONCE(flag))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	remove_wait_queue(&wq, &entry);
	atomic_inc(&woke);
	return 0;
}

static bool asleep(struct task_struct *t, long state)
{
	for (int ms = 0; ms < 5000; ms++) {
		if (READ_ONCE(t->state) == state && !READ_ONCE(t->on_cpu))
			return true;
		msleep(1);
	}
	return false;
}

KTEST(wait, declare_waitqueue_and_wake_up_interruptible)
{
	WRITE_ONCE(flag, false);
	atomic_set(&woke, 0);
	struct task_struct *i = ktest_kthread_run(ldd3_sleeper, (void *)TASK_INTERRUPTIBLE, "wq-i");
	struct task_struct *u = ktest_kthread_run(ldd3_sleeper, (void *)TASK_UNINTERRUPTIBLE, "wq-u");
	KASSERT(i && u);
	KASSERT(asleep(i, TASK_INTERRUPTIBLE));
	KASSERT(asleep(u, TASK_UNINTERRUPTIBLE));
	WRITE_ONCE(flag, true);
	wake_up_interruptible(&wq);		/* the interruptible one only */
	KASSERT_EQ(ktest_join(i), 0);
	msleep(20);
	KASSERT_EQ(atomic_read(&woke), 1);
	KASSERT_EQ(READ_ONCE(u->state), TASK_UNINTERRUPTIBLE);
	wake_up(&wq);				/* now the other */
	KASSERT_EQ(ktest_join(u), 0);
	KASSERT_EQ(atomic_read(&woke), 2);
	KASSERT(!waitqueue_active(&wq));
}

/* One wake_up(): every non-exclusive waiter, one exclusive one. */
static int excl_sleeper(void *arg)
{
	DEFINE_WAIT(w);
	bool exclusive = arg;

	for (;;) {
		if (exclusive)
			prepare_to_wait_exclusive(&wq, &w, TASK_UNINTERRUPTIBLE);
		else
			prepare_to_wait(&wq, &w, TASK_UNINTERRUPTIBLE);
		if (atomic_read(&woke) < 0)		/* never: woken is the point */
			break;
		schedule();
		break;
	}
	finish_wait(&wq, &w);
	atomic_inc(&woke);
	return 0;
}

KTEST(wait, one_wake_up_one_exclusive_waiter)
{
	struct task_struct *t[5];

	atomic_set(&woke, 0);
	for (int k = 0; k < 5; k++) {
		t[k] = ktest_kthread_run(excl_sleeper, (void *)(uintptr_t)(k >= 2), "excl%d", k);
		KASSERT(t[k]);
	}
	for (int k = 0; k < 5; k++)
		KASSERT(asleep(t[k], TASK_UNINTERRUPTIBLE));
	wake_up(&wq);				/* 2 plain + 1 of the 3 exclusive */
	for (int ms = 0; ms < 2000 && atomic_read(&woke) < 3; ms++)
		msleep(1);
	msleep(20);
	KASSERT_EQ(atomic_read(&woke), 3);
	wake_up_all(&wq);
	for (int k = 0; k < 5; k++)
		ktest_join(t[k]);
	KASSERT_EQ(atomic_read(&woke), 5);
}

/*
 * wait_woken(): the waker sets the entry's WOKEN mark before waking, the
 * sleeper looks at it after setting its state, so a wake-up that comes
 * between the condition check and the sleep is not lost. 2000 hand-offs
 * of a token between two threads must all arrive.
 */
static int token, rounds_done;

static int woken_waiter(void *arg)
{
	DEFINE_WAIT_FUNC(w, woken_wake_function);
	long me = (long)arg;

	add_wait_queue(&wq, &w);
	for (int r = 0; r < 1000; r++) {
		while (READ_ONCE(token) != me)
			wait_woken(&w, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
		/* Count before handing the token over: after it, the other
		 * thread counts too (counting after lost one round in 2000 at
		 * -smp 4 under KCSAN, whose stalls widened that window). */
		WRITE_ONCE(rounds_done, rounds_done + 1);
		WRITE_ONCE(token, 1 - me);
		wake_up_interruptible(&wq);
	}
	remove_wait_queue(&wq, &w);
	return 0;
}

KTEST(wait, wait_woken_loses_no_wake_up)
{
	WRITE_ONCE(token, 0);
	WRITE_ONCE(rounds_done, 0);
	struct task_struct *a = ktest_kthread_run(woken_waiter, (void *)0L, "woken0");
	struct task_struct *b = ktest_kthread_run(woken_waiter, (void *)1L, "woken1");
	KASSERT(a && b);
	KASSERT_EQ(ktest_join(a), 0);
	KASSERT_EQ(ktest_join(b), 0);
	KASSERT_EQ(READ_ONCE(rounds_done), 2000);
}
