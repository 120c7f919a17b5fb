/*
 * condvar.c - a condition variable on a wait queue.
 *
 * The waiter queues itself on the wait queue *before* it releases the
 * mutex. A signaller must hold the mutex to change the predicate, so it
 * can only signal after the waiter's mutex_unlock - by which time the
 * waiter is on the queue, and wake_up() finds it (if the waiter has not
 * reached schedule() yet, the wake-up just sets it runnable again and
 * schedule() returns at once). Waiters are exclusive, so cond_signal()
 * wakes one of them and cond_broadcast() all.
 */
#include "assignments/condvar.h"
#include "assignments/assignment.h"

void cond_init(struct condvar *cv)
{
	init_waitqueue_head(&cv->wq);
}

void cond_wait(struct condvar *cv, struct mutex *m)
{
	/* BEGIN SOLUTION */
	DEFINE_WAIT(w);

	prepare_to_wait_exclusive(&cv->wq, &w, TASK_UNINTERRUPTIBLE);
	mutex_unlock(m);
	schedule();
	finish_wait(&cv->wq, &w);
	mutex_lock(m);
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("condvar"); (void)cv; (void)m; */
}

void cond_signal(struct condvar *cv)
{
	/* BEGIN SOLUTION */
	wake_up(&cv->wq);
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("condvar"); (void)cv; */
}

void cond_broadcast(struct condvar *cv)
{
	/* BEGIN SOLUTION */
	wake_up_all(&cv->wq);
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("condvar"); (void)cv; */
}
