/*
 * counter_mode.c - assignment 6: the counter experiment's `cmpxchg` mode
 * (docs/assignments/06-counter-mode.md).
 *
 * The shared counter is updated with a compare-and-swap loop instead of a
 * lock or a locked add: read it, compute the new value, and store it only
 * if nobody changed the counter meanwhile; otherwise try again with the
 * value that is there now.
 */
#include "lab/counter.h"
#include "assignments/assignment.h"
#include "kernel/errno.h"
#include "sync/atomic.h"

static MODE_LOOP int cmpxchg_op(long iters, long delta)
{
	/* BEGIN SOLUTION */
	COUNTER_LOOP(iters, {
		long old = READ_ONCE(counter_shared);
		/* On failure try_cmpxchg() puts what it found into old. */
		while (!try_cmpxchg(&counter_shared, &old, old + delta))
			;
	});
	return 0;
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("counter_mode"); (void)iters; (void)delta; return -ENOSYS; */
}

COUNTER_MODE(cmpxchg, .what = "a compare-and-swap loop (assignment 6)",
	     .reset = counter_shared_reset, .op = cmpxchg_op,
	     .read = counter_shared_read);
