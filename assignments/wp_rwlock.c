/*
 * wp_rwlock.c - writer preference with three counters.
 *
 * Reader: wait while a writer holds or waits for the lock, then announce
 * itself (readers++) and re-check: a writer may have arrived between the
 * check and the increment; if so, back out and wait again. The increment
 * and the re-check are ordered by the locked instruction (a full barrier).
 *
 * Writer: announce the wait (writers_waiting++), which turns new readers
 * away; take the writer flag with cmpxchg 0 -> 1; then wait for the
 * readers already inside to leave. Unlock clears the flag; the last
 * waiting writer leaving lets readers in again.
 */
#include "assignments/wp_rwlock.h"
#include "sched/preempt.h"
#include "sync/barrier.h"
#include "arch/x86/cpu.h"
#include "assignments/assignment.h"

void wp_read_lock(wp_rwlock_t *l)
{
	preempt_disable();
	/* BEGIN SOLUTION */
	for (;;) {
		while (atomic_read(&l->writers_waiting) || atomic_read(&l->writer))
			cpu_relax();
		atomic_inc(&l->readers);
		if (!atomic_read(&l->writers_waiting) && !atomic_read(&l->writer))
			return;				/* no writer slipped in */
		atomic_dec(&l->readers);		/* back out, wait again */
	}
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("wp_rwlock"); (void)l; */
}

void wp_read_unlock(wp_rwlock_t *l)
{
	/* BEGIN SOLUTION */
	atomic_dec(&l->readers);
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("wp_rwlock"); (void)l; */
	preempt_enable();
}

void wp_write_lock(wp_rwlock_t *l)
{
	preempt_disable();
	/* BEGIN SOLUTION */
	atomic_inc(&l->writers_waiting);
	while (atomic_cmpxchg(&l->writer, 0, 1) != 0)
		cpu_relax();
	while (atomic_read(&l->readers))
		cpu_relax();
	atomic_dec(&l->writers_waiting);
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("wp_rwlock"); (void)l; */
}

void wp_write_unlock(wp_rwlock_t *l)
{
	/* BEGIN SOLUTION */
	smp_store_release(&l->writer.counter, 0);	/* publishes the section */
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("wp_rwlock"); (void)l; */
	preempt_enable();
}
