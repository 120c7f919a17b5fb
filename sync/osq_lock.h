/*
 * osq_lock.h - the optimistic spin queue: who may spin on a mutex's owner.
 *
 * When a mutex is taken and its owner runs on another CPU, a contender
 * spins instead of sleeping (mutex.c). With several contenders, letting
 * them all poll the mutex's owner word makes that one cache line bounce
 * between all their CPUs, and every one of the owner's lock and unlock
 * operations then waits for it. The OSQ lines the spinners up instead:
 * only the one at its head polls the owner; each of the others spins on a
 * flag in its own per-CPU node, which only its predecessor writes, once
 * (an MCS queue). A spinner that must stop (need_resched()) leaves the
 * queue from the middle, which a plain MCS lock cannot do.
 *
 * Contract (as Linux's kernel/locking/osq_lock.c):
 *  - Call with preemption disabled, from thread context. A CPU can be in
 *    one queue at a time (its node is per-CPU): no sleeping, no other OSQ
 *    between osq_lock() and osq_unlock().
 *  - osq_lock() returns true when we are at the head, and must then be
 *    paired with osq_unlock(). It returns false, with nothing to undo,
 *    when it gave up waiting because need_resched() became true.
 *  - It orders nothing about the data the mutex protects: the mutex's own
 *    atomic operations do that. FIFO among those that do not give up.
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/atomic.h"

struct optimistic_spin_queue {
	atomic_t tail;		/* CPU number + 1 of the last node; 0: empty */
};

#define OSQ_UNLOCKED_VAL 0
#define OSQ_LOCK_UNLOCKED { ATOMIC_INIT(OSQ_UNLOCKED_VAL) }

static inline void osq_lock_init(struct optimistic_spin_queue *q)
{
	atomic_set(&q->tail, OSQ_UNLOCKED_VAL);
}

static inline bool osq_is_locked(struct optimistic_spin_queue *q)
{
	return atomic_read(&q->tail) != OSQ_UNLOCKED_VAL;
}

bool osq_lock(struct optimistic_spin_queue *q);
void osq_unlock(struct optimistic_spin_queue *q);
